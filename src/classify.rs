//! Classification stage: naive Bayes scoring of sparse TF-IDF vectors,
//! calibrated probabilities and explanations.

use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

/// One candidate label with its calibrated probability.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Candidate {
    pub label: String,
    pub p: f64,
}

/// A term that pushed the decision, with its weight (log-odds contribution).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Evidence {
    pub term: String,
    pub weight: f64,
}

/// The label of one task.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Prediction {
    pub label: String,
    pub label_name: String,
    pub confidence: f64,
    pub top: Vec<Candidate>,
    pub low_confidence: bool,
    /// Other labels the task also carries (a task that spans two domains):
    /// the runner-up when its probability reaches the model's threshold.
    #[serde(default)]
    pub secondary: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub explain: Option<Vec<Evidence>>,
}

impl Prediction {
    /// No label: for a task that is not a policy task (the cover letter).
    pub fn none() -> Self {
        Prediction {
            label: String::new(),
            label_name: String::new(),
            confidence: 0.0,
            top: Vec::new(),
            low_confidence: false,
            secondary: Vec::new(),
            explain: None,
        }
    }
}

use linfa::prelude::*;
use linfa_bayes::MultinomialNb;
use ndarray::{Array1, Array2};

use crate::error::{Error, Result};
use crate::features::SparseVec;

/// Fitted multinomial naive Bayes, stored class-major so that a sparse
/// vector is scored in time proportional to its non-zeros.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NaiveBayes {
    /// Log prior of each class (uniform or learned, decided by the trainer).
    pub log_prior: Vec<f64>,
    /// `feature_log_prob[class][feature]` = ln P(feature | class).
    pub feature_log_prob: Vec<Vec<f64>>,
}

/// Summed feature weights per class: the sufficient statistics of
/// multinomial naive Bayes.
#[derive(Debug, Clone)]
pub struct ClassCounts {
    pub feature_count: Vec<Vec<f64>>,
    pub class_count: Vec<usize>,
}

impl ClassCounts {
    pub fn new(n_classes: usize, n_features: usize) -> Self {
        ClassCounts {
            feature_count: vec![vec![0.0; n_features]; n_classes],
            class_count: vec![0; n_classes],
        }
    }

    /// Adds a (weighted) example of a class.
    pub fn add(&mut self, class: usize, x: &SparseVec, weight: f64, counts_as_example: bool) {
        for (j, v) in x.iter() {
            self.feature_count[class][j] += v * weight;
        }
        if counts_as_example {
            self.class_count[class] += 1;
        }
    }

    /// The model with Laplace/Lidstone smoothing `alpha`, the same formula
    /// as linfa-bayes: ln((count + alpha) / sum(count + alpha)).
    pub fn fit(&self, alpha: f64, uniform_prior: bool) -> NaiveBayes {
        let feature_log_prob = self
            .feature_count
            .iter()
            .map(|counts| log_probs(counts, alpha))
            .collect();
        NaiveBayes {
            log_prior: priors(&self.class_count, uniform_prior),
            feature_log_prob,
        }
    }
}

fn log_probs(counts: &[f64], alpha: f64) -> Vec<f64> {
    let total: f64 = counts.iter().map(|c| c + alpha).sum();
    let ln_total = total.ln();
    counts.iter().map(|c| (c + alpha).ln() - ln_total).collect()
}

fn priors(class_count: &[usize], uniform: bool) -> Vec<f64> {
    let k = class_count.len() as f64;
    let n: usize = class_count.iter().sum();
    class_count
        .iter()
        .map(|&c| {
            if uniform || n == 0 {
                -(k.ln())
            } else {
                // A class seen only through its lexicon still gets a chance.
                ((c as f64 + 1.0) / (n as f64 + k)).ln()
            }
        })
        .collect()
}

/// Fits the model with linfa-bayes' `MultinomialNb`, feeding dense rows in
/// batches (never one corpus-wide matrix), and reads its fitted parameters
/// back through its serde form, since linfa keeps them private.
pub fn fit_linfa(
    rows: &[(usize, &SparseVec, f64, bool)],
    n_classes: usize,
    n_features: usize,
    alpha: f64,
    uniform_prior: bool,
    batch_rows: usize,
) -> Result<NaiveBayes> {
    if alpha <= 0.0 || !alpha.is_finite() {
        return Err(Error::Param(format!("alpha must be positive, got {alpha}")));
    }
    let params = MultinomialNb::<f64, usize>::params().alpha(alpha);
    let mut model: Option<MultinomialNb<f64, usize>> = None;
    let mut class_count = vec![0usize; n_classes];
    for batch in rows.chunks(batch_rows.max(1)) {
        let mut x = Array2::<f64>::zeros((batch.len(), n_features));
        let mut y = Array1::<usize>::zeros(batch.len());
        for (r, (class, vec, weight, counts_as_example)) in batch.iter().enumerate() {
            for (j, v) in vec.iter() {
                x[[r, j]] = v * weight;
            }
            y[r] = *class;
            if *counts_as_example {
                class_count[*class] += 1;
            }
        }
        let dataset = Dataset::new(x, y);
        model = params
            .fit_with(model, &dataset)
            .map_err(|e| Error::Param(format!("naive Bayes fit: {e}")))?;
    }
    let model = model.ok_or_else(|| Error::Param("no training data".into()))?;
    let value = serde_json::to_value(&model)
        .map_err(|e| Error::Param(format!("reading naive Bayes parameters: {e}")))?;
    let mut feature_log_prob = vec![Vec::new(); n_classes];
    let infos = value["class_info"]
        .as_object()
        .ok_or_else(|| Error::Param("unexpected linfa-bayes model layout".into()))?;
    for (class, info) in infos {
        let c: usize = class
            .parse()
            .map_err(|_| Error::Param("unexpected class key".into()))?;
        let data = info["feature_log_prob"]["data"]
            .as_array()
            .ok_or_else(|| Error::Param("unexpected linfa-bayes model layout".into()))?;
        feature_log_prob[c] = data
            .iter()
            .map(|v| v.as_f64().unwrap_or(f64::NAN))
            .collect();
    }
    if feature_log_prob
        .iter()
        .any(|f| f.len() != n_features || f.iter().any(|v| !v.is_finite()))
    {
        return Err(Error::Param(
            "every label needs at least one example or lexicon entry".into(),
        ));
    }
    Ok(NaiveBayes {
        log_prior: priors(&class_count, uniform_prior),
        feature_log_prob,
    })
}

