//! What may stand around an outline marker found inside a line: the
//! boundary before it (a sentence end, a space, running text), a short
//! heading or label it runs on after, a title it follows, a heading run
//! into its body after it.

use super::super::markers::{fold_start, parse_marker, Style};
use super::numbering::key_value;
use crate::clean;

/// Longest heading (in characters) after which a marker may follow with no
/// punctuation between: `三、活动内容(一)做好…`.
pub(super) const RUN_ON_HEADING_CHARS: usize = 24;

/// What stands before a position in a line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Boundary {
    /// A sentence or clause end: 。；：！？ (maybe closed by a quote).
    Sentence,
    /// One or more spaces.
    Space,
    /// Running text.
    None,
}

pub(super) fn boundary_before(before: &str) -> Boundary {
    // A bullet before a marker (`…。- 3.`) is not text.
    let trimmed = trim_bullets(before);
    let spaced = trimmed.len() < before.len();
    let mut rev = trimmed.chars().rev();
    let ends_sentence = |c: Option<char>| {
        matches!(
            c,
            Some('。' | '；' | ';' | '：' | ':' | '！' | '？' | '!' | '?')
        )
    };
    match rev.next() {
        c if ends_sentence(c) => Boundary::Sentence,
        // `提供了保障.二是`: an ASCII full stop after Chinese text.
        Some('.') if rev.next().is_some_and(clean::is_wide) => Boundary::Sentence,
        Some('”' | '"' | '’' | '」' | '）' | ')') if ends_sentence(rev.next()) => {
            Boundary::Sentence
        }
        _ if spaced => Boundary::Space,
        _ => Boundary::None,
    }
}

/// Text without the spaces and list bullets at its end.
pub(super) fn trim_bullets(s: &str) -> &str {
    s.trim_end_matches(|c: char| {
        clean::is_space(c) || matches!(c, '-' | '•' | '·' | '●' | '■' | '◆' | '▪')
    })
}

/// A short heading with no punctuation: `活动内容`.
pub(super) fn is_run_on_heading(s: &str) -> bool {
    let s = s.trim_matches(clean::is_space);
    if s.is_empty() || s.contains(['。', '；', ';', '：', ':', '！', '？', '、', '“', '”'])
    {
        return false;
    }
    // One clause, or two parallel ones: `筑牢医疗服务根基,提升服务保障能力`.
    let clauses: Vec<&str> = s.split(['，', ',']).collect();
    let short = |c: &str, max: usize| !c.is_empty() && c.chars().take(max + 1).count() <= max;
    match clauses.as_slice() {
        [one] => short(one, RUN_ON_HEADING_CHARS),
        [a, b] => {
            short(a, RUN_ON_CLAUSE_CHARS)
                && short(b, RUN_ON_CLAUSE_CHARS)
                && s.chars().count() <= RUN_ON_HEADING_CHARS + 6
        }
        _ => false,
    }
}

/// Byte lengths past which no run-on heading or title is looked for (a
/// character is at most four bytes).
pub(super) const HEADING_REACH_BYTES: usize = (RUN_ON_HEADING_CHARS + 6) * 4;
pub(super) const TITLE_REACH_BYTES: usize = 40 * 4;

/// A cheap look at the characters after a possible marker start, so that
/// the numerals of running text (`进一步`, `统一`, `2020年`) are passed
/// over without folding and parsing: a Chinese numeral must be followed by
/// 、．是 or a space, digits by a separator, a parenthesis, a space or a
/// Chinese character.
pub(super) fn may_be_marker_at(rest: &str) -> bool {
    let mut chars = rest.chars();
    let Some(first) = chars.next().map(clean::fold_width) else {
        return false;
    };
    if clean::is_cn_numeral(first) {
        let after = chars.find(|c| !clean::is_cn_numeral(*c));
        return after.is_some_and(|c| matches!(c, '、' | '．' | '是') || clean::is_space(c));
    }
    if first.is_ascii_digit() {
        let after = chars.map(clean::fold_width).find(|c| !c.is_ascii_digit());
        return after.is_some_and(|c| {
            matches!(c, '.' | '、' | '．' | ')' | '）' | ',' | '，')
                || clean::is_space(c)
                || ('\u{4e00}'..='\u{9fff}').contains(&c)
        });
    }
    true
}

/// Longest clause of a two-clause run-on heading, in characters.
pub(super) const RUN_ON_CLAUSE_CHARS: usize = 16;

/// Longest label that `一是` may follow directly: `主要措施一是…`.
pub(super) const LABEL_CHARS: usize = 8;

