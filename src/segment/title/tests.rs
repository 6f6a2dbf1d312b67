//! Unit tests of title lines, run-on titles and front-matter line kinds.

use super::run_on::run_on_title;
use super::*;

fn t(s: &str) -> Option<String> {
    title_of(s)
}

#[test]
fn a_title_ends_with_a_document_word() {
    assert_eq!(
        t("2030年某县卫生工作要点").as_deref(),
        Some("2030年某县卫生工作要点")
    );
    assert_eq!(
        t("某镇卫生院应急预案").as_deref(),
        Some("某镇卫生院应急预案")
    );
    assert_eq!(
        t("某局关于某项工作的情况汇报").as_deref(),
        Some("某局关于某项工作的情况汇报")
    );
    assert_eq!(t("某市衛生工作計劃").as_deref(), Some("某市衛生工作計劃"));
    assert_eq!(
        t("某区二〇三〇年工作思路").as_deref(),
        Some("某区二〇三〇年工作思路")
    );
    assert_eq!(t("某县卫生工作计划表"), None);
    assert_eq!(t("做好卫生工作"), None);
    assert_eq!(t("2030/01/02总结"), None);
    assert_eq!(t("年全县卫生工作要点"), None);
    assert_eq!(
        t("某某行动计划(2030—2035年)").as_deref(),
        Some("某某行动计划(2030—2035年)")
    );
    assert_eq!(
        t("某地工作方案(征求意见稿)").as_deref(),
        Some("某地工作方案(征求意见稿)")
    );
    assert_eq!(
        t("某地各单位工作计划汇总").as_deref(),
        Some("某地各单位工作计划汇总")
    );
}

#[test]
fn junk_around_a_title_is_stripped() {
    for line in [
        "某社区卫生工作计划.docx",
        "某社区卫生工作计划.DOC",
        "某社区卫生工作计划_第1页",
        "某社区卫生工作计划范本_某类计划_",
        "某社区卫生工作计划(共3页).doc",
        "某社区卫生工作计划(通用6篇)",
        "某社区卫生工作计划（精选 7 篇）",
        "某社区卫生工作计划【热门五篇】",
        "某社区卫生工作计划范文大全",
        "某社区卫生工作计划范文(最新9篇)",
        "某社区卫生工作计划开头结尾模板范文",
        "某社区卫生工作计划范例5篇",
        "某社区卫生工作计划 12篇",
        "某社区卫生工作计划 篇1",
        "某社区卫生工作计划1",
        "某社区卫生工作计划(二)",
        "某社区卫生工作计划 3页",
        "《某社区卫生工作计划》",
        "《某社区卫生工作计划【热门五篇】》",
        "篇一:某社区卫生工作计划",
        "第一篇 某社区卫生工作计划 3210字",
        "某社区卫生工作计划某社区卫生工作计划",
    ] {
        assert_eq!(t(line).as_deref(), Some("某社区卫生工作计划"), "{line}");
    }
    assert_eq!(
        t("某(mǒu)地卫(wèi)生工作总结(jié)").as_deref(),
        Some("某地卫生工作总结")
    );
    assert_eq!(
        t("2030年某地卫生工作方案某地卫生工作方案").as_deref(),
        Some("2030年某地卫生工作方案")
    );
}

#[test]
fn doc_numbers_around_a_title_are_stripped() {
    assert_eq!(
        t("关于公布某某名单的通知-某卫〔2030〕3号").as_deref(),
        Some("关于公布某某名单的通知")
    );
    assert_eq!(
        t("某卫发〔2030〕6号《某委关于印发某某发展规划的通知》").as_deref(),
        Some("某某发展规划")
    );
}

#[test]
fn a_cover_letter_title_gives_what_it_publishes() {
    assert_eq!(
        t("某市卫生局关于印发2030年全市卫生工作要点的通知").as_deref(),
        Some("2030年全市卫生工作要点")
    );
    assert_eq!(
        t("某办关于印发《某市某病防治行动计划(2030—2035年)》的通知").as_deref(),
        Some("某市某病防治行动计划(2030—2035年)")
    );
    // Nothing that names a plan: the letter is the document.
    assert_eq!(
        t("关于印发某某名单的通知").as_deref(),
        Some("关于印发某某名单的通知")
    );
}

#[test]
fn labels_breadcrumbs_and_sentences_are_not_titles() {
    for line in [
        "标题:某某工作计划",
        "栏目: 工作报告",
        "首页 > 工作计划 > 某某工作计划",
        "附件:某某实施方案",
        "附件1 某某实施方案",
        "现将《某某实施方案》印发给你们,请认真组织实施。",
        "一、年度工作计划",
        "(三)工作安排",
        "下面是小编整理的某某工作计划",
        "[ 体裁分类 ] 工作报告",
        "今年要做好以下工作,完善工作方案",
    ] {
        assert_eq!(t(line), None, "{line}");
    }
}

