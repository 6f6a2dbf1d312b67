//! The HTML report: one self-contained file (no network, no external
//! scripts or fonts) comparing plans. One row per plan with its label
//! shares as a stacked bar on a percentage axis, sortable by year, name or
//! any label's share; a view of one label's share across plans by year; and
//! a table of every task, filterable by label, plan and low confidence.
//! The page is `page.html`; this module gathers its data.

pub mod palette;

use std::collections::HashMap;
use std::path::Path;

use serde::Serialize;

use crate::error::{Error, Result};
use crate::model::LabelInfo;
use crate::profile::{self, Profile};
use crate::tagger::Tagged;

/// A label with the colour the report draws it in.
#[derive(Serialize)]
struct Label<'a> {
    id: &'a str,
    zh: &'a str,
    en: &'a str,
    #[serde(flatten)]
    swatch: palette::Swatch,
}

/// A plan as the report shows it.
#[derive(Serialize)]
struct Plan<'a> {
    /// Unique among the report's plans: the title, with the file name when
    /// two plans share a title.
    name: String,
    /// The end of `name` added to tell it apart (` · 2019_东城`), or empty.
    distinct: String,
    #[serde(flatten)]
    profile: &'a Profile,
}

/// A task row of the report table.
#[derive(Serialize)]
struct Row<'a> {
    doc: usize,
    id: &'a str,
    kind: &'a str,
    title: &'a str,
    /// The start of the text (the page shows no more).
    text: &'a str,
    label: &'a str,
    confidence: f64,
    low: bool,
}

#[derive(Serialize)]
struct Data<'a> {
    labels: Vec<Label<'a>>,
    /// Plans by year; `rows[].doc` indexes into this.
    plans: Vec<Plan<'a>>,
    rows: Vec<Row<'a>>,
}

/// Characters of a task's text kept in the report table.
const TEXT_CHARS: usize = 120;

/// Builds the report for tagged documents (plans sorted by year).
pub fn render(tagged: &[Tagged], labels: &[LabelInfo]) -> Result<String> {
    let mut profiles: Vec<(usize, Profile)> = tagged
        .iter()
        .map(|t| profile::profile(t, labels))
        .enumerate()
        .collect();
    profiles.sort_by_key(|(_, p)| p.year.unwrap_or(u32::MAX));
    let names = unique_names(profiles.iter().map(|(_, p)| p));
    let mut rows = Vec::new();
    for (pos, (i, _)) in profiles.iter().enumerate() {
        for (t, p) in tagged[*i].tasks.iter().zip(&tagged[*i].predictions) {
            rows.push(Row {
                doc: pos,
                id: &t.id,
                kind: t.kind.as_str(),
                title: &t.title,
                text: prefix_chars(&t.text, TEXT_CHARS),
                label: &p.label,
                confidence: p.confidence,
                low: p.low_confidence,
            });
        }
    }
    let colours = palette::assign(labels.iter().map(|l| l.id.as_str()));
    let data = Data {
        labels: labels
            .iter()
            .zip(colours)
            .map(|(l, swatch)| Label {
                id: &l.id,
                zh: &l.zh,
                en: &l.en,
                swatch,
            })
            .collect(),
        plans: profiles
            .iter()
            .zip(names)
            .map(|((_, profile), (name, distinct))| Plan {
                name,
                distinct,
                profile,
            })
            .collect(),
        rows,
    };
    // `</` must not appear inside the script element.
    let json = serde_json::to_string(&data)
        .map_err(Error::serialize("report"))?
        .replace("</", "<\\/");
    let low = data.rows.iter().filter(|r| r.low).count();
    let summary = format!(
        "{} plan(s), {} task(s), {} low-confidence.",
        data.plans.len(),
        data.rows.len(),
        low
    );
    Ok(PAGE
        .replacen("/*DATA*/", &json, 1)
        .replacen("<!--SUMMARY-->", &summary, 1))
}

/// The page: style, markup and script; `/*DATA*/` and `<!--SUMMARY-->` are
/// filled in.
const PAGE: &str = include_str!("page.html");

/// At most `n` characters of `s`.
fn prefix_chars(s: &str, n: usize) -> &str {
    s.char_indices().nth(n).map_or(s, |(i, _)| &s[..i])
}

