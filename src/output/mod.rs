//! Output stage: segmented or tagged tasks as a table for people, or as
//! JSON / JSONL / CSV for programs. Field names here are a public contract
//! (documented in README.md).

use std::io::{self, Write};

use serde::Serialize;

use crate::classify::Prediction;
use crate::segment::Task;

mod csv_row;
mod json;
mod width;

pub use csv_row::write_csv_row;
use csv_row::{csv_fields, CSV_HEADER};
pub use json::{write_json_str, write_record_json};
pub use width::{display_width, fit_to, pad_to, snippet};

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Aligned, indented outline for people.
    Table,
    /// One JSON array of documents.
    Json,
    /// One JSON object per task per line.
    Jsonl,
    /// Comma-separated values with a UTF-8 BOM (opens cleanly in Excel).
    Csv,
}

/// One task with its prediction, if it was tagged.
#[derive(Debug, Serialize)]
pub struct Record<'a> {
    #[serde(flatten)]
    pub task: &'a Task,
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    pub prediction: Option<&'a Prediction>,
    /// The title of the document the task came from, when the input named
    /// one apart from the task (`doc_title` of a JSONL section).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub doc_title: Option<&'a str>,
}

/// One document's results, in input order.
#[derive(Debug, Serialize)]
pub struct DocRecord<'a> {
    pub doc: &'a str,
    pub title: Option<&'a str>,
    pub warnings: &'a [String],
    pub tasks: Vec<Record<'a>>,
}

impl<'a> DocRecord<'a> {
    /// A document's tasks, with their predictions when it was tagged.
    pub fn new(
        doc: &'a str,
        title: Option<&'a str>,
        warnings: &'a [String],
        tasks: &'a [Task],
        predictions: Option<&'a [Prediction]>,
    ) -> Self {
        DocRecord {
            doc,
            title,
            warnings,
            tasks: tasks
                .iter()
                .enumerate()
                .map(|(i, task)| Record {
                    task,
                    prediction: predictions.and_then(|p| p.get(i)),
                    doc_title: None,
                })
                .collect(),
        }
    }
}

/// Writes documents in a format; JSON arrays and the CSV header need to know
/// whether they are at the start, so the writer keeps that state. A
/// document may come in pieces ([`begin_doc`], [`write_tasks`] as often as
/// needed, [`end_doc`]), so that a long stream of sections is written as
/// it is tagged.
///
/// [`begin_doc`]: Writer::begin_doc
/// [`write_tasks`]: Writer::write_tasks
/// [`end_doc`]: Writer::end_doc
pub struct Writer<W: Write> {
    out: W,
    format: Format,
    started: bool,
    show_text: bool,
    /// One JSONL line, built whole and written with one call.
    line: Vec<u8>,
    /// Tasks of the current document written so far (JSON commas).
    tasks_in_doc: usize,
    /// The heading path last printed in the table.
    shown_path: Vec<String>,
    /// CSV: an `explain` column after the others.
    explain_column: bool,
    /// Table: a prediction was printed, so the legend is due at the end.
    legend_due: bool,
}

impl<W: Write> Writer<W> {
    pub fn new(out: W, format: Format) -> Self {
        Writer {
            out,
            format,
            started: false,
            show_text: false,
            line: Vec::new(),
            tasks_in_doc: 0,
            shown_path: Vec::new(),
            explain_column: false,
            legend_due: false,
        }
    }

    /// In CSV, add an `explain` column (`term:weight` pairs separated by
    /// spaces) after the others.
    pub fn explain_column(mut self, yes: bool) -> Self {
        self.explain_column = yes;
        self
    }

    /// In the table, print a snippet of each task's text under its title.
    pub fn show_text(mut self, yes: bool) -> Self {
        self.show_text = yes;
        self
    }

    /// Writes a whole document.
    pub fn write_doc(&mut self, doc: &DocRecord<'_>) -> io::Result<()> {
        self.begin_doc(doc.doc, doc.title, doc.warnings)?;
        self.write_tasks(&doc.tasks)?;
        self.end_doc()
    }

