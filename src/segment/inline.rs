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

use rustc_hash::FxHashMap;

use super::markers::{fold_start, may_open_marker, parse_marker, Style};
use crate::clean::{self, Line};

/// Longest heading (in characters) after which a marker may follow with no
/// punctuation between: `三、活动内容(一)做好…`.
const RUN_ON_HEADING_CHARS: usize = 24;

/// The numeric value of a marker key: `三` → 3, `（十二）` → 12, `12` → 12,
/// `②` → 2. `None` for keys that carry no number.
pub(super) fn key_value(key: &str) -> Option<u32> {
    let inner = key.trim_start_matches(['（', '(', '第']).trim_end_matches([
        '）', ')', '章', '节', '部', '分', '篇', '是', '阶', '段', '步',
    ]);
    if let Some(c) = inner
        .chars()
        .next()
        .filter(|c| ('\u{2460}'..='\u{2473}').contains(c))
    {
        return Some(c as u32 - 0x2460 + 1);
    }
    if !inner.is_empty() && inner.bytes().all(|b| b.is_ascii_digit()) {
        return inner.parse().ok();
    }
    cn_value(inner)
}

/// Value of a Chinese numeral up to 九百九十九 (`十二` = 12, `二十` = 20).
pub(super) fn cn_value(s: &str) -> Option<u32> {
    let digit = |c: char| -> Option<u32> {
        Some(match c {
            '零' | '〇' => 0,
            '一' => 1,
            '二' | '两' => 2,
            '三' => 3,
            '四' => 4,
            '五' => 5,
            '六' => 6,
            '七' => 7,
            '八' => 8,
            '九' => 9,
            _ => return None,
        })
    };
    if s.is_empty() {
        return None;
    }
    let mut total = 0;
    let mut pending = None;
    for c in s.chars() {
        match c {
            '十' => {
                total += pending.take().unwrap_or(1) * 10;
            }
            '百' => {
                total += pending.take()? * 100;
            }
            _ => {
                if pending.is_some() {
                    return None;
                }
                pending = Some(digit(c)?);
            }
        }
    }
    Some(total + pending.unwrap_or(0))
}

/// What stands before a position in a line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Boundary {
    /// A sentence or clause end: 。；：！？ (maybe closed by a quote).
    Sentence,
    /// One or more spaces.
    Space,
    /// Running text.
    None,
}

fn boundary_before(before: &str) -> Boundary {
    // A bullet before a marker (`…。- 3.`) is not text.
    let trimmed = trim_bullets(before);
    let spaced = trimmed.len() < before.len();
    let mut rev = trimmed.chars().rev();
    let ends_sentence = |c: Option<char>| {
        matches!(
            c,
            Some('。' | '；' | ';' | '：' | ':' | '！' | '？' | '!' | '?')
        )
    };
    match rev.next() {
        c if ends_sentence(c) => Boundary::Sentence,
        // `提供了保障.二是`: an ASCII full stop after Chinese text.
        Some('.') if rev.next().is_some_and(clean::is_wide) => Boundary::Sentence,
        Some('”' | '"' | '’' | '」' | '）' | ')') if ends_sentence(rev.next()) => {
            Boundary::Sentence
        }
        _ if spaced => Boundary::Space,
        _ => Boundary::None,
    }
}

/// Text without the spaces and list bullets at its end.
fn trim_bullets(s: &str) -> &str {
    s.trim_end_matches(|c: char| {
        clean::is_space(c) || matches!(c, '-' | '•' | '·' | '●' | '■' | '◆' | '▪')
    })
}

/// A short heading with no punctuation: `活动内容`.
fn is_run_on_heading(s: &str) -> bool {
    let s = s.trim_matches(clean::is_space);
    if s.is_empty() || s.contains(['。', '；', ';', '：', ':', '！', '？', '、', '“', '”'])
    {
        return false;
    }
    // One clause, or two parallel ones: `筑牢医疗服务根基,提升服务保障能力`.
    let clauses: Vec<&str> = s.split(['，', ',']).collect();
    let short = |c: &str, max: usize| !c.is_empty() && c.chars().take(max + 1).count() <= max;
    match clauses.as_slice() {
        [one] => short(one, RUN_ON_HEADING_CHARS),
        [a, b] => {
            short(a, RUN_ON_CLAUSE_CHARS)
                && short(b, RUN_ON_CLAUSE_CHARS)
                && s.chars().count() <= RUN_ON_HEADING_CHARS + 6
        }
        _ => false,
    }
}

