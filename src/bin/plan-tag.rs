//! plan-tag: segments plans and labels their tasks. Parses flags, turns them
//! into the objects the work needs (a loaded model, a writer), and calls the
//! library; all logic lives in `plantag`.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};
use plantag::app::{self, InputMode};
use plantag::classify::{Classifier, PredictOptions};
use plantag::model::{self, ModelFile};
use plantag::output::{Format, Writer};
use plantag::{input, Error};

/// Exit statuses (documented in README.md).
const EXIT_OK: u8 = 0;
const EXIT_SOME_FAILED: u8 = 1;
const EXIT_USAGE: u8 = 2;
const EXIT_MODEL: u8 = 3;

#[derive(Parser)]
#[command(
    name = "plan-tag",
    version,
    about = "Split Chinese health work plans into tasks and label each task with its policy domain",
    args_conflicts_with_subcommands = true,
    subcommand_negates_reqs = true
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    #[command(flatten)]
    tag: TagArgs,
}

#[derive(Subcommand)]
enum Command {
    /// Print the task tree of plans without labelling them.
    Segment(SegmentArgs),
}

#[derive(Args)]
struct TagArgs {
    /// Model file (default: the model shipped in models/, built in).
    #[arg(long, value_name = "FILE")]
    model: Option<PathBuf>,
    /// Output format (default: table on a terminal, jsonl otherwise).
    #[arg(long, value_enum)]
    format: Option<Format>,
    /// Number of candidate labels listed per task.
    #[arg(long, default_value_t = 3, value_parser = clap::value_parser!(u16).range(1..=50))]
    top: u16,
    /// List the terms that pushed each decision.
    #[arg(long)]
    explain: bool,
    /// Flag tasks below this confidence (default: the model's threshold).
    #[arg(long, value_name = "P", value_parser = parse_probability)]
    min_confidence: Option<f64>,
    /// `plan`: documents to segment; `jsonl`: already-segmented sections.
    #[arg(long, value_enum, default_value = "plan")]
    input: InputMode,
    /// Plan files, directories (searched recursively) or `-` for stdin.
    #[arg(required = true, value_name = "FILE|DIR|-")]
    inputs: Vec<String>,
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

fn parse_probability(s: &str) -> Result<f64, String> {
    let p: f64 = s.parse().map_err(|_| format!("`{s}` is not a number"))?;
    if (0.0..=1.0).contains(&p) {
        Ok(p)
    } else {
        Err(format!("{p} is not within 0..1"))
    }
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() { EXIT_USAGE } else { EXIT_OK };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    let result = match cli.command {
        Some(Command::Segment(args)) => run_segment(args),
        None => run_tag(cli.tag),
    };
    match result {
        Ok(code) => ExitCode::from(code),
        // `plan-tag … | head` closes the pipe: not an error.
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

fn report(e: &Error) {
    eprintln!("plan-tag: {e}");
}

fn run_segment(args: SegmentArgs) -> std::io::Result<u8> {
    let (sources, walk_errors) = input::expand_sources(&args.inputs);
    walk_errors.iter().for_each(report);
    let out = std::io::BufWriter::new(std::io::stdout().lock());
    let format = default_format(args.format);
    let summary = app::segment_batch(&sources, format, out, args.text, report)?;
    Ok(exit_status(walk_errors.len() + summary.failed))
}

fn exit_status(failed: usize) -> u8 {
    if failed > 0 {
        EXIT_SOME_FAILED
    } else {
        EXIT_OK
    }
}

fn load_model(path: Option<&PathBuf>) -> Result<Classifier, Error> {
    let file = match path {
        Some(p) => ModelFile::load(p)?,
        None => model::default_model()?,
    };
    Classifier::new(file)
}

fn run_tag(args: TagArgs) -> std::io::Result<u8> {
    let classifier = match load_model(args.model.as_ref()) {
        Ok(c) => c,
        Err(e) => {
            report(&e);
            return Ok(EXIT_MODEL);
        }
    };
    let (sources, walk_errors) = input::expand_sources(&args.inputs);
    walk_errors.iter().for_each(report);
    let opts = PredictOptions {
        top: args.top as usize,
        explain: args.explain,
        min_confidence: args.min_confidence,
    };
    let stderr_is_terminal = std::io::stderr().is_terminal();
    let bar = (stderr_is_terminal && sources.len() > 1)
        .then(|| indicatif::ProgressBar::new(sources.len() as u64));
    let out = std::io::BufWriter::new(std::io::stdout().lock());
    let mut writer = Writer::new(out, default_format(args.format));
    let summary = app::tag_batch(
        &classifier,
        &sources,
        args.input,
        opts,
        |tagged| app::write_tagged(&mut writer, tagged),
        |e| match &bar {
            Some(b) => b.suspend(|| report(e)),
            None => report(e),
        },
        |done| {
            if let Some(b) = &bar {
                b.set_position(done as u64);
            }
        },
    )?;
    writer.finish()?;
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    let failed = walk_errors.len() + summary.failed;
    let mut err = std::io::stderr().lock();
    writeln!(
        err,
        "plan-tag: {} document(s), {} task(s), {} flagged low-confidence{}",
        summary.documents,
        summary.tasks,
        summary.flagged,
        if failed > 0 {
            format!(", {failed} failed")
        } else {
            String::new()
        }
    )?;
    Ok(exit_status(failed))
}
