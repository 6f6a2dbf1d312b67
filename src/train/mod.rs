//! Training: hyper-parameters chosen by cross-validation grouped by document,
//! honest figures from nested cross-validation (no document is ever in both
//! the fold that is scored and the data that chose or fitted the model),
//! the document-context weight, calibration, and the final fit. Each step
//! is one function below; [`folds`] holds the cross-validation,
//! [`evaluation`] the report.

pub mod documents;
mod evaluation;
mod folds;

use std::collections::BTreeMap;

use crate::classify::calibration::{
    choose_secondary_threshold, choose_threshold, confidence_quantile, cross_fitted_probabilities,
    fit_temperature, flag_shares, flagged_share,
};
use crate::classify::prediction::argmax;
use crate::context::DocumentPrior;
use crate::data::{LoadedSection, TrainingData};
use crate::error::{Error, Result};
use crate::features::{CorpusBuilder, IndexedCorpus};
use crate::model::{Calibration, LabelInfo, ModelFile, TfidfFile, TrainingInfo};
use crate::tokenize::{TaskText, Tokenizer, TokenizerSettings};

use documents::DocumentTasks;
use evaluation::metrics;
pub use evaluation::Config;
pub use evaluation::{lexicon_match, LabelMetrics, Metrics, Report};
use folds::{grid, nested_cross_validation, select, Ctx, Example, FoldFit, HeldOut};

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

/// Output of training.
pub struct Trained {
    pub model: ModelFile,
    pub report: Report,
}

/// Trains a model from validated training data.
pub fn train(
    data: &TrainingData,
    params: &TrainParams,
    progress: &dyn Fn(&str),
) -> Result<Trained> {
    train_with_documents(data, &[], params, progress)
}

/// Trains a model, with the training documents read whole (see
/// [`documents`]): the low-confidence threshold then holds the flagged
/// share on all their tasks, scored out of fold, and not only on the
/// labelled sections.
pub fn train_with_documents(
    data: &TrainingData,
    documents: &[DocumentTasks],
    params: &TrainParams,
    progress: &dyn Fn(&str),
) -> Result<Trained> {
    params.check()?;
    let labels = &data.taxonomy.labels;
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
    let groups = document_names(data);
    let examples = examples(data, &groups, params.review_weight)?;
    // Tasks of the whole documents: (corpus index, group), indexed after
    // the sections; the tasks of each document, by position among them.
    let mut doc_tasks: Vec<(usize, usize)> = Vec::new();
    let mut tasks_by_doc: Vec<Vec<usize>> = Vec::new();
    for d in documents {
        let Ok(group) = groups.binary_search(&d.doc) else {
            continue;
        };
        let first = doc_tasks.len();
        for _ in &d.tasks {
            doc_tasks.push((data.sections.len() + doc_tasks.len(), group));
        }
        tasks_by_doc.push((first..doc_tasks.len()).collect());
    }
    let corpus = index_terms(data, documents, &groups, &tokenizer);
    let n_folds = params.folds.unwrap_or(groups.len()).min(groups.len());
    if n_folds < 2 {
        return Err(Error::TrainingData(
            "cross-validation needs sections from at least two documents".into(),
        ));
    }
    let ctx = Ctx {
        examples: &examples,
        corpus: &corpus,
        params,
        k: labels.len(),
        n_folds,
    };
    let mut grid = grid(params.alpha);
    if params.no_lexicon {
        grid.retain(|c| c.lexicon_weight == 0.0);
    }

    progress("nested cross-validation");
    let held_out = nested_cross_validation(&ctx, &grid, &doc_tasks)?;
    let truth: Vec<usize> = examples.iter().map(|e| e.label).collect();

    progress("choosing the document-context weight");
    let by_group = indices_by_group(&examples);
    let (document_prior, context_curve) =
        choose_context_weight(&held_out, &truth, &by_group, params.context_weight, n_folds);
    let scores = mix_by_group(&held_out.scores, &by_group, document_prior);
    let scores_without_lexicon =
        mix_by_group(&held_out.scores_without_lexicon, &by_group, document_prior);

    progress("calibrating");
    // ECE with temperatures fitted on the other folds only.
    let probs = cross_fitted_probabilities(&scores, &truth, &held_out.fold, n_folds);
    let probs_without_lexicon =
        cross_fitted_probabilities(&scores_without_lexicon, &truth, &held_out.fold, n_folds);
    let temperature = fit_temperature(&scores, &truth);
    // The queue a person can work through: catch the wanted share of
    // errors, but never flag more than the wanted share of tasks.
    // The tasks of whole documents, as tagging scores them: their
    // document's other tasks as context, the same temperature.
    let task_probs: Vec<Vec<f64>> = crate::context::mix_documents(
        &held_out.document_tasks,
        &vec![true; held_out.document_tasks.len()],
        &tasks_by_doc,
        document_prior,
    )
    .iter()
    .map(|s| crate::classify::calibration::softmax(s, temperature))
    .collect();
    let flagged_pool = if task_probs.is_empty() {
        &probs
    } else {
        &task_probs
    };
    let threshold = choose_threshold(&probs, &truth, params.flag_error_share)
        .min(confidence_quantile(flagged_pool, params.flag_task_share));
    let flagged_task_share = flagged_share(flagged_pool, threshold);
    let (flagged_share, errors_caught_share) = flag_shares(&probs, &truth, threshold);
    let accepted: Vec<Vec<usize>> = examples
        .iter()
        .map(|e| e.secondary.iter().copied().chain([e.label]).collect())
        .collect();
    let (secondary_threshold, secondary_precision, secondary_share) =
        choose_secondary_threshold(&probs, &accepted);

    progress("choosing settings on all documents");
    let all: Vec<usize> = (0..examples.len()).collect();
    let chosen = select(&ctx, &all, &|i| ctx.fold_of(i), &grid)?;

    progress("fitting the final model");
    let final_fit = FoldFit::new(&ctx, &all)?;
    let naive_bayes = final_fit.model(chosen)?.rounded(PARAMETER_DECIMALS);
    let final_tfidf = corpus.to_tfidf(&final_fit.vectorizer);

    let report = Report {
        folds: n_folds,
        sections: examples.len(),
        documents: groups,
        model: metrics(&probs, &truth, labels),
        without_lexicon: metrics(&probs_without_lexicon, &truth, labels),
        majority_baseline: metrics(&one_hot(&held_out.majority, labels.len()), &truth, labels),
        lexicon_match_baseline: metrics(
            &one_hot(&lexicon_predictions(&examples, labels), labels.len()),
            &truth,
            labels,
        ),
        chosen,
        temperature,
        context_weight: document_prior.weight,
        context_curve,
        low_confidence_threshold: threshold,
        flagged_share,
        errors_caught_share,
        document_tasks: task_probs.len(),
        flagged_task_share,
        secondary_threshold,
        secondary_precision,
        secondary_share,
        overridden_by_review: data.overridden,
        reviewed_sections: data.reviewed,
    };
    let mut label_counts: BTreeMap<String, usize> =
        labels.iter().map(|l| (l.id.clone(), 0)).collect();
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
                .map_err(Error::serialize("cross-validation report"))?,
        },
        digest: String::new(),
    };
    Ok(Trained { model, report })
}

