//! Cross-validation grouped by document: fold fits (a vectoriser and class
//! counts per training set), the settings grid and its selection, and the
//! nested loop that scores every section by a model that never saw its
//! document.

use super::evaluation::macro_f1;
use super::evaluation::Config;
use super::TrainParams;
use crate::classify::prediction::argmax;
use crate::error::Result;
use crate::features::{FoldVectorizer, IndexedCorpus, SparseVec};
use crate::naive_bayes::{ClassCounts, NaiveBayes};

const ALPHAS: [f64; 6] = [0.003, 0.01, 0.03, 0.1, 0.3, 1.0];
const LEXICON_WEIGHTS: [f64; 8] = [0.0, 0.5, 1.0, 2.0, 4.0, 8.0, 16.0, 32.0];

/// Every combination of the settings tried (one alpha when it is fixed).
pub(super) fn grid(fixed_alpha: Option<f64>) -> Vec<Config> {
    let alphas: Vec<f64> = match fixed_alpha {
        Some(a) => vec![a],
        None => ALPHAS.to_vec(),
    };
    let mut out = Vec::new();
    for &alpha in &alphas {
        for &lexicon_weight in &LEXICON_WEIGHTS {
            for uniform_prior in [true, false] {
                out.push(Config {
                    alpha,
                    lexicon_weight,
                    uniform_prior,
                });
            }
        }
    }
    out
}

/// A section prepared for learning (its terms live in the corpus).
pub(super) struct Example {
    pub label: usize,
    /// Other labels a reader accepts for it (`secondary`).
    pub secondary: Vec<usize>,
    /// Its document: cross-validation never splits one.
    pub group: usize,
    pub text: String,
    /// 1, or the review weight for review decisions.
    pub weight: f64,
}

/// What every fold fit needs: the examples, their indexed terms, settings.
pub(super) struct Ctx<'a> {
    pub examples: &'a [Example],
    pub corpus: &'a IndexedCorpus,
    pub params: &'a TrainParams,
    /// Number of labels.
    pub k: usize,
    pub n_folds: usize,
}

impl Ctx<'_> {
    /// The fold an example is held out in.
    pub fn fold_of(&self, i: usize) -> usize {
        self.examples[i].group % self.n_folds
    }
}

/// Vectoriser and class counts fitted on one training set.
pub(super) struct FoldFit<'a> {
    corpus: &'a IndexedCorpus,
    pub vectorizer: FoldVectorizer,
    counts: ClassCounts,
    lexicon_counts: ClassCounts,
}

impl<'a> FoldFit<'a> {
    /// Fits the vectoriser on `train` and sums its vectors per label; the
    /// lexicon pseudo-documents are summed apart, to be weighted per setting.
    pub fn new(ctx: &Ctx<'a>, train: &[usize]) -> Result<Self> {
        let vectorizer = ctx.corpus.fit(&ctx.params.tfidf, train)?;
        let v = vectorizer.len();
        let mut counts = ClassCounts::new(ctx.k, v);
        for &i in train {
            let e = &ctx.examples[i];
            counts.add(e.label, &ctx.corpus.vector(&vectorizer, i), e.weight, true);
        }
        let mut lexicon_counts = ClassCounts::new(ctx.k, v);
        for label in 0..ctx.k {
            let x = ctx.corpus.extra_vector(&vectorizer, label);
            lexicon_counts.add(label, &x, 1.0, false);
        }
        Ok(FoldFit {
            corpus: ctx.corpus,
            vectorizer,
            counts,
            lexicon_counts,
        })
    }

    pub fn vectorize(&self, i: usize) -> SparseVec {
        self.corpus.vector(&self.vectorizer, i)
    }

    /// The naive Bayes model of one setting.
    pub fn model(&self, c: Config) -> Result<NaiveBayes> {
        let mut combined = self.counts.clone();
        combined.add_scaled_features(&self.lexicon_counts, c.lexicon_weight);
        combined.fit(c.alpha, c.uniform_prior)
    }
}

/// Held-out sections scored per fold when choosing settings: enough to
/// rank settings, few enough that a large corpus trains in seconds.
const MAX_SELECTION_TEST: usize = 500;

