//! Plain text's encoding: byte-order marks, UTF-8 (a damaged file read with
//! its bad bytes replaced), and the legacy Chinese encodings GB18030/GBK
//! and Big5.

use super::textual::check_textual;
use crate::error::{Error, Result};

/// Picks the text encoding: BOMs first, then UTF-8, then the legacy
/// Chinese encodings: GB18030 (a superset of GBK and GB2312, still served by
/// government sites) or Big5 (Taiwan, Hong Kong), as [`guess_chinese`] says.
/// Also returns a warning when bytes of a damaged UTF-8 file were replaced.
pub(super) fn decode_text(
    name: &str,
    bytes: &[u8],
) -> Result<(String, &'static str, Option<String>)> {
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

#[cfg(test)]
mod tests {
    use crate::input::decode_document;
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
}
