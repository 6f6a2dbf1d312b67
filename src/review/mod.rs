//! Review stage: the queue of low-confidence tasks, the decisions a person
//! makes about them, and the store that turns every decision into training
//! data at once (appended, flushed and fsynced before the next task shows).
//! The interactive screen lives in [`screen`]; everything here is
//! terminal-free so that scripts and tests drive the same session.

pub mod screen;

use std::fs::{self, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::app::Tagged;
use crate::data::{task_identity, Label, Section, TaskIdentity, Taxonomy};
use crate::error::{Error, Result};
use crate::segment::Kind;

/// One candidate label in the queue.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QueueCandidate {
    pub label: String,
    pub p: f64,
    /// Words of the text that favour this label (for highlighting).
    #[serde(default)]
    pub words: Vec<String>,
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
}

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

/// Collects the low-confidence tasks of tagged documents.
pub fn queue_items(tagged: &Tagged, model_digest: &str) -> Vec<QueueItem> {
    let mut out = Vec::new();
    for ((task, pred), words) in tagged
        .tasks
        .iter()
        .zip(&tagged.predictions)
        .zip(&tagged.candidate_words)
    {
        if !pred.low_confidence {
            continue;
        }
        out.push(QueueItem {
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
                .map(|(i, c)| QueueCandidate {
                    label: c.label.clone(),
                    p: c.p,
                    words: words.get(i).cloned().unwrap_or_default(),
                })
                .collect(),
            model_digest: model_digest.to_string(),
        });
    }
    out
}

/// Writes a queue, most uncertain first, atomically.
pub fn write_queue(path: &Path, mut items: Vec<QueueItem>) -> Result<usize> {
    items.sort_by(|a, b| {
        a.confidence
            .total_cmp(&b.confidence)
            .then_with(|| a.doc.cmp(&b.doc))
            .then_with(|| a.id.cmp(&b.id))
    });
    let mut bytes = Vec::new();
    for item in &items {
        serde_json::to_writer(&mut bytes, item).map_err(|e| Error::Param(e.to_string()))?;
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

/// A review decision as stored in `reviewed.jsonl`: a training section
/// plus who decided, when, and what the model had said.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Decision {
    #[serde(flatten)]
    pub section: Section,
    pub predicted: String,
    pub model_digest: String,
    pub reviewer: String,
    /// Unix time of the decision.
    pub time: u64,
}

/// The append-only decision file.
pub struct DecisionStore {
    path: PathBuf,
}

impl DecisionStore {
    /// Opens (and if needed repairs) the store: a torn last line from a
    /// killed session is removed so the file always loads.
    pub fn open(path: &Path) -> Result<(Self, Vec<Decision>)> {
        let mut decisions = Vec::new();
        if path.exists() {
            let text = fs::read_to_string(path).map_err(|source| Error::Io {
                path: path.to_path_buf(),
                source,
            })?;
            let mut good = String::with_capacity(text.len());
            let n = text.lines().count();
            for (i, line) in text.lines().enumerate() {
                if line.trim().is_empty() {
                    continue;
                }
                match serde_json::from_str::<Decision>(line) {
                    Ok(d) => {
                        decisions.push(d);
                        good.push_str(line);
                        good.push('\n');
                    }
                    Err(_) if i + 1 == n && !text.ends_with('\n') => {}
                    Err(e) => {
                        // Hand-written or hand-labelled lines are kept as they
                        // are; only decisions are tracked for resuming.
                        if serde_json::from_str::<Section>(line).is_err() {
                            return Err(Error::data(path, i + 1, format!("invalid line: {e}")));
                        }
                        good.push_str(line);
                        good.push('\n');
                    }
                }
            }
            if good != text {
                crate::input::write_atomic(path, good.as_bytes())?;
            }
        }
        Ok((
            DecisionStore {
                path: path.to_path_buf(),
            },
            decisions,
        ))
    }

    /// Appends one decision as a single write, then fsyncs.
    pub fn append(&self, d: &Decision) -> Result<()> {
        let mut line = serde_json::to_vec(d).map_err(|e| Error::Param(e.to_string()))?;
        line.push(b'\n');
        let write = || -> std::io::Result<()> {
            let mut f = OpenOptions::new()
                .create(true)
                .append(true)
                .open(&self.path)?;
            f.write_all(&line)?;
            f.sync_all()
        };
        write().map_err(|source| Error::Write {
            path: self.path.clone(),
            source,
        })
    }

    /// Removes the last decision about a task (temporary file + rename).
    pub fn remove_last(&self, task: &TaskIdentity) -> Result<()> {
        let text = fs::read_to_string(&self.path).map_err(|source| Error::Io {
            path: self.path.clone(),
            source,
        })?;
        let lines: Vec<&str> = text.lines().collect();
        let last = lines.iter().rposition(|l| {
            serde_json::from_str::<Section>(l)
                .map(|s| s.identity() == *task)
                .unwrap_or(false)
        });
        let mut out = String::with_capacity(text.len());
        for (i, l) in lines.iter().enumerate() {
            if Some(i) != last {
                out.push_str(l);
                out.push('\n');
            }
        }
        crate::input::write_atomic(&self.path, out.as_bytes())
    }
}

/// What happened to a queue item in this session (for undo).
#[derive(Debug, Clone)]
enum Action {
    Decided { item: usize, changed: bool },
    Skipped { item: usize },
}

/// A review session over a queue: which item is current, what was done.
pub struct Session {
    pub items: Vec<QueueItem>,
    pub labels: Vec<Label>,
    store: DecisionStore,
    reviewer: String,
    /// Items still to show, in queue order.
    pending: Vec<usize>,
    history: Vec<Action>,
    /// Items decided before this session (resumed).
    pub already_done: usize,
}

/// Counts for the progress line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    pub done: usize,
    pub remaining: usize,
    pub changed: usize,
    pub skipped: usize,
}

