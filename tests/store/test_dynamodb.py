"""What only the DynamoDB adapter has to show: the table it makes, the TTL on what expires,
updates of single attributes rather than puts, and no raw user id anywhere in the table."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import pytest

from skill.config import Settings
from tests.store.test_store_contract import ALICE, BOB, request_for
from tests.support.dynamodb import HASH_KEY

LIFETIME = timedelta(hours=12)


@pytest.fixture
def table(dynamodb_env):
    return Settings.from_env().dynamodb_table


@pytest.fixture
def store(table):
    from skill.alexa import open_store

    return open_store(Settings.from_env())


def items(dynamodb, table) -> list[dict]:
    return dynamodb.people_items(table)


def test_a_missing_table_is_created_on_demand_with_ttl_on(store, table, dynamodb):
    client = dynamodb.client()
    description = client.describe_table(TableName=table)["Table"]
    assert {k["AttributeName"]: k["KeyType"] for k in description["KeySchema"]} == {
        "user_hash": "HASH", "attribute": "RANGE"}
    assert description["BillingModeSummary"]["BillingMode"] == "PAY_PER_REQUEST"
    ttl = client.describe_time_to_live(TableName=table)["TimeToLiveDescription"]
    assert ttl == {"TimeToLiveStatus": "ENABLED", "AttributeName": "expires_at"}


def test_an_existing_table_is_used_as_it_is(store, table):
    from skill.alexa import open_store

    store.save_attributes(request_for(ALICE), {"welcomed": True})
    assert open_store(Settings.from_env()).get_attributes(request_for(ALICE)) == {"welcomed": True}


def test_an_unfinished_check_carries_a_ttl_and_nothing_else_does(store, table, dynamodb):
    saved_at = datetime.now(timezone.utc).replace(microsecond=0)
    store.save_attributes(request_for(ALICE), {"welcomed": True,
                                               "paused_check": {"saved_at": saved_at.isoformat(), "state": {}}})
    by_name = {item["attribute"]["S"]: item for item in items(dynamodb, table)}
    assert int(by_name["paused_check"]["expires_at"]["N"]) == int((saved_at + LIFETIME).timestamp())
    assert "expires_at" not in by_name["welcomed"]


def test_a_save_updates_only_the_attributes_it_changed(store, table, dynamodb):
    """Marks written beside two items survive a later save: the changed item was updated in
    place (a put would have dropped the mark), the untouched one not written at all."""
    store.save_attributes(request_for(ALICE), {"welcomed": True, "listening": {"clip": "a"}})
    client, user = dynamodb.client(), store.hash_user(ALICE)
    for name in ("welcomed", "listening"):
        client.update_item(TableName=table, Key={"user_hash": {"S": user}, "attribute": {"S": name}},
                           UpdateExpression="SET mark = :m", ExpressionAttributeValues={":m": {"S": "kept"}})
    before = {item["attribute"]["S"]: item for item in items(dynamodb, table)}
    request = request_for(ALICE)
    attributes = store.get_attributes(request)
    attributes["listening"] = {"clip": "b"}
    store.save_attributes(request, attributes)
    after = {item["attribute"]["S"]: item for item in items(dynamodb, table)}
    assert after["welcomed"] == before["welcomed"]
    assert after["listening"]["mark"] == {"S": "kept"} and json.loads(after["listening"]["json"]["S"]) == {"clip": "b"}


def test_the_table_holds_no_raw_user_id(store, table, dynamodb):
    store.save_attributes(request_for(ALICE), {"welcomed": True})
    store.save_attributes(request_for(BOB), {"history": [1]})
    dumped = json.dumps(items(dynamodb, table))
    assert "amzn1.ask.account" not in dumped and "ALICE" not in dumped
    assert store.hash_user(ALICE) in dumped


def test_an_expired_check_is_not_read_back_before_the_table_removes_it(store, table, dynamodb):
    stale = (datetime.now(timezone.utc) - LIFETIME - timedelta(minutes=1)).isoformat()
    store.save_attributes(request_for(ALICE), {"paused_check": {"saved_at": stale}, "welcomed": True})
    assert len(items(dynamodb, table)) == 2  # the server has not removed it (TTL deletion is lazy)
    assert store.get_attributes(request_for(ALICE)) == {"welcomed": True}


def test_without_a_hashing_key_it_refuses_to_start(dynamodb_env, monkeypatch):
    from skill.alexa import open_store
    from skill.store import StoreSetupError

    monkeypatch.delenv("IVIG_HASH_KEY")
    with pytest.raises(StoreSetupError, match="IVIG_HASH_KEY"):
        open_store(Settings.from_env())  # never a fresh random key per instance
    monkeypatch.setenv("IVIG_HASH_KEY", "short")
    with pytest.raises(ValueError, match="64 hex digits"):
        Settings.from_env()


def test_another_key_on_the_same_table_is_refused_not_used_to_find_no_one(store, monkeypatch):
    from skill.alexa import open_store
    from skill.store import StoreSetupError

    store.save_attributes(request_for(ALICE), {"welcomed": True})
    monkeypatch.setenv("IVIG_HASH_KEY", "a" * 64)
    with pytest.raises(StoreSetupError, match="not the key"):
        open_store(Settings.from_env())
    monkeypatch.setenv("IVIG_HASH_KEY", HASH_KEY)
    assert open_store(Settings.from_env()).get_attributes(request_for(ALICE)) == {"welcomed": True}


def test_an_unreachable_dynamodb_is_a_clear_setup_error(dynamodb_env, monkeypatch):
    from skill.alexa import open_store
    from tests.support.server import _free_port

    monkeypatch.setenv("AWS_ENDPOINT_URL_DYNAMODB", f"http://127.0.0.1:{_free_port()}")  # nothing listens
    from skill.store import StoreSetupError

    with pytest.raises(StoreSetupError, match="unavailable"):
        open_store(Settings.from_env())


def test_a_failed_write_is_a_store_error_and_nothing_is_said_to_be_kept(store, dynamodb):
    from skill.store import StoreError

    dynamodb.client().delete_table(TableName=store.table)  # the table goes away under a running instance
    with pytest.raises(StoreError):
        store.save_attributes(request_for(ALICE), {"welcomed": True})
