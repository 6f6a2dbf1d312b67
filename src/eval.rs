//! Evaluation: hand-labelled gold units of a corpus are matched to the tasks
//! the full pipeline finds in the raw documents (as `plan-tag` runs), and
//! scored for segmentation (found alone, merged, missing, chrome) and for
//! labels (accuracy, macro-F1, calibration, the review flag).

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::app::{tag_segmented, TagOptions, Tagged};
use crate::classify::{expected_calibration_error, Candidate, Classifier, Prediction};
use crate::error::{Error, Result};
use crate::input;
use crate::segment::{self, Kind};

/// One gold unit in the corpus format (`gold-*.jsonl`).
#[derive(Debug, Clone, Deserialize)]
pub struct GoldUnit {
    /// File name of the document in the docs folder.
    pub doc: String,
    #[serde(default)]
    pub id: String,
    /// The first characters of the unit's own wording, verbatim.
    pub anchor: String,
    pub label: String,
    /// Other labels a careful reader could defend.
    #[serde(default)]
    pub accept: Vec<String>,
    /// `task`, `preamble` or `review`.
    #[serde(default)]
    pub kind: String,
    /// The unit's full text (not used for matching).
    #[serde(default)]
    pub text: String,
    #[serde(default)]
    pub path: Vec<String>,
}

/// Reads gold units, one JSON object a line.
pub fn load_gold(path: &Path) -> Result<Vec<GoldUnit>> {
    let text = std::fs::read_to_string(path).map_err(|source| Error::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let mut units = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let unit: GoldUnit = serde_json::from_str(line)
            .map_err(|e| Error::data(path, i + 1, format!("not a gold unit: {e}")))?;
        if unit.anchor.is_empty() {
            return Err(Error::data(path, i + 1, "empty anchor"));
        }
        units.push(unit);
    }
    Ok(units)
}

/// Where a gold unit ended up in the predicted segmentation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Placement {
    /// A task of its own.
    Own,
    /// Its task also holds another gold unit.
    Merged,
    /// No task holds its anchor (dropped, or the anchor is not in the text).
    Missing,
}

/// The match of one gold unit: the anchor's byte offset in the text and the
/// index of the task whose source span holds it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UnitMatch {
    pub offset: Option<usize>,
    pub task: Option<usize>,
    pub placement: Placement,
}

/// Matches the gold units of one document, in document order, to task
/// spans (`start..end` byte offsets into `text`). Each unit is a pair of
/// its anchor and its gold text (may be empty). An anchor is looked for
/// after the previous unit's anchor, because anchors can also occur earlier
/// (a teaser or a table of contents); of its occurrences there, the first
/// whose continuation agrees with the gold text is taken (an anchor such as
/// `重点` also occurs inside the unit before it), else the first one. An
/// anchor not found there is missing.
pub fn match_units(text: &str, units: &[(&str, &str)], spans: &[(usize, usize)]) -> Vec<UnitMatch> {
    let mut cursor = 0;
    let mut found: Vec<(Option<usize>, Option<usize>)> = Vec::with_capacity(units.len());
    for &(anchor, gold_text) in units {
        let occurrences = || {
            text.get(cursor..)
                .into_iter()
                .flat_map(move |rest| rest.match_indices(anchor).map(move |(p, _)| cursor + p))
        };
        let offset = occurrences()
            .find(|&p| continuation_agrees(&text[p + anchor.len()..], anchor, gold_text))
            .or_else(|| occurrences().next());
        if let Some(p) = offset {
            cursor = p + anchor.len();
        }
        let task = offset.and_then(|p| spans.iter().position(|&(s, e)| s <= p && p < e));
        found.push((offset, task));
    }
    let mut per_task: HashMap<usize, usize> = HashMap::new();
    for task in found.iter().filter_map(|f| f.1) {
        *per_task.entry(task).or_default() += 1;
    }
    found
        .into_iter()
        .map(|(offset, task)| UnitMatch {
            offset,
            task,
            placement: match task {
                None => Placement::Missing,
                Some(t) if per_task[&t] > 1 => Placement::Merged,
                Some(_) => Placement::Own,
            },
        })
        .collect()
}

