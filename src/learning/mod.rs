//! Measured learning: what a morning of review is worth. `plan-train
//! learn` simulates review rounds on a labelled corpus and measures the
//! model after each round on documents it never learns from.
//!
//! Each round, as a user works:
//! 1. the current model tags every review document from its raw file, as
//!    `plan-tag --review-queue` does;
//! 2. a strategy picks `batch` tasks not shown before: the most uncertain
//!    first (the review queue's order) or, as the baseline, at random
//!    (seeded);
//! 3. the simulated reviewer answers each with the gold: the label of the
//!    gold units its task holds (the most frequent one when it holds
//!    several, ties to the first in document order), matched by
//!    [`crate::eval`]'s matcher. A task that holds no gold unit (page
//!    furniture, a fragment, a heading the gold does not count) cannot be
//!    answered: it is skipped, counts against the round's `batch`, and is
//!    not shown again. Both strategies are treated alike. The answers go
//!    through a real [`crate::review::Session`] into `reviewed.jsonl` of
//!    a copy of the training data;
//! 4. the model is retrained from that copy (hand labels plus every
//!    decision so far, decisions weighted by the review weight), with a
//!    small fixed configuration: few folds, and by default the shipped
//!    model's smoothing and document-context weight, so that the curve
//!    shows what the reviews change rather than the trainer's choice of
//!    settings on a handful of plans, which jumps from round to round
//!    (`--retune` lets every retraining choose them, as `plan-train` does);
//! 5. the new model is measured end to end on the measuring documents:
//!    strict and lenient accuracy, macro-F1 and ECE, as `plan-train eval`
//!    measures them.
//!
//! The review weight is chosen on the curve without the measuring split:
//! the review documents are cut in two, reviews come from one part and
//! each weight is measured on the other (`choose_weight`); the weight
//! whose curve has the highest mean strict accuracy over the rounds wins.
//! The measuring split (`dev`) only ever measures.
//!
//! Here the settings, the results and the simulation as a whole; one run of
//! rounds is [`rounds`], the simulated reviewer's answers [`reviewer`], the
//! copies of the training data a run writes to [`scratch`], and the curves
//! as people read them [`curve`].

use std::collections::HashSet;
use std::path::PathBuf;
use std::time::Instant;

use serde::Serialize;

use crate::classify::PredictOptions;
use crate::error::{Error, Result};
use crate::eval::{self, GoldUnit};
use crate::tagger::{InputMode, TagOptions};

mod curve;
mod reviewer;
mod rounds;
mod scratch;

pub use curve::SECONDS_PER_TASK;
pub use reviewer::answer_of;

use rounds::{retrain, round_result, train_params, Run};
use scratch::{copy_training_data, Scratch};

/// How tasks are picked for review each round.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum Strategy {
    /// The lowest confidence first: the review queue's order.
    Uncertainty,
    /// Uniformly at random among tasks not shown before (seeded).
    Random,
}

impl Strategy {
    pub fn as_str(self) -> &'static str {
        match self {
            Strategy::Uncertainty => "uncertainty",
            Strategy::Random => "random",
        }
    }
}

/// Settings of a simulation.
#[derive(Debug, Clone)]
pub struct LearnParams {
    /// Training data the first model learns from (taxonomy, hand labels);
    /// a `reviewed.jsonl` in it is left out.
    pub data: PathBuf,
    /// Gold units of the documents whose tasks are reviewed.
    pub review_gold: PathBuf,
    /// Gold units of the documents the models are measured on.
    pub measure_gold: PathBuf,
    /// Folder of the raw documents.
    pub docs: PathBuf,
    pub rounds: usize,
    /// Tasks shown per round.
    pub batch: usize,
    /// Seed of the random baseline.
    pub seed: u64,
    /// Cross-validation folds of every retraining.
    pub folds: usize,
    /// Review weights tried; the one chosen on held-out review documents
    /// is used for the measured curves.
    pub weights: Vec<f64>,
    /// Use this weight instead of choosing one.
    pub weight: Option<f64>,
    /// Also measure the uncertainty curve of every weight tried on the
    /// measuring documents (to show how much the choice matters).
    pub all_weights_measured: bool,
    /// Fixed smoothing and document-context weight of every retraining
    /// (`None`: chosen by cross-validation each time, as `plan-train` does).
    pub alpha: Option<f64>,
    pub context_weight: Option<f64>,
}

