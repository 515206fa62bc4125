"""Listening through the real endpoint: the whole skill, its SQLite store, and playback
events the way Alexa sends them (outside any session)."""

from __future__ import annotations

import dataclasses
import json

import pytest

from skill.web import create_app
from tests.support.envelopes import envelope, intent, speech_of
from tests.support.guide import ARTICLE, make_guide

BASE_URL = "https://ivig.example.org/audio"
USER = "amzn1.ask.account.LISTENER"


@pytest.fixture
def listening_client(settings, tmp_path):
    directory = make_guide(tmp_path / "guide")
    app = create_app(dataclasses.replace(settings, audio_dir=directory, audio_base_url=BASE_URL))
    return app.test_client()


def post(client, body):
    response = client.post("/alexa", data=json.dumps(body), content_type="application/json")
    assert response.status_code == 200
    return response.get_json()


def play_directive(reply: dict) -> dict:
    [directive] = [d for d in reply["response"].get("directives", []) if d["type"] == "AudioPlayer.Play"]
    return directive["audioItem"]["stream"]


def test_read_the_article_then_stop_then_resume_where_it_stopped(listening_client):
    stream = play_directive(post(listening_client, intent("ReadArticleIntent", user_id=USER)))
    assert stream["url"].startswith(BASE_URL + "/") and stream["token"] == ARTICLE[0].id
    stopped = envelope({"type": "AudioPlayer.PlaybackStopped", "token": ARTICLE[0].id,
                        "offsetInMilliseconds": 4321}, user_id=USER, with_session=False)
    assert "outputSpeech" not in post(listening_client, stopped)["response"]
    resumed = play_directive(post(listening_client, intent("AMAZON.ResumeIntent", user_id=USER)))
    assert (resumed["token"], resumed["offsetInMilliseconds"]) == (ARTICLE[0].id, 4321)


def test_nearly_finished_enqueues_the_next_part(listening_client):
    post(listening_client, intent("ReadArticleIntent", user_id=USER))
    nearly = envelope({"type": "AudioPlayer.PlaybackNearlyFinished", "token": ARTICLE[0].id,
                       "offsetInMilliseconds": 59000}, user_id=USER, with_session=False)
    reply = post(listening_client, nearly)
    [directive] = reply["response"]["directives"]
    assert directive["playBehavior"] == "ENQUEUE"
    assert directive["audioItem"]["stream"]["token"] == ARTICLE[1].id


def test_without_audio_read_me_the_article_reads_it_in_spoken_parts(talk):
    talk.intent("ReadArticleIntent")
    assert "directives" not in talk.last["response"] and talk.last["response"]["shouldEndSession"] is False
    assert talk.speech.startswith("Here's the Cleveland Clinic article about IVIG, read in parts")
    assert ARTICLE[0].text in talk.speech and talk.speech.endswith("Shall I go on?")
    talk.intent("AMAZON.NextIntent")
    assert talk.speech == ARTICLE[1].text + " Shall I go on?"
    talk.intent("AMAZON.YesIntent")
    assert talk.speech.startswith(ARTICLE[2].text)
    talk.intent("AMAZON.PreviousIntent")
    assert talk.speech.startswith(ARTICLE[1].text)
    said = talk.speech
    talk.intent("AMAZON.RepeatIntent")
    assert talk.speech == said
    talk.intent("AMAZON.PauseIntent")
    assert "stopped reading" in talk.speech and talk.speech.endswith("?")
    talk.intent("AMAZON.ResumeIntent")
    assert talk.speech.startswith(ARTICLE[1].text)
    for _ in range(len(ARTICLE) + 1):
        if "reading" not in talk.attributes:
            break
        talk.intent("AMAZON.NextIntent")
    assert talk.speech.startswith("That's the end of the article") and talk.speech.endswith("?")
    assert talk.last["response"]["shouldEndSession"] is False


def test_reading_a_part_asked_for_starts_there_and_no_stops_reading(talk):
    talk.intent("ReadArticleIntent", {"section": "side effects"})
    part = next(p for p in ARTICLE if p.section == "article-is-intravenous-immunoglobulin-a-high-risk")
    assert talk.speech.startswith("Here's the part of the article about side effects.") and part.text in talk.speech
    talk.intent("AMAZON.NoIntent")
    assert talk.speech.endswith("?") and "reading" not in talk.attributes
    assert talk.last["response"]["shouldEndSession"] is False


def test_stop_while_reading_says_goodbye(talk):
    talk.intent("ReadArticleIntent")
    talk.intent("AMAZON.StopIntent")
    assert talk.last["response"]["shouldEndSession"] is True and "Goodbye" in talk.speech
