//! Tokenisation stage: jieba-rs (precise mode) with the user dictionary and
//! stopwords carried by the model, so a loaded model rebuilds exactly the
//! tokeniser it was trained with. Produces the feature terms of a task: its
//! words, optional word bigrams, and its heading-path words marked `H:`.
//!
//! jieba cuts the simplified form of every text ([`crate::simplify`]), never
//! the text as written: training and tagging both come through here, so a
//! plan in traditional characters gets the terms of its simplified twin.

use std::borrow::Cow;
use std::io::BufReader;

use jieba_rs::Jieba;
use rustc_hash::{FxHashMap, FxHashSet};
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::simplify::{is_ideograph, simplified};

/// How many bytes of text one jieba call cuts at most (a single longer text
/// is cut whole). Large enough that the per-call cost is lost in the noise,
/// small enough that jieba's token list (about 13 bytes per byte of text)
/// stays a few megabytes whatever the plan's length.
const CUT_CHUNK: usize = 256 * 1024;

/// Where a piece of a form sits: (form index, start and end in the joined
/// text, start in the form).
type Span = (usize, usize, usize, usize);

/// A form in pieces of at most [`CUT_CHUNK`] bytes where it can be split
/// without changing jieba's tokens: after a line break or a `。`, both of
/// which jieba always cuts off as tokens of their own. A stretch of
/// `CUT_CHUNK` bytes with neither stays whole. Yields (start, piece).
fn pieces(form: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut start = 0;
    std::iter::from_fn(move || {
        if start >= form.len() {
            return None;
        }
        let rest = &form[start..];
        let mut end = rest.len();
        if end > CUT_CHUNK {
            let mut window = CUT_CHUNK;
            while !rest.is_char_boundary(window) {
                window -= 1;
            }
            let head = &rest[..window];
            end = match (head.rfind('\n'), head.rfind('。')) {
                (Some(a), Some(b)) => (a + 1).max(b + '。'.len_utf8()),
                (Some(a), None) => a + 1,
                (None, Some(b)) => b + '。'.len_utf8(),
                (None, None) => match rest[window..].find(['\n', '。']) {
                    Some(i) if rest[window + i..].starts_with('\n') => window + i + 1,
                    Some(i) => window + i + '。'.len_utf8(),
                    None => rest.len(),
                },
            };
        }
        let piece = (start, &rest[..end]);
        start += end;
        Some(piece)
    })
}

/// Everything that decides how text becomes terms; stored in the model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TokenizerSettings {
    /// jieba's HMM for words not in the dictionary.
    pub hmm: bool,
    /// Add `a_b` bigrams of adjacent kept words.
    pub bigrams: bool,
    /// Add the words of the heading path as `H:word` terms.
    pub path_terms: bool,
    /// User dictionary in jieba's format (`word freq tag` per line).
    pub user_dict: String,
    /// Words dropped after segmentation.
    pub stopwords: Vec<String>,
}

/// A ready tokeniser.
pub struct Tokenizer {
    jieba: Jieba,
    /// Looked up once per token: a fast hash matters more than DoS
    /// resistance for a fixed word list.
    stopwords: FxHashSet<String>,
    settings: TokenizerSettings,
}

impl Tokenizer {
    /// Builds jieba with its default dictionary plus the user dictionary.
    pub fn new(settings: TokenizerSettings) -> Result<Self> {
        let mut jieba = Jieba::new();
        jieba
            .load_dict(&mut BufReader::new(settings.user_dict.as_bytes()))
            .map_err(|e| Error::UserDictionary(e.to_string()))?;
        Ok(Tokenizer {
            jieba,
            stopwords: settings.stopwords.iter().cloned().collect(),
            settings,
        })
    }

    pub fn settings(&self) -> &TokenizerSettings {
        &self.settings
    }

    /// Number of raw jieba tokens of a text as written, with nothing
    /// filtered, converted or allocated: the floor the pipeline's speed is
    /// measured against.
    pub fn bare_cut(&self, text: &str) -> usize {
        self.jieba.cut(text, self.settings.hmm).len()
    }

