//! Training: hyper-parameters chosen by cross-validation grouped by document,
//! honest figures from nested cross-validation (no document is ever in both
//! the fold that is scored and the data that chose or fitted the model),
//! temperature calibration, and the final fit with linfa-bayes.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::classify::{self, ClassCounts, NaiveBayes};
use crate::context::DocumentPrior;
use crate::data::TrainingData;
use crate::error::{Error, Result};
use crate::features::{CorpusBuilder, FoldVectorizer, IndexedCorpus, SparseVec};
use crate::model::{Calibration, LabelInfo, ModelFile, TfidfFile, TrainingInfo};
use crate::tokenize::{Tokenizer, TokenizerSettings};

/// Trainer settings (flags of `plan-train`).
#[derive(Debug, Clone)]
pub struct TrainParams {
    /// Number of folds; `None` = leave one document out.
    pub folds: Option<usize>,
    /// Fixed smoothing; `None` = chosen by cross-validation.
    pub alpha: Option<f64>,
    pub tfidf: crate::features::TfidfParams,
    pub bigrams: bool,
    pub path_terms: bool,
    /// Share of cross-validated errors the low-confidence flag should catch.
    pub flag_error_share: f64,
    /// Most tasks the flag may send to review (a queue a person can work
    /// through), as a share of cross-validated tasks.
    pub flag_task_share: f64,
    /// Creation time written into the model.
    pub created: u64,
    /// Fixed document-context weight; `None` = chosen by cross-validation.
    pub context_weight: Option<f64>,
    /// Leave the taxonomy's lexicons out (lexicon weight fixed at 0).
    pub no_lexicon: bool,
    /// How many times a review decision counts (default [`REVIEW_WEIGHT`]).
    pub review_weight: f64,
}

impl Default for TrainParams {
    fn default() -> Self {
        TrainParams {
            folds: None,
            alpha: None,
            tfidf: crate::features::TfidfParams::default(),
            // Measured by nested grouped CV: bigrams lowered accuracy, the
            // heading path raised it and improved calibration.
            bigrams: false,
            path_terms: true,
            flag_error_share: 0.75,
            flag_task_share: 0.30,
            created: 0,
            context_weight: None,
            no_lexicon: false,
            review_weight: REVIEW_WEIGHT,
        }
    }
}

impl TrainParams {
    pub fn check(&self) -> Result<()> {
        self.tfidf.check()?;
        if let Some(a) = self.alpha {
            if !(a > 0.0 && a.is_finite()) {
                return Err(Error::Param(format!("alpha must be positive, got {a}")));
            }
        }
        if let Some(w) = self.context_weight {
            if !(w >= 0.0 && w.is_finite()) {
                return Err(Error::Param(format!(
                    "context weight must be zero or positive, got {w}"
                )));
            }
        }
        if !(self.review_weight > 0.0 && self.review_weight.is_finite()) {
            return Err(Error::Param(format!(
                "review weight must be positive, got {}",
                self.review_weight
            )));
        }
        if matches!(self.folds, Some(n) if n < 2) {
            return Err(Error::Param("folds must be at least 2".into()));
        }
        if !(0.0..=1.0).contains(&self.flag_task_share) {
            return Err(Error::Param("flag_task_share must be within 0..1".into()));
        }
        if !(0.0..=1.0).contains(&self.flag_error_share) {
            return Err(Error::Param("flag_error_share must be within 0..1".into()));
        }
        Ok(())
    }
}

/// How many times a review decision counts in training, chosen on the
/// learning curve of `plan-train learn` (README.md, "What review buys"):
/// of 0.25, 0.5, 1, 2, 4 and 8, half weight gave the best mean accuracy on
/// held-out train documents over ten rounds of review (1 and 2 within two
/// units of it, 4 and 8 clearly worse). Reviewed tasks are the doubtful
/// ones, whose words are less typical of their label than a hand-picked
/// section's.
pub const REVIEW_WEIGHT: f64 = 0.5;

const ALPHAS: [f64; 6] = [0.003, 0.01, 0.03, 0.1, 0.3, 1.0];
const LEXICON_WEIGHTS: [f64; 8] = [0.0, 0.5, 1.0, 2.0, 4.0, 8.0, 16.0, 32.0];

