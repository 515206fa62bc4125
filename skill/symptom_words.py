"""The person's own words -> symptom ids, read with the phrase tables of content/symptoms.toml.

Speech-recogniser text or typed text, first or third person; denials ("no headache") are noticed.
It never raises: any text in, a Parsed out. The pattern language is described in symptoms.toml.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import cache

from skill import triage

_GAP = "..."
_NUMBER_WORDS = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty "
    "ninety hundred and a"
).split()
_NUMBER = r"(?:\d+|(?:%s)(?: (?:%s)){0,4})" % ("|".join(_NUMBER_WORDS[:-2]), "|".join(_NUMBER_WORDS))
# Said in full, read as the short form the phrase tables use.
_CONTRACTIONS = {
    "can not": "cant", "cannot": "cant", "do not": "dont", "does not": "doesnt", "did not": "didnt",
    "is not": "isnt", "are not": "arent", "was not": "wasnt", "were not": "werent",
    "have not": "havent", "has not": "hasnt", "had not": "hadnt", "i am": "im", "he is": "hes",
    "she is": "shes", "it is": "its", "could not": "couldnt", "will not": "wont",
}
_CONTRACTION_RE = re.compile(r"\b(%s)\b" % "|".join(map(re.escape, _CONTRACTIONS)))


@dataclass(frozen=True)
class Parsed:
    ids: frozenset[str]  # symptom ids named (chest_pain_severe comes with chest_pain)
    in_infusion: bool | None  # True: going on now; False: it is over; None: not said
    nothing_wrong: bool  # no symptom named, and the words say all is well or deny something
    denied: frozenset[str] = frozenset()  # symptom ids explicitly denied ("no headache")


@dataclass(frozen=True)
class _Phrase:
    key: str  # a symptom id, or "in_infusion:yes", "in_infusion:no", "nothing_wrong"
    pattern: re.Pattern


@dataclass(frozen=True)
class _Match:
    key: str
    start: int  # token positions: [start, end)
    end: int


def normalize(text: str) -> str:
    """Lowercase words and numbers separated by single spaces; apostrophes dropped."""
    text = text.casefold().replace("\u2019", "'").replace("'", "")
    text = re.sub(r"(\d)\s*/\s*(\d)", r"\1 over \2", text)
    text = re.sub(r"[^a-z0-9]+", " ", text).strip()
    return _CONTRACTION_RE.sub(lambda m: _CONTRACTIONS[m.group(1)], text)


def _word_regex(word: str) -> str:
    if word == "#":
        return _NUMBER
    if word.endswith("*"):
        return re.escape(word[:-1]) + r"[a-z0-9]*"
    return re.escape(word)


def _compile(phrase: str, words: dict[str, list[str]], clauses: list[str]) -> re.Pattern:
    # A `...` gap: up to three words, as few as possible, never a word that starts a new clause.
    gap_word = r"(?: (?!(?:%s)(?![a-z0-9]))[a-z0-9]+)" % "|".join(map(re.escape, clauses))
    parts, gap = [], False
    for token in normalize_phrase(phrase).split():
        if token == _GAP:
            gap = True
            continue
        if token.startswith("{") and token.endswith("}"):
            options = [" ".join(_word_regex(w) for w in normalize_phrase(o).split()) for o in words[token[1:-1]]]
            piece = "(?:%s)" % "|".join(sorted(options, key=len, reverse=True))
        else:
            piece = _word_regex(token)
        if parts:
            parts.append(r"(?P<gap%d>%s{0,3}?) " % (len(parts), gap_word) if gap else " ")
        parts.append(piece)
        gap = False
    return re.compile(r"(?<![a-z0-9])" + "".join(parts) + r"(?![a-z0-9])")


def normalize_phrase(phrase: str) -> str:
    """Like normalize, but keeps the pattern marks: * ... { } #."""
    phrase = phrase.casefold().replace("'", "").replace("...", " ... ")
    phrase = re.sub(r"[^a-z0-9*{}#_. ]+", " ", phrase)
    return _CONTRACTION_RE.sub(lambda m: _CONTRACTIONS[m.group(1)], " ".join(phrase.split()))


