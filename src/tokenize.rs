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
use rustc_hash::FxHashSet;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::simplify::{is_ideograph, simplified};

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
            .map_err(|e| Error::Param(format!("user dictionary: {e}")))?;
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

    /// Kept words of many texts with one jieba call (see
    /// [`Tokenizer::cut_batch`]): the same words as [`Tokenizer::words`] on
    /// each text, without jieba's per-call overhead.
    pub fn words_batch<'a>(&self, texts: &[&'a str]) -> Vec<Vec<Cow<'a, str>>> {
        let forms: Vec<Cow<'a, str>> = texts.iter().map(|t| simplified(t)).collect();
        let mut out: Vec<Vec<Cow<'a, str>>> = vec![Vec::new(); texts.len()];
        let capacity = forms.iter().map(|t| t.len() + 1).sum();
        self.cut_forms(forms.iter(), capacity, |part, at, word| {
            if self.keeps(word) {
                out[part].push(match &forms[part] {
                    &Cow::Borrowed(form) => Cow::Borrowed(&form[at..at + word.len()]),
                    Cow::Owned(_) => Cow::Owned(word.to_owned()),
                });
            }
        });
        out
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
    /// `i`th form. The forms are joined with line breaks (`capacity` bytes
    /// reserved), where jieba always splits, so each gets exactly the tokens
    /// a call of its own would give.
    fn cut_forms(
        &self,
        forms: impl ExactSizeIterator<Item = impl AsRef<str>>,
        capacity: usize,
        mut f: impl FnMut(usize, usize, &str),
    ) {
        let mut joined = String::with_capacity(capacity);
        let mut spans = Vec::with_capacity(forms.len());
        for t in forms {
            let start = joined.len();
            joined.push_str(t.as_ref());
            spans.push((start, joined.len()));
            joined.push('\n');
        }
        if spans.is_empty() {
            return;
        }
        // The current part's span and where the next part starts, kept in
        // locals: this loop runs once per token.
        let next_start_of = |part: usize| spans.get(part + 1).map_or(usize::MAX, |s| s.0);
        let mut part = 0;
        let (mut start, mut end) = spans[0];
        let mut next_start = next_start_of(0);
        for token in self.jieba.cut(&joined, self.settings.hmm) {
            while token.byte_start >= next_start {
                part += 1;
                (start, end) = spans[part];
                next_start = next_start_of(part);
            }
            if token.byte_end <= end {
                f(part, token.byte_start - start, token.word);
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

    /// The heading-path terms (`H:word`) of a path; tasks under the same
    /// headings can share them.
    pub fn path_terms(&self, path: &[String]) -> Vec<String> {
        if !self.settings.path_terms {
            return Vec::new();
        }
        path.iter()
            .flat_map(|heading| self.words(heading).into_iter().map(|w| format!("H:{w}")))
            .collect()
    }

    /// Calls `f` with every term of a task: words of title and text, their
    /// bigrams, then the given path terms. One definition of a task's terms
    /// for training and tagging; no allocation per term.
    pub fn for_each_term(
        &self,
        title: &str,
        text: &str,
        path_terms: &[String],
        f: impl FnMut(&str),
    ) {
        let words = [self.words(title), self.words(text)];
        self.for_each_term_of_words(&words, path_terms, f)
    }

    /// [`Tokenizer::for_each_term`] for a task whose title and text words
    /// are already cut (see [`Tokenizer::words_batch`]).
    pub fn for_each_term_of_words<S: AsRef<str>>(
        &self,
        title_and_text: &[Vec<S>; 2],
        path_terms: &[String],
        mut f: impl FnMut(&str),
    ) {
        let mut bigram = String::new();
        for words in title_and_text {
            if self.settings.bigrams {
                for pair in words.windows(2) {
                    bigram.clear();
                    bigram.push_str(pair[0].as_ref());
                    bigram.push('_');
                    bigram.push_str(pair[1].as_ref());
                    f(&bigram);
                }
            }
            for w in words {
                f(w.as_ref());
            }
        }
        for t in path_terms {
            f(t);
        }
    }

    /// The terms of a task as strings.
    pub fn terms(&self, title: &str, text: &str, path: &[String]) -> Vec<String> {
        let mut terms = Vec::new();
        self.for_each_term(title, text, &self.path_terms(path), |t| {
            terms.push(t.to_string())
        });
        terms
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

    #[test]
    fn batch_cut_equals_cutting_each_text() {
        let t = tokenizer();
        let texts = [
            "",
            "加强县域医共体建设,推进分级诊疗。",
            "",
            "",
            "DRG 改革\n第二段 abc 两癌筛查",
            "  空格开头",
            "中医药",
            "",
        ];
        let batch = t.words_batch(&texts);
        for (text, words) in texts.iter().zip(&batch) {
            assert_eq!(*words, t.words(text), "{text}");
        }
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
        let (traditional, simple): (Vec<&str>, Vec<&str>) = twins.iter().copied().unzip();
        assert_eq!(t.words_batch(&traditional), t.words_batch(&simple));
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
