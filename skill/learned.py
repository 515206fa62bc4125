"""A small linear text classifier shared by the question matcher and the symptom reader.

Features are words (one and two in a row) and character n-grams within words, weighted tf-idf
and scaled to unit length per kind; weights are learned at build time (`skill.training`, with
scikit-learn) and stored as plain arrays in an .npz file (no pickles). Reading a sentence at run
time needs no numpy: the file is read with `zipfile` and its arrays' own headers, and the model
is a table from each feature to the sum it adds to every class (`_Reader`). Work is linear in
the text, which is cut to `max_chars` first.
"""

from __future__ import annotations

import ast
import json
import math
import re
import struct
import sys
import unicodedata
import zipfile
from array import array
from collections import Counter
from dataclasses import dataclass
from functools import cached_property
from itertools import chain, repeat
from operator import mul
from pathlib import Path
from typing import Any

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
    return _SPELLED.sub(lambda m: joined_letters(m.group(0).split()), text)


def joined_letters(letters: list[str]) -> str:
    """Letters said one by one, as one word ("i v i g" -> "ivig"). "i" and "a" alone are words:
    so is a leading "a" before two or more letters ("trouble with a i v" -> "a iv"), and a
    trailing "a" or "i" after two or more ("is i v i g a risk" -> "ivig a risk")."""
    if set(letters) <= {"a", "i"}:
        return " ".join(letters)
    if letters[0] == "a" and len(letters) > 2:
        return "a " + joined_letters(letters[1:])
    if letters[-1] in ("a", "i") and len(letters) > 2:
        return joined_letters(letters[:-1]) + " " + letters[-1]
    return "".join(letters)


def char_grams(token: str) -> list[str]:
    """The character features of one word: its n-grams, the word padded with a space each side,
    each marked with "~" (so that "ab" the word and "ab" inside a word stay apart)."""
    padded = f" {token} "
    return ["~" + padded[i:i + size] for size in CHAR_SIZES for i in range(len(padded) - size + 1)]


def features(words: str) -> tuple[Counter, Counter]:
    """(word features, character features) of plain words: counts by feature name, in the order
    they first occur."""
    tokens = words.split()
    word_feats = Counter(tokens)
    word_feats.update(map(" ".join, zip(tokens, tokens[1:])))
    return word_feats, Counter([gram for token in tokens for gram in char_grams(token)])


@dataclass(frozen=True)
class Vectoriser:
    """Feature name -> column, with each column's idf; word and character columns are scaled to
    unit length separately, so that neither kind drowns the other."""

    vocabulary: dict[str, int]
    idf: Any  # one float per column: a numpy array from training, array("f") when loaded
    n_word: int  # columns [0, n_word) are word features, the rest character features

    def transform(self, words: str):
        """Column indices and values of one text's vector (sparse numpy arrays; for training)."""
        import numpy as np

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
    coef: Any  # (n_features, n_classes): a numpy array from training; loaded: array("f"), row by row
    intercept: Any  # (n_classes,)
    settings: dict  # thresholds and notes chosen at build time, e.g. {"max_chars": 600}

    @property
    def max_chars(self) -> int:
        return int(self.settings["max_chars"])

    def words(self, text: str) -> str:
        return plain_words(text, self.max_chars)

    def probabilities(self, words: str) -> array:
        """One probability per class, for plain words (see `words`), as array("d")."""
        scores = self._reader.scores(words)
        if self.kind == "softmax":
            top = max(scores)
            exps = [math.exp(s - top) for s in scores]
            total = sum(exps)
            return array("d", [e / total for e in exps])
        return array("d", map(_sigmoid, scores))

    @cached_property
    def _reader(self) -> _Reader:
        return _Reader(self.vectoriser, _flat(self.coef), _flat(self.intercept), len(self.classes))

    # --- plain-data storage ---------------------------------------------------------------

    def save(self, path: Path) -> None:
        """Build time (numpy): the plain arrays `load` reads."""
        import numpy as np

        names = sorted(self.vectoriser.vocabulary, key=self.vectoriser.vocabulary.__getitem__)
        meta = {"format": FORMAT, "kind": self.kind, "n_word": self.vectoriser.n_word, "settings": self.settings}
        shape = (len(names), len(self.classes))
        with path.open("wb") as out:
            np.savez_compressed(
                out, meta=np.array(json.dumps(meta, sort_keys=True)), classes=np.array(self.classes),
                vocabulary=np.array(names), idf=np.asarray(self.vectoriser.idf, dtype=np.float32),
                coef=np.asarray(self.coef, dtype=np.float32).reshape(shape),
                intercept=np.asarray(self.intercept, dtype=np.float32))

    @classmethod
    def load(cls, path: Path) -> LinearModel:
        """The model `save` wrote, read without numpy, ready to read text at once."""
        arrays = _read_npz(path)
        meta = json.loads(arrays["meta"][0][0])
        if meta.get("format") != FORMAT:
            raise ValueError(f"{path.name}: model format {meta.get('format')!r}, expected {FORMAT}; "
                             "run `ivig-skill build-models`")
        names, classes = arrays["vocabulary"][0], tuple(arrays["classes"][0])
        coef, shape = arrays["coef"]
        if shape != (len(names), len(classes)) or len(arrays["idf"][0]) != len(names) \
                or len(arrays["intercept"][0]) != len(classes):
            raise ValueError(f"{path.name}: the arrays' shapes do not agree; run `ivig-skill build-models`")
        vectoriser = Vectoriser({name: i for i, name in enumerate(names)}, arrays["idf"][0], int(meta["n_word"]))
        model = cls(meta["kind"], classes, vectoriser, coef, arrays["intercept"][0], meta["settings"])
        model._reader  # noqa: B018 (built now, not on the first request)
        return model