/// Byte lengths past which no run-on heading or title is looked for (a
/// character is at most four bytes).
const HEADING_REACH_BYTES: usize = (RUN_ON_HEADING_CHARS + 6) * 4;
const TITLE_REACH_BYTES: usize = 40 * 4;

/// A cheap look at the characters after a possible marker start, so that
/// the numerals of running text (`进一步`, `统一`, `2020年`) are passed
/// over without folding and parsing: a Chinese numeral must be followed by
/// 、．是 or a space, digits by a separator, a parenthesis, a space or a
/// Chinese character.
fn may_be_marker_at(rest: &str) -> bool {
    let mut chars = rest.chars();
    let Some(first) = chars.next().map(clean::fold_width) else {
        return false;
    };
    if clean::is_cn_numeral(first) {
        let after = chars.find(|c| !clean::is_cn_numeral(*c));
        return after.is_some_and(|c| matches!(c, '、' | '．' | '是') || clean::is_space(c));
    }
    if first.is_ascii_digit() {
        let after = chars.map(clean::fold_width).find(|c| !c.is_ascii_digit());
        return after.is_some_and(|c| {
            matches!(c, '.' | '、' | '．' | ')' | '）' | ',' | '，')
                || clean::is_space(c)
                || ('\u{4e00}'..='\u{9fff}').contains(&c)
        });
    }
    true
}

/// Longest clause of a two-clause run-on heading, in characters.
const RUN_ON_CLAUSE_CHARS: usize = 16;

/// Longest label that `一是` may follow directly: `主要措施一是…`.
const LABEL_CHARS: usize = 8;

/// A short label since the last sentence end: `…格局。主要措施`.
fn is_label(before: &str) -> bool {
    let since = before
        .rfind(['。', '；', ';', '！', '？', '：', ':'])
        .map_or(before, |p| {
            let c = before[p..].chars().next().map_or(1, char::len_utf8);
            &before[p + c..]
        });
    let since = since.trim_matches(clean::is_space);
    !since.is_empty()
        && since.chars().take(LABEL_CHARS + 1).count() <= LABEL_CHARS
        && !since.contains(['，', ',', '、', '“', '”', '(', '（'])
}

/// Whether `二是` follows later in the text after a sentence end, so that
/// an `一是` opens a list.
fn second_follows(rest: &str) -> bool {
    ["。二是", "；二是", ";二是", ".二是", "！二是"]
        .iter()
        .any(|p| rest.contains(p))
}

/// Words that end a plan's title (`…工作计划`, `…实施方案`).
const TITLE_ENDS: &[&str] = &[
    "要点", "计划", "总结", "方案", "规划", "报告", "意见", "安排", "纲要", "措施", "预案", "讲话",
];

/// A title running straight into the plan: short, no punctuation, ending in
/// a word that names a plan document.
fn is_run_on_title(s: &str) -> bool {
    let s = s.trim_matches(clean::is_space);
    s.chars().take(41).count() <= 40
        && !s.contains(['。', '，', ',', '；', ';', '！', '？'])
        && TITLE_ENDS.iter().any(|w| s.ends_with(w))
}

/// Whether the text after a marker opens with a short heading closed by
/// 。 or ： as items do (`强化药具发放管理:将…`).
fn run_in_heading_follows(after: &str) -> bool {
    let reach = after
        .char_indices()
        .nth(RUN_ON_HEADING_CHARS + 1)
        .map_or(after.len(), |(i, _)| i);
    let after = &after[..reach];
    after.find(['。', '：', ':']).is_some_and(|e| {
        let heading = &after[..e];
        let n = heading.chars().count();
        (2..=RUN_ON_HEADING_CHARS).contains(&n) && !heading.contains(['，', ',', '；', ';', '、'])
    })
}

/// Numbering seen so far, per marker style, to tell an outline marker from
/// a number in running text.
#[derive(Default)]
struct Numbering {
    last: FxHashMap<Style, u32>,
}

impl Numbering {
    /// Whether `value` starts or continues the numbering of `style`.
    fn fits(&self, style: Style, value: u32) -> bool {
        value == 1 || self.last.get(&style).is_some_and(|&last| value == last + 1)
    }

    /// Whether `value` is the next number of `style` (no restart).
    fn fits_next(&self, style: Style, value: u32) -> bool {
        self.last.get(&style).is_some_and(|&last| value == last + 1)
    }

    fn see(&mut self, style: Style, value: u32) {
        self.last.insert(style, value);
    }
}

