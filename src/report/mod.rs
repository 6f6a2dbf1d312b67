//! The HTML report: one self-contained file (no network, no external
//! scripts or fonts) comparing plans. One row per plan with its label
//! shares as a stacked bar on a percentage axis, sortable by year, name or
//! any label's share; a view of one label's share across plans by year; and
//! a table of every task, filterable by label, plan and low confidence.
//! The page is `page.html`; this module gathers its data.

pub mod palette;

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::error::{Error, Result};
use crate::io::{AtomicFile, Spill};
use crate::model::LabelInfo;
use crate::profile::ProfileBuilder;
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

/// A task row of the report table, as set aside until the end: the page's
/// row without `doc` (the plan's place by year, known only at the end).
#[derive(Serialize)]
struct Row<'a> {
    id: &'a str,
    kind: &'a str,
    title: &'a str,
    /// The start of the text (the page shows no more).
    text: &'a str,
    label: &'a str,
    confidence: f64,
    low: bool,
}

/// Characters of a task's text kept in the report table.
const TEXT_CHARS: usize = 120;

/// A plan of the report once its last piece is in: all that stays in
/// memory of it until the end (its profile and rows wait in the spill).
struct PlanEntry {
    doc: String,
    title: Option<String>,
    year: Option<u32>,
    /// Offset and length in the spill of its profile (one JSON object).
    profile: (u64, usize),
    /// Offset and length of its rows (one JSON object a line).
    rows: (u64, usize),
    count: usize,
    low: usize,
}

/// The report, gathered as tagging goes. Of each plan only its name, year
/// and counts stay in memory; its profile and its table rows (one per
/// task) are set aside on disk until [`ReportWriter::finish`] writes the
/// page, so a report over 100 000 plans costs a few hundred bytes a plan.
pub struct ReportWriter {
    path: PathBuf,
    labels: Vec<LabelInfo>,
    plans: Vec<PlanEntry>,
    /// The plan being read, while more of its pieces may come.
    current: Option<(ProfileBuilder, PlanEntry)>,
    spill: Option<Spill>,
}

impl ReportWriter {
    pub fn new(path: PathBuf, labels: Vec<LabelInfo>) -> Self {
        ReportWriter {
            path,
            labels,
            plans: Vec::new(),
            current: None,
            spill: None,
        }
    }

    fn spill(&mut self) -> Result<&mut Spill> {
        match self.spill {
            Some(ref mut spill) => Ok(spill),
            None => Ok(self.spill.insert(Spill::beside(&self.path)?)),
        }
    }

    /// Adds a tagged document, or a piece of one (`first`: it begins a
    /// new plan).
    pub fn add(&mut self, tagged: &Tagged, first: bool) -> Result<()> {
        if first || self.current.is_none() {
            self.close_plan()?;
            self.current = Some((
                ProfileBuilder::new(&tagged.doc, tagged.title.as_deref()),
                PlanEntry {
                    doc: tagged.doc.clone(),
                    title: tagged.title.clone(),
                    year: None,
                    profile: (0, 0),
                    rows: (0, 0),
                    count: 0,
                    low: 0,
                },
            ));
        }
        let mut lines = Vec::new();
        let (mut count, mut low) = (0, 0);
        for (t, p) in tagged.tasks.iter().zip(&tagged.predictions) {
            let row = Row {
                id: &t.id,
                kind: t.kind.as_str(),
                title: &t.title,
                text: prefix_chars(&t.text, TEXT_CHARS),
                label: &p.label,
                confidence: p.confidence,
                low: p.low_confidence,
            };
            serde_json::to_writer(&mut lines, &row).map_err(Error::serialize("report"))?;
            lines.push(b'\n');
            count += 1;
            low += usize::from(p.low_confidence);
        }
        let (at, len) = self.spill()?.push(&lines)?;
        let (profile, plan) = self.current.as_mut().expect("set above");
        profile.add(tagged);
        // A plan's pieces come one after another, so its rows are one range.
        if plan.rows.1 == 0 {
            plan.rows.0 = at;
        }
        plan.rows.1 += len;
        plan.count += count;
        plan.low += low;
        Ok(())
    }

    /// Sets the profile of the plan being read aside: all of it is in.
    fn close_plan(&mut self) -> Result<()> {
        let Some((profile, mut plan)) = self.current.take() else {
            return Ok(());
        };
        let profile = profile.finish(&self.labels);
        plan.year = profile.year;
        let json = serde_json::to_vec(&profile).map_err(Error::serialize("report"))?;
        plan.profile = self.spill()?.push(&json)?;
        self.plans.push(plan);
        Ok(())
    }

