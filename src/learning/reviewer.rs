//! The simulated reviewer: the tasks the current model would queue on the
//! review documents, each with the answer the gold gives it.

use std::collections::HashMap;
use std::path::Path;

use super::tag_options;
use crate::classify::Classifier;
use crate::eval::{self, GoldUnit};
use crate::review::{self, QueueItem};
use crate::segment::Kind;

/// A review document's task as the simulation sees it.
pub(super) struct Candidate {
    pub(super) item: QueueItem,
    /// The reviewer's answer: the gold label of the units it holds.
    pub(super) answer: Option<String>,
}

/// The label a reviewer gives a task holding these gold units: the most
/// frequent, ties to the first in document order.
pub fn answer_of(units: &[&GoldUnit]) -> Option<String> {
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for u in units {
        *counts.entry(u.label.as_str()).or_default() += 1;
    }
    let best = counts.values().copied().max()?;
    units
        .iter()
        .find(|u| counts[u.label.as_str()] == best)
        .map(|u| u.label.clone())
}

/// Tags the review documents with a model: every task that could be
/// queued (not a cover letter), with the reviewer's answer.
pub(super) fn candidates(
    classifier: &Classifier,
    by_doc: &[(&str, Vec<&GoldUnit>)],
    docs: &Path,
) -> Vec<Candidate> {
    use rayon::prelude::*;
    let opts = tag_options();
    let per_doc: Vec<Vec<Candidate>> = by_doc
        .par_iter()
        .map(|(name, units)| {
            let Some(m) = eval::tag_and_match(classifier, name, units, docs, &opts) else {
                return Vec::new();
            };
            (0..m.tagged.tasks.len())
                .filter(|&i| m.tagged.tasks[i].kind != Kind::Notice)
                .map(|i| {
                    let held: Vec<&GoldUnit> = units
                        .iter()
                        .zip(&m.matches)
                        .filter(|(_, um)| um.task == Some(i))
                        .map(|(u, _)| *u)
                        .collect();
                    Candidate {
                        item: review::queue_item(&m.tagged, i, ""),
                        answer: answer_of(&held),
                    }
                })
                .collect()
        })
        .collect();
    per_doc.into_iter().flatten().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unit(label: &str) -> GoldUnit {
        GoldUnit {
            doc: "d.txt".into(),
            id: String::new(),
            anchor: "x".into(),
            label: label.into(),
            accept: vec![],
            kind: "task".into(),
            text: String::new(),
            path: vec![],
        }
    }

    #[test]
    fn the_reviewer_answers_with_the_most_frequent_gold_label() {
        let (a, b, c) = (unit("tcm"), unit("party"), unit("party"));
        assert_eq!(answer_of(&[&a, &b, &c]).as_deref(), Some("party"));
        assert_eq!(answer_of(&[&a, &b]).as_deref(), Some("tcm"), "ties: first");
        assert_eq!(answer_of(&[]), None);
    }
}