#[test]
fn a_speech_title_drops_its_subtitle() {
    assert_eq!(
        t("凝心聚力 再上台阶 ——在某县某会议上的讲话").as_deref(),
        Some("凝心聚力再上台阶")
    );
}

fn run_on(line: &str) -> Option<(&str, &str)> {
    run_on_title(line).map(|r| (&line[r.title.0..r.title.1], &line[r.rest..]))
}

#[test]
fn a_title_running_into_the_text_is_cut_off() {
    assert_eq!(
        run_on("某局2030年工作总结各位领导、同志们:一年来,…"),
        Some(("某局2030年工作总结", "各位领导、同志们:一年来,…"))
    );
    assert_eq!(
        run_on("某地卫生工作总结范文篇一20**年,在某某领导下…"),
        Some(("某地卫生工作总结范文篇一", "20**年,在某某领导下…"))
    );
    assert_eq!(
        run_on("某网:某市关于某项工作的通报:2030年是关键之年。"),
        Some(("某市关于某项工作的通报", "2030年是关键之年。"))
    );
    assert_eq!(
        run_on("某某工作总结及2031年工作计划2030年,我们…"),
        Some(("某某工作总结及2031年工作计划", "2030年,我们…"))
    );
    assert_eq!(
        run_on("精选优质文档-倾情为你奉上某病防治工作计划随着经济的发展,…"),
        Some(("某病防治工作计划", "随着经济的发展,…"))
    );
    assert_eq!(
        run_on("某某防治实施方案(2030一2035年)为深入贯彻…"),
        Some(("某某防治实施方案(2030一2035年)", "为深入贯彻…"))
    );
    assert_eq!(
        run_on("某院文件院发【2030】10号某院某活动实施方案各科室:为落实…"),
        Some(("某院某活动实施方案", "各科室:为落实…"))
    );
    assert_eq!(
        run_on("某城市实施方案.doc创建,改善环境"),
        Some(("某城市实施方案.doc", "创建,改善环境"))
    );
}

#[test]
fn text_is_not_cut_as_a_title() {
    for line in [
        "为落实年度工作计划,特制定本方案。",
        "根据某某工作要点为基础开展工作。",
        "今年工作要点为:一是…",
        "2030年,某局工作计划如下:",
        "某局工作计划如下:一是…",
        "按照《某某规划》为指导,推进工作。",
    ] {
        assert_eq!(run_on(line), None, "{line}");
    }
}

#[test]
fn doc_words_end_in_the_listed_characters() {
    for w in DOC_WORDS {
        assert!(may_end_doc_word(w.chars().next_back().unwrap()), "{w}");
    }
}

#[test]
fn front_matter_line_kinds() {
    assert!(is_label_line("索引号: 0001/2030-00001"));
    assert!(is_label_line("[ 发布机构 ] 某某委员会"));
    assert!(is_label_line("首页 > 政务公开"));
    assert!(!is_label_line("某某工作计划"));
    assert!(is_notice_sentence(
        "现将《某方案》印发给你们,请认真组织实施。"
    ));
    assert!(is_notice_sentence(
        "《某预案》已经市政府同意,现予印发,请遵照执行。"
    ));
    assert!(!is_notice_sentence("现将全年工作情况报告如下。"));
    assert!(is_date_line("2030年1月2日"));
    assert!(is_date_line("二〇三〇年十月二十日"));
    assert!(!is_date_line("2030年1月2日召开会议部署工作"));
}

/// A title a site prints two or three times, or again after its own
/// furniture, on the one line of a page that lost its breaks: the longest
/// title that recurs, and the text after its copies.
#[test]
fn a_title_printed_again_is_a_title() {
    assert_eq!(
        run_on("社区卫生服务站工作计划社区卫生服务站工作计划社区卫生服务站工作计划辖区人口多，任务繁重。"),
        Some(("社区卫生服务站工作计划", "辖区人口多，任务繁重。"))
    );
    assert_eq!(
        run_on(
            "某县卫生健康工作要点VIP专免 2023-11-28 海报侵权投诉某县卫生健康 工作要点总体要求是："
        ),
        Some((
            "某县卫生健康工作要点",
            "VIP专免 2023-11-28 海报侵权投诉某县卫生健康 工作要点总体要求是："
        ))
    );
    assert_eq!(
        run_on("某卫生和计划生育局首届医师节系列活动方案某卫生和计划生育局首届医师节系列活动方案活动时间："),
        Some(("某卫生和计划生育局首届医师节系列活动方案", "活动时间："))
    );
    assert_eq!(run_on("加强计划生育服务，完善计划生育服务网络。"), None);
}
