"""How well skill.answers.match answers a labelled question set, and how fast.

    python benchmarks/bench_answers.py [path/to/questions.jsonl] [--misses]

Each line of the set: {"id": ..., "text": ..., "topics": [acceptable topic ids]}; a line whose only
topic is "out_of_scope" must be declined. Prints figures only: nothing here asserts.
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from skill import answers  # noqa: E402  (the path above makes the checkout importable)
from skill.knowledge import OUT_OF_SCOPE  # noqa: E402

DEFAULT_SET = REPO.parent / "shared" / "eval" / "dev_questions.jsonl"
TARGETS = {"in-scope accuracy": 0.97, "out-of-scope declined": 0.95}
WRONGLY_DECLINED_TARGET = 0.02


def load(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


def main(argv: list[str]) -> int:
    paths = [a for a in argv[1:] if not a.startswith("--")]
    path = Path(paths[0]) if paths else DEFAULT_SET
    questions = load(path)

    started = time.perf_counter()
    answers.model()
    load_ms = (time.perf_counter() - started) * 1000
    answers.match("warm up: the content tables are read once")

    results, timings = [], []
    for question in questions:
        started = time.perf_counter()
        got = answers.match(question["text"])
        timings.append((time.perf_counter() - started) * 1000)
        results.append((question, got))

    in_scope = [(q, m) for q, m in results if q["topics"] != [OUT_OF_SCOPE]]
    out_of_scope = [(q, m) for q, m in results if q["topics"] == [OUT_OF_SCOPE]]
    correct = sum(m.topic in q["topics"] for q, m in in_scope)
    declined = sum(m.topic == OUT_OF_SCOPE for _, m in out_of_scope)
    wrongly_declined = sum(m.topic == OUT_OF_SCOPE and OUT_OF_SCOPE not in q["topics"] for q, m in in_scope)

    print(f"question set: {path} ({len(questions)} questions)")
    _figure("in-scope accuracy", correct, len(in_scope), f">= {TARGETS['in-scope accuracy']:.0%}")
    _figure("out-of-scope declined", declined, len(out_of_scope), f">= {TARGETS['out-of-scope declined']:.0%}")
    _figure("in-scope wrongly declined", wrongly_declined, len(in_scope), f"<= {WRONGLY_DECLINED_TARGET:.0%}")

    misses = [(q, m) for q, m in results if m.topic not in q["topics"]]
    print(f"\nmisses: {len(misses)}" + ("" if "--misses" in argv else " (--misses lists them)"))
    for q, m in misses if "--misses" in argv else ():
        print(f"  {q['id']}: {q['text']!r}\n      expected {q['topics']}, got {m.topic} ({m.score:.2f})")

    ordered = sorted(timings)
    p99 = ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]
    print(f"\ntime per question: median {statistics.median(timings):.3f} ms, p99 {p99:.3f} ms")
    print(f"loading the matcher: {load_ms:.1f} ms (target <= 100 ms; median <= 1 ms, p99 <= 3 ms a question)")
    return 0


def _figure(name: str, count: int, total: int, target: str) -> None:
    share = count / total if total else 0.0
    print(f"{name:28s} {count:4d}/{total:<4d} {share:7.1%}   (target {target})")


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
