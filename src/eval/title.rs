//! Document titles judged against the titles a corpus was collected under
//! (`meta.tsv` beside the docs folder): whether a document's text holds its
//! title at all, and whether the title found is that one.
//!
//! A collected title often carries what a sharing site added (`(通用6篇)`,
//! `篇1(…)`, `范文`, `(第3页)`), so it is read in several forms, most
//! specific first, and the first form the text holds is the expected title.
//! Titles are compared normalised: traditional characters simplified, pinyin
//! dropped, full width folded, case ignored, and nothing but letters and
//! digits kept (spaces, punctuation and brackets say nothing about wording).

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::error::{Error, Result};

/// File of document metadata next to the docs folder.
pub const META_FILE: &str = "meta.tsv";

/// Shortest form of a title, in characters, that counts as a title.
const MIN_FORM_CHARS: usize = 4;
/// Most lines a title is written over.
const MAX_TITLE_LINES: usize = 3;

/// The collected title of each document, by file name.
#[derive(Debug, Clone)]
pub struct MetaTitles {
    pub path: PathBuf,
    titles: HashMap<String, String>,
}

impl MetaTitles {
    /// Reads `meta.tsv` next to `docs` (a header line naming at least the
    /// `file` and `title` columns, then one document a line); `None` when
    /// there is no such file.
    pub fn beside(docs: &Path) -> Result<Option<MetaTitles>> {
        let path = docs
            .parent()
            .map_or_else(|| PathBuf::from(META_FILE), |p| p.join(META_FILE));
        if !path.is_file() {
            return Ok(None);
        }
        let text = std::fs::read_to_string(&path).map_err(|source| Error::Io {
            path: path.clone(),
            source,
        })?;
        Self::parse(&path, &text).map(Some)
    }

    fn parse(path: &Path, text: &str) -> Result<MetaTitles> {
        let mut lines = text.lines();
        let header: Vec<&str> = lines.next().unwrap_or_default().split('\t').collect();
        let column = |name: &str| header.iter().position(|h| h.trim() == name);
        let (Some(file), Some(title)) = (column("file"), column("title")) else {
            return Err(Error::data(path, 1, "no `file` and `title` columns"));
        };
        let mut titles = HashMap::new();
        for (i, line) in lines.enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            let fields: Vec<&str> = line.split('\t').collect();
            let (Some(f), Some(t)) = (fields.get(file), fields.get(title)) else {
                return Err(Error::data(path, i + 2, "fewer columns than the header"));
            };
            titles.insert(f.trim().to_string(), t.trim().to_string());
        }
        Ok(MetaTitles {
            path: path.to_path_buf(),
            titles,
        })
    }

    pub fn get(&self, doc: &str) -> Option<&str> {
        self.titles.get(doc).map(String::as_str)
    }
}

/// How a document's found title compares with its collected title.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TitleVerdict {
    /// The text holds the collected title and the title found is it.
    Exact,
    /// The text holds the collected title; another title was found.
    Wrong,
    /// The text holds the collected title; no title was found.
    Missing,
    /// The text does not hold the collected title in any form: not judged.
    NotInText,
}

/// One document's title check.
#[derive(Debug, Clone, Serialize)]
pub struct TitleCheck {
    /// The title the document was collected under, as written there.
    pub meta_title: String,
    /// The form of it that the text holds, normalised; `None` when none.
    pub expected: Option<String>,
    pub verdict: TitleVerdict,
}

/// Title figures over the documents that have a collected title.
#[derive(Debug, Clone, Default, Serialize)]
pub struct TitleFigures {
    /// Documents with a collected title.
    pub documents: usize,
    /// Of those, documents whose text holds it: they have a title.
    pub in_text: usize,
    pub exact: usize,
    pub wrong: usize,
    pub missing: usize,
}

