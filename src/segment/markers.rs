//! Outline markers (第一章, 一、, （一）, 1., （1）, ①, 一是) at the start of a
//! paragraph, and the run-in heading that may follow one.

use crate::clean;

/// Marker styles of Chinese official documents.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(super) enum Style {
    /// 第一章, 第一部分, 第一篇.
    Chapter,
    /// 第一节.
    Section,
    /// `1 总则`, `1.1 编制目的`, `2.3.1 …` (应急预案): the number of parts.
    Decimal(u8),
    CnTop,
    ParenCn,
    Arabic,
    ParenArabic,
    Circled,
    /// 第一阶段, 第一步: stages of a plan's timetable.
    Phase,
    /// 【活动内容】: an unnumbered heading in brackets.
    Bracket,
    Shi,
}

impl Style {
    /// Rank by the convention of Chinese official documents, highest
    /// first: 第X章 > 第X节 > 一、 > （一） > 1. > （1） > ①. Decimal
    /// outlines sit between: `1` under 一、, `1.1` under （一）, and so on.
    /// A marker closes every open item of its rank or lower.
    pub(super) fn rank(self) -> u8 {
        match self {
            Style::Chapter => 0,
            Style::Section => 1,
            Style::CnTop => 2,
            Style::Decimal(parts) => 1 + 2 * parts.min(4),
            Style::ParenCn => 4,
            Style::Arabic => 6,
            Style::ParenArabic => 8,
            Style::Circled => 10,
            Style::Bracket => 2,
            Style::Phase => 5,
            Style::Shi => 12,
        }
    }
}

/// A recognised outline marker at the start of a paragraph.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Marker {
    pub(super) style: Style,
    /// Normalised label used in ids: `一`, `（一）`, `61`, `（1）`, `①`, `一是`.
    pub(super) key: String,
    /// Byte length of the marker (and the spaces after it) in the paragraph.
    pub(super) len: usize,
    /// A number with no separator (`1在市级…`): a marker only where the
    /// numbering around it says so.
    pub(super) bare: bool,
}

pub(super) fn cn_numeral_len(s: &str) -> usize {
    s.char_indices()
        .take_while(|(_, c)| clean::is_cn_numeral(*c))
        .take(6)
        .last()
        .map(|(i, c)| i + c.len_utf8())
        .unwrap_or(0)
}

pub(super) fn digits_len(s: &str) -> usize {
    s.char_indices()
        .take_while(|(_, c)| c.is_ascii_digit())
        .take(5)
        .last()
        .map(|(i, c)| i + c.len_utf8())
        .unwrap_or(0)
}

pub(super) fn skip_spaces(s: &str) -> usize {
    s.len() - s.trim_start_matches(clean::is_space).len()
}

/// Whether a marker may start with this character: every branch of
/// [`parse_marker`] needs one of these first, so most paragraphs are
/// turned away by their first character.
pub(super) const fn may_open_marker(c: char) -> bool {
    matches!(c, '第' | '【' | '(' | '（' | '0'..='9' | '\u{2460}'..='\u{2473}')
        || clean::is_cn_numeral(c)
}