/// Characters compared after an anchor to tell its occurrences apart.
const AGREEING_CHARS: usize = 12;

/// Whether the text after an anchor's occurrence goes on as the gold text
/// does after the anchor (spaces and line breaks ignored on both sides).
fn continuation_agrees(after: &str, anchor: &str, gold_text: &str) -> bool {
    let Some(at) = gold_text.find(anchor) else {
        return false;
    };
    let not_space = |c: &char| !c.is_whitespace() && *c != '\u{3000}';
    let want: Vec<char> = gold_text[at + anchor.len()..]
        .chars()
        .filter(not_space)
        .take(AGREEING_CHARS)
        .collect();
    !want.is_empty()
        && after
            .chars()
            .filter(not_space)
            .take(want.len())
            .eq(want.iter().copied())
}

/// Page furniture an evaluated task must not consist of: site chrome,
/// document-sharing boilerplate, metadata blocks, file and page lines, spam.
/// Kept apart from the cleaning stage's own rules so that the figure is not
/// the cleaner marking its own homework: words and a few line shapes,
/// written without the cleaner's lists. Words that plan text also uses
/// (举报, 侵权, 版权, 客服, 二维码, 棋牌) only in the forms furniture gives them.
const FURNITURE: &[&str] = &[
    // Government-site metadata and chrome.
    "索引号",
    "发布机构",
    "发文机关",
    "发布日期",
    "发布时间",
    "發布時間",
    "发布于",
    "成文日期",
    "主题分类",
    "体裁分类",
    "公开方式",
    "浏览次数",
    "瀏覽次數",
    "访问量",
    "无障碍",
    "关怀版",
    "我的收藏",
    "打印本页",
    "关闭窗口",
    "扫一扫",
    "分享到",
    "当前位置",
    "當前位置",
    "您的位置",
    "现在位置",
    "首页>",
    "首頁>",
    "网站地图",
    "版权所有",
    "ICP备",
    "字号",
    "【打印】",
    "【关闭】",
    "上一篇",
    "下一篇",
    "相关阅读",
    "欢迎访问",
    "欢迎来到",
    "作者:",
    "作者：",
    // Document-sharing sites: metadata, prompts, boilerplate.
    "上传人",
    "上传时间",
    "文档编号",
    "文件大小",
    "总页数",
    "总字数",
    "千字",
    "KB",
    "VIP专",
    "举报非法",
    "相关举报",
    "侵权投诉",
    "如有侵权",
    "侵犯您的",
    "版权说明",
    "版权声明",
    "版权归",
    "版权争议",
    "联系客服",
    "人工客服",
    "网站客服",
    "在线客服",
    "退款",
    "下载文档",
    "下载本文",
    "下载此文档",
    "下载该文档",
    "自行甄别",
    "文档页数",
    "文档简介",
    "文档摘要",
    "资源描述",
    "相关推荐",
    "预览",
    "订单查询",
    "手机查看",
    "手机端",
    "手机扫描二维码",
    "点击",
    "已阅读",
    ".doc",
    "_第",
    "word",
    "由会员",
    "用户上传",
    "网友上传",
    "小编",
    "小編",
    "收藏本站",
    "本站所有",
    "本站提供",
    "本站不",
    "范文",
    "範文",
    "(精选",
    "（精选",
    "(精選",
    "精选优质",
    "精心整理",
    "仅供参考",
    "僅供參考",
    "欢迎阅读",
    "歡迎閱讀",
    "欢迎大家",
    "倾情为你奉上",
    "原创力文档",
    "豆丁",
    "文库",
    "文庫",
    // Spam and markup.
    "id=\"",
    "</",
    "人妻",
    "无码",
    "365bet",
    "www.",
    "http",
    "Copyright",
    "免费试听",
    "QQ:",
    "QQ：",
];