def _sigmoid(score: float) -> float:
    if score >= 0:
        return 1.0 / (1.0 + math.exp(-score))
    e = math.exp(score)  # never overflows, however negative
    return e / (1.0 + e)


def _flat(values) -> array:
    """Numbers as a flat array: as loaded (array), or from training's numpy arrays (float64, row by row)."""
    if isinstance(values, array):
        return values
    return array("d", values.ravel().tolist() if hasattr(values, "ravel") else values)


class _Reader:
    """A text's scores, one per class, without numpy: a few table look-ups and sums.

    A text's score for class j is intercept[j] plus, for each of its two blocks of features (words,
    characters), s * sum_f m_f * idf_f * coef[f, j], where m_f = 1 + log(count of f) and
    s = 1 / (sqrt(2) * sqrt(sum_f (m_f * idf_f) ** 2)) scales the block to unit length (the
    arithmetic of `Vectoriser.transform` followed by the product with `coef`, summed in float64).
    The weights are read straight from the loaded float32 `coef`, row by row: no copy of them is
    made (the symptom model's is 4 MB). A word of the vocabulary is worked out once, the first
    time it is read: its character features, their weighted sum per class and their sum of squared
    weights (`_Word`); a text's character block is then the sum of its words' sums, corrected
    exactly for the few features that occur more than once in the text (m_f is then not 1).
    """

    def __init__(self, vectoriser: Vectoriser, coef: array, intercept: array, n_classes: int):
        vocabulary = vectoriser.vocabulary
        if len(coef) != len(vocabulary) * n_classes:
            raise ValueError(f"{len(coef)} weights for {len(vocabulary)} features and {n_classes} classes")
        if len(vectoriser.idf) != len(vocabulary):
            raise ValueError(f"{len(vectoriser.idf)} idf values for {len(vocabulary)} features")
        self.vocabulary, self.n_classes = vocabulary, n_classes
        self.intercept = [float(b) for b in intercept]
        self.idf = vectoriser.idf if isinstance(vectoriser.idf, array) else array("d", map(float, vectoriser.idf))
        self.coef = coef if coef.typecode == "f" else array("f", coef)
        self.row = struct.Struct(f"={n_classes}f").unpack_from
        self.stride = 4 * n_classes
        self.words_known = {name for name in vocabulary if name[0] != "~" and " " not in name}
        self.known: dict[str, _Word] = {}  # at most one entry a word of the vocabulary

    def scores(self, words: str) -> list[float]:
        vocabulary = self.vocabulary
        tokens = words.split()
        scores = list(self.intercept)
        word_columns = [c for c in map(vocabulary.get, chain(tokens, map(" ".join, zip(tokens, tokens[1:]))))
                        if c is not None]
        if word_columns:
            self._add(scores, word_columns)
        if tokens:
            self._add_chars(scores, [self._word(token) for token in tokens])
        return scores

    def _word(self, token: str) -> _Word:
        known = self.known.get(token)
        if known is not None:
            return known
        columns = array("i", [c for c in map(self.vocabulary.get, char_grams(token)) if c is not None])
        weights = [self.idf[c] for c in columns]
        sums = array("d", self._weighted(columns, weights) if columns else bytes(8 * self.n_classes))
        word = _Word(columns, sums, sum(map(mul, weights, weights)))
        if token in self.words_known:
            self.known[token] = word
        return word

    def _add_chars(self, scores: list[float], words: list[_Word]) -> None:
        """Adds the character block of a text, read as `words`, to the scores."""
        sums = [sum(column) for column in zip(*(word.sums for word in words))]
        squares = sum(word.squares for word in words)
        counts = Counter(chain.from_iterable(word.columns for word in words))
        if len(counts) < sum(len(word.columns) for word in words):
            idf, coef, row, stride = self.idf, self.coef, self.row, self.stride
            for c, n in counts.items():
                if n > 1:  # counted n times in the words' sums; its weight is (1 + log n) * idf
                    m = 1.0 + math.log(n)
                    w = idf[c]
                    squares += (m * m - n) * w * w
                    extra = (m - n) * w
                    for j, weight in enumerate(row(coef, c * stride)):
                        sums[j] += extra * weight
        if squares <= 0.0:
            return
        scale = 1.0 / (math.sqrt(squares) * math.sqrt(2.0))
        for j, total in enumerate(sums):
            scores[j] += total * scale

    def _add(self, scores: list[float], columns: list[int]) -> None:
        """Adds one block of features (columns, repeated as often as they occur) to the scores."""
        counts = Counter(columns)
        idf = self.idf
        weights = [idf[c] * (1.0 + math.log(n)) if n > 1 else idf[c] for c, n in counts.items()]
        scale = 1.0 / (math.sqrt(sum(map(mul, weights, weights))) * math.sqrt(2.0))
        for j, total in enumerate(self._weighted(counts, weights)):
            scores[j] += total * scale

    def _weighted(self, columns, weights: list[float]) -> list[float]:
        """Per class, the sum over `columns` of weight * coef[column, class]."""
        coef, row, stride = self.coef, self.row, self.stride
        return [sum(map(mul, weights_j, weights)) for weights_j in zip(*[row(coef, c * stride) for c in columns])]


