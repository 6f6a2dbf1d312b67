//! The plan's own title as a line shows it: a short line that ends with a
//! word naming a plan document (`…工作要点`, `…實施方案`) once the junk that
//! sharing sites and file names add around it is stripped (`.docx`, `_第1页`,
//! `(通用6篇)`, `范文`, `篇1`, a `《…》` wrapper, a leading or trailing 文号).
//! A title run into its text on one line is cut off in [`run_on`]; the
//! junk around titles and the kinds of front-matter lines that are neither
//! title nor text (labels, sharing-site boilerplate, the sentences of a
//! cover letter, its date) are in [`junk`].

use super::markers::{fold_start, parse_marker};
use crate::clean;

mod junk;
mod run_on;

use junk::*;
pub(super) use junk::{
    has_junk_word, is_boilerplate, is_date_line, is_label_line, is_notice_sentence, is_prose,
    published,
};
pub(super) use run_on::run_on_title;

/// Words that end a plan document's title, simplified and traditional.
pub(super) const DOC_WORDS: &[&str] = &[
    "要点",
    "要點",
    "计划",
    "計劃",
    "计画",
    "計畫",
    "总结",
    "總結",
    "方案",
    "规划",
    "規劃",
    "报告",
    "報告",
    "意见",
    "意見",
    "安排",
    "纲要",
    "綱要",
    "措施",
    "讲话",
    "講話",
    "预案",
    "預案",
    "通报",
    "通報",
    "汇报",
    "匯報",
    "彙報",
    "思路",
    "发言",
    "發言",
    "计划书",
    "計劃書",
    "材料",
    "通知",
    "策划",
    "策劃",
];

/// Whether a character ends one of the [`DOC_WORDS`] (a test keeps them in
/// step): most characters do not, and are passed over without a search.
fn may_end_doc_word(c: char) -> bool {
    matches!(
        c,
        '点' | '點'
            | '划'
            | '劃'
            | '画'
            | '畫'
            | '结'
            | '結'
            | '案'
            | '告'
            | '见'
            | '見'
            | '排'
            | '要'
            | '施'
            | '话'
            | '話'
            | '报'
            | '報'
            | '路'
            | '言'
            | '书'
            | '書'
            | '料'
            | '知'
    )
}

/// Whether a text ends with one of the [`DOC_WORDS`].
fn ends_with_doc_word(s: &str) -> bool {
    s.chars().next_back().is_some_and(may_end_doc_word) && DOC_WORDS.iter().any(|w| s.ends_with(w))
}

