//! Sinks: where tagged documents go. The batch driver hands each one every
//! tagged document (or piece of one, for a long stream of sections) in input
//! order; a sink prints task records, prints profiles, or gathers what a
//! file written at the end needs (review queue, HTML report). Tagging knows
//! nothing of printing, and printing nothing of tagging.

use std::io::Write;
use std::path::PathBuf;

use crate::error::{Error, Result};
use crate::model::LabelInfo;
use crate::output::{self, Format, Record, Writer};
use crate::profile::{self, ProfileBuilder};
use crate::review;
use crate::tagger::Tagged;

/// A piece of a document: `first` and `last` tell whether it begins and
/// ends its document (a plan comes whole: both).
#[derive(Clone, Copy)]
pub struct Piece<'a> {
    pub tagged: &'a Tagged,
    pub first: bool,
    pub last: bool,
    /// Per task, the title of the document it came from when the input
    /// named one apart (`doc_title` of a JSONL section); empty otherwise.
    pub doc_titles: &'a [Option<String>],
}

impl<'a> Piece<'a> {
    /// A whole document.
    pub fn whole(tagged: &'a Tagged) -> Self {
        Piece {
            tagged,
            first: true,
            last: true,
            doc_titles: &[],
        }
    }
}

/// A consumer of tagged documents.
pub trait Sink {
    /// Takes the next piece, in input order.
    fn write(&mut self, piece: Piece<'_>) -> Result<()>;
    /// Ends the output; returns a line to tell the user, if any.
    fn finish(&mut self) -> Result<Option<String>>;
}

/// The name of the main output in messages.
fn output_error(name: &str) -> impl Fn(std::io::Error) -> Error + '_ {
    move |source| Error::Output {
        name: name.to_string(),
        source,
    }
}

/// Task records in an output format.
pub struct TaskSink<W: Write> {
    writer: Writer<W>,
    name: String,
}

impl<W: Write> TaskSink<W> {
    /// `name` names the output in error messages (`standard output`, a
    /// path); `explain` adds the CSV `explain` column.
    pub fn new(out: W, format: Format, name: &str, explain: bool) -> Self {
        TaskSink {
            writer: Writer::new(out, format).explain_column(explain),
            name: name.to_string(),
        }
    }

    /// The output, once finished (to commit an atomic file).
    pub fn into_inner(self) -> W {
        self.writer.into_inner()
    }
}

impl<W: Write> Sink for TaskSink<W> {
    fn write(&mut self, piece: Piece<'_>) -> Result<()> {
        let t = piece.tagged;
        let err = output_error(&self.name);
        if piece.first {
            self.writer
                .begin_doc(&t.doc, t.title.as_deref(), &t.warnings)
                .map_err(&err)?;
        }
        let records: Vec<Record<'_>> = t
            .tasks
            .iter()
            .enumerate()
            .map(|(i, task)| Record {
                task,
                prediction: t.predictions.get(i),
                doc_title: piece.doc_titles.get(i).and_then(|d| d.as_deref()),
            })
            .collect();
        self.writer.write_tasks(&records).map_err(&err)?;
        if piece.last {
            self.writer.end_doc().map_err(&err)?;
        }
        Ok(())
    }

    fn finish(&mut self) -> Result<Option<String>> {
        self.writer.finish().map_err(output_error(&self.name))?;
        Ok(None)
    }
}

/// One profile per document: a bar chart, JSON lines or CSV rows. Only the
/// counts of the document being read are kept.
pub struct ProfileSink<W: Write> {
    out: W,
    format: Format,
    name: String,
    labels: Vec<LabelInfo>,
    current: Option<ProfileBuilder>,
    started: bool,
}

impl<W: Write> ProfileSink<W> {
    pub fn new(out: W, format: Format, name: &str, labels: Vec<LabelInfo>) -> Self {
        ProfileSink {
            out,
            format,
            name: name.to_string(),
            labels,
            current: None,
            started: false,
        }
    }

    pub fn into_inner(self) -> W {
        self.out
    }

