//! One run of review rounds: each round the current model's tasks are
//! picked by a strategy, answered through a real review session, and the
//! model is retrained and measured.

use std::collections::HashSet;
use std::path::Path;

use super::reviewer::{candidates, Candidate};
use super::scratch::{copy_training_data, Scratch};
use super::{tag_options, Curve, LearnParams, RoundResult, Strategy};
use crate::classify::Classifier;
use crate::data;
use crate::error::Result;
use crate::eval::{self, GoldUnit};
use crate::review::{QueueItem, Session};
use crate::train::{self, TrainParams};

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

/// One simulated reviewer over a pool of documents.
pub(super) struct Run<'a> {
    pub(super) params: &'a LearnParams,
    pub(super) strategy: Strategy,
    pub(super) weight: f64,
    pub(super) pool: &'a [(&'a str, Vec<&'a GoldUnit>)],
    pub(super) measure: &'a [GoldUnit],
    pub(super) measured_on: &'a str,
    pub(super) progress: &'a dyn Fn(&str),
}

pub(super) struct RunOutput {
    pub(super) curve: Curve,
    pub(super) tasks: usize,
    pub(super) reviewed_chars: Vec<usize>,
}

pub(super) fn train_params(p: &LearnParams, weight: f64) -> TrainParams {
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
pub(super) struct Model {
    classifier: Classifier,
    sections: usize,
    chosen: [f64; 4],
}

/// Trains on a data folder.
pub(super) fn retrain(dir: &Path, params: &TrainParams) -> Result<Model> {
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
pub(super) fn round_result(
    round: usize,
    model: &Model,
    gold: &[GoldUnit],
    docs: &Path,
) -> RoundResult {
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
    eval::evaluate(classifier, gold, docs, &tag_options(), None, None)
}

impl Run<'_> {
    /// Runs every round, starting from `start` (the model trained on the
    /// hand labels alone, shared by all runs).
    pub(super) fn run(&self, start: &Model, start_result: &RoundResult) -> Result<RunOutput> {
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

#[cfg(test)]
mod tests {
    use super::*;
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
