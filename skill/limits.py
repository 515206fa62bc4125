"""Bounds on what one request may make the skill do, applied before any parsing.

Every bound is far beyond what a spoken request reaches (Alexa's slot values are a sentence or
two; the skill's own session attributes nest a few levels), so cutting to it changes nothing a
person can say, and no request, whatever its size or shape, costs more than a bounded amount of work."""

from __future__ import annotations

import re
from itertools import accumulate

# A person's words, as one text: a minute of fast speech is under 1,000 characters.
MAX_SPOKEN_CHARS = 1000
# A request envelope: Alexa's own nest about eight levels, with the skill's attributes inside.
MAX_JSON_DEPTH = 64
# The skill's session attributes (its own state, echoed back by Alexa) nest a few levels.
MAX_ATTRIBUTE_DEPTH = 16

# A JSON string, scanned once: possessive (never backtracks), closed by its quote or by the end.
_JSON_STRING = re.compile(rb'"(?:[^"\\]++|\\.)*+"?')
_NOT_BRACKETS = bytes(b for b in range(256) if b not in b"[]{}")
_STEP = [1 if b in b"[{" else -1 for b in range(256)]  # indexed by a bracket's byte


def json_too_deep(body: bytes, limit: int = MAX_JSON_DEPTH) -> bool:
    """Whether JSON text nests deeper than `limit`, decided without parsing it, in time linear
    in its length (strings skipped in one scan, then a running count of the brackets).
    Text that is not well-formed may be called too deep; it is refused either way."""
    if body.count(b"[") + body.count(b"{") <= limit:
        return False  # can't nest deeper than it has openings
    brackets = _JSON_STRING.sub(b"", body).translate(None, _NOT_BRACKETS)
    return max(accumulate(map(_STEP.__getitem__, brackets)), default=0) > limit


def depth(value, limit: int) -> int:
    """How deep a parsed JSON value nests, counting no further than `limit` + 1 (iterative)."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, (dict, list)):
            deepest = max(deepest, level)
            if level > limit:
                return level
            stack.extend((child, level + 1) for child in (item.values() if isinstance(item, dict) else item))
    return deepest


def spoken(text: str, limit: int = MAX_SPOKEN_CHARS) -> str:
    """A person's words cut to `limit` characters, at a word boundary where there is one."""
    if len(text) <= limit:
        return text
    cut = text[:limit]
    space = cut.rfind(" ", limit // 2)
    return cut[:space] if space > 0 else cut


def bound_envelope(envelope: dict) -> list[str]:
    """Makes a parsed request envelope safe to dispatch, in place; returns what it changed (for
    the log: kinds, never values). Slot values longer than anyone says are cut to the bound;
    session attributes that are not the skill's shape (not an object, or nested deeper than it
    ever nests them) are dropped, so the conversation starts again instead of failing."""
    changed = []
    intent = envelope.get("request", {}).get("intent")
    slots = intent.get("slots") if isinstance(intent, dict) else None
    if isinstance(slots, dict) and _cut_strings(slots):
        changed.append("slot values cut")
    session = envelope.get("session")
    if isinstance(session, dict) and "attributes" in session:
        attributes = session["attributes"]
        if attributes is not None and (not isinstance(attributes, dict)
                                       or depth(attributes, MAX_ATTRIBUTE_DEPTH) > MAX_ATTRIBUTE_DEPTH):
            session["attributes"] = {}
            changed.append("session attributes dropped")
    return changed


def _cut_strings(value) -> bool:
    cut, stack = False, [value]
    while stack:
        item = stack.pop()
        keys = item.keys() if isinstance(item, dict) else range(len(item)) if isinstance(item, list) else ()
        for key in keys:
            child = item[key]
            if isinstance(child, str) and len(child) > MAX_SPOKEN_CHARS:
                item[key], cut = spoken(child), True
            elif isinstance(child, (dict, list)):
                stack.append(child)
    return cut