impl NaiveBayes {
    /// The same model with every parameter rounded to `decimals` places.
    pub fn rounded(mut self, decimals: i32) -> Self {
        let scale = 10f64.powi(decimals);
        let round = |x: &mut f64| *x = (*x * scale).round() / scale;
        self.log_prior.iter_mut().for_each(round);
        self.feature_log_prob.iter_mut().flatten().for_each(round);
        self
    }

    pub fn n_classes(&self) -> usize {
        self.log_prior.len()
    }

    /// Joint log-likelihood of each class: ln P(c) + Σ x_j ln P(j | c).
    /// Cost: classes × non-zeros.
    pub fn joint_log_likelihood(&self, x: &SparseVec) -> Vec<f64> {
        self.log_prior
            .iter()
            .zip(&self.feature_log_prob)
            .map(|(prior, flp)| prior + x.iter().map(|(j, v)| v * flp[j]).sum::<f64>())
            .collect()
    }
}

/// Softmax of `scores / temperature`, computed stably (log-sum-exp), so that
/// long inputs never underflow into NaN.
pub fn softmax(scores: &[f64], temperature: f64) -> Vec<f64> {
    let mut p = scores.to_vec();
    softmax_in_place(&mut p, temperature);
    p
}

/// [`softmax`] over the scores' own storage: one allocation less per task.
fn softmax_in_place(scores: &mut [f64], temperature: f64) {
    let t = if temperature > 0.0 && temperature.is_finite() {
        temperature
    } else {
        1.0
    };
    let max = scores.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
    if !max.is_finite() {
        let uniform = 1.0 / scores.len().max(1) as f64;
        scores.iter_mut().for_each(|s| *s = uniform);
        return;
    }
    scores.iter_mut().for_each(|s| *s = ((*s - max) / t).exp());
    let sum: f64 = scores.iter().sum();
    scores.iter_mut().for_each(|e| *e /= sum);
}

/// Indices of the `k` largest probabilities, largest first, ties to the
/// lower index: the head of the fully sorted order, found without sorting
/// all labels for every task.
pub fn most_probable(p: &[f64], k: usize) -> Vec<usize> {
    let ahead = |a: usize, b: usize| p[a].total_cmp(&p[b]).then(b.cmp(&a)).is_gt();
    // A few candidates are wanted: they are kept in an array on the stack
    // and shifted by hand, with no vector to grow or memmove to call.
    const MAX_ON_STACK: usize = 8;
    if k > MAX_ON_STACK {
        let mut order: Vec<usize> = (0..p.len()).collect();
        order.sort_by(|&a, &b| p[b].total_cmp(&p[a]).then(a.cmp(&b)));
        order.truncate(k);
        return order;
    }
    let mut top = [0usize; MAX_ON_STACK];
    let mut len = 0;
    for i in 0..p.len() {
        if len == k {
            if k == 0 || !ahead(i, top[k - 1]) {
                continue;
            }
            len -= 1;
        }
        // `top` is in order, so `i` goes after the last one still ahead.
        let mut at = len;
        while at > 0 && ahead(i, top[at - 1]) {
            top[at] = top[at - 1];
            at -= 1;
        }
        top[at] = i;
        len += 1;
    }
    top[..len].to_vec()
}

/// Fits a temperature on held-out scores by minimising the negative
/// log-likelihood (golden-section search over ln T).
pub fn fit_temperature(scores: &[Vec<f64>], truth: &[usize]) -> f64 {
    if scores.is_empty() {
        return 1.0;
    }
    // One parameter needs few points: an evenly spaced sample bounds the
    // cost on large corpora.
    const MAX_POINTS: usize = 20_000;
    let step = scores.len().div_ceil(MAX_POINTS).max(1);
    let scores: Vec<&Vec<f64>> = scores.iter().step_by(step).collect();
    let truth: Vec<usize> = truth.iter().copied().step_by(step).collect();
    let nll = |log_t: f64| -> f64 {
        let t = log_t.exp();
        scores
            .iter()
            .zip(&truth)
            .map(|(s, &y)| -softmax(s, t)[y].max(1e-300).ln())
            .sum()
    };
    let (mut a, mut b) = ((1e-3f64).ln(), (1e4f64).ln());
    let g = (5f64.sqrt() - 1.0) / 2.0;
    // 60 golden-section steps shrink the interval by 0.618^60 (< 1e-12).
    for _ in 0..60 {
        let c = b - g * (b - a);
        let d = a + g * (b - a);
        if nll(c) < nll(d) {
            b = d;
        } else {
            a = c;
        }
    }
    ((a + b) / 2.0).exp()
}

