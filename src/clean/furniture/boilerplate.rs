//! Sharing-site boilerplate and spam found anywhere in a line: one pass over
//! its characters, each turned away by a bitmap unless it may open a word.

use super::super::is_space;
use super::chars::{decode, sorted_by_first, split_digits, utf8_len, Keyed};
use super::MAX_CHROME_BYTES;

/// Boilerplate of document-sharing sites, anywhere in a short line (up to
/// [`MAX_CHROME_BYTES`]).
pub(super) const SHARING_SITE: &[&str] = &[
    "下载文档前请自行甄别",
    "文档页数",
    "本文档",
    "本站",
    "文本为Word版本",
    "侵权",
    "已阅读",
    "格式:doc",
    "格式：doc",
    "格式为 doc",
    "格式为doc",
    "VIP",
    "会员",
];

/// Boilerplate of document-sharing sites and spam, anywhere in a line of up
/// to [`MAX_BOILERPLATE_BYTES`]: words plan text does not use. Words that
/// plan text does use (版权, 客服, 二维码, 棋牌) come only in the forms the
/// sites give them.
pub(super) const BOILERPLATE: &[&str] = &[
    "小编",
    "小編",
    "由会员",
    "用户上传",
    "网友上传",
    "版权说明",
    "版权声明",
    "版权归",
    "版權",
    "如有侵权",
    "侵犯您的",
    "联系客服",
    "人工客服",
    "网站客服",
    "在线客服",
    "仅供参考",
    "僅供參考",
    "欢迎阅读",
    "歡迎閱讀",
    "欢迎访问",
    "加入收藏",
    "精心整理的",
    "文库",
    "文庫",
    "倾情为你奉上",
    "范文网",
    "范文站",
    "範文網",
    "範文站",
    "举报非法",
    "下载该文档",
    "预览完",
    "部分预览",
    "word图标",
    "在手机上继续",
    "人妻",
    "无码",
    "365bet",
    "Copyright",
    "ICP备",
    "公网安备",
    "网站标识码",
    "免费试听",
    "id=\"",
];

/// What a [`SPAM_TRIGGERS`] word needs to make its line furniture.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) enum Trigger {
    /// `久久`, unless in `久久为功`.
    Jiujiu,
    /// `www.`, `http`, `.com`: a line without a sentence end (`。`, `；`).
    Url,
    /// `.doc`: a file name, in a short line.
    File,
    /// `_第`: `…方案_第2页`, in a short line.
    Page,
}

/// Words that make a line furniture in context, anywhere in it. (HTML tags
/// and a breadcrumb's separators are found by their first character.)
pub(super) const SPAM_TRIGGERS: &[(&str, Trigger)] = &[
    ("久久", Trigger::Jiujiu),
    ("www.", Trigger::Url),
    ("http", Trigger::Url),
    (".com", Trigger::Url),
    (".COM", Trigger::Url),
    (".doc", Trigger::File),
    (".DOC", Trigger::File),
    ("_第", Trigger::Page),
];

/// Separators of a breadcrumb (`首页 > 公文 > …`).
pub(super) const SEPARATORS: [char; 4] = ['>', '›', '＞', '»'];

/// What makes a word of [`WORDS`] mark its line as furniture.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) enum WordKind {
    /// A [`SHARING_SITE`] word: in a short line.
    Sharing,
    /// A [`BOILERPLATE`] word: anywhere.
    Boilerplate,
    /// A [`SPAM_TRIGGERS`] word: in its context.
    Spam(Trigger),
}

/// A word [`has_boilerplate`] looks for, with its first character.
pub(super) type Word = Keyed<WordKind>;

pub(super) const N_WORDS: usize = SHARING_SITE.len() + BOILERPLATE.len() + SPAM_TRIGGERS.len();

/// [`SHARING_SITE`], [`BOILERPLATE`] and [`SPAM_TRIGGERS`] sorted by first
/// character, so that a character finds the few words it opens.
pub(super) static WORDS: [Word; N_WORDS] = {
    let mut words = [Keyed::new(" ", WordKind::Boilerplate); N_WORDS];
    let mut n = 0;
    let mut i = 0;
    while i < SHARING_SITE.len() {
        words[n] = Keyed::new(SHARING_SITE[i], WordKind::Sharing);
        n += 1;
        i += 1;
    }
    let mut i = 0;
    while i < BOILERPLATE.len() {
        words[n] = Keyed::new(BOILERPLATE[i], WordKind::Boilerplate);
        n += 1;
        i += 1;
    }
    let mut i = 0;
    while i < SPAM_TRIGGERS.len() {
        words[n] = Keyed::new(SPAM_TRIGGERS[i].0, WordKind::Spam(SPAM_TRIGGERS[i].1));
        n += 1;
        i += 1;
    }
    sorted_by_first(words)
};

