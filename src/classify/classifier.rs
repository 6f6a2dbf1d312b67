//! A loaded model ready to label tasks: the tokeniser and vectoriser it was
//! trained with, its scorer and calibration.

use super::calibration::softmax_in_place;
use super::explain::{evidence_for, explain};
use super::prediction::{most_probable, Candidate, PredictOptions, Prediction};
use super::scorer::Scorer;
use crate::error::{Error, Result};
use crate::features::{SparseVec, TermIds, Tfidf};
use crate::model::ModelFile;
use crate::tokenize::{TaskText, Tokenizer};

/// A loaded model, ready to label tasks.
pub struct Classifier {
    pub model: ModelFile,
    tokenizer: Tokenizer,
    tfidf: Tfidf,
    term_ids: TermIds,
    scorer: Scorer,
}

impl Classifier {
    /// Rebuilds the tokeniser and vectoriser the model was trained with.
    pub fn new(model: ModelFile) -> Result<Self> {
        let tokenizer = Tokenizer::new(model.tokenizer.clone())?;
        let tfidf = Tfidf::new(
            model.tfidf.vocabulary.clone(),
            model.tfidf.idf.clone(),
            model.tfidf.sublinear_tf,
        );
        let term_ids = TermIds::new(&tfidf, &tokenizer);
        let scorer = Scorer::new(&model.naive_bayes, tfidf.len());
        Ok(Classifier {
            model,
            tokenizer,
            tfidf,
            term_ids,
            scorer,
        })
    }

    pub fn tokenizer(&self) -> &Tokenizer {
        &self.tokenizer
    }

    /// Feature vector of a task.
    pub fn vectorize(&self, title: &str, text: &str, path: &[String]) -> SparseVec {
        self.vectorize_batch(&[(title, text, path)])
            .pop()
            .unwrap_or_default()
    }

