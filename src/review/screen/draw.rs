//! Painting the review screen: the progress line, then the current task
//! (where it sits, its text wrapped, scrolled and highlighted, its
//! candidates), the label list or the help.

use std::io::{self, Write};

use crossterm::style::{Attribute, Color, Print, ResetColor, SetAttribute, SetForegroundColor};
use crossterm::terminal::{self, ClearType};
use crossterm::{cursor, queue};

use super::style::{
    candidate_color, highlight, CANDIDATE_ATTRIBUTES, CANDIDATE_COLORS, STATUS_COLOR,
};
use super::wrap::{fit, wrap};
use super::{filtered_labels, Mode, View, HELP, KEY_LINE};
use crate::output::{display_width, pad_to};
use crate::review::{Neighbour, QueueItem, Session};

/// Terminal size; a pseudo-terminal may report none: assume the classic one.
fn screen_size() -> (usize, u16) {
    match terminal::size() {
        Ok((c, r)) if c > 0 && r > 0 => ((c as usize).max(20), r),
        _ => (80, 24),
    }
}

/// Paints rows top-down; rows past the bottom are dropped.
struct Painter<'a> {
    out: io::StdoutLock<'a>,
    row: u16,
    rows: u16,
    width: usize,
}

impl Painter<'_> {
    /// One plain line, cut to the width.
    fn line(&mut self, text: &str) -> io::Result<()> {
        if self.row < self.rows {
            queue!(
                self.out,
                cursor::MoveTo(0, self.row),
                Print(pad_to(&fit(text, self.width - 1), self.width - 1))
            )?;
        }
        self.row += 1;
        Ok(())
    }

    fn styled(&mut self, text: &str, attrs: &[Attribute]) -> io::Result<()> {
        for a in attrs {
            queue!(self.out, SetAttribute(*a))?;
        }
        self.line(text)?;
        queue!(self.out, SetAttribute(Attribute::Reset))
    }

    fn divider(&mut self) -> io::Result<()> {
        // `─` is one column wide in terminals (it is not an East Asian
        // wide character), so the divider spans the screen.
        let width = self.width - 1;
        self.line(&"─".repeat(width))
    }
}

pub(super) fn draw(session: &Session, view: &mut View) -> io::Result<()> {
    let (width, rows) = screen_size();
    let mut p = Painter {
        out: io::stdout().lock(),
        row: 0,
        rows,
        width,
    };
    queue!(p.out, terminal::Clear(ClearType::All), cursor::MoveTo(0, 0))?;
    let pr = session.progress();
    let mut progress = format!(
        "plantag review — {} done, {} remaining, {} changed, {} skipped",
        pr.done, pr.remaining, pr.changed, pr.skipped
    );
    if !session.others().is_empty() {
        progress.push_str(&format!(
            ", {} open with {}",
            pr.elsewhere,
            session.others().join(", ")
        ));
    }
    progress.push_str("    ? help");
    p.styled(&progress, &[Attribute::Reverse])?;
    match &view.mode {
        Mode::Help => {
            for h in HELP {
                p.line(h)?;
            }
        }
        Mode::Labels { filter, selected } => draw_labels(&mut p, session, filter, *selected)?,
        Mode::Task => match session.current() {
            None => {
                p.line("")?;
                p.line(if session.progress().elsewhere > 0 {
                    "The tasks left are open in other sessions. u undoes your last decision, q quits."
                } else {
                    "All queued tasks are reviewed. u undoes the last decision, q quits."
                })?;
            }
            Some(item) => draw_item(&mut p, session, item, view)?,
        },
    }
    if !view.status.is_empty() {
        queue!(
            p.out,
            cursor::MoveTo(0, rows.saturating_sub(1)),
            SetForegroundColor(Color::AnsiValue(STATUS_COLOR)),
            SetAttribute(Attribute::Bold),
            Print(pad_to(&fit(&view.status, width - 1), width - 1)),
            SetAttribute(Attribute::Reset),
            ResetColor
        )?;
    }
    p.out.flush()
}

fn draw_labels(
    p: &mut Painter,
    session: &Session,
    filter: &str,
    selected: usize,
) -> io::Result<()> {
    p.line(&format!(
        "label: {filter}▏   (type to filter, ↑/↓, Enter picks, Esc back)"
    ))?;
    let matches = filtered_labels(session, filter);
    let sel = selected.min(matches.len().saturating_sub(1));
    let id_width = session.labels.iter().map(|l| l.id.len()).max().unwrap_or(0);
    let zh_width = session
        .labels
        .iter()
        .map(|l| display_width(&l.zh))
        .max()
        .unwrap_or(0);
    for (i, id) in matches.iter().enumerate() {
        let Some(l) = session.label(id) else { continue };
        let text = format!(
            "{} {}  {}  {}",
            if i == sel { "▶" } else { " " },
            pad_to(&l.id, id_width),
            pad_to(&l.zh, zh_width),
            l.en
        );
        if i == sel {
            p.styled(&text, &[Attribute::Bold, Attribute::Reverse])?;
        } else {
            p.line(&text)?;
        }
    }
    if matches.is_empty() {
        p.line("  (no label matches)")?;
    }
    Ok(())
}

