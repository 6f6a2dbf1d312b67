//! plan-tag's outputs as a user meets them: where the output goes (a full
//! disk, `--output`), the formats of `--profile` and `--explain`, the
//! terminal conveniences (`--quiet`, `--jobs`, legend, completions, man
//! page), folders with symbolic links, and `--input jsonl` as a stream.

mod common;

use std::process::{Command, Stdio};

use common::{plan_path, run, Json};

fn lines(stdout: &str) -> Vec<Json> {
    stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[cfg(unix)]
#[test]
fn a_symlink_loop_in_a_folder_tags_each_file_once() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::create_dir(d.join("plans")).unwrap();
    std::fs::copy(plan_path("001"), d.join("plans/a.txt")).unwrap();
    std::os::unix::fs::symlink("..", d.join("plans/up")).unwrap();
    std::os::unix::fs::symlink("plans", d.join("again")).unwrap();
    let out = run(&["--format", "jsonl", d.to_str().unwrap()], None);
    assert_eq!(out.status, 0, "{}", out.stderr);
    assert!(
        out.stderr.contains("1 document(s)"),
        "tagged more than once: {}",
        out.stderr
    );
}

#[test]
fn profile_as_csv_is_rows_not_a_chart() {
    let out = run(
        &[
            "--profile",
            "--format",
            "csv",
            &plan_path("004"),
            &plan_path("000"),
        ],
        None,
    );
    assert_eq!(out.status, 0, "{}", out.stderr);
    let mut rows = out.stdout.lines();
    assert_eq!(
        rows.next().unwrap(),
        "\u{feff}doc,title,year,label,label_name,tasks,share,low_confidence,doc_low_confidence"
    );
    assert!(!out.stdout.contains('█') && !out.stdout.contains("low-confidence"));
    let rest: Vec<&str> = rows.collect();
    assert!(rest.len() >= 4, "{}", out.stdout);
    let mut shares = std::collections::HashMap::<String, f64>::new();
    for row in &rest {
        let fields: Vec<&str> = row.split(',').collect();
        assert_eq!(fields.len(), 9, "{row}");
        *shares.entry(fields[0].to_string()).or_default() += fields[6].parse::<f64>().unwrap();
    }
    assert_eq!(shares.len(), 2);
    for total in shares.values() {
        assert!((total - 1.0).abs() < 0.01, "{total}");
    }
}

#[cfg(target_os = "linux")]
#[test]
fn a_full_disk_is_an_output_error_naming_the_output() {
    let full = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_plan-tag"))
        .args(["--format", "jsonl", &plan_path("004")])
        .stdout(Stdio::from(full))
        .stderr(Stdio::piped())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(4), "{stderr}");
    assert!(
        stderr.contains("cannot write output to standard output"),
        "{stderr}"
    );
}

#[test]
fn output_file_is_written_whole_or_not_at_all() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tags.jsonl");
    let plan = plan_path("002");
    let out = run(&["--output", path.to_str().unwrap(), &plan], None);
    assert_eq!(out.status, 0, "{}", out.stderr);
    assert!(out.stdout.is_empty());
    let to_stdout = run(&["--format", "jsonl", &plan], None);
    assert_eq!(std::fs::read_to_string(&path).unwrap(), to_stdout.stdout);
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);

    let missing = dir.path().join("no/such/dir/tags.jsonl");
    let out = run(&["--output", missing.to_str().unwrap(), &plan], None);
    assert_eq!(out.status, 4, "{}", out.stderr);
    assert!(out.stderr.contains("tags.jsonl"), "{}", out.stderr);
}

#[test]
fn explain_takes_a_count_and_shows_in_every_format() {
    let plan = plan_path("000");
    let json = lines(&run(&["--format", "jsonl", "--explain=2", &plan], None).stdout);
    let mut terms = 0;
    for r in json.iter().filter(|r| r["label"] != "") {
        let ev = r["explain"].as_array().unwrap();
        assert!(ev.len() <= 2);
        for e in ev {
            let term = e["term"].as_str().unwrap();
            let word = term.strip_prefix("H:").unwrap_or(term);
            assert!(word.chars().count() > 1, "{term}");
        }
        terms += ev.len();
    }
    assert!(terms > 0);
    // The default count is 8, and `--explain FILE` still reads FILE.
    let json = lines(&run(&["--format", "jsonl", "--explain", &plan], None).stdout);
    let counts: Vec<usize> = json
        .iter()
        .filter(|r| r["label"] != "")
        .map(|r| r["explain"].as_array().unwrap().len())
        .collect();
    assert!(counts.iter().any(|&n| n > 2) && counts.iter().all(|&n| n <= 8));

    let csv = run(&["--format", "csv", "--explain=3", &plan], None).stdout;
    let header = csv.lines().next().unwrap();
    assert!(header.ends_with(",secondary,explain"), "{header}");
    assert!(csv.lines().skip(1).any(|l| l.contains(':')));
    let plain = run(&["--format", "csv", &plan], None).stdout;
    assert!(plain.lines().next().unwrap().ends_with(",secondary"));
}