/// Whole lines that are furniture.
const FURNITURE_LINES: &[&str] = &[
    "正文",
    "栏目",
    "举报",
    "海报",
    "分享",
    "收藏",
    "PAGE",
    "政府信息公开",
];

/// Labels of a metadata line (`时间:2020-01-01`, `作者:admin`).
const FURNITURE_LABELS: &[&str] = &[
    "时间", "時間", "作者", "来源", "來源", "标签", "栏目", "大小", "页数", "格式", "ID",
];

/// Whether a line of a task is furniture by its shape: a bare furniture
/// word, a metadata label, or a date and time alone (`2020-01-01 12:00`).
fn is_furniture_line(line: &str) -> bool {
    let labelled = || {
        FURNITURE_LABELS.iter().any(|l| {
            line.strip_prefix(l)
                .is_some_and(|rest| rest.starts_with([':', '：', '|']))
        })
    };
    let date = || {
        line.chars().filter(char::is_ascii_digit).count() >= 6
            && line
                .chars()
                .all(|c| c.is_ascii_digit() || matches!(c, '-' | '/' | ':' | '.' | ' '))
    };
    FURNITURE_LINES.contains(&line) || labelled() || date()
}

/// Whether a task that holds no gold unit looks like page furniture: one
/// furniture word or line in a short task or several anywhere, or no
/// Chinese character at all (`1.`, `8.5 KB`, a number).
pub fn is_furniture(text: &str) -> bool {
    let text = text.trim();
    if text.is_empty() {
        return false;
    }
    let words = FURNITURE.iter().filter(|f| text.contains(*f)).count();
    let lines = text
        .lines()
        .map(str::trim)
        .filter(|l| is_furniture_line(l))
        .count();
    let hits = words + lines;
    let short = text.chars().count() < 40;
    let no_chinese = !text.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c));
    hits >= 2 || (hits == 1 && short) || (short && no_chinese)
}

/// Label set plus a predicted label per unit, for the figures below.
#[derive(Debug, Clone, Serialize)]
pub struct UnitResult {
    pub doc: String,
    pub id: String,
    pub anchor: String,
    pub gold: String,
    pub accept: Vec<String>,
    pub gold_kind: String,
    pub placement: Placement,
    /// Id of the predicted task that holds the unit.
    pub task_id: Option<String>,
    pub task_kind: Option<Kind>,
    pub predicted: Option<String>,
    pub second: Option<String>,
    pub confidence: Option<f64>,
    pub flagged: bool,
    /// Secondary labels given to the unit's task.
    pub secondary: Vec<String>,
}

impl UnitResult {
    pub fn strict(&self) -> bool {
        self.predicted.as_deref() == Some(self.gold.as_str())
    }
    pub fn lenient(&self) -> bool {
        self.predicted
            .as_ref()
            .is_some_and(|p| *p == self.gold || self.accept.contains(p))
    }
    pub fn top2(&self) -> bool {
        self.strict() || self.second.as_deref() == Some(self.gold.as_str())
    }
}

/// Segmentation figures of one document.
#[derive(Debug, Clone, Serialize)]
pub struct DocResult {
    pub doc: String,
    pub title: Option<String>,
    pub units: usize,
    pub own: usize,
    pub merged: usize,
    pub missing: usize,
    /// Predicted tasks (notice included).
    pub tasks: usize,
    /// Tasks that hold no gold unit and look like page furniture.
    pub furniture_tasks: Vec<String>,
    pub warnings: Vec<String>,
}

/// Precision, recall and F1 of one label.
#[derive(Debug, Clone, Serialize)]
pub struct LabelScore {
    pub label: String,
    pub support: usize,
    pub predicted: usize,
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
}

/// One bin of the reliability table.
#[derive(Debug, Clone, Serialize)]
pub struct ReliabilityBin {
    pub from: f64,
    pub to: f64,
    pub count: usize,
    pub mean_confidence: f64,
    pub accuracy: f64,
}

