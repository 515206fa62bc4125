"""Listening to the article, through a real ask-sdk skill built from listening.HANDLERS: request
envelopes in (deserialized as Alexa's would be), AudioPlayer directives and the stored place out."""

from __future__ import annotations

import json
import re

import pytest
from ask_sdk_core.attributes_manager import AbstractPersistenceAdapter
from ask_sdk_core.dispatch_components import AbstractRequestHandler, AbstractRequestInterceptor
from ask_sdk_core.serialize import DefaultSerializer
from ask_sdk_core.skill_builder import CustomSkillBuilder
from ask_sdk_model import RequestEnvelope

from skill import audio
from skill.config import Settings
from skill.handlers import listening
from tests.support.envelopes import envelope, intent, speech_of
from tests.support.guide import ARTICLE, make_guide

BASE_URL = "https://ivig.example.org/audio"
USER = "amzn1.ask.account.LISTENER"
SERIALIZER = DefaultSerializer()

FIRST, SECOND, LAST = ARTICLE[0].id, ARTICLE[1].id, ARTICLE[-1].id
SIDE_EFFECTS = "article-is-intravenous-immunoglobulin-a-high-risk"


class DictAdapter(AbstractPersistenceAdapter):
    """Persistent attributes in a dict, keyed by user id, saved as JSON like a real store."""

    def __init__(self):
        self.rows: dict[str, str] = {}

    def get_attributes(self, request_envelope):
        return json.loads(self.rows.get(request_envelope.context.system.user.user_id, "{}"))

    def save_attributes(self, request_envelope, attributes):
        self.rows[request_envelope.context.system.user.user_id] = json.dumps(attributes)

    def delete_attributes(self, request_envelope):
        self.rows.pop(request_envelope.context.system.user.user_id, None)

    def position(self, user: str = USER):
        return json.loads(self.rows.get(user, "{}")).get("listening")


class GiveSettings(AbstractRequestInterceptor):
    def __init__(self, settings):
        self.settings = settings

    def process(self, handler_input):
        handler_input.attributes_manager.request_attributes["settings"] = self.settings


class Elsewhere(AbstractRequestHandler):
    """Stands in for the rest of the skill: whatever listening does not claim lands here."""

    def can_handle(self, handler_input):
        return True

    def handle(self, handler_input):
        return handler_input.response_builder.speak("<speak>handled elsewhere</speak>").response


@pytest.fixture
def audio_dir(tmp_path):
    """A rendered guide: the real article's clip ids, one minute each (the bytes don't matter here)."""
    return make_guide(tmp_path / "audio")


@pytest.fixture
def store():
    return DictAdapter()


@pytest.fixture
def make_alexa(store):
    def make(settings: Settings):
        builder = CustomSkillBuilder(persistence_adapter=store)
        for handler in [*listening.HANDLERS, Elsewhere()]:
            builder.add_request_handler(handler)
        builder.add_global_request_interceptor(GiveSettings(settings))
        skill = builder.create()

        def send(body: dict) -> dict:
            request = SERIALIZER.deserialize(json.dumps(body), RequestEnvelope)
            return SERIALIZER.serialize(skill.invoke(request_envelope=request, context=None))
        return send
    return make


@pytest.fixture
def alexa(make_alexa, audio_dir, tmp_path):
    return make_alexa(Settings(audio_dir=audio_dir, audio_base_url=BASE_URL, data_dir=tmp_path / "data"))


def playing(body: dict, token: str | None, offset: int = 0, activity: str = "PLAYING") -> dict:
    """The envelope with the device's AudioPlayer state in its context."""
    body["context"]["AudioPlayer"] = {"playerActivity": activity, **(
        {"token": token, "offsetInMilliseconds": offset} if token else {})}
    return body


def event(kind: str, token: str | None = None, offset: int = 0, **extra) -> dict:
    """An AudioPlayer or PlaybackController request: no session, as Alexa sends them."""
    request = {"type": kind, **({"token": token, "offsetInMilliseconds": offset} if token else {}), **extra}
    return playing(envelope(request, user_id=USER, with_session=False), token, offset)


