//! The kind of a chapter (task, preamble, review) from its title.

use super::Kind;

/// The kind of a top-level chapter, from its title.
pub(super) fn chapter_kind(title: &str, key: &str, is_summary: bool) -> Kind {
    const REVIEW: &[&str] = &[
        "工作情况",
        "工作回顾",
        "回顾",
        "主要成效",
        "工作成效",
        "开展情况",
        "完成情况",
        "主要成绩",
        "取得的成绩",
        "工作总结",
        "进展情况",
        "发展成效",
        "改革发展成效",
    ];
    const PLANNING: &[&str] = &["下一步", "思路", "计划", "打算", "安排", "重点任务", "明年"];
    if key == "结语" {
        return Kind::Preamble;
    }
    // Titles are short and the words many: a plain scan is cheaper than
    // building a substring searcher per word.
    let has = |words: &[&str]| {
        let t = title.as_bytes();
        words
            .iter()
            .any(|w| t.windows(w.len()).any(|win| win == w.as_bytes()))
    };
    // Framing chapters (指导思想, 总体要求, 主要目标) are tasks of the plan
    // like any other: a plan's preamble is only the text before its first
    // heading (and a speech's closing words).
    if has(REVIEW) || (is_summary && !has(PLANNING)) {
        Kind::Review
    } else {
        Kind::Task
    }
}
