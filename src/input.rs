//! Input stage: bytes as users have them (UTF-8, GB18030/GBK, Big5, UTF-16,
//! HTML, .docx) become one UTF-8 text per document. Nothing here knows about
//! outlines; it only decides what the text is and refuses what is not text.

use crate::error::{Error, Result};
pub use crate::io::{
    expand_sources, read_bytes, write_atomic, Source, MAX_INPUT_BYTES, STDIN_NAME,
    SUPPORTED_EXTENSIONS,
};

/// A decoded document: its name (the path as given) and its text.
#[derive(Debug, Clone)]
pub struct Document {
    /// The path as the user gave it, or `-` for standard input.
    pub name: String,
    /// Decoded text, always UTF-8. Task offsets index into this string.
    pub text: String,
    /// Which decoding was applied, for diagnostics.
    pub encoding: &'static str,
    /// What the reader should know about the decoding (bytes replaced in a
    /// damaged file); shown with the document's other warnings.
    pub warnings: Vec<String>,
}

/// Longest line accepted in decoded text: no plan has a paragraph of a
/// megabyte; such a line is a dump, not prose.
pub const MAX_LINE_BYTES: usize = 1 << 20;

/// Reads and decodes one source.
pub fn read_source(source: &Source) -> Result<Document> {
    let bytes = read_bytes(source)?;
    decode_document(&source.name(), &bytes)
}

/// Decodes raw bytes into a document, choosing the format from the bytes
/// themselves (and the file extension for HTML).
pub fn decode_document(name: &str, bytes: &[u8]) -> Result<Document> {
    if bytes.is_empty() {
        return Err(Error::input(name, "empty file"));
    }
    if let Some(kind) = binary_signature(bytes) {
        return match kind {
            BinaryKind::Zip => crate::docx::docx_text(name, bytes).map(|text| Document {
                name: name.to_string(),
                text,
                encoding: "docx",
                warnings: Vec::new(),
            }),
            BinaryKind::Pdf => Err(Error::input(
                name,
                "is a PDF; extract its text first (for example with pdftotext)",
            )),
            BinaryKind::Other(what) => Err(Error::input(name, format!("not text ({what})"))),
        };
    }
    let (text, encoding, damage) = decode_text(name, bytes)?;
    let is_html = name.to_ascii_lowercase().ends_with(".html")
        || name.to_ascii_lowercase().ends_with(".htm")
        || looks_like_html(&text);
    let text = if is_html { html_to_text(&text) } else { text };
    if text.trim().is_empty() {
        return Err(Error::input(name, "contains no text (only whitespace)"));
    }
    // No line is longer than the whole text: most files need no scan.
    if let Some((n, line)) = (text.len() > MAX_LINE_BYTES)
        .then(|| text.split('\n'))
        .into_iter()
        .flatten()
        .enumerate()
        .find(|(_, l)| l.len() > MAX_LINE_BYTES)
    {
        return Err(Error::input(
            name,
            format!(
                "line {} is {:.1} MB long (the limit is {} MB): not plan text",
                n + 1,
                line.len() as f64 / (1 << 20) as f64,
                MAX_LINE_BYTES >> 20
            ),
        ));
    }
    Ok(Document {
        name: name.to_string(),
        text,
        encoding,
        warnings: damage.into_iter().collect(),
    })
}

enum BinaryKind {
    Zip,
    Pdf,
    Other(&'static str),
}

fn binary_signature(bytes: &[u8]) -> Option<BinaryKind> {
    const SIGNATURES: &[(&[u8], &str)] = &[
        (b"\x89PNG\r\n\x1a\n", "a PNG image"),
        (b"\xFF\xD8\xFF", "a JPEG image"),
        (b"GIF87a", "a GIF image"),
        (b"GIF89a", "a GIF image"),
        (
            b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1",
            "an old Office file (.doc/.xls); save it as .docx",
        ),
        (b"\x1F\x8B", "gzip data"),
        (b"7z\xBC\xAF\x27\x1C", "a 7z archive"),
        (b"Rar!", "a RAR archive"),
        (b"\x7FELF", "an executable"),
    ];
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06") {
        return Some(BinaryKind::Zip);
    }
    if bytes.starts_with(b"%PDF") {
        return Some(BinaryKind::Pdf);
    }
    SIGNATURES
        .iter()
        .find(|(sig, _)| bytes.starts_with(sig))
        .map(|(_, what)| BinaryKind::Other(what))
}

