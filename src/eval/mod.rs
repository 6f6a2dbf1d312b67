//! Evaluation: hand-labelled gold units of a corpus are matched to the tasks
//! the full pipeline finds in the raw documents (as `plan-tag` runs), and
//! scored for segmentation (found alone, merged, missing, chrome) and for
//! labels (accuracy, macro-F1, calibration, the review flag).

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::classify::{expected_calibration_error, Candidate, Classifier, Prediction};
use crate::error::{Error, Result};
use crate::input;
use crate::segment::{self, Kind};
use crate::tagger::{tag_segmented, TagOptions, Tagged};

/// One gold unit in the corpus format (`gold-*.jsonl`).
#[derive(Debug, Clone, Deserialize)]
pub struct GoldUnit {
    /// File name of the document in the docs folder.
    pub doc: String,
    #[serde(default)]
    pub id: String,
    /// The first characters of the unit's own wording, verbatim.
    pub anchor: String,
    pub label: String,
    /// Other labels a careful reader could defend.
    #[serde(default)]
    pub accept: Vec<String>,
    /// `task`, `preamble` or `review`.
    #[serde(default)]
    pub kind: String,
    /// The unit's full text (not used for matching).
    #[serde(default)]
    pub text: String,
    #[serde(default)]
    pub path: Vec<String>,
}

/// Reads gold units, one JSON object a line.
pub fn load_gold(path: &Path) -> Result<Vec<GoldUnit>> {
    let text = std::fs::read_to_string(path).map_err(|source| Error::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let mut units = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let unit: GoldUnit = serde_json::from_str(line)
            .map_err(|e| Error::data(path, i + 1, format!("not a gold unit: {e}")))?;
        if unit.anchor.is_empty() {
            return Err(Error::data(path, i + 1, "empty anchor"));
        }
        units.push(unit);
    }
    Ok(units)
}

mod furniture;
mod matching;
mod text;
mod title;

pub use furniture::is_furniture;
pub use matching::{match_units, Placement, UnitMatch};
pub use title::{check_title, MetaTitles, TitleCheck, TitleFigures, TitleVerdict};

/// Label set plus a predicted label per unit, for the figures below.
#[derive(Debug, Clone, Serialize)]
pub struct UnitResult {
    pub doc: String,
    pub id: String,
    pub anchor: String,
    pub gold: String,
    pub accept: Vec<String>,
    pub gold_kind: String,
    pub placement: Placement,
    /// Id of the predicted task that holds the unit.
    pub task_id: Option<String>,
    pub task_kind: Option<Kind>,
    pub predicted: Option<String>,
    pub second: Option<String>,
    pub confidence: Option<f64>,
    pub flagged: bool,
    /// Secondary labels given to the unit's task.
    pub secondary: Vec<String>,
}

impl UnitResult {
    pub fn strict(&self) -> bool {
        self.predicted.as_deref() == Some(self.gold.as_str())
    }
    pub fn lenient(&self) -> bool {
        self.predicted
            .as_ref()
            .is_some_and(|p| *p == self.gold || self.accept.contains(p))
    }
    pub fn top2(&self) -> bool {
        self.strict() || self.second.as_deref() == Some(self.gold.as_str())
    }
}

/// Segmentation figures of one document.
#[derive(Debug, Clone, Serialize)]
pub struct DocResult {
    pub doc: String,
    pub title: Option<String>,
    /// The title found judged against the title the document was
    /// collected under (`meta.tsv`), where there is one.
    pub title_check: Option<TitleCheck>,
    pub units: usize,
    pub own: usize,
    pub merged: usize,
    pub missing: usize,
    /// Predicted tasks (notice included).
    pub tasks: usize,
    /// Tasks that hold no gold unit and look like page furniture.
    pub furniture_tasks: Vec<String>,
    pub warnings: Vec<String>,
}

/// Precision, recall and F1 of one label.
#[derive(Debug, Clone, Serialize)]
pub struct LabelScore {
    pub label: String,
    pub support: usize,
    pub predicted: usize,
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
}

