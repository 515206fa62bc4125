"""Words a person said -> the topic that answers them, or "out_of_scope".

How it decides, in order:
1. The words are made plain (`learned.plain_words`, at most `max_chars` of them), and what a speech
   recogniser writes for the words that matter is put right ("ivy g" -> ivig): content/matching.toml,
   [spoken_forms].
2. A question that names a subject the article says nothing about (cost, brands, vaccines, named
   drugs...: content/matching.toml, [[declined]]) is declined, unless the model (3) is sure of a
   topic: at least `subject_sure`, chosen on held-out folds at build time ("fine on the drive home,
   so when do the side effects start" asks about timing; "can i drive after it" is declined).
3. A model trained on the written corpus (content/questions/<id>.txt; `ivig-skill build-models`
   stores it in trained/questions.npz) gives every topic, and out_of_scope, a probability. The best
   topic answers when it is not out_of_scope and its probability reaches the threshold chosen by
   cross-validation at build time; otherwise the question is declined (the article-only rule: never
   a guess).
Everything is loaded once, on first use; nothing happens at import. Work is linear in the text.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Generic, TypeVar

from skill import knowledge
from skill.knowledge import OUT_OF_SCOPE
from skill.learned import LinearModel, plain_words

MODEL_PATH = Path(__file__).parent / "trained" / "questions.npz"
V = TypeVar("V")


@dataclass(frozen=True)
class Match:
    topic: str  # a topic id, or "out_of_scope"
    score: float  # the model's probability for the topic (for a decline: for the best topic), 0..1
    declined_subject: str | None = None  # the uncovered subject the question named, if that declined it
    rest_declined: bool = False  # a part of the question (matching.toml [parts]) is not covered


class PhraseTable(Generic[V]):
    """Whole-word phrases found in a text, leftmost and longest first, in one pass."""

    def __init__(self, phrases: Mapping[str, V]):
        by_first: dict[str, list[tuple[tuple[str, ...], V]]] = {}
        for phrase, value in phrases.items():
            words = tuple(phrase.split())
            by_first.setdefault(words[0], []).append((words, value))
        for candidates in by_first.values():
            candidates.sort(key=lambda c: -len(c[0]))
        self._by_first = by_first

    def spans(self, tokens: list[str]) -> Iterator[tuple[int, int, V]]:
        i = 0
        while i < len(tokens):
            for words, value in self._by_first.get(tokens[i], ()):
                if tuple(tokens[i:i + len(words)]) == words:
                    yield i, i + len(words), value
                    i += len(words)
                    break
            else:
                i += 1

    def replace(self, words: str) -> str:
        tokens = words.split()
        out, last = [], 0
        for start, end, value in self.spans(tokens):
            out.extend(tokens[last:start])
            out.append(str(value))
            last = end
        return " ".join(out + tokens[last:])


@functools.cache
def _spoken_forms() -> PhraseTable[str]:
    return PhraseTable(knowledge.matching().spoken_forms)


@functools.cache
def _declined() -> tuple[PhraseTable[str], PhraseTable[bool], frozenset[str]]:
    """The subjects' phrases; the `with` words of the subjects that need them; those subjects."""
    subjects = knowledge.matching().declined
    phrases = {p: s.subject for s in subjects for p in s.phrases}
    along = {p: True for s in subjects for p in s.along}
    return PhraseTable(phrases), PhraseTable(along), frozenset(s.subject for s in subjects if s.along)


def normalise(text: str) -> str:
    """The plain words the model reads: bounded, lowercase, recogniser slips put right."""
    return _spoken_forms().replace(plain_words(text or "", knowledge.matching().max_chars))


def declined_subject(words: str) -> str | None:
    """The first subject the article does not cover that these (normalised) words name."""
    phrases, along, needs_along = _declined()
    tokens = words.split()
    for _, _, subject in phrases.spans(tokens):
        if subject not in needs_along or next(along.spans(tokens), None):
            return subject
    return None


