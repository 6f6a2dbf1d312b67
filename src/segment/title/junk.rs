//! What sharing sites, file names and cover letters put around a plan's
//! title: junk to strip from a title line (`.docx`, `_第1页`, `(通用6篇)`,
//! a 文号) and the kinds of front-matter lines that are neither title nor
//! text (labels, boilerplate, a cover letter's sentences, its date).

use super::{has_doc_ending, WordSet};
use crate::clean;

pub(super) static BOILERPLATE_SET: std::sync::LazyLock<WordSet> =
    std::sync::LazyLock::new(|| WordSet::new(BOILERPLATE));

/// Sharing-site words after a title: `…总结范文大全`, `…方案集合`.
pub(super) const JUNK_WORDS: &[&str] = &[
    "范文",
    "範文",
    "范本",
    "範本",
    "范例",
    "範例",
    "模板",
    "大全",
    "精选",
    "精選",
    "集合",
    "合集",
    "锦集",
    "錦集",
    "开头结尾",
    "開頭結尾",
];

/// Words before a count of articles: `(通用6篇)`, `【热门七篇】`.
pub(super) const COUNT_WORDS: &[&str] = &[
    "通用", "最新", "优秀", "優秀", "热门", "熱門", "汇总", "彙總", "精品", "精选", "精選", "锦集",
    "錦集", "集合", "合集", "范文", "範文", "范例", "範例",
];

/// Words of sharing-site and web-page boilerplate: a short line holding one
/// is neither the title nor the plan's text.
pub(super) const BOILERPLATE: &[&str] = &[
    "小编",
    "小編",
    "本站",
    "下载",
    "下載",
    "上传",
    "上傳",
    "版权",
    "版權",
    "侵权",
    "侵權",
    "举报",
    "舉報",
    "会员",
    "會員",
    "文档",
    "文檔",
    "仅供参考",
    "僅供參考",
    "欢迎",
    "歡迎",
    "客服",
    "登录",
    "登錄",
    "评论",
    "評論",
    "阅读",
    "閱讀",
    "点击",
    "點擊",
    "www.",
    "http",
    "微信",
    "QQ",
    "预览",
    "預覽",
    "投稿",
    "推荐",
    "推薦",
    "相关",
    "相關",
    "VIP",
    "试读",
    "試讀",
    "二维码",
    "THE END",
];

pub(super) fn is_numeral(c: char) -> bool {
    c.is_ascii_digit() || clean::is_cn_numeral(c)
}

/// Strips a number of one to four digits or Chinese numerals from the end.
pub(super) fn strip_number_end(s: &str) -> Option<&str> {
    let t = s.trim_end_matches(is_numeral);
    let n = s[t.len()..].chars().count();
    (1..=4).contains(&n).then_some(t)
}

/// Strips one sharing-site token from the end: `N篇`, `篇N`, `第N篇`,
/// `(共)N页`, `第N页`, `N字`, a junk word, or a count word before `N篇`.
pub(super) fn strip_junk_token(s: &str) -> Option<&str> {
    let s = s.trim_end_matches(clean::is_space);
    for unit in ['篇', '页', '頁', '字'] {
        if let Some(t) = s.strip_suffix(unit) {
            let t = t.trim_end_matches(clean::is_space);
            if let Some(t) = strip_number_end(t) {
                let t = t.trim_end_matches(clean::is_space);
                let t = t
                    .strip_suffix('第')
                    .or_else(|| t.strip_suffix('共'))
                    .unwrap_or(t);
                return Some(
                    COUNT_WORDS
                        .iter()
                        .find_map(|w| t.strip_suffix(w))
                        .unwrap_or(t),
                );
            }
        }
    }
    if let Some(t) = strip_number_end(s) {
        let t = t.trim_end_matches(clean::is_space);
        return Some(t.strip_suffix('篇').unwrap_or(t));
    }
    JUNK_WORDS.iter().find_map(|w| s.strip_suffix(w))
}

