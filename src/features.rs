//! Feature stage: TF-IDF over terms, with sublinear tf, smoothed idf, a
//! minimum document frequency and L2 norm. Parameters are checked before
//! fitting; the fitted vectoriser is stored in the model.

use std::collections::{BTreeMap, HashMap};

use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::tokenize::{TaskText, Term, Tokenizer};

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
        let n_docs = docs.len() + always_keep.len();
        let idf = vocab.values().map(|&n| smoothed_idf(n_docs, n)).collect();
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
    /// Term → index; looked up for every term of every task.
    index: FxHashMap<String, u32>,
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
        let mut ids: Vec<u32> = terms
            .iter()
            .filter_map(|t| self.index.get(t.as_ref()).copied())
            .collect();
        self.transform_ids(&mut ids)
    }

    /// The vector of a document given as the vocabulary indices of its
    /// terms, in any order and with repeats (what [`TermIds`] gives).
    pub fn transform_ids(&self, ids: &mut [u32]) -> SparseVec {
        ids.sort_unstable();
        let mut pairs: Vec<(u32, f64)> = Vec::with_capacity(ids.len());
        for chunk in ids.chunk_by(|a, b| a == b) {
            let i = chunk[0];
            let tf = chunk.len() as f64;
            pairs.push((i, tf_weight(tf, self.sublinear_tf) * self.idf[i as usize]));
        }
        l2_normalised(pairs)
    }
}

/// Terms of tasks straight to vocabulary indices, for tagging: the
/// tagger's implementation of [`Tokenizer::for_each_task_term`]'s terms
/// followed by [`Tfidf::transform`], without spelling each term as a
/// string. Its word tables hold only words the tokeniser keeps, so it may
/// be given raw tokens (see `map_drops_unkept` there).
pub struct TermIds {
    /// Kept word → index of the word's term.
    words: FxHashMap<Box<str>, u32>,
    /// Kept heading word → index of its `H:word` term.
    heading_words: FxHashMap<Box<str>, u32>,
}

impl TermIds {
    pub fn new(tfidf: &Tfidf, tokenizer: &Tokenizer) -> Self {
        let mut words = FxHashMap::default();
        let mut heading_words = FxHashMap::default();
        for (i, term) in tfidf.vocabulary().iter().enumerate() {
            if tokenizer.keeps(term) {
                words.insert(term.as_str().into(), i as u32);
            }
            if let Some(word) = term.strip_prefix("H:") {
                if tokenizer.keeps(word) {
                    heading_words.insert(word.into(), i as u32);
                }
            }
        }
        TermIds {
            words,
            heading_words,
        }
    }

    /// The vocabulary index of a term, if it has one.
    #[inline(always)]
    pub fn get(&self, tfidf: &Tfidf, term: Term<'_>) -> Option<u32> {
        match term {
            Term::Word(w) => self.words.get(w).copied(),
            Term::Heading(w) => self.heading_words.get(w).copied(),
            Term::Bigram(..) => tfidf.index.get(term.to_string().as_str()).copied(),
        }
    }

