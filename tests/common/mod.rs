//! Shared helpers: run the real binaries and find the shipped plans.
#![allow(dead_code)]

use std::io::Write;
use std::process::{Command, Stdio};

pub type Json = serde_json::Value;

/// File-name prefixes of the five shipped plans.
pub const PLANS: [&str; 5] = ["000", "001", "002", "003", "004"];

pub struct Output {
    pub status: i32,
    pub stdout: String,
    pub stderr: String,
}

pub fn plan_path(prefix: &str) -> String {
    let dir = format!("{}/examples/plans", env!("CARGO_MANIFEST_DIR"));
    let mut names: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.starts_with(prefix) && n.ends_with(".txt"))
        .collect();
    names.sort();
    format!("{dir}/{}", names[0])
}

/// Runs `plan-tag` with arguments and optional stdin.
pub fn run(args: &[&str], stdin: Option<&[u8]>) -> Output {
    run_bin(env!("CARGO_BIN_EXE_plan-tag"), args, stdin)
}

/// Runs `plan-train` with arguments.
pub fn run_train(args: &[&str]) -> Output {
    run_bin(env!("CARGO_BIN_EXE_plan-train"), args, None)
}

pub fn run_bin(bin: &str, args: &[&str], stdin: Option<&[u8]>) -> Output {
    let mut child = Command::new(bin)
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        // The shipped model, whatever model the machine's user has chosen.
        .env_remove("PLANTAG_MODEL")
        .env_remove("PLANTAG_CONFIG")
        .env("XDG_CONFIG_HOME", "/nonexistent")
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Written from another thread: a program that streams writes output
    // while it reads, and would block on a full pipe otherwise.
    let writer = stdin.map(|bytes| {
        let mut pipe = child.stdin.take().unwrap();
        let bytes = bytes.to_vec();
        std::thread::spawn(move || {
            // A program may stop reading early (a refused input).
            let _ = pipe.write_all(&bytes);
        })
    });
    let out = child.wait_with_output().unwrap();
    if let Some(w) = writer {
        w.join().unwrap();
    }
    Output {
        status: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// The `doc` field of every JSONL line of an output.
pub fn docs_of(stdout: &str) -> Vec<String> {
    stdout
        .lines()
        .map(|l| {
            serde_json::from_str::<Json>(l).unwrap()["doc"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect()
}

/// The corpus folder (`../shared/corpus`, or `PLANTAG_CORPUS`), or None
/// with a note that the test was skipped: the corpus is third-party text,
/// read where it lies and never part of the repository.
pub fn corpus() -> Option<std::path::PathBuf> {
    let dir = std::env::var_os("PLANTAG_CORPUS")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| {
            std::path::PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/corpus"))
        });
    if dir.join("docs").is_dir() {
        Some(dir)
    } else {
        eprintln!(
            "SKIPPED: no corpus at {} (set PLANTAG_CORPUS to its folder to run this test)",
            dir.display()
        );
        None
    }
}
