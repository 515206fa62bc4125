"""Build time only: trains the linear models of `skill.learned` from the written corpora in
content/, and cross-validates candidates. Needs scikit-learn (`pip install -e ".[build]"`);
nothing at run time imports this module.

Deterministic: the same corpus gives the same weights (sorted features, a fixed fold split,
a deterministic solver).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Sequence

import numpy as np

from skill import answers
from skill.learned import LinearModel, Vectoriser, features

MIN_DF = 2  # a feature seen in one example only is noise, and makes the stored model large


def fit_vectoriser(texts: Sequence[str], min_df: int = MIN_DF) -> Vectoriser:
    """Columns for every feature seen in at least `min_df` texts; smooth idf as scikit-learn's."""
    word_df: Counter = Counter()
    char_df: Counter = Counter()
    for words in texts:
        word_feats, char_feats = features(words)
        word_df.update(word_feats.keys())
        char_df.update(char_feats.keys())
    word_names = sorted(name for name, df in word_df.items() if df >= min_df)
    char_names = sorted(name for name, df in char_df.items() if df >= min_df)
    n = len(texts)
    idf = [math.log((1 + n) / (1 + word_df[name])) + 1 for name in word_names]
    idf += [math.log((1 + n) / (1 + char_df[name])) + 1 for name in char_names]
    vocabulary = {name: i for i, name in enumerate(word_names + char_names)}
    return Vectoriser(vocabulary, np.asarray(idf, dtype=np.float32), len(word_names))


def matrix(vectoriser: Vectoriser, texts: Sequence[str]):
    from scipy.sparse import csr_matrix

    indptr, indices, data = [0], [], []
    for words in texts:
        columns, values = vectoriser.transform(words)
        indices.extend(columns.tolist())
        data.extend(values.tolist())
        indptr.append(len(indices))
    return csr_matrix((np.asarray(data, dtype=np.float64), indices, indptr),
                      shape=(len(texts), len(vectoriser.vocabulary)))


def train_softmax(texts: Sequence[str], labels: Sequence[str], settings: dict, c: float) -> LinearModel:
    """One class per text (multinomial logistic regression)."""
    from sklearn.linear_model import LogisticRegression

    vectoriser = fit_vectoriser(texts)
    classes = tuple(sorted(set(labels)))
    fit = LogisticRegression(C=c, max_iter=1000, tol=1e-4).fit(matrix(vectoriser, texts), labels)
    assert tuple(fit.classes_) == classes
    coef, intercept = fit.coef_, fit.intercept_
    if len(classes) == 2:  # scikit-learn keeps one row for two classes: a softmax of (-z/2, z/2) is sigmoid(z)
        coef, intercept = np.vstack([-coef / 2, coef / 2]), np.concatenate([-intercept / 2, intercept / 2])
    return LinearModel("softmax", classes, vectoriser, coef.T.copy(), intercept.copy(), settings)


def train_sigmoid(texts: Sequence[str], label_sets: Sequence[frozenset[str]], classes: Sequence[str],
                  settings: dict, c: float) -> LinearModel:
    """Any number of labels per text: one logistic regression per class (one-vs-rest)."""
    from sklearn.linear_model import LogisticRegression

    vectoriser = fit_vectoriser(texts)
    x = matrix(vectoriser, texts)
    coef, intercept = [], []
    for name in classes:
        y = np.array([name in labels for labels in label_sets], dtype=int)
        if y.sum() == 0:
            raise ValueError(f"no training example carries the label {name!r}")
        fit = LogisticRegression(C=c, max_iter=1000, tol=1e-4).fit(x, y)
        coef.append(fit.coef_[0])
        intercept.append(fit.intercept_[0])
    return LinearModel("sigmoid", tuple(classes), vectoriser, np.array(coef).T.copy(), np.array(intercept), settings)


def fold_split(n: int, k: int = 5, seed: int = 7) -> list[tuple[list[int], list[int]]]:
    """(kept, held) indices of each of k fixed folds of range(n): train on kept, measure on held."""
    order = np.random.default_rng(seed).permutation(n)
    splits = []
    for i in range(k):
        held = sorted(order[i::k].tolist())
        held_set = set(held)
        splits.append(([j for j in range(n) if j not in held_set], held))
    return splits


# --- the question matcher ---------------------------------------------------------------------

QUESTION_C = 30.0  # regularisation, chosen by cross-validation (benchmarks/bench_matcher_candidates.py)
CV_FOLDS = 5