/// Recognises an outline marker at the start of a (clean) paragraph.
/// `allow_shi` enables the paragraph-initial `一是…` enumeration marker.
pub(super) fn parse_marker(text: &str, allow_shi: bool) -> Option<Marker> {
    if !text.chars().next().is_some_and(may_open_marker) {
        return None;
    }
    let marker = |style, key: String, len: usize| {
        let len = len + skip_spaces(&text[len..]);
        Some(Marker {
            style,
            key,
            len,
            bare: false,
        })
    };
    // 第一章 / 第一节 / 第一部分 / 第一篇
    if let Some(rest) = text.strip_prefix('第') {
        let n = cn_numeral_len(rest).max(digits_len(rest));
        if n > 0 {
            for unit in ["阶段", "步"] {
                if rest[n..].starts_with(unit) {
                    let len = '第'.len_utf8() + n + unit.len();
                    return marker(Style::Phase, text[..len].to_string(), len);
                }
            }
            for unit in ["章", "节", "部分", "篇"] {
                if rest[n..].starts_with(unit) {
                    let len = '第'.len_utf8() + n + unit.len();
                    let style = if unit == "节" {
                        Style::Section
                    } else {
                        Style::Chapter
                    };
                    return marker(style, text[..len].to_string(), len);
                }
            }
        }
    }
    // 【活动内容和方式】: a short heading with no punctuation inside.
    if let Some(rest) = text.strip_prefix('【') {
        let (inner, _) = rest.split_once('】')?;
        let chars = inner.chars().count();
        if (2..=MAX_BRACKET_CHARS).contains(&chars)
            && !inner.contains(['，', ',', '。', '：', ':', '、', '|'])
            && !BRACKET_CHROME.iter().any(|w| inner.contains(w))
        {
            let len = '【'.len_utf8() + inner.len() + '】'.len_utf8();
            return marker(Style::Bracket, inner.to_string(), len);
        }
        return None;
    }
    // 一、 / 一．
    let n = cn_numeral_len(text);
    if n > 0 {
        let rest = &text[n..];
        for sep in ['、', '．'] {
            if rest.starts_with(sep) {
                return marker(Style::CnTop, text[..n].to_string(), n + sep.len_utf8());
            }
        }
        if allow_shi && rest.starts_with('是') && n <= 6 {
            let len = n + '是'.len_utf8();
            return marker(Style::Shi, text[..len].to_string(), len);
        }
    }
    // （一） / (一) / （1） / (1), either paren width
    if let Some(open) = text.chars().next().filter(|c| *c == '(' || *c == '（') {
        let rest = &text[open.len_utf8()..];
        // `(-)`: 一 misread as a dash by text extraction.
        if let Some(dash) = rest
            .chars()
            .next()
            .filter(|c| matches!(c, '-' | '—' | '－'))
        {
            let close = rest[dash.len_utf8()..].chars().next()?;
            if close == ')' || close == '）' {
                let len = open.len_utf8() + dash.len_utf8() + close.len_utf8();
                return marker(Style::ParenCn, "（一）".to_string(), len);
            }
            return None;
        }
        let (n, style) = match (cn_numeral_len(rest), digits_len(rest)) {
            (n, _) if n > 0 => (n, Style::ParenCn),
            (_, d) if d > 0 => (d, Style::ParenArabic),
            _ => return None,
        };
        let close = rest[n..].chars().next()?;
        if close == ')' || close == '）' {
            let len = open.len_utf8() + n + close.len_utf8();
            return marker(style, ["（", &rest[..n], "）"].concat(), len);
        }
        return None;
    }
    // 1) / 1）: a half parenthesis, read as （1）.
    let d = digits_len(text);
    if d > 0 && d <= 2 && text[d..].starts_with([')', '）']) {
        let close = text[d..].chars().next()?;
        return marker(
            Style::ParenArabic,
            ["（", &text[..d], "）"].concat(),
            d + close.len_utf8(),
        );
    }
    // 1. / 1、 / 1．  (not a decimal such as 1.5)
    let d = digits_len(text);
    if let Some(m) = decimal_marker(text, d) {
        return Some(m);
    }
    if d > 0 && d <= 5 {
        let rest = &text[d..];
        let sep = rest.chars().next()?;
        if matches!(sep, '.' | '、' | '．') {
            let after = rest[sep.len_utf8()..].chars().next();
            if !matches!(after, Some(c) if c.is_ascii_digit()) {
                return marker(Style::Arabic, text[..d].to_string(), d + sep.len_utf8());
            }
        }
        // `1在市级…`: a bare number before a Chinese word (not a quantity
        // such as `3家`, `2型`).
        if d <= 2
            && ('\u{4e00}'..='\u{9fff}').contains(&sep)
            && !is_unit(sep)
            && !clean::is_cn_numeral(sep)
        {
            return Some(Marker {
                style: Style::Arabic,
                key: text[..d].to_string(),
                len: d,
                bare: true,
            });
        }
        // `6,加强…`: a comma for 、 (a short number before a Chinese word,
        // not `2,000` or `2020，`).
        if matches!(sep, ',' | '，') && d <= 2 {
            let after = rest[sep.len_utf8()..].chars().next();
            if after.is_some_and(|c| ('\u{4e00}'..='\u{9fff}').contains(&c) && !is_unit(c)) {
                return marker(Style::Arabic, text[..d].to_string(), d + sep.len_utf8());
            }
        }
        return None;
    }
    // ① … ⑳
    let c = text.chars().next()?;
    if ('\u{2460}'..='\u{2473}').contains(&c) {
        return marker(Style::Circled, c.to_string(), c.len_utf8());
    }
    None
}