/// One bin of the reliability table.
#[derive(Debug, Clone, Serialize)]
pub struct ReliabilityBin {
    pub from: f64,
    pub to: f64,
    pub count: usize,
    pub mean_confidence: f64,
    pub accuracy: f64,
}

/// The whole evaluation.
#[derive(Debug, Clone, Serialize)]
pub struct EvalReport {
    pub documents: usize,
    pub failed_documents: Vec<String>,
    pub units: usize,
    pub own: usize,
    pub merged: usize,
    pub missing: usize,
    pub tasks: usize,
    pub furniture_tasks: usize,
    pub titles_found: usize,
    /// Titles found judged against `meta.tsv` beside the docs folder;
    /// `None` when there is none.
    pub title_check: Option<TitleFigures>,
    /// Units whose task has the gold kind (task, preamble, review).
    pub kind_agree: usize,
    pub strict: f64,
    pub lenient: f64,
    pub top2: f64,
    pub macro_f1: f64,
    pub per_label: Vec<LabelScore>,
    /// (gold, predicted, count), most frequent first.
    pub confusions: Vec<(String, String, usize)>,
    /// ECE over the units with a prediction, strict correctness, 10 bins.
    pub ece: f64,
    pub reliability: Vec<ReliabilityBin>,
    /// Share of matched units flagged low-confidence.
    pub flagged_units: f64,
    /// Share of all labelled tasks (notice excluded) flagged.
    pub flagged_tasks: f64,
    /// Share of strict errors among matched units that the flag catches.
    pub errors_caught: f64,
    /// Secondary labels given to units' tasks, and the share of them that
    /// are the gold label or one of its `accept` labels.
    pub secondary_given: usize,
    pub secondary_precision: f64,
    /// Units with `accept` labels whose task got one of them as secondary.
    pub secondary_recall: f64,
    pub per_document: Vec<DocResult>,
    pub per_unit: Vec<UnitResult>,
}

/// A baseline scored in place of the model, on the model's own tasks.
#[derive(Debug, Clone)]
pub enum Baseline {
    /// Always the most frequent label of the model's training data.
    Majority,
    /// The label whose lexicon terms occur most often in the task.
    Lexicon(Vec<crate::data::Label>),
}

impl Baseline {
    fn predict(&self, classifier: &Classifier, title: &str, text: &str) -> Prediction {
        let labels = &classifier.model.taxonomy;
        let id = match self {
            Baseline::Majority => classifier
                .model
                .training
                .label_counts
                .iter()
                .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)))
                .map(|(l, _)| l.clone())
                .unwrap_or_default(),
            Baseline::Lexicon(lexicon) => {
                let i = crate::train::lexicon_match(&format!("{title}{text}"), lexicon);
                lexicon[i].id.clone()
            }
        };
        let name = labels
            .iter()
            .find(|l| l.id == id)
            .map(|l| l.zh.clone())
            .unwrap_or_default();
        Prediction {
            label: id.clone(),
            label_name: name,
            confidence: 1.0,
            top: vec![Candidate { label: id, p: 1.0 }],
            low_confidence: false,
            secondary: Vec::new(),
            explain: None,
        }
    }
}

