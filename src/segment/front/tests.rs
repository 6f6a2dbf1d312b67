//! Unit tests of the front matter: titles, cover letters, quoted titles.

use super::quoted::matches_ignoring_spaces;
use super::*;

#[test]
fn spaces_are_ignored_in_title_matches() {
    let text = "见《2020 年全 要点》通知。2020年全要点2020年是";
    let m: Vec<(usize, usize)> = matches_ignoring_spaces(text, "2020 年全 要点").collect();
    assert_eq!(m.len(), 2, "{m:?}");
    let lines = cut_at_quoted_title(clean::lines(
        "关于印发《2020 年全 要点》的通知。2020 年全要点2020年是",
    ));
    let pieces: Vec<&str> = lines.iter().map(|l| l.content).collect();
    assert_eq!(
        pieces,
        [
            "关于印发《2020 年全 要点》的通知。",
            "2020 年全要点",
            "2020年是"
        ]
    );
}

fn title(text: &str) -> Option<String> {
    front_matter(clean::lines(text)).2.title
}

#[test]
fn the_last_title_line_before_the_text() {
    assert_eq!(
        title("某站\n卫生工作计划(精选5篇)\n2030年某镇卫生院工作计划\n为做好工作,制定本计划。")
            .as_deref(),
        Some("2030年某镇卫生院工作计划")
    );
    assert_eq!(
        title("为做好工作,制定本方案。\n一、目标\n做好年度工作计划"),
        None
    );
}

#[test]
fn a_table_of_contents_and_a_word_list_are_passed() {
    assert_eq!(
        title("目录\n一、总体要求\n二、主要任务\n(一)甲项,乙项\n某镇卫生工作实施方案\n为做好工作,制定本方案。")
            .as_deref(),
        Some("某镇卫生工作实施方案")
    );
    assert_eq!(
        title("甲乙丙丁,戊己庚辛,壬癸子丑\n某县卫生工作计划\n为做好工作,制定本计划。").as_deref(),
        Some("某县卫生工作计划")
    );
}

#[test]
fn a_cover_letter_is_read_up_to_its_date() {
    assert_eq!(
        title(
            "各有关单位:\n《某县应急预案》已经县政府同意,现予印发,请遵照执行。\n某县人民政府\n\
             2030年1月2日\n某县突发事件应急预案\n1 总则\n为做好应急工作,制定本预案。"
        )
        .as_deref(),
        Some("某县突发事件应急预案")
    );
}

#[test]
fn titles_over_two_or_three_lines() {
    assert_eq!(
        title("某某厅关于促进和规范\n某某发展的指导意见\n各有关单位:\n为做好工作,提出意见。")
            .as_deref(),
        Some("某某厅关于促进和规范某某发展的指导意见")
    );
    assert_eq!(
        title("某地改革完善卫生行业\n综合监管制度的实施方案\n为做好工作,制定本方案。").as_deref(),
        Some("某地改革完善卫生行业综合监管制度的实施方案")
    );
    assert_eq!(
        title("某某行动计划(\n2030-2035\n年)\n为做好工作,制定本计划。").as_deref(),
        Some("某某行动计划(2030-2035年)")
    );
}

#[test]
fn lines_that_are_not_a_title_half_stay_apart() {
    // A title of its own: it names the subject again, or opens with a year.
    assert_eq!(
        title("某社区卫生中心发展纪实\n2030某社区卫生中心工作总结\n一年来,做了工作。").as_deref(),
        Some("2030某社区卫生中心工作总结")
    );
    // A date, a size.
    assert_eq!(
        title("2030年1月2日\n某县卫生工作要点\n为做好工作,制定本要点。").as_deref(),
        Some("某县卫生工作要点")
    );
    assert_eq!(
        title("2030-01-02 15.3KB 12页\n某县卫生工作要点\n为做好工作,制定本要点。").as_deref(),
        Some("某县卫生工作要点")
    );
}

#[test]
fn furniture_between_two_lines_parts_a_headline_from_the_title() {
    let text = "稳步推进某市健康卡建设(3)\n- 2030-01-02 17:43\n- 来源:某某网\n某市卫生信息化工作计划\n(一)工作目标\n做好工作。";
    assert_eq!(title(text).as_deref(), Some("某市卫生信息化工作计划"));
    // The headline is the page's, not a task of the plan.
    let s = crate::segment::segment("plan", text);
    let tasks: Vec<&str> = s.tasks.iter().map(|t| t.text.as_str()).collect();
    assert_eq!(tasks, ["做好工作。"]);
    // Blank lines between the halves of a title do not part them.
    assert_eq!(
        title("某地改革完善卫生行业\n\n综合监管制度的实施方案\n为做好工作,制定本方案。").as_deref(),
        Some("某地改革完善卫生行业综合监管制度的实施方案")
    );
}

#[test]
fn a_file_name_run_into_the_text_gives_the_title() {
    // A long line: a short one with a file name is furniture as a whole.
    let text = "某县创建国家卫生城市实施方案.doc创建,改善人居环境、提升城市整体形象,扎实推进创建工作,\
                根据上级要求和全县创建国家卫生城市工作的总体部署,结合我局工作实际和各科室的职责分工,制定本方案。\n\
                一、指导思想\n做好工作。";
    let (lines, _, front) = front_matter(clean::lines(text));
    assert_eq!(front.title.as_deref(), Some("某县创建国家卫生城市实施方案"));
    let kept: Vec<&str> = lines.iter().map(|l| l.content).collect();
    assert!(kept.contains(&"某县创建国家卫生城市实施方案"), "{kept:?}");
    assert!(kept.iter().any(|l| l.starts_with("创建,改善")), "{kept:?}");
}