/// One point of the hyper-parameter grid.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Config {
    pub alpha: f64,
    pub lexicon_weight: f64,
    pub uniform_prior: bool,
}

/// Quality figures of one set of held-out predictions.
#[derive(Debug, Clone, Serialize)]
pub struct Metrics {
    pub n: usize,
    pub accuracy: f64,
    pub top2_accuracy: f64,
    pub macro_f1: f64,
    pub ece: f64,
    /// Accuracy on the 80% most confident predictions.
    pub accuracy_top80_confident: f64,
    pub per_label: BTreeMap<String, LabelMetrics>,
    /// Most frequent (truth, predicted) confusions.
    pub confused: Vec<(String, String, usize)>,
}

#[derive(Debug, Clone, Serialize)]
pub struct LabelMetrics {
    pub support: usize,
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
}

/// The cross-validation report (`--report-json`).
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub folds: usize,
    pub sections: usize,
    pub documents: Vec<String>,
    /// Nested grouped CV of the full trainer (lexicon weight chosen inside).
    pub model: Metrics,
    /// The same without the lexicon (weight fixed at 0).
    pub without_lexicon: Metrics,
    /// Baseline: always the most frequent label of the training folds.
    pub majority_baseline: Metrics,
    /// Baseline: the label whose lexicon terms occur most often in the text.
    pub lexicon_match_baseline: Metrics,
    /// Settings chosen for the shipped model (grouped CV over all data).
    pub chosen: Config,
    pub temperature: f64,
    /// Weight of the document prior (see [`crate::context`]), chosen on
    /// the cross-validated scores, and the accuracy each weight tried gave.
    pub context_weight: f64,
    pub context_curve: Vec<(f64, f64)>,
    pub low_confidence_threshold: f64,
    /// Share of held-out tasks the threshold flags, and share of held-out
    /// errors among them.
    pub flagged_share: f64,
    pub errors_caught_share: f64,
    /// Runner-up probability from which it is a secondary label (2 =
    /// never), its held-out precision, and the share of sections given one.
    pub secondary_threshold: f64,
    pub secondary_precision: f64,
    pub secondary_share: f64,
    pub overridden_by_review: usize,
    /// Sections that come from review decisions.
    pub reviewed_sections: usize,
}

/// Output of training.
pub struct Trained {
    pub model: ModelFile,
    pub report: Report,
}

/// A section prepared for learning (its terms live in the corpus).
struct Example {
    label: usize,
    /// Other labels a reader accepts for it (`secondary`).
    secondary: Vec<usize>,
    group: usize,
    text: String,
    /// 1, or the review weight for review decisions.
    weight: f64,
}

