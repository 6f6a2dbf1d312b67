//! A cover letter's quoted title (`印发《X》`): the plan it hands out, and
//! where that title occurs again, bare, in the opening lines.

use super::{compact, FRONT_LINES};
use crate::clean;
use crate::segment::title::{self, is_prose};

/// 印发《, searched for in the opening lines of every document.
static PUBLISHES: std::sync::LazyLock<memchr::memmem::Finder<'static>> =
    std::sync::LazyLock::new(|| memchr::memmem::Finder::new("印发《"));
/// 印, where 印发 and 印發 start: one search finds both.
static PRINT: std::sync::LazyLock<memchr::memmem::Finder<'static>> =
    std::sync::LazyLock::new(|| memchr::memmem::Finder::new("印"));

/// The title a cover letter hands out: `印发《X》` (or `印發《X》`) anywhere
/// in the line, or a letter's own title `关于印发X的通知`.
pub(super) fn published_title(line: &str) -> Option<String> {
    let mut publishes = false;
    for at in PRINT.find_iter(line.as_bytes()) {
        let rest = &line[at + "印".len()..];
        let Some(rest) = rest.strip_prefix('发').or_else(|| rest.strip_prefix('發')) else {
            continue;
        };
        publishes = true;
        if let Some(quoted) = rest.strip_prefix('《') {
            if let Some((q, _)) = quoted.split_once('》') {
                return Some(compact(q)).filter(|q| !q.is_empty());
            }
            break;
        }
    }
    if !publishes || line.len() > 300 || is_prose(line) {
        return None;
    }
    title::published(&compact(line)).map(str::to_string)
}

/// Where a cover letter's quoted title (`印发《X》`) occurs again, bare, in
/// the opening lines: the plan's own title, run into its neighbours when
/// the line breaks were lost (`…委员会2019316X2019年工作的总体要求是…`).
/// That line is cut before and after the title, so that the title and the
/// cover letter are found as in a document that kept its breaks.
pub(in crate::segment) fn cut_at_quoted_title<'a>(
    lines: Vec<clean::Line<'a>>,
) -> Vec<clean::Line<'a>> {
    let quoted = lines
        .iter()
        .take(FRONT_LINES)
        .find_map(|l| {
            let at = PUBLISHES.find(l.content.as_bytes())?;
            let rest = &l.content[at + "印发《".len()..];
            rest.split_once('》').map(|(q, _)| q)
        })
        .filter(|q| q.chars().count() >= 4);
    let Some(quoted) = quoted else {
        return lines;
    };
    let mut out = Vec::with_capacity(lines.len() + 2);
    let mut done = false;
    for (n, line) in lines.into_iter().enumerate() {
        let found = (!done && n < FRONT_LINES && line.content.len() > quoted.len())
            .then(|| {
                matches_ignoring_spaces(line.content, quoted).find(|&(p, end)| {
                    let before = line.content[..p].chars().next_back();
                    let after = line.content[end..].chars().next();
                    before != Some('《') && after != Some('》') && end < line.content.len()
                })
            })
            .flatten();
        let Some((p, end)) = found else {
            out.push(line);
            continue;
        };
        done = true;
        out.extend(
            [(0, p), (p, end), (end, line.content.len())]
                .into_iter()
                .filter_map(|(from, to)| line.piece(from, to)),
        );
    }
    out
}

/// Byte ranges in `text` that read as `wanted` when spaces are ignored on
/// both sides (`2020 年全市 卫生健康工作要点` and `2020年全市卫生健康工作要点`).
pub(super) fn matches_ignoring_spaces<'t>(
    text: &'t str,
    wanted: &'t str,
) -> impl Iterator<Item = (usize, usize)> + 't {
    let first = wanted.chars().find(|c| !clean::is_space(*c));
    text.char_indices()
        .filter(move |(_, c)| Some(*c) == first)
        .filter_map(move |(start, _)| {
            let mut want = wanted.chars().filter(|c| !clean::is_space(*c)).peekable();
            let mut end = start;
            for (i, c) in text[start..].char_indices() {
                if want.peek().is_none() {
                    break;
                }
                if clean::is_space(c) {
                    continue;
                }
                if want.next() != Some(c) {
                    return None;
                }
                end = start + i + c.len_utf8();
            }
            want.peek().is_none().then_some((start, end))
        })
}
