//! Calibration: scores (joint log-likelihoods) become probabilities through
//! a softmax temperature fitted on held-out scores, and the thresholds of
//! the review flag and of secondary labels are chosen on held-out
//! probabilities; expected calibration error measures the result.

use super::prediction::{argmax, most_probable};

/// Softmax of `scores / temperature`, computed stably (log-sum-exp), so that
/// long inputs never underflow into NaN.
pub fn softmax(scores: &[f64], temperature: f64) -> Vec<f64> {
    let mut p = scores.to_vec();
    softmax_in_place(&mut p, temperature);
    p
}

/// [`softmax`] over the scores' own storage: one allocation less per task.
pub(crate) fn softmax_in_place(scores: &mut [f64], temperature: f64) {
    let t = if temperature > 0.0 && temperature.is_finite() {
        temperature
    } else {
        1.0
    };
    let max = scores.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
    if !max.is_finite() {
        let uniform = 1.0 / scores.len().max(1) as f64;
        scores.iter_mut().for_each(|s| *s = uniform);
        return;
    }
    scores.iter_mut().for_each(|s| *s = ((*s - max) / t).exp());
    let sum: f64 = scores.iter().sum();
    scores.iter_mut().for_each(|e| *e /= sum);
}

/// Fits a temperature on held-out scores by minimising the negative
/// log-likelihood (golden-section search over ln T).
pub fn fit_temperature(scores: &[Vec<f64>], truth: &[usize]) -> f64 {
    if scores.is_empty() {
        return 1.0;
    }
    // One parameter needs few points: an evenly spaced sample bounds the
    // cost on large corpora.
    const MAX_POINTS: usize = 20_000;
    let step = scores.len().div_ceil(MAX_POINTS).max(1);
    let scores: Vec<&Vec<f64>> = scores.iter().step_by(step).collect();
    let truth: Vec<usize> = truth.iter().copied().step_by(step).collect();
    let nll = |log_t: f64| -> f64 {
        let t = log_t.exp();
        scores
            .iter()
            .zip(&truth)
            .map(|(s, &y)| -softmax(s, t)[y].max(1e-300).ln())
            .sum()
    };
    let (mut a, mut b) = ((1e-3f64).ln(), (1e4f64).ln());
    let g = (5f64.sqrt() - 1.0) / 2.0;
    // 60 golden-section steps shrink the interval by 0.618^60 (< 1e-12).
    for _ in 0..60 {
        let c = b - g * (b - a);
        let d = a + g * (b - a);
        if nll(c) < nll(d) {
            b = d;
        } else {
            a = c;
        }
    }
    ((a + b) / 2.0).exp()
}

/// Expected calibration error over `bins` equal-width confidence bins.
pub fn expected_calibration_error(confidence: &[f64], correct: &[bool], bins: usize) -> f64 {
    let n = confidence.len();
    if n == 0 {
        return 0.0;
    }
    let mut sum_conf = vec![0.0; bins];
    let mut sum_acc = vec![0.0; bins];
    let mut count = vec![0usize; bins];
    for (&c, &ok) in confidence.iter().zip(correct) {
        let b = ((c * bins as f64) as usize).min(bins - 1);
        sum_conf[b] += c;
        sum_acc[b] += if ok { 1.0 } else { 0.0 };
        count[b] += 1;
    }
    (0..bins)
        .filter(|&b| count[b] > 0)
        .map(|b| (sum_conf[b] - sum_acc[b]).abs() / n as f64)
        .sum()
}

/// Probabilities with a temperature fitted on the other folds' scores.
pub fn cross_fitted_probabilities(
    scores: &[Vec<f64>],
    truth: &[usize],
    fold_ids: &[usize],
    n_folds: usize,
) -> Vec<Vec<f64>> {
    let mut out = vec![Vec::new(); scores.len()];
    for f in 0..n_folds {
        let (s, t): (Vec<Vec<f64>>, Vec<usize>) = scores
            .iter()
            .zip(truth)
            .zip(fold_ids)
            .filter(|(_, &g)| g != f)
            .map(|((s, &t), _)| (s.clone(), t))
            .unzip();
        let temperature = fit_temperature(&s, &t);
        for i in 0..scores.len() {
            if fold_ids[i] == f {
                out[i] = softmax(&scores[i], temperature);
            }
        }
    }
    out
}

