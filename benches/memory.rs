//! Peak memory of `plan-tag` at two input sizes, for each way a large job
//! comes: a JSONL stream of sections on stdin, a folder of many plans, and
//! one very long plan. Inputs are the shipped example plans repeated (never
//! corpus text). Peak resident memory is the child's `ru_maxrss` (wait4).
//!
//! ```sh
//! cargo bench --bench memory
//! PLANTAG_MEMORY_MB=200 PLANTAG_MEMORY_FILES=2000 cargo bench --bench memory   # smaller
//! PLANTAG_MEMORY_BIN=/path/to/other/plan-tag cargo bench --bench memory       # compare a build
//! ```

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn plans() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/plans");
    let mut plans: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    plans.sort();
    plans
}

/// Writes a child's standard input.
type Feed<'a> = &'a dyn Fn(&mut dyn Write);

/// Runs the binary, feeding stdin from `feed`; returns (peak RSS in MB,
/// seconds, exit status, stdout bytes).
fn measure(bin: &str, args: &[&str], feed: Option<Feed<'_>>) -> (f64, f64, i32, u64) {
    let start = Instant::now();
    let mut child = Command::new(bin)
        .args(args)
        .env("RAYON_NUM_THREADS", "2")
        .stdin(if feed.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("run plan-tag");
    let mut stdout = child.stdout.take().unwrap();
    let counter =
        std::thread::spawn(move || std::io::copy(&mut stdout, &mut std::io::sink()).unwrap());
    if let Some(feed) = feed {
        let mut stdin = std::io::BufWriter::new(child.stdin.take().unwrap());
        feed(&mut stdin);
        let _ = stdin.flush(); // a reader that stops early closes the pipe
    }
    let pid = child.id() as libc::pid_t;
    let mut status = 0;
    // SAFETY: an all-zero rusage is a valid value for wait4 to fill.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: `pid` is our child, not yet reaped; the pointers are valid.
    let reaped = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    assert_eq!(reaped, pid, "wait4");
    let bytes = counter.join().unwrap();
    std::mem::forget(child); // reaped above
    let code = if libc::WIFEXITED(status) {
        libc::WEXITSTATUS(status)
    } else {
        -1
    };
    (
        usage.ru_maxrss as f64 / 1024.0,
        start.elapsed().as_secs_f64(),
        code,
        bytes,
    )
}

fn report(what: &str, input_mb: f64, (rss, secs, code, out): (f64, f64, i32, u64)) {
    println!(
        "{what:<44} input {input_mb:>8.1} MB  peak RSS {rss:>7.1} MB  {secs:>6.1} s  exit {code}  output {:.1} MB",
        out as f64 / 1e6
    );
}

fn main() {
    let bin = std::env::var("PLANTAG_MEMORY_BIN")
        .unwrap_or_else(|_| env!("CARGO_BIN_EXE_plan-tag").to_string());
    let big_mb = env_usize("PLANTAG_MEMORY_MB", 1024);
    let big_files = env_usize("PLANTAG_MEMORY_FILES", 20_000);
    let big_plan_mb = env_usize("PLANTAG_MEMORY_PLAN_MB", 50);
    let plans = plans();
    println!("plan-tag: {bin}");

    // Sections of the shipped plans, as `plan-tag segment` prints them.
    let seg = Command::new(&bin)
        .args(["segment", "--format", "jsonl"])
        .args(&plans)
        .output()
        .unwrap();
    let sections: Vec<serde_json::Value> = String::from_utf8(seg.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();

    // 1. A JSONL stream on stdin, each copy of a plan one `doc`.
    for mb in [big_mb / 10, big_mb] {
        let target = (mb as u64) << 20;
        let feed = |out: &mut dyn Write| {
            let mut written = 0u64;
            let mut copy = 0;
            while written < target {
                for s in &sections {
                    let line = serde_json::json!({
                        "id": s["id"], "title": s["title"], "path": s["path"], "text": s["text"],
                        "doc": format!("{}#{copy}", s["doc"].as_str().unwrap()),
                    });
                    let mut bytes = serde_json::to_vec(&line).unwrap();
                    bytes.push(b'\n');
                    written += bytes.len() as u64;
                    if out.write_all(&bytes).is_err() {
                        return;
                    }
                }
                copy += 1;
            }
        };
        let result = measure(
            &bin,
            &["--input", "jsonl", "--format", "jsonl", "-"],
            Some(&feed),
        );
        report("--input jsonl from stdin", mb as f64, result);
    }

    // 2. A folder of many plans (copies of the five).
    let dir = tempfile::tempdir().unwrap();
    let contents: Vec<Vec<u8>> = plans.iter().map(|p| std::fs::read(p).unwrap()).collect();
    let mut made = 0;
    let mut bytes = 0usize;
    for files in [big_files / 10, big_files] {
        while made < files {
            let c = &contents[made % contents.len()];
            let sub = dir.path().join(format!("{:03}", made / 1000));
            std::fs::create_dir_all(&sub).unwrap();
            std::fs::write(sub.join(format!("{made:06}.txt")), c).unwrap();
            bytes += c.len();
            made += 1;
        }
        let result = measure(
            &bin,
            &["--format", "jsonl", dir.path().to_str().unwrap()],
            None,
        );
        report(
            &format!("a folder of {files} plans"),
            bytes as f64 / 1048576.0,
            result,
        );
        // The same with the outputs written whole at the end.
        let out = tempfile::tempdir().unwrap();
        let (html, queue) = (out.path().join("r.html"), out.path().join("q.jsonl"));
        let result = measure(
            &bin,
            &[
                "--format",
                "jsonl",
                "--report",
                html.to_str().unwrap(),
                "--review-queue",
                queue.to_str().unwrap(),
                dir.path().to_str().unwrap(),
            ],
            None,
        );
        report(
            "  the same, with --report and --review-queue",
            bytes as f64 / 1048576.0,
            result,
        );
    }
    drop(dir);

    // 3. One long plan: the five plans over and over in one file.
    let dir = tempfile::tempdir().unwrap();
    for mb in [big_plan_mb / 5, big_plan_mb] {
        let path = dir.path().join(format!("long-{mb}.txt"));
        let mut f = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
        let mut written = 0;
        while written < mb << 20 {
            for c in &contents {
                f.write_all(c).unwrap();
                f.write_all(b"\n").unwrap();
                written += c.len() + 1;
            }
        }
        f.flush().unwrap();
        drop(f);
        let result = measure(&bin, &["--format", "jsonl", path.to_str().unwrap()], None);
        report("one long plan", written as f64 / 1048576.0, result);
    }
}
