"""Deployment settings, read from the environment once, at start-up.

Every knob the deployer turns lives here; nothing else reads os.environ."""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path


def _flag(value: str | None, default: bool) -> bool:
    if value is None or value.strip() == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _hours(value: str) -> float:
    try:
        hours = float(value)
    except ValueError:
        raise ValueError(f"IVIG_RESUME_HOURS must be a number of hours, not {value!r}") from None
    if hours < 0:
        raise ValueError("IVIG_RESUME_HOURS must not be negative")
    return hours


STORES = ("sqlite", "dynamodb")


def _store(value: str) -> str:
    kind = value.strip().lower() or "sqlite"
    if kind not in STORES:
        raise ValueError(f"IVIG_STORE must be one of {', '.join(STORES)}, not {value!r}")
    return kind


KEY_BYTES = 32  # the hashing key: 32 random bytes, written as 64 hex digits


def parse_hash_key(text: str, source: str) -> bytes:
    """A hashing key from its written form (64 hex digits), or ValueError naming `source`."""
    try:
        key = bytes.fromhex(text.strip())
    except ValueError:
        key = b""
    if len(key) != KEY_BYTES:
        raise ValueError(f"{source} must be {2 * KEY_BYTES} hex digits (a {KEY_BYTES}-byte key), e.g. the "
                         "output of: python3 -c 'import secrets; print(secrets.token_hex(32))'")
    return key


def _keep_health_data(env) -> bool:
    """IVIG_KEEP_HEALTH_DATA, off unless the deployment says so. It replaced IVIG_HISTORY: a
    deployment still asking for history that way is told, rather than silently not given it."""
    if _flag(env.get("IVIG_HISTORY"), False) and env.get("IVIG_KEEP_HEALTH_DATA") is None:
        raise ValueError("IVIG_HISTORY is replaced by IVIG_KEEP_HEALTH_DATA, which keeps health data "
                         "(unfinished checks and history); set it only on a HIPAA-eligible deployment")
    return _flag(env.get("IVIG_KEEP_HEALTH_DATA"), False)


@dataclass(frozen=True)
class Settings:
    skill_id: str | None = None
    verify_signature: bool = True
    verify_timestamp: bool = True
    data_dir: Path = field(default_factory=lambda: Path("data"))
    keep_health_data: bool = False  # IVIG_KEEP_HEALTH_DATA: the unfinished check and the history
    resume_hours: float = 12.0
    audio_dir: Path = field(default_factory=lambda: Path("audio"))
    audio_base_url: str | None = None
    max_body_bytes: int = 128 * 1024
    store: str = "sqlite"                 # IVIG_STORE: where persistent attributes live
    dynamodb_table: str = "ivig-skill"    # IVIG_DYNAMODB_TABLE, with IVIG_STORE=dynamodb
    # IVIG_HASH_KEY: the key user ids are hashed with, where several instances share a store;
    # None: a key file made once beside the SQLite file (`key_path`).
    hash_key: bytes | None = field(default=None, repr=False)

    @property
    def database_path(self) -> Path:
        return self.data_dir / "ivig-skill.sqlite3"

    @property
    def key_path(self) -> Path:
        """The hashing key's file where IVIG_HASH_KEY is not set: beside the SQLite file."""
        return self.database_path.with_suffix(".key")

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None, **overrides) -> "Settings":
        env = os.environ if environ is None else environ
        verify = _flag(env.get("ASK_SDK_VERIFY_SIGNATURE"), True)
        settings = cls(
            skill_id=env.get("ALEXA_SKILL_ID") or None,
            verify_signature=verify,
            verify_timestamp=_flag(env.get("ASK_SDK_VERIFY_TIMESTAMP"), True),
            data_dir=Path(env.get("IVIG_DATA_DIR", "data")),
            keep_health_data=_keep_health_data(env),
            resume_hours=_hours(env.get("IVIG_RESUME_HOURS", "12")),
            audio_dir=Path(env.get("IVIG_AUDIO_DIR", "audio")),
            audio_base_url=(env.get("IVIG_AUDIO_BASE_URL") or "").rstrip("/") or None,
            store=_store(env.get("IVIG_STORE", "sqlite")),
            dynamodb_table=env.get("IVIG_DYNAMODB_TABLE", "").strip() or "ivig-skill",
            hash_key=parse_hash_key(env["IVIG_HASH_KEY"], "IVIG_HASH_KEY") if env.get("IVIG_HASH_KEY") else None,
        )
        return replace(settings, **overrides)
