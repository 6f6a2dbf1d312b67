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

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::time::Instant;

use serde::Serialize;

use crate::classify::{Classifier, PredictOptions};
use crate::data;
use crate::error::{Error, Result};
use crate::eval::{self, GoldUnit};
use crate::review::{self, QueueItem, Session};
use crate::segment::Kind;
use crate::tagger::{InputMode, TagOptions};
use crate::train::{self, TrainParams};

mod curve;

pub use curve::SECONDS_PER_TASK;

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

/// A small deterministic generator (SplitMix64) for the random baseline.
struct SplitMix(u64);

impl SplitMix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Fisher-Yates.
    fn shuffle<T>(&mut self, v: &mut [T]) {
        for i in (1..v.len()).rev() {
            let j = (self.next() % (i as u64 + 1)) as usize;
            v.swap(i, j);
        }
    }
}

/// A review document's task as the simulation sees it.
struct Candidate {
    item: QueueItem,
    /// The reviewer's answer: the gold label of the units it holds.
    answer: Option<String>,
}

/// The label a reviewer gives a task holding these gold units: the most
/// frequent, ties to the first in document order.
pub fn answer_of(units: &[&GoldUnit]) -> Option<String> {
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for u in units {
        *counts.entry(u.label.as_str()).or_default() += 1;
    }
    let best = counts.values().copied().max()?;
    units
        .iter()
        .find(|u| counts[u.label.as_str()] == best)
        .map(|u| u.label.clone())
}

fn tag_options() -> TagOptions {
    TagOptions {
        mode: InputMode::Plan,
        predict: PredictOptions::default(),
        review_words: false,
    }
}

/// Tags the review documents with a model: every task that could be
/// queued (not a cover letter), with the reviewer's answer.
fn candidates(
    classifier: &Classifier,
    by_doc: &[(&str, Vec<&GoldUnit>)],
    docs: &Path,
) -> Vec<Candidate> {
    use rayon::prelude::*;
    let opts = tag_options();
    let per_doc: Vec<Vec<Candidate>> = by_doc
        .par_iter()
        .map(|(name, units)| {
            let Some(m) = eval::tag_and_match(classifier, name, units, docs, &opts) else {
                return Vec::new();
            };
            (0..m.tagged.tasks.len())
                .filter(|&i| m.tagged.tasks[i].kind != Kind::Notice)
                .map(|i| {
                    let held: Vec<&GoldUnit> = units
                        .iter()
                        .zip(&m.matches)
                        .filter(|(_, um)| um.task == Some(i))
                        .map(|(u, _)| *u)
                        .collect();
                    Candidate {
                        item: review::queue_item(&m.tagged, i, ""),
                        answer: answer_of(&held),
                    }
                })
                .collect()
        })
        .collect();
    per_doc.into_iter().flatten().collect()
}

/// A copy of a training-data folder without its review decisions.
fn copy_training_data(from: &Path, to: &Path) -> Result<()> {
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| Error::Io { path, source }
    };
    std::fs::create_dir_all(to.join(data::LABELLED_DIR)).map_err(io(to))?;
    for name in [
        data::TAXONOMY_FILE,
        data::USER_DICT_FILE,
        data::STOPWORDS_FILE,
    ] {
        std::fs::copy(from.join(name), to.join(name)).map_err(io(&from.join(name)))?;
    }
    let labelled = from.join(data::LABELLED_DIR);
    for entry in std::fs::read_dir(&labelled).map_err(io(&labelled))? {
        let entry = entry.map_err(io(&labelled))?;
        if entry.path().is_file() {
            std::fs::copy(
                entry.path(),
                to.join(data::LABELLED_DIR).join(entry.file_name()),
            )
            .map_err(io(&entry.path()))?;
        }
    }
    Ok(())
}

/// One simulated reviewer over a pool of documents.
struct Run<'a> {
    params: &'a LearnParams,
    strategy: Strategy,
    weight: f64,
    pool: &'a [(&'a str, Vec<&'a GoldUnit>)],
    measure: &'a [GoldUnit],
    measured_on: &'a str,
    progress: &'a dyn Fn(&str),
}

struct RunOutput {
    curve: Curve,
    tasks: usize,
    reviewed_chars: Vec<usize>,
}

fn train_params(p: &LearnParams, weight: f64) -> TrainParams {
    TrainParams {
        folds: Some(p.folds),
        alpha: p.alpha,
        context_weight: p.context_weight,
        review_weight: weight,
        created: 0,
        ..TrainParams::default()
    }
}

/// A retrained model: the classifier, its section count and the settings
/// the trainer chose (alpha, lexicon weight, context weight, temperature).
struct Model {
    classifier: Classifier,
    sections: usize,
    chosen: [f64; 4],
}

/// Trains on a data folder.
fn retrain(dir: &Path, params: &TrainParams) -> Result<Model> {
    let data = data::load(dir)?;
    let trained = train::train(&data, params, &|_| {})?;
    let m = &trained.model;
    let chosen = [
        m.training.alpha,
        m.training.lexicon_weight,
        m.calibration.context_weight,
        m.calibration.temperature,
    ];
    Ok(Model {
        sections: m.training.sections,
        chosen,
        classifier: Classifier::new(trained.model)?,
    })
}

/// The figures of a model on measured gold units.
fn round_result(round: usize, model: &Model, gold: &[GoldUnit], docs: &Path) -> RoundResult {
    let report = measure(&model.classifier, gold, docs);
    RoundResult {
        round,
        shown: 0,
        decided: 0,
        corrected: 0,
        sections: model.sections,
        strict: report.strict,
        lenient: report.lenient,
        macro_f1: report.macro_f1,
        ece: report.ece,
        flagged: report.flagged_units,
        alpha: model.chosen[0],
        lexicon_weight: model.chosen[1],
        context_weight: model.chosen[2],
        temperature: model.chosen[3],
    }
}

