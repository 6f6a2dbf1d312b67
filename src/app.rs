//! Batch driver: feeds sources to the tagger in bounded batches (in
//! parallel, results in input order) and hands the results to the sinks;
//! turns per-file failures into one-line errors while the rest of the batch
//! goes on. Plans are tagged a few per thread at a time; a JSONL stream of
//! sections is read, tagged and written batch by batch, so memory does not
//! grow with the input.

use std::io::Write;

use rayon::prelude::*;

use crate::error::Error;
use crate::input::{self, Source};
use crate::output::{DocRecord, Format, Writer};
use crate::sections::{Group, SectionReader};
use crate::segment::{self, Segmented};
use crate::sink::{Piece, Sink};
use crate::tagger::Tagger;
use crate::tagger::{InputMode, Tagged};

/// What a batch did, for the final summary line and the exit status.
#[derive(Debug, Default, Clone, Copy)]
pub struct Summary {
    pub documents: usize,
    pub failed: usize,
    pub tasks: usize,
    pub flagged: usize,
}

impl Summary {
    fn count(&mut self, tagged: &Tagged) {
        self.tasks += tagged.tasks.len();
        self.flagged += tagged
            .predictions
            .iter()
            .filter(|p| p.low_confidence)
            .count();
    }
}

/// What a batch tells as it goes: failed inputs, notes about documents,
/// progress. Output to the user goes through here, never directly.
pub trait Events {
    /// An input (or a line of one) failed; the batch goes on.
    fn error(&mut self, error: &Error);
    /// A remark about a document (`note:` on stderr).
    fn note(&mut self, doc: &str, message: &str);
    /// `done` of the sources are finished.
    fn progress(&mut self, _done: usize) {}
}

/// Reads and segments one source.
pub fn segment_source(source: &Source) -> Result<Segmented, Error> {
    let doc = input::read_source(source)?;
    let mut seg = segment::segment(&doc.name, &doc.text);
    // What decoding had to repair comes first among the warnings.
    seg.warnings.splice(0..0, doc.warnings);
    Ok(seg)
}

/// Segments every source (in parallel, output in input order) and writes the
/// trees. Errors are reported through `on_error` as they are met.
pub fn segment_batch<W: Write>(
    sources: &[Source],
    format: Format,
    out: W,
    show_text: bool,
    mut on_error: impl FnMut(&Error),
    mut on_note: impl FnMut(&str, &str),
) -> std::io::Result<Summary> {
    let mut writer = Writer::new(out, format).show_text(show_text);
    let mut summary = Summary::default();
    for chunk in sources.chunks(batch_chunk()) {
        let results: Vec<Result<Segmented, Error>> = chunk.par_iter().map(segment_source).collect();
        for result in results {
            match result {
                Ok(seg) => {
                    for w in &seg.warnings {
                        on_note(&seg.doc, w);
                    }
                    summary.documents += 1;
                    summary.tasks += seg.tasks.len();
                    writer.write_doc(&DocRecord::new(
                        &seg.doc,
                        seg.title.as_deref(),
                        &seg.warnings,
                        &seg.tasks,
                        None,
                    ))?;
                }
                Err(e) => {
                    summary.failed += 1;
                    on_error(&e);
                }
            }
        }
    }
    writer.finish()?;
    Ok(summary)
}

/// How many documents are processed together before their output is
/// written: enough to keep all cores busy, few enough to bound memory.
fn batch_chunk() -> usize {
    rayon::current_num_threads() * 4
}

/// Section text tagged together from a JSONL stream before the results are
/// written: enough for every thread to have work, small enough that memory
/// stays flat (README.md, "Speed and memory").
const SECTION_BATCH_BYTES: usize = 4 << 20;

/// Tags every source with the tagger and hands the results to `sink` in
/// input order. A failed input goes to `events` and the batch goes on; an
/// error of the sink (the output cannot be written) stops it.
pub fn tag_sources(
    tagger: &Tagger<'_>,
    sources: &[Source],
    sink: &mut dyn Sink,
    events: &mut dyn Events,
) -> Result<Summary, Error> {
    let mut summary = Summary::default();
    match tagger.options().mode {
        InputMode::Plan => tag_plans(tagger, sources, sink, events, &mut summary)?,
        InputMode::Jsonl => {
            for (done, source) in sources.iter().enumerate() {
                match source.open() {
                    Ok(reader) => {
                        let name = source.name();
                        let sections = SectionReader::new(&name, reader);
                        tag_sections(tagger, &name, sections, sink, events, &mut summary)?;
                    }
                    Err(e) => {
                        summary.failed += 1;
                        events.error(&e);
                    }
                }
                events.progress(done + 1);
            }
        }
    }
    Ok(summary)
}

/// Decodes, segments and tags one plan.
pub fn tag_plan(tagger: &Tagger<'_>, source: &Source) -> Result<Tagged, Error> {
    Ok(tagger.tag(segment_source(source)?))
}

fn tag_plans(
    tagger: &Tagger<'_>,
    sources: &[Source],
    sink: &mut dyn Sink,
    events: &mut dyn Events,
    summary: &mut Summary,
) -> Result<(), Error> {
    let mut done = 0;
    for chunk in sources.chunks(batch_chunk()) {
        let results: Vec<Result<Tagged, Error>> =
            chunk.par_iter().map(|s| tag_plan(tagger, s)).collect();
        for result in results {
            done += 1;
            match result {
                Ok(tagged) => {
                    for w in &tagged.warnings {
                        events.note(&tagged.doc, w);
                    }
                    summary.documents += 1;
                    summary.count(&tagged);
                    sink.write(Piece::whole(&tagged))?;
                }
                Err(e) => {
                    summary.failed += 1;
                    events.error(&e);
                }
            }
            events.progress(done);
        }
    }
    Ok(())
}

