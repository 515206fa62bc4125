"""The symptom check through the real endpoint: advice, interruptions, persistence,
privacy, and bad input that must never lower the outcome."""

from __future__ import annotations

import dataclasses
import json
import logging
import sqlite3
from concurrent.futures import ThreadPoolExecutor

import pytest

from skill.web import create_app
from tests.support.envelopes import Conversation, flask_poster, intent, speech_of

NO = "AMAZON.NoIntent"
YES = "AMAZON.YesIntent"


def outcome(talk: Conversation) -> str:
    return talk.last["sessionAttributes"]["symptom_check"]["outcome"]


@pytest.fixture
def kept_app(settings):
    """A deployment that keeps health data (IVIG_KEEP_HEALTH_DATA): HIPAA-eligible, by choice."""
    return create_app(dataclasses.replace(settings, keep_health_data=True))


@pytest.fixture
def kept_talk(kept_app):
    return Conversation(flask_poster(kept_app.test_client()))


def test_no_symptoms_reaches_no_call_with_every_question_asked(talk):
    talk.intent("StartSymptomCheckIntent")
    assert talk.check["asking"] == ["breathing", "throat_swelling"]  # emergency questions first
    asked = []
    while "asking" in talk.check:
        asked += talk.check["asking"]
        talk.intent(NO)
    assert outcome(talk) == "no_call"
    assert len(asked) >= 17
    assert "not a diagnosis" in talk.speech and "no need to call" in talk.speech


def test_emergency_in_own_words_is_the_first_thing_said(talk):
    talk.intent("ReportSymptomIntent", {"description": "my lips have gone puffy"})
    assert talk.speech.startswith("This could be an emergency. Call 911 now")
    assert "swelling" in talk.speech and "not a diagnosis" in talk.speech
    assert talk.last["response"]["shouldEndSession"] is True
    assert talk.last["response"]["card"]["content"].startswith("This could be an emergency")


def test_mild_symptoms_during_an_infusion_start_with_the_nurse(talk):
    talk.intent("StartSymptomCheckIntent")
    talk.intent("ReportSymptomIntent", {"description": "my back aches"})
    for _ in range(15):
        if "outcome" in talk.check:
            break
        talk.intent(YES if talk.check["asking"] == ["in_infusion"] else NO)
    assert outcome(talk) == "call_soon"
    assert talk.speech.startswith("Because your infusion is going on right now, tell your nurse")
    assert "back pain" in talk.speech


def test_not_sure_is_asked_again_then_counts_as_yes(talk):
    talk.intent("StartSymptomCheckIntent")
    first = talk.speech
    talk.intent("NotSureIntent")
    assert talk.check["asking"] == ["breathing", "throat_swelling"] and talk.speech != first
    talk.intent("NotSureIntent")
    assert outcome(talk) == "emergency"


def test_a_question_mid_check_is_answered_then_the_check_resumes(talk):
    talk.intent("StartSymptomCheckIntent")
    talk.intent(NO)
    asking = talk.check["asking"]
    talk.intent("AskQuestionIntent", {"query": "wait what are the side effects"})
    assert "side effects" in talk.speech.lower() and "back to your symptom check" in talk.speech
    assert talk.check["asking"] == asking
    talk.intent("SideEffectsIntent")
    assert talk.check["asking"] == asking
    assert "Want to hear more?" not in talk.speech


def test_go_back_undoes_the_last_answer(talk):
    talk.intent("StartSymptomCheckIntent")
    talk.intent(NO)
    second = talk.check["asking"]
    talk.intent("GoBackIntent")
    assert talk.check["asking"] == ["breathing", "throat_swelling"] and "go back" in talk.speech
    talk.intent(NO)
    assert talk.check["asking"] == second


def test_help_and_repeat_mid_check_keep_the_question(talk):
    talk.intent("StartSymptomCheckIntent")
    asking = talk.check["asking"]
    talk.intent("AMAZON.HelpIntent")
    assert "yes, no, or not sure" in talk.speech and talk.check["asking"] == asking
    before = talk.speech
    talk.intent("AMAZON.RepeatIntent")
    assert talk.speech == before and talk.check["asking"] == asking