/// Picks the text encoding: BOMs first, then UTF-8, then the legacy
/// Chinese encodings: GB18030 (a superset of GBK and GB2312, still served by
/// government sites) or Big5 (Taiwan, Hong Kong), as [`guess_chinese`] says.
/// Also returns a warning when bytes of a damaged UTF-8 file were replaced.
fn decode_text(name: &str, bytes: &[u8]) -> Result<(String, &'static str, Option<String>)> {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        // The BOM says UTF-8, however damaged the rest is.
        let (text, damage) = utf8_strict(name, rest, 3)?;
        return Ok((text, "UTF-8 (BOM)", damage));
    }
    if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") {
        let enc = if bytes[0] == 0xFF {
            encoding_rs::UTF_16LE
        } else {
            encoding_rs::UTF_16BE
        };
        let (text, had_errors) = enc.decode_without_bom_handling(&bytes[2..]);
        if had_errors {
            return Err(Error::input(name, "invalid UTF-16 text"));
        }
        return check_textual(name, text.into_owned()).map(|t| (t, enc.name(), None));
    }
    if let Ok(text) = simdutf8::basic::from_utf8(bytes) {
        return check_textual(name, text.to_string()).map(|t| (t, "UTF-8", None));
    }
    // Not valid UTF-8. A file that is mostly valid UTF-8 with a few bad bytes
    // is a damaged UTF-8 file (decoding it as GB18030 would produce
    // garbage): its bad bytes are replaced and the rest is read.
    if utf8_damage(bytes).is_some() {
        let (text, damage) = utf8_strict(name, bytes, 0)?;
        return Ok((text, "UTF-8", damage));
    }
    // The GB18030 decoder accepts almost every Big5 byte sequence, and the
    // Big5 one short GBK text: only when both take the bytes is there a
    // choice to make, and then the detector makes it.
    let strict = |e: &'static encoding_rs::Encoding| {
        e.decode_without_bom_handling_and_without_replacement(bytes)
    };
    let (text, label) = match (strict(encoding_rs::GB18030), strict(encoding_rs::BIG5)) {
        (Some(_), Some(big5)) if guess_chinese(bytes) == encoding_rs::BIG5 => (big5, "Big5"),
        (Some(gb), _) => (gb, "GB18030"),
        (None, Some(big5)) => (big5, "Big5"),
        (None, None) => {
            return Err(Error::input(
                name,
                "not text: neither UTF-8, UTF-16, GB18030/GBK nor Big5",
            ))
        }
    };
    check_textual(name, text.into_owned()).map(|t| (t, label, None))
}

/// Bytes given to the encoding detector: tens of thousands of characters,
/// enough to judge any plan, and a bound on its cost (a few MB/s).
const DETECT_SAMPLE_BYTES: usize = 64 << 10;

/// Guesses GBK (returned as GB18030, its superset) or Big5 for bytes that
/// are not UTF-8, with chardetng: character-frequency scores kept up by the
/// encoding_rs authors beat heuristics of our own. The top-level domain
/// hint `sg` is chardetng's way to say "Simplified or Traditional Chinese
/// expected": while either encoding fits the bytes, every other encoding
/// scores zero, and a tie (a line of two or three characters) goes to GBK,
/// the encoding of mainland plans. Anything else chardetng says is not an
/// answer here and means GB18030, as before detection existed.
fn guess_chinese(bytes: &[u8]) -> &'static encoding_rs::Encoding {
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    let sample = &bytes[..bytes.len().min(DETECT_SAMPLE_BYTES)];
    detector.feed(sample, sample.len() == bytes.len());
    match detector.guess(Some(b"sg"), chardetng::Utf8Detection::Deny) {
        e if e == encoding_rs::BIG5 => encoding_rs::BIG5,
        _ => encoding_rs::GB18030,
    }
}

/// Invalid sequences listed by offset in a damage warning; more are counted.
const DAMAGE_OFFSETS_SHOWN: usize = 5;

