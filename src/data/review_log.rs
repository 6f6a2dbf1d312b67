//! The lines only the review log has: the id of each decision, and the
//! retractions that undo one.

use std::collections::HashSet;

use serde::Deserialize;

/// What every line of `reviewed.jsonl` may say about the review log
/// itself: a decision carries its own `decision` id, an undo is a line
/// `{"retract": ID, ...}` that takes that decision back. The file is only
/// ever appended to, so several review sessions can share it and a killed
/// one never leaves it half rewritten.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ReviewLine {
    #[serde(default)]
    pub decision: Option<String>,
    #[serde(default)]
    pub retract: Option<String>,
}

impl ReviewLine {
    /// Reads the log fields of a line; `None` for a line that is no JSON
    /// object (a torn last line).
    pub fn of(line: &str) -> Option<Self> {
        serde_json::from_str(line).ok()
    }
}

/// The decision ids retracted (undone) anywhere in a review log.
pub fn retracted_ids(text: &str) -> HashSet<String> {
    text.lines()
        .filter_map(ReviewLine::of)
        .filter_map(|l| l.retract)
        .collect()
}
