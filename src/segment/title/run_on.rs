//! A plan's title run into the first line of its text, with no break
//! between them (`…工作总结各位领导、同志们：…`, `精选优质文档-倾情为你奉上X计划
//! 随着…`): where the title ends and the text starts.

use super::junk::{is_doc_number_end, is_junk_inside, JUNK_WORDS};
use super::{ends_with_doc_word, may_end_doc_word};
use crate::clean;

/// Longest title running into the text on its line, in characters.
const MAX_RUN_ON_TITLE_CHARS: usize = 60;

/// Words that open a plan's text right after its title on the same line.
const OPENERS: &[&str] = &[
    "为",
    "為",
    "根据",
    "根據",
    "按照",
    "依据",
    "依據",
    "今年",
    "去年",
    "本年",
    "一年来",
    "一年來",
    "近年来",
    "近年來",
    "随着",
    "隨著",
    "各位",
    "同志们",
    "同志們",
    "尊敬的",
    "当前",
    "當前",
    "目前",
    "二〇",
    "二○",
    "二0",
    "二零",
];
/// A title running into the text on one line: byte ranges of the title
/// (junk after it included) and of the text after it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(in crate::segment) struct RunOn {
    pub(in crate::segment) title: (usize, usize),
    /// Where the title's words end, before the junk after them (`.doc`,
    /// `范文篇一`).
    pub(in crate::segment) words_end: usize,
    pub(in crate::segment) rest: usize,
}

/// Where a sharing site's or a letterhead's lead-in ends: `精选优质文档-倾情
/// 为你奉上`, `XX网:`, `XX文件 X发【2011】10号`, stray quotes.
fn lead_in_end(line: &str) -> usize {
    let mut start = 0;
    let head = &line[..line.char_indices().nth(40).map_or(line.len(), |(i, _)| i)];
    if let Some(at) = head.find("倾情为你奉上") {
        start = at + "倾情为你奉上".len();
    }
    if let Some(at) = head
        .char_indices()
        .take(20)
        .find(|&(i, c)| matches!(c, ':' | '：') && head[..i].ends_with('网'))
        .map(|(i, c)| i + c.len_utf8())
    {
        start = start.max(at);
    }
    if let Some(end) = head
        .char_indices()
        .map(|(i, c)| i + c.len_utf8())
        .rfind(|&end| end > start && is_doc_number_end(head, end))
    {
        start = end;
    }
    start + line[start..].len()
        - line[start..]
            .trim_start_matches(|c: char| {
                clean::is_space(c) || (c.is_ascii_punctuation() && c != '*')
            })
            .len()
}

/// An opener of the plan's text at the start of `s`: an [`OPENERS`] word,
/// a year (`2023年`, `20**年`), an addressee (`各科室:`), which the text
/// keeps (length zero), or a colon, which it drops (its length).
fn opener_len(s: &str) -> Option<usize> {
    if let Some(c) = s.chars().next().filter(|c| matches!(c, ':' | '：')) {
        return Some(c.len_utf8());
    }
    if OPENERS.iter().any(|w| s.starts_with(w)) {
        return Some(0);
    }
    // A year: `2023年`, `20**年`, `xx年`.
    let compact: Vec<char> = s.chars().filter(|c| !clean::is_space(*c)).take(6).collect();
    let placeholder = |c: char| matches!(c, 'x' | 'X' | '*' | '＊' | '×' | '_');
    let lead = match compact.as_slice() {
        ['2', '0', ..] => 2,
        [a, b, ..] if placeholder(*a) && placeholder(*b) => 2,
        _ => 0,
    };
    if lead > 0 {
        let more = compact[lead..]
            .iter()
            .take_while(|c| c.is_ascii_digit() || placeholder(**c))
            .count();
        if more <= 2 && compact.get(lead + more) == Some(&'年') {
            return Some(0);
        }
    }
    // An addressee: 各 and a few characters, then a colon.
    if s.starts_with('各') {
        let head: String = s.chars().take(16).collect();
        if let Some(at) = head.find([':', '：']) {
            if !head[..at].contains(['。', '，', ',']) {
                return Some(0);
            }
        }
    }
    None
}

/// Skips junk between a title and the text: spaces, `.doc`, `范文`, `篇一`.
fn skip_junk_forward(s: &str) -> (usize, bool) {
    let mut at = 0;
    let mut file = false;
    for _ in 0..4 {
        let t = &s[at..];
        let spaces = t.len() - t.trim_start_matches(clean::is_space).len();
        at += spaces;
        let t = &s[at..];
        if let Some(ext) = [".docx", ".doc", ".pdf"].into_iter().find(|e| {
            t.len() >= e.len()
                && t.is_char_boundary(e.len())
                && t[..e.len()].eq_ignore_ascii_case(e)
        }) {
            at += ext.len();
            file = true;
            continue;
        }
        if let Some(w) = JUNK_WORDS.iter().find(|w| t.starts_with(*w)) {
            at += w.len();
            continue;
        }
        if let Some(r) = t.strip_prefix(['(', '（', '【']) {
            if let Some(close) = r.find([')', '）', '】']) {
                if is_junk_inside(&r[..close]) {
                    let close_len = r[close..].chars().next().map_or(1, char::len_utf8);
                    at += t.len() - r.len() + close + close_len;
                    continue;
                }
            }
        }
        if let Some(r) = t.strip_prefix('篇') {
            // `篇一` or `篇1`, not the year that may follow: `篇一2023年`.
            let n = r.trim_start_matches(clean::is_cn_numeral);
            let n = if n.len() < r.len() {
                n
            } else {
                let digits = r.bytes().take_while(u8::is_ascii_digit).count().min(2);
                &r[digits..]
            };
            if n.len() < r.len() {
                at += t.len() - n.len();
                continue;
            }
        }
        if spaces == 0 {
            break;
        }
    }
    (at, file)
}

