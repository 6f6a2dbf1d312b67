//! `plan-train eval` judges each document's title against `meta.tsv`
//! beside the docs folder, on hand-written plans (no corpus needed).

mod common;

use common::{run_train, Json};

/// Writes a small corpus: two plans, their gold units, and `meta` as the
/// content of `meta.tsv` (none when `None`).
fn corpus(meta: Option<&str>) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let docs = dir.path().join("docs");
    std::fs::create_dir(&docs).unwrap();
    std::fs::write(
        docs.join("a.txt"),
        "某站首页\n某县2030年卫生健康工作要点\n为做好全年工作,制定本要点。\n\
         一、加强疾病预防控制\n做好传染病监测和报告工作。\n二、推进基层医疗服务\n提升乡镇卫生院服务能力。\n",
    )
    .unwrap();
    std::fs::write(
        docs.join("b.txt"),
        "一、加强妇幼健康服务\n做好孕产妇健康管理。\n二、开展爱国卫生运动\n整治城乡环境卫生。\n",
    )
    .unwrap();
    let gold = [
        ("a.txt", "加强疾病预防控制"),
        ("a.txt", "推进基层医疗服务"),
        ("b.txt", "加强妇幼健康服务"),
        ("b.txt", "开展爱国卫生运动"),
    ]
    .iter()
    .map(|(doc, anchor)| {
        format!("{{\"doc\":\"{doc}\",\"anchor\":\"{anchor}\",\"label\":\"general\"}}\n")
    })
    .collect::<String>();
    std::fs::write(dir.path().join("gold.jsonl"), gold).unwrap();
    if let Some(meta) = meta {
        std::fs::write(dir.path().join("meta.tsv"), meta).unwrap();
    }
    dir
}

fn eval(dir: &std::path::Path) -> (common::Output, Option<Json>) {
    let json = dir.join("eval.json");
    let out = run_train(&[
        "eval",
        "--gold",
        dir.join("gold.jsonl").to_str().unwrap(),
        "--docs",
        dir.join("docs").to_str().unwrap(),
        "--json",
        json.to_str().unwrap(),
    ]);
    let report = std::fs::read_to_string(json)
        .ok()
        .map(|s| serde_json::from_str(&s).unwrap());
    (out, report)
}

#[test]
fn titles_are_judged_against_meta_tsv() {
    // a.txt's title as a sharing site collected it; b.txt's text holds none.
    let dir = corpus(Some(
        "file\tsplit\ttitle\na.txt\ttrain\t某縣2030年衛生健康工作要點(通用6篇)\nb.txt\ttrain\t某县妇幼工作计划\n",
    ));
    let (out, report) = eval(dir.path());
    assert_eq!(out.status, 0, "{}", out.stderr);
    assert!(
        out.stdout
            .contains("titles against meta.tsv: 1 of 2 documents hold theirs; found exactly 1, wrong 0, missing 0"),
        "{}",
        out.stdout
    );
    let report = report.unwrap();
    let t = &report["title_check"];
    assert_eq!(
        (
            &t["documents"],
            &t["in_text"],
            &t["exact"],
            &t["wrong"],
            &t["missing"]
        ),
        (
            &Json::from(2),
            &Json::from(1),
            &Json::from(1),
            &Json::from(0),
            &Json::from(0)
        )
    );
    let verdicts: Vec<&str> = report["per_document"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["title_check"]["verdict"].as_str().unwrap())
        .collect();
    assert_eq!(verdicts, ["exact", "not_in_text"]);
}

#[test]
fn without_meta_tsv_titles_are_not_judged() {
    let dir = corpus(None);
    let (out, report) = eval(dir.path());
    assert_eq!(out.status, 0, "{}", out.stderr);
    assert!(!out.stdout.contains("meta.tsv"), "{}", out.stdout);
    let report = report.unwrap();
    assert!(report["title_check"].is_null());
    assert!(report["per_document"][0]["title_check"].is_null());
    assert_eq!(report["titles_found"], 1);
}

#[test]
fn a_meta_tsv_without_a_title_column_is_named_in_one_line() {
    let dir = corpus(Some("file\tsplit\na.txt\ttrain\n"));
    let (out, _) = eval(dir.path());
    assert_ne!(out.status, 0);
    assert_eq!(out.stderr.lines().count(), 1, "{}", out.stderr);
    assert!(
        out.stderr
            .contains("meta.tsv:1: no `file` and `title` columns"),
        "{}",
        out.stderr
    );
}
