"""Which question matcher to ship: candidates compared by 5-fold cross-validation on the corpus
(content/questions/*.txt), never on the dev set or a fresh set.

    python benchmarks/bench_matcher_candidates.py        (needs the build extra: scikit-learn)

For each candidate: the threshold the build would choose on held-out folds, and at it the share of
in-scope questions answered with their topic, of out-of-scope ones declined, and of in-scope ones
wrongly declined. Prints figures only.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from skill import answers, knowledge, training  # noqa: E402
from skill.learned import Vectoriser  # noqa: E402


FIT_VECTORISER = training.fit_vectoriser


def only(kind: str):
    """A vectoriser fitter that keeps word features, character features, or both."""
    def fit(texts, min_df=training.MIN_DF):
        full = FIT_VECTORISER(texts, min_df)
        if kind == "both":
            return full
        keep = [(name, column) for name, column in full.vocabulary.items()
                if (column < full.n_word) == (kind == "words")]
        vocabulary = {name: i for i, (name, _) in enumerate(keep)}
        idf = full.idf[[column for _, column in keep]]
        return Vectoriser(vocabulary, idf, len(keep) if kind == "words" else 0)
    return fit


CANDIDATES = [
    ("words + characters, C=3", "both", 3.0),
    ("words + characters, C=10", "both", 10.0),
    ("words + characters, C=30", "both", 30.0),
    ("words only, C=10", "words", 10.0),
    ("characters only, C=10", "chars", 10.0),
]


def main() -> int:
    texts, labels = answers.training_data()
    classes = sorted(set(labels))
    print(f"corpus: {len(texts)} questions, {len(classes) - 1} topics and out_of_scope; {training.CV_FOLDS}-fold")
    rows = []
    for name, kind, c in CANDIDATES:
        training.fit_vectoriser = only(kind)
        try:
            started = time.perf_counter()
            held = training.out_of_fold(texts, classes, lambda kept, c=c: training.train_softmax(
                [texts[i] for i in kept], [labels[i] for i in kept], {"max_chars": 600}, c))
            threshold, margin, got = training.choose_threshold(held, labels, classes, knowledge.OUT_OF_SCOPE)
            top1 = np.mean([classes[int(np.argmax(p))] == label for p, label in zip(held, labels)])
        finally:
            training.fit_vectoriser = FIT_VECTORISER
        rows.append((name, threshold, got, top1, time.perf_counter() - started))
        print(f"{name:28} threshold {threshold:.2f} margin {margin:.2f}  in-scope right {got['in_scope_right']:.1%}  "
              f"declined {got['out_of_scope_declined']:.1%}  wrongly declined {got['wrongly_declined']:.1%}  "
              f"top-1 {top1:.1%}  ({rows[-1][-1]:.0f} s)", flush=True)
    best = max(rows, key=lambda r: r[2]["in_scope_right"] + r[2]["out_of_scope_declined"] - r[2]["wrongly_declined"])
    print(f"best: {best[0]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
