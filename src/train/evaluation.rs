//! The cross-validation report: quality figures of held-out predictions
//! (accuracy, top-2, macro-F1, calibration, per label, confusions), the
//! baselines, and the report as people read it.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::classify::expected_calibration_error;

/// Quality figures of one set of held-out predictions.
#[derive(Debug, Clone, Serialize)]
pub struct Metrics {
    pub n: usize,
    pub accuracy: f64,
    pub top2_accuracy: f64,
    pub macro_f1: f64,
    pub ece: f64,
    /// Accuracy on the 80% most confident predictions.
    pub accuracy_top80_confident: f64,
    pub per_label: BTreeMap<String, LabelMetrics>,
    /// Most frequent (truth, predicted) confusions.
    pub confused: Vec<(String, String, usize)>,
}

#[derive(Debug, Clone, Serialize)]
pub struct LabelMetrics {
    pub support: usize,
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
}

/// The cross-validation report (`--report-json`).
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub folds: usize,
    pub sections: usize,
    pub documents: Vec<String>,
    /// Nested grouped CV of the full trainer (lexicon weight chosen inside).
    pub model: Metrics,
    /// The same without the lexicon (weight fixed at 0).
    pub without_lexicon: Metrics,
    /// Baseline: always the most frequent label of the training folds.
    pub majority_baseline: Metrics,
    /// Baseline: the label whose lexicon terms occur most often in the text.
    pub lexicon_match_baseline: Metrics,
    /// Settings chosen for the shipped model (grouped CV over all data).
    pub chosen: Config,
    pub temperature: f64,
    /// Weight of the document prior (see [`crate::context`]), chosen on
    /// the cross-validated scores, and the accuracy each weight tried gave.
    pub context_weight: f64,
    pub context_curve: Vec<(f64, f64)>,
    pub low_confidence_threshold: f64,
    /// Share of held-out tasks the threshold flags, and share of held-out
    /// errors among them.
    pub flagged_share: f64,
    pub errors_caught_share: f64,
    /// Tasks of the training documents read whole (0 when they were not
    /// given), and the share of them the threshold flags, out of fold.
    pub document_tasks: usize,
    pub flagged_task_share: f64,
    /// Runner-up probability from which it is a secondary label (2 =
    /// never), its held-out precision, and the share of sections given one.
    pub secondary_threshold: f64,
    pub secondary_precision: f64,
    pub secondary_share: f64,
    pub overridden_by_review: usize,
    /// Sections that come from review decisions.
    pub reviewed_sections: usize,
}

/// One point of the hyper-parameter grid.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Config {
    pub alpha: f64,
    pub lexicon_weight: f64,
    pub uniform_prior: bool,
}

/// Mean F1 over the labels present in the truth.
pub(super) fn macro_f1(pairs: &[(usize, usize)], k: usize) -> f64 {
    let mut tp = vec![0.0; k];
    let mut fp = vec![0.0; k];
    let mut fnn = vec![0.0; k];
    for &(t, p) in pairs {
        if t == p {
            tp[t] += 1.0;
        } else {
            fp[p] += 1.0;
            fnn[t] += 1.0;
        }
    }
    let present: Vec<usize> = (0..k).filter(|&c| tp[c] + fnn[c] > 0.0).collect();
    if present.is_empty() {
        return 0.0;
    }
    present
        .iter()
        .map(|&c| f1(tp[c], fp[c], fnn[c]))
        .sum::<f64>()
        / present.len() as f64
}

fn f1(tp: f64, fp: f64, fnn: f64) -> f64 {
    if tp == 0.0 {
        0.0
    } else {
        2.0 * tp / (2.0 * tp + fp + fnn)
    }
}

/// The label whose lexicon terms occur most often in the text (ties: the
/// earlier label); the simplest baseline that knows the taxonomy.
pub fn lexicon_match(text: &str, labels: &[crate::data::Label]) -> usize {
    let hits: Vec<usize> = labels
        .iter()
        .map(|l| {
            l.lexicon
                .iter()
                .map(|t| text.matches(t.as_str()).count())
                .sum()
        })
        .collect();
    (0..labels.len())
        .max_by(|&a, &b| hits[a].cmp(&hits[b]).then(b.cmp(&a)))
        .unwrap_or(0)
}

