//! The learning curves as people read them: a table per curve, what an
//! hour of review buys, and an SVG picture.

use super::{Curve, LearnReport, RoundResult, Strategy};

/// Seconds a reviewer is assumed to spend on one task (reading about 150
/// characters and choosing a label): an assumption, not a measurement.
pub const SECONDS_PER_TASK: f64 = 30.0;

impl LearnReport {
    /// The report as people read it: one table per curve.
    pub fn to_text(&self) -> String {
        use std::fmt::Write;
        let mut s = String::new();
        let _ = writeln!(
            s,
            "review simulation: {} rounds of {} tasks, {} review documents ({} tasks), measured on {} documents ({} units); {}-fold retraining, {}; random seed {}",
            self.rounds,
            self.batch,
            self.review_documents,
            self.review_tasks,
            self.measure_documents,
            self.measure_units,
            self.folds,
            self.settings_text(),
            self.seed
        );
        let table = |s: &mut String, c: &Curve| {
            let _ = writeln!(
                s,
                "\n{} sampling, review weight {}, measured on {}",
                c.strategy.as_str(),
                c.review_weight,
                c.measured_on
            );
            let _ = writeln!(
                s,
                "  round  shown  decided  corrected  strict  lenient  macro-F1    ECE  flagged   alpha  lexicon  context"
            );
            for r in &c.rounds {
                let _ = writeln!(
                    s,
                    "  {:>5}  {:>5}  {:>7}  {:>9}  {:.3}   {:.3}    {:.3}    {:.3}  {:5.1}%  {:>6}  {:>7}  {:>7}",
                    r.round,
                    r.shown,
                    r.decided,
                    r.corrected,
                    r.strict,
                    r.lenient,
                    r.macro_f1,
                    r.ece,
                    100.0 * r.flagged,
                    r.alpha,
                    r.lexicon_weight,
                    r.context_weight
                );
            }
        };
        if !self.weight_choice.is_empty() {
            let _ = writeln!(
                s,
                "\nchoosing the review weight ({})",
                self.weight_chosen_by
            );
            for c in &self.weight_choice {
                let _ = writeln!(
                    s,
                    "  weight {:>4}: mean strict {:.4}",
                    c.review_weight,
                    c.mean_strict_after_start()
                );
            }
            for c in &self.weight_choice {
                table(&mut s, c);
            }
        }
        let _ = writeln!(s, "\nchosen review weight {}", self.chosen_weight);
        for c in &self.measured {
            table(&mut s, c);
        }
        let _ = writeln!(
            s,
            "\nmean task length reviewed: {:.0} characters; at {} s a task, one hour is {} tasks",
            self.mean_task_chars,
            SECONDS_PER_TASK,
            (3600.0 / SECONDS_PER_TASK) as usize
        );
        let _ = writeln!(s, "took {:.0} s", self.seconds);
        s
    }

    /// How the retrainings' settings were held, in words.
    pub fn settings_text(&self) -> String {
        let fixed = |name: &str, v: Option<f64>| match v {
            Some(v) => format!("{name} fixed at {v}"),
            None => format!("{name} re-chosen by cross-validation"),
        };
        format!(
            "{}, {}",
            fixed("smoothing", self.alpha),
            fixed("context weight", self.context_weight)
        )
    }

    /// The measured curve of a strategy at the chosen weight.
    pub fn curve(&self, strategy: Strategy) -> Option<&Curve> {
        self.measured
            .iter()
            .find(|c| c.strategy == strategy && c.review_weight == self.chosen_weight)
    }

