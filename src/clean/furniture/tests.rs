//! Tests of the furniture rules against their definitions.

use super::*;

#[test]
fn chrome_first_chars_cover_every_pattern() {
    for p in CHROME_EXACT.iter().chain(CHROME_PREFIXES) {
        let c = p.chars().next().unwrap();
        assert!(may_open_chrome(c), "{p}");
    }
    // And no character opens nothing.
    let firsts: Vec<char> = CHROME_EXACT
        .iter()
        .chain(CHROME_PREFIXES)
        .map(|p| p.chars().next().unwrap())
        .collect();
    for c in (0..=0x10FFFF).filter_map(char::from_u32) {
        assert_eq!(may_open_chrome(c), firsts.contains(&c), "{c}");
    }
}

/// [`is_chrome`] without its shortcuts: every test on every line.
fn is_chrome_by_definition(line: &str) -> bool {
    let text = without_pinyin_by_definition(line);
    if text.len() > MAX_BOILERPLATE_BYTES {
        return false;
    }
    let compact: String = text.chars().filter(|c| !is_space(*c)).collect();
    let compact = compact.as_str();
    if compact.is_empty() {
        return false;
    }
    let short = text.len() <= MAX_CHROME_BYTES;
    let shape = CHROME_EXACT.contains(&compact)
        || CHROME_PREFIXES.iter().any(|p| compact.starts_with(p))
        || (compact.chars().count() <= 60
            && (compact.contains("来源:") || compact.contains("来源：")))
        || is_page_number(compact)
        || compact.chars().all(is_punctuation)
        || site_furniture_by_definition(compact, text.len() <= MAX_SITE_LINE_BYTES);
    (short && shape) || anywhere_by_definition(&text, short)
}

/// [`site_furniture`] by its lists, without the tables.
fn site_furniture_by_definition(c: &str, whole: bool) -> bool {
    let label = |s: &str, bracketed| LABELS.iter().any(|&(l, v)| label_fits(s, l, v, bracketed));
    let digit = c.starts_with(|c: char| c.is_ascii_digit());
    (whole && digit && (is_size(c) || is_page_count(c) || is_date_line(c)))
        || (whole
            && c.strip_prefix('约')
                .is_some_and(|r| is_page_count(r) || is_word_count(r)))
        || label(c, false)
        || c.strip_prefix(['【', '[']).is_some_and(|r| label(r, true))
        || (whole && SITE_LINES.contains(&c))
        || SITE_PREFIXES.iter().any(|p| c.starts_with(p))
        || is_position(c)
        || (whole && is_nav_bar(c))
}

/// [`has_boilerplate`] by its lists, every word searched for alone.
fn anywhere_by_definition(text: &str, short: bool) -> bool {
    let words = (short && SHARING_SITE.iter().any(|w| text.contains(w)))
        || BOILERPLATE.iter().any(|w| text.contains(w));
    let spam = SPAM_TRIGGERS.iter().any(|&(w, t)| {
        text.match_indices(w).any(|(i, _)| {
            let after = &text[i + w.len()..];
            match t {
                Trigger::Jiujiu => !after.starts_with("为功"),
                Trigger::Url => !text.contains('。') && !text.contains('；'),
                Trigger::File => short,
                Trigger::Page => {
                    let digits = after.bytes().take_while(u8::is_ascii_digit).count();
                    short && digits > 0 && after[digits..].starts_with('页')
                }
            }
        })
    });
    let tag = text.match_indices('<').any(|(i, _)| {
        let name = &text[i + 1..];
        let name = name.strip_prefix('/').unwrap_or(name);
        name.starts_with(|c: char| c.is_ascii_alphabetic()) && name.contains('>')
    });
    let separators = text
        .match_indices(SEPARATORS)
        .filter(|(i, m)| {
            let next = text[i + m.len()..].chars().find(|c| !is_space(*c));
            !next.is_some_and(|c| c.is_ascii_digit() || c == '=')
        })
        .count();
    words || spam || tag || (short && separators >= 2)
}

/// The line without pinyin inserts, by the tokeniser's own definition.
fn without_pinyin_by_definition(line: &str) -> String {
    crate::simplify::strip_pinyin(line).into_owned()
}

