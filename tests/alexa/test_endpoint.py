"""The skill's frame through the real Flask endpoint: every built-in request gets a
sensible spoken reply, and anything that is not an Alexa request gets HTTP 400."""

from __future__ import annotations

import json

import pytest

from tests.support.envelopes import intent, launch, session_ended, speech_of


def post(client, body: dict):
    return client.post("/alexa", data=json.dumps(body), content_type="application/json")


def test_health(client):
    response = client.get("/health")
    assert response.status_code == 200 and response.get_json()["status"] == "ok"


def test_launch_welcomes_offers_the_check_and_says_what_it_is_not(client):
    reply = post(client, launch()).get_json()
    words = speech_of(reply)
    assert "symptoms" in words and "Cleveland Clinic" in words and "not medical advice" in words
    assert "911" in words
    assert reply["response"]["reprompt"]["outputSpeech"]["ssml"].startswith("<speak>")
    assert reply["response"]["shouldEndSession"] is False


@pytest.mark.parametrize("locale,number,said", [("en-GB", "999", "nine nine nine"), ("en-AU", "000", "triple zero"),
                                               ("en-IN", "112", "one one two"), ("en-CA", "911", "nine one one"),
                                               ("en-US", "911", "nine one one")])
def test_launch_names_the_locales_emergency_number_as_people_there_say_it(client, locale, number, said):
    reply = post(client, launch(locale=locale)).get_json()
    assert number in speech_of(reply)
    assert f'<sub alias="{said}">{number}</sub>' in reply["response"]["outputSpeech"]["ssml"]


@pytest.mark.parametrize("name,expected,ends", [
    ("AMAZON.HelpIntent", "You can ask me about IVIG", False),
    ("AMAZON.StopIntent", "Goodbye", True),
    ("AMAZON.CancelIntent", "Goodbye", True),
    ("AMAZON.FallbackIntent", "Sorry, I didn't understand", False),
    ("AMAZON.NavigateHomeIntent", "ask a question, or check your symptoms", False),
    ("SomethingNobodyDefinedIntent", "Sorry, I didn't understand", False),
    ("AMAZON.YesIntent", "I wasn't asking a yes or no question", False),
    ("AMAZON.NoIntent", "Goodbye", True),
    ("GoBackIntent", "nothing to go back to", False),
])
def test_builtin_intents_get_a_spoken_reply(client, name, expected, ends):
    reply = post(client, intent(name)).get_json()
    assert expected in speech_of(reply)
    assert bool(reply["response"].get("shouldEndSession")) is ends
    if not ends:
        assert reply["response"]["reprompt"]["outputSpeech"]["ssml"]


def test_ivig_is_spelled_out_in_ssml(client):
    ssml = post(client, intent("AMAZON.HelpIntent")).get_json()["response"]["outputSpeech"]["ssml"]
    assert '<say-as interpret-as="characters">IVIG</say-as>' in ssml


def test_session_ended_gets_an_empty_response(client):
    response = post(client, session_ended("ERROR"))
    assert response.status_code == 200
    assert "outputSpeech" not in response.get_json()["response"]


def test_repeat_says_the_last_reply_again(talk):
    talk.launch()
    first = talk.speech
    talk.intent("AMAZON.RepeatIntent")
    assert talk.speech == first


def test_repeat_with_nothing_said_yet(client):
    assert "haven't said anything" in speech_of(post(client, intent("AMAZON.RepeatIntent")).get_json())


@pytest.mark.parametrize("data,content_type,status", [
    (b"{not json", "application/json", 400),
    (b"", "application/json", 400),
    (b'{"version": "1.0"}', "application/json", 400),
    (b"[1, 2, 3]", "application/json", 400),
    (b'{"request": {"type": 7}}', "application/json", 400),
    (b'{"request": {"type": "LaunchRequest"}}', "text/plain", 400),
    (b"\xff\xfe\x00garbage", "application/json", 400),
])
def test_bad_bodies_are_refused_with_400(client, data, content_type, status):
    response = client.post("/alexa", data=data, content_type=content_type)
    assert response.status_code == status
    assert "error" in response.get_json()


def test_a_huge_body_is_refused_unread(client, settings):
    body = b'{"request": {"type": "LaunchRequest"}, "pad": "' + b"x" * settings.max_body_bytes + b'"}'
    assert client.post("/alexa", data=body, content_type="application/json").status_code == 400


def test_an_envelope_with_nonsense_context_is_refused(client):
    body = launch()
    body["request"]["timestamp"] = {"not": "a time"}
    body["context"] = "nonsense"
    assert post(client, body).status_code == 400


def test_get_on_the_alexa_path_is_not_allowed(client):
    assert client.get("/alexa").status_code == 405


def test_an_error_inside_the_skill_is_a_spoken_sorry_and_logs_no_personal_data(client, caplog):
    body = intent("DeleteDataIntent")
    del body["context"]["System"]["user"]  # persistence needs a user id: the handler fails
    del body["session"]["user"]
    response = post(client, body)
    assert response.status_code == 200
    assert "Sorry, something went wrong" in speech_of(response.get_json())
    assert "PersistenceException" in caplog.text
    assert "amzn1.ask.account" not in caplog.text


@pytest.mark.parametrize("request_type", [
    "AudioPlayer.PlaybackStarted", "AudioPlayer.PlaybackNearlyFinished", "AudioPlayer.PlaybackFinished",
    "AudioPlayer.PlaybackStopped", "AudioPlayer.PlaybackFailed", "PlaybackController.PlayCommandIssued",
    "PlaybackController.PauseCommandIssued", "PlaybackController.NextCommandIssued",
    "PlaybackController.PreviousCommandIssued", "System.ExceptionEncountered",
])
def test_requests_outside_a_session_get_a_response_without_speech(client, request_type):
    from tests.support.envelopes import envelope

    extra = {"token": "article-introduction", "offsetInMilliseconds": 1200}
    if request_type == "AudioPlayer.PlaybackFailed":
        extra["error"] = {"type": "MEDIA_ERROR_UNKNOWN", "message": "x"}
    if request_type == "System.ExceptionEncountered":
        extra = {"error": {"type": "INVALID_RESPONSE", "message": "x"}, "cause": {"requestId": "r"}}
    body = envelope({"type": request_type, **extra}, with_session=False)
    response = post(client, body)
    assert response.status_code == 200
    assert "outputSpeech" not in response.get_json()["response"]


@pytest.mark.parametrize("mutate", [
    lambda b: b.pop("session"),
    lambda b: b["request"].pop("intent"),
    lambda b: b["request"].__setitem__("intent", None),
    lambda b: b["request"]["intent"].__setitem__("slots", ["a", "b"]),
    lambda b: b["request"]["intent"].__setitem__("name", 42),
], ids=["no session", "no intent", "null intent", "slots as a list", "numeric intent name"])
def test_envelopes_of_the_wrong_shape_are_refused_with_400(client, mutate):
    body = intent("AMAZON.HelpIntent")
    mutate(body)
    assert post(client, body).status_code == 400


def test_a_forged_last_topic_is_not_a_crash(client):
    body = intent("AMAZON.YesIntent", attributes={"pending": "more", "last_topic": ["x"]})
    reply = post(client, body).get_json()
    assert "I can tell you" in speech_of(reply)


def test_start_over_with_nothing_going_on_goes_back_to_the_start(client):
    reply = post(client, intent("AMAZON.StartOverIntent")).get_json()
    assert speech_of(reply) == "What would you like: ask a question, or check your symptoms?"