def ask(name: str, slots: dict | None = None, **kw) -> dict:
    return intent(name, slots, user_id=USER, **kw)


def heard(reply: dict) -> str:
    """What the person hears: the speech without its SSML."""
    return re.sub(r"\s+([,.?!:])", r"\1", speech_of(reply))


def plays(reply: dict) -> list[dict]:
    return [d for d in reply["response"].get("directives", []) if d["type"] == "AudioPlayer.Play"]


def the_stream(reply: dict) -> dict:
    [play] = plays(reply)
    return play["audioItem"]["stream"]


def file_of(clip_id: str, audio_dir) -> str:
    return audio.load_manifest(audio_dir).clips[clip_id].file


# --- "read the article" -----------------------------------------------------------------------------


def test_read_the_article_plays_it_from_the_start(alexa, store, audio_dir):
    reply = alexa(ask("ReadArticleIntent"))

    [play] = plays(reply)
    assert play["playBehavior"] == "REPLACE_ALL"
    assert play["audioItem"]["stream"] == {"token": FIRST, "url": f"{BASE_URL}/{file_of(FIRST, audio_dir)}",
                                           "offsetInMilliseconds": 0}
    assert play["audioItem"]["metadata"]["title"] == ARTICLE[0].title
    assert reply["response"]["shouldEndSession"] is True
    assert heard(reply).startswith("Here's the Cleveland Clinic article about IVIG, read aloud.")
    assert store.position() == {"version": 1, "clip": FIRST, "offset_ms": 0}


@pytest.mark.parametrize("said, part", [
    ("side effects", SIDE_EFFECTS),
    ("Risks", SIDE_EFFECTS),
    ("preparing", "article-how-do-i-prepare-for-an-ivig-infusion"),
    ("how long", "article-how-long-will-i-need-ivig"),
    ("how long the infusion takes", "article-what-can-i-expect-from-an-ivig-treatment"),
    ("when should i see my healthcare provider", "article-when-should-i-see-my-healthcare-provider"),
])
def test_read_one_part_of_the_article(alexa, said, part):
    reply = alexa(ask("ReadArticleIntent", {"section": said}))
    assert the_stream(reply)["token"] == part
    assert heard(reply) == f"Here's the part of the article about {said}."


def test_alexas_resolved_slot_value_is_used(alexa):
    body = ask("ReadArticleIntent", {"section": "the bad reactions"})
    body["request"]["intent"]["slots"]["section"]["resolutions"] = {"resolutionsPerAuthority": [{
        "authority": "amzn1.er-authority.echo-sdk.SKILL.SECTION_NAME",
        "status": {"code": "ER_SUCCESS_MATCH"},
        "values": [{"value": {"name": "side effects", "id": SIDE_EFFECTS}}]}]}
    assert the_stream(alexa(body))["token"] == SIDE_EFFECTS


def test_an_unknown_part_plays_from_the_start_and_says_so(alexa):
    reply = alexa(ask("ReadArticleIntent", {"section": "dosage in grams"}))
    assert the_stream(reply)["token"] == FIRST
    assert heard(reply).startswith("I couldn't find a part of the article about dosage in grams")


# --- when it can't play -----------------------------------------------------------------------------


CANNOT_PLAY = ["no base url", "http base url", "not rendered", "no audio player"]


def cannot_play(make_alexa, audio_dir, tmp_path, setup):
    """The skill where the article's audio can't be played, and a way to say things to it."""
    settings = Settings(audio_dir=tmp_path / "empty" if setup == "not rendered" else audio_dir,
                        audio_base_url={"no base url": None, "http base url": "http://ivig.example.org/audio"}.get(
                            setup, BASE_URL))
    alexa = make_alexa(settings)

    def send(body):
        if setup == "no audio player":
            body["context"]["System"]["device"]["supportedInterfaces"] = {}
        return alexa(body)
    return send