impl TitleFigures {
    pub fn add(&mut self, verdict: TitleVerdict) {
        self.documents += 1;
        self.in_text += usize::from(verdict != TitleVerdict::NotInText);
        match verdict {
            TitleVerdict::Exact => self.exact += 1,
            TitleVerdict::Wrong => self.wrong += 1,
            TitleVerdict::Missing => self.missing += 1,
            TitleVerdict::NotInText => {}
        }
    }
}

/// Judges the title `found` in a document's `text` against its collected
/// title: the expected title is the first of its forms that a line of the
/// text holds, or two or three lines run together (a title broken over
/// lines).
pub fn check_title(text: &str, found: Option<&str>, meta_title: &str) -> TitleCheck {
    let lines: Vec<(Vec<char>, Vec<Option<usize>>)> = text
        .lines()
        .map(normalise_marked)
        .filter(|(l, _)| !l.is_empty())
        .collect();
    let holds = |form: &TitleForm| {
        let wanted: Vec<char> = form.text.chars().collect();
        let most = if form.one_line { 1 } else { MAX_TITLE_LINES };
        (0..lines.len()).any(|i| {
            (1..=most).any(|n| {
                i + n <= lines.len() && {
                    let chars: Vec<char> =
                        lines[i..i + n].iter().flat_map(|l| &l.0).copied().collect();
                    let quoted: Vec<Option<usize>> =
                        lines[i..i + n].iter().flat_map(|l| &l.1).copied().collect();
                    chars.windows(wanted.len()).enumerate().any(|(at, w)| {
                        w == wanted.as_slice() && quoted[at].is_none_or(|inside| inside < w.len())
                    })
                }
            })
        })
    };
    let expected = title_forms(meta_title)
        .into_iter()
        .find(|form| holds(form))
        .map(|form| handed_out(&form.text).unwrap_or(form.text));
    let verdict = match (&expected, found) {
        (None, _) => TitleVerdict::NotInText,
        (Some(_), None) => TitleVerdict::Missing,
        (Some(e), Some(f)) if normalise(f) == *e => TitleVerdict::Exact,
        (Some(_), Some(_)) => TitleVerdict::Wrong,
    };
    TitleCheck {
        meta_title: meta_title.to_string(),
        expected,
        verdict,
    }
}

/// A text reduced to what its wording is: simplified characters, no pinyin,
/// ASCII for full-width letters and digits, lower case, letters and digits
/// only. Zeros written `〇` or `○` are `0`, and a `一` between two digits is
/// a dash (`2024一2030年`), dropped as the dash is.
pub fn normalise(s: &str) -> String {
    normalise_marked(s).0.into_iter().collect()
}

/// [`normalise`], and for each character kept that opens a quote inside a
/// line of running text (`制定了《某计划》,请…`: an opening quote stands
/// before it, and the line goes on after the quote closes) the number of
/// characters kept up to the close. A title that a sentence quotes is not
/// the document's title; a title quoted on a line of its own is
/// (`《某计划》`), and so is one that starts with a quoted word
/// (`“十四五”某规划`).
fn normalise_marked(s: &str) -> (Vec<char>, Vec<Option<usize>>) {
    let s = crate::simplify::simplified(s);
    let keep = |c: char| match c {
        '\u{ff01}'..='\u{ff5e}' => char::from_u32(c as u32 - 0xfee0)
            .unwrap_or(c)
            .to_ascii_lowercase(),
        '〇' | '○' => '0',
        _ => c.to_ascii_lowercase(),
    };
    let mut kept: Vec<(char, Option<usize>)> = Vec::with_capacity(s.len() / 3);
    let mut before: Option<char> = None;
    for (i, c) in s.char_indices() {
        let folded = keep(c);
        if folded.is_alphanumeric() {
            let quoted = before.and_then(closing_quote).and_then(|close| {
                let (inside, after) = s[i..].split_once(close)?;
                after.chars().any(char::is_alphanumeric).then(|| {
                    inside
                        .chars()
                        .filter(|c| keep(*c).is_alphanumeric())
                        .count()
                })
            });
            kept.push((folded, quoted));
        }
        before = Some(c);
    }
    let digit = |i: usize| kept.get(i).is_some_and(|(c, _)| c.is_ascii_digit());
    (0..kept.len())
        .filter(|&i| !(kept[i].0 == '一' && i > 0 && digit(i - 1) && digit(i + 1)))
        .map(|i| kept[i])
        .unzip()
}

