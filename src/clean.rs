//! Cleaning stage: decoded text becomes clean paragraphs. Web chrome and page
//! furniture are dropped (site menus, metadata blocks, breadcrumbs, the
//! boilerplate, file and page lines of document-sharing sites, spam), PDF
//! line and word breaks are mended, full-width digits are folded, and every
//! paragraph remembers the source lines it came from so later stages can
//! point back into the original text.

/// One physical line of the decoded text, trimmed, with where it came from.
#[derive(Debug, Clone)]
pub struct Line<'a> {
    /// The trimmed content, bullets removed.
    pub content: &'a str,
    /// Byte offset of `content` in the decoded text.
    pub start: usize,
    /// Line number, 1-based.
    pub number: usize,
    /// The line is the rest of a longer physical line cut at an outline
    /// marker: judged by the physical line's length when deciding joins.
    pub cut_before: bool,
}

impl<'a> Line<'a> {
    /// The part `from..to` of this line's content, trimmed, as a line of its
    /// own; `None` when nothing but spaces is left.
    pub fn piece(&self, from: usize, to: usize) -> Option<Line<'a>> {
        let raw = &self.content[from..to];
        let content = raw.trim_matches(is_space);
        if content.is_empty() {
            return None;
        }
        Some(Line {
            content,
            start: self.start + from + (raw.len() - raw.trim_start_matches(is_space).len()),
            number: self.number,
            cut_before: from > 0,
        })
    }
}

/// A clean paragraph: one or more source lines joined.
#[derive(Debug, Clone, Default)]
pub struct Paragraph {
    /// Clean text: full-width digits folded, stray spaces removed.
    pub text: String,
    /// For each source line joined here: (offset in `text`, byte offset of the
    /// line in the decoded text, byte length of the line there, line number).
    pub pieces: Vec<Piece>,
    /// Character count of the last physical line, up to
    /// [`LINE_CHARS_COUNTED`] (used to decide joins).
    pub last_line_chars: usize,
    /// True when the paragraph starts with an outline marker.
    pub starts_with_marker: bool,
}

/// Where one source line went inside a paragraph.
#[derive(Debug, Clone, Copy)]
pub struct Piece {
    pub clean_offset: usize,
    pub source_start: usize,
    pub source_len: usize,
    /// Line number (1-based) in the decoded text.
    pub line: usize,
    /// Index of the line in the list the paragraphs were built from (a
    /// physical line split at inline markers gives several).
    pub index: usize,
}

impl Paragraph {
    /// Maps a byte offset in `text` back to a byte offset in the decoded
    /// source: exact at line starts, approximate (clamped to the line) inside
    /// a line whose spaces were removed.
    pub fn source_offset(&self, clean: usize) -> usize {
        let idx = match self.pieces.binary_search_by(|p| p.clean_offset.cmp(&clean)) {
            Ok(i) => i,
            Err(0) => 0,
            Err(i) => i - 1,
        };
        let p = self.pieces[idx];
        p.source_start + (clean - p.clean_offset.min(clean)).min(p.source_len)
    }

    /// Line number of a byte offset in `text`.
    pub fn line_of(&self, clean: usize) -> usize {
        let idx = match self.pieces.binary_search_by(|p| p.clean_offset.cmp(&clean)) {
            Ok(i) => i,
            Err(0) => 0,
            Err(i) => i - 1,
        };
        self.pieces[idx].line
    }
}

/// Splits decoded text into trimmed physical lines with offsets. Empty lines
/// are kept (as empty content) so that callers may see paragraph gaps.
pub fn lines(text: &str) -> Vec<Line<'_>> {
    // Line ends found by memchr: its per-match cost is far below
    // `str::split`'s, and a text has a line every few dozen bytes.
    let newlines = || memchr::memchr_iter(b'\n', text.as_bytes());
    let mut out = Vec::with_capacity(newlines().count() + 1);
    let mut line_start = 0usize;
    for (i, end) in newlines().chain([text.len()]).enumerate() {
        let raw = &text[line_start..end];
        let trimmed = raw.trim_matches(is_space);
        let trimmed_start = if trimmed.is_empty() {
            raw.len()
        } else {
            trimmed.as_ptr() as usize - raw.as_ptr() as usize
        };
        let content = strip_bullet(trimmed);
        let start = line_start + trimmed_start + (trimmed.len() - content.len());
        out.push(Line {
            content,
            start,
            number: i + 1,
            cut_before: false,
        });
        line_start = end + 1;
    }
    out
}

/// Whitespace as it appears in Chinese documents: ASCII, ideographic space,
/// no-break space, BOM, and carriage returns.
pub fn is_space(c: char) -> bool {
    c.is_whitespace() || matches!(c, '\u{3000}' | '\u{a0}' | '\u{feff}' | '\u{200b}')
}

/// Removes a leading list bullet such as `- ` or `• `.
fn strip_bullet(s: &str) -> &str {
    for bullet in ["- ", "• ", "· ", "● ", "■ ", "◆ ", "▪ ", "* "] {
        if let Some(rest) = s.strip_prefix(bullet) {
            return rest.trim_start_matches(is_space);
        }
    }
    // A dash glued to an outline marker: `-(一)`, `-1.`.
    if let Some(rest) = s.strip_prefix('-') {
        if rest.starts_with(['(', '（']) || rest.starts_with(|c: char| c.is_ascii_digit()) {
            return rest;
        }
    }
    s
}

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
    "阅读次数",
    "因篇幅问题",
    "扫一扫",
    "上一篇",
    "下一篇",
    "相关链接",
    "版权所有",
    "主办单位",
    "网站标识码",
    "【大】",
    "打印本页",
    "关闭窗口",
];