    /// Starts a document: what comes before its first task.
    pub fn begin_doc(
        &mut self,
        doc: &str,
        title: Option<&str>,
        warnings: &[String],
    ) -> io::Result<()> {
        let first = !self.started;
        self.started = true;
        self.tasks_in_doc = 0;
        self.shown_path.clear();
        match self.format {
            Format::Jsonl => {}
            Format::Json => {
                // Byte for byte what serde_json writes of a `DocRecord`.
                #[derive(Serialize)]
                struct Head<'a> {
                    doc: &'a str,
                    title: Option<&'a str>,
                    warnings: &'a [String],
                }
                self.out.write_all(if first { b"[\n" } else { b",\n" })?;
                let head = serde_json::to_vec(&Head {
                    doc,
                    title,
                    warnings,
                })?;
                // `{…}` without its closing brace, then the task array.
                self.out.write_all(&head[..head.len() - 1])?;
                self.out.write_all(b",\"tasks\":[")?;
            }
            Format::Csv => {
                if first {
                    self.out.write_all("\u{feff}".as_bytes())?;
                    if self.explain_column {
                        let mut header = CSV_HEADER.to_vec();
                        header.push("explain");
                        write_csv_row(&mut self.out, &header)?;
                    } else {
                        write_csv_row(&mut self.out, &CSV_HEADER)?;
                    }
                }
            }
            Format::Table => {
                if !first {
                    writeln!(self.out)?;
                }
                match title {
                    Some(t) => writeln!(self.out, "{doc}  《{t}》")?,
                    None => writeln!(self.out, "{doc}")?,
                }
                for w in warnings {
                    writeln!(self.out, "  note: {w}")?;
                }
            }
        }
        Ok(())
    }

    /// Writes tasks of the current document.
    pub fn write_tasks(&mut self, records: &[Record<'_>]) -> io::Result<()> {
        for r in records {
            match self.format {
                Format::Jsonl => {
                    self.line.clear();
                    write_record_json(&mut self.line, r)?;
                    self.line.push(b'\n');
                    self.out.write_all(&self.line)?;
                }
                Format::Json => {
                    if self.tasks_in_doc > 0 {
                        self.out.write_all(b",")?;
                    }
                    serde_json::to_writer(&mut self.out, r)?;
                }
                Format::Csv if self.explain_column => {
                    let mut fields = csv_fields(r);
                    fields.push(
                        r.prediction
                            .and_then(|p| p.explain.as_ref())
                            .map(|ev| {
                                ev.iter()
                                    .map(|e| format!("{}:{:.4}", e.term, e.weight))
                                    .collect::<Vec<_>>()
                                    .join(" ")
                            })
                            .unwrap_or_default(),
                    );
                    write_csv_row(&mut self.out, &fields)?;
                }
                Format::Csv => write_csv_row(&mut self.out, &csv_fields(r))?,
                Format::Table => self.write_table_task(r)?,
            }
            self.tasks_in_doc += 1;
        }
        Ok(())
    }

    /// Ends the current document.
    pub fn end_doc(&mut self) -> io::Result<()> {
        if self.format == Format::Json {
            self.out.write_all(b"]}")?;
        }
        Ok(())
    }

    /// Closes what needs closing (the JSON array) and flushes.
    pub fn finish(&mut self) -> io::Result<()> {
        if self.format == Format::Json {
            self.out
                .write_all(if self.started { b"\n]\n" } else { b"[]\n" })?;
        }
        if self.legend_due {
            self.legend_due = false;
            writeln!(self.out, "\n{TABLE_LEGEND}")?;
        }
        self.out.flush()
    }

    /// The writer's output, once finished.
    pub fn into_inner(self) -> W {
        self.out
    }

    fn write_table_task(&mut self, r: &Record<'_>) -> io::Result<()> {
        let t = r.task;
        // Print the headings that change, indented by depth.
        let common = self
            .shown_path
            .iter()
            .zip(&t.path)
            .take_while(|(a, b)| a == b)
            .count();
        let keys: Vec<&str> = t.id.split('/').collect();
        for (depth, heading) in t.path.iter().enumerate().skip(common) {
            let key = keys.get(depth).copied().unwrap_or("");
            if key == heading {
                writeln!(self.out, "{}{}", "  ".repeat(depth + 1), heading)?;
            } else {
                writeln!(self.out, "{}{} {}", "  ".repeat(depth + 1), key, heading)?;
            }
        }
        self.shown_path.clone_from(&t.path);
        let indent = "  ".repeat(t.path.len() + 1);
        let leaf_key = t.id.rsplit('/').next().unwrap_or(&t.id);
        let label = if t.title.is_empty() {
            snippet(&t.text, 24)
        } else {
            t.title.clone()
        };
        let kind = match t.kind {
            crate::Kind::Task => String::new(),
            k => format!("[{}] ", k.as_str()),
        };
        let head = format!("{indent}{leaf_key} {kind}{label}");
        match r.prediction {
            // A cover letter has no label: its line is the heading alone.
            Some(p) if p.label.is_empty() => writeln!(self.out, "{head}")?,
            Some(p) => {
                self.legend_due = true;
                let mark = if p.low_confidence { "  ?" } else { "" };
                writeln!(
                    self.out,
                    "{}  {}  {:.2}{}",
                    fit_to(&head, TABLE_HEAD_WIDTH),
                    fit_to(&p.label_name, 20),
                    p.confidence,
                    mark
                )?;
            }
            None => writeln!(self.out, "{head}")?,
        }
        if self.show_text {
            writeln!(self.out, "{indent}    {}", snippet(&t.text, 60))?;
        }
        if let Some(evidence) = r.prediction.and_then(|p| p.explain.as_ref()) {
            writeln!(self.out, "{indent}    because: {}", explain_text(evidence))?;
        }
        Ok(())
    }
}

