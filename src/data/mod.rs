//! Training data: the taxonomy (labels, boundary rules, lexicons) and the
//! labelled sections in JSON Lines, with the validation `plan-train check`
//! runs. Review decisions (`reviewed.jsonl`) override hand labels of the
//! same task; an undo is a later line that retracts a decision by its id.
//!
//! Here what the data is and where it lies; [`validate`] reads and checks a
//! data folder, [`review_log`] reads the lines only the review log has,
//! [`extra`] adds a labelled file in the corpus gold format, and [`digest`]
//! says whether any of it changed.

mod digest;
mod extra;
mod review_log;
mod validate;

use std::fs;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

pub use digest::Fnv64;
pub use extra::add_extra;
pub use review_log::{retracted_ids, ReviewLine};
pub use validate::{check, load, CheckReport};

/// One label of the taxonomy.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Label {
    pub id: String,
    pub zh: String,
    pub en: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub scope: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub boundary: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub lexicon: Vec<String>,
}

/// The taxonomy file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Taxonomy {
    #[serde(default)]
    pub rules: Vec<String>,
    #[serde(rename = "label")]
    pub labels: Vec<Label>,
}

impl Taxonomy {
    pub fn load(path: &Path) -> Result<Self> {
        let text = read(path)?;
        let tax: Taxonomy = toml::from_str(&text).map_err(|e| Error::Input {
            path: path.to_path_buf(),
            problem: format!("invalid taxonomy: {}", e.message()),
        })?;
        if tax.labels.is_empty() {
            return Err(Error::input(path, "taxonomy has no labels"));
        }
        Ok(tax)
    }

    pub fn index_of(&self, id: &str) -> Option<usize> {
        self.labels.iter().position(|l| l.id == id)
    }
}

/// One labelled section (a line of a `.jsonl` file). A section is
/// identified by its document and its outline id together.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Section {
    /// Outline id exactly as `plan-tag` prints it (`五/（十四）`); finer
    /// pieces of one leaf add `#N`.
    pub id: String,
    /// Document stem (file name without extension); with `id` it is unique.
    pub doc: String,
    #[serde(default)]
    pub path: Vec<String>,
    #[serde(default)]
    pub title: String,
    pub text: String,
    pub label: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub secondary: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

impl Section {
    /// The identity of a section: (document, outline id).
    pub fn key(&self) -> (String, String) {
        (self.doc.clone(), self.id.clone())
    }

    /// What a review decision is about: see [`task_identity`].
    pub fn identity(&self) -> TaskIdentity {
        task_identity(&self.doc, &self.id, &self.title, &self.text)
    }
}

/// A task told apart from every other: document stem, outline id, and its
/// title and text. Plans are often named alike (`2020/工作要点.txt`,
/// `2021/工作要点.txt`), so stem and id alone can name two different tasks;
/// their texts tell them apart, and a review decision about one never
/// stands for the other.
pub type TaskIdentity = (String, String, String);

/// The [`TaskIdentity`] of a task; surrounding whitespace does not count.
pub fn task_identity(doc_stem: &str, id: &str, title: &str, text: &str) -> TaskIdentity {
    (
        doc_stem.to_string(),
        id.to_string(),
        format!("{}\n{}", title.trim(), text.trim()),
    )
}

/// Labelled sections with where each came from.
#[derive(Debug, Clone)]
pub struct LoadedSection {
    pub section: Section,
    pub file: PathBuf,
    pub line: usize,
}

/// The whole training-data directory.
#[derive(Debug, Clone)]
pub struct TrainingData {
    pub taxonomy: Taxonomy,
    pub user_dict: String,
    pub stopwords: Vec<String>,
    /// Effective sections after review decisions override hand labels.
    pub sections: Vec<LoadedSection>,
    /// How many hand labels a review decision replaced.
    pub overridden: usize,
    /// How many sections come from review decisions.
    pub reviewed: usize,
    /// Digest of everything that shapes the model.
    pub digest: String,
}

pub const TAXONOMY_FILE: &str = "taxonomy.toml";
pub const USER_DICT_FILE: &str = "userdict.txt";
pub const STOPWORDS_FILE: &str = "stopwords.txt";
pub const LABELLED_DIR: &str = "labelled";
pub const REVIEWED_FILE: &str = "reviewed.jsonl";

fn read(path: &Path) -> Result<String> {
    fs::read_to_string(path).map_err(|source| Error::Io {
        path: path.to_path_buf(),
        source,
    })
}

/// The JSONL files of a data directory: `labelled/*.jsonl` in name order,
/// then `reviewed.jsonl` (whose decisions win).
pub fn section_files(dir: &Path) -> Result<Vec<PathBuf>> {
    let labelled = dir.join(LABELLED_DIR);
    let mut files: Vec<PathBuf> = fs::read_dir(&labelled)
        .map_err(|source| Error::Io {
            path: labelled.clone(),
            source,
        })?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().map(|e| e == "jsonl").unwrap_or(false))
        .collect();
    files.sort();
    let reviewed = dir.join(REVIEWED_FILE);
    if reviewed.exists() {
        files.push(reviewed);
    }
    Ok(files)
}