/// Longest heading in brackets (【活动内容和方式】), in characters.
const MAX_BRACKET_CHARS: usize = 12;
/// Bracketed words of web pages, not headings.
const BRACKET_CHROME: &[&str] = &[
    "打印", "关闭", "字体", "字号", "大", "中", "小", "收藏", "返回", "顶部", "来源", "发布",
    "分享",
];

/// Longest heading line of a decimal outline (`1 总则`), in characters.
const MAX_DECIMAL_HEADING_CHARS: usize = 16;

/// Characters that make `1.5` a quantity rather than an outline number.
fn is_unit(c: char) -> bool {
    const UNITS: &str = "万亿千百元个倍年月日天次人岁例家所张床台件项名平米公克小分%‰％\
                         型级类期批轮支份种位条套辆座块间层株剂针周季号点时秒斤吨户室队组村镇县区省市届线孩";
    UNITS.contains(c)
}

/// A decimal outline number: `1.1编制目的`, `2.3.1 …` followed by a
/// heading; or a bare `1 总则` when the whole text is a short heading.
/// `digits` is the length of the leading digits.
fn decimal_marker(text: &str, digits: usize) -> Option<Marker> {
    if digits == 0 || digits > 2 {
        return None;
    }
    let mut end = digits;
    let mut parts = 1u8;
    while let Some(rest) = text[end..].strip_prefix('.') {
        let d = digits_len(rest);
        if d == 0 || d > 2 {
            return None;
        }
        end += 1 + d;
        parts += 1;
    }
    let spaces = skip_spaces(&text[end..]);
    let heading = &text[end + spaces..];
    let first = heading.chars().next()?;
    if !('\u{4e00}'..='\u{9fff}').contains(&first) || is_unit(first) || clean::is_cn_numeral(first)
    {
        return None;
    }
    if parts == 1 {
        // `1 总则`: only a short heading line with no punctuation.
        let chars = text.chars().count();
        if chars > MAX_DECIMAL_HEADING_CHARS
            || heading.contains(['。', '，', ',', '；', '：', ':', '、', '（', '('])
        {
            return None;
        }
    }
    Some(Marker {
        style: Style::Decimal(parts),
        key: text[..end].to_string(),
        len: end + spaces,
        bare: false,
    })
}

/// Longest run-in heading, in characters: `（一）全面落实党建责任。贯彻…`.
pub(super) const MAX_TITLE_CHARS: usize = 32;
/// A heading line with no closing punctuation is at most this long.
pub(super) const MAX_HEADING_LINE_CHARS: usize = 60;

/// Splits the text after a marker into (title, body start). A run-in heading
/// ends at the first 。/：/: when it is short and has no comma (a first
/// sentence with commas is a sentence, not a heading).
pub(super) fn split_title(rest: &str) -> (usize, usize) {
    if let Some((i, len)) = title_end(rest) {
        let title = &rest[..i];
        let chars = title.chars().count();
        if chars == 0 || chars > MAX_TITLE_CHARS || has_clause_break(title) {
            return standard_heading(rest).unwrap_or((0, 0));
        }
        let body = i + len;
        return (i, body + skip_spaces(&rest[body..]));
    }
    match whole_heading_line(rest) {
        (0, 0) => standard_heading(rest).unwrap_or((0, 0)),
        found => found,
    }
}