/// Expected calibration error over `bins` equal-width confidence bins.
pub fn expected_calibration_error(confidence: &[f64], correct: &[bool], bins: usize) -> f64 {
    let n = confidence.len();
    if n == 0 {
        return 0.0;
    }
    let mut sum_conf = vec![0.0; bins];
    let mut sum_acc = vec![0.0; bins];
    let mut count = vec![0usize; bins];
    for (&c, &ok) in confidence.iter().zip(correct) {
        let b = ((c * bins as f64) as usize).min(bins - 1);
        sum_conf[b] += c;
        sum_acc[b] += if ok { 1.0 } else { 0.0 };
        count[b] += 1;
    }
    (0..bins)
        .filter(|&b| count[b] > 0)
        .map(|b| (sum_conf[b] - sum_acc[b]).abs() / n as f64)
        .sum()
}

/// Terms that pushed the decision from the runner-up to the winner most:
/// x_j · (ln P(j|winner) − ln P(j|runner-up)).
pub fn explain(
    model: &NaiveBayes,
    x: &SparseVec,
    winner: usize,
    runner_up: usize,
    vocabulary: &[String],
    k: usize,
) -> Vec<Evidence> {
    let mut ev: Vec<Evidence> = x
        .iter()
        .map(|(j, v)| Evidence {
            term: vocabulary[j].clone(),
            weight: v * (model.feature_log_prob[winner][j] - model.feature_log_prob[runner_up][j]),
        })
        .filter(|e| e.weight > 0.0)
        .collect();
    ev.sort_by(|a, b| b.weight.total_cmp(&a.weight).then(a.term.cmp(&b.term)));
    ev.truncate(k);
    ev
}

/// Terms that favour class `c` over the average class, strongest first:
/// x_j · (ln P(j|c) − mean over classes of ln P(j|·)).
pub fn evidence_for(
    model: &NaiveBayes,
    x: &SparseVec,
    c: usize,
    vocabulary: &[String],
    k: usize,
) -> Vec<Evidence> {
    let n = model.n_classes().max(1) as f64;
    let mut ev: Vec<Evidence> = x
        .iter()
        .map(|(j, v)| {
            let mean = model.feature_log_prob.iter().map(|f| f[j]).sum::<f64>() / n;
            Evidence {
                term: vocabulary[j].clone(),
                weight: v * (model.feature_log_prob[c][j] - mean),
            }
        })
        .filter(|e| e.weight > 0.0)
        .collect();
    ev.sort_by(|a, b| b.weight.total_cmp(&a.weight).then(a.term.cmp(&b.term)));
    ev.truncate(k);
    ev
}

#[cfg(test)]
mod tests {
    use super::*;
    use linfa::traits::Predict;

    fn sv(pairs: &[(u32, f64)]) -> SparseVec {
        SparseVec {
            indices: pairs.iter().map(|p| p.0).collect(),
            values: pairs.iter().map(|p| p.1).collect(),
        }
    }

    #[test]
    fn sparse_scoring_agrees_with_linfa_bayes() {
        // Three classes, six features, a few weighted rows.
        let data = [
            (0, sv(&[(0, 0.8), (1, 0.6)])),
            (0, sv(&[(0, 0.5), (2, 0.5), (5, 0.7)])),
            (1, sv(&[(2, 0.9), (3, 0.4)])),
            (1, sv(&[(3, 1.0)])),
            (2, sv(&[(4, 0.7), (5, 0.7)])),
            (2, sv(&[(1, 0.2), (4, 0.9)])),
        ];
        let rows: Vec<(usize, &SparseVec, f64, bool)> =
            data.iter().map(|(c, v)| (*c, v, 1.0, true)).collect();
        let ours_linfa = fit_linfa(&rows, 3, 6, 0.5, false, 2).unwrap();
        let mut counts = ClassCounts::new(3, 6);
        for (c, v) in &data {
            counts.add(*c, v, 1.0, true);
        }
        let ours_sparse = counts.fit(0.5, false);
        for c in 0..3 {
            for j in 0..6 {
                let a = ours_linfa.feature_log_prob[c][j];
                let b = ours_sparse.feature_log_prob[c][j];
                assert!((a - b).abs() < 1e-12, "class {c} feature {j}: {a} vs {b}");
            }
        }
        // linfa-bayes' own predictions on dense rows.
        let tests = [
            sv(&[(0, 1.0)]),
            sv(&[(3, 0.5), (2, 0.5)]),
            sv(&[(4, 1.0), (1, 0.1)]),
            sv(&[(5, 1.0)]),
        ];
        let mut x = Array2::<f64>::zeros((tests.len(), 6));
        for (r, t) in tests.iter().enumerate() {
            for (j, v) in t.iter() {
                x[[r, j]] = v;
            }
        }
        let y: Vec<usize> = data.iter().map(|d| d.0).collect();
        let mut dense = Array2::<f64>::zeros((data.len(), 6));
        for (r, (_, v)) in data.iter().enumerate() {
            for (j, w) in v.iter() {
                dense[[r, j]] = w;
            }
        }
        let linfa_model = MultinomialNb::params()
            .alpha(0.5)
            .fit(&Dataset::new(dense, Array1::from(y)))
            .unwrap();
        let linfa_pred = linfa_model.predict(&x);
        // linfa uses its learned priors; use the same (unsmoothed) priors.
        let n = data.len() as f64;
        let nb = NaiveBayes {
            log_prior: vec![(2.0 / n).ln(); 3],
            ..ours_sparse
        };
        for (t, expected) in tests.iter().zip(linfa_pred.iter()) {
            let s = nb.joint_log_likelihood(t);
            let best = (0..3).max_by(|&a, &b| s[a].total_cmp(&s[b])).unwrap();
            assert_eq!(best, *expected);
        }
    }

