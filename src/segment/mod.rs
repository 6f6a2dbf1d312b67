//! Segmentation stage: clean paragraphs become a tree of outline items whose
//! leaves are the plan's tasks. The stages, one file each: [`markers`]
//! (outline markers and run-in headings), [`front`] (title and cover
//! letter), [`title`] (what a title line looks like), [`tree`] (levels ranked into an outline), [`emit`] (leaves into
//! tasks), [`inline`] (markers running on inside a line), [`enumeration`] (`一是…二是…` inside a paragraph), [`kinds`]
//! (task, preamble or review, from the chapter).

mod emit;
mod enumeration;
mod front;
mod inline;
mod kinds;
mod markers;
mod title;
mod tree;

use serde::{Deserialize, Serialize};

use crate::clean;
use emit::Emitter;
use markers::marker_at_start;
use tree::{Span, TreeBuilder};

/// What a leaf of the outline is, so the tagger can treat parts differently.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Hash)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// A task of the plan.
    Task,
    /// Framing text: general requirements before the first heading, a
    /// chapter's introduction, a closing paragraph.
    Preamble,
    /// The cover letter (印发通知) that wraps the plan.
    Notice,
    /// Looking back at past work (工作总结, last year's review).
    Review,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Task => "task",
            Kind::Preamble => "preamble",
            Kind::Notice => "notice",
            Kind::Review => "review",
        }
    }
}

/// One leaf of the outline.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Task {
    /// Document name (the path as given).
    pub doc: String,
    /// Stable id: the outline path, e.g. `五/（十四）` or `七/（三）/61`.
    pub id: String,
    pub kind: Kind,
    /// Titles of the ancestors, outermost first.
    pub path: Vec<String>,
    /// The task's own heading (a run-in heading or heading line); may be empty.
    pub title: String,
    /// Clean text of the task body (the title alone when there is no body).
    pub text: String,
    /// Byte offsets of the task in the decoded text.
    pub start: usize,
    pub end: usize,
    /// Line span (1-based, inclusive) in the decoded text.
    pub line_start: usize,
    pub line_end: usize,
}

/// A segmented document.
#[derive(Debug, Clone)]
pub struct Segmented {
    pub doc: String,
    /// The plan's title, when one was found.
    pub title: Option<String>,
    pub tasks: Vec<Task>,
    /// Things the user should know (e.g. no outline numbering found).
    pub warnings: Vec<String>,
}

/// Segments a decoded document into tasks.
pub fn segment(doc: &str, text: &str) -> Segmented {
    let (lines, furniture, front) = front::front_matter(inline::split_lines(
        front::cut_at_quoted_title(clean::lines(text)),
    ));
    let paras = clean::paragraphs(
        &lines,
        &furniture,
        |l| {
            l.opens_with_marker
                .unwrap_or_else(|| marker_at_start(l.content).is_some())
        },
        |i| Some(i) == front.title_line || front.dropped.contains(&i),
    );
    // The paragraphs hold the text from here on; a long plan need not be
    // held three times.
    drop(lines);
    // Map line indices of the front matter to paragraphs.
    let para_of_line = |line_idx: usize| {
        paras
            .iter()
            .position(|p| p.pieces.iter().any(|pc| pc.index == line_idx))
    };
    let title_para = front.title_line.and_then(para_of_line);
    let dropped: Vec<usize> = front
        .dropped
        .iter()
        .filter_map(|&i| para_of_line(i))
        .collect();
    let notice_end = front
        .notice_end_line
        .and_then(|end| paras.iter().position(|p| p.pieces[0].index > end));

    let title = front.title.clone();
    let is_summary = title
        .as_deref()
        .is_some_and(|t| t.contains("总结") || t.contains("總結"));

    let mut builder = TreeBuilder::with_capacity(paras.len());
    let mut notice = Vec::new();
    for (i, para) in paras.iter().enumerate() {
        if Some(i) == title_para || dropped.contains(&i) {
            continue;
        }
        if notice_end.map(|end| i < end).unwrap_or(false) {
            notice.push(Span {
                para: i,
                start: 0,
                end: para.text.len(),
            });
            continue;
        }
        builder.add(i, &para.text, paras.get(i + 1).map(|p| p.text.as_str()));
    }

    let mut out = Segmented {
        doc: doc.to_string(),
        title,
        tasks: Vec::new(),
        warnings: Vec::new(),
    };
    let emit = Emitter {
        doc,
        source: text,
        paras: &paras,
    };
    if !notice.is_empty() {
        out.tasks
            .push(emit.task("通知", Kind::Notice, &[], "", &notice));
    }
    let nodes = builder.nodes;
    if nodes[0].children.is_empty() {
        // No outline numbering at all: every paragraph is a task.
        if !nodes[0].body.is_empty() {
            out.warnings
                .push("no outline numbering found; each paragraph is taken as a task".to_string());
        }
        for (n, span) in nodes[0].body.iter().enumerate() {
            let id = format!("¶{}", n + 1);
            out.tasks
                .push(emit.task(&id, Kind::Task, &[], "", std::slice::from_ref(span)));
        }
        return out;
    }
    emit.walk(&nodes, is_summary, &mut out.tasks);
    out
}

