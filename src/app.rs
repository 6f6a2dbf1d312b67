//! Batch driver: runs the pipeline over many sources in parallel, writes
//! results in input order, and turns per-file failures into one-line errors
//! while the rest of the batch goes on.

use std::io::Write;

use rayon::prelude::*;

use crate::error::Error;
use crate::input::{self, Source};
use crate::output::{DocRecord, Format, Record, Writer};
use crate::segment::{self, Segmented};

/// What a batch did, for the final summary line and the exit status.
#[derive(Debug, Default, Clone, Copy)]
pub struct Summary {
    pub documents: usize,
    pub failed: usize,
    pub tasks: usize,
    pub flagged: usize,
}

/// Reads and segments one source.
pub fn segment_source(source: &Source) -> Result<Segmented, Error> {
    let doc = input::read_source(source)?;
    Ok(segment::segment(&doc.name, &doc.text))
}

/// Segments every source (in parallel, output in input order) and writes the
/// trees. Errors are reported through `on_error` as they are met.
pub fn segment_batch<W: Write>(
    sources: &[Source],
    format: Format,
    out: W,
    mut on_error: impl FnMut(&Error),
) -> std::io::Result<Summary> {
    let mut writer = Writer::new(out, format);
    let mut summary = Summary::default();
    for chunk in sources.chunks(batch_chunk()) {
        let results: Vec<Result<Segmented, Error>> = chunk.par_iter().map(segment_source).collect();
        for result in results {
            match result {
                Ok(seg) => {
                    summary.documents += 1;
                    summary.tasks += seg.tasks.len();
                    writer.write_doc(&DocRecord {
                        doc: &seg.doc,
                        title: seg.title.as_deref(),
                        warnings: &seg.warnings,
                        tasks: seg
                            .tasks
                            .iter()
                            .map(|t| Record {
                                task: t,
                                prediction: None,
                            })
                            .collect(),
                    })?;
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
