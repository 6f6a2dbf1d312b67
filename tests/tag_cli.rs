//! plan-train and plan-tag run the way users run them: training data checks,
//! the shipped model against the shipped data, tagging formats, and every
//! kind of broken model file.

mod common;

use std::collections::HashSet;

use common::{docs_of, plan_path, run, run_bin, run_train, Json, PLANS};

const EPOCH: &str = "1795000000";

fn stem(path: &str) -> String {
    std::path::Path::new(path)
        .file_stem()
        .unwrap()
        .to_string_lossy()
        .into_owned()
}

#[test]
fn training_data_checks_clean_and_counts_every_label() {
    let out = run_train(&["check", "training-data"]);
    assert_eq!(out.status, 0, "{}{}", out.stdout, out.stderr);
    for label in ["party", "reform", "occupational", "science", "general"] {
        assert!(
            out.stdout.lines().any(|l| l.starts_with(label)),
            "{label} missing"
        );
    }
    assert!(out.stdout.contains("no errors"));
}

#[test]
fn every_task_leaf_of_the_five_plans_is_labelled() {
    let mut labelled = HashSet::new();
    for entry in std::fs::read_dir("training-data/labelled").unwrap() {
        let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
        for line in text.lines() {
            let v: Json = serde_json::from_str(line).unwrap();
            labelled.insert(format!(
                "{}/{}",
                v["doc"].as_str().unwrap(),
                v["id"].as_str().unwrap()
            ));
        }
    }
    for prefix in PLANS {
        let path = plan_path(prefix);
        let out = run(&["segment", "--format", "jsonl", &path], None);
        let mut n = 0;
        for line in out.stdout.lines() {
            let t: Json = serde_json::from_str(line).unwrap();
            if t["kind"] == "task" {
                n += 1;
                let id = format!("{}/{}", stem(&path), t["id"].as_str().unwrap());
                assert!(labelled.contains(&id), "task {id} has no labelled record");
            }
        }
        assert!(n > 0);
    }
}

/// The corpus `train` split the shipped model also learns from (never
/// copied into the repository; README.md, "Accuracy").
const CORPUS_TRAIN: &str = "../shared/corpus/gold-train.jsonl";
/// The documents of the corpus, read whole to set the review flag on
/// their tasks (README.md, "Accuracy").
const CORPUS_DOCS: &str = "../shared/corpus/docs";

#[test]
fn shipped_model_is_trained_from_shipped_data_byte_for_byte() {
    let corpus = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(CORPUS_TRAIN);
    if !corpus.is_file() {
        eprintln!(
            "SKIPPED: {} is absent, so the shipped model cannot be rebuilt here",
            corpus.display()
        );
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let out_path = dir.path().join("m.model");
    let report = dir.path().join("report.json");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_plan-train"))
        .args([
            "--extra",
            CORPUS_TRAIN,
            "--docs",
            CORPUS_DOCS,
            "--docs",
            "examples/plans",
            "--folds",
            "10",
            "--out",
            out_path.to_str().unwrap(),
            "--report-json",
            report.to_str().unwrap(),
        ])
        .env("SOURCE_DATE_EPOCH", EPOCH)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("Cross-validation grouped by document"));
    assert!(stdout.contains("model without lexicon"));
    let trained = std::fs::read(&out_path).unwrap();
    let shipped = std::fs::read("models/default.model").unwrap();
    assert!(
        trained == shipped,
        "models/default.model is stale: retrain with SOURCE_DATE_EPOCH={EPOCH} plan-train \
         --extra {CORPUS_TRAIN} --docs {CORPUS_DOCS} --docs examples/plans --folds 10"
    );
    let r: Json = serde_json::from_slice(&std::fs::read(&report).unwrap()).unwrap();
    let acc = r["model"]["accuracy"].as_f64().unwrap();
    // All 175 training documents were found and read whole.
    assert!(
        r["document_tasks"].as_u64().unwrap() > 1000,
        "{}",
        r["document_tasks"]
    );
    assert!((0.0..=1.0).contains(&acc));
    assert!(
        r["model"]["per_label"]["party"]["support"]
            .as_u64()
            .unwrap()
            > 0
    );
}

