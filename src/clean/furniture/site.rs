//! Document-site furniture recognised by its start or its whole shape:
//! metadata labels (`索引号:`), download prompts, breadcrumbs, file sizes,
//! page and word counts, dates and navigation bars.

use super::chars::{sorted_by_first, split_digits, Keyed};

/// What may follow a metadata label.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) enum Value {
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
pub(super) const LABELS: &[(&str, Value)] = &[
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
    ("发文机关", Value::Any),
    ("發文機關", Value::Any),
    ("发文字号", Value::Any),
    ("發文字號", Value::Any),
    ("有效性", Value::Any),
    ("时效性", Value::Any),
    ("時效性", Value::Any),
    ("效力级别", Value::Any),
    ("发布部门", Value::Any),
    ("颁发部门", Value::Any),
    ("政策文号", Value::Any),
    ("信息分类", Value::Any),
    ("有效地区", Value::Any),
    ("实施日期", Value::Any),
];

/// Whole lines that are document-site furniture.
pub(super) const SITE_LINES: &[&str] = &[
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
    "正文内容",
    "洞察市场格局",
    "解锁药品研发情报",
    "免费客服电话",
    "试用企业版",
];

/// Labels of a law database's or government site's metadata block when
/// each stands alone on its line with its value on the next
/// (`发文字号` / `泉政文〔2018〕105号`): in simplified and traditional
/// characters. Only labels plan text never has as a line of its own.
pub(super) const BLOCK_LABELS: &[&str] = &[
    "索引号",
    "發文字號",
    "发文字号",
    "发文机关",
    "發文機關",
    "发布机构",
    "發布機構",
    "发布机关",
    "发布部门",
    "颁发部门",
    "頒發部門",
    "发布日期",
    "發布日期",
    "成文日期",
    "实施日期",
    "實施日期",
    "生效日期",
    "信息分类",
    "主题分类",
    "体裁分类",
    "法规类别",
    "公开方式",
    "有效地区",
    "时效性",
    "時效性",
    "效力级别",
    "效力級別",
];

/// Longest value (in characters) of a [`BLOCK_LABELS`] label on the line
/// after it: a date, a 文号, an office, a category.
pub(super) const MAX_BLOCK_VALUE_CHARS: usize = 40;

/// Starts of download prompts, breadcrumbs and sharing-site headings.
pub(super) const SITE_PREFIXES: &[&str] = &[
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
pub(super) const NAV_WORDS: &[&str] = &[
    "返回",
    "下载",
    "相关",
    "举报",
    "分享",
    "收藏",
    "打印",
    "关闭",
    "首页",
    // A government site's footer links (`联系我们 | 网站地图 | 隐私声明`).
    "联系我们",
    "网站地图",
    "隐私声明",
    "免责声明",
    "法律声明",
    "网站声明",
    "关于我们",
    "设为首页",
    "加入收藏",
    "使用帮助",
    "网站导航",
    "政务微博",
    "政务微信",
    "手机版",
    "微信",
    "微博",
    "QQ空间",
    "我要纠错",
    "纠错",
];

/// What may stand between the words of a navigation bar.
const NAV_SEPARATORS: &[char] = &[
    '|', '｜', '丨', '·', '/', '／', '-', '—', '【', '】', '[', ']',
];

/// Openings of a breadcrumb's `位置:` (`您当前的位置:`): who, then when,
/// then (only after when) a joining word.
pub(super) const POSITION_WHO: &[&str] = &["您的", "您"];
pub(super) const POSITION_WHEN: &[&str] = &["当前", "现在", "當前", "現在"];
pub(super) const POSITION_JOIN: &[&str] = &["所在", "的"];

/// Whether a line (spaces removed: all of it or at least its first
/// [`HEAD_CHARS`] characters) has the shape of a document site's
/// furniture: a metadata label, a breadcrumb's `位置:` or a download
/// prompt at its start, or, when `whole` (the line is at most
/// [`MAX_SITE_LINE_BYTES`] long), a file size, page or word count, a date,
/// a [`SITE_LINES`] line or a navigation bar alone.
pub(super) fn site_furniture(compact: &str, whole: bool) -> bool {
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
        if opens(rest, true) {
            return true;
        }
    }
    is_position(compact) || (whole && is_nav_bar(compact))
}

