"""The symptom check's conversation faults (issue 10), each through the real endpoint: the
`heard` contract, going back over a "not sure", the echo of what the person wasn't sure about,
one question a reply, and the check resolved once a request with no store writes but in handle."""

from __future__ import annotations

import dataclasses
import inspect

import pytest

from skill import store, triage
from skill.web import create_app
from tests.support.envelopes import Conversation, flask_poster

NO, YES, NOT_SURE = "AMAZON.NoIntent", "AMAZON.YesIntent", "NotSureIntent"
FIRST = ["breathing", "throat_swelling"]


@pytest.fixture
def kept_talk(settings):
    return Conversation(flask_poster(create_app(dataclasses.replace(settings, keep_health_data=True)).test_client()))


def _to_chest_pain(talk):
    talk.intent("StartSymptomCheckIntent")
    talk.intent(NO)
    talk.intent(NO)
    assert talk.check["asking"] == ["chest_pain"]


# ---- the contract: every response of a check carries symptom_check.heard ------------------

@pytest.mark.parametrize("deployment", ["talk", "kept_talk"])
def test_every_response_of_a_check_carries_what_was_heard(deployment, request):
    talk = request.getfixturevalue(deployment)
    turns = [("StartSymptomCheckIntent", None, []),
             ("ReportSymptomIntent", {"description": "I have a headache"}, ["headache"]),
             (NO, None, ["headache"]),
             ("AMAZON.HelpIntent", None, ["headache"]),
             ("SideEffectsIntent", None, ["headache"]),
             ("TopicListIntent", None, ["headache"]),
             ("AMAZON.FallbackIntent", None, ["headache"]),
             ("AMAZON.RepeatIntent", None, ["headache"])]
    for name, slots, heard in turns:
        reply = talk.intent(name, slots)
        assert reply["sessionAttributes"]["symptom_check"]["heard"] == heard, name
    while "asking" in talk.check:  # not sure twice counts, and is heard
        talk.intent(NOT_SURE if talk.check["asking"] == ["chest_pain"] else NO)
        assert "headache" in talk.check["heard"]
    assert talk.check["outcome"] == "call_now"
    assert talk.check["heard"] == ["headache", "chest_pain"]


def test_leaving_a_check_still_says_what_was_heard(talk):
    talk.intent("StartSymptomCheckIntent")
    talk.intent("ReportSymptomIntent", {"description": "I feel dizzy"})
    home = talk.intent("AMAZON.NavigateHomeIntent")
    assert home["sessionAttributes"]["symptom_check"]["heard"] == ["dizziness"]
    talk.intent("StartSymptomCheckIntent")
    stop = talk.intent("AMAZON.StopIntent")
    assert stop["sessionAttributes"]["symptom_check"]["heard"] == ["dizziness"]


def test_an_emergency_response_carries_what_was_heard(talk):
    reply = talk.intent("ReportSymptomIntent", {"description": "my lips have gone puffy"})
    check = reply["sessionAttributes"]["symptom_check"]
    assert check["outcome"] == "emergency" and "throat_swelling" in check["heard"]


# ---- going back over a "not sure" ----------------------------------------------------------

def test_go_back_after_no_then_not_sure_undoes_the_no(talk):
    talk.intent("StartSymptomCheckIntent")
    talk.intent(NO)
    second = talk.check["asking"]
    talk.intent(NOT_SURE)
    assert talk.check["asking"] == second
    talk.intent("GoBackIntent")
    assert talk.check["asking"] == FIRST
    assert "no earlier question" not in talk.speech and "go back" in talk.speech
    talk.intent(NO)
    assert talk.check["asking"] == second and "another way" not in talk.speech  # asked afresh


def test_go_back_at_the_first_question_after_not_sure_keeps_it_and_it_still_counts(talk):
    talk.intent("StartSymptomCheckIntent")
    talk.intent(NOT_SURE)
    talk.intent("GoBackIntent")
    assert talk.check["asking"] == FIRST and "no earlier question" in talk.speech
    reply = talk.intent(NOT_SURE)
    assert reply["sessionAttributes"]["symptom_check"]["outcome"] == "emergency"


def test_go_back_never_undoes_an_emergency():
    emergency = triage.answer(triage.answer(triage.start(), triage.Answer.NOT_SURE), triage.Answer.NOT_SURE)
    assert triage.outcome(emergency) is triage.Level.EMERGENCY
    assert triage.go_back(emergency) == emergency


# ---- what the person wasn't sure about is said as such, and still counts --------------------

def test_two_not_sures_are_echoed_as_not_sure_and_count_as_yes(talk):
    _to_chest_pain(talk)
    talk.intent(NOT_SURE)
    talk.intent(NOT_SURE)
    while "asking" in talk.check:
        talk.intent(NO)
    assert talk.check["outcome"] == "call_now"
    assert "You weren't sure about chest pain" in talk.speech
    assert "You told me about chest pain" not in talk.speech


