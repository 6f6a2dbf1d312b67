//! The command line of `plan-train`: flags and subcommands (clap), and the
//! commands they run: check the training data, train a model, evaluate it
//! end to end on a gold corpus, simulate review. The binary parses and
//! calls [`run`].

use std::io::IsTerminal;
use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, Parser, Subcommand};

use crate::error::Result;
use crate::{data, eval, train};

use super::exit::{OK as EXIT_OK, SOME_FAILED as EXIT_FAILED};

#[derive(Parser)]
#[command(
    name = "plan-train",
    version,
    about = "Train the plantag model from hand-labelled sections",
    args_conflicts_with_subcommands = true,
    subcommand_negates_reqs = true
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    #[command(flatten)]
    pub train: TrainArgs,
}

#[derive(Subcommand)]
pub enum Command {
    /// Validate training data and print counts per label.
    Check {
        /// Training-data directory.
        #[arg(long, default_value = "training-data")]
        data: PathBuf,
        /// The directory as a positional argument (older spelling of --data).
        #[arg(hide = true, conflicts_with = "data")]
        dir: Option<PathBuf>,
    },
    /// Measure segmentation and labels end to end on a gold corpus: every
    /// document is tagged from its raw text as plan-tag does, and each gold
    /// unit is judged by the task that holds its anchor.
    Eval(EvalArgs),
    /// Measure what review buys: simulate rounds of review on a corpus
    /// (reviews answered with its `train` gold), retrain after each, and
    /// measure every model on its `dev` split; the most uncertain tasks
    /// against random ones (README.md, "What review buys").
    Learn(LearnArgs),
}

#[derive(Args)]
pub struct LearnArgs {
    /// Corpus folder with gold-train.jsonl (reviewed), gold-dev.jsonl
    /// (measured) and docs/.
    #[arg(long, default_value = "../shared/corpus")]
    pub corpus: PathBuf,
    /// Training data of the first model (its reviewed.jsonl is left out).
    #[arg(long, default_value = "training-data")]
    pub data: PathBuf,
    #[arg(long, default_value_t = 10)]
    pub rounds: usize,
    /// Tasks shown per round.
    #[arg(long, default_value_t = 50)]
    pub batch: usize,
    /// Seed of the random baseline.
    #[arg(long, default_value_t = 17)]
    pub seed: u64,
    /// Cross-validation folds of each retraining.
    #[arg(long, default_value_t = 5)]
    pub folds: usize,
    /// Review weights to choose from (on held-out train documents).
    #[arg(long, value_delimiter = ',', default_value = "0.25,0.5,1,2,4,8")]
    pub weights: Vec<f64>,
    /// Use this review weight instead of choosing one.
    #[arg(long)]
    pub weight: Option<f64>,
    /// Also measure every weight's uncertainty curve on dev.
    #[arg(long)]
    pub all_weights: bool,
    /// Smoothing of every retraining: the shipped model's.
    #[arg(long, default_value_t = 1.0)]
    pub alpha: f64,
    /// Document-context weight of every retraining: the shipped model's.
    #[arg(long, value_name = "W", default_value_t = 0.3)]
    pub context_weight: f64,
    /// Let each retraining choose smoothing and context weight by
    /// cross-validation, as plain `plan-train` does.
    #[arg(long)]
    pub retune: bool,
    /// Write every curve as JSON.
    #[arg(long, value_name = "FILE")]
    pub json: Option<PathBuf>,
    /// Write the learning curves as an SVG picture.
    #[arg(long, value_name = "FILE")]
    pub svg: Option<PathBuf>,
}

#[derive(Args)]
pub struct EvalArgs {
    /// Gold units, one JSON object a line (`doc`, `anchor`, `label`,
    /// `accept`, `kind`), e.g. ../shared/corpus/gold-dev.jsonl.
    #[arg(long)]
    pub gold: PathBuf,
    /// Folder holding the documents the gold units name.
    #[arg(long)]
    pub docs: PathBuf,
    /// Model file (default: the shipped model, built in).
    #[arg(long)]
    pub model: Option<PathBuf>,
    /// Also write the full report (per document and per unit) as JSON.
    #[arg(long, value_name = "FILE")]
    pub json: Option<PathBuf>,
    /// How many of the worst-segmented documents to list.
    #[arg(long, default_value_t = 15)]
    pub worst: usize,
    /// Score a baseline instead of the model, on the same tasks: the most
    /// frequent label of the model's training data, or the label whose
    /// lexicon terms (from --data) occur most often.
    #[arg(long, value_enum)]
    pub baseline: Option<BaselineArg>,
    /// Training-data directory whose lexicons `--baseline lexicon` uses.
    #[arg(long, default_value = "training-data")]
    pub data: PathBuf,
}

