//! Character helpers the furniture word tables share: the first character
//! of a word at compile time, and a number's digits.

/// Length in bytes of the UTF-8 sequence a lead byte opens.
pub(super) const fn utf8_len(lead: u8) -> usize {
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
pub(super) const fn decode(b: &[u8]) -> u32 {
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
pub(super) const fn first_char(s: &str) -> u32 {
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

/// Splits off the ASCII digits that open `s`.
pub(super) fn split_digits(s: &str) -> (&str, &str) {
    let n = s.bytes().take_while(u8::is_ascii_digit).count();
    s.split_at(n)
}