    /// Writes the page (plans sorted by year), atomically.
    pub fn finish(mut self) -> Result<()> {
        self.close_plan()?;
        let ReportWriter {
            path,
            labels,
            mut plans,
            mut spill,
            ..
        } = self;
        let rows_total: usize = plans.iter().map(|p| p.count).sum();
        let low_total: usize = plans.iter().map(|p| p.low).sum();
        plans.sort_by_key(|p| p.year.unwrap_or(u32::MAX));
        let names = unique_names(plans.iter().map(|p| (p.doc.as_str(), p.title.as_deref())));
        let colours = palette::assign(labels.iter().map(|l| l.id.as_str()));
        let labels: Vec<Label<'_>> = labels
            .iter()
            .zip(colours)
            .map(|(l, swatch)| Label {
                id: &l.id,
                zh: &l.zh,
                en: &l.en,
                swatch,
            })
            .collect();
        let summary = format!(
            "{} plan(s), {rows_total} task(s), {low_total} low-confidence.",
            plans.len(),
        );
        let (before_data, after_data) = PAGE.split_once("/*DATA*/").expect("page has data");
        let mut file = AtomicFile::create(&path)?;
        let write_err = |source| Error::Write {
            path: path.clone(),
            source,
        };
        let mut write = |bytes: &[u8]| file.write_all(bytes).map_err(write_err);
        let mut read = |range: (u64, usize), buf: &mut Vec<u8>| -> Result<String> {
            spill
                .as_mut()
                .expect("plans were spilled")
                .read(range, buf)?;
            Ok(String::from_utf8_lossy(buf).into_owned())
        };
        write(
            before_data
                .replacen("<!--SUMMARY-->", &summary, 1)
                .as_bytes(),
        )?;
        // `{"labels":[…],"plans":[…],"rows":[…]}`, plans and rows streamed
        // from the spill; a plan is `{"name":…,"distinct":…,` and its profile.
        let labels = serde_json::to_string(&labels).map_err(Error::serialize("report"))?;
        write(b"{\"labels\":")?;
        write(script_safe(&labels).as_bytes())?;
        write(b",\"plans\":[")?;
        let mut buf = Vec::new();
        for (pos, (plan, (name, distinct))) in plans.iter().zip(&names).enumerate() {
            let head = serde_json::to_string(&PlanName { name, distinct })
                .map_err(Error::serialize("report"))?;
            let profile = read(plan.profile, &mut buf)?;
            if pos > 0 {
                write(b",")?;
            }
            write(script_safe(&head[..head.len() - 1]).as_bytes())?;
            write(b",")?;
            write(script_safe(&profile[1..]).as_bytes())?;
        }
        write(b"],\"rows\":[")?;
        let mut separator: &[u8] = b"";
        for (pos, plan) in plans.iter().enumerate() {
            if plan.rows.1 == 0 {
                continue;
            }
            let rows = read(plan.rows, &mut buf)?;
            for row in rows.lines() {
                write(separator)?;
                separator = b",";
                write(format!("{{\"doc\":{pos},").as_bytes())?;
                write(script_safe(&row[1..]).as_bytes())?;
            }
        }
        write(b"]}")?;
        write(after_data.as_bytes())?;
        file.commit()
    }
}

/// A plan's name in the report, before its profile.
#[derive(Serialize)]
struct PlanName<'a> {
    /// Unique among the report's plans: the title, with the file name when
    /// two plans share a title.
    name: &'a str,
    /// The end of `name` added to tell it apart (` · 2019_东城`), or empty.
    distinct: &'a str,
}

/// JSON made safe inside a script element: `</` must not appear there.
fn script_safe(json: &str) -> std::borrow::Cow<'_, str> {
    if json.contains("</") {
        json.replace("</", "<\\/").into()
    } else {
        json.into()
    }
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
/// A plan as [`unique_names`] names it.
struct Named<'a> {
    doc: &'a str,
    title: Option<&'a str>,
}

