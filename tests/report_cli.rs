//! The HTML report as analysts use it: 200 plans (copies of the shipped
//! plans under other names and years), plans that share a title, a report
//! path that cannot be written.

mod common;

use std::collections::HashSet;
use std::io::Write;
use std::process::{Command, Stdio};
use std::time::Instant;

use common::{plan_path, run, Json, PLANS};

/// The report's data, as the page's script reads it.
fn report_data(html: &str) -> Json {
    let start = html.find("const DATA = ").unwrap() + "const DATA = ".len();
    let end = start + html[start..].find(";\nconst LABEL").unwrap();
    serde_json::from_str(&html[start..end].replace("<\\/", "</")).unwrap()
}

/// `n` plans in `dir`: the shipped plans in turn, each moved to a year of
/// 2001–2024, named `YEAR_place_N.txt`.
fn many_plans(dir: &std::path::Path, n: usize) {
    let texts: Vec<String> = PLANS
        .iter()
        .map(|p| std::fs::read_to_string(plan_path(p)).unwrap())
        .collect();
    let places = ["东城", "西城", "南岸", "北湖", "中山", "平江", "临川"];
    for i in 0..n {
        let text = &texts[i % texts.len()];
        let year = 2001 + (i * 7) % 24;
        // Every year of the plan's own time (2015–2024) becomes the new one.
        let copy = (2015..=2024).fold(text.clone(), |t, y| {
            t.replace(&y.to_string(), &year.to_string())
        });
        let name = format!("{year}_{}_{i:03}.txt", places[i % places.len()]);
        std::fs::write(dir.join(name), copy).unwrap();
    }
}

#[test]
fn two_hundred_plans_make_one_readable_report() {
    let dir = tempfile::tempdir().unwrap();
    let plans = dir.path().join("plans");
    std::fs::create_dir(&plans).unwrap();
    many_plans(&plans, 200);
    let report = dir.path().join("r.html");
    let started = Instant::now();
    let out = run(
        &[
            "--format",
            "jsonl",
            "--report",
            report.to_str().unwrap(),
            plans.to_str().unwrap(),
        ],
        None,
    );
    eprintln!("200 plans tagged and reported in {:?}", started.elapsed());
    assert_eq!(out.status, 0, "{}", out.stderr);
    let html = std::fs::read_to_string(&report).unwrap();
    eprintln!("report: {} bytes", html.len());
    assert!(html.len() < 8 << 20, "{} bytes", html.len());
    assert!(html.contains("200 plan(s)"));
    let data = report_data(&html);
    let plans = data["plans"].as_array().unwrap();
    assert_eq!(plans.len(), 200);
    // Every plan named apart, though only five titles exist...
    let names: HashSet<&str> = plans.iter().map(|p| p["name"].as_str().unwrap()).collect();
    assert_eq!(names.len(), 200);
    let titles: HashSet<&str> = plans.iter().filter_map(|p| p["title"].as_str()).collect();
    assert!(titles.len() < 200, "{}", titles.len());
    // ...and sorted by year, the year each copy was given.
    let years: Vec<u64> = plans.iter().map(|p| p["year"].as_u64().unwrap()).collect();
    assert!(years.windows(2).all(|w| w[0] <= w[1]), "{years:?}");
    assert_eq!(years.iter().collect::<HashSet<_>>().len(), 24);
    for p in plans {
        let file_year = p["doc"].as_str().unwrap().rsplit('/').next().unwrap()[..4]
            .parse::<u64>()
            .unwrap();
        assert_eq!(p["year"].as_u64().unwrap(), file_year, "{}", p["doc"]);
    }
    // One table row per task tagged, each pointing at its plan.
    let rows = data["rows"].as_array().unwrap();
    assert_eq!(rows.len(), out.stdout.lines().count());
    assert!(rows.iter().all(|r| r["doc"].as_u64().unwrap() < 200));
    // Every label with its own colour.
    let labels = data["labels"].as_array().unwrap();
    let colours: HashSet<&str> = labels
        .iter()
        .map(|l| l["colour"].as_str().unwrap())
        .collect();
    assert_eq!(colours.len(), labels.len());
}

#[test]
fn a_report_path_that_cannot_be_written_stops_the_run_before_it_starts() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("no/such/r.html");
    let out = run(
        &[
            "--format",
            "jsonl",
            "--report",
            missing.to_str().unwrap(),
            &plan_path("000"),
        ],
        None,
    );
    assert_eq!(out.status, 2, "{}", out.stderr);
    assert_eq!(out.stdout, "", "nothing is tagged");
    assert_eq!(out.stderr.lines().count(), 1, "{}", out.stderr);
    assert!(out.stderr.contains("r.html: cannot write: no directory"));
    let out = run(
        &["--report", dir.path().to_str().unwrap(), &plan_path("000")],
        None,
    );
    assert_eq!(out.status, 2);
    assert!(out.stderr.contains("cannot write: is a directory"));
}

#[test]
fn a_failed_report_write_is_no_failed_document() {
    // The report path passes the check at the start; its temporary file
    // is then taken by a directory, so the write at the end fails.
    let dir = tempfile::tempdir().unwrap();
    let report = dir.path().join("r.html");
    let mut child = Command::new(env!("CARGO_BIN_EXE_plan-tag"))
        .args([
            "--format",
            "jsonl",
            "--report",
            report.to_str().unwrap(),
            "-",
        ])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("PLANTAG_MODEL")
        .env("XDG_CONFIG_HOME", "/nonexistent")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    std::fs::create_dir(dir.path().join(format!(".r.html.tmp{}", child.id()))).unwrap();
    let plan = std::fs::read(plan_path("001")).unwrap();
    child.stdin.take().unwrap().write_all(&plan).unwrap();
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(4), "{stderr}");
    assert!(stderr.contains("r.html: cannot write"), "{stderr}");
    assert!(
        stderr.contains("1 document(s)") && !stderr.contains("failed"),
        "{stderr}"
    );
    assert!(!out.stdout.is_empty(), "the tasks still come out");
    assert!(!report.exists());
}
