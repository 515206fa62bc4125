"""End to end with an Alexa emulator: Bespoken's virtual-alexa reads interaction_models/en-US.json,
turns utterances into request envelopes itself and posts them to a real `ivig-skill serve
--no-verify` on 127.0.0.1 (driver.js). What virtual-alexa cannot say (the "tell me {query}"
carriers, a fallback) is sent with its intend() and checked again with our own envelopes.

Setup: `npm ci` in tests/emulator (.ci/run does it). Skipped only when node is not installed."""

from __future__ import annotations

import re

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from skill import nlu
from tests.support.envelopes import Conversation, speech_of
from tests.support.server import Server

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
MODEL = REPO / "interaction_models" / "en-US.json"

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """A deployment that keeps health data: one journey stops a check and resumes it."""
    srv = Server(tmp_path_factory.mktemp("server"), "--no-verify", env={"IVIG_KEEP_HEALTH_DATA": "true"})
    yield srv
    srv.stop()


@pytest.fixture(scope="module")
def journeys(server) -> dict:
    """Runs driver.js once against the module's server; its journeys, by name."""
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed: the virtual-alexa tests need Node.js 18 or newer")
    if not (HERE / "node_modules" / "virtual-alexa").is_dir():
        pytest.fail("virtual-alexa is not installed: run `npm ci` in tests/emulator", pytrace=False)
    done = subprocess.run([node, str(HERE / "driver.js"), server.url + "/alexa", str(MODEL)],
                          capture_output=True, text=True, cwd=HERE, timeout=120,
                          env={**os.environ, "AWS_SDK_JS_SUPPRESS_MAINTENANCE_MODE_MESSAGE": "1"})
    lines = done.stdout.strip().splitlines()
    assert lines, f"driver.js printed nothing (exit {done.returncode}):\n{done.stderr}\n{server.output()}"
    result = json.loads(lines[-1])
    assert result["ok"] and done.returncode == 0, f"{result.get('error')}\n{done.stderr}\n{server.output()}"
    return result["journeys"]


def ask_json(*questions: str) -> list[dict]:
    """What `ivig-skill ask --json -` answers, one object per question (the contract to match)."""
    script = Path(sys.executable).with_name("ivig-skill")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "skill"]
    done = subprocess.run([*command, "ask", "--json", "-"], input="\n".join(questions) + "\n",
                          capture_output=True, text=True, cwd=REPO, timeout=60, check=True)
    return [json.loads(line) for line in done.stdout.splitlines()]


def _step(journey: list[dict], said) -> dict:
    return next(s for s in journey if s["said"] == said)


def _checking(step: dict) -> dict:
    return step["response"]["symptom_check"] or {}


# --- launch and questions ---------------------------------------------------------------------

def test_open_is_a_launch_in_a_new_session(journeys):
    step = journeys["questions"][0]
    assert step["request"]["type"] == "LaunchRequest" and step["request"]["new_session"] is True
    assert "Welcome" in step["response"]["ssml"] and step["response"]["should_end_session"] is False


def test_a_topic_question_by_utterance_answers_like_ivig_skill_ask(journeys):
    step = _step(journeys["questions"], "what is intravenous immunoglobulin")
    assert step["request"]["intent"] == "WhatIsIvigIntent"
    (asked,) = ask_json("what is intravenous immunoglobulin")
    # The same answer; free words open by saying what they answer, a topic intent need not.
    said = re.sub(r"<[^>]+>", "", step["response"]["ssml"])
    assert asked["understood"] and asked["speech"] == f"{asked['understood']} {said}"


def test_yes_to_more_gives_the_detail(journeys):
    first, more = journeys["questions"][1], journeys["questions"][2]
    assert more["request"]["intent"] == "AMAZON.YesIntent"
    assert more["response"]["ssml"] != first["response"]["ssml"] and "Want to hear more" not in more["response"]["ssml"]


def test_a_free_question_fills_the_search_query_and_answers_like_ivig_skill_ask(journeys):
    step = _step(journeys["questions"], "i want to know how long does it take")
    assert step["request"]["intent"] == "AskQuestionIntent"
    assert step["request"]["slots"]["query"]["value"] == "how long does it take"
    (asked,) = ask_json("how long does it take")
    assert asked["topic"] != "out_of_scope"
    assert step["response"]["ssml"] == asked["ssml"]


def test_tell_me_carrier_that_virtual_alexa_cannot_utter(journeys, server):
    """virtual-alexa turns any utterance containing "tell" into a launch, so "tell me how long does
    it take" goes as intend(); our own envelope, from our NLU's reading of the words, must agree."""
    by_intend = _step(journeys["questions"], {"intend": "AskQuestionIntent",
                                              "slots": {"query": "how long does it take"}})
    understood = nlu.understand("tell me how long does it take")
    assert (understood.intent, understood.slot("query")) == ("AskQuestionIntent", "how long does it take")
    talk = Conversation(server.post, user_id="amzn1.ask.account.EMULATOR-ENVELOPES")
    talk.launch()
    reply = talk.intent(understood.intent, understood.slot_values)
    assert reply["response"]["outputSpeech"]["ssml"] == by_intend["response"]["ssml"]
    assert "several hours" in speech_of(reply)


