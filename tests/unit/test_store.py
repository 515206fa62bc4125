"""The SQLite persistence adapter: a real file, keyed hashes, and a key made once."""

from __future__ import annotations

import os
import stat
import threading

import pytest
from ask_sdk_core.exceptions import PersistenceException
from ask_sdk_core.serialize import DefaultSerializer
from ask_sdk_model import RequestEnvelope

from skill.config import Settings
from skill.store import SQLiteAdapter, StoreSetupError, hash_key, hash_user_id
from tests.support.envelopes import launch

SERIALIZER = DefaultSerializer()


def request_for(user_id: str | None) -> RequestEnvelope:
    body = launch(user_id=user_id or "x")
    if user_id is None:
        del body["context"]["System"]["user"]
        del body["session"]["user"]
    import json

    return SERIALIZER.deserialize(json.dumps(body), RequestEnvelope)


def test_attributes_round_trip_and_delete(tmp_path):
    store = SQLiteAdapter(tmp_path / "db.sqlite3")
    alice, bob = request_for("amzn1.ask.account.ALICE"), request_for("amzn1.ask.account.BOB")
    store.save_attributes(alice, {"history": [{"outcome": "call_soon"}]})
    store.save_attributes(bob, {"listening": {"clip": "a"}})
    assert store.get_attributes(alice) == {"history": [{"outcome": "call_soon"}]}
    store.delete_attributes(alice)
    assert store.get_attributes(alice) == {} and store.get_attributes(bob) == {"listening": {"clip": "a"}}
    assert SQLiteAdapter(tmp_path / "db.sqlite3").get_attributes(bob) == {"listening": {"clip": "a"}}


def test_saving_nothing_removes_the_row(tmp_path):
    store = SQLiteAdapter(tmp_path / "db.sqlite3")
    alice = request_for("amzn1.ask.account.ALICE")
    store.save_attributes(alice, {"a": 1})
    store.save_attributes(alice, {})
    assert store.count_rows() == 0


def test_a_request_without_a_user_is_a_persistence_error(tmp_path):
    with pytest.raises(PersistenceException):
        SQLiteAdapter(tmp_path / "db.sqlite3").get_attributes(request_for(None))


