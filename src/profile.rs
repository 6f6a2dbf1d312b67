//! Domain profiles: where a plan's attention goes. Per document, the tasks
//! and the share of text of each label, shown as a terminal bar chart or as
//! a self-contained HTML report comparing plans side by side.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde::Serialize;

use crate::model::LabelInfo;
use crate::output::{display_width, pad_to};
use crate::segment::Kind;
use crate::tagger::Tagged;

/// One label's part of a document.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LabelShare {
    pub label: String,
    pub label_name: String,
    pub tasks: usize,
    /// Share of the document's task text (characters) under this label.
    pub share: f64,
    pub low_confidence: usize,
}

/// The profile of one document.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Profile {
    pub doc: String,
    pub title: Option<String>,
    /// A year found in the title or file name, used to order plans.
    pub year: Option<u32>,
    pub tasks: usize,
    pub low_confidence: usize,
    /// Labels with at least one task, largest share first.
    pub labels: Vec<LabelShare>,
}

/// Which parts count: tasks and looked-back work (a work summary is mostly
/// review), not cover letters or framing text.
fn counts(kind: Kind) -> bool {
    matches!(kind, Kind::Task | Kind::Review)
}

/// Computes the profile of a tagged document.
pub fn profile(tagged: &Tagged, labels: &[LabelInfo]) -> Profile {
    let mut builder = ProfileBuilder::new(&tagged.doc, tagged.title.as_deref());
    builder.add(tagged);
    builder.finish(labels)
}

/// A profile gathered piece by piece: only the counts per label are kept,
/// so a document read as a long stream of sections costs no more memory
/// than a short one.
#[derive(Debug)]
pub struct ProfileBuilder {
    doc: String,
    title: Option<String>,
    /// Per label: tasks, characters, low-confidence tasks.
    per: BTreeMap<String, (usize, usize, usize)>,
    total_chars: usize,
    tasks: usize,
    low: usize,
}

impl ProfileBuilder {
    pub fn new(doc: &str, title: Option<&str>) -> Self {
        ProfileBuilder {
            doc: doc.to_string(),
            title: title.map(str::to_string),
            per: BTreeMap::new(),
            total_chars: 0,
            tasks: 0,
            low: 0,
        }
    }

    /// Counts the tasks of a tagged document (or piece of one).
    pub fn add(&mut self, tagged: &Tagged) {
        for (t, p) in tagged.tasks.iter().zip(&tagged.predictions) {
            if !counts(t.kind) {
                continue;
            }
            let chars = t.text.chars().count();
            self.total_chars += chars;
            self.tasks += 1;
            if !self.per.contains_key(p.label.as_str()) {
                self.per.insert(p.label.clone(), Default::default());
            }
            let e = self.per.get_mut(p.label.as_str()).expect("inserted");
            e.0 += 1;
            e.1 += chars;
            if p.low_confidence {
                e.2 += 1;
                self.low += 1;
            }
        }
    }

    pub fn finish(self, labels: &[LabelInfo]) -> Profile {
        let total_chars = self.total_chars;
        let mut shares: Vec<LabelShare> = self
            .per
            .into_iter()
            .map(|(label, (n, chars, low))| LabelShare {
                label_name: labels
                    .iter()
                    .find(|l| l.id == label)
                    .map(|l| l.zh.clone())
                    .unwrap_or_default(),
                label,
                tasks: n,
                share: if total_chars > 0 {
                    chars as f64 / total_chars as f64
                } else {
                    0.0
                },
                low_confidence: low,
            })
            .collect();
        shares.sort_by(|a, b| b.share.total_cmp(&a.share).then(a.label.cmp(&b.label)));
        Profile {
            year: find_year(self.title.as_deref().unwrap_or("")).or_else(|| find_year(&self.doc)),
            doc: self.doc,
            title: self.title,
            tasks: self.tasks,
            low_confidence: self.low,
            labels: shares,
        }
    }
}

/// The columns of `--profile --format csv`: one row per document and label.
pub const CSV_HEADER: [&str; 9] = [
    "doc",
    "title",
    "year",
    "label",
    "label_name",
    "tasks",
    "share",
    "low_confidence",
    "doc_low_confidence",
];

/// A profile as CSV rows (fields, unquoted): one per label, none for a
/// document without counted tasks.
pub fn csv_rows(p: &Profile) -> Vec<[String; 9]> {
    p.labels
        .iter()
        .map(|l| {
            [
                p.doc.clone(),
                p.title.clone().unwrap_or_default(),
                p.year.map(|y| y.to_string()).unwrap_or_default(),
                l.label.clone(),
                l.label_name.clone(),
                l.tasks.to_string(),
                format!("{:.4}", l.share),
                l.low_confidence.to_string(),
                p.low_confidence.to_string(),
            ]
        })
        .collect()
}

/// The first plausible year (1949–2099) in a string.
pub fn find_year(s: &str) -> Option<u32> {
    let bytes = s.as_bytes();
    (0..bytes.len().saturating_sub(3)).find_map(|i| {
        let window = &bytes[i..i + 4];
        let before_ok = i == 0 || !bytes[i - 1].is_ascii_digit();
        let after_ok = bytes
            .get(i + 4)
            .map(|b| !b.is_ascii_digit())
            .unwrap_or(true);
        if before_ok && after_ok && window.iter().all(u8::is_ascii_digit) {
            let y: u32 = std::str::from_utf8(window).ok()?.parse().ok()?;
            (1949..=2099).contains(&y).then_some(y)
        } else {
            None
        }
    })
}

/// Orders profiles by year (those without one keep their order, last).
pub fn sort_by_year(profiles: &mut [Profile]) {
    profiles.sort_by_key(|p| p.year.unwrap_or(u32::MAX));
}

/// Width of the longest bar, in terminal columns.
const BAR_WIDTH: usize = 30;

/// A compact bar chart for the terminal; Chinese names align (two columns
/// per character).
pub fn to_text(p: &Profile) -> String {
    let mut s = String::new();
    let title = p
        .title
        .as_deref()
        .map(|t| format!("  《{t}》"))
        .unwrap_or_default();
    let _ = writeln!(
        s,
        "{}{}\n  {} tasks, {} low-confidence",
        p.doc, title, p.tasks, p.low_confidence
    );
    let name_width = p
        .labels
        .iter()
        .map(|l| display_width(&l.label_name))
        .max()
        .unwrap_or(8);
    let max = p.labels.iter().map(|l| l.share).fold(0.0, f64::max);
    for l in &p.labels {
        let eighths = if max > 0.0 {
            (l.share / max * (BAR_WIDTH * 8) as f64).round() as usize
        } else {
            0
        };
        let mut bar = "█".repeat(eighths / 8);
        if eighths % 8 > 0 {
            bar.push([' ', '▏', '▎', '▍', '▌', '▋', '▊', '▉'][eighths % 8]);
        }
        let low = if l.low_confidence > 0 {
            format!("  ({} low)", l.low_confidence)
        } else {
            String::new()
        };
        let _ = writeln!(
            s,
            "  {}  {} {:>3} {:>5.1}%{}",
            pad_to(&l.label_name, name_width),
            pad_to(&bar, BAR_WIDTH + 1),
            l.tasks,
            100.0 * l.share,
            low
        );
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn years_come_from_title_or_name() {
        assert_eq!(find_year("2019年株洲市卫生健康工作要点"), Some(2019));
        assert_eq!(find_year("plans/000_87bfdf8877983873.txt"), None);
        assert_eq!(find_year("a12345"), None);
        assert_eq!(find_year("贵阳 2020 年"), Some(2020));
    }
}