/// Section headings of plans, as a reader knows them without a line
/// break after them: `一、主要目标到2025年，…`.
const STANDARD_HEADINGS: &[&str] = &[
    "指导思想",
    "基本原则",
    "总体要求",
    "总体目标",
    "主要目标",
    "工作目标",
    "具体目标",
    "目标任务",
    "主要任务",
    "重点任务",
    "工作任务",
    "工作重点",
    "工作内容",
    "主要措施",
    "工作措施",
    "具体措施",
    "保障措施",
    "工作要求",
    "组织领导",
    "组织保障",
    "实施步骤",
    "实施范围",
    "工作步骤",
    "职责分工",
    "工作思路",
    "下一步工作思路",
    "下一步工作计划",
    "存在的问题",
    "存在问题",
    "主要问题",
    "工作回顾",
    "编制目的",
    "编制依据",
    "适用范围",
    "工作原则",
    "活动主题",
    "活动时间",
    "活动内容",
];

/// Words a chapter heading ends with (`…工作的新要求`, `下一步工作思路`).
const CHAPTER_HEADING_ENDS: &[&str] = &[
    "要求", "任务", "目标", "措施", "思路", "成效", "情况", "部署", "原则", "保障", "打算", "回顾",
];

/// For a chapter (一、, 第一章): a heading that ends in a heading word and
/// runs straight into a long first sentence with no punctuation between
/// (`二、下一步工作思路继续围绕中心，…`). Tried only when no heading end was
/// found otherwise.
pub(super) fn chapter_heading(rest: &str) -> Option<(usize, usize)> {
    let reach = rest
        .char_indices()
        .nth(MAX_TITLE_CHARS)
        .map_or(rest.len(), |(i, _)| i);
    let first_stop = rest[..reach]
        .find(['，', ',', '。', '；', ';', '：', ':', '、'])
        .unwrap_or(reach);
    // The shortest heading that ends in a heading word, at least four
    // characters long, with a sentence of ten characters or more after it.
    CHAPTER_HEADING_ENDS
        .iter()
        .filter_map(|w| rest[..first_stop].find(w).map(|p| p + w.len()))
        .filter(|&end| rest[..end].chars().count() >= 4)
        .filter(|&end| rest[end..].chars().take(10).count() == 10)
        .min()
        .map(|end| (end, end + skip_spaces(&rest[end..])))
}

/// A heading run into a body that opens with a year: `过去一年工作情况
/// 2017年，在市委…`. The heading is short and has no punctuation.
fn heading_before_year(rest: &str) -> Option<(usize, usize)> {
    let bytes = rest.as_bytes();
    let reach = rest
        .char_indices()
        .nth(MAX_TITLE_CHARS)
        .map_or(rest.len(), |(i, _)| i);
    // Skip a year the heading itself opens with (`2018年工作总体部署…`).
    let from = if bytes.starts_with(b"20") { 4 } else { 0 };
    // Only a `2` may start a year: found by byte search, as this runs on
    // most outline items.
    let window = bytes.get(from..reach.saturating_sub(4)).unwrap_or_default();
    let at = memchr::memchr_iter(b'2', window)
        .map(|i| from + i)
        .find(|&i| {
            bytes[i + 1] == b'0'
                && bytes[i + 2..i + 4].iter().all(u8::is_ascii_digit)
                && rest[i + 4..].starts_with('年')
                && (i == 0 || !bytes[i - 1].is_ascii_digit())
        })?;
    let heading = &rest[..at];
    if heading.chars().count() < 4
        || heading.contains(['，', ',', '。', '；', ';', '：', ':', '、', '“', '（', '('])
    {
        return None;
    }
    Some((at, at))
}

/// A standard heading run straight into its body, with no punctuation
/// between (`主要目标到2025年`). Not when the heading goes on (`主要目标和
/// 指标`) or ends the text.
fn standard_heading(rest: &str) -> Option<(usize, usize)> {
    let Some(heading) = STANDARD_HEADINGS.iter().find(|h| rest.starts_with(*h)) else {
        return heading_before_year(rest);
    };
    let next = rest[heading.len()..].chars().next()?;
    if matches!(next, '和' | '与' | '及' | '的' | '、' | '（' | '(') || next.is_ascii_punctuation()
    {
        return None;
    }
    let body = heading.len() + skip_spaces(&rest[heading.len()..]);
    Some((heading.len(), body))
}