@pytest.mark.parametrize("setup", CANNOT_PLAY)
@pytest.mark.parametrize("name", ["ReadArticleIntent", "AMAZON.StartOverIntent"])
def test_when_it_cannot_play_the_article_is_read_in_spoken_parts(make_alexa, audio_dir, tmp_path, setup, name):
    send = cannot_play(make_alexa, audio_dir, tmp_path, setup)
    reply = send(playing(ask(name), SECOND, 5000))
    assert plays(reply) == []
    assert ARTICLE[0].text in speech_of(reply) and heard(reply).endswith("Shall I go on?")
    assert reply["response"]["shouldEndSession"] is False
    assert reply["sessionAttributes"]["reading"] == {"part": 0}
    assert "next, previous, repeat, or stop" in reply["response"]["reprompt"]["outputSpeech"]["ssml"]


@pytest.mark.parametrize("setup", CANNOT_PLAY)
@pytest.mark.parametrize("name", ["AMAZON.ResumeIntent", "AMAZON.NextIntent", "AMAZON.PreviousIntent"])
def test_when_it_cannot_play_moving_offers_to_read_it_and_yes_does(make_alexa, audio_dir, tmp_path, setup, name):
    send = cannot_play(make_alexa, audio_dir, tmp_path, setup)
    reply = send(playing(ask(name), SECOND, 5000))
    assert plays(reply) == [] and heard(reply).endswith("?") and reply["response"]["shouldEndSession"] is False
    yes = send(ask("AMAZON.YesIntent", attributes=reply["sessionAttributes"]))
    assert ARTICLE[0].text in speech_of(yes) and plays(yes) == []


def test_a_button_press_that_cannot_play_gets_an_empty_answer(make_alexa, audio_dir):
    reply = make_alexa(Settings(audio_dir=audio_dir, audio_base_url=None))(
        event("PlaybackController.PlayCommandIssued"))
    assert reply["response"] == {}


# --- pause, stop and resume after a break -------------------------------------------------------------


def test_pause_stops_and_resume_after_a_break_carries_on_there(alexa, store, audio_dir, make_alexa, tmp_path):
    paused = alexa(playing(ask("AMAZON.PauseIntent"), SECOND, 42_000))
    assert [d["type"] for d in paused["response"]["directives"]] == ["AudioPlayer.Stop"]
    assert store.position() == {"version": 1, "clip": SECOND, "offset_ms": 42_000}

    stopped = alexa(event("AudioPlayer.PlaybackStopped", SECOND, 42_350))
    assert stopped["response"] == {}
    assert store.position()["offset_ms"] == 42_350

    later = make_alexa(Settings(audio_dir=audio_dir, audio_base_url=BASE_URL))  # a new process, same store
    resumed = later(playing(ask("AMAZON.ResumeIntent", new=True), None, activity="IDLE"))
    assert the_stream(resumed) == {"token": SECOND, "url": f"{BASE_URL}/{file_of(SECOND, audio_dir)}",
                                   "offsetInMilliseconds": 42_350}
    assert resumed["response"]["shouldEndSession"] is True


def test_stop_while_the_article_plays_stops_the_audio_and_keeps_the_place(alexa, store):
    reply = alexa(playing(ask("AMAZON.StopIntent"), SIDE_EFFECTS, 9_000))
    assert [d["type"] for d in reply["response"]["directives"]] == ["AudioPlayer.Stop"]
    assert store.position() == {"version": 1, "clip": SIDE_EFFECTS, "offset_ms": 9_000}


def test_stop_when_nothing_plays_is_left_to_the_rest_of_the_skill(alexa):
    reply = alexa(playing(ask("AMAZON.CancelIntent"), SECOND, 9_000, activity="STOPPED"))
    assert heard(reply) == "handled elsewhere"


def test_pause_when_nothing_plays_says_so_and_keeps_the_conversation(alexa):
    reply = alexa(ask("AMAZON.PauseIntent"))
    assert heard(reply).startswith("Nothing is playing right now.")
    assert "directives" not in reply["response"] and reply["response"]["shouldEndSession"] is False


def test_resume_with_nothing_paused_says_so(alexa):
    assert heard(alexa(ask("AMAZON.ResumeIntent"))).startswith("There's nothing paused right now.")