    proptest::proptest! {
        /// The top `k` are the head of the fully sorted order, ties and all.
        #[test]
        fn most_probable_is_the_head_of_the_sorted_order(
            p in proptest::collection::vec(proptest::sample::select(vec![0.0, 0.1, 0.25, 0.5, 1.0, f64::NAN]), 0..25),
            k in 0usize..12,
        ) {
            let mut order: Vec<usize> = (0..p.len()).collect();
            order.sort_by(|&a, &b| p[b].total_cmp(&p[a]).then(a.cmp(&b)));
            order.truncate(k);
            proptest::prop_assert_eq!(most_probable(&p, k), order);
        }
    }

    proptest::proptest! {
        /// Scoring over the padded feature-major table gives, for every
        /// class count, the bits of summing each class in feature order.
        #[test]
        fn feature_rows_sum_each_class_in_feature_order(
            k in 1usize..40,
            n_features in 1usize..12,
            seed in proptest::collection::vec(-30.0f64..0.0, 40 * 12),
            x in proptest::collection::btree_map(0usize..12, 0.0f64..1.0, 0..12),
        ) {
            let flp = |c: usize, j: usize| seed[c * 12 + j];
            let x: Vec<(u32, f64)> = x
                .into_iter()
                .filter(|(j, _)| *j < n_features)
                .map(|(j, v)| (j as u32, v))
                .collect();
            let x = sv(&x);
            let stride = row_stride(k);
            let mut table = vec![0.0; n_features * stride];
            for j in 0..n_features {
                for c in 0..k {
                    table[j * stride + c] = flp(c, j);
                }
            }
            let mut sums = vec![0.0; stride];
            add_feature_rows(&mut sums, &x, &table);
            #[cfg(target_arch = "x86_64")]
            if std::arch::is_x86_feature_detected!("avx") {
                let mut avx = vec![0.0; stride];
                // SAFETY: the CPU has AVX, checked just above.
                unsafe { add_feature_rows_avx(&mut avx, &x, &table) };
                proptest::prop_assert_eq!(&avx, &sums);
            }
            for (c, sum) in sums.iter().enumerate().take(k) {
                let mut expected = 0.0;
                for (j, v) in x.iter() {
                    expected += v * flp(c, j);
                }
                proptest::prop_assert_eq!(sum.to_bits(), expected.to_bits(), "class {}", c);
            }
        }
    }

    proptest::proptest! {
        /// Every word of the table is found with its index, short or long,
        /// and no other word is found.
        #[test]
        fn word_table_finds_exactly_its_words(
            words in proptest::collection::btree_set("[a\\x00党建卫生健康工作]{0,9}", 0..60),
            probes in proptest::collection::vec("[a\\x00党建卫生健康工作]{0,9}", 0..30),
        ) {
            let words: Vec<String> = words.into_iter().collect();
            let entries: Vec<(&str, u32)> =
                words.iter().enumerate().map(|(i, w)| (w.as_str(), i as u32)).collect();
            let table = WordTable::new(&entries);
            for (w, i) in &entries {
                proptest::prop_assert_eq!(table.get(w), Some(*i));
            }
            for p in &probes {
                let expected = words.iter().position(|w| w == p).map(|i| i as u32);
                proptest::prop_assert_eq!(table.get(p), expected);
            }
        }
    }

    #[test]
    fn softmax_never_underflows() {
        let p = softmax(&[-1e6, -1e6 - 5.0, -2e6], 1.0);
        assert!(p.iter().all(|x| x.is_finite()));
        assert!((p.iter().sum::<f64>() - 1.0).abs() < 1e-12);
        assert!(p[0] > p[1] && p[2] == 0.0);
        let flat = softmax(&[f64::NEG_INFINITY; 3], 1.0);
        assert!((flat[0] - 1.0 / 3.0).abs() < 1e-12);
    }

    #[test]
    fn temperature_softens_overconfident_scores() {
        // Scores far apart but only half right: the best temperature is large.
        let scores: Vec<Vec<f64>> = (0..100).map(|_| vec![0.0, -50.0]).collect();
        let truth: Vec<usize> = (0..100).map(|i| i % 2).collect();
        let t = fit_temperature(&scores, &truth);
        assert!(t > 100.0, "{t}");
        let ece = expected_calibration_error(&[0.9, 0.9, 0.6, 0.6], &[true, false, true, true], 10);
        assert!((ece - (0.4 / 2.0 + 0.4 / 2.0)).abs() < 1e-12, "{ece}");
    }

    #[test]
    fn alpha_must_be_positive() {
        let v = sv(&[(0, 1.0)]);
        assert!(fit_linfa(&[(0, &v, 1.0, true)], 1, 1, 0.0, false, 8).is_err());
    }
}

/// A loaded model, ready to label tasks: tokeniser, vectoriser, naive
/// Bayes and calibration together.
pub struct Classifier {
    pub model: crate::model::ModelFile,
    tokenizer: crate::tokenize::Tokenizer,
    tfidf: crate::features::Tfidf,
    lookup: TokenLookup,
    /// `feature_log_prob` transposed, one row of class scores per feature
    /// (padded to [`row_stride`]), so that scoring a sparse vector reads
    /// contiguous memory.
    log_prob_by_feature: Vec<f64>,
}