    fn emit(&mut self, p: &profile::Profile) -> std::io::Result<()> {
        let first = !self.started;
        self.started = true;
        match self.format {
            Format::Json | Format::Jsonl => {
                serde_json::to_writer(&mut self.out, p)?;
                writeln!(self.out)
            }
            Format::Csv => {
                if first {
                    self.out.write_all("\u{feff}".as_bytes())?;
                    output::write_csv_row(&mut self.out, &profile::CSV_HEADER)?;
                }
                for row in profile::csv_rows(p) {
                    output::write_csv_row(&mut self.out, &row)?;
                }
                Ok(())
            }
            Format::Table => writeln!(self.out, "{}", profile::to_text(p)),
        }
    }
}

impl<W: Write> Sink for ProfileSink<W> {
    fn write(&mut self, piece: Piece<'_>) -> Result<()> {
        let t = piece.tagged;
        if piece.first || self.current.is_none() {
            self.current = Some(ProfileBuilder::new(&t.doc, t.title.as_deref()));
        }
        let builder = self.current.as_mut().expect("set above");
        builder.add(t);
        if piece.last {
            let p = self.current.take().expect("set above").finish(&self.labels);
            self.emit(&p).map_err(output_error(&self.name))?;
        }
        Ok(())
    }

    fn finish(&mut self) -> Result<Option<String>> {
        self.out.flush().map_err(output_error(&self.name))?;
        Ok(None)
    }
}

/// The low-confidence tasks, written as a review queue at the end (most
/// uncertain first); each is set aside on disk as it comes.
pub struct QueueSink {
    model_digest: String,
    queue: Option<review::QueueWriter>,
    path: PathBuf,
}

impl QueueSink {
    pub fn new(path: PathBuf, model_digest: String) -> Self {
        QueueSink {
            model_digest,
            queue: Some(review::QueueWriter::new(path.clone())),
            path,
        }
    }
}

impl Sink for QueueSink {
    fn write(&mut self, piece: Piece<'_>) -> Result<()> {
        let queue = self.queue.as_mut().expect("not finished");
        for item in review::queue_items(piece.tagged, &self.model_digest) {
            queue.push(&item)?;
        }
        Ok(())
    }

    fn finish(&mut self) -> Result<Option<String>> {
        let n = self.queue.take().expect("finished once").finish()?;
        Ok(Some(format!(
            "{n} task(s) queued for review in {}",
            self.path.display()
        )))
    }
}

/// The HTML report, written at the end; see [`crate::report::ReportWriter`].
pub struct ReportSink {
    report: Option<crate::report::ReportWriter>,
    path: PathBuf,
}

impl ReportSink {
    pub fn new(path: PathBuf, labels: Vec<LabelInfo>) -> Self {
        ReportSink {
            report: Some(crate::report::ReportWriter::new(path.clone(), labels)),
            path,
        }
    }
}

impl Sink for ReportSink {
    fn write(&mut self, piece: Piece<'_>) -> Result<()> {
        let report = self.report.as_mut().expect("not finished");
        report.add(piece.tagged, piece.first)
    }

    fn finish(&mut self) -> Result<Option<String>> {
        self.report.take().expect("finished once").finish()?;
        Ok(Some(format!("report written to {}", self.path.display())))
    }
}

/// Several sinks fed the same pieces, in order.
#[derive(Default)]
pub struct Sinks<'a> {
    sinks: Vec<Box<dyn Sink + 'a>>,
}

impl<'a> Sinks<'a> {
    pub fn push(&mut self, sink: impl Sink + 'a) {
        self.sinks.push(Box::new(sink));
    }
}

impl Sinks<'_> {
    /// Finishes every sink, even when one fails: each one's outcome.
    pub fn finish_all(&mut self) -> Vec<Result<Option<String>>> {
        self.sinks.iter_mut().map(|s| s.finish()).collect()
    }
}

impl Sink for Sinks<'_> {
    fn write(&mut self, piece: Piece<'_>) -> Result<()> {
        self.sinks.iter_mut().try_for_each(|s| s.write(piece))
    }

    /// The messages joined by lines; the first error.
    fn finish(&mut self) -> Result<Option<String>> {
        let mut messages = Vec::new();
        for outcome in self.finish_all() {
            messages.extend(outcome?);
        }
        Ok((!messages.is_empty()).then(|| messages.join("\n")))
    }
}
