//! Extra labelled data in the corpus gold format, added to the training
//! data as sections of their documents.

use std::path::Path;

use serde::Deserialize;

use super::{read, Fnv64, LoadedSection, Section, TrainingData};
use crate::error::{Error, Result};

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