/// Raw jieba tokens straight to feature indices, for tagging. Holds only
/// vocabulary words the tokeniser keeps, so a token found here is exactly a
/// kept word of the vocabulary and no token needs filtering first.
struct TokenLookup {
    /// Word → index of the word's term.
    words: WordTable,
    /// Heading word → index of its `H:word` term.
    heading_words: WordTable,
    /// Word bigrams need the filtered word sequence: no fast path.
    usable: bool,
}

impl TokenLookup {
    fn new(tfidf: &crate::features::Tfidf, tokenizer: &crate::tokenize::Tokenizer) -> Self {
        let mut words = Vec::new();
        let mut heading_words = Vec::new();
        for (i, term) in tfidf.vocabulary().iter().enumerate() {
            if tokenizer.keeps(term) {
                words.push((term.as_str(), i as u32));
            }
            if let Some(word) = term.strip_prefix("H:") {
                if tokenizer.keeps(word) {
                    heading_words.push((word, i as u32));
                }
            }
        }
        TokenLookup {
            words: WordTable::new(&words),
            heading_words: WordTable::new(&heading_words),
            usable: !tokenizer.settings().bigrams,
        }
    }
}

/// Word → index, looked up once per jieba token. Words of up to sixteen
/// bytes (nearly all: five ideographs) sit inline in an open-addressing
/// table, compared as two integers, so a lookup is a hash of two words and
/// usually one probe, with no string comparison; longer words go to a hash
/// map.
struct WordTable {
    slots: Vec<WordSlot>,
    /// `slots.len() - 1`; the length is a power of two.
    mask: usize,
    long: FxHashMap<Box<str>, u32>,
}

/// One slot: the word packed by [`WordTable::pack`], its length (0 = empty)
/// and index.
#[derive(Clone, Copy, Default)]
struct WordSlot {
    key: [u64; 2],
    len: u32,
    index: u32,
}

const INLINE_WORD_BYTES: usize = 16;

impl WordTable {
    fn new(words: &[(&str, u32)]) -> Self {
        // At most half full, so that probes stay short.
        let size = (words.len() * 2).next_power_of_two().max(16);
        let mut table = WordTable {
            slots: vec![WordSlot::default(); size],
            mask: size - 1,
            long: FxHashMap::default(),
        };
        for &(word, index) in words {
            if word.is_empty() || word.len() > INLINE_WORD_BYTES {
                table.long.insert(word.into(), index);
                continue;
            }
            let key = Self::pack(word.as_bytes());
            let mut at = Self::hash(key, word.len()) & table.mask;
            while table.slots[at].len != 0
                && (table.slots[at].key, table.slots[at].len as usize) != (key, word.len())
            {
                at = (at + 1) & table.mask;
            }
            table.slots[at] = WordSlot {
                key,
                len: word.len() as u32,
                index,
            };
        }
        table
    }

    /// The bytes of a word of 1 to 16 bytes as two integers, read with
    /// overlapping loads (first and last bytes) so no copy is needed; with
    /// the length, the two integers determine every byte.
    #[inline]
    fn pack(b: &[u8]) -> [u64; 2] {
        let len = b.len();
        let u64_at = |i: usize| u64::from_le_bytes(b[i..i + 8].try_into().expect("8 bytes"));
        let u32_at = |i: usize| u32::from_le_bytes(b[i..i + 4].try_into().expect("4 bytes")) as u64;
        match len {
            8..=16 => [u64_at(0), u64_at(len - 8)],
            4..=7 => [u32_at(0) | (u32_at(len - 4) << 32), 0],
            1..=3 => [
                b[0] as u64 | (b[len / 2] as u64) << 8 | (b[len - 1] as u64) << 16,
                0,
            ],
            _ => [0, 0],
        }
    }

    fn hash(key: [u64; 2], len: usize) -> usize {
        let h = (key[0] ^ key[1].rotate_left(29) ^ len as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15);
        (h >> 32) as usize
    }

    #[inline]
    fn get(&self, word: &str) -> Option<u32> {
        let len = word.len();
        if len == 0 || len > INLINE_WORD_BYTES {
            return self.long.get(word).copied();
        }
        let key = Self::pack(word.as_bytes());
        let mut at = Self::hash(key, len) & self.mask;
        loop {
            let slot = &self.slots[at];
            if slot.len == 0 {
                return None;
            }
            if slot.key == key && slot.len as usize == len {
                return Some(slot.index);
            }
            at = (at + 1) & self.mask;
        }
    }
}

/// Length of a row of the feature-major table: the class count, padded
/// with zero classes to a multiple of four up to 32 classes, so that rows
/// fill whole vectors and [`add_feature_rows`] has a fixed-width version.
fn row_stride(n_classes: usize) -> usize {
    if n_classes <= 32 {
        n_classes.next_multiple_of(4)
    } else {
        n_classes
    }
}

/// `sums[c] += x[j] * table[j][c]` over the non-zeros of `x`, rows of the
/// feature-major table being `sums.len()` long. Each class sums its terms in
/// feature order whatever the vector width, so the bits never depend on it.
#[inline(always)]
fn add_feature_rows(sums: &mut [f64], x: &SparseVec, table: &[f64]) {
    macro_rules! fixed {
        ($($k:literal)*) => {
            match sums.len() {
                $($k => return add_feature_rows_fixed::<$k>(sums, x, table),)*
                _ => {}
            }
        };
    }
    fixed!(4 8 12 16 20 24 28 32);
    let k = sums.len();
    for (j, v) in x.iter() {
        let row = &table[j * k..(j + 1) * k];
        for (s, lp) in sums.iter_mut().zip(row) {
            *s += v * lp;
        }
    }
}