    /// Feature vectors of many tasks (title, text, path) with one jieba
    /// call for all their titles and texts and one per distinct heading.
    pub fn vectorize_batch(&self, tasks: &[TaskText<'_>]) -> Vec<SparseVec> {
        self.term_ids
            .vectorize_batch(&self.tfidf, &self.tokenizer, tasks)
    }

    /// Calibrated probabilities of every label.
    pub fn probabilities(&self, x: &SparseVec) -> Vec<f64> {
        let mut p = self.joint_log_likelihood(x);
        softmax_in_place(&mut p, self.model.calibration.temperature);
        p
    }

    fn joint_log_likelihood(&self, x: &SparseVec) -> Vec<f64> {
        self.scorer.joint_log_likelihood(x)
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
    /// highlighting during review. A candidate label the model does not
    /// know is an error.
    pub fn candidate_words(
        &self,
        x: &SparseVec,
        prediction: &Prediction,
    ) -> Result<Vec<Vec<String>>> {
        prediction
            .top
            .iter()
            .map(|cand| {
                let c = self.label_index(&cand.label)?;
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
                Ok(words)
            })
            .collect()
    }

    /// The class index of a label id.
    pub fn label_index(&self, label: &str) -> Result<usize> {
        self.model
            .taxonomy
            .iter()
            .position(|l| l.id == label)
            .ok_or_else(|| Error::UnknownLabel {
                label: label.to_string(),
                known_by: "the model".to_string(),
            })
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
    use crate::classify::softmax;

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

    /// A candidate label the model does not know is an error, never the
    /// words of label 0.
    #[test]
    fn candidate_words_refuse_an_unknown_label() {
        let classifier = Classifier::new(crate::model::default_model().unwrap()).unwrap();
        let x = classifier.vectorize("", "加强疾病预防控制,做好传染病疫情监测。", &[]);
        let mut p = classifier.predict_vector(&x, PredictOptions::default());
        assert_eq!(classifier.candidate_words(&x, &p).unwrap().len(), 3);
        p.top[1].label = "nope".into();
        let err = classifier.candidate_words(&x, &p).unwrap_err().to_string();
        assert_eq!(
            err,
            "unknown label `nope`: not one of the labels of the model"
        );
    }

    /// The term strings training learns from, through the vectoriser.
    fn vectors_by_term_strings(classifier: &Classifier, tasks: &[TaskText<'_>]) -> Vec<SparseVec> {
        classifier
            .tokenizer
            .terms_batch(tasks)
            .iter()
            .map(|terms| classifier.tfidf.transform(terms))
            .collect()
    }

    /// Hand-made tasks with what a tokeniser may stumble on: numbers,
    /// numerals, Latin, stopwords, punctuation only, text that spells a
    /// heading term, traditional characters and pinyin, empty parts.
    fn hand_made_tasks() -> Vec<(String, String, Vec<String>)> {
        let path = |p: &[&str]| p.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        vec![
            ("".into(), "".into(), path(&[])),
            ("（一）".into(), "一、二、三十".into(), path(&["一、"])),
            (
                "".into(),
                "，。；：！？……".into(),
                path(&["二、", "（三）"]),
            ),
            (
                "加强医疗服务".into(),
                "2020年完成85%的两癌筛查,DRG和DIP改革 a b H:医疗 H:".into(),
                path(&["三、深化医药卫生体制改革", "（二）推进分级诊疗"]),
            ),
            (
                "".into(),
                "提升基層醫(yī)療衛(wèi)生服務能力,發展中醫藥事業。的 了 和".into(),
                path(&["四、中醫藥"]),
            ),
            (
                "做好新冠肺炎疫情防控".into(),
                "落实“四早”要求,开展核酸检测_疫苗接种,5G+医疗健康。".into(),
                path(&["三、深化医药卫生体制改革", "（二）推进分级诊疗"]),
            ),
        ]
    }

    /// Training's term strings and the tagger's term indices give the same
    /// vectors: on hand-made tasks, every shipped plan, the corpus' train
    /// texts when the corpus is present, and under a model with bigrams.
    #[test]
    fn tagging_and_training_compute_the_same_features() {
        let model = crate::model::default_model().unwrap();
        let classifier = Classifier::new(model.clone()).unwrap();
        let mut tasks = hand_made_tasks();
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/plans");
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "txt") {
                let text = std::fs::read_to_string(&path).unwrap();
                for t in crate::segment::segment("p", &text).tasks {
                    tasks.push((t.title, t.text, t.path));
                }
            }
        }
        let corpus = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../shared/corpus/gold-train.jsonl");
        let five_plans = tasks.len();
        match std::fs::read_to_string(&corpus) {
            Ok(lines) => {
                for line in lines.lines() {
                    let unit: serde_json::Value = serde_json::from_str(line).unwrap();
                    let path = unit["path"]
                        .as_array()
                        .map(|p| {
                            p.iter()
                                .filter_map(|h| h.as_str())
                                .map(String::from)
                                .collect()
                        })
                        .unwrap_or_default();
                    tasks.push((String::new(), unit["text"].as_str().unwrap().into(), path));
                }
            }
            Err(_) => eprintln!("SKIPPED the corpus part: {} not found", corpus.display()),
        }
        let inputs: Vec<TaskText<'_>> = tasks
            .iter()
            .map(|(title, text, path)| (title.as_str(), text.as_str(), path.as_slice()))
            .collect();
        let fast = classifier.vectorize_batch(&inputs);
        assert_eq!(fast, vectors_by_term_strings(&classifier, &inputs));
        // Nearly every task has terms the model knows (the corpus adds
        // its 836 units when it is there).
        let with_terms = fast.iter().filter(|x| x.nnz() > 0).count();
        assert!(
            with_terms * 10 >= fast.len() * 9 && fast.len() >= five_plans,
            "{with_terms} of {} tasks have terms",
            fast.len()
        );
        for x in fast.iter().take(400) {
            let expected = softmax(
                &classifier.model.naive_bayes.joint_log_likelihood(x),
                classifier.model.calibration.temperature,
            );
            assert_eq!(classifier.probabilities(x), expected);
        }
        // With bigrams, whose terms need the filtered word sequence: the
        // first bigrams of the hand-made tasks join the vocabulary.
        let mut bigram_model = model;
        bigram_model.tokenizer.bigrams = true;
        let bigrams: Vec<String> = Tokenizer::new(bigram_model.tokenizer.clone())
            .unwrap()
            .terms_batch(&inputs[..6])
            .into_iter()
            .flatten()
            .filter(|t| t.contains('_') && !t.starts_with("H:"))
            .take(3)
            .collect();
        assert_eq!(bigrams.len(), 3, "{bigrams:?}");
        for term in bigrams {
            bigram_model.tfidf.vocabulary.push(term);
            bigram_model.tfidf.idf.push(2.0);
            for row in &mut bigram_model.naive_bayes.feature_log_prob {
                row.push(-5.0);
            }
        }
        let bigram_classifier = Classifier::new(bigram_model).unwrap();
        let inputs = &inputs[..200];
        let fast = bigram_classifier.vectorize_batch(inputs);
        assert_eq!(fast, vectors_by_term_strings(&bigram_classifier, inputs));
        let n = bigram_classifier.tfidf.len() as u32;
        assert!(fast.iter().any(|x| x.indices.contains(&(n - 1))));
    }
}
