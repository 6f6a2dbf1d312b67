//! Tokenisation stage: jieba-rs (precise mode) with the user dictionary and
//! stopwords carried by the model, so a loaded model rebuilds exactly the
//! tokeniser it was trained with. Produces the feature terms of a task: its
//! words, optional word bigrams, and its heading-path words marked `H:`.

use std::io::BufReader;

use jieba_rs::Jieba;
use rustc_hash::FxHashSet;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

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

    /// Number of raw jieba tokens of a text, with nothing filtered or
    /// allocated: the floor the pipeline's speed is measured against.
    pub fn bare_cut(&self, text: &str) -> usize {
        self.jieba.cut(text, self.settings.hmm).len()
    }

    /// Kept words of a text: no punctuation, whitespace, numbers or
    /// stopwords.
    pub fn words<'a>(&self, text: &'a str) -> Vec<&'a str> {
        self.cut(text).filter(|w| self.keeps(w)).collect()
    }

    /// Kept words of many texts with one jieba call (see
    /// [`Tokenizer::cut_batch`]): the same words as [`Tokenizer::words`] on
    /// each text, without jieba's per-call overhead.
    pub fn words_batch<'a>(&self, texts: &[&'a str]) -> Vec<Vec<&'a str>> {
        let mut out: Vec<Vec<&'a str>> = vec![Vec::new(); texts.len()];
        self.cut_batch(texts, |part, at, word| {
            if self.keeps(word) {
                out[part].push(&texts[part][at..at + word.len()]);
            }
        });
        out
    }

    /// Whether a raw jieba token is kept as a word (see [`Tokenizer::words`]).
    pub fn keeps(&self, word: &str) -> bool {
        keep_word(word) && !self.stopwords.contains(word)
    }

    /// Raw jieba tokens of many texts, nothing filtered, with one jieba
    /// call: `f(i, offset, token)` for each token of `texts[i]`, `offset`
    /// being where it starts in `texts[i]`. The texts are joined
    /// with line breaks, where jieba always splits, so each text gets exactly
    /// the tokens a call of its own would give.
    pub fn cut_batch(&self, texts: &[&str], mut f: impl FnMut(usize, usize, &str)) {
        let mut joined = String::with_capacity(texts.iter().map(|t| t.len() + 1).sum());
        let mut spans = Vec::with_capacity(texts.len());
        for t in texts {
            let start = joined.len();
            joined.push_str(t);
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

    /// Raw jieba tokens of one text.
    pub fn cut<'a>(&self, text: &'a str) -> impl Iterator<Item = &'a str> {
        self.jieba
            .cut(text, self.settings.hmm)
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
    pub fn for_each_term_of_words(
        &self,
        title_and_text: &[Vec<&str>; 2],
        path_terms: &[String],
        mut f: impl FnMut(&str),
    ) {
        let mut bigram = String::new();
        for words in title_and_text {
            if self.settings.bigrams {
                for pair in words.windows(2) {
                    bigram.clear();
                    bigram.push_str(pair[0]);
                    bigram.push('_');
                    bigram.push_str(pair[1]);
                    f(&bigram);
                }
            }
            for w in words {
                f(w);
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

fn is_ideograph(c: char) -> bool {
    matches!(c as u32, 0x4E00..=0x9FFF | 0x3400..=0x4DBF | 0x20000..=0x2FFFF)
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

    #[test]
    fn terms_carry_bigrams_and_path() {
        let t = tokenizer();
        let terms = t.terms("", "医共体建设", &["疾病防控".to_string()]);
        assert!(terms.contains(&"医共体_建设".to_string()), "{terms:?}");
        assert!(terms.iter().any(|x| x.starts_with("H:")), "{terms:?}");
    }
}
