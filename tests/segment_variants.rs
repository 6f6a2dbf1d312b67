//! The five shipped plans keep their task lists when their layout is
//! damaged the way real copies are: CRLF line ends, spaces removed (`- (一)`
//! → `-(一)`), and every line joined into one (pages that lost their line
//! breaks). Run through `plan-tag segment` from stdin, as a user pipes text.

mod common;

use common::{plan_path, run, Json, PLANS};

/// (id, kind, title, text without whitespace) of every task.
fn tasks_of(bytes: &[u8]) -> Vec<(String, String, String, String)> {
    let out = run(&["segment", "--format", "jsonl", "-"], Some(bytes));
    assert_eq!(out.status, 0, "stderr: {}", out.stderr);
    out.stdout
        .lines()
        .map(|l| {
            let t: Json = serde_json::from_str(l).unwrap();
            let field = |k: &str| t[k].as_str().unwrap().to_string();
            let text: String = field("text")
                .chars()
                .filter(|c| !c.is_whitespace())
                .collect();
            (field("id"), field("kind"), field("title"), text)
        })
        .collect()
}

fn original(prefix: &str) -> String {
    std::fs::read_to_string(plan_path(prefix)).unwrap()
}

/// Same ids, kinds and titles in the same order; the same text for every
/// task, except that the front matter (the cover letter `通知` and the
/// opening `引言`) may keep page furniture that lost its line breaks.
fn assert_same_tasks(prefix: &str, variant: &str, text: &str, front_may_differ: bool) {
    let want = tasks_of(original(prefix).as_bytes());
    let got = tasks_of(text.as_bytes());
    let meta = |v: &[(String, String, String, String)]| {
        v.iter()
            .map(|t| (t.0.clone(), t.1.clone(), t.2.clone()))
            .collect::<Vec<_>>()
    };
    assert_eq!(
        meta(&got),
        meta(&want),
        "{prefix} {variant}: ids, kinds, titles"
    );
    for (g, w) in got.iter().zip(&want) {
        if front_may_differ && (w.0 == "通知" || w.0 == "引言") {
            continue;
        }
        assert_eq!(g.3, w.3, "{prefix} {variant}: text of {}", w.0);
    }
}

#[test]
fn crlf_line_ends_change_nothing() {
    for prefix in PLANS {
        let text = original(prefix).replace("\r\n", "\n").replace('\n', "\r\n");
        assert_same_tasks(prefix, "CRLF", &text, false);
    }
}

#[test]
fn removed_spaces_change_nothing() {
    for prefix in PLANS {
        let text: String = original(prefix)
            .chars()
            .filter(|c| !matches!(c, ' ' | '\t' | '\u{3000}'))
            .collect();
        assert_same_tasks(prefix, "without spaces", &text, false);
    }
}

#[test]
fn one_line_documents_keep_their_tasks() {
    for prefix in PLANS {
        let text: String = original(prefix)
            .lines()
            .map(str::trim)
            .collect::<Vec<_>>()
            .concat();
        assert!(!text.contains('\n'));
        assert_same_tasks(prefix, "joined into one line", &text, true);
    }
}