fn closing_quote(open: char) -> Option<char> {
    match open {
        '《' => Some('》'),
        '“' => Some('”'),
        '「' => Some('」'),
        '『' => Some('』'),
        _ => None,
    }
}

/// Words that end a document's title: a form that is only a note (`(南昌市)`)
/// does not end with one.
const TITLE_ENDINGS: &[&str] = &[
    "要点", "计划", "总结", "方案", "规划", "预案", "意见", "报告", "讲话", "发言", "通知", "通报",
    "汇报", "安排", "措施", "思路", "纲要", "材料",
];

/// Words a sharing site adds after a title.
const SITE_WORDS: &[&str] = &[
    "范文", "范本", "范例", "精选", "大全", "集合", "锦集", "模板", "通用",
];

/// Words that make a bracketed group a sharing site's or a register's
/// addition (`(通用6篇)`, `(第3页)`, `(繁体转载)`, a 文号 `(某卫〔2030〕9号)`),
/// not a part of the title (`(2030—2035年)`, `(征求意见稿)`).
const SITE_GROUP_WORDS: &[&str] = &[
    "篇", "页", "范文", "范本", "范例", "精选", "通用", "热门", "优秀", "锦集", "合集", "大全",
    "转载", "号",
];

/// One form of a collected title.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TitleForm {
    /// Normalised.
    pub text: String,
    /// Whether it still carries a collector's note (`X方案(某卫生院)`),
    /// which a text may show on the line after the title (the issuer) but
    /// never on the title's own line: such a form counts only on one line.
    pub one_line: bool,
}

/// What [`strip_tail`] takes off the end of a title.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tail {
    /// A sharing site's or a register's addition (`(通用6篇)`, `篇1`, `范文`).
    Site,
    /// A collector's note (`(某卫生院)`, a word after a space).
    Note,
    /// A part of the title (`(2030—2035年)`, `(征求意见稿)`).
    Part,
}

/// The forms of a collected title that a document's own title may take,
/// most specific first: a piece's own title that a collection's title
/// names (`X集合 篇1 Y方案`, `X计划 篇1(Y计划)` → `Y…`), then the title
/// without what the site added (`(通用6篇)`, `篇1`, `范文`), then that with
/// a collector's note or a part taken off its end one at a time (`X方案(某
/// 卫生院)` → `X方案`). A speech's or a campaign's subtitle after `——` is
/// not part of the title.
pub fn title_forms(meta: &str) -> Vec<TitleForm> {
    let simplified = crate::simplify::simplified(meta);
    let main = ["——", "--"]
        .iter()
        .filter_map(|d| simplified.split_once(d).map(|(a, _)| a))
        .find(|a| a.chars().count() >= MIN_FORM_CHARS)
        .unwrap_or(&simplified);
    let mut forms: Vec<TitleForm> = Vec::new();
    let mut push = |s: &str, one_line: bool| {
        let text = normalise(s);
        if text.chars().count() >= MIN_FORM_CHARS && !forms.iter().any(|f| f.text == text) {
            forms.push(TitleForm { text, one_line });
        }
    };
    for piece in pieces(main) {
        push(piece, false);
    }
    // Each shorter form and what was taken off it.
    let mut steps: Vec<(&str, Option<Tail>)> = Vec::new();
    let mut t = main.trim();
    while let Some((shorter, tail)) = strip_tail(t).filter(|(s, _)| s.len() < t.len()) {
        steps.push((t, Some(tail)));
        t = shorter;
    }
    steps.push((t, None));
    // A form is the title when nothing the site added is left in it.
    let first_plain = steps
        .iter()
        .rposition(|&(_, tail)| tail == Some(Tail::Site))
        .map_or(0, |i| i + 1);
    for (i, &(form, _)) in steps.iter().enumerate().skip(first_plain) {
        let noted = steps[i..].iter().any(|&(_, tail)| tail == Some(Tail::Note));
        push(form, noted);
    }
    forms
}

