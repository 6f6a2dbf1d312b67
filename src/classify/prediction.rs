//! What a task is told: its label, calibrated confidence, candidates and
//! evidence, and the ranking of labels behind them.

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
    /// Other labels the task also carries (a task that spans two domains):
    /// the runner-up when its probability reaches the model's threshold.
    #[serde(default)]
    pub secondary: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub explain: Option<Vec<Evidence>>,
}

impl Prediction {
    /// No label: for a task that is not a policy task (the cover letter).
    pub fn none() -> Self {
        Prediction {
            label: String::new(),
            label_name: String::new(),
            confidence: 0.0,
            top: Vec::new(),
            low_confidence: false,
            secondary: Vec::new(),
            explain: None,
        }
    }
}

/// How to report a prediction.
#[derive(Debug, Clone, Copy)]
pub struct PredictOptions {
    /// Candidates listed in `top`.
    pub top: usize,
    /// Include the terms that drove the decision.
    pub explain: bool,
    /// Override of the model's low-confidence threshold.
    pub min_confidence: Option<f64>,
}

impl Default for PredictOptions {
    fn default() -> Self {
        PredictOptions {
            top: 3,
            explain: false,
            min_confidence: None,
        }
    }
}

/// Index of the largest value (ties: the lower index).
pub fn argmax(v: &[f64]) -> usize {
    (0..v.len())
        .max_by(|&a, &b| v[a].total_cmp(&v[b]).then(b.cmp(&a)))
        .unwrap_or(0)
}

/// Indices of the `k` largest probabilities, largest first, ties to the
/// lower index: the head of the fully sorted order. One pass keeping the
/// best `k` in order; most labels lose to the current k-th at once.
/// (Sorting all labels for every task cost 2.1% of end-to-end tagging
/// instructions, 156.0 M → 159.3 M.)
pub fn most_probable(p: &[f64], k: usize) -> Vec<usize> {
    let ahead = |a: usize, b: usize| p[a].total_cmp(&p[b]).then(b.cmp(&a)).is_gt();
    let mut top: Vec<usize> = Vec::with_capacity(k + 1);
    for i in 0..p.len() {
        if top.len() == k && top.last().is_none_or(|&last| !ahead(i, last)) {
            continue;
        }
        let at = top.partition_point(|&t| ahead(t, i));
        top.insert(at, i);
        top.truncate(k);
    }
    top
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// The top `k` are the head of the fully sorted order, ties and all.
        #[test]
        fn most_probable_is_the_head_of_the_sorted_order(
            p in proptest::collection::vec(proptest::sample::select(vec![0.0, 0.1, 0.25, 0.5, 1.0, f64::NAN]), 0..25),
            k in 0usize..12,
        ) {
            let mut order: Vec<usize> = (0..p.len()).collect();
            order.sort_by(|&a, &b| p[b].total_cmp(&p[a]).then(a.cmp(&b)));
            order.truncate(k);
            proptest::prop_assert_eq!(most_probable(&p, k), order);
        }
    }

    #[test]
    fn argmax_takes_the_first_of_equals() {
        assert_eq!(argmax(&[0.1, 0.5, 0.5]), 1);
        assert_eq!(argmax(&[]), 0);
    }
}
