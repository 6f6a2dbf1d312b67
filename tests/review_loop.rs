//! The review loop end to end: tag, queue, review by script and through a
//! real pseudo-terminal, retrain, tag again.

mod common;

use std::path::Path;
use std::process::Command;

use common::{run, Json};

const PLAN: &str = "2024年某市卫生健康工作要点\n一、重点任务\n（一）推进智慧医院建设。建设互联网医院，推广电子病历和远程会诊，推进检查检验结果互认。\n（二）加强控烟宣传。开展无烟单位创建，普及健康知识，提升居民健康素养。\n（三）做好学校卫生工作。加强学生近视、肥胖防控，开展传染病晨检和因病缺课追踪。\n";

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

fn queue_of(plan: &Path, queue: &Path, model: Option<&Path>) -> Vec<Json> {
    let mut args = vec![
        "--format",
        "jsonl",
        "--min-confidence",
        "1",
        "--review-queue",
        queue.to_str().unwrap(),
    ];
    if let Some(m) = model {
        args.extend(["--model", m.to_str().unwrap()]);
    }
    args.push(plan.to_str().unwrap());
    let out = run(&args, None);
    assert_eq!(out.status, 0, "{}", out.stderr);
    std::fs::read_to_string(queue)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[test]
fn review_retrain_and_tag_again() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    copy_dir(Path::new("training-data"), &data);
    let plan = dir.path().join("newplan.txt");
    std::fs::write(&plan, PLAN).unwrap();
    let queue = dir.path().join("queue.jsonl");

    // The model before review: trained from this data folder, the way the
    // model after review will be.
    let before = dir.path().join("before.model");
    let train = common::run_train(&[
        "--data",
        data.to_str().unwrap(),
        "--out",
        before.to_str().unwrap(),
    ]);
    assert_eq!(train.status, 0, "{}", train.stderr);
    let items = queue_of(&plan, &queue, Some(&before));
    let tasks: Vec<&Json> = items.iter().filter(|i| i["kind"] == "task").collect();
    assert_eq!(tasks.len(), 3);
    let confidences: Vec<f64> = items
        .iter()
        .map(|i| i["confidence"].as_f64().unwrap())
        .collect();
    assert!(
        confidences.windows(2).all(|w| w[0] <= w[1]),
        "queue not most-uncertain first"
    );

    // Correct every task to the model's second choice: a label that differs
    // from the model's prediction.
    let mut script = String::new();
    let mut corrected = Vec::new();
    for item in &items {
        if item["kind"] == "task" {
            let second = item["candidates"][1]["label"].as_str().unwrap().to_string();
            let p_before = item["candidates"][1]["p"].as_f64().unwrap();
            script.push_str(&second);
            corrected.push((item["id"].as_str().unwrap().to_string(), second, p_before));
        } else {
            script.push_str("skip");
        }
        script.push('\n');
    }
    let out = run(
        &[
            "review",
            queue.to_str().unwrap(),
            "--data",
            data.to_str().unwrap(),
            "--reviewer",
            "test",
        ],
        Some(script.as_bytes()),
    );
    assert_eq!(out.status, 0, "{}", out.stderr);
    assert!(
        out.stderr.contains("3 reviewed (3 changed)"),
        "{}",
        out.stderr
    );

    let check = common::run_train(&["check", data.to_str().unwrap()]);
    assert_eq!(check.status, 0, "{}", check.stderr);

    let model = dir.path().join("m.model");
    let train = common::run_train(&[
        "--data",
        data.to_str().unwrap(),
        "--out",
        model.to_str().unwrap(),
    ]);
    assert_eq!(train.status, 0, "{}", train.stderr);
    assert!(
        train.stdout.contains("review decisions used: 3"),
        "{}",
        train.stdout
    );

    let out = run(
        &[
            "--format",
            "jsonl",
            "--top",
            "20",
            "--model",
            model.to_str().unwrap(),
            plan.to_str().unwrap(),
        ],
        None,
    );
    let tagged: Vec<Json> = out
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    // The decisions move their tasks towards the labels the reviewer gave.
    // A decision counts half a hand label (the weight the learning curve
    // chose for plans not yet seen), so one alone need not flip a task the
    // model was sure of (the second candidate here is often below 0.001):
    // together they raise the corrected labels' likelihood.
    let (mut before, mut after) = (0.0, 0.0);
    for (id, label, p_before) in &corrected {
        let t = tagged.iter().find(|t| t["id"] == id.as_str()).unwrap();
        let p_after = t["top"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["label"] == label.as_str())
            .and_then(|c| c["p"].as_f64())
            .unwrap_or(1e-12);
        eprintln!("{id} was corrected to {label}: p {p_before} before, {p_after} after");
        before += p_before.max(1e-12).ln();
        after += p_after.max(1e-12).ln();
    }
    assert!(after > before + 1.0, "log-likelihood {before} -> {after}");
}