def out_of_fold(texts: Sequence[str], classes: Sequence[str], fit: Callable[[list[int]], LinearModel],
                k: int = CV_FOLDS) -> np.ndarray:
    """Each text's probabilities (one column a class) from `fit(kept indices)`, a model trained on
    the other folds."""
    probabilities = np.zeros((len(texts), len(classes)))
    for kept, held in fold_split(len(texts), k):
        fold_model = fit(kept)
        if fold_model.classes != tuple(classes):
            raise ValueError(f"a fold's model has classes {fold_model.classes}, expected {tuple(classes)}")
        for i in held:
            probabilities[i] = fold_model.probabilities(texts[i])
    return probabilities


def figures(decided: Sequence[str], labels: Sequence[set[str] | str], out_of_scope: str) -> dict:
    """In-scope right, out-of-scope declined, in-scope wrongly declined (rates)."""
    accepted = [set(a) if not isinstance(a, str) else {a} for a in labels]
    inside = [(d, a) for d, a in zip(decided, accepted) if a != {out_of_scope}]
    outside = [d for d, a in zip(decided, accepted) if a == {out_of_scope}]
    return {
        "in_scope_right": sum(d in a for d, a in inside) / max(1, len(inside)),
        "out_of_scope_declined": sum(d == out_of_scope for d in outside) / max(1, len(outside)),
        # a line whose labels also accept a decline (out of scope, or a topic) is not wrongly declined
        "wrongly_declined": sum(d == out_of_scope and out_of_scope not in a for d, a in inside) / max(1, len(inside)),
        "n_in": len(inside), "n_out": len(outside),
    }


def _balance(got: dict) -> float:
    """What the build maximises on held-out folds: in-scope right + out-of-scope declined, with
    wrongly declined counted twice (it is also a miss of in-scope right)."""
    return got["in_scope_right"] + got["out_of_scope_declined"] - got["wrongly_declined"]


MARGINS = (0.25, 0.35, 0.5, 0.7, 1.0, 1.4, 2.0)
THRESHOLDS = tuple(float(t) for t in np.round(np.arange(0.0, 0.62, 0.02), 2))


def choose_threshold(probabilities: Sequence[np.ndarray], labels: Sequence[str], classes: Sequence[str],
                     out_of_scope: str) -> tuple[float, float, dict]:
    """(threshold, margin, figures): the rule that best balances answering and declining on
    held-out folds: the highest in-scope right + out-of-scope declined, with wrongly declined
    counted twice (a needless decline leaves a person without an answer the article has)."""
    best: tuple[float, float, float, dict] | None = None
    for margin in MARGINS:
        for threshold in THRESHOLDS:
            rule = {"threshold": threshold, "margin": margin}
            decided = [answers.decide(p, tuple(classes), rule) for p in probabilities]
            got = figures(decided, labels, out_of_scope)
            value = _balance(got)
            if best is None or value > best[0] + 1e-9:
                best = (value, threshold, margin, got)
    assert best is not None
    return best[1], best[2], best[3]


SUBJECT_SURE = (0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 1.0)  # 1.0: a named uncovered subject always declines


def choose_subject_sure(probabilities: Sequence[np.ndarray], labels: Sequence[str], classes: Sequence[str],
                        subjects: Sequence[str | None], rule: dict, out_of_scope: str) -> tuple[float, dict]:
    """(subject_sure, figures): how sure of a topic the model must be to answer a question that
    names an uncovered subject (matching.toml [[declined]]), by the same balance as the threshold,
    on the same held-out folds. The list says what the article does not cover; a subject named in
    passing ("fine on the drive home, so when do side effects start") must not decline the
    question the model is sure of."""
    oos = classes.index(out_of_scope)
    plain = [answers.decide(p, tuple(classes), rule) for p in probabilities]
    best: tuple[float, float, dict] | None = None
    for sure in sorted(SUBJECT_SURE, reverse=True):  # on a tie, the stricter
        decided = [out_of_scope if subject and answers.subject_declines(max(p[i] for i in range(len(classes)) if i != oos), sure)
                   else d for subject, d, p in zip(subjects, plain, probabilities)]
        got = figures(decided, labels, out_of_scope)
        value = _balance(got)
        if best is None or value > best[0] + 1e-9:
            best = (value, sure, got)
    assert best is not None
    return best[1], best[2]


