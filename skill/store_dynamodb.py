"""Persistence in Amazon DynamoDB, behind ask-sdk's persistence-adapter interface, for many
endpoint processes or Lambda instances sharing one table (IVIG_STORE=dynamodb).

The same rules as the SQLite adapter: a person is known only by a keyed hash of their Alexa
user id; a request writes back only what it changed; what expires is removed.

Layout: one item per person and attribute, keyed (user_hash, attribute), the value as JSON.
That makes both rules plain DynamoDB:
- a request's changes are UpdateItem calls on the items of the attributes it set (DeleteItem
  for those it removed), in one transaction when there are several; attributes it did not
  touch are not written at all, so two requests of one person at once keep both changes;
- an attribute that expires (an unfinished symptom check) carries a DynamoDB TTL attribute,
  `expires_at`, on its own item, so the table removes it without touching the person's
  other attributes; until the table gets round to it (TTL deletion is lazy), reads skip it.

Why not ask-sdk-dynamodb-persistence-adapter: it writes the whole attributes map with one
PutItem per save (a blind put: a playback event and a spoken request of one person at the
same moment would undo each other's change) and has no TTL; see the README."""

from __future__ import annotations

import copy
import json
import logging
import time
from collections.abc import Mapping
from datetime import datetime, timedelta, timezone

from ask_sdk_core.attributes_manager import AbstractPersistenceAdapter

from skill.store import RequestReads, StoreError, StoreSetupError, hash_user_id, key_check, user_id_of

log = logging.getLogger(__name__)

USER = "user_hash"        # partition key: HMAC-SHA-256 of the user id (skill.store.hash_user_id)
NAME = "attribute"        # sort key: the persistent attribute's name
VALUE = "json"            # the attribute's value, as JSON text
EXPIRES = "expires_at"    # DynamoDB TTL attribute (epoch seconds), on expiring attributes only
UPDATED = "updated_at"
META = "#meta"            # the partition of the table's own records (no hash starts with #)
KEY_CHECK = "key_check"   # the hashing key's fingerprint (skill.store.key_check)

_ABSENT = object()
_TRANSACTION_LIMIT = 100  # items in one TransactWriteItems


class DynamoDBUnavailable(StoreError):
    """DynamoDB could not be reached or refused a call: what was asked was not done."""


def _client():
    try:
        import boto3
        from botocore.config import Config
    except ImportError as error:  # pragma: no cover - depends on the installation
        raise StoreSetupError("IVIG_STORE=dynamodb needs boto3: pip install 'ivig-skill[dynamodb]'") from error
    # Short timeouts: a person waiting at a speaker gets a spoken sorry, not a hang.
    config = Config(connect_timeout=2, read_timeout=5, retries={"mode": "standard", "max_attempts": 3})
    try:
        return boto3.client("dynamodb", config=config)
    except Exception as error:  # botocore's NoRegionError and friends
        raise StoreSetupError(f"cannot reach DynamoDB: {error} (set AWS_REGION, or AWS_DEFAULT_REGION)") from error