    /// Kept words of a text's simplified form: no punctuation, whitespace,
    /// numbers or stopwords. Slices of `text` when it is its own simplified
    /// form (no copy), owned words otherwise.
    pub fn words<'a>(&self, text: &'a str) -> Vec<Cow<'a, str>> {
        match simplified(text) {
            Cow::Borrowed(form) => self
                .jieba_cut(form)
                .filter(|w| self.keeps(w))
                .map(Cow::Borrowed)
                .collect(),
            Cow::Owned(form) => self
                .jieba_cut(&form)
                .filter(|w| self.keeps(w))
                .map(|w| Cow::Owned(w.to_owned()))
                .collect(),
        }
    }

    /// Whether a raw jieba token is kept as a word (see [`Tokenizer::words`]).
    pub fn keeps(&self, word: &str) -> bool {
        keep_word(word) && !self.stopwords.contains(word)
    }

    /// Raw jieba tokens of the simplified forms of many texts, nothing
    /// filtered, with one jieba call: `f(i, token)` for each token of
    /// `texts[i]`. Each text gets exactly the tokens [`Tokenizer::cut`]
    /// gives it.
    pub fn cut_batch(&self, texts: &[&str], mut f: impl FnMut(usize, &str)) {
        let capacity = texts.iter().map(|t| t.len() + 1).sum();
        let forms = texts.iter().map(|t| simplified(t));
        self.cut_forms(forms, capacity, |part, _, word| f(part, word));
    }

    /// [`Tokenizer::cut_batch`] on texts already in simplified form:
    /// `f(i, offset, token)`, `offset` being where the token starts in the
    /// `i`th form. The forms are joined with line breaks, where jieba always
    /// splits, so each gets exactly the tokens a call of its own would give.
    /// They are joined and cut [`CUT_CHUNK`] bytes at a time (`capacity`
    /// bytes in all): jieba's token list takes about 13 bytes per byte of
    /// text, so one call over a whole long plan would hold many times the
    /// plan in memory.
    fn cut_forms(
        &self,
        forms: impl ExactSizeIterator<Item = impl AsRef<str>>,
        capacity: usize,
        mut f: impl FnMut(usize, usize, &str),
    ) {
        let mut joined = String::with_capacity(capacity.min(CUT_CHUNK + 1));
        // (part, start in `joined`, end in `joined`, start in the form).
        let mut spans: Vec<Span> = Vec::new();
        for (part, form) in forms.enumerate() {
            let form = form.as_ref();
            for (offset, piece) in pieces(form) {
                if !joined.is_empty() && joined.len() + piece.len() > CUT_CHUNK {
                    self.cut_joined(&joined, &spans, &mut f);
                    joined.clear();
                    spans.clear();
                }
                let start = joined.len();
                joined.push_str(piece);
                spans.push((part, start, joined.len(), offset));
                joined.push('\n');
            }
        }
        self.cut_joined(&joined, &spans, &mut f);
    }

    /// One jieba call over forms joined by line breaks (see
    /// [`Tokenizer::cut_forms`]).
    fn cut_joined(&self, joined: &str, spans: &[Span], f: &mut impl FnMut(usize, usize, &str)) {
        if spans.is_empty() {
            return;
        }
        // The current piece's span and where the next one starts, kept in
        // locals: this loop runs once per token.
        let next_start_of = |i: usize| spans.get(i + 1).map_or(usize::MAX, |s| s.1);
        let mut i = 0;
        let (mut part, mut start, mut end, mut offset) = spans[0];
        let mut next_start = next_start_of(0);
        for token in self.jieba.cut(joined, self.settings.hmm) {
            while token.byte_start >= next_start {
                i += 1;
                (part, start, end, offset) = spans[i];
                next_start = next_start_of(i);
            }
            if token.byte_end <= end {
                f(part, token.byte_start - start + offset, token.word);
            } // else the joining line break
        }
    }

    /// Raw jieba tokens of the simplified form of one text: `f(token)` for
    /// each.
    pub fn cut(&self, text: &str, f: impl FnMut(&str)) {
        self.jieba_cut(&simplified(text)).for_each(f)
    }

    /// Raw jieba tokens of a text already in simplified form.
    fn jieba_cut<'a>(&self, form: &'a str) -> impl Iterator<Item = &'a str> {
        self.jieba
            .cut(form, self.settings.hmm)
            .into_iter()
            .map(|t| t.word)
    }

    /// The terms of many tasks, the one definition of a task's features
    /// for training and tagging: every kept word of its title and text
    /// (and, when bigrams are on, every pair of adjacent kept words within
    /// each), then every kept word of each heading on its path (when path
    /// terms are on). Each term is given to `map` (which spells it as a
    /// string, or looks up its index) and what `map` returns to
    /// `f(task, value)`. All titles and texts are cut with one jieba call;
    /// each distinct heading is cut and mapped once.
    ///
    /// `map` may declare that it returns `None` for every word
    /// [`Tokenizer::keeps`] drops (`map_drops_unkept`, true of a lookup
    /// holding only kept words): raw tokens then reach it unfiltered, which
    /// gives the same values for less work. Bigrams need the filtered
    /// sequence, so with bigrams words are always filtered.
    pub fn for_each_task_term<T: Clone>(
        &self,
        tasks: &[TaskText<'_>],
        map_drops_unkept: bool,
        map: impl Fn(Term<'_>) -> Option<T>,
        mut f: impl FnMut(usize, T),
    ) {
        let filter = !map_drops_unkept || self.settings.bigrams;
        let texts: Vec<&str> = tasks
            .iter()
            .flat_map(|(title, text, _)| [*title, *text])
            .collect();
        let capacity = texts.iter().map(|t| t.len() + 1).sum();
        let forms = texts.iter().map(|t| simplified(t));
        // The part (title or text) and word of the previous kept word.
        let mut previous: (usize, String) = (usize::MAX, String::new());
        self.cut_forms(forms, capacity, |part, _, word| {
            if filter && !self.keeps(word) {
                return;
            }
            let task = part / 2;
            if self.settings.bigrams {
                if previous.0 == part {
                    f_some(&mut f, task, map(Term::Bigram(&previous.1, word)));
                }
                previous.0 = part;
                previous.1.clear();
                previous.1.push_str(word);
            }
            f_some(&mut f, task, map(Term::Word(word)));
        });
        if !self.settings.path_terms {
            return;
        }
        let mut heading_terms: FxHashMap<&str, Vec<T>> = FxHashMap::default();
        for (task, (_, _, path)) in tasks.iter().enumerate() {
            for heading in path.iter() {
                let terms = heading_terms.entry(heading.as_str()).or_insert_with(|| {
                    let mut terms = Vec::new();
                    self.cut(heading, |w| {
                        if !filter || self.keeps(w) {
                            terms.extend(map(Term::Heading(w)));
                        }
                    });
                    terms
                });
                for t in terms.iter() {
                    f(task, t.clone());
                }
            }
        }
    }

    /// The terms of a task as strings (see [`Tokenizer::for_each_task_term`]).
    pub fn terms(&self, title: &str, text: &str, path: &[String]) -> Vec<String> {
        self.terms_batch(&[(title, text, path)])
            .pop()
            .unwrap_or_default()
    }

    /// The terms of many tasks as strings, with one jieba call.
    pub fn terms_batch(&self, tasks: &[TaskText<'_>]) -> Vec<Vec<String>> {
        let mut terms = vec![Vec::new(); tasks.len()];
        self.for_each_task_term(
            tasks,
            false,
            |term| Some(term.to_string()),
            |task, term| terms[task].push(term),
        );
        terms
    }
}

/// `f(task, value)` when there is a value.
#[inline(always)]
fn f_some<T>(f: &mut impl FnMut(usize, T), task: usize, value: Option<T>) {
    if let Some(v) = value {
        f(task, v);
    }
}

/// A task as the tokeniser reads it: title, text and heading path.
pub type TaskText<'a> = (&'a str, &'a str, &'a [String]);

/// One feature term of a task, before it becomes a string or an index.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Term<'a> {
    /// A kept word of the title or text, spelled as itself.
    Word(&'a str),
    /// Two adjacent kept words, spelled `a_b`.
    Bigram(&'a str, &'a str),
    /// A kept word of a heading on the task's path, spelled `H:word`.
    Heading(&'a str),
}

impl std::fmt::Display for Term<'_> {
    /// The term as the vocabulary spells it.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Term::Word(w) => f.write_str(w),
            Term::Bigram(a, b) => write!(f, "{a}_{b}"),
            Term::Heading(w) => write!(f, "H:{w}"),
        }
    }
}

