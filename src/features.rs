//! Feature stage: TF-IDF over terms, with sublinear tf, smoothed idf, a
//! minimum document frequency and L2 norm. Parameters are checked before
//! fitting; the fitted vectoriser is stored in the model.

use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// A sparse vector: sorted feature indices and their values.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SparseVec {
    pub indices: Vec<u32>,
    pub values: Vec<f64>,
}

impl SparseVec {
    pub fn nnz(&self) -> usize {
        self.indices.len()
    }

    pub fn iter(&self) -> impl Iterator<Item = (usize, f64)> + '_ {
        self.indices
            .iter()
            .zip(&self.values)
            .map(|(&i, &v)| (i as usize, v))
    }
}

/// TF-IDF settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TfidfParams {
    /// Terms in fewer labelled sections than this are dropped (lexicon terms
    /// are always kept).
    pub min_df: usize,
    /// Use 1 + ln(tf) instead of raw counts.
    pub sublinear_tf: bool,
}

impl Default for TfidfParams {
    fn default() -> Self {
        TfidfParams {
            min_df: 1,
            sublinear_tf: true,
        }
    }
}

impl TfidfParams {
    /// Rejects settings that cannot work.
    pub fn check(&self) -> Result<()> {
        if self.min_df == 0 {
            return Err(Error::Param("min_df must be at least 1".into()));
        }
        Ok(())
    }

    /// Fits the vocabulary and idf on documents (lists of terms); terms in
    /// `always_keep` enter the vocabulary whatever their document frequency.
    pub fn fit(&self, docs: &[Vec<String>], always_keep: &[Vec<String>]) -> Result<Tfidf> {
        self.check()?;
        let mut df: HashMap<&str, usize> = HashMap::new();
        for doc in docs.iter().chain(always_keep) {
            let mut seen: Vec<&str> = doc.iter().map(|s| s.as_str()).collect();
            seen.sort_unstable();
            seen.dedup();
            for t in seen {
                *df.entry(t).or_default() += 1;
            }
        }
        let keep: std::collections::HashSet<&str> = always_keep
            .iter()
            .flat_map(|d| d.iter().map(|s| s.as_str()))
            .collect();
        // Sorted vocabulary: the same data always gives the same model bytes.
        let vocab: BTreeMap<&str, usize> = df
            .into_iter()
            .filter(|(t, n)| *n >= self.min_df || keep.contains(t))
            .collect();
        let n_docs = (docs.len() + always_keep.len()) as f64;
        let idf = vocab
            .values()
            .map(|&n| ((1.0 + n_docs) / (1.0 + n as f64)).ln() + 1.0)
            .collect();
        Ok(Tfidf::new(
            vocab.keys().map(|s| s.to_string()).collect(),
            idf,
            self.sublinear_tf,
        ))
    }
}

/// A fitted vectoriser.
#[derive(Debug, Clone)]
pub struct Tfidf {
    vocabulary: Vec<String>,
    idf: Vec<f64>,
    sublinear_tf: bool,
    index: HashMap<String, u32>,
}

impl Tfidf {
    pub fn new(vocabulary: Vec<String>, idf: Vec<f64>, sublinear_tf: bool) -> Self {
        let index = vocabulary
            .iter()
            .enumerate()
            .map(|(i, t)| (t.clone(), i as u32))
            .collect();
        Tfidf {
            vocabulary,
            idf,
            sublinear_tf,
            index,
        }
    }

    pub fn vocabulary(&self) -> &[String] {
        &self.vocabulary
    }

    pub fn idf(&self) -> &[f64] {
        &self.idf
    }

    pub fn sublinear_tf(&self) -> bool {
        self.sublinear_tf
    }

    pub fn len(&self) -> usize {
        self.vocabulary.len()
    }

    pub fn is_empty(&self) -> bool {
        self.vocabulary.is_empty()
    }

    /// The L2-normalised TF-IDF vector of a document's terms; unknown terms
    /// are ignored. Cost is linear in the number of terms.
    pub fn transform<S: AsRef<str>>(&self, terms: &[S]) -> SparseVec {
        let mut counts: HashMap<u32, f64> = HashMap::with_capacity(terms.len());
        for t in terms {
            if let Some(&i) = self.index.get(t.as_ref()) {
                *counts.entry(i).or_default() += 1.0;
            }
        }
        let mut pairs: Vec<(u32, f64)> = counts
            .into_iter()
            .map(|(i, tf)| {
                let tf = if self.sublinear_tf { 1.0 + tf.ln() } else { tf };
                (i, tf * self.idf[i as usize])
            })
            .collect();
        pairs.sort_unstable_by_key(|p| p.0);
        let norm = pairs.iter().map(|p| p.1 * p.1).sum::<f64>().sqrt();
        let scale = if norm > 0.0 { 1.0 / norm } else { 0.0 };
        SparseVec {
            indices: pairs.iter().map(|p| p.0).collect(),
            values: pairs.iter().map(|p| p.1 * scale).collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn docs(v: &[&[&str]]) -> Vec<Vec<String>> {
        v.iter()
            .map(|d| d.iter().map(|s| s.to_string()).collect())
            .collect()
    }

    #[test]
    fn idf_matches_smoothed_formula_and_norm_is_one() {
        let d = docs(&[&["a", "b"], &["a", "c"], &["a", "a", "d"]]);
        let tfidf = TfidfParams::default().fit(&d, &[]).unwrap();
        assert_eq!(tfidf.vocabulary(), ["a", "b", "c", "d"]);
        let idf_a = (4.0f64 / 4.0).ln() + 1.0;
        let idf_b = (4.0f64 / 2.0).ln() + 1.0;
        assert!((tfidf.idf()[0] - idf_a).abs() < 1e-12);
        assert!((tfidf.idf()[1] - idf_b).abs() < 1e-12);
        let v = tfidf.transform(&["a", "a", "b", "zzz"]);
        assert_eq!(v.indices, [0, 1]);
        let norm: f64 = v.values.iter().map(|x| x * x).sum();
        assert!((norm - 1.0).abs() < 1e-12);
        let ratio = v.values[0] / v.values[1];
        assert!((ratio - (1.0 + 2f64.ln()) * idf_a / idf_b).abs() < 1e-12);
    }

    #[test]
    fn min_df_drops_rare_terms_but_keeps_lexicon() {
        let d = docs(&[&["a", "b"], &["a", "c"]]);
        let lex = docs(&[&["c", "x"]]);
        let params = TfidfParams {
            min_df: 2,
            ..TfidfParams::default()
        };
        let tfidf = params.fit(&d, &lex).unwrap();
        assert_eq!(tfidf.vocabulary(), ["a", "c", "x"]);
        assert!(TfidfParams {
            min_df: 0,
            ..TfidfParams::default()
        }
        .check()
        .is_err());
    }
}
