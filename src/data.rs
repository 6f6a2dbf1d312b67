//! Training data: the taxonomy (labels, boundary rules, lexicons) and the
//! labelled sections in JSON Lines, with the validation `plan-train check`
//! runs. Review decisions (`reviewed.jsonl`) override hand labels of the
//! same task; an undo is a later line that retracts a decision by its id.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fs;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

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

/// What every line of `reviewed.jsonl` may say about the review log
/// itself: a decision carries its own `decision` id, an undo is a line
/// `{"retract": ID, ...}` that takes that decision back. The file is only
/// ever appended to, so several review sessions can share it and a killed
/// one never leaves it half rewritten.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ReviewLine {
    #[serde(default)]
    pub decision: Option<String>,
    #[serde(default)]
    pub retract: Option<String>,
}

impl ReviewLine {
    /// Reads the log fields of a line; `None` for a line that is no JSON
    /// object (a torn last line).
    pub fn of(line: &str) -> Option<Self> {
        serde_json::from_str(line).ok()
    }
}

/// The decision ids retracted (undone) anywhere in a review log.
pub fn retracted_ids(text: &str) -> HashSet<String> {
    text.lines()
        .filter_map(ReviewLine::of)
        .filter_map(|l| l.retract)
        .collect()
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

/// Result of validating a data directory.
#[derive(Debug, Default)]
pub struct CheckReport {
    pub errors: Vec<Error>,
    /// Problems that do not stop training (a torn last review line).
    pub warnings: Vec<String>,
    /// Review decisions that replaced a hand label with a different one.
    pub conflicts: Vec<String>,
    pub counts: BTreeMap<String, usize>,
    pub sections: usize,
}

/// Parses every line of every section file; collects all problems instead of
/// stopping at the first, so a user fixes them in one pass.
pub fn check(dir: &Path) -> Result<(CheckReport, Option<TrainingData>)> {
    let taxonomy = Taxonomy::load(&dir.join(TAXONOMY_FILE))?;
    let mut report = CheckReport::default();
    let mut by_key: HashMap<(String, String), usize> = HashMap::new();
    // Review decisions replace the section about the same task (same text),
    // not merely one with the same stem and id.
    let mut by_identity: HashMap<TaskIdentity, usize> = HashMap::new();
    let mut sections: Vec<LoadedSection> = Vec::new();
    let mut text_label: HashMap<String, (String, PathBuf, usize)> = HashMap::new();
    let mut overridden = 0;
    let mut reviewed = 0;
    let mut digest = Fnv64::new();
    for name in [TAXONOMY_FILE, USER_DICT_FILE, STOPWORDS_FILE] {
        digest.update(name.as_bytes());
        digest.update(read(&dir.join(name))?.as_bytes());
    }
    for file in section_files(dir)? {
        let is_review = file
            .file_name()
            .map(|n| n == REVIEWED_FILE)
            .unwrap_or(false);
        let text = read(&file)?;
        digest.update(file.file_name().unwrap_or_default().as_encoded_bytes());
        digest.update(text.as_bytes());
        let n_lines = text.lines().count();
        let retracted = if is_review {
            retracted_ids(&text)
        } else {
            HashSet::new()
        };
        for (i, raw) in text.lines().enumerate() {
            let line = i + 1;
            if raw.trim().is_empty() {
                continue;
            }
            if is_review {
                // Undo lines, and the decisions they take back, are history.
                if let Some(log) = ReviewLine::of(raw) {
                    if log.retract.is_some() || log.decision.is_some_and(|d| retracted.contains(&d))
                    {
                        continue;
                    }
                }
            }
            let section: Section = match serde_json::from_str(raw) {
                Ok(s) => s,
                // A review killed mid-write can leave a torn last line; the
                // decisions before it are whole, so it is skipped, not fatal.
                Err(_) if is_review && line == n_lines && !text.ends_with('\n') => {
                    report.warnings.push(format!(
                        "{}:{line}: incomplete last line ignored",
                        file.display()
                    ));
                    continue;
                }
                Err(e) => {
                    report
                        .errors
                        .push(Error::data(&file, line, format!("invalid JSON: {e}")));
                    continue;
                }
            };
            let mut bad = false;
            for label in std::iter::once(&section.label).chain(&section.secondary) {
                if taxonomy.index_of(label).is_none() {
                    report.errors.push(Error::data(
                        &file,
                        line,
                        format!("unknown label id `{label}`"),
                    ));
                    bad = true;
                }
            }
            if section.text.trim().is_empty() {
                report.errors.push(Error::data(&file, line, "empty text"));
                bad = true;
            }
            if section.id.trim().is_empty() {
                report.errors.push(Error::data(&file, line, "empty id"));
                bad = true;
            }
            if section.doc.trim().is_empty() {
                report.errors.push(Error::data(&file, line, "empty doc"));
                bad = true;
            }
            if bad {
                continue;
            }
            let loaded = LoadedSection {
                section,
                file: file.clone(),
                line,
            };
            let key = loaded.section.key();
            let identity = loaded.section.identity();
            if is_review {
                if let Some(&at) = by_identity.get(&identity) {
                    let old = &sections[at];
                    if old.section.label != loaded.section.label {
                        report.conflicts.push(format!(
                            "{}:{}: review relabels `{}/{}` from {} to {}",
                            file.display(),
                            line,
                            loaded.section.doc,
                            loaded.section.id,
                            old.section.label,
                            loaded.section.label
                        ));
                    }
                    overridden += 1;
                    reviewed += 1;
                    sections[at] = loaded;
                    continue;
                }
                if let Some(&at) = by_key.get(&key) {
                    let old = &sections[at];
                    report.warnings.push(format!(
                        "{}:{}: `{}/{}` has another text than at {}:{} (another plan \
                         with the same file name, or a changed segmentation): kept as a \
                         section of its own",
                        file.display(),
                        line,
                        loaded.section.doc,
                        loaded.section.id,
                        old.file.display(),
                        old.line
                    ));
                }
            } else if let Some(&at) = by_key.get(&key) {
                let old = &sections[at];
                report.errors.push(Error::data(
                    &file,
                    line,
                    format!(
                        "duplicate id `{}` in doc `{}` (first at {}:{})",
                        loaded.section.id,
                        loaded.section.doc,
                        old.file.display(),
                        old.line
                    ),
                ));
                continue;
            }
            if !is_review {
                let key = loaded.section.text.trim().to_string();
                match text_label.get(&key) {
                    Some((label, f, l)) if *label != loaded.section.label => {
                        report.errors.push(Error::data(
                            &file,
                            line,
                            format!(
                                "same text labelled `{label}` at {}:{l} and `{}` here",
                                f.display(),
                                loaded.section.label
                            ),
                        ));
                        continue;
                    }
                    _ => {
                        text_label.insert(key, (loaded.section.label.clone(), file.clone(), line));
                    }
                }
            }
            if is_review {
                reviewed += 1;
            }
            by_key.entry(key).or_insert(sections.len());
            by_identity.insert(identity, sections.len());
            sections.push(loaded);
        }
    }
    for s in &sections {
        *report.counts.entry(s.section.label.clone()).or_default() += 1;
    }
    for l in &taxonomy.labels {
        report.counts.entry(l.id.clone()).or_default();
    }
    report.sections = sections.len();
    if !report.errors.is_empty() {
        return Ok((report, None));
    }
    let data = TrainingData {
        user_dict: read(&dir.join(USER_DICT_FILE))?,
        stopwords: read(&dir.join(STOPWORDS_FILE))?
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .map(String::from)
            .collect(),
        taxonomy,
        sections,
        overridden,
        reviewed,
        digest: format!("fnv1a64:{:016x}", digest.finish()),
    };
    Ok((report, Some(data)))
}

/// Loads a data directory for training; any validation error stops it.
pub fn load(dir: &Path) -> Result<TrainingData> {
    let (mut report, data) = check(dir)?;
    match data {
        Some(d) => Ok(d),
        None => Err(report.errors.remove(0)),
    }
}

/// One unit of an extra labelled data set in the corpus gold format
/// (`gold-*.jsonl`: `doc`, `id`, `path`, `text`, `label`, `accept`, `kind`).
#[derive(Debug, Deserialize)]
struct ExtraUnit {
    doc: String,
    #[serde(default)]
    id: String,
    #[serde(default)]
    path: Vec<String>,
    text: String,
    label: String,
    #[serde(default)]
    accept: Vec<String>,
}

/// Adds the units of an extra labelled file (corpus gold format) to the
/// training data, each as a section of its document (the file name without
/// extension), so that cross-validation keeps every document in one fold.
/// An unknown label is an error naming the file and line. Returns how many
/// sections were added. The file's bytes enter the data digest.
pub fn add_extra(data: &mut TrainingData, path: &Path) -> Result<usize> {
    let text = read(path)?;
    let mut added = 0;
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let unit: ExtraUnit = serde_json::from_str(line)
            .map_err(|e| Error::data(path, i + 1, format!("not a labelled unit: {e}")))?;
        for label in std::iter::once(&unit.label).chain(&unit.accept) {
            if data.taxonomy.index_of(label).is_none() {
                return Err(Error::data(path, i + 1, format!("unknown label `{label}`")));
            }
        }
        if unit.text.trim().is_empty() {
            return Err(Error::data(path, i + 1, "empty text"));
        }
        let stem = Path::new(&unit.doc)
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_else(|| unit.doc.clone());
        data.sections.push(LoadedSection {
            section: Section {
                id: if unit.id.is_empty() {
                    format!("{stem}#{}", i + 1)
                } else {
                    unit.id
                },
                doc: stem,
                path: unit.path,
                title: String::new(),
                text: unit.text,
                label: unit.label,
                secondary: unit.accept,
                note: None,
                source: Some("extra".to_string()),
            },
            file: path.to_path_buf(),
            line: i + 1,
        });
        added += 1;
    }
    let mut digest = Fnv64::new();
    digest.update(data.digest.as_bytes());
    digest.update(path.file_name().unwrap_or_default().as_encoded_bytes());
    digest.update(text.as_bytes());
    data.digest = format!("fnv1a64:{:016x}", digest.finish());
    Ok(added)
}

