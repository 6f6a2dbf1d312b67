//! Explanations: the terms of a task that pushed its decision, and the
//! terms that favour each candidate (for highlighting during review).

use super::prediction::Evidence;
use crate::features::SparseVec;
use crate::naive_bayes::NaiveBayes;

/// Terms that pushed the decision from the runner-up to the winner most:
/// x_j · (ln P(j|winner) − ln P(j|runner-up)).
pub fn explain(
    model: &NaiveBayes,
    x: &SparseVec,
    winner: usize,
    runner_up: usize,
    vocabulary: &[String],
    k: usize,
) -> Vec<Evidence> {
    let mut ev: Vec<Evidence> = x
        .iter()
        .map(|(j, v)| Evidence {
            term: vocabulary[j].clone(),
            weight: v * (model.feature_log_prob[winner][j] - model.feature_log_prob[runner_up][j]),
        })
        .filter(|e| e.weight > 0.0)
        .collect();
    ev.sort_by(|a, b| b.weight.total_cmp(&a.weight).then(a.term.cmp(&b.term)));
    ev.truncate(k);
    ev
}

/// Terms that favour class `c` over the average class, strongest first:
/// x_j · (ln P(j|c) − mean over classes of ln P(j|·)).
pub fn evidence_for(
    model: &NaiveBayes,
    x: &SparseVec,
    c: usize,
    vocabulary: &[String],
    k: usize,
) -> Vec<Evidence> {
    let n = model.n_classes().max(1) as f64;
    let mut ev: Vec<Evidence> = x
        .iter()
        .map(|(j, v)| {
            let mean = model.feature_log_prob.iter().map(|f| f[j]).sum::<f64>() / n;
            Evidence {
                term: vocabulary[j].clone(),
                weight: v * (model.feature_log_prob[c][j] - mean),
            }
        })
        .filter(|e| e.weight > 0.0)
        .collect();
    ev.sort_by(|a, b| b.weight.total_cmp(&a.weight).then(a.term.cmp(&b.term)));
    ev.truncate(k);
    ev
}
