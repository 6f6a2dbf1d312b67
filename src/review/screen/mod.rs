//! The interactive review screen: keyboard-driven, one task at a time,
//! with where it sits (plan title, heading path, the labels of the tasks
//! around it), its text wrapped to the terminal and scrolled when long,
//! and the words behind each candidate highlighted in that candidate's
//! style.
//!
//! Here the terminal, the loop and the keys; [`draw`] paints the screen,
//! [`wrap`] fits text to its width, [`style`] gives each candidate its look.

use std::io;
use std::time::Duration;

use crossterm::event::{self, Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use crossterm::terminal;
use crossterm::{cursor, execute};

use super::Session;
use crate::error::{Error, Result};

mod draw;
mod style;
mod wrap;

const HELP: &[&str] = &[
    "Keys",
    "",
    "  Enter        accept the top candidate",
    "  1-9          pick that candidate",
    "  l            open the full label list (type to filter, ↑/↓, Enter picks)",
    "  s            skip (asked again next time; another reviewer may take it)",
    "  u            undo your last decision or skip",
    "  ↓ ↑ PgDn PgUp Space   scroll a long text",
    "  ?            this help",
    "  Esc          close the label list or this help (never quits)",
    "  q            quit (every decision is already saved)",
    "",
    "Highlighted words favour the candidate of the same colour and style.",
    "Other reviewers may work on the same data folder at the same time:",
    "each task is shown to one of you, and every decision is kept.",
    "",
    "Press any key to go back.",
];

const KEY_LINE: &str =
    "Enter accept · 1-9 pick · l list · s skip · u undo · ↓↑ scroll · ? · q quit";

enum Mode {
    Task,
    Labels { filter: String, selected: usize },
    Help,
}

/// Restores the terminal however the screen ends (error, panic, quit).
struct TerminalGuard;

impl TerminalGuard {
    fn enter() -> io::Result<Self> {
        terminal::enable_raw_mode()?;
        execute!(io::stdout(), terminal::EnterAlternateScreen, cursor::Hide)?;
        Ok(TerminalGuard)
    }
}

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        let _ = execute!(io::stdout(), cursor::Show, terminal::LeaveAlternateScreen);
        let _ = terminal::disable_raw_mode();
    }
}

fn io_err(e: io::Error) -> Error {
    Error::Terminal(e)
}

/// How often the screen looks at what other sessions did while idle.
const REFRESH: Duration = Duration::from_secs(3);

/// What the screen keeps between key presses.
struct View {
    mode: Mode,
    status: String,
    /// First text line shown, and the task it belongs to.
    scroll: usize,
    scrolled_item: Option<(String, String)>,
    /// Text lines that fit and text lines there are (from the last draw).
    page: usize,
    lines: usize,
}

/// Runs the interactive review until the user quits.
pub fn run(session: &mut Session) -> Result<()> {
    let _guard = TerminalGuard::enter().map_err(io_err)?;
    let mut view = View {
        mode: Mode::Task,
        status: String::new(),
        scroll: 0,
        scrolled_item: None,
        page: 1,
        lines: 0,
    };
    loop {
        let shown = session.current().map(|i| (i.doc.clone(), i.id.clone()));
        if shown != view.scrolled_item {
            view.scroll = 0;
            view.scrolled_item = shown;
        }
        draw::draw(session, &mut view).map_err(io_err)?;
        if !event::poll(REFRESH).map_err(io_err)? {
            if matches!(view.mode, Mode::Task) {
                report(session.refresh(), &mut view.status);
            }
            continue;
        }
        let Event::Key(key) = event::read().map_err(io_err)? else {
            continue;
        };
        if key.kind != KeyEventKind::Press {
            continue;
        }
        view.status.clear();
        if key.code == KeyCode::Char('c') && key.modifiers.contains(KeyModifiers::CONTROL) {
            return Ok(());
        }
        match &mut view.mode {
            Mode::Help => view.mode = Mode::Task,
            Mode::Labels { filter, selected } => match key.code {
                KeyCode::Esc => view.mode = Mode::Task,
                KeyCode::Up => *selected = selected.saturating_sub(1),
                KeyCode::Down => *selected += 1,
                KeyCode::Backspace => {
                    filter.pop();
                    *selected = 0;
                }
                KeyCode::Enter => {
                    let matches = filtered_labels(session, filter);
                    if let Some(id) = matches.get((*selected).min(matches.len().saturating_sub(1)))
                    {
                        let id = id.to_string();
                        report(session.decide(&id), &mut view.status);
                        view.mode = Mode::Task;
                    }
                }
                KeyCode::Char(c) => {
                    filter.push(c);
                    *selected = 0;
                }
                _ => {}
            },
            Mode::Task => {
                if handle_task_key(session, key, &mut view)? {
                    return Ok(());
                }
            }
        }
    }
}

fn report(result: Result<()>, status: &mut String) {
    if let Err(e) = result {
        *status = e.to_string();
    }
}

/// Returns true when the user quits.
fn handle_task_key(session: &mut Session, key: KeyEvent, view: &mut View) -> Result<bool> {
    let last_start = view.lines.saturating_sub(view.page);
    match key.code {
        KeyCode::Char('q') => return Ok(true),
        // Esc closes overlays; on the task itself there is nothing to close.
        KeyCode::Esc => {}
        KeyCode::Char('?') => view.mode = Mode::Help,
        KeyCode::Char('u') => match session.undo() {
            Ok(false) => view.status = "nothing to undo".into(),
            Ok(true) => {}
            Err(e) => view.status = e.to_string(),
        },
        KeyCode::Down => view.scroll = (view.scroll + 1).min(last_start),
        KeyCode::Up => view.scroll = view.scroll.saturating_sub(1),
        KeyCode::PageDown | KeyCode::Char(' ') => {
            view.scroll = (view.scroll + view.page.saturating_sub(1).max(1)).min(last_start)
        }
        KeyCode::PageUp => {
            view.scroll = view
                .scroll
                .saturating_sub(view.page.saturating_sub(1).max(1))
        }
        _ if session.current().is_none() => {}
        KeyCode::Enter => report(session.accept(), &mut view.status),
        KeyCode::Char('s') => report(session.skip(), &mut view.status),
        KeyCode::Char('l') => {
            view.mode = Mode::Labels {
                filter: String::new(),
                selected: 0,
            }
        }
        KeyCode::Char(c @ '1'..='9') => match session.resolve(&c.to_string()) {
            Some(l) => report(session.decide(&l), &mut view.status),
            None => view.status = format!("there is no candidate {c}"),
        },
        _ => {}
    }
    Ok(false)
}

fn filtered_labels<'a>(session: &'a Session, filter: &str) -> Vec<&'a str> {
    let f = filter.to_lowercase();
    session
        .labels
        .iter()
        .filter(|l| {
            f.is_empty()
                || l.id.contains(&f)
                || l.zh.contains(filter)
                || l.en.to_lowercase().contains(&f)
        })
        .map(|l| l.id.as_str())
        .collect()
}
