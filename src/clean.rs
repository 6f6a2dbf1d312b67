//! Cleaning stage: decoded text becomes clean paragraphs. Web chrome and page
//! furniture are dropped, PDF line and word breaks are mended, full-width
//! digits are folded, and every paragraph remembers the source lines it came
//! from so later stages can point back into the original text.

/// One physical line of the decoded text, trimmed, with where it came from.
#[derive(Debug, Clone)]
pub struct Line<'a> {
    /// The trimmed content, bullets removed.
    pub content: &'a str,
    /// Byte offset of `content` in the decoded text.
    pub start: usize,
    /// Line number, 1-based.
    pub number: usize,
}

/// A clean paragraph: one or more source lines joined.
#[derive(Debug, Clone, Default)]
pub struct Paragraph {
    /// Clean text: full-width digits folded, stray spaces removed.
    pub text: String,
    /// For each source line joined here: (offset in `text`, byte offset of the
    /// line in the decoded text, byte length of the line there, line number).
    pub pieces: Vec<Piece>,
    /// Character count of the last physical line (used to decide joins).
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
    pub line: usize,
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
    let mut out = Vec::new();
    let mut offset = 0usize;
    for (i, raw) in text.split('\n').enumerate() {
        let line_start = offset;
        offset += raw.len() + 1;
        let trimmed_start = raw.len() - raw.trim_start_matches(is_space).len();
        let content = raw.trim_matches(is_space);
        let content = strip_bullet(content);
        let start = line_start + trimmed_start + (raw.trim_matches(is_space).len() - content.len());
        out.push(Line {
            content,
            start,
            number: i + 1,
        });
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
    s
}

/// Longest line that may be furniture: 80 Chinese characters.
const MAX_CHROME_BYTES: usize = 240;

/// Lines that are web-page or print furniture, never plan text.
pub fn is_chrome(line: &str) -> bool {
    // Furniture is short; a long line is text (checked for every line, so
    // the common case returns before any allocation).
    if line.len() > MAX_CHROME_BYTES {
        return false;
    }
    // Most lines hold no space: compare them as they are, without a copy.
    let compact: std::borrow::Cow<str> = if line.chars().any(is_space) {
        line.chars()
            .filter(|c| !is_space(*c))
            .collect::<String>()
            .into()
    } else {
        line.into()
    };
    let compact = compact.as_ref();
    if compact.is_empty() {
        return false;
    }
    const EXACT: &[&str] = &[
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
    const PREFIXES: &[&str] = &[
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
    if EXACT.contains(&compact) || PREFIXES.iter().any(|p| compact.starts_with(p)) {
        return true;
    }
    if compact.chars().count() <= 60 && (compact.contains("来源:") || compact.contains("来源："))
    {
        return true;
    }
    is_page_number(compact)
        || compact
            .chars()
            .all(|c| c.is_ascii_punctuation() || "—–·•".contains(c))
}

/// `- 3 -`, `—3—`, `第3页`, `第3页共10页`, `3/10`, or a bare number.
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
            if after == "页" || (after.starts_with("页共") && after.ends_with('页')) {
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
pub fn clean_line(line: &str, out: &mut String) {
    // Most lines need nothing: copy them whole.
    if !needs_cleaning(line) {
        out.push_str(line);
        return;
    }
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

/// Whether [`clean_line`] would change anything: a space or a full-width
/// digit or letter. Runs over every line, so CJK ideographs (three-byte
/// sequences led by 0xE4..=0xE9, never spaces, never folded) are skipped by
/// their first byte without decoding.
fn needs_cleaning(line: &str) -> bool {
    let bytes = line.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b' ' | b'\t'..=b'\r' => return true,
            0x00..=0x7F => i += 1,
            0xE4..=0xE9 => i += 3,
            _ => {
                let Some(c) = line[i..].chars().next() else {
                    break;
                };
                if is_space(c) || fold_width(c) != c {
                    return true;
                }
                i += c.len_utf8();
            }
        }
    }
    false
}

/// Full-width ASCII digits and letters become their ASCII forms.
pub fn fold_width(c: char) -> char {
    match c {
        '０'..='９' | 'Ａ'..='Ｚ' | 'ａ'..='ｚ' => {
            char::from_u32(c as u32 - 0xFEE0).unwrap_or(c)
        }
        _ => c,
    }
}

/// Punctuation that ends a sentence or introduces a list: a line ending in one
/// of these is a real paragraph end.
fn ends_paragraph(text: &str) -> bool {
    let mut rev = text.chars().rev();
    match rev.next() {
        Some(c) if "。！？!?；;：:…".contains(c) => true,
        Some(c) if "”\"’」』)）".contains(c) => {
            matches!(rev.next(), Some(p) if "。！？!?".contains(p))
        }
        _ => false,
    }
}

/// Punctuation that cannot end a paragraph: the line surely continues.
fn ends_mid_sentence(text: &str) -> bool {
    matches!(text.chars().last(), Some(c) if "，,、（(《“—-".contains(c))
}

/// Lines shorter than this (in characters) without closing punctuation are
/// taken as headings or titles, not as lines broken by page layout.
const MIN_BROKEN_LINE_CHARS: usize = 20;
/// A line that starts with an outline marker is a heading unless it is longer
/// than this; a wrapped heading is rare, a wrapped item is common.
const MIN_BROKEN_MARKER_LINE_CHARS: usize = 28;

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
fn push_line(para: &mut Paragraph, line: &Line<'_>) {
    // Lines are trimmed, so the cleaned line starts with the line's first
    // character (folded).
    let first = line.content.chars().next().map(fold_width);
    if let (Some(a), Some(b)) = (para.text.chars().last(), first) {
        if a.is_ascii_alphanumeric() && b.is_ascii_alphanumeric() {
            para.text.push(' ');
        }
    }
    let start = para.text.len();
    para.pieces.push(Piece {
        clean_offset: start,
        source_start: line.start,
        source_len: line.content.len(),
        line: line.number,
    });
    clean_line(line.content, &mut para.text);
    para.last_line_chars = para.text[start..].chars().count();
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
            push_line(p, line);
        }
        last_alone = alone;
    }
    out.retain(|p| !p.text.is_empty());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn clean(s: &str) -> String {
        let mut out = String::new();
        clean_line(s, &mut out);
        out
    }

    proptest::proptest! {
        /// The byte-level shortcut agrees with the definition on any text,
        /// CJK, full-width forms and Unicode spaces included.
        #[test]
        fn needs_cleaning_matches_its_definition(
            chars in proptest::collection::vec(
                proptest::prop_oneof![
                    proptest::char::range('一', '龥'),
                    proptest::char::range('\u{3000}', '\u{303f}'),
                    proptest::char::range('\u{ff00}', '\u{ff65}'),
                    proptest::char::range('\u{2000}', '\u{2060}'),
                    proptest::sample::select(vec![' ', '\t', 'a', '1', '\u{a0}', '\u{85}', '\u{1680}', '\u{feff}']),
                    proptest::char::any(),
                ],
                0..12,
            )
        ) {
            let s: String = chars.into_iter().collect();
            let slow = s.chars().any(|c| is_space(c) || fold_width(c) != c);
            proptest::prop_assert_eq!(needs_cleaning(&s), slow, "{:?}", s);
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
