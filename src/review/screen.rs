//! The interactive review screen: keyboard-driven, one task at a time,
//! with where it sits (plan title, heading path, the labels of the tasks
//! around it), its text wrapped to the terminal and scrolled when long,
//! and the words behind each candidate highlighted in that candidate's
//! style.

use std::io::{self, Write};
use std::time::Duration;

use crossterm::event::{self, Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use crossterm::style::{Attribute, Color, Print, ResetColor, SetAttribute, SetForegroundColor};
use crossterm::terminal::{self, ClearType};
use crossterm::{cursor, execute, queue};

use super::{Neighbour, QueueItem, Session};
use crate::error::{Error, Result};
use crate::output::{display_width, pad_to};

/// Colours of the first candidates (highlights and list markers): mid-dark
/// tones of the 256-colour palette that keep a contrast of at least 3:1
/// against both a white and a black background (a test checks it), unlike
/// the bright green, yellow and cyan of the 16-colour set, which vanish on
/// a light terminal.
const CANDIDATE_COLORS: [(u8, [u8; 3]); 5] = [
    (28, [0x00, 0x87, 0x00]),  // green
    (127, [0xaf, 0x00, 0xaf]), // magenta
    (25, [0x00, 0x5f, 0xaf]),  // blue
    (130, [0xaf, 0x5f, 0x00]), // brown
    (30, [0x00, 0x87, 0x87]),  // teal
];

/// The attributes of each candidate's highlight, so that candidates stay
/// apart without colour (`NO_COLOR`, which crossterm honours).
const CANDIDATE_ATTRIBUTES: [&[Attribute]; 5] = [
    &[Attribute::Bold, Attribute::Underlined],
    &[Attribute::Underlined],
    &[Attribute::Italic],
    &[Attribute::Bold],
    &[Attribute::Bold],
];

/// Red of error messages: the same contrast rule.
const STATUS_COLOR: u8 = 160; // #d70000

fn candidate_color(i: usize) -> Color {
    Color::AnsiValue(CANDIDATE_COLORS[i % CANDIDATE_COLORS.len()].0)
}

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
        draw(session, &mut view).map_err(io_err)?;
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

/// Characters that never start a line (Chinese line-breaking rules: a
/// comma or full stop stays with the word before it).
const NO_LINE_START: &str = "，。、；：？！）》」』】〕〉”’…·%,.;:?!)]}";
/// Characters that never end a line (opening brackets and quotes).
const NO_LINE_END: &str = "（《「『【〔〈“‘([{";

/// Wraps `chars` to `width` columns: the char ranges of each line. A line
/// break in the text ends a line; a punctuation mark that may not start a
/// line takes the character before it along to the next line, and an
/// opening bracket never ends one.
pub(crate) fn wrap(chars: &[char], width: usize) -> Vec<(usize, usize)> {
    let width = width.max(2);
    let cw = |c: char| display_width(c.encode_utf8(&mut [0; 4]));
    let mut lines = Vec::new();
    let mut start = 0;
    let mut col = 0;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '\n' {
            lines.push((start, i));
            start = i + 1;
            col = 0;
            i += 1;
            continue;
        }
        let w = cw(c);
        if col + w > width && i > start {
            let bad =
                |b: usize| NO_LINE_START.contains(chars[b]) || NO_LINE_END.contains(chars[b - 1]);
            let mut brk = i;
            while brk > start + 1 && bad(brk) {
                brk -= 1;
            }
            if bad(brk) {
                brk = i;
            }
            lines.push((start, brk));
            start = brk;
            col = chars[brk..i].iter().map(|&c| cw(c)).sum();
        }
        col += w;
        i += 1;
    }
    if start < chars.len() || lines.is_empty() {
        lines.push((start, chars.len()));
    }
    lines
}

/// `text` cut to `width` columns, with `…` when it was longer.
fn fit(text: &str, width: usize) -> String {
    if display_width(text) <= width {
        return text.to_string();
    }
    let mut out = String::new();
    let mut w = 0;
    for c in text.chars() {
        let cw = display_width(c.encode_utf8(&mut [0; 4]));
        if w + cw > width.saturating_sub(1) {
            break;
        }
        out.push(c);
        w += cw;
    }
    out.push('…');
    out
}

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

fn draw(session: &Session, view: &mut View) -> io::Result<()> {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn lines_of(text: &str, width: usize) -> Vec<String> {
        let chars: Vec<char> = text.chars().collect();
        wrap(&chars, width)
            .into_iter()
            .map(|(a, b)| chars[a..b].iter().collect())
            .collect()
    }

    #[test]
    fn no_wrapped_line_starts_with_a_comma_or_full_stop() {
        let text = "加强基层医疗卫生服务能力建设，推进家庭医生签约服务。提升县级医院综合能力，完善分级诊疗制度（试点）。";
        for width in 6..40 {
            let lines = lines_of(text, width);
            assert_eq!(lines.concat(), text, "width {width}: nothing lost");
            for l in &lines {
                assert!(display_width(l) <= width, "width {width}: `{l}` too wide");
                let first = l.chars().next().unwrap();
                assert!(!NO_LINE_START.contains(first), "width {width}: `{l}`");
                let last = l.chars().last().unwrap();
                assert!(!NO_LINE_END.contains(last), "width {width}: `{l}`");
            }
        }
    }

    #[test]
    fn line_breaks_in_the_text_end_lines() {
        assert_eq!(lines_of("一二\n三四", 10), ["一二", "三四"]);
        assert_eq!(lines_of("", 10), [""]);
    }

    /// WCAG relative luminance of an sRGB colour.
    fn luminance(rgb: [u8; 3]) -> f64 {
        let lin = |c: u8| {
            let c = c as f64 / 255.0;
            if c <= 0.03928 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * lin(rgb[0]) + 0.7152 * lin(rgb[1]) + 0.0722 * lin(rgb[2])
    }

    /// The xterm 256-colour cube value of an index in 16..232.
    fn cube(index: u8) -> [u8; 3] {
        let i = index - 16;
        let level = |v: u8| if v == 0 { 0 } else { 55 + 40 * v };
        [level(i / 36), level((i / 6) % 6), level(i % 6)]
    }

    #[test]
    fn highlight_colours_read_on_light_and_dark_terminals() {
        let colours = CANDIDATE_COLORS
            .iter()
            .copied()
            .chain([(STATUS_COLOR, [0xd7, 0, 0])]);
        for (index, rgb) in colours {
            assert_eq!(cube(index), rgb, "palette index {index}");
            let l = luminance(rgb);
            let on_white = 1.05 / (l + 0.05);
            let on_black = (l + 0.05) / 0.05;
            assert!(
                on_white >= 3.0 && on_black >= 3.0,
                "colour {index}: {on_white:.2} on white, {on_black:.2} on black"
            );
        }
    }

    #[test]
    fn long_header_lines_are_cut_with_an_ellipsis() {
        assert_eq!(fit("短", 10), "短");
        let cut = fit("一二三四五六七八九十", 9);
        assert!(cut.ends_with('…') && display_width(&cut) <= 9, "{cut}");
    }
}
