"""The symptom check end to end, for any person: hypothesis makes the scenario (what they
have, what they're unsure of, a severe chest pain, an infusion going on), the scenario is
played through the real endpoint, and the outcome must be what triage.md's table says,
computed here from the spec's own table, not from the skill's code."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.support.envelopes import Conversation, flask_poster
from tests.support.personas import play

E, CN, CS = 3, 2, 1
SPEC_LEVELS = {  # ../shared/spec/triage.md, "at least" column
    "breathing": E, "throat_swelling": E, "stroke_signs": E, "fainting": E, "chest_pain": CN,
    "severe_headache": CN, "hives_itching": CN, "dizziness": CN, "blood_pressure": CN, "less_urine": CN,
    "dark_urine": CN, "limb_swelling": CN, "headache": CS, "fever": CS, "nausea_vomiting": CS,
    "back_pain": CS, "muscle_pain": CS, "other": CS,
}
OUTCOMES = {0: "no_call", CS: "call_soon", CN: "call_now", E: "emergency"}
IDS = sorted(SPEC_LEVELS)


def expected(persona: dict) -> str:
    felt = set(persona["symptoms"]) | set(persona["unsure"])
    level = max((SPEC_LEVELS[i] for i in felt if i in SPEC_LEVELS), default=0)
    if "chest_pain" in felt and (persona["chest_pain_severe"] or "chest_pain_severe" in persona["unsure"]):
        level = E
    return OUTCOMES[level]


personas = st.fixed_dictionaries({
    "id": st.just("generated"),
    "symptoms": st.lists(st.sampled_from(IDS), max_size=4, unique=True),
    "unsure": st.lists(st.sampled_from(IDS + ["chest_pain_severe"]), max_size=2, unique=True),
    "chest_pain_severe": st.booleans(),
    "in_infusion": st.booleans(),
    "opening": st.none(),
})


@settings(max_examples=200, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(persona=personas, n=st.integers(0, 10**9))
def test_any_person_gets_the_outcome_the_table_says(client, persona, n):
    talk = Conversation(flask_poster(client), user_id=f"amzn1.ask.account.P{n}")
    outcome, asked = play(talk, persona)
    assert outcome == expected(persona), (persona, asked)
    if outcome == "no_call":
        assert len(asked) <= 9
        covered = {i for asking in asked for i in asking}
        assert set(IDS) <= covered, set(IDS) - covered  # rule 4: every symptom asked
    if outcome == "emergency":
        assert talk.speech.startswith("This could be an emergency. Call 911 now")
