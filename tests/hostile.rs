//! Broken and hostile inputs, the way users meet them: each gets one clear
//! line naming the file and the problem, the exit status says something
//! failed, nothing panics, and the other files of the batch still come out.

mod common;

use std::collections::HashSet;
use std::io::Write;

use common::{docs_of, plan_path, run, run_train};

#[test]
fn every_bad_file_in_one_batch() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let good = std::fs::read_to_string(plan_path("001")).unwrap();
    std::fs::write(d.join("01-empty.txt"), b"").unwrap();
    std::fs::write(d.join("02-blank.txt"), b"  \n\t\r\n \xE3\x80\x80 \n").unwrap();
    std::fs::write(
        d.join("03-image.txt"),
        b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\x01\0",
    )
    .unwrap();
    let mut damaged = good.clone().into_bytes();
    let damaged_at = (damaged.len() / 2..)
        .find(|&i| good.is_char_boundary(i))
        .unwrap();
    damaged.insert(damaged_at, 0xFF);
    std::fs::write(d.join("04-damaged.txt"), &damaged).unwrap();
    let (gbk, _, _) = encoding_rs::GBK.encode(&good);
    std::fs::write(d.join("05-gbk.txt"), &gbk).unwrap();
    {
        // 200 MB, written sparsely: the size alone decides.
        let f = std::fs::File::create(d.join("06-huge.txt")).unwrap();
        f.set_len(200 << 20).unwrap();
    }
    let mut long = std::fs::File::create(d.join("07-longline.txt")).unwrap();
    let chunk = "加强卫生健康工作".repeat(1000);
    while long.metadata().unwrap().len() < (10 << 20) {
        long.write_all(chunk.as_bytes()).unwrap();
    }
    drop(long);
    std::os::unix::fs::symlink("08-loop.txt", d.join("08-loop.txt")).unwrap();
    std::fs::write(
        d.join("09-plain.txt"),
        "第一段讲加强医疗质量管理。\n\n第二段讲推进家庭医生签约服务。\n",
    )
    .unwrap();
    std::fs::write(d.join("10-good.txt"), &good).unwrap();
    let missing = d.join("nope.txt");

    let out = run(
        &[
            "--format",
            "jsonl",
            d.to_str().unwrap(),
            missing.to_str().unwrap(),
        ],
        None,
    );
    assert_eq!(out.status, 1, "{}", out.stderr);
    assert!(!out.stderr.contains("panicked") && !out.stderr.contains("backtrace"));
    // A few bad bytes in a plan: read, with a note naming where they were.
    let damaged_note = format!(
        "note: damaged UTF-8: 1 invalid byte sequence(s) replaced with U+FFFD (\u{fffd}) at byte {damaged_at}"
    );
    let expect = [
        ("01-empty.txt", "empty"),
        ("02-blank.txt", "whitespace"),
        ("03-image.txt", "PNG"),
        ("04-damaged.txt", damaged_note.as_str()),
        ("06-huge.txt", "too large"),
        ("07-longline.txt", "MB long"),
        ("08-loop.txt", "cannot read"),
        ("nope.txt", "cannot read"),
    ];
    for (file, problem) in expect {
        let lines: Vec<&str> = out.stderr.lines().filter(|l| l.contains(file)).collect();
        assert_eq!(lines.len(), 1, "{file}: {}", out.stderr);
        assert!(lines[0].contains(problem), "{file}: {}", lines[0]);
    }
    assert!(
        out.stderr
            .contains("09-plain.txt: note: no outline numbering"),
        "{}",
        out.stderr
    );
    let docs: HashSet<String> = docs_of(&out.stdout).into_iter().collect();
    let names: HashSet<String> = docs
        .iter()
        .map(|d| {
            std::path::Path::new(d)
                .file_name()
                .unwrap()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    assert_eq!(
        names,
        [
            "04-damaged.txt",
            "05-gbk.txt",
            "09-plain.txt",
            "10-good.txt"
        ]
        .iter()
        .map(|s| s.to_string())
        .collect()
    );
    assert!(out.stderr.contains("4 document(s)"));
}

#[test]
fn training_data_with_a_bad_line_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    std::fs::create_dir_all(data.join("labelled")).unwrap();
    for f in ["taxonomy.toml", "userdict.txt", "stopwords.txt"] {
        std::fs::copy(format!("training-data/{f}"), data.join(f)).unwrap();
    }
    let labelled =
        std::fs::read_to_string("training-data/labelled/000_87bfdf8877983873.jsonl").unwrap();
    let mut lines: Vec<&str> = labelled.lines().collect();
    lines.insert(10, "{\"id\": \"x\", \"doc\": \"000\", \"text\": \"坏行\"");
    std::fs::write(data.join("labelled/000.jsonl"), lines.join("\n")).unwrap();
    let model = dir.path().join("m.model");
    let out = run_train(&[
        "--data",
        data.to_str().unwrap(),
        "--out",
        model.to_str().unwrap(),
    ]);
    assert_eq!(out.status, 1);
    assert!(
        out.stderr.contains("000.jsonl:11: invalid JSON"),
        "{}",
        out.stderr
    );
    assert_eq!(out.stderr.lines().count(), 1, "{}", out.stderr);
    assert!(!model.exists());
    let check = run_train(&["check", data.to_str().unwrap()]);
    assert_eq!(check.status, 1);
    assert!(check.stderr.contains("000.jsonl:11"));
}

#[test]
fn stdin_that_is_not_text() {
    let out = run(&["-"], Some(b"\x7fELF\x02\x01\x01\0\0\0"));
    assert_eq!(out.status, 1);
    assert_eq!(
        out.stderr
            .lines()
            .filter(|l| l.contains("-: not text"))
            .count(),
        1,
        "{}",
        out.stderr
    );
}

/// `plan-train --docs`: a folder that is not there, and a training
/// document that is not text, each stop training with one line naming the
/// path, and no model is written.
#[test]
fn training_documents_that_cannot_be_read() {
    let dir = tempfile::tempdir().unwrap();
    let model = dir.path().join("m.model");
    let missing = dir.path().join("no-such-folder");
    let out = run_train(&[
        "--docs",
        missing.to_str().unwrap(),
        "--out",
        model.to_str().unwrap(),
    ]);
    assert_eq!(out.status, 1, "{}", out.stderr);
    assert!(
        out.stderr.contains("no-such-folder: cannot read"),
        "{}",
        out.stderr
    );
    assert_eq!(out.stderr.lines().count(), 1, "{}", out.stderr);
    let docs = dir.path().join("docs");
    std::fs::create_dir(&docs).unwrap();
    std::fs::write(
        docs.join("000_87bfdf8877983873.txt"),
        b"\x7fELF\x02\x01\x01\0\0\0\xff\xfe\x00",
    )
    .unwrap();
    let out = run_train(&[
        "--docs",
        docs.to_str().unwrap(),
        "--out",
        model.to_str().unwrap(),
    ]);
    assert_eq!(out.status, 1, "{}", out.stderr);
    assert!(
        out.stderr.contains("000_87bfdf8877983873.txt: not text"),
        "{}",
        out.stderr
    );
    assert!(!model.exists());
}
