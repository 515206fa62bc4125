"""The public dev sets beside the checkout (../shared/eval), which measure and never teach, and
what counts as a light edit of one of their lines: one definition for the corpora's leak tests and
for benchmarks/join_fresh.py."""

from __future__ import annotations

import json
from pathlib import Path

EVAL = Path(__file__).resolve().parents[2].parent / "shared" / "eval"
QUESTIONS = EVAL / "dev_questions.jsonl"
PHRASES = EVAL / "dev_symptom_phrases.jsonl"
PERSONAS = EVAL / "dev_personas.jsonl"


def rows(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def texts() -> list[str]:
    """Every line a person says or is described by in the dev sets: the questions, the symptom
    phrases, and each persona's opening words and story."""
    said = [row["text"] for row in rows(QUESTIONS) + rows(PHRASES)]
    said += [row[key] for row in rows(PERSONAS) for key in ("opening", "story") if row.get(key)]
    return said


def light_edit(a: set[str], b: set[str]) -> bool:
    """Two lines, as sets of their words, are the same or a light edit of each other: Jaccard >= 0.8."""
    return a == b or len(a & b) / max(1, len(a | b)) >= 0.8


def near(line: str, dev: str) -> bool:
    """A line (normalised words) is a dev line or near one: a light edit of it, or the dev line
    word for word, if it is five words or more, with at most three words around it ("tell me
    true" before a whole dev question). A short dev line inside a longer one is anyone's words."""
    words, dev_words = line.split(), dev.split()
    if light_edit(set(words), set(dev_words)):
        return True
    return len(dev_words) >= 5 and len(words) - len(dev_words) <= 3 and f" {dev} " in f" {line} "
