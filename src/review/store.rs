//! The decision store: `reviewed.jsonl` appended under a lock, undo as an
//! appended retraction, and each live session's presence file naming the
//! task it shows.

use std::fs::{self, File, OpenOptions};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::now;
use crate::data::{ReviewLine, Section, TaskIdentity};
use crate::error::{Error, Result};

/// A review decision as stored in `reviewed.jsonl`: a training section
/// plus who decided, when, and what the model had said.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Decision {
    #[serde(flatten)]
    pub section: Section,
    pub predicted: String,
    pub model_digest: String,
    pub reviewer: String,
    /// Unix time of the decision.
    pub time: u64,
    /// Unique id of the decision (`session/number`), which an undo names.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decision: Option<String>,
}

/// An undo as stored in `reviewed.jsonl`: takes back decision `retract`
/// (`doc` and `id` say which task it was about, for people reading the file).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Retraction {
    pub retract: String,
    pub doc: String,
    pub id: String,
    pub reviewer: String,
    pub time: u64,
}

/// The append-only decision log, shared by every session on a data folder.
pub struct DecisionStore {
    path: PathBuf,
    lock_path: PathBuf,
}

/// The folder's exclusive lock, held while a session reads the log and
/// changes it or its claim; released when dropped.
pub struct StoreLock {
    _file: File,
}

pub(super) fn io_error(path: &Path) -> impl Fn(std::io::Error) -> Error + '_ {
    move |source| Error::Write {
        path: path.to_path_buf(),
        source,
    }
}

/// `dir/.NAME.suffix` beside a file `dir/NAME`.
pub(super) fn beside(path: &Path, suffix: &str) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "reviewed.jsonl".into());
    path.with_file_name(format!(".{name}.{suffix}"))
}

impl DecisionStore {
    pub fn new(path: &Path) -> Self {
        DecisionStore {
            path: path.to_path_buf(),
            lock_path: beside(path, "lock"),
        }
    }

    /// The store and the decisions in force in it now.
    pub fn open(path: &Path) -> Result<(Self, Vec<Decision>)> {
        let store = Self::new(path);
        let decisions = store.read()?;
        Ok((store, decisions))
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Waits for and takes the folder's lock.
    pub fn lock(&self) -> Result<StoreLock> {
        let file = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&self.lock_path)
            .map_err(io_error(&self.lock_path))?;
        file.lock().map_err(io_error(&self.lock_path))?;
        Ok(StoreLock { _file: file })
    }

    /// The decisions in force: every decision line not retracted by a later
    /// undo, in file order. Hand-written section lines are left to
    /// training; a torn last line (a write cut off by a kill, or one under
    /// way) is ignored.
    pub fn read(&self) -> Result<Vec<Decision>> {
        let text = match fs::read_to_string(&self.path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(source) => {
                return Err(Error::Io {
                    path: self.path.clone(),
                    source,
                })
            }
        };
        let retracted = crate::data::retracted_ids(&text);
        let n = text.lines().count();
        let mut decisions = Vec::new();
        for (i, line) in text.lines().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            let torn = i + 1 == n && !text.ends_with('\n');
            let Some(log) = ReviewLine::of(line) else {
                if torn {
                    continue;
                }
                return Err(Error::data(&self.path, i + 1, "invalid line: not JSON"));
            };
            if log.retract.is_some() {
                continue;
            }
            match serde_json::from_str::<Decision>(line) {
                Ok(d) => {
                    if !d.decision.as_ref().is_some_and(|id| retracted.contains(id)) {
                        decisions.push(d);
                    }
                }
                // Hand-written lines are training data, not decisions.
                Err(_) if serde_json::from_str::<Section>(line).is_ok() => {}
                Err(_) if torn => {}
                Err(e) => return Err(Error::data(&self.path, i + 1, format!("invalid line: {e}"))),
            }
        }
        Ok(decisions)
    }

    /// Appends one line (with the lock held): a torn tail left by a killed
    /// writer is cut off first, a whole last line missing its line end (a
    /// hand edit) gets one; then a single write and an fsync.
    pub(super) fn append_line(&self, _lock: &StoreLock, record: &impl Serialize) -> Result<()> {
        let mut line = serde_json::to_vec(record).map_err(Error::serialize("review decision"))?;
        line.push(b'\n');
        let write = || -> std::io::Result<()> {
            let mut f = OpenOptions::new()
                .create(true)
                .read(true)
                .append(true)
                .open(&self.path)?;
            let len = f.metadata()?.len();
            if len > 0 {
                let mut last = [0u8];
                f.seek(SeekFrom::End(-1))?;
                f.read_exact(&mut last)?;
                if last[0] != b'\n' {
                    let mut bytes = Vec::new();
                    f.seek(SeekFrom::Start(0))?;
                    f.read_to_end(&mut bytes)?;
                    let start = bytes.iter().rposition(|&b| b == b'\n').map_or(0, |p| p + 1);
                    let tail = &bytes[start..];
                    if serde_json::from_slice::<serde_json::Value>(tail).is_ok() {
                        f.write_all(b"\n")?;
                    } else {
                        f.set_len(start as u64)?;
                    }
                }
            }
            f.write_all(&line)?;
            f.sync_all()
        };
        write().map_err(io_error(&self.path))
    }

    /// Appends one decision (takes the lock for it).
    pub fn append(&self, d: &Decision) -> Result<()> {
        let lock = self.lock()?;
        self.append_line(&lock, d)
    }
}