@cache
def _tables() -> tuple[tuple[_Phrase, ...], dict, dict]:
    raw = triage.content()
    words, clauses = raw["words"], raw["negation"]["clauses"]
    phrases: list[_Phrase] = []
    for sid, row in raw["symptoms"].items():
        phrases += [_Phrase(sid, _compile(p, words, clauses)) for p in row["phrases"]]
    for answer in ("yes", "no"):
        key = f"{triage.INFUSION}:{answer}"
        phrases += [_Phrase(key, _compile(p, words, clauses)) for p in raw["context"][triage.INFUSION][answer]]
    phrases += [_Phrase("nothing_wrong", _compile(p, words, clauses)) for p in raw["nothing_wrong"]["phrases"]]
    negation = dict(raw["negation"])
    for key in ("before", "after", "compared", "clauses", "subjects"):
        negation[key] = frozenset(negation[key])
    negation["not_denials"] = tuple(tuple(normalize(n).split()) for n in negation["not_denials"])
    whole = frozenset(normalize(w) for w in raw["nothing_wrong"]["whole"])
    return tuple(phrases), negation, {"whole": whole, "symptoms": raw["symptoms"]}


def parse(text: str) -> Parsed:
    """What the person said -> the symptom ids it names, infusion context, and "all is well"."""
    if not isinstance(text, str):
        text = ""
    phrases, negation, other = _tables()
    norm = normalize(text)
    tokens = norm.split()
    starts = [0]
    for token in tokens[:-1]:
        starts.append(starts[-1] + len(token) + 1)

    found: list[_Match] = []
    denied: set[str] = set()
    for phrase in phrases:
        for m in phrase.pattern.finditer(norm):
            start = bisect.bisect_right(starts, m.start()) - 1
            end = bisect.bisect_left(starts, m.end())
            if _is_denied(tokens, start, end, m, negation):
                denied.add(phrase.key)
            else:
                found.append(_Match(phrase.key, start, end))

    symptoms = other["symptoms"]
    levels = {sid: triage.Level.from_id(row["level"]) for sid, row in symptoms.items()}
    named = [m for m in found if m.key in symptoms]
    keys = {m.key for m in named}
    named = [m for m in named if symptoms[m.key].get("requires", m.key) in keys]
    # Where two readings share words, the more urgent one wins.
    kept = [
        m for m in named
        if not any(levels[o.key] > levels[m.key] and o.start < m.end and m.start < o.end for o in named)
    ]
    ids = {m.key for m in kept}
    ids |= {i for sid in list(ids) for i in symptoms[sid].get("implies", ())}
    ids -= {i for sid in list(ids) for i in symptoms[sid].get("overrides", ())}

    keys = {m.key for m in found}
    if f"{triage.INFUSION}:yes" in keys:
        infusion: bool | None = True
    elif f"{triage.INFUSION}:no" in keys:
        infusion = False
    else:
        infusion = None

    denied_ids = frozenset(d for d in denied if d in symptoms) - ids
    all_well = "nothing_wrong" in keys or norm in other["whole"] or bool(denied_ids)
    return Parsed(
        ids=frozenset(ids),
        in_infusion=infusion,
        nothing_wrong=all_well and not ids,
        denied=denied_ids,
    )


def _gaps(m: re.Match) -> list[str]:
    return [v for k, v in m.groupdict().items() if k.startswith("gap") and v]


def _is_denied(tokens: list[str], start: int, end: int, m: re.Match, negation: dict) -> bool:
    """A denial word before the phrase (within the window and the same clause), inside its gaps,
    or a word like "gone" just after it."""
    window = negation["window"]
    stops = negation["clauses"] | negation["subjects"]
    for i in range(start - 1, max(start - window, 0) - 1, -1):
        if tokens[i] in stops:
            break
        if tokens[i] in negation["before"] and not _uncertain(tokens, i, negation):
            return True
    for gap in _gaps(m):
        if set(gap.split()) & negation["before"]:
            return True
    for i in range(end, min(end + window, len(tokens))):
        if tokens[i] in stops:
            break
        if tokens[i] in negation["after"] and tokens[i - 1] not in negation["compared"]:
            return True
    return False


def _uncertain(tokens: list[str], i: int, negation: dict) -> bool:
    """ "not sure", "don't know": doubt, which counts as yes, is not a denial."""
    return any(tuple(tokens[i : i + len(n)]) == n for n in negation["not_denials"])
