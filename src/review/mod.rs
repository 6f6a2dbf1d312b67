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
//! [`store`], the interactive screen [`screen`]; the session here is
//! terminal-free so that scripts and tests drive the same session.

mod queue;
pub mod screen;
mod store;

use std::collections::{HashMap, HashSet};
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::data::{Label, Section, TaskIdentity, Taxonomy};
use crate::error::{Error, Result};

pub use queue::*;
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

/// What a scripted review did.
#[derive(Debug, Default, Clone, Copy)]
pub struct ScriptSummary {
    pub decided: usize,
    pub changed: usize,
    pub skipped: usize,
    pub remaining: usize,
}

/// Runs a review from lines of input, one decision per line: `accept`, a
/// candidate's number, a label id or a label's Chinese or English name,
/// `skip`, `undo`, or `quit`. Each step is printed to `out` as
/// `DOC ID: LABEL` (or `skip`, `undo`) once it is saved. A line that names
/// no label stops the run with an error naming the line: the decisions
/// before it are saved, and none after it is guessed at.
pub fn run_script(
    session: &mut Session,
    input: impl std::io::BufRead,
    mut out: impl Write,
) -> Result<ScriptSummary> {
    for (n, line) in input.lines().enumerate() {
        let line = line.map_err(Error::Stdin)?;
        let word = line.trim();
        if word.is_empty() || word.starts_with('#') {
            continue;
        }
        if word == "undo" {
            let last = session.history.last().map(|a| match a {
                Action::Decided { item, .. } | Action::Skipped { item } => *item,
            });
            if session.undo()? {
                if let Some(i) = last {
                    let it = &session.items[i];
                    let _ = writeln!(out, "{} {}: undo", it.doc, it.id);
                }
            } else {
                return Err(Error::data(
                    "standard input",
                    n + 1,
                    "nothing to undo in this session",
                ));
            }
            continue;
        }
        if matches!(word, "quit" | "q") {
            break;
        }
        let Some(item) = session.current() else {
            break;
        };
        let shown = format!("{} {}", item.doc, item.id);
        let n_candidates = item.candidates.len();
        match word {
            "accept" => {
                let label = item.candidates.first().map(|c| c.label.clone());
                session.accept()?;
                let _ = writeln!(out, "{shown}: {}", label.unwrap_or_default());
            }
            "skip" | "s" => {
                session.skip()?;
                let _ = writeln!(out, "{shown}: skip");
            }
            _ => match session.resolve(word) {
                Some(label) => {
                    session.decide(&label)?;
                    let _ = writeln!(out, "{shown}: {label}");
                }
                None => {
                    return Err(Error::data(
                        "standard input",
                        n + 1,
                        format!(
                            "`{word}` names no label: not a candidate number (1-{n_candidates}), \
                             a label id, or a label's Chinese or English name; the decisions \
                             before this line are saved"
                        ),
                    ))
                }
            },
        }
        let _ = out.flush();
    }
    let p = session.progress();
    Ok(ScriptSummary {
        decided: p.decided_here,
        changed: p.changed,
        skipped: p.skipped,
        remaining: p.remaining,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::segment::Kind;
    use crate::tagger::Tagged;
    use std::fs;

    fn taxonomy() -> Taxonomy {
        toml::from_str(
            "[[label]]\nid = \"party\"\nzh = \"党建\"\nen = \"Party\"\n[[label]]\nid = \"tcm\"\nzh = \"中医药\"\nen = \"Traditional Chinese medicine\"\n",
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
            candidates: vec![
                QueueCandidate {
                    label: top.into(),
                    p: 0.4,
                    words: vec![],
                },
                QueueCandidate {
                    label: if top == "party" { "tcm" } else { "party" }.into(),
                    p: 0.3,
                    words: vec![],
                },
            ],
            model_digest: "crc32:0".into(),
            doc_title: None,
            before: vec![],
            after: vec![],
        }
    }

    fn lines(file: &Path) -> usize {
        fs::read_to_string(file).unwrap().lines().count()
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
        // The undo is an appended line; one decision is in force.
        assert_eq!(lines(&file), 3);
        assert_eq!(DecisionStore::open(&file).unwrap().1.len(), 1);
        s.skip().unwrap();
        assert_eq!(s.current().unwrap().id, "3");
        drop(s);

        let resumed = Session::new(queue, &taxonomy(), &file, "me").unwrap();
        assert_eq!(resumed.already_done, 1);
        assert_eq!(resumed.current().unwrap().id, "2");
        let d = &DecisionStore::open(&file).unwrap().1[0];
        assert_eq!((d.section.doc.as_str(), d.section.id.as_str()), ("p", "1"));
        assert_eq!(d.section.source.as_deref(), Some("review"));
        assert_eq!(d.predicted, "party");
        assert_eq!(d.reviewer, "me");
        assert!(d.decision.is_some());
    }

    #[test]
    fn a_torn_last_line_is_ignored_and_cut_off_by_the_next_write() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("reviewed.jsonl");
        let queue = vec![item("1", "party"), item("2", "party")];
        let mut s = Session::new(queue.clone(), &taxonomy(), &file, "me").unwrap();
        s.accept().unwrap();
        drop(s);
        let mut text = fs::read_to_string(&file).unwrap();
        text.push_str("{\"id\":\"2\",\"doc\":\"p\",\"te");
        fs::write(&file, &text).unwrap();
        let (_, decisions) = DecisionStore::open(&file).unwrap();
        assert_eq!(decisions.len(), 1);
        let mut s = Session::new(queue, &taxonomy(), &file, "me").unwrap();
        s.accept().unwrap();
        let text = fs::read_to_string(&file).unwrap();
        assert!(!text.contains("\"te{"), "{text}");
        assert_eq!(text.lines().count(), 2);
        assert_eq!(DecisionStore::open(&file).unwrap().1.len(), 2);
    }

    #[test]
    fn a_hand_written_last_line_without_line_end_is_kept() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("reviewed.jsonl");
        fs::write(
            &file,
            r#"{"id":"9","doc":"q","text":"手写","label":"party"}"#,
        )
        .unwrap();
        let mut s = Session::new(vec![item("1", "party")], &taxonomy(), &file, "me").unwrap();
        s.accept().unwrap();
        let text = fs::read_to_string(&file).unwrap();
        assert!(text.starts_with(r#"{"id":"9","doc":"q","text":"手写","label":"party"}"#));
        assert_eq!(text.lines().count(), 2);
    }

    #[test]
    fn two_sessions_share_a_queue_without_deciding_a_task_twice() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("reviewed.jsonl");
        let queue = vec![item("1", "party"), item("2", "party"), item("3", "tcm")];
        let mut a = Session::new(queue.clone(), &taxonomy(), &file, "ann").unwrap();
        let mut b = Session::new(queue.clone(), &taxonomy(), &file, "bo").unwrap();
        assert_eq!(a.current().unwrap().id, "1");
        assert_eq!(b.current().unwrap().id, "2", "b leaves a's task to a");
        assert_eq!(b.progress().elsewhere, 1);
        assert_eq!(b.others(), ["ann"]);
        b.accept().unwrap();
        assert_eq!(b.current().unwrap().id, "3");
        a.accept().unwrap();
        assert!(a.current().is_none(), "2 is decided, 3 is b's");
        // a's undo comes back to its own task; b's lines stay.
        assert!(a.undo().unwrap());
        assert_eq!(a.current().unwrap().id, "1");
        b.accept().unwrap();
        a.decide("tcm").unwrap();
        let decisions = DecisionStore::open(&file).unwrap().1;
        let mut ids: Vec<&str> = decisions.iter().map(|d| d.section.id.as_str()).collect();
        ids.sort();
        assert_eq!(ids, ["1", "2", "3"]);
        assert_eq!(
            decisions
                .iter()
                .find(|d| d.section.id == "1")
                .unwrap()
                .section
                .label,
            "tcm"
        );
        // A session that ends hands its task back.
        let mut c = Session::new(
            vec![item("4", "party"), item("5", "party")],
            &taxonomy(),
            &file,
            "cy",
        )
        .unwrap();
        assert_eq!(c.current().unwrap().id, "4");
        let d = Session::new(
            vec![item("4", "party"), item("5", "party")],
            &taxonomy(),
            &file,
            "di",
        )
        .unwrap();
        assert_eq!(d.current().unwrap().id, "5");
        drop(d);
        c.accept().unwrap();
        assert_eq!(c.current().unwrap().id, "5");
    }

    #[test]
    fn script_takes_numbers_and_names_and_stops_at_an_unknown_label() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("reviewed.jsonl");
        let queue: Vec<QueueItem> = (1..=6).map(|i| item(&i.to_string(), "party")).collect();
        let mut s = Session::new(queue, &taxonomy(), &file, "me").unwrap();
        let mut out = Vec::new();
        let summary = run_script(
            &mut s,
            "accept\n2\n中医药\ntraditional chinese MEDICINE\nskip\n".as_bytes(),
            &mut out,
        )
        .unwrap();
        assert_eq!(
            (summary.decided, summary.changed, summary.skipped),
            (4, 3, 1)
        );
        let out = String::from_utf8(out).unwrap();
        assert!(
            out.starts_with("plans/p.txt 1: party\nplans/p.txt 2: tcm\n"),
            "{out}"
        );
        for bad in ["5", "Medical", "0", "tcm2"] {
            let err = run_script(&mut s, format!("{bad}\naccept\n").as_bytes(), Vec::new())
                .unwrap_err()
                .to_string();
            assert!(err.starts_with("standard input:1: `"), "{err}");
            assert!(err.contains(bad), "{err}");
        }
        assert_eq!(s.progress().decided_here, 4, "nothing after a bad line");
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
        drop(s);
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

    #[test]
    fn queue_items_carry_title_and_neighbours() {
        use crate::classify::{Candidate, Prediction};
        let task = |id: &str| crate::segment::Task {
            doc: "d.txt".into(),
            id: id.into(),
            kind: Kind::Task,
            path: vec![],
            title: format!("标题{id}"),
            text: format!("正文{id}"),
            start: 0,
            end: 0,
            line_start: 1,
            line_end: 1,
        };
        let pred = |label: &str, low: bool| Prediction {
            label: label.into(),
            label_name: String::new(),
            confidence: if low { 0.4 } else { 0.9 },
            top: vec![Candidate {
                label: label.into(),
                p: 0.4,
            }],
            low_confidence: low,
            secondary: vec![],
            explain: None,
        };
        let tagged = Tagged {
            doc: "d.txt".into(),
            title: Some("某市工作要点".into()),
            warnings: vec![],
            tasks: ["1", "2", "3", "4"].iter().map(|i| task(i)).collect(),
            predictions: vec![
                pred("party", false),
                pred("tcm", false),
                pred("party", true),
                pred("tcm", false),
            ],
            candidate_words: vec![vec![]; 4],
        };
        let items = queue_items(&tagged, "crc32:0");
        assert_eq!(items.len(), 1);
        let it = &items[0];
        assert_eq!(it.doc_title.as_deref(), Some("某市工作要点"));
        let ids = |n: &[Neighbour]| n.iter().map(|n| n.id.clone()).collect::<Vec<_>>();
        assert_eq!(ids(&it.before), ["1", "2"]);
        assert_eq!(ids(&it.after), ["4"]);
        assert_eq!(it.after[0].label, "tcm");
    }
}