/// `二/（三） 党建 0.93` for a neighbouring task.
fn neighbour_text(session: &Session, n: &Neighbour) -> String {
    let label = if n.label.is_empty() {
        "—".to_string()
    } else {
        session
            .label(&n.label)
            .map(|l| l.zh.clone())
            .unwrap_or_else(|| n.label.clone())
    };
    let title = if n.title.is_empty() {
        String::new()
    } else {
        format!(" {}", fit(&n.title, 12))
    };
    format!("{}{title} [{label} {:.2}]", n.id, n.confidence)
}

/// Draws the current task below the progress line.
fn draw_item(
    p: &mut Painter,
    session: &Session,
    item: &QueueItem,
    view: &mut View,
) -> io::Result<()> {
    let width = p.width - 1;
    let file = std::path::Path::new(&item.doc)
        .file_name()
        .map(|f| f.to_string_lossy().into_owned())
        .unwrap_or_else(|| item.doc.clone());
    p.line(&format!(
        "plan: {}   ({file})",
        item.doc_title
            .as_ref()
            .map(|t| format!("《{t}》"))
            .unwrap_or_else(|| "(no title found)".to_string()),
    ))?;
    p.line(&format!(
        "task: {} [{}]   path: {}",
        item.id,
        item.kind.as_str(),
        if item.path.is_empty() {
            "(top level)".to_string()
        } else {
            item.path.join(" › ")
        }
    ))?;
    let side = |ns: &[Neighbour], none: &str| {
        if ns.is_empty() {
            none.to_string()
        } else {
            ns.iter()
                .map(|n| neighbour_text(session, n))
                .collect::<Vec<_>>()
                .join(" · ")
        }
    };
    if !item.before.is_empty() || !item.after.is_empty() {
        p.line(&format!(
            "before: {}",
            side(&item.before, "(start of the plan)")
        ))?;
        p.line(&format!(
            "after:  {}",
            side(&item.after, "(end of the plan)")
        ))?;
    }
    if !item.title.is_empty() {
        p.styled(&format!("title: {}", item.title), &[Attribute::Bold])?;
    }
    p.divider()?;
    // Text, wrapped, scrolled, with candidate words highlighted.
    let chars: Vec<char> = item.text.chars().collect();
    let styles = highlight(&item.text, item);
    let lines = wrap(&chars, width);
    let footer = 1 + item.candidates.len() as u16 + 2 + 1;
    let page = p.rows.saturating_sub(p.row + footer + 1).max(3) as usize;
    view.page = page;
    view.lines = lines.len();
    let last_start = lines.len().saturating_sub(page);
    view.scroll = view.scroll.min(last_start);
    let shown = &lines[view.scroll..lines.len().min(view.scroll + page)];
    for &(a, b) in shown {
        if p.row < p.rows {
            queue!(p.out, cursor::MoveTo(0, p.row))?;
            let mut current: Option<usize> = None;
            for i in a..b {
                if styles[i] != current {
                    queue!(p.out, ResetColor, SetAttribute(Attribute::Reset))?;
                    if let Some(c) = styles[i] {
                        queue!(p.out, SetForegroundColor(candidate_color(c)))?;
                        for at in CANDIDATE_ATTRIBUTES[c] {
                            queue!(p.out, SetAttribute(*at))?;
                        }
                    }
                    current = styles[i];
                }
                queue!(p.out, Print(chars[i]))?;
            }
            queue!(p.out, ResetColor, SetAttribute(Attribute::Reset))?;
        }
        p.row += 1;
    }
    let more_above = view.scroll > 0;
    let more_below = view.scroll + page < lines.len();
    let marker = match (more_above, more_below) {
        (false, false) => "─".repeat(width),
        _ => {
            let words = format!(
                "── lines {}–{} of {}{}{} ",
                view.scroll + 1,
                (view.scroll + page).min(lines.len()),
                lines.len(),
                if more_below {
                    " · ↓/PgDn: more below"
                } else {
                    ""
                },
                if more_above { " · ↑/PgUp: back" } else { "" },
            );
            let rest = width.saturating_sub(display_width(&words));
            format!("{words}{}", "─".repeat(rest))
        }
    };
    if more_below || more_above {
        p.styled(&marker, &[Attribute::Bold])?;
    } else {
        p.line(&marker)?;
    }
    let name_width = item
        .candidates
        .iter()
        .filter_map(|c| session.label(&c.label))
        .map(|l| display_width(&l.zh))
        .max()
        .unwrap_or(0);
    let id_width = item
        .candidates
        .iter()
        .map(|c| c.label.len())
        .max()
        .unwrap_or(0);
    for (i, cand) in item.candidates.iter().enumerate() {
        let name = session
            .label(&cand.label)
            .map(|l| l.zh.as_str())
            .unwrap_or("?");
        let text = format!(
            " {}  {}  {}  {:.2}",
            i + 1,
            pad_to(&cand.label, id_width),
            pad_to(name, name_width),
            cand.p
        );
        if p.row < p.rows {
            queue!(p.out, cursor::MoveTo(0, p.row))?;
            if i < CANDIDATE_COLORS.len() {
                queue!(p.out, SetForegroundColor(candidate_color(i)))?;
                for at in CANDIDATE_ATTRIBUTES[i] {
                    queue!(p.out, SetAttribute(*at))?;
                }
            }
            queue!(
                p.out,
                Print("■"),
                ResetColor,
                SetAttribute(Attribute::Reset),
                Print(pad_to(&fit(&text, width - 1), width - 1))
            )?;
        }
        p.row += 1;
    }
    p.line("")?;
    p.line(KEY_LINE)
}
