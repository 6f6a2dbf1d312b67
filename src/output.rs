//! Output stage: segmented or tagged tasks as a table for people, or as
//! JSON / JSONL / CSV for programs. Field names here are a public contract
//! (documented in README.md).

use std::io::{self, Write};

use serde::Serialize;

use crate::classify::Prediction;
use crate::segment::Task;

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

/// Writes a record as one JSON object, byte for byte what serde_json makes
/// of [`Record`] (a test holds the two together), without serde's
/// flattened-map machinery: tagging a folder writes hundreds of MB of this.
/// It pays its way: with `serde_json::to_writer` instead, tagging the five
/// shipped plans to JSONL on one core took 28.23 M instructions a pass
/// against 26.78 M (callgrind, start-up subtracted): 5.1% end to end.
pub fn write_record_json(out: &mut Vec<u8>, r: &Record<'_>) -> io::Result<()> {
    let t = r.task;
    out.extend_from_slice(b"{\"doc\":");
    write_json_str(out, &t.doc);
    out.extend_from_slice(b",\"id\":");
    write_json_str(out, &t.id);
    out.extend_from_slice(b",\"kind\":\"");
    out.extend_from_slice(t.kind.as_str().as_bytes());
    out.extend_from_slice(b"\",\"path\":[");
    for (i, heading) in t.path.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        write_json_str(out, heading);
    }
    out.extend_from_slice(b"],\"title\":");
    write_json_str(out, &t.title);
    out.extend_from_slice(b",\"text\":");
    write_json_str(out, &t.text);
    for (name, n) in [
        (&b",\"start\":"[..], t.start),
        (b",\"end\":", t.end),
        (b",\"line_start\":", t.line_start),
        (b",\"line_end\":", t.line_end),
    ] {
        out.extend_from_slice(name);
        write_uint(out, n);
    }
    if let Some(p) = r.prediction {
        out.extend_from_slice(b",\"label\":");
        write_json_str(out, &p.label);
        out.extend_from_slice(b",\"label_name\":");
        write_json_str(out, &p.label_name);
        out.extend_from_slice(b",\"confidence\":");
        serde_json::to_writer(&mut *out, &p.confidence)?;
        out.extend_from_slice(b",\"top\":[");
        for (i, c) in p.top.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            out.extend_from_slice(b"{\"label\":");
            write_json_str(out, &c.label);
            out.extend_from_slice(b",\"p\":");
            serde_json::to_writer(&mut *out, &c.p)?;
            out.push(b'}');
        }
        out.extend_from_slice(b"],\"low_confidence\":");
        out.extend_from_slice(if p.low_confidence { b"true" } else { b"false" });
        out.extend_from_slice(b",\"secondary\":[");
        for (i, l) in p.secondary.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            write_json_str(out, l);
        }
        out.push(b']');
        if let Some(explain) = &p.explain {
            out.extend_from_slice(b",\"explain\":");
            serde_json::to_writer(&mut *out, explain)?;
        }
    }
    if let Some(title) = r.doc_title {
        out.extend_from_slice(b",\"doc_title\":");
        write_json_str(out, title);
    }
    out.push(b'}');
    Ok(())
}