fn tag_jsonl(args: &[&str]) -> Vec<Json> {
    let out = run(args, None);
    assert_eq!(out.status, 0, "{}", out.stderr);
    out.stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[test]
fn tagging_a_plan_gives_every_task_a_label_and_candidates() {
    let tasks = tag_jsonl(&["--format", "jsonl", "--top", "3", &plan_path("004")]);
    assert_eq!(tasks.iter().filter(|t| t["kind"] == "task").count(), 88);
    let taxonomy = std::fs::read_to_string("training-data/taxonomy.toml").unwrap();
    for t in &tasks {
        for field in [
            "doc",
            "id",
            "kind",
            "path",
            "title",
            "text",
            "label",
            "label_name",
            "confidence",
            "top",
            "low_confidence",
        ] {
            assert!(!t[field].is_null(), "{field} missing in {t}");
        }
        let label = t["label"].as_str().unwrap();
        if t["kind"] == "notice" {
            // The cover letter is no policy task: no label, never flagged.
            assert_eq!(label, "", "{t}");
            assert_eq!(t["low_confidence"], false);
            assert!(t["top"].as_array().unwrap().is_empty());
            continue;
        }
        assert!(taxonomy.contains(&format!("id = \"{label}\"")));
        let c = t["confidence"].as_f64().unwrap();
        assert!(c > 0.0 && c <= 1.0);
        let top = t["top"].as_array().unwrap();
        assert_eq!(top.len(), 3);
        assert_eq!(top[0]["label"], t["label"]);
        assert!(top[0]["p"].as_f64().unwrap() >= top[1]["p"].as_f64().unwrap());
    }
}

#[test]
fn jsonl_input_keeps_ids_and_explain_lists_terms() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("sections.jsonl");
    std::fs::write(
        &input,
        "{\"id\":\"a-1\",\"text\":\"加强职业病防治，开展尘肺病患者救治救助和职业健康检查。\"}\n{\"id\":\"b/2\",\"text\":\"推进中医馆建设，发展治未病服务，加强名老中医传承工作室建设。\",\"title\":\"中医药\"}\n",
    )
    .unwrap();
    let tasks = tag_jsonl(&[
        "--input",
        "jsonl",
        "--explain",
        "--format",
        "jsonl",
        input.to_str().unwrap(),
    ]);
    assert_eq!(tasks.len(), 2);
    assert_eq!(tasks[0]["id"], "a-1");
    assert_eq!(tasks[1]["id"], "b/2");
    assert_eq!(tasks[0]["label"], "occupational");
    assert_eq!(tasks[1]["label"], "tcm");
    assert!(!tasks[0]["explain"].as_array().unwrap().is_empty());
}

/// A small plan in traditional characters, pinyin after two of them as
/// scraped pages have it, and its simplified twin.
const TRADITIONAL_PLAN: &str = "某市2024年衛生健康工作要點

一、深化醫藥衛生體制改革
(一)推進縣域醫共體建設。落實分級診療制度,提升基層醫(yī)療衛(wèi)生服務能力。
(二)加強醫療保障。完善藥品供應保障體系,推進醫保支付方式改革。
二、加強公共衛生服務
(三)做好疾病預防控制。全面落實國家免疫規劃,預防接種率保持在95%以上,做好傳染病疫情監測和報告。
(四)開展愛國衛生運動。加強婦幼保健和職業病防治工作,推進醫養結合,發展中醫藥事業。
";
const SIMPLIFIED_PLAN: &str = "某市2024年卫生健康工作要点

一、深化医药卫生体制改革
(一)推进县域医共体建设。落实分级诊疗制度,提升基层医疗卫生服务能力。
(二)加强医疗保障。完善药品供应保障体系,推进医保支付方式改革。
二、加强公共卫生服务
(三)做好疾病预防控制。全面落实国家免疫规划,预防接种率保持在95%以上,做好传染病疫情监测和报告。
(四)开展爱国卫生运动。加强妇幼保健和职业病防治工作,推进医养结合,发展中医药事业。
";

