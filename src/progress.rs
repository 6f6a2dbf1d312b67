//! What a batch tells the user on stderr: one line per failed input or
//! note, and a progress bar when stderr is a terminal. The bar is
//! suspended (wiped, then redrawn) around everything else printed to the
//! terminal, standard output included, and cleared at the end, so no stale
//! bar is left between lines.

use std::io::{self, Write};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::app::Events;
use crate::error::Error;

/// Messages and progress of a batch on stderr.
pub struct Progress {
    program: &'static str,
    bar: Option<ProgressBar>,
}

impl Progress {
    /// A bar over `total` inputs when stderr is a terminal and there is
    /// more than one input; plain lines otherwise.
    pub fn new(program: &'static str, total: usize, stderr_is_terminal: bool) -> Self {
        let bar = (stderr_is_terminal && total > 1).then(|| {
            let bar = ProgressBar::with_draw_target(
                Some(total as u64),
                ProgressDrawTarget::stderr_with_hz(10),
            );
            if let Ok(style) = ProgressStyle::with_template("{bar:30} {pos}/{len} {wide_msg}") {
                bar.set_style(style);
            }
            bar
        });
        Progress { program, bar }
    }

    /// Prints a line to stderr with the bar out of the way.
    pub fn line(&self, message: &str) {
        let print = || eprintln!("{}: {message}", self.program);
        match &self.bar {
            Some(bar) => bar.suspend(print),
            None => print(),
        }
    }

    /// Standard output through this writer is printed with the bar out of
    /// the way (needed when both go to one terminal).
    pub fn around<W: Write>(&self, out: W) -> Suspended<W> {
        Suspended {
            out,
            bar: self.bar.clone(),
            buf: Vec::new(),
        }
    }

    /// Removes the bar from the terminal.
    pub fn clear(&mut self) {
        if let Some(bar) = self.bar.take() {
            bar.finish_and_clear();
        }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.clear();
    }
}

impl Events for Progress {
    fn error(&mut self, error: &Error) {
        self.line(&error.to_string());
    }

    fn note(&mut self, doc: &str, message: &str) {
        self.line(&format!("{doc}: note: {message}"));
    }

    fn progress(&mut self, done: usize) {
        if let Some(bar) = &self.bar {
            bar.set_position(done as u64);
        }
    }
}

/// A writer whose output is held until a flush or until 8 KB gather,
/// then written with the progress bar suspended.
pub struct Suspended<W: Write> {
    out: W,
    bar: Option<ProgressBar>,
    buf: Vec<u8>,
}

impl<W: Write> Suspended<W> {
    fn drain(&mut self) -> io::Result<()> {
        if self.buf.is_empty() {
            return Ok(());
        }
        let (out, buf) = (&mut self.out, &self.buf);
        let result = match &self.bar {
            Some(bar) => bar.suspend(|| out.write_all(buf).and_then(|_| out.flush())),
            None => out.write_all(buf),
        };
        self.buf.clear();
        result
    }
}

impl<W: Write> Write for Suspended<W> {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        self.buf.extend_from_slice(data);
        if self.buf.len() >= 8 << 10 {
            self.drain()?;
        }
        Ok(data.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.drain()?;
        self.out.flush()
    }
}
