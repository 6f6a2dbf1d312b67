//! Front matter: the plan's own title, the 印发通知 cover letter around it,
//! and repeated title lines. The opening lines are read in [`scan`]; a
//! cover letter's quoted title in [`quoted`].

use super::title::{run_on_title, title_of};
use crate::clean;

mod quoted;
mod scan;

pub(super) use quoted::cut_at_quoted_title;
use quoted::published_title;
use scan::{is_marker_line, joined_title, scan, Scan};

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

fn find_front_matter(lines: &[clean::Line<'_>], furniture: &[bool], found: Scan) -> FrontMatter {
    let mut front = FrontMatter::default();
    let content: Vec<(usize, &str)> = lines
        .iter()
        .enumerate()
        .filter(|&(i, l)| !l.content.is_empty() && !furniture[i])
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
            match joined_title(lines, &content, at, title.is_some()) {
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
            // What the reading passed over before the title is the page's,
            // not the plan's: a headline, a site's name.
            front
                .dropped
                .extend(found.passed.iter().filter(|&&i| i < last.first));
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
/// cut or not, with their [`clean::furniture_flags`].
pub(super) fn front_matter(
    lines: Vec<clean::Line<'_>>,
) -> (Vec<clean::Line<'_>>, Vec<bool>, FrontMatter) {
    let mut furniture = clean::furniture_flags(&lines);
    let found = scan(&lines, &furniture);
    let (lines, found) = match found.body {
        Some(body) => match cut_run_on_title(lines, body) {
            Ok(cut) => {
                // Only the cut line changed: its pieces take its flag's place.
                let pieces = cut.len() + 1 - furniture.len();
                let flags = clean::furniture_flags(&cut[body..body + pieces]);
                furniture.splice(body..=body, flags);
                let found = scan(&cut, &furniture);
                (cut, found)
            }
            Err(lines) => (lines, found),
        },
        None => (lines, found),
    };
    let front = find_front_matter(&lines, &furniture, found);
    (lines, furniture, front)
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
    // The junk after the title's words goes with neither piece: a file
    // name's `.doc` would make the title's line look like furniture.
    let (head, title_end, rest) = (run_on.title.0, run_on.words_end, run_on.rest);
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

#[cfg(test)]
mod tests;
