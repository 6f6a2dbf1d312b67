//! The tagger: the one place where the stages meet. Built once from a
//! classifier, it turns a segmented document (or a group of ready-made
//! sections) into tagged tasks: vectors, scores, the document context, the
//! calibrated prediction, explanations. It reads and writes nothing; the
//! batch driver (`app`) feeds it and the sinks (`sink`) print its results.

use crate::classify::{self, Classifier, PredictOptions, Prediction};
use crate::context;
use crate::segment::{Kind, Segmented, Task};

/// How tagging reads its inputs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum InputMode {
    /// Plan documents: decode, segment, then label every task.
    Plan,
    /// Already-segmented sections, one JSON object per line with `id` and
    /// `text` (optional `path`, `title`, `doc`, `doc_title`), labelled as
    /// they are.
    Jsonl,
}

/// How to tag a batch.
#[derive(Debug, Clone, Copy)]
pub struct TagOptions {
    pub mode: InputMode,
    pub predict: PredictOptions,
    /// Also find, for low-confidence tasks, the words that favour each
    /// candidate (for the review queue).
    pub review_words: bool,
}

/// One tagged document, or a piece of one (a group of JSONL sections).
#[derive(Debug, Default)]
pub struct Tagged {
    pub doc: String,
    pub title: Option<String>,
    pub warnings: Vec<String>,
    pub tasks: Vec<Task>,
    pub predictions: Vec<Prediction>,
    /// Per task, per candidate: words favouring it (low-confidence tasks
    /// only, and only when asked for).
    pub candidate_words: Vec<Vec<Vec<String>>>,
}

/// Labels tasks with a classifier; see the module comment.
#[derive(Clone, Copy)]
pub struct Tagger<'m> {
    classifier: &'m Classifier,
    opts: TagOptions,
    /// `Some(n)`: explain each decision by its `n` strongest terms of more
    /// than one character.
    explain_terms: Option<usize>,
}

impl<'m> Tagger<'m> {
    pub fn new(classifier: &'m Classifier, opts: TagOptions) -> Self {
        Tagger {
            classifier,
            opts,
            explain_terms: None,
        }
    }

    /// Explains each decision by its `n` strongest terms, leaving out
    /// single characters (`管`, `行`): alone they say little to a reader.
    pub fn explain_terms(mut self, n: Option<usize>) -> Self {
        self.explain_terms = n;
        if n.is_some() {
            // The tagger makes the explanation itself, with its own count.
            self.opts.predict.explain = false;
        }
        self
    }