/// Trains a model from validated training data.
pub fn train(
    data: &TrainingData,
    params: &TrainParams,
    progress: &dyn Fn(&str),
) -> Result<Trained> {
    params.check()?;
    let labels = &data.taxonomy.labels;
    let k = labels.len();
    let settings = TokenizerSettings {
        hmm: true,
        bigrams: params.bigrams,
        path_terms: params.path_terms,
        user_dict: data.user_dict.clone(),
        stopwords: data.stopwords.clone(),
    };
    progress("loading jieba");
    let tokenizer = Tokenizer::new(settings.clone())?;

    progress("tokenising sections");
    let mut groups: Vec<String> = data.sections.iter().map(|s| group_of(&s.section)).collect();
    groups.sort();
    groups.dedup();
    // jieba dominates training time on large data: cut sections in
    // parallel chunks (one jieba call per chunk) and intern their terms
    // chunk by chunk, so term strings of the whole corpus never coexist.
    let mut builder = CorpusBuilder::default();
    for chunk in data.sections.chunks(TOKENIZE_CHUNK) {
        use rayon::prelude::*;
        let lists: Vec<Vec<String>> = chunk
            .par_chunks(64)
            .flat_map_iter(|part| section_terms(&tokenizer, part))
            .collect();
        for terms in &lists {
            builder.add_doc(terms.iter().map(|s| s.as_str()));
        }
    }
    let examples: Vec<Example> = data
        .sections
        .iter()
        .map(|s| {
            let sec = &s.section;
            Example {
                label: data.taxonomy.index_of(&sec.label).unwrap_or(0),
                secondary: sec
                    .secondary
                    .iter()
                    .filter_map(|l| data.taxonomy.index_of(l))
                    .collect(),
                group: groups.binary_search(&group_of(sec)).unwrap_or(0),
                text: format!("{} {}", sec.title, sec.text),
                weight: if sec.source.as_deref() == Some("review") {
                    params.review_weight
                } else {
                    1.0
                },
            }
        })
        .collect();
    let lexicon_docs: Vec<Vec<String>> = labels
        .iter()
        .map(|l| {
            l.lexicon
                .iter()
                .flat_map(|term| tokenizer.terms("", term, &[]))
                .collect()
        })
        .collect();
    if examples.is_empty() {
        return Err(Error::Param("no labelled sections".into()));
    }
    let corpus = builder.finish(&lexicon_docs);
    let ctx = Ctx {
        examples: &examples,
        corpus: &corpus,
        params,
        k,
    };
    let n_folds = params.folds.unwrap_or(groups.len()).min(groups.len());
    if n_folds < 2 {
        return Err(Error::Param(
            "cross-validation needs sections from at least two documents".into(),
        ));
    }
    let fold_of = |e: &Example| e.group % n_folds;
    let mut grid = grid(params.alpha);
    if params.no_lexicon {
        grid.retain(|c| c.lexicon_weight == 0.0);
    }

    progress("nested cross-validation");
    let all: Vec<usize> = (0..examples.len()).collect();
    let mut outer_scores: Vec<Option<Vec<f64>>> = vec![None; examples.len()];
    let mut outer_scores_nolex: Vec<Option<Vec<f64>>> = vec![None; examples.len()];
    let mut majority_pred = vec![0usize; examples.len()];
    let mut fold_ids = vec![0usize; examples.len()];
    for f in 0..n_folds {
        let train: Vec<usize> = all
            .iter()
            .copied()
            .filter(|&i| fold_of(&examples[i]) != f)
            .collect();
        let test: Vec<usize> = all
            .iter()
            .copied()
            .filter(|&i| fold_of(&examples[i]) == f)
            .collect();
        if test.is_empty() {
            continue;
        }
        let inner = |i: usize| fold_of(&examples[i]);
        let best = select(&ctx, &train, &inner, &grid)?;
        let no_lexicon: Vec<Config> = grid
            .iter()
            .copied()
            .filter(|c| c.lexicon_weight == 0.0)
            .collect();
        let best_nolex = select(&ctx, &train, &inner, &no_lexicon)?;
        let fitted = FoldFit::new(&ctx, &train, false)?;
        let mut counts = vec![0usize; k];
        for &i in &train {
            counts[examples[i].label] += 1;
        }
        let majority = (0..k)
            .max_by_key(|&c| (counts[c], std::cmp::Reverse(c)))
            .unwrap_or(0);
        let nb = fitted.model(best);
        let nb_nolex = fitted.model(best_nolex);
        for &i in &test {
            let x = fitted.vectorize(i);
            outer_scores[i] = Some(nb.joint_log_likelihood(&x));
            outer_scores_nolex[i] = Some(nb_nolex.joint_log_likelihood(&x));
            majority_pred[i] = majority;
            fold_ids[i] = f;
        }
    }
    let truth: Vec<usize> = examples.iter().map(|e| e.label).collect();
    let scores: Vec<Vec<f64>> = outer_scores
        .into_iter()
        .map(|s| s.unwrap_or_default())
        .collect();
    let scores_nolex: Vec<Vec<f64>> = outer_scores_nolex
        .into_iter()
        .map(|s| s.unwrap_or_default())
        .collect();

    progress("choosing the document-context weight");
    // Each task's held-out scores mixed with the prior from the other tasks
    // of its document (all held out together, since folds keep documents
    // whole); the weight that labels the held-out tasks best is kept.
    let base_temperature = classify::fit_temperature(&scores, &truth);
    let by_group = indices_by_group(&examples);
    let mut best_context = (0.0, f64::NEG_INFINITY, f64::NEG_INFINITY);
    let mut context_curve = Vec::new();
    let fixed = params.context_weight.map(|w| vec![w]);
    for &weight in fixed.as_deref().unwrap_or(CONTEXT_WEIGHTS) {
        let prior = DocumentPrior {
            weight,
            temperature: base_temperature,
        };
        let mixed = mix_by_group(&scores, &by_group, prior);
        let p = cross_fitted_probabilities(&mixed, &truth, &fold_ids, n_folds);
        let accuracy = p
            .iter()
            .zip(&truth)
            .filter(|(p, &y)| argmax(p) == y)
            .count() as f64
            / truth.len() as f64;
        let log_likelihood = p
            .iter()
            .zip(&truth)
            .map(|(p, &y)| p[y].max(1e-12).ln())
            .sum::<f64>()
            / truth.len() as f64;
        context_curve.push((weight, accuracy));
        if (accuracy, log_likelihood) > (best_context.1, best_context.2) {
            best_context = (weight, accuracy, log_likelihood);
        }
    }
    let document_prior = DocumentPrior {
        weight: best_context.0,
        temperature: base_temperature,
    };
    let scores = mix_by_group(&scores, &by_group, document_prior);
    let scores_nolex = mix_by_group(&scores_nolex, &by_group, document_prior);

    progress("calibrating");
    // ECE with temperatures fitted on the other folds only.
    let probs = cross_fitted_probabilities(&scores, &truth, &fold_ids, n_folds);
    let probs_nolex = cross_fitted_probabilities(&scores_nolex, &truth, &fold_ids, n_folds);
    let temperature = classify::fit_temperature(&scores, &truth);
    let model_metrics = metrics(&probs, &truth, labels);
    // The queue a person can work through: catch the wanted share of
    // errors, but never flag more than the wanted share of tasks.
    let threshold = choose_threshold(&probs, &truth, params.flag_error_share)
        .min(confidence_quantile(&probs, params.flag_task_share));
    let (flagged_share, errors_caught_share) = flag_shares(&probs, &truth, threshold);
    let accepted: Vec<Vec<usize>> = examples
        .iter()
        .map(|e| {
            let mut a = e.secondary.clone();
            a.push(e.label);
            a
        })
        .collect();
    let (secondary_threshold, secondary_precision, secondary_share) =
        choose_secondary_threshold(&probs, &accepted);

    let one_hot = |pred: &[usize]| -> Vec<Vec<f64>> {
        pred.iter()
            .map(|&p| (0..k).map(|c| if c == p { 1.0 } else { 0.0 }).collect())
            .collect()
    };
    let lexicon_pred: Vec<usize> = examples
        .iter()
        .map(|e| lexicon_match(&e.text, labels))
        .collect();

    progress("choosing settings on all documents");
    let chosen = select(&ctx, &all, &|i| fold_of(&examples[i]), &grid)?;

    progress("fitting the final model (linfa-bayes)");
    let final_fit = FoldFit::new(&ctx, &all, true)?;
    let final_tfidf = corpus.to_tfidf(&final_fit.vectorizer);
    let mut rows: Vec<(usize, &SparseVec, f64, bool)> = final_fit
        .train_vectors
        .iter()
        .zip(&all)
        .map(|((label, x), &i)| (*label, x, examples[i].weight, true))
        .collect();
    if chosen.lexicon_weight > 0.0 {
        for (label, x) in final_fit.lexicon_vectors.iter().enumerate() {
            rows.push((label, x, chosen.lexicon_weight, false));
        }
    }
    let naive_bayes = classify::fit_linfa(
        &rows,
        k,
        final_fit.vectorizer.len(),
        chosen.alpha,
        chosen.uniform_prior,
        512,
    )?
    .rounded(PARAMETER_DECIMALS);

    let report = Report {
        folds: n_folds,
        sections: examples.len(),
        documents: groups.clone(),
        model: model_metrics,
        without_lexicon: metrics(&probs_nolex, &truth, labels),
        majority_baseline: metrics(&one_hot(&majority_pred), &truth, labels),
        lexicon_match_baseline: metrics(&one_hot(&lexicon_pred), &truth, labels),
        chosen,
        temperature,
        context_weight: document_prior.weight,
        context_curve,
        low_confidence_threshold: threshold,
        flagged_share,
        errors_caught_share,
        secondary_threshold,
        secondary_precision,
        secondary_share,
        overridden_by_review: data.overridden,
        reviewed_sections: data.reviewed,
    };
    let mut label_counts = BTreeMap::new();
    for l in labels {
        label_counts.insert(l.id.clone(), 0usize);
    }
    for e in &examples {
        *label_counts.entry(labels[e.label].id.clone()).or_default() += 1;
    }
    let model = ModelFile {
        taxonomy: labels
            .iter()
            .map(|l| LabelInfo {
                id: l.id.clone(),
                zh: l.zh.clone(),
                en: l.en.clone(),
            })
            .collect(),
        tokenizer: settings,
        tfidf: TfidfFile {
            vocabulary: final_tfidf.vocabulary().to_vec(),
            idf: final_tfidf.idf().to_vec(),
            sublinear_tf: final_tfidf.sublinear_tf(),
            min_df: params.tfidf.min_df,
        },
        naive_bayes,
        calibration: Calibration {
            temperature,
            low_confidence_threshold: threshold,
            context_weight: document_prior.weight,
            context_temperature: document_prior.temperature,
            secondary_threshold,
        },
        training: TrainingInfo {
            created: params.created,
            data_digest: data.digest.clone(),
            sections: examples.len(),
            label_counts,
            alpha: chosen.alpha,
            lexicon_weight: chosen.lexicon_weight,
            uniform_prior: chosen.uniform_prior,
            cross_validation: serde_json::to_value(&report)
                .map_err(|e| Error::Param(e.to_string()))?,
        },
        digest: String::new(),
    };
    Ok(Trained { model, report })
}