/// The documents of the training data, sorted: the groups of
/// cross-validation.
fn document_names(data: &TrainingData) -> Vec<String> {
    let mut groups: Vec<String> = data
        .sections
        .iter()
        .map(|s| s.section.doc.clone())
        .collect();
    groups.sort();
    groups.dedup();
    groups
}

/// The sections as examples. A label the taxonomy does not know is an
/// error naming the section's file and line.
fn examples(data: &TrainingData, groups: &[String], review_weight: f64) -> Result<Vec<Example>> {
    let label_index = |s: &LoadedSection, label: &str| {
        data.taxonomy
            .index_of(label)
            .ok_or_else(|| Error::data(&s.file, s.line, format!("unknown label `{label}`")))
    };
    if data.sections.is_empty() {
        return Err(Error::TrainingData("no labelled sections".into()));
    }
    data.sections
        .iter()
        .map(|s| {
            let sec = &s.section;
            Ok(Example {
                label: label_index(s, &sec.label)?,
                secondary: sec
                    .secondary
                    .iter()
                    .map(|l| label_index(s, l))
                    .collect::<Result<_>>()?,
                group: groups.binary_search(&sec.doc).unwrap_or(0),
                text: format!("{} {}", sec.title, sec.text),
                weight: if sec.source.as_deref() == Some("review") {
                    review_weight
                } else {
                    1.0
                },
            })
        })
        .collect()
}

/// Sections tokenised before their terms are interned.
const TOKENIZE_CHUNK: usize = 8_192;

