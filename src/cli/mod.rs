//! The command lines: `plan-tag`'s flags and subcommands (clap) here,
//! `plan-train`'s in [`train`]. The binaries parse with these and call the
//! library; `plan-tag`'s shell completions and man page are generated from
//! the same definitions.

use std::path::PathBuf;

use clap::{Args, CommandFactory, Parser, Subcommand};

use crate::output::Format;
use crate::tagger::InputMode;

pub mod tag;
pub mod train;

/// Exit statuses (documented in README.md).
pub mod exit {
    pub const OK: u8 = 0;
    /// Some inputs failed (each named on stderr); the others went through.
    pub const SOME_FAILED: u8 = 1;
    pub const USAGE: u8 = 2;
    pub const MODEL: u8 = 3;
    /// An output (standard output, `--output`, `--report`,
    /// `--review-queue`) could not be written.
    pub const OUTPUT: u8 = 4;
}

#[derive(Parser)]
#[command(
    name = "plan-tag",
    version,
    about = "Split Chinese health work plans into tasks and label each task with its policy domain",
    args_conflicts_with_subcommands = true,
    subcommand_negates_reqs = true
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    #[command(flatten)]
    pub tag: TagArgs,
}

#[derive(Subcommand)]
pub enum Command {
    /// Print the task tree of plans without labelling them.
    Segment(SegmentArgs),
    /// Review a queue of low-confidence labels; decisions go to
    /// DATA/reviewed.jsonl at once.
    Review(ReviewArgs),
    /// Print a shell completion script (e.g. `plan-tag completions bash >
    /// /etc/bash_completion.d/plan-tag`).
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff), e.g. `plan-tag man > plan-tag.1`.
    Man,
}

#[derive(Args)]
pub struct ReviewArgs {
    /// Queue written by `plan-tag --review-queue`.
    pub queue: PathBuf,
    /// Training-data directory (taxonomy and reviewed.jsonl).
    #[arg(long, default_value = "training-data")]
    pub data: PathBuf,
    /// Name recorded with each decision (default: the user name).
    #[arg(long)]
    pub reviewer: Option<String>,
}

#[derive(Args)]
pub struct TagArgs {
    /// Model file (default: $PLANTAG_MODEL, else `model` in
    /// ~/.config/plantag/config.toml, else the shipped model, built in).
    #[arg(long, value_name = "FILE")]
    pub model: Option<PathBuf>,
    /// Output format (default: table on a terminal, jsonl otherwise).
    #[arg(long, value_enum)]
    pub format: Option<Format>,
    /// Write the output to FILE (atomically: complete or not at all)
    /// instead of standard output.
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Number of candidate labels listed per task.
    #[arg(long, default_value_t = 3, value_parser = clap::value_parser!(u16).range(1..=50))]
    pub top: u16,
    /// List the N terms (default 8) that pushed each decision, in every
    /// format (CSV: an `explain` column).
    #[arg(long, value_name = "N", num_args = 0..=1, require_equals = true,
          default_missing_value = "8",
          value_parser = clap::value_parser!(u16).range(1..=100))]
    pub explain: Option<u16>,
    /// Flag tasks below this confidence (default: the model's threshold).
    #[arg(long, value_name = "P", value_parser = parse_probability)]
    pub min_confidence: Option<f64>,
    /// Also write the low-confidence tasks to this review queue (JSONL,
    /// most uncertain first).
    #[arg(long, value_name = "FILE")]
    pub review_queue: Option<PathBuf>,
    /// Print a profile per document (tasks and share of text per label)
    /// instead of the tasks: a bar chart, JSON with --format json/jsonl,
    /// rows with --format csv.
    #[arg(long)]
    pub profile: bool,
    /// Also write a self-contained HTML report (label shares per plan side
    /// by side, and a filterable table of every task).
    #[arg(long, value_name = "FILE")]
    pub report: Option<PathBuf>,
    /// `plan`: documents to segment; `jsonl`: already-segmented sections.
    #[arg(long, value_enum, default_value = "plan")]
    pub input: InputMode,
    /// No summary line or notices of files written (errors still show).
    #[arg(long, short)]
    pub quiet: bool,
    /// Threads to tag with (default: one per core).
    #[arg(long, short, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    pub jobs: Option<u16>,
    /// Plan files, directories (searched recursively) or `-` for stdin.
    #[arg(required = true, value_name = "FILE|DIR|-")]
    pub inputs: Vec<String>,
}

#[derive(Args)]
pub struct SegmentArgs {
    /// Output format (default: table on a terminal, jsonl otherwise).
    #[arg(long, value_enum)]
    pub format: Option<Format>,
    /// Show a snippet of each task's text in the table.
    #[arg(long)]
    pub text: bool,
    /// Threads to segment with (default: one per core).
    #[arg(long, short, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    pub jobs: Option<u16>,
    /// Plan files, directories (searched recursively) or `-` for stdin.
    #[arg(required = true, value_name = "FILE|DIR|-")]
    pub inputs: Vec<String>,
}

fn parse_probability(s: &str) -> Result<f64, String> {
    let p: f64 = s.parse().map_err(|_| format!("`{s}` is not a number"))?;
    if (0.0..=1.0).contains(&p) {
        Ok(p)
    } else {
        Err(format!("{p} is not within 0..1"))
    }
}

/// Sets the number of worker threads (before any parallel work).
pub fn set_jobs(jobs: Option<u16>) {
    if let Some(n) = jobs {
        // Fails only when the pool was already built: then it stays as is.
        let _ = rayon::ThreadPoolBuilder::new()
            .num_threads(n as usize)
            .build_global();
    }
}

/// Writes the completion script for `shell`.
pub fn completions(shell: clap_complete::Shell, out: &mut dyn std::io::Write) {
    clap_complete::generate(shell, &mut Cli::command(), "plan-tag", out);
}

/// Writes the man page.
pub fn man_page(out: &mut dyn std::io::Write) -> std::io::Result<()> {
    clap_mangen::Man::new(Cli::command()).render(out)
}
