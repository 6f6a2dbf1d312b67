#!/usr/bin/env python3
"""Compares plantag with scikit-learn classifiers on the same held-out units.

Not part of the build: a documented way to check that plantag's model is
ahead of the usual Python baselines on plans it has never seen.

Every classifier learns from the same data: the hand-labelled sections of
`training-data/labelled/` plus the `train` split of the corpus. All are
scored on the `dev` units' own text (the gold text of each unit, so that
segmentation plays no part): scikit-learn's MultinomialNB, ComplementNB and
LinearSVC, on jieba tokens (with plantag's user dictionary) and TF-IDF over
words and word bigrams, each with its main parameter chosen by grouped
5-fold cross-validation on the training data, and
plantag itself through `plan-tag --input jsonl` (with each unit's `doc`, as
a user tagging already-segmented data would pass it).

Needs: python3 with scikit-learn and jieba (`pip install scikit-learn
jieba`), a release build of plan-tag, and the corpus folder.

    python3 scripts/compare-sklearn.py --corpus ../shared/corpus

The figures are printed; nothing is written to the repository.
"""

import argparse
import collections
import glob
import json
import os
import subprocess
import sys


def read_jsonl(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def load_training(data_dir, corpus_dir):
    sections = []
    for path in sorted(glob.glob(os.path.join(data_dir, "labelled", "*.jsonl"))):
        for s in read_jsonl(path):
            if s.get("label"):
                sections.append((s["text"], s["label"], s.get("doc", path)))
    for u in read_jsonl(os.path.join(corpus_dir, "gold-train.jsonl")):
        sections.append((u["text"], u["label"], u["doc"]))
    return sections


def tokenizer(userdict):
    import jieba

    jieba.setLogLevel(60)
    if userdict and os.path.exists(userdict):
        jieba.load_userdict(userdict)

    def cut(text):
        return [t for t in jieba.lcut(text) if t.strip()]

    return cut


def sklearn_scores(train, dev, cut):
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.model_selection import GridSearchCV, GroupKFold
    from sklearn.naive_bayes import ComplementNB, MultinomialNB
    from sklearn.pipeline import Pipeline
    from sklearn.svm import LinearSVC

    texts = [t for t, _, _ in train]
    y_train = [label for _, label, _ in train]
    groups = [doc for _, _, doc in train]
    results = {}
    for name, model, grid in [
        ("MultinomialNB", MultinomialNB(), {"model__alpha": [0.01, 0.03, 0.1, 0.3, 1.0]}),
        ("ComplementNB", ComplementNB(), {"model__alpha": [0.01, 0.03, 0.1, 0.3, 1.0]}),
        ("LinearSVC", LinearSVC(), {"model__C": [0.1, 0.3, 1.0, 3.0]}),
    ]:
        pipeline = Pipeline(
            [
                (
                    "tfidf",
                    TfidfVectorizer(
                        tokenizer=cut, lowercase=False, ngram_range=(1, 2), token_pattern=None
                    ),
                ),
                ("model", model),
            ]
        )
        # The parameter is chosen by grouped cross-validation on the
        # training data, as plantag chooses its own: never on dev.
        search = GridSearchCV(pipeline, grid, cv=GroupKFold(n_splits=5), scoring="accuracy")
        search.fit(texts, y_train, groups=groups)
        results[f"{name} {search.best_params_}"] = list(search.predict([u["text"] for u in dev]))
    return results


def plantag_predictions(plan_tag, dev):
    lines = "".join(
        json.dumps({"id": u["id"], "text": u["text"], "doc": u["doc"]}, ensure_ascii=False) + "\n"
        for u in dev
    )
    out = subprocess.run(
        [plan_tag, "--input", "jsonl", "--format", "jsonl", "-"],
        input=lines.encode("utf-8"),
        capture_output=True,
        check=True,
    )
    by_id = {}
    for line in out.stdout.decode("utf-8").splitlines():
        record = json.loads(line)
        by_id[record["id"]] = record.get("label", "")
    return [by_id.get(u["id"], "") for u in dev]


def figures(dev, predicted):
    strict = sum(p == u["label"] for u, p in zip(dev, predicted)) / len(dev)
    lenient = sum(p == u["label"] or p in u.get("accept", []) for u, p in zip(dev, predicted)) / len(dev)
    labels = sorted({u["label"] for u in dev})
    f1s = []
    for label in labels:
        tp = sum(p == label and u["label"] == label for u, p in zip(dev, predicted))
        fp = sum(p == label and u["label"] != label for u, p in zip(dev, predicted))
        fn = sum(p != label and u["label"] == label for u, p in zip(dev, predicted))
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        f1s.append(2 * precision * recall / (precision + recall) if precision + recall else 0.0)
    return strict, lenient, sum(f1s) / len(f1s)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", default="../shared/corpus")
    parser.add_argument("--data", default="training-data")
    parser.add_argument("--plan-tag", default=os.path.join("target", "release", "plan-tag"))
    args = parser.parse_args()
    if not os.path.isdir(args.corpus):
        sys.exit(f"compare-sklearn: {args.corpus}: no corpus folder (use --corpus)")
    train = load_training(args.data, args.corpus)
    dev = read_jsonl(os.path.join(args.corpus, "gold-dev.jsonl"))
    cut = tokenizer(os.path.join(args.data, "userdict.txt"))
    results = sklearn_scores(train, dev, cut)
    if os.path.exists(args.plan_tag):
        results["plantag"] = plantag_predictions(args.plan_tag, dev)
    else:
        print(f"{args.plan_tag}: not built, plantag left out (cargo build --release)")
    counts = collections.Counter(u["label"] for u in dev)
    print(f"trained on {len(train)} sections; scored on {len(dev)} dev units' own text "
          f"({len(counts)} labels)")
    print(f"{'classifier':<40} {'strict':>7} {'lenient':>8} {'macro-F1':>9}")
    for name, predicted in results.items():
        strict, lenient, f1 = figures(dev, predicted)
        print(f"{name:<40} {strict:>7.3f} {lenient:>8.3f} {f1:>9.3f}")


if __name__ == "__main__":
    main()