/// A title at the start of a line of text, ending with a document word
/// within [`MAX_RUN_ON_TITLE_CHARS`] characters and followed by an opener
/// of the text or a file extension: `XX工作总结范文篇一20**年，…`.
pub(in crate::segment) fn run_on_title(line: &str) -> Option<RunOn> {
    let start = lead_in_end(line);
    let text = &line[start..];
    if OPENERS.iter().any(|w| text.starts_with(w)) {
        return None;
    }
    // The last document word before any punctuation that an opener follows:
    // `X总结及Y计划2023年，…` is cut after 计划.
    let mut found = None;
    let mut repeated: Option<(RunOn, String)> = None;
    for (i, c) in text.char_indices().take(MAX_RUN_ON_TITLE_CHARS) {
        if matches!(
            c,
            '。' | '，' | ',' | '；' | ';' | '：' | ':' | '！' | '？' | '!' | '?' | '《' | '》'
        ) {
            break;
        }
        let end = i + c.len_utf8();
        // Four characters at least.
        if end < 4 * 3 || !may_end_doc_word(c) || !ends_with_doc_word(&text[..end]) {
            continue;
        }
        let mut title_end = end;
        // A bracketed tail that belongs to the title: `(2024—2030年)`.
        if let Some(r) = text[end..].strip_prefix(['(', '（']) {
            if let Some(close) = r.find([')', '）']) {
                if r[..close].chars().count() <= 16 && !is_junk_inside(&r[..close]) {
                    let close_len = r[close..].chars().next().map_or(1, char::len_utf8);
                    title_end = text.len() - r.len() + close + close_len;
                }
            }
        }
        let (junk, file) = skip_junk_forward(&text[title_end..]);
        let after = &text[title_end + junk..];
        // A title a site prints again just after (`X计划X计划…`, `X要点VIP
        // 专免…X要点…`) is a title, whatever follows it: the longest that
        // recurs, short of one that holds a shorter one twice (`X计划X计划`).
        if let Some(title) = recurring(&text[..title_end], after) {
            if repeated
                .as_ref()
                .is_some_and(|(_, shorter)| title.matches(shorter.as_str()).count() > 1)
            {
                break;
            }
            // The copies right after it are the title again, not text.
            let mut rest = title_end + junk;
            while let Some(len) = starts_with_spaced(&text[rest..], &title) {
                rest += len;
                rest += text[rest..].len() - text[rest..].trim_start_matches(clean::is_space).len();
            }
            repeated = Some((
                RunOn {
                    title: (start, start + title_end + junk),
                    words_end: start + title_end,
                    rest: start + rest,
                },
                title,
            ));
            continue;
        }
        let Some(opener) = opener_len(after).or(file.then_some(0)) else {
            continue;
        };
        let rest = title_end + junk + opener;
        let rest =
            rest + (text[rest..].len() - text[rest..].trim_start_matches(clean::is_space).len());
        found = Some(RunOn {
            title: (start, start + title_end + junk),
            words_end: start + title_end,
            rest: start + rest,
        });
    }
    repeated.map(|(run_on, _)| run_on).or(found)
}

/// How far after a title its repetition is looked for.
const REPEAT_REACH_BYTES: usize = 300;

/// `title` without its spaces when it (spaces aside, six characters at
/// least) occurs again in the start of `after`.
fn recurring(title: &str, after: &str) -> Option<String> {
    let compact = |s: &str| -> String { s.chars().filter(|c| !clean::is_space(*c)).collect() };
    let title = compact(title);
    if title.chars().count() < 6 {
        return None;
    }
    let mut reach = after.len().min(REPEAT_REACH_BYTES);
    while !after.is_char_boundary(reach) {
        reach -= 1;
    }
    compact(&after[..reach]).contains(&title).then_some(title)
}

/// The byte length of `compact`'s characters at the start of `s`, spaces
/// in `s` skipped; `None` when `s` does not start with them.
fn starts_with_spaced(s: &str, compact: &str) -> Option<usize> {
    let mut wanted = compact.chars().peekable();
    for (i, c) in s.char_indices() {
        if wanted.peek().is_none() {
            return Some(i);
        }
        if clean::is_space(c) {
            continue;
        }
        if wanted.next() != Some(c) {
            return None;
        }
    }
    wanted.peek().is_none().then_some(s.len())
}
