"""A small linear text classifier shared by the question matcher and the symptom reader.

Features are words (one and two in a row) and character n-grams within words, weighted tf-idf
and scaled to unit length per kind; weights are learned at build time (`skill.training`, with
scikit-learn) and stored as plain arrays in an .npz file (no pickles), so that reading a
sentence at run time needs numpy only: a few dictionary look-ups and one small matrix product.
Work is linear in the text, which is cut to `max_chars` first.
"""

from __future__ import annotations

import json
import math
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np

FORMAT = 1
CHAR_SIZES = (2, 3, 4, 5)
_NON_WORD = re.compile(r"[^a-z0-9]+")
_APOSTROPHES = re.compile(r"['’`]")
_SPELLED = re.compile(r"\b[a-z](?: [a-z]\b)+")  # "i v i g", "h i v": letters said one by one


def plain_words(text: str, max_chars: int) -> str:
    """Lowercase ASCII words and digits, apostrophes dropped ("don't" -> "dont"), letters said
    one by one joined ("i v i g" -> "ivig"); at most `max_chars` of the text are read."""
    text = unicodedata.normalize("NFKD", text[:max_chars])
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    text = _NON_WORD.sub(" ", _APOSTROPHES.sub("", text)).strip()
    return _SPELLED.sub(lambda m: m.group(0).replace(" ", ""), text)


def features(words: str) -> tuple[Counter, Counter]:
    """(word features, character features) of plain words: counts by feature name (a character
    feature starts with "~", so that "ab" the word and "ab" inside a word stay apart)."""
    tokens = words.split()
    word_feats = Counter(tokens)
    word_feats.update(f"{a} {b}" for a, b in zip(tokens, tokens[1:]))
    char_feats: Counter = Counter()
    for token in tokens:
        padded = f" {token} "
        for size in CHAR_SIZES:
            char_feats.update("~" + padded[i:i + size] for i in range(len(padded) - size + 1))
    return word_feats, char_feats


@dataclass(frozen=True)
class Vectoriser:
    """Feature name -> column, with each column's idf; word and character columns are scaled to
    unit length separately, so that neither kind drowns the other."""

    vocabulary: dict[str, int]
    idf: np.ndarray
    n_word: int  # columns [0, n_word) are word features, the rest character features

    def transform(self, words: str) -> tuple[np.ndarray, np.ndarray]:
        """Column indices and values of one text's vector (sparse)."""
        columns: list[int] = []
        values: list[float] = []
        for block in features(words):
            start = len(columns)
            for name, count in block.items():
                column = self.vocabulary.get(name)
                if column is not None:
                    columns.append(column)
                    values.append((1.0 + math.log(count)) * self.idf[column])
            norm = math.sqrt(sum(v * v for v in values[start:]))
            if norm:
                values[start:] = [v / norm / math.sqrt(2.0) for v in values[start:]]
        return np.asarray(columns, dtype=np.int64), np.asarray(values, dtype=np.float32)


@dataclass(frozen=True)
class LinearModel:
    """Classes, weights and settings of one trained model. `kind` is "softmax" (one class per
    text: topics) or "sigmoid" (any number of labels per text: symptoms)."""

    kind: str
    classes: tuple[str, ...]
    vectoriser: Vectoriser
    coef: np.ndarray  # (n_features, n_classes)
    intercept: np.ndarray  # (n_classes,)
    settings: dict  # thresholds and notes chosen at build time, e.g. {"max_chars": 600}

    @property
    def max_chars(self) -> int:
        return int(self.settings["max_chars"])

    def words(self, text: str) -> str:
        return plain_words(text, self.max_chars)

    def probabilities(self, words: str) -> np.ndarray:
        """One probability per class, for plain words (see `words`)."""
        columns, values = self.vectoriser.transform(words)
        scores = values @ self.coef[columns] + self.intercept if len(columns) else self.intercept.copy()
        if self.kind == "softmax":
            scores = np.exp(scores - scores.max())
            return scores / scores.sum()
        return 1.0 / (1.0 + np.exp(-scores))

    # --- plain-data storage ---------------------------------------------------------------

    def save(self, path: Path) -> None:
        names = sorted(self.vectoriser.vocabulary, key=self.vectoriser.vocabulary.__getitem__)
        meta = {"format": FORMAT, "kind": self.kind, "n_word": self.vectoriser.n_word, "settings": self.settings}
        with path.open("wb") as out:
            np.savez_compressed(
                out, meta=np.array(json.dumps(meta, sort_keys=True)), classes=np.array(self.classes),
                vocabulary=np.array(names), idf=self.vectoriser.idf.astype(np.float32),
                coef=self.coef.astype(np.float32), intercept=self.intercept.astype(np.float32))

    @classmethod
    def load(cls, path: Path) -> LinearModel:
        with np.load(path, allow_pickle=False) as data:
            meta = json.loads(str(data["meta"]))
            if meta.get("format") != FORMAT:
                raise ValueError(f"{path.name}: model format {meta.get('format')!r}, expected {FORMAT}; "
                                 "run `ivig-skill build-models`")
            names = data["vocabulary"].tolist()
            vectoriser = Vectoriser({name: i for i, name in enumerate(names)}, data["idf"], int(meta["n_word"]))
            return cls(meta["kind"], tuple(data["classes"].tolist()), vectoriser,
                       data["coef"], data["intercept"], meta["settings"])