def build_question_model() -> LinearModel:
    from skill import knowledge

    texts, labels = answers.training_data()
    classes = sorted(set(labels))
    held_out = out_of_fold(texts, classes, lambda kept: train_softmax(
        [texts[i] for i in kept], [labels[i] for i in kept], {"max_chars": 600}, QUESTION_C))
    threshold, margin, _ = choose_threshold(held_out, labels, classes, knowledge.OUT_OF_SCOPE)
    subject_sure, cv = choose_subject_sure(held_out, labels, classes, [answers.declined_subject(t) for t in texts],
                                           {"threshold": threshold, "margin": margin}, knowledge.OUT_OF_SCOPE)
    settings = {"max_chars": knowledge.matching().max_chars, "threshold": threshold, "margin": margin,
                "subject_sure": subject_sure, "c": QUESTION_C,
                "cross_validated": {k: round(v, 4) if isinstance(v, float) else v for k, v in cv.items()}}
    return train_softmax(texts, labels, settings, QUESTION_C)


# --- the symptom reader -----------------------------------------------------------------------

SYMPTOM_C = 100.0  # chosen in held-out folds with the thresholds each C gets (benchmarks/bench_hearing_cv.py --c)
EMERGENCY_RECALL = 0.98  # of held-out emergency utterances, the model alone must suspect at least this share
EMERGENCY_PRECISION = 0.9  # of emergencies the model alone reports at `confirm`, at least this share are (over-triage
# of a red flag is ordinary telephone-triage practice: triage.md; below `confirm` the check asks instead)


def symptom_thresholds(probabilities: np.ndarray, label_sets: Sequence[frozenset[str]], classes: Sequence[str],
                       emergencies: frozenset[str]) -> dict:
    """`report`: for each label, the probability at which the model's own word counts (its best F1
    on held-out folds);
    `suspect`: the highest at which it still suspects EMERGENCY_RECALL of held-out emergencies;
    `confirm`: the lowest at which an emergency it hears alone is an emergency EMERGENCY_PRECISION
    of the time on held-out folds (below it, and from `suspect`, the check asks instead of advising);
    """
    truth = np.array([[name in labels for name in classes] for labels in label_sets])
    report, f1s = {}, []
    for column, name in enumerate(classes):
        best_f1, best = -1.0, 0.5
        for threshold in np.round(np.arange(0.2, 0.95, 0.05), 2):
            said, real = probabilities[:, column] >= threshold, truth[:, column]
            f1 = 2 * (said & real).sum() / max(1, said.sum() + real.sum())
            if f1 > best_f1 + 1e-9:
                best_f1, best = float(f1), float(threshold)
        report[name] = best
        f1s.append(best_f1)
    best_f1 = float(np.mean(f1s))
    columns = [i for i, name in enumerate(classes) if name in emergencies]
    urgent = [i for i, labels in enumerate(label_sets) if labels & emergencies]
    strongest = np.sort(probabilities[urgent][:, columns].max(axis=1))
    suspect = float(min(0.5, strongest[int((1 - EMERGENCY_RECALL) * len(strongest))]))
    confirm = 0.95
    is_urgent = np.array([bool(labels & emergencies) for labels in label_sets])
    for threshold in np.round(np.arange(0.3, 0.96, 0.05), 2):
        said = (probabilities[:, columns] >= threshold).any(axis=1)  # the advice follows the level
        if said.sum() and (said & is_urgent).sum() / said.sum() >= EMERGENCY_PRECISION:
            confirm = float(threshold)
            break
    return {"report": report, "suspect": round(suspect, 4), "confirm": confirm, "report_f1": round(best_f1, 4)}


def train_symptom_reader(texts: Sequence[str], label_sets: Sequence[frozenset[str]], classes: Sequence[str],
                         settings: dict, c: float = SYMPTOM_C) -> LinearModel:
    """The symptom reader from these lines, each also as Alexa hands it over without a carrier
    phrase (held-out lines are read as written)."""
    from skill import hearing

    return train_sigmoid(*hearing.with_carriers_dropped(list(texts), list(label_sets)), classes, settings, c)


def build_symptom_model() -> LinearModel:
    from skill import hearing

    texts, label_sets, classes = hearing.training_data()

    def fit(kept: Sequence[int], settings: dict) -> LinearModel:
        return train_symptom_reader([texts[i] for i in kept], [label_sets[i] for i in kept], classes, settings)

    held_out = out_of_fold(texts, classes, lambda kept: fit(kept, {"max_chars": 600}))
    settings = {"max_chars": hearing.MAX_CHARS, "c": SYMPTOM_C,
                **symptom_thresholds(held_out, label_sets, classes, hearing.emergency_ids())}
    return fit(range(len(texts)), settings)