/// Tags a stream of sections batch by batch; the whole stream is one
/// document of the output (named `name`), written in pieces. A bad line is
/// an error of its own and the stream goes on.
pub fn tag_sections<R: std::io::BufRead>(
    tagger: &Tagger<'_>,
    name: &str,
    mut sections: SectionReader<R>,
    sink: &mut dyn Sink,
    events: &mut dyn Events,
    summary: &mut Summary,
) -> Result<(), Error> {
    let mut first = true;
    let mut bad_lines = 0;
    loop {
        let mut batch: Vec<Group> = Vec::new();
        let mut bytes = 0;
        while bytes < SECTION_BATCH_BYTES {
            match sections.next_group() {
                Some(group) => {
                    bytes += group.text_bytes;
                    batch.push(group);
                }
                None => break,
            }
        }
        for e in sections.take_errors() {
            bad_lines += 1;
            events.error(&e);
        }
        let at_end = sections.at_end();
        let tagged: Vec<(Tagged, Vec<Option<String>>)> = batch
            .into_par_iter()
            .map(|group| {
                let seg = Segmented {
                    doc: name.to_string(),
                    title: None,
                    tasks: group.tasks,
                    warnings: Vec::new(),
                };
                (tagger.tag(seg), group.doc_titles)
            })
            .collect();
        let n = tagged.len();
        for (i, (t, doc_titles)) in tagged.iter().enumerate() {
            summary.count(t);
            sink.write(Piece {
                tagged: t,
                first,
                last: at_end && i + 1 == n,
                doc_titles,
            })?;
            first = false;
        }
        if at_end {
            if n == 0 {
                // Close the document (or write an empty one).
                let empty = Tagged {
                    doc: name.to_string(),
                    ..Tagged::default()
                };
                sink.write(Piece {
                    tagged: &empty,
                    first,
                    last: true,
                    doc_titles: &[],
                })?;
            }
            break;
        }
    }
    summary.documents += 1;
    summary.failed += bad_lines;
    Ok(())
}

/// Where the results of a tagging run go.
#[derive(Debug, Clone, Default)]
pub struct TagOutputs {
    /// Format of the main output.
    pub format: Option<Format>,
    /// Profiles per document instead of task records.
    pub profile: bool,
    /// CSV: an `explain` column.
    pub explain_column: bool,
    /// The main output goes to this file (written atomically) instead of
    /// standard output.
    pub output: Option<std::path::PathBuf>,
    /// Also write the HTML report here.
    pub report: Option<std::path::PathBuf>,
    /// Also write the review queue here.
    pub review_queue: Option<std::path::PathBuf>,
}

/// How a tagging run ended.
#[derive(Debug, Default)]
pub struct TagOutcome {
    pub summary: Summary,
    /// An output (the main one, the report, the queue) could not be
    /// written; the error went to `events`.
    pub output_failed: bool,
    /// The main output was a closed pipe: the reader wants no more.
    pub closed_pipe: bool,
    /// Lines for the user about the files written.
    pub messages: Vec<String>,
}

/// Tags the sources into the outputs: the main output (`stdout`, or
/// `outputs.output`) gets task records or profiles, the side outputs the
/// report and the review queue. Errors go to `events`.
pub fn run_tag(
    tagger: &Tagger<'_>,
    sources: &[Source],
    outputs: &TagOutputs,
    stdout: &mut dyn Write,
    events: &mut dyn Events,
) -> TagOutcome {
    use crate::sink::{ProfileSink, QueueSink, ReportSink, Sinks, TaskSink};
    let mut outcome = TagOutcome::default();
    let model = &tagger.classifier().model;
    let format = outputs.format.unwrap_or(Format::Jsonl);
    let mut file = match outputs.output.as_deref().map(crate::io::AtomicFile::create) {
        Some(Ok(f)) => Some(f),
        Some(Err(e)) => {
            events.error(&e);
            outcome.output_failed = true;
            return outcome;
        }
        None => None,
    };
    let (out, name): (&mut dyn Write, String) = match &mut file {
        Some(f) => {
            let name = f.path().display().to_string();
            (f, name)
        }
        None => (stdout, "standard output".to_string()),
    };
    let mut sinks = Sinks::default();
    if outputs.profile {
        sinks.push(ProfileSink::new(out, format, &name, model.taxonomy.clone()));
    } else {
        sinks.push(TaskSink::new(out, format, &name, outputs.explain_column));
    }
    if let Some(path) = &outputs.review_queue {
        sinks.push(QueueSink::new(path.clone(), model.digest.clone()));
    }
    if let Some(path) = &outputs.report {
        sinks.push(ReportSink::new(path.clone(), model.taxonomy.clone()));
    }
    let tagged = tag_sources(tagger, sources, &mut sinks, events);
    let finished = match tagged {
        Ok(summary) => {
            outcome.summary = summary;
            sinks.finish_all()
        }
        Err(e) => vec![Err(e)],
    };
    drop(sinks);
    for result in finished {
        match result {
            Ok(message) => outcome.messages.extend(message),
            Err(Error::Output { source, .. })
                if source.kind() == std::io::ErrorKind::BrokenPipe =>
            {
                outcome.closed_pipe = true;
            }
            Err(e) => {
                events.error(&e);
                outcome.output_failed = true;
            }
        }
    }
    if let Some(f) = file {
        if !outcome.output_failed {
            match f.commit() {
                Ok(()) => {}
                Err(e) => {
                    events.error(&e);
                    outcome.output_failed = true;
                }
            }
        }
    }
    outcome
}
