//! `plan-tag segment` run the way a user runs it, on the five shipped plans
//! (golden files written from reading the plans) and on broken input.

mod common;

use common::{docs_of, plan_path, run, Json, PLANS};

/// Parses a golden file: id, kind, title (empty title = not checked).
fn golden(name: &str) -> Vec<(String, String, String)> {
    let path = format!("{}/tests/golden/{name}.tsv", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path)
        .unwrap()
        .lines()
        .filter(|l| !l.is_empty())
        .map(|l| {
            let mut f = l.split('\t');
            (
                f.next().unwrap().to_string(),
                f.next().unwrap().to_string(),
                f.next().unwrap_or("").to_string(),
            )
        })
        .collect()
}

fn segment_jsonl(path: &str) -> Vec<Json> {
    let out = run(&["segment", "--format", "jsonl", path], None);
    assert_eq!(out.status, 0, "stderr: {}", out.stderr);
    out.stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn check_golden(prefix: &str) {
    let tasks = segment_jsonl(&plan_path(prefix));
    let expected = golden(prefix);
    let actual: Vec<(String, String, String)> = tasks
        .iter()
        .map(|t| {
            (
                t["id"].as_str().unwrap().to_string(),
                t["kind"].as_str().unwrap().to_string(),
                t["title"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let ids = |v: &[(String, String, String)]| v.iter().map(|r| r.0.clone()).collect::<Vec<_>>();
    assert_eq!(ids(&actual), ids(&expected), "ids of {prefix}");
    for (a, e) in actual.iter().zip(&expected) {
        assert_eq!(a.1, e.1, "kind of {} in {prefix}", e.0);
        if !e.2.is_empty() {
            assert_eq!(a.2, e.2, "title of {} in {prefix}", e.0);
        }
    }
    for t in &tasks {
        let text = t["text"].as_str().unwrap();
        assert!(!text.trim().is_empty(), "{prefix} {} has no text", t["id"]);
        for chrome in [
            "分享到",
            "责任编辑",
            "因篇幅问题",
            "附件下载",
            "【字体",
            "首页 >",
            "来源:步旅网",
        ] {
            assert!(
                !text.contains(chrome),
                "{prefix} {} contains {chrome}",
                t["id"]
            );
        }
    }
}

#[test]
fn golden_000_thirty_tasks_under_eight_chapters() {
    check_golden("000");
    let tasks = segment_jsonl(&plan_path("000"));
    let t = tasks.iter().find(|t| t["id"] == "五/（十四）").unwrap();
    assert_eq!(t["path"][0], "做好公共卫生和重大疾病防控工作");
    assert!(t["text"]
        .as_str()
        .unwrap()
        .starts_with("加强预防接种服务规范管理"));
}

#[test]
fn golden_001_twenty_five_tasks_and_goals() {
    check_golden("001");
}

#[test]
fn golden_002_review_then_framing_then_tasks() {
    check_golden("002");
}

#[test]
fn golden_003_shi_enumerations_split() {
    check_golden("003");
    let tasks = segment_jsonl(&plan_path("003"));
    // "二是强\n\n化人才队伍建设" is one word broken by the page.
    let t = tasks.iter().find(|t| t["id"] == "一/（三）/二是").unwrap();
    assert_eq!(t["title"], "强化人才队伍建设");
}

#[test]
fn golden_004_items_one_to_eighty_seven_unbroken() {
    check_golden("004");
    let tasks = segment_jsonl(&plan_path("004"));
    let items: Vec<&Json> = tasks
        .iter()
        .filter(|t| {
            t["id"]
                .as_str()
                .unwrap()
                .rsplit('/')
                .next()
                .unwrap()
                .parse::<u32>()
                .is_ok()
        })
        .collect();
    let numbers: Vec<u32> = items
        .iter()
        .map(|t| {
            t["id"]
                .as_str()
                .unwrap()
                .rsplit('/')
                .next()
                .unwrap()
                .parse()
                .unwrap()
        })
        .collect();
    assert_eq!(numbers, (1..=87).collect::<Vec<_>>());
    for t in tasks.iter().filter(|t| t["kind"] == "task") {
        let text = t["text"].as_str().unwrap();
        assert!(
            !text.contains('\n'),
            "{} has a stray break: {text}",
            t["id"]
        );
        assert!(
            !text.contains(" 党的"),
            "{} keeps a PDF space: {text}",
            t["id"]
        );
    }
    assert!(items[0]["text"]
        .as_str()
        .unwrap()
        .contains("始终做到初心如磐"));
    assert!(items[35]["text"]
        .as_str()
        .unwrap()
        .contains("适时发布监测评估报告"));
    assert!(items[85]["text"].as_str().unwrap().contains("黔医人才计划"));
}

#[test]
fn document_titles_of_the_five_plans() {
    let dir = format!("{}/examples/plans", env!("CARGO_MANIFEST_DIR"));
    let out = run(&["segment", "--format", "json", &dir], None);
    assert_eq!(out.status, 0, "{}", out.stderr);
    let docs: Vec<Json> = serde_json::from_str(&out.stdout).unwrap();
    let titles: Vec<&str> = docs.iter().map(|d| d["title"].as_str().unwrap()).collect();
    assert_eq!(
        titles,
        [
            "2019年株洲市卫生健康工作要点",
            "2023年某市委某市人民政府关于推进卫生健康高质量发展的实施方案征求意见稿",
            "2018年全市卫生计生工作会议报告",
            "市卫健委2021年工作总结",
            "2020年全市卫生健康工作要点",
        ]
    );
    for d in &docs {
        let title = d["title"].as_str().unwrap();
        for t in d["tasks"].as_array().unwrap() {
            assert_ne!(t["text"].as_str().unwrap(), title, "title kept as a task");
        }
    }
}

#[test]
fn offsets_point_back_into_the_file() {
    let path = plan_path("000");
    let source = std::fs::read_to_string(&path).unwrap();
    for t in segment_jsonl(&path) {
        let (start, end) = (
            t["start"].as_u64().unwrap() as usize,
            t["end"].as_u64().unwrap() as usize,
        );
        let span = &source[start..end];
        let title = t["title"].as_str().unwrap();
        assert!(
            span.contains(title),
            "{} span does not hold its title",
            t["id"]
        );
        let line_start = t["line_start"].as_u64().unwrap() as usize;
        assert_eq!(source[..start].matches('\n').count() + 1, line_start);
    }
}

#[test]
fn all_five_plans_as_a_directory_in_stable_order() {
    let dir = format!("{}/examples/plans", env!("CARGO_MANIFEST_DIR"));
    let out = run(&["segment", "--format", "jsonl", &dir], None);
    assert_eq!(out.status, 0, "{}", out.stderr);
    let docs: Vec<String> = docs_of(&out.stdout).into_iter().collect();
    let mut order = docs.clone();
    order.dedup();
    assert_eq!(order.len(), PLANS.len());
    let mut sorted = order.clone();
    sorted.sort();
    assert_eq!(order, sorted);
}

#[test]
fn stdin_gbk_html_and_table_formats() {
    let text = std::fs::read_to_string(plan_path("000")).unwrap();
    let from_file = segment_jsonl(&plan_path("000"));

    // GBK has no no-break space; a GBK file would carry a plain space.
    let plain = text.replace('\u{a0}', " ");
    let (gbk, _, unmappable) = encoding_rs::GBK.encode(&plain);
    assert!(!unmappable);
    let out = run(&["segment", "--format", "jsonl", "-"], Some(gbk.as_ref()));
    assert_eq!(out.status, 0, "{}", out.stderr);
    let from_stdin: Vec<Json> = out
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let ids = |v: &[Json]| v.iter().map(|t| t["id"].clone()).collect::<Vec<_>>();
    assert_eq!(ids(&from_stdin), ids(&from_file));
    assert_eq!(from_stdin[3]["doc"], "-");

    let dir = tempfile::tempdir().unwrap();
    let html_path = dir.path().join("plan.html");
    let mut html = String::from("<html><head><style>p{color:red}</style><script>var x='（一）假';</script></head><body><nav>首页 &gt; 政务公开</nav>");
    for line in text.lines() {
        html.push_str(&format!("<p>{}</p>", line.replace('&', "&amp;")));
    }
    html.push_str("</body></html>");
    std::fs::write(&html_path, html).unwrap();
    let from_html = segment_jsonl(html_path.to_str().unwrap());
    assert_eq!(ids(&from_html), ids(&from_file));

    let out = run(&["segment", "--format", "table", &plan_path("000")], None);
    assert!(out.stdout.contains("五 做好公共卫生和重大疾病防控工作"));
    assert!(out.stdout.contains("（十四） 提升疾病防控水平"));
    let out = run(&["segment", "--format", "json", &plan_path("001")], None);
    let v: Json = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(v[0]["tasks"].as_array().unwrap().len(), 27);
}

#[test]
fn bad_files_fail_alone_with_one_line_each() {
    let dir = tempfile::tempdir().unwrap();
    let png = dir.path().join("image.png");
    std::fs::write(&png, b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0").unwrap();
    let empty = dir.path().join("empty.txt");
    std::fs::write(&empty, b"").unwrap();
    let missing = dir.path().join("missing.txt");
    let good = plan_path("001");
    let out = run(
        &[
            "segment",
            "--format",
            "jsonl",
            png.to_str().unwrap(),
            empty.to_str().unwrap(),
            missing.to_str().unwrap(),
            &good,
        ],
        None,
    );
    assert_eq!(out.status, 1);
    let lines: Vec<&str> = out.stderr.lines().collect();
    assert_eq!(lines.len(), 3, "{}", out.stderr);
    let has = |file: &str, what: &str| lines.iter().any(|l| l.contains(file) && l.contains(what));
    assert!(has("image.png", "PNG"), "{}", out.stderr);
    assert!(has("empty.txt", "empty"), "{}", out.stderr);
    assert!(has("missing.txt", "cannot read"), "{}", out.stderr);
    assert!(!out.stderr.contains("panicked"));
    assert_eq!(out.stdout.lines().count(), 27);
}

/// A plan as a government site serves it, with the site's header and footer
/// around it (a page made up for this test): only the plan's tasks come
/// out, with the plan's own title.
#[test]
fn a_government_pages_header_and_footer_are_no_tasks() {
    let page = [
        "今天是2023年3月5日 星期日",
        "政务微博 政务微信 手机版",
        "当前位置：首页 > 政务公开 > 计划总结",
        "某区卫生健康委2023年工作要点",
        "【字号：大 中 小】 【打印】 【关闭】",
        "文章来源：区卫健委 作者：办公室 点击数：356 更新时间：2023-03-01",
        "一、总体要求",
        "坚持以人民健康为中心，推进健康城区建设。",
        "二、重点任务",
        "（一）加强疾病预防控制。做好传染病防控工作。",
        "（二）推进医联体建设。完善分级诊疗制度。",
        "编辑：张三 审核：李四",
        "【我要纠错】 【收藏】",
        "分享至：",
        "微信 微博 QQ空间",
        "上一篇：某区卫生健康委2022年工作总结",
        "联系我们 | 网站地图 | 隐私声明",
        "Copyright © 2023 某区人民政府 All Rights Reserved",
        "京ICP备12345678号 京公网安备11010102000123号",
        "技术支持：某某信息技术有限公司 您是第 123456 位访问者",
        "TOP",
    ]
    .join("\n");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("page.txt");
    std::fs::write(&path, page).unwrap();
    let out = run(
        &["segment", "--format", "json", path.to_str().unwrap()],
        None,
    );
    assert_eq!(out.status, 0, "{}", out.stderr);
    let doc: Json = serde_json::from_str(&out.stdout).unwrap();
    let doc = if doc.is_array() { &doc[0] } else { &doc };
    assert_eq!(doc["title"], "某区卫生健康委2023年工作要点", "{doc}");
    let ids: Vec<&str> = doc["tasks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["一", "二/（一）", "二/（二）"], "{doc}");
}
