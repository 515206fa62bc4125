"""A real `ivig-skill serve` process on 127.0.0.1, driven over real HTTP."""

from __future__ import annotations

import json
import subprocess
import sys
import urllib.request

import pytest

from tests.support.server import REPO, Server
from tests.support.envelopes import Conversation, intent, launch, session_ended, speech_of

pytestmark = pytest.mark.slow


def test_health_over_http(server):
    with urllib.request.urlopen(server.url + "/health", timeout=5) as response:
        assert response.status == 200 and json.loads(response.read())["status"] == "ok"


def test_no_verify_says_so_loudly(server):
    assert "verification is OFF" in server.output()


@pytest.mark.parametrize("body,expected,ends", [
    (launch(), "check your symptoms", False),
    (intent("AMAZON.HelpIntent"), "You can ask me about IVIG", False),
    (intent("AMAZON.StopIntent"), "Goodbye", True),
    (intent("AMAZON.CancelIntent"), "Goodbye", True),
    (intent("AMAZON.FallbackIntent"), "Sorry, I didn't understand", False),
    (intent("NoSuchIntent"), "Sorry, I didn't understand", False),
], ids=["launch", "help", "stop", "cancel", "fallback", "unknown intent"])
def test_requests_over_http(server, body, expected, ends):
    status, reply = server.post(body)
    assert status == 200
    assert expected in speech_of(reply)
    assert bool(reply["response"].get("shouldEndSession")) is ends


def test_session_end_over_http(server):
    status, reply = server.post(session_ended())
    assert status == 200 and "outputSpeech" not in reply["response"]


@pytest.mark.parametrize("data,content_type", [
    (b"{broken", "application/json"),
    (b"", "application/json"),
    (json.dumps(launch()).encode(), "text/plain"),
], ids=["malformed json", "empty body", "wrong content type"])
def test_bad_requests_over_http(server, data, content_type):
    status, body = server.request(data, content_type)
    assert status == 400
    assert "error" in json.loads(body)


def test_a_huge_body_over_http_is_refused(server):
    status, _ = server.request(b'{"pad": "' + b"x" * (2 * 1024 * 1024) + b'"}')
    assert status in (400, 413)


def test_a_conversation_over_http(server):
    talk = Conversation(server.post, user_id="amzn1.ask.account.HTTP")
    talk.launch()
    talk.intent("AMAZON.HelpIntent")
    talk.intent("AMAZON.RepeatIntent")
    assert "You can ask me about IVIG" in talk.speech


def test_verification_on_refuses_an_unsigned_request(tmp_path):
    srv = Server(tmp_path, "--skill-id", "amzn1.ask.skill.test")
    try:
        status, body = srv.request(json.dumps(launch(skill_id="amzn1.ask.skill.test")).encode())
        assert status == 400
        assert json.loads(body)["error"] == "request verification failed"
    finally:
        srv.stop()


def test_serve_refuses_to_start_without_a_skill_id(tmp_path):
    env = {"PATH": "/usr/bin:/bin", "IVIG_DATA_DIR": str(tmp_path)}
    result = subprocess.run([sys.executable, "-m", "skill", "serve"], cwd=REPO, env=env,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode != 0
    assert "ALEXA_SKILL_ID" in result.stderr