def test_start_over_never_lowers_the_outcome(talk):
    talk.intent("ReportSymptomIntent", {"description": "I feel dizzy"})
    talk.intent("AMAZON.StartOverIntent")
    talk.answer_all(NO)
    assert outcome(talk) == "call_now"


def test_stop_mid_check_then_launch_offers_to_continue_with_answers_kept(kept_talk):
    talk = kept_talk  # a deployment that keeps health data
    talk.intent("StartSymptomCheckIntent")
    talk.intent("ReportSymptomIntent", {"description": "I have a headache"})
    talk.intent(NO)
    asking = talk.check["asking"]
    talk.intent("AMAZON.StopIntent")
    assert talk.last["response"]["shouldEndSession"] is True
    talk.launch()
    assert "continue" in talk.speech
    talk.intent(YES)
    assert talk.check["asking"] == asking
    talk.answer_all(NO)
    assert outcome(talk) == "call_soon" and "headache" in talk.speech


def test_session_ending_by_itself_is_offered_at_the_next_launch(kept_talk):
    talk = kept_talk  # a deployment that keeps health data
    talk.intent("StartSymptomCheckIntent")
    talk.intent(NO)
    talk.end_session("EXCEEDED_MAX_REPROMPTS")
    talk.launch()
    assert "continue" in talk.speech
    talk.intent(NO)
    assert "won't continue" in talk.speech
    talk.launch()
    assert "continue" not in talk.speech


def test_concurrent_checks_of_different_users_do_not_mix(client):
    def run(n: int) -> tuple[int, str]:
        talk = Conversation(flask_poster(client), user_id=f"amzn1.ask.account.U{n}")
        talk.intent("StartSymptomCheckIntent")
        if n % 2:
            talk.intent("ReportSymptomIntent", {"description": "I feel dizzy"})
        talk.answer_all(NO)
        return n, outcome(talk)

    with ThreadPoolExecutor(max_workers=6) as pool:
        results = dict(pool.map(run, range(12)))
    assert results == {n: ("call_now" if n % 2 else "no_call") for n in range(12)}


@pytest.mark.parametrize("forged", [
    {"state": {"version": 99}},
    {"state": "nonsense"},
    {"state": {"version": 1, "told": [["not_a_symptom"]]}},
    {"state": None, "asking": ["breathing"]},
])
def test_a_forged_state_restarts_at_the_first_question_without_applying_the_answer(client, forged):
    body = intent(YES, attributes={"symptom_check": forged})
    reply = client.post("/alexa", data=json.dumps(body), content_type="application/json").get_json()
    assert "start the questions again" in speech_of(reply)
    check = reply["sessionAttributes"]["symptom_check"]
    assert check["asking"] == ["breathing", "throat_swelling"] and "outcome" not in check


def test_a_forged_lower_state_never_lowers_the_outcome(kept_talk):
    talk = kept_talk  # a deployment that keeps health data
    talk.intent("StartSymptomCheckIntent")
    talk.intent("ReportSymptomIntent", {"description": "I feel dizzy"})
    fresh = {"symptom_check": {"state": talk.check["state"] | {"told": [], "answers": []},
                               "asking": ["breathing", "throat_swelling"]}}
    talk.attributes = fresh
    talk.answer_all(NO)
    assert outcome(talk) == "call_now"


@pytest.mark.parametrize("name,slots", [
    ("NoSuchIntent", None), ("ReportSymptomIntent", None), ("ReportSymptomIntent", {"description": ""}),
    ("AskQuestionIntent", None), ("AMAZON.FallbackIntent", None), ("ReportSymptomIntent", {"description": "x" * 5000}),
])
def test_bad_input_mid_check_keeps_the_check(talk, name, slots):
    talk.intent("StartSymptomCheckIntent")
    talk.intent("ReportSymptomIntent", {"description": "I feel dizzy"})
    talk.intent(name, slots)
    assert talk.speech
    assert "asking" in talk.check
    talk.answer_all(NO)
    assert outcome(talk) == "call_now"


def test_history_is_kept_only_with_a_yes_and_read_back(kept_talk):
    kept_talk.intent("ReportSymptomIntent", {"description": "I have a headache"})
    kept_talk.answer_all(NO)
    assert "Do you want me to keep this" in kept_talk.speech
    kept_talk.intent(YES)
    assert "kept it" in kept_talk.speech
    kept_talk.intent("HistoryIntent")
    assert "headache" in kept_talk.speech and "call your provider soon" in kept_talk.speech
    kept_talk.intent("DeleteDataIntent")
    assert "deleted" in kept_talk.speech
    kept_talk.intent("HistoryIntent")
    assert "don't have any earlier" in kept_talk.speech