/// The whole evaluation.
#[derive(Debug, Clone, Serialize)]
pub struct EvalReport {
    pub documents: usize,
    pub failed_documents: Vec<String>,
    pub units: usize,
    pub own: usize,
    pub merged: usize,
    pub missing: usize,
    pub tasks: usize,
    pub furniture_tasks: usize,
    pub titles_found: usize,
    /// Units whose task has the gold kind (task, preamble, review).
    pub kind_agree: usize,
    pub strict: f64,
    pub lenient: f64,
    pub top2: f64,
    pub macro_f1: f64,
    pub per_label: Vec<LabelScore>,
    /// (gold, predicted, count), most frequent first.
    pub confusions: Vec<(String, String, usize)>,
    /// ECE over the units with a prediction, strict correctness, 10 bins.
    pub ece: f64,
    pub reliability: Vec<ReliabilityBin>,
    /// Share of matched units flagged low-confidence.
    pub flagged_units: f64,
    /// Share of all labelled tasks (notice excluded) flagged.
    pub flagged_tasks: f64,
    /// Share of strict errors among matched units that the flag catches.
    pub errors_caught: f64,
    /// Secondary labels given to units' tasks, and the share of them that
    /// are the gold label or one of its `accept` labels.
    pub secondary_given: usize,
    pub secondary_precision: f64,
    /// Units with `accept` labels whose task got one of them as secondary.
    pub secondary_recall: f64,
    pub per_document: Vec<DocResult>,
    pub per_unit: Vec<UnitResult>,
}

/// A baseline scored in place of the model, on the model's own tasks.
#[derive(Debug, Clone)]
pub enum Baseline {
    /// Always the most frequent label of the model's training data.
    Majority,
    /// The label whose lexicon terms occur most often in the task.
    Lexicon(Vec<crate::data::Label>),
}

impl Baseline {
    fn predict(&self, classifier: &Classifier, title: &str, text: &str) -> Prediction {
        let labels = &classifier.model.taxonomy;
        let id = match self {
            Baseline::Majority => classifier
                .model
                .training
                .label_counts
                .iter()
                .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)))
                .map(|(l, _)| l.clone())
                .unwrap_or_default(),
            Baseline::Lexicon(lexicon) => {
                let i = crate::train::lexicon_match(&format!("{title}{text}"), lexicon);
                lexicon[i].id.clone()
            }
        };
        let name = labels
            .iter()
            .find(|l| l.id == id)
            .map(|l| l.zh.clone())
            .unwrap_or_default();
        Prediction {
            label: id.clone(),
            label_name: name,
            confidence: 1.0,
            top: vec![Candidate { label: id, p: 1.0 }],
            low_confidence: false,
            secondary: Vec::new(),
            explain: None,
        }
    }
}

/// Tags every document named by the gold units (read from `docs`) and
/// scores the result. A document that cannot be read leaves its units
/// missing and is listed in `failed_documents`.
pub fn evaluate(
    classifier: &Classifier,
    gold: &[GoldUnit],
    docs: &Path,
    opts: &TagOptions,
    baseline: Option<&Baseline>,
) -> EvalReport {
    let order = units_by_doc(gold);
    use rayon::prelude::*;
    let per_doc: Vec<(DocResult, Vec<UnitResult>, usize, usize, bool)> = order
        .par_iter()
        .map(|(name, units)| evaluate_doc(classifier, name, units, docs, opts, baseline))
        .collect();

    let mut report = EvalReport {
        documents: per_doc.len(),
        failed_documents: Vec::new(),
        units: 0,
        own: 0,
        merged: 0,
        missing: 0,
        tasks: 0,
        furniture_tasks: 0,
        titles_found: 0,
        kind_agree: 0,
        strict: 0.0,
        lenient: 0.0,
        top2: 0.0,
        macro_f1: 0.0,
        per_label: Vec::new(),
        confusions: Vec::new(),
        ece: 0.0,
        reliability: Vec::new(),
        flagged_units: 0.0,
        flagged_tasks: 0.0,
        errors_caught: 0.0,
        secondary_given: 0,
        secondary_precision: 0.0,
        secondary_recall: 0.0,
        per_document: Vec::new(),
        per_unit: Vec::new(),
    };
    let mut labelled_tasks = 0;
    let mut flagged_tasks = 0;
    for (doc, units, n_labelled, n_flagged, failed) in per_doc {
        if failed {
            report.failed_documents.push(doc.doc.clone());
        }
        report.units += doc.units;
        report.own += doc.own;
        report.merged += doc.merged;
        report.missing += doc.missing;
        report.tasks += doc.tasks;
        report.furniture_tasks += doc.furniture_tasks.len();
        report.titles_found += usize::from(doc.title.is_some());
        labelled_tasks += n_labelled;
        flagged_tasks += n_flagged;
        report.per_document.push(doc);
        report.per_unit.extend(units);
    }
    score_labels(&mut report);
    report.flagged_tasks = ratio(flagged_tasks, labelled_tasks);
    report
}

