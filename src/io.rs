//! Shared file I/O: which files an argument list names (folders walked once
//! each, in sorted order), reading a source's bytes within a size limit, and
//! writing files atomically, whole or streamed. Every stage that touches the
//! file system goes through here.

use std::collections::HashSet;
use std::fs;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// Display name used for standard input.
pub const STDIN_NAME: &str = "-";

/// File extensions picked up when a directory is given.
pub const SUPPORTED_EXTENSIONS: &[&str] = &["txt", "text", "html", "htm", "docx"];

/// Largest input accepted: work plans are kilobytes; a file this large is
/// not a plan, and refusing it keeps memory bounded in a batch.
pub const MAX_INPUT_BYTES: u64 = 100 << 20;

/// One input to process: a file on disk or standard input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    Stdin,
    File(PathBuf),
}

impl Source {
    pub fn name(&self) -> String {
        match self {
            Source::Stdin => STDIN_NAME.to_string(),
            Source::File(p) => p.display().to_string(),
        }
    }

    /// Opens the source for reading as a stream (no size limit: the reader
    /// decides how much it holds).
    pub fn open(&self) -> Result<Box<dyn io::BufRead>> {
        match self {
            Source::Stdin => Ok(Box::new(io::BufReader::new(io::stdin()))),
            Source::File(path) => {
                let file = fs::File::open(path).map_err(|source| Error::Io {
                    path: path.clone(),
                    source,
                })?;
                Ok(Box::new(io::BufReader::with_capacity(1 << 16, file)))
            }
        }
    }
}

/// Expands the user's arguments into sources: `-` is stdin, a directory means
/// every supported file below it in sorted (stable) order. Symbolic links are
/// followed, but each real directory is walked once, so a link back up the
/// tree (a loop) or two links to one folder do not repeat its files.
/// Problems met while walking (an unreadable sub-directory, a missing path)
/// come back as errors beside the sources, so that the rest of a batch still
/// runs.
pub fn expand_sources(args: &[String]) -> (Vec<Source>, Vec<Error>) {
    let mut sources = Vec::new();
    let mut errors = Vec::new();
    let mut seen_dirs = HashSet::new();
    for arg in args {
        if arg == STDIN_NAME {
            sources.push(Source::Stdin);
            continue;
        }
        let path = PathBuf::from(arg);
        match fs::metadata(&path) {
            Ok(meta) if meta.is_dir() => walk_dir(&path, &mut seen_dirs, &mut sources, &mut errors),
            Ok(_) => sources.push(Source::File(path)),
            Err(source) => errors.push(Error::Io { path, source }),
        }
    }
    (sources, errors)
}

fn walk_dir(
    dir: &Path,
    seen_dirs: &mut HashSet<same_file::Handle>,
    sources: &mut Vec<Source>,
    errors: &mut Vec<Error>,
) {
    let walk = walkdir::WalkDir::new(dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            !e.file_type().is_dir()
                || same_file::Handle::from_path(e.path())
                    .map(|h| seen_dirs.insert(h))
                    .unwrap_or(true)
        });
    for entry in walk {
        match entry {
            Ok(e) if e.file_type().is_file() && has_supported_extension(e.path()) => {
                sources.push(Source::File(e.into_path()))
            }
            Ok(_) => {}
            // A link to a folder above it: that folder is being walked.
            Err(e) if e.loop_ancestor().is_some() => {}
            Err(e) => {
                let path = e.path().unwrap_or(dir).to_path_buf();
                let source = e
                    .into_io_error()
                    .unwrap_or_else(|| io::Error::other("cannot walk"));
                // A dangling link named like a plan is an input that cannot
                // be read; other dangling entries are not inputs at all.
                if source.kind() != io::ErrorKind::NotFound || has_supported_extension(&path) {
                    errors.push(Error::Io { path, source });
                }
            }
        }
    }
}

fn has_supported_extension(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .map(|e| SUPPORTED_EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()))
        .unwrap_or(false)
}

/// The error for an input over [`MAX_INPUT_BYTES`].
pub fn too_large(name: &str, bytes: u64) -> Error {
    Error::input(
        name,
        format!(
            "too large: {:.1} MB (the limit is {} MB)",
            bytes as f64 / (1 << 20) as f64,
            MAX_INPUT_BYTES >> 20
        ),
    )
}

