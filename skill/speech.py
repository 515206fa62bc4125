"""How the skill sounds: prompts from content/prompts.toml, SSML built in one place
(escaping, "IVIG" said as letters, pauses), and each locale's emergency number and place, said
the way people there say them (content/locales.toml)."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib import resources
from xml.sax.saxutils import escape, unescape

from skill import triage

DEFAULT_LOCALE = "en-US"


@cache
def locale_table() -> dict[str, dict]:
    """content/locales.toml: each supported locale's emergency number and place, and its words."""
    text = resources.files("skill.content").joinpath("locales.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)["locales"]


# The emergency number of each supported locale (triage.md), as written.
EMERGENCY_NUMBERS = {locale: row["emergency_number"] for locale, row in locale_table().items()}
SUPPORTED_LOCALES = tuple(EMERGENCY_NUMBERS)


def _said_forms() -> dict[str, str]:
    """Written -> said, for the emergency numbers and places ("000" -> "triple zero")."""
    said: dict[str, str] = {}
    for row in locale_table().values():
        for field in ("emergency_number", "emergency_place"):
            if f"{field}_said" in row:
                written, spoken = row[field], row[f"{field}_said"]
                if said.setdefault(written, spoken) != spoken:
                    raise ValueError(f"locales.toml says {written!r} two ways")
    return said


_SAID = _said_forms()
# Said letter by letter; everything else is left to Alexa's own reading.
_SPELLED = re.compile(r"\b(IVIG|HIV)\b")
# An emergency number or place as written (never inside a longer number: "10,000" stays).
_EMERGENCY = re.compile(r"(?<![\w,.&])(%s)(?![,.]?\d)(?![\w&])" % "|".join(
    re.escape(escape(w)) for w in sorted(_SAID, key=len, reverse=True)))
_PARAGRAPH = re.compile(r"\s*\n\s*\n\s*")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def emergency_number(locale: str | None) -> str:
    """The emergency number for a request's locale; the US number for anything unknown."""
    return EMERGENCY_NUMBERS.get(locale or DEFAULT_LOCALE, EMERGENCY_NUMBERS[DEFAULT_LOCALE])


def emergency_place(locale: str | None) -> str:
    """Where to go in an emergency, the locale's way ("A&E"); the US words for anything unknown."""
    table = locale_table()
    return table.get(locale or DEFAULT_LOCALE, table[DEFAULT_LOCALE])["emergency_place"]


@cache
def _prompts() -> dict[str, dict[str, str]]:
    text = resources.files("skill.content").joinpath("prompts.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


def prompt(key: str, /, locale: str | None = None, **fields: str) -> str:
    """The words for a prompt id like "launch.welcome", with its fields filled in."""
    section, _, name = key.partition(".")
    template = _prompts()[section][name]
    fields = {**triage.forms_of(triage.YOU), **fields}  # said to the person unless told of whom
    return template.format(emergency_number=emergency_number(locale),
                           emergency_place=emergency_place(locale), **fields)


def join(*parts: str | None) -> str:
    """Sentences said one after another; empty parts are dropped."""
    return " ".join(p.strip() for p in parts if p and p.strip())


def plain(text: str) -> str:
    """The words as a person hears them, without markup or stray control characters."""
    return re.sub(r"\s+", " ", _CONTROL.sub(" ", text)).strip()


def to_ssml(text: str) -> str:
    """Speech text to SSML: escaped once, acronyms spelled, emergency numbers and places said
    the local way ("triple zero"), a pause between paragraphs. Nothing that is markup is ever
    read aloud."""
    paragraphs = [p for p in _PARAGRAPH.split(_CONTROL.sub(" ", text).strip()) if p]
    rendered = []
    for paragraph in paragraphs:
        words = escape(re.sub(r"\s+", " ", paragraph))
        words = _SPELLED.sub(r'<say-as interpret-as="characters">\1</say-as>', words)
        words = _EMERGENCY.sub(lambda m: f'<sub alias="{_SAID[unescape(m.group(1))]}">{m.group(1)}</sub>', words)
        rendered.append(words)
    return "<speak>" + '<break time="500ms"/>'.join(rendered) + "</speak>"


def spoken_date(day: date, locale: str | None, *, year: bool = True) -> str:
    """A date the way the locale says it: "October 2, 2024" in the US and Canada,
    "2 October 2024" elsewhere."""
    month = day.strftime("%B")
    if (locale or DEFAULT_LOCALE) in ("en-US", "en-CA"):
        return f"{month} {day.day}, {day.year}" if year else f"{month} {day.day}"
    return f"{day.day} {month} {day.year}" if year else f"{day.day} {month}"


@dataclass(frozen=True)
class Reply:
    """What the skill says in one turn, before it becomes Alexa JSON."""

    speech: str
    reprompt: str | None = None
    card_title: str | None = None
    card_text: str | None = None
    end_session: bool = False