/// Document-context weights tried by cross-validation (0 = none).
const CONTEXT_WEIGHTS: &[f64] = &[0.0, 0.1, 0.15, 0.2, 0.25, 0.3, 0.4, 0.5, 0.75, 1.0, 1.5];

/// Example indices of each document, in example order.
fn indices_by_group(examples: &[Example]) -> Vec<Vec<usize>> {
    let mut groups: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for (i, e) in examples.iter().enumerate() {
        groups.entry(e.group).or_default().push(i);
    }
    groups.into_values().collect()
}

/// [`crate::context::mix_documents`] over training examples, every one of
/// which counts towards its document's prior.
fn mix_by_group(scores: &[Vec<f64>], groups: &[Vec<usize>], prior: DocumentPrior) -> Vec<Vec<f64>> {
    crate::context::mix_documents(scores, &vec![true; scores.len()], groups, prior)
}

/// Decimals kept of the stored log-probabilities: far below any effect on a
/// decision, and half the model file (so it loads twice as fast).
const PARAMETER_DECIMALS: i32 = 6;

/// Sections tokenised before their terms are interned.
const TOKENIZE_CHUNK: usize = 8_192;

/// Terms of consecutive sections, with one jieba call for all of them.
fn section_terms(tokenizer: &Tokenizer, part: &[crate::data::LoadedSection]) -> Vec<Vec<String>> {
    let texts: Vec<&str> = part
        .iter()
        .flat_map(|s| [s.section.title.as_str(), s.section.text.as_str()])
        .collect();
    let mut words = tokenizer.words_batch(&texts).into_iter();
    part.iter()
        .map(|s| {
            let title_and_text = [
                words.next().unwrap_or_default(),
                words.next().unwrap_or_default(),
            ];
            let mut terms = Vec::new();
            tokenizer.for_each_term_of_words(
                &title_and_text,
                &tokenizer.path_terms(&s.section.path),
                |t| terms.push(t.to_string()),
            );
            terms
        })
        .collect()
}