/// The model after one round.
#[derive(Debug, Clone, Serialize)]
pub struct RoundResult {
    pub round: usize,
    /// Tasks shown so far (decided + skipped for lack of a gold unit).
    pub shown: usize,
    /// Decisions so far (tasks answered with a gold label).
    pub decided: usize,
    /// Decisions so far whose label differs from the model's top candidate
    /// when it was shown (corrections).
    pub corrected: usize,
    /// Sections the model was trained on.
    pub sections: usize,
    pub strict: f64,
    pub lenient: f64,
    pub macro_f1: f64,
    pub ece: f64,
    /// Share of measured units below the model's review threshold.
    pub flagged: f64,
    /// What the trainer chose by cross-validation for this model.
    pub alpha: f64,
    pub lexicon_weight: f64,
    pub context_weight: f64,
    pub temperature: f64,
}

/// One learning curve.
#[derive(Debug, Clone, Serialize)]
pub struct Curve {
    pub strategy: Strategy,
    pub review_weight: f64,
    /// What the curve is measured on: `dev` or `held-out train`.
    pub measured_on: String,
    pub rounds: Vec<RoundResult>,
}

impl Curve {
    /// Mean strict accuracy over the rounds after the first model (the
    /// area under the curve, per round).
    pub fn mean_strict_after_start(&self) -> f64 {
        let after: Vec<f64> = self.rounds.iter().skip(1).map(|r| r.strict).collect();
        if after.is_empty() {
            0.0
        } else {
            after.iter().sum::<f64>() / after.len() as f64
        }
    }
}

/// Everything a simulation measured.
#[derive(Debug, Clone, Serialize)]
pub struct LearnReport {
    pub rounds: usize,
    pub batch: usize,
    pub seed: u64,
    pub folds: usize,
    /// Smoothing and context weight held fixed (`None`: re-chosen by
    /// cross-validation at every retraining).
    pub alpha: Option<f64>,
    pub context_weight: Option<f64>,
    pub review_documents: usize,
    pub review_tasks: usize,
    pub measure_documents: usize,
    pub measure_units: usize,
    /// Curves on the held-out part of the review documents, one per weight
    /// tried (uncertainty sampling), and the weight chosen on them.
    pub weight_choice: Vec<Curve>,
    pub chosen_weight: f64,
    /// How the weight was chosen, in words.
    pub weight_chosen_by: String,
    /// Curves on the measuring documents.
    pub measured: Vec<Curve>,
    /// Mean characters of title and text of the tasks reviewed.
    pub mean_task_chars: f64,
    pub seconds: f64,
}

/// How the review documents and the measured ones are tagged.
fn tag_options() -> TagOptions {
    TagOptions {
        mode: InputMode::Plan,
        predict: PredictOptions::default(),
        review_words: false,
    }
}