def test_history_declined_keeps_nothing(kept_talk, settings):
    kept_talk.intent("ReportSymptomIntent", {"description": "I have a headache"})
    kept_talk.answer_all(NO)
    kept_talk.intent(NO)
    rows = sqlite3.connect(settings.database_path).execute("SELECT data FROM attributes").fetchall()
    assert all("headache" not in data for (data,) in rows)


def test_without_history_a_finished_check_leaves_nothing_stored(talk, settings):
    talk.intent("ReportSymptomIntent", {"description": "my stomach is churning and I feel sick"})
    talk.answer_all(NO)
    assert "keep this" not in talk.speech
    rows = sqlite3.connect(settings.database_path).execute("SELECT data FROM attributes").fetchall()
    assert all("nausea" not in data for (data,) in rows)
    talk.intent("HistoryIntent")
    assert "isn't turned on" in talk.speech


def test_user_ids_are_stored_hashed(kept_talk, settings):
    talk = kept_talk  # a deployment that keeps health data
    talk.intent("StartSymptomCheckIntent")
    keys = [k for (k,) in sqlite3.connect(settings.database_path).execute("SELECT user_hash FROM attributes")]
    assert keys and all(talk.user_id not in k and len(k) == 64 for k in keys)


def test_symptoms_never_appear_in_logs(talk, caplog):
    caplog.set_level(logging.DEBUG)
    talk.intent("ReportSymptomIntent", {"description": "my pee looks like cola and I feel dizzy"})
    talk.answer_all(NO)
    logged = caplog.text.lower()
    for word in ("cola", "dizzy", "dark_urine", "dizziness", talk.user_id.lower()):
        assert word not in logged


def test_an_unreadable_session_copy_falls_back_to_the_saved_copy(kept_talk):
    talk = kept_talk  # a deployment that keeps health data
    talk.intent("StartSymptomCheckIntent")
    talk.intent(NO)
    talk.intent("ReportSymptomIntent", {"description": "I have a headache"})
    asking = talk.check["asking"]
    talk.attributes["symptom_check"]["state"]["protocol"] = "an-older-question-table"
    talk.intent(NO)
    assert talk.check["asking"] != asking and talk.check["asking"] != ["breathing", "throat_swelling"]
    talk.answer_all(NO)
    assert outcome(talk) == "call_soon" and "headache" in talk.speech


def test_im_fine_answers_the_question_as_no(talk):
    talk.intent("StartSymptomCheckIntent")
    talk.intent("ReportSymptomIntent", {"description": "nothing much, she seems her usual self"})
    assert talk.check["asking"] == ["stroke_signs", "fainting"]


def test_a_symptom_phrase_resolved_by_alexa_counts(talk):
    body_slots = {"symptom": "can't breathe"}
    talk.intent("StartSymptomCheckIntent")
    talk.send(lambda *a, **kw: _with_resolution(intent("ReportSymptomIntent", body_slots, **kw), "breathing"))
    assert talk.last["sessionAttributes"]["symptom_check"]["outcome"] == "emergency"


def _with_resolution(body: dict, symptom_id: str) -> dict:
    body["request"]["intent"]["slots"]["symptom"]["resolutions"] = {"resolutionsPerAuthority": [{
        "authority": "amzn1.er-authority.echo-sdk.test.SYMPTOM", "status": {"code": "ER_SUCCESS_MATCH"},
        "values": [{"value": {"name": "can't breathe", "id": symptom_id}}]}]}
    return body


def test_stopping_with_a_symptom_reported_says_what_to_do_about_it(talk):
    talk.intent("StartSymptomCheckIntent")
    talk.intent("ReportSymptomIntent", {"description": "I feel dizzy"})
    talk.intent("AMAZON.StopIntent")
    assert talk.speech.startswith("So far, you've told me about dizziness. Call your provider right away")


