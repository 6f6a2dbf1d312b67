//! Already-segmented sections (`--input jsonl`), read as a stream: one JSON
//! object a line, gathered into document groups as they come. Consecutive
//! lines with the same `doc` form one group (without `doc`: the same
//! `doc_title`; with neither, a line stands alone), and a group's sections
//! are context for each other. Only the group being read is held, so a
//! stream of any length is read in bounded memory.

use std::io::BufRead;

use crate::error::Error;
use crate::io::MAX_INPUT_BYTES;
use crate::segment::{Kind, Task};

/// A section as `--input jsonl` takes it.
#[derive(Debug, serde::Deserialize)]
struct InputSection {
    id: String,
    text: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    path: Vec<String>,
    /// The document the section belongs to.
    #[serde(default)]
    doc: Option<String>,
    /// The title of that document, carried to the output.
    #[serde(default)]
    doc_title: Option<String>,
}

/// The sections of one document, in input order.
#[derive(Debug, Default)]
pub struct Group {
    pub tasks: Vec<Task>,
    /// Per task, its `doc_title`.
    pub doc_titles: Vec<Option<String>>,
    /// Bytes of section text, to bound a batch.
    pub text_bytes: usize,
}

/// Reads groups from a stream of JSONL sections; bad lines are set aside
/// as errors (file and line) and reading goes on.
pub struct SectionReader<R> {
    name: String,
    reader: R,
    line_no: usize,
    /// A section read past the end of the last group: the next group's
    /// first, with its group key.
    pending: Option<(Option<String>, Task, Option<String>)>,
    errors: Vec<Error>,
    at_end: bool,
    line: Vec<u8>,
}

impl<R: BufRead> SectionReader<R> {
    pub fn new(name: &str, reader: R) -> Self {
        SectionReader {
            name: name.to_string(),
            reader,
            line_no: 0,
            pending: None,
            errors: Vec::new(),
            at_end: false,
            line: Vec::new(),
        }
    }

    /// The stream is read to its end and no section is waiting.
    pub fn at_end(&self) -> bool {
        self.at_end && self.pending.is_none()
    }

    /// Errors met since the last call.
    pub fn take_errors(&mut self) -> Vec<Error> {
        std::mem::take(&mut self.errors)
    }

    /// The next group, or `None` at the end of the stream.
    pub fn next_group(&mut self) -> Option<Group> {
        let mut group = Group::default();
        let mut key = None;
        if let Some((k, task, title)) = self.pending.take() {
            key = k;
            group.push(task, title);
        }
        while let Some((k, task, title)) = self.next_section() {
            // A section without a key stands alone.
            if !group.tasks.is_empty() && (k.is_none() || k != key) {
                self.pending = Some((k, task, title));
                return Some(group);
            }
            key = k;
            group.push(task, title);
        }
        (!group.tasks.is_empty()).then_some(group)
    }

    /// The next well-formed section with its group key and document title.
    fn next_section(&mut self) -> Option<(Option<String>, Task, Option<String>)> {
        while !self.at_end {
            self.line.clear();
            let mut limited =
                <&mut R as std::io::Read>::take(&mut self.reader, MAX_INPUT_BYTES + 1);
            let read = limited.read_until(b'\n', &mut self.line);
            match read {
                Ok(0) => self.at_end = true,
                Ok(_) => {
                    self.line_no += 1;
                    if self.line.len() as u64 > MAX_INPUT_BYTES {
                        // The rest of the line is not worth reading.
                        self.errors.push(self.line_error("line over 100 MB"));
                        self.at_end = true;
                        break;
                    }
                    match self.parse_line() {
                        Ok(Some(s)) => return Some(s),
                        Ok(None) => {}
                        Err(e) => self.errors.push(e),
                    }
                }
                Err(e) => {
                    self.errors.push(Error::Io {
                        path: self.name.clone().into(),
                        source: e,
                    });
                    self.at_end = true;
                }
            }
        }
        None
    }