/// Runs the whole simulation: the weight choice on held-out review
/// documents, then both strategies on the measuring documents.
pub fn simulate(params: &LearnParams, progress: &dyn Fn(&str)) -> Result<LearnReport> {
    if params.rounds == 0 || params.batch == 0 {
        return Err(Error::Param("rounds and batch must be at least 1".into()));
    }
    if params.weights.is_empty() && params.weight.is_none() {
        return Err(Error::Param("no review weight to try".into()));
    }
    for &w in params.weights.iter().chain(params.weight.as_ref()) {
        if !(w > 0.0 && w.is_finite()) {
            return Err(Error::Param(format!(
                "review weight must be positive, got {w}"
            )));
        }
    }
    let started = Instant::now();
    let review_gold = eval::load_gold(&params.review_gold)?;
    let measure_gold = eval::load_gold(&params.measure_gold)?;
    let review_docs: HashSet<&str> = review_gold.iter().map(|u| u.doc.as_str()).collect();
    if measure_gold
        .iter()
        .any(|u| review_docs.contains(u.doc.as_str()))
    {
        return Err(Error::Param(
            "the measuring documents must not be among the reviewed ones".into(),
        ));
    }
    let by_doc = eval::units_by_doc(&review_gold);

    progress("training the first model on the hand labels alone");
    let scratch = Scratch::new()?;
    let base_dir = scratch.path().join("data");
    copy_training_data(&params.data, &base_dir)?;
    // The review weight does not matter without decisions.
    let start = retrain(&base_dir, &train_params(params, 1.0))?;

    // The weight: reviews from two thirds of the review documents,
    // measured on the other third (every third document in name order).
    let mut names: Vec<&str> = by_doc.iter().map(|(n, _)| *n).collect();
    names.sort_unstable();
    let held_out: HashSet<&str> = names.iter().skip(2).step_by(3).copied().collect();
    let fit_pool: Vec<(&str, Vec<&GoldUnit>)> = by_doc
        .iter()
        .filter(|(n, _)| !held_out.contains(n))
        .cloned()
        .collect();
    let held_gold: Vec<GoldUnit> = review_gold
        .iter()
        .filter(|u| held_out.contains(u.doc.as_str()))
        .cloned()
        .collect();
    let mut weight_choice = Vec::new();
    let (chosen_weight, weight_chosen_by) = match params.weight {
        Some(w) => (w, format!("fixed at {w} (--weight)")),
        None => {
            let start_held = round_result(0, &start, &held_gold, &params.docs);
            for &w in &params.weights {
                let run = Run {
                    params,
                    strategy: Strategy::Uncertainty,
                    weight: w,
                    pool: &fit_pool,
                    measure: &held_gold,
                    measured_on: "held-out train",
                    progress,
                };
                weight_choice.push(run.run(&start, &start_held)?.curve);
            }
            let best = weight_choice
                .iter()
                .max_by(|a, b| {
                    a.mean_strict_after_start()
                        .total_cmp(&b.mean_strict_after_start())
                        // Ties: the smaller weight.
                        .then(b.review_weight.total_cmp(&a.review_weight))
                })
                .map(|c| c.review_weight)
                .unwrap_or(1.0);
            (
                best,
                format!(
                    "highest mean strict accuracy over rounds 1-{} of uncertainty sampling, reviewing {} of the {} review documents and measuring on the other {} ({} units)",
                    params.rounds,
                    fit_pool.len(),
                    by_doc.len(),
                    held_out.len(),
                    held_gold.len()
                ),
            )
        }
    };
    progress(&format!("review weight {chosen_weight}"));

    let start_measured = round_result(0, &start, &measure_gold, &params.docs);
    let mut measured = Vec::new();
    let mut tasks = 0;
    let mut chars = Vec::new();
    let mut weights = vec![chosen_weight];
    if params.all_weights_measured {
        weights.extend(params.weights.iter().filter(|&&w| w != chosen_weight));
    }
    for (n, &w) in weights.iter().enumerate() {
        let strategies: &[Strategy] = if n == 0 {
            &[Strategy::Uncertainty, Strategy::Random]
        } else {
            &[Strategy::Uncertainty]
        };
        for &strategy in strategies {
            let run = Run {
                params,
                strategy,
                weight: w,
                pool: &by_doc,
                measure: &measure_gold,
                measured_on: "dev",
                progress,
            };
            let out = run.run(&start, &start_measured)?;
            if n == 0 && strategy == Strategy::Uncertainty {
                tasks = out.tasks;
                chars = out.reviewed_chars;
            }
            measured.push(out.curve);
        }
    }
    let measure_documents = measure_gold
        .iter()
        .map(|u| u.doc.as_str())
        .collect::<HashSet<_>>()
        .len();
    Ok(LearnReport {
        rounds: params.rounds,
        batch: params.batch,
        seed: params.seed,
        folds: params.folds,
        alpha: params.alpha,
        context_weight: params.context_weight,
        review_documents: by_doc.len(),
        review_tasks: tasks,
        measure_documents,
        measure_units: measure_gold.len(),
        weight_choice,
        chosen_weight,
        weight_chosen_by,
        measured,
        mean_task_chars: if chars.is_empty() {
            0.0
        } else {
            chars.iter().sum::<usize>() as f64 / chars.len() as f64
        },
        seconds: started.elapsed().as_secs_f64(),
    })
}
