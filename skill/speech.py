"""How the skill sounds: prompts from content/prompts.toml, SSML built in one place
(escaping, "IVIG" said as letters, pauses), and each locale's emergency number."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib import resources
from xml.sax.saxutils import escape

DEFAULT_LOCALE = "en-US"

# One table for the emergency number of each supported locale (triage.md).
EMERGENCY_NUMBERS = {
    "en-US": "911",
    "en-CA": "911",
    "en-GB": "999",
    "en-AU": "000",
    "en-IN": "112",
}
SUPPORTED_LOCALES = tuple(EMERGENCY_NUMBERS)

# Said letter by letter; everything else is left to Alexa's own reading.
_SPELLED = re.compile(r"\b(IVIG|HIV)\b")
_EMERGENCY = re.compile(r"(?<![\d,.])\b(911|999|000|112)\b(?![,.]?\d)")
_PARAGRAPH = re.compile(r"\s*\n\s*\n\s*")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def emergency_number(locale: str | None) -> str:
    """The emergency number for a request's locale; the US number for anything unknown."""
    return EMERGENCY_NUMBERS.get(locale or DEFAULT_LOCALE, EMERGENCY_NUMBERS[DEFAULT_LOCALE])


@cache
def _prompts() -> dict[str, dict[str, str]]:
    text = resources.files("skill.content").joinpath("prompts.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


def prompt(key: str, /, locale: str | None = None, **fields: str) -> str:
    """The words for a prompt id like "launch.welcome", with its fields filled in."""
    section, _, name = key.partition(".")
    template = _prompts()[section][name]
    return template.format(emergency_number=emergency_number(locale), **fields)


def join(*parts: str | None) -> str:
    """Sentences said one after another; empty parts are dropped."""
    return " ".join(p.strip() for p in parts if p and p.strip())


def plain(text: str) -> str:
    """The words as a person hears them, without markup or stray control characters."""
    return re.sub(r"\s+", " ", _CONTROL.sub(" ", text)).strip()


def to_ssml(text: str) -> str:
    """Speech text to SSML: escaped once, acronyms spelled, emergency numbers as digits,
    a pause between paragraphs. Nothing that is markup is ever read aloud."""
    paragraphs = [p for p in _PARAGRAPH.split(_CONTROL.sub(" ", text).strip()) if p]
    rendered = []
    for paragraph in paragraphs:
        words = escape(re.sub(r"\s+", " ", paragraph))
        words = _SPELLED.sub(r'<say-as interpret-as="characters">\1</say-as>', words)
        words = _EMERGENCY.sub(r'<say-as interpret-as="digits">\1</say-as>', words)
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