/// Decodes UTF-8 whose first byte sits at file offset `base`. Each invalid
/// sequence becomes U+FFFD and the warning names their file offsets; bytes
/// with more than one invalid sequence per twenty valid multi-byte
/// characters are refused as not text.
fn utf8_strict(name: &str, bytes: &[u8], base: usize) -> Result<(String, Option<String>)> {
    if let Ok(t) = simdutf8::basic::from_utf8(bytes) {
        return Ok((check_textual(name, t.to_string())?, None));
    }
    let damage = utf8_damage(bytes).ok_or_else(|| {
        Error::input(
            name,
            "not text: too many bytes that are not UTF-8 in a UTF-8 file",
        )
    })?;
    let text = check_textual(name, String::from_utf8_lossy(bytes).into_owned())?;
    let shown: Vec<String> = damage
        .iter()
        .take(DAMAGE_OFFSETS_SHOWN)
        .map(|o| (o + base).to_string())
        .collect();
    let more = damage.len().saturating_sub(DAMAGE_OFFSETS_SHOWN);
    let warning = format!(
        "damaged UTF-8: {} invalid byte sequence(s) replaced with U+FFFD (\u{fffd}) at byte {}{}",
        damage.len(),
        shown.join(", "),
        if more > 0 {
            format!(" and {more} more")
        } else {
            String::new()
        }
    );
    Ok((text, Some(warning)))
}

/// The offsets of the invalid sequences of bytes that are UTF-8 with some
/// damage, or `None` when they are not UTF-8 text: valid multi-byte
/// characters must outnumber the invalid sequences twenty to one (GBK
/// text read as UTF-8 has almost none).
fn utf8_damage(bytes: &[u8]) -> Option<Vec<usize>> {
    let mut valid_multibyte = 0usize;
    let mut bad = Vec::new();
    let mut offset = 0usize;
    for chunk in bytes.utf8_chunks() {
        valid_multibyte += chunk.valid().chars().filter(|c| c.len_utf8() > 1).count();
        offset += chunk.valid().len();
        if !chunk.invalid().is_empty() {
            bad.push(offset);
            offset += chunk.invalid().len();
        }
    }
    (valid_multibyte >= 20 * bad.len().max(1)).then_some(bad)
}

/// Refuses decoded text that is really binary: many control characters.
fn check_textual(name: &str, text: String) -> Result<String> {
    // Plan text holds no control character at all; only text that does
    // needs counting.
    if !has_control(text.as_bytes()) {
        return Ok(text);
    }
    let (controls, total) = control_count(&text);
    if total > 0 && controls * 100 > total {
        return Err(Error::input(name, "not text (binary data)"));
    }
    Ok(text)
}

/// Whether byte `i` starts a control character other than a line break,
/// tab or form feed (C0, DEL, or C1 as 0xC2 0x80..=0x9F).
fn is_control_at(bytes: &[u8], i: usize) -> bool {
    match bytes[i] {
        b'\n' | b'\r' | b'\t' | 0x0c => false,
        0x00..=0x1f | 0x7f => true,
        0xc2 => matches!(bytes.get(i + 1), Some(0x80..=0x9f)),
        _ => false,
    }
}

/// Whether the text holds any control character (see [`is_control_at`]),
/// looking only at the bytes that can start one.
fn has_control(bytes: &[u8]) -> bool {
    let mut i = 0;
    while let Some(p) = crate::bytes::find(bytes, i, 0x20, [0x7f, 0xc2]) {
        if is_control_at(bytes, p) {
            return true;
        }
        i = p + 1;
    }
    false
}

/// Characters checked for control characters: enough to judge any file.
const CONTROL_SAMPLE_CHARS: usize = 1 << 20;

/// Among the first [`CONTROL_SAMPLE_CHARS`] characters, (control characters
/// other than line breaks, tabs and form feeds, characters). Only text that
/// holds a control character is counted ([`check_textual`]), so this never
/// runs on a clean plan: plain code (an eight-bytes-at-a-time version gained
/// nothing on the five plans ×6).
fn control_count(text: &str) -> (usize, usize) {
    let bytes = text.as_bytes();
    let mut chars = 0;
    let mut controls = 0;
    for (i, _) in text.char_indices().take(CONTROL_SAMPLE_CHARS) {
        chars += 1;
        controls += usize::from(is_control_at(bytes, i));
    }
    (controls, chars)
}