    /// The learning curves as a self-contained SVG: strict accuracy,
    /// macro-F1 and ECE on the measuring documents against tasks shown,
    /// for both strategies at the chosen weight (and the other weights'
    /// uncertainty curves, thin, when measured), with one hour of review
    /// marked.
    pub fn to_svg(&self) -> String {
        use std::fmt::Write;
        let panels: [(&str, Figure); 3] = [
            ("strict accuracy", |r| r.strict),
            ("macro-F1", |r| r.macro_f1),
            ("ECE (lower is better)", |r| r.ece),
        ];
        let (pw, ph) = (300.0, 220.0);
        let (ml, mr, mt, mb) = (52.0, 14.0, 84.0, 64.0);
        let width = panels.len() as f64 * (pw + ml + mr);
        let height = mt + ph + mb;
        let max_x = self
            .measured
            .iter()
            .flat_map(|c| c.rounds.iter().map(|r| r.shown))
            .max()
            .unwrap_or(1)
            .max(1) as f64;
        let colour = |s: Strategy| match s {
            Strategy::Uncertainty => "#4e79a7",
            Strategy::Random => "#e15759",
        };
        let mut svg = String::new();
        let _ = write!(
            svg,
            r##"<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" font-family="system-ui, sans-serif" font-size="12">
<rect width="100%" height="100%" fill="#ffffff"/>
<text x="12" y="20" font-size="15" font-weight="600">What review buys: the model after each round of {} reviewed tasks, measured on dev ({} units of {} plans)</text>
<text x="12" y="38" fill="#555">start: trained on training-data/ alone; reviews answered with the gold of the corpus train split; review weight {} ({})</text>
<text x="12" y="54" fill="#555">each round retrained with {}-fold cross-validation, {}; one hour = {} tasks at {} s a task (assumed)</text>
"##,
            self.batch,
            self.measure_units,
            self.measure_documents,
            self.chosen_weight,
            if self.weight_choice.is_empty() {
                "fixed"
            } else {
                "chosen on held-out train documents"
            },
            self.folds,
            self.settings_text(),
            (3600.0 / SECONDS_PER_TASK) as usize,
            SECONDS_PER_TASK
        );
        let hour = 3600.0 / SECONDS_PER_TASK;
        for (n, (name, value)) in panels.iter().enumerate() {
            let x0 = n as f64 * (pw + ml + mr) + ml;
            let points: Vec<f64> = self
                .measured
                .iter()
                .flat_map(|c| c.rounds.iter().map(value))
                .collect();
            let lo = points.iter().copied().fold(f64::INFINITY, f64::min);
            let hi = points.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            let step = nice_step((hi - lo).max(0.01) / 4.0);
            let lo = (lo / step).floor() * step;
            let hi = ((hi / step).ceil() * step).max(lo + step);
            let x = |v: f64| x0 + v / max_x * pw;
            let y = |v: f64| mt + ph - (v - lo) / (hi - lo) * ph;
            let _ = writeln!(
                svg,
                r##"<rect x="{x0}" y="{mt}" width="{pw}" height="{ph}" fill="#f6f6f6" stroke="#bbb"/>"##
            );
            let _ = writeln!(
                svg,
                r##"<text x="{}" y="{}" font-weight="600">{name}</text>"##,
                x0,
                mt - 6.0
            );
            let mut t = lo;
            while t <= hi + step / 2.0 {
                let _ = writeln!(
                    svg,
                    r##"<line x1="{x0}" x2="{}" y1="{yy:.1}" y2="{yy:.1}" stroke="#e3e3e3"/><text x="{}" y="{:.1}" text-anchor="end" fill="#555">{t:.2}</text>"##,
                    x0 + pw,
                    x0 - 6.0,
                    y(t) + 4.0,
                    yy = y(t)
                );
                t += step;
            }
            for r in self
                .measured
                .first()
                .map(|c| c.rounds.as_slice())
                .unwrap_or(&[])
            {
                let _ = writeln!(
                    svg,
                    r##"<text x="{:.1}" y="{}" text-anchor="middle" fill="#555">{}</text>"##,
                    x(r.shown as f64),
                    mt + ph + 16.0,
                    r.shown
                );
            }
            let _ = writeln!(
                svg,
                r##"<text x="{}" y="{}" text-anchor="middle" fill="#555">tasks shown to the reviewer</text>"##,
                x0 + pw / 2.0,
                mt + ph + 32.0
            );
            if hour <= max_x {
                let hx = x(hour);
                let _ = writeln!(
                    svg,
                    r##"<line x1="{hx:.1}" x2="{hx:.1}" y1="{mt}" y2="{}" stroke="#999" stroke-dasharray="4 3"/><text x="{:.1}" y="{}" fill="#777">1 h</text>"##,
                    mt + ph,
                    hx + 3.0,
                    mt + 14.0,
                );
            }
            if let Some(first) = self.measured.first().and_then(|c| c.rounds.first()) {
                let sy = y(value(first));
                let _ = writeln!(
                    svg,
                    r##"<line x1="{x0}" x2="{}" y1="{sy:.1}" y2="{sy:.1}" stroke="#777" stroke-dasharray="2 3"/><text x="{}" y="{:.1}" text-anchor="end" fill="#777">start</text>"##,
                    x0 + pw,
                    x0 + pw - 4.0,
                    sy - 4.0
                );
            }
            for c in &self.measured {
                let main = c.review_weight == self.chosen_weight;
                let path: Vec<String> = c
                    .rounds
                    .iter()
                    .map(|r| format!("{:.1},{:.1}", x(r.shown as f64), y(value(r))))
                    .collect();
                let _ = writeln!(
                    svg,
                    r##"<polyline points="{}" fill="none" stroke="{}" stroke-width="{}"{}/>"##,
                    path.join(" "),
                    colour(c.strategy),
                    if main { 2.5 } else { 1.0 },
                    if main { "" } else { r#" stroke-opacity="0.5""# }
                );
                if main {
                    for r in &c.rounds {
                        let _ = writeln!(
                            svg,
                            r##"<circle cx="{:.1}" cy="{:.1}" r="3" fill="{}"/>"##,
                            x(r.shown as f64),
                            y(value(r)),
                            colour(c.strategy)
                        );
                    }
                }
            }
        }
        let ly = height - 14.0;
        let others = self
            .measured
            .iter()
            .filter(|c| c.review_weight != self.chosen_weight)
            .map(|c| c.review_weight.to_string())
            .collect::<Vec<_>>();
        let _ = writeln!(
            svg,
            r##"<rect x="{ml}" y="{}" width="14" height="4" fill="{}"/><text x="{}" y="{ly}">the {} most uncertain tasks each round (the review queue)</text>"##,
            ly - 6.0,
            colour(Strategy::Uncertainty),
            ml + 20.0,
            self.batch
        );
        let _ = writeln!(
            svg,
            r##"<rect x="{}" y="{}" width="14" height="4" fill="{}"/><text x="{}" y="{ly}">{} random tasks each round (seed {})</text>"##,
            ml + 420.0,
            ly - 6.0,
            colour(Strategy::Random),
            ml + 440.0,
            self.batch,
            self.seed
        );
        if !others.is_empty() {
            let _ = writeln!(
                svg,
                r##"<text x="{}" y="{ly}" fill="#777">thin: uncertainty at weight {}</text>"##,
                ml + 700.0,
                others.join(", ")
            );
        }
        svg.push_str("</svg>\n");
        svg
    }
}

/// One figure of a round, as plotted.
type Figure = fn(&RoundResult) -> f64;

/// 1, 2 or 5 times a power of ten, at least `raw`.
fn nice_step(raw: f64) -> f64 {
    let p = 10f64.powf(raw.log10().floor());
    [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|m| m * p)
        .find(|&s| s >= raw)
        .unwrap_or(10.0 * p)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn axis_steps_are_round() {
        assert_eq!(nice_step(0.013), 0.02);
        assert_eq!(nice_step(0.04), 0.05);
        assert_eq!(nice_step(0.1), 0.1);
    }
}