/// Pieces of the lines [`chrome_shortcut_changes_nothing`] is made of.
fn chrome_parts() -> Vec<&'static str> {
    let mut parts: Vec<&'static str> = Vec::new();
    parts.extend(CHROME_EXACT);
    parts.extend(CHROME_PREFIXES);
    parts.extend(SHARING_SITE);
    parts.extend(BOILERPLATE);
    parts.extend(SPAM_TRIGGERS.iter().map(|(w, _)| *w));
    parts.extend(LABELS.iter().map(|(l, _)| *l));
    parts.extend(SITE_LINES);
    parts.extend(SITE_PREFIXES);
    parts.extend(NAV_WORDS);
    parts.extend(POSITION_WHO);
    parts.extend(POSITION_WHEN);
    parts.extend(POSITION_JOIN);
    parts.extend([
        "第",
        "页",
        "共",
        "来",
        "源",
        ":",
        "：",
        "|",
        "3",
        "12",
        "2020",
        "/",
        "-",
        "—",
        " ",
        "\u{3000}",
        "卫生",
        "健康",
        "工作",
        "。",
        "；",
        "，",
        "a",
        "*",
        "（一）",
        "1.",
        "·",
        "•",
        "－",
        "–",
        "３",
        ".5",
        "KB",
        "约",
        "千字",
        "发布",
        "位置",
        "为功",
        "<",
        "<p ",
        "</a>",
        "/",
        ">",
        "›",
        "＞",
        "»",
        "=",
        "140",
        "(shí)",
        "(a)",
        "時",
        "【",
        "】",
        "[",
        "]",
        "doc",
        "09:30",
        "-01-02",
        "加强基层医疗卫生服务能力建设推进家庭医生签约服务工作",
    ]);
    parts
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(4000))]
    /// The shortcuts of `is_chrome` (first-character dispatch, word
    /// tables, bitmap, copies of a line's start) never change its
    /// answer, on lines made of furniture words, digits, dashes,
    /// spaces and text, short and long.
    #[test]
    fn chrome_shortcut_changes_nothing(
        parts in proptest::collection::vec(
            proptest::prop_oneof![
                3 => proptest::sample::select(chrome_parts()),
                2 => proptest::sample::select(vec![
                    ":", "：", "|", " ", "\u{3000}", "2020-01-02", "12", "页", "。",
                ]),
            ],
            1..8,
        ),
        long in 0usize..12,
    ) {
        let line = parts.concat() + &"卫生健康工作".repeat(long * long);
        let line = line.trim_matches(is_space);
        proptest::prop_assert_eq!(is_chrome(line), is_chrome_by_definition(line), "{:?}", line);
    }
}

#[test]
fn chrome_first_chars_cover_every_pattern_anywhere() {
    let mut firsts: Vec<char> = SHARING_SITE
        .iter()
        .chain(BOILERPLATE)
        .chain(SPAM_TRIGGERS.iter().map(|(w, _)| w))
        .map(|w| w.chars().next().unwrap())
        .collect();
    firsts.extend(SEPARATORS);
    firsts.push('<');
    for c in (0..=0x10FFFF).filter_map(char::from_u32) {
        assert_eq!(may_open_anywhere(c), firsts.contains(&c), "{c}");
    }
    // The tables hold every word once, sorted by first character.
    assert_eq!(
        WORDS.len(),
        SHARING_SITE.len() + BOILERPLATE.len() + SPAM_TRIGGERS.len()
    );
    assert!(WORDS.windows(2).all(|w| w[0].first <= w[1].first));
    for w in &WORDS {
        let mut chars = w.text.chars().map(u32::from);
        assert_eq!(chars.next(), Some(w.first));
        let h = pair_hash(w.first, chars.next().unwrap());
        assert!(PAIRS[h >> 6] >> (h & 63) & 1 == 1, "{}", w.text);
    }
    assert!(STARTS.windows(2).all(|w| w[0].first <= w[1].first));
    for (l, _) in LABELS {
        assert!(
            starts_of(l.chars().next().unwrap())
                .iter()
                .any(|w| w.text == *l),
            "{l}"
        );
    }
}

#[test]
fn chrome_lines_are_recognised() {
    for l in [
        "首页 > 政务公开 > 规划计划",
        "【字体: 视力保护色:",
        "分享到:",
        "附件下载",
        "责任编辑:市卫健委",
        "发布日期:2019-03-22信息来源:株洲市卫生健康委",
        "2022-12-20 来源:步旅网",
        "因篇幅问题不能全部显示,请点此查看更多更全内容",
        "- 3 -",
        "第3页",
        "第 3 页 共 12 页",
        "X",
        "3",
        "12/30",
        "3-",
        "- - -",
        "打印 本页",
        "联系我们 | 网站地图 | 隐私声明",
        "关于我们｜设为首页｜加入收藏",
        "您是第 123456 位访问者",
        "相关附件：",
        "政务微博 政务微信 手机版",
        "【字号：大 中 小】 【打印】 【关闭】",
        "【我要纠错】 【收藏】",
        "编辑：张三 审核：李四",
        "分享至：",
        "微信 微博 QQ空间",
        "京ICP备12345678号 京公网安备11010102000123号",
        "技术支持：某某信息技术有限公司",
        "TOP",
    ] {
        assert!(is_chrome(l), "{l}");
    }
    for l in [
        "一、总体要求",
        "(一)全面落实党建责任。",
        "重点抓好十个方面的工作:",
        "联系我们的群众",
        "网站地图与政务公开目录同步更新",
        "【健康教育】",
        "技术人员培训",
    ] {
        assert!(!is_chrome(l), "{l}");
    }
}