/// Width of a table line's outline part (indent, key, title).
const TABLE_HEAD_WIDTH: usize = 60;

/// The legend printed under a table of tagged tasks.
pub const TABLE_LEGEND: &str =
    "? = confidence below the threshold (worth a look); … = title cut to fit";

/// Explanation terms as one line: `term weight, term weight`.
fn explain_text(evidence: &[crate::classify::Evidence]) -> String {
    evidence
        .iter()
        .map(|e| format!("{} {:.2}", e.term, e.weight))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// Strings come out exactly as serde_json writes them, whatever
        /// mix of text, quotes, backslashes and control characters.
        #[test]
        fn json_strings_match_serde_json(
            chars in proptest::collection::vec(
                proptest::prop_oneof![
                    proptest::char::range('\u{0}', '\u{7f}'),
                    proptest::char::range('一', '龥'),
                    proptest::sample::select(vec!['"', '\\', '\n', '\u{2028}', '“', '\u{7f}', '\u{85}']),
                ],
                0..80,
            )
        ) {
            let s: String = chars.into_iter().collect();
            let mut mine = Vec::new();
            write_json_str(&mut mine, &s);
            proptest::prop_assert_eq!(
                String::from_utf8(mine).unwrap(),
                serde_json::to_string(&s).unwrap()
            );
        }
    }

    /// Every tagged task of the five shipped plans, with and without
    /// explanations, is written byte for byte as serde_json writes it.
    #[test]
    fn records_match_serde_json_on_shipped_plans() {
        let classifier =
            crate::classify::Classifier::new(crate::model::default_model().unwrap()).unwrap();
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/plans");
        let mut checked = 0;
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_none_or(|e| e != "txt") {
                continue;
            }
            let doc = crate::input::decode_document("p", &std::fs::read(&path).unwrap()).unwrap();
            let seg = crate::segment::segment(&path.display().to_string(), &doc.text);
            for explain in [false, true] {
                let opts = crate::classify::PredictOptions {
                    explain,
                    ..Default::default()
                };
                for task in &seg.tasks {
                    let p = classifier.predict(&task.title, &task.text, &task.path, opts);
                    for prediction in [None, Some(&p)] {
                        let doc_title = explain.then_some("标题");
                        let r = Record {
                            task,
                            prediction,
                            doc_title,
                        };
                        let mut mine = Vec::new();
                        write_record_json(&mut mine, &r).unwrap();
                        assert_eq!(
                            String::from_utf8(mine).unwrap(),
                            serde_json::to_string(&r).unwrap()
                        );
                        checked += 1;
                    }
                }
            }
        }
        assert!(checked > 400, "{checked}");
    }

    #[test]
    fn widths_count_chinese_as_two() {
        assert_eq!(display_width("党建ab"), 6);
        assert_eq!(pad_to("党建", 6), "党建  ");
        assert_eq!(pad_to("党建工作", 5), "党建 ");
        assert_eq!(fit_to("党建工作", 5), "党建…");
        assert_eq!(fit_to("党建工作", 6), "党建… ");
        assert_eq!(fit_to("党建", 6), "党建  ");
    }

    #[test]
    fn every_csv_row_is_neutralised_also_profile_rows() {
        let mut out = Vec::new();
        write_csv_row(&mut out, &["=cmd|' /C calc'!A0", "plan", "-1", "0.5"]).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "'=cmd|' /C calc'!A0,plan,'-1,0.5\r\n"
        );
    }

    #[test]
    fn csv_cells_that_a_spreadsheet_would_evaluate_are_neutralised() {
        let base = crate::segment::segment("-d.txt", "一、甲\n（一）乙。\n")
            .tasks
            .remove(0);
        let payloads = [
            "=HYPERLINK(\"http://x\",\"点击\")",
            "+1",
            "-2+3",
            "@SUM(A1)",
            "\t=1",
            "正文=1-2",
        ];
        let tasks: Vec<crate::segment::Task> = payloads
            .iter()
            .map(|p| crate::segment::Task {
                text: p.to_string(),
                title: p.to_string(),
                ..base.clone()
            })
            .collect();
        let mut w = Writer::new(Vec::new(), Format::Csv);
        w.write_doc(&DocRecord::new("-d.txt", None, &[], &tasks, None))
            .unwrap();
        w.finish().unwrap();
        let s = String::from_utf8(w.out).unwrap();
        assert!(s.contains("\"'=HYPERLINK(\"\"http://x\"\""), "{s}");
        let plain: Vec<&str> = s
            .lines()
            .skip(1)
            .filter(|l| !l.contains('"'))
            .map(|l| l.split(',').nth(5).unwrap())
            .collect();
        assert_eq!(plain, ["'+1", "'-2+3", "'@SUM(A1)", "'\t=1", "正文=1-2"]);
        // The document name is a cell too.
        assert!(s.lines().skip(1).all(|l| l.starts_with("'-d.txt,")), "{s}");
        // No cell, quoted or not, starts with a character Excel evaluates.
        for line in s.lines().skip(1) {
            for cell in line.split(',') {
                let cell = cell.trim_start_matches('"');
                assert!(!cell.starts_with(['=', '+', '-', '@', '\t']), "{cell}");
            }
        }
    }

    #[test]
    fn csv_quotes_and_bom() {
        let t = crate::segment::segment("d", "一、甲\n（一）乙,丙\"丁\"很长的一句话,有逗号。")
            .tasks
            .remove(0);
        let mut w = Writer::new(Vec::new(), Format::Csv);
        w.write_doc(&DocRecord {
            doc: "d",
            title: None,
            warnings: &[],
            tasks: vec![Record {
                task: &t,
                prediction: None,
                doc_title: None,
            }],
        })
        .unwrap();
        w.finish().unwrap();
        let s = String::from_utf8(w.out).unwrap();
        assert!(s.starts_with("\u{feff}doc,id,kind"));
        assert!(
            s.contains("\"乙,丙\"\"丁\"\"很长的一句话,有逗号。\""),
            "{s}"
        );
    }
}
