//! Training as a user: `plan-train` writes a model of the user's own (never
//! the shipped one unasked), `plan-tag` is pointed at it once through
//! `PLANTAG_MODEL` or a config file, and the training-data flags read the
//! same everywhere, also outside the repository.

mod common;

use std::path::Path;
use std::process::Command;

use common::{plan_path, Output};

const REPO: &str = env!("CARGO_MANIFEST_DIR");

/// Runs a binary in `dir` with exactly these model-related variables.
fn run_in(bin: &str, dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(bin);
    cmd.args(args)
        .current_dir(dir)
        .env_remove("PLANTAG_MODEL")
        .env_remove("PLANTAG_CONFIG")
        .env("XDG_CONFIG_HOME", "/nonexistent");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().unwrap();
    Output {
        status: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn tag(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    run_in(env!("CARGO_BIN_EXE_plan-tag"), dir, args, env)
}

fn train(dir: &Path, args: &[&str]) -> Output {
    run_in(env!("CARGO_BIN_EXE_plan-train"), dir, args, &[])
}

/// The `model_digest` of the review queue `plan-tag` writes for a plan.
fn digest_used(dir: &Path, env: &[(&str, &str)]) -> String {
    let queue = dir.join("q.jsonl");
    let plan = plan_path("003");
    let out = tag(
        dir,
        &[
            "--format",
            "jsonl",
            "--min-confidence",
            "1",
            "--review-queue",
            queue.to_str().unwrap(),
            &plan,
        ],
        env,
    );
    assert_eq!(out.status, 0, "{}", out.stderr);
    let first = std::fs::read_to_string(&queue).unwrap();
    let line: common::Json = serde_json::from_str(first.lines().next().unwrap()).unwrap();
    line["model_digest"].as_str().unwrap().to_string()
}

/// `crc32:<hex>` from a model file's header.
fn header_digest(path: &Path) -> String {
    let bytes = std::fs::read(path).unwrap();
    let header = String::from_utf8_lossy(&bytes[..bytes.iter().position(|&b| b == b'\n').unwrap()])
        .into_owned();
    format!("crc32:{}", header.split(' ').nth(2).unwrap())
}

#[test]
fn training_needs_an_out_and_leaves_the_shipped_model_alone() {
    let shipped = std::fs::read(Path::new(REPO).join("models/default.model")).unwrap();
    let out = train(Path::new(REPO), &["--folds", "2"]);
    assert_eq!(out.status, 2, "{}", out.stderr);
    assert!(out.stderr.contains("--out <FILE>"), "{}", out.stderr);
    assert_eq!(
        std::fs::read(Path::new(REPO).join("models/default.model")).unwrap(),
        shipped
    );
}

#[test]
fn outside_the_repository_training_data_is_named_with_data() {
    let dir = tempfile::tempdir().unwrap();
    let out = train(dir.path(), &["check"]);
    assert_eq!(out.status, 1);
    let lines: Vec<&str> = out.stderr.lines().collect();
    assert_eq!(lines.len(), 1, "{}", out.stderr);
    assert!(
        lines[0].starts_with("plan-train: training-data: no such training-data directory")
            && lines[0].contains("--data DIR"),
        "{}",
        lines[0]
    );
    let out = train(dir.path(), &["--out", "m.model"]);
    assert_eq!(out.status, 1);
    assert!(out.stderr.contains("--data DIR"), "{}", out.stderr);
    assert!(!dir.path().join("m.model").exists());

    let data = format!("{REPO}/training-data");
    let out = train(dir.path(), &["check", "--data", &data]);
    assert_eq!(out.status, 0, "{}", out.stderr);
    assert!(out.stdout.contains("ok: "), "{}", out.stdout);
    // The older positional spelling still works.
    assert_eq!(train(dir.path(), &["check", &data]).status, 0);
    // Reviewing reads the same directory the same way.
    digest_used(dir.path(), &[]);
    let out = tag(dir.path(), &["review", "q.jsonl"], &[]);
    assert_eq!(out.status, 1);
    assert!(
        out.stderr
            .contains("training-data: no such training-data directory")
            && out.stderr.contains("--data DIR"),
        "{}",
        out.stderr
    );
}

#[test]
fn a_users_model_is_chosen_once_by_environment_or_config_file() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let data = format!("{REPO}/training-data");
    let out = train(d, &["--data", &data, "--folds", "2", "--out", "mine.model"]);
    assert_eq!(out.status, 0, "{}", out.stderr);
    let mine = d.join("mine.model");
    assert!(
        out.stderr.contains(&format!(
            "export PLANTAG_MODEL={}",
            mine.canonicalize().unwrap().display()
        )),
        "{}",
        out.stderr
    );
    let shipped = header_digest(&Path::new(REPO).join("models/default.model"));
    let own = header_digest(&mine);
    assert_ne!(shipped, own);

    // Nothing set: the built-in model.
    assert_eq!(digest_used(d, &[]), shipped);
    // PLANTAG_MODEL.
    let mine_str = mine.to_str().unwrap();
    assert_eq!(digest_used(d, &[("PLANTAG_MODEL", mine_str)]), own);
    // A config file in the usual place, the path relative to it.
    let config_dir = d.join("config");
    std::fs::create_dir_all(config_dir.join("plantag")).unwrap();
    std::fs::write(
        config_dir.join("plantag/config.toml"),
        "model = \"../../mine.model\"\n",
    )
    .unwrap();
    let xdg = [("XDG_CONFIG_HOME", config_dir.to_str().unwrap())];
    assert_eq!(digest_used(d, &xdg), own);
    // PLANTAG_MODEL wins over the config file, --model over both.
    let broken = d.join("broken.model");
    std::fs::write(&broken, b"plantag-model 1 00000000 3\nabc").unwrap();
    let both = [xdg[0], ("PLANTAG_MODEL", broken.to_str().unwrap())];
    let plan = plan_path("000");
    let out = tag(d, &[&plan], &both);
    assert_eq!(out.status, 3);
    assert_eq!(out.stderr.lines().count(), 1, "{}", out.stderr);
    assert!(
        out.stderr.contains("broken.model") && out.stderr.contains("(named by PLANTAG_MODEL)"),
        "{}",
        out.stderr
    );
    let out = tag(d, &["--model", mine_str, "--format", "jsonl", &plan], &both);
    assert_eq!(out.status, 0, "{}", out.stderr);
}

#[test]
fn a_bad_config_file_is_an_error_not_a_silent_fallback() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let config = d.join("plantag.toml");
    let plan = plan_path("000");
    let env = [("PLANTAG_CONFIG", config.to_str().unwrap())];
    // Named by PLANTAG_CONFIG but missing.
    let out = tag(d, &[&plan], &env);
    assert_eq!(out.status, 3);
    assert!(
        out.stderr.contains("plantag.toml: cannot read"),
        "{}",
        out.stderr
    );
    // A misspelt key.
    std::fs::write(&config, "modle = \"x.model\"\n").unwrap();
    let out = tag(d, &[&plan], &env);
    assert_eq!(out.status, 3);
    assert!(
        out.stderr.contains("plantag.toml: invalid config file") && out.stderr.contains("modle"),
        "{}",
        out.stderr
    );
    // A model that is not there, named by the file.
    std::fs::write(&config, "model = \"x.model\"\n").unwrap();
    let out = tag(d, &[&plan], &env);
    assert_eq!(out.status, 3);
    assert!(
        out.stderr.contains("x.model")
            && out.stderr.contains("(named by ")
            && out.stderr.contains("plantag.toml)"),
        "{}",
        out.stderr
    );
    // No model key: the built-in model.
    std::fs::write(&config, "# nothing chosen\n").unwrap();
    let out = tag(d, &["--format", "jsonl", &plan], &env);
    assert_eq!(out.status, 0, "{}", out.stderr);
}