/// All figures for held-out probabilities.
pub(super) fn metrics(
    probs: &[Vec<f64>],
    truth: &[usize],
    labels: &[crate::data::Label],
) -> Metrics {
    let k = labels.len();
    let n = truth.len();
    let mut pairs = Vec::with_capacity(n);
    let mut top2 = 0usize;
    let mut conf = Vec::with_capacity(n);
    let mut ok = Vec::with_capacity(n);
    for (p, &t) in probs.iter().zip(truth) {
        let mut order: Vec<usize> = (0..k).collect();
        order.sort_by(|&a, &b| p[b].total_cmp(&p[a]).then(a.cmp(&b)));
        pairs.push((t, order[0]));
        if order.iter().take(2).any(|&c| c == t) {
            top2 += 1;
        }
        conf.push(p[order[0]]);
        ok.push(order[0] == t);
    }
    let accuracy = ok.iter().filter(|&&b| b).count() as f64 / n.max(1) as f64;
    let mut by_conf: Vec<usize> = (0..n).collect();
    by_conf.sort_by(|&a, &b| conf[b].total_cmp(&conf[a]).then(a.cmp(&b)));
    let keep = ((n as f64) * 0.8).ceil() as usize;
    let top80 = by_conf.iter().take(keep).filter(|&&i| ok[i]).count() as f64 / keep.max(1) as f64;
    let mut per_label = BTreeMap::new();
    for (c, label) in labels.iter().enumerate() {
        let tp = pairs.iter().filter(|&&(t, p)| t == c && p == c).count() as f64;
        let fp = pairs.iter().filter(|&&(t, p)| t != c && p == c).count() as f64;
        let fnn = pairs.iter().filter(|&&(t, p)| t == c && p != c).count() as f64;
        per_label.insert(
            label.id.clone(),
            LabelMetrics {
                support: (tp + fnn) as usize,
                precision: if tp + fp > 0.0 { tp / (tp + fp) } else { 0.0 },
                recall: if tp + fnn > 0.0 { tp / (tp + fnn) } else { 0.0 },
                f1: f1(tp, fp, fnn),
            },
        );
    }
    let mut confusion: BTreeMap<(usize, usize), usize> = BTreeMap::new();
    for &(t, p) in &pairs {
        if t != p {
            *confusion.entry((t, p)).or_default() += 1;
        }
    }
    let mut confused: Vec<(String, String, usize)> = confusion
        .into_iter()
        .map(|((t, p), n)| (labels[t].id.clone(), labels[p].id.clone(), n))
        .collect();
    confused.sort_by(|a, b| b.2.cmp(&a.2).then(a.0.cmp(&b.0)).then(a.1.cmp(&b.1)));
    confused.truncate(8);
    Metrics {
        n,
        accuracy,
        top2_accuracy: top2 as f64 / n.max(1) as f64,
        macro_f1: macro_f1(&pairs, k),
        ece: expected_calibration_error(&conf, &ok, 10),
        accuracy_top80_confident: top80,
        per_label,
        confused,
    }
}

impl Report {
    /// The report as people read it.
    pub fn to_text(&self) -> String {
        let mut s = String::new();
        let pct = |x: f64| format!("{:5.1}%", 100.0 * x);
        s.push_str(&format!(
            "Cross-validation grouped by document: {} folds over {} documents, {} sections\n",
            self.folds,
            self.documents.len(),
            self.sections
        ));
        s.push_str(
            "(nested: settings chosen inside each training fold; no document is in both)\n\n",
        );
        s.push_str("                        accuracy  top-2   macro-F1   ECE   acc@80%conf\n");
        for (name, m) in [
            ("model", &self.model),
            ("model without lexicon", &self.without_lexicon),
            ("lexicon match baseline", &self.lexicon_match_baseline),
            ("majority baseline", &self.majority_baseline),
        ] {
            s.push_str(&format!(
                "{:<23} {}   {}   {:.3}   {:.3}   {}\n",
                name,
                pct(m.accuracy),
                pct(m.top2_accuracy),
                m.macro_f1,
                m.ece,
                pct(m.accuracy_top80_confident)
            ));
        }
        s.push_str("\nper label (model):  support  precision  recall   F1\n");
        for (label, m) in &self.model.per_label {
            s.push_str(&format!(
                "  {:<14} {:>7}   {:>7.2}  {:>7.2}  {:>5.2}\n",
                label, m.support, m.precision, m.recall, m.f1
            ));
        }
        s.push_str("\nmost confused (truth -> predicted):\n");
        for (t, p, n) in &self.model.confused {
            s.push_str(&format!("  {t} -> {p}: {n}\n"));
        }
        s.push_str(&format!(
            "\nchosen: alpha {}, lexicon weight {}, {} priors; temperature {:.3}\n",
            self.chosen.alpha,
            self.chosen.lexicon_weight,
            if self.chosen.uniform_prior {
                "uniform"
            } else {
                "learned"
            },
            self.temperature
        ));
        s.push_str(&format!(
            "document context weight {} (held-out accuracy by weight: {})\n",
            self.context_weight,
            self.context_curve
                .iter()
                .map(|(w, a)| format!("{w}: {:.1}%", 100.0 * a))
                .collect::<Vec<_>>()
                .join(", ")
        ));
        s.push_str(&format!(
            "low-confidence threshold {:.3}: flags {} of held-out sections and catches {} of their errors\n",
            self.low_confidence_threshold,
            pct(self.flagged_share).trim(),
            pct(self.errors_caught_share).trim()
        ));
        if self.document_tasks > 0 {
            s.push_str(&format!(
                "  and {} of the {} tasks of the training documents read whole (out of fold)\n",
                pct(self.flagged_task_share).trim(),
                self.document_tasks
            ));
        }
        if self.secondary_threshold <= 1.0 {
            s.push_str(&format!(
                "secondary label from runner-up probability {}: given to {} of held-out sections, right {} of the time\n",
                self.secondary_threshold,
                pct(self.secondary_share).trim(),
                pct(self.secondary_precision).trim()
            ));
        } else {
            s.push_str("secondary labels: none reach the wanted precision on held-out sections\n");
        }
        if self.reviewed_sections > 0 {
            s.push_str(&format!(
                "review decisions used: {} ({} of them replace an earlier label)\n",
                self.reviewed_sections, self.overridden_by_review
            ));
        }
        s
    }
}
