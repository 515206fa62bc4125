"""The dev sets measure; they never teach. No phrase table, and nothing Alexa is given to hear
(the interaction models' samples), holds a dev line or one near it
(tests/support/dev_sets.near). The corpora have their own tests (test_answers, test_hearing).
The SYMPTOM and SECTION_NAME slot values are generated from symptoms.toml and listening.toml,
which are checked here as written ("cant catch ... breath", not each way it is rendered).

What the skill says is not a phrase table: topics.toml (the article's sentences and each topic's
title) and prompts.toml are left out, since a heard line is never matched against them.
"""

from __future__ import annotations

import json
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest

from skill import answers
from tests.support import dev_sets

REPO = Path(__file__).resolve().parents[2]
CONTENT = REPO / "skill" / "content"
SPOKEN_BY_THE_SKILL = {"topics.toml", "prompts.toml"}

pytestmark = pytest.mark.skipif(not dev_sets.QUESTIONS.exists(), reason="../shared/eval is not beside the checkout")


def _strings(node) -> Iterator[str]:
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for value in node.values():
            yield from _strings(value)
    elif isinstance(node, list):
        for value in node:
            yield from _strings(value)


def _heard_phrases() -> Iterator[tuple[str, str]]:
    for path in sorted(CONTENT.glob("*.toml")):
        if path.name not in SPOKEN_BY_THE_SKILL:
            for text in _strings(tomllib.loads(path.read_text(encoding="utf-8"))):
                yield path.name, text
    for path in sorted((REPO / "interaction_models").glob("*.json")):
        language = json.loads(path.read_text(encoding="utf-8"))["interactionModel"]["languageModel"]
        for intent in language["intents"]:
            for sample in intent.get("samples", []):
                yield path.name, sample


def test_no_phrase_table_or_interaction_model_holds_a_dev_line():
    dev = [(d, set(d.split())) for d in {answers.normalise(line) for line in dev_sets.texts()}]
    heard: dict[str, set[str]] = {}
    for where, text in _heard_phrases():
        heard.setdefault(answers.normalise(text), set()).add(where)
    # Near needs most of the dev line's words: a cheap test of that first, then the real one.
    leaks = sorted((words, sorted(where)) for words, where in heard.items() if words
                   for d, d_words in dev if len(d_words & set(words.split())) >= 0.8 * len(d_words)
                   and dev_sets.near(words, d))
    assert not leaks, leaks[:10]


def test_the_check_itself_finds_a_dev_line():
    dev = dev_sets.texts()[0]
    assert any(dev_sets.near(answers.normalise(f"well {dev}"), answers.normalise(d)) for d in dev_sets.texts())