/// Boilerplate of document-sharing sites, anywhere in a short line (up to
/// [`MAX_CHROME_BYTES`]).
const SHARING_SITE: &[&str] = &[
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
const BOILERPLATE: &[&str] = &[
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
    "免费试听",
    "id=\"",
];

/// What a [`SPAM_TRIGGERS`] word needs to make its line furniture.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Trigger {
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
const SPAM_TRIGGERS: &[(&str, Trigger)] = &[
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
const SEPARATORS: [char; 4] = ['>', '›', '＞', '»'];

/// What makes a word of [`WORDS`] mark its line as furniture.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum WordKind {
    /// A [`SHARING_SITE`] word: in a short line.
    Sharing,
    /// A [`BOILERPLATE`] word: anywhere.
    Boilerplate,
    /// A [`SPAM_TRIGGERS`] word: in its context.
    Spam(Trigger),
}

/// A word [`has_boilerplate`] looks for, with its first character.
#[derive(Clone, Copy, Debug)]
struct Word {
    first: u32,
    text: &'static str,
    kind: WordKind,
}

const N_WORDS: usize = SHARING_SITE.len() + BOILERPLATE.len() + SPAM_TRIGGERS.len();

/// [`SHARING_SITE`], [`BOILERPLATE`] and [`SPAM_TRIGGERS`] sorted by first
/// character, so that a character finds the few words it opens.
static WORDS: [Word; N_WORDS] = {
    let blank = Word {
        first: 0,
        text: "",
        kind: WordKind::Boilerplate,
    };
    let mut words = [blank; N_WORDS];
    let mut n = 0;
    let mut i = 0;
    while i < SHARING_SITE.len() {
        words[n] = Word {
            first: first_char(SHARING_SITE[i]),
            text: SHARING_SITE[i],
            kind: WordKind::Sharing,
        };
        n += 1;
        i += 1;
    }
    let mut i = 0;
    while i < BOILERPLATE.len() {
        words[n] = Word {
            first: first_char(BOILERPLATE[i]),
            text: BOILERPLATE[i],
            kind: WordKind::Boilerplate,
        };
        n += 1;
        i += 1;
    }
    let mut i = 0;
    while i < SPAM_TRIGGERS.len() {
        words[n] = Word {
            first: first_char(SPAM_TRIGGERS[i].0),
            text: SPAM_TRIGGERS[i].0,
            kind: WordKind::Spam(SPAM_TRIGGERS[i].1),
        };
        n += 1;
        i += 1;
    }
    // Insertion sort by first character.
    let mut i = 1;
    while i < N_WORDS {
        let mut j = i;
        while j > 0 && words[j - 1].first > words[j].first {
            let w = words[j - 1];
            words[j - 1] = words[j];
            words[j] = w;
            j -= 1;
        }
        i += 1;
    }
    words
};

/// The characters that may open a word of [`WORDS`], a separator or a tag,
/// as a bitmap over the Basic Multilingual Plane: one lookup per character
/// turns nearly all characters away.
static OPENS_ANYWHERE: [u64; 1024] = {
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
static PAIRS: [u64; 64] = {
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
const fn pair_hash(first: u32, second: u32) -> usize {
    ((first.wrapping_mul(0x9E37_79B1) ^ second.wrapping_mul(0x85EB_CA77)) >> 20) as usize & 4095
}

/// Length in bytes of the UTF-8 sequence a lead byte opens.
const fn utf8_len(lead: u8) -> usize {
    if lead < 0x80 {
        1
    } else if lead < 0xE0 {
        2
    } else if lead < 0xF0 {
        3
    } else {
        4
    }
}

/// The character that opens `b` (UTF-8, in the Basic Multilingual Plane).
const fn decode(b: &[u8]) -> u32 {
    if b[0] < 0x80 {
        b[0] as u32
    } else if b[0] < 0xE0 {
        ((b[0] as u32 & 0x1F) << 6) | (b[1] as u32 & 0x3F)
    } else {
        assert!(
            b[0] < 0xF0,
            "a furniture word holds a character outside the BMP"
        );
        ((b[0] as u32 & 0x0F) << 12) | ((b[1] as u32 & 0x3F) << 6) | (b[2] as u32 & 0x3F)
    }
}

/// The first character of a word, which must lie in the Basic Multilingual
/// Plane (one to three bytes in UTF-8).
const fn first_char(s: &str) -> u32 {
    let b = s.as_bytes();
    if b[0] < 0x80 {
        b[0] as u32
    } else if b[0] < 0xE0 {
        ((b[0] as u32 & 0x1F) << 6) | (b[1] as u32 & 0x3F)
    } else {
        assert!(b[0] < 0xF0, "a furniture word opens outside the BMP");
        ((b[0] as u32 & 0x0F) << 12) | ((b[1] as u32 & 0x3F) << 6) | (b[2] as u32 & 0x3F)
    }
}

/// Whether `c` may open a word of [`has_boilerplate`].
fn may_open_anywhere(c: char) -> bool {
    let u = c as u32;
    u < 0x10000 && OPENS_ANYWHERE[(u >> 6) as usize] >> (u & 63) & 1 != 0
}

/// What may follow a metadata label.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Value {
    Any,
    /// Nothing, or a date written with digits (`2020-01-01`): plan text has
    /// `时间:2020年3月至6月`.
    Date,
    /// Nothing, or a number (`4页`, `90.00KB`).
    Number,
    /// Nothing, or a Latin letter (`doc`).
    Latin,
}

/// Metadata labels that open a furniture line before `:`, `：` or `|`, or
/// inside brackets (`【索引号】`, `[索引号]`), in simplified and traditional
/// characters.
const LABELS: &[(&str, Value)] = &[
    ("索引号", Value::Any),
    ("发布日期", Value::Any),
    ("發布日期", Value::Any),
    ("發佈日期", Value::Any),
    ("发布时间", Value::Any),
    ("發布時間", Value::Any),
    ("發佈時間", Value::Any),
    ("发布机构", Value::Any),
    ("發布機構", Value::Any),
    ("成文日期", Value::Any),
    ("生成日期", Value::Any),
    ("公开方式", Value::Any),
    ("主题分类", Value::Any),
    ("体裁分类", Value::Any),
    ("文号", Value::Any),
    ("来源", Value::Any),
    ("來源", Value::Any),
    ("浏览次数", Value::Any),
    ("瀏覽次數", Value::Any),
    ("时间", Value::Date),
    ("時間", Value::Date),
    ("作者", Value::Any),
    ("上传人", Value::Any),
    ("上傳人", Value::Any),
    ("文档编号", Value::Any),
    ("文档分类", Value::Any),
    ("文档名称", Value::Any),
    ("格式", Value::Latin),
    ("大小", Value::Number),
    ("页数", Value::Number),
    ("頁數", Value::Number),
    ("文件名称", Value::Any),
    ("文件大小", Value::Any),
    ("总页数", Value::Any),
    ("总字数", Value::Any),
    ("總字數", Value::Any),
    ("更新时间", Value::Any),
    ("更新時間", Value::Any),
    ("字号", Value::Any),
    ("字號", Value::Any),
    ("字体大小", Value::Any),
    ("标签", Value::Any),
    ("標籤", Value::Any),
    ("栏目", Value::Any),
    ("欄目", Value::Any),
    ("推荐人", Value::Any),
    ("投稿人", Value::Any),
    ("正在阅读", Value::Any),
    ("ID", Value::Number),
];

/// Whole lines that are document-site furniture.
const SITE_LINES: &[&str] = &[
    "举报",
    "海报",
    "VIP专免",
    "侵权投诉",
    "文档简介",
    "资源描述",
    "资源描述:",
    "资源描述：",
    "相关推荐",
    "全文预览",
    "订单查询",
    "手机查看",
    "打开手机扫描二维码",
    "即可在手机端查看",
    "基本信息",
    "文档摘要",
    "栏目",
    "PAGE",
];

/// Starts of download prompts, breadcrumbs and sharing-site headings.
const SITE_PREFIXES: &[&str] = &[
    "下载此",
    "下载本",
    "下载该",
    "下载提示",
    "下载后",
    "下载得到",
    "下载文档",
    "下載本",
    "点击查看更多",
    "点击下载",
    "点击进入",
    "首页",
    "首頁",
    "【热门",
];

/// Words of a navigation bar: a line made of two or more of them alone
/// (`返回 下载 相关 举报`) is furniture.
const NAV_WORDS: &[&str] = &[
    "返回", "下载", "相关", "举报", "分享", "收藏", "打印", "关闭", "首页",
];

/// Openings of a breadcrumb's `位置:` (`您当前的位置:`): who, then when,
/// then (only after when) a joining word.
const POSITION_WHO: &[&str] = &["您的", "您"];
const POSITION_WHEN: &[&str] = &["当前", "现在", "當前", "現在"];
const POSITION_JOIN: &[&str] = &["所在", "的"];

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
    let line = without_pinyin(line);
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

/// Whether a line (spaces removed: all of it or at least its first
/// [`HEAD_CHARS`] characters) has the shape of a document site's
/// furniture: a metadata label, a breadcrumb's `位置:` or a download
/// prompt at its start, or, when `whole` (the line is at most
/// [`MAX_SITE_LINE_BYTES`] long), a file size, page or word count, a date,
/// a [`SITE_LINES`] line or a navigation bar alone.
fn site_furniture(compact: &str, whole: bool) -> bool {
    let Some(first) = compact.chars().next() else {
        return false;
    };
    if first.is_ascii_digit() {
        return whole && (is_size(compact) || is_page_count(compact) || is_date_line(compact));
    }
    if let Some(rest) = compact.strip_prefix('约') {
        return whole && (is_page_count(rest) || is_word_count(rest));
    }
    let opens = |s: &str, bracketed: bool| {
        let Some(first) = s.chars().next() else {
            return false;
        };
        starts_of(first).iter().any(|w| match w.kind {
            Start::Label(value) => label_fits(s, w.text, value, bracketed),
            Start::Line => whole && !bracketed && s == w.text,
            Start::Prefix => !bracketed && s.starts_with(w.text),
        })
    };
    if opens(compact, false) {
        return true;
    }
    if let Some(rest) = compact.strip_prefix(['【', '[']) {
        return opens(rest, true);
    }
    is_position(compact) || (whole && is_nav_bar(compact))
}

/// What a [`STARTS`] word is.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Start {
    /// One of [`LABELS`].
    Label(Value),
    /// One of [`SITE_LINES`].
    Line,
    /// One of [`SITE_PREFIXES`].
    Prefix,
}

/// A word [`site_furniture`] looks for at a line's start, with its first
/// character.
#[derive(Clone, Copy, Debug)]
struct StartWord {
    first: u32,
    text: &'static str,
    kind: Start,
}

const N_STARTS: usize = LABELS.len() + SITE_LINES.len() + SITE_PREFIXES.len();

/// [`LABELS`], [`SITE_LINES`] and [`SITE_PREFIXES`] sorted by first
/// character, so that a line's first character finds the few it may open
/// with.
static STARTS: [StartWord; N_STARTS] = {
    let blank = StartWord {
        first: 0,
        text: "",
        kind: Start::Line,
    };
    let mut words = [blank; N_STARTS];
    let mut n = 0;
    let mut i = 0;
    while i < LABELS.len() {
        words[n] = StartWord {
            first: first_char(LABELS[i].0),
            text: LABELS[i].0,
            kind: Start::Label(LABELS[i].1),
        };
        n += 1;
        i += 1;
    }
    let mut i = 0;
    while i < SITE_LINES.len() {
        words[n] = StartWord {
            first: first_char(SITE_LINES[i]),
            text: SITE_LINES[i],
            kind: Start::Line,
        };
        n += 1;
        i += 1;
    }
    let mut i = 0;
    while i < SITE_PREFIXES.len() {
        words[n] = StartWord {
            first: first_char(SITE_PREFIXES[i]),
            text: SITE_PREFIXES[i],
            kind: Start::Prefix,
        };
        n += 1;
        i += 1;
    }
    // Insertion sort by first character.
    let mut i = 1;
    while i < N_STARTS {
        let mut j = i;
        while j > 0 && words[j - 1].first > words[j].first {
            let w = words[j - 1];
            words[j - 1] = words[j];
            words[j] = w;
            j -= 1;
        }
        i += 1;
    }
    words
};

/// The [`STARTS`] words that open with `c`.
fn starts_of(c: char) -> &'static [StartWord] {
    let u = c as u32;
    let from = STARTS.partition_point(|w| w.first < u);
    let n = STARTS[from..].partition_point(|w| w.first == u);
    &STARTS[from..from + n]
}

