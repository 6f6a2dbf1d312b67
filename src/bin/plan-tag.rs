//! plan-tag: segments plans and labels their tasks. Parses flags, turns them
//! into the objects the work needs (a loaded model, a writer), and calls the
//! library; all logic lives in `plantag`.

/// mimalloc: tagging and training make many small, short-lived allocations
/// per task, which it serves with less work than the system allocator
/// (README.md, "Speed and memory").
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};
use plantag::app::{self, InputMode, TagOptions};
use plantag::classify::{Classifier, PredictOptions};
use plantag::model;
use plantag::output::{Format, Writer};
use plantag::{data, input, profile, review, Error};

/// Exit statuses (documented in README.md).
const EXIT_OK: u8 = 0;
const EXIT_SOME_FAILED: u8 = 1;
const EXIT_USAGE: u8 = 2;
const EXIT_MODEL: u8 = 3;
const EXIT_OUTPUT: u8 = 4;

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
    /// Review a queue of low-confidence labels; decisions go to
    /// DATA/reviewed.jsonl at once.
    Review(ReviewArgs),
}

#[derive(Args)]
struct ReviewArgs {
    /// Queue written by `plan-tag --review-queue`.
    queue: PathBuf,
    /// Training-data directory (taxonomy and reviewed.jsonl).
    #[arg(long, default_value = "training-data")]
    data: PathBuf,
    /// Name recorded with each decision (default: the user name).
    #[arg(long)]
    reviewer: Option<String>,
}

#[derive(Args)]
struct TagArgs {
    /// Model file (default: $PLANTAG_MODEL, else `model` in
    /// ~/.config/plantag/config.toml, else the shipped model, built in).
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
    /// Also write the low-confidence tasks to this review queue (JSONL,
    /// most uncertain first).
    #[arg(long, value_name = "FILE")]
    review_queue: Option<PathBuf>,
    /// Print a profile per document (tasks and share of text per label)
    /// instead of the tasks: a bar chart, or JSON with --format json/jsonl.
    #[arg(long)]
    profile: bool,
    /// Also write a self-contained HTML report (label shares per plan side
    /// by side, and a filterable table of every task).
    #[arg(long, value_name = "FILE")]
    report: Option<PathBuf>,
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
        Some(Command::Review(args)) => run_review(args),
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

fn note(doc: &str, message: &str) {
    eprintln!("plan-tag: {doc}: note: {message}");
}

fn run_segment(args: SegmentArgs) -> std::io::Result<u8> {
    let (sources, walk_errors) = input::expand_sources(&args.inputs);
    walk_errors.iter().for_each(report);
    let out = std::io::BufWriter::new(std::io::stdout().lock());
    let format = default_format(args.format);
    let summary = app::segment_batch(&sources, format, out, args.text, report, note)?;
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
    Classifier::new(model::load_or_default(path.map(PathBuf::as_path))?)
}

fn run_tag(args: TagArgs) -> std::io::Result<u8> {
    if let Some(Err(e)) = args.report.as_deref().map(plantag::report::check_target) {
        report(&e);
        return Ok(EXIT_USAGE);
    }
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
    let format = default_format(args.format);
    let out = std::io::BufWriter::new(std::io::stdout().lock());
    let mut writer = Writer::new(out, format);
    let mut profile_out = std::io::BufWriter::new(std::io::stdout().lock());
    let tag_opts = TagOptions {
        mode: args.input,
        predict: opts,
        review_words: args.review_queue.is_some(),
    };
    let mut queue = Vec::new();
    let mut kept = Vec::new();
    let digest = classifier.model.digest.clone();
    let labels = classifier.model.taxonomy.clone();
    let summary = app::tag_batch(
        &classifier,
        &sources,
        &tag_opts,
        |tagged| {
            for w in &tagged.warnings {
                note(&tagged.doc, w);
            }
            if args.review_queue.is_some() {
                queue.extend(review::queue_items(&tagged, &digest));
            }
            if args.profile {
                let p = profile::profile(&tagged, &labels);
                if matches!(format, Format::Json | Format::Jsonl) {
                    serde_json::to_writer(&mut profile_out, &p)?;
                    writeln!(profile_out)?;
                } else {
                    writeln!(profile_out, "{}", profile::to_text(&p))?;
                }
            } else {
                app::write_tagged(&mut writer, &tagged)?;
            }
            if args.report.is_some() {
                kept.push(tagged);
            }
            Ok(())
        },
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
    profile_out.flush()?;
    if !args.profile {
        writer.finish()?;
    }
    drop(writer);
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    let mut failed = walk_errors.len() + summary.failed;
    // An output file that cannot be written is no failed document.
    let mut output_failed = false;
    if let Some(path) = &args.report {
        match plantag::report::write(path, &kept, &labels) {
            Ok(()) => eprintln!("plan-tag: report written to {}", path.display()),
            Err(e) => {
                report(&e);
                output_failed = true;
            }
        }
    }
    if let Some(path) = &args.review_queue {
        match review::write_queue(path, queue) {
            Ok(n) => eprintln!(
                "plan-tag: {n} task(s) queued for review in {}",
                path.display()
            ),
            Err(e) => {
                report(&e);
                failed += 1;
            }
        }
    }
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
    Ok(match exit_status(failed) {
        EXIT_OK if output_failed => EXIT_OUTPUT,
        status => status,
    })
}

fn run_review(args: ReviewArgs) -> std::io::Result<u8> {
    let result = (|| -> Result<(), Error> {
        let queue = review::read_queue(&args.queue)?;
        let data_dir = plantag::config::training_data(&args.data)?;
        let taxonomy = data::Taxonomy::load(&data_dir.join(data::TAXONOMY_FILE))?;
        let reviewer = args
            .reviewer
            .clone()
            .or_else(|| std::env::var("USER").ok())
            .unwrap_or_else(|| "unknown".to_string());
        let decisions = args.data.join(data::REVIEWED_FILE);
        let mut session = review::Session::new(queue, &taxonomy, &decisions, &reviewer)?;
        let scripted = if std::io::stdin().is_terminal() && std::io::stdout().is_terminal() {
            review::screen::run(&mut session)
        } else {
            let stdin = std::io::stdin().lock();
            let stdout = std::io::stdout().lock();
            review::run_script(&mut session, stdin, stdout).map(|_| ())
        };
        let p = session.progress();
        eprintln!(
            "plan-tag: {} reviewed ({} changed), {} skipped in this session; {} of {} queued tasks decided, {} remaining; decisions in {}",
            p.decided_here,
            p.changed,
            p.skipped,
            p.done,
            session.items.len(),
            p.remaining,
            decisions.display()
        );
        scripted
    })();
    match result {
        Ok(()) => Ok(EXIT_OK),
        Err(e) => {
            report(&e);
            Ok(EXIT_SOME_FAILED)
        }
    }
}
