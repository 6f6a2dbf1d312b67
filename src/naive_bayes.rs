//! Multinomial naive Bayes: the fitted parameters the model file stores and
//! the one fit that produces them, from per-class sums of weighted TF-IDF
//! vectors. Cross-validation fits thousands of fold models, so the fit works
//! on those sums (cost: classes × features) rather than on dense rows; its
//! numbers are pinned by tests to linfa-bayes' `MultinomialNb` and to
//! scikit-learn's `MultinomialNB`.

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::features::SparseVec;

/// Fitted multinomial naive Bayes, stored class-major.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NaiveBayes {
    /// Log prior of each class (uniform or learned, decided by the trainer).
    pub log_prior: Vec<f64>,
    /// `feature_log_prob[class][feature]` = ln P(feature | class).
    pub feature_log_prob: Vec<Vec<f64>>,
}

impl NaiveBayes {
    /// The same model with every parameter rounded to `decimals` places.
    pub fn rounded(mut self, decimals: i32) -> Self {
        let scale = 10f64.powi(decimals);
        let round = |x: &mut f64| *x = (*x * scale).round() / scale;
        self.log_prior.iter_mut().for_each(round);
        self.feature_log_prob.iter_mut().flatten().for_each(round);
        self
    }

    pub fn n_classes(&self) -> usize {
        self.log_prior.len()
    }

    /// Joint log-likelihood of each class: ln P(c) + Σ x_j ln P(j | c), the
    /// terms summed in feature order. Cost: classes × non-zeros.
    pub fn joint_log_likelihood(&self, x: &SparseVec) -> Vec<f64> {
        self.log_prior
            .iter()
            .zip(&self.feature_log_prob)
            .map(|(prior, flp)| prior + x.iter().map(|(j, v)| v * flp[j]).sum::<f64>())
            .collect()
    }
}

/// Summed feature weights per class: the sufficient statistics of
/// multinomial naive Bayes.
#[derive(Debug, Clone)]
pub struct ClassCounts {
    pub feature_count: Vec<Vec<f64>>,
    pub class_count: Vec<usize>,
}

impl ClassCounts {
    pub fn new(n_classes: usize, n_features: usize) -> Self {
        ClassCounts {
            feature_count: vec![vec![0.0; n_features]; n_classes],
            class_count: vec![0; n_classes],
        }
    }

    /// Adds a (weighted) example of a class; `counts_as_example` is false
    /// for lexicon pseudo-documents, which shape the words but not the prior.
    pub fn add(&mut self, class: usize, x: &SparseVec, weight: f64, counts_as_example: bool) {
        for (j, v) in x.iter() {
            self.feature_count[class][j] += v * weight;
        }
        if counts_as_example {
            self.class_count[class] += 1;
        }
    }

    /// Adds `weight` times another set of counts' features (the lexicon at
    /// a chosen weight); class counts are left alone.
    pub fn add_scaled_features(&mut self, other: &ClassCounts, weight: f64) {
        for (row, extra) in self.feature_count.iter_mut().zip(&other.feature_count) {
            for (a, b) in row.iter_mut().zip(extra) {
                *a += weight * b;
            }
        }
    }

    /// The model with Lidstone smoothing `alpha`:
    /// ln P(j | c) = ln(count + alpha) − ln Σ_j (count + alpha).
    pub fn fit(&self, alpha: f64, uniform_prior: bool) -> Result<NaiveBayes> {
        if !(alpha > 0.0 && alpha.is_finite()) {
            return Err(Error::Param(format!("alpha must be positive, got {alpha}")));
        }
        Ok(NaiveBayes {
            log_prior: priors(&self.class_count, uniform_prior),
            feature_log_prob: self
                .feature_count
                .iter()
                .map(|counts| log_probs(counts, alpha))
                .collect(),
        })
    }
}