    /// The TF-IDF vectors of many tasks.
    pub fn vectorize_batch(
        &self,
        tfidf: &Tfidf,
        tokenizer: &Tokenizer,
        tasks: &[TaskText<'_>],
    ) -> Vec<SparseVec> {
        // Tasks come in order, so each task's indices are one run of `ids`
        // (`ends[t]` closes task `t`), words first, then heading words.
        let total_len: usize = tasks.iter().map(|t| t.0.len() + t.1.len()).sum();
        let mut ids: Vec<u32> = Vec::with_capacity(total_len / 4);
        let mut ends = vec![0; tasks.len()];
        let mut heading_ids: Vec<u32> = Vec::new();
        let mut heading_ends = vec![0; tasks.len()];
        tokenizer.for_each_task_term(
            tasks,
            true,
            |term| Some((matches!(term, Term::Heading(_)), self.get(tfidf, term)?)),
            |task, (heading, id)| {
                if heading {
                    heading_ids.push(id);
                    heading_ends[task] = heading_ids.len();
                } else {
                    ids.push(id);
                    ends[task] = ids.len();
                }
            },
        );
        let (mut start, mut heading_start) = (0, 0);
        let mut task_ids: Vec<u32> = Vec::new();
        ends.iter()
            .zip(&heading_ends)
            .map(|(&end, &heading_end)| {
                // A task with no term ends where the one before it did.
                let (end, heading_end) = (end.max(start), heading_end.max(heading_start));
                task_ids.clear();
                task_ids.extend_from_slice(&ids[start..end]);
                task_ids.extend_from_slice(&heading_ids[heading_start..heading_end]);
                (start, heading_start) = (end, heading_end);
                tfidf.transform_ids(&mut task_ids)
            })
            .collect()
    }
}

/// Smoothed inverse document frequency: ln((1 + n) / (1 + df)) + 1.
fn smoothed_idf(n_docs: usize, df: usize) -> f64 {
    ((1.0 + n_docs as f64) / (1.0 + df as f64)).ln() + 1.0
}

/// Term-frequency weight: 1 + ln(tf) when sublinear, else tf.
fn tf_weight(tf: f64, sublinear: bool) -> f64 {
    if sublinear {
        // Most terms occur once; ln(1) = 0 exactly, so skipping it changes
        // nothing but time.
        if tf == 1.0 {
            1.0
        } else {
            1.0 + tf.ln()
        }
    } else {
        tf
    }
}

/// A sparse vector from (index, weight) pairs sorted by index, scaled to
/// unit length.
fn l2_normalised(pairs: Vec<(u32, f64)>) -> SparseVec {
    unit_length(
        pairs.iter().map(|p| p.0).collect(),
        pairs.iter().map(|p| p.1).collect(),
    )
}

/// A sparse vector from indices in increasing order and their weights,
/// scaled to unit length.
fn unit_length(indices: Vec<u32>, mut values: Vec<f64>) -> SparseVec {
    let norm = values.iter().map(|v| v * v).sum::<f64>().sqrt();
    let scale = if norm > 0.0 { 1.0 / norm } else { 0.0 };
    values.iter_mut().for_each(|v| *v *= scale);
    SparseVec { indices, values }
}

/// Documents turned once into term counts over one global, sorted term
/// list, so that cross-validation can fit a vectoriser per fold from counts
/// alone instead of re-hashing every term string for every fold. A fold's
/// vectoriser is exactly what [`TfidfParams::fit`] gives on the same data.
pub struct IndexedCorpus {
    terms: Vec<String>,
    docs: Vec<Vec<(u32, f64)>>,
    extra: Vec<Vec<(u32, f64)>>,
}

/// Builds an [`IndexedCorpus`] one document at a time, interning terms as
/// they come, so a large corpus never holds all its term strings at once.
#[derive(Default)]
pub struct CorpusBuilder {
    ids: FxHashMap<String, u32>,
    docs: Vec<Vec<(u32, f64)>>,
}

impl CorpusBuilder {
    fn intern_counts<'a>(&mut self, terms: impl Iterator<Item = &'a str>) -> Vec<(u32, f64)> {
        let mut ids: Vec<u32> = Vec::new();
        for t in terms {
            let next = self.ids.len() as u32;
            let id = match self.ids.get(t) {
                Some(&id) => id,
                None => {
                    self.ids.insert(t.to_string(), next);
                    next
                }
            };
            ids.push(id);
        }
        ids.sort_unstable();
        ids.chunk_by(|a, b| a == b)
            .map(|c| (c[0], c.len() as f64))
            .collect()
    }

    /// Adds one labelled document's terms.
    pub fn add_doc<'a>(&mut self, terms: impl Iterator<Item = &'a str>) {
        let counts = self.intern_counts(terms);
        self.docs.push(counts);
    }

    /// Adds the always-kept documents and renumbers terms in sorted order
    /// (so that every fold's vocabulary is sorted too).
    pub fn finish(mut self, extra: &[Vec<String>]) -> IndexedCorpus {
        let extra: Vec<Vec<(u32, f64)>> = extra
            .iter()
            .map(|d| self.intern_counts(d.iter().map(|s| s.as_str())))
            .collect();
        let mut terms: Vec<(String, u32)> = self.ids.into_iter().collect();
        terms.sort_unstable();
        let mut new_id = vec![0u32; terms.len()];
        for (rank, (_, old)) in terms.iter().enumerate() {
            new_id[*old as usize] = rank as u32;
        }
        let renumber = |d: Vec<(u32, f64)>| {
            let mut d: Vec<(u32, f64)> = d
                .into_iter()
                .map(|(t, n)| (new_id[t as usize], n))
                .collect();
            d.sort_unstable_by_key(|p| p.0);
            d
        };
        IndexedCorpus {
            docs: self.docs.into_iter().map(renumber).collect(),
            extra: extra.into_iter().map(renumber).collect(),
            terms: terms.into_iter().map(|(t, _)| t).collect(),
        }
    }
}