/// One document tagged from its raw file as `plan-tag` tags it, with its
/// gold units matched to its tasks (in the units' order).
pub struct MatchedDoc {
    /// The decoded text the task offsets point into.
    pub text: String,
    pub tagged: Tagged,
    pub matches: Vec<UnitMatch>,
}

/// Reads `docs/name`, tags it and matches `units` (all of that document,
/// in file order) to its tasks; `None` when the file cannot be read.
pub fn tag_and_match(
    classifier: &Classifier,
    name: &str,
    units: &[&GoldUnit],
    docs: &Path,
    opts: &TagOptions,
) -> Option<MatchedDoc> {
    let d = input::read_source(&input::Source::File(docs.join(name))).ok()?;
    let seg = segment::segment(name, &d.text);
    let tagged = tag_segmented(classifier, seg, opts);
    let pairs: Vec<(&str, &str)> = units
        .iter()
        .map(|u| (u.anchor.as_str(), u.text.as_str()))
        .collect();
    let spans: Vec<(usize, usize)> = tagged.tasks.iter().map(|t| (t.start, t.end)).collect();
    let matches = match_units(&d.text, &pairs, &spans);
    Some(MatchedDoc {
        text: d.text,
        tagged,
        matches,
    })
}

/// Gold units grouped by document: documents in first-seen order, units
/// in file order within each.
pub fn units_by_doc(gold: &[GoldUnit]) -> Vec<(&str, Vec<&GoldUnit>)> {
    let mut order: Vec<(&str, Vec<&GoldUnit>)> = Vec::new();
    let mut at: HashMap<&str, usize> = HashMap::new();
    for unit in gold {
        let i = *at.entry(unit.doc.as_str()).or_insert_with(|| {
            order.push((unit.doc.as_str(), Vec::new()));
            order.len() - 1
        });
        order[i].1.push(unit);
    }
    order
}