@dataclass(frozen=True, slots=True)
class _Word:
    """One word's character features (columns, with repeats), their idf-weighted sum of weights
    per class, and the sum of their squared idf weights."""

    columns: array  # array("i")
    sums: array  # array("d"): a third of a tuple's memory
    squares: float


# --- .npz without numpy -------------------------------------------------------------------------

def _read_npz(path: Path) -> dict[str, tuple[list | array, tuple[int, ...]]]:
    """The arrays of an .npz file that `save` wrote: name -> (values, shape); float32 arrays as
    array("f") (flat, row by row), string arrays as lists of str."""
    with zipfile.ZipFile(path) as archive:
        return {name.removesuffix(".npy"): _read_npy(archive.read(name), f"{path.name}:{name}")
                for name in archive.namelist()}


def _read_npy(data: bytes, where: str) -> tuple[list | array, tuple[int, ...]]:
    """One .npy array (format 1 to 3; little- or big-endian float32 or unicode, C order)."""
    if data[:6] != b"\x93NUMPY" or data[6] not in (1, 2, 3):
        raise ValueError(f"{where}: not a .npy array")
    size_format, start = ("<H", 10) if data[6] == 1 else ("<I", 12)
    (header_length,) = struct.unpack_from(size_format, data, 8)
    header = ast.literal_eval(data[start:start + header_length].decode("latin-1"))
    descr, shape = header["descr"], tuple(header["shape"])
    if header["fortran_order"] and len(shape) > 1:
        raise ValueError(f"{where}: Fortran-ordered arrays are not read")
    count = math.prod(shape)
    body = data[start + header_length:]
    order = {"<": "little", ">": "big", "|": sys.byteorder, "=": sys.byteorder}.get(descr[0])
    if descr[1:] == "f4" and order:
        values = array("f")
        values.frombytes(body[:4 * count])
        if order != sys.byteorder:
            values.byteswap()
        return values, shape
    if descr[1:2] == "U" and order:
        width = int(descr[2:])
        text = body[:4 * width * count].decode("utf-32-le" if order == "little" else "utf-32-be")
        chunks = map(text.__getitem__, map(slice, range(0, width * count, width), range(width, width * count + 1, width)))
        return list(map(str.rstrip, chunks, repeat("\x00"))), shape
    raise ValueError(f"{where}: arrays of {descr!r} are not read")