/// The vectoriser of one fold: the global-to-fold index map and the idf.
pub struct FoldVectorizer {
    map: Vec<u32>,
    idf: Vec<f64>,
    kept: Vec<u32>,
    sublinear_tf: bool,
}

const DROPPED: u32 = u32::MAX;

impl IndexedCorpus {
    /// Indexes `docs` (the labelled sections) and `extra` (lexicon
    /// pseudo-documents, always in the vocabulary).
    pub fn new(docs: &[Vec<String>], extra: &[Vec<String>]) -> Self {
        let mut builder = CorpusBuilder::default();
        for d in docs {
            builder.add_doc(d.iter().map(|s| s.as_str()));
        }
        builder.finish(extra)
    }

    /// Fits the vectoriser of the documents `train` (plus all extra ones).
    pub fn fit(&self, params: &TfidfParams, train: &[usize]) -> Result<FoldVectorizer> {
        params.check()?;
        let mut df = vec![0usize; self.terms.len()];
        let mut in_extra = vec![false; self.terms.len()];
        for &i in train {
            for &(t, _) in &self.docs[i] {
                df[t as usize] += 1;
            }
        }
        for d in &self.extra {
            for &(t, _) in d {
                df[t as usize] += 1;
                in_extra[t as usize] = true;
            }
        }
        let n_docs = train.len() + self.extra.len();
        let mut map = vec![DROPPED; self.terms.len()];
        let mut idf = Vec::new();
        let mut kept = Vec::new();
        for t in 0..self.terms.len() {
            if df[t] > 0 && (df[t] >= params.min_df || in_extra[t]) {
                map[t] = kept.len() as u32;
                kept.push(t as u32);
                idf.push(smoothed_idf(n_docs, df[t]));
            }
        }
        Ok(FoldVectorizer {
            map,
            idf,
            kept,
            sublinear_tf: params.sublinear_tf,
        })
    }

    /// The TF-IDF vector of document `i` under a fold's vectoriser.
    pub fn vector(&self, fold: &FoldVectorizer, i: usize) -> SparseVec {
        fold.transform(&self.docs[i])
    }

    /// The TF-IDF vector of extra document `i`.
    pub fn extra_vector(&self, fold: &FoldVectorizer, i: usize) -> SparseVec {
        fold.transform(&self.extra[i])
    }

    /// The fold's vectoriser as a stand-alone [`Tfidf`] (for the model).
    pub fn to_tfidf(&self, fold: &FoldVectorizer) -> Tfidf {
        Tfidf::new(
            fold.kept
                .iter()
                .map(|&t| self.terms[t as usize].clone())
                .collect(),
            fold.idf.clone(),
            fold.sublinear_tf,
        )
    }
}

impl FoldVectorizer {
    pub fn len(&self) -> usize {
        self.idf.len()
    }

    pub fn is_empty(&self) -> bool {
        self.idf.is_empty()
    }

    fn transform(&self, counts: &[(u32, f64)]) -> SparseVec {
        // Global order is sorted and the map is monotone, so pairs stay sorted.
        let pairs: Vec<(u32, f64)> = counts
            .iter()
            .filter_map(|&(t, tf)| {
                let j = self.map[t as usize];
                (j != DROPPED).then(|| (j, tf_weight(tf, self.sublinear_tf) * self.idf[j as usize]))
            })
            .collect();
        l2_normalised(pairs)
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
    fn indexed_corpus_folds_match_direct_fit() {
        let d = docs(&[&["a", "b", "b"], &["a", "c"], &["d", "a", "a"], &["e"]]);
        let lex = docs(&[&["c", "x"]]);
        let params = TfidfParams {
            min_df: 2,
            ..TfidfParams::default()
        };
        let corpus = IndexedCorpus::new(&d, &lex);
        let train = [0usize, 1, 2];
        let fold = corpus.fit(&params, &train).unwrap();
        let direct = params
            .fit(
                &train.iter().map(|&i| d[i].clone()).collect::<Vec<_>>(),
                &lex,
            )
            .unwrap();
        let from_fold = corpus.to_tfidf(&fold);
        assert_eq!(from_fold.vocabulary(), direct.vocabulary());
        assert_eq!(from_fold.idf(), direct.idf());
        for (i, doc) in d.iter().enumerate() {
            assert_eq!(corpus.vector(&fold, i), direct.transform(doc));
        }
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