fn measure(classifier: &Classifier, gold: &[GoldUnit], docs: &Path) -> eval::EvalReport {
    eval::evaluate(classifier, gold, docs, &tag_options(), None)
}

impl Run<'_> {
    /// Runs every round, starting from `start` (the model trained on the
    /// hand labels alone, shared by all runs).
    fn run(&self, start: &Model, start_result: &RoundResult) -> Result<RunOutput> {
        let p = self.params;
        let dir = Scratch::new()?;
        let data_dir = dir.path().join("data");
        copy_training_data(&p.data, &data_dir)?;
        let taxonomy = data::Taxonomy::load(&data_dir.join(data::TAXONOMY_FILE))?;
        let log = data_dir.join(data::REVIEWED_FILE);
        let mut rng = SplitMix(p.seed);
        let mut shown: HashSet<(String, String)> = HashSet::new();
        let mut decided = 0;
        let mut corrected = 0;
        let mut reviewed_chars = Vec::new();
        let mut rounds = vec![start_result.clone()];
        let mut tasks = 0;
        let mut owned: Option<Model> = None;
        for round in 1..=p.rounds {
            let model = owned.as_ref().unwrap_or(start);
            let mut pool: Vec<Candidate> = candidates(&model.classifier, self.pool, &p.docs)
                .into_iter()
                .filter(|c| !shown.contains(&(c.item.doc.clone(), c.item.id.clone())))
                .collect();
            if round == 1 {
                tasks = pool.len();
            }
            match self.strategy {
                Strategy::Uncertainty => pool.sort_by(|a, b| {
                    a.item
                        .confidence
                        .total_cmp(&b.item.confidence)
                        .then_with(|| a.item.doc.cmp(&b.item.doc))
                        .then_with(|| a.item.id.cmp(&b.item.id))
                }),
                Strategy::Random => {
                    // A fixed order first, so the draw depends on the seed only.
                    pool.sort_by(|a, b| (&a.item.doc, &a.item.id).cmp(&(&b.item.doc, &b.item.id)));
                    rng.shuffle(&mut pool);
                }
            }
            pool.truncate(p.batch);
            let queue: Vec<QueueItem> = pool.iter().map(|c| c.item.clone()).collect();
            let mut session = Session::new(queue, &taxonomy, &log, "simulated reviewer")?;
            for c in &pool {
                shown.insert((c.item.doc.clone(), c.item.id.clone()));
                match &c.answer {
                    Some(label) => {
                        session.decide(label)?;
                        decided += 1;
                        reviewed_chars
                            .push(c.item.title.chars().count() + c.item.text.chars().count());
                        if c.item.candidates.first().map(|x| &x.label) != Some(label) {
                            corrected += 1;
                        }
                    }
                    None => session.skip()?,
                }
            }
            drop(session);
            let trained = retrain(&data_dir, &train_params(p, self.weight))?;
            let r = RoundResult {
                shown: shown.len(),
                decided,
                corrected,
                ..round_result(round, &trained, self.measure, &p.docs)
            };
            (self.progress)(&format!(
                "{} weight {} on {}: round {round}, {} shown, {} decided ({} corrections): strict {:.3}, macro-F1 {:.3}, ECE {:.3} (alpha {}, lexicon {}, context {})",
                self.strategy.as_str(),
                self.weight,
                self.measured_on,
                r.shown,
                r.decided,
                r.corrected,
                r.strict,
                r.macro_f1,
                r.ece,
                r.alpha,
                r.lexicon_weight,
                r.context_weight
            ));
            rounds.push(r);
            owned = Some(trained);
        }
        Ok(RunOutput {
            curve: Curve {
                strategy: self.strategy,
                review_weight: self.weight,
                measured_on: self.measured_on.to_string(),
                rounds,
            },
            tasks,
            reviewed_chars,
        })
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

/// A scratch folder under the system's temporary folder, removed when
/// dropped.
struct Scratch(PathBuf);

impl Scratch {
    fn new() -> Result<Self> {
        let path = std::env::temp_dir().join(format!(
            "plantag-learn-{}-{:x}",
            std::process::id(),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_nanos())
                .unwrap_or(0)
        ));
        std::fs::create_dir_all(&path).map_err(|source| Error::Write {
            path: path.clone(),
            source,
        })?;
        Ok(Scratch(path))
    }

    fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unit(label: &str) -> GoldUnit {
        GoldUnit {
            doc: "d.txt".into(),
            id: String::new(),
            anchor: "x".into(),
            label: label.into(),
            accept: vec![],
            kind: "task".into(),
            text: String::new(),
            path: vec![],
        }
    }

    #[test]
    fn the_reviewer_answers_with_the_most_frequent_gold_label() {
        let (a, b, c) = (unit("tcm"), unit("party"), unit("party"));
        assert_eq!(answer_of(&[&a, &b, &c]).as_deref(), Some("party"));
        assert_eq!(answer_of(&[&a, &b]).as_deref(), Some("tcm"), "ties: first");
        assert_eq!(answer_of(&[]), None);
    }

    #[test]
    fn the_random_draw_depends_on_the_seed_only() {
        let draw = |seed| {
            let mut v: Vec<usize> = (0..20).collect();
            SplitMix(seed).shuffle(&mut v);
            v
        };
        assert_eq!(draw(17), draw(17));
        assert_ne!(draw(17), draw(18));
        let mut sorted = draw(17);
        sorted.sort();
        assert_eq!(sorted, (0..20).collect::<Vec<_>>());
    }
}