@functools.cache
def model() -> LinearModel:
    return LinearModel.load(MODEL_PATH)


def match(text: str) -> Match:
    """The topic that answers the words, or out_of_scope; for two questions in one breath, the
    part the article covers, with `rest_declined` where the rest is not (matching.toml [parts])."""
    words = normalise(text)
    if not words:
        return Match(OUT_OF_SCOPE, 0.0)
    whole = _match_words(words)
    split = question_parts(words)
    if len(split) < 2:
        return whole
    parts = [_match_words(part) for part in split]
    back = knowledge.matching().refers_back
    alone = [m for m, part in zip(parts, split) if m.topic != OUT_OF_SCOPE and not back & set(part.split())]
    if whole.topic == OUT_OF_SCOPE and alone and any(m.topic == OUT_OF_SCOPE for m in parts):
        return Match(alone[0].topic, alone[0].score, whole.declined_subject, rest_declined=True)
    if whole.topic != OUT_OF_SCOPE and any(m.topic == OUT_OF_SCOPE and m.declined_subject for m in parts):
        return Match(whole.topic, whole.score, rest_declined=True)
    return whole


def question_parts(words: str) -> list[str]:
    """Normalised words split where [parts] joins ("and", "and also") come before a question's
    opening word, each part two words at least: "can i eat first and is wine okay" -> two parts.
    Linear in the words."""
    tokens = words.split()
    rules = knowledge.matching()
    spans = [(a, b) for a, b, _ in _joins().spans(tokens)]
    parts, start, k = [], 0, 0
    while k < len(spans):
        a, b = spans[k]
        while k + 1 < len(spans) and spans[k + 1][0] == b:  # joins said together: "and also"
            k += 1
            b = spans[k][1]
        opens = b < len(tokens) - 1 and (tokens[b] in rules.openers or tokens[b] in rules.asking and tokens[b + 1] in rules.subjects)
        if a - start >= 2 and opens:
            parts.append(" ".join(tokens[start:a]))
            start = b
        k += 1
    parts.append(" ".join(tokens[start:]))
    return parts


@functools.cache
def _joins() -> PhraseTable[bool]:
    return PhraseTable({join: True for join in knowledge.matching().joins})


def _match_words(words: str) -> Match:
    trained = model()
    probabilities = trained.probabilities(words)
    best = max(float(p) for c, p in zip(trained.classes, probabilities) if c != OUT_OF_SCOPE)
    subject = declined_subject(words)
    if subject and subject_declines(best, trained.settings.get("subject_sure", 1.0)):
        return Match(OUT_OF_SCOPE, 0.0, subject)
    return Match(decide(probabilities, trained.classes, trained.settings), best)


def subject_declines(best: float, sure: float) -> bool:
    """Whether a question naming an uncovered subject is declined, its best topic having
    probability `best`: unless the model is `sure` of it (1.0: always declined)."""
    return sure >= 1.0 or best < sure


def decide(probabilities, classes: tuple[str, ...], settings: dict) -> str:
    """The best topic, unless it is less probable than the threshold, or than out_of_scope
    times the margin (both chosen on held-out folds at build time: skill.training)."""
    oos = classes.index(OUT_OF_SCOPE)
    best = max((i for i in range(len(classes)) if i != oos), key=lambda i: (probabilities[i], -i))
    if probabilities[best] < settings["threshold"] or probabilities[best] < settings["margin"] * probabilities[oos]:
        return OUT_OF_SCOPE
    return classes[best]


def training_data() -> tuple[list[str], list[str]]:
    """The corpus as the model reads it: (normalised words, topic id or out_of_scope) pairs."""
    texts, labels = [], []
    for tid, lines in knowledge.question_corpus().items():
        for line in lines:
            texts.append(normalise(line))
            labels.append(tid)
    return texts, labels
