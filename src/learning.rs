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

use crate::app::{InputMode, TagOptions};
use crate::classify::{Classifier, PredictOptions};
use crate::data;
use crate::error::{Error, Result};
use crate::eval::{self, GoldUnit};
use crate::review::{self, QueueItem, Session};
use crate::segment::Kind;
use crate::train::{self, TrainParams};

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

/// Seconds a reviewer is assumed to spend on one task (reading about 150
/// characters and choosing a label): an assumption, not a measurement.
pub const SECONDS_PER_TASK: f64 = 30.0;

impl LearnReport {
    /// The report as people read it: one table per curve.
    pub fn to_text(&self) -> String {
        use std::fmt::Write;
        let mut s = String::new();
        let _ = writeln!(
            s,
            "review simulation: {} rounds of {} tasks, {} review documents ({} tasks), measured on {} documents ({} units); {}-fold retraining, {}; random seed {}",
            self.rounds,
            self.batch,
            self.review_documents,
            self.review_tasks,
            self.measure_documents,
            self.measure_units,
            self.folds,
            self.settings_text(),
            self.seed
        );
        let table = |s: &mut String, c: &Curve| {
            let _ = writeln!(
                s,
                "\n{} sampling, review weight {}, measured on {}",
                c.strategy.as_str(),
                c.review_weight,
                c.measured_on
            );
            let _ = writeln!(
                s,
                "  round  shown  decided  corrected  strict  lenient  macro-F1    ECE  flagged   alpha  lexicon  context"
            );
            for r in &c.rounds {
                let _ = writeln!(
                    s,
                    "  {:>5}  {:>5}  {:>7}  {:>9}  {:.3}   {:.3}    {:.3}    {:.3}  {:5.1}%  {:>6}  {:>7}  {:>7}",
                    r.round,
                    r.shown,
                    r.decided,
                    r.corrected,
                    r.strict,
                    r.lenient,
                    r.macro_f1,
                    r.ece,
                    100.0 * r.flagged,
                    r.alpha,
                    r.lexicon_weight,
                    r.context_weight
                );
            }
        };
        if !self.weight_choice.is_empty() {
            let _ = writeln!(
                s,
                "\nchoosing the review weight ({})",
                self.weight_chosen_by
            );
            for c in &self.weight_choice {
                let _ = writeln!(
                    s,
                    "  weight {:>4}: mean strict {:.4}",
                    c.review_weight,
                    c.mean_strict_after_start()
                );
            }
            for c in &self.weight_choice {
                table(&mut s, c);
            }
        }
        let _ = writeln!(s, "\nchosen review weight {}", self.chosen_weight);
        for c in &self.measured {
            table(&mut s, c);
        }
        let _ = writeln!(
            s,
            "\nmean task length reviewed: {:.0} characters; at {} s a task, one hour is {} tasks",
            self.mean_task_chars,
            SECONDS_PER_TASK,
            (3600.0 / SECONDS_PER_TASK) as usize
        );
        let _ = writeln!(s, "took {:.0} s", self.seconds);
        s
    }

    /// How the retrainings' settings were held, in words.
    pub fn settings_text(&self) -> String {
        let fixed = |name: &str, v: Option<f64>| match v {
            Some(v) => format!("{name} fixed at {v}"),
            None => format!("{name} re-chosen by cross-validation"),
        };
        format!(
            "{}, {}",
            fixed("smoothing", self.alpha),
            fixed("context weight", self.context_weight)
        )
    }

    /// The measured curve of a strategy at the chosen weight.
    pub fn curve(&self, strategy: Strategy) -> Option<&Curve> {
        self.measured
            .iter()
            .find(|c| c.strategy == strategy && c.review_weight == self.chosen_weight)
    }