impl Session {
    /// Starts (or resumes) a review: items already decided in the store
    /// are not asked again. A decision counts for the task it was made
    /// about (same text too), not for a namesake in another plan.
    pub fn new(
        queue: Vec<QueueItem>,
        taxonomy: &Taxonomy,
        decisions_path: &Path,
        reviewer: &str,
    ) -> Result<Self> {
        let (store, decisions) = DecisionStore::open(decisions_path)?;
        let decided: std::collections::HashSet<TaskIdentity> =
            decisions.iter().map(|d| d.section.identity()).collect();
        let pending: Vec<usize> = (0..queue.len())
            .filter(|&i| !decided.contains(&queue[i].identity()))
            .collect();
        Ok(Session {
            already_done: queue.len() - pending.len(),
            items: queue,
            labels: taxonomy.labels.clone(),
            store,
            reviewer: reviewer.to_string(),
            pending,
            history: Vec::new(),
        })
    }

    pub fn current(&self) -> Option<&QueueItem> {
        self.pending.first().map(|&i| &self.items[i])
    }

    pub fn label(&self, id: &str) -> Option<&Label> {
        self.labels.iter().find(|l| l.id == id)
    }

    pub fn progress(&self) -> Progress {
        let mut p = Progress {
            done: self.already_done,
            remaining: self.pending.len(),
            changed: 0,
            skipped: 0,
        };
        for a in &self.history {
            match a {
                Action::Decided { changed, .. } => {
                    p.done += 1;
                    if *changed {
                        p.changed += 1;
                    }
                }
                Action::Skipped { .. } => p.skipped += 1,
            }
        }
        p
    }

