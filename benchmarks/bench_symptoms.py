"""How well the symptom check hears people's own words, said the way a person would: through the
interaction model (as `ivig-skill chat` resolves typed words), right after the check's first
question, through the skill's real endpoint.

    python benchmarks/bench_symptoms.py [path/to/phrases.jsonl ...] [--locale en-GB] [--misses]
        [--readers]

Each line of a set: {"id", "text", "ids": [symptom ids reported], "level": emergency | call_now |
call_soon | none}. Default: ../shared/eval/dev_symptom_phrases.jsonl. Prints figures only.

- emergency on the next reply: the reply to an emergency utterance is the emergency advice;
  "asked at once": it asks an emergency's question first instead (a suspected emergency): one
  other than the first question, or any question in its plain words because the words made an
  emergency likely (the state's `plainly`).
- heard as less urgent: the most urgent level among what the check heard (and the outcome) is
  below the label's level; for an emergency asked at once, the question counts as not lower.
- no-symptom utterances heard as a symptom: `level` none, but something was heard.

`--readers`: the same figures for the readers alone (`hearing.hear` on the words as written,
the phrase table and the learned reader together, no interaction model): what the check would
hear if every word reached it. "Asked at once" is then a suspected emergency.
"""

from __future__ import annotations

import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from skill import hearing, nlu, triage  # noqa: E402
from skill.chat import AlexaSession, Endpoint, Turn  # noqa: E402

DEFAULT_SET = REPO.parent / "shared" / "eval" / "dev_symptom_phrases.jsonl"
LEVELS = {"none": -1, **{level.id: int(level) for level in triage.Level}}


def load(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def next_reply(endpoint: Endpoint, text: str) -> dict:
    """The check's state after the first question and then `text`."""
    session = AlexaSession()
    first = endpoint.post(endpoint.intent_request(nlu.understand("check my symptoms", endpoint.locale)), session)
    session.attributes, session.new = first.get("sessionAttributes") or {}, False
    eliciting = Turn.from_envelope(first).eliciting  # the question elicits the answer slot, as on a device
    understood = nlu.understand(text, endpoint.locale, eliciting)
    reply = endpoint.post(endpoint.intent_request(understood, eliciting), session)
    return (reply.get("sessionAttributes") or {}).get("symptom_check") or {}


def level_heard(check: dict) -> int:
    symptoms = triage.protocol().symptoms
    levels = [int(symptoms[i].level) for i in check.get("heard", ()) if i in symptoms]
    if check.get("outcome"):
        levels.append(LEVELS[check["outcome"]])
    return max(levels, default=-1)


def read_alone(text: str) -> dict:
    """What the readers alone hear, in the shape of the check's state: heard ids, an outcome
    only for an emergency, and the suspected emergencies as the question asked next."""
    reading = hearing.hear(text)
    emergency = bool(reading.ids & hearing.emergency_ids())
    return {"heard": sorted(reading.ids), "outcome": "emergency" if emergency else None,
            "asking": sorted(reading.suspected), "state": {}}


def measure(path: Path, locale: str, show_misses: bool, readers: bool = False) -> None:
    rows = load(path)
    emergency = LEVELS["emergency"]
    firsts = set() if readers else {i for i in triage.protocol().questions[0].asks}
    if readers:
        results = [(row, read_alone(row["text"])) for row in rows]
    else:
        with tempfile.TemporaryDirectory() as data:
            endpoint = Endpoint(locale=locale, data_dir=Path(data))
            results = [(row, next_reply(endpoint, row["text"])) for row in rows]
    advised = asked = lower = right = false_heard = 0
    urgent = [r for r in rows if r["level"] == "emergency"]
    nothing = [r for r in rows if r["level"] == "none"]
    misses = []
    for row, check in results:
        want, got = LEVELS[row["level"]], level_heard(check)
        # Asked at once: an emergency question other than the first, or any question asked in
        # its plain words because the words made an emergency likely (the state's `plainly`,
        # which only a suspected emergency sets: the chest pain question leads to its severe
        # follow-up, the first question may be asked again).
        plainly = bool((check.get("state") or {}).get("plainly"))
        asked_now = plainly or bool((set(check.get("asking", ())) - firsts) & hearing.emergency_ids())
        if want == emergency:
            if check.get("outcome") == "emergency":
                advised += 1
            elif asked_now:
                asked += 1
                got = emergency
        lower += got < want
        right += got == want
        false_heard += want < 0 and got >= 0
        if got != want:
            misses.append((row, check))
    print(f"set: {path} ({len(rows)} utterances, " + ("the readers alone)" if readers else f"locale {locale})"))
    print(f"  emergency advice on the very next reply  {advised}/{len(urgent)}"
          f" ({advised / max(1, len(urgent)):.1%}); asked about at once {asked}  (target 100%)")
    print(f"  heard as less urgent than it is          {lower}/{len(rows)} (target 0)")
    print(f"  level right                              {right}/{len(rows)} ({right / len(rows):.1%}, target >= 95%)")
    print(f"  no-symptom heard as a symptom            {false_heard}/{len(nothing)}"
          f" ({false_heard / max(1, len(nothing)):.1%}, target <= 3%)")
    print(f"  misses: {len(misses)}" + ("" if show_misses else " (--misses lists them)"))
    for row, check in misses if show_misses else ():
        print(f"    {row['id']}: {row['text']!r} expected {row['level']} {row['ids']}, heard "
              f"{check.get('heard')} outcome {check.get('outcome')} asking {check.get('asking')}")


def timing() -> None:
    samples = ["my lips feel puffy and i can't catch my breath", "bit of a headache and i feel sick",
               "he says his left arm has gone heavy and his words are coming out wrong", "all good thanks"]
    hearing.hear("warm up")
    for size in (1, 10, 100):
        times = []
        for _ in range(50):
            for text in samples:
                started = time.perf_counter()
                hearing.hear(" ".join([text] * size))
                times.append((time.perf_counter() - started) * 1000)
        print(f"  reading one utterance x{size:<3} median {statistics.median(times):.3f} ms (target <= 2 ms at x1)")


def main(argv: list[str]) -> int:
    paths = [Path(a) for a in argv[1:] if not a.startswith("--") and not argv[argv.index(a) - 1] == "--locale"]
    locale = argv[argv.index("--locale") + 1] if "--locale" in argv else "en-US"
    for path in paths or [DEFAULT_SET]:
        measure(path, locale, "--misses" in argv, "--readers" in argv)
    timing()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
