"""The endpoint's ModelReader makes the very models ask-sdk's DefaultSerializer makes, from every
kind of request the skill meets and from broken ones, or refuses the same envelopes."""

from __future__ import annotations

import copy
import json

import pytest
from ask_sdk_core.exceptions import SerializationException
from ask_sdk_core.serialize import DefaultSerializer
from ask_sdk_model import RequestEnvelope
from hypothesis import given, settings
from hypothesis import strategies as st

from skill.envelope import ModelReader
from tests.support.envelopes import envelope, intent, launch, session_ended

SERIALIZER = DefaultSerializer()
READER = ModelReader()


def _audio(kind: str, **fields) -> dict:
    return envelope({"type": kind, "token": "part-3", "offsetInMilliseconds": 5230, **fields}, with_session=False)


RESOLVED = {"name": "symptom", "value": "cant breathe", "confirmationStatus": "NONE", "resolutions": {
    "resolutionsPerAuthority": [{"authority": "amzn1.er-authority.echo-sdk.X.SYMPTOM",
                                 "status": {"code": "ER_SUCCESS_MATCH"},
                                 "values": [{"value": {"name": "cant breathe", "id": "breathing"}}]}]},
    "slotValue": {"type": "Simple", "value": "cant breathe"}}

KINDS = {
    "launch": launch(),
    "launch, en-GB, attributes": launch(locale="en-GB", attributes={"pending": "more", "n": [1, {"a": None}]}),
    "intent with a query": intent("AskQuestionIntent", {"query": "how long does an infusion take"}),
    "intent, empty slot": intent("AskQuestionIntent", {"query": None}),
    "intent, resolved slot": (lambda e: e["request"]["intent"]["slots"].update(symptom=RESOLVED) or e)(
        intent("ReportSymptomIntent")),
    "yes, mid-check": intent("AMAZON.YesIntent", attributes={"symptom_check": {"state": {"asked": ["x"]}}}),
    "session ended, error": (lambda e: e["request"].update(error={"type": "INVALID_RESPONSE", "message": "m"}) or e)(
        session_ended("ERROR")),
    "playback started": _audio("AudioPlayer.PlaybackStarted"),
    "playback failed": _audio("AudioPlayer.PlaybackFailed", error={"type": "MEDIA_ERROR_UNKNOWN", "message": "x"},
                              currentPlaybackState={"token": "t", "offsetInMilliseconds": 1,
                                                    "playerActivity": "PLAYING"}),
    "next pressed": envelope({"type": "PlaybackController.NextCommandIssued"}, with_session=False),
    "exception encountered": envelope({"type": "System.ExceptionEncountered",
                                       "error": {"type": "INVALID_RESPONSE", "message": "bad"},
                                       "cause": {"requestId": "r"}}, with_session=False),
    "fractional time": launch(timestamp="2026-12-01T13:45:40.250Z"),
    "time with an offset": launch(timestamp="2026-12-01T13:45:40+01:00"),
    "time without a zone": launch(timestamp="2026-12-01T13:45:40"),
    "unknown fields": (lambda e: e.update(extra={"x": 1}) or e["request"].update(newField=[1, 2]) or e)(launch()),
}

BROKEN = {
    "unknown request type": envelope({"type": "Nobody.Knows"}),
    "no request type": (lambda e: e["request"].pop("type") and e)(launch()),
    "a timestamp that is no time": launch(timestamp="yesterday at noon"),
    "a month 13": launch(timestamp="2026-13-01T13:45:40Z"),
    "a numeric timestamp": (lambda e: e["request"].update(timestamp=12) or e)(launch()),
    "an unknown dialog state": (lambda e: e["request"].update(dialogState="HALF") or e)(intent("AMAZON.YesIntent")),
    "slots as a list": (lambda e: e["request"]["intent"].update(slots=[1, 2]) or e)(intent("AMAZON.YesIntent")),
    "a session that is a string": (lambda e: e.update(session="x") or e)(launch()),
    "an intent that is a number": (lambda e: e["request"].update(intent=3) or e)(intent("AMAZON.YesIntent")),
    "a new that is an object": (lambda e: e["session"].update(new={"a": 1}) or e)(launch()),
}


def _both(body: dict):
    """(ask-sdk's model or its SerializationException, ours or ours) for one envelope."""
    results = []
    for make in (lambda: SERIALIZER.deserialize(json.dumps(body), RequestEnvelope),
                 lambda: READER.read(json.loads(json.dumps(body)), RequestEnvelope)):
        try:
            results.append(make())
        except SerializationException as error:
            results.append(error)
    return results


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_every_kind_of_request_becomes_the_model_ask_sdk_makes(kind):
    theirs, ours = _both(KINDS[kind])
    assert not isinstance(theirs, Exception), theirs
    assert ours == theirs
    assert type(ours.request) is type(theirs.request)
    assert SERIALIZER.serialize(ours) == SERIALIZER.serialize(theirs)


@pytest.mark.parametrize("kind", sorted(BROKEN))
def test_a_broken_envelope_is_refused_or_read_exactly_as_ask_sdk_does(kind):
    theirs, ours = _both(BROKEN[kind])
    if isinstance(theirs, Exception):
        assert isinstance(ours, SerializationException)
    else:
        assert ours == theirs


def test_alexas_own_timestamps_are_the_times_dateutil_reads():
    theirs, ours = _both(launch(timestamp="2026-02-28T23:59:59Z"))
    assert ours.request.timestamp == theirs.request.timestamp
    assert ours.request.timestamp.tzinfo == theirs.request.timestamp.tzinfo


JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
                    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3),
                    max_leaves=8)


def _paths(value, path=()):
    yield path
    if isinstance(value, dict):
        for key, child in value.items():
            yield from _paths(child, (*path, key))


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(sorted(KINDS)), st.data())
def test_any_field_replaced_by_any_json_is_read_as_ask_sdk_reads_it(kind, data):
    body = copy.deepcopy(KINDS[kind])
    path = data.draw(st.sampled_from(list(_paths(body))[1:]))
    target = body
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = data.draw(JSON)
    theirs, ours = _both(body)
    if isinstance(theirs, Exception):
        assert isinstance(ours, SerializationException)
    else:
        assert ours == theirs


def test_every_response_of_a_conversation_is_written_as_ask_sdk_writes_it(tmp_path):
    from skill.alexa import build_skill
    from skill.config import Settings
    from skill.envelope import ModelWriter
    from tests.support.envelopes import SKILL_ID

    skill = build_skill(Settings(skill_id=SKILL_ID, verify_signature=False, verify_timestamp=False,
                                 data_dir=tmp_path))
    writer, attributes = ModelWriter(), {}
    turns = [launch(), intent("AskQuestionIntent", {"query": "how long does an infusion take"}),
             intent("AMAZON.YesIntent"), intent("InfusionLengthIntent"), intent("StartSymptomCheckIntent"),
             intent("AMAZON.NoIntent"), intent("ReportSymptomIntent", {"description": "my head aches"}),
             intent("AMAZON.HelpIntent"), intent("AMAZON.RepeatIntent"), intent("AMAZON.StopIntent"),
             intent("ReadArticleIntent"), *KINDS.values()]
    written = 0
    for body in turns:
        if body.get("session") is not None:
            body["session"]["attributes"] = attributes
        response = skill.invoke(request_envelope=READER.read(body, RequestEnvelope), context=None)
        assert json.dumps(writer.write(response)) == json.dumps(SERIALIZER.serialize(response))
        attributes = SERIALIZER.serialize(response).get("sessionAttributes") or {}
        written += 1
    assert written == len(turns)