def test_processes_starting_together_share_one_key(tmp_path):
    keys, path = [], tmp_path / "db.sqlite3"
    threads = [threading.Thread(target=lambda: keys.append(SQLiteAdapter(path).hash_user("u")))
               for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(keys) == 8 and len(set(keys)) == 1
    assert not [name for name in os.listdir(tmp_path) if name.startswith(".db.key")]  # no drafts left


def test_the_database_and_key_are_private(tmp_path):
    SQLiteAdapter(tmp_path / "db.sqlite3")
    for name in ("db.sqlite3", "db.key"):
        assert stat.S_IMODE(os.stat(tmp_path / name).st_mode) == 0o600


def test_a_damaged_key_is_refused(tmp_path):
    (tmp_path / "db.key").write_text("abcd")
    with pytest.raises(StoreSetupError, match="32-byte key"):
        SQLiteAdapter(tmp_path / "db.sqlite3")


def test_a_missing_key_file_is_an_error_not_a_new_key(tmp_path):
    store = SQLiteAdapter(tmp_path / "db.sqlite3")
    store.save_attributes(request_for("amzn1.ask.account.ALICE"), {"welcomed": True})
    (tmp_path / "db.key").unlink()
    with pytest.raises(StoreSetupError, match=r"db\.key is missing.*orphan"):
        SQLiteAdapter(tmp_path / "db.sqlite3")
    assert not (tmp_path / "db.key").exists()  # no silent new key


def test_a_missing_key_file_of_an_emptied_store_is_still_refused(tmp_path):
    """Once a key has hashed anything, the store remembers it: rows that come back from a
    backup must still be found."""
    store = SQLiteAdapter(tmp_path / "db.sqlite3")
    alice = request_for("amzn1.ask.account.ALICE")
    store.save_attributes(alice, {"a": 1})
    store.delete_attributes(alice)
    (tmp_path / "db.key").unlink()
    with pytest.raises(StoreSetupError, match="missing"):
        SQLiteAdapter(tmp_path / "db.sqlite3")


def test_a_configured_key_is_used_and_hashes_like_the_key_file_holding_it(tmp_path):
    first = SQLiteAdapter(tmp_path / "a" / "db.sqlite3")
    key_text = (tmp_path / "a" / "db.key").read_text()
    configured = Settings.from_env({"IVIG_HASH_KEY": key_text.strip()}, data_dir=tmp_path / "b")
    second = SQLiteAdapter(configured.database_path, key=configured.hash_key)
    assert second.hash_user("u") == first.hash_user("u") == hash_user_id(bytes.fromhex(key_text), "u")
    assert not configured.key_path.exists()  # a configured key needs no key file


def test_a_different_key_than_the_data_was_stored_with_is_refused(tmp_path):
    SQLiteAdapter(tmp_path / "db.sqlite3").save_attributes(request_for("amzn1.ask.account.ALICE"), {"a": 1})
    with pytest.raises(StoreSetupError, match="not the one the data"):
        SQLiteAdapter(tmp_path / "db.sqlite3", key=bytes(32))


@pytest.mark.parametrize("text", ["", "short", "zz" * 32, "ab" * 31])
def test_a_malformed_configured_key_is_refused_saying_what_it_must_be(text):
    if not text:
        assert Settings.from_env({"IVIG_HASH_KEY": ""}).hash_key is None  # unset
        return
    with pytest.raises(ValueError, match="IVIG_HASH_KEY must be 64 hex digits"):
        Settings.from_env({"IVIG_HASH_KEY": text})


def test_the_shared_key_function_makes_the_key_file_once_for_an_empty_store(tmp_path):
    settings = Settings(data_dir=tmp_path)
    key = hash_key(settings, stored_before=False)
    assert hash_key(settings, stored_before=True) == key and len(key) == 32
    assert stat.S_IMODE(os.stat(settings.key_path).st_mode) == 0o600


def test_expired_entries_are_removed_and_others_kept(tmp_path):
    from datetime import datetime, timedelta, timezone

    store = SQLiteAdapter(tmp_path / "db.sqlite3")
    old = (datetime.now(timezone.utc) - timedelta(hours=30)).isoformat()
    new = datetime.now(timezone.utc).isoformat()
    alice, bob, carol = (request_for(f"amzn1.ask.account.{n}") for n in ("ALICE", "BOB", "CAROL"))
    store.save_attributes(alice, {"paused_check": {"saved_at": old, "state": {}}})
    store.save_attributes(bob, {"paused_check": {"saved_at": old}, "history": [1]})
    store.save_attributes(carol, {"paused_check": {"saved_at": new}})
    assert store.remove_expired("paused_check", "saved_at", timedelta(hours=12)) == 2
    assert store.get_attributes(alice) == {} and store.get_attributes(bob) == {"history": [1]}
    assert store.get_attributes(carol) == {"paused_check": {"saved_at": new}}


def test_an_unreadable_row_is_dropped_and_never_mixed_with_another(tmp_path):
    import sqlite3
    from datetime import timedelta

    store = SQLiteAdapter(tmp_path / "db.sqlite3")
    alice = request_for("amzn1.ask.account.ALICE")
    store.save_attributes(alice, {"history": [{"outcome": "call_soon"}]})
    with sqlite3.connect(tmp_path / "db.sqlite3") as db:
        db.execute("INSERT INTO attributes (user_hash, data) VALUES ('zzz', '{not json')")
    assert store.remove_expired("paused_check", "saved_at", timedelta(hours=1)) == 1
    assert store.count_rows() == 1 and store.get_attributes(alice) == {"history": [{"outcome": "call_soon"}]}


def test_two_requests_of_one_person_at_once_keep_both_changes(tmp_path):
    store = SQLiteAdapter(tmp_path / "db.sqlite3")
    first, second = request_for("amzn1.ask.account.ALICE"), request_for("amzn1.ask.account.ALICE")
    store.save_attributes(request_for("amzn1.ask.account.ALICE"), {"welcomed": True, "old": 1})
    a, b = store.get_attributes(first), store.get_attributes(second)  # both read the same row
    a["paused_check"] = {"saved_at": "x"}
    b["listening"] = {"clip": "c"}
    b.pop("old")
    store.save_attributes(first, a)
    store.save_attributes(second, b)
    assert store.get_attributes(request_for("amzn1.ask.account.ALICE")) == {
        "welcomed": True, "paused_check": {"saved_at": "x"}, "listening": {"clip": "c"}}


def test_a_request_that_empties_what_it_read_leaves_nothing(tmp_path):
    store = SQLiteAdapter(tmp_path / "db.sqlite3")
    alice = request_for("amzn1.ask.account.ALICE")
    store.save_attributes(alice, {"paused_check": {"saved_at": "x"}})
    again = request_for("amzn1.ask.account.ALICE")
    attributes = store.get_attributes(again)
    attributes.pop("paused_check")
    store.save_attributes(again, attributes)
    assert store.count_rows() == 0
