//! Front matter: the plan's own title, the 印发通知 cover letter around it,
//! and repeated title lines.

use super::markers::{fold_start, parse_marker, MAX_HEADING_LINE_CHARS};
use crate::clean;

/// What comes before the plan proper: the notice wrapper, the title, and
/// repeated title lines.
#[derive(Debug, Default)]
pub(super) struct FrontMatter {
    /// Line index of the plan's title.
    pub(super) title_line: Option<usize>,
    /// Index of the last line of the 印发通知 wrapper.
    pub(super) notice_end_line: Option<usize>,
    /// Repeated title lines to drop.
    pub(super) dropped: Vec<usize>,
}

/// Words that name a plan document.
pub(super) const DOC_WORDS: &[&str] = &[
    "要点", "计划", "总结", "方案", "规划", "报告", "意见", "安排", "纲要", "措施", "讲话",
];
/// How far into the document the title and notice are looked for.
pub(super) const FRONT_LINES: usize = 60;

pub(super) fn compact(s: &str) -> String {
    s.chars().filter(|c| !clean::is_space(*c)).collect()
}

/// 印发《, searched for in the opening lines of every document.
pub(super) static PUBLISHES: std::sync::LazyLock<memchr::memmem::Finder<'static>> =
    std::sync::LazyLock::new(|| memchr::memmem::Finder::new("印发《"));

pub(super) fn find_front_matter(lines: &[clean::Line<'_>]) -> FrontMatter {
    let mut front = FrontMatter::default();
    let content: Vec<(usize, &str)> = lines
        .iter()
        .enumerate()
        .filter(|(_, l)| !l.content.is_empty() && !clean::is_chrome(l.content))
        .take(FRONT_LINES)
        .map(|(i, l)| (i, l.content))
        .collect();
    // A cover letter: 关于印发《X》的通知 … then X again as the plan's title.
    for (pos, &(_, line)) in content.iter().enumerate() {
        let Some(quoted) = PUBLISHES
            .find(line.as_bytes())
            .map(|i| &line[i + "印发《".len()..])
            .and_then(|rest| rest.split_once('》').map(|(q, _)| compact(q)))
        else {
            continue;
        };
        if quoted.is_empty() {
            continue;
        }
        // The title is at most four characters longer than the quote, so
        // longer lines are turned away before any copy is made.
        let longest = quoted.chars().count() + 4;
        if let Some(&(title_idx, _)) = content[pos + 1..].iter().find(|(_, l)| {
            let short = l
                .chars()
                .filter(|c| !clean::is_space(*c))
                .take(longest + 1)
                .count()
                <= longest;
            short && {
                let c = compact(l);
                c == quoted || c.ends_with(&quoted)
            }
        }) {
            front.title_line = Some(title_idx);
            front.notice_end_line = Some(title_idx.saturating_sub(1));
            break;
        }
    }
    if front.title_line.is_none() {
        front.title_line = content
            .iter()
            .take(8)
            .find(|(_, l)| {
                let n = l.chars().count();
                n <= MAX_HEADING_LINE_CHARS
                    && DOC_WORDS.iter().any(|w| l.contains(w))
                    && parse_marker(&fold_start(l), true).is_none()
                    && !l.ends_with(['。', '：', ':', '，', ','])
            })
            .map(|(i, _)| *i);
    }
    if let Some(t) = front.title_line {
        let title = compact(lines[t].content);
        front.dropped = content
            .iter()
            .filter(|(i, l)| {
                *i > t
                    && *i < t + 12
                    && l.chars().filter(|c| !clean::is_space(*c)).eq(title.chars())
            })
            .map(|(i, _)| *i)
            .collect();
    }
    front
}

/// Where a cover letter's quoted title (`印发《X》`) occurs again, bare, in
/// the opening lines: the plan's own title, run into its neighbours when
/// the line breaks were lost (`…委员会2019316X2019年工作的总体要求是…`).
/// That line is cut before and after the title, so that the title and the
/// cover letter are found as in a document that kept its breaks.
pub(super) fn cut_at_quoted_title<'a>(lines: Vec<clean::Line<'a>>) -> Vec<clean::Line<'a>> {
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
        for (from, to) in [(0, p), (p, end), (end, line.content.len())] {
            let piece = line.content[from..to].trim_matches(clean::is_space);
            if piece.is_empty() {
                continue;
            }
            let lead = line.content[from..to].len()
                - line.content[from..to]
                    .trim_start_matches(clean::is_space)
                    .len();
            out.push(clean::Line {
                content: piece,
                start: line.start + from + lead,
                number: line.number,
                cut_before: from > 0,
            });
        }
    }
    out
}

/// Byte ranges in `text` that read as `wanted` when spaces are ignored on
/// both sides (`2020 年全市 卫生健康工作要点` and `2020年全市卫生健康工作要点`).
fn matches_ignoring_spaces<'t>(
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spaces_are_ignored_in_title_matches() {
        let text = "见《2020 年全 要点》通知。2020年全要点2020年是";
        let m: Vec<(usize, usize)> = matches_ignoring_spaces(text, "2020 年全 要点").collect();
        assert_eq!(m.len(), 2, "{m:?}");
        let lines = cut_at_quoted_title(clean::lines(
            "关于印发《2020 年全 要点》的通知。2020 年全要点2020年是",
        ));
        let pieces: Vec<&str> = lines.iter().map(|l| l.content).collect();
        assert_eq!(
            pieces,
            [
                "关于印发《2020 年全 要点》的通知。",
                "2020 年全要点",
                "2020年是"
            ]
        );
    }
}
