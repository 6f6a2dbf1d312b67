//! Two real `plan-tag review` processes (scripted) on one data folder,
//! killed with SIGKILL at random moments, again and again: after every
//! kill the decision file loads, no queued task has two decisions in
//! force, and every decision a process reported as saved is in the file
//! (retracted only by that process's own undo). At the end every task is
//! decided exactly once.

mod common;

use std::collections::{HashMap, HashSet};
use std::io::{Read, Write};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::Json;

const TASKS: usize = 200;

/// xorshift64*: random enough for kill times, reproducible by seed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

fn write_queue(path: &Path) {
    let mut out = String::new();
    for i in 0..TASKS {
        let item = serde_json::json!({
            "doc": "plans/shared.txt",
            "id": format!("一/（{i}）"),
            "kind": "task",
            "path": ["一、重点任务"],
            "title": format!("任务{i}"),
            "text": format!("第{i}项工作任务的正文。"),
            "confidence": 0.3 + i as f64 / 1000.0,
            "candidates": [
                {"label": "party", "p": 0.4, "words": []},
                {"label": "tcm", "p": 0.3, "words": []}
            ],
            "model_digest": "crc32:00000000"
        });
        out.push_str(&item.to_string());
        out.push('\n');
    }
    std::fs::write(path, out).unwrap();
}

/// A script of decisions with undos among them (never more undos than
/// decisions before them, so no line is refused).
fn script(rng: &mut Rng) -> String {
    let mut s = String::new();
    let mut undoable = 0;
    for _ in 0..TASKS * 2 {
        match rng.below(10) {
            0 | 1 if undoable > 0 => {
                s.push_str("undo\n");
                undoable -= 1;
            }
            2 => {
                s.push_str("2\n");
                undoable += 1;
            }
            _ => {
                s.push_str("accept\n");
                undoable += 1;
            }
        }
    }
    s
}

fn spawn(queue: &Path, data: &Path, reviewer: &str, script: &str) -> Child {
    let mut child = Command::new(env!("CARGO_BIN_EXE_plan-tag"))
        .args(["review", queue.to_str().unwrap(), "--data"])
        .arg(data)
        .args(["--reviewer", reviewer])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let script = script.to_string();
    // Written from a thread: a killed child must not block the test.
    std::thread::spawn(move || {
        let _ = stdin.write_all(script.as_bytes());
    });
    child
}

/// What one process reported: the tasks whose decision it saved and did
/// not undo, in order, and the tasks it undid.
#[derive(Default)]
struct Reported {
    raw: String,
    kept: Vec<String>,
    undone: Vec<String>,
}

fn parse_stdout(out: &str) -> Reported {
    let mut r = Reported {
        raw: out.to_string(),
        ..Reported::default()
    };
    for line in out.lines() {
        let (_, rest) = line.split_once(' ').unwrap();
        let (id, word) = rest.rsplit_once(": ").unwrap();
        if word == "undo" {
            let last = r.kept.pop().expect("an undo follows a decision");
            assert_eq!(last, id, "undo takes back the session's last decision");
            r.undone.push(last);
        } else {
            r.kept.push(id.to_string());
        }
    }
    r
}

/// Every line of the decision file: decisions (reviewer, task id, decision
/// id) and retractions (decision id, reviewer).
struct Log {
    decisions: Vec<(String, String, String)>,
    retracted: HashMap<String, String>,
}

fn read_log(data: &Path) -> Log {
    let text = std::fs::read_to_string(data.join("reviewed.jsonl")).unwrap_or_default();
    let mut log = Log {
        decisions: Vec::new(),
        retracted: HashMap::new(),
    };
    let n = text.lines().count();
    for (i, line) in text.lines().enumerate() {
        let Ok(v) = serde_json::from_str::<Json>(line) else {
            assert!(
                i + 1 == n && !text.ends_with('\n'),
                "line {} is torn but not the last: {line}",
                i + 1
            );
            continue;
        };
        if let Some(r) = v["retract"].as_str() {
            log.retracted
                .insert(r.to_string(), v["reviewer"].as_str().unwrap().to_string());
        } else {
            log.decisions.push((
                v["reviewer"].as_str().unwrap().to_string(),
                v["id"].as_str().unwrap().to_string(),
                v["decision"].as_str().unwrap().to_string(),
            ));
        }
    }
    log
}