/// Two plans with the same file name in different folders share stems and
/// outline ids; deciding a task of one must not mark its namesake, a task
/// with another text, decided.
#[test]
fn namesake_plans_are_reviewed_apart() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    copy_dir(Path::new("training-data"), &data);
    let mut plans = Vec::new();
    for (year, plan) in [
        ("2023", PLAN.replace("。", "，年内完成。")),
        ("2024", PLAN.to_string()),
    ] {
        let folder = dir.path().join(year);
        std::fs::create_dir(&folder).unwrap();
        let path = folder.join("工作要点.txt");
        std::fs::write(&path, plan).unwrap();
        plans.push(path);
    }
    let queue = dir.path().join("queue.jsonl");
    let mut args = vec![
        "--min-confidence",
        "1",
        "--review-queue",
        queue.to_str().unwrap(),
    ];
    args.extend(plans.iter().map(|p| p.to_str().unwrap()));
    let out = run(&args, None);
    assert_eq!(out.status, 0, "{}", out.stderr);
    let n = std::fs::read_to_string(&queue).unwrap().lines().count();
    assert!(n >= 6, "{n} queue items");

    let review = |script: String| {
        let out = run(
            &[
                "review",
                queue.to_str().unwrap(),
                "--data",
                data.to_str().unwrap(),
            ],
            Some(script.as_bytes()),
        );
        assert_eq!(out.status, 0, "{}", out.stderr);
    };
    review("accept\nquit\n".to_string());
    review("accept\n".repeat(n));
    let decided = std::fs::read_to_string(data.join("reviewed.jsonl")).unwrap();
    assert_eq!(decided.lines().count(), n, "every queued task decided once");
    let check = common::run_train(&["check", data.to_str().unwrap()]);
    assert_eq!(check.status, 0, "{}", check.stderr);
}

#[test]
fn interactive_screen_in_a_pseudo_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    std::fs::create_dir(&data).unwrap();
    std::fs::copy("training-data/taxonomy.toml", data.join("taxonomy.toml")).unwrap();
    let plan = dir.path().join("newplan.txt");
    std::fs::write(&plan, PLAN).unwrap();
    let queue = dir.path().join("queue.jsonl");
    let items = queue_of(&plan, &queue, None);
    let second = items[0]["candidates"][1]["label"]
        .as_str()
        .unwrap()
        .to_string();

    let mut cmd = Command::new(env!("CARGO_BIN_EXE_plan-tag"));
    cmd.args([
        "review",
        queue.to_str().unwrap(),
        "--data",
        data.to_str().unwrap(),
        "--reviewer",
        "pty",
    ])
    .env("TERM", "xterm");
    let mut p = rexpect::session::spawn_command(cmd, Some(20_000)).unwrap();
    p.exp_string("0 done").unwrap();
    p.send("2").unwrap();
    p.flush().unwrap();
    p.exp_string("1 done").unwrap();
    p.send("?").unwrap();
    p.flush().unwrap();
    p.exp_string("undo your last decision").unwrap();
    p.exp_string("Esc").unwrap();
    p.send("x").unwrap();
    p.flush().unwrap();
    p.exp_string("1 done").unwrap();
    // Esc on the task screen closes nothing and quits nothing.
    p.send("\x1b").unwrap();
    p.flush().unwrap();
    std::thread::sleep(std::time::Duration::from_millis(300));
    p.send("?").unwrap();
    p.flush().unwrap();
    p.exp_string("never quits").unwrap();
    p.send("x").unwrap();
    p.send("s").unwrap();
    p.flush().unwrap();
    p.exp_string("1 skipped").unwrap();
    p.send("q").unwrap();
    p.flush().unwrap();
    p.exp_eof().unwrap();

    let saved = std::fs::read_to_string(data.join("reviewed.jsonl")).unwrap();
    let lines: Vec<Json> = saved
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 1);
    assert_eq!(lines[0]["label"], second.as_str());
    assert_eq!(lines[0]["id"], items[0]["id"]);
    assert_eq!(lines[0]["doc"], "newplan");
    assert_eq!(lines[0]["reviewer"], "pty");
}