/// Drops punctuation, whitespace, pure numbers and lone Latin letters.
/// Runs once per token, so the common case (a Chinese word) is decided from
/// its first character.
fn keep_word(w: &str) -> bool {
    let mut chars = w.chars();
    let Some(first) = chars.next() else {
        return false;
    };
    if is_ideograph(first) {
        // Chinese numerals alone (一, 二十) are outline numbering, not content.
        return !w.chars().all(crate::clean::is_cn_numeral);
    }
    let mut has_cjk = false;
    let mut has_alpha = false;
    let mut all_numeric = true;
    for c in w.chars() {
        if crate::clean::is_wide(c) && c.is_alphanumeric() {
            has_cjk = true;
        }
        if c.is_ascii_alphabetic() {
            has_alpha = true;
        }
        if !(c.is_ascii_digit() || matches!(c, '.' | '%' | '‰')) {
            all_numeric = false;
        }
    }
    !all_numeric && (has_cjk || (has_alpha && w.len() >= 2))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokenizer() -> Tokenizer {
        Tokenizer::new(TokenizerSettings {
            hmm: true,
            bigrams: true,
            path_terms: true,
            user_dict: "医共体 1000 n\n两癌筛查 1000 n\n".to_string(),
            stopwords: vec!["的".into(), "加强".into()],
        })
        .unwrap()
    }

    #[test]
    fn drops_punctuation_numbers_and_stopwords() {
        let t = tokenizer();
        let words = t.words("加强县域医共体建设,2020年完成85%的两癌筛查。DRG改革 a");
        let words: Vec<&str> = words.iter().map(|w| w.as_ref()).collect();
        assert!(words.contains(&"医共体"), "{words:?}");
        assert!(words.contains(&"两癌筛查"), "{words:?}");
        assert!(words.contains(&"DRG"), "{words:?}");
        for dropped in ["加强", "的", ",", "。", "2020", "85", "%", "a", " "] {
            assert!(!words.contains(&dropped), "{dropped} kept in {words:?}");
        }
    }

    /// Texts longer than one jieba call's share are cut in pieces, each
    /// token keeping its word and its offset in its own text: the same as
    /// one call over each text, for a text split after line breaks, one
    /// split after `。` only, and one with neither for its whole length.
    #[test]
    fn long_texts_cut_in_pieces_give_the_tokens_of_one_call() {
        let t = tokenizer();
        let plan = include_str!("../examples/plans/000_87bfdf8877983873.txt");
        let lines = plan.repeat(1 + 3 * CUT_CHUNK / plan.len());
        let sentences = lines.replace('\n', "");
        let unbroken = "医共体建设".repeat(CUT_CHUNK / 8);
        let texts = [
            "短文本。",
            lines.as_str(),
            "",
            sentences.as_str(),
            unbroken.as_str(),
        ];
        assert!(pieces(&sentences).count() > 2 && pieces(&lines).count() > 2);
        let mut got: Vec<Vec<(usize, String)>> = vec![Vec::new(); texts.len()];
        t.cut_forms(texts.iter(), usize::MAX, |i, offset, w| {
            got[i].push((offset, w.to_string()))
        });
        for (text, got) in texts.iter().zip(&got) {
            let alone: Vec<(usize, String)> = t
                .jieba
                .cut(text, true)
                .into_iter()
                .map(|tok| (tok.byte_start, tok.word.to_string()))
                .collect();
            assert!(
                *got == alone,
                "{} tokens differ",
                &text[..text.len().min(30)]
            );
        }
    }

    /// A batch gives each task the terms it gets alone, and a task's
    /// terms are its words, their bigrams within title and within text,
    /// and its heading words.
    #[test]
    fn batch_terms_equal_each_task_alone() {
        let t = tokenizer();
        let path = ["一、疾病防控".to_string(), "（二）医共体".to_string()];
        let texts = [
            ("", "", &path[..0]),
            ("加强县域", "医共体建设,推进分级诊疗。", &path[..]),
            ("", "DRG 改革\n第二段 abc 两癌筛查", &path[..1]),
            ("  空格开头", "", &path[..]),
            ("中医药", "中医药", &path[..0]),
        ];
        let batch = t.terms_batch(&texts);
        for (&(title, text, path), terms) in texts.iter().zip(&batch) {
            assert_eq!(*terms, t.terms(title, text, path), "{text}");
            let (title_words, text_words) = (t.words(title), t.words(text));
            let mut expected: Vec<String> = Vec::new();
            for words in [&title_words, &text_words] {
                for (i, w) in words.iter().enumerate() {
                    if i > 0 {
                        expected.push(format!("{}_{w}", words[i - 1]));
                    }
                    expected.push(w.to_string());
                }
            }
            for heading in path {
                expected.extend(t.words(heading).iter().map(|w| format!("H:{w}")));
            }
            assert_eq!(*terms, expected, "{text}");
        }
        assert!(batch[1].iter().any(|w| w == "H:医共体"), "{:?}", batch[1]);
    }

    /// Every way in, single or batched, cuts the simplified form.
    #[test]
    fn traditional_text_has_the_terms_of_its_simplified_twin() {
        let t = tokenizer();
        let twins = [
            (
                "加強縣域醫共體建設,完成兩癌篩查。",
                "加强县域医共体建设,完成两癌筛查。",
            ),
            ("醫(yī)院預防接種", "医院预防接种"),
            ("DRG改革", "DRG改革"),
            ("", ""),
        ];
        let path = |p: &str| vec![p.to_string()];
        for (trad, simp) in twins {
            assert_eq!(t.words(trad), t.words(simp), "{trad}");
            assert_eq!(
                t.terms(trad, trad, &path(trad)),
                t.terms(simp, simp, &path(simp)),
                "{trad}"
            );
            let (mut a, mut b) = (Vec::new(), Vec::new());
            t.cut(trad, |w| a.push(w.to_string()));
            t.cut(simp, |w| b.push(w.to_string()));
            assert_eq!(a, b, "{trad}");
        }
        assert!(t.words(twins[0].0).iter().any(|w| w == "医共体"));
    }

    #[test]
    fn terms_carry_bigrams_and_path() {
        let t = tokenizer();
        let terms = t.terms("", "医共体建设", &["疾病防控".to_string()]);
        assert!(terms.contains(&"医共体_建设".to_string()), "{terms:?}");
        assert!(terms.iter().any(|x| x.starts_with("H:")), "{terms:?}");
    }
}