    /// Records `label` for the current item and moves on.
    pub fn decide(&mut self, label: &str) -> Result<()> {
        if self.label(label).is_none() {
            return Err(Error::Param(format!("unknown label `{label}`")));
        }
        let Some(&idx) = self.pending.first() else {
            return Ok(());
        };
        let item = &self.items[idx];
        let predicted = item
            .candidates
            .first()
            .map(|c| c.label.clone())
            .unwrap_or_default();
        let decision = Decision {
            section: Section {
                id: item.id.clone(),
                doc: doc_stem(&item.doc),
                path: item.path.clone(),
                title: item.title.clone(),
                text: item.text.clone(),
                label: label.to_string(),
                secondary: Vec::new(),
                note: None,
                source: Some("review".to_string()),
            },
            predicted: predicted.clone(),
            model_digest: item.model_digest.clone(),
            reviewer: self.reviewer.clone(),
            time: now(),
        };
        self.store.append(&decision)?;
        self.pending.remove(0);
        self.history.push(Action::Decided {
            item: idx,
            changed: predicted != label,
        });
        Ok(())
    }

    /// Accepts the model's top candidate.
    pub fn accept(&mut self) -> Result<()> {
        let Some(item) = self.current() else {
            return Ok(());
        };
        let top = item
            .candidates
            .first()
            .map(|c| c.label.clone())
            .ok_or_else(|| Error::Param("queue item has no candidates".into()))?;
        self.decide(&top)
    }

    /// Leaves the current item undecided (it comes back next session).
    pub fn skip(&mut self) {
        if !self.pending.is_empty() {
            let idx = self.pending.remove(0);
            self.history.push(Action::Skipped { item: idx });
        }
    }

    /// Undoes the last decision or skip of this session; the item becomes
    /// current again. Returns false when there is nothing to undo.
    pub fn undo(&mut self) -> Result<bool> {
        let Some(action) = self.history.pop() else {
            return Ok(false);
        };
        let item = match action {
            Action::Decided { item, .. } => {
                self.store.remove_last(&self.items[item].identity())?;
                item
            }
            Action::Skipped { item } => item,
        };
        self.pending.insert(0, item);
        Ok(true)
    }
}

fn now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

/// What a scripted review did.
#[derive(Debug, Default, Clone, Copy)]
pub struct ScriptSummary {
    pub decided: usize,
    pub changed: usize,
    pub skipped: usize,
    pub remaining: usize,
}

