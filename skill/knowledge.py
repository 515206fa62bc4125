"""The skill's knowledge: content/topics.toml and content/article.md as frozen dataclasses.

Everything is read and validated on first use (never at import) and cached; a mistake in the
content raises ContentError naming the file, the topic and the field.
"""

from __future__ import annotations

import functools
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from types import MappingProxyType
from typing import Any

CONTENT_DIR = Path(__file__).parent / "content"

# The topic ids of ../shared/spec/topics.md, in its order: a contract the evaluation relies on.
TOPIC_IDS = (
    "what_is_ivig",
    "immunodeficiency",
    "conditions",
    "how_it_works",
    "preparation",
    "procedure",
    "duration",
    "benefits",
    "pregnancy",
    "risk",
    "side_effects",
    "side_effects_mild",
    "side_effects_severe",
    "side_effect_timing",
    "treatment_course",
    "when_to_call",
    "outlook",
)
OUT_OF_SCOPE = "out_of_scope"

_REQUIRED_TOPIC_KEYS = frozenset({"title", "answer", "more", "section", "related"})
_OPTIONAL_TOPIC_KEYS = frozenset({"intent"})
_SOURCE_KEYS = frozenset({"title", "publisher", "reviewed", "spoken"})
_INTENT = re.compile(r"[A-Z][A-Za-z]*Intent")
# Spoken text: words and plain punctuation; no markup, URLs or symbols except "%".
_SPOKEN = re.compile(r"[\w\s.,;:'?!%()-]*")
_SENTENCE_END = re.compile(r"(?<=[.?!])\s+(?=[A-Z])")


class ContentError(ValueError):
    """The content files are not what the skill needs; the message says where and why."""


@dataclass(frozen=True)
class Topic:
    id: str
    title: str
    answer: str
    more: str
    section: str
    related: str
    intent: str | None


@dataclass(frozen=True)
class Source:
    title: str
    publisher: str
    reviewed: date
    spoken: str


@dataclass(frozen=True)
class Section:
    title: str
    text: str


@dataclass(frozen=True)
class Content:
    topics: Mapping[str, Topic]
    out_of_scope_text: str
    source: Source


# --- public, cached accessors ---------------------------------------------------------------


def topics() -> Mapping[str, Topic]:
    """Every topic the skill answers, keyed by id, in the order of the spec."""
    return _content().topics


def out_of_scope_text() -> str:
    return _content().out_of_scope_text


def source() -> Source:
    return _content().source


def article_text() -> str:
    """The article body as plain text: headings and list items on lines of their own."""
    return "\n\n".join(f"{s.title}\n\n{s.text}" if i else s.text for i, s in enumerate(article_sections()))


@functools.cache
def article_sections() -> tuple[Section, ...]:
    """The article split at its "##" headings; the opening paragraph is "Introduction"."""
    return parse_article((CONTENT_DIR / "article.md").read_text(encoding="utf-8"))


@functools.cache
def _content() -> Content:
    return load_content(CONTENT_DIR / "topics.toml", article_sections())


# --- parsing and validation -----------------------------------------------------------------


def parse_article(markdown: str) -> tuple[Section, ...]:
    """Plain-text sections of the cleaned article: drops the title and capture notes, keeps wording."""
    sections: list[tuple[str, list[str]]] = [("Introduction", [])]
    for line in markdown.replace("\u2019", "'").splitlines():
        line = line.strip()
        if line.startswith("## "):
            sections.append((line[3:].strip(), []))
        elif line.startswith("### "):
            sections[-1][1].extend(["", line[4:].strip(), ""])
        elif line.startswith("# ") or _is_capture_note(line):
            continue
        elif line.startswith("- "):
            sections[-1][1].append(line[2:].strip())
        else:
            sections[-1][1].append(line)
    return tuple(Section(title, _tidy_lines(lines)) for title, lines in sections if _tidy_lines(lines))


def _is_capture_note(line: str) -> bool:
    return line.startswith(("Source:", "Medically reviewed:", "Captured text"))


