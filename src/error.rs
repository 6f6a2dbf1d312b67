//! Typed errors of the library. Every variant names the file it is about, so
//! a binary can print one line and move on to the next file of a batch.

use std::path::PathBuf;

/// Everything the library can fail with.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A file could not be read from disk.
    #[error("{path}: cannot read: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// A file could be read but is not a plan we can take in.
    #[error("{path}: {problem}")]
    Input { path: PathBuf, problem: String },
    /// A model file is missing, damaged or of another format.
    #[error("model {path}: {problem}")]
    Model { path: PathBuf, problem: String },
    /// A training-data file has a bad line.
    #[error("{path}:{line}: {problem}")]
    Data {
        path: PathBuf,
        line: usize,
        problem: String,
    },
    /// Settings that cannot work (negative alpha, zero folds, ...).
    #[error("invalid setting: {0}")]
    Param(String),
    /// Labelled data that cannot train a model (none at all, one document).
    #[error("training data: {0}")]
    TrainingData(String),
    /// A file that must be locked (a review session's presence) could not be.
    #[error("{path}: cannot lock: {source}")]
    Lock {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// A value could not be written as JSON (a model, a report).
    #[error("cannot serialise {what}: {source}")]
    Serialize {
        what: &'static str,
        #[source]
        source: serde_json::Error,
    },
    /// A label id that the taxonomy or the model does not know.
    #[error("unknown label `{label}`: not one of the labels of {known_by}")]
    UnknownLabel { label: String, known_by: String },
    /// jieba refused a user dictionary.
    #[error("user dictionary: {0}")]
    UserDictionary(String),
    /// The terminal could not be driven (raw mode, reading keys, drawing).
    #[error("terminal: {0}")]
    Terminal(#[source] std::io::Error),
    /// Standard input could not be read.
    #[error("standard input: cannot read: {0}")]
    Stdin(#[source] std::io::Error),
    /// Writing the main output (standard output or `--output FILE`) failed;
    /// `name` names it.
    #[error("cannot write output to {name}: {source}")]
    Output {
        name: String,
        #[source]
        source: std::io::Error,
    },
    /// Writing an output file failed.
    #[error("{path}: cannot write: {source}")]
    Write {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

impl Error {
    pub(crate) fn input(path: impl Into<PathBuf>, problem: impl Into<String>) -> Self {
        Error::Input {
            path: path.into(),
            problem: problem.into(),
        }
    }

    pub(crate) fn model(path: impl Into<PathBuf>, problem: impl Into<String>) -> Self {
        Error::Model {
            path: path.into(),
            problem: problem.into(),
        }
    }

    pub fn serialize(what: &'static str) -> impl FnOnce(serde_json::Error) -> Self {
        move |source| Error::Serialize { what, source }
    }

    pub(crate) fn data(path: impl Into<PathBuf>, line: usize, problem: impl Into<String>) -> Self {
        Error::Data {
            path: path.into(),
            line,
            problem: problem.into(),
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
