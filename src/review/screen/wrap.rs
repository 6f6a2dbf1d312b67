//! Text fitted to the terminal's width: a task's text broken into lines by
//! the Chinese line-breaking rules, one-line texts cut with an ellipsis.

use crate::output::display_width;

/// Characters that never start a line (Chinese line-breaking rules: a
/// comma or full stop stays with the word before it).
const NO_LINE_START: &str = "，。、；：？！）》」』】〕〉”’…·%,.;:?!)]}";
/// Characters that never end a line (opening brackets and quotes).
const NO_LINE_END: &str = "（《「『【〔〈“‘([{";

/// Wraps `chars` to `width` columns: the char ranges of each line. A line
/// break in the text ends a line; a punctuation mark that may not start a
/// line takes the character before it along to the next line, and an
/// opening bracket never ends one.
pub(crate) fn wrap(chars: &[char], width: usize) -> Vec<(usize, usize)> {
    let width = width.max(2);
    let cw = |c: char| display_width(c.encode_utf8(&mut [0; 4]));
    let mut lines = Vec::new();
    let mut start = 0;
    let mut col = 0;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '\n' {
            lines.push((start, i));
            start = i + 1;
            col = 0;
            i += 1;
            continue;
        }
        let w = cw(c);
        if col + w > width && i > start {
            let bad =
                |b: usize| NO_LINE_START.contains(chars[b]) || NO_LINE_END.contains(chars[b - 1]);
            let mut brk = i;
            while brk > start + 1 && bad(brk) {
                brk -= 1;
            }
            if bad(brk) {
                brk = i;
            }
            lines.push((start, brk));
            start = brk;
            col = chars[brk..i].iter().map(|&c| cw(c)).sum();
        }
        col += w;
        i += 1;
    }
    if start < chars.len() || lines.is_empty() {
        lines.push((start, chars.len()));
    }
    lines
}

/// `text` cut to `width` columns, with `…` when it was longer.
pub(super) fn fit(text: &str, width: usize) -> String {
    if display_width(text) <= width {
        return text.to_string();
    }
    let mut out = String::new();
    let mut w = 0;
    for c in text.chars() {
        let cw = display_width(c.encode_utf8(&mut [0; 4]));
        if w + cw > width.saturating_sub(1) {
            break;
        }
        out.push(c);
        w += cw;
    }
    out.push('…');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines_of(text: &str, width: usize) -> Vec<String> {
        let chars: Vec<char> = text.chars().collect();
        wrap(&chars, width)
            .into_iter()
            .map(|(a, b)| chars[a..b].iter().collect())
            .collect()
    }

    #[test]
    fn no_wrapped_line_starts_with_a_comma_or_full_stop() {
        let text = "加强基层医疗卫生服务能力建设，推进家庭医生签约服务。提升县级医院综合能力，完善分级诊疗制度（试点）。";
        for width in 6..40 {
            let lines = lines_of(text, width);
            assert_eq!(lines.concat(), text, "width {width}: nothing lost");
            for l in &lines {
                assert!(display_width(l) <= width, "width {width}: `{l}` too wide");
                let first = l.chars().next().unwrap();
                assert!(!NO_LINE_START.contains(first), "width {width}: `{l}`");
                let last = l.chars().last().unwrap();
                assert!(!NO_LINE_END.contains(last), "width {width}: `{l}`");
            }
        }
    }

    #[test]
    fn line_breaks_in_the_text_end_lines() {
        assert_eq!(lines_of("一二\n三四", 10), ["一二", "三四"]);
        assert_eq!(lines_of("", 10), [""]);
    }
    #[test]
    fn long_header_lines_are_cut_with_an_ellipsis() {
        assert_eq!(fit("短", 10), "短");
        let cut = fit("一二三四五六七八九十", 9);
        assert!(cut.ends_with('…') && display_width(&cut) <= 9, "{cut}");
    }
}
