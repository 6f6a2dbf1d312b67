//! plantag: reads Chinese health-policy work plans, splits each plan into its
//! tasks and labels every task with its policy domain.
//!
//! The pipeline, one module per stage:
//! [`input`] bytes → text, [`clean`] + [`segment`] text → task tree,
//! [`simplify`] the simplified form the tokeniser cuts (traditional
//! characters converted, pinyin dropped), [`tokenize`] jieba tokens,
//! [`features`] TF-IDF, [`naive_bayes`] the fitted parameters and their
//! fit, [`model`] the model file ([`config`]: which one), [`classify`]
//! labels with calibrated confidence, [`context`] the document around each
//! task, [`output`] formats.
//! Around it: [`data`] and [`train`] (labelled data, cross-validation,
//! fitting), [`eval`] (accuracy on a held-out gold corpus, end to end),
//! [`review`] (doubtful labels back into training), [`learning`] (what
//! review buys, measured), [`profile`] and
//! [`report`] (where a plan's attention goes), [`app`] (batches of
//! files in parallel, in input order), [`bytes`] (byte scans several
//! stages share).

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