/// Tags one document and matches its gold units. Returns the document's
/// figures, its units, its labelled and flagged task counts, and whether
/// it failed to load.
fn evaluate_doc(
    classifier: &Classifier,
    name: &str,
    units: &[&GoldUnit],
    docs: &Path,
    opts: &TagOptions,
    baseline: Option<&Baseline>,
) -> (DocResult, Vec<UnitResult>, usize, usize, bool) {
    let (tagged, matches, failed) = match tag_and_match(classifier, name, units, docs, opts) {
        Some(MatchedDoc {
            mut tagged,
            matches,
            ..
        }) => {
            if let Some(b) = baseline {
                for (t, p) in tagged.tasks.iter().zip(tagged.predictions.iter_mut()) {
                    if t.kind != Kind::Notice {
                        *p = b.predict(classifier, &t.title, &t.text);
                    }
                }
            }
            (tagged, matches, false)
        }
        None => {
            let spans: Vec<(usize, usize)> = Vec::new();
            let pairs: Vec<(&str, &str)> = units
                .iter()
                .map(|u| (u.anchor.as_str(), u.text.as_str()))
                .collect();
            (
                Tagged {
                    doc: name.to_string(),
                    title: None,
                    warnings: Vec::new(),
                    tasks: Vec::new(),
                    predictions: Vec::new(),
                    candidate_words: Vec::new(),
                },
                match_units("", &pairs, &spans),
                true,
            )
        }
    };
    let held: Vec<bool> = (0..tagged.tasks.len())
        .map(|i| matches.iter().any(|m| m.task == Some(i)))
        .collect();
    let furniture_tasks: Vec<String> = tagged
        .tasks
        .iter()
        .zip(&held)
        .filter(|(t, &h)| !h && is_furniture(&format!("{}\n{}", t.title, t.text)))
        .map(|(t, _)| t.id.clone())
        .collect();
    let count = |p: Placement| matches.iter().filter(|m| m.placement == p).count();
    let labelled: Vec<usize> = (0..tagged.tasks.len())
        .filter(|&i| tagged.tasks[i].kind != Kind::Notice)
        .collect();
    let n_flagged = labelled
        .iter()
        .filter(|&&i| tagged.predictions[i].low_confidence)
        .count();
    let results = units
        .iter()
        .zip(&matches)
        .map(|(u, m)| {
            let pred = m.task.map(|t| (&tagged.tasks[t], &tagged.predictions[t]));
            UnitResult {
                doc: u.doc.clone(),
                id: u.id.clone(),
                anchor: u.anchor.clone(),
                gold: u.label.clone(),
                accept: u.accept.clone(),
                gold_kind: u.kind.clone(),
                placement: m.placement,
                task_id: pred.map(|(t, _)| t.id.clone()),
                task_kind: pred.map(|(t, _)| t.kind),
                predicted: pred.map(|(_, p)| p.label.clone()),
                second: pred.and_then(|(_, p)| p.top.get(1).map(|c| c.label.clone())),
                confidence: pred.map(|(_, p)| p.confidence),
                flagged: pred.is_some_and(|(_, p)| p.low_confidence),
                secondary: pred.map(|(_, p)| p.secondary.clone()).unwrap_or_default(),
            }
        })
        .collect();
    let doc = DocResult {
        doc: name.to_string(),
        title: tagged.title.clone(),
        units: units.len(),
        own: count(Placement::Own),
        merged: count(Placement::Merged),
        missing: count(Placement::Missing),
        tasks: tagged.tasks.len(),
        furniture_tasks,
        warnings: tagged.warnings.clone(),
    };
    (doc, results, labelled.len(), n_flagged, failed)
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        0.0
    } else {
        a as f64 / b as f64
    }
}