#[derive(Clone, Copy, clap::ValueEnum)]
pub enum BaselineArg {
    Majority,
    Lexicon,
}

#[derive(Args)]
pub struct TrainArgs {
    /// Training-data directory.
    #[arg(long, default_value = "training-data")]
    pub data: PathBuf,
    /// Extra labelled units in the corpus gold format (`doc`, `text`,
    /// `label`, optional `id`, `path`, `accept`), e.g.
    /// ../shared/corpus/gold-train.jsonl; repeatable. Each `doc` is one
    /// document for cross-validation.
    #[arg(long, value_name = "FILE")]
    pub extra: Vec<PathBuf>,
    /// Folders holding the training documents' own files (file stem = the
    /// sections' `doc`), e.g. ../shared/corpus/docs and examples/plans;
    /// repeatable. Their tasks, segmented as plan-tag segments them, are
    /// scored out of fold, and the low-confidence threshold then flags at
    /// most its share of those tasks rather than of the labelled sections.
    #[arg(long, value_name = "DIR")]
    pub docs: Vec<PathBuf>,
    /// Where to write the model (required: a model of your own, for
    /// `plan-tag --model FILE` or PLANTAG_MODEL=FILE; the shipped
    /// models/default.model is rebuilt only as README.md says).
    #[arg(long, value_name = "FILE", required = true)]
    pub out: Option<PathBuf>,
    /// Cross-validation folds (documents are never split); default: one
    /// fold per document.
    #[arg(long)]
    pub folds: Option<usize>,
    /// Fixed naive Bayes smoothing (default: chosen by cross-validation).
    #[arg(long)]
    pub alpha: Option<f64>,
    /// Add word bigrams to the features (off by default: grouped CV showed
    /// no gain from them; see README).
    #[arg(long)]
    pub bigrams: bool,
    /// Fixed weight of the document context (0 switches it off; default:
    /// chosen by cross-validation; see README).
    #[arg(long, value_name = "W")]
    pub context_weight: Option<f64>,
    /// Leave the taxonomy's lexicons out (to measure them).
    #[arg(long)]
    pub no_lexicon: bool,
    /// Leave heading-path terms out of the features (to measure them).
    #[arg(long)]
    pub no_path_terms: bool,
    /// Also write the cross-validation report as JSON.
    #[arg(long, value_name = "FILE")]
    pub report_json: Option<PathBuf>,
}

/// Runs what the command line asks for; the exit status on success.
pub fn run(cli: Cli) -> Result<u8> {
    match cli.command {
        Some(Command::Check { data, dir }) => run_check(dir.as_ref().unwrap_or(&data)),
        Some(Command::Eval(args)) => run_eval(args),
        Some(Command::Learn(args)) => run_learn(args),
        None => run_train(cli.train),
    }
}

pub fn run_check(dir: &std::path::Path) -> Result<u8> {
    let (report, _) = data::check(crate::config::training_data(dir)?)?;
    for e in &report.errors {
        eprintln!("plan-train: {e}");
    }
    for w in &report.warnings {
        eprintln!("plan-train: warning: {w}");
    }
    for c in &report.conflicts {
        println!("conflict: {c}");
    }
    println!("{:<14} {:>8}", "label", "sections");
    for (label, n) in &report.counts {
        println!("{label:<14} {n:>8}");
    }
    println!("{:<14} {:>8}", "total", report.sections);
    if report.errors.is_empty() {
        println!("ok: {} sections, no errors", report.sections);
        Ok(EXIT_OK)
    } else {
        eprintln!(
            "plan-train: {} error(s) in {}",
            report.errors.len(),
            dir.display()
        );
        Ok(EXIT_FAILED)
    }
}

