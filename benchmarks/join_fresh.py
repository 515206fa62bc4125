"""Join a fresh set into the corpora, once it has been measured (never before):

    python benchmarks/join_fresh.py ae        # benchmarks/fresh_ae/{questions,symptoms}_ae.jsonl

A set without a questions file (AE2 holds symptoms only) joins its symptom lines alone.

Questions go to skill/content/questions/<first topic>.txt, under a comment naming the set;
symptom lines to skill/content/symptom_utterances/fresh_<set>.txt as "ids | words" ("none" for no
symptom). Each line is cleaned to lower-case letters, digits, apostrophes and single spaces. Left
out: a line the corpus already holds, and a line that is a dev line or near one (tests/support/dev_sets:
the leak tests' own definition, on each reader's normalised words), so that the dev
sets never teach. Prints what was joined and left out; run `ivig-skill build-models` after.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from skill import answers, knowledge, learned, symptom_words  # noqa: E402
from tests.support import dev_sets  # noqa: E402

QUESTIONS = REPO / "skill" / "content" / "questions"
SYMPTOMS = REPO / "skill" / "content" / "symptom_utterances"


def clean(text: str) -> str:
    text = text.lower().replace("\u2019", "'")
    return " ".join(re.sub(r"[^a-z0-9' ]+", " ", text).split())


def forms(text: str) -> list[str]:
    """The words the leak tests compare, under each reader's normalisation."""
    return [answers.normalise(text), learned.plain_words(text, 10_000), symptom_words.normalize(text)]


def near_a_dev_line(line: str, dev: list[list[str]]) -> bool:
    mine = forms(line)
    return any(dev_sets.near(x, y) for d in dev for x, y in zip(mine, d))


def main(letter: str) -> None:
    folder = REPO / "benchmarks" / f"fresh_{letter}"
    if (SYMPTOMS / f"fresh_{letter}.txt").exists():
        sys.exit(f"fresh set {letter.upper()} has joined already ({SYMPTOMS.name}/fresh_{letter}.txt)")
    dev = [forms(text) for text in dev_sets.texts()]
    known = {clean(line) for lines in knowledge.question_corpus().values() for line in lines}
    known |= {clean(line.split("|", 1)[1]) for path in SYMPTOMS.glob("*.txt")
              for line in path.read_text(encoding="utf-8").splitlines() if "|" in line and not line.startswith("#")}
    left_out: list[str] = []

    def keep(text: str) -> str | None:
        line = clean(text)
        if not line or line in known or near_a_dev_line(line, dev):
            left_out.append(line)
            return None
        known.add(line)
        return line

    by_topic: dict[str, list[str]] = {}
    questions = folder / f"questions_{letter}.jsonl"  # a set may hold symptoms only (AE2)
    for row in dev_sets.rows(questions) if questions.exists() else []:
        if (line := keep(row["text"])) is not None:
            by_topic.setdefault(row["topics"][0], []).append(line)
    header = f"# fresh set {letter.upper()} (benchmarks/fresh_{letter}/questions_{letter}.jsonl), measured once before any tuning, then joined the corpus"
    for topic, lines in sorted(by_topic.items()):
        path = QUESTIONS / f"{topic}.txt"
        text = path.read_text(encoding="utf-8")
        path.write_text(text.rstrip("\n") + "\n" + "\n".join([header, *lines]) + "\n", encoding="utf-8")

    symptom_lines = []
    for row in dev_sets.rows(folder / f"symptoms_{letter}.jsonl"):
        if (line := keep(row["text"])) is not None:
            symptom_lines.append(f"{','.join(sorted(row['ids'])) or 'none'} | {line}")
    (SYMPTOMS / f"fresh_{letter}.txt").write_text(
        f"# fresh set {letter.upper()} (benchmarks/fresh_{letter}/symptoms_{letter}.jsonl): written blind by helpers, "
        "measured once before any tuning, then joined.\n# Lines near a dev line (tests/support/dev_sets.near) left out.\n"
        + "\n".join(symptom_lines) + "\n", encoding="utf-8")
    print(f"joined {sum(map(len, by_topic.values()))} questions and {len(symptom_lines)} symptom lines; "
          f"left out {len(left_out)} (already held, or near a dev line)")


if __name__ == "__main__":
    main(sys.argv[1].lower())
