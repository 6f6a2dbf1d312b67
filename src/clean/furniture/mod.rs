//! Page furniture: the lines of web pages, print layouts and document-sharing
//! sites that are neither tasks nor part of one (site menus, metadata blocks,
//! breadcrumbs, file and page lines, sharing-site boilerplate, spam).
//! [`is_chrome`] is the one question later stages ask; the word lists and
//! their lookup tables live in [`site`] (line starts and whole-line shapes)
//! and [`boilerplate`] (words anywhere in a line).

mod boilerplate;
mod chars;
mod site;
#[cfg(test)]
mod tests;

use super::is_space;
use boilerplate::*;
use site::*;

/// Longest line that may be furniture: 80 Chinese characters.
const MAX_CHROME_BYTES: usize = 240;
/// Longest line that may be sharing-site boilerplate or spam
/// ([`BOILERPLATE`], [`SPAM_TRIGGERS`]): 150 Chinese characters.
const MAX_BOILERPLATE_BYTES: usize = 450;
/// Longest line searched for pinyin inserts (`時(shí)間`): one after every
/// character makes a line at most three times as long.
const MAX_PINYIN_BYTES: usize = 3 * MAX_BOILERPLATE_BYTES;

/// Whole lines that are furniture.
const CHROME_EXACT: &[&str] = &[
    "菜单",
    "进入关怀版",
    "无障碍",
    "无障碍浏览",
    "返回顶部",
    "X",
    "×",
    "--",
    "-",
    "打印本页",
    "关闭窗口",
    "打印",
    "关闭",
    "【打印】",
    "【关闭】",
    "分享",
    "收藏",
    "正文",
    "TOP",
];

/// Starts of lines that are furniture.
const CHROME_PREFIXES: &[&str] = &[
    "首页>",
    "首页＞",
    "首页›",
    "您的当前位置",
    "您现在的位置",
    "当前位置",
    "【字体",
    "字体:",
    "字体：",
    "字号:",
    "字号：",
    "【字号",
    "编辑:",
    "编辑：",
    "技术支持",
    "分享至",
    "【打印",
    "【关闭",
    "分享到",
    "附件下载",
    "责任编辑",
    "信息来源",
    "发布日期",
    "发布时间",
    "来源:",
    "来源：",
    "浏览次数",
    "访问量",
    "您是第",
    "阅读次数",
    "因篇幅问题",
    "扫一扫",
    "上一篇",
    "下一篇",
    "相关链接",
    "相关附件",
    "版权所有",
    "主办单位",
    "网站标识码",
    "【大】",
    "打印本页",
    "关闭窗口",
];

/// Whether a line may be [`CHROME_EXACT`] or start with one of
/// [`CHROME_PREFIXES`], by its first character (a test keeps them in
/// step). A match, not a search: it runs on every short line.
pub(crate) const fn may_open_chrome(c: char) -> bool {
    matches!(
        c,
        '菜' | '进'
            | '无'
            | '返'
            | 'X'
            | '×'
            | '-'
            | '打'
            | '关'
            | '【'
            | '分'
            | '收'
            | '正'
            | '首'
            | '您'
            | '当'
            | '字'
            | '附'
            | '责'
            | '信'
            | '发'
            | '来'
            | '浏'
            | '访'
            | '阅'
            | '因'
            | '扫'
            | '上'
            | '下'
            | '相'
            | '版'
            | '主'
            | '网'
            | 'T'
            | '编'
            | '技'
    )
}

/// Longest line that may be a whole-line shape of [`site_furniture`] (a
/// size, count or date alone, a navigation bar): 64 bytes.
const MAX_SITE_LINE_BYTES: usize = 64;

/// Whether a line may have one of the shapes [`site_furniture`] knows,
/// judged without a copy: a short line opening with a digit, `约` or a
/// [`NAV_WORDS`] character, a line whose start matches a [`STARTS`] word
/// (spaces skipped), a bracket, or `位置` near the start after one of
/// [`POSITION_WHO`], [`POSITION_WHEN`] or `位`. Most lines are turned away
/// at their first or second character.
fn may_be_site_furniture(line: &str, first: char) -> bool {
    let short = line.len() <= MAX_SITE_LINE_BYTES;
    if first.is_ascii_digit() || first == '约' {
        return short;
    }
    if matches!(first, '【' | '[') {
        return true;
    }
    if starts_of(first)
        .iter()
        .any(|w| spaced_starts_with(line, w.text))
    {
        return true;
    }
    if matches!(first, '您' | '当' | '现' | '當' | '現' | '位') {
        // `您当前所在的位置:` is nine characters at most: judged on a copy
        // of twelve on the stack.
        let mut buf = [0u8; 48];
        let mut n = 0;
        for c in line.chars().filter(|c| !is_space(*c)).take(12) {
            n += c.encode_utf8(&mut buf[n..]).len();
        }
        return std::str::from_utf8(&buf[..n]).is_ok_and(is_position);
    }
    short && NAV_WORDS.iter().any(|w| w.starts_with(first))
}

