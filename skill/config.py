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


@dataclass(frozen=True)
class Settings:
    skill_id: str | None = None
    verify_signature: bool = True
    verify_timestamp: bool = True
    data_dir: Path = field(default_factory=lambda: Path("data"))
    history_enabled: bool = False
    resume_hours: float = 12.0
    audio_dir: Path = field(default_factory=lambda: Path("audio"))
    audio_base_url: str | None = None
    max_body_bytes: int = 128 * 1024
    store: str = "sqlite"                 # IVIG_STORE: where persistent attributes live
    dynamodb_table: str = "ivig-skill"    # IVIG_DYNAMODB_TABLE, with IVIG_STORE=dynamodb
    hash_key: str | None = field(default=None, repr=False)  # IVIG_HASH_KEY: the user-id hashing key

    @property
    def database_path(self) -> Path:
        return self.data_dir / "ivig-skill.sqlite3"

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None, **overrides) -> "Settings":
        env = os.environ if environ is None else environ
        verify = _flag(env.get("ASK_SDK_VERIFY_SIGNATURE"), True)
        settings = cls(
            skill_id=env.get("ALEXA_SKILL_ID") or None,
            verify_signature=verify,
            verify_timestamp=_flag(env.get("ASK_SDK_VERIFY_TIMESTAMP"), True),
            data_dir=Path(env.get("IVIG_DATA_DIR", "data")),
            history_enabled=_flag(env.get("IVIG_HISTORY"), False),
            resume_hours=_hours(env.get("IVIG_RESUME_HOURS", "12")),
            audio_dir=Path(env.get("IVIG_AUDIO_DIR", "audio")),
            audio_base_url=(env.get("IVIG_AUDIO_BASE_URL") or "").rstrip("/") or None,
            store=_store(env.get("IVIG_STORE", "sqlite")),
            dynamodb_table=env.get("IVIG_DYNAMODB_TABLE", "").strip() or "ivig-skill",
            hash_key=env.get("IVIG_HASH_KEY") or None,
        )
        return replace(settings, **overrides)