/// The terms of every section, and of every label's lexicon as one
/// always-kept document, indexed once for all folds.
fn index_terms(
    data: &TrainingData,
    documents: &[DocumentTasks],
    groups: &[String],
    tokenizer: &Tokenizer,
) -> IndexedCorpus {
    // jieba dominates training time on large data: cut sections in
    // parallel chunks (one jieba call per chunk) and intern their terms
    // chunk by chunk, so term strings of the whole corpus never coexist.
    let mut builder = CorpusBuilder::default();
    for chunk in data.sections.chunks(TOKENIZE_CHUNK) {
        use rayon::prelude::*;
        let lists: Vec<Vec<String>> = chunk
            .par_chunks(64)
            .flat_map_iter(|part| {
                let tasks: Vec<TaskText<'_>> = part
                    .iter()
                    .map(|s| {
                        let sec = &s.section;
                        (sec.title.as_str(), sec.text.as_str(), sec.path.as_slice())
                    })
                    .collect();
                tokenizer.terms_batch(&tasks)
            })
            .collect();
        for terms in &lists {
            builder.add_doc(terms.iter().map(|s| s.as_str()));
        }
    }
    // Then the tasks of whole documents (of the documents the sections
    // name), in the order `train_with_documents` numbers them.
    for d in documents {
        if groups.binary_search(&d.doc).is_err() {
            continue;
        }
        let tasks: Vec<TaskText<'_>> = d
            .tasks
            .iter()
            .map(|t| (t.title.as_str(), t.text.as_str(), t.path.as_slice()))
            .collect();
        for terms in tokenizer.terms_batch(&tasks) {
            builder.add_doc(terms.iter().map(|s| s.as_str()));
        }
    }
    let lexicon_docs: Vec<Vec<String>> = data
        .taxonomy
        .labels
        .iter()
        .map(|l| {
            l.lexicon
                .iter()
                .flat_map(|term| tokenizer.terms("", term, &[]))
                .collect()
        })
        .collect();
    builder.finish(&lexicon_docs)
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

/// The document-context weight: each task's held-out scores are mixed with
/// the prior from the other tasks of its document (all held out together,
/// since folds keep documents whole), and the weight that labels the
/// held-out tasks best is kept (ties: the higher likelihood). Returns the
/// prior and the accuracy of every weight tried.
fn choose_context_weight(
    held_out: &HeldOut,
    truth: &[usize],
    by_group: &[Vec<usize>],
    fixed: Option<f64>,
    n_folds: usize,
) -> (DocumentPrior, Vec<(f64, f64)>) {
    let base_temperature = fit_temperature(&held_out.scores, truth);
    let mut best = (0.0, f64::NEG_INFINITY, f64::NEG_INFINITY);
    let mut curve = Vec::new();
    let fixed = fixed.map(|w| vec![w]);
    for &weight in fixed.as_deref().unwrap_or(CONTEXT_WEIGHTS) {
        let prior = DocumentPrior {
            weight,
            temperature: base_temperature,
        };
        let mixed = mix_by_group(&held_out.scores, by_group, prior);
        let p = cross_fitted_probabilities(&mixed, truth, &held_out.fold, n_folds);
        let n = truth.len() as f64;
        let accuracy = p.iter().zip(truth).filter(|(p, &y)| argmax(p) == y).count() as f64 / n;
        let log_likelihood = p
            .iter()
            .zip(truth)
            .map(|(p, &y)| p[y].max(1e-12).ln())
            .sum::<f64>()
            / n;
        curve.push((weight, accuracy));
        if (accuracy, log_likelihood) > (best.1, best.2) {
            best = (weight, accuracy, log_likelihood);
        }
    }
    let prior = DocumentPrior {
        weight: best.0,
        temperature: base_temperature,
    };
    (prior, curve)
}

/// Probability rows that put everything on the predicted label (baselines).
fn one_hot(pred: &[usize], k: usize) -> Vec<Vec<f64>> {
    pred.iter()
        .map(|&p| (0..k).map(|c| if c == p { 1.0 } else { 0.0 }).collect())
        .collect()
}

/// The lexicon-match baseline's label of every example.
fn lexicon_predictions(examples: &[Example], labels: &[crate::data::Label]) -> Vec<usize> {
    examples
        .iter()
        .map(|e| lexicon_match(&e.text, labels))
        .collect()
}

/// Decimals kept of the stored log-probabilities: far below any effect on a
/// decision, and half the model file (so it loads twice as fast).
const PARAMETER_DECIMALS: i32 = 6;

#[cfg(test)]
mod tests {
    use super::*;

    /// A section whose label (or secondary label) the taxonomy does not
    /// know stops training with its file and line, never becomes label 0.
    #[test]
    fn unknown_label_is_an_error_naming_file_and_line() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("training-data");
        let data = crate::data::load(&dir).unwrap();
        for secondary in [false, true] {
            let mut data = data.clone();
            let s = &mut data.sections[3];
            if secondary {
                s.section.secondary = vec!["nope".into()];
            } else {
                s.section.label = "nope".into();
            }
            let (file, line) = (s.file.display().to_string(), s.line);
            let err = train(&data, &TrainParams::default(), &|_| {})
                .err()
                .expect("unknown label accepted")
                .to_string();
            assert_eq!(err, format!("{file}:{line}: unknown label `nope`"));
        }
    }
}
