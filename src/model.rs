//! The model file, defined once for the writer (plan-train) and the reader
//! (plan-tag). Layout: one header line
//! `plantag-model <format-version> <crc32-hex> <body-bytes>\n`, then a JSON
//! body (readable from any language). The checksum covers the body.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::naive_bayes::NaiveBayes;
use crate::tokenize::TokenizerSettings;

/// First word of every model file.
pub const MAGIC: &str = "plantag-model";
/// Format version written by this build; newer files are refused.
pub const FORMAT_VERSION: u32 = 1;

/// A label as the model knows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LabelInfo {
    pub id: String,
    pub zh: String,
    pub en: String,
}

/// The fitted TF-IDF vectoriser.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TfidfFile {
    pub vocabulary: Vec<String>,
    pub idf: Vec<f64>,
    pub sublinear_tf: bool,
    pub min_df: usize,
}

/// How raw scores become confidences, and when a label is doubtful.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Calibration {
    /// Softmax temperature fitted on cross-validated scores.
    pub temperature: f64,
    /// Tasks below this confidence are flagged for review.
    pub low_confidence_threshold: f64,
    /// Weight of the document prior ([`crate::context`]); 0 in models
    /// made before it existed.
    #[serde(default)]
    pub context_weight: f64,
    /// Temperature of the other tasks' probabilities in that prior.
    #[serde(default = "one")]
    pub context_temperature: f64,
    /// A runner-up this probable is a secondary label (above 1: never).
    #[serde(default = "never")]
    pub secondary_threshold: f64,
}

fn never() -> f64 {
    2.0
}

fn one() -> f64 {
    1.0
}

/// Where the model came from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrainingInfo {
    /// Unix time of creation (`SOURCE_DATE_EPOCH` when set).
    pub created: u64,
    /// Digest of the training data directory.
    pub data_digest: String,
    pub sections: usize,
    pub label_counts: BTreeMap<String, usize>,
    pub alpha: f64,
    pub lexicon_weight: f64,
    pub uniform_prior: bool,
    /// The cross-validation report (same as `--report-json`).
    pub cross_validation: serde_json::Value,
}

/// Everything a model file holds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ModelFile {
    pub taxonomy: Vec<LabelInfo>,
    pub tokenizer: TokenizerSettings,
    pub tfidf: TfidfFile,
    pub naive_bayes: NaiveBayes,
    pub calibration: Calibration,
    pub training: TrainingInfo,
    /// `crc32:<hex>` of the body this model was read from (not stored in
    /// the body; empty for a model not yet written).
    #[serde(skip)]
    pub digest: String,
}

impl ModelFile {
    /// Serialises to the on-disk bytes.
    pub fn to_bytes(&self) -> Result<Vec<u8>> {
        let body = serde_json::to_vec(self).map_err(Error::serialize("model"))?;
        let crc = crc32fast::hash(&body);
        let mut out = format!("{MAGIC} {FORMAT_VERSION} {crc:08x} {}\n", body.len()).into_bytes();
        out.extend_from_slice(&body);
        Ok(out)
    }

    /// Parses on-disk bytes; every kind of damage is a typed error.
    pub fn from_bytes(path: &Path, bytes: &[u8]) -> Result<Self> {
        if bytes.is_empty() {
            return Err(Error::model(path, "empty file (0 bytes), not a model"));
        }
        let newline = bytes
            .iter()
            .take(256)
            .position(|&b| b == b'\n')
            .ok_or_else(|| Error::model(path, "not a plantag model (no header)"))?;
        let header = std::str::from_utf8(&bytes[..newline])
            .map_err(|_| Error::model(path, "not a plantag model (bad header)"))?;
        let fields: Vec<&str> = header.split(' ').collect();
        if fields.first() != Some(&MAGIC) {
            return Err(Error::model(path, "not a plantag model (wrong magic)"));
        }
        if fields.len() != 4 {
            return Err(Error::model(path, "damaged header"));
        }
        let version: u32 = fields[1]
            .parse()
            .map_err(|_| Error::model(path, "damaged header (version)"))?;
        if version > FORMAT_VERSION {
            return Err(Error::model(
                path,
                format!(
                    "format version {version} is newer than this plantag reads ({FORMAT_VERSION}); upgrade plantag"
                ),
            ));
        }
        if version == 0 {
            return Err(Error::model(path, "unsupported format version 0"));
        }
        let crc = u32::from_str_radix(fields[2], 16)
            .map_err(|_| Error::model(path, "damaged header (checksum)"))?;
        let len: usize = fields[3]
            .parse()
            .map_err(|_| Error::model(path, "damaged header (length)"))?;
        let body = &bytes[newline + 1..];
        if body.len() < len {
            return Err(Error::model(
                path,
                format!("truncated: {} of {len} body bytes", body.len()),
            ));
        }
        if body.len() > len {
            return Err(Error::model(path, "trailing bytes after the model body"));
        }
        if crc32fast::hash(body) != crc {
            return Err(Error::model(path, "checksum mismatch: the file is damaged"));
        }
        let mut model: ModelFile = serde_json::from_slice(body)
            .map_err(|e| Error::model(path, format!("damaged body: {e}")))?;
        model.validate(path)?;
        model.digest = format!("crc32:{crc:08x}");
        Ok(model)
    }

