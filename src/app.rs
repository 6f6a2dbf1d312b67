//! Batch driver: runs the pipeline over many sources in parallel, writes
//! results in input order, and turns per-file failures into one-line errors
//! while the rest of the batch goes on.

use std::io::Write;

use rayon::prelude::*;

use crate::classify::{Classifier, PredictOptions, Prediction};
use crate::context;
use crate::error::Error;
use crate::input::{self, Source};
use crate::output::{DocRecord, Format, Writer};
use crate::segment::{self, Kind, Segmented, Task};

/// What a batch did, for the final summary line and the exit status.
#[derive(Debug, Default, Clone, Copy)]
pub struct Summary {
    pub documents: usize,
    pub failed: usize,
    pub tasks: usize,
    pub flagged: usize,
}

/// Reads and segments one source.
pub fn segment_source(source: &Source) -> Result<Segmented, Error> {
    let doc = input::read_source(source)?;
    let mut seg = segment::segment(&doc.name, &doc.text);
    // What decoding had to repair comes first among the warnings.
    seg.warnings.splice(0..0, doc.warnings);
    Ok(seg)
}

/// Segments every source (in parallel, output in input order) and writes the
/// trees. Errors are reported through `on_error` as they are met.
pub fn segment_batch<W: Write>(
    sources: &[Source],
    format: Format,
    out: W,
    show_text: bool,
    mut on_error: impl FnMut(&Error),
    mut on_note: impl FnMut(&str, &str),
) -> std::io::Result<Summary> {
    let mut writer = Writer::new(out, format).show_text(show_text);
    let mut summary = Summary::default();
    for chunk in sources.chunks(batch_chunk()) {
        let results: Vec<Result<Segmented, Error>> = chunk.par_iter().map(segment_source).collect();
        for result in results {
            match result {
                Ok(seg) => {
                    for w in &seg.warnings {
                        on_note(&seg.doc, w);
                    }
                    summary.documents += 1;
                    summary.tasks += seg.tasks.len();
                    writer.write_doc(&DocRecord::new(
                        &seg.doc,
                        seg.title.as_deref(),
                        &seg.warnings,
                        &seg.tasks,
                        None,
                    ))?;
                }
                Err(e) => {
                    summary.failed += 1;
                    on_error(&e);
                }
            }
        }
    }
    writer.finish()?;
    Ok(summary)
}

/// How many documents are processed together before their output is
/// written: enough to keep all cores busy, few enough to bound memory.
fn batch_chunk() -> usize {
    rayon::current_num_threads() * 4
}

/// How tagging reads its inputs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum InputMode {
    /// Plan documents: decode, segment, then label every task.
    Plan,
    /// Already-segmented sections, one JSON object per line with `id` and
    /// `text` (optional `path`, `title`), labelled as they are.
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

/// One tagged document.
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

/// A section as `--input jsonl` takes it.
#[derive(Debug, serde::Deserialize)]
struct InputSection {
    id: String,
    text: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    path: Vec<String>,
    /// The document the section belongs to: sections of one document are
    /// context for each other. Without it a section stands alone.
    #[serde(default)]
    doc: Option<String>,
}

/// Reads already-segmented sections from one source, with the document
/// each belongs to (its `doc`, or its own line when it names none).
fn read_sections(source: &Source) -> Result<(Vec<Task>, Vec<String>), Error> {
    let name = source.name();
    let bytes = input::read_bytes(source)?;
    let text = String::from_utf8(bytes).map_err(|e| {
        Error::input(
            &name,
            format!("invalid UTF-8 at byte {}", e.utf8_error().valid_up_to()),
        )
    })?;
    let mut tasks = Vec::new();
    let mut groups = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let s: InputSection = serde_json::from_str(line).map_err(|e| Error::Data {
            path: name.clone().into(),
            line: i + 1,
            problem: format!("not a section (needs `id` and `text`): {e}"),
        })?;
        groups.push(s.doc.unwrap_or_else(|| format!("\u{0}line {i}")));
        tasks.push(Task {
            doc: name.clone(),
            id: s.id,
            kind: Kind::Task,
            path: s.path,
            title: s.title,
            text: s.text,
            start: 0,
            end: 0,
            line_start: i + 1,
            line_end: i + 1,
        });
    }
    Ok((tasks, groups))
}