/// Tags every document named by the gold units (read from `docs`) and
/// scores the result; titles are judged where `meta` gives the documents'
/// collected titles. A document that cannot be read leaves its units
/// missing and is listed in `failed_documents`.
pub fn evaluate(
    classifier: &Classifier,
    gold: &[GoldUnit],
    docs: &Path,
    opts: &TagOptions,
    baseline: Option<&Baseline>,
    meta: Option<&MetaTitles>,
) -> EvalReport {
    let order = units_by_doc(gold);
    use rayon::prelude::*;
    let per_doc: Vec<(DocResult, Vec<UnitResult>, usize, usize, bool)> = order
        .par_iter()
        .map(|(name, units)| {
            let meta_title = meta.and_then(|m| m.get(name));
            evaluate_doc(classifier, name, units, docs, opts, baseline, meta_title)
        })
        .collect();

    let mut report = EvalReport {
        documents: per_doc.len(),
        failed_documents: Vec::new(),
        units: 0,
        own: 0,
        merged: 0,
        missing: 0,
        tasks: 0,
        furniture_tasks: 0,
        titles_found: 0,
        title_check: meta.map(|_| TitleFigures::default()),
        kind_agree: 0,
        strict: 0.0,
        lenient: 0.0,
        top2: 0.0,
        macro_f1: 0.0,
        per_label: Vec::new(),
        confusions: Vec::new(),
        ece: 0.0,
        reliability: Vec::new(),
        flagged_units: 0.0,
        flagged_tasks: 0.0,
        errors_caught: 0.0,
        secondary_given: 0,
        secondary_precision: 0.0,
        secondary_recall: 0.0,
        per_document: Vec::new(),
        per_unit: Vec::new(),
    };
    let mut labelled_tasks = 0;
    let mut flagged_tasks = 0;
    for (doc, units, n_labelled, n_flagged, failed) in per_doc {
        if failed {
            report.failed_documents.push(doc.doc.clone());
        }
        report.units += doc.units;
        report.own += doc.own;
        report.merged += doc.merged;
        report.missing += doc.missing;
        report.tasks += doc.tasks;
        report.furniture_tasks += doc.furniture_tasks.len();
        report.titles_found += usize::from(doc.title.is_some());
        if let (Some(figures), Some(check)) = (&mut report.title_check, &doc.title_check) {
            figures.add(check.verdict);
        }
        labelled_tasks += n_labelled;
        flagged_tasks += n_flagged;
        report.per_document.push(doc);
        report.per_unit.extend(units);
    }
    score_labels(&mut report);
    report.flagged_tasks = ratio(flagged_tasks, labelled_tasks);
    report
}

/// One document tagged from its raw file as `plan-tag` tags it, with its
/// gold units matched to its tasks (in the units' order).
pub struct MatchedDoc {
    /// The decoded text the task offsets point into.
    pub text: String,
    pub tagged: Tagged,
    pub matches: Vec<UnitMatch>,
}

/// Reads `docs/name`, tags it and matches `units` (all of that document,
/// in file order) to its tasks; `None` when the file cannot be read.
pub fn tag_and_match(
    classifier: &Classifier,
    name: &str,
    units: &[&GoldUnit],
    docs: &Path,
    opts: &TagOptions,
) -> Option<MatchedDoc> {
    let d = input::read_source(&input::Source::File(docs.join(name))).ok()?;
    let seg = segment::segment(name, &d.text);
    let tagged = tag_segmented(classifier, seg, opts);
    let pairs: Vec<(&str, &str)> = units
        .iter()
        .map(|u| (u.anchor.as_str(), u.text.as_str()))
        .collect();
    let spans: Vec<(usize, usize)> = tagged.tasks.iter().map(|t| (t.start, t.end)).collect();
    let matches = match_units(&d.text, &pairs, &spans);
    Some(MatchedDoc {
        text: d.text,
        tagged,
        matches,
    })
}

/// Gold units grouped by document: documents in first-seen order, units
/// in file order within each.
pub fn units_by_doc(gold: &[GoldUnit]) -> Vec<(&str, Vec<&GoldUnit>)> {
    let mut order: Vec<(&str, Vec<&GoldUnit>)> = Vec::new();
    let mut at: HashMap<&str, usize> = HashMap::new();
    for unit in gold {
        let i = *at.entry(unit.doc.as_str()).or_insert_with(|| {
            order.push((unit.doc.as_str(), Vec::new()));
            order.len() - 1
        });
        order[i].1.push(unit);
    }
    order
}

