//! Front matter: the plan's own title, the 印发通知 cover letter around it,
//! and repeated title lines.

use super::markers::{fold_start, may_open_marker, parse_marker};
use super::title::{
    self, is_boilerplate, is_date_line, is_label_line, is_notice_sentence, is_prose, run_on_title,
    title_of,
};
use crate::clean;

/// What comes before the plan proper: the notice wrapper, the title, and
/// repeated title lines.
#[derive(Debug, Default)]
pub(super) struct FrontMatter {
    /// Line index of the plan's title (its first line, when it spans two or
    /// three).
    pub(super) title_line: Option<usize>,
    /// The title, cleaned of the junk around it.
    pub(super) title: Option<String>,
    /// Index of the last line of the 印发通知 wrapper.
    pub(super) notice_end_line: Option<usize>,
    /// Further lines of the title and repeated title lines, to drop.
    pub(super) dropped: Vec<usize>,
}

/// How far into the document the title and notice are looked for.
pub(super) const FRONT_LINES: usize = 60;
/// How many lines that are neither title, furniture nor text the search
/// for the title passes before it gives up.
const MAX_OTHER_LINES: usize = 12;
/// Longest line, in characters, that starts a title written over two or
/// three lines.
const MAX_TITLE_PART_CHARS: usize = 40;

pub(super) fn compact(s: &str) -> String {
    s.chars().filter(|c| !clean::is_space(*c)).collect()
}

/// 印发《, searched for in the opening lines of every document.
pub(super) static PUBLISHES: std::sync::LazyLock<memchr::memmem::Finder<'static>> =
    std::sync::LazyLock::new(|| memchr::memmem::Finder::new("印发《"));
/// 印, where 印发 and 印發 start: one search finds both.
static PRINT: std::sync::LazyLock<memchr::memmem::Finder<'static>> =
    std::sync::LazyLock::new(|| memchr::memmem::Finder::new("印"));

/// The title a cover letter hands out: `印发《X》` (or `印發《X》`) anywhere
/// in the line, or a letter's own title `关于印发X的通知`.
fn published_title(line: &str) -> Option<String> {
    let mut publishes = false;
    for at in PRINT.find_iter(line.as_bytes()) {
        let rest = &line[at + "印".len()..];
        let Some(rest) = rest.strip_prefix('发').or_else(|| rest.strip_prefix('發')) else {
            continue;
        };
        publishes = true;
        if let Some(quoted) = rest.strip_prefix('《') {
            if let Some((q, _)) = quoted.split_once('》') {
                return Some(compact(q)).filter(|q| !q.is_empty());
            }
            break;
        }
    }
    if !publishes || line.len() > 300 || is_prose(line) {
        return None;
    }
    title::published(&compact(line)).map(str::to_string)
}

/// Words set apart by spaces, as in a site's menu: `首页 语言 会计`.
fn spaced_words(line: &str) -> bool {
    let chars: Vec<char> = line.chars().collect();
    chars
        .windows(3)
        .any(|w| clean::is_space(w[1]) && clean::is_wide(w[0]) && clean::is_wide(w[2]))
}

/// Whether two lines have four characters in a row in common.
fn shares_words(a: &str, b: &str) -> bool {
    let a: Vec<char> = a.chars().collect();
    a.windows(4)
        .any(|w| b.contains(&w.iter().collect::<String>()))
}

/// Words listed with commas, no sentence end, not ending with a comma as a
/// line broken inside a sentence does.
fn is_word_list(line: &str) -> bool {
    line.chars().nth(100).is_none()
        && !line.contains(['。', '；', ';', '！', '？', '：', ':', '“', '”'])
        && !line.ends_with(['，', ',', '、'])
}

/// A count with its unit: `7 页`, `15.34KB`, `999+`.
fn is_count_line(line: &str) -> bool {
    line.starts_with(|c: char| c.is_ascii_digit())
        && line.chars().nth(12).is_none()
        && line
            .chars()
            .filter(|c| !c.is_ascii() && !clean::is_space(*c))
            .count()
            <= 1
}

fn is_marker_line(line: &str) -> bool {
    line.chars()
        .next()
        .map(clean::fold_width)
        .is_some_and(may_open_marker)
        && parse_marker(&fold_start(line), true).is_some()
}

