//! The interactive review screen: keyboard-driven, one task at a time, the
//! text wrapped to the terminal with the words behind each candidate
//! highlighted in that candidate's colour.

use std::io::{self, Write};

use crossterm::event::{self, Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use crossterm::style::{Attribute, Color, Print, ResetColor, SetAttribute, SetForegroundColor};
use crossterm::terminal::{self, ClearType};
use crossterm::{cursor, execute, queue};

use super::{QueueItem, Session};
use crate::error::{Error, Result};
use crate::output::{display_width, pad_to};

/// Colours of the first candidates (highlights and list markers).
const CANDIDATE_COLORS: [Color; 5] = [
    Color::Green,
    Color::Yellow,
    Color::Cyan,
    Color::Magenta,
    Color::Blue,
];

const HELP: &[&str] = &[
    "Keys",
    "",
    "  Enter      accept the top candidate",
    "  1-9        pick that candidate",
    "  l          open the full label list (type to filter, ↑/↓, Enter, Esc)",
    "  s          skip (asked again next time)",
    "  u          undo the last decision or skip",
    "  ?          this help",
    "  q          save and quit (every decision is already saved)",
    "",
    "Highlighted words favour the candidate of the same colour.",
    "",
    "Press any key to go back.",
];

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
    Error::Param(format!("terminal: {e}"))
}