/// The document a section belongs to: cross-validation never splits one.
fn group_of(s: &crate::data::Section) -> String {
    s.doc.clone()
}

fn grid(fixed_alpha: Option<f64>) -> Vec<Config> {
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

/// What every fold fit needs: the examples, their indexed terms, settings.
struct Ctx<'a> {
    examples: &'a [Example],
    corpus: &'a IndexedCorpus,
    params: &'a TrainParams,
    k: usize,
}

/// Vectoriser and class counts fitted on one training set.
struct FoldFit<'a> {
    corpus: &'a IndexedCorpus,
    vectorizer: FoldVectorizer,
    train_vectors: Vec<(usize, SparseVec)>,
    lexicon_vectors: Vec<SparseVec>,
    counts: ClassCounts,
    lexicon_counts: ClassCounts,
}

impl<'a> FoldFit<'a> {
    /// Fits on `train`; keeps the training vectors only when asked (the
    /// final fit feeds them to linfa-bayes; folds need only the counts).
    fn new(ctx: &Ctx<'a>, train: &[usize], keep_vectors: bool) -> Result<Self> {
        let vectorizer = ctx.corpus.fit(&ctx.params.tfidf, train)?;
        let v = vectorizer.len();
        let mut counts = ClassCounts::new(ctx.k, v);
        let mut train_vectors = Vec::new();
        for &i in train {
            let x = ctx.corpus.vector(&vectorizer, i);
            let e = &ctx.examples[i];
            counts.add(e.label, &x, e.weight, true);
            if keep_vectors {
                train_vectors.push((e.label, x));
            }
        }
        let mut lexicon_counts = ClassCounts::new(ctx.k, v);
        let lexicon_vectors: Vec<SparseVec> = (0..ctx.k)
            .map(|label| ctx.corpus.extra_vector(&vectorizer, label))
            .collect();
        for (label, x) in lexicon_vectors.iter().enumerate() {
            lexicon_counts.add(label, x, 1.0, false);
        }
        Ok(FoldFit {
            corpus: ctx.corpus,
            vectorizer,
            train_vectors,
            lexicon_vectors,
            counts,
            lexicon_counts,
        })
    }