def test_declining_to_continue_a_check_with_symptoms_still_gives_advice(kept_talk):
    talk = kept_talk  # a deployment that keeps health data
    talk.intent("StartSymptomCheckIntent")
    talk.intent("ReportSymptomIntent", {"description": "I feel dizzy"})
    talk.end_session()
    talk.launch()
    talk.intent(NO)
    assert "Call your provider right away" in talk.speech


def test_check_my_symptoms_at_the_resume_offer_continues_the_check(kept_talk):
    talk = kept_talk  # a deployment that keeps health data
    talk.intent("StartSymptomCheckIntent")
    talk.intent("ReportSymptomIntent", {"description": "I feel dizzy"})
    talk.end_session()
    talk.launch()
    talk.intent("StartSymptomCheckIntent")
    talk.answer_all(NO)
    assert outcome(talk) == "call_now"


def test_an_expired_unfinished_check_is_not_offered_and_not_kept(settings):
    app = create_app(dataclasses.replace(settings, resume_hours=0, keep_health_data=True))
    talk = Conversation(flask_poster(app.test_client()))
    talk.intent("ReportSymptomIntent", {"description": "my pee looks like cola"})
    talk.intent("AMAZON.StopIntent")
    talk.launch()
    assert "continue" not in talk.speech
    rows = sqlite3.connect(settings.database_path).execute("SELECT data FROM attributes").fetchall()
    assert all("dark_urine" not in data for (data,) in rows)


def test_the_user_hash_is_keyed_not_a_plain_digest(talk, settings):
    import hashlib

    talk.intent("StartSymptomCheckIntent")
    keys = [k for (k,) in sqlite3.connect(settings.database_path).execute("SELECT user_hash FROM attributes")]
    assert hashlib.sha256(talk.user_id.encode()).hexdigest() not in keys


def _chest_pain_then(talk: Conversation) -> None:
    talk.intent("StartSymptomCheckIntent")
    talk.intent(NO)
    talk.intent(NO)
    assert talk.check["asking"] == ["chest_pain"]
    talk.intent(YES)


def test_a_symptom_said_at_the_resume_offer_joins_the_unfinished_check(kept_talk):
    talk = kept_talk  # a deployment that keeps health data
    _chest_pain_then(talk)
    talk.end_session("EXCEEDED_MAX_REPROMPTS")
    talk.launch()
    talk.intent("ReportSymptomIntent", {"description": "I have a headache"})
    talk.answer_all(NO)
    assert outcome(talk) == "call_now" and "chest pain" in talk.speech and "headache" in talk.speech


def test_a_new_session_starting_a_check_continues_the_unfinished_one(kept_talk):
    talk = kept_talk  # a deployment that keeps health data
    _chest_pain_then(talk)
    talk.intent("AMAZON.StopIntent")
    talk.intent("StartSymptomCheckIntent")
    assert "continue" in talk.speech
    talk.answer_all(NO)
    assert outcome(talk) == "call_now"


def test_going_home_mid_check_says_what_to_do_and_keeps_the_check(talk):
    _chest_pain_then(talk)
    talk.intent("AMAZON.NavigateHomeIntent")
    assert "So far, you've told me about chest pain" in talk.speech and "911" in talk.speech
    talk.intent("StartSymptomCheckIntent")
    talk.answer_all(NO)
    assert outcome(talk) == "call_now"


def test_stopping_before_the_chest_pain_follow_up_names_the_emergency_signs(talk):
    _chest_pain_then(talk)
    assert talk.check["asking"] == ["chest_pain_severe"]
    talk.intent("AMAZON.StopIntent")
    assert "crushing" in talk.speech and "call 911 now" in talk.speech


def test_the_emergency_number_is_said_twice_and_emergency_questions_reprompt_with_it(talk):
    talk.intent("StartSymptomCheckIntent")
    reprompt = talk.last["response"]["reprompt"]["outputSpeech"]["ssml"]
    assert "If you can't answer" in reprompt and "911" in reprompt
    talk.intent(YES)
    assert talk.speech.count("911") == 2 and talk.speech.endswith("Again: call 911 now.")


def test_after_the_advice_a_new_symptom_is_added_to_the_same_check(talk):
    talk.intent("ReportSymptomIntent", {"description": "I have a headache"})
    talk.answer_all(NO)
    assert outcome(talk) == "call_soon"
    talk.intent("ReportSymptomIntent", {"description": "oh and I feel dizzy"})
    talk.answer_all(NO)
    assert outcome(talk) == "call_now" and "headache" in talk.speech and "dizz" in talk.speech


