//! Review stage: the queue of low-confidence tasks, the decisions people
//! make about them, and the store that turns every decision into training
//! data at once (appended, flushed and fsynced before the next task shows).
//!
//! Several sessions, in several terminals or by several reviewers, can
//! work on one data folder at the same time:
//! - `reviewed.jsonl` is only ever appended to, one whole line per write,
//!   under a lock (`.reviewed.lock`), so no session writes over another's
//!   lines; an undo is an appended line that retracts a decision by its id;
//! - each live session holds a lock on its own file in `.review-sessions/`
//!   that names the task it shows; another session hands out the next
//!   task instead, so no task is decided twice. A session that is killed
//!   loses its lock with its process, and its task goes back to the others;
//! - a write torn by a kill is cut off by the next writer, and every reader
//!   ignores a torn last line, so the file always loads.
//!
//! The queue is [`queue`], the decisions file and the sessions' presence
//! [`store`], the interactive screen [`screen`], a review read from lines
//! of input [`script`]; the session here is terminal-free so that scripts
//! and tests drive the same session.

mod queue;
pub mod screen;
mod script;
mod store;

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use crate::data::{Label, Section, TaskIdentity, Taxonomy};
use crate::error::{Error, Result};

pub use queue::*;
pub use script::*;
pub use store::*;

/// What happened to a queue item in this session (for undo).
#[derive(Debug, Clone)]
enum Action {
    Decided {
        item: usize,
        decision: String,
        changed: bool,
    },
    Skipped {
        item: usize,
    },
}

/// A review session over a queue: which item is current, what was done.
/// Other sessions on the same folder may run at the same time; each task
/// is shown to one of them at a time.
pub struct Session {
    pub items: Vec<QueueItem>,
    pub labels: Vec<Label>,
    store: DecisionStore,
    presence: Presence,
    sessions_dir: PathBuf,
    reviewer: String,
    id: String,
    decisions_made: usize,
    current: Option<usize>,
    /// Items this session skipped (they come back in the next session).
    skipped: HashSet<usize>,
    /// Items decided in any session, as of the last look at the log.
    decided: HashSet<usize>,
    /// Items other live sessions show now.
    elsewhere: HashSet<usize>,
    /// Reviewers of the other live sessions.
    others: Vec<String>,
    by_identity: HashMap<TaskIdentity, Vec<usize>>,
    history: Vec<Action>,
    /// Items decided before this session started (resumed).
    pub already_done: usize,
}

/// Counts for the progress line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    /// Queue items decided, in any session.
    pub done: usize,
    /// Items neither decided nor skipped here (some may be open elsewhere).
    pub remaining: usize,
    /// Decisions of this session, and how many differ from the model.
    pub decided_here: usize,
    pub changed: usize,
    pub skipped: usize,
    /// Items other sessions show now.
    pub elsewhere: usize,
}