def test_what_was_told_and_what_was_doubted_are_said_apart(talk):
    talk.intent("StartSymptomCheckIntent")
    talk.intent("ReportSymptomIntent", {"description": "I have a headache"})
    talk.intent(NO)
    talk.intent(NO)
    talk.intent(NOT_SURE)
    talk.intent(NOT_SURE)
    talk.intent("AMAZON.StopIntent")
    assert "So far, you've told me about a headache. You weren't sure about chest pain" in talk.speech
    assert "Call your provider right away" in talk.speech


def test_leaving_during_a_re_ask_names_it_as_not_sure(talk):
    _to_chest_pain(talk)
    talk.intent(NOT_SURE)
    talk.intent("AMAZON.StopIntent")
    assert "you weren't sure about chest pain" in talk.speech
    assert "Call your provider right away" in talk.speech


# ---- one question a reply, mid-check ----------------------------------------------------------

@pytest.mark.parametrize("name", ["TopicListIntent", "SourceIntent", "SideEffectsIntent", "HistoryIntent",
                                  "AMAZON.HelpIntent", "AMAZON.FallbackIntent"])
def test_an_interruption_mid_check_asks_only_the_checks_question(talk, name):
    talk.intent("StartSymptomCheckIntent")
    talk.intent(NO)
    question = triage.question_text(triage.from_dict(talk.check["state"]))
    talk.intent(name)
    assert talk.speech.endswith(question)
    before = talk.speech[: -len(question)]
    assert "?" not in before, before


# ---- the check resolved once a request; no writes outside handle -------------------------------

def test_the_check_is_read_once_a_request(kept_talk, monkeypatch):
    kept_talk.intent("StartSymptomCheckIntent")
    kept_talk.intent("ReportSymptomIntent", {"description": "I have a headache"})
    calls = []
    real = triage.from_dict

    def counting(d):
        calls.append(1)
        return real(d)

    monkeypatch.setattr(triage, "from_dict", counting)
    for name in (NO, "AMAZON.HelpIntent", "AMAZON.StopIntent"):
        calls.clear()
        kept_talk.intent(name)
        assert len(calls) <= 2, (name, len(calls))  # the session's copy and the saved copy, once each


def test_no_store_write_happens_outside_a_handlers_handle(kept_talk, monkeypatch):
    writers = []
    real = store.SQLiteAdapter.save_attributes

    def watched(self, request_envelope, attributes):
        writers.append([f.function for f in inspect.stack()[1:12]])
        return real(self, request_envelope, attributes)

    monkeypatch.setattr(store.SQLiteAdapter, "save_attributes", watched)
    kept_talk.launch()
    _to_chest_pain(kept_talk)
    kept_talk.intent("AMAZON.StopIntent")
    kept_talk.launch()
    kept_talk.intent(YES)
    assert writers
    for stack in writers:
        assert "handle" in stack and "can_handle" not in stack and "process" not in stack, stack


def test_the_core_holds_the_rules_the_handler_used_to():
    """The saved copy wins over a lower session copy; a pending not sure counts when leaving."""
    low = triage.start()
    high = triage.report(triage.start(), ["dizziness"])
    assert triage.resolve(low, high) == high and triage.resolve(high, low) == high
    assert triage.resolve(None, high) == high and triage.resolve(low, None) == low
    pending = triage.answer(triage.start(), triage.Answer.NOT_SURE)
    assert triage.outcome(triage.settled(pending)) is triage.Level.EMERGENCY
    assert triage.settled(low) == low



# ---- a question that tells of the person's own symptom ----------------------------------------

def test_a_question_mid_check_that_tells_of_an_emergency_gets_the_emergency_advice_at_once(talk):
    talk.intent("StartSymptomCheckIntent")
    talk.intent(NO)
    reply = talk.intent("AskIsIntent", {"query": "it normal that my tongue is swelling up"})
    check = reply["sessionAttributes"]["symptom_check"]
    assert check["outcome"] == "emergency" and "throat_swelling" in check["heard"]
    assert talk.speech.startswith("This could be an emergency. Call") and "IVIG" not in talk.speech  # no answer first


def test_a_question_mid_check_that_tells_of_a_milder_symptom_is_answered_and_noted(talk):
    talk.intent("StartSymptomCheckIntent")
    talk.intent(NO)
    talk.intent("AskIsIntent", {"query": "it normal that my knees and elbows ache"})
    assert talk.check["heard"] == ["muscle_pain"] and "outcome" not in talk.check
    question = triage.question_text(triage.from_dict(talk.check["state"]))
    assert talk.speech.endswith(question) and "muscle" in talk.speech.lower()


@pytest.mark.parametrize("query", ["can ivig cause a rash", "what are the serious side effects of it"])
def test_a_question_mid_check_about_ivig_in_general_reports_nothing(talk, query):
    talk.intent("StartSymptomCheckIntent")
    talk.intent(NO)
    talk.intent("AskQuestionIntent", {"query": query})
    assert talk.check["heard"] == [] and "outcome" not in talk.check