fn log_probs(counts: &[f64], alpha: f64) -> Vec<f64> {
    let ln_total = counts.iter().map(|c| c + alpha).sum::<f64>().ln();
    counts.iter().map(|c| (c + alpha).ln() - ln_total).collect()
}

fn priors(class_count: &[usize], uniform: bool) -> Vec<f64> {
    let k = class_count.len() as f64;
    let n: usize = class_count.iter().sum();
    class_count
        .iter()
        .map(|&c| {
            if uniform || n == 0 {
                -(k.ln())
            } else {
                // A class seen only through its lexicon still gets a chance.
                ((c as f64 + 1.0) / (n as f64 + k)).ln()
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use linfa::prelude::*;
    use linfa_bayes::{MultinomialNb, NaiveBayes as _};
    use ndarray::Array2;

    fn sv(pairs: &[(u32, f64)]) -> SparseVec {
        SparseVec {
            indices: pairs.iter().map(|p| p.0).collect(),
            values: pairs.iter().map(|p| p.1).collect(),
        }
    }

    /// The hand-made matrix of `scripts/sklearn_reference.py`: six rows,
    /// three classes, five features.
    const ROWS: [(usize, [f64; 5]); 6] = [
        (0, [2.0, 1.0, 0.0, 0.0, 0.0]),
        (0, [1.0, 0.0, 0.5, 0.0, 0.0]),
        (1, [0.0, 0.0, 3.0, 1.0, 0.0]),
        (1, [0.0, 0.25, 1.0, 2.0, 0.0]),
        (2, [0.0, 0.0, 0.0, 1.0, 4.0]),
        (2, [1.0, 0.0, 0.0, 0.0, 2.0]),
    ];
    const ALPHA: f64 = 0.5;
    const PROBES: [[f64; 5]; 3] = [
        [1.0, 0.0, 0.0, 0.0, 0.0],
        [0.0, 0.5, 0.5, 0.0, 1.0],
        [0.2, 0.0, 1.0, 3.0, 0.0],
    ];
    /// scikit-learn 1.9.1 `MultinomialNB(alpha=0.5).fit(X, y)`:
    /// `feature_log_prob_`, and `predict_joint_log_proba(PROBES)`.
    const SKLEARN_FEATURE_LOG_PROB: [[f64; 5]; 3] = [
        [
            -0.6931471805599452,
            -1.5404450409471488,
            -1.9459101490553132,
            -2.6390573296152584,
            -2.6390573296152584,
        ],
        [
            -2.9704144655697013,
            -2.5649493574615367,
            -0.7731898882334818,
            -1.024504316514388,
            -2.9704144655697013,
        ],
        [
            -1.9459101490553132,
            -3.044522437723423,
            -3.044522437723423,
            -1.9459101490553132,
            -0.4795730802618863,
        ],
    ];
    const SKLEARN_JOINT_LOG_LIKELIHOOD: [[f64; 3]; 3] = [
        [-1.7917594692280547, -4.069026754237811, -3.0445224377234226],
        [-5.4808472132846, -5.73809637708532, -4.622707806653419],
        [
            -11.100323862681186,
            -5.5393980195586945,
            -10.370047203368534,
        ],
    ];

    fn counts() -> ClassCounts {
        let mut counts = ClassCounts::new(3, 5);
        for (c, row) in ROWS {
            let pairs: Vec<(u32, f64)> = row
                .iter()
                .enumerate()
                .filter(|(_, v)| **v != 0.0)
                .map(|(j, v)| (j as u32, *v))
                .collect();
            counts.add(c, &sv(&pairs), 1.0, true);
        }
        counts
    }

    fn dense(rows: &[[f64; 5]]) -> Array2<f64> {
        Array2::from_shape_fn((rows.len(), 5), |(r, j)| rows[r][j])
    }

    /// A sparse vector of a dense probe row.
    fn sparse(row: &[f64; 5]) -> SparseVec {
        let pairs: Vec<(u32, f64)> = (0..5)
            .filter(|&j| row[j] != 0.0)
            .map(|j| (j as u32, row[j]))
            .collect();
        sv(&pairs)
    }

    /// Priors as linfa-bayes and scikit-learn learn them: class frequency,
    /// unsmoothed.
    fn with_frequency_priors(mut nb: NaiveBayes) -> NaiveBayes {
        nb.log_prior = vec![(2.0f64 / 6.0).ln(); 3];
        nb
    }

    #[test]
    fn fit_matches_scikit_learn() {
        let nb = with_frequency_priors(counts().fit(ALPHA, false).unwrap());
        for (c, (row, reference)) in nb
            .feature_log_prob
            .iter()
            .zip(SKLEARN_FEATURE_LOG_PROB)
            .enumerate()
        {
            for (j, (&ours, theirs)) in row.iter().zip(reference).enumerate() {
                assert!(
                    (ours - theirs).abs() < 1e-12,
                    "class {c} feature {j}: {ours} vs {theirs}"
                );
            }
        }
        for (probe, expected) in PROBES.iter().zip(SKLEARN_JOINT_LOG_LIKELIHOOD) {
            let ours = nb.joint_log_likelihood(&sparse(probe));
            for c in 0..3 {
                assert!(
                    (ours[c] - expected[c]).abs() < 1e-12,
                    "{probe:?} class {c}: {ours:?} vs {expected:?}"
                );
            }
        }
    }

    /// linfa-bayes fitted on the same rows, read through its public
    /// `joint_log_likelihood`: on the zero vector it gives the log prior, on
    /// unit vectors prior plus each feature's log-probability, and on any
    /// vector what the sparse scorer gives.
    #[test]
    fn fit_matches_linfa_bayes() {
        let x = dense(&ROWS.map(|r| r.1));
        let y = ndarray::Array1::from_iter(ROWS.iter().map(|r| r.0));
        let linfa = MultinomialNb::params()
            .alpha(ALPHA)
            .fit(&Dataset::new(x, y))
            .unwrap();
        let nb = with_frequency_priors(counts().fit(ALPHA, false).unwrap());
        let mut probes: Vec<[f64; 5]> = vec![[0.0; 5]];
        for j in 0..5 {
            let mut unit = [0.0; 5];
            unit[j] = 1.0;
            probes.push(unit);
        }
        probes.extend(PROBES);
        let jll = linfa.joint_log_likelihood(dense(&probes).view());
        for c in 0..3 {
            let theirs = &jll[&c];
            for (r, probe) in probes.iter().enumerate() {
                let ours = nb.joint_log_likelihood(&sparse(probe))[c];
                assert!(
                    (ours - theirs[r]).abs() < 1e-12,
                    "{probe:?} class {c}: {ours} vs {}",
                    theirs[r]
                );
            }
            for j in 0..5 {
                let read_back = theirs[1 + j] - theirs[0];
                assert!((read_back - nb.feature_log_prob[c][j]).abs() < 1e-12);
            }
        }
    }

    #[test]
    fn alpha_must_be_positive() {
        for alpha in [0.0, -1.0, f64::NAN, f64::INFINITY] {
            assert!(counts().fit(alpha, false).is_err(), "{alpha}");
        }
    }

    #[test]
    fn lexicon_counts_shape_words_not_priors() {
        let mut lexicon = ClassCounts::new(3, 5);
        lexicon.add(1, &sv(&[(0, 1.0)]), 1.0, false);
        let mut combined = counts();
        combined.add_scaled_features(&lexicon, 4.0);
        assert_eq!(combined.class_count, counts().class_count);
        assert_eq!(combined.feature_count[1][0], 4.0);
        let (a, b) = (
            counts().fit(1.0, false).unwrap(),
            combined.fit(1.0, false).unwrap(),
        );
        assert_eq!(a.log_prior, b.log_prior);
        assert!(b.feature_log_prob[1][0] > a.feature_log_prob[1][0]);
    }
}