impl Session {
    /// Starts (or resumes) a review: items already decided in the store
    /// are not asked again, items shown in other live sessions are left
    /// to them. A decision counts for the task it was made about (same
    /// text too), not for a namesake in another plan.
    pub fn new(
        queue: Vec<QueueItem>,
        taxonomy: &Taxonomy,
        decisions_path: &Path,
        reviewer: &str,
    ) -> Result<Self> {
        let store = DecisionStore::new(decisions_path);
        let lock = store.lock()?;
        let id = format!(
            "{}-{:x}",
            std::process::id(),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_nanos())
                .unwrap_or(0)
        );
        let sessions_dir = beside(decisions_path, "sessions");
        let presence = Presence::join(&sessions_dir, reviewer, &id)?;
        let mut by_identity: HashMap<TaskIdentity, Vec<usize>> = HashMap::new();
        for (i, item) in queue.iter().enumerate() {
            by_identity.entry(item.identity()).or_default().push(i);
        }
        let mut session = Session {
            items: queue,
            labels: taxonomy.labels.clone(),
            store,
            presence,
            sessions_dir,
            reviewer: reviewer.to_string(),
            id,
            decisions_made: 0,
            current: None,
            skipped: HashSet::new(),
            decided: HashSet::new(),
            elsewhere: HashSet::new(),
            others: Vec::new(),
            by_identity,
            history: Vec::new(),
            already_done: 0,
        };
        session.look(&lock, None)?;
        session.already_done = session.decided.len();
        Ok(session)
    }

    /// Reads the log and the other sessions, then shows `prefer` if it is
    /// still open, else the first open item in queue order, and says so in
    /// this session's file. Called with the lock held.
    fn look(&mut self, _lock: &StoreLock, prefer: Option<usize>) -> Result<()> {
        let decisions = self.store.read()?;
        let indices = |identity: &TaskIdentity| -> Vec<usize> {
            self.by_identity.get(identity).cloned().unwrap_or_default()
        };
        self.decided = decisions
            .iter()
            .flat_map(|d| indices(&d.section.identity()))
            .collect();
        let others = other_sessions(&self.sessions_dir, &self.presence.path);
        self.elsewhere = others
            .iter()
            .filter_map(|o| o.task.as_ref())
            .flat_map(indices)
            .collect();
        self.others = others.into_iter().map(|o| o.reviewer).collect();
        self.others.sort();
        let open = |i: &usize| !self.decided.contains(i) && !self.elsewhere.contains(i);
        self.current = prefer
            .filter(open)
            .or_else(|| (0..self.items.len()).find(|i| open(i) && !self.skipped.contains(i)));
        let task = self.current.map(|i| self.items[i].identity());
        self.presence.show(task)
    }

    pub fn current(&self) -> Option<&QueueItem> {
        self.current.map(|i| &self.items[i])
    }

    pub fn label(&self, id: &str) -> Option<&Label> {
        self.labels.iter().find(|l| l.id == id)
    }

    /// Reviewers of the other sessions open on this folder (as of the last
    /// action).
    pub fn others(&self) -> &[String] {
        &self.others
    }

    /// The label a reviewer means by `word`, as the screen takes it: a
    /// candidate's number (`1`–`9`), a label id, or a label's Chinese or
    /// English name (any case).
    pub fn resolve(&self, word: &str) -> Option<String> {
        let word = word.trim();
        if !word.is_empty() && word.chars().all(|c| c.is_ascii_digit()) {
            let n: usize = word.parse().ok()?;
            return self
                .current()?
                .candidates
                .get(n.checked_sub(1)?)
                .map(|c| c.label.clone());
        }
        let lower = word.to_lowercase();
        self.labels
            .iter()
            .find(|l| l.id == word || l.zh == word || l.en.to_lowercase() == lower)
            .map(|l| l.id.clone())
    }

    pub fn progress(&self) -> Progress {
        let mut p = Progress {
            done: self.decided.len(),
            remaining: (0..self.items.len())
                .filter(|i| !self.decided.contains(i) && !self.skipped.contains(i))
                .count(),
            decided_here: 0,
            changed: 0,
            skipped: self
                .skipped
                .iter()
                .filter(|i| !self.decided.contains(i))
                .count(),
            elsewhere: self.elsewhere.len(),
        };
        for a in &self.history {
            if let Action::Decided { changed, .. } = a {
                p.decided_here += 1;
                p.changed += usize::from(*changed);
            }
        }
        p
    }

    /// Records `label` (a label id) for the current item and moves on.
    pub fn decide(&mut self, label: &str) -> Result<()> {
        if self.label(label).is_none() {
            return Err(Error::UnknownLabel {
                label: label.to_string(),
                known_by: "the review's taxonomy".to_string(),
            });
        }
        let Some(idx) = self.current else {
            return Ok(());
        };
        let item = &self.items[idx];
        let predicted = item
            .candidates
            .first()
            .map(|c| c.label.clone())
            .unwrap_or_default();
        let id = format!("{}/{}", self.id, self.decisions_made + 1);
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
            decision: Some(id.clone()),
        };
        let lock = self.store.lock()?;
        self.store.append_line(&lock, &decision)?;
        self.decisions_made += 1;
        self.history.push(Action::Decided {
            item: idx,
            decision: id,
            changed: predicted != label,
        });
        self.look(&lock, None)
    }

    /// Accepts the model's top candidate.
    pub fn accept(&mut self) -> Result<()> {
        let Some(item) = self.current() else {
            return Ok(());
        };
        // `read_queue` takes no item without candidates.
        let Some(top) = item.candidates.first().map(|c| c.label.clone()) else {
            return Ok(());
        };
        self.decide(&top)
    }

    /// Leaves the current item undecided (it comes back next session, and
    /// other sessions may take it).
    pub fn skip(&mut self) -> Result<()> {
        let Some(idx) = self.current else {
            return Ok(());
        };
        self.skipped.insert(idx);
        self.history.push(Action::Skipped { item: idx });
        let lock = self.store.lock()?;
        self.look(&lock, None)
    }

    /// Undoes the last decision or skip of this session: a decision is
    /// retracted by an appended line, and the item becomes current again
    /// (unless another session has taken it meanwhile). Returns false when
    /// there is nothing to undo.
    pub fn undo(&mut self) -> Result<bool> {
        let Some(action) = self.history.pop() else {
            return Ok(false);
        };
        let lock = self.store.lock()?;
        let item = match action {
            Action::Decided { item, decision, .. } => {
                let it = &self.items[item];
                let retraction = Retraction {
                    retract: decision,
                    doc: doc_stem(&it.doc),
                    id: it.id.clone(),
                    reviewer: self.reviewer.clone(),
                    time: now(),
                };
                self.store.append_line(&lock, &retraction)?;
                item
            }
            Action::Skipped { item } => {
                self.skipped.remove(&item);
                item
            }
        };
        self.look(&lock, Some(item))?;
        Ok(true)
    }

    /// Looks at the log and the other sessions again (the screen does this
    /// now and then, so that progress shows what others did).
    pub fn refresh(&mut self) -> Result<()> {
        let lock = self.store.lock()?;
        let current = self.current;
        self.look(&lock, current)
    }
}

fn now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

#[cfg(test)]
mod tests;