    fn vectorize(&self, i: usize) -> SparseVec {
        self.corpus.vector(&self.vectorizer, i)
    }

    fn model(&self, c: Config) -> NaiveBayes {
        let mut combined = self.counts.clone();
        for (row, lex) in combined
            .feature_count
            .iter_mut()
            .zip(&self.lexicon_counts.feature_count)
        {
            for (a, b) in row.iter_mut().zip(lex) {
                *a += c.lexicon_weight * b;
            }
        }
        combined.fit(c.alpha, c.uniform_prior)
    }
}

/// Held-out sections scored per fold when choosing settings: enough to
/// rank settings, few enough that a large corpus trains in seconds.
const MAX_SELECTION_TEST: usize = 500;

/// Picks the grid point with the best grouped-CV accuracy on `pool`
/// (ties: macro-F1, then the earlier grid point).
fn select(
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
        let fit = FoldFit::new(ctx, &train, false)?;
        let xs: Vec<SparseVec> = test.iter().map(|&i| fit.vectorize(i)).collect();
        // Settings are scored independently: spread them over the cores.
        let per_config: Vec<Vec<(usize, usize)>> = {
            use rayon::prelude::*;
            grid.par_iter()
                .map(|&c| {
                    let nb = fit.model(c);
                    xs.iter()
                        .zip(&test)
                        .map(|(x, &i)| (ctx.examples[i].label, argmax(&nb.joint_log_likelihood(x))))
                        .collect()
                })
                .collect()
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

fn argmax(v: &[f64]) -> usize {
    (0..v.len())
        .max_by(|&a, &b| v[a].total_cmp(&v[b]).then(b.cmp(&a)))
        .unwrap_or(0)
}

fn macro_f1(pairs: &[(usize, usize)], k: usize) -> f64 {
    let mut tp = vec![0.0; k];
    let mut fp = vec![0.0; k];
    let mut fnn = vec![0.0; k];
    for &(t, p) in pairs {
        if t == p {
            tp[t] += 1.0;
        } else {
            fp[p] += 1.0;
            fnn[t] += 1.0;
        }
    }
    let present: Vec<usize> = (0..k).filter(|&c| tp[c] + fnn[c] > 0.0).collect();
    if present.is_empty() {
        return 0.0;
    }
    present
        .iter()
        .map(|&c| f1(tp[c], fp[c], fnn[c]))
        .sum::<f64>()
        / present.len() as f64
}

fn f1(tp: f64, fp: f64, fnn: f64) -> f64 {
    if tp == 0.0 {
        0.0
    } else {
        2.0 * tp / (2.0 * tp + fp + fnn)
    }
}

/// Probabilities with a temperature fitted on the other folds' scores.
fn cross_fitted_probabilities(
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
        let temperature = classify::fit_temperature(&s, &t);
        for i in 0..scores.len() {
            if fold_ids[i] == f {
                out[i] = classify::softmax(&scores[i], temperature);
            }
        }
    }
    out
}

/// The lowest threshold under which `share` of the held-out errors fall.
fn choose_threshold(probs: &[Vec<f64>], truth: &[usize], share: f64) -> f64 {
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
fn choose_secondary_threshold(probs: &[Vec<f64>], accepted: &[Vec<usize>]) -> (f64, f64, f64) {
    let runner_ups: Vec<(f64, bool)> = probs
        .iter()
        .zip(accepted)
        .filter_map(|(p, ok)| {
            let order = classify::most_probable(p, 2);
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
fn confidence_quantile(probs: &[Vec<f64>], share: f64) -> f64 {
    let mut conf: Vec<f64> = probs.iter().map(|p| p[argmax(p)]).collect();
    if conf.is_empty() {
        return 1.0;
    }
    conf.sort_by(f64::total_cmp);
    let idx = (conf.len() as f64 * share).floor() as usize;
    conf.get(idx).copied().unwrap_or(1.0)
}

fn flag_shares(probs: &[Vec<f64>], truth: &[usize], threshold: f64) -> (f64, f64) {
    let n = probs.len().max(1) as f64;
    let mut flagged = 0.0;
    let mut errors = 0.0;
    let mut caught = 0.0;
    for (p, &t) in probs.iter().zip(truth) {
        let best = argmax(p);
        let low = p[best] < threshold;
        if low {
            flagged += 1.0;
        }
        if best != t {
            errors += 1.0;
            if low {
                caught += 1.0;
            }
        }
    }
    (
        flagged / n,
        if errors > 0.0 { caught / errors } else { 1.0 },
    )
}

/// The label whose lexicon terms occur most often in the text (ties: the
/// earlier label); the simplest baseline that knows the taxonomy.
pub fn lexicon_match(text: &str, labels: &[crate::data::Label]) -> usize {
    let hits: Vec<usize> = labels
        .iter()
        .map(|l| {
            l.lexicon
                .iter()
                .map(|t| text.matches(t.as_str()).count())
                .sum()
        })
        .collect();
    (0..labels.len())
        .max_by(|&a, &b| hits[a].cmp(&hits[b]).then(b.cmp(&a)))
        .unwrap_or(0)
}

/// All figures for held-out probabilities.
fn metrics(probs: &[Vec<f64>], truth: &[usize], labels: &[crate::data::Label]) -> Metrics {
    let k = labels.len();
    let n = truth.len();
    let mut pairs = Vec::with_capacity(n);
    let mut top2 = 0usize;
    let mut conf = Vec::with_capacity(n);
    let mut ok = Vec::with_capacity(n);
    for (p, &t) in probs.iter().zip(truth) {
        let mut order: Vec<usize> = (0..k).collect();
        order.sort_by(|&a, &b| p[b].total_cmp(&p[a]).then(a.cmp(&b)));
        pairs.push((t, order[0]));
        if order.iter().take(2).any(|&c| c == t) {
            top2 += 1;
        }
        conf.push(p[order[0]]);
        ok.push(order[0] == t);
    }
    let accuracy = ok.iter().filter(|&&b| b).count() as f64 / n.max(1) as f64;
    let mut by_conf: Vec<usize> = (0..n).collect();
    by_conf.sort_by(|&a, &b| conf[b].total_cmp(&conf[a]).then(a.cmp(&b)));
    let keep = ((n as f64) * 0.8).ceil() as usize;
    let top80 = by_conf.iter().take(keep).filter(|&&i| ok[i]).count() as f64 / keep.max(1) as f64;
    let mut per_label = BTreeMap::new();
    for (c, label) in labels.iter().enumerate() {
        let tp = pairs.iter().filter(|&&(t, p)| t == c && p == c).count() as f64;
        let fp = pairs.iter().filter(|&&(t, p)| t != c && p == c).count() as f64;
        let fnn = pairs.iter().filter(|&&(t, p)| t == c && p != c).count() as f64;
        per_label.insert(
            label.id.clone(),
            LabelMetrics {
                support: (tp + fnn) as usize,
                precision: if tp + fp > 0.0 { tp / (tp + fp) } else { 0.0 },
                recall: if tp + fnn > 0.0 { tp / (tp + fnn) } else { 0.0 },
                f1: f1(tp, fp, fnn),
            },
        );
    }
    let mut confusion: BTreeMap<(usize, usize), usize> = BTreeMap::new();
    for &(t, p) in &pairs {
        if t != p {
            *confusion.entry((t, p)).or_default() += 1;
        }
    }
    let mut confused: Vec<(String, String, usize)> = confusion
        .into_iter()
        .map(|((t, p), n)| (labels[t].id.clone(), labels[p].id.clone(), n))
        .collect();
    confused.sort_by(|a, b| b.2.cmp(&a.2).then(a.0.cmp(&b.0)).then(a.1.cmp(&b.1)));
    confused.truncate(8);
    Metrics {
        n,
        accuracy,
        top2_accuracy: top2 as f64 / n.max(1) as f64,
        macro_f1: macro_f1(&pairs, k),
        ece: classify::expected_calibration_error(&conf, &ok, 10),
        accuracy_top80_confident: top80,
        per_label,
        confused,
    }
}

impl Report {
    /// The report as people read it.
    pub fn to_text(&self) -> String {
        let mut s = String::new();
        let pct = |x: f64| format!("{:5.1}%", 100.0 * x);
        s.push_str(&format!(
            "Cross-validation grouped by document: {} folds over {} documents, {} sections\n",
            self.folds,
            self.documents.len(),
            self.sections
        ));
        s.push_str(
            "(nested: settings chosen inside each training fold; no document is in both)\n\n",
        );
        s.push_str("                        accuracy  top-2   macro-F1   ECE   acc@80%conf\n");
        for (name, m) in [
            ("model", &self.model),
            ("model without lexicon", &self.without_lexicon),
            ("lexicon match baseline", &self.lexicon_match_baseline),
            ("majority baseline", &self.majority_baseline),
        ] {
            s.push_str(&format!(
                "{:<23} {}   {}   {:.3}   {:.3}   {}\n",
                name,
                pct(m.accuracy),
                pct(m.top2_accuracy),
                m.macro_f1,
                m.ece,
                pct(m.accuracy_top80_confident)
            ));
        }
        s.push_str("\nper label (model):  support  precision  recall   F1\n");
        for (label, m) in &self.model.per_label {
            s.push_str(&format!(
                "  {:<14} {:>7}   {:>7.2}  {:>7.2}  {:>5.2}\n",
                label, m.support, m.precision, m.recall, m.f1
            ));
        }
        s.push_str("\nmost confused (truth -> predicted):\n");
        for (t, p, n) in &self.model.confused {
            s.push_str(&format!("  {t} -> {p}: {n}\n"));
        }
        s.push_str(&format!(
            "\nchosen: alpha {}, lexicon weight {}, {} priors; temperature {:.3}\n",
            self.chosen.alpha,
            self.chosen.lexicon_weight,
            if self.chosen.uniform_prior {
                "uniform"
            } else {
                "learned"
            },
            self.temperature
        ));
        s.push_str(&format!(
            "document context weight {} (held-out accuracy by weight: {})\n",
            self.context_weight,
            self.context_curve
                .iter()
                .map(|(w, a)| format!("{w}: {:.1}%", 100.0 * a))
                .collect::<Vec<_>>()
                .join(", ")
        ));
        s.push_str(&format!(
            "low-confidence threshold {:.3}: flags {} of held-out sections and catches {} of their errors\n",
            self.low_confidence_threshold,
            pct(self.flagged_share).trim(),
            pct(self.errors_caught_share).trim()
        ));
        if self.secondary_threshold <= 1.0 {
            s.push_str(&format!(
                "secondary label from runner-up probability {}: given to {} of held-out sections, right {} of the time\n",
                self.secondary_threshold,
                pct(self.secondary_share).trim(),
                pct(self.secondary_precision).trim()
            ));
        } else {
            s.push_str("secondary labels: none reach the wanted precision on held-out sections\n");
        }
        if self.reviewed_sections > 0 {
            s.push_str(&format!(
                "review decisions used: {} ({} of them replace an earlier label)\n",
                self.reviewed_sections, self.overridden_by_review
            ));
        }
        s
    }
}