/// Whether bracketed text is only sharing-site junk: `通用6篇`, `共4页`, `一`.
pub(super) fn is_junk_inside(inner: &str) -> bool {
    let mut t = inner.trim_matches(clean::is_space);
    for _ in 0..4 {
        if t.is_empty() {
            return true;
        }
        match strip_junk_token(t) {
            Some(rest) if rest.len() < t.len() => t = rest.trim_matches(clean::is_space),
            _ => return false,
        }
    }
    t.is_empty()
}

/// The bracketed group at the end of a text: (text before it, inside).
pub(super) fn trailing_group(s: &str) -> Option<(&str, &str)> {
    let close = s.chars().next_back()?;
    let open: &[char] = match close {
        ')' | '）' => &['(', '（'],
        '】' => &['【'],
        ']' => &['['],
        _ => return None,
    };
    let at = s.rfind(open)?;
    let open_len = s[at..].chars().next()?.len_utf8();
    Some((&s[..at], &s[at + open_len..s.len() - close.len_utf8()]))
}

/// Strips file extensions, junk groups and junk tokens from the end.
pub(super) fn strip_junk_tail(mut s: &str) -> &str {
    for _ in 0..8 {
        let t = s.trim_end_matches(|c: char| {
            clean::is_space(c) || matches!(c, '_' | '-' | '—' | '·' | '.' | '…')
        });
        let lower_ends = |ext: &str| {
            t.len() >= ext.len()
                && t.is_char_boundary(t.len() - ext.len())
                && t[t.len() - ext.len()..].eq_ignore_ascii_case(ext)
        };
        if let Some(ext) = [".docx", ".doc", ".pdf", ".wps"]
            .into_iter()
            .find(|e| lower_ends(e))
        {
            s = &t[..t.len() - ext.len()];
            continue;
        }
        if let Some((before, inner)) = trailing_group(t) {
            if is_junk_inside(inner) {
                s = before;
                continue;
            }
            return t;
        }
        match strip_junk_token(t) {
            Some(rest) if rest.len() < t.len() => s = rest,
            _ => return t,
        }
    }
    s
}

/// A 文号 such as `国卫规划发〔2017〕6号` ends at `end` (just past 号):
/// a bracketed year, then digits, then 号.
pub(super) fn is_doc_number_end(s: &str, end: usize) -> bool {
    let Some(before) = s[..end].strip_suffix(['号', '號']) else {
        return false;
    };
    let digits = before.trim_end_matches(|c: char| c.is_ascii_digit());
    if digits.len() == before.len() {
        return false;
    }
    let Some(close) = digits.chars().next_back() else {
        return false;
    };
    if !matches!(close, '〕' | ']' | '】' | ')' | '）' | '〉') {
        return false;
    }
    let year = &digits[..digits.len() - close.len_utf8()];
    let y = year.trim_end_matches(|c: char| c.is_ascii_digit());
    year.len() - y.len() == 4
}

/// Strips a leading 文号 (`…〔2017〕6号…`), `篇N:`/`第N篇` labels of
/// sharing sites.
pub(super) fn strip_junk_head(s: &str) -> &str {
    let mut s = s.trim_start_matches(clean::is_space);
    // A 文号 within the first thirty characters.
    if let Some((end, _)) = s
        .char_indices()
        .take(30)
        .map(|(i, c)| (i + c.len_utf8(), c))
        .find(|&(end, c)| matches!(c, '号' | '號') && is_doc_number_end(s, end))
    {
        let rest = s[end..].trim_start_matches(clean::is_space);
        if !rest.starts_with(['文', '的']) && rest.chars().nth(5).is_some() {
            s = rest;
        }
    }
    for lead in ['篇', '第'] {
        if let Some(rest) = s.strip_prefix(lead) {
            let n = rest.trim_start_matches(is_numeral);
            if n.len() < rest.len() {
                let n = if lead == '第' {
                    match n.strip_prefix('篇') {
                        Some(n) => n,
                        None => continue,
                    }
                } else {
                    n
                };
                s = n.trim_start_matches(|c: char| clean::is_space(c) || matches!(c, ':' | '：'));
            }
        }
    }
    s
}

