//! The HTML report: one self-contained file (no network, no external
//! scripts or fonts) with a stacked bar per plan showing its label shares,
//! and a table of every task filterable by label; clicking a bar segment
//! filters the table.

use serde::Serialize;

use crate::app::Tagged;
use crate::model::LabelInfo;
use crate::profile::{self, Profile};

/// A task row of the report table.
#[derive(Serialize)]
struct Row<'a> {
    doc: usize,
    id: &'a str,
    kind: &'a str,
    title: &'a str,
    text: &'a str,
    label: &'a str,
    confidence: f64,
    low: bool,
}

#[derive(Serialize)]
struct Data<'a> {
    labels: &'a [LabelInfo],
    profiles: &'a [Profile],
    /// Document order of `rows[].doc` (index into `profiles`).
    rows: Vec<Row<'a>>,
}

/// Distinct colours for the 20 labels (in taxonomy order).
const PALETTE: [&str; 20] = [
    "#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7",
    "#9c755f", "#bab0ac", "#a0cbe8", "#ffbe7d", "#8cd17d", "#b6992d", "#499894", "#86bcb6",
    "#d37295", "#fabfd2", "#79706e", "#d4a6c8",
];

/// Builds the report for tagged documents (plans sorted by year).
pub fn render(tagged: &[Tagged], labels: &[LabelInfo]) -> String {
    let mut order: Vec<usize> = (0..tagged.len()).collect();
    let profiles_unsorted: Vec<Profile> =
        tagged.iter().map(|t| profile::profile(t, labels)).collect();
    order.sort_by_key(|&i| profiles_unsorted[i].year.unwrap_or(u32::MAX));
    let profiles: Vec<Profile> = order
        .iter()
        .map(|&i| profiles_unsorted[i].clone())
        .collect();
    let mut rows = Vec::new();
    for (pos, &i) in order.iter().enumerate() {
        for (t, p) in tagged[i].tasks.iter().zip(&tagged[i].predictions) {
            rows.push(Row {
                doc: pos,
                id: &t.id,
                kind: t.kind.as_str(),
                title: &t.title,
                text: &t.text,
                label: &p.label,
                confidence: p.confidence,
                low: p.low_confidence,
            });
        }
    }
    let data = Data {
        labels,
        profiles: &profiles,
        rows,
    };
    // `</` must not appear inside the script element.
    let json = serde_json::to_string(&data)
        .unwrap_or_else(|_| "{}".to_string())
        .replace("</", "<\\/");
    let palette = serde_json::to_string(&PALETTE).unwrap_or_default();
    TEMPLATE
        .replace("/*DATA*/", &json)
        .replace("/*PALETTE*/", &palette)
}

