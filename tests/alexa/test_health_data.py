"""Keeping health data is the deployment's explicit choice (IVIG_KEEP_HEALTH_DATA), and what the
skill says about keeping is true: through the real endpoint, with the real SQLite file."""

from __future__ import annotations

import dataclasses
import json
import sqlite3

import pytest

from skill import triage
from skill.config import Settings
from skill.web import create_app
from tests.support.envelopes import Conversation, flask_poster

NO, YES = "AMAZON.NoIntent", "AMAZON.YesIntent"
SYMPTOM_WORDS = ("headache", "dizz", "chest", "paused_check", "history", "told", "nausea")


def stored(settings) -> list[dict]:
    rows = sqlite3.connect(settings.database_path).execute("SELECT data FROM attributes").fetchall()
    return [json.loads(data) for (data,) in rows]


def _mid_check(talk):
    talk.intent("StartSymptomCheckIntent")
    talk.intent("ReportSymptomIntent", {"description": "I have a headache and I feel dizzy"})
    talk.intent(NO)
    assert "asking" in talk.check


def break_store(settings) -> None:
    """The database can no longer be opened or written (as a full or failed disk would do, and
    whoever runs the tests, root included): the file is replaced by a folder."""
    for suffix in ("", "-wal", "-shm"):
        path = settings.database_path.with_name(settings.database_path.name + suffix)
        if path.exists():
            path.unlink()
    settings.database_path.mkdir()


@pytest.fixture
def kept_settings(settings):
    return dataclasses.replace(settings, keep_health_data=True)


@pytest.fixture
def kept_talk(kept_settings):
    return Conversation(flask_poster(create_app(kept_settings).test_client()))


# ---- off, the default: nothing a person says about their health is written anywhere ----------

def test_keeping_health_data_is_off_unless_the_deployment_turns_it_on():
    assert Settings.from_env({}).keep_health_data is False
    assert Settings.from_env({"IVIG_KEEP_HEALTH_DATA": "true"}).keep_health_data is True
    assert Settings.from_env({"IVIG_KEEP_HEALTH_DATA": "no"}).keep_health_data is False


def test_the_old_history_setting_alone_is_refused_saying_what_replaced_it():
    with pytest.raises(ValueError, match="IVIG_KEEP_HEALTH_DATA"):
        Settings.from_env({"IVIG_HISTORY": "true"})
    assert Settings.from_env({"IVIG_HISTORY": "true", "IVIG_KEEP_HEALTH_DATA": "true"}).keep_health_data


def test_stopping_mid_check_gives_the_advice_owed_and_says_nothing_was_kept(talk, settings):
    talk.launch()
    _mid_check(talk)
    talk.intent("AMAZON.StopIntent")
    assert talk.speech.startswith("So far, you've told me about dizziness and a headache. Call your provider right away")
    assert "I haven't kept any of your answers" in talk.speech and "I'll keep" not in talk.speech
    rows = stored(settings)
    assert rows == [{"welcomed": True}]  # the welcome-heard flag is not health data, and stays


def test_walking_away_mid_check_keeps_nothing_and_the_next_launch_offers_nothing(talk, settings):
    _mid_check(talk)
    talk.end_session("EXCEEDED_MAX_REPROMPTS")
    talk.launch()
    assert "continue" not in talk.speech
    assert not any(word in json.dumps(stored(settings)) for word in SYMPTOM_WORDS)


def test_no_check_state_is_written_on_any_turn(talk, settings):
    _mid_check(talk)
    while "asking" in talk.check:
        talk.intent(YES if talk.check["asking"] == ["in_infusion"] else NO)
        assert stored(settings) == []
    assert "keep this" not in talk.speech
    talk.intent("HistoryIntent")
    assert "isn't turned on" in talk.speech and stored(settings) == []


