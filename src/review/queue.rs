//! The review queue: low-confidence tasks with what a reviewer needs to
//! judge them (candidates, the plan title, the neighbouring tasks).

use std::fs;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::data::{task_identity, TaskIdentity};
use crate::error::{Error, Result};
use crate::segment::Kind;
use crate::tagger::Tagged;

/// One candidate label in the queue.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QueueCandidate {
    pub label: String,
    pub p: f64,
    /// Words of the text that favour this label (for highlighting).
    #[serde(default)]
    pub words: Vec<String>,
}

/// A task near a queued one in its document, as the model labelled it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Neighbour {
    pub id: String,
    #[serde(default)]
    pub title: String,
    /// Empty for a cover letter.
    pub label: String,
    pub confidence: f64,
}

/// One task waiting for review.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QueueItem {
    /// The document as `plan-tag` printed it.
    pub doc: String,
    /// The task id exactly as `plan-tag --format jsonl` prints it.
    pub id: String,
    pub kind: Kind,
    pub path: Vec<String>,
    pub title: String,
    pub text: String,
    pub confidence: f64,
    pub candidates: Vec<QueueCandidate>,
    pub model_digest: String,
    /// The plan's own title, when one was found.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub doc_title: Option<String>,
    /// Up to [`NEIGHBOURS`] tasks before and after it in the document,
    /// nearest last and first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub before: Vec<Neighbour>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub after: Vec<Neighbour>,
}

/// Neighbouring tasks kept on each side of a queued task.
pub const NEIGHBOURS: usize = 2;

impl QueueItem {
    /// The task this item asks about, as its decision will record it.
    pub fn identity(&self) -> TaskIdentity {
        task_identity(&doc_stem(&self.doc), &self.id, &self.title, &self.text)
    }
}

/// The file stem of a document name (`dir/plan.txt` → `plan`); training
/// data groups sections by it.
pub fn doc_stem(doc: &str) -> String {
    Path::new(doc)
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| doc.to_string())
}

/// The queue item of task `i` of a tagged document, with its neighbours.
pub fn queue_item(tagged: &Tagged, i: usize, model_digest: &str) -> QueueItem {
    let task = &tagged.tasks[i];
    let pred = &tagged.predictions[i];
    let words = tagged.candidate_words.get(i);
    let neighbour = |j: usize| Neighbour {
        id: tagged.tasks[j].id.clone(),
        title: tagged.tasks[j].title.clone(),
        label: tagged.predictions[j].label.clone(),
        confidence: tagged.predictions[j].confidence,
    };
    QueueItem {
        doc: task.doc.clone(),
        id: task.id.clone(),
        kind: task.kind,
        path: task.path.clone(),
        title: task.title.clone(),
        text: task.text.clone(),
        confidence: pred.confidence,
        candidates: pred
            .top
            .iter()
            .enumerate()
            .map(|(c, cand)| QueueCandidate {
                label: cand.label.clone(),
                p: cand.p,
                words: words.and_then(|w| w.get(c)).cloned().unwrap_or_default(),
            })
            .collect(),
        model_digest: model_digest.to_string(),
        doc_title: tagged.title.clone(),
        before: (i.saturating_sub(NEIGHBOURS)..i).map(neighbour).collect(),
        after: (i + 1..tagged.tasks.len().min(i + 1 + NEIGHBOURS))
            .map(neighbour)
            .collect(),
    }
}

/// Collects the low-confidence tasks of tagged documents.
pub fn queue_items(tagged: &Tagged, model_digest: &str) -> Vec<QueueItem> {
    (0..tagged.tasks.len())
        .filter(|&i| tagged.predictions[i].low_confidence)
        .map(|i| queue_item(tagged, i, model_digest))
        .collect()
}

/// Sorts queue items most uncertain first (ties: document, then id).
pub fn sort_queue(items: &mut [QueueItem]) {
    items.sort_by(|a, b| {
        a.confidence
            .total_cmp(&b.confidence)
            .then_with(|| a.doc.cmp(&b.doc))
            .then_with(|| a.id.cmp(&b.id))
    });
}

/// Writes a queue, most uncertain first, atomically.
pub fn write_queue(path: &Path, mut items: Vec<QueueItem>) -> Result<usize> {
    sort_queue(&mut items);
    let mut bytes = Vec::new();
    for item in &items {
        serde_json::to_writer(&mut bytes, item).map_err(Error::serialize("review queue"))?;
        bytes.push(b'\n');
    }
    crate::input::write_atomic(path, &bytes)?;
    Ok(items.len())
}

/// Reads a queue file.
pub fn read_queue(path: &Path) -> Result<Vec<QueueItem>> {
    let text = fs::read_to_string(path).map_err(|source| Error::Io {
        path: path.to_path_buf(),
        source,
    })?;
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| {
            serde_json::from_str(l)
                .map_err(|e| Error::data(path, i + 1, format!("not a queue item: {e}")))
        })
        .collect()
}