#[test]
fn a_traditional_plan_keeps_its_text_and_is_labelled_as_its_simplified_twin() {
    let dir = tempfile::tempdir().unwrap();
    let tag = |name: &str, plan: &str| -> Vec<Json> {
        let path = dir.path().join(name);
        std::fs::write(&path, plan).unwrap();
        tag_jsonl(&["--format", "jsonl", "--explain", path.to_str().unwrap()])
            .into_iter()
            .filter(|t| t["kind"] == "task")
            .collect()
    };
    let traditional = tag("traditional.txt", TRADITIONAL_PLAN);
    let simplified = tag("simplified.txt", SIMPLIFIED_PLAN);
    assert_eq!(traditional.len(), 4, "{traditional:?}");
    assert_eq!(traditional.len(), simplified.len());
    let mut written = String::new();
    for (t, s) in traditional.iter().zip(&simplified) {
        // The text as written, traditional characters and pinyin alike.
        for field in ["title", "text"] {
            let text = t[field].as_str().unwrap();
            assert!(TRADITIONAL_PLAN.contains(text), "{field} {text:?}");
            written.push_str(text);
        }
        assert!(t["path"][0].as_str().unwrap().contains("衛生"), "{t}");
        // The label, probabilities and evidence of the simplified twin.
        for field in ["label", "confidence", "top", "low_confidence", "explain"] {
            assert_eq!(t[field], s[field], "{field} of {t}");
        }
    }
    assert!(written.contains("醫共體") && written.contains("醫(yī)療衛(wèi)生"));
}

#[test]
fn csv_and_table_and_summary_line() {
    let out = run(&["--format", "csv", &plan_path("001")], None);
    assert_eq!(out.status, 0);
    assert!(out
        .stdout
        .starts_with("\u{feff}doc,id,kind,path,title,text"));
    assert_eq!(out.stdout.lines().count(), 28);
    assert!(
        out.stderr.contains("1 document(s), 27 task(s)"),
        "{}",
        out.stderr
    );
    let out = run(&["--format", "table", &plan_path("000")], None);
    assert!(out.stdout.contains("（十五） 提升职业病防治能力"));
    assert!(out.stdout.contains("职业健康"));
}

#[test]
fn broken_models_exit_three_with_one_line() {
    let dir = tempfile::tempdir().unwrap();
    let good = std::fs::read("models/default.model").unwrap();
    let mut flipped = good.clone();
    let at = good.len() / 2;
    flipped[at] ^= 0x04;
    let future = {
        let s = String::from_utf8(good.clone()).unwrap();
        s.replacen("plantag-model 1 ", "plantag-model 7 ", 1)
            .into_bytes()
    };
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("zero.model", Vec::new(), "0 bytes"),
        (
            "truncated.model",
            good[..good.len() - 1000].to_vec(),
            "truncated",
        ),
        ("flipped.model", flipped, "checksum"),
        ("future.model", future, "newer"),
        (
            "plan.model",
            std::fs::read(plan_path("000")).unwrap(),
            "not a plantag model",
        ),
    ];
    for (name, bytes, expect) in cases {
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        let out = run(
            &["--model", path.to_str().unwrap(), &plan_path("001")],
            None,
        );
        assert_eq!(out.status, 3, "{name}: {}", out.stderr);
        assert_eq!(out.stderr.lines().count(), 1, "{name}: {}", out.stderr);
        assert!(
            out.stderr.contains(name) && out.stderr.contains(expect),
            "{name}: {}",
            out.stderr
        );
    }
    let out = run(
        &["--model", "/nonexistent/m.model", &plan_path("001")],
        None,
    );
    assert_eq!(out.status, 3);
    assert!(out.stderr.contains("/nonexistent/m.model"));
}

#[test]
fn usage_errors_exit_two() {
    assert_eq!(run(&["--min-confidence", "1.5", "x.txt"], None).status, 2);
    assert_eq!(run(&[], None).status, 2);
    assert_eq!(
        run_bin(env!("CARGO_BIN_EXE_plan-train"), &["--alpha", "x"], None).status,
        2
    );
}