pub fn run_eval(args: EvalArgs) -> Result<u8> {
    let model = crate::model::load_or_default(args.model.as_deref())?;
    let classifier = crate::classify::Classifier::new(model)?;
    let gold = eval::load_gold(&args.gold)?;
    let opts = crate::tagger::TagOptions {
        mode: crate::tagger::InputMode::Plan,
        predict: crate::classify::PredictOptions::default(),
        review_words: false,
    };
    let baseline = match args.baseline {
        None => None,
        Some(BaselineArg::Majority) => Some(eval::Baseline::Majority),
        Some(BaselineArg::Lexicon) => Some(eval::Baseline::Lexicon(
            data::Taxonomy::load(&args.data.join(data::TAXONOMY_FILE))?.labels,
        )),
    };
    let meta = eval::MetaTitles::beside(&args.docs)?;
    let report = eval::evaluate(
        &classifier,
        &gold,
        &args.docs,
        &opts,
        baseline.as_ref(),
        meta.as_ref(),
    );
    if let Some(path) = &args.json {
        let json = serde_json::to_vec_pretty(&report)
            .map_err(crate::Error::serialize("evaluation report"))?;
        crate::input::write_atomic(path, &json)?;
    }
    print!("{}", report.to_text(args.worst));
    if report.failed_documents.is_empty() {
        Ok(EXIT_OK)
    } else {
        Ok(EXIT_FAILED)
    }
}

pub fn run_learn(args: LearnArgs) -> Result<u8> {
    let params = crate::learning::LearnParams {
        data: args.data,
        review_gold: args.corpus.join("gold-train.jsonl"),
        measure_gold: args.corpus.join("gold-dev.jsonl"),
        docs: args.corpus.join("docs"),
        rounds: args.rounds,
        batch: args.batch,
        seed: args.seed,
        folds: args.folds,
        weights: args.weights,
        weight: args.weight,
        all_weights_measured: args.all_weights,
        alpha: (!args.retune).then_some(args.alpha),
        context_weight: (!args.retune).then_some(args.context_weight),
    };
    let report = crate::learning::simulate(&params, &|step| eprintln!("plan-train: {step}"))?;
    if let Some(path) = &args.json {
        let json = serde_json::to_vec_pretty(&report)
            .map_err(crate::Error::serialize("learning curves"))?;
        crate::input::write_atomic(path, &json)?;
    }
    if let Some(path) = &args.svg {
        crate::input::write_atomic(path, report.to_svg().as_bytes())?;
    }
    print!("{}", report.to_text());
    Ok(EXIT_OK)
}

pub fn run_train(args: TrainArgs) -> Result<u8> {
    // Clap requires --out outside subcommands.
    let out = args
        .out
        .clone()
        .ok_or_else(|| crate::Error::Param("--out FILE is required".into()))?;
    let created = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_secs())
                .unwrap_or(0)
        });
    let params = train::TrainParams {
        folds: args.folds,
        alpha: args.alpha,
        bigrams: args.bigrams,
        path_terms: !args.no_path_terms,
        context_weight: args.context_weight,
        no_lexicon: args.no_lexicon,
        created,
        ..train::TrainParams::default()
    };
    params.check()?;
    let mut data = data::load(crate::config::training_data(&args.data)?)?;
    for extra in &args.extra {
        data::add_extra(&mut data, extra)?;
    }
    let bar = if std::io::stderr().is_terminal() {
        let bar = indicatif::ProgressBar::new_spinner();
        bar.enable_steady_tick(Duration::from_millis(120));
        Some(bar)
    } else {
        None
    };
    let progress = |step: &str| {
        if let Some(b) = &bar {
            b.set_message(step.to_string());
        }
    };
    progress("reading the training documents");
    let (documents, documents_digest) = train::documents::load_documents(&data, &args.docs)?;
    if !documents.is_empty() {
        data.digest = format!("{}+{documents_digest:016x}", data.digest);
    }
    let trained = train::train_with_documents(&data, &documents, &params, &progress)?;
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    trained.model.save(&out)?;
    if let Some(path) = &args.report_json {
        let json = serde_json::to_vec_pretty(&trained.report)
            .map_err(crate::Error::serialize("cross-validation report"))?;
        crate::input::write_atomic(path, &json)?;
    }
    print!("{}", trained.report.to_text());
    println!(
        "model written to {} ({} sections, data {})",
        out.display(),
        trained.model.training.sections,
        trained.model.training.data_digest
    );
    match crate::config::shipped_model_note(&out) {
        Some(note) => eprintln!("plan-train: note: {note}"),
        None => eprintln!(
            "plan-train: tag with it: plan-tag --model {0} FILE…, or export {1}={0}",
            std::fs::canonicalize(&out)
                .unwrap_or_else(|_| out.clone())
                .display(),
            crate::config::MODEL_ENV
        ),
    }
    Ok(EXIT_OK)
}