    fn line_error(&self, problem: impl Into<String>) -> Error {
        Error::Data {
            path: self.name.clone().into(),
            line: self.line_no,
            problem: problem.into(),
        }
    }

    #[allow(clippy::type_complexity)]
    fn parse_line(&self) -> Result<Option<(Option<String>, Task, Option<String>)>, Error> {
        let line = std::str::from_utf8(&self.line)
            .map_err(|e| self.line_error(format!("invalid UTF-8 at byte {}", e.valid_up_to())))?;
        if line.trim().is_empty() {
            return Ok(None);
        }
        let s: InputSection = serde_json::from_str(line)
            .map_err(|e| self.line_error(format!("not a section (needs `id` and `text`): {e}")))?;
        let key = s.doc.or_else(|| s.doc_title.clone());
        let task = Task {
            doc: self.name.clone(),
            id: s.id,
            kind: Kind::Task,
            path: s.path,
            title: s.title,
            text: s.text,
            start: 0,
            end: 0,
            line_start: self.line_no,
            line_end: self.line_no,
        };
        Ok(Some((key, task, s.doc_title)))
    }
}

impl Group {
    fn push(&mut self, task: Task, doc_title: Option<String>) {
        self.text_bytes += task.text.len() + task.title.len();
        self.tasks.push(task);
        self.doc_titles.push(doc_title);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn groups(input: &str) -> (Vec<Vec<String>>, Vec<String>) {
        let mut r = SectionReader::new("s.jsonl", input.as_bytes());
        let mut out = Vec::new();
        while let Some(g) = r.next_group() {
            out.push(g.tasks.iter().map(|t| t.id.clone()).collect());
        }
        assert!(r.at_end());
        let errors = r.take_errors().iter().map(|e| e.to_string()).collect();
        (out, errors)
    }

    #[test]
    fn consecutive_lines_of_one_doc_form_a_group() {
        let input = concat!(
            r#"{"id":"1","text":"a","doc":"x"}"#,
            "\n",
            r#"{"id":"2","text":"b","doc":"x"}"#,
            "\n\n",
            r#"{"id":"3","text":"c"}"#,
            "\n",
            r#"{"id":"4","text":"d"}"#,
            "\n",
            r#"{"id":"5","text":"e","doc_title":"T"}"#,
            "\n",
            r#"{"id":"6","text":"f","doc_title":"T"}"#,
            "\n",
            r#"{"id":"7","text":"g","doc":"x"}"#,
        );
        let (g, errors) = groups(input);
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(
            g,
            vec![
                vec!["1", "2"],
                vec!["3"],
                vec!["4"],
                vec!["5", "6"],
                vec!["7"]
            ]
        );
    }

    #[test]
    fn bad_lines_are_named_and_skipped() {
        let input = "{\"id\":\"1\",\"text\":\"a\"}\nnot json\n{\"id\":\"2\"}\n\u{0}\n{\"id\":\"3\",\"text\":\"c\"}\n";
        let mut bytes = input.as_bytes().to_vec();
        bytes.extend_from_slice(b"{\"id\":\"4\",\"text\":\"\xff\"}\n");
        let mut r = SectionReader::new("s.jsonl", &bytes[..]);
        let mut ids = Vec::new();
        while let Some(g) = r.next_group() {
            ids.extend(g.tasks.into_iter().map(|t| t.id));
        }
        assert_eq!(ids, vec!["1", "3"]);
        let errors: Vec<String> = r.take_errors().iter().map(|e| e.to_string()).collect();
        assert_eq!(errors.len(), 4, "{errors:?}");
        assert!(
            errors[0].starts_with("s.jsonl:2: not a section"),
            "{errors:?}"
        );
        assert!(
            errors[3].starts_with("s.jsonl:6: invalid UTF-8"),
            "{errors:?}"
        );
    }
}