/// Fills the label figures from the per-unit results.
fn score_labels(report: &mut EvalReport) {
    let units = &report.per_unit;
    let n = units.len();
    report.strict = ratio(units.iter().filter(|u| u.strict()).count(), n);
    report.lenient = ratio(units.iter().filter(|u| u.lenient()).count(), n);
    report.top2 = ratio(units.iter().filter(|u| u.top2()).count(), n);
    report.kind_agree = units
        .iter()
        .filter(|u| u.task_kind.is_some_and(|k| k.as_str() == u.gold_kind))
        .count();

    let mut labels: BTreeMap<&str, (usize, usize, usize)> = BTreeMap::new(); // support, predicted, hits
    let mut confusions: HashMap<(&str, &str), usize> = HashMap::new();
    for u in units {
        labels.entry(&u.gold).or_default().0 += 1;
        if let Some(p) = &u.predicted {
            labels.entry(p).or_default().1 += 1;
            if u.strict() {
                labels.entry(&u.gold).or_default().2 += 1;
            } else {
                *confusions.entry((&u.gold, p)).or_default() += 1;
            }
        }
    }
    report.per_label = labels
        .iter()
        .map(|(label, &(support, predicted, hits))| {
            let precision = ratio(hits, predicted);
            let recall = ratio(hits, support);
            let f1 = if precision + recall > 0.0 {
                2.0 * precision * recall / (precision + recall)
            } else {
                0.0
            };
            LabelScore {
                label: label.to_string(),
                support,
                predicted,
                precision,
                recall,
                f1,
            }
        })
        .collect();
    report.macro_f1 = if report.per_label.is_empty() {
        0.0
    } else {
        report.per_label.iter().map(|l| l.f1).sum::<f64>() / report.per_label.len() as f64
    };
    let mut confusions: Vec<(String, String, usize)> = confusions
        .into_iter()
        .map(|((g, p), c)| (g.to_string(), p.to_string(), c))
        .collect();
    confusions.sort_by(|a, b| b.2.cmp(&a.2).then_with(|| (&a.0, &a.1).cmp(&(&b.0, &b.1))));
    report.confusions = confusions;

    let scored: Vec<&UnitResult> = units.iter().filter(|u| u.confidence.is_some()).collect();
    let confidence: Vec<f64> = scored.iter().map(|u| u.confidence.unwrap_or(0.0)).collect();
    let correct: Vec<bool> = scored.iter().map(|u| u.strict()).collect();
    report.ece = expected_calibration_error(&confidence, &correct, 10);
    report.reliability = (0..10)
        .map(|b| {
            let from = b as f64 / 10.0;
            let to = (b + 1) as f64 / 10.0;
            let in_bin: Vec<usize> = (0..confidence.len())
                .filter(|&i| ((confidence[i] * 10.0) as usize).min(9) == b)
                .collect();
            let count = in_bin.len();
            ReliabilityBin {
                from,
                to,
                count,
                mean_confidence: if count == 0 {
                    0.0
                } else {
                    in_bin.iter().map(|&i| confidence[i]).sum::<f64>() / count as f64
                },
                accuracy: ratio(in_bin.iter().filter(|&&i| correct[i]).count(), count),
            }
        })
        .collect();
    let flagged = scored.iter().filter(|u| u.flagged).count();
    report.flagged_units = ratio(flagged, scored.len());
    let errors = scored.iter().filter(|u| !u.strict()).count();
    let caught = scored.iter().filter(|u| !u.strict() && u.flagged).count();
    report.errors_caught = ratio(caught, errors);
    let mut given = 0;
    let mut right = 0;
    for u in units {
        for s in &u.secondary {
            given += 1;
            right += usize::from(*s == u.gold || u.accept.contains(s));
        }
    }
    report.secondary_given = given;
    report.secondary_precision = ratio(right, given);
    let with_accept: Vec<&UnitResult> = units.iter().filter(|u| !u.accept.is_empty()).collect();
    report.secondary_recall = ratio(
        with_accept
            .iter()
            .filter(|u| u.secondary.iter().any(|s| u.accept.contains(s)))
            .count(),
        with_accept.len(),
    );
}

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

#[cfg(test)]
mod tests {
    use super::*;

