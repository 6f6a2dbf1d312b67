//! Nothing a user can feed the decoder, cleaner, segmenter or model loader
//! makes it panic: property tests over random input, and very large or very
//! deep inputs.

use std::path::Path;

use plantag::input::decode_document;
use plantag::model::{self, ModelFile};
use plantag::segment::segment;
use proptest::prelude::*;

fn check_tasks(text: &str) {
    let seg = segment("p", text);
    for t in &seg.tasks {
        assert!(
            t.start <= t.end && t.end <= text.len(),
            "{} {}..{}",
            t.id,
            t.start,
            t.end
        );
        assert!(text.is_char_boundary(t.start) && text.is_char_boundary(t.end));
        assert!(t.line_start <= t.line_end);
    }
    let mut ids: Vec<&str> = seg.tasks.iter().map(|t| t.id.as_str()).collect();
    ids.sort_unstable();
    let n = ids.len();
    ids.dedup();
    assert_eq!(ids.len(), n, "duplicate ids");
}

/// Plan-like text: markers, punctuation, Chinese words, spaces and breaks.
fn plan_like() -> impl Strategy<Value = String> {
    let atoms = prop::sample::select(vec![
        "一、",
        "二、",
        "（一）",
        "(二)",
        "（十一）",
        "1.",
        "2、",
        "3．",
        "（1）",
        "(2)",
        "①",
        "②",
        "第一章",
        "第二节",
        "一是",
        "二是",
        "三是",
        "十一是",
        "。",
        "，",
        "：",
        ":",
        "；",
        "\n",
        "\n\n",
        " ",
        "　",
        "- ",
        "加强",
        "党建",
        "医疗",
        "卫生",
        "健康",
        "工作",
        "要点",
        "关于印发《",
        "》的通知",
        "同志们",
        "2020年",
        "１２",
        "责任编辑",
        "- 3 -",
        "\r\n",
        "“",
        "”",
        "\u{feff}",
        "x",
    ]);
    prop::collection::vec(atoms, 0..200).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn decoder_never_panics_on_random_bytes(bytes in prop::collection::vec(any::<u8>(), 0..4096)) {
        let _ = decode_document("r.txt", &bytes);
        let _ = decode_document("r.html", &bytes);
    }

    #[test]
    fn segmenter_never_panics_on_random_utf8(text in "\\PC{0,2000}") {
        check_tasks(&text);
    }

    #[test]
    fn segmenter_never_panics_on_plan_like_text(text in plan_like()) {
        check_tasks(&text);
    }

    #[test]
    fn html_cleaner_never_panics(text in "(<[a-z/!]{0,8}[^>]{0,10}>|[^<]{0,20}|&[a-z#0-9]{0,6};?){0,80}") {
        let _ = plantag::input::html_to_text(&text);
    }

    #[test]
    fn model_loader_never_panics(bytes in prop::collection::vec(any::<u8>(), 0..2048)) {
        let _ = ModelFile::from_bytes(Path::new("m"), &bytes);
        let mut with_header = b"plantag-model 1 00000000 10\n".to_vec();
        with_header.extend_from_slice(&bytes);
        let _ = ModelFile::from_bytes(Path::new("m"), &with_header);
    }

    #[test]
    fn damaged_default_model_is_refused_not_panicking(at in 0usize..1_000_000, bit in 0u8..8) {
        let mut bytes = model::DEFAULT_MODEL_BYTES.to_vec();
        let at = at % bytes.len();
        bytes[at] ^= 1 << bit;
        prop_assert!(ModelFile::from_bytes(Path::new("m"), &bytes).is_err());
    }
}

#[test]
fn ten_thousand_numbered_items_stay_apart() {
    let mut text = String::from("一、总体\n（一）事项\n");
    for i in 1..=10_000 {
        text.push_str(&format!("{i}. 第{i}项工作，加强管理。\n"));
    }
    let seg = segment("p", &text);
    assert_eq!(seg.tasks.len(), 10_000);
    assert_eq!(seg.tasks[9_999].id, "一/（一）/10000");
}

#[test]
fn ten_thousand_repeated_numbers_stay_apart() {
    let text = "（一）同一编号。\n".repeat(10_000);
    let seg = segment("p", &text);
    assert_eq!(seg.tasks.len(), 10_000);
    assert_eq!(seg.tasks[9_999].id, "（一）-10000");
}

#[test]
fn deeply_mixed_numbering_does_not_overflow() {
    let styles = ["第一章", "一、", "（一）", "1.", "（1）", "①", "一是"];
    let mut text = String::new();
    for round in 0..2_000 {
        for s in styles {
            text.push_str(&format!("{s}第{round}层内容。\n"));
        }
    }
    check_tasks(&text);
}

#[test]
fn fifty_megabyte_plan_and_five_megabyte_line() {
    let plan = std::fs::read_to_string(format!(
        "{}/examples/plans/004_05f020d46ba48b5f.txt",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap();
    let big = plan.repeat(50 * 1024 * 1024 / plan.len() + 1);
    let doc = decode_document("big.txt", big.as_bytes()).unwrap();
    let seg = segment("big.txt", &doc.text);
    assert!(seg.tasks.len() > 100_000);

    let line = "加强卫生健康工作，".repeat(5 * 1024 * 1024 / 27 + 1);
    let seg = segment("line.txt", &line);
    assert_eq!(seg.tasks.len(), 1);
    assert_eq!(seg.warnings.len(), 1);
}
