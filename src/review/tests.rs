//! The review session: decisions saved, undone and resumed, several
//! sessions on one folder, and the queue items they show.

use super::*;
use crate::segment::Kind;
use crate::tagger::Tagged;
use std::fs;

pub(super) fn taxonomy() -> Taxonomy {
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

pub(super) fn item(id: &str, top: &str) -> QueueItem {
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