/// Tags one document and matches its gold units. Returns the document's
/// figures, its units, its labelled and flagged task counts, and whether
/// it failed to load.
fn evaluate_doc(
    classifier: &Classifier,
    name: &str,
    units: &[&GoldUnit],
    docs: &Path,
    opts: &TagOptions,
    baseline: Option<&Baseline>,
    meta_title: Option<&str>,
) -> (DocResult, Vec<UnitResult>, usize, usize, bool) {
    let mut text = String::new();
    let (tagged, matches, failed) = match tag_and_match(classifier, name, units, docs, opts) {
        Some(MatchedDoc {
            mut tagged,
            matches,
            text: doc_text,
        }) => {
            text = doc_text;
            if let Some(b) = baseline {
                for (t, p) in tagged.tasks.iter().zip(tagged.predictions.iter_mut()) {
                    if t.kind != Kind::Notice {
                        *p = b.predict(classifier, &t.title, &t.text);
                    }
                }
            }
            (tagged, matches, false)
        }
        None => {
            let spans: Vec<(usize, usize)> = Vec::new();
            let pairs: Vec<(&str, &str)> = units
                .iter()
                .map(|u| (u.anchor.as_str(), u.text.as_str()))
                .collect();
            (
                Tagged {
                    doc: name.to_string(),
                    title: None,
                    warnings: Vec::new(),
                    tasks: Vec::new(),
                    predictions: Vec::new(),
                    candidate_words: Vec::new(),
                },
                match_units("", &pairs, &spans),
                true,
            )
        }
    };
    let held: Vec<bool> = (0..tagged.tasks.len())
        .map(|i| matches.iter().any(|m| m.task == Some(i)))
        .collect();
    let furniture_tasks: Vec<String> = tagged
        .tasks
        .iter()
        .zip(&held)
        .filter(|(t, &h)| !h && is_furniture(&format!("{}\n{}", t.title, t.text)))
        .map(|(t, _)| t.id.clone())
        .collect();
    let count = |p: Placement| matches.iter().filter(|m| m.placement == p).count();
    let labelled: Vec<usize> = (0..tagged.tasks.len())
        .filter(|&i| tagged.tasks[i].kind != Kind::Notice)
        .collect();
    let n_flagged = labelled
        .iter()
        .filter(|&&i| tagged.predictions[i].low_confidence)
        .count();
    let results = units
        .iter()
        .zip(&matches)
        .map(|(u, m)| {
            let pred = m.task.map(|t| (&tagged.tasks[t], &tagged.predictions[t]));
            UnitResult {
                doc: u.doc.clone(),
                id: u.id.clone(),
                anchor: u.anchor.clone(),
                gold: u.label.clone(),
                accept: u.accept.clone(),
                gold_kind: u.kind.clone(),
                placement: m.placement,
                task_id: pred.map(|(t, _)| t.id.clone()),
                task_kind: pred.map(|(t, _)| t.kind),
                predicted: pred.map(|(_, p)| p.label.clone()),
                second: pred.and_then(|(_, p)| p.top.get(1).map(|c| c.label.clone())),
                confidence: pred.map(|(_, p)| p.confidence),
                flagged: pred.is_some_and(|(_, p)| p.low_confidence),
                secondary: pred.map(|(_, p)| p.secondary.clone()).unwrap_or_default(),
            }
        })
        .collect();
    let doc = DocResult {
        doc: name.to_string(),
        title: tagged.title.clone(),
        title_check: meta_title.map(|m| check_title(&text, tagged.title.as_deref(), m)),
        units: units.len(),
        own: count(Placement::Own),
        merged: count(Placement::Merged),
        missing: count(Placement::Missing),
        tasks: tagged.tasks.len(),
        furniture_tasks,
        warnings: tagged.warnings.clone(),
    };
    (doc, results, labelled.len(), n_flagged, failed)
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        0.0
    } else {
        a as f64 / b as f64
    }
}

