//! The gold units of a document matched, in order, to the predicted tasks
//! that hold their anchors.

use std::collections::HashMap;

use serde::Serialize;

/// Where a gold unit ended up in the predicted segmentation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Placement {
    /// A task of its own.
    Own,
    /// Its task also holds another gold unit.
    Merged,
    /// No task holds its anchor (dropped, or the anchor is not in the text).
    Missing,
}

/// The match of one gold unit: the anchor's byte offset in the text and the
/// index of the task whose source span holds it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UnitMatch {
    pub offset: Option<usize>,
    pub task: Option<usize>,
    pub placement: Placement,
}

/// Matches the gold units of one document, in document order, to task
/// spans (`start..end` byte offsets into `text`). Each unit is a pair of
/// its anchor and its gold text (may be empty). An anchor is looked for
/// after the previous unit's anchor, because anchors can also occur earlier
/// (a teaser or a table of contents); of its occurrences there, the one
/// whose continuation agrees longest with the gold text is taken (an anchor
/// such as `重点` also occurs inside the unit before it, and a teaser breaks
/// off), else the first one. An anchor not found there is missing.
pub fn match_units(text: &str, units: &[(&str, &str)], spans: &[(usize, usize)]) -> Vec<UnitMatch> {
    let mut cursor = 0;
    let mut found: Vec<(Option<usize>, Option<usize>)> = Vec::with_capacity(units.len());
    for &(anchor, gold_text) in units {
        let occurrences = || {
            text.get(cursor..)
                .into_iter()
                .flat_map(move |rest| rest.match_indices(anchor).map(move |(p, _)| cursor + p))
        };
        // The longest agreement, the first of equals: a teaser that repeats
        // a unit's opening words breaks off sooner than the unit itself.
        let offset = occurrences()
            .map(|p| (p, agreement(&text[p + anchor.len()..], anchor, gold_text)))
            .filter(|&(_, n)| n.is_some_and(|n| n.agrees))
            .max_by(|a, b| {
                a.1.map(|n| n.chars)
                    .cmp(&b.1.map(|n| n.chars))
                    .then(b.0.cmp(&a.0))
            })
            .map(|(p, _)| p)
            .or_else(|| occurrences().next());
        if let Some(p) = offset {
            cursor = p + anchor.len();
        }
        let task = offset.and_then(|p| spans.iter().position(|&(s, e)| s <= p && p < e));
        found.push((offset, task));
    }
    let mut per_task: HashMap<usize, usize> = HashMap::new();
    for task in found.iter().filter_map(|f| f.1) {
        *per_task.entry(task).or_default() += 1;
    }
    found
        .into_iter()
        .map(|(offset, task)| UnitMatch {
            offset,
            task,
            placement: match task {
                None => Placement::Missing,
                Some(t) if per_task[&t] > 1 => Placement::Merged,
                Some(_) => Placement::Own,
            },
        })
        .collect()
}

/// Characters compared after an anchor to tell its occurrences apart.
const AGREEING_CHARS: usize = 12;
/// Most characters compared to choose between occurrences that agree.
const MAX_COMPARED_CHARS: usize = 400;

/// How far the text after an anchor's occurrence goes on as the gold text
/// does after the anchor (spaces and line breaks ignored on both sides).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Agreement {
    /// The first [`AGREEING_CHARS`] characters agree.
    agrees: bool,
    /// Characters that agree, up to [`MAX_COMPARED_CHARS`].
    chars: usize,
}

