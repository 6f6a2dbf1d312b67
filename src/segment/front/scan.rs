//! The opening lines read for title lines, up to the plan's text: past
//! furniture, labels, sharing-site boilerplate, a table of contents and a
//! cover letter's sentences; a title written over two or three lines.

use super::{FRONT_LINES, MAX_OTHER_LINES, MAX_TITLE_PART_CHARS};
use crate::clean;
use crate::segment::markers::marker_at_start;
use crate::segment::title::{
    self, is_boilerplate, is_date_line, is_label_line, is_notice_sentence, is_prose, title_of,
};

/// Words set apart by spaces, as in a site's menu: `首页 语言 会计`.
fn spaced_words(line: &str) -> bool {
    let chars: Vec<char> = line.chars().collect();
    chars
        .windows(3)
        .any(|w| clean::is_space(w[1]) && clean::is_wide(w[0]) && clean::is_wide(w[2]))
}

/// Whether two lines have four characters in a row in common.
fn shares_words(a: &str, b: &str) -> bool {
    let a: Vec<char> = a.chars().collect();
    a.windows(4)
        .any(|w| b.contains(&w.iter().collect::<String>()))
}

/// Words listed with commas, no sentence end, not ending with a comma as a
/// line broken inside a sentence does.
fn is_word_list(line: &str) -> bool {
    line.chars().nth(100).is_none()
        && !line.contains(['。', '；', ';', '！', '？', '：', ':', '“', '”'])
        && !line.ends_with(['，', ',', '、'])
}

/// A count with its unit: `7 页`, `15.34KB`, `999+`.
fn is_count_line(line: &str) -> bool {
    line.starts_with(|c: char| c.is_ascii_digit())
        && line.chars().nth(12).is_none()
        && line
            .chars()
            .filter(|c| !c.is_ascii() && !clean::is_space(*c))
            .count()
            <= 1
}

pub(super) fn is_marker_line(line: &str) -> bool {
    marker_at_start(line).is_some()
}

/// A title line found in the opening lines.
#[derive(Debug)]
pub(super) struct Candidate {
    /// Indices of its first and last line.
    pub(super) first: usize,
    pub(super) last: usize,
    /// The title, cleaned.
    pub(super) text: String,
}

/// The opening lines read for the title: the candidates found before the
/// plan's text starts, and the line where it starts.
#[derive(Debug, Default)]
pub(super) struct Scan {
    pub(super) candidates: Vec<Candidate>,
    pub(super) body: Option<usize>,
    /// Lines passed over as neither title, furniture nor text: a headline,
    /// a site's name.
    pub(super) passed: Vec<usize>,
}