#[test]
fn document_site_furniture_is_recognised() {
    for l in [
        // Metadata labels, plain, bracketed, traditional, with pinyin.
        "索引号：ABC123/2021-00001",
        "【发布机构】某某区卫生健康局",
        "[主题分类] 卫生",
        "[索引号]",
        "发布时间 | 2021-05-06",
        "時間:2021-05-06 10:11:12",
        "時(shí)間(jiān):2021-05-06 10:11:12",
        "來源：某某网",
        "發佈日期：2021-05-06",
        "瀏覽次數：12",
        "时间:2021-05-06 作者:某编辑",
        "时间：",
        "作者：佚名",
        "上传人:ab** 文档编号:123456 格式:DOCX",
        "大小:12.5 KB",
        "页数:6页",
        "格式:doc",
        "ID:123456",
        "总字数：约3.2千字",
        "标签: #某某计划",
        "栏目",
        "正在阅读：",
        // Breadcrumbs.
        "位置：首页 > 文档 > 计划",
        "您当前的位置：",
        "现在位置:某某网>总结>计划",
        "首页 > 文档 > 计划 > 某某工作计划",
        "某某网 › 计划 › 总结",
        "首页 工作文档",
        // Document-site lines.
        "16.5 KB",
        "约 8页",
        "约2.5千字",
        "8页",
        "2 / 9",
        "举报",
        "VIP专免",
        "侵权投诉",
        "资源描述：",
        "全文预览",
        "订单查询",
        "下载此文档",
        "下载提示",
        "手机查看",
        "打开手机扫描二维码",
        "返回 下载 相关 举报",
        "2021-05-06",
        "2021-05-06 10:11",
        "2021-05-06 发布",
        "2021-05-06 发布于某省",
        // File and page lines.
        "某某工作方案.docx_第2页",
        "《某某工作方案.docx》资源",
        "第2页 / 共9页",
        "已阅读5页，还剩3页未读",
        // Sharing-site boilerplate.
        "下面是小编为大家整理的某某工作计划，希望对您有所帮助。",
        "本文档由用户上传，收益归属内容提供方",
        "版权说明：本文档由用户提供并上传",
        "如文档侵犯您的权益，请联系客服反馈",
        "以下内容仅供参考，欢迎阅读与收藏。",
        "更多内容请访问某某文库",
        "精选优质文档-倾情为你奉上",
        "欢迎访问某某医疗网 | 网站首页",
        "某某范文网",
        // Spam.
        "<div id=\"a1\"></div><span id=\"a1\"></span>",
        "</p>",
        "久久热门精品久久",
        "某某网 www.example.cn",
        "http://example.cn/a",
        "Copyright 2010-2020 某某网",
        "→点击进入免费试听>>",
    ] {
        assert!(is_chrome(l), "{l}");
    }
}

#[test]
fn plan_lines_are_not_site_furniture() {
    for l in [
        "开通微信公众号和政府网站专栏，宣传健康知识。",
        "持之以恒、久久为功，推进健康城市建设。",
        "暂停棋牌室、网吧等人员密集场所营业。",
        "对血压>140/90mmHg的患者及时转诊。",
        "时间：2021年3月至12月",
        "时间安排",
        "作者单位要如实填写申报材料。",
        "建立健全举报制度，鼓励社会公众参与监督。",
        "推广电子健康码二维码，方便群众扫码就医。",
        "开通12320卫生热线客服，回应群众关切。",
        "加强中医药知识产权和版权保护。",
        "登录www.example.gov.cn填报数据。",
        "首先，加强组织领导。",
        "当前，我市卫生健康事业发展面临新的形势。",
        "大力推进健康城市建设",
        "2021年5月6日",
        "1.加强组织领导",
        "约束机制进一步健全",
        "下一步工作打算",
        "第一章 总则",
    ] {
        assert!(!is_chrome(l), "{l}");
    }
}

#[test]
fn pinyin_inserts_are_ignored() {
    for (with, without) in [
        ("發(fā)布時(shí)間(jiān):2020-01-02", "發布時間:2020-01-02"),
        ("责(zé)任编辑:某某", "责任编辑:某某"),
        (
            "首頁(yè) > 政務(wù)公開 > 計(jì)劃總結(jié)",
            "首頁 > 政務公開 > 計劃總結",
        ),
    ] {
        assert!(is_chrome(without), "{without}");
        assert!(is_chrome(with), "{with}");
    }
    assert!(!is_chrome(
        "加強(qiáng)基層醫(yī)療衛(wèi)生服務(wù)能力建設(shè)。"
    ));
}

#[test]
fn file_names_lose_extension_and_page() {
    assert_eq!(without_file_suffix("某某工作方案.docx"), "某某工作方案");
    assert_eq!(
        without_file_suffix("某某工作方案.DOC_第3页"),
        "某某工作方案"
    );
    assert_eq!(without_file_suffix("某某工作方案_第12页"), "某某工作方案");
    assert_eq!(
        without_file_suffix("某某工作方案.pdf "),
        "某某工作方案.pdf "
    );
    assert_eq!(without_file_suffix(".doc"), ".doc");
    assert_eq!(without_file_suffix("第3页"), "第3页");
    assert_eq!(without_file_suffix("加强组织领导"), "加强组织领导");
}