fn unique_names<'a>(
    plans: impl Iterator<Item = (&'a str, Option<&'a str>)>,
) -> Vec<(String, String)> {
    let profiles: Vec<Named<'a>> = plans.map(|(doc, title)| Named { doc, title }).collect();
    let file = |p: &Named| {
        Path::new(&p.doc)
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_else(|| p.doc.to_string())
    };
    let short = |p: &Named| p.title.map_or_else(|| file(p), str::to_string);
    let with_file = |p: &Named| match p.title {
        Some(t) => format!("{t} · {}", file(p)),
        None => file(p),
    };
    let with_path = |p: &Named| match p.title {
        Some(t) => format!("{t} · {}", p.doc),
        None => p.doc.to_string(),
    };
    let counts = |names: &[String]| {
        let mut n: HashMap<String, usize> = HashMap::new();
        for s in names {
            *n.entry(s.clone()).or_default() += 1;
        }
        n
    };
    let mut names: Vec<String> = profiles.iter().map(&short).collect();
    for widen in [&with_file as &dyn Fn(&Named) -> String, &with_path] {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plans_sharing_a_title_are_named_apart() {
        let ps = [
            ("a/2019.txt", Some("工作要点")),
            ("b/2020.txt", Some("工作要点")),
            ("c/x.txt", Some("实施方案")),
            ("d/x.txt", Some("实施方案")),
            ("e/plan.txt", None),
            ("e/plan.txt", None),
        ];
        let (names, distinct): (Vec<String>, Vec<String>) =
            unique_names(ps.into_iter()).into_iter().unzip();
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
        let single = unique_names([("p/q.txt", None)].into_iter());
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
        let e = ReportWriter::new(dir.path().join("no/r.html"), Vec::new())
            .finish()
            .unwrap_err()
            .to_string();
        assert!(e.contains("r.html: cannot write"), "{e}");
    }

    fn tagged(doc: &str, title: Option<&str>, tasks: &[(&str, &str, f64)]) -> Tagged {
        let mut t = Tagged {
            doc: doc.into(),
            title: title.map(Into::into),
            ..Tagged::default()
        };
        for &(id, label, confidence) in tasks {
            t.tasks.push(crate::segment::Task {
                doc: doc.into(),
                id: id.into(),
                kind: crate::segment::Kind::Task,
                path: Vec::new(),
                title: String::new(),
                text: format!("{id} 的任务 </script>"),
                start: 0,
                end: 0,
                line_start: 1,
                line_end: 1,
            });
            let mut p = crate::classify::Prediction::none();
            p.label = label.into();
            p.confidence = confidence;
            p.low_confidence = confidence < 0.5;
            t.predictions.push(p);
        }
        t
    }

    /// A plan that comes in two pieces is one plan with all its rows;
    /// plans are ordered by year and rows follow their plan; no `</` of a
    /// task's text reaches the script; the spill is gone afterwards.
    #[test]
    fn pieces_of_a_plan_make_one_plan_and_plans_go_by_year() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("r.html");
        let labels = vec![LabelInfo {
            id: "tcm".into(),
            zh: "中医药".into(),
            en: "TCM".into(),
        }];
        let mut report = ReportWriter::new(path.clone(), labels);
        report
            .add(
                &tagged("b.txt", Some("2021年工作要点"), &[("一", "tcm", 0.9)]),
                true,
            )
            .unwrap();
        report
            .add(&tagged("b.txt", None, &[("二", "tcm", 0.3)]), false)
            .unwrap();
        report
            .add(
                &tagged("a.txt", Some("2019年工作要点"), &[("一", "tcm", 0.8)]),
                true,
            )
            .unwrap();
        report.finish().unwrap();
        let page = std::fs::read_to_string(&path).unwrap();
        assert!(page.contains("2 plan(s), 3 task(s), 1 low-confidence."));
        let data = page.split("const DATA = ").nth(1).unwrap();
        let data = &data[..data.find(";\n").unwrap()];
        assert!(!data.contains("</"));
        let data: serde_json::Value = serde_json::from_str(data).unwrap();
        let names: Vec<&str> = data["plans"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["name"].as_str().unwrap())
            .collect();
        assert_eq!(names, ["2019年工作要点", "2021年工作要点"]);
        assert_eq!(data["plans"][1]["tasks"], 2);
        let rows: Vec<(u64, &str)> = data["rows"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| (r["doc"].as_u64().unwrap(), r["id"].as_str().unwrap()))
            .collect();
        assert_eq!(rows, [(0, "一"), (1, "一"), (1, "二")]);
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn texts_are_cut_on_characters() {
        assert_eq!(prefix_chars("卫生健康", 2), "卫生");
        assert_eq!(prefix_chars("卫生", 5), "卫生");
    }
}