/// Splits every line at the outline markers that run on inside it.
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
    let folded = fold_start(content);
    if let Some(m) = parse_marker(&folded, true) {
        if let Some(v) = key_value(&m.key) {
            numbering.see(m.style, v);
        }
        item_start = Some(raw_end(content, &folded[..m.len]));
        shi_open = m.style == Style::Shi;
    }
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
        // A numeral continuing a number (`十一`, `12`) is not a marker start.
        let prev = prev_raw.map(clean::fold_width);
        if prev.is_some_and(|p| {
            p.is_ascii_digit() || clean::is_cn_numeral(p) || matches!(p, '第' | '、')
        }) {
            continue;
        }
        let boundary = boundary_before(&content[cut..i]);
        // Right after a short heading: `三、活动内容(一)做好…`, or a title
        // running into the plan: `…工作计划一、…`. Both are short, so
        // longer stretches are not scanned (this runs at every numeral).
        let after_heading = match item_start {
            Some(s) => {
                s >= cut
                    && s <= i
                    && i - s <= HEADING_REACH_BYTES
                    && is_run_on_heading(&content[s..i])
            }
            None => cut == 0 && i <= TITLE_REACH_BYTES && is_run_on_title(&content[..i]),
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
        if m.style == Style::Bracket {
            // No number to check: a short bracketed heading is a heading.
            push_piece(&line, cut, i, out);
            cut = i;
            let marker_end = i + raw_end(rest, &folded[..m.len]);
            skip_until = marker_end;
            item_start = Some(marker_end);
            shi_open = false;
            continue;
        }
        let Some(value) = key_value(&m.key) else {
            continue;
        };
        // A repeated or skipped number (`(三)…(三)`, `二、…四、`) still
        // opens an item after a sentence end when a run-in heading follows
        // (`(三)强化药具发放管理:…`): numbering slips happen in real plans.
        let slip = matches!(m.style, Style::CnTop | Style::ParenCn)
            && boundary == Boundary::Sentence
            && numbering
                .last
                .get(&m.style)
                .is_some_and(|&last| value == last || value == last + 2)
            && run_in_heading_follows(&rest[raw_end(rest, &folded[..m.len])..]);
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
        // (`…保障(二)全面落实…`, where a line break was lost).
        if boundary == Boundary::None && !after_heading && value == 1 && m.style != Style::Shi {
            continue;
        }
        if boundary == Boundary::None
            && m.style == Style::Arabic
            && prev.is_some_and(|p| p.is_ascii_alphanumeric())
        {
            continue;
        }
        numbering.see(m.style, value);
        shi_open = m.style == Style::Shi;
        push_piece(&line, cut, i, out);
        cut = i;
        let marker_end = i + raw_end(rest, &folded[..m.len]);
        skip_until = marker_end;
        item_start = Some(marker_end);
    }
    push_piece(&line, cut, content.len(), out);
    // A furniture line is dropped whole: cut at the markers inside it, it
    // would leave pieces (`1.` of `1.1、本文档…`) that are not. (A line
    // that only lost a `本文来源` insert is plan text.)
    if !source_cut && out.len() > first_piece + 1 && clean::is_chrome(content) {
        out.truncate(first_piece);
        out.push(line);
    }
}

/// Longest `本文来源:…` insert taken out of a line, in characters.
const MAX_SOURCE_INSERT_CHARS: usize = 30;

/// Where an insert of a document-sharing site at the start of `s` ends:
/// `本文来源:某网` up to the next comma, sentence end or space (or the end
/// of the line), or `精选优质文档-倾情为你奉上`; None when `s` does not
/// start with one, or runs on too long to be one.
fn insert_end(s: &str) -> Option<usize> {
    if let Some(rest) = s.strip_prefix("精选优质文档") {
        let rest =
            rest.trim_start_matches(|c: char| matches!(c, '-' | '—' | '－') || clean::is_space(c));
        return rest.strip_prefix("倾情为你奉上").map(|r| s.len() - r.len());
    }
    let rest = s.strip_prefix("本文来源")?.strip_prefix([':', '：'])?;
    let start = s.len() - rest.len();
    let end = rest
        .char_indices()
        .take(MAX_SOURCE_INSERT_CHARS + 1)
        .find(|&(_, c)| matches!(c, ',' | '，' | '。' | ';' | '；') || clean::is_space(c))
        .map(|(i, _)| i);
    match end {
        Some(e) => Some(start + e),
        None if rest.chars().count() <= MAX_SOURCE_INSERT_CHARS => Some(s.len()),
        None => None,
    }
}

