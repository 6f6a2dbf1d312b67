//! Inserts of document-sharing sites run into a line (`本文来源:某网`,
//! `精选优质文档-倾情为你奉上`), and where a cleaned prefix of a line ends
//! in its raw text.

use crate::clean;

/// Longest `本文来源:…` insert taken out of a line, in characters.
pub(super) const MAX_SOURCE_INSERT_CHARS: usize = 30;

/// Where an insert of a document-sharing site at the start of `s` ends:
/// `本文来源:某网` up to the next comma, sentence end or space (or the end
/// of the line), or `精选优质文档-倾情为你奉上`; None when `s` does not
/// start with one, or runs on too long to be one.
pub(super) fn insert_end(s: &str) -> Option<usize> {
    if let Some(rest) = s.strip_prefix("精选优质文档") {
        let rest =
            rest.trim_start_matches(|c: char| matches!(c, '-' | '—' | '－') || clean::is_space(c));
        return rest.strip_prefix("倾情为你奉上").map(|r| s.len() - r.len());
    }
    let rest = s.strip_prefix("本文来源")?.strip_prefix([':', '：'])?;
    let start = s.len() - rest.len();
    let end = rest
        .char_indices()
        .take(MAX_SOURCE_INSERT_CHARS + 1)
        .find(|&(_, c)| matches!(c, ',' | '，' | '。' | ';' | '；') || clean::is_space(c))
        .map(|(i, _)| i);
    match end {
        Some(e) => Some(start + e),
        None if rest.chars().count() <= MAX_SOURCE_INSERT_CHARS => Some(s.len()),
        None => None,
    }
}

/// Where in `raw` a cleaned prefix of it ends: cleaning folds characters one
/// for one and drops spaces, so the prefix ends after as many non-space
/// characters (and the spaces that follow them).
pub(super) fn raw_end(raw: &str, cleaned: &str) -> usize {
    let wanted = cleaned.chars().filter(|c| !clean::is_space(*c)).count();
    let mut seen = 0;
    for (i, c) in raw.char_indices() {
        if seen == wanted && !clean::is_space(c) {
            return i;
        }
        if !clean::is_space(c) {
            seen += 1;
        }
    }
    raw.len()
}