/// Segments (or reads) one source and labels its tasks.
pub fn tag_source(
    classifier: &Classifier,
    source: &Source,
    opts: &TagOptions,
) -> Result<Tagged, Error> {
    match opts.mode {
        InputMode::Plan => Ok(tag_segmented(classifier, segment_source(source)?, opts)),
        InputMode::Jsonl => {
            let (tasks, groups) = read_sections(source)?;
            let seg = Segmented {
                doc: source.name(),
                title: None,
                tasks,
                warnings: Vec::new(),
            };
            Ok(tag_in_groups(classifier, seg, Some(groups), opts))
        }
    }
}

/// Labels the tasks of a segmented document: the one place where a task
/// list meets the classifier, for plan files, JSONL sections and `eval`.
pub fn tag_segmented(classifier: &Classifier, seg: Segmented, opts: &TagOptions) -> Tagged {
    tag_in_groups(classifier, seg, None, opts)
}

/// The task indices of each group (equal keys), in order of first task.
fn members_of(groups: &[String]) -> Vec<Vec<usize>> {
    let mut index: std::collections::HashMap<&str, usize> = Default::default();
    let mut members: Vec<Vec<usize>> = Vec::new();
    for (i, g) in groups.iter().enumerate() {
        let at = *index.entry(g.as_str()).or_insert_with(|| {
            members.push(Vec::new());
            members.len() - 1
        });
        members[at].push(i);
    }
    members
}

/// Labels tasks whose documents are told by `groups` (one key per task;
/// `None`: all tasks are of one document).
fn tag_in_groups(
    classifier: &Classifier,
    seg: Segmented,
    groups: Option<Vec<String>>,
    opts: &TagOptions,
) -> Tagged {
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
    // The document around each task (its other tasks; not the cover
    // letter) enters its scores: see `context`.
    let scores: Vec<Vec<f64>> = vectors.iter().map(|x| classifier.scores(x)).collect();
    let counts: Vec<bool> = tasks.iter().map(|t| t.kind != Kind::Notice).collect();
    let mixed = match &groups {
        None => context::mix(&scores, &counts, classifier.document_prior()),
        Some(groups) => context::mix_documents(
            &scores,
            &counts,
            &members_of(groups),
            classifier.document_prior(),
        ),
    };
    for ((x, s), task) in vectors.iter().zip(mixed).zip(&tasks) {
        if task.kind == Kind::Notice {
            // A cover letter is no policy task: no label, never queued.
            predictions.push(Prediction::none());
            candidate_words.push(Vec::new());
            continue;
        }
        let p = classifier.predict_from_scores(s, x, opts.predict);
        candidate_words.push(if opts.review_words && p.low_confidence {
            // Never fails for the classifier's own prediction; if it did,
            // the document says so.
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

/// Tags every source in parallel and hands results to `sink` in input
/// order; errors go to `on_error`. Returns the batch summary.
pub fn tag_batch(
    classifier: &Classifier,
    sources: &[Source],
    opts: &TagOptions,
    mut sink: impl FnMut(Tagged) -> std::io::Result<()>,
    mut on_error: impl FnMut(&Error),
    mut on_progress: impl FnMut(usize),
) -> std::io::Result<Summary> {
    let mut summary = Summary::default();
    let mut done = 0;
    for chunk in sources.chunks(batch_chunk()) {
        let results: Vec<Result<Tagged, Error>> = chunk
            .par_iter()
            .map(|s| tag_source(classifier, s, opts))
            .collect();
        for result in results {
            done += 1;
            match result {
                Ok(tagged) => {
                    summary.documents += 1;
                    summary.tasks += tagged.tasks.len();
                    summary.flagged += tagged
                        .predictions
                        .iter()
                        .filter(|p| p.low_confidence)
                        .count();
                    sink(tagged)?;
                }
                Err(e) => {
                    summary.failed += 1;
                    on_error(&e);
                }
            }
            on_progress(done);
        }
    }
    Ok(summary)
}

/// Writes a tagged document in an output format.
pub fn write_tagged<W: Write>(writer: &mut Writer<W>, tagged: &Tagged) -> std::io::Result<()> {
    writer.write_doc(&DocRecord::new(
        &tagged.doc,
        tagged.title.as_deref(),
        &tagged.warnings,
        &tagged.tasks,
        Some(&tagged.predictions),
    ))
}