    /// Consistency checks a checksum cannot give (a hand-edited file).
    fn validate(&self, path: &Path) -> Result<()> {
        let k = self.taxonomy.len();
        let v = self.tfidf.vocabulary.len();
        let nb = &self.naive_bayes;
        let ok = k > 0
            && self.tfidf.idf.len() == v
            && nb.log_prior.len() == k
            && nb.feature_log_prob.len() == k
            && nb.feature_log_prob.iter().all(|row| row.len() == v)
            && nb.log_prior.iter().all(|x| x.is_finite())
            && nb.feature_log_prob.iter().flatten().all(|x| x.is_finite())
            && self.calibration.temperature > 0.0;
        if ok {
            Ok(())
        } else {
            Err(Error::model(path, "inconsistent model (sizes or values)"))
        }
    }

    /// Reads a model file.
    pub fn load(path: &Path) -> Result<Self> {
        let bytes = std::fs::read(path).map_err(|e| Error::model(path, e.to_string()))?;
        Self::from_bytes(path, &bytes)
    }

    /// Writes atomically (temporary file, fsync, rename).
    pub fn save(&self, path: &Path) -> Result<()> {
        crate::input::write_atomic(path, &self.to_bytes()?)
    }
}

/// The model shipped in `models/`, built into the binaries so that
/// `plan-tag FILE` works from anywhere without flags.
pub const DEFAULT_MODEL_BYTES: &[u8] =
    include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/models/default.model"));

/// Name shown in errors about the built-in model.
pub const DEFAULT_MODEL_NAME: &str = "models/default.model (built in)";

/// Loads the model at `path`; without one, the model `PLANTAG_MODEL` or the
/// config file names, else the built-in default ([`crate::config`]). An
/// error about a model not named on the command line says what named it.
pub fn load_or_default(path: Option<&Path>) -> Result<ModelFile> {
    match crate::config::model_path(path)? {
        Some((p, crate::config::Origin::Flag)) => ModelFile::load(&p),
        Some((p, origin)) => ModelFile::load(&p).map_err(|e| match e {
            Error::Model { path, problem } => Error::Model {
                path,
                problem: format!("{problem} (named by {origin})"),
            },
            other => other,
        }),
        None => default_model(),
    }
}

/// Loads the built-in default model.
pub fn default_model() -> Result<ModelFile> {
    ModelFile::from_bytes(Path::new(DEFAULT_MODEL_NAME), DEFAULT_MODEL_BYTES)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_of_damage_is_a_clear_error() {
        let good = default_model().unwrap().to_bytes().unwrap();
        let p = Path::new("m");
        let err = |bytes: &[u8]| ModelFile::from_bytes(p, bytes).unwrap_err().to_string();
        assert!(err(b"").contains("0 bytes"));
        assert!(err(&good[..good.len() / 2]).contains("truncated"));
        let mut flipped = good.clone();
        let at = flipped.len() - 100;
        flipped[at] ^= 0x01;
        assert!(err(&flipped).contains("checksum"));
        let text = String::from_utf8(good.clone()).unwrap();
        let future = text.replacen(
            &format!("{MAGIC} {FORMAT_VERSION} "),
            &format!("{MAGIC} 99 "),
            1,
        );
        assert!(err(future.as_bytes()).contains("newer"));
        assert!(err(b"\x89PNG\r\n\x1a\n....").contains("not a plantag model"));
        assert!(err(b"{\"hello\": 1}\n").contains("not a plantag model"));
    }

    #[test]
    fn round_trip_is_byte_identical() {
        let m = default_model().unwrap();
        let bytes = m.to_bytes().unwrap();
        let again = ModelFile::from_bytes(Path::new("m"), &bytes).unwrap();
        assert!(
            again.to_bytes().unwrap() == bytes,
            "re-serialised model differs"
        );
        assert!(
            bytes == DEFAULT_MODEL_BYTES,
            "shipped model is not canonical"
        );
    }
}