/// Whether `s` opens with the metadata label `label` and a value that fits
/// it. `bracketed`: `s` follows `【` or `[`, which the label closes, a
/// separator then optional.
fn label_fits(s: &str, label: &str, value: Value, bracketed: bool) -> bool {
    let Some(rest) = s.strip_prefix(label) else {
        return false;
    };
    let rest = if bracketed {
        let Some(rest) = rest.strip_prefix(['】', ']']) else {
            return false;
        };
        rest.strip_prefix([':', '：', '|']).unwrap_or(rest)
    } else {
        match rest.strip_prefix([':', '：', '|']) {
            Some(rest) => rest,
            None => return false,
        }
    };
    match value {
        Value::Any => true,
        Value::Date => rest.is_empty() || starts_with_numeric_date(rest),
        Value::Number => rest.is_empty() || rest.starts_with(|c: char| c.is_ascii_digit()),
        Value::Latin => rest.is_empty() || rest.starts_with(|c: char| c.is_ascii_alphabetic()),
    }
}

/// `(您|您的)?((当前|现在)(所在|的)?)?位置:`, a breadcrumb's start.
fn is_position(s: &str) -> bool {
    let strip = |s: &'static [&'static str], rest: &str| -> Option<usize> {
        s.iter().find(|o| rest.starts_with(*o)).map(|o| o.len())
    };
    let mut rest = s;
    if let Some(n) = strip(POSITION_WHO, rest) {
        rest = &rest[n..];
    }
    if let Some(n) = strip(POSITION_WHEN, rest) {
        rest = &rest[n..];
        if let Some(n) = strip(POSITION_JOIN, rest) {
            rest = &rest[n..];
        }
    }
    rest.strip_prefix("位置")
        .is_some_and(|r| r.starts_with([':', '：']))
}