/// 64-bit FNV-1a: a small, stable digest for "did the training data change".
pub struct Fnv64(u64);

impl Fnv64 {
    pub fn new() -> Self {
        Fnv64(0xcbf2_9ce4_8422_2325)
    }
    pub fn update(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 ^= b as u64;
            self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
        }
        // Separate fields so that ("ab","c") and ("a","bc") differ.
        self.0 ^= 0xff;
        self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
    }
    pub fn finish(&self) -> u64 {
        self.0
    }
}

impl Default for Fnv64 {
    fn default() -> Self {
        Self::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn data_dir(lines: &[&str]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        fs::write(
            dir.path().join(TAXONOMY_FILE),
            "[[label]]\nid = \"party\"\nzh = \"党建\"\nen = \"Party\"\n[[label]]\nid = \"tcm\"\nzh = \"中医药\"\nen = \"TCM\"\n",
        )
        .unwrap();
        fs::write(dir.path().join(USER_DICT_FILE), "").unwrap();
        fs::write(dir.path().join(STOPWORDS_FILE), "的\n").unwrap();
        fs::create_dir(dir.path().join(LABELLED_DIR)).unwrap();
        fs::write(
            dir.path().join(LABELLED_DIR).join("a.jsonl"),
            lines.join("\n"),
        )
        .unwrap();
        dir
    }

    #[test]
    fn check_reports_every_problem_with_line_numbers() {
        let dir = data_dir(&[
            r#"{"id":"1","doc":"a","text":"加强党建","label":"party"}"#,
            r#"{"id":"2","doc":"a","text":"中医","label":"nope"}"#,
            r#"not json"#,
            r#"{"id":"1","doc":"a","text":"别的","label":"party"}"#,
            r#"{"id":"4","doc":"a","text":"  ","label":"tcm"}"#,
            r#"{"id":"5","doc":"a","text":"加强党建","label":"tcm"}"#,
            r#"{"id":"1","doc":"b","text":"另一份文件的同号条目","label":"tcm"}"#,
        ]);
        let (report, data) = check(dir.path()).unwrap();
        assert!(data.is_none());
        let msgs: Vec<String> = report.errors.iter().map(|e| e.to_string()).collect();
        assert_eq!(msgs.len(), 5, "{msgs:?}");
        assert!(
            msgs[0].ends_with("a.jsonl:2: unknown label id `nope`"),
            "{}",
            msgs[0]
        );
        assert!(msgs[1].contains(":3: invalid JSON"));
        assert!(msgs[2].contains(":4: duplicate id `1` in doc `a`"));
        assert!(msgs[3].contains(":5: empty text"));
        assert!(msgs[4].contains(":6: same text labelled `party`"));
    }

    #[test]
    fn review_overrides_hand_label_and_is_reported() {
        let dir = data_dir(&[r#"{"id":"1","doc":"a","text":"加强党建","label":"party"}"#]);
        fs::write(
            dir.path().join(REVIEWED_FILE),
            r#"{"id":"1","doc":"a","text":"加强党建","label":"tcm","source":"review"}"#,
        )
        .unwrap();
        let (report, data) = check(dir.path()).unwrap();
        let data = data.unwrap();
        assert_eq!(data.sections.len(), 1);
        assert_eq!(data.sections[0].section.label, "tcm");
        assert_eq!(data.overridden, 1);
        assert_eq!(report.conflicts.len(), 1);
        assert_eq!(report.counts["party"], 0);
    }

    #[test]
    fn retracted_decisions_and_retraction_lines_are_left_out() {
        let dir = data_dir(&[r#"{"id":"1","doc":"a","text":"加强党建","label":"party"}"#]);
        fs::write(
            dir.path().join(REVIEWED_FILE),
            concat!(
                r#"{"id":"1","doc":"a","text":"加强党建","label":"tcm","source":"review","decision":"s1/1"}"#,
                "\n",
                r#"{"id":"2","doc":"a","text":"推进中医药","label":"tcm","source":"review","decision":"s2/1"}"#,
                "\n",
                r#"{"retract":"s1/1","reviewer":"me","time":1}"#,
                "\n",
                r#"{"id":"3","doc":"a","te"#,
            ),
        )
        .unwrap();
        let (report, data) = check(dir.path()).unwrap();
        let data = data.unwrap();
        let labels: Vec<(&str, &str)> = data
            .sections
            .iter()
            .map(|s| (s.section.id.as_str(), s.section.label.as_str()))
            .collect();
        assert_eq!(labels, [("1", "party"), ("2", "tcm")]);
        assert_eq!((data.reviewed, data.overridden), (1, 0));
        assert!(report.conflicts.is_empty());
        assert_eq!(report.warnings.len(), 1, "{:?}", report.warnings);
    }

    #[test]
    fn review_of_a_namesake_plan_is_kept_apart() {
        // `a/1` was labelled from one plan; the review is about task `1` of
        // another plan also named `a`: both stay, the hand label intact.
        let dir = data_dir(&[r#"{"id":"1","doc":"a","text":"加强党建","label":"party"}"#]);
        fs::write(
            dir.path().join(REVIEWED_FILE),
            concat!(
                r#"{"id":"1","doc":"a","text":"推进中医药","label":"party","source":"review"}"#,
                "\n",
                r#"{"id":"1","doc":"a","text":"推进中医药","label":"tcm","source":"review"}"#,
                "\n",
            ),
        )
        .unwrap();
        let (report, data) = check(dir.path()).unwrap();
        let data = data.unwrap();
        let labels: Vec<(&str, &str)> = data
            .sections
            .iter()
            .map(|s| (s.section.text.as_str(), s.section.label.as_str()))
            .collect();
        assert_eq!(labels, [("加强党建", "party"), ("推进中医药", "tcm")]);
        assert_eq!(report.warnings.len(), 1, "{:?}", report.warnings);
        assert!(
            report.warnings[0].contains(":1: `a/1` has another text than at"),
            "{}",
            report.warnings[0]
        );
        // The second decision about the same task replaced the first.
        assert_eq!((data.reviewed, data.overridden), (2, 1));
    }
}