/// The lowest threshold under which `share` of the held-out errors fall.
pub fn choose_threshold(probs: &[Vec<f64>], truth: &[usize], share: f64) -> f64 {
    let mut wrong: Vec<f64> = probs
        .iter()
        .zip(truth)
        .filter(|(p, &t)| argmax(p) != t)
        .map(|(p, _)| p[argmax(p)])
        .collect();
    if wrong.is_empty() {
        return 0.5;
    }
    wrong.sort_by(f64::total_cmp);
    let idx = ((wrong.len() as f64 * share).ceil() as usize).clamp(1, wrong.len()) - 1;
    // Just above that error's confidence, so it is flagged too.
    (wrong[idx] + 1e-9).min(1.0)
}

/// Precision wanted of secondary labels on held-out sections: a runner-up
/// is shown as a second domain only when it is right at least this often.
const SECONDARY_PRECISION: f64 = 0.6;

/// The lowest runner-up probability at which runner-ups are right (the
/// gold label or one a reader accepts, other than the prediction) at least
/// [`SECONDARY_PRECISION`] of the time on held-out sections. Returns the
/// threshold (2.0 = never), that precision, and the share of sections that
/// get a secondary label.
pub fn choose_secondary_threshold(probs: &[Vec<f64>], accepted: &[Vec<usize>]) -> (f64, f64, f64) {
    let runner_ups: Vec<(f64, bool)> = probs
        .iter()
        .zip(accepted)
        .filter_map(|(p, ok)| {
            let order = most_probable(p, 2);
            let (best, second) = (*order.first()?, *order.get(1)?);
            Some((p[second], ok.contains(&second) && second != best))
        })
        .collect();
    for t in [0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45] {
        let shown: Vec<bool> = runner_ups
            .iter()
            .filter(|(p, _)| *p >= t)
            .map(|(_, right)| *right)
            .collect();
        if shown.len() < 5 {
            break;
        }
        let precision = shown.iter().filter(|r| **r).count() as f64 / shown.len() as f64;
        if precision >= SECONDARY_PRECISION {
            return (t, precision, shown.len() as f64 / probs.len().max(1) as f64);
        }
    }
    (2.0, 0.0, 0.0)
}

/// The confidence below which `share` of the tasks fall.
pub fn confidence_quantile(probs: &[Vec<f64>], share: f64) -> f64 {
    let mut conf: Vec<f64> = probs.iter().map(|p| p[argmax(p)]).collect();
    if conf.is_empty() {
        return 1.0;
    }
    conf.sort_by(f64::total_cmp);
    let idx = (conf.len() as f64 * share).floor() as usize;
    conf.get(idx).copied().unwrap_or(1.0)
}

/// Share of tasks whose best probability is below `threshold`.
pub fn flagged_share(probs: &[Vec<f64>], threshold: f64) -> f64 {
    let flagged = probs.iter().filter(|p| p[argmax(p)] < threshold).count();
    flagged as f64 / probs.len().max(1) as f64
}

/// Share of tasks below `threshold`, and share of the errors among them.
pub fn flag_shares(probs: &[Vec<f64>], truth: &[usize], threshold: f64) -> (f64, f64) {
    let mut errors = 0.0;
    let mut caught = 0.0;
    for (p, &t) in probs.iter().zip(truth) {
        let best = argmax(p);
        if best != t {
            errors += 1.0;
            if p[best] < threshold {
                caught += 1.0;
            }
        }
    }
    (
        flagged_share(probs, threshold),
        if errors > 0.0 { caught / errors } else { 1.0 },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn softmax_never_underflows() {
        let p = softmax(&[-1e6, -1e6 - 5.0, -2e6], 1.0);
        assert!(p.iter().all(|x| x.is_finite()));
        assert!((p.iter().sum::<f64>() - 1.0).abs() < 1e-12);
        assert!(p[0] > p[1] && p[2] == 0.0);
        let flat = softmax(&[f64::NEG_INFINITY; 3], 1.0);
        assert!((flat[0] - 1.0 / 3.0).abs() < 1e-12);
    }

    #[test]
    fn temperature_softens_overconfident_scores() {
        // Scores far apart but only half right: the best temperature is large.
        let scores: Vec<Vec<f64>> = (0..100).map(|_| vec![0.0, -50.0]).collect();
        let truth: Vec<usize> = (0..100).map(|i| i % 2).collect();
        let t = fit_temperature(&scores, &truth);
        assert!(t > 100.0, "{t}");
        let ece = expected_calibration_error(&[0.9, 0.9, 0.6, 0.6], &[true, false, true, true], 10);
        assert!((ece - (0.4 / 2.0 + 0.4 / 2.0)).abs() < 1e-12, "{ece}");
    }
}