/// Picks the grid point with the best grouped-CV accuracy on `pool`
/// (ties: macro-F1, then the earlier grid point).
pub(super) fn select(
    ctx: &Ctx<'_>,
    pool: &[usize],
    fold_of: &dyn Fn(usize) -> usize,
    grid: &[Config],
) -> Result<Config> {
    let mut folds: Vec<usize> = pool.iter().map(|&i| fold_of(i)).collect();
    folds.sort_unstable();
    folds.dedup();
    let mut correct = vec![0usize; grid.len()];
    let mut preds: Vec<Vec<(usize, usize)>> = vec![Vec::new(); grid.len()];
    for &f in &folds {
        let train: Vec<usize> = pool.iter().copied().filter(|&i| fold_of(i) != f).collect();
        let test: Vec<usize> = pool.iter().copied().filter(|&i| fold_of(i) == f).collect();
        if train.is_empty() || test.is_empty() {
            continue;
        }
        // Evenly spaced sample of the held-out fold.
        let step = test.len().div_ceil(MAX_SELECTION_TEST);
        let test: Vec<usize> = test.into_iter().step_by(step.max(1)).collect();
        let fit = FoldFit::new(ctx, &train)?;
        let xs: Vec<SparseVec> = test.iter().map(|&i| fit.vectorize(i)).collect();
        // Settings are scored independently: spread them over the cores.
        let per_config: Vec<Vec<(usize, usize)>> = {
            use rayon::prelude::*;
            grid.par_iter()
                .map(|&c| -> Result<Vec<(usize, usize)>> {
                    let nb = fit.model(c)?;
                    Ok(xs
                        .iter()
                        .zip(&test)
                        .map(|(x, &i)| (ctx.examples[i].label, argmax(&nb.joint_log_likelihood(x))))
                        .collect())
                })
                .collect::<Result<_>>()?
        };
        for (g, pairs) in per_config.into_iter().enumerate() {
            correct[g] += pairs.iter().filter(|(t, p)| t == p).count();
            preds[g].extend(pairs);
        }
    }
    let k = ctx.k;
    let best = (0..grid.len())
        .max_by(|&a, &b| {
            correct[a]
                .cmp(&correct[b])
                .then(macro_f1(&preds[a], k).total_cmp(&macro_f1(&preds[b], k)))
                .then(b.cmp(&a))
        })
        .unwrap_or(0);
    Ok(grid[best])
}

/// Scores of every section from the outer folds of nested cross-validation.
pub(super) struct HeldOut {
    /// Joint log-likelihoods from the full trainer (lexicon weight chosen
    /// inside the training folds).
    pub scores: Vec<Vec<f64>>,
    /// The same with the lexicon left out.
    pub scores_without_lexicon: Vec<Vec<f64>>,
    /// The most frequent label of the training folds.
    pub majority: Vec<usize>,
    /// The fold each section was held out in.
    pub fold: Vec<usize>,
    /// Joint log-likelihoods of the tasks of whole documents (the `extra`
    /// of [`nested_cross_validation`]), by the full trainer of the fold
    /// their document was held out in.
    pub document_tasks: Vec<Vec<f64>>,
}

/// Nested grouped cross-validation: for each outer fold, settings are
/// chosen by cross-validation on the other folds alone, fitted on them, and
/// score the held-out fold. `extra` are unlabelled items of the corpus
/// (corpus index, group), scored by the fold that holds their group out.
pub(super) fn nested_cross_validation(
    ctx: &Ctx<'_>,
    grid: &[Config],
    extra: &[(usize, usize)],
) -> Result<HeldOut> {
    let n = ctx.examples.len();
    let mut held_out = HeldOut {
        scores: vec![Vec::new(); n],
        scores_without_lexicon: vec![Vec::new(); n],
        majority: vec![0; n],
        fold: vec![0; n],
        document_tasks: vec![Vec::new(); extra.len()],
    };
    let without_lexicon: Vec<Config> = grid
        .iter()
        .copied()
        .filter(|c| c.lexicon_weight == 0.0)
        .collect();
    for f in 0..ctx.n_folds {
        let (test, train): (Vec<usize>, Vec<usize>) = (0..n).partition(|&i| ctx.fold_of(i) == f);
        if test.is_empty() {
            continue;
        }
        let inner = |i: usize| ctx.fold_of(i);
        let best = select(ctx, &train, &inner, grid)?;
        let best_without_lexicon = select(ctx, &train, &inner, &without_lexicon)?;
        let fitted = FoldFit::new(ctx, &train)?;
        let mut counts = vec![0usize; ctx.k];
        for &i in &train {
            counts[ctx.examples[i].label] += 1;
        }
        let majority = (0..ctx.k)
            .max_by_key(|&c| (counts[c], std::cmp::Reverse(c)))
            .unwrap_or(0);
        let nb = fitted.model(best)?;
        let nb_without_lexicon = fitted.model(best_without_lexicon)?;
        for &i in &test {
            let x = fitted.vectorize(i);
            held_out.scores[i] = nb.joint_log_likelihood(&x);
            held_out.scores_without_lexicon[i] = nb_without_lexicon.joint_log_likelihood(&x);
            held_out.majority[i] = majority;
            held_out.fold[i] = f;
        }
        for (j, &(corpus_index, group)) in extra.iter().enumerate() {
            if group % ctx.n_folds == f {
                let x = fitted.vectorize(corpus_index);
                held_out.document_tasks[j] = nb.joint_log_likelihood(&x);
            }
        }
    }
    Ok(held_out)
}