/// Whether `line`, spaces skipped, starts with `prefix`.
fn spaced_starts_with(line: &str, prefix: &str) -> bool {
    let mut rest = line.chars().filter(|c| !is_space(*c));
    prefix.chars().all(|p| rest.next() == Some(p))
}

/// Whether text starts with a furniture prefix (`责任编辑`, `信息来源`, …):
/// where a line that lost its breaks may hold page furniture.
pub fn starts_with_chrome(s: &str) -> bool {
    CHROME_PREFIXES.iter().any(|p| s.starts_with(p))
}

/// Lines that are web-page or print furniture, never plan text: a
/// [`CHROME_EXACT`] line, a line that starts with one of
/// [`CHROME_PREFIXES`], a short line naming a source (来源:), a page
/// number, punctuation alone, a metadata, breadcrumb, file or download line
/// of a document site ([`LABELS`], [`SITE_LINES`], …), or a line holding
/// sharing-site boilerplate or spam ([`SHARING_SITE`], [`BOILERPLATE`],
/// [`SPAM_TRIGGERS`]); spaces and pinyin inserts (`時(shí)間`) ignored.
/// Runs on every line, so each test is tried only when the first character
/// allows it, and all the words found anywhere are found in one pass.
pub fn is_chrome(line: &str) -> bool {
    // Furniture is short; a long line is text.
    if line.len() > MAX_PINYIN_BYTES {
        return false;
    }
    let line = crate::simplify::strip_pinyin(line);
    let line = line.as_ref();
    if line.len() > MAX_BOILERPLATE_BYTES {
        return false;
    }
    let Some(first) = line.chars().find(|c| !is_space(*c)) else {
        return false;
    };
    (line.len() <= MAX_CHROME_BYTES && is_short_chrome(line, first)) || has_boilerplate(line)
}

/// The tests of [`is_chrome`] for lines of up to [`MAX_CHROME_BYTES`]
/// that look at the line's start or at the whole line.
fn is_short_chrome(line: &str, first: char) -> bool {
    static SOURCE: std::sync::LazyLock<memchr::memmem::Finder<'static>> =
        std::sync::LazyLock::new(|| memchr::memmem::Finder::new("源"));
    // Most lines hold no space: compare them as they are, without a copy;
    // the copy of the others is made once.
    let copy = std::cell::OnceCell::new();
    let compact = || -> &str {
        copy.get_or_init(|| -> std::borrow::Cow<str> {
            if has_space(line) {
                line.chars()
                    .filter(|c| !is_space(*c))
                    .collect::<String>()
                    .into()
            } else {
                line.into()
            }
        })
    };
    if may_open_chrome(first) {
        // Compared character by character, spaces skipped: most lines that
        // open like furniture are long text and differ within a few
        // characters.
        let starts_with = |pattern: &str| {
            let mut rest = line.chars().filter(|c| !is_space(*c));
            pattern
                .chars()
                .all(|p| rest.next() == Some(p))
                .then_some(rest)
        };
        let candidates = |patterns: &'static [&'static str]| {
            patterns.iter().filter(move |p| p.starts_with(first))
        };
        if candidates(CHROME_EXACT).any(|p| starts_with(p).is_some_and(|mut r| r.next().is_none()))
            || candidates(CHROME_PREFIXES).any(|p| starts_with(p).is_some())
        {
            return true;
        }
    }
    if may_be_site_furniture(line, first) {
        let whole = line.len() <= MAX_SITE_LINE_BYTES;
        if site_furniture(&compact_head(line), whole) {
            return true;
        }
    }
    if SOURCE.find(line.as_bytes()).is_some() {
        let compact = compact();
        if compact.chars().count() <= 60
            && (compact.contains("来源:") || compact.contains("来源："))
        {
            return true;
        }
    }
    // A page number starts with 第, a digit or a dash; one of the last two
    // holds nothing but digits, dashes and a slash (an outline item such as
    // `1.加强…` is turned away at its second character).
    let page_like = first == '第'
        || ((first.is_ascii_digit() || matches!(first, '-' | '—' | '–' | '－'))
            && line
                .chars()
                .filter(|c| !is_space(*c))
                .all(|c| c.is_ascii_digit() || matches!(c, '-' | '—' | '–' | '－' | '/')));
    if page_like && is_page_number(compact()) {
        return true;
    }
    is_punctuation(first) && line.chars().filter(|c| !is_space(*c)).all(is_punctuation)
}