/// A title line found in the opening lines.
#[derive(Debug)]
struct Candidate {
    /// Indices of its first and last line.
    first: usize,
    last: usize,
    /// The title, cleaned.
    text: String,
}

/// The opening lines read for the title: the candidates found before the
/// plan's text starts, and the line where it starts.
#[derive(Debug, Default)]
struct Scan {
    candidates: Vec<Candidate>,
    body: Option<usize>,
}

/// A title written over two or three lines, starting at `content[pos]`
/// (`is_title`: whether that line is a title by itself): the position of
/// its last line and the title. A line joins the next when a bracket is
/// left open (`…行动计划(` / `2018-2020` / `年)`), when the next is a
/// bracketed tail (`(2021—2030年)`), or when it is a title's first half,
/// long enough not to be a site's name, that the next completes.
fn joined_title(content: &[(usize, &str)], pos: usize, is_title: bool) -> Option<(usize, String)> {
    let first = content[pos].1;
    let part = |l: &str| {
        l.chars().nth(MAX_TITLE_PART_CHARS).is_none()
            && !is_prose(l)
            && !l.ends_with([':', '：'])
            && !is_label_line(l)
            && !is_boilerplate(l)
            && !is_marker_line(l)
    };
    let next = content.get(pos + 1)?.1;
    let open = |s: &str| {
        s.matches(['(', '（']).count() > s.matches([')', '）']).count()
            || s.matches('《').count() > s.matches('》').count()
    };
    let tail = |l: &str| l.starts_with(['(', '（']);
    // A first half: words, a year, a bracket (not a date, a size, a site's
    // name), that the next line completes.
    let first_half = || {
        !is_title
            && (first.chars().nth(9).is_some() || first.contains("关于") || first.contains("關於"))
            && !first.ends_with(['网', '站'])
            && !first.ends_with("文件")
            && first.chars().all(|c| {
                !c.is_ascii() || c.is_ascii_alphanumeric() || matches!(c, '(' | ')' | '*' | ' ')
            })
            && !first
                .split(|c: char| !c.is_ascii_digit())
                .any(|run| run.len() > 4)
            && !spaced_words(first)
            && !title::has_junk_word(first)
            && !is_date_line(first)
    };
    // A line that is a title by itself completes a first half that cannot
    // end a title (`…关于促进和规范` / `…的指导意见`), or one that does not
    // read as a title of its own: a second title names its subject again or
    // opens with its year (`某中心纪实` / `2024某中心总结`).
    let completes = || {
        let unfinished = ["关于", "關於", "關于", "关於"]
            .iter()
            .any(|w| first.contains(w))
            || first.ends_with(['的', '和', '与', '與', '及', '暨', '、']);
        unfinished
            || title_of(next).is_none()
            || !(next.starts_with(|c: char| c.is_ascii_digit()) || shares_words(first, next))
    };
    if !(open(first) || tail(next) || first_half() && completes()) || !part(first) {
        return None;
    }
    let mut joined = first.to_string();
    for (next_pos, &(_, next)) in content.iter().enumerate().take(pos + 3).skip(pos + 1) {
        if next_pos > pos + 1 && !open(&joined) && !tail(next) {
            return None;
        }
        if !part(next) && !tail(next) {
            return None;
        }
        joined.push_str(next);
        if open(&joined) {
            continue;
        }
        return title_of(&joined).map(|t| (next_pos, t));
    }
    None
}