#[cfg(test)]
mod tests {
    use super::markers::*;
    use super::*;

    /// [`split_title`] as defined, one character at a time.
    fn split_title_by_chars(rest: &str) -> (usize, usize) {
        for (i, c) in rest.char_indices() {
            if matches!(c, '。' | '：' | ':' | '！') {
                let title = &rest[..i];
                let chars = title.chars().count();
                if chars == 0 || chars > MAX_TITLE_CHARS || has_clause_break(title) {
                    return (0, 0);
                }
                let body = i + c.len_utf8();
                return (i, body + skip_spaces(&rest[body..]));
            }
            if i > MAX_TITLE_CHARS * 4 {
                break;
            }
        }
        whole_heading_line(rest)
    }

    proptest::proptest! {
        /// The byte search finds the heading end the character scan finds,
        /// around the reach limit too (one- to four-byte characters).
        #[test]
        fn split_title_matches_its_definition(
            rest in "[a:。：！，、（）ｆ工作健康\u{3000}\u{20000} ]{0,140}",
        ) {
            proptest::prop_assert_eq!(split_title(&rest), split_title_by_chars(&rest));
        }

        /// A first terminator near the reach limit.
        #[test]
        fn split_title_matches_its_definition_at_the_reach(
            head in "[a工\u{20000}é]{25,70}",
            end in "[:。：！]",
            tail in "[a。工]{0,3}",
        ) {
            let rest = [head, end, tail].concat();
            proptest::prop_assert_eq!(split_title(&rest), split_title_by_chars(&rest));
        }
    }

    #[test]
    fn a_heading_run_into_a_year_ends_before_it() {
        let rest = "过去一年工作情况2017年，在市委领导下";
        let at = rest.find("2017").unwrap();
        assert_eq!(split_title(rest), (at, at));
        // A year the heading opens with is the heading's own.
        let rest = "2018年工作总体部署2019年，全面推进各项工作";
        let at = rest.find("2019").unwrap();
        assert_eq!(split_title(rest), (at, at));
        // Digits before it: a number, not a year.
        assert_eq!(split_title("工作情况共计12017年，在市委领导下"), (0, 0));
        // Too short to hold a heading and a year.
        for rest in ["20，", "2019，", "20年，", "工作2019年，"] {
            assert_eq!(split_title(rest), (0, 0), "{rest}");
        }
    }

    fn m(s: &str) -> Option<(Style, String)> {
        parse_marker(s, true).map(|m| (m.style, m.key))
    }

    #[test]
    fn markers_in_both_widths() {
        assert_eq!(m("一、总体要求"), Some((Style::CnTop, "一".into())));
        assert_eq!(m("（十四）提升"), Some((Style::ParenCn, "（十四）".into())));
        assert_eq!(m("(十四)提升"), Some((Style::ParenCn, "（十四）".into())));
        assert_eq!(m("（3）做好"), Some((Style::ParenArabic, "（3）".into())));
        assert_eq!(m("61.继续"), Some((Style::Arabic, "61".into())));
        assert_eq!(m("1、继续"), Some((Style::Arabic, "1".into())));
        assert_eq!(m("1．继续"), Some((Style::Arabic, "1".into())));
        assert_eq!(m("第三章 保障"), Some((Style::Chapter, "第三章".into())));
        assert_eq!(m("②加强"), Some((Style::Circled, "②".into())));
        assert_eq!(m("二是抓好"), Some((Style::Shi, "二是".into())));
        assert_eq!(m("1.5万人"), None);
        assert_eq!(m("2019年工作"), None);
        assert_eq!(m("(注)"), None);
    }

    #[test]
    fn run_in_heading_is_split() {
        let s = segment("t", "一、党建\n（一）全面落实党建责任。贯彻落实精神。\n（二）第二项,有逗号的一句话很长。后文。");
        assert_eq!(s.tasks.len(), 2);
        assert_eq!(s.tasks[0].id, "一/（一）");
        assert_eq!(s.tasks[0].title, "全面落实党建责任");
        assert_eq!(s.tasks[0].text, "贯彻落实精神。");
        assert_eq!(s.tasks[0].path, vec!["党建".to_string()]);
        assert_eq!(s.tasks[1].title, "");
    }

    #[test]
    fn repeated_keys_among_many_items_stay_apart() {
        // More items than the scan handles, so the map counts repeats.
        let mut text = String::from("一、总体\n");
        for n in [
            1, 2, 3, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 3,
        ] {
            text.push_str(&format!("{n}.第{n}项。\n"));
        }
        let s = segment("t", &text);
        let ids: Vec<&str> = s.tasks.iter().map(|t| t.id.as_str()).collect();
        assert_eq!(ids.len(), 19);
        assert_eq!(&ids[2..4], ["一/3", "一/3-2"]);
        assert_eq!(ids[18], "一/3-3");
    }