/// A short label since the last sentence end: `…格局。主要措施`.
pub(super) fn is_label(before: &str) -> bool {
    let since = before
        .rfind(['。', '；', ';', '！', '？', '：', ':'])
        .map_or(before, |p| {
            let c = before[p..].chars().next().map_or(1, char::len_utf8);
            &before[p + c..]
        });
    let since = since.trim_matches(clean::is_space);
    !since.is_empty()
        && since.chars().take(LABEL_CHARS + 1).count() <= LABEL_CHARS
        && !since.contains(['，', ',', '、', '“', '”', '(', '（'])
}

/// Whether `二是` follows later in the text after a sentence end, so that
/// an `一是` opens a list.
pub(super) fn second_follows(rest: &str) -> bool {
    ["。二是", "；二是", ";二是", ".二是", "！二是"]
        .iter()
        .any(|p| rest.contains(p))
}

/// Words that end a plan's title (`…工作计划`, `…实施方案`).
pub(super) const TITLE_ENDS: &[&str] = &[
    "要点", "计划", "总结", "方案", "规划", "报告", "意见", "安排", "纲要", "措施", "预案", "讲话",
];

/// The text a title run into the plan would be, before a marker: from the
/// last sentence end or closing bracket (or the start of `before`), at
/// most [`TITLE_REACH_BYTES`] back; empty when there is more than that.
pub(super) fn title_before(before: &str) -> &str {
    let mut from = before.len().saturating_sub(TITLE_REACH_BYTES);
    while !before.is_char_boundary(from) {
        from += 1;
    }
    let window = &before[from..];
    match window.rfind(['。', '；', ';', '：', ':', '！', '？', ')', '）', '】']) {
        Some(end) => {
            let end = end + window[end..].chars().next().map_or(0, char::len_utf8);
            &window[end..]
        }
        None if from == 0 => window,
        None => "",
    }
}

/// A title running straight into the plan: short, no punctuation, ending in
/// a word that names a plan document.
pub(super) fn is_run_on_title(s: &str) -> bool {
    let s = s.trim_matches(clean::is_space);
    s.chars().take(41).count() <= 40
        && !s.contains(['。', '，', ',', '；', ';', '！', '？'])
        && TITLE_ENDS.iter().any(|w| s.ends_with(w))
}

/// Whether the text after a marker opens with a short heading closed by
/// 。 or ： as items do (`强化药具发放管理:将…`).
pub(super) fn run_in_heading_follows(after: &str) -> bool {
    let reach = after
        .char_indices()
        .nth(RUN_ON_HEADING_CHARS + 1)
        .map_or(after.len(), |(i, _)| i);
    let after = &after[..reach];
    after.find(['。', '：', ':']).is_some_and(|e| {
        let heading = &after[..e];
        let n = heading.chars().count();
        (2..=RUN_ON_HEADING_CHARS).contains(&n) && !heading.contains(['，', ',', '；', ';', '、'])
    })
}

/// How far after a first item in running text its second is looked for.
const SECOND_ITEM_REACH_BYTES: usize = 4000;

/// Whether a list's second item follows a first item found in running text,
/// so that the first is an outline item after all: a title or a site's
/// text run into a plan that lost its line breaks (`…工作方案一、背景与目标
/// 二、工作原则…`, `…工作思路1.全面落实…。2.全面加强…`). The first marker
/// of the same style after it (`after` starts after the first marker)
/// must be numbered 2 and stand after a sentence end or after a short
/// heading run on from the first.
pub(super) fn second_item_follows(after: &str, style: Style) -> bool {
    let mut reach = after.len().min(SECOND_ITEM_REACH_BYTES);
    while !after.is_char_boundary(reach) {
        reach -= 1;
    }
    let text = &after[..reach];
    for (j, c) in text.char_indices() {
        if !matches!(clean::fold_width(c), '二' | '2' | '(') {
            continue;
        }
        let folded = fold_start(&text[j..]);
        let Some(m) = parse_marker(&folded, true) else {
            continue;
        };
        if m.style != style || m.bare {
            continue;
        }
        let before = &text[..j];
        // A heading between the two holds no bracket or digit: `(附件1)及
        // …(附件2)` is running text.
        let heading = || {
            is_run_on_heading(before)
                && !before.contains(['(', '（', ')', '）'])
                && !before.contains(|c: char| c.is_ascii_digit())
        };
        return key_value(&m.key) == Some(2)
            && (boundary_before(before) == Boundary::Sentence || heading());
    }
    false
}
