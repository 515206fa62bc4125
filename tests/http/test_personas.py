"""Every scenario of ../shared/eval/dev_personas.jsonl, played through a real
`ivig-skill serve` process over HTTP in each locale, reaching its expected outcome."""

from __future__ import annotations

import pytest

from skill.speech import EMERGENCY_NUMBERS
from tests.support.envelopes import Conversation
from tests.support.personas import load_personas, play

pytestmark = pytest.mark.slow
PERSONAS = load_personas()
LOCALES = list(EMERGENCY_NUMBERS)


@pytest.mark.parametrize("persona", PERSONAS, ids=[p["id"] for p in PERSONAS])
def test_persona_reaches_its_outcome(server, persona):
    locale = LOCALES[int(persona["id"].split("-")[1]) % len(LOCALES)]
    talk = Conversation(server.post, user_id=f"amzn1.ask.account.{persona['id']}", locale=locale)
    outcome, _ = play(talk, persona)
    assert outcome == persona["expect"], (persona["id"], talk.speech)
    if outcome == "emergency":
        assert talk.speech.startswith("This could be an emergency. Call " + EMERGENCY_NUMBERS[locale])
    else:
        assert EMERGENCY_NUMBERS[locale] in talk.speech or outcome == "no_call"
    assert "not a diagnosis" in talk.speech


@pytest.mark.parametrize("locale,number", sorted(EMERGENCY_NUMBERS.items()))
def test_emergency_number_by_locale(server, locale, number):
    talk = Conversation(server.post, user_id=f"amzn1.ask.account.em-{locale}", locale=locale)
    talk.intent("ReportSymptomIntent", {"description": "I can't get my breath at all"})
    assert talk.last["sessionAttributes"]["symptom_check"]["outcome"] == "emergency"
    assert talk.last["response"]["shouldEndSession"] is True
    assert talk.speech.startswith(f"This could be an emergency. Call {number} now")


@pytest.mark.parametrize("persona", PERSONAS, ids=[p["id"] for p in PERSONAS])
def test_persona_answering_in_words_reaches_its_outcome(server, persona):
    talk = Conversation(server.post, user_id=f"amzn1.ask.account.words-{persona['id']}")
    outcome, _ = play(talk, persona, as_words=True)
    assert outcome == persona["expect"], (persona["id"], talk.speech)