/// Reads the raw bytes of a source, refusing more than [`MAX_INPUT_BYTES`].
pub fn read_bytes(source: &Source) -> Result<Vec<u8>> {
    let name = source.name();
    let io_err = |e| match source {
        Source::Stdin => Error::Stdin(e),
        Source::File(_) => Error::Io {
            path: name.clone().into(),
            source: e,
        },
    };
    let mut buf = Vec::new();
    match source {
        Source::Stdin => {
            io::stdin()
                .take(MAX_INPUT_BYTES + 1)
                .read_to_end(&mut buf)
                .map_err(io_err)?;
        }
        Source::File(path) => {
            let file = fs::File::open(path).map_err(io_err)?;
            let len = file.metadata().map_err(io_err)?.len();
            if len > MAX_INPUT_BYTES {
                return Err(too_large(&name, len));
            }
            file.take(MAX_INPUT_BYTES + 1)
                .read_to_end(&mut buf)
                .map_err(io_err)?;
        }
    }
    if buf.len() as u64 > MAX_INPUT_BYTES {
        return Err(too_large(&name, buf.len() as u64));
    }
    Ok(buf)
}

/// Writes `bytes` to `path` atomically: a temporary file in the same
/// directory, fsynced, then renamed over the target. A crash leaves either the
/// old file or the new one, never half of one.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let mut file = AtomicFile::create(path)?;
    let written = file.write_all(bytes);
    match written {
        Ok(()) => file.commit(),
        Err(source) => Err(Error::Write {
            path: path.to_path_buf(),
            source,
        }),
    }
}

/// A file written as a stream and put in place only when complete: the
/// bytes go to a temporary file beside the target, which [`commit`]
/// fsyncs and renames over it. Dropped without a commit (an error, a
/// panic), the temporary file is removed and the target is untouched.
///
/// [`commit`]: AtomicFile::commit
pub struct AtomicFile {
    path: PathBuf,
    tmp: PathBuf,
    file: Option<io::BufWriter<fs::File>>,
}

impl AtomicFile {
    pub fn create(path: &Path) -> Result<Self> {
        let dir = parent_dir(path);
        let file_name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "out".to_string());
        let tmp = dir.join(format!(".{file_name}.tmp{}", std::process::id()));
        let file = fs::File::create(&tmp).map_err(|source| Error::Write {
            path: path.to_path_buf(),
            source,
        })?;
        Ok(AtomicFile {
            path: path.to_path_buf(),
            tmp,
            file: Some(io::BufWriter::with_capacity(1 << 16, file)),
        })
    }

    /// The target path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Flushes, fsyncs and renames the file into place.
    pub fn commit(mut self) -> Result<()> {
        let file = self.file.take().expect("committed once");
        let finish = || -> io::Result<()> {
            let file = file.into_inner().map_err(|e| e.into_error())?;
            file.sync_all()?;
            fs::rename(&self.tmp, &self.path)?;
            if let Ok(d) = fs::File::open(parent_dir(&self.path)) {
                let _ = d.sync_all();
            }
            Ok(())
        };
        finish().map_err(|source| {
            let _ = fs::remove_file(&self.tmp);
            Error::Write {
                path: self.path.clone(),
                source,
            }
        })
    }
}

/// Records set aside on disk while a run goes on, to be read back by
/// range when it ends: outputs that are written whole at the end (the
/// review queue, sorted; the HTML report, plans by year) keep only each
/// record's place in memory, so a run over many plans stays small. The
/// file sits beside the output it is for (same file system, a place the
/// user can write); on Unix its name is removed as soon as it is open, and
/// elsewhere when the spill is dropped.
pub struct Spill {
    target: PathBuf,
    path: PathBuf,
    file: io::BufWriter<fs::File>,
    len: u64,
}