/// Reads the opening lines for title lines, up to the plan's text: past
/// furniture, labels, sharing-site boilerplate, a table of contents and a
/// cover letter's sentences (up to its date).
fn scan(lines: &[clean::Line<'_>]) -> Scan {
    // Lines are taken as the reading needs them: it mostly stops within a
    // few, and telling furniture costs a test per line.
    let mut source = lines
        .iter()
        .enumerate()
        .filter(|(_, l)| !l.content.is_empty() && !clean::is_chrome(l.content))
        .take(FRONT_LINES)
        .map(|(i, l)| (i, l.content));
    let mut content: Vec<(usize, &str)> = Vec::with_capacity(16);
    let mut out = Scan::default();
    let mut others = 0;
    let mut in_notice = false;
    let mut pos = 0;
    loop {
        // The line and the two after it, for a title over three lines.
        while content.len() < pos + 3 {
            let Some(next) = source.next() else {
                break;
            };
            content.push(next);
        }
        let Some(&(idx, line)) = content.get(pos) else {
            break;
        };
        pos += 1;
        let title = title_of(line);
        if let Some((last, text)) = joined_title(&content, pos - 1, title.is_some()) {
            out.candidates.push(Candidate {
                first: idx,
                last: content[last].0,
                text,
            });
            in_notice = false;
            pos = last + 1;
            continue;
        }
        if let Some(text) = title {
            out.candidates.push(Candidate {
                first: idx,
                last: idx,
                text,
            });
            in_notice = false;
            continue;
        }
        if is_count_line(line) || is_boilerplate(line) && line.chars().nth(100).is_none() {
            continue;
        }
        if is_marker_line(line) {
            // A table of contents before the title: short headings.
            if out.candidates.is_empty() && !line.contains('。') && line.chars().nth(40).is_none()
            {
                continue;
            }
            out.body = Some(idx);
            break;
        }
        if is_label_line(line) {
            continue;
        }
        if is_notice_sentence(line) {
            in_notice = true;
            continue;
        }
        if is_date_line(line) {
            in_notice = false;
            continue;
        }
        // An addressee (`各有关单位：`) or a label.
        if line.ends_with([':', '：'])
            && !line.contains('。')
            && (line.starts_with('各') || line.chars().nth(20).is_none())
        {
            continue;
        }
        // Words listed with commas and no sentence end, as spam and menus
        // are, do not start the text.
        if is_prose(line) && !is_word_list(line) {
            if in_notice {
                continue;
            }
            out.body = Some(idx);
            break;
        }
        others += 1;
        if others > MAX_OTHER_LINES {
            break;
        }
    }
    out
}

fn find_front_matter(lines: &[clean::Line<'_>], found: Scan) -> FrontMatter {
    let mut front = FrontMatter::default();
    let content: Vec<(usize, &str)> = lines
        .iter()
        .enumerate()
        .filter(|(_, l)| !l.content.is_empty() && !clean::is_chrome(l.content))
        .take(FRONT_LINES)
        .map(|(i, l)| (i, l.content))
        .collect();
    // A cover letter: 关于印发《X》的通知 … then X again as the plan's title.
    for (pos, &(_, line)) in content.iter().enumerate() {
        let Some(quoted) = published_title(line) else {
            continue;
        };
        // The title is at most four characters longer than the quote, so
        // longer lines are turned away before any copy is made.
        let longest = quoted.chars().count() + 4;
        if let Some(at) = content[pos + 1..].iter().position(|(_, l)| {
            let short = l
                .chars()
                .filter(|c| !clean::is_space(*c))
                .take(longest + 1)
                .count()
                <= longest;
            short && {
                let c = compact(l);
                c == quoted || c.ends_with(&quoted)
            }
        }) {
            let at = pos + 1 + at;
            let (title_idx, title_line) = content[at];
            front.title_line = Some(title_idx);
            front.notice_end_line = Some(title_idx.saturating_sub(1));
            // Its bracketed tail on the next line: `(2021—2030年)`.
            let title = title_of(title_line);
            match joined_title(&content, at, title.is_some()) {
                Some((last, text)) if content[at + 1].1.starts_with(['(', '（']) => {
                    front.title = Some(text);
                    front
                        .dropped
                        .extend(content[at + 1..=last].iter().map(|(i, _)| *i));
                }
                _ => front.title = Some(title.unwrap_or(quoted)),
            }
            break;
        }
    }
    let mut scanned = Vec::new();
    if front.title_line.is_none() {
        if let Some(last) = found.candidates.last() {
            front.title_line = Some(last.first);
            front.title = Some(last.text.clone());
            front.dropped.extend(last.first + 1..=last.last);
        }
        scanned = found.candidates;
    }
    if let (Some(t), Some(title)) = (front.title_line, front.title.as_deref()) {
        let title = compact(title);
        let same = |l: &str| {
            l.chars().filter(|c| !clean::is_space(*c)).eq(title.chars())
                || (l.len() <= 2 * title.len() + 60
                    && title_of(l).is_some_and(|x| compact(&x) == title))
        };
        // The other title lines read before the text: repeats of the title,
        // a sharing site's headings, a cover letter's title.
        for c in &scanned {
            if c.first != t {
                front.dropped.extend(c.first..=c.last);
            }
        }
        let after = front.dropped.iter().copied().chain([t]).max().unwrap_or(t);
        front.dropped.extend(
            content
                .iter()
                .filter(|(i, l)| *i > after && *i < t + 12 && same(l))
                .map(|(i, _)| *i),
        );
        front.dropped.sort_unstable();
        front.dropped.dedup();
    }
    front
}

/// The front matter of a document's lines. Where the plan's text starts
/// with its title run into it on one line (`XX工作总结各位领导、同志们：…`),
/// that line is cut before and after the title first, so that the title is
/// found as in a document that kept its breaks: the lines are given back,
/// cut or not.
pub(super) fn front_matter(lines: Vec<clean::Line<'_>>) -> (Vec<clean::Line<'_>>, FrontMatter) {
    let found = scan(&lines);
    let (lines, found) = match found.body {
        Some(body) => match cut_run_on_title(lines, body) {
            Ok(cut) => {
                let found = scan(&cut);
                (cut, found)
            }
            Err(lines) => (lines, found),
        },
        None => (lines, found),
    };
    let front = find_front_matter(&lines, found);
    (lines, front)
}

/// The line `body` cut before and after the title that runs into it, or
/// the lines as they were when no title does.
fn cut_run_on_title<'a>(
    lines: Vec<clean::Line<'a>>,
    body: usize,
) -> Result<Vec<clean::Line<'a>>, Vec<clean::Line<'a>>> {
    let line = &lines[body];
    if is_marker_line(line.content) {
        return Err(lines);
    }
    let Some(run_on) = run_on_title(line.content) else {
        return Err(lines);
    };
    if title_of(&line.content[run_on.title.0..run_on.title.1]).is_none() {
        return Err(lines);
    }
    let (head, title_end, rest) = (run_on.title.0, run_on.title.1, run_on.rest);
    let mut out = Vec::with_capacity(lines.len() + 2);
    for (n, line) in lines.into_iter().enumerate() {
        if n != body {
            out.push(line);
            continue;
        }
        out.extend(
            [(0, head), (head, title_end), (rest, line.content.len())]
                .into_iter()
                .filter_map(|(from, to)| line.piece(from, to)),
        );
    }
    Ok(out)
}

/// Where a cover letter's quoted title (`印发《X》`) occurs again, bare, in
/// the opening lines: the plan's own title, run into its neighbours when
/// the line breaks were lost (`…委员会2019316X2019年工作的总体要求是…`).
/// That line is cut before and after the title, so that the title and the
/// cover letter are found as in a document that kept its breaks.
pub(super) fn cut_at_quoted_title<'a>(lines: Vec<clean::Line<'a>>) -> Vec<clean::Line<'a>> {
    let quoted = lines
        .iter()
        .take(FRONT_LINES)
        .find_map(|l| {
            let at = PUBLISHES.find(l.content.as_bytes())?;
            let rest = &l.content[at + "印发《".len()..];
            rest.split_once('》').map(|(q, _)| q)
        })
        .filter(|q| q.chars().count() >= 4);
    let Some(quoted) = quoted else {
        return lines;
    };
    let mut out = Vec::with_capacity(lines.len() + 2);
    let mut done = false;
    for (n, line) in lines.into_iter().enumerate() {
        let found = (!done && n < FRONT_LINES && line.content.len() > quoted.len())
            .then(|| {
                matches_ignoring_spaces(line.content, quoted).find(|&(p, end)| {
                    let before = line.content[..p].chars().next_back();
                    let after = line.content[end..].chars().next();
                    before != Some('《') && after != Some('》') && end < line.content.len()
                })
            })
            .flatten();
        let Some((p, end)) = found else {
            out.push(line);
            continue;
        };
        done = true;
        out.extend(
            [(0, p), (p, end), (end, line.content.len())]
                .into_iter()
                .filter_map(|(from, to)| line.piece(from, to)),
        );
    }
    out
}