fn write_uint(out: &mut Vec<u8>, mut n: usize) {
    let mut digits = [0u8; 20];
    let mut i = digits.len();
    loop {
        i -= 1;
        digits[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    out.extend_from_slice(&digits[i..]);
}

/// A JSON string with serde_json's escapes. Plan text almost never needs
/// one, so the text is copied in runs between the bytes that do (quotes,
/// backslashes, control characters), found sixteen at a time.
pub fn write_json_str(out: &mut Vec<u8>, s: &str) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let bytes = s.as_bytes();
    out.reserve(bytes.len() + 2);
    out.push(b'"');
    let mut run = 0;
    while let Some(i) = crate::bytes::find(bytes, run, 0x20, [b'"', b'\\']) {
        out.extend_from_slice(&bytes[run..i]);
        match bytes[i] {
            b'"' => out.extend_from_slice(b"\\\""),
            b'\\' => out.extend_from_slice(b"\\\\"),
            b'\n' => out.extend_from_slice(b"\\n"),
            b'\t' => out.extend_from_slice(b"\\t"),
            b'\r' => out.extend_from_slice(b"\\r"),
            0x08 => out.extend_from_slice(b"\\b"),
            0x0c => out.extend_from_slice(b"\\f"),
            b => {
                out.extend_from_slice(b"\\u00");
                out.push(HEX[(b >> 4) as usize]);
                out.push(HEX[(b & 0xf) as usize]);
            }
        }
        run = i + 1;
    }
    out.extend_from_slice(&bytes[run..]);
    out.push(b'"');
}

/// The first `chars` characters of a text on one line, with `…` if cut.
pub fn snippet(text: &str, chars: usize) -> String {
    let one_line: String = text
        .chars()
        .map(|c| if c == '\n' { ' ' } else { c })
        .collect();
    if one_line.chars().count() <= chars {
        one_line
    } else {
        let mut s: String = one_line.chars().take(chars).collect();
        s.push('…');
        s
    }
}

/// Terminal width of a string: East Asian wide characters (ideographs,
/// full-width forms) take two columns; curly quotes and dashes take one.
pub fn display_width(s: &str) -> usize {
    s.chars().map(char_width).sum()
}

fn char_width(c: char) -> usize {
    match c as u32 {
        0x1100..=0x115F
        | 0x2E80..=0x303E
        | 0x3041..=0xA4CF
        | 0xAC00..=0xD7A3
        | 0xF900..=0xFAFF
        | 0xFE30..=0xFE4F
        | 0xFF00..=0xFF60
        | 0xFFE0..=0xFFE6
        | 0x20000..=0x3FFFD => 2,
        _ => 1,
    }
}

/// Pads a string to a display width, or cuts it to fit and ends it in `…`
/// so that a reader sees it was cut.
pub fn fit_to(s: &str, width: usize) -> String {
    if display_width(s) <= width {
        return pad_to(s, width);
    }
    let mut out = pad_to(s, width.saturating_sub(1));
    // `pad_to` may have padded after a wide character that did not fit.
    let trimmed = out.trim_end_matches(' ').len();
    let padding = out.len() - trimmed;
    out.truncate(trimmed);
    out.push('…');
    out.push_str(&" ".repeat(padding));
    out
}

/// Pads (or cuts) a string to a display width.
pub fn pad_to(s: &str, width: usize) -> String {
    let mut out = String::new();
    let mut w = 0;
    for c in s.chars() {
        let cw = char_width(c);
        if w + cw > width {
            break;
        }
        out.push(c);
        w += cw;
    }
    out.push_str(&" ".repeat(width - w));
    out
}

const CSV_HEADER: [&str; 14] = [
    "doc",
    "id",
    "kind",
    "path",
    "title",
    "text",
    "start",
    "end",
    "label",
    "label_name",
    "confidence",
    "low_confidence",
    "top",
    "secondary",
];

/// The fields of one CSV row (neutralised by [`write_csv_row`]).
fn csv_fields(r: &Record<'_>) -> Vec<String> {
    let t = r.task;
    let mut f = vec![
        t.doc.clone(),
        t.id.clone(),
        t.kind.as_str().to_string(),
        t.path.join(" > "),
        t.title.clone(),
        t.text.clone(),
        t.start.to_string(),
        t.end.to_string(),
    ];
    match r.prediction {
        Some(p) => {
            f.push(p.label.clone());
            f.push(p.label_name.clone());
            // A cover letter has no label and no confidence.
            f.push(if p.label.is_empty() {
                String::new()
            } else {
                format!("{:.4}", p.confidence)
            });
            f.push(p.low_confidence.to_string());
            f.push(
                p.top
                    .iter()
                    .map(|c| format!("{}:{:.4}", c.label, c.p))
                    .collect::<Vec<_>>()
                    .join(" "),
            );
            f.push(p.secondary.join(" "));
        }
        None => f.extend(std::iter::repeat_n(String::new(), 6)),
    }
    f
}

/// A cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return
/// gets a leading `'`, so that a spreadsheet shows it as text instead of
/// evaluating it as a formula (the OWASP rule against CSV injection: plan
/// text, titles and file names come from anywhere).
fn neutralise(cell: &str) -> std::borrow::Cow<'_, str> {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{cell}").into()
    } else {
        cell.into()
    }
}

/// Writes one CSV row (RFC 4180 quoting, CRLF, every cell neutralised)
/// with the csv crate. A hand-written writer gained nothing end to end
/// (29.43 M instructions a pass over the five shipped plans against
/// 29.28 M with the crate).
pub fn write_csv_row<W: Write, S: AsRef<str>>(out: &mut W, fields: &[S]) -> io::Result<()> {
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .buffer_capacity(1024)
        .from_writer(out);
    w.write_record(fields.iter().map(|f| neutralise(f.as_ref()).into_owned()))?;
    w.flush()?;
    Ok(())
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