    pub fn classifier(&self) -> &'m Classifier {
        self.classifier
    }

    pub fn options(&self) -> &TagOptions {
        &self.opts
    }

    /// Labels the tasks of one segmented document; all of them are context
    /// for each other.
    pub fn tag(&self, seg: Segmented) -> Tagged {
        self.tag_grouped(seg, None)
    }

    /// Labels tasks whose documents are told by `groups` (the task indices
    /// of each document; `None`: all tasks are of one document).
    pub fn tag_grouped(&self, seg: Segmented, groups: Option<&[Vec<usize>]>) -> Tagged {
        let classifier = self.classifier;
        let Segmented {
            doc,
            title,
            tasks,
            mut warnings,
        } = seg;
        let mut predictions = Vec::with_capacity(tasks.len());
        let mut candidate_words = Vec::with_capacity(tasks.len());
        let inputs: Vec<(&str, &str, &[String])> = tasks
            .iter()
            .map(|t| (t.title.as_str(), t.text.as_str(), t.path.as_slice()))
            .collect();
        let vectors = classifier.vectorize_batch(&inputs);
        drop(inputs);
        // The document around each task (its other tasks; not the cover
        // letter) enters its scores: see `context`.
        let scores: Vec<Vec<f64>> = vectors.iter().map(|x| classifier.scores(x)).collect();
        let counts: Vec<bool> = tasks.iter().map(|t| t.kind != Kind::Notice).collect();
        let mixed = match groups {
            None => context::mix(&scores, &counts, classifier.document_prior()),
            Some(groups) => {
                context::mix_documents(&scores, &counts, groups, classifier.document_prior())
            }
        };
        drop(scores);
        for ((x, s), task) in vectors.iter().zip(mixed).zip(&tasks) {
            if task.kind == Kind::Notice {
                // A cover letter is no policy task: no label, never queued.
                predictions.push(Prediction::none());
                candidate_words.push(Vec::new());
                continue;
            }
            let evidence = self.explain_terms.map(|n| self.explanation(x, &s, n));
            let mut p = classifier.predict_from_scores(s, x, self.opts.predict);
            if evidence.is_some() {
                p.explain = evidence;
            }
            candidate_words.push(if self.opts.review_words && p.low_confidence {
                // Never fails for the classifier's own prediction; if it
                // did, the document says so.
                classifier.candidate_words(x, &p).unwrap_or_else(|e| {
                    warnings.push(e.to_string());
                    Vec::new()
                })
            } else {
                Vec::new()
            });
            predictions.push(p);
        }
        Tagged {
            doc,
            title,
            warnings,
            tasks,
            predictions,
            candidate_words,
        }
    }

    /// The `n` terms that pushed the decision from the runner-up to the
    /// winner most, single characters left out.
    fn explanation(
        &self,
        x: &crate::features::SparseVec,
        scores: &[f64],
        n: usize,
    ) -> Vec<classify::Evidence> {
        let model = &self.classifier.model;
        // The order of the calibrated probabilities is that of the scores.
        let order = classify::most_probable(scores, 2);
        let winner = order[0];
        let runner_up = *order.get(1).unwrap_or(&winner);
        let mut evidence = classify::explain(
            &model.naive_bayes,
            x,
            winner,
            runner_up,
            &model.tfidf.vocabulary,
            usize::MAX,
        );
        evidence.retain(|e| {
            let word = e.term.strip_prefix("H:").unwrap_or(&e.term);
            word.chars().count() > 1
        });
        evidence.truncate(n);
        evidence
    }
}

/// Labels the tasks of a segmented document (all of them context for each
/// other): [`Tagger::tag`] for callers that hold a classifier and options.
pub fn tag_segmented(classifier: &Classifier, seg: Segmented, opts: &TagOptions) -> Tagged {
    Tagger::new(classifier, *opts).tag(seg)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tagger_output(explain: Option<usize>) -> Tagged {
        let classifier = Classifier::new(crate::model::default_model().unwrap()).unwrap();
        let opts = TagOptions {
            mode: InputMode::Plan,
            predict: PredictOptions::default(),
            review_words: false,
        };
        let text = std::fs::read_to_string(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("examples/plans/000_87bfdf8877983873.txt"),
        )
        .unwrap();
        let seg = crate::segment::segment("p", &text);
        Tagger::new(&classifier, opts)
            .explain_terms(explain)
            .tag(seg)
    }

    #[test]
    fn explanations_have_the_count_asked_and_no_single_characters() {
        let tagged = tagger_output(Some(3));
        let mut seen = 0;
        for p in tagged.predictions.iter().filter(|p| !p.label.is_empty()) {
            let ev = p.explain.as_ref().expect("explained");
            assert!(ev.len() <= 3);
            for e in ev {
                let word = e.term.strip_prefix("H:").unwrap_or(&e.term);
                assert!(word.chars().count() > 1, "{}", e.term);
            }
            seen += ev.len();
        }
        assert!(seen > 0);
        // The labels do not depend on explaining.
        let plain = tagger_output(None);
        let labels =
            |t: &Tagged| -> Vec<String> { t.predictions.iter().map(|p| p.label.clone()).collect() };
        assert_eq!(labels(&tagged), labels(&plain));
        assert!(plain.predictions.iter().all(|p| p.explain.is_none()));
    }
}
