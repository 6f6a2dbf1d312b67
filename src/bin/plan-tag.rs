//! plan-tag: segments plans and labels their tasks. Parses flags and calls the
//! library; all logic lives in `plantag`.

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};
use plantag::output::Format;
use plantag::{app, input};

/// Exit statuses (documented in README.md).
const EXIT_OK: u8 = 0;
const EXIT_SOME_FAILED: u8 = 1;

#[derive(Parser)]
#[command(
    name = "plan-tag",
    version,
    about = "Split Chinese health work plans into tasks and label each task with its policy domain",
    args_conflicts_with_subcommands = true
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Print the task tree of plans without labelling them.
    Segment(SegmentArgs),
}

#[derive(Args)]
struct SegmentArgs {
    /// Output format (default: table on a terminal, jsonl otherwise).
    #[arg(long, value_enum)]
    format: Option<Format>,
    /// Show a snippet of each task's text in the table.
    #[arg(long)]
    text: bool,
    /// Plan files, directories (searched recursively) or `-` for stdin.
    #[arg(required = true, value_name = "FILE|DIR|-")]
    inputs: Vec<String>,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Some(Command::Segment(args)) => run_segment(args),
        None => {
            eprintln!("plan-tag: tagging is not available in this build; use `plan-tag segment`");
            Ok(2)
        }
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::from(EXIT_OK),
        Err(e) => {
            eprintln!("plan-tag: {e}");
            ExitCode::from(EXIT_SOME_FAILED)
        }
    }
}

fn default_format(format: Option<Format>) -> Format {
    format.unwrap_or(if std::io::stdout().is_terminal() {
        Format::Table
    } else {
        Format::Jsonl
    })
}

fn run_segment(args: SegmentArgs) -> std::io::Result<u8> {
    let (sources, walk_errors) = input::expand_sources(&args.inputs);
    let mut failed = walk_errors.len();
    for e in &walk_errors {
        eprintln!("plan-tag: {e}");
    }
    let stdout = std::io::stdout().lock();
    let out = std::io::BufWriter::new(stdout);
    let summary = app::segment_batch(&sources, default_format(args.format), out, |e| {
        eprintln!("plan-tag: {e}")
    })?;
    failed += summary.failed;
    std::io::stderr().flush()?;
    Ok(if failed > 0 {
        EXIT_SOME_FAILED
    } else {
        EXIT_OK
    })
}
