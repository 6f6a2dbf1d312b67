//! Classification stage: a loaded model labels tasks with calibrated
//! confidence.
//!
//! [`classifier`] puts tokeniser, features and scorer together,
//! [`scorer`] holds the naive Bayes table read at tagging time,
//! [`calibration`] turns scores into probabilities and chooses thresholds,
//! [`prediction`] is what a task is told, [`explain`] the terms behind it.
//! The fitted parameters and their fit live in [`crate::naive_bayes`].

pub mod calibration;
pub mod classifier;
pub mod explain;
pub mod prediction;
pub mod scorer;

pub use crate::naive_bayes::NaiveBayes;
pub use calibration::{expected_calibration_error, fit_temperature, softmax};
pub use classifier::Classifier;
pub use explain::{evidence_for, explain};
pub use prediction::{most_probable, Candidate, Evidence, PredictOptions, Prediction};
