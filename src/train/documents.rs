//! The training documents read whole: the files the labelled sections come
//! from, segmented as tagging segments them. Their tasks, labelled or not,
//! are scored out of fold, so that the review flag is set on the tasks
//! tagging meets (headings, framing, short items as well as the labelled
//! units), not on the labelled units alone.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::data::{Fnv64, TrainingData};
use crate::error::{Error, Result};
use crate::io::Source;
use crate::segment::Kind;

/// A task as the tokeniser reads it (title, text, heading path).
pub struct DocumentTask {
    pub title: String,
    pub text: String,
    pub path: Vec<String>,
}

/// The tasks of one training document (cover letters left out: they are
/// never labelled nor flagged).
pub struct DocumentTasks {
    /// The document as the labelled sections name it (the file stem).
    pub doc: String,
    pub tasks: Vec<DocumentTask>,
}

/// The training documents found in `dirs`: for each document of the
/// labelled sections, the first file in `dirs` whose stem is its name.
/// Returns them (in document order) and a digest of their bytes.
pub fn load_documents(data: &TrainingData, dirs: &[PathBuf]) -> Result<(Vec<DocumentTasks>, u64)> {
    let mut files: HashMap<String, PathBuf> = HashMap::new();
    for dir in dirs {
        let mut found: Vec<PathBuf> = std::fs::read_dir(dir)
            .map_err(|source| Error::Io {
                path: dir.clone(),
                source,
            })?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.is_file())
            .collect();
        found.sort();
        for path in found {
            if let Some(stem) = stem(&path) {
                files.entry(stem).or_insert(path);
            }
        }
    }
    let mut docs: Vec<&str> = data
        .sections
        .iter()
        .map(|s| s.section.doc.as_str())
        .collect();
    docs.sort_unstable();
    docs.dedup();
    let mut digest = Fnv64::new();
    let mut out = Vec::new();
    for doc in docs {
        let Some(path) = files.get(doc) else {
            continue;
        };
        let segmented = crate::app::segment_source(&Source::File(path.clone()))?;
        digest.update(doc.as_bytes());
        for t in &segmented.tasks {
            digest.update(t.title.as_bytes());
            digest.update(t.text.as_bytes());
            digest.update(t.path.concat().as_bytes());
        }
        out.push(DocumentTasks {
            doc: doc.to_string(),
            tasks: segmented
                .tasks
                .into_iter()
                .filter(|t| t.kind != Kind::Notice)
                .map(|t| DocumentTask {
                    title: t.title,
                    text: t.text,
                    path: t.path,
                })
                .collect(),
        });
    }
    Ok((out, digest.finish()))
}

fn stem(path: &Path) -> Option<String> {
    path.file_stem().map(|s| s.to_string_lossy().into_owned())
}