/// Two or more [`NAV_WORDS`] and nothing else.
fn is_nav_bar(s: &str) -> bool {
    let mut rest = s;
    let mut words = 0;
    while !rest.is_empty() {
        match NAV_WORDS.iter().find_map(|w| rest.strip_prefix(w)) {
            Some(r) => {
                rest = r;
                words += 1;
            }
            None => return false,
        }
    }
    words >= 2
}

/// Splits off the ASCII digits that open `s`.
fn split_digits(s: &str) -> (&str, &str) {
    let n = s.bytes().take_while(u8::is_ascii_digit).count();
    s.split_at(n)
}

/// `16.10KB`, `2MB`: a file size alone.
fn is_size(s: &str) -> bool {
    let (int, rest) = split_digits(s);
    let rest = match rest.strip_prefix('.') {
        Some(r) => {
            let (frac, r) = split_digits(r);
            if frac.is_empty() {
                return false;
            }
            r
        }
        None => rest,
    };
    !int.is_empty()
        && ["KB", "MB", "K", "M", "B"]
            .iter()
            .any(|u| rest.eq_ignore_ascii_case(u))
}

/// `8页`: a page count alone (`约` already taken off).
fn is_page_count(s: &str) -> bool {
    let (n, rest) = split_digits(s);
    !n.is_empty() && rest == "页"
}

/// `6.9千字`: a word count (`约` already taken off).
fn is_word_count(s: &str) -> bool {
    let n = s
        .bytes()
        .take_while(|b| b.is_ascii_digit() || *b == b'.')
        .count();
    n > 0 && matches!(&s[n..], "千字" | "万字" | "字")
}

/// `2020-01-02`, `2020/1/2`, `2020.01.02` at the start of `s`; the rest.
/// Spaces are gone, so a time may follow the day at once (`2020-01-0209:30`):
/// month and day keep two digits at most.
fn numeric_date(s: &str) -> Option<&str> {
    let (year, mut rest) = split_digits(s);
    if year.len() != 4 {
        return None;
    }
    for _ in 0..2 {
        rest = rest.strip_prefix(['-', '/', '.'])?;
        let n = rest.bytes().take_while(u8::is_ascii_digit).count().min(2);
        if n == 0 {
            return None;
        }
        rest = &rest[n..];
    }
    Some(rest)
}

/// A value that opens with a numeric date, or at least its year and month
/// (`2020-01`).
fn starts_with_numeric_date(s: &str) -> bool {
    let (year, rest) = split_digits(s);
    year.len() == 4
        && rest
            .strip_prefix(['-', '/', '.'])
            .is_some_and(|r| r.starts_with(|c: char| c.is_ascii_digit()))
}