/// Words looked for anywhere in a line, found by their first character.
struct WordSet(rustc_hash::FxHashMap<char, Vec<&'static str>>);

impl WordSet {
    fn new(words: &[&'static str]) -> Self {
        let mut map: rustc_hash::FxHashMap<char, Vec<&'static str>> = Default::default();
        for w in words {
            if let Some(c) = w.chars().next() {
                map.entry(c).or_default().push(w);
            }
        }
        WordSet(map)
    }

    fn found_in(&self, s: &str) -> bool {
        s.char_indices().any(|(i, c)| {
            self.0
                .get(&c)
                .is_some_and(|ws| ws.iter().any(|w| s[i..].starts_with(w)))
        })
    }
}
/// Words after a document word that belong to the title but do not end it:
/// `…实施方案征求意见稿`, `…工作计划汇总`.
const KEPT_TAILS: &[&str] = &[
    "征求意见稿",
    "徵求意見稿",
    "试行",
    "試行",
    "草案",
    "送审稿",
    "讨论稿",
    "修订稿",
    "初稿",
    "汇总",
    "彙總",
];

/// Longest title, in characters, once cleaned.
const MAX_TITLE_CHARS: usize = 80;

/// Whether a text ends with a document word, allowing a bracketed tail
/// (`(2016—2030年)`, `(征求意见稿)`) and the words of [`KEPT_TAILS`].
pub(super) fn has_doc_ending(s: &str) -> bool {
    let mut t = s.trim_end_matches(clean::is_space);
    for _ in 0..4 {
        if ends_with_doc_word(t) {
            return true;
        }
        if let Some((before, inner)) = trailing_group(t) {
            if inner.chars().count() <= 20 {
                t = before.trim_end_matches(clean::is_space);
                continue;
            }
        }
        match KEPT_TAILS.iter().find_map(|w| t.strip_suffix(w)) {
            Some(rest) => t = rest.trim_end_matches(clean::is_space),
            None => return false,
        }
    }
    false
}

/// A title written twice on one line, `XX方案XX方案` or `2020年XX方案XX方案`:
/// the first.
fn undouble(s: &str) -> &str {
    for (i, _) in s.char_indices().skip(4) {
        let (a, b) = s.split_at(i);
        if b.chars().count() >= 4
            && ends_with_doc_word(a)
            && a.ends_with(b.trim_start_matches(clean::is_space))
        {
            return a;
        }
    }
    s
}

/// The cleaned title a line holds, if it holds one.
pub(super) fn title_of(line: &str) -> Option<String> {
    // Cleaning folds digits and letters and drops spaces only, so the
    // cheap tests run on the line as it is, before any copy.
    let line = line.trim_matches(clean::is_space);
    if line.len() > 4 * 2 * MAX_TITLE_CHARS
        || line.chars().nth(2 * MAX_TITLE_CHARS).is_some()
        || !line.chars().any(may_end_doc_word)
        || line.contains([
            '。', '；', ';', '，', ',', '！', '？', '!', '?', '>', '›', '»', '|', '<',
        ])
        || line.starts_with(['[', '—', '-'])
        || ["附件", "上一篇", "下一篇", "相关", "相關"]
            .iter()
            .any(|w| line.starts_with(w))
        || ["现将", "現將"].iter().any(|w| line.contains(w))
        || BOILERPLATE_SET.found_in(line)
    {
        return None;
    }
    let mut text = String::with_capacity(line.len());
    clean::clean_line(line, &mut text);
    let text = crate::simplify::strip_pinyin(&text);
    let s: &str = &text;
    let mut s = strip_junk_head(s);
    if s.contains([':', '：']) {
        return None;
    }
    for _ in 0..3 {
        let before = s.len();
        s = strip_junk_head(s);
        if let Some(inner) = s.strip_prefix('《') {
            s = match inner.strip_suffix('》') {
                Some(inner) if !inner.contains('《') => inner,
                _ if !inner.contains('》') => inner,
                _ => s,
            };
        }
        s = strip_doc_number_tail(strip_junk_tail(s));
        if s.len() == before {
            break;
        }
    }
    // The first `_` ends a file name's title: `X方案_第1页`, `X计划范本_卫生工作计划_`.
    if let Some(at) = s.find('_') {
        let head = strip_junk_tail(&s[..at]);
        if has_doc_ending(head) {
            s = head;
        }
    }
    if let Some(x) = published(s) {
        s = x;
    }
    if parse_marker(&fold_start(s), true).is_some() || !has_doc_ending(s) {
        return None;
    }
    // A speech's subtitle: `主标题 ——在…会议上的讲话`.
    for dash in ["——在", "—在", "--在"] {
        if let Some(at) = s.find(dash) {
            let main = s[..at].trim_end_matches(clean::is_space);
            if main.chars().count() >= 4 {
                s = main;
            }
            break;
        }
    }
    let s = undouble(s).trim_matches(clean::is_space);
    // Words, not a date with a document word (`2030/01/02总结`) nor the
    // second half of a title broken after its year (`年卫生工作要点`).
    let words = s
        .chars()
        .filter(|c| ('\u{4e00}'..='\u{9fff}').contains(c) && !matches!(c, '年' | '月' | '日'))
        .count();
    let n = s.chars().count();
    (words >= 4 && n <= MAX_TITLE_CHARS && !s.starts_with(['年', '月', '日']))
        .then(|| s.to_string())
}

#[cfg(test)]
mod tests;