impl Spill {
    /// A new, empty spill for the output `target`.
    pub fn beside(target: &Path) -> Result<Spill> {
        let file_name = target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "out".to_string());
        let path = parent_dir(target).join(format!(".{file_name}.spill{}", std::process::id()));
        let file = fs::OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(true)
            .open(&path)
            .map_err(|source| Error::Write {
                path: target.to_path_buf(),
                source,
            })?;
        // Unix keeps an open file whose name is gone: with the name removed
        // at once, a run that is killed leaves nothing behind.
        #[cfg(unix)]
        let _ = fs::remove_file(&path);
        Ok(Spill {
            target: target.to_path_buf(),
            path,
            file: io::BufWriter::with_capacity(1 << 16, file),
            len: 0,
        })
    }

    fn error(&self) -> impl Fn(io::Error) -> Error + '_ {
        |source| Error::Write {
            path: self.target.clone(),
            source,
        }
    }

    /// Appends a record; returns where it is (offset, length).
    pub fn push(&mut self, bytes: &[u8]) -> Result<(u64, usize)> {
        self.file.write_all(bytes).map_err(self.error())?;
        let at = self.len;
        self.len += bytes.len() as u64;
        Ok((at, bytes.len()))
    }

    /// Reads back the bytes at `at` (as [`Spill::push`] returned it) into
    /// `buf`, replacing its contents.
    pub fn read(&mut self, (offset, len): (u64, usize), buf: &mut Vec<u8>) -> Result<()> {
        use std::io::Seek;
        self.file.flush().map_err(self.error())?;
        let file = self.file.get_mut();
        buf.resize(len, 0);
        file.seek(io::SeekFrom::Start(offset))
            .and_then(|_| file.read_exact(buf))
            .and_then(|_| file.seek(io::SeekFrom::End(0)).map(|_| ()))
            .map_err(|source| Error::Write {
                path: self.target.clone(),
                source,
            })
    }
}

impl Drop for Spill {
    fn drop(&mut self) {
        let _ = fs::remove_file(&self.path);
    }
}

fn parent_dir(path: &Path) -> &Path {
    path.parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
}

impl Write for AtomicFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.file.as_mut().expect("not committed").write(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.file.as_mut().expect("not committed").flush()
    }
}

impl Drop for AtomicFile {
    fn drop(&mut self) {
        if self.file.take().is_some() {
            let _ = fs::remove_file(&self.tmp);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn atomic_write_replaces_file() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("out.txt");
        write_atomic(&p, b"one").unwrap();
        write_atomic(&p, b"two").unwrap();
        assert_eq!(std::fs::read(&p).unwrap(), b"two");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn spilled_records_read_back_by_range_and_leave_no_file() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("queue.jsonl");
        let mut spill = Spill::beside(&target).unwrap();
        let a = spill.push(b"first record\n").unwrap();
        let b = spill.push("第二条".as_bytes()).unwrap();
        let mut buf = Vec::new();
        spill.read(b, &mut buf).unwrap();
        assert_eq!(buf, "第二条".as_bytes());
        let c = spill.push(b"third").unwrap();
        spill.read(a, &mut buf).unwrap();
        assert_eq!(buf, b"first record\n");
        spill.read(c, &mut buf).unwrap();
        assert_eq!(buf, b"third");
        assert!(!target.exists());
        #[cfg(unix)]
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
        drop(spill);
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
        assert!(Spill::beside(&dir.path().join("no/such/dir/q.jsonl")).is_err());
    }

    #[test]
    fn atomic_file_left_uncommitted_leaves_target_alone() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("out.txt");
        std::fs::write(&p, b"old").unwrap();
        {
            let mut f = AtomicFile::create(&p).unwrap();
            f.write_all(b"half of the new").unwrap();
        }
        assert_eq!(std::fs::read(&p).unwrap(), b"old");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[cfg(unix)]
    #[test]
    fn each_real_directory_is_walked_once() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        std::fs::create_dir(d.join("a")).unwrap();
        std::fs::write(d.join("a/plan.txt"), "一、甲").unwrap();
        // A loop (a/up -> ..) and a second name for `a`.
        std::os::unix::fs::symlink("..", d.join("a/up")).unwrap();
        std::os::unix::fs::symlink("a", d.join("b")).unwrap();
        let (sources, errors) = expand_sources(&[d.display().to_string()]);
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(sources, vec![Source::File(d.join("a/plan.txt"))]);
    }
}