    #[test]
    fn levels_follow_first_appearance_and_duplicates_stay_apart() {
        let text = "一、甲\n（一）乙\n1.第一项。\n2.第二项。\n（三）丙\n3.第三项。\n（三）丁:独立一项。\n（四）戊\n4.第四项。\n二、己\n（一）庚。内容。";
        let s = segment("t", text);
        let ids: Vec<&str> = s.tasks.iter().map(|t| t.id.as_str()).collect();
        assert_eq!(
            ids,
            [
                "一/（一）/1",
                "一/（一）/2",
                "一/（三）/3",
                "一/（三）-2",
                "一/（四）/4",
                "二/（一）"
            ]
        );
    }

    #[test]
    fn shi_enumerations_become_tasks() {
        let text = "一、工作开展情况\n（一）改革。一是提升能力。推进建设。二是改善服务。形成机制。\n二、思路\n一是抓好防控。推进。\n二是抓好改革。一是年薪制。二是支付。";
        let s = segment("t", text);
        let ids: Vec<&str> = s.tasks.iter().map(|t| t.id.as_str()).collect();
        assert_eq!(
            ids,
            [
                "一/（一）/一是",
                "一/（一）/二是",
                "二/一是",
                "二/二是/一是",
                "二/二是/二是"
            ]
        );
        assert_eq!(s.tasks[0].title, "提升能力");
        assert_eq!(s.tasks[0].text, "推进建设。");
        assert_eq!(s.tasks[0].kind, Kind::Review);
        assert_eq!(s.tasks[2].kind, Kind::Task);
    }

    #[test]
    fn site_furniture_becomes_no_task() {
        let text = "位置：首页 > 文档 > 计划\n某某区卫生健康工作计划.docx\n上传人:ab** 文档编号:1234 格式:DOCX\n时间:2021-05-06 10:11:12\n16.5 KB\n约 8页\n2021-05-06 发布\n举报\n下面是小编为大家整理的某某工作计划，仅供参考。\n某某区卫生健康工作计划\n一、加强组织领导\n成立工作领导小组。\n二、强化宣传教育\n开展健康知识宣传。\n4. 网站客服QQ:12345678\n<div id=\"a1\"></div>\n";
        let s = segment("t", text);
        assert_eq!(s.title.as_deref(), Some("某某区卫生健康工作计划"));
        let texts: Vec<String> = s
            .tasks
            .iter()
            .map(|t| format!("{}|{}", t.title, t.text))
            .collect();
        assert_eq!(
            texts,
            [
                "加强组织领导|成立工作领导小组。",
                "强化宣传教育|开展健康知识宣传。"
            ]
        );
    }

    #[test]
    fn no_numbering_falls_back_to_paragraphs() {
        let s = segment("t", "第一段内容。\n第二段内容。");
        assert_eq!(s.tasks.len(), 2);
        assert_eq!(s.tasks[1].id, "¶2");
        assert_eq!(s.warnings.len(), 1);
    }

    #[test]
    fn the_title_is_found_past_furniture_and_cleaned() {
        let text = "首页 > 工作计划\n索引号: 0001\n某县卫生工作计划(通用5篇)\n\
                    某县卫生工作计划 篇1\n为做好今年工作,制定本计划。\n一、目标\n（一）做好甲项。内容。";
        let s = segment("t", text);
        assert_eq!(s.title.as_deref(), Some("某县卫生工作计划"));
        assert!(s.tasks.iter().all(|t| !t.text.contains("某县卫生工作计划")));
    }

    #[test]
    fn a_title_run_into_the_text_is_cut_off() {
        let s = segment(
            "t",
            "某局2030年工作总结各位领导、同志们:一年来,我们做了工作。\n一、成绩\n（一）甲项。内容。",
        );
        assert_eq!(s.title.as_deref(), Some("某局2030年工作总结"));
        assert!(s.tasks[0].text.starts_with("各位领导"));
        assert_eq!(s.tasks[1].kind, Kind::Review);
    }

    #[test]
    fn a_title_over_two_lines_and_a_cover_letter_without_quotes() {
        let s = segment(
            "t",
            "某市办公室关于印发某市某病防治工作方案的通知\n各有关单位:\n现将方案印发给你们,请认真执行。\n\
             2030年1月2日\n某市某病防治工作方案\n(2030—2035年)\n为落实要求,制定本方案。\n一、目标\n（一）甲项。内容。",
        );
        assert_eq!(
            s.title.as_deref(),
            Some("某市某病防治工作方案(2030—2035年)")
        );
        assert!(s.tasks.iter().all(|t| !t.text.contains("2030—2035")));
    }

    #[test]
    fn offsets_point_into_source() {
        let text = "标题工作要点\n\n一、党建\n（一）全面落实党建责任。贯彻落实。";
        let s = segment("t", text);
        let t = &s.tasks[0];
        assert!(text[t.start..t.end].contains("贯彻落实"));
        assert_eq!((t.line_start, t.line_end), (4, 4));
    }
}