class DynamoDBAdapter(AbstractPersistenceAdapter):
    """Persistent attributes in one DynamoDB table, shared by any number of processes.

    `key` is the hashing key, IVIG_HASH_KEY (every instance must use the same one: there is no
    key file to fall back on, and a key other than the one the table's data was stored with is
    refused, never used to find no one). `expiring` names the
    attributes that expire: {attribute: (stamp field, lifetime)}; an attribute's item lives
    until its value's stamp (an ISO time) plus the lifetime, or from now when it has none."""

    def __init__(self, table: str, key: bytes | None, *,
                 expiring: Mapping[str, tuple[str, timedelta]] | None = None, client=None):
        if not key:
            raise StoreSetupError(
                "IVIG_STORE=dynamodb needs IVIG_HASH_KEY, the same for every instance, so that all of them "
                "hash user ids alike (64 hex digits, e.g. the output of: python3 -c 'import secrets; "
                "print(secrets.token_hex(32))'); keep it for good: another key finds no one's data.")
        self.table = table
        self._key = key
        self._expiring = dict(expiring or {})
        self._db = client or _client()
        self._reads = RequestReads()
        self._ensure_table()
        self._check_key()

    # ---- the table ---------------------------------------------------------------------

    def _ensure_table(self) -> None:
        """Use the table; create it (on demand, with TTL on) where it is missing, as ask-sdk's
        own adapter does, so that a local DynamoDB needs nothing else."""
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            try:
                status = self._db.describe_table(TableName=self.table)["Table"]["TableStatus"]
            except ClientError as error:
                if _code(error) != "ResourceNotFoundException":
                    raise
                status = self._create_table()
            if status != "ACTIVE":
                self._db.get_waiter("table_exists").wait(TableName=self.table,
                                                         WaiterConfig={"Delay": 1, "MaxAttempts": 120})
        except (ClientError, BotoCoreError) as error:
            raise StoreSetupError(f"DynamoDB table {self.table!r} unavailable: {_what(error)}") from error

    def _create_table(self) -> str:
        from botocore.exceptions import ClientError

        try:
            status = self._db.create_table(
                TableName=self.table,
                AttributeDefinitions=[{"AttributeName": USER, "AttributeType": "S"},
                                      {"AttributeName": NAME, "AttributeType": "S"}],
                KeySchema=[{"AttributeName": USER, "KeyType": "HASH"}, {"AttributeName": NAME, "KeyType": "RANGE"}],
                BillingMode="PAY_PER_REQUEST",
            )["TableDescription"]["TableStatus"]
        except ClientError as error:
            if _code(error) != "ResourceInUseException":  # another instance is creating it
                raise
            return "CREATING"
        log.info("created DynamoDB table %s", self.table)
        if status != "ACTIVE":
            self._db.get_waiter("table_exists").wait(TableName=self.table,
                                                     WaiterConfig={"Delay": 1, "MaxAttempts": 120})
        self._db.update_time_to_live(TableName=self.table,
                                     TimeToLiveSpecification={"Enabled": True, "AttributeName": EXPIRES})
        return "ACTIVE"

    def _check_key(self) -> None:
        """The key's fingerprint, recorded by the first instance; any other key is refused."""
        from botocore.exceptions import BotoCoreError, ClientError

        check, key = key_check(self._key), self._key_of(META, KEY_CHECK)
        try:
            try:
                self._db.update_item(TableName=self.table, Key=key, UpdateExpression="SET #v = :v",
                                     ConditionExpression="attribute_not_exists(#v) OR #v = :v",
                                     ExpressionAttributeNames={"#v": VALUE},
                                     ExpressionAttributeValues={":v": {"S": json.dumps(check)}})
            except ClientError as error:
                if _code(error) != "ConditionalCheckFailedException":
                    raise
                raise StoreSetupError(
                    f"IVIG_HASH_KEY is not the key the data in DynamoDB table {self.table!r} was stored with, "
                    "so no one's kept data could be found. Set the key it was stored with (every instance "
                    "the same), or use another table to start afresh.") from None
        except (ClientError, BotoCoreError) as error:
            raise StoreSetupError(f"DynamoDB table {self.table!r} unavailable: {_what(error)}") from error

    # ---- ask-sdk's interface -------------------------------------------------------------

    def hash_user(self, user_id: str) -> str:
        return hash_user_id(self._key, user_id)

    def get_attributes(self, request_envelope) -> dict:
        user = self.hash_user(user_id_of(request_envelope))
        data = self._attributes_of(user)
        self._remember(request_envelope, data)
        return copy.deepcopy(data)

    def save_attributes(self, request_envelope, attributes: dict) -> None:
        """Writes what this request changed since it read them: an update of each attribute
        it set or changed, a delete of each it removed; nothing else is written."""
        user = self.hash_user(user_id_of(request_envelope))
        read = self._read_by(request_envelope)
        if read is None:  # written without being read first: the whole set is this
            read = {name: _ABSENT for name in self._names_of(user)}
        changed = {k: v for k, v in attributes.items() if read.get(k, _ABSENT) != v}
        removed = [k for k in read if k not in attributes]
        writes = [self._update(user, k, v) for k, v in changed.items()] + [self._delete(user, k) for k in removed]
        self._write(writes)
        self._remember(request_envelope, attributes)

    def delete_attributes(self, request_envelope) -> None:
        user = self.hash_user(user_id_of(request_envelope))
        self._write([self._delete(user, name) for name in self._names_of(user)])
        self._reads.forget(request_envelope)

    def remove_expired(self, key: str, stamp: str, older_than: timedelta) -> int:
        """Nothing to sweep: each expiring attribute's item carries a TTL, so DynamoDB removes
        it, and reads skip it once its time has passed. (The SQLite adapter sweeps instead.)"""
        return 0

    def count_rows(self) -> int:
        """How many people have anything stored (for tests and operators; scans the table)."""
        users, start = set(), None
        now = time.time()
        while True:
            kwargs = {"ExclusiveStartKey": start} if start else {}
            page = self._call(self._db.scan, TableName=self.table, ProjectionExpression="#u, #e",
                              ExpressionAttributeNames={"#u": USER, "#e": EXPIRES}, ConsistentRead=True, **kwargs)
            users.update(item[USER]["S"] for item in page.get("Items", [])
                         if not _expired(item, now) and item[USER]["S"] != META)
            start = page.get("LastEvaluatedKey")
            if not start:
                return len(users)

    # ---- items -------------------------------------------------------------------------

    def _items_of(self, user: str, projection: str) -> list[dict]:
        items, start = [], None
        while True:
            kwargs = {"ExclusiveStartKey": start} if start else {}
            page = self._call(self._db.query, TableName=self.table, ConsistentRead=True,
                              KeyConditionExpression="#u = :u", ExpressionAttributeValues={":u": {"S": user}},
                              ProjectionExpression=projection,
                              ExpressionAttributeNames={"#u": USER, "#n": NAME, "#e": EXPIRES,
                                                        **({"#v": VALUE} if "#v" in projection else {})},
                              **kwargs)
            items.extend(page.get("Items", []))
            start = page.get("LastEvaluatedKey")
            if not start:
                return items

    def _attributes_of(self, user: str) -> dict:
        now, data = time.time(), {}
        for item in self._items_of(user, "#u, #n, #v, #e"):
            if _expired(item, now):
                continue
            try:
                data[item[NAME]["S"]] = json.loads(item[VALUE]["S"])
            except (KeyError, ValueError):  # an unreadable item helps nobody: leave it out
                continue
        return data

    def _names_of(self, user: str) -> list[str]:
        return [item[NAME]["S"] for item in self._items_of(user, "#u, #n, #e")]

    def _key_of(self, user: str, name: str) -> dict:
        return {USER: {"S": user}, NAME: {"S": name}}

    def _update(self, user: str, name: str, value) -> dict:
        values = {":v": {"S": json.dumps(value, separators=(",", ":"), sort_keys=True)},
                  ":t": {"S": datetime.now(timezone.utc).isoformat(timespec="seconds")}}
        expression = "SET #v = :v, #t = :t"
        expires = self._expiry(name, value)
        if expires is not None:
            values[":e"] = {"N": str(expires)}
            expression += ", #e = :e"
        else:
            expression += " REMOVE #e"
        return {"Update": {"TableName": self.table, "Key": self._key_of(user, name), "UpdateExpression": expression,
                           "ExpressionAttributeNames": {"#v": VALUE, "#t": UPDATED, "#e": EXPIRES},
                           "ExpressionAttributeValues": values}}

    def _delete(self, user: str, name: str) -> dict:
        return {"Delete": {"TableName": self.table, "Key": self._key_of(user, name)}}

    def _expiry(self, name: str, value) -> int | None:
        """The TTL (epoch seconds) of an expiring attribute: its stamp plus its lifetime. A
        value that can't be dated expires at once (as the SQLite sweep drops it)."""
        if name not in self._expiring:
            return None
        stamp, lifetime = self._expiring[name]
        try:
            saved = datetime.fromisoformat(value[stamp])
            if saved.tzinfo is None:
                saved = saved.replace(tzinfo=timezone.utc)
        except (KeyError, TypeError, ValueError):
            return int(time.time())
        return int((saved + lifetime).timestamp())

    def _write(self, writes: list[dict]) -> None:
        if len(writes) == 1:
            (kind, call), = writes[0].items()
            method = self._db.update_item if kind == "Update" else self._db.delete_item
            self._call(method, **call)
            return
        for start in range(0, len(writes), _TRANSACTION_LIMIT):
            if writes[start:start + _TRANSACTION_LIMIT]:
                self._call(self._db.transact_write_items, TransactItems=writes[start:start + _TRANSACTION_LIMIT])

    def _call(self, method, **kwargs):
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            return method(**kwargs)
        except (ClientError, BotoCoreError) as error:
            raise DynamoDBUnavailable(f"DynamoDB {getattr(method, '__name__', 'call')} failed: {_what(error)}") \
                from error

    # ---- what each request read ------------------------------------------------------------

    def _remember(self, request_envelope, data: dict) -> None:
        self._reads.remember(request_envelope, data)

    def _read_by(self, request_envelope) -> dict | None:
        return self._reads.read_by(request_envelope)


def _expired(item: dict, now: float) -> bool:
    try:
        return float(item[EXPIRES]["N"]) <= now
    except (KeyError, ValueError):
        return False


def _code(error) -> str:
    return getattr(error, "response", {}).get("Error", {}).get("Code", "")


def _what(error) -> str:
    """A failure's kind and message, never a request's contents."""
    return _code(error) or type(error).__name__
