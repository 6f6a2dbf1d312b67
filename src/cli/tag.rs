//! The commands of `plan-tag`: tag plans (or ready-made sections), print
//! the task tree, review doubtful labels, and the shell completions and
//! man page. The binary parses with [`super::Cli`] and calls [`run`].

use super::{exit, Cli, Command, ReviewArgs, SegmentArgs, TagArgs};
use crate::app::{self, TagOutputs};
use crate::classify::{Classifier, PredictOptions};
use crate::output::Format;
use crate::progress::Progress;
use crate::tagger::TagOptions;
use crate::tagger::Tagger;
use crate::{data, input, model, review, Error};
use std::io::{IsTerminal, Write};

/// Runs what the command line asks for; the exit status.
pub fn run(cli: Cli) -> u8 {
    let mut stdout = std::io::stdout().lock();
    match cli.command {
        Some(Command::Segment(args)) => run_segment(args),
        Some(Command::Review(args)) => run_review(args),
        Some(Command::Completions { shell }) => {
            super::completions(shell, &mut stdout);
            exit::OK
        }
        Some(Command::Man) => match super::man_page(&mut stdout) {
            Ok(()) => exit::OK,
            Err(e) => output_failed(e),
        },
        None => run_tag(cli.tag),
    }
}

fn output_failed(source: std::io::Error) -> u8 {
    if source.kind() == std::io::ErrorKind::BrokenPipe {
        // `plan-tag … | head` closes the pipe: not an error.
        return exit::OK;
    }
    let name = "standard output".to_string();
    eprintln!("plan-tag: {}", Error::Output { name, source });
    exit::OUTPUT
}

fn default_format(format: Option<Format>) -> Format {
    format.unwrap_or(if std::io::stdout().is_terminal() {
        Format::Table
    } else {
        Format::Jsonl
    })
}

fn exit_status(failed: usize) -> u8 {
    if failed > 0 {
        exit::SOME_FAILED
    } else {
        exit::OK
    }
}

fn run_segment(args: SegmentArgs) -> u8 {
    crate::cli::set_jobs(args.jobs);
    let (sources, walk_errors) = input::expand_sources(&args.inputs);
    let progress = Progress::new("plan-tag", 0, false);
    walk_errors
        .iter()
        .for_each(|e| progress.line(&e.to_string()));
    let out = std::io::BufWriter::new(std::io::stdout().lock());
    let format = default_format(args.format);
    let note = |doc: &str, m: &str| progress.line(&format!("{doc}: note: {m}"));
    let error = |e: &Error| progress.line(&e.to_string());
    match app::segment_batch(&sources, format, out, args.text, error, note) {
        Ok(summary) => exit_status(walk_errors.len() + summary.failed),
        Err(e) => output_failed(e),
    }
}

fn run_tag(args: TagArgs) -> u8 {
    crate::cli::set_jobs(args.jobs);
    if let Some(Err(e)) = args.report.as_deref().map(crate::report::check_target) {
        eprintln!("plan-tag: {e}");
        return exit::USAGE;
    }
    let loaded = model::load_or_default(args.model.as_deref());
    let classifier = match loaded.and_then(Classifier::new) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("plan-tag: {e}");
            return exit::MODEL;
        }
    };
    let (sources, walk_errors) = input::expand_sources(&args.inputs);
    let mut progress = Progress::new("plan-tag", sources.len(), std::io::stderr().is_terminal());
    walk_errors
        .iter()
        .for_each(|e| progress.line(&e.to_string()));
    let opts = TagOptions {
        mode: args.input,
        predict: PredictOptions {
            top: args.top as usize,
            explain: false,
            min_confidence: args.min_confidence,
        },
        review_words: args.review_queue.is_some(),
    };
    let tagger = Tagger::new(&classifier, opts).explain_terms(args.explain.map(|n| n as usize));
    let format = default_format(args.format);
    let outputs = TagOutputs {
        format: Some(format),
        profile: args.profile,
        explain_column: args.explain.is_some(),
        output: args.output.clone(),
        report: args.report.clone(),
        review_queue: args.review_queue.clone(),
    };
    let stdout = std::io::stdout();
    let outcome = if stdout.is_terminal() {
        let mut out = progress.around(stdout.lock());
        app::run_tag(&tagger, &sources, &outputs, &mut out, &mut progress)
    } else {
        let mut out = std::io::BufWriter::with_capacity(1 << 16, stdout.lock());
        app::run_tag(&tagger, &sources, &outputs, &mut out, &mut progress)
    };
    progress.clear();
    if outcome.closed_pipe {
        return exit::OK;
    }
    let failed = walk_errors.len() + outcome.summary.failed;
    if !args.quiet {
        for m in &outcome.messages {
            eprintln!("plan-tag: {m}");
        }
        let s = &outcome.summary;
        let failed_note = match failed {
            0 => String::new(),
            n => format!(", {n} failed"),
        };
        let _ = writeln!(
            std::io::stderr(),
            "plan-tag: {} document(s), {} task(s), {} flagged low-confidence{failed_note}",
            s.documents,
            s.tasks,
            s.flagged,
        );
    }
    if outcome.output_failed {
        exit::OUTPUT
    } else {
        exit_status(failed)
    }
}

fn run_review(args: ReviewArgs) -> u8 {
    let result = (|| -> Result<(), Error> {
        let queue = review::read_queue(&args.queue)?;
        let data_dir = crate::config::training_data(&args.data)?;
        let taxonomy = data::Taxonomy::load(&data_dir.join(data::TAXONOMY_FILE))?;
        let reviewer = (args.reviewer.clone())
            .or_else(|| std::env::var("USER").ok())
            .unwrap_or_else(|| "unknown".to_string());
        let decisions = args.data.join(data::REVIEWED_FILE);
        let mut session = review::Session::new(queue, &taxonomy, &decisions, &reviewer)?;
        let scripted = if std::io::stdin().is_terminal() && std::io::stdout().is_terminal() {
            review::screen::run(&mut session)
        } else {
            let (stdin, stdout) = (std::io::stdin().lock(), std::io::stdout().lock());
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
        Ok(()) => exit::OK,
        Err(e) => {
            eprintln!("plan-tag: {e}");
            exit::SOME_FAILED
        }
    }
}