/// Fills the label figures from the per-unit results.
fn score_labels(report: &mut EvalReport) {
    let units = &report.per_unit;
    let n = units.len();
    report.strict = ratio(units.iter().filter(|u| u.strict()).count(), n);
    report.lenient = ratio(units.iter().filter(|u| u.lenient()).count(), n);
    report.top2 = ratio(units.iter().filter(|u| u.top2()).count(), n);
    report.kind_agree = units
        .iter()
        .filter(|u| u.task_kind.is_some_and(|k| k.as_str() == u.gold_kind))
        .count();

    let mut labels: BTreeMap<&str, (usize, usize, usize)> = BTreeMap::new(); // support, predicted, hits
    let mut confusions: HashMap<(&str, &str), usize> = HashMap::new();
    for u in units {
        labels.entry(&u.gold).or_default().0 += 1;
        if let Some(p) = &u.predicted {
            labels.entry(p).or_default().1 += 1;
            if u.strict() {
                labels.entry(&u.gold).or_default().2 += 1;
            } else {
                *confusions.entry((&u.gold, p)).or_default() += 1;
            }
        }
    }
    report.per_label = labels
        .iter()
        .map(|(label, &(support, predicted, hits))| {
            let precision = ratio(hits, predicted);
            let recall = ratio(hits, support);
            let f1 = if precision + recall > 0.0 {
                2.0 * precision * recall / (precision + recall)
            } else {
                0.0
            };
            LabelScore {
                label: label.to_string(),
                support,
                predicted,
                precision,
                recall,
                f1,
            }
        })
        .collect();
    report.macro_f1 = if report.per_label.is_empty() {
        0.0
    } else {
        report.per_label.iter().map(|l| l.f1).sum::<f64>() / report.per_label.len() as f64
    };
    let mut confusions: Vec<(String, String, usize)> = confusions
        .into_iter()
        .map(|((g, p), c)| (g.to_string(), p.to_string(), c))
        .collect();
    confusions.sort_by(|a, b| b.2.cmp(&a.2).then_with(|| (&a.0, &a.1).cmp(&(&b.0, &b.1))));
    report.confusions = confusions;

    let scored: Vec<&UnitResult> = units.iter().filter(|u| u.confidence.is_some()).collect();
    let confidence: Vec<f64> = scored.iter().map(|u| u.confidence.unwrap_or(0.0)).collect();
    let correct: Vec<bool> = scored.iter().map(|u| u.strict()).collect();
    report.ece = expected_calibration_error(&confidence, &correct, 10);
    report.reliability = (0..10)
        .map(|b| {
            let from = b as f64 / 10.0;
            let to = (b + 1) as f64 / 10.0;
            let in_bin: Vec<usize> = (0..confidence.len())
                .filter(|&i| ((confidence[i] * 10.0) as usize).min(9) == b)
                .collect();
            let count = in_bin.len();
            ReliabilityBin {
                from,
                to,
                count,
                mean_confidence: if count == 0 {
                    0.0
                } else {
                    in_bin.iter().map(|&i| confidence[i]).sum::<f64>() / count as f64
                },
                accuracy: ratio(in_bin.iter().filter(|&&i| correct[i]).count(), count),
            }
        })
        .collect();
    let flagged = scored.iter().filter(|u| u.flagged).count();
    report.flagged_units = ratio(flagged, scored.len());
    let errors = scored.iter().filter(|u| !u.strict()).count();
    let caught = scored.iter().filter(|u| !u.strict() && u.flagged).count();
    report.errors_caught = ratio(caught, errors);
    let mut given = 0;
    let mut right = 0;
    for u in units {
        for s in &u.secondary {
            given += 1;
            right += usize::from(*s == u.gold || u.accept.contains(s));
        }
    }
    report.secondary_given = given;
    report.secondary_precision = ratio(right, given);
    let with_accept: Vec<&UnitResult> = units.iter().filter(|u| !u.accept.is_empty()).collect();
    report.secondary_recall = ratio(
        with_accept
            .iter()
            .filter(|u| u.secondary.iter().any(|s| u.accept.contains(s)))
            .count(),
        with_accept.len(),
    );
}