/// Whether `s` holds an [`is_space`] character: found, like
/// [`clean_line`] finds them, by the bytes that may start one, sixteen at
/// a time.
fn has_space(s: &str) -> bool {
    let bytes = s.as_bytes();
    let mut i = 0;
    while let Some(p) = crate::bytes::find(bytes, i, 0x21, [0xC2, 0xE1, 0xE2, 0xE3, 0xEF]) {
        match s[p..].chars().next() {
            Some(c) if is_space(c) => return true,
            Some(c) => i = p + c.len_utf8(),
            None => return false,
        }
    }
    false
}

/// Characters of a line's start that [`site_furniture`] needs to judge
/// everything but whole-line shapes.
const HEAD_CHARS: usize = 40;

/// A line without its spaces, or, for a line longer than
/// [`MAX_SITE_LINE_BYTES`], at least its first [`HEAD_CHARS`] characters
/// that are not spaces: a line without spaces as it is, another copied.
fn compact_head(line: &str) -> std::borrow::Cow<'_, str> {
    if !has_space(line) {
        return line.into();
    }
    let take = if line.len() <= MAX_SITE_LINE_BYTES {
        usize::MAX
    } else {
        HEAD_CHARS
    };
    line.chars()
        .filter(|c| !is_space(*c))
        .take(take)
        .collect::<String>()
        .into()
}

/// A line without the file extension and page number a document-sharing
/// site puts after a document's name (`某方案.docx_第1页` → `某方案`); the
/// line as it is when it has neither or is nothing else.
pub fn without_file_suffix(line: &str) -> &str {
    let mut rest = line;
    let mut stripped = false;
    // `_第1页`.
    if let Some(r) = rest.strip_suffix('页') {
        let n = r.bytes().rev().take_while(u8::is_ascii_digit).count();
        if n > 0 {
            if let Some(r) = r[..r.len() - n].strip_suffix("_第") {
                rest = r;
                stripped = true;
            }
        }
    }
    for ext in [".docx", ".doc", ".pdf"] {
        let n = ext.len();
        if rest.len() > n
            && rest.is_char_boundary(rest.len() - n)
            && rest[rest.len() - n..].eq_ignore_ascii_case(ext)
        {
            rest = &rest[..rest.len() - n];
            stripped = true;
            break;
        }
    }
    let rest = rest.trim_end_matches(is_space);
    if !stripped || rest.is_empty() {
        line
    } else {
        rest
    }
}

fn is_punctuation(c: char) -> bool {
    c.is_ascii_punctuation() || matches!(c, '—' | '–' | '·' | '•')
}

/// `- 3 -`, `—3—`, `第3页`, `第3页共10页`, `第3页/共10页`, `3/10`, or a
/// bare number.
fn is_page_number(compact: &str) -> bool {
    let inner = compact
        .trim_matches(|c: char| matches!(c, '-' | '—' | '–' | '－'))
        .trim();
    if compact.len() != inner.len()
        && !inner.is_empty()
        && inner.chars().all(|c| c.is_ascii_digit())
    {
        return true;
    }
    if let Some(rest) = compact.strip_prefix('第') {
        let digits: String = rest.chars().take_while(|c| c.is_ascii_digit()).collect();
        if !digits.is_empty() {
            let after = &rest[digits.len()..];
            let total = after
                .strip_prefix("页共")
                .or_else(|| after.strip_prefix("页/共"));
            if after == "页" || total.is_some_and(|t| t.ends_with('页')) {
                return true;
            }
        }
    }
    if let Some((a, b)) = compact.split_once('/') {
        if !a.is_empty()
            && !b.is_empty()
            && a.len() <= 4
            && b.len() <= 4
            && a.chars().chain(b.chars()).all(|c| c.is_ascii_digit())
        {
            return true;
        }
    }
    compact.len() <= 4 && compact.chars().all(|c| c.is_ascii_digit())
}

/// Whether `line` is a metadata label standing alone (`发文字号`, `时效性：`),
/// the value of which is the next line.
pub fn is_block_label(line: &str) -> bool {
    let label = line
        .trim_matches(is_space)
        .trim_end_matches([':', '：'])
        .trim_matches(is_space);
    label.len() <= 12 && BLOCK_LABELS.contains(&label)
}

/// Whether `line` may be the value of a metadata label on the line before:
/// short, and no sentence (a plan's text after a block has punctuation or
/// runs long).
pub fn may_be_block_value(line: &str) -> bool {
    line.chars().count() <= MAX_BLOCK_VALUE_CHARS
        && !line.contains(['。', '，', ',', '；', ';', '！', '？'])
}
