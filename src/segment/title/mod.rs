//! The plan's own title as a line shows it: a short line that ends with a
//! word naming a plan document (`…工作要点`, `…實施方案`) once the junk that
//! sharing sites and file names add around it is stripped (`.docx`, `_第1页`,
//! `(通用6篇)`, `范文`, `篇1`, a `《…》` wrapper, a leading or trailing 文号).
//! Also the pieces of a first line into which a title runs with no break
//! (`…工作总结各位领导、同志们：…`), and the kinds of front-matter lines
//! that are neither title nor text (labels, sharing-site boilerplate, the
//! sentences of a cover letter, its date).

use super::markers::{fold_start, parse_marker};
use crate::clean;

mod junk;

use junk::*;
pub(super) use junk::{
    has_junk_word, is_boilerplate, is_date_line, is_label_line, is_notice_sentence, is_prose,
    published,
};

/// Words that end a plan document's title, simplified and traditional.
pub(super) const DOC_WORDS: &[&str] = &[
    "要点",
    "要點",
    "计划",
    "計劃",
    "计画",
    "計畫",
    "总结",
    "總結",
    "方案",
    "规划",
    "規劃",
    "报告",
    "報告",
    "意见",
    "意見",
    "安排",
    "纲要",
    "綱要",
    "措施",
    "讲话",
    "講話",
    "预案",
    "預案",
    "通报",
    "通報",
    "汇报",
    "匯報",
    "彙報",
    "思路",
    "发言",
    "發言",
    "计划书",
    "計劃書",
    "材料",
    "通知",
    "策划",
    "策劃",
];

/// Whether a character ends one of the [`DOC_WORDS`] (a test keeps them in
/// step): most characters do not, and are passed over without a search.
fn may_end_doc_word(c: char) -> bool {
    matches!(
        c,
        '点' | '點'
            | '划'
            | '劃'
            | '画'
            | '畫'
            | '结'
            | '結'
            | '案'
            | '告'
            | '见'
            | '見'
            | '排'
            | '要'
            | '施'
            | '话'
            | '話'
            | '报'
            | '報'
            | '路'
            | '言'
            | '书'
            | '書'
            | '料'
            | '知'
    )
}

/// Whether a text ends with one of the [`DOC_WORDS`].
fn ends_with_doc_word(s: &str) -> bool {
    s.chars().next_back().is_some_and(may_end_doc_word) && DOC_WORDS.iter().any(|w| s.ends_with(w))
}

