"""Odd but well-formed JSON never crashes the endpoint: every request is answered 200 with
speech or refused 400, whatever values sit where Alexa's JSON has its fields."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.support.envelopes import intent, launch

ODD = st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=30), st.lists(st.integers(), max_size=3),
                st.dictionaries(st.text(max_size=5), st.integers(), max_size=2))
PATHS = [
    ("request", "type"), ("request", "locale"), ("request", "timestamp"), ("request", "intent"),
    ("request", "intent", "name"), ("request", "intent", "slots"), ("session",), ("session", "attributes"),
    ("session", "attributes", "symptom_check"), ("session", "attributes", "pending"),
    ("session", "attributes", "last_reply"), ("session", "new"), ("context",), ("context", "System"),
    ("context", "System", "user"), ("session", "user", "userId"), ("version",),
]
BASES = [launch(), intent("AMAZON.YesIntent"), intent("AskQuestionIntent", {"query": "can the drip harm me"}),
         intent("ReportSymptomIntent", {"description": "my head hurts"}), intent("StartSymptomCheckIntent")]


def _set(body: dict, path: tuple[str, ...], value) -> None:
    node = body
    for key in path[:-1]:
        if not isinstance(node.get(key), dict):
            node[key] = {}
        node = node[key]
    node[path[-1]] = value


@settings(max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(base=st.sampled_from(range(len(BASES))), changes=st.lists(st.tuples(st.sampled_from(PATHS), ODD),
                                                                 min_size=1, max_size=3))
def test_odd_envelopes_get_an_answer_or_a_400(client, base, changes):
    body = json.loads(json.dumps(BASES[base]))
    for path, value in changes:
        _set(body, path, value)
    response = client.post("/alexa", data=json.dumps(body), content_type="application/json")
    assert response.status_code in (200, 400), response.get_data(as_text=True)[:300]
    if response.status_code == 200 and body["request"].get("type") in ("LaunchRequest", "IntentRequest"):
        speech = response.get_json()["response"].get("outputSpeech")
        assert speech and "something went wrong" not in speech["ssml"]  # no error behind a sorry
