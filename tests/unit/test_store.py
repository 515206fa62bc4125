"""The SQLite persistence adapter: a real file, keyed hashes, and a key made once."""

from __future__ import annotations

import os
import resource
import signal
import stat
import threading
from contextlib import contextmanager

import pytest
from ask_sdk_core.exceptions import PersistenceException
from ask_sdk_core.serialize import DefaultSerializer
from ask_sdk_model import RequestEnvelope

from skill.config import Settings
from skill.store import SQLiteAdapter, StoreError, StoreSetupError, hash_key, hash_user_id
from tests.support.envelopes import launch
from tests.support.unprivileged import ChildRaised, make_read_only, private_folder, run_unprivileged

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


def test_an_existing_database_its_log_and_key_are_made_private(tmp_path):
    first = SQLiteAdapter(tmp_path / "db.sqlite3")
    first.save_attributes(request_for("amzn1.ask.account.ALICE"), {"a": 1})  # the log exists now
    companions = ["db.sqlite3", "db.sqlite3-wal", "db.sqlite3-shm", "db.key"]
    for name in companions:
        os.chmod(tmp_path / name, 0o644)
    SQLiteAdapter(tmp_path / "db.sqlite3")
    assert {name: stat.S_IMODE(os.stat(tmp_path / name).st_mode) for name in companions} == \
        dict.fromkeys(companions, 0o600)


def test_the_database_keeps_a_write_ahead_log_synced_normally_on_one_connection_per_thread(tmp_path):
    store = SQLiteAdapter(tmp_path / "db.sqlite3")
    alice = request_for("amzn1.ask.account.ALICE")
    store.save_attributes(alice, {"a": 1})
    store.get_attributes(alice)
    db = store._db()
    assert db is store._db()  # kept, not opened per request
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA synchronous").fetchone()[0] == 1  # NORMAL
    other = []
    thread = threading.Thread(target=lambda: other.append(store._db()))
    thread.start()
    thread.join()
    assert other[0] is not db


@contextmanager
def disk_full_after(limit: int):
    """The kernel refuses to write any file of this process beyond `limit` bytes, as on a full disk."""
    old_limit = resource.getrlimit(resource.RLIMIT_FSIZE)
    old_handler = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # the write fails instead of killing us
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, old_limit[1]))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, old_limit)
        signal.signal(signal.SIGXFSZ, old_handler)


def test_a_save_on_a_full_disk_is_a_store_error_and_the_row_stays_as_it_was(tmp_path):
    store = SQLiteAdapter(tmp_path / "db.sqlite3")
    alice = request_for("amzn1.ask.account.ALICE")
    store.save_attributes(alice, {"welcomed": True})
    again = request_for("amzn1.ask.account.ALICE")
    attributes = store.get_attributes(again)
    attributes["paused_check"] = {"answers": "x" * 20_000}
    limit = max(os.path.getsize(tmp_path / name) for name in ("db.sqlite3", "db.sqlite3-wal"))
    with disk_full_after(limit), pytest.raises(StoreError, match="saving did not happen"):
        store.save_attributes(again, attributes)
    assert store.get_attributes(request_for("amzn1.ask.account.ALICE")) == {"welcomed": True}
    store.save_attributes(again, attributes)  # once there is room again, saving works
    assert store.get_attributes(request_for("amzn1.ask.account.ALICE")) == attributes


def test_a_save_on_a_folder_made_read_only_is_a_store_error(tmp_path):
    with private_folder() as folder:
        def start_then_lose_the_folder():
            store = SQLiteAdapter(folder / "db.sqlite3")
            store.save_attributes(request_for("amzn1.ask.account.ALICE"), {"welcomed": True})
            make_read_only(folder)
            failures = []

            def save():  # a server thread that had not yet opened its connection
                try:
                    store.save_attributes(request_for("amzn1.ask.account.ALICE"), {"paused_check": {"x": 1}})
                except StoreError as error:
                    failures.append(str(error))
            thread = threading.Thread(target=save)
            thread.start()
            thread.join()
            return failures, store.get_attributes(request_for("amzn1.ask.account.ALICE"))
        failures, kept = run_unprivileged(start_then_lose_the_folder)
    assert len(failures) == 1 and "saving did not happen" in failures[0] and "readonly" in failures[0]
    assert kept == {"welcomed": True}


def test_start_up_on_a_read_only_folder_says_what_to_do(tmp_path):
    with private_folder() as folder:
        make_read_only(folder)
        with pytest.raises(ChildRaised) as raised:
            run_unprivileged(lambda: SQLiteAdapter(folder / "db.sqlite3"))
    assert raised.value.kind == "StoreSetupError"
    assert f"data folder {folder} is not writable" in raised.value.message
    assert "IVIG_DATA_DIR" in raised.value.message


def test_start_up_where_the_data_folder_cannot_be_made_says_so(tmp_path):
    (tmp_path / "file").write_text("")
    with pytest.raises(StoreSetupError, match="data folder .* cannot be created.*IVIG_DATA_DIR"):
        SQLiteAdapter(tmp_path / "file" / "data" / "db.sqlite3")


def test_a_database_deleted_under_a_running_store_is_a_store_error_not_a_ghost_write(tmp_path):
    store = SQLiteAdapter(tmp_path / "db.sqlite3")
    alice = request_for("amzn1.ask.account.ALICE")
    store.save_attributes(alice, {"welcomed": True})  # this thread's connection is open now
    for name in ("db.sqlite3", "db.sqlite3-wal", "db.sqlite3-shm"):
        (tmp_path / name).unlink()
    with pytest.raises(StoreError, match="saving did not happen"):
        store.save_attributes(alice, {"paused_check": {"x": 1}})
    (tmp_path / "db.sqlite3").mkdir()  # replaced by something that is not a database
    with pytest.raises(StoreError, match="saving did not happen"):
        store.save_attributes(alice, {"paused_check": {"x": 1}})