def test_a_custom_slot_synonym_resolves_to_its_id(journeys):
    step = _step(journeys["questions"], "read me about side effects")
    model = json.loads(MODEL.read_text(encoding="utf-8"))["interactionModel"]["languageModel"]
    (section,) = [t for t in model["types"] if t["name"] == "SECTION_NAME"]
    expected = next(v["id"] for v in section["values"]
                    if "side effects" in (v["name"]["value"], *v["name"].get("synonyms", [])))
    assert step["request"]["intent"] == "ReadArticleIntent"
    assert step["request"]["slots"]["section"] == {"value": "side effects", "id": expected}
    assert step["response"]["ssml"] and step["response"]["should_end_session"] is False


def test_fallback_apologises_and_keeps_listening(journeys):
    step = _step(journeys["questions"], {"intend": "AMAZON.FallbackIntent"})
    assert "Sorry" in step["response"]["ssml"] and step["response"]["should_end_session"] is False


def test_stop_says_goodbye_and_ends_the_session(journeys):
    step = journeys["questions"][-1]
    assert step["request"]["intent"] == "AMAZON.StopIntent"
    assert "Goodbye" in step["response"]["ssml"] and step["response"]["should_end_session"] is True


# --- the symptom check ------------------------------------------------------------------------

def test_a_check_with_no_symptoms_by_utterances(journeys):
    steps = journeys["check_no_symptoms"]
    assert steps[0]["request"]["type"] == "IntentRequest" and steps[0]["request"]["new_session"] is True
    assert steps[0]["request"]["intent"] == "StartSymptomCheckIntent"
    questions = steps[:-1]
    for step in questions:
        assert _checking(step)["asking"], step  # every question says which ids it covers
        assert step["response"]["should_end_session"] is False
    not_sure = _step(steps, "i'm not sure")
    assert not_sure["request"]["intent"] == "NotSureIntent"
    assert _checking(not_sure)["asking"] == _checking(steps[1])["asking"]  # asked again, plainer
    assert len(questions) <= 10  # at most 9 questions, and one plain-words re-ask
    assert _checking(steps[-1])["outcome"] == "no_call"
    assert {i for s in questions for i in _checking(s)["asking"]} >= {"breathing", "chest_pain", "headache"}


def test_a_stopped_check_is_offered_again_and_an_emergency_ends_it(journeys):
    steps = journeys["check_stopped_and_resumed"]
    maybe = _step(steps, "maybe")
    assert maybe["request"]["intent"] == "NotSureIntent"
    helped = _step(steps, "help")
    assert _checking(helped)["asking"] == _checking(maybe)["asking"]
    stop = _step(steps, "stop")
    assert stop["response"]["should_end_session"] is True and "911" in stop["response"]["ssml"]
    relaunch = steps[steps.index(stop) + 1]
    assert relaunch["request"]["type"] == "LaunchRequest" and relaunch["request"]["new_session"] is True
    assert "continue" in relaunch["response"]["ssml"]
    resumed = _step(steps, "yes")
    assert _checking(resumed)["asking"] == _checking(maybe)["asking"]
    emergency = steps[-1]
    assert emergency["request"]["intent"] == "ReportSymptomIntent"
    assert emergency["request"]["slots"]["symptom"]["value"] == "can't catch my breath"  # via the SYMPTOM slot
    assert (_checking(emergency)["outcome"], _checking(emergency)["reported"]) == ("emergency", ["breathing"])
    assert emergency["response"]["ssml"].startswith("<speak>This could be an emergency. Call")
    assert "911" in emergency["response"]["ssml"] and emergency["response"]["should_end_session"] is True


def test_an_emergency_in_own_words_at_the_opening(journeys):
    start, words = journeys["emergency_at_once"]
    assert start["request"]["intent"] == "StartSymptomCheckIntent" and start["request"]["new_session"] is True
    assert words["request"]["intent"] == "ReportSymptomIntent"
    assert words["request"]["slots"]["symptom"]["value"] == "throat feels tight"  # via the SYMPTOM slot
    assert _checking(words)["outcome"] == "emergency" and "throat_swelling" in _checking(words)["reported"]
    assert "911" in words["response"]["ssml"] and words["response"]["should_end_session"] is True


def test_exit_sends_session_ended(journeys):
    step = journeys["exit"][-1]
    assert step["said"] == "exit" and step["request"]["type"] == "SessionEndedRequest"


# virtual-alexa (and perhaps Alexa) resolves "go back" to AMAZON.PreviousIntent; mid-check it must go back.
def test_go_back_mid_check_said_as_previous_goes_back(journeys):
    start, first_no, back = journeys["go_back_mid_check"]
    assert back["request"]["intent"] == "AMAZON.PreviousIntent"
    assert _checking(back)["asking"] == _checking(start)["asking"]
    assert "go back" in back["response"]["ssml"].lower()
