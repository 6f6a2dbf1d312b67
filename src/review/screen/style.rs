//! How each candidate looks on the screen: a colour that reads on light
//! and dark terminals, attributes that tell candidates apart without
//! colour, and the characters of the task's text its words cover.

use crossterm::style::{Attribute, Color};

use crate::review::QueueItem;

/// Colours of the first candidates (highlights and list markers): mid-dark
/// tones of the 256-colour palette that keep a contrast of at least 3:1
/// against both a white and a black background (a test checks it), unlike
/// the bright green, yellow and cyan of the 16-colour set, which vanish on
/// a light terminal.
pub(super) const CANDIDATE_COLORS: [(u8, [u8; 3]); 5] = [
    (28, [0x00, 0x87, 0x00]),  // green
    (127, [0xaf, 0x00, 0xaf]), // magenta
    (25, [0x00, 0x5f, 0xaf]),  // blue
    (130, [0xaf, 0x5f, 0x00]), // brown
    (30, [0x00, 0x87, 0x87]),  // teal
];

/// The attributes of each candidate's highlight, so that candidates stay
/// apart without colour (`NO_COLOR`, which crossterm honours).
pub(super) const CANDIDATE_ATTRIBUTES: [&[Attribute]; 5] = [
    &[Attribute::Bold, Attribute::Underlined],
    &[Attribute::Underlined],
    &[Attribute::Italic],
    &[Attribute::Bold],
    &[Attribute::Bold],
];

/// Red of error messages: the same contrast rule.
pub(super) const STATUS_COLOR: u8 = 160; // #d70000

pub(super) fn candidate_color(i: usize) -> Color {
    Color::AnsiValue(CANDIDATE_COLORS[i % CANDIDATE_COLORS.len()].0)
}

/// For each character of `text`, the candidate whose words cover it
/// (earlier candidates win overlaps).
pub(super) fn highlight(text: &str, item: &QueueItem) -> Vec<Option<usize>> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut colors = vec![None; chars.len()];
    for (c, cand) in item
        .candidates
        .iter()
        .enumerate()
        .take(CANDIDATE_COLORS.len())
        .rev()
    {
        for word in &cand.words {
            if word.is_empty() {
                continue;
            }
            for (start, _) in text.match_indices(word.as_str()) {
                let end = start + word.len();
                let first = chars.partition_point(|(b, _)| *b < start);
                let last = chars.partition_point(|(b, _)| *b < end);
                for color in &mut colors[first..last] {
                    *color = Some(c);
                }
            }
        }
    }
    colors
}

#[cfg(test)]
mod tests {
    use super::*;

    /// WCAG relative luminance of an sRGB colour.
    fn luminance(rgb: [u8; 3]) -> f64 {
        let lin = |c: u8| {
            let c = c as f64 / 255.0;
            if c <= 0.03928 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * lin(rgb[0]) + 0.7152 * lin(rgb[1]) + 0.0722 * lin(rgb[2])
    }

    /// The xterm 256-colour cube value of an index in 16..232.
    fn cube(index: u8) -> [u8; 3] {
        let i = index - 16;
        let level = |v: u8| if v == 0 { 0 } else { 55 + 40 * v };
        [level(i / 36), level((i / 6) % 6), level(i % 6)]
    }

    #[test]
    fn highlight_colours_read_on_light_and_dark_terminals() {
        let colours = CANDIDATE_COLORS
            .iter()
            .copied()
            .chain([(STATUS_COLOR, [0xd7, 0, 0])]);
        for (index, rgb) in colours {
            assert_eq!(cube(index), rgb, "palette index {index}");
            let l = luminance(rgb);
            let on_white = 1.05 / (l + 0.05);
            let on_black = (l + 0.05) / 0.05;
            assert!(
                on_white >= 3.0 && on_black >= 3.0,
                "colour {index}: {on_white:.2} on white, {on_black:.2} on black"
            );
        }
    }
}