/// The [`Agreement`] of an occurrence; `None` when the gold text does not
/// hold the anchor or has nothing after it.
fn agreement(after: &str, anchor: &str, gold_text: &str) -> Option<Agreement> {
    let at = gold_text.find(anchor)?;
    let not_space = |c: &char| !c.is_whitespace() && *c != '\u{3000}';
    let want: Vec<char> = gold_text[at + anchor.len()..]
        .chars()
        .filter(not_space)
        .take(MAX_COMPARED_CHARS)
        .collect();
    if want.is_empty() {
        return None;
    }
    let chars = after
        .chars()
        .filter(not_space)
        .zip(&want)
        .take_while(|(a, b)| a == *b)
        .count();
    Some(Agreement {
        agrees: chars >= want.len().min(AGREEING_CHARS),
        chars,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bare(anchors: &[&'static str]) -> Vec<(&'static str, &'static str)> {
        anchors.iter().map(|a| (*a, "")).collect()
    }

    fn placements(
        text: &str,
        anchors: &[&'static str],
        spans: &[(usize, usize)],
    ) -> Vec<Placement> {
        match_units(text, &bare(anchors), spans)
            .iter()
            .map(|m| m.placement)
            .collect()
    }

    #[test]
    fn a_teaser_before_the_previous_unit_is_skipped() {
        // A teaser names the second unit before the first unit's anchor.
        let text = "摘要：乙任务\n一、甲任务做好。\n二、乙任务做好。";
        let first = text.find("一、").unwrap();
        let second = text.find("二、").unwrap();
        let spans = [(0, first), (first, second), (second, text.len())];
        let m = match_units(text, &bare(&["甲任务", "乙任务"]), &spans);
        assert_eq!(m[0].task, Some(1));
        assert_eq!(m[1].task, Some(2));
        assert_eq!(m[1].offset, Some(second + "二、".len()));
        assert_eq!(m[0].placement, Placement::Own);
        assert_eq!(m[1].placement, Placement::Own);
    }

    #[test]
    fn the_occurrence_that_goes_on_like_the_gold_text_is_taken() {
        // `重点` occurs inside the first unit before its own heading.
        let text = "一、加强重点人群管理。\n二、重点\n做好项目。";
        let second = text.find("二、").unwrap();
        let spans = [(0, second), (second, text.len())];
        let units = [("加强", "加强重点人群管理。"), ("重点", "重点做好项目。")];
        let m = match_units(text, &units, &spans);
        assert_eq!(m[1].task, Some(1));
        assert_eq!(m[1].placement, Placement::Own);
        // Without the gold text, the first occurrence is taken.
        let m = match_units(text, &bare(&["加强", "重点"]), &spans);
        assert_eq!(m[1].task, Some(0));
    }

    #[test]
    fn a_teaser_that_breaks_off_loses_to_the_unit() {
        // The teaser agrees for more than the first twelve characters.
        let text = "某某方案 为做好某项工作,结合本地实际情况和上级要求下面是小编整理的范文。\n\
                    为做好某项工作,结合本地实际情况和上级要求,制定本方案。一、目标";
        let real = text.rfind("为做好").unwrap();
        let spans = [(0, real), (real, text.len())];
        let units = [(
            "为做好某项工作",
            "为做好某项工作,结合本地实际情况和上级要求,制定本方案。",
        )];
        let m = match_units(text, &units, &spans);
        assert_eq!(m[0].offset, Some(real));
        assert_eq!(m[0].task, Some(1));
    }

    #[test]
    fn units_sharing_a_task_are_merged_and_unheld_ones_missing() {
        let text = "一、甲任务。乙任务。\n二、丙任务。";
        let second = text.find("二、").unwrap();
        // One task holds 甲 and 乙; 丙 is outside every span.
        let spans = [(0, second)];
        assert_eq!(
            placements(text, &["甲任务", "乙任务", "丙任务"], &spans),
            vec![Placement::Merged, Placement::Merged, Placement::Missing]
        );
    }

    #[test]
    fn an_anchor_not_in_the_text_is_missing_and_does_not_move_the_cursor() {
        let text = "一、甲任务。\n二、乙任务。";
        let second = text.find("二、").unwrap();
        let spans = [(0, second), (second, text.len())];
        assert_eq!(
            placements(text, &["甲任务", "不存在", "乙任务"], &spans),
            vec![Placement::Own, Placement::Missing, Placement::Own]
        );
    }

    #[test]
    fn an_anchor_before_the_previous_one_is_missing() {
        // Order matters: 甲 was already passed when 乙 is matched after it.
        let text = "一、甲任务。\n二、乙任务。";
        let second = text.find("二、").unwrap();
        let spans = [(0, second), (second, text.len())];
        assert_eq!(
            placements(text, &["乙任务", "甲任务"], &spans),
            vec![Placement::Own, Placement::Missing]
        );
    }
}