#[test]
fn a_bad_file_in_a_batch_does_not_stop_the_others() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(plan_path("001"), dir.path().join("a.txt")).unwrap();
    std::fs::write(dir.path().join("b.txt"), b"\x89PNG\r\n\x1a\n\0\0").unwrap();
    std::fs::copy(plan_path("000"), dir.path().join("c.txt")).unwrap();
    let out = run(&["--format", "jsonl", dir.path().to_str().unwrap()], None);
    assert_eq!(out.status, 1);
    assert!(out.stderr.contains("b.txt") && out.stderr.contains("PNG"));
    let docs: HashSet<String> = docs_of(&out.stdout).into_iter().collect();
    assert_eq!(docs.len(), 2);
}

#[test]
fn profile_and_report() {
    let out = run(&["--profile", "--format", "table", &plan_path("004")], None);
    assert_eq!(out.status, 0, "{}", out.stderr);
    assert!(out.stdout.contains("88 tasks"), "{}", out.stdout);
    assert!(out.stdout.contains("健康扶贫与乡村振兴"));
    // Bars start in the same column whatever the label name's length.
    let bar_columns: HashSet<usize> = out
        .stdout
        .lines()
        .filter(|l| l.contains('█'))
        .map(|l| {
            let before = &l[..l.find('█').unwrap()];
            before
                .chars()
                .map(|c| if (c as u32) >= 0x2E80 { 2 } else { 1 })
                .sum()
        })
        .collect();
    assert_eq!(bar_columns.len(), 1, "{}", out.stdout);

    let out = run(
        &[
            "--profile",
            "--format",
            "jsonl",
            &plan_path("000"),
            &plan_path("004"),
        ],
        None,
    );
    let profiles: Vec<Json> = out
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(profiles.len(), 2);
    assert_eq!(profiles[0]["year"], 2019);
    let share: f64 = profiles[1]["labels"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["share"].as_f64().unwrap())
        .sum();
    assert!((share - 1.0).abs() < 1e-9);

    let dir = tempfile::tempdir().unwrap();
    let report = dir.path().join("r.html");
    let out = run(
        &[
            "--format",
            "jsonl",
            "--report",
            report.to_str().unwrap(),
            "examples/plans",
        ],
        None,
    );
    assert_eq!(out.status, 0, "{}", out.stderr);
    let html = std::fs::read_to_string(&report).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>"));
    for external in ["http://", "https://", "<link", "src=\""] {
        assert!(
            !html.contains(external),
            "report refers to something external: {external}"
        );
    }
    for year in ["2018", "2019", "2020", "2021", "2023"] {
        assert!(html.contains(&format!("\"year\":{year}")));
    }
}

/// `--docs`: the five plans are read whole, each of their tasks but cover
/// letters is scored out of fold, and the threshold flags at most 30% of
/// them (the rounding of one task allowed); a folder of no training
/// document adds nothing.
#[test]
fn training_documents_read_whole_set_the_flag_on_their_tasks() {
    let dir = tempfile::tempdir().unwrap();
    let model = dir.path().join("m.model");
    let report = dir.path().join("r.json");
    let train = |docs: &str| {
        let out = run_train(&[
            "--docs",
            docs,
            "--folds",
            "5",
            "--out",
            model.to_str().unwrap(),
            "--report-json",
            report.to_str().unwrap(),
        ]);
        assert_eq!(out.status, 0, "{}", out.stderr);
        let r: Json = serde_json::from_slice(&std::fs::read(&report).unwrap()).unwrap();
        r
    };
    let mut tasks = 0;
    for prefix in PLANS {
        let out = run(&["segment", "--format", "jsonl", &plan_path(prefix)], None);
        tasks += out
            .stdout
            .lines()
            .filter(|l| !l.contains("\"kind\":\"notice\""))
            .count();
    }
    let r = train("examples/plans");
    assert_eq!(r["document_tasks"].as_u64().unwrap() as usize, tasks);
    let flagged = r["flagged_task_share"].as_f64().unwrap();
    assert!(
        flagged > 0.0 && flagged <= 0.30 + 1.0 / tasks as f64,
        "{flagged}"
    );
    let empty = tempfile::tempdir().unwrap();
    let r = train(empty.path().to_str().unwrap());
    assert_eq!(r["document_tasks"], 0);
}