/// A name per plan that no other plan of the report shares: its title (or
/// file name), then with the file name added, then the path as given; with
/// the part added to tell it apart.
fn unique_names<'a>(profiles: impl Iterator<Item = &'a Profile>) -> Vec<(String, String)> {
    let profiles: Vec<&Profile> = profiles.collect();
    let file = |p: &Profile| {
        Path::new(&p.doc)
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_else(|| p.doc.clone())
    };
    let short = |p: &Profile| p.title.clone().unwrap_or_else(|| file(p));
    let with_file = |p: &Profile| match &p.title {
        Some(t) => format!("{t} · {}", file(p)),
        None => file(p),
    };
    let with_path = |p: &Profile| match &p.title {
        Some(t) => format!("{t} · {}", p.doc),
        None => p.doc.clone(),
    };
    let counts = |names: &[String]| {
        let mut n: HashMap<String, usize> = HashMap::new();
        for s in names {
            *n.entry(s.clone()).or_default() += 1;
        }
        n
    };
    let mut names: Vec<String> = profiles.iter().map(|p| short(p)).collect();
    for widen in [&with_file as &dyn Fn(&Profile) -> String, &with_path] {
        let n = counts(&names);
        for (name, p) in names.iter_mut().zip(&profiles) {
            if n[name.as_str()] > 1 {
                *name = widen(p);
            }
        }
    }
    // The same path given twice: number the repeats.
    let mut seen: HashMap<String, usize> = HashMap::new();
    for name in &mut names {
        let k = seen.entry(name.clone()).or_default();
        *k += 1;
        if *k > 1 {
            *name = format!("{name} ({k})");
        }
    }
    names
        .into_iter()
        .zip(&profiles)
        .map(|(name, p)| {
            let base = short(p);
            let distinct = match name.strip_prefix(&base) {
                Some(rest) => rest.to_string(),
                None => name.clone(),
            };
            (name, distinct)
        })
        .collect()
}

/// Checks, before any work is done, that the report can be written at
/// `path`: its directory exists and takes a new file, and `path` is not a
/// directory. A file is created there and removed again.
pub fn check_target(path: &Path) -> Result<()> {
    let fail = |problem: String| Error::Write {
        path: path.to_path_buf(),
        source: std::io::Error::other(problem),
    };
    if path.is_dir() {
        return Err(fail("is a directory".into()));
    }
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    if !dir.is_dir() {
        return Err(fail(format!("no directory {}", dir.display())));
    }
    let probe = dir.join(format!(
        ".{}.probe{}",
        path.file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
        std::process::id()
    ));
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&probe)
        .map_err(|e| fail(format!("cannot create a file in {}: {e}", dir.display())))?;
    let _ = std::fs::remove_file(&probe);
    Ok(())
}

/// Renders the report and writes it atomically (temporary file, rename).
pub fn write(path: &Path, tagged: &[Tagged], labels: &[LabelInfo]) -> Result<()> {
    crate::input::write_atomic(path, render(tagged, labels)?.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn profile(doc: &str, title: Option<&str>) -> Profile {
        Profile {
            doc: doc.into(),
            title: title.map(Into::into),
            year: None,
            tasks: 0,
            low_confidence: 0,
            labels: Vec::new(),
        }
    }

    #[test]
    fn plans_sharing_a_title_are_named_apart() {
        let ps = [
            profile("a/2019.txt", Some("工作要点")),
            profile("b/2020.txt", Some("工作要点")),
            profile("c/x.txt", Some("实施方案")),
            profile("d/x.txt", Some("实施方案")),
            profile("e/plan.txt", None),
            profile("e/plan.txt", None),
        ];
        let (names, distinct): (Vec<String>, Vec<String>) =
            unique_names(ps.iter()).into_iter().unzip();
        assert_eq!(distinct[0], " · 2019");
        assert_eq!(distinct[2], " · c/x.txt");
        assert_eq!(distinct[4], "e/plan.txt");
        assert_eq!(distinct[5], "e/plan.txt (2)");
        assert_eq!(
            names,
            [
                "工作要点 · 2019",
                "工作要点 · 2020",
                "实施方案 · c/x.txt",
                "实施方案 · d/x.txt",
                "e/plan.txt",
                "e/plan.txt (2)",
            ]
        );
        let single = unique_names([profile("p/q.txt", None)].iter());
        assert_eq!(single, [("q".to_string(), String::new())]);
    }

    #[test]
    fn the_report_path_is_checked_before_the_run() {
        let dir = tempfile::tempdir().unwrap();
        assert!(check_target(&dir.path().join("r.html")).is_ok());
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
        let e = check_target(dir.path()).unwrap_err().to_string();
        assert!(e.ends_with("cannot write: is a directory"), "{e}");
        let e = check_target(&dir.path().join("no/r.html"))
            .unwrap_err()
            .to_string();
        assert!(e.contains("r.html: cannot write: no directory"), "{e}");
        let e = write(&dir.path().join("no/r.html"), &[], &[])
            .unwrap_err()
            .to_string();
        assert!(e.contains("r.html: cannot write"), "{e}");
    }

    #[test]
    fn texts_are_cut_on_characters() {
        assert_eq!(prefix_chars("卫生健康", 2), "卫生");
        assert_eq!(prefix_chars("卫生", 5), "卫生");
    }
}