@pytest.mark.parametrize("stored, resumes_at", [
    ({"version": 1, "clip": "../../etc/passwd", "offset_ms": 10}, None),
    ({"version": 1, "clip": "topic-what-is-ivig", "offset_ms": 10}, None),
    ({"version": 99, "clip": SECOND, "offset_ms": 10}, None),
    ("not a dict", None),
    ({"version": 1, "clip": SECOND, "offset_ms": -5}, (SECOND, 0)),
    ({"version": 1, "clip": SECOND, "offset_ms": 61_000}, (SECOND, 0)),
    ({"version": 1, "clip": SECOND, "offset_ms": "10"}, (SECOND, 0)),
])
def test_a_stale_or_forged_place_is_never_trusted(alexa, store, stored, resumes_at):
    store.rows[USER] = json.dumps({"listening": stored, "other": "kept"})
    reply = alexa(ask("AMAZON.ResumeIntent"))
    if resumes_at is None:
        assert plays(reply) == [] and heard(reply).startswith("There's nothing paused")
    else:
        stream = the_stream(reply)
        assert (stream["token"], stream["offsetInMilliseconds"]) == resumes_at
    assert json.loads(store.rows[USER])["other"] == "kept"


# --- next, previous, start over, loop and shuffle ---------------------------------------------------


@pytest.mark.parametrize("name, current, expected", [
    ("AMAZON.NextIntent", FIRST, SECOND),
    ("AMAZON.PreviousIntent", SECOND, FIRST),
    ("AMAZON.PreviousIntent", FIRST, FIRST),
    ("AMAZON.StartOverIntent", SIDE_EFFECTS, FIRST),
])
def test_moving_between_parts(alexa, store, name, current, expected):
    reply = alexa(playing(ask(name), current, 30_000))
    assert the_stream(reply)["token"] == expected and the_stream(reply)["offsetInMilliseconds"] == 0
    assert store.position() == {"version": 1, "clip": expected, "offset_ms": 0}


def test_next_after_the_last_part_says_the_article_is_over(alexa):
    reply = alexa(playing(ask("AMAZON.NextIntent"), LAST, 30_000))
    assert plays(reply) == [] and heard(reply).startswith("That was the last part of the article.")


def test_next_with_nothing_playing_uses_the_saved_place(alexa, store):
    store.rows[USER] = json.dumps({"listening": {"version": 1, "clip": FIRST, "offset_ms": 500}})
    assert the_stream(alexa(ask("AMAZON.NextIntent")))["token"] == SECOND


@pytest.mark.parametrize("name", ["AMAZON.LoopOnIntent", "AMAZON.LoopOffIntent",
                                  "AMAZON.ShuffleOnIntent", "AMAZON.ShuffleOffIntent"])
def test_loop_and_shuffle_are_politely_unsupported(alexa, name):
    reply = alexa(playing(ask(name), SECOND, 1_000))
    assert heard(reply).startswith("Sorry, I can't loop or shuffle the article")
    assert "directives" not in reply["response"]
    assert "say" not in heard(reply).lower()  # the session ends: nothing to tell the person to say
    assert reply["response"]["shouldEndSession"] is True


@pytest.mark.parametrize("name", ["AMAZON.LoopOnIntent", "AMAZON.LoopOffIntent",
                                  "AMAZON.ShuffleOnIntent", "AMAZON.ShuffleOffIntent"])
def test_loop_and_shuffle_with_nothing_playing_keep_the_conversation_with_a_question(alexa, name):
    reply = alexa(ask(name))
    assert heard(reply).startswith("Sorry, I can't loop or shuffle the article") and heard(reply).endswith("?")
    assert reply["response"]["shouldEndSession"] is False and "reprompt" in reply["response"]
    yes = alexa(ask("AMAZON.YesIntent", attributes=reply["sessionAttributes"]))
    assert the_stream(yes)["token"] == FIRST


# --- the device's playback events --------------------------------------------------------------------