/// [`split_title`] when no run-in heading ends: the whole text is the
/// title if it is short and has no clause break.
pub(super) fn whole_heading_line(rest: &str) -> (usize, usize) {
    // (A character is at most four bytes: longer text is no heading line.)
    if rest.len() <= MAX_HEADING_LINE_CHARS * 4
        && rest.chars().count() <= MAX_HEADING_LINE_CHARS
        && !has_clause_break(rest)
    {
        (rest.len(), rest.len())
    } else {
        (0, 0)
    }
}

/// Where a run-in heading may end: the first 。/：/:/！ and its byte
/// length, if no character before it starts more than `MAX_TITLE_CHARS * 4`
/// bytes in (a character is at most four bytes: past that no heading is
/// short enough). Found by byte search: this runs on every outline item.
pub(super) fn title_end(rest: &str) -> Option<(usize, usize)> {
    const REACH: usize = MAX_TITLE_CHARS * 4;
    let bytes = rest.as_bytes();
    // A terminator further in than this has a character starting past
    // `REACH` before it.
    let window = &bytes[..bytes.len().min(REACH + 5)];
    for i in memchr::memchr3_iter(b':', 0xE3, 0xEF, window) {
        let len = match (bytes[i], bytes.get(i + 1..i + 3)) {
            (b':', _) => 1,
            (0xE3, Some([0x80, 0x82])) | (0xEF, Some([0xBC, 0x9A | 0x81])) => 3,
            _ => continue,
        };
        let previous = rest[..i].char_indices().next_back().map_or(0, |(j, _)| j);
        return (previous <= REACH).then_some((i, len));
    }
    None
}

/// A comma or semicolon outside quotation marks: a heading has none, a
/// sentence usually does (`落实“城乡统筹,幸福株洲”行动` is still a heading).
pub(super) fn has_clause_break(s: &str) -> bool {
    let mut quoted = false;
    for c in s.chars() {
        match c {
            '“' | '《' => quoted = true,
            '”' | '》' => quoted = false,
            '"' => quoted = !quoted,
            '，' | ',' | '；' | ';' if !quoted => return true,
            _ => {}
        }
    }
    false
}

/// The outline marker a raw line opens with, and the line's start folded as
/// it was parsed. A line whose first character opens no marker is turned
/// away before its start is folded.
pub(super) fn marker_at_start(line: &str) -> Option<(Marker, std::borrow::Cow<'_, str>)> {
    if !line
        .chars()
        .next()
        .is_some_and(|c| may_open_marker(clean::fold_width(c)))
    {
        return None;
    }
    let folded = fold_start(line);
    let marker = parse_marker(&folded, true)?;
    Some((marker, folded))
}

/// Folds full-width digits at the start of a raw line so markers match:
/// the first twelve characters, cleaned, or twenty-four when the line
/// opens with a digit (enough to see a whole `1 总则` heading line), or a
/// whole bracketed heading. Most
/// lines need no cleaning and are borrowed as they are.
pub(super) fn fold_start(line: &str) -> std::borrow::Cow<'_, str> {
    let reach = match line.chars().next().map(clean::fold_width) {
        Some(c) if c.is_ascii_digit() => 24,
        // 【 + a heading of up to MAX_BRACKET_CHARS + 】.
        Some('【') => MAX_BRACKET_CHARS + 2,
        _ => 12,
    };
    let end = line
        .char_indices()
        .nth(reach)
        .map(|(i, _)| i)
        .unwrap_or(line.len());
    let head = &line[..end];
    if head
        .chars()
        .all(|c| !clean::is_space(c) && clean::fold_width(c) == c)
    {
        return head.into();
    }
    // Cleaning never lengthens: one allocation holds it.
    let mut s = String::with_capacity(head.len());
    clean::clean_line(head, &mut s);
    s.into()
}