/// What a live session shows, in its file under `.reviewed.jsonl.sessions/`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(super) struct PresenceInfo {
    pub(super) reviewer: String,
    pub(super) pid: u32,
    pub(super) started: u64,
    #[serde(default)]
    pub(super) task: Option<TaskIdentity>,
}

/// This session's file, locked for as long as the session lives.
pub(super) struct Presence {
    pub(super) file: File,
    pub(super) path: PathBuf,
    pub(super) info: PresenceInfo,
}

impl Presence {
    /// Creates and locks this session's file (with the store lock held).
    pub(super) fn join(dir: &Path, reviewer: &str, id: &str) -> Result<Self> {
        fs::create_dir_all(dir).map_err(io_error(dir))?;
        let path = dir.join(format!("{id}.json"));
        let file = OpenOptions::new()
            .create_new(true)
            .write(true)
            .open(&path)
            .map_err(io_error(&path))?;
        file.try_lock().map_err(|e| Error::Lock {
            path: path.clone(),
            source: e.into(),
        })?;
        let mut p = Presence {
            file,
            path,
            info: PresenceInfo {
                reviewer: reviewer.to_string(),
                pid: std::process::id(),
                started: now(),
                task: None,
            },
        };
        p.write()?;
        Ok(p)
    }

    pub(super) fn write(&mut self) -> Result<()> {
        let bytes = serde_json::to_vec(&self.info).map_err(Error::serialize("review session"))?;
        let path = self.path.clone();
        (|| -> std::io::Result<()> {
            self.file.set_len(0)?;
            self.file.seek(SeekFrom::Start(0))?;
            self.file.write_all(&bytes)
        })()
        .map_err(io_error(&path))
    }

    /// Names the task this session shows (with the store lock held).
    pub(super) fn show(&mut self, task: Option<TaskIdentity>) -> Result<()> {
        if self.info.task != task {
            self.info.task = task;
            self.write()?;
        }
        Ok(())
    }
}

impl Drop for Presence {
    fn drop(&mut self) {
        let _ = fs::remove_file(&self.path);
    }
}

/// The other live sessions of a folder (with the store lock held). Files
/// of sessions that ended without cleaning up (killed) are not locked any
/// more: they are removed.
pub(super) fn other_sessions(dir: &Path, mine: &Path) -> Vec<PresenceInfo> {
    let Ok(entries) = fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for path in entries.filter_map(|e| e.ok().map(|e| e.path())) {
        if path == mine || path.extension().is_none_or(|e| e != "json") {
            continue;
        }
        let Ok(mut file) = File::open(&path) else {
            continue;
        };
        match file.try_lock() {
            Ok(()) => {
                let _ = fs::remove_file(&path);
            }
            Err(std::fs::TryLockError::WouldBlock) => {
                let mut text = String::new();
                if file.read_to_string(&mut text).is_ok() {
                    if let Ok(info) = serde_json::from_str::<PresenceInfo>(&text) {
                        out.push(info);
                    }
                }
            }
            Err(_) => {}
        }
    }
    out
}