fn looks_like_html(text: &str) -> bool {
    let start = text.trim_start_matches('\u{feff}').trim_start();
    // Every sign looked for below holds a `<` within 256 characters
    // (at most 1024 bytes): plain text has none there.
    if !start.as_bytes()[..start.len().min(1024)].contains(&b'<') {
        return false;
    }
    let head: String = start
        .chars()
        .take(256)
        .collect::<String>()
        .to_ascii_lowercase();
    head.starts_with("<!doctype html") || head.starts_with("<html") || head.contains("<body")
}

/// HTML elements whose content is never plan text.
const SKIPPED_ELEMENTS: &[&str] = &[
    "script", "style", "noscript", "nav", "header", "footer", "head", "iframe", "select", "button",
    "form", "svg", "template", "aside",
];

/// HTML elements that end a line.
const BLOCK_ELEMENTS: &[&str] = &[
    "p",
    "div",
    "br",
    "li",
    "ul",
    "ol",
    "tr",
    "table",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "section",
    "article",
    "blockquote",
    "pre",
    "dd",
    "dt",
    "dl",
    "td",
    "th",
    "hr",
    "main",
    "center",
];

/// Turns an HTML page into plain text: scripts, styles and navigation dropped,
/// block elements become line breaks, entities decoded by the HTML parser.
pub fn html_to_text(html: &str) -> String {
    let document = scraper::Html::parse_document(html);
    let mut out = String::with_capacity(html.len() / 2);
    let mut stack = vec![(document.tree.root(), false)];
    // Iterative walk: deeply nested pages must not overflow the stack.
    while let Some((node, closing)) = stack.pop() {
        if closing {
            if let Some(el) = node.value().as_element() {
                if BLOCK_ELEMENTS.contains(&el.name()) && !out.ends_with('\n') {
                    out.push('\n');
                }
            }
            continue;
        }
        match node.value() {
            scraper::Node::Text(t) => {
                let collapsed = t.split_whitespace().collect::<Vec<_>>().join(" ");
                if !collapsed.is_empty() {
                    out.push_str(&collapsed);
                }
            }
            scraper::Node::Element(el) => {
                if SKIPPED_ELEMENTS.contains(&el.name()) {
                    continue;
                }
                if BLOCK_ELEMENTS.contains(&el.name()) && !out.ends_with('\n') && !out.is_empty() {
                    out.push('\n');
                }
                stack.push((node, true));
                let children: Vec<_> = node.children().collect();
                for child in children.into_iter().rev() {
                    stack.push((child, false));
                }
            }
            _ => {
                let children: Vec<_> = node.children().collect();
                for child in children.into_iter().rev() {
                    stack.push((child, false));
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write as _;

    proptest::proptest! {
        /// Text is refused as binary exactly when over 1% of its characters
        /// are control characters other than line breaks, tabs and form
        /// feeds; the byte-level count is the per-character one.
        #[test]
        fn binary_check_matches_char_definition(
            chars in proptest::collection::vec(
                proptest::prop_oneof![
                    proptest::char::range('\u{0}', '\u{a0}'),
                    proptest::char::range('一', '龥'),
                    proptest::char::any(),
                ],
                0..60,
            )
        ) {
            let text: String = chars.into_iter().collect();
            let n = text.chars().count();
            let controls = text
                .chars()
                .filter(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t' | '\u{c}'))
                .count();
            let expected = n > 0 && controls * 100 > n;
            proptest::prop_assert_eq!(control_count(&text), (controls, n));
            proptest::prop_assert_eq!(has_control(text.as_bytes()), controls > 0);
            proptest::prop_assert_eq!(check_textual("t", text).is_err(), expected);
        }
    }

    /// Long texts cross the lane flush every 255 words.
    #[test]
    fn control_count_over_long_text() {
        let pieces = [
            "卫生健康",
            "a",
            "\u{1}",
            "\u{85}",
            "\n",
            "，",
            "\u{7f}",
            "é",
            "😀",
        ];
        let text: String = (0..20_000)
            .map(|i| pieces[(i * 7 + i / 3) % pieces.len()])
            .collect();
        let chars = text.chars().count();
        let controls = text
            .chars()
            .filter(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t' | '\u{c}'))
            .count();
        assert!(text.len() > 255 * 8 * 4);
        assert_eq!(control_count(&text), (controls, chars));
    }

    #[test]
    fn utf8_with_and_without_bom() {
        let d = decode_document("a.txt", "一、总体要求".as_bytes()).unwrap();
        assert_eq!(d.text, "一、总体要求");
        let mut bom = b"\xEF\xBB\xBF".to_vec();
        bom.extend_from_slice("一、总体要求".as_bytes());
        let d = decode_document("a.txt", &bom).unwrap();
        assert_eq!(d.text, "一、总体要求");
    }

    #[test]
    fn gbk_without_bom_decodes() {
        let (bytes, _, _) = encoding_rs::GBK.encode("（一）全面落实党建责任。贯彻落实习近平新时代");
        let d = decode_document("a.txt", &bytes).unwrap();
        assert_eq!(d.text, "（一）全面落实党建责任。贯彻落实习近平新时代");
        assert_eq!(d.encoding, "GB18030");
    }

    /// A Traditional-Chinese plan as Taiwan publishes it.
    const BIG5_PLAN: &str = "衛生福利部一一三年度施政計畫\n一、總體要求\n（一）全面推動全民健康保險改革，提升醫療服務品質。\n（二）強化長期照顧服務體系，擴大社區照顧據點。\n二、重點任務\n（一）加強傳染病防治，落實疫苗接種計畫。\n1.建立基層醫療院所轉診機制。\n";

    #[test]
    fn big5_is_detected_not_read_as_gb18030() {
        let (bytes, _, unmappable) = encoding_rs::BIG5.encode(BIG5_PLAN);
        assert!(!unmappable);
        // The trap: GB18030 takes these bytes without a single error.
        assert!(encoding_rs::GB18030
            .decode_without_bom_handling_and_without_replacement(&bytes)
            .is_some());
        let d = decode_document("a.txt", &bytes).unwrap();
        assert_eq!(d.text, BIG5_PLAN);
        assert_eq!(d.encoding, "Big5");
        let line = "一、總體要求";
        let d = decode_document("a.txt", &encoding_rs::BIG5.encode(line).0).unwrap();
        assert_eq!((d.text.as_str(), d.encoding), (line, "Big5"));
    }

    #[test]
    fn gbk_plan_decodes_exactly() {
        let plan = "2024年全市卫生健康工作要点\n一、总体要求\n（一）全面落实党建责任，推进健康中国建设。\n（二）深化医药卫生体制改革，提升基层医疗卫生服务能力。\n二、重点任务\n（一）加强传染病防控，落实疫苗接种。\n1.健全分级诊疗制度。\n";
        let (bytes, _, unmappable) = encoding_rs::GBK.encode(plan);
        assert!(!unmappable);
        let d = decode_document("a.txt", &bytes).unwrap();
        assert_eq!(d.text, plan);
        assert_eq!(d.encoding, "GB18030");
    }

    /// A line or two is little for a detector; GBK wins every tie, and
    /// none of these lines may come out as Big5.
    #[test]
    fn short_gbk_lines_stay_gbk() {
        for line in [
            "一、",
            "附件",
            "医保",
            "一、总体要求",
            "二、重点任务",
            "三、保障措施",
            "（三）加强医疗质量管理",
            "1.推进家庭医生签约服务",
            "（1）提高基层医疗卫生服务能力。",
            "第一章 总则",
            "做好疫情防控\n",
        ] {
            let (bytes, _, _) = encoding_rs::GBK.encode(line);
            let d = decode_document("a.txt", &bytes).unwrap();
            assert_eq!((d.text.as_str(), d.encoding), (line, "GB18030"));
        }
    }

    #[test]
    fn neither_chinese_encoding_is_refused() {
        let e = decode_document("a.txt", b"plan \x81\x20 and \xff")
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("neither UTF-8, UTF-16, GB18030/GBK nor Big5"),
            "{e}"
        );
    }

    #[test]
    fn utf16_with_bom_decodes() {
        let mut bytes = vec![0xFF, 0xFE];
        for u in "卫生健康工作要点".encode_utf16() {
            bytes.extend_from_slice(&u.to_le_bytes());
        }
        assert_eq!(
            decode_document("a.txt", &bytes).unwrap().text,
            "卫生健康工作要点"
        );
    }

    #[test]
    fn refuses_png_empty_and_whitespace() {
        let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";
        let e = decode_document("x.png", png).unwrap_err().to_string();
        assert!(e.contains("x.png") && e.contains("PNG"), "{e}");
        assert!(decode_document("e.txt", b"")
            .unwrap_err()
            .to_string()
            .contains("empty"));
        let e = decode_document("w.txt", b"  \n\t \r\n")
            .unwrap_err()
            .to_string();
        assert!(e.contains("whitespace"), "{e}");
    }

    #[test]
    fn damaged_utf8_is_read_with_replacements_and_a_warning() {
        let plan = "卫生健康工作要点".repeat(10);
        let mut bytes = plan.clone().into_bytes();
        bytes.insert(30, 0xFF);
        bytes.insert(61, 0xE4); // a character cut short
        let d = decode_document("d.txt", &bytes).unwrap();
        assert_eq!(d.encoding, "UTF-8");
        assert_eq!(d.text.matches('\u{fffd}').count(), 2);
        assert_eq!(d.text.replace('\u{fffd}', ""), plan);
        assert_eq!(d.warnings.len(), 1);
        assert!(
            d.warnings[0].contains("2 invalid byte sequence(s)")
                && d.warnings[0].contains("at byte 30, 61"),
            "{:?}",
            d.warnings
        );
        // After a BOM, offsets are still those of the file.
        let mut bom = b"\xEF\xBB\xBF".to_vec();
        bom.extend_from_slice(&bytes);
        let d = decode_document("d.txt", &bom).unwrap();
        assert!(d.warnings[0].contains("at byte 33, 64"), "{:?}", d.warnings);
        // Many bad sequences: the first five are named, the rest counted.
        let mut many = "卫生健康工作要点".repeat(100).into_bytes();
        for i in 0..8 {
            many.insert(i * 100, 0xFF);
        }
        let d = decode_document("d.txt", &many).unwrap();
        assert!(d.warnings[0].contains("8 invalid") && d.warnings[0].contains("and 3 more"));
        // A clean file has no warning.
        assert!(decode_document("c.txt", plan.as_bytes())
            .unwrap()
            .warnings
            .is_empty());
    }

    #[test]
    fn mostly_damaged_utf8_is_refused() {
        // One bad byte after every character: not text worth reading.
        let mut bytes = b"\xEF\xBB\xBF".to_vec();
        for c in "卫生健康工作要点".repeat(10).chars() {
            bytes.extend_from_slice(c.to_string().as_bytes());
            bytes.push(0xFF);
        }
        let e = decode_document("m.txt", &bytes).unwrap_err().to_string();
        assert!(e.starts_with("m.txt: not text"), "{e}");
    }

    #[test]
    fn zip_that_is_not_docx_is_refused() {
        let mut buf = std::io::Cursor::new(Vec::new());
        {
            let mut w = zip::ZipWriter::new(&mut buf);
            w.start_file("a.txt", zip::write::SimpleFileOptions::default())
                .unwrap();
            w.write_all(b"hello").unwrap();
            w.finish().unwrap();
        }
        let e = decode_document("a.zip", buf.get_ref())
            .unwrap_err()
            .to_string();
        assert!(e.contains("not a Word .docx"), "{e}");
    }

    #[test]
    fn html_drops_scripts_and_keeps_blocks() {
        let html = "<html><head><title>t</title><script>var a=1;</script></head><body><nav>首页 &gt; 政务公开</nav><p>一、总体要求</p><div>（一）加强&nbsp;党建<br>第二行</div><style>p{}</style></body></html>";
        let text = html_to_text(html);
        assert!(!text.contains("var a"));
        assert!(!text.contains("首页"));
        assert!(text.contains("一、总体要求\n"));
        assert!(text.contains("（一）加强 党建\n第二行"));
    }
}
