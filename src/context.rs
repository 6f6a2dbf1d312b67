//! Document context: a task's label depends on the plan around it. In an
//! 艾滋病防治 plan, "各村设置宣传橱窗" is disease control, because the plan
//! is; in a general 工作要点 the same words would lean elsewhere. Each task's
//! scores are mixed with a prior drawn from the other tasks of its document
//! (the mean of their calibrated probabilities): a plan about one domain
//! pulls its generic tasks towards it, a plan that spans many leaves them
//! alone. The weight is chosen by cross-validation grouped by document and
//! stored in the model; training and tagging both mix through [`mix`].

use crate::classify::softmax;

/// How the document prior enters each task's scores.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DocumentPrior {
    /// Weight of the prior's log-probabilities (0 = no context).
    pub weight: f64,
    /// Temperature that turns the other tasks' scores into probabilities.
    pub temperature: f64,
}

/// Smallest probability a prior gives a label, so that one label absent
/// from the rest of a plan is not ruled out.
const PRIOR_FLOOR: f64 = 1e-3;

/// Mixes the scores (joint log-likelihoods) of one document's tasks:
/// task i gets `s_i + weight · ln(prior_i)`, where `prior_i` is the mean
/// probability over the document's other tasks that `counts` (a cover
/// letter does not). A task alone in its document keeps its scores.
pub fn mix(scores: &[Vec<f64>], counts: &[bool], prior: DocumentPrior) -> Vec<Vec<f64>> {
    if prior.weight == 0.0 || scores.len() < 2 {
        return scores.to_vec();
    }
    let k = scores.first().map_or(0, Vec::len);
    let probs: Vec<Vec<f64>> = scores
        .iter()
        .map(|s| softmax(s, prior.temperature))
        .collect();
    let mut total = vec![0.0; k];
    let mut n = 0usize;
    for (p, _) in probs.iter().zip(counts).filter(|(_, &c)| c) {
        total.iter_mut().zip(p).for_each(|(t, v)| *t += v);
        n += 1;
    }
    scores
        .iter()
        .enumerate()
        .map(|(i, s)| {
            // Leave the task itself out of its own prior.
            let (others, m) = if counts[i] {
                let o: Vec<f64> = total.iter().zip(&probs[i]).map(|(t, v)| t - v).collect();
                (o, n - 1)
            } else {
                (total.clone(), n)
            };
            if m == 0 {
                return s.clone();
            }
            s.iter()
                .zip(&others)
                .map(|(si, o)| {
                    let p = (o / m as f64).max(0.0);
                    si + prior.weight * (p + PRIOR_FLOOR).ln()
                })
                .collect()
        })
        .collect()
}

/// [`mix`] applied to each document of a set of tasks: `documents` lists
/// the task indices of each document (tasks in no document keep their
/// scores).
pub fn mix_documents(
    scores: &[Vec<f64>],
    counts: &[bool],
    documents: &[Vec<usize>],
    prior: DocumentPrior,
) -> Vec<Vec<f64>> {
    let mut out = scores.to_vec();
    for members in documents {
        let doc: Vec<Vec<f64>> = members.iter().map(|&i| scores[i].clone()).collect();
        let c: Vec<bool> = members.iter().map(|&i| counts[i]).collect();
        for (&i, m) in members.iter().zip(mix(&doc, &c, prior)) {
            out[i] = m;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn argmax(v: &[f64]) -> usize {
        (0..v.len()).max_by(|&a, &b| v[a].total_cmp(&v[b])).unwrap()
    }

    #[test]
    fn a_plan_about_one_domain_pulls_its_generic_task() {
        // Three tasks clearly label 0; the fourth leans slightly to 1.
        let scores = vec![
            vec![0.0, -8.0],
            vec![0.0, -9.0],
            vec![0.0, -7.0],
            vec![-0.5, 0.0],
        ];
        let counts = [true; 4];
        let prior = DocumentPrior {
            weight: 1.0,
            temperature: 1.0,
        };
        assert_eq!(argmax(&scores[3]), 1);
        let mixed = mix(&scores, &counts, prior);
        assert_eq!(argmax(&mixed[3]), 0);
        // The clear tasks stay as they were decided.
        assert!((0..3).all(|i| argmax(&mixed[i]) == 0));
    }

    #[test]
    fn no_weight_or_one_task_changes_nothing() {
        let scores = vec![vec![0.0, -1.0], vec![-1.0, 0.0]];
        let off = DocumentPrior {
            weight: 0.0,
            temperature: 1.0,
        };
        assert_eq!(mix(&scores, &[true, true], off), scores);
        let on = DocumentPrior {
            weight: 2.0,
            temperature: 1.0,
        };
        assert_eq!(mix(&scores[..1], &[true], on), scores[..1].to_vec());
    }

    #[test]
    fn a_task_that_does_not_count_neither_shapes_nor_escapes_the_prior() {
        // The cover letter (not counted) leans hard to 1, the task to 0.
        let scores = vec![vec![-9.0, 0.0], vec![0.0, -9.0], vec![-0.2, 0.0]];
        let counts = [false, true, true];
        let prior = DocumentPrior {
            weight: 1.0,
            temperature: 1.0,
        };
        let mixed = mix(&scores, &counts, prior);
        // Task 2's prior comes from task 1 only, which says 0.
        assert_eq!(argmax(&mixed[2]), 0);
        // The cover letter is pulled by both counted tasks.
        assert!(mixed[0][0] - mixed[0][1] > scores[0][0] - scores[0][1]);
    }
}