/// [`add_feature_rows`] for rows of `K` classes: the sums stay in
/// registers across the features instead of going through memory for
/// every one. Same operations in the same order, so the same bits.
#[inline(always)]
fn add_feature_rows_fixed<const K: usize>(sums: &mut [f64], x: &SparseVec, table: &[f64]) {
    let mut acc: [f64; K] = sums[..K].try_into().expect("K sums");
    for (j, v) in x.iter() {
        let row: &[f64; K] = table[j * K..(j + 1) * K].try_into().expect("K classes");
        for c in 0..K {
            acc[c] += v * row[c];
        }
    }
    sums[..K].copy_from_slice(&acc);
}

/// [`add_feature_rows`] compiled for AVX: four classes per instruction
/// instead of two (multiply then add, never fused, so the same bits).
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx")]
unsafe fn add_feature_rows_avx(sums: &mut [f64], x: &SparseVec, table: &[f64]) {
    add_feature_rows(sums, x, table)
}

/// How to report a prediction.
#[derive(Debug, Clone, Copy)]
pub struct PredictOptions {
    /// Candidates listed in `top`.
    pub top: usize,
    /// Include the terms that drove the decision.
    pub explain: bool,
    /// Override of the model's low-confidence threshold.
    pub min_confidence: Option<f64>,
}

impl Default for PredictOptions {
    fn default() -> Self {
        PredictOptions {
            top: 3,
            explain: false,
            min_confidence: None,
        }
    }
}

impl Classifier {
    /// Rebuilds the tokeniser and vectoriser the model was trained with.
    pub fn new(model: crate::model::ModelFile) -> Result<Self> {
        let tokenizer = crate::tokenize::Tokenizer::new(model.tokenizer.clone())?;
        let tfidf = crate::features::Tfidf::new(
            model.tfidf.vocabulary.clone(),
            model.tfidf.idf.clone(),
            model.tfidf.sublinear_tf,
        );
        let lookup = TokenLookup::new(&tfidf, &tokenizer);
        let n_classes = model.naive_bayes.n_classes();
        let stride = row_stride(n_classes);
        let mut log_prob_by_feature = vec![0.0; tfidf.len() * stride];
        for (c, flp) in model.naive_bayes.feature_log_prob.iter().enumerate() {
            for (j, &v) in flp.iter().enumerate().take(tfidf.len()) {
                log_prob_by_feature[j * stride + c] = v;
            }
        }
        Ok(Classifier {
            model,
            tokenizer,
            tfidf,
            lookup,
            log_prob_by_feature,
        })
    }

    pub fn tokenizer(&self) -> &crate::tokenize::Tokenizer {
        &self.tokenizer
    }

    /// Feature vector of a task.
    pub fn vectorize(&self, title: &str, text: &str, path: &[String]) -> SparseVec {
        self.vectorize_with_path_terms(title, text, &self.tokenizer.path_terms(path))
    }

    /// Feature vectors of many tasks (title, text, path) with one jieba
    /// call for all their titles and texts and one per distinct path.
    pub fn vectorize_batch(&self, tasks: &[(&str, &str, &[String])]) -> Vec<SparseVec> {
        if !self.lookup.usable {
            return self.vectorize_batch_by_terms(tasks);
        }
        let texts: Vec<&str> = tasks
            .iter()
            .flat_map(|(title, text, _)| [*title, *text])
            .collect();
        // Feature indices of all tasks in one vector, in task order (jieba
        // returns tokens in text order); `ends[t]` closes task `t`.
        let total_len: usize = texts.iter().map(|t| t.len()).sum();
        let mut ids: Vec<u32> = Vec::with_capacity(total_len / 4);
        let mut ends: Vec<usize> = vec![0; tasks.len()];
        self.tokenizer.cut_batch(&texts, |part, word| {
            if let Some(id) = self.lookup.words.get(word) {
                ids.push(id);
                ends[part / 2] = ids.len();
            }
        });
        let mut scratch = crate::features::CountScratch::default();
        let mut heading_cache = FxHashMap::default();
        let mut task_ids: Vec<u32> = Vec::new();
        let mut path: Option<(&[String], Vec<u32>)> = None;
        let mut start = 0;
        tasks
            .iter()
            .zip(&ends)
            .map(|((_, _, p), &end)| {
                // A task with no known word ends where the one before it did.
                let end = end.max(start);
                task_ids.clear();
                task_ids.extend_from_slice(&ids[start..end]);
                start = end;
                if path.as_ref().map(|(q, _)| q != p).unwrap_or(true) {
                    path = Some((p, self.heading_ids(p, &mut heading_cache)));
                }
                if let Some((_, heading_ids)) = &path {
                    task_ids.extend_from_slice(heading_ids);
                }
                self.tfidf.transform_ids_counted(&task_ids, &mut scratch)
            })
            .collect()
    }

