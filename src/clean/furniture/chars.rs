//! Helpers the furniture word tables share: a word keyed by its first
//! character, sorted at compile time, and a number's digits.

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
    decode(s.as_bytes())
}

/// A word of a furniture table with its first character and what it is.
#[derive(Clone, Copy, Debug)]
pub(super) struct Keyed<K> {
    pub(super) first: u32,
    pub(super) text: &'static str,
    pub(super) kind: K,
}

impl<K: Copy> Keyed<K> {
    pub(super) const fn new(text: &'static str, kind: K) -> Self {
        Keyed {
            first: first_char(text),
            text,
            kind,
        }
    }
}

/// `words` sorted by first character (an insertion sort: it runs at
/// compile time), so that a character finds the few words it opens.
pub(super) const fn sorted_by_first<K: Copy, const N: usize>(
    mut words: [Keyed<K>; N],
) -> [Keyed<K>; N] {
    let mut i = 1;
    while i < N {
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
}

/// Splits off the ASCII digits that open `s`.
pub(super) fn split_digits(s: &str) -> (&str, &str) {
    let n = s.bytes().take_while(u8::is_ascii_digit).count();
    s.split_at(n)
}
