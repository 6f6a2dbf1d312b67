//! Outline markers that run on inside a line (`…特制定本计划。一、指导思想…
//! (一)孕产妇…`), as in plans whose line breaks were lost: each becomes the
//! start of a line of its own, so later stages see the outline as if the
//! breaks were there.
//!
//! A marker inside a line is taken only where a reader would take it: after
//! a sentence end, a space, or a short heading, and only when it continues
//! its style's numbering (`三、` after `二、`) or starts one anew (`一、`,
//! `(一)`, `1.`). A number in running text (`一、二级医院`, `3.24宣传日`,
//! a stray page number) fails one of the two tests.
//!
//! [`numbering`] tells a number that continues an outline from one in
//! running text, [`context`] what may stand before and after a marker cut
//! out of a line, [`inserts`] a sharing site's insert run into a line.

mod context;
mod inserts;
mod numbering;
#[cfg(test)]
mod tests;

use super::markers::{fold_start, marker_at_start, may_open_marker, parse_marker, Style};
use crate::clean::{self, Line};
use context::*;
use inserts::*;
use numbering::*;

/// A basic-block CJK ideograph: after one, no sentence has ended, so no
/// page furniture can start.
fn is_ideograph(c: char) -> bool {
    ('\u{4e00}'..='\u{9fff}').contains(&c)
}

/// Whether `c` may start anything [`split_line`] cuts at: a sharing-site
/// insert (`本文来源`, `精选`), a closing address (`同志们`), page
/// furniture or an outline marker. Most characters of a plan start none;
/// a bit per character of the basic plane, computed at compile time,
/// answers in one lookup. It took the scan of the five shipped plans from
/// 4.49 M instructions to 2.99 M (callgrind).
fn may_start_something(c: char) -> bool {
    const STARTS: [u64; 0x10000 / 64] = {
        let mut bits = [0u64; 0x10000 / 64];
        let mut code = 0;
        while code < 0x10000 {
            if let Some(c) = char::from_u32(code) {
                if starts_something(c) {
                    bits[code as usize / 64] |= 1 << (code % 64);
                }
            }
            code += 1;
        }
        bits
    };
    let code = c as usize;
    if code < 0x10000 {
        STARTS[code / 64] & (1 << (code % 64)) != 0
    } else {
        starts_something(c)
    }
}

/// The definition behind [`may_start_something`]'s table.
const fn starts_something(c: char) -> bool {
    matches!(c, '本' | '精' | '同')
        || clean::may_open_chrome(c)
        || may_open_marker(clean::fold_width(c))
}

/// Splits every line at the outline markers that run on inside it.
pub(super) fn split_lines<'a>(lines: Vec<Line<'a>>) -> Vec<Line<'a>> {
    let mut out = Vec::with_capacity(lines.len());
    let mut numbering = Numbering::default();
    for line in lines {
        split_line(line, &mut numbering, &mut out);
    }
    out
}

