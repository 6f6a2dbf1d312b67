//! Reading a data folder with every check `plan-train check` runs: each
//! line parsed and checked, all problems collected with their line, and
//! review decisions put in place of the hand labels of the same task.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

use super::{
    read, retracted_ids, section_files, Fnv64, LoadedSection, ReviewLine, Section, TaskIdentity,
    Taxonomy, TrainingData, REVIEWED_FILE, STOPWORDS_FILE, TAXONOMY_FILE, USER_DICT_FILE,
};
use crate::error::{Error, Result};

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

#[cfg(test)]
mod tests {
    use super::super::LABELLED_DIR;
    use super::*;
    use std::fs;

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
