//! plantag: reads Chinese health-policy work plans, splits each plan into its
//! tasks and labels every task with its policy domain.
//!
//! The pipeline, one module per stage, in the order a plan goes through it:
//! 1. [`io`] which files, their bytes (folders walked once each, atomic
//!    writes); [`input`] bytes → text (encodings, HTML; [`docx`] for Word);
//!    [`sections`] already-segmented JSONL instead;
//! 2. [`clean`] text → clean paragraphs (page furniture dropped, broken
//!    lines mended);
//! 3. [`segment`] paragraphs → the outline tree and its tasks;
//! 4. [`simplify`] the simplified form the tokeniser cuts, [`tokenize`]
//!    jieba terms, [`features`] TF-IDF vectors (one definition for training
//!    and tagging);
//! 5. [`naive_bayes`] scores, [`classify`] calibrated labels, [`context`]
//!    the document around each task;
//! 6. [`output`] formats, written by the [`sink`]s.
//!
//! [`tagger`] is the one place where stages 3 to 5 meet; [`app`] drives a
//! batch through it into the sinks, in bounded memory and input order, with
//! [`progress`] on the terminal. [`model`] is the model file ([`config`]:
//! which one), [`cli`] the command line of `plan-tag`.
//!
//! Around the pipeline: [`data`] and [`train`] (labelled data,
//! cross-validation, fitting), [`eval`] (accuracy on a held-out gold corpus,
//! end to end), [`review`] (doubtful labels back into training),
//! [`learning`] (what review buys, measured), [`profile`] and [`report`]
//! (where a plan's attention goes), [`bytes`] (byte scans several stages
//! share), [`error`].

pub mod app;
pub mod bytes;
pub mod classify;
pub mod clean;
pub mod cli;
pub mod config;
pub mod context;
pub mod data;
pub mod docx;
pub mod error;
pub mod eval;
pub mod features;
pub mod input;
pub mod io;
pub mod learning;
pub mod model;
pub mod naive_bayes;
pub mod output;
pub mod profile;
pub mod progress;
pub mod report;
pub mod review;
pub mod sections;
pub mod segment;
pub mod simplify;
pub mod sink;
pub mod tagger;
pub mod tokenize;
pub mod train;

pub use app::segment_source;
pub use error::{Error, Result};
pub use input::{Document, Source};
pub use segment::{Kind, Segmented, Task};