#[test]
fn quiet_jobs_legend_and_cut_titles() {
    let plan = plan_path("003");
    let out = run(
        &["--quiet", "--jobs", "1", "--format", "jsonl", &plan],
        None,
    );
    assert_eq!(out.status, 0);
    assert!(out.stderr.is_empty(), "{}", out.stderr);
    let table = run(&["--format", "table", &plan], None).stdout;
    assert!(table.trim_end().ends_with("title cut to fit"), "{table}");
    assert!(table.contains("? = confidence below the threshold"));
    // Long headings are cut with a mark, not silently.
    assert!(table.lines().any(|l| l.contains('…')), "{table}");
    let out = run(&["--jobs", "0", &plan], None);
    assert_eq!(out.status, 2);
}

#[test]
fn completions_and_man_page() {
    let bash = run(&["completions", "bash"], None);
    assert_eq!(bash.status, 0);
    assert!(bash.stdout.contains("plan-tag") && bash.stdout.contains("--explain"));
    let man = run(&["man"], None);
    assert_eq!(man.status, 0);
    assert!(man.stdout.starts_with(".ie") || man.stdout.contains(".TH"));
    assert!(man.stdout.contains("review\\-queue"), "{}", man.stdout);
}

#[test]
fn jsonl_sections_carry_document_titles_and_bad_lines_fail_alone() {
    let input = concat!(
        r#"{"id":"1","text":"加强基层医疗卫生机构建设，推进家庭医生签约服务。","doc_title":"2020年甲市卫生健康工作要点"}"#,
        "\n",
        r#"{"id":"2","text":"做好传染病疫情监测和预防接种工作。","doc_title":"2020年甲市卫生健康工作要点"}"#,
        "\n",
        "not a section\n",
        r#"{"id":"3","text":"推进中医药传承创新发展。","path":["三、中医药"]}"#,
        "\n",
    );
    let out = run(
        &["--input", "jsonl", "--format", "jsonl", "-"],
        Some(input.as_bytes()),
    );
    assert_eq!(out.status, 1, "{}", out.stderr);
    assert!(out.stderr.contains("-:3: not a section"), "{}", out.stderr);
    let records = lines(&out.stdout);
    let ids: Vec<&str> = records.iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["1", "2", "3"]);
    assert_eq!(records[0]["doc_title"], "2020年甲市卫生健康工作要点");
    assert_eq!(records[1]["doc_title"], "2020年甲市卫生健康工作要点");
    assert!(records[2].get("doc_title").is_none());
    assert_eq!(records[2]["path"][0], "三、中医药");
    // As one JSON document with every task, and one profile.
    let out = run(
        &["--input", "jsonl", "--format", "json", "-"],
        Some(input.as_bytes()),
    );
    let docs: Json = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(docs.as_array().unwrap().len(), 1);
    assert_eq!(docs[0]["tasks"].as_array().unwrap().len(), 3);
    let out = run(
        &["--input", "jsonl", "--profile", "--format", "jsonl", "-"],
        Some(input.as_bytes()),
    );
    let profiles = lines(&out.stdout);
    assert_eq!(profiles.len(), 1);
    assert_eq!(profiles[0]["tasks"], 3);
}

/// Sections streamed in many batches come out in input order, each once,
/// labelled as when they are tagged one group at a time.
#[test]
fn a_long_jsonl_stream_keeps_order_and_labels() {
    let seg = run(&["segment", "--format", "jsonl", &plan_path("004")], None);
    let sections: Vec<Json> = lines(&seg.stdout);
    let mut input = String::new();
    // About 10 MB: several batches of 4 MB.
    let copies = 400;
    for copy in 0..copies {
        for s in &sections {
            let line = serde_json::json!({
                "id": format!("{copy}/{}", s["id"].as_str().unwrap()),
                "text": s["text"], "title": s["title"], "path": s["path"],
                "doc": format!("d{copy}"),
            });
            input.push_str(&line.to_string());
            input.push('\n');
        }
    }
    let out = run(
        &["--input", "jsonl", "--format", "jsonl", "-"],
        Some(input.as_bytes()),
    );
    assert_eq!(out.status, 0, "{}", out.stderr);
    let records = lines(&out.stdout);
    assert_eq!(records.len(), copies * sections.len());
    let first: Vec<&Json> = records[..sections.len()]
        .iter()
        .map(|r| &r["label"])
        .collect();
    for (copy, chunk) in records.chunks(sections.len()).enumerate() {
        for (r, s) in chunk.iter().zip(&sections) {
            assert_eq!(
                r["id"].as_str().unwrap(),
                format!("{copy}/{}", s["id"].as_str().unwrap())
            );
        }
        let labels: Vec<&Json> = chunk.iter().map(|r| &r["label"]).collect();
        assert_eq!(labels, first, "copy {copy}");
    }
}
