"""Alexa's certification functional tests, as a person would meet them: in every state of the
conversation (launch, after an answer, each point of the symptom check, the resume offer where
health data is kept, listening to the article), every intent of the interaction model, through
the real endpoint with request envelopes.

Every reply must be sensible (spoken, never the error apology), keep a check under way and end on
its question, carry a reprompt whenever the session stays open, end with a question when it stays
open, and never invite an answer while closing the session."""

from __future__ import annotations

import copy
import json
import uuid
from pathlib import Path

import pytest

from skill import speech, triage
from skill.web import create_app
from tests.support.envelopes import Conversation, flask_poster, speech_of
from tests.support.guide import ARTICLE

REPO = Path(__file__).resolve().parents[2]
MODEL = json.loads((REPO / "interaction_models" / "en-US.json").read_text())["interactionModel"]["languageModel"]
INTENTS = {i["name"]: [s["name"] for s in i.get("slots", [])] for i in MODEL["intents"]}
BUILT_INS = ["AMAZON.HelpIntent", "AMAZON.StopIntent", "AMAZON.CancelIntent", "AMAZON.FallbackIntent",
             "AMAZON.RepeatIntent", "AMAZON.NavigateHomeIntent"]
ERROR = speech.prompt("general.error")
NO, YES, NOT_SURE = "AMAZON.NoIntent", "AMAZON.YesIntent", "NotSureIntent"


def _no_path_points() -> int:
    """How many questions a person with no symptoms hears."""
    state, asked = triage.start(), 0
    while not triage.is_finished(state):
        state, asked = triage.answer(state, triage.Answer.NO), asked + 1
    return asked


def _answer_no(times: int):
    def drive(talk):
        talk.intent("StartSymptomCheckIntent")
        for _ in range(times):
            talk.intent(NO)
    return drive


def _walk(*turns):
    def drive(talk):
        for name, slots in turns:
            if name == "launch":
                talk.launch()
            elif name == "end":
                talk.end_session()
            else:
                talk.intent(name, slots)
    return drive


def _to_infusion_question(talk):
    talk.intent("ReportSymptomIntent", {"description": "my back aches"})
    while talk.check.get("asking") != ["in_infusion"]:
        talk.intent(NO)


def _finished(talk):
    _answer_no(_no_path_points())(talk)
    assert "outcome" in talk.check


# name -> (the deployment: "default", "kept" where health data is kept, "audio" with the article's
# audio set up; how to get there)
STATES = {
    "launch": ("default", _walk(("launch", None))),
    "after an answer": ("default", _walk(("launch", None), ("SideEffectsIntent", None))),
    "after a decline": ("default", _walk(("AskQuestionIntent", {"query": "what will ivig cost me"}),)),
    **{f"check question {n + 1}": ("default", _answer_no(n)) for n in range(_no_path_points())},
    "check re-ask": ("default", _walk(("StartSymptomCheckIntent", None), (NOT_SURE, None))),
    "check chest pain follow-up": ("default", _walk(("StartSymptomCheckIntent", None), (NO, None), (NO, None),
                                                (YES, None))),
    "check infusion question": ("default", _to_infusion_question),
    "check finished": ("default", _finished),
    "check finished, keep offer": ("kept", _finished),
    "check going, where kept": ("kept", _answer_no(2)),
    "resume offer": ("kept", _walk(("ReportSymptomIntent", {"description": "I feel dizzy"}), ("end", None),
                                 ("launch", None))),
    "listening": ("default", _walk(("ReadArticleIntent", None),)),
    "listening, second part": ("default", _walk(("ReadArticleIntent", None), ("AMAZON.NextIntent", None))),
    "audio playing": ("audio", _walk(("ReadArticleIntent", None),)),
}
PLAYING = {"audio playing"}  # the session ended when the audio began; the device reports it playing


@pytest.fixture(scope="module")
def deployments(tmp_path_factory):
    """The deployments; each test talks as a person of its own."""
    from skill.config import Settings
    from tests.support.envelopes import SKILL_ID
    from tests.support.guide import make_guide

    def make(kind: str):
        folder = tmp_path_factory.mktemp(kind)
        audio = {"audio_dir": make_guide(folder / "audio"), "audio_base_url": "https://ivig.example.org/audio"} \
            if kind == "audio" else {"audio_dir": folder / "audio"}
        return create_app(Settings(skill_id=SKILL_ID, verify_signature=False, verify_timestamp=False,
                                   data_dir=folder / "data", keep_health_data=kind == "kept", **audio))
    return {kind: make(kind) for kind in ("default", "kept", "audio")}


def _playing(post):
    """Alexa's requests while the article's audio plays: the device says so in the context."""
    def send(body):
        body["context"]["AudioPlayer"] = {"playerActivity": "PLAYING", "token": ARTICLE[1].id,
                                          "offsetInMilliseconds": 1000}
        return post(body)
    return send