/// Words looked for anywhere in a line, found by their first character.
struct WordSet(rustc_hash::FxHashMap<char, Vec<&'static str>>);

impl WordSet {
    fn new(words: &[&'static str]) -> Self {
        let mut map: rustc_hash::FxHashMap<char, Vec<&'static str>> = Default::default();
        for w in words {
            if let Some(c) = w.chars().next() {
                map.entry(c).or_default().push(w);
            }
        }
        WordSet(map)
    }

    fn found_in(&self, s: &str) -> bool {
        s.char_indices().any(|(i, c)| {
            self.0
                .get(&c)
                .is_some_and(|ws| ws.iter().any(|w| s[i..].starts_with(w)))
        })
    }
}
/// Words after a document word that belong to the title but do not end it:
/// `…实施方案征求意见稿`, `…工作计划汇总`.
const KEPT_TAILS: &[&str] = &[
    "征求意见稿",
    "徵求意見稿",
    "试行",
    "試行",
    "草案",
    "送审稿",
    "讨论稿",
    "修订稿",
    "初稿",
    "汇总",
    "彙總",
];

/// Longest title, in characters, once cleaned.
const MAX_TITLE_CHARS: usize = 80;
/// Longest title running into the text on its line, in characters.
const MAX_RUN_ON_TITLE_CHARS: usize = 60;

/// Words that open a plan's text right after its title on the same line.
const OPENERS: &[&str] = &[
    "为",
    "為",
    "根据",
    "根據",
    "按照",
    "依据",
    "依據",
    "今年",
    "去年",
    "本年",
    "一年来",
    "一年來",
    "近年来",
    "近年來",
    "随着",
    "隨著",
    "各位",
    "同志们",
    "同志們",
    "尊敬的",
    "当前",
    "當前",
    "目前",
    "二〇",
    "二○",
    "二0",
    "二零",
];
/// Whether a text ends with a document word, allowing a bracketed tail
/// (`(2016—2030年)`, `(征求意见稿)`) and the words of [`KEPT_TAILS`].
pub(super) fn has_doc_ending(s: &str) -> bool {
    let mut t = s.trim_end_matches(clean::is_space);
    for _ in 0..4 {
        if ends_with_doc_word(t) {
            return true;
        }
        if let Some((before, inner)) = trailing_group(t) {
            if inner.chars().count() <= 20 {
                t = before.trim_end_matches(clean::is_space);
                continue;
            }
        }
        match KEPT_TAILS.iter().find_map(|w| t.strip_suffix(w)) {
            Some(rest) => t = rest.trim_end_matches(clean::is_space),
            None => return false,
        }
    }
    false
}

/// A title written twice on one line, `XX方案XX方案` or `2020年XX方案XX方案`:
/// the first.
fn undouble(s: &str) -> &str {
    for (i, _) in s.char_indices().skip(4) {
        let (a, b) = s.split_at(i);
        if b.chars().count() >= 4
            && ends_with_doc_word(a)
            && a.ends_with(b.trim_start_matches(clean::is_space))
        {
            return a;
        }
    }
    s
}

/// The cleaned title a line holds, if it holds one.
pub(super) fn title_of(line: &str) -> Option<String> {
    // Cleaning folds digits and letters and drops spaces only, so the
    // cheap tests run on the line as it is, before any copy.
    let line = line.trim_matches(clean::is_space);
    if line.len() > 4 * 2 * MAX_TITLE_CHARS
        || line.chars().nth(2 * MAX_TITLE_CHARS).is_some()
        || !line.chars().any(may_end_doc_word)
        || line.contains([
            '。', '；', ';', '，', ',', '！', '？', '!', '?', '>', '›', '»', '|', '<',
        ])
        || line.starts_with(['[', '—', '-'])
        || ["附件", "上一篇", "下一篇", "相关", "相關"]
            .iter()
            .any(|w| line.starts_with(w))
        || ["现将", "現將"].iter().any(|w| line.contains(w))
        || BOILERPLATE_SET.found_in(line)
    {
        return None;
    }
    let mut text = String::with_capacity(line.len());
    clean::clean_line(line, &mut text);
    let text = crate::simplify::strip_pinyin(&text);
    let s: &str = &text;
    let mut s = strip_junk_head(s);
    if s.contains([':', '：']) {
        return None;
    }
    for _ in 0..3 {
        let before = s.len();
        s = strip_junk_head(s);
        if let Some(inner) = s.strip_prefix('《') {
            s = match inner.strip_suffix('》') {
                Some(inner) if !inner.contains('《') => inner,
                _ if !inner.contains('》') => inner,
                _ => s,
            };
        }
        s = strip_doc_number_tail(strip_junk_tail(s));
        if s.len() == before {
            break;
        }
    }
    // The first `_` ends a file name's title: `X方案_第1页`, `X计划范本_卫生工作计划_`.
    if let Some(at) = s.find('_') {
        let head = strip_junk_tail(&s[..at]);
        if has_doc_ending(head) {
            s = head;
        }
    }
    if let Some(x) = published(s) {
        s = x;
    }
    if parse_marker(&fold_start(s), true).is_some() || !has_doc_ending(s) {
        return None;
    }
    // A speech's subtitle: `主标题 ——在…会议上的讲话`.
    for dash in ["——在", "—在", "--在"] {
        if let Some(at) = s.find(dash) {
            let main = s[..at].trim_end_matches(clean::is_space);
            if main.chars().count() >= 4 {
                s = main;
            }
            break;
        }
    }
    let s = undouble(s).trim_matches(clean::is_space);
    // Words, not a date with a document word (`2030/01/02总结`) nor the
    // second half of a title broken after its year (`年卫生工作要点`).
    let words = s
        .chars()
        .filter(|c| ('\u{4e00}'..='\u{9fff}').contains(c) && !matches!(c, '年' | '月' | '日'))
        .count();
    let n = s.chars().count();
    (words >= 4 && n <= MAX_TITLE_CHARS && !s.starts_with(['年', '月', '日']))
        .then(|| s.to_string())
}

/// A title running into the text on one line: byte ranges of the title
/// (junk after it included) and of the text after it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct RunOn {
    pub(super) title: (usize, usize),
    pub(super) rest: usize,
}

/// Where a sharing site's or a letterhead's lead-in ends: `精选优质文档-倾情
/// 为你奉上`, `XX网:`, `XX文件 X发【2011】10号`, stray quotes.
fn lead_in_end(line: &str) -> usize {
    let mut start = 0;
    let head = &line[..line.char_indices().nth(40).map_or(line.len(), |(i, _)| i)];
    if let Some(at) = head.find("倾情为你奉上") {
        start = at + "倾情为你奉上".len();
    }
    if let Some(at) = head
        .char_indices()
        .take(20)
        .find(|&(i, c)| matches!(c, ':' | '：') && head[..i].ends_with('网'))
        .map(|(i, c)| i + c.len_utf8())
    {
        start = start.max(at);
    }
    if let Some(end) = head
        .char_indices()
        .map(|(i, c)| i + c.len_utf8())
        .rfind(|&end| end > start && is_doc_number_end(head, end))
    {
        start = end;
    }
    start + line[start..].len()
        - line[start..]
            .trim_start_matches(|c: char| {
                clean::is_space(c) || (c.is_ascii_punctuation() && c != '*')
            })
            .len()
}

/// An opener of the plan's text at the start of `s`: an [`OPENERS`] word,
/// a year (`2023年`, `20**年`), an addressee (`各科室:`), which the text
/// keeps (length zero), or a colon, which it drops (its length).
fn opener_len(s: &str) -> Option<usize> {
    if let Some(c) = s.chars().next().filter(|c| matches!(c, ':' | '：')) {
        return Some(c.len_utf8());
    }
    if OPENERS.iter().any(|w| s.starts_with(w)) {
        return Some(0);
    }
    // A year: `2023年`, `20**年`, `xx年`.
    let compact: Vec<char> = s.chars().filter(|c| !clean::is_space(*c)).take(6).collect();
    let placeholder = |c: char| matches!(c, 'x' | 'X' | '*' | '＊' | '×' | '_');
    let lead = match compact.as_slice() {
        ['2', '0', ..] => 2,
        [a, b, ..] if placeholder(*a) && placeholder(*b) => 2,
        _ => 0,
    };
    if lead > 0 {
        let more = compact[lead..]
            .iter()
            .take_while(|c| c.is_ascii_digit() || placeholder(**c))
            .count();
        if more <= 2 && compact.get(lead + more) == Some(&'年') {
            return Some(0);
        }
    }
    // An addressee: 各 and a few characters, then a colon.
    if s.starts_with('各') {
        let head: String = s.chars().take(16).collect();
        if let Some(at) = head.find([':', '：']) {
            if !head[..at].contains(['。', '，', ',']) {
                return Some(0);
            }
        }
    }
    None
}

/// Skips junk between a title and the text: spaces, `.doc`, `范文`, `篇一`.
fn skip_junk_forward(s: &str) -> (usize, bool) {
    let mut at = 0;
    let mut file = false;
    for _ in 0..4 {
        let t = &s[at..];
        let spaces = t.len() - t.trim_start_matches(clean::is_space).len();
        at += spaces;
        let t = &s[at..];
        if let Some(ext) = [".docx", ".doc", ".pdf"].into_iter().find(|e| {
            t.len() >= e.len()
                && t.is_char_boundary(e.len())
                && t[..e.len()].eq_ignore_ascii_case(e)
        }) {
            at += ext.len();
            file = true;
            continue;
        }
        if let Some(w) = JUNK_WORDS.iter().find(|w| t.starts_with(*w)) {
            at += w.len();
            continue;
        }
        if let Some(r) = t.strip_prefix(['(', '（', '【']) {
            if let Some(close) = r.find([')', '）', '】']) {
                if is_junk_inside(&r[..close]) {
                    let close_len = r[close..].chars().next().map_or(1, char::len_utf8);
                    at += t.len() - r.len() + close + close_len;
                    continue;
                }
            }
        }
        if let Some(r) = t.strip_prefix('篇') {
            // `篇一` or `篇1`, not the year that may follow: `篇一2023年`.
            let n = r.trim_start_matches(clean::is_cn_numeral);
            let n = if n.len() < r.len() {
                n
            } else {
                let digits = r.bytes().take_while(u8::is_ascii_digit).count().min(2);
                &r[digits..]
            };
            if n.len() < r.len() {
                at += t.len() - n.len();
                continue;
            }
        }
        if spaces == 0 {
            break;
        }
    }
    (at, file)
}

/// A title at the start of a line of text, ending with a document word
/// within [`MAX_RUN_ON_TITLE_CHARS`] characters and followed by an opener
/// of the text or a file extension: `XX工作总结范文篇一20**年，…`.
pub(super) fn run_on_title(line: &str) -> Option<RunOn> {
    let start = lead_in_end(line);
    let text = &line[start..];
    if OPENERS.iter().any(|w| text.starts_with(w)) {
        return None;
    }
    // The last document word before any punctuation that an opener follows:
    // `X总结及Y计划2023年，…` is cut after 计划.
    let mut found = None;
    for (i, c) in text.char_indices().take(MAX_RUN_ON_TITLE_CHARS) {
        if matches!(
            c,
            '。' | '，' | ',' | '；' | ';' | '：' | ':' | '！' | '？' | '!' | '?' | '《' | '》'
        ) {
            break;
        }
        let end = i + c.len_utf8();
        // Four characters at least.
        if end < 4 * 3 || !may_end_doc_word(c) || !ends_with_doc_word(&text[..end]) {
            continue;
        }
        let mut title_end = end;
        // A bracketed tail that belongs to the title: `(2024—2030年)`.
        if let Some(r) = text[end..].strip_prefix(['(', '（']) {
            if let Some(close) = r.find([')', '）']) {
                if r[..close].chars().count() <= 16 && !is_junk_inside(&r[..close]) {
                    let close_len = r[close..].chars().next().map_or(1, char::len_utf8);
                    title_end = text.len() - r.len() + close + close_len;
                }
            }
        }
        let (junk, file) = skip_junk_forward(&text[title_end..]);
        let after = &text[title_end + junk..];
        let Some(opener) = opener_len(after).or(file.then_some(0)) else {
            continue;
        };
        let rest = title_end + junk + opener;
        let rest =
            rest + (text[rest..].len() - text[rest..].trim_start_matches(clean::is_space).len());
        found = Some(RunOn {
            title: (start, start + title_end + junk),
            rest: start + rest,
        });
    }
    found
}

#[cfg(test)]
mod tests {
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
}
