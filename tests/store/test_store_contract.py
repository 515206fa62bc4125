"""What every persistence adapter promises, checked against each real one: an SQLite file,
and DynamoDB on a real DynamoDB-compatible server on 127.0.0.1."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import pytest
from ask_sdk_core.exceptions import PersistenceException
from ask_sdk_core.serialize import DefaultSerializer
from ask_sdk_model import RequestEnvelope

from tests.support.envelopes import launch

SERIALIZER = DefaultSerializer()
RESUME = timedelta(hours=12)
ALICE, BOB, CAROL = (f"amzn1.ask.account.{name}" for name in ("ALICE", "BOB", "CAROL"))


def request_for(user_id: str | None) -> RequestEnvelope:
    body = launch(user_id=user_id or "x")
    if user_id is None:
        del body["context"]["System"]["user"]
        del body["session"]["user"]
    return SERIALIZER.deserialize(json.dumps(body), RequestEnvelope)


@pytest.fixture(params=["sqlite", "dynamodb"])
def open_store(request, tmp_path):
    """Opens an adapter on one storage; calling it again opens another process's adapter on
    the same storage (the same file, or the same table with the same hashing key)."""
    if request.param == "sqlite":
        from skill.store import SQLiteAdapter

        return lambda: SQLiteAdapter(tmp_path / "db.sqlite3")
    request.getfixturevalue("dynamodb_env")
    from skill.alexa import open_store
    from skill.config import Settings

    settings = Settings.from_env()  # IVIG_STORE=dynamodb, a new table, IVIG_HASH_KEY
    assert settings.store == "dynamodb"
    return lambda: open_store(settings)


@pytest.fixture
def store(open_store):
    return open_store()


def test_attributes_round_trip_and_delete(store, open_store):
    alice, bob = request_for(ALICE), request_for(BOB)
    store.save_attributes(alice, {"history": [{"outcome": "call_soon"}], "welcomed": True})
    store.save_attributes(bob, {"listening": {"clip": "a", "offset_ms": 1500}})
    assert store.get_attributes(request_for(ALICE)) == {"history": [{"outcome": "call_soon"}], "welcomed": True}
    store.delete_attributes(request_for(ALICE))
    assert store.get_attributes(request_for(ALICE)) == {}
    assert store.get_attributes(request_for(BOB)) == {"listening": {"clip": "a", "offset_ms": 1500}}
    assert open_store().get_attributes(request_for(BOB)) == {"listening": {"clip": "a", "offset_ms": 1500}}


def test_values_come_back_exactly(store):
    value = {"text": "ünïcode ✓ \"quoted\"", "float": 0.1, "big": 2**53 + 1, "none": None, "list": [1, "2", [3]]}
    store.save_attributes(request_for(ALICE), {"odd": value})
    assert store.get_attributes(request_for(ALICE)) == {"odd": value}


def test_saving_nothing_leaves_nothing(store):
    alice = request_for(ALICE)
    store.save_attributes(alice, {"a": 1})
    store.save_attributes(alice, {})
    assert store.count_rows() == 0 and store.get_attributes(request_for(ALICE)) == {}


def test_a_request_without_a_user_is_a_persistence_error(store):
    with pytest.raises(PersistenceException):
        store.get_attributes(request_for(None))
    with pytest.raises(PersistenceException):
        store.save_attributes(request_for(None), {"a": 1})


def test_people_are_kept_apart_and_known_only_by_a_keyed_hash(store, open_store):
    store.save_attributes(request_for(ALICE), {"welcomed": True})
    assert store.get_attributes(request_for(BOB)) == {}
    hashed = store.hash_user(ALICE)
    assert ALICE not in hashed and hashed != store.hash_user(BOB)
    assert hashed == open_store().hash_user(ALICE)  # every instance hashes alike


def test_two_requests_of_one_person_at_once_keep_both_changes(store):
    first, second = request_for(ALICE), request_for(ALICE)
    store.save_attributes(request_for(ALICE), {"welcomed": True, "old": 1})
    a, b = store.get_attributes(first), store.get_attributes(second)  # both read the same attributes
    a["paused_check"] = {"saved_at": datetime.now(timezone.utc).isoformat()}
    b["listening"] = {"clip": "c"}
    b.pop("old")
    store.save_attributes(first, a)
    store.save_attributes(second, b)
    assert store.get_attributes(request_for(ALICE)) == {
        "welcomed": True, "paused_check": a["paused_check"], "listening": {"clip": "c"}}


def test_two_processes_on_one_storage_keep_both_changes(open_store):
    one, other = open_store(), open_store()
    one.save_attributes(request_for(ALICE), {"welcomed": True})
    first, second = request_for(ALICE), request_for(ALICE)
    a, b = one.get_attributes(first), other.get_attributes(second)
    a["listening"] = {"clip": "a"}
    b["history"] = [{"outcome": "no_call"}]
    one.save_attributes(first, a)
    other.save_attributes(second, b)
    assert one.get_attributes(request_for(ALICE)) == {
        "welcomed": True, "listening": {"clip": "a"}, "history": [{"outcome": "no_call"}]}


def test_a_request_that_empties_what_it_read_leaves_nothing(store):
    store.save_attributes(request_for(ALICE), {"paused_check": {"saved_at": datetime.now(timezone.utc).isoformat()}})
    again = request_for(ALICE)
    attributes = store.get_attributes(again)
    attributes.pop("paused_check")
    store.save_attributes(again, attributes)
    assert store.count_rows() == 0


def test_saving_without_reading_first_makes_the_attributes_exactly_those(store):
    store.save_attributes(request_for(ALICE), {"welcomed": True, "history": [1]})
    store.save_attributes(request_for(ALICE), {"listening": {"clip": "b"}})  # a request that never read
    assert store.get_attributes(request_for(ALICE)) == {"listening": {"clip": "b"}}


def test_old_unfinished_checks_are_gone_and_everything_else_kept(store):
    old = (datetime.now(timezone.utc) - timedelta(hours=30)).isoformat()
    new = datetime.now(timezone.utc).isoformat()
    store.save_attributes(request_for(ALICE), {"paused_check": {"saved_at": old, "state": {}}})
    store.save_attributes(request_for(BOB), {"paused_check": {"saved_at": old}, "history": [1]})
    store.save_attributes(request_for(CAROL), {"paused_check": {"saved_at": new}})
    store.remove_expired("paused_check", "saved_at", RESUME)  # a start-up sweep, where the store needs one
    assert store.get_attributes(request_for(ALICE)) == {}
    assert store.get_attributes(request_for(BOB)) == {"history": [1]}
    assert store.get_attributes(request_for(CAROL)) == {"paused_check": {"saved_at": new}}
    assert store.count_rows() == 2