const TEMPLATE: &str = r##"<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>plantag report</title>
<style>
  body { font-family: system-ui, -apple-system, "Noto Sans CJK SC", "Noto Sans SC", "PingFang SC", "Microsoft YaHei", "WenQuanYi Micro Hei", sans-serif; margin: 24px; color: #222; background: #fff; }
  h1 { font-size: 20px; margin: 0 0 4px; }
  h2 { font-size: 16px; margin: 24px 0 8px; }
  .note { color: #666; font-size: 13px; }
  #chart { display: flex; gap: 18px; align-items: flex-start; overflow-x: auto; padding: 8px 0; }
  .plan { display: flex; flex-direction: column; align-items: center; width: 120px; flex: none; }
  .stack { display: flex; flex-direction: column-reverse; width: 56px; height: 360px; border: 1px solid #bbb; background: #f6f6f6; }
  .seg { width: 100%; cursor: pointer; }
  .seg:hover, .seg.active { outline: 2px solid #000; outline-offset: -2px; }
  .plan .name { font-size: 12px; line-height: 1.35; text-align: center; margin-top: 6px; word-break: break-all; height: 5.4em; overflow: hidden; display: -webkit-box; -webkit-line-clamp: 4; -webkit-box-orient: vertical; }
  .plan .year { font-weight: 600; font-size: 14px; }
  #legend { display: flex; flex-wrap: wrap; gap: 6px 14px; margin: 12px 0; font-size: 13px; }
  .key { cursor: pointer; display: inline-flex; align-items: center; gap: 5px; }
  .key i { display: inline-block; width: 12px; height: 12px; }
  .key.active { font-weight: 700; text-decoration: underline; }
  #controls { display: flex; gap: 12px; align-items: center; flex-wrap: wrap; font-size: 14px; margin-bottom: 8px; }
  table { border-collapse: collapse; width: 100%; font-size: 13px; }
  th, td { border-bottom: 1px solid #e3e3e3; padding: 4px 6px; text-align: left; vertical-align: top; }
  th { background: #f0f0f0; position: sticky; top: 0; }
  td.label { white-space: nowrap; }
  td.conf { text-align: right; font-variant-numeric: tabular-nums; }
  tr.low td { background: #fff4e5; }
  tr.low td.conf::after { content: " ?"; color: #c0392b; font-weight: 700; }
  .chip { display: inline-block; width: 10px; height: 10px; margin-right: 4px; vertical-align: middle; }
  .text { color: #555; }
</style>
</head>
<body>
<h1>plantag report</h1>
<div class="note" id="summary"></div>
<h2>Share of task text per policy domain</h2>
<div id="chart" role="img" aria-label="label shares per plan"></div>
<div id="legend"></div>
<h2>Tasks</h2>
<div id="controls">
  <label>Label <select id="label-filter"><option value="">all labels</option></select></label>
  <label>Plan <select id="doc-filter"><option value="">all plans</option></select></label>
  <label><input type="checkbox" id="low-only"> low confidence only</label>
  <span id="count"></span>
</div>
<table id="tasks">
  <thead><tr><th>plan</th><th>id</th><th>task</th><th>label</th><th>confidence</th></tr></thead>
  <tbody></tbody>
</table>
<script>
"use strict";
const DATA = /*DATA*/;
const PALETTE = /*PALETTE*/;
const color = {}; const zh = {};
DATA.labels.forEach((l, i) => { color[l.id] = PALETTE[i % PALETTE.length]; zh[l.id] = l.zh; });
const el = (tag, attrs, text) => { const e = document.createElement(tag); Object.entries(attrs || {}).forEach(([k, v]) => e.setAttribute(k, v)); if (text !== undefined) e.textContent = text; return e; };
const state = { label: "", doc: "", low: false };
const shortName = p => p.title || p.doc.split("/").pop();

document.getElementById("summary").textContent =
  DATA.profiles.length + " plan(s), " + DATA.rows.length + " tasks, " +
  DATA.rows.filter(r => r.low).length + " low-confidence. Bars: share of the text of tasks (kinds task and review) per label; click a segment or a legend entry to filter the table.";

const chart = document.getElementById("chart");
DATA.profiles.forEach((p, di) => {
  const col = el("div", { class: "plan" });
  const stack = el("div", { class: "stack" });
  p.labels.forEach(s => {
    const seg = el("div", { class: "seg", "data-label": s.label, "data-doc": String(di),
      title: zh[s.label] + " " + (100 * s.share).toFixed(1) + "% (" + s.tasks + " tasks)" });
    seg.style.height = (100 * s.share) + "%";
    seg.style.background = color[s.label];
    seg.addEventListener("click", () => { state.label = s.label; state.doc = String(di); sync(); });
    stack.appendChild(seg);
  });
  col.appendChild(stack);
  col.appendChild(el("div", { class: "year" }, p.year ? String(p.year) : "—"));
  col.appendChild(el("div", { class: "name", title: p.doc }, shortName(p)));
  chart.appendChild(col);
});

const legend = document.getElementById("legend");
const used = new Set(DATA.profiles.flatMap(p => p.labels.map(s => s.label)));
DATA.labels.filter(l => used.has(l.id)).forEach(l => {
  const k = el("span", { class: "key", "data-label": l.id });
  const sw = el("i"); sw.style.background = color[l.id];
  k.appendChild(sw); k.appendChild(document.createTextNode(l.zh));
  k.addEventListener("click", () => { state.label = state.label === l.id && !state.doc ? "" : l.id; state.doc = ""; sync(); });
  legend.appendChild(k);
});

const labelSel = document.getElementById("label-filter");
DATA.labels.forEach(l => labelSel.appendChild(el("option", { value: l.id }, l.zh + " " + l.id)));
labelSel.addEventListener("change", () => { state.label = labelSel.value; sync(); });
const docSel = document.getElementById("doc-filter");
DATA.profiles.forEach((p, i) => docSel.appendChild(el("option", { value: String(i) }, shortName(p))));
docSel.addEventListener("change", () => { state.doc = docSel.value; sync(); });
const lowBox = document.getElementById("low-only");
lowBox.addEventListener("change", () => { state.low = lowBox.checked; sync(); });

const tbody = document.querySelector("#tasks tbody");
DATA.rows.forEach(r => {
  const tr = el("tr", { "data-label": r.label, "data-doc": String(r.doc), "data-low": String(r.low) });
  if (r.low) tr.classList.add("low");
  tr.appendChild(el("td", {}, shortName(DATA.profiles[r.doc])));
  tr.appendChild(el("td", {}, r.id));
  const task = el("td");
  if (r.title) { task.appendChild(el("b", {}, r.title)); task.appendChild(document.createTextNode(" ")); }
  task.appendChild(el("span", { class: "text" }, r.text.length > 120 ? r.text.slice(0, 120) + "…" : r.text));
  if (r.kind !== "task") task.appendChild(el("em", {}, " [" + r.kind + "]"));
  tr.appendChild(task);
  const lab = el("td", { class: "label" }); const chip = el("span", { class: "chip" }); chip.style.background = color[r.label];
  lab.appendChild(chip); lab.appendChild(document.createTextNode(zh[r.label] || r.label));
  tr.appendChild(lab);
  tr.appendChild(el("td", { class: "conf" }, r.confidence.toFixed(2)));
  tbody.appendChild(tr);
});

function sync() {
  labelSel.value = state.label; docSel.value = state.doc; lowBox.checked = state.low;
  let shown = 0;
  tbody.querySelectorAll("tr").forEach(tr => {
    const ok = (!state.label || tr.dataset.label === state.label) && (!state.doc || tr.dataset.doc === state.doc) && (!state.low || tr.dataset.low === "true");
    tr.style.display = ok ? "" : "none";
    if (ok) shown++;
  });
  document.querySelectorAll(".seg").forEach(s => s.classList.toggle("active", s.dataset.label === state.label && (!state.doc || s.dataset.doc === state.doc)));
  document.querySelectorAll(".key").forEach(k => k.classList.toggle("active", k.dataset.label === state.label));
  document.getElementById("count").textContent = shown + " of " + DATA.rows.length + " tasks shown";
  return shown;
}
sync();

// `report.html?selftest`: click the first bar segment as a user would and
// check that the table then shows exactly that plan's tasks of that label.
if (location.search.includes("selftest")) {
  const seg = document.querySelector(".seg");
  let result = "fail: no bar";
  if (seg) {
    seg.dispatchEvent(new MouseEvent("click", { bubbles: true }));
    const visible = [...tbody.querySelectorAll("tr")].filter(tr => tr.style.display !== "none");
    const good = visible.length > 0 && visible.every(tr => tr.dataset.label === seg.dataset.label && tr.dataset.doc === seg.dataset.doc);
    const expected = DATA.rows.filter(r => r.label === seg.dataset.label && String(r.doc) === seg.dataset.doc).length;
    result = good && visible.length === expected ? "pass" : "fail: " + visible.length + " rows, expected " + expected;
    result += "; bars " + document.querySelectorAll(".seg").length + "; rows " + DATA.rows.length;
  }
  document.body.appendChild(el("div", { id: "selftest-result" }, "selftest-result: " + result));
}
</script>
</body>
</html>
"##;