fn split_line<'a>(line: Line<'a>, numbering: &mut Numbering, out: &mut Vec<Line<'a>>) {
    // `某方案.docx_第1页`: a file name, furniture but for the title it holds.
    let mut line = Line {
        content: clean::without_file_suffix(line.content),
        ..line
    };
    // A sharing site's insert opening a line that goes on with plan text.
    if let Some(end) = insert_end(line.content).filter(|&e| e < line.content.len()) {
        let rest = line.content[end..].trim_start_matches(clean::is_space);
        line.start += line.content.len() - rest.len();
        line.content = rest;
    }
    let content = line.content;
    // Where the text since the last marker starts (None: no marker yet in
    // this line, so no heading to run on from).
    let mut item_start = None;
    // The line opened an `一是…` list whose next ordinals may follow.
    let mut shi_open = false;
    // The last ordinal of a list nested in an item of this line.
    let mut nested: Option<u32> = None;
    let start_marker = marker_at_start(content);
    if let Some((m, folded)) = &start_marker {
        if let Some(v) = key_value(&m.key) {
            numbering.see(m.style, v);
        }
        item_start = Some(raw_end(content, &folded[..m.len]));
        shi_open = m.style == Style::Shi;
    }
    // The rest of the line from the last marker cut at.
    let mut last_marker_rest = None;
    let mut cut = 0;
    // Bytes before this are inside a marker just taken.
    let mut skip_until = 0;
    let first_piece = out.len();
    let mut source_cut = false;
    let mut chars = content.char_indices();
    // The character before the current one, as written.
    let mut before = chars.next().map(|(_, c)| c);
    for (i, c) in chars {
        let prev_raw = before.replace(c);
        if i < skip_until || !may_start_something(c) {
            continue;
        }
        // A sharing site's insert into the text (`本文来源:某网`,
        // `精选优质文档-倾情为你奉上`) is left out of the pieces.
        if matches!(c, '本' | '精') {
            if let Some(end) = insert_end(&content[i..]) {
                push_piece(&line, cut, i, out);
                cut = i + end;
                skip_until = cut;
                item_start = None;
                source_cut = true;
                continue;
            }
        }
        // A speech's closing address (`…落实。同志们，…`) starts a line,
        // where the outline stage recognises it.
        if c == '同'
            && content[i..].starts_with("同志们")
            && boundary_before(&content[cut..i]) == Boundary::Sentence
        {
            push_piece(&line, cut, i, out);
            cut = i;
            item_start = None;
            continue;
        }
        // Page furniture after a sentence or a quoted title (`…服务。责任
        //编辑:…`) goes to a line of its own, where cleaning drops it.
        if clean::may_open_chrome(c)
            && !prev_raw.is_some_and(is_ideograph)
            && (content[..i].ends_with('》')
                || boundary_before(&content[cut..i]) == Boundary::Sentence)
            && clean::starts_with_chrome(&content[i..])
        {
            push_piece(&line, cut, i, out);
            cut = i;
            item_start = None;
            continue;
        }
        if !may_open_marker(clean::fold_width(c)) || !may_be_marker_at(&content[i..]) {
            continue;
        }
        // A numeral continuing a number (`十一`, `12`) is not a marker start
        // (a Chinese numeral after a digit is: `…篇1一、目标`).
        let prev = prev_raw.map(clean::fold_width);
        let folded_c = clean::fold_width(c);
        if prev.is_some_and(|p| {
            (p.is_ascii_digit() && !clean::is_cn_numeral(folded_c))
                || clean::is_cn_numeral(p)
                || matches!(p, '第' | '、')
        }) {
            continue;
        }
        let boundary = boundary_before(&content[cut..i]);
        // Right after a short heading: `三、活动内容(一)做好…`, or a title
        // running into the plan: `…工作计划一、…`, also after a cover
        // letter or a site's text (`…主动公开)“十四五”卫生健康人才发展规划
        // 一、…`). Both are short, so longer stretches are not scanned
        // (this runs at every numeral).
        let after_heading = match item_start {
            Some(s) => {
                s >= cut
                    && s <= i
                    && i - s <= HEADING_REACH_BYTES
                    && is_run_on_heading(&content[s..i])
            }
            None => is_run_on_title(title_before(&content[cut..i])),
        };
        // `1.1`, `2.二`: a full stop inside a number.
        if prev == Some('.')
            && content[..i]
                .chars()
                .rev()
                .nth(1)
                .is_some_and(|p| p.is_ascii_digit())
        {
            continue;
        }
        let rest = &content[i..];
        let folded = fold_start(rest);
        let Some(m) = parse_marker(&folded, true) else {
            continue;
        };
        if matches!(m.style, Style::Decimal(_)) {
            continue;
        }
        // `一是…。二是…。三是…`: the next ordinal of a list this line
        // opened, after a sentence end; or `一是` right after a heading.
        if m.style == Style::Shi {
            let ordinal = key_value(&m.key);
            // A list nested in an item (`二是…。一是…二是…三是`): its
            // ordinals are not the outer list's, until one continues the
            // outer list and not the inner one.
            match (nested, ordinal) {
                (None, Some(1)) if shi_open => {
                    nested = Some(1);
                    continue;
                }
                (Some(inner), Some(v)) if v == inner + 1 => {
                    nested = Some(v);
                    continue;
                }
                _ => {}
            }
            let continues = boundary == Boundary::Sentence
                && ordinal.is_some_and(|v| v >= 2 && numbering.fits_next(Style::Shi, v));
            let opens = ordinal == Some(1)
                && !shi_open
                && ((after_heading && item_start.is_some())
                    || is_label(&content[cut..i])
                    || (boundary == Boundary::Sentence && second_follows(rest)));
            if !continues && !opens {
                continue;
            }
            nested = None;
        }
        // `一、二级`: a list of numerals, not an outline item.
        let next = folded[m.len..].chars().next();
        let numeral_list = match m.style {
            Style::CnTop | Style::ParenCn => next.is_some_and(clean::is_cn_numeral),
            _ => next.is_some_and(|n| clean::is_cn_numeral(n) || n.is_ascii_digit()),
        };
        if numeral_list {
            continue;
        }
        let marker_len = raw_end(rest, &folded[..m.len]);
        // A short bracketed heading has no number to check: it is a heading.
        if m.style != Style::Bracket {
            let Some(value) = key_value(&m.key) else {
                continue;
            };
            // A repeated or skipped number (`(三)…(三)`, `二、…四、`) still
            // opens an item after a sentence end when a run-in heading
            // follows (`(三)强化药具发放管理:…`): numbering slips happen in
            // real plans.
            let slip = matches!(m.style, Style::CnTop | Style::ParenCn)
                && boundary == Boundary::Sentence
                && numbering
                    .last(m.style)
                    .is_some_and(|last| value == last || value == last + 2)
                && run_in_heading_follows(&rest[marker_len..]);
            if !numbering.fits(m.style, value) && !slip {
                continue;
            }
            // A bare number (`…原则1坚持…`) only right after a heading or as
            // the next number after a sentence end.
            if m.bare
                && !((after_heading && value == 1)
                    || (boundary == Boundary::Sentence && numbering.fits_next(m.style, value)))
            {
                continue;
            }
            // In running text, only a marker that continues its numbering
            // (`…保障(二)全面落实…`, where a line break was lost), or a first
            // item whose second follows (see `second_item_follows`).
            if boundary == Boundary::None
                && !after_heading
                && value == 1
                && m.style != Style::Shi
                && (m.bare || !second_item_follows(&rest[marker_len..], m.style))
            {
                continue;
            }
            if boundary == Boundary::None
                && m.style == Style::Arabic
                && prev.is_some_and(|p| p.is_ascii_alphanumeric())
            {
                continue;
            }
            numbering.see(m.style, value);
        }
        shi_open = m.style == Style::Shi;
        push_piece(&line, cut, i, out);
        cut = i;
        last_marker_rest = Some(rest);
        skip_until = i + marker_len;
        item_start = Some(skip_until);
    }
    push_piece(&line, cut, content.len(), out);
    // A furniture line is dropped whole: cut at the markers inside it, it
    // would leave pieces (`1.` of `1.1、本文档…`) that are not. (A line
    // that only lost a `本文来源` insert is plan text.)
    if !source_cut && out.len() > first_piece + 1 && clean::is_chrome(content) {
        out.truncate(first_piece);
        out.push(line);
    }
    // What was parsed here need not be again when the paragraphs are
    // built: the whole line's start, and the last marker cut at when its
    // piece runs to the line's end.
    for piece in &mut out[first_piece..] {
        if std::ptr::eq(piece.content, content) {
            piece.opens_with_marker = Some(start_marker.is_some());
        } else if last_marker_rest.is_some_and(|rest| std::ptr::eq(piece.content, rest)) {
            piece.opens_with_marker = Some(true);
        }
    }
}

/// Pushes `line.content[from..to]`, trimmed, as a line of its own.
fn push_piece<'a>(line: &Line<'a>, from: usize, to: usize, out: &mut Vec<Line<'a>>) {
    let raw = &line.content[from..to];
    let content = if to < line.content.len() {
        trim_bullets(raw).trim_start_matches(clean::is_space)
    } else {
        raw.trim_matches(clean::is_space)
    };
    if content.is_empty() && from > 0 {
        return;
    }
    let lead = raw.len() - raw.trim_start_matches(clean::is_space).len();
    out.push(Line {
        content,
        start: line.start + from + lead,
        number: line.number,
        cut_before: from > 0,
        opens_with_marker: None,
    });
}
