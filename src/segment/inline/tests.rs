//! Unit tests of the inline marker scan.

use super::*;

fn pieces(text: &str) -> Vec<&str> {
    split_lines(clean::lines(text))
        .into_iter()
        .map(|l| l.content)
        .collect()
}

#[test]
fn start_table_agrees_with_its_definition() {
    for c in (0..0x11000).filter_map(char::from_u32) {
        assert_eq!(may_start_something(c), starts_something(c), "{c:?}");
    }
    assert!(may_start_something('三') && may_start_something('（'));
    assert!(!may_start_something('卫') && !may_start_something('。'));
}

#[test]
fn numerals_have_values() {
    assert_eq!(cn_value("三"), Some(3));
    assert_eq!(cn_value("十"), Some(10));
    assert_eq!(cn_value("十二"), Some(12));
    assert_eq!(cn_value("二十"), Some(20));
    assert_eq!(cn_value("二十三"), Some(23));
    assert_eq!(key_value("（十四）"), Some(14));
    assert_eq!(key_value("61"), Some(61));
    assert_eq!(key_value("②"), Some(2));
    assert_eq!(key_value("第三章"), Some(3));
}

#[test]
fn sharing_site_inserts_are_left_out() {
    // A source note at the end of a plan line goes, the line stays.
    assert_eq!(
        pieces("宣传防治知识，提高群众健康意识。本文来源:某某范文网http:///"),
        ["宣传防治知识，提高群众健康意识。"]
    );
    // Inside a line, up to the comma that follows it.
    assert_eq!(
        pieces("做好消毒隔离工作本文来源:某某在线 ,杜绝院内感染的发生。"),
        ["做好消毒隔离工作", ",杜绝院内感染的发生。"]
    );
    // A banner opening a line that runs on into the plan.
    assert_eq!(
        pieces("精选优质文档-----倾情为你奉上某某工作计划为做好全年工作，特制定本计划。"),
        ["某某工作计划为做好全年工作，特制定本计划。"]
    );
    assert_eq!(
        pieces("1、精选优质文档-倾情为你奉上为做好全年工作，特制定本计划。"),
        ["1、", "为做好全年工作，特制定本计划。"]
    );
    // A file name keeps the title it holds.
    assert_eq!(pieces("某某工作方案.docx_第1页"), ["某某工作方案"]);
}

#[test]
fn furniture_lines_are_not_cut_at_their_markers() {
    // Cut at `1、`, it would leave a `1.` piece that is no furniture.
    assert_eq!(
        pieces("1.1、本文档由用户上传，可阅读全部内容。"),
        ["1.1、本文档由用户上传，可阅读全部内容。"]
    );
}

#[test]
fn markers_after_sentence_ends_start_lines() {
    assert_eq!(
        pieces("特制定本计划。一、指导思想。以人民健康为中心。二、主要任务(一)孕产妇保健。做好。(二)儿童保健。"),
        [
            "特制定本计划。",
            "一、指导思想。以人民健康为中心。",
            "二、主要任务",
            "(一)孕产妇保健。做好。",
            "(二)儿童保健。"
        ]
    );
}

#[test]
fn numbers_in_running_text_stay() {
    for text in [
        "加强一、二级医院建设。",
        "围绕“3.24世界结核病防治日”开展宣传。",
        "孕产妇死亡率控制在 7.1/十万以内 婴儿死亡率控制在 4.5‰以内",
        "完成第三、四季度任务。",
        "共2019年（2）班培训。",
    ] {
        assert_eq!(pieces(text), [text], "{text}");
    }
}

#[test]
fn a_list_after_a_space_continues_its_numbering() {
    assert_eq!(
        pieces("三、主要服务指标 1、孕产妇系统管理率达87%。 2、儿童系统管理率达88% 3、住院分娩率达100%"),
        [
            "三、主要服务指标",
            "1、孕产妇系统管理率达87%。",
            "2、儿童系统管理率达88%",
            "3、住院分娩率达100%"
        ]
    );
    // 5、 does not follow 1、: running text.
    assert_eq!(pieces("1、甲。 5、乙"), ["1、甲。 5、乙"]);
}

/// A first item run into the text before it, in a plan that lost its line
/// breaks: taken when its second item follows (after a sentence end or a
/// short heading), or when a title runs into it, also after a cover
/// letter's closing bracket; not when the "second" is running text.
#[test]
fn a_first_item_in_running_text_is_taken_when_its_list_goes_on() {
    assert_eq!(
        pieces("市卫生健康委工作思路汇编1.全面落实健康优先战略。推进爱国卫生运动。2.全面加强公共卫生工作。"),
        [
            "市卫生健康委工作思路汇编",
            "1.全面落实健康优先战略。推进爱国卫生运动。",
            "2.全面加强公共卫生工作。"
        ]
    );
    assert_eq!(
        pieces("文档简介某县尘肺病防治攻坚行动材料一、背景与目标二、工作原则"),
        [
            "文档简介某县尘肺病防治攻坚行动材料",
            "一、背景与目标",
            "二、工作原则"
        ]
    );
    assert_eq!(
        pieces("(信息公开形式:主动公开)“十四五”卫生健康人才发展规划一、形势分析(一)发展基础"),
        [
            "(信息公开形式:主动公开)“十四五”卫生健康人才发展规划",
            "一、形势分析",
            "(一)发展基础"
        ]
    );
    assert_eq!(
        pieces("卫生服务站个人工作计划 篇1一、目标通过宣传提高素养。二、内容"),
        [
            "卫生服务站个人工作计划 篇1",
            "一、目标通过宣传提高素养。",
            "二、内容"
        ]
    );
    for text in [
        "确定14项交叉创新类学科(附件1)及14项传统学科类学科(附件2)入选。",
        "全市建成1.5万个健康家庭。2.3万人参加培训。",
        "开展第一、二季度督查,覆盖一、二级医院。",
    ] {
        assert_eq!(pieces(text), [text]);
    }
}

/// A line's marker, where the scan records it, is what parsing its content
/// anew gives; and it is recorded for whole lines and last pieces alike.
#[test]
fn recorded_markers_are_those_of_the_pieces() {
    let text = "某县2030年工作计划一、总体要求（一）指导思想。坚持人民至上。\n\
                （二）基本原则：预防为主。\n\
                开展健康教育。\n\
                加强宣传。二、重点任务1.做好防控。2.提升能力。\n\
                【组织保障】落实责任。\n\
                1.1、本文档仅供参考\n\
                 2. 提升服务\n";
    let lines = split_lines(clean::lines(text));
    let mut recorded = 0;
    for line in &lines {
        if let Some(opens) = line.opens_with_marker {
            recorded += 1;
            assert_eq!(
                opens,
                marker_at_start(line.content).is_some(),
                "{}",
                line.content
            );
        }
    }
    let known: Vec<&str> = lines
        .iter()
        .filter(|l| l.opens_with_marker.is_some())
        .map(|l| l.content)
        .collect();
    assert!(known.contains(&"（二）基本原则：预防为主。"), "{known:?}");
    assert!(known.contains(&"开展健康教育。"), "{known:?}");
    assert!(!known.contains(&"加强宣传。"), "{known:?}");
    assert!(known.contains(&"2.提升能力。"), "{known:?}");
    assert!(recorded >= 5, "{known:?}");
}
