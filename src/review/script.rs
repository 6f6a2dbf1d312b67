//! A review read from lines of input instead of keys: the same session
//! and the same saved decisions as on the screen, for scripts and tests.

use std::io::Write;

use super::{Action, Session};
use crate::error::{Error, Result};

/// What a scripted review did.
#[derive(Debug, Default, Clone, Copy)]
pub struct ScriptSummary {
    pub decided: usize,
    pub changed: usize,
    pub skipped: usize,
    pub remaining: usize,
}

/// Runs a review from lines of input, one decision per line: `accept`, a
/// candidate's number, a label id or a label's Chinese or English name,
/// `skip`, `undo`, or `quit`. Each step is printed to `out` as
/// `DOC ID: LABEL` (or `skip`, `undo`) once it is saved. A line that names
/// no label stops the run with an error naming the line: the decisions
/// before it are saved, and none after it is guessed at.
pub fn run_script(
    session: &mut Session,
    input: impl std::io::BufRead,
    mut out: impl Write,
) -> Result<ScriptSummary> {
    for (n, line) in input.lines().enumerate() {
        let line = line.map_err(Error::Stdin)?;
        let word = line.trim();
        if word.is_empty() || word.starts_with('#') {
            continue;
        }
        if word == "undo" {
            let last = session.history.last().map(|a| match a {
                Action::Decided { item, .. } | Action::Skipped { item } => *item,
            });
            if session.undo()? {
                if let Some(i) = last {
                    let it = &session.items[i];
                    let _ = writeln!(out, "{} {}: undo", it.doc, it.id);
                }
            } else {
                return Err(Error::data(
                    "standard input",
                    n + 1,
                    "nothing to undo in this session",
                ));
            }
            continue;
        }
        if matches!(word, "quit" | "q") {
            break;
        }
        let Some(item) = session.current() else {
            break;
        };
        let shown = format!("{} {}", item.doc, item.id);
        let n_candidates = item.candidates.len();
        match word {
            "accept" => {
                let label = item.candidates.first().map(|c| c.label.clone());
                session.accept()?;
                let _ = writeln!(out, "{shown}: {}", label.unwrap_or_default());
            }
            "skip" | "s" => {
                session.skip()?;
                let _ = writeln!(out, "{shown}: skip");
            }
            _ => match session.resolve(word) {
                Some(label) => {
                    session.decide(&label)?;
                    let _ = writeln!(out, "{shown}: {label}");
                }
                None => {
                    return Err(Error::data(
                        "standard input",
                        n + 1,
                        format!(
                            "`{word}` names no label: not a candidate number (1-{n_candidates}), \
                             a label id, or a label's Chinese or English name; the decisions \
                             before this line are saved"
                        ),
                    ))
                }
            },
        }
        let _ = out.flush();
    }
    let p = session.progress();
    Ok(ScriptSummary {
        decided: p.decided_here,
        changed: p.changed,
        skipped: p.skipped,
        remaining: p.remaining,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::review::tests::{item, taxonomy};
    use crate::review::QueueItem;

    #[test]
    fn script_takes_numbers_and_names_and_stops_at_an_unknown_label() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("reviewed.jsonl");
        let queue: Vec<QueueItem> = (1..=6).map(|i| item(&i.to_string(), "party")).collect();
        let mut s = Session::new(queue, &taxonomy(), &file, "me").unwrap();
        let mut out = Vec::new();
        let summary = run_script(
            &mut s,
            "accept\n2\n中医药\ntraditional chinese MEDICINE\nskip\n".as_bytes(),
            &mut out,
        )
        .unwrap();
        assert_eq!(
            (summary.decided, summary.changed, summary.skipped),
            (4, 3, 1)
        );
        let out = String::from_utf8(out).unwrap();
        assert!(
            out.starts_with("plans/p.txt 1: party\nplans/p.txt 2: tcm\n"),
            "{out}"
        );
        for bad in ["5", "Medical", "0", "tcm2"] {
            let err = run_script(&mut s, format!("{bad}\naccept\n").as_bytes(), Vec::new())
                .unwrap_err()
                .to_string();
            assert!(err.starts_with("standard input:1: `"), "{err}");
            assert!(err.contains(bad), "{err}");
        }
        assert_eq!(s.progress().decided_here, 4, "nothing after a bad line");
    }
}