def test_going_home_mid_check_keeps_the_check_for_this_session_only(talk, settings):
    _mid_check(talk)
    talk.intent("AMAZON.NavigateHomeIntent")
    assert "I haven't kept any of your answers" in talk.speech
    talk.intent("StartSymptomCheckIntent")
    assert "continue" in talk.speech
    while "asking" in talk.check:
        talk.intent(NO)
    assert talk.check["outcome"] == "call_now" and "headache" in talk.speech
    assert stored(settings) == []


def test_an_unfinished_check_kept_by_an_earlier_setting_is_removed_at_start(kept_settings, settings):
    kept = Conversation(flask_poster(create_app(kept_settings).test_client()))
    _mid_check(kept)
    kept.intent("AMAZON.StopIntent")
    assert any("paused_check" in row for row in stored(settings))
    talk = Conversation(flask_poster(create_app(settings).test_client()))
    assert not any("paused_check" in row for row in stored(settings))
    talk.launch()
    assert "continue" not in talk.speech


# ---- on: as before, and every promise kept ------------------------------------------------------

def test_where_kept_stopping_keeps_the_answers_and_says_for_how_long(kept_talk, settings):
    _mid_check(kept_talk)
    kept_talk.intent("AMAZON.StopIntent")
    assert "I'll keep your answers for 12 hours" in kept_talk.speech
    row = next(r for r in stored(settings) if "paused_check" in r)
    assert triage.reported(triage.from_dict(row["paused_check"]["state"])) == ("dizziness", "headache")
    kept_talk.launch()
    assert "Do you want to continue it?" in kept_talk.speech


def test_where_kept_a_failed_save_on_stop_is_said_plainly(kept_talk, kept_settings):
    _mid_check(kept_talk)
    break_store(kept_settings)
    kept_talk.intent("AMAZON.StopIntent")
    assert "I couldn't keep your answers this time" in kept_talk.speech
    assert "I'll keep" not in kept_talk.speech
    assert "Call your provider right away" in kept_talk.speech  # the advice owed, all the same


def test_where_kept_a_failed_save_on_going_home_is_said_plainly(kept_talk, kept_settings):
    _mid_check(kept_talk)
    break_store(kept_settings)
    kept_talk.intent("AMAZON.NavigateHomeIntent")
    assert "I couldn't keep your answers this time" in kept_talk.speech and "I'll keep" not in kept_talk.speech
    assert kept_talk.last["response"]["shouldEndSession"] is False


def test_where_kept_a_failed_history_save_is_said_plainly(kept_talk, kept_settings):
    kept_talk.intent("ReportSymptomIntent", {"description": "I have a headache"})
    while "asking" in kept_talk.check:
        kept_talk.intent(NO)
    assert "Do you want me to keep this" in kept_talk.speech
    break_store(kept_settings)
    kept_talk.intent(YES)
    assert "couldn't keep it" in kept_talk.speech and "I've kept it" not in kept_talk.speech
    assert kept_talk.speech.endswith("?")


def test_where_kept_a_failed_delete_is_said_plainly(kept_talk, kept_settings):
    kept_talk.launch()
    break_store(kept_settings)
    kept_talk.intent("DeleteDataIntent")
    assert "couldn't delete" in kept_talk.speech and "I've deleted" not in kept_talk.speech


def test_a_check_goes_on_when_the_store_fails_mid_check(kept_talk, kept_settings):
    _mid_check(kept_talk)
    break_store(kept_settings)
    while "asking" in kept_talk.check:
        kept_talk.intent(NO)
    assert kept_talk.check["outcome"] == "call_now"


def test_where_kept_the_welcome_flag_and_history_stay_apart(kept_talk, settings):
    kept_talk.launch()
    kept_talk.intent("StartSymptomCheckIntent")
    while "asking" in kept_talk.check:
        kept_talk.intent(NO)
    kept_talk.intent(NO)  # not kept
    assert stored(settings) == [{"welcomed": True}]  # a finished, declined check leaves only the flag

