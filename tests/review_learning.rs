//! `plan-train learn` end to end on a small scale: one round of a few
//! reviews on the corpus (`../shared/corpus`, or `$PLANTAG_CORPUS`), both
//! strategies, a fixed weight. The corpus is third-party text and is never
//! copied into this repository: where it is absent, this test says so and
//! passes without checking anything.

mod common;

use common::{corpus, run_train, Json};

#[test]
fn a_simulated_review_round_retrains_and_measures_on_dev() {
    let Some(corpus) = corpus() else { return };
    let dir = tempfile::tempdir().unwrap();
    let json = dir.path().join("curve.json");
    let svg = dir.path().join("curve.svg");
    let out = run_train(&[
        "learn",
        "--corpus",
        corpus.to_str().unwrap(),
        "--rounds",
        "1",
        "--batch",
        "12",
        "--folds",
        "3",
        "--weight",
        "2",
        "--json",
        json.to_str().unwrap(),
        "--svg",
        svg.to_str().unwrap(),
    ]);
    assert_eq!(out.status, 0, "{}", out.stderr);
    assert!(out.stdout.contains("random sampling"), "{}", out.stdout);
    let report: Json = serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    assert_eq!(report["chosen_weight"], 2.0);
    assert_eq!(report["measure_units"], 360);
    let curves = report["measured"].as_array().unwrap();
    assert_eq!(curves.len(), 2);
    let start = &curves[0]["rounds"][0];
    for c in curves {
        let rounds = c["rounds"].as_array().unwrap();
        assert_eq!(rounds.len(), 2);
        // Both strategies start from the same model.
        assert_eq!(rounds[0]["strict"], start["strict"]);
        let r = &rounds[1];
        assert_eq!(r["shown"], 12);
        let decided = r["decided"].as_u64().unwrap();
        assert!(decided > 0 && decided <= 12, "{r}");
        // The reviews went into training, weighed by the review weight.
        assert_eq!(
            r["sections"].as_u64().unwrap(),
            start["sections"].as_u64().unwrap() + decided
        );
        for f in ["strict", "macro_f1", "ece"] {
            let v = r[f].as_f64().unwrap();
            assert!((0.0..=1.0).contains(&v), "{f} {v}");
        }
    }
    // The uncertain tasks are the model's mistakes more often than random
    // ones are: corrections among the first 12.
    assert!(
        curves[0]["rounds"][1]["corrected"].as_u64()
            >= curves[1]["rounds"][1]["corrected"].as_u64(),
        "{}",
        out.stdout
    );
    // The picture carries numbers only: no text of the corpus.
    let picture = std::fs::read_to_string(&svg).unwrap();
    assert!(picture.starts_with("<svg") && picture.contains("<polyline"));
    assert!(picture.is_ascii(), "the SVG holds only ASCII text");
}