def _tidy_lines(lines: list[str]) -> str:
    """Joins lines, keeping at most one blank line between blocks and none at the ends."""
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def load_content(path: Path, sections: tuple[Section, ...]) -> Content:
    """Reads and validates a topics file; raises ContentError on any problem."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        raise ContentError(f"{path.name}: not valid TOML: {error}") from error
    return parse_content(data, sections, where=path.name)


def parse_content(data: Mapping[str, Any], sections: tuple[Section, ...], where: str = "topics.toml") -> Content:
    _check_keys(data, required={"source", "out_of_scope", "topics"}, where=where)
    raw_topics = _table(data, "topics", where)
    missing = [tid for tid in TOPIC_IDS if tid not in raw_topics]
    unknown = [tid for tid in raw_topics if tid not in TOPIC_IDS]
    if missing or unknown:
        raise ContentError(f"{where}: topics missing {missing or 'none'}, unknown {unknown or 'none'}")
    section_titles = {s.title for s in sections}
    built = {tid: _parse_topic(tid, raw_topics[tid], section_titles, where) for tid in TOPIC_IDS}
    _check_across_topics(built, where)

    out_of_scope = _table(data, "out_of_scope", where)
    _check_keys(out_of_scope, required={"text"}, where=f"{where} [out_of_scope]")
    decline = _spoken(out_of_scope, "text", f"{where} [out_of_scope]")

    raw_source = _table(data, "source", where)
    _check_keys(raw_source, required=_SOURCE_KEYS, where=f"{where} [source]")
    reviewed = raw_source["reviewed"]
    if not isinstance(reviewed, date):
        raise ContentError(f"{where} [source]: 'reviewed' must be a date like 2024-10-02")
    src = Source(
        title=_text(raw_source, "title", f"{where} [source]"),
        publisher=_text(raw_source, "publisher", f"{where} [source]"),
        reviewed=reviewed,
        spoken=_spoken(raw_source, "spoken", f"{where} [source]"),
    )
    return Content(topics=MappingProxyType(built), out_of_scope_text=decline, source=src)


def _parse_topic(tid: str, raw: Any, section_titles: set[str], where: str) -> Topic:
    here = f"{where} topic '{tid}'"
    if not isinstance(raw, Mapping):
        raise ContentError(f"{here}: must be a table")
    _check_keys(raw, required=_REQUIRED_TOPIC_KEYS, optional=_OPTIONAL_TOPIC_KEYS, where=here)
    answer = _spoken(raw, "answer", here)
    if not 1 <= len(_SENTENCE_END.split(answer)) <= 3:
        raise ContentError(f"{here}: 'answer' must be one to three sentences")
    more = _spoken(raw, "more", here, allow_empty=True)
    section = _text(raw, "section", here)
    if section not in section_titles:
        raise ContentError(f"{here}: section {section!r} is not an article heading {sorted(section_titles)}")
    related = _text(raw, "related", here)
    if related not in TOPIC_IDS or related == tid:
        raise ContentError(f"{here}: related {related!r} must be another known topic id")
    intent = raw.get("intent")
    if intent is not None and not (isinstance(intent, str) and _INTENT.fullmatch(intent)):
        raise ContentError(f"{here}: intent {intent!r} must look like 'SideEffectsIntent'")
    return Topic(tid, _text(raw, "title", here), answer, more, section, related, intent)


def _check_across_topics(built: Mapping[str, Topic], where: str) -> None:
    """An intent name may belong to one topic only."""
    intents: dict[str, str] = {}
    for topic in built.values():
        if topic.intent:
            if topic.intent in intents:
                raise ContentError(
                    f"{where}: intent {topic.intent!r} is used by both '{intents[topic.intent]}' and '{topic.id}'"
                )
            intents[topic.intent] = topic.id


def _check_keys(
    table: Mapping[str, Any], required: set[str] | frozenset[str], where: str, optional: frozenset[str] = frozenset()
) -> None:
    unknown = sorted(set(table) - required - optional)
    if unknown:
        raise ContentError(f"{where}: unknown key(s) {unknown}")
    missing = sorted(required - set(table))
    if missing:
        raise ContentError(f"{where}: missing key(s) {missing}")


def _table(data: Mapping[str, Any], key: str, where: str) -> Mapping[str, Any]:
    value = data[key]
    if not isinstance(value, Mapping):
        raise ContentError(f"{where}: [{key}] must be a table")
    return value


def _text(table: Mapping[str, Any], key: str, where: str, allow_empty: bool = False) -> str:
    value = table[key]
    if not isinstance(value, str) or (not allow_empty and not value.strip()):
        raise ContentError(f"{where}: {key!r} must be {'a' if allow_empty else 'a non-empty'} string")
    return value.strip()


def _spoken(table: Mapping[str, Any], key: str, where: str, allow_empty: bool = False) -> str:
    value = _text(table, key, where, allow_empty)
    if not _SPOKEN.fullmatch(value) or "http" in value.lower() or "www" in value.lower():
        raise ContentError(f"{where}: {key!r} may hold only words and plain punctuation (no markup, URLs, symbols)")
    return value


# --- the question corpus and how the matcher reads words --------------------------------------

QUESTIONS_DIR = CONTENT_DIR / "questions"
_CORPUS_LINE = re.compile(r"[a-z0-9']+(?: [a-z0-9']+)*")


@dataclass(frozen=True)
class DeclinedSubject:
    """A subject the article says nothing about, named by any of `phrases` (plain words);
    with `along`, only when one of those is said too."""

    subject: str
    phrases: tuple[str, ...]
    along: tuple[str, ...] = ()


@dataclass(frozen=True)
class Matching:
    max_chars: int
    spoken_forms: Mapping[str, str]  # what a recogniser writes -> the word meant, both plain words
    declined: tuple[DeclinedSubject, ...]
    joins: tuple[str, ...] = ()  # [parts]: the words that join two questions in one breath
    openers: frozenset[str] = frozenset()  # ... the words a joined question opens with
    asking: frozenset[str] = frozenset()  # ... or opens with before one of `subjects`
    subjects: frozenset[str] = frozenset()
    refers_back: frozenset[str] = frozenset()  # a part with one of these leans on the rest


@functools.cache
def question_corpus(directory: Path = QUESTIONS_DIR) -> Mapping[str, tuple[str, ...]]:
    """Example questions by topic id (and `out_of_scope`), from content/questions/<id>.txt: the
    matcher's training data and the source of the topic intents' sample utterances."""
    corpus: dict[str, tuple[str, ...]] = {}
    owner: dict[str, str] = {}
    for tid in (*TOPIC_IDS, OUT_OF_SCOPE):
        path = directory / f"{tid}.txt"
        if not path.is_file():
            raise ContentError(f"questions/{tid}.txt is missing")
        lines = corpus_lines(path)
        for number, line in lines:
            if not _CORPUS_LINE.fullmatch(line):
                raise ContentError(f"questions/{tid}.txt line {number}: {line!r} must be lowercase words, "
                                   "digits and apostrophes, single spaces")
            if line in owner:
                raise ContentError(f"questions/{tid}.txt line {number}: {line!r} is also under '{owner[line]}'")
            owner[line] = tid
        corpus[tid] = tuple(line for _, line in lines)
    return MappingProxyType(corpus)


def corpus_lines(path: Path) -> list[tuple[int, str]]:
    """(line number, text) of a corpus file, without blank lines and `#` comments."""
    text = path.read_text(encoding="utf-8")
    return [(n, line.strip()) for n, line in enumerate(text.splitlines(), 1)
            if line.strip() and not line.lstrip().startswith("#")]


@functools.cache
def matching() -> Matching:
    from skill.learned import plain_words

    where = "matching.toml"
    try:
        data = tomllib.loads((CONTENT_DIR / where).read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        raise ContentError(f"{where}: not valid TOML: {error}") from error
    _check_keys(data, required={"max_chars", "spoken_forms", "declined", "parts"}, where=where)
    max_chars = data["max_chars"]
    if not isinstance(max_chars, int) or not 50 <= max_chars <= 5000:
        raise ContentError(f"{where}: max_chars must be a whole number from 50 to 5000")

    def plain(phrase: Any, here: str) -> str:
        if not isinstance(phrase, str) or not phrase or plain_words(phrase, max_chars) != phrase:
            raise ContentError(f"{here}: {phrase!r} must be written as plain words (lowercase, no punctuation)")
        return phrase

    forms: dict[str, str] = {}
    for meant, written in _table(data, "spoken_forms", where).items():
        plain(meant, f"{where} [spoken_forms]")
        for form in written:
            forms[plain(form, f"{where} [spoken_forms] {meant}")] = meant
    declined = []
    for raw in data["declined"]:
        _check_keys(raw, required={"subject", "phrases"}, optional=frozenset({"with"}), where=f"{where} [[declined]]")
        here = f"{where} [[declined]] {raw['subject']!r}"
        declined.append(DeclinedSubject(
            raw["subject"], tuple(plain(p, here) for p in raw["phrases"]),
            tuple(plain(p, here) for p in raw.get("with", ()))))
    parts = data["parts"]
    _check_keys(parts, required={"joins", "openers", "asking", "subjects", "refers_back"}, where=f"{where} [parts]")
    words = {key: tuple(plain(p, f"{where} [parts] {key}") for p in parts[key]) for key in parts}
    return Matching(max_chars, MappingProxyType(forms), tuple(declined), words["joins"],
                    *(frozenset(words[key]) for key in ("openers", "asking", "subjects", "refers_back")))


SYMPTOM_UTTERANCES_DIR = CONTENT_DIR / "symptom_utterances"


@functools.cache
def symptom_corpus(known: frozenset[str], directory: Path = SYMPTOM_UTTERANCES_DIR) -> tuple[tuple[frozenset[str], str], ...]:
    """(symptom ids, words) of every line of content/symptom_utterances/*.txt, written
    `ids | words` (`none | words` where the words report nothing): the learned reader's corpus."""
    rows = []
    for path in sorted(directory.glob("*.txt")):
        for number, line in corpus_lines(path):
            here = f"symptom_utterances/{path.name} line {number}"
            labels, bar, words = line.partition(" | ")
            ids = frozenset() if labels == "none" else frozenset(labels.split(","))
            if not bar or not _CORPUS_LINE.fullmatch(words):
                raise ContentError(f"{here}: write `ids | words` in lowercase words, digits and apostrophes")
            if ids - known:
                raise ContentError(f"{here}: unknown symptom id(s) {sorted(ids - known)}")
            rows.append((ids, words))
    if not rows:
        raise ContentError("symptom_utterances/: no utterances")
    return tuple(rows)