fn ends_like_a_title(s: &str) -> bool {
    let s = s.trim();
    TITLE_ENDINGS.iter().any(|w| s.ends_with(w))
}

/// Titles of single pieces named inside a collection's title: a bracketed
/// title, or what follows `篇N`/`之N` after a space.
fn pieces(s: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = s;
    while let Some(open) = rest.find(['(', '（', '【']) {
        let after = &rest[open..];
        let inner_start = open + after.chars().next().map_or(1, char::len_utf8);
        let Some(close) = rest[inner_start..].find([')', '）', '】']) else {
            break;
        };
        let inner = &rest[inner_start..inner_start + close];
        if ends_like_a_title(inner) && inner.chars().count() >= MIN_FORM_CHARS {
            out.push(inner.trim());
        }
        rest = &rest[inner_start + close..];
    }
    for (at, _) in s.match_indices(['篇', '之']) {
        let after = &s[at + '篇'.len_utf8()..];
        let after = after.trim_start_matches(|c: char| c.is_ascii_digit() || is_cn_digit(c));
        if let Some(tail) = after.strip_prefix(' ') {
            if ends_like_a_title(tail) {
                out.push(tail.trim());
            }
        }
    }
    out
}

fn is_cn_digit(c: char) -> bool {
    "一二三四五六七八九十".contains(c)
}

/// Words that make a bracketed group part of a title.
const TITLE_PART_WORDS: &[&str] = &["稿", "试行", "暂行", "草案", "修订"];

/// `s` without the last thing after its title, and what that was: a
/// bracketed group (the site's when it holds one of [`SITE_GROUP_WORDS`]
/// or only a number, a part of the title when it holds a year or one of
/// [`TITLE_PART_WORDS`], else a note), `篇1`, `之一`, `第1篇`, `8篇`, `之`,
/// a [`SITE_WORDS`] word, a bare number (the site's); or a last word set
/// apart by a space (a note).
fn strip_tail(s: &str) -> Option<(&str, Tail)> {
    let t = s.trim_end();
    let numeral = |c: char| c.is_ascii_digit() || is_cn_digit(c);
    if let Some(inner) = t.strip_suffix([')', '）', '】']) {
        if let Some(open) = inner.rfind(['(', '（', '【']) {
            let group = &inner[open..];
            let group = &group[group.chars().next().map_or(0, char::len_utf8)..];
            let year = group
                .char_indices()
                .any(|(i, c)| c == '年' && group[..i].ends_with(|d: char| d.is_ascii_digit()));
            let kind = if SITE_GROUP_WORDS.iter().any(|w| group.contains(w))
                || (!group.is_empty() && group.chars().all(numeral))
            {
                Tail::Site
            } else if year || TITLE_PART_WORDS.iter().any(|w| group.contains(w)) {
                Tail::Part
            } else {
                Tail::Note
            };
            return Some((t[..open].trim_end(), kind));
        }
    }
    let without_number = t.trim_end_matches(numeral);
    if without_number.len() < t.len() {
        let before = without_number
            .strip_suffix(['篇', '之'])
            .unwrap_or(without_number);
        return Some((before.trim_end(), Tail::Site));
    }
    if let Some(before) = t.strip_suffix('篇') {
        let before = before.trim_end_matches(numeral);
        return Some((
            before.strip_suffix('第').unwrap_or(before).trim_end(),
            Tail::Site,
        ));
    }
    if let Some(before) = t.strip_suffix('之') {
        return Some((before.trim_end(), Tail::Site));
    }
    if let Some(w) = SITE_WORDS.iter().find(|w| t.ends_with(*w)) {
        return Some((t[..t.len() - w.len()].trim_end(), Tail::Site));
    }
    t.rsplit_once(' ')
        .map(|(before, _)| (before.trim_end(), Tail::Note))
}