    fn bare(anchors: &[&'static str]) -> Vec<(&'static str, &'static str)> {
        anchors.iter().map(|a| (*a, "")).collect()
    }

    fn placements(
        text: &str,
        anchors: &[&'static str],
        spans: &[(usize, usize)],
    ) -> Vec<Placement> {
        match_units(text, &bare(anchors), spans)
            .iter()
            .map(|m| m.placement)
            .collect()
    }

    #[test]
    fn a_teaser_before_the_previous_unit_is_skipped() {
        // A teaser names the second unit before the first unit's anchor.
        let text = "摘要：乙任务\n一、甲任务做好。\n二、乙任务做好。";
        let first = text.find("一、").unwrap();
        let second = text.find("二、").unwrap();
        let spans = [(0, first), (first, second), (second, text.len())];
        let m = match_units(text, &bare(&["甲任务", "乙任务"]), &spans);
        assert_eq!(m[0].task, Some(1));
        assert_eq!(m[1].task, Some(2));
        assert_eq!(m[1].offset, Some(second + "二、".len()));
        assert_eq!(m[0].placement, Placement::Own);
        assert_eq!(m[1].placement, Placement::Own);
    }

    #[test]
    fn the_occurrence_that_goes_on_like_the_gold_text_is_taken() {
        // `重点` occurs inside the first unit before its own heading.
        let text = "一、加强重点人群管理。\n二、重点\n做好项目。";
        let second = text.find("二、").unwrap();
        let spans = [(0, second), (second, text.len())];
        let units = [("加强", "加强重点人群管理。"), ("重点", "重点做好项目。")];
        let m = match_units(text, &units, &spans);
        assert_eq!(m[1].task, Some(1));
        assert_eq!(m[1].placement, Placement::Own);
        // Without the gold text, the first occurrence is taken.
        let m = match_units(text, &bare(&["加强", "重点"]), &spans);
        assert_eq!(m[1].task, Some(0));
    }

    #[test]
    fn units_sharing_a_task_are_merged_and_unheld_ones_missing() {
        let text = "一、甲任务。乙任务。\n二、丙任务。";
        let second = text.find("二、").unwrap();
        // One task holds 甲 and 乙; 丙 is outside every span.
        let spans = [(0, second)];
        assert_eq!(
            placements(text, &["甲任务", "乙任务", "丙任务"], &spans),
            vec![Placement::Merged, Placement::Merged, Placement::Missing]
        );
    }

    #[test]
    fn an_anchor_not_in_the_text_is_missing_and_does_not_move_the_cursor() {
        let text = "一、甲任务。\n二、乙任务。";
        let second = text.find("二、").unwrap();
        let spans = [(0, second), (second, text.len())];
        assert_eq!(
            placements(text, &["甲任务", "不存在", "乙任务"], &spans),
            vec![Placement::Own, Placement::Missing, Placement::Own]
        );
    }

    #[test]
    fn an_anchor_before_the_previous_one_is_missing() {
        // Order matters: 甲 was already passed when 乙 is matched after it.
        let text = "一、甲任务。\n二、乙任务。";
        let second = text.find("二、").unwrap();
        let spans = [(0, second), (second, text.len())];
        assert_eq!(
            placements(text, &["乙任务", "甲任务"], &spans),
            vec![Placement::Own, Placement::Missing]
        );
    }

    #[test]
    fn furniture_is_short_chrome_or_many_chrome_words() {
        assert!(is_furniture("索引号：123 发布日期：2020-01-01"));
        assert!(!is_furniture(
            "加强基层医疗卫生服务能力建设，推进家庭医生签约服务，在长句子里提到字号一词的任务仍然是任务而不是页面装饰文字。"
        ));
    }

    #[test]
    fn furniture_of_sharing_sites_metadata_and_spam_is_caught() {
        for t in [
            "时间:2021-03-04 10:20:30\n作者:admin",
            "時間:2021-03-04",
            "上传人:ab**文档编号:1234 格式:DOCX",
            "正文\n正文",
            "栏目\n某某单位年度工作总结",
            "约3.2千字\n约8页\n2021-01-02发布于某省\n举报",
            "某某工作计划方案_第2页\n某某工作计划方案_第3页",
            "下面是小编为大家整理的某某工作计划，仅供参考，欢迎阅读。",
            "如有侵权请联系客服处理，本站不保证内容完整。",
            "<div id=\"ab\"><span id=\"ab\"></span></div>",
            "网站客服QQ:12345678",
            "2021-03-04 10:20",
            "8.56 KB",
            "1.",
            "某某网 www.example.cn",
            "用手机扫描二维码在手机上继续观看\n手机查看",
            "→点击进入免费试听>>",
        ] {
            assert!(is_furniture(t), "{t}");
        }
    }

    #[test]
    fn plan_text_is_not_furniture() {
        for t in [
            "建立健全举报制度，鼓励社会公众参与监督。",
            "严厉打击侵权假冒行为，保障群众用药安全。",
            "推广使用电子健康码二维码，方便群众就医。",
            "开通微信公众号和政府网站专栏，宣传健康知识。",
            "持之以恒、久久为功，推进健康城市建设。",
            "暂停棋牌室、网吧等人员密集场所营业。",
            "时间安排：2021年3月至12月",
            "(一)加强组织领导",
            "三、工作要求",
            "",
        ] {
            assert!(!is_furniture(t), "{t}");
        }
    }
}
