//! In-paragraph enumerations: `一是…二是…` split into items.

use super::tree::Span;
use crate::clean::{self, Paragraph};

/// The searcher for 是, which ends every enumeration ordinal.
pub(super) static SHI: std::sync::LazyLock<memchr::memmem::Finder<'static>> =
    std::sync::LazyLock::new(|| memchr::memmem::Finder::new("是"));
pub(super) const SHI_LEN: usize = '是'.len_utf8();

/// Finds `一是`, `二是`, … in order at sentence starts within the spans.
/// Returns (key, position) of each item.
pub(super) fn enumeration_items(spans: &[Span], paras: &[Paragraph]) -> Vec<(String, Span)> {
    const ORDINALS: [&str; 20] = [
        "一是",
        "二是",
        "三是",
        "四是",
        "五是",
        "六是",
        "七是",
        "八是",
        "九是",
        "十是",
        "十一是",
        "十二是",
        "十三是",
        "十四是",
        "十五是",
        "十六是",
        "十七是",
        "十八是",
        "十九是",
        "二十是",
    ];
    let mut items = Vec::new();
    let mut next = 0usize;
    for span in spans {
        let text = &paras[span.para].text[span.start..span.end];
        let mut search_from = 0usize;
        while next < ORDINALS.len() {
            let needle = ORDINALS[next];
            // Every ordinal ends in 是: each 是 found (by one searcher built
            // once) is checked for the ordinal wanted before it.
            let mut found = None;
            let mut from = search_from;
            while let Some(pos) = SHI.find(&text.as_bytes()[from..]) {
                let end = from + pos + SHI_LEN;
                from = end;
                if end < search_from + needle.len() || !text[..end].ends_with(needle) {
                    continue;
                }
                let at = end - needle.len();
                let before = text[..at].chars().last();
                // `十一是` must not be read as `一是`.
                if (at == 0
                    || matches!(
                        before,
                        Some('。' | '；' | ';' | '：' | ':' | '！' | '？' | '\n')
                    ))
                    && !before.is_some_and(clean::is_cn_numeral)
                {
                    found = Some(at);
                    break;
                }
            }
            match found {
                Some(at) => {
                    items.push((
                        needle.to_string(),
                        Span {
                            para: span.para,
                            start: span.start + at,
                            end: span.end,
                        },
                    ));
                    search_from = at + needle.len();
                    next += 1;
                }
                None => break,
            }
        }
    }
    items
}

/// The part of `spans` before `until`.
pub(super) fn intro_spans(spans: &[Span], until: Span) -> Vec<Span> {
    let mut out = Vec::new();
    for s in spans {
        if s.para < until.para {
            out.push(*s);
        } else if s.para == until.para && s.start < until.start {
            out.push(Span {
                end: until.start,
                ..*s
            });
        }
    }
    out
}

/// Cuts `spans` at each item start: item i runs to the start of item i+1.
pub(super) fn items_to_spans(spans: &[Span], items: &[(String, Span)]) -> Vec<(String, Vec<Span>)> {
    let mut out = Vec::new();
    for (i, (key, start)) in items.iter().enumerate() {
        let end = items.get(i + 1).map(|(_, s)| *s);
        let mut parts = Vec::new();
        for s in spans {
            let (mut a, mut b) = (s.start, s.end);
            if (s.para, s.end) <= (start.para, start.start) {
                continue;
            }
            if s.para == start.para {
                a = a.max(start.start);
            }
            if let Some(e) = end {
                if (s.para, s.start) >= (e.para, e.start) {
                    break;
                }
                if s.para == e.para {
                    b = b.min(e.start);
                }
            }
            if a < b {
                parts.push(Span {
                    para: s.para,
                    start: a,
                    end: b,
                });
            }
        }
        if !parts.is_empty() {
            out.push((key.clone(), parts));
        }
    }
    out
}