    /// Feature indices of the `H:` terms of a heading path. Each heading is
    /// cut once per batch (`cache`): a chapter heading heads many paths.
    fn heading_ids<'a>(
        &self,
        path: &'a [String],
        cache: &mut FxHashMap<&'a str, Vec<u32>>,
    ) -> Vec<u32> {
        if !self.tokenizer.settings().path_terms {
            return Vec::new();
        }
        let mut ids = Vec::new();
        for heading in path {
            let heading_ids = cache.entry(heading.as_str()).or_insert_with(|| {
                let mut ids = Vec::new();
                self.tokenizer.cut(heading, |word| {
                    ids.extend(self.lookup.heading_words.get(word));
                });
                ids
            });
            ids.extend_from_slice(heading_ids);
        }
        ids
    }

    /// [`Classifier::vectorize_batch`] through the term strings, for models
    /// whose terms are not single tokens (bigrams).
    fn vectorize_batch_by_terms(&self, tasks: &[(&str, &str, &[String])]) -> Vec<SparseVec> {
        let texts: Vec<&str> = tasks
            .iter()
            .flat_map(|(title, text, _)| [*title, *text])
            .collect();
        let mut words = self.tokenizer.words_batch(&texts).into_iter();
        let mut path: Option<(&[String], Vec<String>)> = None;
        tasks
            .iter()
            .map(|(_, _, p)| {
                let title_and_text = [
                    words.next().unwrap_or_default(),
                    words.next().unwrap_or_default(),
                ];
                if path.as_ref().map(|(q, _)| q != p).unwrap_or(true) {
                    path = Some((p, self.tokenizer.path_terms(p)));
                }
                let path_terms = path.as_ref().map(|(_, t)| t.as_slice()).unwrap_or(&[]);
                self.tfidf.transform_with(|visit| {
                    self.tokenizer
                        .for_each_term_of_words(&title_and_text, path_terms, |t| visit(t))
                })
            })
            .collect()
    }

    /// Feature vector of a task whose heading-path terms are already known
    /// (tasks under the same headings share them).
    pub fn vectorize_with_path_terms(
        &self,
        title: &str,
        text: &str,
        path_terms: &[String],
    ) -> SparseVec {
        self.tfidf.transform_with(|visit| {
            self.tokenizer
                .for_each_term(title, text, path_terms, |t| visit(t))
        })
    }

    /// Calibrated probabilities of every label.
    pub fn probabilities(&self, x: &SparseVec) -> Vec<f64> {
        let mut p = self.joint_log_likelihood(x);
        softmax_in_place(&mut p, self.model.calibration.temperature);
        p
    }

    /// [`NaiveBayes::joint_log_likelihood`] over the feature-major table:
    /// the same sums in the same order, so the same bits.
    fn joint_log_likelihood(&self, x: &SparseVec) -> Vec<f64> {
        let prior = &self.model.naive_bayes.log_prior;
        let mut sums = vec![0.0; row_stride(prior.len())];
        #[cfg(target_arch = "x86_64")]
        if std::arch::is_x86_feature_detected!("avx") {
            // SAFETY: the CPU has AVX, checked just above.
            unsafe { add_feature_rows_avx(&mut sums, x, &self.log_prob_by_feature) };
        } else {
            add_feature_rows(&mut sums, x, &self.log_prob_by_feature);
        }
        #[cfg(not(target_arch = "x86_64"))]
        add_feature_rows(&mut sums, x, &self.log_prob_by_feature);
        // prior + sum as in `NaiveBayes::joint_log_likelihood` (addition
        // commutes exactly, so the same bits); padding classes dropped.
        sums.truncate(prior.len());
        sums.iter_mut().zip(prior).for_each(|(s, p)| *s += p);
        sums
    }

    /// Labels one task.
    pub fn predict(
        &self,
        title: &str,
        text: &str,
        path: &[String],
        opts: PredictOptions,
    ) -> Prediction {
        let x = self.vectorize(title, text, path);
        self.predict_vector(&x, opts)
    }

    /// For each candidate of a prediction, the words of the text that
    /// favour it (heading-path terms dropped, bigrams split), for
    /// highlighting during review.
    pub fn candidate_words(&self, x: &SparseVec, prediction: &Prediction) -> Vec<Vec<String>> {
        prediction
            .top
            .iter()
            .map(|cand| {
                let c = self
                    .model
                    .taxonomy
                    .iter()
                    .position(|l| l.id == cand.label)
                    .unwrap_or(0);
                let mut words: Vec<String> = Vec::new();
                for e in evidence_for(
                    &self.model.naive_bayes,
                    x,
                    c,
                    &self.model.tfidf.vocabulary,
                    12,
                ) {
                    if e.term.starts_with("H:") {
                        continue;
                    }
                    for w in e.term.split('_') {
                        if !words.iter().any(|x| x == w) {
                            words.push(w.to_string());
                        }
                    }
                }
                words
            })
            .collect()
    }

    pub fn predict_vector(&self, x: &SparseVec, opts: PredictOptions) -> Prediction {
        self.predict_from_scores(self.joint_log_likelihood(x), x, opts)
    }

    /// Scores (joint log-likelihoods) of every label for a task vector:
    /// what [`crate::context::mix`] takes.
    pub fn scores(&self, x: &SparseVec) -> Vec<f64> {
        self.joint_log_likelihood(x)
    }

    /// How this model mixes the document around each task into its scores.
    pub fn document_prior(&self) -> crate::context::DocumentPrior {
        crate::context::DocumentPrior {
            weight: self.model.calibration.context_weight,
            temperature: self.model.calibration.context_temperature,
        }
    }

    /// Labels a task from its (possibly context-mixed) scores; `x` is its
    /// vector, for explanations.
    pub fn predict_from_scores(
        &self,
        mut p: Vec<f64>,
        x: &SparseVec,
        opts: PredictOptions,
    ) -> Prediction {
        softmax_in_place(&mut p, self.model.calibration.temperature);
        // The runner-up is needed for explanations even when one candidate
        // is listed.
        let order = most_probable(&p, opts.top.max(2));
        let best = order[0];
        let threshold = opts
            .min_confidence
            .unwrap_or(self.model.calibration.low_confidence_threshold);
        let labels = &self.model.taxonomy;
        Prediction {
            label: labels[best].id.clone(),
            label_name: labels[best].zh.clone(),
            confidence: p[best],
            top: order
                .iter()
                .take(opts.top.max(1))
                .map(|&c| Candidate {
                    label: labels[c].id.clone(),
                    p: p[c],
                })
                .collect(),
            low_confidence: p[best] < threshold,
            secondary: order
                .get(1)
                .filter(|&&c| p[c] >= self.model.calibration.secondary_threshold)
                .map(|&c| vec![labels[c].id.clone()])
                .unwrap_or_default(),
            explain: opts.explain.then(|| {
                explain(
                    &self.model.naive_bayes,
                    x,
                    best,
                    *order.get(1).unwrap_or(&best),
                    &self.model.tfidf.vocabulary,
                    8,
                )
            }),
        }
    }
}

