"""Reference numbers for src/naive_bayes.rs (test `fit_matches_scikit_learn`).

Fits scikit-learn's MultinomialNB on the test's hand-made matrix and prints
its feature log-probabilities and the joint log-likelihoods of the probe
rows, to be pasted into the test. Not needed to build or test plantag.

    pip install scikit-learn && python3 scripts/sklearn_reference.py
"""

import numpy as np
import sklearn
from sklearn.naive_bayes import MultinomialNB

X = np.array(
    [
        [2.0, 1.0, 0.0, 0.0, 0.0],
        [1.0, 0.0, 0.5, 0.0, 0.0],
        [0.0, 0.0, 3.0, 1.0, 0.0],
        [0.0, 0.25, 1.0, 2.0, 0.0],
        [0.0, 0.0, 0.0, 1.0, 4.0],
        [1.0, 0.0, 0.0, 0.0, 2.0],
    ]
)
y = np.array([0, 0, 1, 1, 2, 2])
PROBES = np.array(
    [
        [1.0, 0.0, 0.0, 0.0, 0.0],
        [0.0, 0.5, 0.5, 0.0, 1.0],
        [0.2, 0.0, 1.0, 3.0, 0.0],
    ]
)

model = MultinomialNB(alpha=0.5).fit(X, y)
print("scikit-learn", sklearn.__version__)
print("feature_log_prob_ =")
for row in model.feature_log_prob_:
    print("  [" + ", ".join(repr(float(v)) for v in row) + "],")
print("predict_joint_log_proba(PROBES) =")
for row in model.predict_joint_log_proba(PROBES):
    print("  [" + ", ".join(repr(float(v)) for v in row) + "],")