/// Scripted review takes what the screen takes (a candidate's number, a
/// label id, a label's Chinese or English name) and refuses anything
/// else with a non-zero exit, keeping the decisions made before it.
#[test]
fn scripted_review_refuses_unknown_labels() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    std::fs::create_dir(&data).unwrap();
    std::fs::copy("training-data/taxonomy.toml", data.join("taxonomy.toml")).unwrap();
    let plan = dir.path().join("newplan.txt");
    std::fs::write(&plan, PLAN).unwrap();
    let queue = dir.path().join("queue.jsonl");
    let items = queue_of(&plan, &queue, None);
    assert!(items.len() >= 3);
    let review = |script: &str| {
        run(
            &[
                "review",
                queue.to_str().unwrap(),
                "--data",
                data.to_str().unwrap(),
            ],
            Some(script.as_bytes()),
        )
    };
    for bad in ["5", "Medical", "医疗"] {
        let out = review(&format!("{bad}\n"));
        assert_ne!(out.status, 0, "{bad} was taken: {}", out.stderr);
        assert!(out.stderr.contains(&format!("`{bad}`")), "{}", out.stderr);
    }
    assert!(
        !data.join("reviewed.jsonl").exists()
            || std::fs::read_to_string(data.join("reviewed.jsonl"))
                .unwrap()
                .is_empty()
    );
    let second = items[0]["candidates"][1]["label"]
        .as_str()
        .unwrap()
        .to_string();
    let out = review("2\nMedical services and QUALITY\nbogus\naccept\n");
    assert_ne!(out.status, 0);
    assert!(
        out.stderr.contains("standard input:3: `bogus`"),
        "{}",
        out.stderr
    );
    let saved: Vec<Json> = std::fs::read_to_string(data.join("reviewed.jsonl"))
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let labels: Vec<&str> = saved.iter().map(|d| d["label"].as_str().unwrap()).collect();
    assert_eq!(labels, [second.as_str(), "medical"]);
    let out = review("医疗服务与质量安全\n");
    assert_eq!(out.status, 0, "{}", out.stderr);
}

/// A text longer than the screen scrolls, and the screen says it goes on.
#[test]
fn long_texts_scroll_on_the_screen() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    std::fs::create_dir(&data).unwrap();
    std::fs::copy("training-data/taxonomy.toml", data.join("taxonomy.toml")).unwrap();
    let text: String = (1..=60)
        .map(|i| format!("第{i}句，推进基层医疗卫生服务能力建设。"))
        .collect();
    let item = serde_json::json!({
        "doc": "plans/long.txt",
        "id": "一/（一）",
        "kind": "task",
        "path": ["一、重点任务"],
        "title": "长任务",
        "text": text,
        "confidence": 0.4,
        "candidates": [{"label": "primary", "p": 0.4, "words": ["基层"]}],
        "model_digest": "crc32:00000000",
        "doc_title": "某市卫生健康工作要点",
        "after": [{"id": "一/（二）", "title": "", "label": "tcm", "confidence": 0.9}]
    });
    let queue = dir.path().join("queue.jsonl");
    std::fs::write(&queue, format!("{item}\n")).unwrap();
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_plan-tag"));
    cmd.args([
        "review",
        queue.to_str().unwrap(),
        "--data",
        data.to_str().unwrap(),
    ])
    .env("TERM", "xterm");
    let mut p = rexpect::session::spawn_command(cmd, Some(20_000)).unwrap();
    // (rexpect reads the screen byte by byte: only ASCII can be matched.)
    p.exp_string("(long.txt)").unwrap();
    p.exp_string("after:").unwrap();
    p.exp_string(" 0.90]").unwrap();
    p.exp_string("more below").unwrap();
    p.send("\x1b[6~").unwrap(); // PgDn
    p.flush().unwrap();
    p.exp_string("back").unwrap();
    p.send("q").unwrap();
    p.flush().unwrap();
    p.exp_eof().unwrap();
}
