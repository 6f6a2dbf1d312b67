//! Tokenisation stage: jieba-rs (precise mode) with the user dictionary and
//! stopwords carried by the model, so a loaded model rebuilds exactly the
//! tokeniser it was trained with. Produces the feature terms of a task: its
//! words, optional word bigrams, and its heading-path words marked `H:`.

use std::collections::HashSet;
use std::io::BufReader;

use jieba_rs::Jieba;
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
    stopwords: HashSet<String>,
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

    /// Kept words of a text: no punctuation, whitespace, numbers or
    /// stopwords.
    pub fn words<'a>(&self, text: &'a str) -> Vec<&'a str> {
        self.jieba
            .cut(text, self.settings.hmm)
            .into_iter()
            .filter(|w| keep_word(w) && !self.stopwords.contains(*w))
            .collect()
    }

    /// The terms of a task: words of title and text, bigrams, path words.
    pub fn terms(&self, title: &str, text: &str, path: &[String]) -> Vec<String> {
        let mut terms = Vec::new();
        for part in [title, text] {
            let words = self.words(part);
            if self.settings.bigrams {
                for pair in words.windows(2) {
                    terms.push(format!("{}_{}", pair[0], pair[1]));
                }
            }
            terms.extend(words.iter().map(|w| w.to_string()));
        }
        if self.settings.path_terms {
            for heading in path {
                terms.extend(self.words(heading).iter().map(|w| format!("H:{w}")));
            }
        }
        terms
    }
}

/// Drops punctuation, whitespace, pure numbers and lone Latin letters.
fn keep_word(w: &str) -> bool {
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
    if all_numeric {
        return false;
    }
    // Chinese numerals alone (一, 二十) are outline numbering, not content.
    if w.chars()
        .all(|c| "一二三四五六七八九十百零〇两".contains(c))
    {
        return false;
    }
    has_cjk || (has_alpha && w.len() >= 2)
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
    fn terms_carry_bigrams_and_path() {
        let t = tokenizer();
        let terms = t.terms("", "医共体建设", &["疾病防控".to_string()]);
        assert!(terms.contains(&"医共体_建设".to_string()), "{terms:?}");
        assert!(terms.iter().any(|x| x.starts_with("H:")), "{terms:?}");
    }
}