/// Runs a review from lines of input, one decision per line: `accept`, a
/// label id, `skip`, `undo`, or `quit`. Bad lines are reported through
/// `on_error` and the same item is asked again.
pub fn run_script(
    session: &mut Session,
    input: impl std::io::BufRead,
    mut out: impl Write,
    mut on_error: impl FnMut(&str),
) -> Result<ScriptSummary> {
    for line in input.lines() {
        let line = line.map_err(|e| Error::Param(format!("reading decisions: {e}")))?;
        let word = line.trim();
        if word.is_empty() || word.starts_with('#') {
            continue;
        }
        let Some(item) = session.current() else {
            break;
        };
        let shown = format!("{} {}", item.doc, item.id);
        match word {
            "accept" => session.accept()?,
            "skip" => session.skip(),
            "undo" => {
                if !session.undo()? {
                    on_error("nothing to undo");
                }
                continue;
            }
            "quit" | "q" => break,
            label => {
                if let Err(e) = session.decide(label) {
                    on_error(&e.to_string());
                    continue;
                }
            }
        }
        let _ = writeln!(out, "{shown}: {word}");
        if session.current().is_none() {
            break;
        }
    }
    let p = session.progress();
    Ok(ScriptSummary {
        decided: p.done - session.already_done,
        changed: p.changed,
        skipped: p.skipped,
        remaining: p.remaining,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn taxonomy() -> Taxonomy {
        toml::from_str(
            "[[label]]\nid = \"party\"\nzh = \"党建\"\nen = \"Party\"\n[[label]]\nid = \"tcm\"\nzh = \"中医药\"\nen = \"TCM\"\n",
        )
        .unwrap()
    }

    impl QueueItem {
        fn key_for_test(&self) -> (String, String) {
            (doc_stem(&self.doc), self.id.clone())
        }
    }

    fn item(id: &str, top: &str) -> QueueItem {
        QueueItem {
            doc: "plans/p.txt".into(),
            id: id.into(),
            kind: Kind::Task,
            path: vec![],
            title: String::new(),
            text: format!("任务{id}"),
            confidence: 0.4,
            candidates: vec![QueueCandidate {
                label: top.into(),
                p: 0.4,
                words: vec![],
            }],
            model_digest: "crc32:0".into(),
        }
    }

    #[test]
    fn decisions_are_saved_undone_and_resumed() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("reviewed.jsonl");
        let queue = vec![item("1", "party"), item("2", "party"), item("3", "tcm")];
        let mut s = Session::new(queue.clone(), &taxonomy(), &file, "me").unwrap();
        s.accept().unwrap();
        s.decide("tcm").unwrap();
        assert!(s.decide("nope").is_err());
        assert_eq!(s.progress().changed, 1);
        assert!(s.undo().unwrap());
        assert_eq!(s.current().unwrap().id, "2");
        assert_eq!(fs::read_to_string(&file).unwrap().lines().count(), 1);
        s.skip();
        assert_eq!(s.current().unwrap().id, "3");

        let resumed = Session::new(queue, &taxonomy(), &file, "me").unwrap();
        assert_eq!(resumed.already_done, 1);
        assert_eq!(resumed.current().unwrap().id, "2");
        let d: Decision =
            serde_json::from_str(fs::read_to_string(&file).unwrap().lines().next().unwrap())
                .unwrap();
        assert_eq!((d.section.doc.as_str(), d.section.id.as_str()), ("p", "1"));
        assert_eq!(d.section.source.as_deref(), Some("review"));
        assert_eq!(d.predicted, "party");
        assert_eq!(d.reviewer, "me");
    }

    #[test]
    fn torn_last_line_is_dropped_on_open() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("reviewed.jsonl");
        let mut s = Session::new(vec![item("1", "party")], &taxonomy(), &file, "me").unwrap();
        s.accept().unwrap();
        let mut text = fs::read_to_string(&file).unwrap();
        text.push_str("{\"id\":\"2\",\"doc\":\"p\",\"te");
        fs::write(&file, &text).unwrap();
        let (_, decisions) = DecisionStore::open(&file).unwrap();
        assert_eq!(decisions.len(), 1);
        assert!(fs::read_to_string(&file).unwrap().ends_with("}\n"));
    }

    #[test]
    fn script_reads_one_decision_per_line() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("reviewed.jsonl");
        let queue = vec![item("1", "party"), item("2", "party"), item("3", "tcm")];
        let mut s = Session::new(queue, &taxonomy(), &file, "me").unwrap();
        let mut errors = Vec::new();
        let summary = run_script(
            &mut s,
            "accept\nbogus\ntcm\nskip\n".as_bytes(),
            Vec::new(),
            |e| errors.push(e.to_string()),
        )
        .unwrap();
        assert_eq!(
            (summary.decided, summary.changed, summary.skipped),
            (2, 1, 1)
        );
        assert_eq!(errors.len(), 1);
    }

    #[test]
    fn a_decision_does_not_stand_for_a_namesake_in_another_plan() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("reviewed.jsonl");
        let mut other_year = item("1", "party");
        other_year.doc = "2021/p.txt".into();
        other_year.text = "另一年的任务".into();
        let queue = vec![item("1", "party"), other_year];
        assert_eq!(queue[0].key_for_test(), queue[1].key_for_test());

        let mut s = Session::new(queue.clone(), &taxonomy(), &file, "me").unwrap();
        s.accept().unwrap();
        let resumed = Session::new(queue.clone(), &taxonomy(), &file, "me").unwrap();
        assert_eq!(resumed.already_done, 1);
        assert_eq!(resumed.current().unwrap().text, "另一年的任务");

        // Undo takes back the decision about its own task only.
        let mut s = resumed;
        s.decide("tcm").unwrap();
        assert!(s.undo().unwrap());
        let (_, decisions) = DecisionStore::open(&file).unwrap();
        assert_eq!(decisions.len(), 1);
        assert_eq!(decisions[0].section.text, "任务1");
    }
}