/// A title written over two or three lines, starting at `content[pos]`
/// (`is_title`: whether that line is a title by itself): the position of
/// its last line and the title. A line joins the next when a bracket is
/// left open (`…行动计划(` / `2018-2020` / `年)`), when the next is a
/// bracketed tail (`(2021—2030年)`), or when it is a title's first half,
/// long enough not to be a site's name, that the next completes.
pub(super) fn joined_title(
    lines: &[clean::Line<'_>],
    content: &[(usize, &str)],
    pos: usize,
    is_title: bool,
) -> Option<(usize, String)> {
    let first = content[pos].1;
    let part = |l: &str| {
        l.chars().nth(MAX_TITLE_PART_CHARS).is_none()
            && !is_prose(l)
            && !l.ends_with([':', '：'])
            && !is_label_line(l)
            && !is_boilerplate(l)
            && !is_marker_line(l)
    };
    let next = content.get(pos + 1)?.1;
    let open = |s: &str| {
        s.matches(['(', '（']).count() > s.matches([')', '）']).count()
            || s.matches('《').count() > s.matches('》').count()
    };
    let tail = |l: &str| l.starts_with(['(', '（']);
    // A first half: words, a year, a bracket (not a date, a size, a site's
    // name), that the next line completes.
    let first_half = || {
        !is_title
            && (first.chars().nth(9).is_some() || first.contains("关于") || first.contains("關於"))
            && !first.ends_with(['网', '站'])
            && !first.ends_with("文件")
            && first.chars().all(|c| {
                !c.is_ascii() || c.is_ascii_alphanumeric() || matches!(c, '(' | ')' | '*' | ' ')
            })
            && !first
                .split(|c: char| !c.is_ascii_digit())
                .any(|run| run.len() > 4)
            && !spaced_words(first)
            && !title::has_junk_word(first)
            && !is_date_line(first)
    };
    // A line that is a title by itself completes a first half that cannot
    // end a title (`…关于促进和规范` / `…的指导意见`), or one that does not
    // read as a title of its own: a second title names its subject again or
    // opens with its year (`某中心纪实` / `2024某中心总结`).
    let completes = || {
        let unfinished = ["关于", "關於", "關于", "关於"]
            .iter()
            .any(|w| first.contains(w))
            || first.ends_with(['的', '和', '与', '與', '及', '暨', '、']);
        unfinished
            || title_of(next).is_none()
            || !(next.starts_with(|c: char| c.is_ascii_digit()) || shares_words(first, next))
    };
    if !(open(first) || tail(next) || first_half() && completes()) || !part(first) {
        return None;
    }
    let mut joined = first.to_string();
    for (next_pos, &(idx, next)) in content.iter().enumerate().take(pos + 3).skip(pos + 1) {
        if next_pos > pos + 1 && !open(&joined) && !tail(next) {
            return None;
        }
        // The parts of a title follow each other: furniture between two
        // lines (a date, an author, a source) parts a headline from a title.
        let before = content[next_pos - 1].0;
        if lines[before + 1..idx].iter().any(|l| !l.content.is_empty()) {
            return None;
        }
        if !part(next) && !tail(next) {
            return None;
        }
        joined.push_str(next);
        if open(&joined) {
            continue;
        }
        return title_of(&joined).map(|t| (next_pos, t));
    }
    None
}

/// Reads the opening lines for title lines, up to the plan's text: past
/// furniture, labels, sharing-site boilerplate, a table of contents and a
/// cover letter's sentences (up to its date).
/// `furniture` flags the lines that are furniture.
pub(super) fn scan(lines: &[clean::Line<'_>], furniture: &[bool]) -> Scan {
    let mut source = lines
        .iter()
        .enumerate()
        .filter(|&(i, l)| !l.content.is_empty() && !furniture[i])
        .take(FRONT_LINES)
        .map(|(i, l)| (i, l.content));
    let mut content: Vec<(usize, &str)> = Vec::with_capacity(16);
    let mut out = Scan::default();
    let mut others = 0;
    let mut in_notice = false;
    let mut pos = 0;
    loop {
        // The line and the two after it, for a title over three lines.
        while content.len() < pos + 3 {
            let Some(next) = source.next() else {
                break;
            };
            content.push(next);
        }
        let Some(&(idx, line)) = content.get(pos) else {
            break;
        };
        pos += 1;
        let title = title_of(line);
        if let Some((last, text)) = joined_title(lines, &content, pos - 1, title.is_some()) {
            out.candidates.push(Candidate {
                first: idx,
                last: content[last].0,
                text,
            });
            in_notice = false;
            pos = last + 1;
            continue;
        }
        if let Some(text) = title {
            out.candidates.push(Candidate {
                first: idx,
                last: idx,
                text,
            });
            in_notice = false;
            continue;
        }
        if is_count_line(line) || is_boilerplate(line) && line.chars().nth(100).is_none() {
            continue;
        }
        if is_marker_line(line) {
            // A table of contents before the title: short headings.
            if out.candidates.is_empty() && !line.contains('。') && line.chars().nth(40).is_none()
            {
                continue;
            }
            out.body = Some(idx);
            break;
        }
        if is_label_line(line) {
            continue;
        }
        if is_notice_sentence(line) {
            in_notice = true;
            continue;
        }
        if is_date_line(line) {
            in_notice = false;
            continue;
        }
        // An addressee (`各有关单位：`) or a label.
        if line.ends_with([':', '：'])
            && !line.contains('。')
            && (line.starts_with('各') || line.chars().nth(20).is_none())
        {
            continue;
        }
        // Words listed with commas and no sentence end, as spam and menus
        // are, do not start the text.
        if is_prose(line) && !is_word_list(line) {
            if in_notice {
                continue;
            }
            out.body = Some(idx);
            break;
        }
        out.passed.push(idx);
        others += 1;
        if others > MAX_OTHER_LINES {
            break;
        }
    }
    out
}
