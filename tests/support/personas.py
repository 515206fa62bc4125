"""Plays a scenario of ../shared/eval/dev_personas.jsonl the way the evaluation does:
start the check, say the opening words, then answer each question by the ids it asks."""

from __future__ import annotations

import json
from pathlib import Path

from tests.support.envelopes import Conversation

PERSONAS = Path(__file__).resolve().parents[3] / "shared" / "eval" / "dev_personas.jsonl"


def load_personas() -> list[dict]:
    return [json.loads(line) for line in PERSONAS.read_text(encoding="utf-8").splitlines() if line.strip()]


def answer_for(persona: dict, asking: list[str]) -> str:
    if "in_infusion" in asking:
        return "AMAZON.YesIntent" if persona["in_infusion"] else "AMAZON.NoIntent"
    if "chest_pain_severe" in asking:
        if "chest_pain_severe" in persona["unsure"]:
            return "NotSureIntent"
        return "AMAZON.YesIntent" if persona["chest_pain_severe"] else "AMAZON.NoIntent"
    if set(asking) & set(persona["symptoms"]):
        return "AMAZON.YesIntent"
    if set(asking) & set(persona["unsure"]):
        return "NotSureIntent"
    return "AMAZON.NoIntent"


SAID = {"AMAZON.YesIntent": "yes", "AMAZON.NoIntent": "no", "NotSureIntent": "I'm not sure"}


def play(talk: Conversation, persona: dict, max_turns: int = 30,
         as_words: bool = False) -> tuple[str, list[list[str]]]:
    """Returns the outcome and the list of `asking` values seen, in order. `as_words`: the
    answers come as the person's words (ReportSymptomIntent) instead of answer intents."""
    talk.intent("StartSymptomCheckIntent")
    if persona.get("opening"):
        talk.intent("ReportSymptomIntent", {"description": persona["opening"]})
    seen = []
    for _ in range(max_turns):
        check = talk.last.get("sessionAttributes", {}).get("symptom_check", {})
        if "outcome" in check:
            return check["outcome"], seen
        asking = check["asking"]
        seen.append(asking)
        answer = answer_for(persona, asking)
        if as_words:
            talk.intent("ReportSymptomIntent", {"description": SAID[answer]})
        else:
            talk.intent(answer)
    raise AssertionError(f"{persona['id']}: no outcome after {max_turns} turns")
