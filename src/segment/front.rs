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
