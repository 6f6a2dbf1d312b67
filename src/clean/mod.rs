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
    /// Whether `content` opens with an outline marker, when a stage before
    /// [`paragraphs`] has parsed exactly this content already (`None`: not
    /// known).
    pub opens_with_marker: Option<bool>,
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
            opens_with_marker: None,
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
            opens_with_marker: None,
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

mod furniture;

pub(crate) use furniture::may_open_chrome;
pub use furniture::{
    is_block_label, is_chrome, may_be_block_value, starts_with_chrome, without_file_suffix,
};

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

/// For each line, whether it is furniture ([`is_chrome`]; an empty line is
/// not). Asked once per line: the front matter's reading and [`paragraphs`]
/// both need it, and it is the costliest test a line meets.
pub fn furniture_flags(lines: &[Line<'_>]) -> Vec<bool> {
    lines
        .iter()
        .map(|l| !l.content.is_empty() && is_chrome(l.content))
        .collect()
}

/// Builds clean paragraphs from lines: chrome (lines whose `furniture`
/// flag, from [`furniture_flags`], is set) dropped, broken lines joined.
/// `is_marker` tells whether a line opens an outline item (then it always
/// starts a paragraph). Lines for which `keep_alone` is true (the document
/// title) are never joined with their neighbours.
pub fn paragraphs(
    lines: &[Line<'_>],
    furniture: &[bool],
    is_marker: impl Fn(&Line<'_>) -> bool,
    keep_alone: impl Fn(usize) -> bool,
) -> Vec<Paragraph> {
    let mut out: Vec<Paragraph> = Vec::new();
    let mut last_alone = false;
    // The line before was a metadata label alone: this line is its value.
    let mut after_label = false;
    for (i, line) in lines.iter().enumerate() {
        if line.content.is_empty() {
            continue;
        }
        let value = std::mem::take(&mut after_label) && may_be_block_value(line.content);
        if is_block_label(line.content) {
            after_label = true;
            continue;
        }
        if value || furniture[i] {
            continue;
        }
        let alone = keep_alone(i);
        let marker = is_marker(line);
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
    fn metadata_blocks_with_labels_alone_are_dropped() {
        let text = "发文字号\n\n某政文〔2018〕105号\n信息分类\n地方性法规和规章\n时效性：\n现行有效\n实施日期\n2018-09-30\n为贯彻落实纲要,制定本方案。\n信息分类\n一、加强中医药服务体系建设,完善网络。";
        let ls = lines(text);
        let paras = paragraphs(
            &ls,
            &furniture_flags(&ls),
            |l| l.content.starts_with('一'),
            |_| false,
        );
        let texts: Vec<&str> = paras.iter().map(|p| p.text.as_str()).collect();
        // A label's "value" that is a sentence stays: it is text.
        assert_eq!(
            texts,
            [
                "为贯彻落实纲要,制定本方案。",
                "一、加强中医药服务体系建设,完善网络。"
            ]
        );
        assert!(!is_block_label("加强信息分类管理"));
    }

    #[test]
    fn broken_lines_are_joined_but_paragraphs_are_not() {
        let text = "1. 全系统各级党委把不忘初心、牢记使命作为加强 党的建设的永恒课题,始终做到初心\n\n如磐、使命在肩。\n2. 第二项。\n一、短标题\n正文第一段。\n正文第二段。";
        let ls = lines(text);
        let paras = paragraphs(
            &ls,
            &furniture_flags(&ls),
            |l| l.content.starts_with(['1', '2', '一']),
            |_| false,
        );
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