/// The checks that hold after any kill.
fn check_folder(data: &Path, reports: &[(String, Reported, bool)]) -> HashMap<String, usize> {
    // The file loads for training.
    let (check, loaded) = plantag::data::check(data).unwrap();
    assert!(check.errors.is_empty(), "{:?}", check.errors);
    assert!(loaded.is_some());
    let log = read_log(data);
    // An undo only ever takes back a decision of its own session.
    let owner: HashMap<&str, &str> = log
        .decisions
        .iter()
        .map(|(who, _, d)| (d.as_str(), who.as_str()))
        .collect();
    for (d, who) in &log.retracted {
        assert_eq!(
            owner.get(d.as_str()),
            Some(&who.as_str()),
            "retraction of {d}"
        );
    }
    // No task has two decisions in force.
    let mut in_force: HashMap<String, usize> = HashMap::new();
    for (_, id, d) in &log.decisions {
        if !log.retracted.contains_key(d) {
            *in_force.entry(id.clone()).or_default() += 1;
        }
    }
    for (id, n) in &in_force {
        assert_eq!(*n, 1, "task {id} has {n} decisions in force");
    }
    // Nothing a process reported as saved is lost. A process killed right
    // after its undo was saved, but before it said so, may have one more
    // retracted decision than it reported: only its last one.
    for (who, r, killed) in reports {
        let mine: HashSet<&str> = log
            .decisions
            .iter()
            .filter(|(w, _, d)| w == who && !log.retracted.contains_key(d))
            .map(|(_, id, _)| id.as_str())
            .collect();
        for (k, id) in r.kept.iter().enumerate() {
            let last = k + 1 == r.kept.len();
            assert!(
                mine.contains(id.as_str()) || (*killed && last),
                "{who}: decision on {id} reported saved but not in force"
            );
        }
        // A decision saved just before the kill may be unreported: at
        // most one, and none from a process that ran to its end.
        let unreported: Vec<&&str> = mine
            .iter()
            .filter(|id| !r.kept.iter().any(|k| k == **id))
            .collect();
        assert!(
            unreported.len() <= usize::from(*killed),
            "{who} (killed {killed}): decisions in force it did not report: {unreported:?}\n{}",
            r.raw
        );
    }
    in_force
}

#[test]
fn two_review_processes_killed_at_random_lose_and_duplicate_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    std::fs::create_dir_all(data.join("labelled")).unwrap();
    for f in ["taxonomy.toml", "userdict.txt", "stopwords.txt"] {
        std::fs::copy(Path::new("training-data").join(f), data.join(f)).unwrap();
    }
    let queue = dir.path().join("queue.jsonl");
    write_queue(&queue);
    let seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos() as u64
        | 1;
    eprintln!("seed {seed}");
    let mut rng = Rng(seed);
    let mut reports: Vec<(String, Reported, bool)> = Vec::new();
    let started = Instant::now();
    let mut kills = 0;
    for round in 0..60 {
        let names = [format!("r{round}a"), format!("r{round}b")];
        let mut children: Vec<(String, Child, Duration)> = names
            .iter()
            .map(|n| {
                let s = script(&mut rng);
                let kill_after = Duration::from_millis(rng.below(25));
                (n.clone(), spawn(&queue, &data, n, &s), kill_after)
            })
            .collect();
        let t0 = Instant::now();
        for (name, child, kill_after) in &mut children {
            let wait = kill_after.saturating_sub(t0.elapsed());
            std::thread::sleep(wait);
            let killed = matches!(child.try_wait(), Ok(None));
            if killed {
                child.kill().unwrap();
                kills += 1;
            }
            let status = child.wait().unwrap();
            let mut out = String::new();
            child
                .stdout
                .take()
                .unwrap()
                .read_to_string(&mut out)
                .unwrap();
            let mut err = String::new();
            child
                .stderr
                .take()
                .unwrap()
                .read_to_string(&mut err)
                .unwrap();
            if !killed {
                assert!(status.success(), "{name}: {err}");
            }
            reports.push((name.clone(), parse_stdout(&out), killed));
        }
        let in_force = check_folder(&data, &reports);
        if in_force.len() == TASKS {
            break;
        }
    }
    assert!(kills >= 5, "only {kills} kills landed");
    // One last session without kills decides whatever is left.
    let mut last = spawn(&queue, &data, "last", &"accept\n".repeat(TASKS));
    let status = last.wait().unwrap();
    assert!(status.success());
    let mut out = String::new();
    last.stdout
        .take()
        .unwrap()
        .read_to_string(&mut out)
        .unwrap();
    reports.push(("last".into(), parse_stdout(&out), false));
    let in_force = check_folder(&data, &reports);
    assert_eq!(in_force.len(), TASKS, "every task decided once");
    // No session files are left behind once every session is gone, and
    // the next session cleans up after the killed ones.
    let sessions = data.join(".reviewed.jsonl.sessions");
    let left = std::fs::read_dir(&sessions).map(|d| d.count()).unwrap_or(0);
    assert_eq!(left, 0, "stale session files");
    eprintln!(
        "{} processes, {kills} killed, {:.1} s",
        reports.len(),
        started.elapsed().as_secs_f64()
    );
}