/// Where in `raw` a cleaned prefix of it ends: cleaning folds characters one
/// for one and drops spaces, so the prefix ends after as many non-space
/// characters (and the spaces that follow them).
fn raw_end(raw: &str, cleaned: &str) -> usize {
    let wanted = cleaned.chars().filter(|c| !clean::is_space(*c)).count();
    let mut seen = 0;
    for (i, c) in raw.char_indices() {
        if seen == wanted && !clean::is_space(c) {
            return i;
        }
        if !clean::is_space(c) {
            seen += 1;
        }
    }
    raw.len()
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
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pieces(text: &str) -> Vec<&str> {
        split_lines(clean::lines(text))
            .into_iter()
            .map(|l| l.content)
            .collect()
    }

    #[test]
    fn start_table_agrees_with_its_definition() {
        for c in (0..0x11000).filter_map(char::from_u32) {
            assert_eq!(may_start_something(c), starts_something(c), "{c:?}");
        }
        assert!(may_start_something('三') && may_start_something('（'));
        assert!(!may_start_something('卫') && !may_start_something('。'));
    }

    #[test]
    fn numerals_have_values() {
        assert_eq!(cn_value("三"), Some(3));
        assert_eq!(cn_value("十"), Some(10));
        assert_eq!(cn_value("十二"), Some(12));
        assert_eq!(cn_value("二十"), Some(20));
        assert_eq!(cn_value("二十三"), Some(23));
        assert_eq!(key_value("（十四）"), Some(14));
        assert_eq!(key_value("61"), Some(61));
        assert_eq!(key_value("②"), Some(2));
        assert_eq!(key_value("第三章"), Some(3));
    }

    #[test]
    fn sharing_site_inserts_are_left_out() {
        // A source note at the end of a plan line goes, the line stays.
        assert_eq!(
            pieces("宣传防治知识，提高群众健康意识。本文来源:某某范文网http:///"),
            ["宣传防治知识，提高群众健康意识。"]
        );
        // Inside a line, up to the comma that follows it.
        assert_eq!(
            pieces("做好消毒隔离工作本文来源:某某在线 ,杜绝院内感染的发生。"),
            ["做好消毒隔离工作", ",杜绝院内感染的发生。"]
        );
        // A banner opening a line that runs on into the plan.
        assert_eq!(
            pieces("精选优质文档-----倾情为你奉上某某工作计划为做好全年工作，特制定本计划。"),
            ["某某工作计划为做好全年工作，特制定本计划。"]
        );
        assert_eq!(
            pieces("1、精选优质文档-倾情为你奉上为做好全年工作，特制定本计划。"),
            ["1、", "为做好全年工作，特制定本计划。"]
        );
        // A file name keeps the title it holds.
        assert_eq!(pieces("某某工作方案.docx_第1页"), ["某某工作方案"]);
    }

    #[test]
    fn furniture_lines_are_not_cut_at_their_markers() {
        // Cut at `1、`, it would leave a `1.` piece that is no furniture.
        assert_eq!(
            pieces("1.1、本文档由用户上传，可阅读全部内容。"),
            ["1.1、本文档由用户上传，可阅读全部内容。"]
        );
    }

    #[test]
    fn markers_after_sentence_ends_start_lines() {
        assert_eq!(
            pieces("特制定本计划。一、指导思想。以人民健康为中心。二、主要任务(一)孕产妇保健。做好。(二)儿童保健。"),
            [
                "特制定本计划。",
                "一、指导思想。以人民健康为中心。",
                "二、主要任务",
                "(一)孕产妇保健。做好。",
                "(二)儿童保健。"
            ]
        );
    }

    #[test]
    fn numbers_in_running_text_stay() {
        for text in [
            "加强一、二级医院建设。",
            "围绕“3.24世界结核病防治日”开展宣传。",
            "孕产妇死亡率控制在 7.1/十万以内 婴儿死亡率控制在 4.5‰以内",
            "完成第三、四季度任务。",
            "共2019年（2）班培训。",
        ] {
            assert_eq!(pieces(text), [text], "{text}");
        }
    }

    #[test]
    fn a_list_after_a_space_continues_its_numbering() {
        assert_eq!(
            pieces("三、主要服务指标 1、孕产妇系统管理率达87%。 2、儿童系统管理率达88% 3、住院分娩率达100%"),
            [
                "三、主要服务指标",
                "1、孕产妇系统管理率达87%。",
                "2、儿童系统管理率达88%",
                "3、住院分娩率达100%"
            ]
        );
        // 5、 does not follow 1、: running text.
        assert_eq!(pieces("1、甲。 5、乙"), ["1、甲。 5、乙"]);
    }
}
