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
    front_matter(clean::lines(text)).1.title
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
