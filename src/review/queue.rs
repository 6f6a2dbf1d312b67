//! The review queue: low-confidence tasks with what a reviewer needs to
//! judge them (candidates, the plan title, the neighbouring tasks).

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::data::{task_identity, TaskIdentity};
use crate::error::{Error, Result};
use crate::io::{AtomicFile, Spill};
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

/// The queue's order: most uncertain first (ties: document, then id).
fn queue_order(a: (f64, &str, &str), b: (f64, &str, &str)) -> std::cmp::Ordering {
    a.0.total_cmp(&b.0)
        .then_with(|| a.1.cmp(b.1))
        .then_with(|| a.2.cmp(b.2))
}

/// Sorts queue items most uncertain first (ties: document, then id).
pub fn sort_queue(items: &mut [QueueItem]) {
    items.sort_by(|a, b| queue_order((a.confidence, &a.doc, &a.id), (b.confidence, &b.doc, &b.id)));
}

/// A queue written as tagging goes: each item is set aside on disk as it
/// comes and only its sort key stays in memory, so the queue of a run over
/// many plans costs a few dozen bytes per queued task. [`QueueWriter::finish`]
/// writes the file in queue order, atomically.
pub struct QueueWriter {
    path: PathBuf,
    spill: Option<Spill>,
    /// Document names, each once (items refer to them by index).
    docs: Vec<String>,
    keys: Vec<QueueKey>,
}

struct QueueKey {
    confidence: f64,
    doc: usize,
    id: Box<str>,
    at: (u64, usize),
}

impl QueueWriter {
    pub fn new(path: PathBuf) -> Self {
        QueueWriter {
            path,
            spill: None,
            docs: Vec::new(),
            keys: Vec::new(),
        }
    }

    /// Sets an item aside.
    pub fn push(&mut self, item: &QueueItem) -> Result<()> {
        let spill = match &mut self.spill {
            Some(spill) => spill,
            None => self.spill.insert(Spill::beside(&self.path)?),
        };
        let mut line = serde_json::to_vec(item).map_err(Error::serialize("review queue"))?;
        line.push(b'\n');
        let at = spill.push(&line)?;
        if self.docs.last() != Some(&item.doc) {
            self.docs.push(item.doc.clone());
        }
        self.keys.push(QueueKey {
            confidence: item.confidence,
            doc: self.docs.len() - 1,
            id: item.id.as_str().into(),
            at,
        });
        Ok(())
    }

    /// Writes the queue, most uncertain first; returns how many items.
    pub fn finish(mut self) -> Result<usize> {
        let docs = &self.docs;
        self.keys.sort_by(|a, b| {
            queue_order(
                (a.confidence, &docs[a.doc], &a.id),
                (b.confidence, &docs[b.doc], &b.id),
            )
        });
        let mut file = AtomicFile::create(&self.path)?;
        let mut line = Vec::new();
        for key in &self.keys {
            let spill = self.spill.as_mut().expect("items were spilled");
            spill.read(key.at, &mut line)?;
            file.write_all(&line).map_err(|source| Error::Write {
                path: self.path.clone(),
                source,
            })?;
        }
        file.commit()?;
        Ok(self.keys.len())
    }
}

/// Writes a queue, most uncertain first, atomically.
pub fn write_queue(path: &Path, items: &[QueueItem]) -> Result<usize> {
    let mut writer = QueueWriter::new(path.to_path_buf());
    for item in items {
        writer.push(item)?;
    }
    writer.finish()
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
            let item: QueueItem = serde_json::from_str(l)
                .map_err(|e| Error::data(path, i + 1, format!("not a queue item: {e}")))?;
            if item.candidates.is_empty() {
                return Err(Error::data(path, i + 1, "queue item has no candidates"));
            }
            Ok(item)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(doc: &str, id: &str, confidence: f64) -> QueueItem {
        QueueItem {
            doc: doc.into(),
            id: id.into(),
            kind: Kind::Task,
            path: vec!["一、总体要求".into()],
            title: String::new(),
            text: format!("{doc} {id} 的任务"),
            confidence,
            candidates: vec![QueueCandidate {
                label: "general".into(),
                p: confidence,
                words: Vec::new(),
            }],
            model_digest: "d".into(),
            doc_title: None,
            before: Vec::new(),
            after: Vec::new(),
        }
    }

    /// Items come in document order and leave most uncertain first, ties
    /// by document then id, whole; the spill is gone afterwards.
    #[test]
    fn the_queue_is_written_in_queue_order_from_the_spill() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("queue.jsonl");
        let items = [
            item("b.txt", "2", 0.4),
            item("b.txt", "1", 0.4),
            item("a.txt", "9", 0.4),
            item("a.txt", "1", 0.2),
            item("c.txt", "一", 0.9),
            item("a.txt", "3", 0.1),
        ];
        assert_eq!(write_queue(&path, &items).unwrap(), items.len());
        let mut expected = items.to_vec();
        sort_queue(&mut expected);
        let order: Vec<(&str, &str)> = expected
            .iter()
            .map(|i| (i.doc.as_str(), i.id.as_str()))
            .collect();
        assert_eq!(
            order,
            [
                ("a.txt", "3"),
                ("a.txt", "1"),
                ("a.txt", "9"),
                ("b.txt", "1"),
                ("b.txt", "2"),
                ("c.txt", "一")
            ]
        );
        assert_eq!(read_queue(&path).unwrap(), expected);
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
        assert_eq!(write_queue(&path, &[]).unwrap(), 0);
        assert!(read_queue(&path).unwrap().is_empty());
    }

    #[test]
    fn a_queue_item_without_candidates_is_refused_with_its_line() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("queue.jsonl");
        let mut bare = item("a.txt", "1", 0.3);
        bare.candidates.clear();
        write_queue(&path, &[item("a.txt", "2", 0.2), bare]).unwrap();
        let e = read_queue(&path).unwrap_err().to_string();
        assert!(
            e.ends_with("queue.jsonl:2: queue item has no candidates"),
            "{e}"
        );
    }
}
