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
from contextlib import closing, contextmanager
from datetime import datetime, timedelta, timezone
from pathlib import Path

from ask_sdk_core.attributes_manager import AbstractPersistenceAdapter
from ask_sdk_core.exceptions import AttributesManagerException, PersistenceException

from skill.config import KEY_BYTES, Settings, parse_hash_key



class StoreError(PersistenceException):
    """Storage failed and what was asked was not done: a save (or a delete) did not happen
    because the disk is full, the folder or file is read-only, or the database is locked or
    damaged. Raised by the adapters' `save_attributes` and `delete_attributes` (so by ask-sdk's
    `save_persistent_attributes`), with a message that says what happened and holds no user id
    and nothing the person said. Whoever catches it must not tell the person anything was kept."""


class StoreSetupError(StoreError):
    """The store cannot start: the data folder, the database or the hashing key is missing,
    unwritable or wrong. The message says what happened and what to do; shown at start-up."""


# What storage can raise: no user id in the request, or the database unavailable.
STORAGE_ERRORS = (PersistenceException, AttributesManagerException, sqlite3.Error, OSError)

_KEY_CHECK_LABEL = b"ivig-skill key check"


def hash_user_id(key: bytes, user_id: str) -> str:
    """A user id as stored: HMAC-SHA-256 under the hashing key, in hex."""
    return hmac.new(key, user_id.encode("utf-8"), hashlib.sha256).hexdigest()


def key_check(key: bytes) -> str:
    """A fingerprint of the hashing key that a store records beside its rows, so that a store
    started with another key (a lost key file, a changed IVIG_HASH_KEY) says so instead of
    silently finding no one. It reveals nothing about the key."""
    return hmac.new(key, _KEY_CHECK_LABEL, hashlib.sha256).hexdigest()[:32]


def hash_key(settings: Settings, *, stored_before: bool, store: object = "the store") -> bytes:
    """The key user ids are hashed with, for any store (SQLite or DynamoDB): IVIG_HASH_KEY where
    set (`settings.hash_key`); otherwise the key file beside the SQLite file (`settings.key_path`),
    made once. `stored_before`: whether the store already holds rows (or a recorded `key_check`).
    Raises StoreSetupError, saying what happened, when the key file is missing although the store
    holds rows (a new key would orphan every one of them), unreadable, or damaged."""
    return load_hash_key(settings.hash_key, settings.key_path, stored_before=stored_before, store=store)


def load_hash_key(configured: bytes | None, key_path: Path, *, stored_before: bool,
                  store: object = "the store") -> bytes:
    """`hash_key` without Settings: `configured` (IVIG_HASH_KEY) if given, else `key_path`.

    The key file is 64 hex digits (the same form as IVIG_HASH_KEY, so its text can be moved into
    that variable), mode 600. The first process to start writes it, atomically (a draft linked
    into place), and only while the store holds nothing."""
    if configured is not None:
        return configured
    key_path = Path(key_path)
    if not key_path.exists():
        if stored_before:
            raise StoreSetupError(
                f"The hashing key file {key_path} is missing, but {store} holds data stored with it. "
                "A new key would orphan every stored row, so none was made. Restore the key file "
                "from a backup (or set IVIG_HASH_KEY to its 64 hex digits), or move the database "
                "away to start afresh (which forgets everything kept).")
        _create_key_file(key_path)
    try:
        text = key_path.read_text(encoding="ascii")
    except (OSError, UnicodeDecodeError) as error:
        raise StoreSetupError(f"The hashing key file {key_path} cannot be read: {error}") from error
    try:
        return parse_hash_key(text, f"The hashing key file {key_path}")
    except ValueError as error:
        raise StoreSetupError(f"{error}; it is damaged: restore it from a backup.") from None


def _create_key_file(key_path: Path) -> None:
    draft = key_path.with_name(f".{key_path.name}.{secrets.token_hex(4)}")
    try:
        fd = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_bytes(KEY_BYTES).hex() + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        try:
            os.link(draft, key_path)  # fails if another process got there first
        except FileExistsError:
            pass
        finally:
            os.unlink(draft)
    except OSError as error:
        raise StoreSetupError(f"The hashing key file {key_path} cannot be written: {error.strerror}. "
                              "The data folder must be writable by the service's user.") from error

_SCHEMA = """
CREATE TABLE IF NOT EXISTS attributes (
    user_hash TEXT PRIMARY KEY,
    data TEXT NOT NULL,
    updated_at TEXT NOT NULL DEFAULT (datetime('now'))
)
"""