/// What a [`STARTS`] word is.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) enum Start {
    /// One of [`LABELS`].
    Label(Value),
    /// One of [`SITE_LINES`].
    Line,
    /// One of [`SITE_PREFIXES`].
    Prefix,
}

/// A word [`site_furniture`] looks for at a line's start, with its first
/// character.
pub(super) type StartWord = Keyed<Start>;

pub(super) const N_STARTS: usize = LABELS.len() + SITE_LINES.len() + SITE_PREFIXES.len();

/// [`LABELS`], [`SITE_LINES`] and [`SITE_PREFIXES`] sorted by first
/// character, so that a line's first character finds the few it may open
/// with.
pub(super) static STARTS: [StartWord; N_STARTS] = {
    let mut words = [Keyed::new(" ", Start::Line); N_STARTS];
    let mut n = 0;
    let mut i = 0;
    while i < LABELS.len() {
        words[n] = Keyed::new(LABELS[i].0, Start::Label(LABELS[i].1));
        n += 1;
        i += 1;
    }
    let mut i = 0;
    while i < SITE_LINES.len() {
        words[n] = Keyed::new(SITE_LINES[i], Start::Line);
        n += 1;
        i += 1;
    }
    let mut i = 0;
    while i < SITE_PREFIXES.len() {
        words[n] = Keyed::new(SITE_PREFIXES[i], Start::Prefix);
        n += 1;
        i += 1;
    }
    sorted_by_first(words)
};

/// The [`STARTS`] words that open with `c`.
pub(super) fn starts_of(c: char) -> &'static [StartWord] {
    let u = c as u32;
    let from = STARTS.partition_point(|w| w.first < u);
    let n = STARTS[from..].partition_point(|w| w.first == u);
    &STARTS[from..from + n]
}

/// Whether `s` opens with the metadata label `label` and a value that fits
/// it. `bracketed`: `s` follows `【` or `[`, which the label closes, a
/// separator then optional.
pub(super) fn label_fits(s: &str, label: &str, value: Value, bracketed: bool) -> bool {
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
pub(super) fn is_position(s: &str) -> bool {
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

/// Two or more [`NAV_WORDS`] and nothing else (separators aside).
pub(super) fn is_nav_bar(s: &str) -> bool {
    let mut rest = s.trim_start_matches(NAV_SEPARATORS);
    let mut words = 0;
    while !rest.is_empty() {
        match NAV_WORDS.iter().find_map(|w| rest.strip_prefix(w)) {
            Some(r) => {
                rest = r.trim_start_matches(NAV_SEPARATORS);
                words += 1;
            }
            None => return false,
        }
    }
    words >= 2
}

/// `16.10KB`, `2MB`: a file size alone.
pub(super) fn is_size(s: &str) -> bool {
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
pub(super) fn is_page_count(s: &str) -> bool {
    let (n, rest) = split_digits(s);
    !n.is_empty() && rest == "页"
}

/// `6.9千字`: a word count (`约` already taken off).
pub(super) fn is_word_count(s: &str) -> bool {
    let n = s
        .bytes()
        .take_while(|b| b.is_ascii_digit() || *b == b'.')
        .count();
    n > 0 && matches!(&s[n..], "千字" | "万字" | "字")
}

/// `2020-01-02`, `2020/1/2`, `2020.01.02` at the start of `s`; the rest.
/// Spaces are gone, so a time may follow the day at once (`2020-01-0209:30`):
/// month and day keep two digits at most.
pub(super) fn numeric_date(s: &str) -> Option<&str> {
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
pub(super) fn starts_with_numeric_date(s: &str) -> bool {
    let (year, rest) = split_digits(s);
    year.len() == 4
        && rest
            .strip_prefix(['-', '/', '.'])
            .is_some_and(|r| r.starts_with(|c: char| c.is_ascii_digit()))
}

/// A numeric date alone, with a time (`2020-01-02 09:30`) or `发布` and a
/// few characters (`2020-01-02 发布于北京`) after it.
pub(super) fn is_date_line(s: &str) -> bool {
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