_REACHED: dict[str, dict] = {}  # state -> the session attributes it leaves (where the session carries it all)
IN_THE_STORE = {"resume offer", "audio playing"}  # states that live in the store too, not only in the session


def _in_state(deployments, state: str) -> Conversation:
    """A new person in that state. Where the store is part of the state, the person gets there
    turn by turn; elsewhere the session carries it all, and the state is reached once."""
    kind, drive = STATES[state]
    post = flask_poster(deployments[kind].test_client())
    talk = Conversation(post, user_id=f"amzn1.ask.account.{uuid.uuid4()}")
    if state in IN_THE_STORE or state not in _REACHED:
        drive(talk)
        assert talk.ended is (state in PLAYING), f"{state}: the session ended on the way there"
        if state in PLAYING:
            talk.post = _playing(post)
        if state not in IN_THE_STORE:
            _REACHED[state] = copy.deepcopy(talk.attributes)
        return talk
    talk.attributes, talk.ended = copy.deepcopy(_REACHED[state]), False
    return talk


def _question_now(talk: Conversation) -> str | None:
    """The symptom check's question as it stands, or None when no check is under way."""
    check = talk.attributes.get("symptom_check", {})
    if "asking" not in check:
        return None
    return triage.question_text(triage.from_dict(check["state"]))


def _slots(name: str) -> dict:
    return {slot: None for slot in INTENTS[name]}  # Alexa sends a slot it could not fill without a value


def assert_certifiable(reply: dict, where: str) -> None:
    response = reply["response"]
    said = speech_of(reply)
    if any(d["type"].startswith("AudioPlayer.") for d in response.get("directives", [])):
        assert response.get("shouldEndSession") is True, f"{where}: audio, and the session left open"
        assert not said.endswith("?"), f"{where}: audio, and a question nobody can answer: {said!r}"
        return
    assert said, f"{where}: nothing said"
    assert ERROR not in said, f"{where}: the error apology"
    ends = response.get("shouldEndSession")
    assert ends in (True, False), f"{where}: the session is left neither open nor closed"
    if ends:
        assert not said.endswith("?"), f"{where}: invites an answer and closes the session: {said!r}"
        return
    reprompt = speech_of({"response": {"outputSpeech": (response.get("reprompt") or {}).get("outputSpeech")}})
    assert reprompt, f"{where}: open without a reprompt"
    assert said.endswith("?"), f"{where}: open, and ends with an instruction: {said!r}"
    assert reprompt.endswith("?"), f"{where}: the reprompt ends with an instruction: {reprompt!r}"


CASES = [(state, name) for state in STATES for name in INTENTS]


@pytest.mark.parametrize("state,name", CASES, ids=[f"{s}|{n}" for s, n in CASES])
def test_every_intent_in_every_state_gets_a_certifiable_reply(deployments, state, name):
    talk = _in_state(deployments, state)
    question = _question_now(talk)
    reply = talk.intent(name, _slots(name))
    where = f"{name} at {state}"
    assert_certifiable(reply, where)
    now = _question_now(talk)
    if question is not None and now is not None:  # the check goes on: its question closes the reply
        assert speech_of(reply).endswith(now), f"{where}: the check's question is not last"
    if question is not None and name not in ("AMAZON.StopIntent", "AMAZON.CancelIntent",
                                             "AMAZON.NavigateHomeIntent", "DeleteDataIntent"):
        assert now is not None or "outcome" in talk.last["sessionAttributes"].get("symptom_check", {}), \
            f"{where}: the check was lost"


@pytest.mark.parametrize("state", list(STATES))
@pytest.mark.parametrize("name", BUILT_INS)
def test_the_built_in_intents_keep_their_meaning_everywhere(deployments, state, name):
    talk = _in_state(deployments, state)
    reply = talk.intent(name)
    said, ends = speech_of(reply), reply["response"]["shouldEndSession"]
    if name in ("AMAZON.StopIntent", "AMAZON.CancelIntent"):
        assert ends is True, f"{name} at {state} does not end the session"
    elif name == "AMAZON.HelpIntent":
        assert ends is False and ("You can" in said or "Answer yes, no, or not sure" in said), said
    elif name == "AMAZON.RepeatIntent":
        assert ends is False
    elif name == "AMAZON.NavigateHomeIntent":
        assert ends is False and said.endswith(speech.prompt("launch.offer")), said


def test_the_suite_covers_every_intent_of_the_model_and_every_check_question():
    assert len(INTENTS) >= 40 and set(BUILT_INS) <= set(INTENTS)
    assert sum(name.startswith("check question") for name in STATES) == _no_path_points() >= 5