/// A numeric date alone, with a time (`2020-01-02 09:30`) or `发布` and a
/// few characters (`2020-01-02 发布于北京`) after it.
fn is_date_line(s: &str) -> bool {
    let Some(mut rest) = numeric_date(s) else {
        return false;
    };
    let (hour, r) = split_digits(rest);
    if !hour.is_empty() && hour.len() <= 2 {
        if let Some(r) = r.strip_prefix(':') {
            let (minute, r) = split_digits(r);
            if minute.len() != 2 {
                return false;
            }
            rest = match r.strip_prefix(':') {
                Some(r) => {
                    let (second, r) = split_digits(r);
                    if second.len() != 2 {
                        return false;
                    }
                    r
                }
                None => r,
            };
        }
    }
    rest.is_empty()
        || ["发布", "發布", "發佈"]
            .iter()
            .any(|p| rest.strip_prefix(p).is_some_and(|r| r.chars().count() <= 8))
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

/// Whether a line holds sharing-site boilerplate or spam anywhere
/// ([`SHARING_SITE`] in short lines, [`BOILERPLATE`], [`SPAM_TRIGGERS`] in
/// their context, an HTML tag, or two [`SEPARATORS`] in a short line). One
/// pass over the characters; a character that opens no word is turned away
/// by one bitmap lookup.
fn has_boilerplate(line: &str) -> bool {
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

/// The line without pinyin inserts (`時(shí)間` → `時間`), which some
/// sites put after characters; borrowed when it has none.
fn without_pinyin(line: &str) -> std::borrow::Cow<'_, str> {
    let mut inserts = memchr::memchr_iter(b'(', line.as_bytes())
        .filter_map(|at| pinyin_insert_len(line, at).map(|len| (at, len)))
        .peekable();
    if inserts.peek().is_none() {
        return line.into();
    }
    let mut out = String::with_capacity(line.len());
    let mut from = 0;
    for (at, len) in inserts {
        out.push_str(&line[from..at]);
        from = at + len;
    }
    out.push_str(&line[from..]);
    out.into()
}

/// Byte length of a pinyin insert (`(shí)`, one syllable after a Chinese
/// character) at `at`, where `line` has a `(`.
fn pinyin_insert_len(line: &str, at: usize) -> Option<usize> {
    let before = line[..at].chars().next_back()?;
    if !('\u{3400}'..='\u{9fff}').contains(&before) {
        return None;
    }
    let rest = &line[at + 1..];
    for (letters, (i, c)) in rest.char_indices().enumerate() {
        if c == ')' {
            return (letters > 0).then_some(i + 2);
        }
        if letters == 6 || !is_pinyin_letter(c) {
            return None;
        }
    }
    None
}

fn is_pinyin_letter(c: char) -> bool {
    c.is_ascii_lowercase()
        || matches!(
            c,
            'ā' | 'á'
                | 'ǎ'
                | 'à'
                | 'ē'
                | 'é'
                | 'ě'
                | 'è'
                | 'ī'
                | 'í'
                | 'ǐ'
                | 'ì'
                | 'ō'
                | 'ó'
                | 'ǒ'
                | 'ò'
                | 'ū'
                | 'ú'
                | 'ǔ'
                | 'ù'
                | 'ǖ'
                | 'ǘ'
                | 'ǚ'
                | 'ǜ'
                | 'ü'
        )
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

/// True for characters of Chinese text (ideographs, CJK and full-width
/// punctuation, curly quotes, dashes): spaces next to them are layout noise.
pub fn is_wide(c: char) -> bool {
    let u = c as u32;
    u >= 0x2E80 || (0x2010..=0x206F).contains(&u)
}

/// Folds full-width digits and Latin letters to ASCII and removes spaces that
/// sit next to Chinese text (PDF extraction puts them inside words).
///
/// Runs over every byte of every plan, so it copies runs of characters that
/// need nothing whole and decodes only characters whose first byte may
/// start a space or a full-width form.
pub fn clean_line(line: &str, out: &mut String) {
    let base = out.len();
    let bytes = line.as_bytes();
    // Bytes before `run` are dealt with; `run..i` is still to be copied.
    let mut run = 0;
    let mut i = 0;
    // A space was dropped after something was written: the next character
    // decides whether one space comes back.
    let mut pending_space = false;
    while i < bytes.len() {
        if !pending_space {
            // Jump to the next byte that may start a space or a foldable
            // form: ASCII up to the space, and the lead bytes of U+0085,
            // U+00A0, U+1680, U+2000.., U+3000 and U+FEFF/U+FF10...
            match crate::bytes::find(bytes, i, 0x21, [0xC2, 0xE1, 0xE2, 0xE3, 0xEF]) {
                None => break,
                Some(p) => i = p,
            }
            match bytes[i] {
                // CJK punctuation (U+3001..): plain, but U+3000 is a space.
                0xE3 if bytes[i + 1..i + 3] != [0x80, 0x80] => {
                    i += 3;
                    continue;
                }
                // Full-width forms (，：（）): plain, but digits and letters
                // fold and U+FEFF is a space.
                0xEF if !matches!(
                    bytes[i + 1..i + 3],
                    [0xBC, 0x90..=0x99 | 0xA1..=0xBA] | [0xBD, 0x81..=0x9A] | [0xBB, 0xBF]
                ) =>
                {
                    i += 3;
                    continue;
                }
                _ => {}
            }
        }
        let Some(c) = line[i..].chars().next() else {
            break;
        };
        let next = i + c.len_utf8();
        if is_space(c) {
            out.push_str(&line[run..i]);
            pending_space = out.len() > base;
            run = next;
            i = next;
            continue;
        }
        let folded = fold_width(c);
        if pending_space {
            pending_space = false;
            out.push_str(&line[run..i]);
            run = i;
            if let Some(prev) = out[base..].chars().next_back() {
                if !is_wide(prev) && !is_wide(folded) {
                    out.push(' ');
                }
            }
        }
        if folded != c {
            out.push_str(&line[run..i]);
            out.push(folded);
            run = next;
        }
        i = next;
    }
    out.push_str(&line[run..]);
}

/// Chinese numeral characters, as in outline numbering (一、, 十二是).
pub const fn is_cn_numeral(c: char) -> bool {
    matches!(
        c,
        '一' | '二'
            | '三'
            | '四'
            | '五'
            | '六'
            | '七'
            | '八'
            | '九'
            | '十'
            | '百'
            | '零'
            | '〇'
            | '两'
    )
}

/// Full-width ASCII digits and letters become their ASCII forms.
pub const fn fold_width(c: char) -> char {
    match c {
        '０'..='９' | 'Ａ'..='Ｚ' | 'ａ'..='ｚ' => match char::from_u32(c as u32 - 0xFEE0) {
            Some(folded) => folded,
            None => c,
        },
        _ => c,
    }
}

/// Punctuation that ends a sentence or introduces a list: a line ending in one
/// of these is a real paragraph end.
fn ends_paragraph(text: &str) -> bool {
    let mut rev = text.chars().rev();
    match rev.next() {
        Some('。' | '！' | '？' | '!' | '?' | '；' | ';' | '：' | ':' | '…') => true,
        Some('”' | '"' | '’' | '」' | '』' | ')' | '）') => {
            matches!(rev.next(), Some('。' | '！' | '？' | '!' | '?'))
        }
        _ => false,
    }
}

/// Punctuation that cannot end a paragraph: the line surely continues.
fn ends_mid_sentence(text: &str) -> bool {
    matches!(
        text.chars().last(),
        Some('，' | ',' | '、' | '（' | '(' | '《' | '“' | '—' | '-')
    )
}

/// [`Paragraph::last_line_chars`] stops counting here, above every
/// threshold it is compared with.
pub const LINE_CHARS_COUNTED: usize = 64;

/// Lines shorter than this (in characters) without closing punctuation are
/// taken as headings or titles, not as lines broken by page layout.
const MIN_BROKEN_LINE_CHARS: usize = 20;
/// A line that starts with an outline marker is a heading unless it is longer
/// than this; a wrapped heading is rare, a wrapped item is common.
const MIN_BROKEN_MARKER_LINE_CHARS: usize = 28;

const _: () = assert!(
    LINE_CHARS_COUNTED >= MIN_BROKEN_LINE_CHARS
        && LINE_CHARS_COUNTED >= MIN_BROKEN_MARKER_LINE_CHARS
);

/// Decides whether `next` continues the paragraph `prev` (a line broken by
/// page layout) or starts a new one.
fn continues(prev: &Paragraph, next_starts_with_marker: bool) -> bool {
    if next_starts_with_marker || prev.text.is_empty() || ends_paragraph(&prev.text) {
        return false;
    }
    if ends_mid_sentence(&prev.text) {
        return true;
    }
    let heading_like =
        prev.starts_with_marker && prev.pieces.len() == 1 && !prev.text.contains(['，', ',']);
    let needed = if heading_like {
        MIN_BROKEN_MARKER_LINE_CHARS
    } else {
        MIN_BROKEN_LINE_CHARS
    };
    prev.last_line_chars >= needed
}

/// Appends a cleaned line to a paragraph, recording where it came from.
fn push_line(para: &mut Paragraph, line: &Line<'_>, index: usize) {
    // Lines are trimmed, so the cleaned line starts with the line's first
    // character (folded).
    let first = line.content.chars().next().map(fold_width);
    if let (Some(a), Some(b)) = (para.text.chars().last(), first) {
        if a.is_ascii_alphanumeric() && b.is_ascii_alphanumeric() {
            para.text.push(' ');
        }
    }
    let start = para.text.len();
    para.text.reserve(line.content.len());
    para.pieces.push(Piece {
        clean_offset: start,
        source_start: line.start,
        source_len: line.content.len(),
        line: line.number,
        index,
    });
    clean_line(line.content, &mut para.text);
    // Only compared with thresholds of a few dozen characters: a line of
    // four times as many bytes is long enough without counting.
    let cleaned = &para.text[start..];
    para.last_line_chars = if line.cut_before || cleaned.len() >= 4 * LINE_CHARS_COUNTED {
        LINE_CHARS_COUNTED
    } else {
        cleaned.chars().count().min(LINE_CHARS_COUNTED)
    };
}

/// Builds clean paragraphs from lines: chrome dropped, broken lines joined.
/// `is_marker` tells whether a line opens an outline item (then it always
/// starts a paragraph). Lines for which `keep_alone` is true (the document
/// title) are never joined with their neighbours.
pub fn paragraphs(
    lines: &[Line<'_>],
    is_marker: impl Fn(&str) -> bool,
    keep_alone: impl Fn(usize) -> bool,
) -> Vec<Paragraph> {
    let mut out: Vec<Paragraph> = Vec::new();
    let mut last_alone = false;
    for (i, line) in lines.iter().enumerate() {
        if line.content.is_empty() || is_chrome(line.content) {
            continue;
        }
        let alone = keep_alone(i);
        let marker = is_marker(line.content);
        let join =
            !alone && !last_alone && out.last().map(|p| continues(p, marker)).unwrap_or(false);
        if !join {
            out.push(Paragraph {
                starts_with_marker: marker,
                ..Paragraph::default()
            });
        }
        if let Some(p) = out.last_mut() {
            push_line(p, line, i);
        }
        last_alone = alone;
    }
    out.retain(|p| !p.text.is_empty());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// Lines are the text split at every `\n`, trimmed, with offsets.
        #[test]
        fn lines_are_the_text_split_at_newlines(text in "[a \n\r\u{3000}工•-]{0,40}") {
            let got = lines(&text);
            let parts: Vec<&str> = text.split('\n').collect();
            proptest::prop_assert_eq!(got.len(), parts.len());
            for (i, (line, raw)) in got.iter().zip(&parts).enumerate() {
                proptest::prop_assert_eq!(line.number, i + 1);
                proptest::prop_assert_eq!(line.content, strip_bullet(raw.trim_matches(is_space)));
                proptest::prop_assert_eq!(&text[line.start..line.start + line.content.len()], line.content);
            }
        }
    }

    fn clean(s: &str) -> String {
        let mut out = String::new();
        clean_line(s, &mut out);
        out
    }

    proptest::proptest! {
        /// The byte-level cleaner gives exactly what the per-character
        /// definition gives, CJK, full-width forms and Unicode spaces
        /// included, whatever was written before it.
        #[test]
        fn clean_line_matches_its_definition(
            chars in proptest::collection::vec(
                proptest::prop_oneof![
                    proptest::char::range('一', '龥'),
                    proptest::char::range('\u{3000}', '\u{303f}'),
                    proptest::char::range('\u{ff00}', '\u{ff65}'),
                    proptest::char::range('\u{2000}', '\u{2060}'),
                    proptest::sample::select(vec![' ', '\t', 'a', '1', '\u{a0}', '\u{85}', '\u{1680}', '\u{feff}']),
                    proptest::char::any(),
                ],
                0..24,
            ),
            before in proptest::sample::select(vec!["", "a", "党"]),
        ) {
            let s: String = chars.into_iter().collect();
            let mut fast = before.to_string();
            clean_line(&s, &mut fast);
            let mut slow = before.to_string();
            clean_line_by_chars(&s, &mut slow);
            proptest::prop_assert_eq!(fast, slow, "{:?}", s);
        }
    }

    /// The definition of [`clean_line`], one character at a time.
    fn clean_line_by_chars(line: &str, out: &mut String) {
        let mut pending_space = false;
        let mut prev: Option<char> = None;
        for c in line.chars() {
            if is_space(c) {
                pending_space = prev.is_some();
                continue;
            }
            let c = fold_width(c);
            if pending_space {
                if let Some(p) = prev {
                    if !is_wide(p) && !is_wide(c) {
                        out.push(' ');
                    }
                }
                pending_space = false;
            }
            out.push(c);
            prev = Some(c);
        }
    }

    #[test]
    fn spaces_inside_chinese_words_are_removed() {
        assert_eq!(clean("印 发给你们"), "印发给你们");
        assert_eq!(
            clean("2020 年全市 卫生健康工作要点"),
            "2020年全市卫生健康工作要点"
        );
        assert_eq!(
            clean("DRG 收付费 and more words"),
            "DRG收付费and more words"
        );
        assert_eq!(clean("１２３．ａｂ"), "123．ab");
    }

    #[test]
    fn chrome_first_chars_cover_every_pattern() {
        for p in CHROME_EXACT.iter().chain(CHROME_PREFIXES) {
            let c = p.chars().next().unwrap();
            assert!(may_open_chrome(c), "{p}");
        }
        // And no character opens nothing.
        let firsts: Vec<char> = CHROME_EXACT
            .iter()
            .chain(CHROME_PREFIXES)
            .map(|p| p.chars().next().unwrap())
            .collect();
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            assert_eq!(may_open_chrome(c), firsts.contains(&c), "{c}");
        }
    }

    /// [`is_chrome`] without its shortcuts: every test on every line.
    fn is_chrome_by_definition(line: &str) -> bool {
        let text = without_pinyin_by_definition(line);
        if text.len() > MAX_BOILERPLATE_BYTES {
            return false;
        }
        let compact: String = text.chars().filter(|c| !is_space(*c)).collect();
        let compact = compact.as_str();
        if compact.is_empty() {
            return false;
        }
        let short = text.len() <= MAX_CHROME_BYTES;
        let shape = CHROME_EXACT.contains(&compact)
            || CHROME_PREFIXES.iter().any(|p| compact.starts_with(p))
            || (compact.chars().count() <= 60
                && (compact.contains("来源:") || compact.contains("来源：")))
            || is_page_number(compact)
            || compact.chars().all(is_punctuation)
            || site_furniture_by_definition(compact, text.len() <= MAX_SITE_LINE_BYTES);
        (short && shape) || anywhere_by_definition(&text, short)
    }

    /// [`site_furniture`] by its lists, without the tables.
    fn site_furniture_by_definition(c: &str, whole: bool) -> bool {
        let label =
            |s: &str, bracketed| LABELS.iter().any(|&(l, v)| label_fits(s, l, v, bracketed));
        let digit = c.starts_with(|c: char| c.is_ascii_digit());
        (whole && digit && (is_size(c) || is_page_count(c) || is_date_line(c)))
            || (whole
                && c.strip_prefix('约')
                    .is_some_and(|r| is_page_count(r) || is_word_count(r)))
            || label(c, false)
            || c.strip_prefix(['【', '[']).is_some_and(|r| label(r, true))
            || (whole && SITE_LINES.contains(&c))
            || SITE_PREFIXES.iter().any(|p| c.starts_with(p))
            || is_position(c)
            || (whole && is_nav_bar(c))
    }

    /// [`has_boilerplate`] by its lists, every word searched for alone.
    fn anywhere_by_definition(text: &str, short: bool) -> bool {
        let words = (short && SHARING_SITE.iter().any(|w| text.contains(w)))
            || BOILERPLATE.iter().any(|w| text.contains(w));
        let spam = SPAM_TRIGGERS.iter().any(|&(w, t)| {
            text.match_indices(w).any(|(i, _)| {
                let after = &text[i + w.len()..];
                match t {
                    Trigger::Jiujiu => !after.starts_with("为功"),
                    Trigger::Url => !text.contains('。') && !text.contains('；'),
                    Trigger::File => short,
                    Trigger::Page => {
                        let digits = after.bytes().take_while(u8::is_ascii_digit).count();
                        short && digits > 0 && after[digits..].starts_with('页')
                    }
                }
            })
        });
        let tag = text.match_indices('<').any(|(i, _)| {
            let name = &text[i + 1..];
            let name = name.strip_prefix('/').unwrap_or(name);
            name.starts_with(|c: char| c.is_ascii_alphabetic()) && name.contains('>')
        });
        let separators = text
            .match_indices(SEPARATORS)
            .filter(|(i, m)| {
                let next = text[i + m.len()..].chars().find(|c| !is_space(*c));
                !next.is_some_and(|c| c.is_ascii_digit() || c == '=')
            })
            .count();
        words || spam || tag || (short && separators >= 2)
    }

    /// [`without_pinyin`] one character at a time.
    fn without_pinyin_by_definition(line: &str) -> String {
        let chars: Vec<char> = line.chars().collect();
        let mut out = String::new();
        let mut i = 0;
        while i < chars.len() {
            if chars[i] == '(' && i > 0 && ('\u{3400}'..='\u{9fff}').contains(&chars[i - 1]) {
                let letters = chars[i + 1..]
                    .iter()
                    .take_while(|c| is_pinyin_letter(**c))
                    .count();
                if (1..=6).contains(&letters) && chars.get(i + 1 + letters) == Some(&')') {
                    i += letters + 2;
                    continue;
                }
            }
            out.push(chars[i]);
            i += 1;
        }
        out
    }

    /// Pieces of the lines [`chrome_shortcut_changes_nothing`] is made of.
    fn chrome_parts() -> Vec<&'static str> {
        let mut parts: Vec<&'static str> = Vec::new();
        parts.extend(CHROME_EXACT);
        parts.extend(CHROME_PREFIXES);
        parts.extend(SHARING_SITE);
        parts.extend(BOILERPLATE);
        parts.extend(SPAM_TRIGGERS.iter().map(|(w, _)| *w));
        parts.extend(LABELS.iter().map(|(l, _)| *l));
        parts.extend(SITE_LINES);
        parts.extend(SITE_PREFIXES);
        parts.extend(NAV_WORDS);
        parts.extend(POSITION_WHO);
        parts.extend(POSITION_WHEN);
        parts.extend(POSITION_JOIN);
        parts.extend([
            "第",
            "页",
            "共",
            "来",
            "源",
            ":",
            "：",
            "|",
            "3",
            "12",
            "2020",
            "/",
            "-",
            "—",
            " ",
            "\u{3000}",
            "卫生",
            "健康",
            "工作",
            "。",
            "；",
            "，",
            "a",
            "*",
            "（一）",
            "1.",
            "·",
            "•",
            "－",
            "–",
            "３",
            ".5",
            "KB",
            "约",
            "千字",
            "发布",
            "位置",
            "为功",
            "<",
            "<p ",
            "</a>",
            "/",
            ">",
            "›",
            "＞",
            "»",
            "=",
            "140",
            "(shí)",
            "(a)",
            "時",
            "【",
            "】",
            "[",
            "]",
            "doc",
            "09:30",
            "-01-02",
            "加强基层医疗卫生服务能力建设推进家庭医生签约服务工作",
        ]);
        parts
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(4000))]
        /// The shortcuts of `is_chrome` (first-character dispatch, word
        /// tables, bitmap, copies of a line's start) never change its
        /// answer, on lines made of furniture words, digits, dashes,
        /// spaces and text, short and long.
        #[test]
        fn chrome_shortcut_changes_nothing(
            parts in proptest::collection::vec(
                proptest::prop_oneof![
                    3 => proptest::sample::select(chrome_parts()),
                    2 => proptest::sample::select(vec![
                        ":", "：", "|", " ", "\u{3000}", "2020-01-02", "12", "页", "。",
                    ]),
                ],
                1..8,
            ),
            long in 0usize..12,
        ) {
            let line = parts.concat() + &"卫生健康工作".repeat(long * long);
            let line = line.trim_matches(is_space);
            proptest::prop_assert_eq!(is_chrome(line), is_chrome_by_definition(line), "{:?}", line);
        }
    }

    #[test]
    fn chrome_first_chars_cover_every_pattern_anywhere() {
        let mut firsts: Vec<char> = SHARING_SITE
            .iter()
            .chain(BOILERPLATE)
            .chain(SPAM_TRIGGERS.iter().map(|(w, _)| w))
            .map(|w| w.chars().next().unwrap())
            .collect();
        firsts.extend(SEPARATORS);
        firsts.push('<');
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            assert_eq!(may_open_anywhere(c), firsts.contains(&c), "{c}");
        }
        // The tables hold every word once, sorted by first character.
        assert_eq!(
            WORDS.len(),
            SHARING_SITE.len() + BOILERPLATE.len() + SPAM_TRIGGERS.len()
        );
        assert!(WORDS.windows(2).all(|w| w[0].first <= w[1].first));
        for w in &WORDS {
            let mut chars = w.text.chars().map(u32::from);
            assert_eq!(chars.next(), Some(w.first));
            let h = pair_hash(w.first, chars.next().unwrap());
            assert!(PAIRS[h >> 6] >> (h & 63) & 1 == 1, "{}", w.text);
        }
        assert!(STARTS.windows(2).all(|w| w[0].first <= w[1].first));
        for (l, _) in LABELS {
            assert!(
                starts_of(l.chars().next().unwrap())
                    .iter()
                    .any(|w| w.text == *l),
                "{l}"
            );
        }
    }

    #[test]
    fn chrome_lines_are_recognised() {
        for l in [
            "首页 > 政务公开 > 规划计划",
            "【字体: 视力保护色:",
            "分享到:",
            "附件下载",
            "责任编辑:市卫健委",
            "发布日期:2019-03-22信息来源:株洲市卫生健康委",
            "2022-12-20 来源:步旅网",
            "因篇幅问题不能全部显示,请点此查看更多更全内容",
            "- 3 -",
            "第3页",
            "第 3 页 共 12 页",
            "X",
            "3",
            "12/30",
            "3-",
            "- - -",
            "打印 本页",
        ] {
            assert!(is_chrome(l), "{l}");
        }
        for l in [
            "一、总体要求",
            "(一)全面落实党建责任。",
            "重点抓好十个方面的工作:",
        ] {
            assert!(!is_chrome(l), "{l}");
        }
    }

    #[test]
    fn document_site_furniture_is_recognised() {
        for l in [
            // Metadata labels, plain, bracketed, traditional, with pinyin.
            "索引号：ABC123/2021-00001",
            "【发布机构】某某区卫生健康局",
            "[主题分类] 卫生",
            "[索引号]",
            "发布时间 | 2021-05-06",
            "時間:2021-05-06 10:11:12",
            "時(shí)間(jiān):2021-05-06 10:11:12",
            "來源：某某网",
            "發佈日期：2021-05-06",
            "瀏覽次數：12",
            "时间:2021-05-06 作者:某编辑",
            "时间：",
            "作者：佚名",
            "上传人:ab** 文档编号:123456 格式:DOCX",
            "大小:12.5 KB",
            "页数:6页",
            "格式:doc",
            "ID:123456",
            "总字数：约3.2千字",
            "标签: #某某计划",
            "栏目",
            "正在阅读：",
            // Breadcrumbs.
            "位置：首页 > 文档 > 计划",
            "您当前的位置：",
            "现在位置:某某网>总结>计划",
            "首页 > 文档 > 计划 > 某某工作计划",
            "某某网 › 计划 › 总结",
            "首页 工作文档",
            // Document-site lines.
            "16.5 KB",
            "约 8页",
            "约2.5千字",
            "8页",
            "2 / 9",
            "举报",
            "VIP专免",
            "侵权投诉",
            "资源描述：",
            "全文预览",
            "订单查询",
            "下载此文档",
            "下载提示",
            "手机查看",
            "打开手机扫描二维码",
            "返回 下载 相关 举报",
            "2021-05-06",
            "2021-05-06 10:11",
            "2021-05-06 发布",
            "2021-05-06 发布于某省",
            // File and page lines.
            "某某工作方案.docx_第2页",
            "《某某工作方案.docx》资源",
            "第2页 / 共9页",
            "已阅读5页，还剩3页未读",
            // Sharing-site boilerplate.
            "下面是小编为大家整理的某某工作计划，希望对您有所帮助。",
            "本文档由用户上传，收益归属内容提供方",
            "版权说明：本文档由用户提供并上传",
            "如文档侵犯您的权益，请联系客服反馈",
            "以下内容仅供参考，欢迎阅读与收藏。",
            "更多内容请访问某某文库",
            "精选优质文档-倾情为你奉上",
            "欢迎访问某某医疗网 | 网站首页",
            "某某范文网",
            // Spam.
            "<div id=\"a1\"></div><span id=\"a1\"></span>",
            "</p>",
            "久久热门精品久久",
            "某某网 www.example.cn",
            "http://example.cn/a",
            "Copyright 2010-2020 某某网",
            "→点击进入免费试听>>",
        ] {
            assert!(is_chrome(l), "{l}");
        }
    }

    #[test]
    fn plan_lines_are_not_site_furniture() {
        for l in [
            "开通微信公众号和政府网站专栏，宣传健康知识。",
            "持之以恒、久久为功，推进健康城市建设。",
            "暂停棋牌室、网吧等人员密集场所营业。",
            "对血压>140/90mmHg的患者及时转诊。",
            "时间：2021年3月至12月",
            "时间安排",
            "作者单位要如实填写申报材料。",
            "建立健全举报制度，鼓励社会公众参与监督。",
            "推广电子健康码二维码，方便群众扫码就医。",
            "开通12320卫生热线客服，回应群众关切。",
            "加强中医药知识产权和版权保护。",
            "登录www.example.gov.cn填报数据。",
            "首先，加强组织领导。",
            "当前，我市卫生健康事业发展面临新的形势。",
            "大力推进健康城市建设",
            "2021年5月6日",
            "1.加强组织领导",
            "约束机制进一步健全",
            "下一步工作打算",
            "第一章 总则",
        ] {
            assert!(!is_chrome(l), "{l}");
        }
    }

    #[test]
    fn pinyin_inserts_are_ignored() {
        assert_eq!(without_pinyin("時(shí)間(jiān):1"), "時間:1");
        assert_eq!(without_pinyin("(a)加强"), "(a)加强");
        assert_eq!(without_pinyin("加强(一)组织"), "加强(一)组织");
        assert_eq!(without_pinyin("项目(abcdefg)"), "项目(abcdefg)");
    }

    #[test]
    fn file_names_lose_extension_and_page() {
        assert_eq!(without_file_suffix("某某工作方案.docx"), "某某工作方案");
        assert_eq!(
            without_file_suffix("某某工作方案.DOC_第3页"),
            "某某工作方案"
        );
        assert_eq!(without_file_suffix("某某工作方案_第12页"), "某某工作方案");
        assert_eq!(
            without_file_suffix("某某工作方案.pdf "),
            "某某工作方案.pdf "
        );
        assert_eq!(without_file_suffix(".doc"), ".doc");
        assert_eq!(without_file_suffix("第3页"), "第3页");
        assert_eq!(without_file_suffix("加强组织领导"), "加强组织领导");
    }

    #[test]
    fn broken_lines_are_joined_but_paragraphs_are_not() {
        let text = "1. 全系统各级党委把不忘初心、牢记使命作为加强 党的建设的永恒课题,始终做到初心\n\n如磐、使命在肩。\n2. 第二项。\n一、短标题\n正文第一段。\n正文第二段。";
        let ls = lines(text);
        let paras = paragraphs(&ls, |l| l.starts_with(['1', '2', '一']), |_| false);
        let texts: Vec<&str> = paras.iter().map(|p| p.text.as_str()).collect();
        assert_eq!(
            texts,
            [
                "1.全系统各级党委把不忘初心、牢记使命作为加强党的建设的永恒课题,始终做到初心如磐、使命在肩。",
                "2.第二项。",
                "一、短标题",
                "正文第一段。",
                "正文第二段。"
            ]
        );
        let p = &paras[0];
        assert_eq!(p.line_of(p.text.len() - 1), 3);
        assert_eq!(&text[p.source_offset(0)..p.source_offset(0) + 2], "1.");
    }
}