/// The characters that may open a word of [`WORDS`], a separator or a tag,
/// as a bitmap over the Basic Multilingual Plane: one lookup per character
/// turns nearly all characters away.
pub(super) static OPENS_ANYWHERE: [u64; 1024] = {
    let mut bits = [0u64; 1024];
    let mut i = 0;
    while i < N_WORDS {
        let c = WORDS[i].first;
        bits[(c >> 6) as usize] |= 1 << (c & 63);
        i += 1;
    }
    let mut i = 0;
    while i < SEPARATORS.len() {
        let c = SEPARATORS[i] as u32;
        bits[(c >> 6) as usize] |= 1 << (c & 63);
        i += 1;
    }
    let c = '<' as u32;
    bits[(c >> 6) as usize] |= 1 << (c & 63);
    bits
};

/// The characters that may follow the first character of a word of
/// [`WORDS`] there, as a 4096-bit Bloom filter of hashed pairs: most
/// characters that open a word (人, 会, 在, 文) open plain text instead, and
/// are turned away by their second character without a word compared.
pub(super) static PAIRS: [u64; 64] = {
    let mut bits = [0u64; 64];
    let mut i = 0;
    while i < N_WORDS {
        let text = WORDS[i].text.as_bytes();
        let len = utf8_len(text[0]);
        let (_, second) = text.split_at(len);
        let h = pair_hash(WORDS[i].first, decode(second));
        bits[h >> 6] |= 1 << (h & 63);
        i += 1;
    }
    bits
};

/// Bit of [`PAIRS`] for a pair of characters.
pub(super) const fn pair_hash(first: u32, second: u32) -> usize {
    ((first.wrapping_mul(0x9E37_79B1) ^ second.wrapping_mul(0x85EB_CA77)) >> 20) as usize & 4095
}

/// Whether `c` may open a word of [`has_boilerplate`].
pub(super) fn may_open_anywhere(c: char) -> bool {
    let u = c as u32;
    u < 0x10000 && OPENS_ANYWHERE[(u >> 6) as usize] >> (u & 63) & 1 != 0
}

/// Whether a line holds sharing-site boilerplate or spam anywhere
/// ([`SHARING_SITE`] in short lines, [`BOILERPLATE`], [`SPAM_TRIGGERS`] in
/// their context, an HTML tag, or two [`SEPARATORS`] in a short line). One
/// pass over the characters; a character that opens no word is turned away
/// by one bitmap lookup.
pub(super) fn has_boilerplate(line: &str) -> bool {
    let short = line.len() <= MAX_CHROME_BYTES;
    let mut separators = 0;
    for (i, c) in line.char_indices() {
        if !may_open_anywhere(c) {
            continue;
        }
        let rest = &line[i..];
        let after = &rest[c.len_utf8()..];
        if c == '<' {
            // `<p `, `</p>`: a tag, closed further on.
            let name = after.strip_prefix('/').unwrap_or(after);
            if name.starts_with(|c: char| c.is_ascii_alphabetic()) && name.contains('>') {
                return true;
            }
            continue;
        }
        if SEPARATORS.contains(&c) {
            // Unless a number follows (`血压>140`, `>=`).
            let next = after.chars().find(|c| !is_space(*c));
            if !next.is_some_and(|c| c.is_ascii_digit() || c == '=') {
                separators += 1;
            }
            if short && separators >= 2 {
                return true;
            }
            continue;
        }
        let u = c as u32;
        let Some(second) = after.chars().next() else {
            continue;
        };
        let h = pair_hash(u, second as u32);
        if PAIRS[h >> 6] >> (h & 63) & 1 == 0 {
            continue;
        }
        let from = WORDS.partition_point(|w| w.first < u);
        for word in WORDS[from..].iter().take_while(|w| w.first == u) {
            let Some(after) = rest.strip_prefix(word.text) else {
                continue;
            };
            let hit = match word.kind {
                WordKind::Sharing => short,
                WordKind::Boilerplate => true,
                WordKind::Spam(Trigger::Jiujiu) => !after.starts_with("为功"),
                WordKind::Spam(Trigger::Url) => !line.contains(['。', '；']),
                WordKind::Spam(Trigger::File) => short,
                WordKind::Spam(Trigger::Page) => {
                    let (n, rest) = split_digits(after);
                    short && !n.is_empty() && rest.starts_with('页')
                }
            };
            if hit {
                return true;
            }
        }
    }
    false
}