#[cfg(test)]
mod classifier_tests {
    use super::*;

    /// Tasks in traditional characters (one with pinyin after characters)
    /// and their simplified twins: (title, text, heading).
    const TWINS: [[(&str, &str, &str); 2]; 4] = [
        [
            (
                "加強疾病預防控制",
                "全面落實國家免疫規劃,預防接種率保持在95%以上,做好傳染病疫情監測和報告。",
                "三、加強公共衛生服務",
            ),
            (
                "加强疾病预防控制",
                "全面落实国家免疫规划,预防接种率保持在95%以上,做好传染病疫情监测和报告。",
                "三、加强公共卫生服务",
            ),
        ],
        [
            (
                "",
                "推進醫藥衛生體制改革,深化縣域醫共體建設,落實分級診療制度。",
                "二、深化醫藥衛生體制改革",
            ),
            (
                "",
                "推进医药卫生体制改革,深化县域医共体建设,落实分级诊疗制度。",
                "二、深化医药卫生体制改革",
            ),
        ],
        [
            (
                "(五)",
                "開展愛國衛生運動,加強婦幼保健和職業病防治工作,推進醫養結合。",
                "二、深化醫藥衛生體制改革",
            ),
            (
                "(五)",
                "开展爱国卫生运动,加强妇幼保健和职业病防治工作,推进医养结合。",
                "二、深化医药卫生体制改革",
            ),
        ],
        [
            (
                "",
                "提升基層醫(yī)療衛(wèi)生服務能力,發展中醫藥事業。",
                "四、中醫藥",
            ),
            (
                "",
                "提升基层医疗卫生服务能力,发展中医药事业。",
                "四、中医药",
            ),
        ],
    ];

    /// A task in traditional characters gets the feature vector, and so the
    /// label and probabilities, of its simplified twin from the shipped
    /// model, through every path that builds vectors.
    #[test]
    fn traditional_task_scores_as_its_simplified_twin() {
        let classifier = Classifier::new(crate::model::default_model().unwrap()).unwrap();
        let opts = PredictOptions {
            explain: true,
            ..PredictOptions::default()
        };
        let paths: Vec<[Vec<String>; 2]> = TWINS
            .iter()
            .map(|pair| pair.map(|(_, _, heading)| vec![heading.to_string()]))
            .collect();
        let batch = |side: usize| -> Vec<(&str, &str, &[String])> {
            TWINS
                .iter()
                .zip(&paths)
                .map(|(pair, path)| (pair[side].0, pair[side].1, path[side].as_slice()))
                .collect()
        };
        let (traditional, simple) = (batch(0), batch(1));
        assert_eq!(
            classifier.vectorize_batch(&traditional),
            classifier.vectorize_batch(&simple)
        );
        assert_eq!(
            classifier.vectorize_batch_by_terms(&traditional),
            classifier.vectorize_batch_by_terms(&simple)
        );
        for (&(title, text, path), &(s_title, s_text, s_path)) in traditional.iter().zip(&simple) {
            let x = classifier.vectorize(title, text, path);
            assert_eq!(x, classifier.vectorize(s_title, s_text, s_path), "{text}");
            assert!(x.nnz() >= 5, "{text}: {x:?}");
            assert_eq!(
                classifier.predict(title, text, path, opts),
                classifier.predict(s_title, s_text, s_path, opts),
                "{text}"
            );
        }
    }

    /// The tagger's token-to-index path gives exactly the vectors of the
    /// term-string path that training uses, on every shipped plan.
    #[test]
    fn token_lookup_path_equals_term_path() {
        let classifier = Classifier::new(crate::model::default_model().unwrap()).unwrap();
        assert!(classifier.lookup.usable);
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/plans");
        let mut checked = 0;
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().map(|e| e != "txt").unwrap_or(true) {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            let seg = crate::segment::segment("p", &text);
            let inputs: Vec<(&str, &str, &[String])> = seg
                .tasks
                .iter()
                .map(|t| (t.title.as_str(), t.text.as_str(), t.path.as_slice()))
                .collect();
            let fast = classifier.vectorize_batch(&inputs);
            let by_terms = classifier.vectorize_batch_by_terms(&inputs);
            assert_eq!(fast, by_terms, "{}", path.display());
            for x in &fast {
                let expected = softmax(
                    &classifier.model.naive_bayes.joint_log_likelihood(x),
                    classifier.model.calibration.temperature,
                );
                assert_eq!(classifier.probabilities(x), expected);
            }
            checked += fast.len();
        }
        assert!(checked > 100, "{checked} tasks");
    }
}
