//! Where a simulation writes: scratch folders removed when dropped, and
//! copies of the training data without their review decisions.

use std::path::{Path, PathBuf};

use crate::data;
use crate::error::{Error, Result};

/// A copy of a training-data folder without its review decisions.
pub(super) fn copy_training_data(from: &Path, to: &Path) -> Result<()> {
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| Error::Io { path, source }
    };
    std::fs::create_dir_all(to.join(data::LABELLED_DIR)).map_err(io(to))?;
    for name in [
        data::TAXONOMY_FILE,
        data::USER_DICT_FILE,
        data::STOPWORDS_FILE,
    ] {
        std::fs::copy(from.join(name), to.join(name)).map_err(io(&from.join(name)))?;
    }
    let labelled = from.join(data::LABELLED_DIR);
    for entry in std::fs::read_dir(&labelled).map_err(io(&labelled))? {
        let entry = entry.map_err(io(&labelled))?;
        if entry.path().is_file() {
            std::fs::copy(
                entry.path(),
                to.join(data::LABELLED_DIR).join(entry.file_name()),
            )
            .map_err(io(&entry.path()))?;
        }
    }
    Ok(())
}

/// A scratch folder under the system's temporary folder, removed when
/// dropped.
pub(super) struct Scratch(PathBuf);

impl Scratch {
    pub(super) fn new() -> Result<Self> {
        let path = std::env::temp_dir().join(format!(
            "plantag-learn-{}-{:x}",
            std::process::id(),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_nanos())
                .unwrap_or(0)
        ));
        std::fs::create_dir_all(&path).map_err(|source| Error::Write {
            path: path.clone(),
            source,
        })?;
        Ok(Scratch(path))
    }

    pub(super) fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}
