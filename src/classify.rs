//! Classification stage: naive Bayes scoring of sparse TF-IDF vectors,
//! calibrated probabilities and explanations.

use serde::{Deserialize, Serialize};

/// One candidate label with its calibrated probability.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Candidate {
    pub label: String,
    pub p: f64,
}

/// A term that pushed the decision, with its weight (log-odds contribution).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Evidence {
    pub term: String,
    pub weight: f64,
}

/// The label of one task.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Prediction {
    pub label: String,
    pub label_name: String,
    pub confidence: f64,
    pub top: Vec<Candidate>,
    pub low_confidence: bool,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub explain: Option<Vec<Evidence>>,
}
