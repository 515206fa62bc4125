"""Persistence: an SQLite file behind ask-sdk's persistence-adapter interface.

One row per person, keyed by a keyed hash of the Alexa user id (the raw id is never
stored or logged); a request writes back only what it changed. What lives in a row is the skill's persistent attributes: a paused
symptom check (so the next launch can offer to continue it), the listening position,
and saved checks only where the deployment enables history and the person agreed."""

from __future__ import annotations

import copy
import hashlib
import hmac
import json
import os
import secrets
import sqlite3
import threading
import time
from collections import OrderedDict
from contextlib import closing
from datetime import datetime, timedelta, timezone
from pathlib import Path

from ask_sdk_core.attributes_manager import AbstractPersistenceAdapter
from ask_sdk_core.exceptions import AttributesManagerException, PersistenceException

# What storage can raise: no user id in the request, or the database unavailable.
STORAGE_ERRORS = (PersistenceException, AttributesManagerException, sqlite3.Error, OSError)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS attributes (
    user_hash TEXT PRIMARY KEY,
    data TEXT NOT NULL,
    updated_at TEXT NOT NULL DEFAULT (datetime('now'))
)
"""


_ABSENT = object()
_REMEMBERED_REQUESTS = 1024  # requests in flight at once, with room to spare


def _request_id(request_envelope) -> str:
    request_id = getattr(getattr(request_envelope, "request", None), "request_id", None)
    return request_id or f"unidentified-{id(request_envelope)}"


def user_id_of(request_envelope) -> str:
    """The Alexa user id of a request, or raise PersistenceException when there is none."""
    try:
        user_id = request_envelope.context.system.user.user_id
    except AttributeError:
        user_id = None
    if not user_id:
        raise PersistenceException("request has no user id")
    return user_id


class SQLiteAdapter(AbstractPersistenceAdapter):
    """Persistent attributes in one SQLite file; safe across threads and processes."""

    def __init__(self, path: Path | str):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._read: OrderedDict[str, dict] = OrderedDict()
        self.path.touch(mode=0o600, exist_ok=True)  # health data: readable by this user only
        self._create_schema()
        self._key = self._load_key()

    def _create_schema(self, attempts: int = 100) -> None:
        """WAL mode and the table. Switching to WAL can meet a lock that SQLite's busy timeout
        does not wait for when several processes start at once, so try again a moment later."""
        for attempt in range(attempts):
            try:
                with closing(self._connect()) as db, db:
                    db.execute("PRAGMA journal_mode=WAL")
                    db.execute(_SCHEMA)
                return
            except sqlite3.OperationalError as error:
                if "locked" not in str(error) or attempt == attempts - 1:
                    raise
                time.sleep(0.02)

    def _connect(self) -> sqlite3.Connection:
        return sqlite3.connect(self.path, timeout=10)

    def _load_key(self) -> bytes:
        """A secret kept beside the database (mode 600) so the stored hashes can't be reversed
        by hashing known user ids. The first process to start writes it, atomically."""
        key_path = self.path.with_suffix(".key")
        if not key_path.exists():
            draft = key_path.with_name(f".{key_path.name}.{secrets.token_hex(4)}")
            fd = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w") as handle:
                handle.write(secrets.token_bytes(32).hex())
            try:
                os.link(draft, key_path)  # fails if another process got there first
            except FileExistsError:
                pass
            finally:
                os.unlink(draft)
        key = bytes.fromhex(key_path.read_text().strip())
        if len(key) != 32:
            raise ValueError(f"{key_path} does not hold a 32-byte key; remove it to make a new one")
        return key

    def hash_user(self, user_id: str) -> str:
        return hmac.new(self._key, user_id.encode("utf-8"), hashlib.sha256).hexdigest()

    def get_attributes(self, request_envelope) -> dict:
        key = self.hash_user(user_id_of(request_envelope))
        with closing(self._connect()) as db:
            data = self._row(db, key)
        self._remember(request_envelope, data)
        return copy.deepcopy(data)

    def save_attributes(self, request_envelope, attributes: dict) -> None:
        """Writes what this request changed since it read the row, so that two requests of one
        person at the same moment (a playback event and a spoken request) don't undo each
        other's change: keys it set are written, keys it removed are removed, others are kept."""
        key = self.hash_user(user_id_of(request_envelope))
        read = self._read_by(request_envelope)
        with self._lock, closing(self._connect()) as db, db:
            db.execute("BEGIN IMMEDIATE")
            current = self._row(db, key)
            if read is None:  # written without being read first: the whole row is this
                merged = dict(attributes)
            else:
                merged = {k: v for k, v in current.items() if k not in read or k in attributes}
                merged.update({k: v for k, v in attributes.items() if read.get(k, _ABSENT) != v})
            if merged:
                db.execute(
                    "INSERT INTO attributes (user_hash, data) VALUES (?, ?) ON CONFLICT(user_hash) "
                    "DO UPDATE SET data = excluded.data, updated_at = datetime('now')",
                    (key, json.dumps(merged, separators=(",", ":"), sort_keys=True)))
            else:
                db.execute("DELETE FROM attributes WHERE user_hash = ?", (key,))
        self._remember(request_envelope, attributes)

    @staticmethod
    def _row(db: sqlite3.Connection, key: str) -> dict:
        row = db.execute("SELECT data FROM attributes WHERE user_hash = ?", (key,)).fetchone()
        try:
            data = json.loads(row[0]) if row else {}
        except ValueError:
            return {}
        return data if isinstance(data, dict) else {}

    def _remember(self, request_envelope, data: dict) -> None:
        """What this request read (or last wrote), to tell its own changes from others'."""
        with self._lock:
            self._read[_request_id(request_envelope)] = copy.deepcopy(data)
            while len(self._read) > _REMEMBERED_REQUESTS:
                self._read.popitem(last=False)

    def _read_by(self, request_envelope) -> dict | None:
        with self._lock:
            return self._read.get(_request_id(request_envelope))

    def delete_attributes(self, request_envelope) -> None:
        key = self.hash_user(user_id_of(request_envelope))
        with self._lock, closing(self._connect()) as db, db:
            db.execute("DELETE FROM attributes WHERE user_hash = ?", (key,))

    def remove_expired(self, key: str, stamp: str, older_than: timedelta) -> int:
        """Drop attribute `key` from every row whose `key.stamp` (ISO time) is older than
        `older_than`; a row left empty goes. Returns how many rows changed. (An unfinished
        symptom check of someone who never comes back must not stay for ever.)"""
        cutoff = datetime.now(timezone.utc) - older_than
        changed = 0
        with self._lock, closing(self._connect()) as db, db:
            for user_hash, data in db.execute("SELECT user_hash, data FROM attributes").fetchall():
                try:
                    attributes = json.loads(data)
                except ValueError:
                    attributes = None
                if not isinstance(attributes, dict):  # an unreadable row helps nobody: drop it
                    db.execute("DELETE FROM attributes WHERE user_hash = ?", (user_hash,))
                    changed += 1
                    continue
                if key not in attributes:
                    continue
                try:
                    expired = datetime.fromisoformat(attributes[key][stamp]) < cutoff
                except (ValueError, KeyError, TypeError):
                    expired = True  # an entry we can't date is not kept
                if not expired:
                    continue
                attributes.pop(key)
                if attributes:
                    db.execute("UPDATE attributes SET data = ? WHERE user_hash = ?",
                               (json.dumps(attributes, separators=(",", ":"), sort_keys=True), user_hash))
                else:
                    db.execute("DELETE FROM attributes WHERE user_hash = ?", (user_hash,))
                changed += 1
        return changed

    def count_rows(self) -> int:
        """How many people have anything stored (for tests and operators)."""
        with closing(self._connect()) as db:
            return db.execute("SELECT COUNT(*) FROM attributes").fetchone()[0]
