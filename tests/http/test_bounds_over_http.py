"""A real `ivig-skill serve` over real HTTP: huge or deeply nested requests are answered or
refused with 400, never a 500, and the server goes on answering others."""

from __future__ import annotations

import pytest

from tests.support.envelopes import SKILL_ID, Conversation, intent, launch, speech_of
from tests.support.server import Server

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def verified_server(tmp_path_factory):
    """Verification on: nothing here is signed, and nothing needs to be to be refused."""
    srv = Server(tmp_path_factory.mktemp("verified"), env={"ALEXA_SKILL_ID": SKILL_ID})
    yield srv
    srv.stop()


@pytest.mark.parametrize("depth", [1_000, 10_000])
@pytest.mark.parametrize("which", ["no-verify", "verified"])
def test_json_nested_thousands_deep_gets_400(server, verified_server, which, depth):
    srv = server if which == "no-verify" else verified_server
    for body in (b"[" * depth + b"]" * depth, b'{"a":' * depth + b"1" + b"}" * depth):
        status, reply = srv.request(body)
        assert status == 400 and b"nested too deeply" in reply
    assert srv.post(launch())[0] in (200, 400)  # still serving


def test_huge_slots_are_answered(server):
    talk = Conversation(server.post, user_id="amzn1.ask.account.HUGE")
    talk.launch()
    talk.intent("AskQuestionIntent", {"query": "ill dvt " * 12_500})
    assert talk.speech
    talk.intent("StartSymptomCheckIntent")
    talk.intent("ReportSymptomIntent", {"description": "my back aches " * 7_000})
    assert talk.speech


def test_deep_session_attributes_get_400_or_a_spoken_reply(server):
    attributes: dict = {"x": 1}
    for _ in range(500):
        attributes = {"a": attributes}
    status, reply = server.post(intent("AMAZON.YesIntent", attributes={"symptom_check": attributes}))
    assert status == 400 or (status == 200 and speech_of(reply))
    nested20: dict = {"x": 1}
    for _ in range(20):
        nested20 = {"a": nested20}
    status, reply = server.post(intent("AMAZON.YesIntent", attributes={"symptom_check": nested20}))
    assert status == 200 and speech_of(reply)
