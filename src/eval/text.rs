//! The evaluation report as people read it.

use super::{ratio, DocResult, EvalReport};

impl EvalReport {
    /// The report as people read it: headline figures, the worst documents,
    /// per-label scores, confusions and the reliability table.
    pub fn to_text(&self, worst: usize) -> String {
        use std::fmt::Write;
        let mut s = String::new();
        let pct = |a: usize| 100.0 * ratio(a, self.units);
        let _ = writeln!(
            s,
            "documents {}  gold units {}  predicted tasks {}",
            self.documents, self.units, self.tasks
        );
        if !self.failed_documents.is_empty() {
            let _ = writeln!(s, "unreadable: {}", self.failed_documents.join(", "));
        }
        let _ = writeln!(s, "\nsegmentation");
        let _ = writeln!(s, "  own task   {:>5}  {:5.1}%", self.own, pct(self.own));
        let _ = writeln!(
            s,
            "  merged     {:>5}  {:5.1}%",
            self.merged,
            pct(self.merged)
        );
        let _ = writeln!(
            s,
            "  missing    {:>5}  {:5.1}%",
            self.missing,
            pct(self.missing)
        );
        let _ = writeln!(
            s,
            "  kind agrees {:>4}  {:5.1}%",
            self.kind_agree,
            pct(self.kind_agree)
        );
        let _ = writeln!(s, "  furniture tasks {}", self.furniture_tasks);
        let _ = writeln!(
            s,
            "  titles found {} of {} documents",
            self.titles_found, self.documents
        );
        if let Some(t) = &self.title_check {
            let _ = writeln!(
                s,
                "  titles against meta.tsv: {} of {} documents hold theirs; found exactly {}, wrong {}, missing {}",
                t.in_text, t.documents, t.exact, t.wrong, t.missing
            );
        }
        let mut docs: Vec<&DocResult> = self
            .per_document
            .iter()
            .filter(|d| d.own < d.units || !d.furniture_tasks.is_empty())
            .collect();
        docs.sort_by(|a, b| {
            ratio(a.own, a.units)
                .partial_cmp(&ratio(b.own, b.units))
                .unwrap_or(std::cmp::Ordering::Equal)
                .then_with(|| a.doc.cmp(&b.doc))
        });
        if !docs.is_empty() && worst > 0 {
            let _ = writeln!(s, "  worst documents (own/units, merged, missing, tasks):");
            for d in docs.iter().take(worst) {
                let _ = writeln!(
                    s,
                    "    {:<14} {:>3}/{:<3} merged {:>2} missing {:>2} tasks {:>3}{}",
                    d.doc,
                    d.own,
                    d.units,
                    d.merged,
                    d.missing,
                    d.tasks,
                    if d.furniture_tasks.is_empty() {
                        String::new()
                    } else {
                        format!("  furniture: {}", d.furniture_tasks.join(" "))
                    }
                );
            }
        }
        let _ = writeln!(s, "\nlabels (a missing unit counts as wrong)");
        let _ = writeln!(
            s,
            "  (an accuracy estimate only on units the model did not learn from)"
        );
        let _ = writeln!(s, "  strict     {:.3}", self.strict);
        let _ = writeln!(s, "  lenient    {:.3}", self.lenient);
        let _ = writeln!(s, "  top-2      {:.3}", self.top2);
        let _ = writeln!(s, "  macro-F1   {:.3}", self.macro_f1);
        let _ = writeln!(s, "  ECE        {:.3}  (strict, 10 bins)", self.ece);
        let _ = writeln!(
            s,
            "  flagged    {:.1}% of units, {:.1}% of tasks; catches {:.1}% of errors",
            100.0 * self.flagged_units,
            100.0 * self.flagged_tasks,
            100.0 * self.errors_caught
        );
        let _ = writeln!(
            s,
            "  secondary  {} given, {:.1}% right (gold or accepted); {:.1}% of units with accepted labels get one",
            self.secondary_given,
            100.0 * self.secondary_precision,
            100.0 * self.secondary_recall
        );
        let _ = writeln!(
            s,
            "\n  {:<14} {:>7} {:>7} {:>6} {:>6} {:>6}",
            "label", "support", "predict", "P", "R", "F1"
        );
        for l in &self.per_label {
            let _ = writeln!(
                s,
                "  {:<14} {:>7} {:>7} {:>6.3} {:>6.3} {:>6.3}",
                l.label, l.support, l.predicted, l.precision, l.recall, l.f1
            );
        }
        let _ = writeln!(s, "\n  most confused (gold → predicted):");
        for (g, p, c) in self.confusions.iter().take(10) {
            let _ = writeln!(s, "    {g:<14} → {p:<14} {c:>3}");
        }
        let _ = writeln!(
            s,
            "\n  reliability (confidence bin: units, mean confidence, accuracy)"
        );
        for b in self.reliability.iter().filter(|b| b.count > 0) {
            let _ = writeln!(
                s,
                "    {:.1}–{:.1}  {:>4}  {:.3}  {:.3}",
                b.from, b.to, b.count, b.mean_confidence, b.accuracy
            );
        }
        s
    }
}