/// Strips a trailing 文号 set off by a dash or a bracket:
/// `…的通知-沪卫〔2024〕3号`, `…意见(国办发〔2016〕47号)`.
pub(super) fn strip_doc_number_tail(s: &str) -> &str {
    let t = s.trim_end_matches(['）', ')']);
    if !is_doc_number_end(t, t.len()) {
        return s;
    }
    match t.rfind(['-', '—', '(', '（', ' ']) {
        Some(at) if at > 0 => s[..at].trim_end_matches(['-', '—', ' ']),
        _ => s,
    }
}

/// What a cover letter's title publishes: `关于印发X的通知` → X.
pub(in crate::segment) fn published(s: &str) -> Option<&str> {
    let body = s.strip_suffix("通知")?;
    let body = body.strip_suffix('的').unwrap_or(body);
    let at = body.rfind("印发").or_else(|| body.rfind("印發"))?;
    let x = &body[at + "印发".len()..];
    let x = x.trim_start_matches('《').trim_end_matches('》');
    (x.chars().count() >= 4 && has_doc_ending(x)).then_some(x)
}

/// Whether a text holds a sharing site's word ([`JUNK_WORDS`]).
pub(in crate::segment) fn has_junk_word(s: &str) -> bool {
    JUNK_WORDS.iter().any(|w| s.contains(w))
}

/// Whether the line is sharing-site or web-page boilerplate.
pub(in crate::segment) fn is_boilerplate(line: &str) -> bool {
    line.len() <= 300 && BOILERPLATE_SET.found_in(line)
}

/// Whether a line is a label with its value (`索引号: …`, `[ 发布机构 ] …`),
/// a breadcrumb (`首页 > …`), or markup.
pub(in crate::segment) fn is_label_line(line: &str) -> bool {
    if line.contains(['>', '›', '»', '|', '<'])
        && !line.contains('。')
        && line.chars().nth(120).is_none()
    {
        return true;
    }
    if line.starts_with('[') && line.contains(']') {
        return true;
    }
    // A colon within the first ten characters of a short line.
    line.chars().count() <= 60
        && line
            .chars()
            .take(11)
            .skip(1)
            .any(|c| matches!(c, ':' | '：'))
}

/// Whether a line is a sentence of a cover letter that hands a plan out
/// (`现将《…》印发给你们`, `…现予印发，请遵照执行。`).
pub(in crate::segment) fn is_notice_sentence(line: &str) -> bool {
    [
        "给你们",
        "給你們",
        "现予印发",
        "現予印發",
        "现印发",
        "現印發",
        "予以印发",
        "现将《",
        "現將《",
    ]
    .iter()
    .any(|w| line.contains(w))
}

/// Whether a line is a date alone (`2020年10月27日`, `二〇一二年四月二十日`),
/// as at the end of a cover letter.
pub(in crate::segment) fn is_date_line(line: &str) -> bool {
    let t = line.trim_end_matches(|c: char| clean::is_space(c) || c.is_ascii_punctuation());
    t.ends_with('日')
        && t.chars().filter(|c| !clean::is_space(*c)).nth(14).is_none()
        && t.contains('年')
        && t.contains('月')
}

/// Whether a line reads as running text: sentence punctuation, or long.
pub(in crate::segment) fn is_prose(line: &str) -> bool {
    // ASCII `?` and `!` are left out: they stand for lost characters too.
    line.len() > 4 * 50
        || line.contains(['。', '，', ',', '；', ';', '！', '？'])
        || line.chars().nth(50).is_some()
}