/// Runs the interactive review until the user quits.
pub fn run(session: &mut Session) -> Result<()> {
    let _guard = TerminalGuard::enter().map_err(io_err)?;
    let mut mode = Mode::Task;
    let mut status = String::new();
    loop {
        draw(session, &mode, &status).map_err(io_err)?;
        let Event::Key(key) = event::read().map_err(io_err)? else {
            continue;
        };
        if key.kind != KeyEventKind::Press {
            continue;
        }
        status.clear();
        if key.code == KeyCode::Char('c') && key.modifiers.contains(KeyModifiers::CONTROL) {
            return Ok(());
        }
        match &mut mode {
            Mode::Help => mode = Mode::Task,
            Mode::Labels { filter, selected } => match key.code {
                KeyCode::Esc => mode = Mode::Task,
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
                        report(session.decide(&id), &mut status);
                        mode = Mode::Task;
                    }
                }
                KeyCode::Char(c) => {
                    filter.push(c);
                    *selected = 0;
                }
                _ => {}
            },
            Mode::Task => {
                if handle_task_key(session, key, &mut mode, &mut status)? {
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
fn handle_task_key(
    session: &mut Session,
    key: KeyEvent,
    mode: &mut Mode,
    status: &mut String,
) -> Result<bool> {
    match key.code {
        KeyCode::Char('q') | KeyCode::Esc => return Ok(true),
        KeyCode::Char('?') => *mode = Mode::Help,
        KeyCode::Char('u') if !session.undo()? => *status = "nothing to undo".into(),
        KeyCode::Char('u') => {}
        _ if session.current().is_none() => {}
        KeyCode::Enter => report(session.accept(), status),
        KeyCode::Char('s') => report(session.skip(), status),
        KeyCode::Char('l') => {
            *mode = Mode::Labels {
                filter: String::new(),
                selected: 0,
            }
        }
        KeyCode::Char(c @ '1'..='9') => {
            let n = c as usize - '1' as usize;
            let label = session
                .current()
                .and_then(|item| item.candidates.get(n))
                .map(|cand| cand.label.clone());
            match label {
                Some(l) => report(session.decide(&l), status),
                None => *status = format!("there is no candidate {c}"),
            }
        }
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

fn draw(session: &Session, mode: &Mode, status: &str) -> io::Result<()> {
    // A pseudo-terminal may report no size at all: assume the classic one.
    let (cols, rows) = match terminal::size() {
        Ok((c, r)) if c > 0 && r > 0 => (c, r),
        _ => (80, 24),
    };
    let width = (cols as usize).max(20);
    let mut out = io::stdout().lock();
    queue!(out, terminal::Clear(ClearType::All), cursor::MoveTo(0, 0))?;
    let mut row = 0u16;
    let mut line = |out: &mut io::StdoutLock, text: &str| -> io::Result<()> {
        if row < rows {
            queue!(
                out,
                cursor::MoveTo(0, row),
                Print(pad_to(text, width.saturating_sub(1)))
            )?;
        }
        row += 1;
        Ok(())
    };
    let p = session.progress();
    let progress = format!(
        "plantag review — {} done, {} remaining, {} changed, {} skipped    ? help",
        p.done, p.remaining, p.changed, p.skipped
    );
    queue!(out, SetAttribute(Attribute::Reverse))?;
    line(&mut out, &progress)?;
    queue!(out, SetAttribute(Attribute::Reset))?;
    match mode {
        Mode::Help => {
            for h in HELP {
                line(&mut out, h)?;
            }
        }
        Mode::Labels { filter, selected } => {
            line(
                &mut out,
                &format!("label: {filter}▏   (type to filter, ↑/↓, Enter picks, Esc back)"),
            )?;
            let matches = filtered_labels(session, filter);
            let sel = (*selected).min(matches.len().saturating_sub(1));
            for (i, id) in matches.iter().enumerate() {
                let l = session
                    .label(id)
                    .expect("filtered from the session's labels");
                let text = format!(
                    "{} {:<13} {}  {}",
                    if i == sel { "▶" } else { " " },
                    l.id,
                    l.zh,
                    l.en
                );
                if i == sel {
                    queue!(out, SetAttribute(Attribute::Bold))?;
                }
                line(&mut out, &text)?;
                queue!(out, SetAttribute(Attribute::Reset))?;
            }
            if matches.is_empty() {
                line(&mut out, "  (no label matches)")?;
            }
        }
        Mode::Task => match session.current() {
            None => {
                line(&mut out, "")?;
                line(
                    &mut out,
                    "All queued tasks are reviewed. u undoes the last decision, q quits.",
                )?;
            }
            Some(item) => draw_item(&mut out, session, item, width, rows)?,
        },
    }
    if !status.is_empty() {
        queue!(
            out,
            cursor::MoveTo(0, rows.saturating_sub(1)),
            SetForegroundColor(Color::Red),
            Print(pad_to(status, width.saturating_sub(1))),
            ResetColor
        )?;
    }
    out.flush()
}

/// Prints one screen line (if it fits) and moves to the next.
fn put(
    out: &mut io::StdoutLock,
    row: &mut u16,
    rows: u16,
    width: usize,
    text: &str,
) -> io::Result<()> {
    if *row < rows {
        queue!(
            out,
            cursor::MoveTo(0, *row),
            Print(pad_to(text, width.saturating_sub(1)))
        )?;
    }
    *row += 1;
    Ok(())
}

/// Draws the current task below the progress line.
fn draw_item(
    out: &mut io::StdoutLock,
    session: &Session,
    item: &QueueItem,
    width: usize,
    rows: u16,
) -> io::Result<()> {
    let mut row = 1u16;
    let put =
        |out: &mut io::StdoutLock, row: &mut u16, text: &str| put(out, row, rows, width, text);
    put(
        out,
        &mut row,
        &format!(
            "doc: {}   id: {}   [{}]",
            item.doc,
            item.id,
            item.kind.as_str()
        ),
    )?;
    put(out, &mut row, &format!("path: {}", item.path.join(" › ")))?;
    if !item.title.is_empty() {
        put(out, &mut row, &format!("title: {}", item.title))?;
    }
    put(out, &mut row, &"─".repeat(width.saturating_sub(1) / 2))?;
    // Text, wrapped to the terminal, with candidate words highlighted.
    let colors = highlight(&item.text, item);
    let text_rows = rows.saturating_sub(row + item.candidates.len() as u16 + 4);
    let mut col = 0usize;
    let mut used = 0u16;
    queue!(out, cursor::MoveTo(0, row))?;
    let mut current: Option<usize> = None;
    for (ch, color) in item.text.chars().zip(&colors) {
        if used >= text_rows {
            break;
        }
        let w = display_width(ch.encode_utf8(&mut [0; 4]));
        if ch == '\n' || col + w >= width {
            used += 1;
            col = 0;
            queue!(out, cursor::MoveTo(0, row + used))?;
            if ch == '\n' {
                continue;
            }
        }
        if *color != current {
            match color {
                Some(c) => queue!(
                    out,
                    SetForegroundColor(CANDIDATE_COLORS[*c]),
                    SetAttribute(Attribute::Bold)
                )?,
                None => queue!(out, ResetColor, SetAttribute(Attribute::Reset))?,
            }
            current = *color;
        }
        queue!(out, Print(ch))?;
        col += w;
    }
    queue!(out, ResetColor, SetAttribute(Attribute::Reset))?;
    row += used + 1;
    put(out, &mut row, &"─".repeat(width.saturating_sub(1) / 2))?;
    for (i, cand) in item.candidates.iter().enumerate() {
        let name = session
            .label(&cand.label)
            .map(|l| l.zh.as_str())
            .unwrap_or("?");
        let text = format!(
            " {}  {:<13} {}  {:.2}",
            i + 1,
            cand.label,
            pad_to(name, 20),
            cand.p
        );
        if row < rows {
            queue!(
                out,
                cursor::MoveTo(0, row),
                SetForegroundColor(CANDIDATE_COLORS[i % CANDIDATE_COLORS.len()]),
                Print("■"),
                ResetColor,
                Print(pad_to(&text, width.saturating_sub(2)))
            )?;
        }
        row += 1;
    }
    put(out, &mut row, "")?;
    put(
        out,
        &mut row,
        "Enter accept 1 · 1-9 pick · l all labels · s skip · u undo · ? help · q quit",
    )
}

/// For each character of `text`, the candidate whose words cover it
/// (earlier candidates win overlaps).
fn highlight(text: &str, item: &QueueItem) -> Vec<Option<usize>> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut colors = vec![None; chars.len()];
    for (c, cand) in item
        .candidates
        .iter()
        .enumerate()
        .take(CANDIDATE_COLORS.len())
        .rev()
    {
        for word in &cand.words {
            if word.is_empty() {
                continue;
            }
            for (start, _) in text.match_indices(word.as_str()) {
                let end = start + word.len();
                let first = chars.partition_point(|(b, _)| *b < start);
                let last = chars.partition_point(|(b, _)| *b < end);
                for color in &mut colors[first..last] {
                    *color = Some(c);
                }
            }
        }
    }
    colors
}