    /// The learning curves as a self-contained SVG: strict accuracy,
    /// macro-F1 and ECE on the measuring documents against tasks shown,
    /// for both strategies at the chosen weight (and the other weights'
    /// uncertainty curves, thin, when measured), with one hour of review
    /// marked.
    pub fn to_svg(&self) -> String {
        use std::fmt::Write;
        let panels: [(&str, Figure); 3] = [
            ("strict accuracy", |r| r.strict),
            ("macro-F1", |r| r.macro_f1),
            ("ECE (lower is better)", |r| r.ece),
        ];
        let (pw, ph) = (300.0, 220.0);
        let (ml, mr, mt, mb) = (52.0, 14.0, 84.0, 64.0);
        let width = panels.len() as f64 * (pw + ml + mr);
        let height = mt + ph + mb;
        let max_x = self
            .measured
            .iter()
            .flat_map(|c| c.rounds.iter().map(|r| r.shown))
            .max()
            .unwrap_or(1)
            .max(1) as f64;
        let colour = |s: Strategy| match s {
            Strategy::Uncertainty => "#4e79a7",
            Strategy::Random => "#e15759",
        };
        let mut svg = String::new();
        let _ = write!(
            svg,
            r##"<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" font-family="system-ui, sans-serif" font-size="12">
<rect width="100%" height="100%" fill="#ffffff"/>
<text x="12" y="20" font-size="15" font-weight="600">What review buys: the model after each round of {} reviewed tasks, measured on dev ({} units of {} plans)</text>
<text x="12" y="38" fill="#555">start: trained on training-data/ alone; reviews answered with the gold of the corpus train split; review weight {} ({})</text>
<text x="12" y="54" fill="#555">each round retrained with {}-fold cross-validation, {}; one hour = {} tasks at {} s a task (assumed)</text>
"##,
            self.batch,
            self.measure_units,
            self.measure_documents,
            self.chosen_weight,
            if self.weight_choice.is_empty() {
                "fixed"
            } else {
                "chosen on held-out train documents"
            },
            self.folds,
            self.settings_text(),
            (3600.0 / SECONDS_PER_TASK) as usize,
            SECONDS_PER_TASK
        );
        let hour = 3600.0 / SECONDS_PER_TASK;
        for (n, (name, value)) in panels.iter().enumerate() {
            let x0 = n as f64 * (pw + ml + mr) + ml;
            let points: Vec<f64> = self
                .measured
                .iter()
                .flat_map(|c| c.rounds.iter().map(value))
                .collect();
            let lo = points.iter().copied().fold(f64::INFINITY, f64::min);
            let hi = points.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            let step = nice_step((hi - lo).max(0.01) / 4.0);
            let lo = (lo / step).floor() * step;
            let hi = ((hi / step).ceil() * step).max(lo + step);
            let x = |v: f64| x0 + v / max_x * pw;
            let y = |v: f64| mt + ph - (v - lo) / (hi - lo) * ph;
            let _ = writeln!(
                svg,
                r##"<rect x="{x0}" y="{mt}" width="{pw}" height="{ph}" fill="#f6f6f6" stroke="#bbb"/>"##
            );
            let _ = writeln!(
                svg,
                r##"<text x="{}" y="{}" font-weight="600">{name}</text>"##,
                x0,
                mt - 6.0
            );
            let mut t = lo;
            while t <= hi + step / 2.0 {
                let _ = writeln!(
                    svg,
                    r##"<line x1="{x0}" x2="{}" y1="{yy:.1}" y2="{yy:.1}" stroke="#e3e3e3"/><text x="{}" y="{:.1}" text-anchor="end" fill="#555">{t:.2}</text>"##,
                    x0 + pw,
                    x0 - 6.0,
                    y(t) + 4.0,
                    yy = y(t)
                );
                t += step;
            }
            for r in self
                .measured
                .first()
                .map(|c| c.rounds.as_slice())
                .unwrap_or(&[])
            {
                let _ = writeln!(
                    svg,
                    r##"<text x="{:.1}" y="{}" text-anchor="middle" fill="#555">{}</text>"##,
                    x(r.shown as f64),
                    mt + ph + 16.0,
                    r.shown
                );
            }
            let _ = writeln!(
                svg,
                r##"<text x="{}" y="{}" text-anchor="middle" fill="#555">tasks shown to the reviewer</text>"##,
                x0 + pw / 2.0,
                mt + ph + 32.0
            );
            if hour <= max_x {
                let hx = x(hour);
                let _ = writeln!(
                    svg,
                    r##"<line x1="{hx:.1}" x2="{hx:.1}" y1="{mt}" y2="{}" stroke="#999" stroke-dasharray="4 3"/><text x="{:.1}" y="{}" fill="#777">1 h</text>"##,
                    mt + ph,
                    hx + 3.0,
                    mt + 14.0,
                );
            }
            if let Some(first) = self.measured.first().and_then(|c| c.rounds.first()) {
                let sy = y(value(first));
                let _ = writeln!(
                    svg,
                    r##"<line x1="{x0}" x2="{}" y1="{sy:.1}" y2="{sy:.1}" stroke="#777" stroke-dasharray="2 3"/><text x="{}" y="{:.1}" text-anchor="end" fill="#777">start</text>"##,
                    x0 + pw,
                    x0 + pw - 4.0,
                    sy - 4.0
                );
            }
            for c in &self.measured {
                let main = c.review_weight == self.chosen_weight;
                let path: Vec<String> = c
                    .rounds
                    .iter()
                    .map(|r| format!("{:.1},{:.1}", x(r.shown as f64), y(value(r))))
                    .collect();
                let _ = writeln!(
                    svg,
                    r##"<polyline points="{}" fill="none" stroke="{}" stroke-width="{}"{}/>"##,
                    path.join(" "),
                    colour(c.strategy),
                    if main { 2.5 } else { 1.0 },
                    if main { "" } else { r#" stroke-opacity="0.5""# }
                );
                if main {
                    for r in &c.rounds {
                        let _ = writeln!(
                            svg,
                            r##"<circle cx="{:.1}" cy="{:.1}" r="3" fill="{}"/>"##,
                            x(r.shown as f64),
                            y(value(r)),
                            colour(c.strategy)
                        );
                    }
                }
            }
        }
        let ly = height - 14.0;
        let others = self
            .measured
            .iter()
            .filter(|c| c.review_weight != self.chosen_weight)
            .map(|c| c.review_weight.to_string())
            .collect::<Vec<_>>();
        let _ = writeln!(
            svg,
            r##"<rect x="{ml}" y="{}" width="14" height="4" fill="{}"/><text x="{}" y="{ly}">the {} most uncertain tasks each round (the review queue)</text>"##,
            ly - 6.0,
            colour(Strategy::Uncertainty),
            ml + 20.0,
            self.batch
        );
        let _ = writeln!(
            svg,
            r##"<rect x="{}" y="{}" width="14" height="4" fill="{}"/><text x="{}" y="{ly}">{} random tasks each round (seed {})</text>"##,
            ml + 420.0,
            ly - 6.0,
            colour(Strategy::Random),
            ml + 440.0,
            self.batch,
            self.seed
        );
        if !others.is_empty() {
            let _ = writeln!(
                svg,
                r##"<text x="{}" y="{ly}" fill="#777">thin: uncertainty at weight {}</text>"##,
                ml + 700.0,
                others.join(", ")
            );
        }
        svg.push_str("</svg>\n");
        svg
    }
}

/// One figure of a round, as plotted.
type Figure = fn(&RoundResult) -> f64;

/// 1, 2 or 5 times a power of ten, at least `raw`.
fn nice_step(raw: f64) -> f64 {
    let p = 10f64.powf(raw.log10().floor());
    [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|m| m * p)
        .find(|&s| s >= raw)
        .unwrap_or(10.0 * p)
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

    #[test]
    fn axis_steps_are_round() {
        assert_eq!(nice_step(0.013), 0.02);
        assert_eq!(nice_step(0.04), 0.05);
        assert_eq!(nice_step(0.1), 0.1);
    }
}