def test_nearly_finished_queues_the_next_part(alexa, audio_dir, store):
    reply = alexa(event("AudioPlayer.PlaybackNearlyFinished", FIRST, 55_000))
    [play] = plays(reply)
    assert play["playBehavior"] == "ENQUEUE"
    assert play["audioItem"]["stream"] == {"token": SECOND, "url": f"{BASE_URL}/{file_of(SECOND, audio_dir)}",
                                           "offsetInMilliseconds": 0, "expectedPreviousToken": FIRST}
    assert set(reply["response"]) == {"directives"}  # no speech, no shouldEndSession to an event


def test_nearly_finished_on_the_last_part_queues_nothing(alexa):
    assert alexa(event("AudioPlayer.PlaybackNearlyFinished", LAST, 55_000))["response"] == {}


def test_started_and_finished_move_the_place_along(alexa, store):
    assert alexa(event("AudioPlayer.PlaybackStarted", SECOND, 0))["response"] == {}
    assert store.position() == {"version": 1, "clip": SECOND, "offset_ms": 0}
    assert alexa(event("AudioPlayer.PlaybackFinished", SECOND, 60_000))["response"] == {}
    assert store.position() == {"version": 1, "clip": ARTICLE[2].id, "offset_ms": 0}
    alexa(event("AudioPlayer.PlaybackFinished", LAST, 60_000))
    assert store.position() is None


def test_a_failed_playback_is_logged_and_the_place_kept(alexa, store, caplog):
    store.rows[USER] = json.dumps({"listening": {"version": 1, "clip": SECOND, "offset_ms": 7}})
    reply = alexa(event("AudioPlayer.PlaybackFailed", SECOND, 7, error={
        "type": "MEDIA_ERROR_SERVICE_UNAVAILABLE", "message": "503 from https://ivig.example.org/audio/x"}))
    assert reply["response"] == {}
    assert store.position() == {"version": 1, "clip": SECOND, "offset_ms": 7}
    assert "MEDIA_ERROR_SERVICE_UNAVAILABLE" in caplog.text and "ivig.example.org" not in caplog.text


def test_events_for_unknown_tokens_change_nothing(alexa, store):
    alexa(event("AudioPlayer.PlaybackStopped", "someone-elses-stream", 10))
    assert store.position() is None


# --- the device's buttons ----------------------------------------------------------------------------


def test_the_play_button_resumes_or_starts(alexa, store):
    assert the_stream(alexa(event("PlaybackController.PlayCommandIssued")))["token"] == FIRST
    store.rows[USER] = json.dumps({"listening": {"version": 1, "clip": SECOND, "offset_ms": 1234}})
    reply = alexa(event("PlaybackController.PlayCommandIssued"))
    assert (the_stream(reply)["token"], the_stream(reply)["offsetInMilliseconds"]) == (SECOND, 1234)
    assert "outputSpeech" not in reply["response"] and "shouldEndSession" not in reply["response"]


@pytest.mark.parametrize("kind, expected", [
    ("PlaybackController.NextCommandIssued", ARTICLE[2].id),
    ("PlaybackController.PreviousCommandIssued", FIRST),
])
def test_next_and_previous_buttons(alexa, kind, expected):
    reply = alexa(playing(event(kind), SECOND, 10_000))
    assert the_stream(reply)["token"] == expected and "outputSpeech" not in reply["response"]


def test_the_pause_button_stops_and_keeps_the_place(alexa, store):
    reply = alexa(playing(event("PlaybackController.PauseCommandIssued"), SECOND, 3_000))
    assert reply["response"] == {"directives": [{"type": "AudioPlayer.Stop"}]}
    assert store.position() == {"version": 1, "clip": SECOND, "offset_ms": 3_000}


# --- the words of the SECTION_NAME slot ---------------------------------------------------------------


def test_section_names_cover_every_part_once_in_the_models_alphabet():
    names = listening.section_names()
    assert list(names) == list(dict.fromkeys(t.section for t in ARTICLE))
    assert set(listening._content()["section_names"]) <= set(names), "a name for a part that no longer exists"
    every = [name for part in names.values() for name in part]
    assert len(every) == len(set(every)), "one name for two parts"
    assert all(re.fullmatch(r"[a-z']+(?: [a-z']+)*", name) for name in every)
