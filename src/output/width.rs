//! Text for the terminal table: snippets, display widths of CJK text, and
//! cutting or padding to a width.

/// The first `chars` characters of a text on one line, with `…` if cut.
pub fn snippet(text: &str, chars: usize) -> String {
    let one_line: String = text
        .chars()
        .map(|c| if c == '\n' { ' ' } else { c })
        .collect();
    if one_line.chars().count() <= chars {
        one_line
    } else {
        let mut s: String = one_line.chars().take(chars).collect();
        s.push('…');
        s
    }
}

/// Terminal width of a string: East Asian wide characters (ideographs,
/// full-width forms) take two columns; curly quotes and dashes take one.
pub fn display_width(s: &str) -> usize {
    s.chars().map(char_width).sum()
}

pub(super) fn char_width(c: char) -> usize {
    match c as u32 {
        0x1100..=0x115F
        | 0x2E80..=0x303E
        | 0x3041..=0xA4CF
        | 0xAC00..=0xD7A3
        | 0xF900..=0xFAFF
        | 0xFE30..=0xFE4F
        | 0xFF00..=0xFF60
        | 0xFFE0..=0xFFE6
        | 0x20000..=0x3FFFD => 2,
        _ => 1,
    }
}

/// Pads a string to a display width, or cuts it to fit and ends it in `…`
/// so that a reader sees it was cut.
pub fn fit_to(s: &str, width: usize) -> String {
    if display_width(s) <= width {
        return pad_to(s, width);
    }
    let mut out = pad_to(s, width.saturating_sub(1));
    // `pad_to` may have padded after a wide character that did not fit.
    let trimmed = out.trim_end_matches(' ').len();
    let padding = out.len() - trimmed;
    out.truncate(trimmed);
    out.push('…');
    out.push_str(&" ".repeat(padding));
    out
}

/// Pads (or cuts) a string to a display width.
pub fn pad_to(s: &str, width: usize) -> String {
    let mut out = String::new();
    let mut w = 0;
    for c in s.chars() {
        let cw = char_width(c);
        if w + cw > width {
            break;
        }
        out.push(c);
        w += cw;
    }
    out.push_str(&" ".repeat(width - w));
    out
}