def test_go_back_after_the_advice_reopens_the_last_question(talk):
    talk.intent("StartSymptomCheckIntent")
    talk.answer_all(NO)
    talk.intent("GoBackIntent")
    assert talk.check["asking"] == ["fever", "nausea_vomiting", "other"]
    talk.intent(YES)
    talk.answer_all(NO)
    assert outcome(talk) == "call_soon"


def test_not_sure_at_the_resume_offer_continues(kept_talk):
    talk = kept_talk  # a deployment that keeps health data
    _chest_pain_then(talk)
    talk.end_session()
    talk.launch()
    talk.intent("NotSureIntent")
    assert talk.check["asking"] == ["chest_pain_severe"]


def test_help_at_the_resume_offer_asks_the_offer_again(kept_talk):
    talk = kept_talk  # a deployment that keeps health data
    _chest_pain_then(talk)
    talk.end_session()
    talk.launch()
    talk.intent("AMAZON.HelpIntent")
    assert talk.speech.endswith("Do you want to continue it?")
    talk.intent(YES)
    assert talk.check["asking"] == ["chest_pain_severe"]


def test_a_yes_to_a_grouped_question_is_kept_as_said(kept_talk):
    kept_talk.intent("StartSymptomCheckIntent")
    while "asking" in kept_talk.check:
        kept_talk.intent(YES if kept_talk.check["asking"] == ["headache", "back_pain", "muscle_pain"] else NO)
    kept_talk.intent(YES)
    kept_talk.intent("HistoryIntent")
    assert "a headache, back pain or aches" in kept_talk.speech


def test_the_full_welcome_once_then_a_short_one(talk):
    talk.launch()
    assert "not medical advice" in talk.speech
    talk.intent("AMAZON.StopIntent")
    talk.launch()
    assert "not medical advice" not in talk.speech and "Welcome back" in talk.speech and "911" in talk.speech


@pytest.mark.parametrize("words,asked_next", [
    ("yeah", None), ("No.", ["stroke_signs", "fainting"]), ("I'm not sure", ["breathing", "throat_swelling"]),
])
def test_an_answer_heard_as_words_is_an_answer(talk, words, asked_next):
    talk.intent("StartSymptomCheckIntent")
    talk.intent("ReportSymptomIntent", {"description": words})
    if asked_next is None:  # a yes to the emergency question
        assert talk.last["sessionAttributes"]["symptom_check"]["outcome"] == "emergency"
    else:
        assert talk.check["asking"] == asked_next


def test_leaving_during_the_re_ask_counts_the_not_sure(talk):
    talk.intent("StartSymptomCheckIntent")
    talk.intent("NotSureIntent")
    talk.intent("AMAZON.StopIntent")
    assert "This could be an emergency. Call 911 now" in talk.speech


def test_go_back_does_not_take_back_a_not_sure_to_an_emergency_question(talk):
    talk.intent("StartSymptomCheckIntent")
    talk.intent("NotSureIntent")
    talk.intent("GoBackIntent")
    assert talk.check["asking"] == ["breathing", "throat_swelling"]
    talk.intent("NotSureIntent")
    assert talk.last["sessionAttributes"]["symptom_check"]["outcome"] == "emergency"


def test_going_home_mid_check_says_the_answers_are_kept(kept_talk):
    talk = kept_talk  # a deployment that keeps health data
    _chest_pain_then(talk)
    talk.intent("AMAZON.NavigateHomeIntent")
    assert "I'll keep your answers for 12 hours" in talk.speech


def test_stop_at_the_resume_offer_gives_the_advice_owed(kept_talk):
    talk = kept_talk  # a deployment that keeps health data
    _chest_pain_then(talk)
    talk.end_session()
    talk.launch()
    talk.intent("AMAZON.StopIntent")
    assert "Call your provider right away" in talk.speech and talk.speech.endswith("Goodbye.")


def test_chest_pain_advice_does_not_contradict_itself(talk):
    _chest_pain_then(talk)
    talk.answer_all(NO)
    assert outcome(talk) == "call_now"
    assert "chest pain that is severe or spreads, call 911" in talk.speech