_META_SCHEMA = "CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL)"

_WHERE_TO_KEEP_DATA = ("Make it writable by the service's user, or set IVIG_DATA_DIR (or --data-dir) "
                       "to a folder that is.")

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


class RequestReads:
    """What each request in flight read (or last wrote), so that an adapter can tell the request's
    own changes from others' and write back only those; shared by every store."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._read: OrderedDict[str, dict] = OrderedDict()

    def remember(self, request_envelope, data: dict) -> None:
        with self._lock:
            self._read[_request_id(request_envelope)] = copy.deepcopy(data)
            while len(self._read) > _REMEMBERED_REQUESTS:
                self._read.popitem(last=False)

    def read_by(self, request_envelope) -> dict | None:
        with self._lock:
            return self._read.get(_request_id(request_envelope))

    def forget(self, request_envelope) -> None:
        with self._lock:
            self._read.pop(_request_id(request_envelope), None)


class SQLiteAdapter(AbstractPersistenceAdapter):
    """Persistent attributes in one SQLite file; safe across threads and processes.

    Used the way a long-running server uses SQLite: each thread keeps one connection open,
    the file is in write-ahead-log mode with `synchronous=NORMAL` (a commit is one append to
    the log, synced to disk only at checkpoints: a crashed process loses nothing; a power cut
    can lose the last commits before the checkpoint, never the file). The database, its log
    and the key are mode 600. Any failure to write is a StoreError saying so."""

    def __init__(self, path: Path | str, *, key: bytes | None = None):
        """`key`: the hashing key where one is configured (IVIG_HASH_KEY); None: the key file
        beside the database, made once (see `load_hash_key`). Raises StoreSetupError, saying
        what to do, when the data folder, the database or the key cannot be used."""
        self.path = Path(path)
        self._lock = threading.Lock()
        self._local = threading.local()
        self._reads = RequestReads()
        self._prepare_files()
        try:
            self._create_schema()
            self._key = self._check_key(key)
        except sqlite3.Error as error:
            raise StoreSetupError(f"The database {self.path} cannot be used: {error}. The data folder "
                                  "and the file must be writable by the service's user.") from error

    def _prepare_files(self) -> None:
        """The data folder exists and is writable; the database and whatever SQLite and the key
        keep beside it are readable by this user only, even when they already existed."""
        folder = self.path.parent
        try:
            folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        except OSError as error:
            raise StoreSetupError(f"The data folder {folder} cannot be created: {error.strerror}. "
                                  f"{_WHERE_TO_KEEP_DATA}") from error
        if not folder.is_dir():
            raise StoreSetupError(f"The data folder {folder} is not a folder. {_WHERE_TO_KEEP_DATA}")
        if not os.access(folder, os.W_OK | os.X_OK):
            raise StoreSetupError(f"The data folder {folder} is not writable by this user; the skill keeps "
                                  f"its database and hashing key there. {_WHERE_TO_KEEP_DATA}")
        try:
            os.close(os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600))
            for companion in (self.path, *(self.path.with_name(self.path.name + suffix) for suffix in
                                           ("-wal", "-shm")), self.path.with_suffix(".key")):
                if companion.exists():  # SQLite gives its log the database file's mode
                    os.chmod(companion, 0o600)
        except OSError as error:
            raise StoreSetupError(f"The database {self.path} cannot be opened for writing or made private "
                                  f"(mode 600): {error.strerror}. {_WHERE_TO_KEEP_DATA}") from error

    def _create_schema(self, attempts: int = 100) -> None:
        """WAL mode and the tables. Switching to WAL can meet a lock that SQLite's busy timeout
        does not wait for when several processes start at once, so try again a moment later."""
        for attempt in range(attempts):
            try:
                with closing(sqlite3.connect(self.path, timeout=10)) as db, db:
                    db.execute("PRAGMA journal_mode=WAL")
                    db.execute(_SCHEMA)
                    db.execute(_META_SCHEMA)
                return
            except sqlite3.OperationalError as error:
                if "locked" not in str(error) or attempt == attempts - 1:
                    raise
                time.sleep(0.02)

    def _db(self) -> sqlite3.Connection:
        """This thread's connection, opened once and kept while the file at `path` is the one
        it opened: a database moved, deleted or replaced under a running server is opened
        afresh (or fails, saying so), never written as a ghost that no one will read."""
        db = getattr(self._local, "db", None)
        try:
            found = os.stat(self.path)
        except OSError as error:
            self._drop_connection()
            raise sqlite3.OperationalError(f"the database file is gone ({error.strerror})") from error
        if db is not None and getattr(self._local, "file", None) != (found.st_dev, found.st_ino):
            self._drop_connection()
            db = None
        if db is None:
            db = sqlite3.connect(self.path, timeout=10)
            db.execute("PRAGMA synchronous=NORMAL")
            self._local.db, self._local.file = db, (found.st_dev, found.st_ino)
        return db

    def _drop_connection(self) -> None:
        """After a failed write the connection may be unusable: the next request opens a new one."""
        db = getattr(self._local, "db", None)
        self._local.db = None
        if db is not None:
            try:
                db.close()
            except sqlite3.Error:
                pass

    @contextmanager
    def _writing(self, what: str):
        """One write transaction on this thread's connection; any failure is a StoreError."""
        try:
            with self._lock:
                db = self._db()
                with db:
                    db.execute("BEGIN IMMEDIATE")
                    yield db
        except (sqlite3.Error, OSError) as error:
            self._drop_connection()
            raise StoreError(f"{what} did not happen: {error}") from error

    def hash_user(self, user_id: str) -> str:
        return hash_user_id(self._key, user_id)

    def _check_key(self, configured: bytes | None) -> bytes:
        """The hashing key, checked against the one this database's rows were stored with."""
        with closing(sqlite3.connect(self.path, timeout=10)) as db, db:
            recorded = db.execute("SELECT value FROM meta WHERE name = 'key_check'").fetchone()
            rows = db.execute("SELECT COUNT(*) FROM attributes").fetchone()[0]
            key = load_hash_key(configured, self.path.with_suffix(".key"),
                                stored_before=recorded is not None or rows > 0, store=self.path)
            check = key_check(key)
            if recorded is None:
                db.execute("INSERT OR IGNORE INTO meta (name, value) VALUES ('key_check', ?)", (check,))
                recorded = db.execute("SELECT value FROM meta WHERE name = 'key_check'").fetchone()
        if recorded[0] != check:
            raise StoreSetupError(
                f"The hashing key ({'IVIG_HASH_KEY' if configured else self.path.with_suffix('.key')}) is not "
                f"the one the data in {self.path} was stored with, so no one's kept data could be found. "
                "Restore the key it was stored with, or move the database away to start afresh "
                "(which forgets everything kept).")
        return key

    def get_attributes(self, request_envelope) -> dict:
        key = self.hash_user(user_id_of(request_envelope))
        try:
            data = self._row(self._db(), key)
        except sqlite3.Error as error:
            self._drop_connection()
            raise StoreError(f"reading the stored attributes did not happen: {error}") from error
        self._remember(request_envelope, data)
        return copy.deepcopy(data)

    def save_attributes(self, request_envelope, attributes: dict) -> None:
        """Writes what this request changed since it read the row, so that two requests of one
        person at the same moment (a playback event and a spoken request) don't undo each
        other's change: keys it set are written, keys it removed are removed, others are kept.
        Raises StoreError when the save did not happen (then nothing of it was written)."""
        key = self.hash_user(user_id_of(request_envelope))
        read = self._read_by(request_envelope)
        with self._writing("saving") as db:
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
        except (ValueError, RecursionError):
            return {}
        return data if isinstance(data, dict) else {}

    def _remember(self, request_envelope, data: dict) -> None:
        self._reads.remember(request_envelope, data)

    def _read_by(self, request_envelope) -> dict | None:
        return self._reads.read_by(request_envelope)

    def delete_attributes(self, request_envelope) -> None:
        """Raises StoreError when the delete did not happen."""
        key = self.hash_user(user_id_of(request_envelope))
        with self._writing("deleting") as db:
            db.execute("DELETE FROM attributes WHERE user_hash = ?", (key,))

    def remove_expired(self, key: str, stamp: str, older_than: timedelta) -> int:
        """Drop attribute `key` from every row whose `key.stamp` (ISO time) is older than
        `older_than`; a row left empty goes. Returns how many rows changed. (An unfinished
        symptom check of someone who never comes back must not stay for ever.)"""
        cutoff = datetime.now(timezone.utc) - older_than
        changed = 0
        with self._writing("removing expired entries") as db:
            for user_hash, data in db.execute("SELECT user_hash, data FROM attributes").fetchall():
                try:
                    attributes = json.loads(data)
                except (ValueError, RecursionError):
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
        return self._db().execute("SELECT COUNT(*) FROM attributes").fetchone()[0]

    def close(self) -> None:
        """Closes this thread's connection (others close with their threads)."""
        self._drop_connection()
