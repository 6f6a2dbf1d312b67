//! Whether decoded text is text: binary data decodes too, and is told
//! apart by its control characters.

use crate::error::{Error, Result};

/// Refuses decoded text that is really binary: many control characters.
pub(super) fn check_textual(name: &str, text: String) -> Result<String> {
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

#[cfg(test)]
mod tests {
    use super::*;

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
}
