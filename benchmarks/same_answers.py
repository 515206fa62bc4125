"""What the readers make of every line we have, written to a file, so that a change meant only for
speed can be shown to change no answer:

    python benchmarks/same_answers.py before.json            # record
    python benchmarks/same_answers.py after.json before.json # record again and compare

Lines: the question corpus, the symptom corpus, the fresh sets (benchmarks/fresh*), and the dev sets
in ../shared/eval when they are beside the checkout (measured only). For each line: the question
matcher's decision and score, the reply's topic, the symptom reader's reading (`hearing.learned`),
both readers together (`hearing.hear`) and the phrase table (`symptom_words.parse`). Decisions must be
equal; scores and probabilities may differ by float rounding only (printed: the largest difference).
Nothing is written into the repository.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from skill import answers, hearing, knowledge, replies, symptom_words  # noqa: E402


def lines() -> list[str]:
    out = [line for rows in knowledge.question_corpus().values() for line in rows]
    out += [words for _, words in knowledge.symptom_corpus(frozenset(hearing.model().classes))]
    for path in sorted(REPO.glob("benchmarks/fresh*/*.jsonl")) + sorted((REPO.parent / "shared" / "eval").glob("dev_*.jsonl")):
        for row in map(json.loads, path.read_text(encoding="utf-8").splitlines()):
            for key in ("text", "opening"):
                if isinstance(row.get(key), str):
                    out.append(row[key])
    return out


def reading(text: str) -> dict:
    match = answers.match(text)
    learned = hearing.learned(text)
    heard = hearing.hear(text)
    parsed = symptom_words.parse(text)
    trained = hearing.model()
    return {
        "match": [match.topic, match.declined_subject], "score": match.score,
        "reply": replies.question_reply(text).topic,
        "learned": [sorted(learned.sure), sorted(learned.suspected), learned.nothing, sorted(learned.supports)],
        "probabilities": list(map(float, trained.probabilities(trained.words(text)))),
        "hear": [heard.answer, sorted(heard.ids), heard.in_infusion, heard.all_well, sorted(heard.suspected)],
        "parse": [sorted(parsed.ids), parsed.in_infusion, parsed.nothing_wrong, sorted(parsed.denied)],
    }


def main() -> None:
    texts = lines()
    record = {text: reading(text) for text in texts}
    Path(sys.argv[1]).write_text(json.dumps(record), encoding="utf-8")
    print(f"{len(record)} distinct lines ({len(texts)} read)")
    if len(sys.argv) > 2:
        before = json.loads(Path(sys.argv[2]).read_text(encoding="utf-8"))
        if set(before) != set(record):
            raise SystemExit("not the same lines")
        changed = {key: 0 for key in ("match", "reply", "learned", "hear", "parse")}
        worst_score = worst_probability = 0.0
        for text, now in record.items():
            then = before[text]
            for key in changed:
                changed[key] += now[key] != then[key]
            worst_score = max(worst_score, abs(now["score"] - then["score"]))
            worst_probability = max(worst_probability, *(abs(a - b) for a, b in zip(now["probabilities"], then["probabilities"])))
        print("lines whose output changed:", changed)
        print(f"largest difference: match score {worst_score:.2e}, reader probability {worst_probability:.2e}")
        if any(changed.values()):
            raise SystemExit(1)


if __name__ == "__main__":
    main()
