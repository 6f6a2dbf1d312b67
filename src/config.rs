//! Where a user's files are: the model `plan-tag` uses when no `--model` is
//! given (`PLANTAG_MODEL`, then the config file, then the built-in model),
//! and the training-data directory `plan-train` reads.

use std::fmt;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::error::{Error, Result};

/// Environment variable naming the model to use instead of the built-in one.
pub const MODEL_ENV: &str = "PLANTAG_MODEL";
/// Environment variable naming the config file (instead of the usual place).
pub const CONFIG_ENV: &str = "PLANTAG_CONFIG";

/// The config file: `model = "PATH"` (relative to the file's directory).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ConfigFile {
    model: Option<PathBuf>,
}

/// What named the model to load.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// `--model FILE`.
    Flag,
    /// The `PLANTAG_MODEL` environment variable.
    Env,
    /// The `model` key of this config file.
    Config(PathBuf),
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Origin::Flag => write!(f, "--model"),
            Origin::Env => write!(f, "{MODEL_ENV}"),
            Origin::Config(p) => write!(f, "{}", p.display()),
        }
    }
}

/// The config file's place: `$PLANTAG_CONFIG`, else
/// `$XDG_CONFIG_HOME/plantag/config.toml`, else
/// `$HOME/.config/plantag/config.toml`.
pub fn config_path() -> Option<PathBuf> {
    let var = |name: &str| std::env::var_os(name).filter(|v| !v.is_empty());
    if let Some(p) = var(CONFIG_ENV) {
        return Some(PathBuf::from(p));
    }
    let base = var("XDG_CONFIG_HOME")
        .map(PathBuf::from)
        .or_else(|| var("HOME").map(|h| PathBuf::from(h).join(".config")))?;
    Some(base.join("plantag").join("config.toml"))
}

/// The model file to load, and what named it; `None` means the built-in
/// model. An explicit path wins, then `PLANTAG_MODEL`, then the config
/// file. A config file that exists but cannot be read is an error (a typo
/// there should not silently fall back to another model); one named by
/// `PLANTAG_CONFIG` must exist.
pub fn model_path(explicit: Option<&Path>) -> Result<Option<(PathBuf, Origin)>> {
    if let Some(p) = explicit {
        return Ok(Some((p.to_path_buf(), Origin::Flag)));
    }
    if let Some(p) = std::env::var_os(MODEL_ENV).filter(|v| !v.is_empty()) {
        return Ok(Some((PathBuf::from(p), Origin::Env)));
    }
    let Some(config) = config_path() else {
        return Ok(None);
    };
    let named = std::env::var_os(CONFIG_ENV).is_some_and(|v| !v.is_empty());
    if !named && !config.exists() {
        return Ok(None);
    }
    let text = std::fs::read_to_string(&config).map_err(|source| Error::Io {
        path: config.clone(),
        source,
    })?;
    let file: ConfigFile = toml::from_str(&text).map_err(|e| {
        Error::input(
            &config,
            format!("invalid config file: {}", e.message().trim()),
        )
    })?;
    Ok(file.model.map(|m| {
        let dir = config.parent().unwrap_or(Path::new("."));
        (dir.join(m), Origin::Config(config.clone()))
    }))
}

/// Checks that a training-data directory exists, saying what to do when it
/// does not (the default `training-data` exists only inside the
/// repository).
pub fn training_data(dir: &Path) -> Result<&Path> {
    if dir.is_dir() {
        Ok(dir)
    } else {
        Err(Error::input(
            dir,
            "no such training-data directory (it holds taxonomy.toml and labelled/); \
             name one with --data DIR",
        ))
    }
}

/// A note for whoever writes a model over the one built into the binaries:
/// `plan-tag` keeps using the built-in copy until it is rebuilt.
pub fn shipped_model_note(out: &Path) -> Option<String> {
    let shipped = Path::new(env!("CARGO_MANIFEST_DIR")).join("models/default.model");
    let same = std::fs::canonicalize(out).ok()? == std::fs::canonicalize(&shipped).ok()?;
    same.then(|| {
        format!(
            "{} is the model built into plan-tag: rebuild the binaries (cargo build --release) \
             for the built-in default to change",
            out.display()
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_training_data_directory_says_to_use_data() {
        let e = training_data(Path::new("/nonexistent/training-data"))
            .unwrap_err()
            .to_string();
        assert!(
            e.starts_with("/nonexistent/training-data: no such training-data directory")
                && e.ends_with("name one with --data DIR"),
            "{e}"
        );
        let here = Path::new(env!("CARGO_MANIFEST_DIR")).join("training-data");
        assert!(training_data(&here).is_ok());
    }

    #[test]
    fn writing_the_shipped_model_gets_a_note() {
        let shipped = Path::new(env!("CARGO_MANIFEST_DIR")).join("models/../models/default.model");
        assert!(shipped_model_note(&shipped).unwrap().contains("rebuild"));
        assert_eq!(shipped_model_note(Path::new("/tmp/none.model")), None);
    }
}