/// The plan a cover letter's title hands out: `…印发X的通知` → `X`
/// (normalised forms).
fn handed_out(form: &str) -> Option<String> {
    let (_, x) = form.split_once("印发")?;
    let x = x
        .strip_suffix("的通知")
        .or_else(|| x.strip_suffix("通知"))?;
    (x.chars().count() >= MIN_FORM_CHARS).then(|| x.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalising_keeps_only_the_wording() {
        assert_eq!(
            normalise("某縣２０３０年 衛生工作計劃（征求意见稿）"),
            "某县2030年卫生工作计划征求意见稿"
        );
        assert_eq!(normalise("某醫(yī)院XX方案"), "某医院xx方案");
        assert_eq!(
            normalise("行动计划(2030一2035年)"),
            normalise("行动计划(2030—2035年)")
        );
        assert_eq!(normalise("二〇三〇年"), normalise("二0三0年"));
        // A 一 between words is a word.
        assert_eq!(normalise("一年来"), "一年来");
    }

    fn forms(meta: &str) -> Vec<String> {
        title_forms(meta).into_iter().map(|f| f.text).collect()
    }

    #[test]
    fn a_site_title_is_read_in_its_forms() {
        assert_eq!(
            forms("某镇卫生院工作计划(通用8篇)之1"),
            ["某镇卫生院工作计划"]
        );
        assert_eq!(
            forms("某社区工作计划 篇1(某社区老年健康工作计划)"),
            ["某社区老年健康工作计划", "某社区工作计划"]
        );
        assert_eq!(
            forms("某类方案集合(精选3篇)篇1 某县某项工作方案"),
            ["某县某项工作方案", "某类方案"]
        );
        assert_eq!(
            forms("凝心聚力 再上台阶——在某县某会议上的讲话"),
            ["凝心聚力再上台阶", "凝心聚力"]
        );
        assert_eq!(
            forms("某地卫生工作总结范文篇一(上半年)"),
            ["某地卫生工作总结"]
        );
        assert_eq!(forms("某卫生工作计划十篇之第一篇"), ["某卫生工作计划"]);
        assert_eq!(
            forms("关于公布某某名单的通知(某卫〔2030〕9号)"),
            ["关于公布某某名单的通知"]
        );
        // A note in brackets is not a piece's title, nor the site's.
        assert_eq!(forms("某某活动方案(汇总18篇)篇一(某市)"), ["某某活动方案"]);
        assert_eq!(
            forms("某某健康管理实施方案(某中心卫生院)"),
            ["某某健康管理实施方案某中心卫生院", "某某健康管理实施方案"]
        );
        let noted: Vec<bool> = title_forms("某某健康管理实施方案(某中心卫生院)")
            .iter()
            .map(|f| f.one_line)
            .collect();
        assert_eq!(noted, [true, false]);
        // Parts of the title stay.
        assert_eq!(
            forms("某某行动计划(2030—2035年)"),
            ["某某行动计划20302035年", "某某行动计划"]
        );
    }

    #[test]
    fn the_expected_title_is_the_first_form_the_text_holds() {
        let text = "某站首页\n某某行动计划(2030-2035年)\n为做好工作,制定本计划。";
        let meta = "某某行动计划(2030—2035年)";
        let c = check_title(text, Some("某某行动计划(2030-2035年)"), meta);
        assert_eq!(c.verdict, TitleVerdict::Exact);
        // The years belong to the title as the text writes it.
        let c = check_title(text, Some("某某行动计划"), meta);
        assert_eq!(c.verdict, TitleVerdict::Wrong);
        let c = check_title(text, None, meta);
        assert_eq!(c.verdict, TitleVerdict::Missing);
        // A site's additions that the text lacks are not expected.
        let text = "某镇卫生院工作计划\n为做好工作,制定本计划。";
        let c = check_title(
            text,
            Some("某鎮衛生院工作計劃"),
            "某镇卫生院工作计划(通用8篇)",
        );
        assert_eq!(c.verdict, TitleVerdict::Exact);
        // A title over two lines; an issuer on the line after it is not a
        // part of it.
        let text = "某地改革完善卫生行业\n综合监管制度的实施方案\n某中心卫生院\n各单位:";
        let c = check_title(
            text,
            None,
            "某地改革完善卫生行业综合监管制度的实施方案(某中心卫生院)",
        );
        assert_eq!(
            c.expected.as_deref(),
            Some("某地改革完善卫生行业综合监管制度的实施方案")
        );
        // A title that a sentence quotes is not the document's; one quoted
        // on its own line is.
        let c = check_title(
            "制定了《某镇卫生院工作计划》,请执行。",
            None,
            "某镇卫生院工作计划",
        );
        assert_eq!(c.verdict, TitleVerdict::NotInText);
        for text in ["《某镇卫生院工作计划》", "“某镇”卫生院工作计划的通知"]
        {
            let c = check_title(text, None, "“某镇”卫生院工作计划");
            assert_eq!(c.verdict, TitleVerdict::Missing, "{text}");
        }
        // A text without the title is not judged.
        let c = check_title("为做好工作,制定本计划。", None, "某镇卫生院工作计划");
        assert_eq!(c.verdict, TitleVerdict::NotInText);
        assert_eq!(c.expected, None);
    }

    #[test]
    fn a_cover_letter_title_expects_the_plan_it_hands_out() {
        let text = "某委关于印发2030年全市卫生工作要点的通知\n各单位:\n现将《2030年全市卫生工作要点》印发给你们。";
        let meta = "某委关于印发2030年全市卫生工作要点的通知";
        let c = check_title(text, Some("2030年全市卫生工作要点"), meta);
        assert_eq!(c.verdict, TitleVerdict::Exact);
        let c = check_title(text, Some(meta), meta);
        assert_eq!(c.verdict, TitleVerdict::Wrong);
        // A letter that hands out nothing is its own title.
        let text = "某委关于加强某项工作的通知\n各单位:";
        let c = check_title(
            text,
            Some("某委关于加强某项工作的通知"),
            "某委关于加强某项工作的通知",
        );
        assert_eq!(c.verdict, TitleVerdict::Exact);
    }

    #[test]
    fn meta_tsv_needs_file_and_title_columns() {
        let path = Path::new("meta.tsv");
        let m = MetaTitles::parse(path, "file\tsplit\ttitle\na.txt\ttrain\t某计划\n").unwrap();
        assert_eq!(m.get("a.txt"), Some("某计划"));
        assert_eq!(m.get("b.txt"), None);
        let e = MetaTitles::parse(path, "file\tsplit\na.txt\ttrain\n").unwrap_err();
        assert!(e.to_string().contains("meta.tsv"), "{e}");
        let e = MetaTitles::parse(path, "file\tsplit\ttitle\na.txt\n").unwrap_err();
        assert!(e.to_string().contains(":2"), "{e}");
    }

    #[test]
    fn figures_count_each_verdict() {
        let mut f = TitleFigures::default();
        for v in [
            TitleVerdict::Exact,
            TitleVerdict::Exact,
            TitleVerdict::Wrong,
            TitleVerdict::Missing,
            TitleVerdict::NotInText,
        ] {
            f.add(v);
        }
        assert_eq!(
            (f.documents, f.in_text, f.exact, f.wrong, f.missing),
            (5, 4, 2, 1, 1)
        );
    }
}