/// Byte ranges in `text` that read as `wanted` when spaces are ignored on
/// both sides (`2020 年全市 卫生健康工作要点` and `2020年全市卫生健康工作要点`).
fn matches_ignoring_spaces<'t>(
    text: &'t str,
    wanted: &'t str,
) -> impl Iterator<Item = (usize, usize)> + 't {
    let first = wanted.chars().find(|c| !clean::is_space(*c));
    text.char_indices()
        .filter(move |(_, c)| Some(*c) == first)
        .filter_map(move |(start, _)| {
            let mut want = wanted.chars().filter(|c| !clean::is_space(*c)).peekable();
            let mut end = start;
            for (i, c) in text[start..].char_indices() {
                if want.peek().is_none() {
                    break;
                }
                if clean::is_space(c) {
                    continue;
                }
                if want.next() != Some(c) {
                    return None;
                }
                end = start + i + c.len_utf8();
            }
            want.peek().is_none().then_some((start, end))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spaces_are_ignored_in_title_matches() {
        let text = "见《2020 年全 要点》通知。2020年全要点2020年是";
        let m: Vec<(usize, usize)> = matches_ignoring_spaces(text, "2020 年全 要点").collect();
        assert_eq!(m.len(), 2, "{m:?}");
        let lines = cut_at_quoted_title(clean::lines(
            "关于印发《2020 年全 要点》的通知。2020 年全要点2020年是",
        ));
        let pieces: Vec<&str> = lines.iter().map(|l| l.content).collect();
        assert_eq!(
            pieces,
            [
                "关于印发《2020 年全 要点》的通知。",
                "2020 年全要点",
                "2020年是"
            ]
        );
    }

    fn title(text: &str) -> Option<String> {
        front_matter(clean::lines(text)).1.title
    }

    #[test]
    fn the_last_title_line_before_the_text() {
        assert_eq!(
            title("某站\n卫生工作计划(精选5篇)\n2030年某镇卫生院工作计划\n为做好工作,制定本计划。")
                .as_deref(),
            Some("2030年某镇卫生院工作计划")
        );
        assert_eq!(
            title("为做好工作,制定本方案。\n一、目标\n做好年度工作计划"),
            None
        );
    }

    #[test]
    fn a_table_of_contents_and_a_word_list_are_passed() {
        assert_eq!(
            title("目录\n一、总体要求\n二、主要任务\n(一)甲项,乙项\n某镇卫生工作实施方案\n为做好工作,制定本方案。")
                .as_deref(),
            Some("某镇卫生工作实施方案")
        );
        assert_eq!(
            title("甲乙丙丁,戊己庚辛,壬癸子丑\n某县卫生工作计划\n为做好工作,制定本计划。")
                .as_deref(),
            Some("某县卫生工作计划")
        );
    }

    #[test]
    fn a_cover_letter_is_read_up_to_its_date() {
        assert_eq!(
            title(
                "各有关单位:\n《某县应急预案》已经县政府同意,现予印发,请遵照执行。\n某县人民政府\n\
                 2030年1月2日\n某县突发事件应急预案\n1 总则\n为做好应急工作,制定本预案。"
            )
            .as_deref(),
            Some("某县突发事件应急预案")
        );
    }

    #[test]
    fn titles_over_two_or_three_lines() {
        assert_eq!(
            title("某某厅关于促进和规范\n某某发展的指导意见\n各有关单位:\n为做好工作,提出意见。")
                .as_deref(),
            Some("某某厅关于促进和规范某某发展的指导意见")
        );
        assert_eq!(
            title("某地改革完善卫生行业\n综合监管制度的实施方案\n为做好工作,制定本方案。")
                .as_deref(),
            Some("某地改革完善卫生行业综合监管制度的实施方案")
        );
        assert_eq!(
            title("某某行动计划(\n2030-2035\n年)\n为做好工作,制定本计划。").as_deref(),
            Some("某某行动计划(2030-2035年)")
        );
    }

    #[test]
    fn lines_that_are_not_a_title_half_stay_apart() {
        // A title of its own: it names the subject again, or opens with a year.
        assert_eq!(
            title("某社区卫生中心发展纪实\n2030某社区卫生中心工作总结\n一年来,做了工作。")
                .as_deref(),
            Some("2030某社区卫生中心工作总结")
        );
        // A date, a size.
        assert_eq!(
            title("2030年1月2日\n某县卫生工作要点\n为做好工作,制定本要点。").as_deref(),
            Some("某县卫生工作要点")
        );
        assert_eq!(
            title("2030-01-02 15.3KB 12页\n某县卫生工作要点\n为做好工作,制定本要点。").as_deref(),
            Some("某县卫生工作要点")
        );
    }
}
