"""Bounded work at the endpoint: whatever a request's size or shape, the parsers are given
no more than anyone says, JSON too deep to hold is refused before it is parsed (verification
on or off), and session attributes that are not the skill's shape start the conversation again."""

from __future__ import annotations

import json

import pytest
import responses

from skill import symptom_words
from skill.config import Settings
from skill.limits import MAX_JSON_DEPTH, MAX_SPOKEN_CHARS, json_too_deep
from skill.web import create_app
from tests.support.envelopes import SKILL_ID, intent, launch, speech_of
from tests.support.signing import CertificateAuthority, register_cert_url

HUGE = 100_000


def nested(depth: int, kind: str = "list") -> bytes:
    return (b"[" * depth + b"]" * depth) if kind == "list" else (b'{"a":' * depth + b"1" + b"}" * depth)


@pytest.fixture
def parser_input(monkeypatch):
    """The lengths of the texts the symptom parser is given (a spy: the real parser runs)."""
    given, real_parse = [], symptom_words.parse

    def spy(text):
        given.append(len(text) if isinstance(text, str) else 0)
        return real_parse(text)
    monkeypatch.setattr(symptom_words, "parse", spy)
    return given


def test_a_huge_description_is_answered_with_the_parser_given_only_a_bounded_text(talk, parser_input):
    talk.launch()
    talk.intent("StartSymptomCheckIntent")
    talk.intent("ReportSymptomIntent", {"description": "my lips have gone puffy " * (HUGE // 23)})
    assert parser_input and max(parser_input) <= MAX_SPOKEN_CHARS
    assert "911" in talk.speech  # what was said within the bound still counts: the emergency advice


def test_hearing_huge_text_reads_only_the_bound(parser_input):
    heard = symptom_words.hear("ill dvt " * 12_500)
    assert parser_input == [MAX_SPOKEN_CHARS - 1]  # cut at the last whole word
    assert heard == symptom_words.hear("ill dvt " * 125)


def test_a_huge_question_is_answered(talk):
    talk.launch()
    talk.intent("AskQuestionIntent", {"query": "ill dvt " * 12_500})
    assert talk.speech


@pytest.mark.parametrize("depth", [MAX_JSON_DEPTH + 1, 1_000, 10_000])
@pytest.mark.parametrize("kind", ["list", "object"])
def test_json_too_deep_is_refused_before_parsing(client, depth, kind):
    response = client.post("/alexa", data=nested(depth, kind), content_type="application/json")
    assert response.status_code == 400 and "nested too deeply" in response.get_json()["error"]


def test_the_depth_check_is_exact_and_skips_strings():
    assert not json_too_deep(nested(MAX_JSON_DEPTH)) and json_too_deep(nested(MAX_JSON_DEPTH + 1))
    assert not json_too_deep(json.dumps({"text": "[" * 10_000 + '"{' * 100}).encode())
    assert not json_too_deep(b'["\\"' + b"[" * 100 + b'"]')  # an escaped quote does not end a string
    assert json_too_deep(b'["\\\\"' + b"[" * 100)  # an escaped backslash does not escape the quote


def test_session_attributes_nested_500_deep_are_refused_before_parsing(client):
    attributes: dict = {"x": 1}
    for _ in range(500):
        attributes = {"a": attributes}
    body = json.dumps(intent("AMAZON.YesIntent", attributes={"symptom_check": attributes}))
    response = client.post("/alexa", data=body, content_type="application/json")
    assert response.status_code == 400 and "nested too deeply" in response.get_json()["error"]


@pytest.mark.parametrize("attributes", [
    {"symptom_check": json.loads(nested(30, "object"))},
    {"symptom_check": [[[[[[[[[[[[[[[[[[[[["deep"]]]]]]]]]]]]]]]]]]]]]},
], ids=["deep object", "deep list"])
def test_session_attributes_deeper_than_the_skill_keeps_restart_the_conversation(talk, attributes):
    talk.attributes = attributes
    talk.ended = False
    talk.intent("AMAZON.YesIntent")
    assert talk.speech
    assert "deep" not in json.dumps(talk.attributes) and '"a"' not in json.dumps(talk.attributes)


# With verification on: refused before any certificate is fetched or signature checked.
@pytest.fixture
def verified_client(tmp_path):
    authority = CertificateAuthority()
    settings = Settings(skill_id=SKILL_ID, data_dir=tmp_path / "data", audio_dir=tmp_path / "audio")
    app = create_app(settings, trusted_roots=[authority.root])
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        signer = authority.signer()
        register_cert_url(mock, signer)
        yield app.test_client(), signer


@pytest.mark.parametrize("depth", [1_000, 10_000])
def test_json_too_deep_is_refused_with_verification_on(verified_client, depth):
    client, signer = verified_client
    body, headers = signer.signed_request(launch())
    response = client.post("/alexa", data=nested(depth), headers=headers)
    assert response.status_code == 400 and "nested too deeply" in response.get_json()["error"]


def test_a_signed_huge_description_is_answered_with_verification_on(verified_client, parser_input):
    client, signer = verified_client
    body, headers = signer.signed_request(intent("ReportSymptomIntent", {"description": "dizzy " * 16_000}))
    response = client.post("/alexa", data=body, headers=headers)
    assert response.status_code == 200 and speech_of(response.get_json())
    assert max(parser_input) <= MAX_SPOKEN_CHARS
