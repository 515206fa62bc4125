"""The person's own words -> symptom ids, read with the phrase tables of content/symptoms.toml.

Speech-recogniser text or typed text, first or third person; denials ("no headache") are noticed,
and so is saying that a symptom goes on ("the pain won't go away" is not a denial). Blood-pressure
readings far from anyone's usual ("190 over 110") are read as numbers. It never raises: any text in,
a Parsed out. The pattern language is described in symptoms.toml.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, lru_cache
from itertools import takewhile

from skill import triage
from skill.limits import spoken as bounded

_GAP = "..."
PART = "part:"  # the key of a [parts] phrase: only its denial counts, for the symptom after the colon
FEARED, ME_WELL, LATER = "aside:feared", "aside:me_well", "aside:later"  # [aside] phrases: they name no symptom
THEY_WELL = "aside:they_well"
ASKED_ABOUT = "aside:asked_about"  # a question about a symptom, unless a possessive owns it
_FIRST_PERSON = frozenset({"me", "myself", "mine"})  # with the [negation] subjects, where a subject begins
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
    "tis": "its", "twas": "it was",  # "'tis gone now"
}
_CONTRACTION_RE = re.compile(r"\b(%s)\b" % "|".join(map(re.escape, _CONTRACTIONS)))
# "X's" with the word after it (looked at, not taken): "is", or a possessive (see [grammar]).
_APOSTROPHE_S_RE = re.compile(r"([a-z0-9]+)'s(?![a-z0-9])(?=[^a-z0-9]*([a-z0-9]*))")
_WILL_RE = re.compile(r"(?<=[a-z])'ll(?![a-z0-9])")
_UNITS = dict(zip("zero one two three four five six seven eight nine".split(), range(10)), oh=0, o=0)
_TEENS = dict(zip("ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen".split(), range(10, 20)))
_TENS = dict(zip("twenty thirty forty fifty sixty seventy eighty ninety".split(), range(20, 100, 10)))
_NUMBER_TOKENS = frozenset(_UNITS) | frozenset(_TEENS) | frozenset(_TENS) | {"hundred", "and", "a"}


@dataclass(frozen=True)
class Parsed:
    ids: frozenset[str]  # symptom ids named (chest_pain_severe comes with chest_pain)
    in_infusion: bool | None  # True: going on now; False: it is over; None: not said
    nothing_wrong: bool  # no symptom named, and the words say all is well or deny something
    denied: frozenset[str] = frozenset()  # symptom ids explicitly denied ("no headache")
    unexplained: int = 0  # words no phrase took, found or denied: what is left for another reader
    said_well: bool = False  # the words say all is well ("i'm fine"), whatever else they name
    aside: frozenset[str] = frozenset()  # named only as a fear, someone else's or an animal's ([aside])
    hypothetical: bool = False  # a fear, of later, or a question of no one ("what if", "might ... tomorrow")
    excepted: frozenset[str] = frozenset()  # said as the one thing wrong ("fine apart from a headache")
    held: frozenset[str] = frozenset()  # kept against a denial word in or just before it ("didn't work on the rash")


@dataclass(frozen=True, slots=True)
class _Phrase:
    """One phrase of the tables. Its regex is compiled the first time a text holds a word the
    phrase can start with (most texts hold none of most phrases' first words), so neither the
    first request nor any later one pays for the ~900 phrases' compiling, nor scans for them."""

    key: str  # a symptom id, or "in_infusion:yes", "in_infusion:no", "nothing_wrong"
    source: str  # the regex
    starts: frozenset[str]  # words the phrase can start with
    prefixes: tuple[str, ...] = ()  # ... or beginnings of them ("swell*")
    any_start: bool = False  # it can start with a number: always looked for

    @property
    def pattern(self) -> re.Pattern:
        return _regex(self.source)


@cache
def _regex(source: str) -> re.Pattern:
    return re.compile(source)


@dataclass(frozen=True, slots=True)
class _Match:
    key: str
    start: int  # token positions: [start, end)
    end: int
    words: frozenset[int] = frozenset()  # the positions the phrase itself matched (not its gaps)


def normalize(text: str) -> str:
    """Lowercase words and numbers separated by single spaces; apostrophes dropped, "'s" read as
    "is" unless it is a possessive ("my chest's tight" -> "my chest is tight"), "'ll" as "will"."""
    text = text.casefold().replace("\u2019", "'").replace("\u2018", "'")
    text = _WILL_RE.sub(" will", text)  # "i'll" is "i will", never "ill" (unwell)
    text = _APOSTROPHE_S_RE.sub(_apostrophe_s, text).replace("'", "")
    text = re.sub(r"(\d)\s*/\s*(\d)", r"\1 over \2", text)
    text = re.sub(r"[^a-z0-9]+", " ", text).strip()
    return _CONTRACTION_RE.sub(lambda m: _CONTRACTIONS[m.group(1)], text)


@cache
def _grammar() -> dict:
    g = triage.content()["grammar"]
    body = frozenset(g["body"])
    return {"body": body, "owned": body | frozenset(g["owned"]), "keep_s": frozenset(g["keep_s"])}


def _apostrophe_s(m: re.Match) -> str:
    word, after = m.group(1), m.group(2)
    g = _grammar()
    if word in g["keep_s"] or (word not in g["body"] and after in g["owned"]):
        return word + "s"  # "let's", "my husband's face"
    return word + " is"  # "my throat's closing", "she's fine"


def _word_regex(word: str) -> str:
    if word == "#":
        return _NUMBER
    if word.endswith("*"):
        return re.escape(word[:-1]) + r"[a-z0-9]*"
    return re.escape(word)


def _first_words(phrase: str, words: dict[str, list[str]]) -> list[str]:
    """The words (in the pattern language: "swell*", "#") that the phrase can start with."""
    first = normalize_phrase(phrase).split()[0]
    if first.startswith("{") and first.endswith("}"):
        return [w for option in words[first[1:-1]] for w in _first_words(option, words)]
    return [first]


# "he is not breathing" is read "hes not breathing", but "my husband is not breathing" "... isnt
# breathing": a phrase's "not" is the "not" of either ("not making ... urin*", "not doing ... {well}").
_NOT = ("not", "isnt", "arent", "wasnt", "werent")
_NOT_RE = "(?:%s)" % "|".join(_NOT)


class _Compiler:
    """Phrases of the pattern language -> regex text; the shared parts are built once."""

    def __init__(self, words: dict[str, list[str]], unspanned: list[str], subjects: list[str],
                 fillers: list[str] = ()):
        self.words = words
        # A `...` gap: up to three words, as few as possible, never one of `unspanned` (a word that
        # starts a new clause, or one that says all is well), except an "and" last in the gap after
        # another word, not before a subject ("numb and swollen").
        # Hedges and intensifiers ([grammar] fillers: "might be a bit", "kind of") are not counted: up
        # to two of them may come before each counted word and at the end.
        gap_word = r"(?: (?!(?:%s)(?![a-z0-9]))[a-z0-9]+)" % "|".join(map(re.escape, unspanned))
        and_next = r" and(?= (?!(?:%s)(?![a-z0-9]))[a-z0-9])" % "|".join(map(re.escape, list(unspanned) + list(subjects)))
        if fillers:
            filler = r"(?: (?:%s)(?![a-z0-9]))" % "|".join(map(re.escape, sorted(fillers, key=len, reverse=True)))
            counted = r"(?:%s{0,2}?%s)" % (filler, gap_word)
            self.gap_re = r"(?:%s{0,3}?%s{0,2}?|%s{1,2}?%s)" % (counted, filler, gap_word, and_next)
        else:
            self.gap_re = r"(?:%s{0,3}?|%s{1,2}?%s)" % (gap_word, gap_word, and_next)
        self.first_words = cache(self._first_words)
        self.word_class = cache(self._word_class)

    def _first_words(self, phrase: str) -> tuple[str, ...]:
        """The words (in the pattern language: "swell*", "#") that the phrase can start with."""
        first = normalize_phrase(phrase).split()[0]
        if first.startswith("{") and first.endswith("}"):
            return tuple(w for option in self.words[first[1:-1]] for w in self.first_words(option))
        return _NOT if first == "not" else (first,)

    def _word_class(self, name: str) -> str:
        # "not" in a word's option is any of its forms too, as in a phrase: "{little}" with "not
        # much" meets "he isnt much coming out" (normalize reads "is not" as "isnt")
        options = [" ".join(_NOT_RE if w == "not" else _word_regex(w) for w in normalize_phrase(o).split())
                   for o in self.words[name]]
        return "(?:%s)" % "|".join(sorted(options, key=len, reverse=True))

    def regex(self, phrase: str) -> str:
        parts, gap = [], False
        for token in normalize_phrase(phrase).split():
            if token == _GAP:
                gap = True
                continue
            if token.startswith("{") and token.endswith("}"):
                piece = self.word_class(token[1:-1])
            elif token == "not":
                piece = _NOT_RE
            else:
                piece = _word_regex(token)
            if parts:
                parts.append(r"(?P<gap%d>%s) " % (len(parts), self.gap_re) if gap else " ")
            parts.append(piece)
            gap = False
        return r"(?<![a-z0-9])" + "".join(parts) + r"(?![a-z0-9])"

    def phrase(self, key: str, phrase: str) -> _Phrase:
        firsts = self.first_words(phrase)
        return _Phrase(key, self.regex(phrase), starts=self.starts(firsts), prefixes=self.prefixes(firsts),
                       any_start="#" in firsts)

    # most phrases start with the same few words: one set of them is shared, not one a phrase
    @staticmethod
    @cache
    def starts(firsts: tuple[str, ...]) -> frozenset[str]:
        return frozenset(w for w in firsts if not w.endswith("*") and w != "#")

    @staticmethod
    @cache
    def prefixes(firsts: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(sorted({w[:-1] for w in firsts if w.endswith("*")}))


def normalize_phrase(phrase: str) -> str:
    """Like normalize, but keeps the pattern marks: * ... { } #."""
    phrase = phrase.casefold().replace("'", "").replace("...", " ... ")
    phrase = re.sub(r"[^a-z0-9*{}#_. ]+", " ", phrase)
    return _CONTRACTION_RE.sub(lambda m: _CONTRACTIONS[m.group(1)], " ".join(phrase.split()))


def _whole_words(phrases) -> re.Pattern:
    """Any of the phrases, as whole words, the longest first: for rewriting them."""
    return re.compile(r"(?<![a-z0-9])(%s)(?![a-z0-9])" % "|".join(map(re.escape, sorted(phrases, key=len, reverse=True))))


@cache
def _tables() -> tuple[tuple[_Phrase, ...], dict, dict]:
    raw = triage.content()
    words, clauses, subjects = raw["words"], raw["negation"]["clauses"], raw["negation"]["subjects"]
    fillers = [normalize(f) for f in raw["grammar"].get("fillers", ())]

    heard = {normalize(k): normalize(v) for k, v in (raw["heard_as"] | raw["answers"]["gestures"]).items()}
    heard_re = _whole_words(heard)
    # in a phrase, a word with a `*` after it is a beginning, not that word: it is not mended
    heard_in_phrase = re.compile(heard_re.pattern.replace(r"(?![a-z0-9])", r"(?![a-z0-9*])"))
    # a gap never spans a word that says all is well either: "no breathing is fine, i'm just off
    # nights" is not "breathing ... off"
    compile_phrase = _Compiler(words, [*clauses, *raw["negation"]["well_between"]], subjects, fillers).phrase

    def phrase(key: str, p: str) -> _Phrase:
        # the words are mended before they are read ("tong" -> "tongue"), so a phrase is too:
        # Mandarin "tou tong" (headache) must meet the words as mended
        return compile_phrase(key, heard_in_phrase.sub(lambda m: heard[m.group(1)], normalize_phrase(p)))

    phrases: list[_Phrase] = []
    for sid, row in raw["symptoms"].items():
        phrases += [phrase(sid, p) for p in row["phrases"]]
    phrases += [phrase(PART + sid, p) for sid, parts in raw.get("parts", {}).items() for p in parts]
    for answer in ("yes", "no"):
        key = f"{triage.INFUSION}:{answer}"
        phrases += [phrase(key, p) for p in raw["context"][triage.INFUSION][answer]]
    phrases += [phrase("nothing_wrong", p) for p in raw["nothing_wrong"]["phrases"]]
    phrases += [phrase(key, p) for key, name in ((FEARED, "feared"), (ME_WELL, "me_well"), (LATER, "later"),
                                                  (THEY_WELL, "they_well"), (ASKED_ABOUT, "asked_about"))
                for p in raw["aside"][name]]
    negation = dict(raw["negation"])
    for key in ("before", "after", "compared", "clauses", "subjects", "stops", "goes_on_neg", "never_between", "answer_no", "articles",
                "refers_back", "over", "over_not_before", "over_not_across", "event_leads", "not_well", "moved_to", "the_rest", "became", "over_then", "none_then",
                "well_between", "place", "over_past_subject", "time_lead", "time", "said_verbs"):
        negation[key] = frozenset(negation[key])
    negation["place_owner"] = frozenset(raw["words"]["poss"]) | {"me", "ma"}
    negation["place_not_noun"] = negation["clauses"] | negation["subjects"] | negation["stops"] | negation["before"]
    negation["time_stop"] = negation["clauses"] | negation["subjects"] | negation["before"]  # where a "when" ends
    negation["not_said"] = negation["before"] | negation["after"] | negation["well_between"]  # what undoes a correction
    negation["negative"] = negation["before"] | negation["goes_on_neg"]  # a denial word, or one that says it goes on
    # "no, nothing like that", "no, no problems": before a phrase that says all is well, these
    # words agree with it instead of denying it.
    negation["questioned_first"] = frozenset(negation["questioned_first"])
    negation["question_lead"] = frozenset(raw["aside"]["question_lead"])
    agreeing = negation["before"] - frozenset(negation.get("emphatic", ()))
    negation["all_well"] = dict(negation, before=agreeing, negative=agreeing | negation["goes_on_neg"])
    for key in ("not_denials", "minimising", "goes_on", "never_after", "no_longer", "none_after", "questioned", "came_back", "excepted",
                "corrections", "corrected", "corrections_after", "bare", "list_denials"):
        negation[key] = tuple(tuple(normalize_phrase(n).split()) for n in negation[key])
    negation["came_back_first"] = frozenset(p[0] for p in negation["came_back"])
    negation["bare_first"] = frozenset(p[0] for p in negation["bare"])
    negation["list_denials_first"] = frozenset(p[0] for p in negation["list_denials"])
    negation["bare_objects"] = frozenset(negation["bare_objects"])
    negation["correction_firsts"] = frozenset(p[0] for p in negation["corrections"] + negation["corrected"])
    whole = frozenset(normalize(w) for w in raw["nothing_wrong"]["whole"])
    whole_ids = {normalize(w): sid for sid, row in raw["symptoms"].items() for w in row.get("whole", ())}
    readings = {sid: row["reading"] for sid, row in raw["symptoms"].items() if "reading" in row}
    temperatures = {sid: dict(row["temperature"], words=tuple(tuple(normalize(w).split()) for w in row["temperature"]["words"]))
                    for sid, row in raw["symptoms"].items() if "temperature" in row}
    saturations = {sid: dict(row["saturation"], words=tuple(tuple(normalize(w).split()) for w in row["saturation"]["words"]),
                             before_words=frozenset(row["saturation"].get("before_words", ())),
                             decades=row["saturation"].get("decades", {}))
                   for sid, row in raw["symptoms"].items() if "saturation" in row}
    return tuple(phrases), negation, {
        "whole": whole, "whole_ids": whole_ids, "fillers": frozenset(fillers), "symptoms": raw["symptoms"], "heard": heard,
        "heard_re": heard_re, "readings": readings, "temperatures": temperatures, "saturations": saturations,
        "starts": _StartIndex(tuple(phrases)),
        "levels": {sid: triage.Level.from_id(row["level"]) for sid, row in raw["symptoms"].items()},
        "aside": {"window": raw["aside"]["window"], **{key: frozenset(normalize(w) for w in raw["aside"][key])
                                                        for key in ("others", "strangers", "someone", "indefinite", "simile", "not_people", "modal", "modal_not_before", "had_forms", "fear",
                                                                    "question_first", "alternatives", "reported", "warned_of",
                                                                    "question_lead", "question_aux", "question_subject",
                                                                    "question_generic", "asked_about_owned")},
                  "past": tuple(tuple(normalize(w).split()) for w in raw["aside"]["past"]),
                  "came_true": tuple(tuple(normalize(w).split()) for w in raw["aside"]["came_true"]),
                  "came_true_first": frozenset(normalize(w).split()[0] for w in raw["aside"]["came_true"]),
                  "past_not": tuple(tuple(normalize(w).split()) for w in raw["aside"]["past_not"]),
                  "of_the_person": tuple(tuple(normalize(w).split()) for w in raw["in_a_question"]["of_the_person"]),
                  "question_reports": tuple(tuple(normalize(w).split()) for w in raw["aside"]["question_reports"])},
    }


class _StartIndex:
    """Which phrases can start with each word, with each beginning of a word, or anywhere: built
    once with the table, so that reading a text looks up its own words only."""

    def __init__(self, phrases: tuple[_Phrase, ...]):
        self.phrases = phrases
        self.by_word: dict[str, list[int]] = {}
        self.by_prefix: dict[str, list[int]] = {}
        self.anywhere = [i for i, phrase in enumerate(phrases) if phrase.any_start]
        for i, phrase in enumerate(phrases):
            for word in phrase.starts:
                self.by_word.setdefault(word, []).append(i)
            for prefix in phrase.prefixes:  # the beginning of one word: "itch*" -> "itch"
                self.by_prefix.setdefault(prefix, []).append(i)
        self.prefix_lengths = sorted({len(p) for p in self.by_prefix})

    def candidates(self, tokens: list[str]) -> list[_Phrase]:
        """The phrases that can start at a word of the text, in table order."""
        chosen = set(self.anywhere)
        by_word, by_prefix = self.by_word, self.by_prefix
        for token in set(tokens):
            chosen.update(by_word.get(token, ()))
            for length in self.prefix_lengths:
                if length > len(token):
                    break
                chosen.update(by_prefix.get(token[:length], ()))
        return [self.phrases[i] for i in sorted(chosen)]


def parse(text: str) -> Parsed:
    """What the person said -> the symptom ids it names, infusion context, and "all is well"."""
    text = bounded(text) if isinstance(text, str) else ""
    phrases, negation, other = _tables()
    norm = _mended(normalize(text))
    # said alone, or with only hedges and intensifiers before it ("really not responding")
    said = norm.split()
    lead = next((i for i, w in enumerate(said[:-1]) if w not in other["fillers"]), max(len(said) - 1, 0))
    whole_id = other["whole_ids"].get(norm, other["whole_ids"].get(" ".join(said[lead:])))
    norm = _resolve_ellipsis(_resolve_it(norm, negation["clauses"]), negation["clauses"])
    tokens = norm.split()
    starts = [0]
    for token in tokens[:-1]:
        starts.append(starts[-1] + len(token) + 1)

    found: list[_Match] = []
    denied: set[str] = set()
    denials: list[tuple[str, int, int]] = []  # (id, start, end) of each denied phrase
    excepted: set[str] = set()
    held: set[str] = set()
    explained: set[int] = set()
    matches = []
    for phrase in other["starts"].candidates(tokens):
        for m in phrase.pattern.finditer(norm):
            matches.append((phrase, m, bisect.bisect_right(starts, m.start()) - 1, bisect.bisect_left(starts, m.end())))
    # where the symptoms' phrases begin: a later clause that says "it's gone" is about the last one
    symptom_starts = sorted({start for phrase, _, start, _ in matches if phrase.key in other["symptoms"]})
    # where a fear ends: a `fear` word then a modal, and (below) each `feared` phrase
    feared_ends, later_starts = _fear_ends(tokens, other["aside"], negation["clauses"]), []
    backs = sorted(_came_back_at(tokens, negation) + _corrected_at(tokens, negation))
    well_starts = [start for phrase, _, start, _ in matches if phrase.key == ME_WELL]
    well_at = frozenset(well_starts)
    # well but for what was said: "i was sick this morning but i'm okay otherwise" keeps the sickness
    # ... and the one spoken of well now ("dad felt woozy in the car but he's absolutely fine now"):
    # where a symptom said of the past is over
    wholly_well = sorted(start for phrase, _, start, end in matches
                         if phrase.key in (ME_WELL, THEY_WELL) and not set(tokens[end : end + 2]) & negation["the_rest"])
    for phrase, m, start, end in matches:
        if phrase.key in (FEARED, ME_WELL, LATER, THEY_WELL, ASKED_ABOUT):  # what the [aside] rules look for, below
            asked = phrase.key == ASKED_ABOUT and end < len(tokens) and tokens[end] not in other["aside"]["asked_about_owned"]
            feared_ends += [end] if phrase.key == FEARED or asked else []
            later_starts += [start] if phrase.key == LATER else []
            continue
        if phrase.key == "nothing_wrong" and _questioned(tokens, end - 1, negation):
            continue  # "is that normal?" asks, it does not say all is well
        # Saying the infusion is over is not undone by a denial ("no problems since the infusion").
        neg = negation["all_well"] if phrase.key == "nothing_wrong" else negation
        part = phrase.key.startswith(PART)
        if not part:
            explained.update(range(start, end))
        after_it = bisect.bisect_left(symptom_starts, end)  # the next symptom's phrase after this one's end
        next_phrase = symptom_starts[after_it] if after_it < len(symptom_starts) else len(tokens)
        came_back = phrase.key in other["symptoms"] and _came_back(
            backs, end, next_phrase)
        if phrase.key in other["symptoms"] and _excepted(tokens, start, negation):
            excepted.add(phrase.key)
            found.append(_Match(phrase.key, start, end, frozenset(range(start, end))))
        elif not came_back and phrase.key != f"{triage.INFUSION}:no" and _is_denied(
                tokens, start, end, m, neg, not part, next_phrase,
                level=other["levels"].get(phrase.key), well_at=well_at):
            denied.add(phrase.key.removeprefix(PART))
            if phrase.key in other["symptoms"] or part and not set(tokens[max(0, start - 2):start]) & negation["the_rest"]:
                denials.append((phrase.key, start, end))  # not "the other leg is fine": another place
        elif not part:  # a part is only ever denied
            gaps = {t for a, b in _gap_spans(m) for t in range(start, end) if a <= starts[t] < b}
            found.append(_Match(phrase.key, start, end, frozenset(range(start, end)) - gaps))
            if came_back or set(tokens[max(0, start - negation["window"]):end]) & negation["negative"]:
                held.add(phrase.key)  # the table weighed a denial word and kept it: "the rash came back"
    if whole_id is not None:
        found.append(_Match(whole_id, 0, len(tokens), frozenset(range(len(tokens)))))
    # readings and temperatures are numbers: words with none ("a" and "oh" alone are not) have none
    numbers = any(_is_number_start(t) and t != "a" for t in tokens)
    for sid, limits in other["readings"].items() if numbers else ():
        spans = _far_readings(tokens, limits) + _far_single_readings(tokens, limits)
        found += [_Match(sid, a, b, frozenset(range(a, b))) for a, b in spans]

    for sid, rules in other["saturations"].items():
        if not numbers and rules["decades"].keys().isdisjoint(tokens):
            continue  # no number and no decade ("in the eighties"): no reading
        found += [_Match(sid, a, b, frozenset(range(a, b))) for a, b in _low_saturations(tokens, rules, negation["clauses"])]

    for sid, rules in other["temperatures"].items() if numbers else ():
        readings = _temperatures(tokens, rules)
        found += [_Match(sid, a, b, frozenset(range(a, b))) for a, b, fever in readings if fever]
        normal = [(a, b) for a, b, fever in readings if not fever]
        later_fever = normal and any(  # "was 37 this morning, now it's 39": the last word is the fever's
            (n := _spoken_number(tokens[i:j])) is not None and (38 <= n <= 43 or 101 <= n <= 111)
            for i in range(max(b for _, b in normal), len(tokens)) for j in range(i + 1, min(i + 4, len(tokens)) + 1))
        if normal and not later_fever and not any(fever for _, _, fever in readings):
            # "temp thirty seven point two": the number says no fever, whatever word came with it
            found = [m for m in found if m.key != sid or not any(m.start < b and a < m.end for a, b in normal)]

    alternatives = [i + 1 for i, t in enumerate(tokens) if t in other["aside"]["alternatives"]]
    subject_words = negation["subjects"] | _FIRST_PERSON
    # ... a list goes on past "or" or "and" (itself a clause word) to a new subject-less item: not to
    # the same thing said again ("checked me for a temperature and it was 39": "it" is the temperature)
    feared_ends += [o for o in alternatives if o < len(tokens) and tokens[o] not in subject_words
                    and any(e <= o <= e + other["aside"]["window"] and not negation["clauses"] & set(tokens[e : o - 1])
                            and (tokens[o] in negation["articles"] or tokens[o] not in tokens[e : o - 1]) for e in feared_ends)]
    symptoms, levels = other["symptoms"], other["levels"]
    named = [m for m in found if m.key in symptoms]
    keys = {m.key for m in named}
    named = [m for m in named if symptoms[m.key].get("requires", m.key) in keys]
    # Where two readings share words (not merely a gap's), the more urgent one wins: a reading
    # stays unless a word of it belongs to a more urgent one (linear: each word's top level).
    top: dict[int, triage.Level] = {}
    for m in named:
        for word in m.words:
            if word not in top or levels[m.key] > top[word]:
                top[word] = levels[m.key]
    kept = [m for m in named if not any(top[word] > levels[m.key] for word in m.words)]
    asked_at = _question_start(tokens, other["aside"])
    asks = _asks_of_no_one(tokens, other["aside"], asked_at, {m.start for m in kept})
    clause = _clauses(tokens, negation["clauses"])
    said_aside = [asks and (bool(set(tokens[clause[m.start][0] : m.start]) & other["aside"]["question_generic"])
                            or m.start == asked_at + 1)
                  or _aside(tokens, m, clause, feared_ends, later_starts, bool(well_starts), negation["clauses"],
                            negation["subjects"], other["aside"]) for m in kept]
    # what was feared or warned of, then said to have come ("... and sure enough i've got one"), is said
    came_true = _phrase_starts(tokens, other["aside"]["came_true"], other["aside"]["came_true_first"])
    said_aside = [a and not (came_true and came_true[-1] >= m.end) for m, a in zip(kept, said_aside)]
    # a symptom also said plainly is said: "what if this is a stroke, my face is drooping"
    aside = {m.key for m, a in zip(kept, said_aside) if a} - {m.key for m, a in zip(kept, said_aside) if not a}
    ids = {m.key for m in kept} - aside
    over = _over_and_well(tokens, kept, clause, wholly_well, symptom_starts, backs, levels, other["aside"]) - aside
    denied |= over
    ids -= over
    # The speaker's last word on a milder symptom stands: named, then denied after it ("my sister
    # said the rash comes after, but i don't have a rash"), it is denied. Never an emergency's
    # (tried: asked at once instead, it lost "my tongue swole up, i can't swallow nothing").
    # A denial whose words a more urgent reading's denial shares is that one's ("sore, but not
    # crushing" denies the crushing, not the soreness).
    # A part said to be well ("i checked, my pee is normal") speaks for all of its symptoms.
    own = [(key.removeprefix(PART), a, b) for key, a, b in denials if key.startswith(PART) or not any(
        levels[other] > levels[key] and a2 < b and a < b2 for other, a2, b2 in denials if not other.startswith(PART))]
    # Later: in another clause, or two words on at least ("i checked, my pee is normal").
    # Only where it was first named as what someone said or wrote ([aside] reported: "the leaflet
    # says", "my sister said"): "my left leg is swollen, the right leg is not" keeps its swelling.
    reported = other["aside"]["reported"]
    distant = _at_a_distance(tokens, negation, other["aside"], asked_at)
    bare, whole_list, only = _denials_at_a_distance(tokens, kept, distant, negation)
    for sid in list(ids):
        first = min((m for m in kept if m.key == sid), key=lambda m: m.start)
        if not distant[first.start]:
            continue
        last = max((m for m in kept if m.key == sid), key=lambda m: m.start)
        # A bare denial or a whole list's: the next thing said after it, no other symptom between.
        if any(b >= last.end and not any(last.end <= m.start < b for m in kept if m.key != sid) for b in bare) \
                or any(b >= last.end for b in whole_list) or any(k >= last.end and key != sid for k, key in only):
            ids.discard(sid)
            if levels[sid] < triage.Level.EMERGENCY:
                denied.add(sid)
            else:
                aside.add(sid)  # asked about at once, never dropped
            continue
        if levels[sid] >= triage.Level.EMERGENCY or not set(tokens[clause[first.start][0] : first.start]) & reported:
            continue
        milder = {sid, *symptoms[sid].get("overrides", ())}  # "no sore head" denies the terrible sore heads too
        if any(key in milder and a >= last.end and (clause[a] != clause[last.end - 1] or a - last.end >= 2)
               for key, a, _ in own):
            ids.discard(sid)
            denied.add(sid)
    ids |= {i for sid in list(ids) for i in symptoms[sid].get("implies", ())}
    ids -= {i for sid in list(ids) for i in symptoms[sid].get("overrides", ())}
    aside |= {i for sid in list(aside) for i in symptoms[sid].get("implies", ())}

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
        unexplained=len(tokens) - len(explained),
        said_well="nothing_wrong" in keys or norm in other["whole"],
        aside=frozenset(aside) - ids,
        hypothetical=asks or bool(feared_ends) or bool(later_starts and any(_is_modal(tokens, i, other["aside"]) for i in range(len(tokens)))),
        excepted=frozenset(excepted) & ids,
        held=frozenset(held) & ids,
    )


def _at_a_distance(tokens: list[str], negation: dict, rules: dict, at: int) -> list[bool]:
    """For each word, whether it is spoken of at a distance ([negation] bare): after a `reported`,
    `fear` or `modal` word, or in a question (its first word at `at`: `_question_start`), in its
    clause or a list going on from it ("and" or "or" before no subject). One pass."""
    subjects = negation["subjects"] | _FIRST_PERSON
    out, distant = [], False
    for i, token in enumerate(tokens):
        if token in negation["clauses"]:
            distant = distant and token in rules["alternatives"] and tokens[i + 1 : i + 2] != [] \
                and tokens[i + 1] not in subjects
        elif i == at and (token in rules["question_first"] or token in rules["question_aux"]) \
                or token in rules["reported"] or token in rules["fear"] or _is_modal(tokens, i, rules):
            distant = True
        out.append(distant)
    return out


def _denials_at_a_distance(tokens: list[str], kept: list[_Match], distant: list[bool],
                           negation: dict) -> tuple[list[int], list[int], list[tuple[int, str]]]:
    """Where a bare denial begins ("i'm not", then nothing but `bare_objects`, up to the end, a
    clause or stop word, or a new subject); where a `list_denials` phrase begins; and where a
    symptom is said again after a `stops` word, with its id ("... i just got the chills")."""
    ends = negation["clauses"] | negation["stops"] | negation["subjects"] | _FIRST_PERSON
    bare = []
    for i in _phrase_starts(tokens, negation["bare"], negation["bare_first"]):
        length = max(len(p) for p in negation["bare"] if _phrase_at(tokens, i, p))
        j = i + length
        while j < len(tokens) and tokens[j] in negation["bare_objects"]:
            j += 1
        if j == len(tokens) or tokens[j] in ends:
            bare.append(i)
    whole_list = _phrase_starts(tokens, negation["list_denials"], negation["list_denials_first"])
    only = [(k, m.key) for k, token in enumerate(tokens) if token in negation["stops"] and distant[k]
            for m in kept if k < m.start <= k + negation["window"] and not negation["clauses"] & set(tokens[k : m.start])]
    return bare, whole_list, only


def _excepted(tokens: list[str], start: int, negation: dict) -> bool:
    """An `excepted` phrase ends within the window before tokens[start], with no clause word and no
    denial word between ("fine apart from a headache", not "fine other than no headache")."""
    for j in range(max(0, start - negation["window"] - 2), start):
        for p in negation["excepted"]:
            end = j + len(p)
            if end <= start and _phrase_at(tokens, j, p) and start - end <= negation["window"] \
                    and not set(tokens[end:start]) & (negation["clauses"] | negation["before"]):
                return True
    return False


def _question_start(tokens: list[str], rules: dict) -> int:
    """Where a question's first word would be: after any `question_lead` words."""
    return next((i for i, t in enumerate(tokens) if t not in rules["question_lead"]), len(tokens))


def _asks_of_no_one(tokens: list[str], rules: dict, at: int, symptom_starts: Iterable[int] = ()) -> bool:
    """The words are a question (`question_first`, or `question_aux` then `question_subject` or a
    symptom's own words as its subject, after any `question_lead` words: "is itchy skin a thing with
    this") that speaks of no one ([in_a_question] of_the_person) and does not ask whether it is
    normal (`question_reports`): it asks about symptoms, it reports none. `at`: `_question_start`."""
    first, then = (tokens[at : at + 2] + ["", ""])[:2]
    question = first in rules["question_first"] or first in rules["question_aux"] and (
        then in rules["question_subject"] or at + 1 in symptom_starts)
    return question and not _contains(tokens, 0, len(tokens), rules["of_the_person"] + rules["question_reports"])


def speaks_of_the_person(text: str) -> bool:
    """The words speak of the person, or of the one they speak for ([in_a_question] of_the_person:
    "my", "he", "like this"): a question in them may tell of a symptom."""
    tokens = normalize(bounded(text or "")).split()
    return _contains(tokens, 0, len(tokens), _tables()[2]["aside"]["of_the_person"])


@cache
def _about() -> dict:
    raw = triage.content()["about"]
    words = {who: frozenset(raw[who]) for who in ("he", "she", "they")}
    phrases = {key: tuple(tuple(normalize(w).split()) for w in raw[key])
               for key in ("self_aside", "self_object", "speaks_only")}
    return {"words": words, "self": frozenset(normalize(w) for w in raw["self"]),
            "staff": frozenset(raw["staff"]), "pronouns": frozenset(("he", "hes", "him", "his", "himself",
                                                                      "she", "shes", "her", "herself")), **phrases}


def whom(text: str) -> str | None:
    """Whom the words speak of ([about] in symptoms.toml): "he", "she" or "they" when a caregiver
    speaks of someone ("my husband can hardly breathe"), "you" when only of the speaker ("i feel
    sick", "my chest hurts"), None when they say neither or both ("my wife says i'm grey")."""
    tokens = normalize(bounded(text or "")).split()
    about, body = _about(), _grammar()["body"]
    others: set[str] = set()
    speaker = False
    staff_named = not about["staff"].isdisjoint(tokens)
    def other(token: str) -> str | None:
        return next((who for who, words in about["words"].items()
                     if token in words or token.endswith("s") and token[:-1] in words), None)  # "mums face"

    for i, token in enumerate(tokens):
        after = tokens[i + 1] if i + 1 < len(tokens) else ""
        if (who := other(token)) is not None:
            talking = any(_phrase_at(tokens, i + 1, p) for p in about["speaks_only"])
            if not talking and not (staff_named and token in about["pronouns"]):
                others.add(who)
        elif token == "my" and after in body:
            speaker = True  # "my chest": the speaker's body
        elif token in about["self"] and other(after) is None:  # "me dad's lips": his
            spoken_to = any(tuple(tokens[max(0, i - len(p)) : i]) == p for p in about["self_object"])
            aside = any(_phrase_at(tokens, i + 1, p) for p in about["self_aside"])
            speaker = speaker or not (aside or spoken_to)
    if others:
        return None if speaker else (others.pop() if len(others) == 1 else "they")
    return "you" if speaker else None


def _over_and_well(tokens: list[str], kept: list[_Match], clause: list[tuple[int, int]], well_starts: list[int],
                   symptom_starts: list[int], backs: list[tuple[int, bool]], levels: dict, rules: dict) -> set[str]:
    """Milder symptoms said of the past, then the speaker well (after it, with no other symptom's
    phrase between), and not said to be back: "i threw up yesterday and i've been fine
    since" (see [aside] past), not "... but it's back"."""
    over: set[str] = set()
    for m in kept:
        if levels[m.key] >= triage.Level.EMERGENCY:
            continue
        lo, hi = clause[m.start][0], max(clause[m.end - 1][1], m.end)
        well = next((s for s in well_starts if s >= m.end), None)
        if well is None or any(min(hi, well) <= s < well for s in symptom_starts) or _came_back(backs, well, len(tokens)):
            continue
        words = tokens[lo:min(hi, well)]  # its clause, up to the words that say all is well
        said = any(_phrase_at(words, i, p) and not (p == ("had",) and i and words[i - 1] in _HAVE)
                   for i in range(len(words)) for p in rules["past"])
        if said and not _contains(words, 0, len(words), rules["past_not"]):
            over.add(m.key)
    return over


_MODALS = frozenset({"would", "will", "should", "might", "could", "may", "gonna", "wont", "wouldnt"})
_HAVE = frozenset({"ive", "have", "has", "hes", "shes", "weve", "theyve", "youve", "is"})


def _is_modal(tokens: list[str], i: int, rules: dict) -> bool:
    """tokens[i] is a `modal` word: "i'd" is, except before a `modal_not_before` word ("i'd been
    sick" is "i had")."""
    token = tokens[i]
    return token in rules["modal"] and not (
        token in rules["had_forms"] and i + 1 < len(tokens) and tokens[i + 1] in rules["modal_not_before"])


def _fear_ends(tokens: list[str], rules: dict, clauses: frozenset[str]) -> list[int]:
    """Where a fear of later ends that is said as a `fear` word, then a `modal` word (or "going
    to") within the window in its clause: "i'm scared i'll come out in a rash", "worried she
    might get a fever"; or a warning, a `reported` word then a `modal` one before a `warned_of`
    word: "the leaflet says you may get a headache" (one pass over the words)."""
    ends, fear_at, warned_at = [], None, None
    for i, token in enumerate(tokens):
        if token in clauses:
            fear_at = warned_at = None
        elif token in rules["fear"]:
            fear_at = i
        elif token in rules["reported"]:
            warned_at = i
        elif fear_at is not None and i - fear_at <= rules["window"]:
            if _is_modal(tokens, i, rules):
                ends.append(i + 1)
            elif token == "going" and tokens[i + 1 : i + 2] == ["to"]:
                ends.append(i + 2)
        elif warned_at is not None and i - warned_at <= rules["window"] and _is_modal(tokens, i, rules) \
                and tokens[i + 1 : i + 2] and tokens[i + 1] in rules["warned_of"]:
            ends.append(i + 1)  # a warning: "the nurse said i could get chest pain" (not "he says he might pass out")
    return ends


def _clauses(tokens: list[str], clauses: frozenset[str]) -> list[tuple[int, int]]:
    """For each word, the span of its clause: from after the last clause word before it to the
    next clause word (linear: two passes)."""
    starts, ends, lo = [], [0] * len(tokens), 0
    for i, token in enumerate(tokens):
        starts.append(lo)
        if token in clauses:
            lo = i + 1
    hi = len(tokens)
    for i in range(len(tokens) - 1, -1, -1):
        if tokens[i] in clauses:
            hi = i
        ends[i] = hi
    return list(zip(starts, ends))


def _aside(tokens: list[str], m: _Match, clause: list[tuple[int, int]], feared_ends: list[int],
           later_starts: list[int], me_well: bool, clauses: frozenset[str], subjects: frozenset[str],
           rules: dict) -> bool:
    """The symptom is named only as a fear (a `feared` phrase ends within the window before it, in
    its clause, no new subject after its first word; or a `modal` word, or a `feared` phrase
    anywhere before it, and a `later` phrase in its clause), as an animal's, or as someone else's
    by one who says they are well themselves: the subject of its clause, before it, is one of
    `not_people`, one of `strangers` after an `indefinite` word or one of `someone` (with no
    `reported` word: what someone said may be of the speaker), or one of `others` with `me_well`."""
    for e in feared_ends:  # "what if my throat swells", not "will i be okay, i can't breathe"
        between = tokens[e : m.start]
        if e <= m.start and len(between) <= rules["window"] and not (clauses & set(between) or subjects & set(between[1:])):
            return True
    lo, hi = clause[m.start][0], max(clause[m.end - 1][1], m.end)
    future = any(_is_modal(tokens, i, rules) for i in range(max(lo, m.start - rules["window"]), m.end)) \
        or any(lo <= e <= m.start for e in feared_ends)
    if future and any(lo <= s < hi for s in later_starts):
        return True  # "i might get a headache later", "what if i break out in a rash later on"
    # the subject: the words after the last subject word before it ("my mums got", but not "i fed
    # the cat now i have hives": "i" is the subject there)
    first = next((j for j in range(m.start - 1, lo - 1, -1) if tokens[j] in subjects or tokens[j] in _FIRST_PERSON), lo - 1)
    subject = {w for t in tokens[first + 1 : m.start] for w in (t, t.removesuffix("s"))}
    own_subject = tokens[m.start] in subjects or tokens[m.start] in _FIRST_PERSON  # "someone said | i look yellow"
    said = tokens[first + 1 : m.start]
    stranger = not own_subject and not set(said) & rules["reported"] and any(
        t in rules["strangers"] and (t in rules["someone"] or k and said[k - 1] in rules["indefinite"])
        and not set(said[:k]) & rules["simile"] for k, t in enumerate(said))  # not "like somebody squeezed it"
    return bool(subject & rules["not_people"] or stranger or me_well and subject & rules["others"])


def _gaps(m: re.Match) -> list[str]:
    return [v for k, v in m.groupdict().items() if k.startswith("gap") and v]


def _gap_spans(m: re.Match) -> list[tuple[int, int]]:
    return [m.span(k) for k, v in m.groupdict().items() if k.startswith("gap") and v]


def _resolve_it(norm: str, clauses: frozenset[str]) -> str:
    """ "it" / "it's" (and "they" / "they're" for a plural) just after a clause word stand for the
    body part named last: "my throat isn't swollen but it feels tight" -> "... but throat feels tight"."""
    body = _grammar()["body"]
    out: list[str] = []
    last = None
    for token in norm.split():
        if last and out and out[-1] in clauses:
            plural = last.endswith("s") or last == "feet"
            if token == "it" or (token == "they" and plural):
                out.append(last)
                continue
            if token == "its" or (token == "theyre" and plural):
                out += [last, "are" if token == "theyre" else "is"]
                continue
        if token in body:
            last = token
        out.append(token)
    return " ".join(out)


# "doesn't hurt ... but my back does": the word said without "not", and "not" said in full.
_DENIED_AUX = {"doesnt": "do", "dont": "do", "didnt": "do", "isnt": "be", "arent": "be", "wasnt": "be", "werent": "be"}
_SAID_AUX = {"does": "do", "do": "do", "did": "do", "is": "be", "are": "be", "was": "be", "were": "be"}


def _resolve_ellipsis(norm: str, clauses: frozenset[str]) -> str:
    """A clause that ends with "does" / "is" after a denied one says the denied words again:
    "my head doesn't hurt but my back does" -> "... but my back does hurt"."""
    tokens = norm.split()
    out: list[str] = []
    said: dict[str, list[str]] = {}  # "do" -> ["hurt"], from "doesnt hurt"
    for k, token in enumerate(tokens):
        out.append(token)
        if token in _DENIED_AUX:
            words = []
            for t in tokens[k + 1 : k + 4]:
                if t in clauses:
                    break
                words.append(t)
            if words:
                said[_DENIED_AUX[token]] = words
        elif _SAID_AUX.get(token) in said and k and tokens[k - 1] not in clauses:
            if k + 1 == len(tokens) or tokens[k + 1] in clauses:  # "... but my back does"
                out += said[_SAID_AUX[token]]
    return " ".join(out)


def _is_denied(tokens: list[str], start: int, end: int, m: re.Match, negation: dict, before: bool = True,
               next_phrase: int | None = None, level: triage.Level | None = None,
               well_at: frozenset[int] = frozenset()) -> bool:
    """A denial word before the phrase (within the window and the same clause), inside its gaps,
    or a word like "gone" just after it; but not words that say it goes on ("hasn't stopped
    wheezing", "not going away", "never had chest pain this bad"), nor a word like "good" after a
    phrase that is itself a "not" ("he can't breathe good", "she's not breathing right").
    `before` False: only the words after count, and not "gone" (a part said to be well: "no
    breath" is no denial, "his speech has gone" is a symptom). `level`: the symptom's, None for
    a part or a phrase that says all is well. `well_at`: where words begin that say the speaker
    is well ([aside] me_well)."""
    mild = level is not None and level < triage.Level.EMERGENCY
    emergency = level is triage.Level.EMERGENCY
    window = negation["window"]
    stops = negation["clauses"] | negation["subjects"] | negation["stops"]
    negative = negation["negative"]
    for i in range(start - 1, max(start - window, 0) - 1, -1) if before else ():
        if tokens[i] in stops or tokens[i] in negation["well_between"]:
            break  # a clause or subject word, or a word that said what came before it is well
        if tokens[i] in negation["answer_no"] and set(tokens[start:end]) & negative:
            continue  # "no, can't breathe", "no, not feeling well": an answer, then a negative phrase
        if tokens[i] in negation["answer_no"] and i + 1 < start and tokens[i + 1] in negation["articles"]:
            break  # "no, the back is hurting": a "no" is no determiner before "the", so an answer
        if tokens[i] in negation["answer_no"] and set(tokens[i + 1 : end]) & negation["said_verbs"]:
            break  # "no, throat is closing" (the comma lost): a "no" before a clause with its verb answers
        if any(i + 1 >= len(p) and _phrase_at(tokens, i + 1 - len(p), p) for p in negation["minimising"]):
            break  # "it's nothing, just a headache", "probably nothing but my lips feel fat": a minimiser
        if tokens[i] in negation["before"] and not _uncertain(tokens, i, negation):
            if _contains(tokens, i + 1, start, negation["goes_on"]):
                continue  # "she hasn't stopped wheezing"
            if tokens[i] == "never" and _never_as_bad(tokens, i, start, end, negation):
                continue  # "i never had chest pain this bad"
            return True
    for gap in _gaps(m):
        words = gap.split()
        if set(words) & negation["before"] and not _goes_on_in(words, negation):
            return True
    phrase_end = end
    if before:
        end = _past_place(tokens, end, negation)  # "the rash on my leg | went away"
    at_once, end = end, _past_time(tokens, end, negation) if before else end  # "the rash from last week | went away"
    body, another_part = _grammar()["body"], False
    for i in range(end, min(end + 2 * window, len(tokens))):
        if tokens[i] in negation["clauses"]:
            named = frozenset(tokens[start:end])  # "it" already reads as the part named (grammar)
            return _said_over(tokens, i + 1, negation, named)
        if tokens[i] in stops:
            # "lightheaded when i stood up, but not since": past a subject only the next clause is
            # looked for, or a word that says it is over ("the rash i had faded"), and only before
            # another symptom is named
            beyond = range(i + 1, min(end + 2 * window, len(tokens) if next_phrase is None else next_phrase))
            for k in beyond:
                if tokens[k] in negation["clauses"]:
                    return _said_over(tokens, k + 1, negation, frozenset(tokens[start:end]))
                if tokens[k] in negation["over"] and not set(tokens[i:k]) & negative:
                    return _over(tokens, k, negation)  # not "gone": "my left eye, it just went" is lost sight
                if mild and _over_past_subject(tokens, k, negation) and not set(tokens[i:k]) & negative \
                        and not set(tokens[end:k]) & _MODALS:
                    return True  # "the rash i had yesterday has cleared up"
            return False
        if i >= end + window:
            continue  # past the window only the next clause is looked for
        if before and tokens[i] in body:
            another_part = True  # "headache, breathing fine": what follows is said of the breathing
        if another_part:
            continue
        if _said_none(tokens, at_once, i, negation, well_at):  # just after it, not past when it was
            return True  # "back pain no", "hives none at all", "breathlessness is not there"
        if not before and tokens[i] in negation["became"]:
            continue  # a part that is "gone" is lost, not well: "his speech has gone"
        if set(tokens[phrase_end if emergency else end : i]) & negation["over_not_across"] \
                or _of_an_event(tokens[phrase_end:i], negation):
            # "short of breath after the pump went off": that word is of the pump; an emergency's is
            # never read across when it was ("my face is drooping since the infusion stopped")
            continue
        if _after(tokens, i, negation, mild) and tokens[i - 1] not in negation["compared"] and not _questioned(tokens, i, negation):
            if emergency and tokens[i] not in negation["over_past_subject"]:
                continue  # "i fainted yesterday, fine now": how they are now never puts an emergency away
            if set(tokens[start:end]) & negative:
                continue  # "he can't breathe good": the phrase is the denial
            if set(tokens[end:i]) & negative:
                continue  # "my chest pain is not going away", "the itching hasn't stopped"
            return True
        if _over(tokens, i, negation) and not set(tokens[end:i]) & negative:
            return True  # "my fever broke", "the dizzy spell passed"
    return False


def _of_an_event(between: list[str], negation: dict) -> bool:
    """The words between a symptom and a word that it is over tell when it began, by an event
    with its own verb: an `event_leads` word, then an article or a possessive ("hives since the
    drip was stopped": what stopped is the drip)."""
    return any(t in negation["event_leads"] and set(between[k + 1 :]) & negation["over_not_across"]
               for k, t in enumerate(between))


def _phrase_starts(tokens: list[str], phrases: tuple[tuple[str, ...], ...], firsts: frozenset[str]) -> list[int]:
    """Where one of the phrases begins (`firsts`: their first words), in order: one pass."""
    return [i for i, token in enumerate(tokens) if token in firsts and any(_phrase_at(tokens, i, p) for p in phrases)]


def _came_back_at(tokens: list[str], negation: dict) -> list[tuple[int, bool]]:
    """Where a `came_back` phrase begins, and whether a denial word comes within the two words
    before it ("hasn't come back"), in order: one pass over the words."""
    return [(i, bool(set(tokens[max(i - 2, 0) : i]) & negation["before"]))
            for i in _phrase_starts(tokens, negation["came_back"], negation["came_back_first"])]


def _corrected_at(tokens: list[str], negation: dict) -> list[tuple[int, bool]]:
    """Where the speaker corrects a denial ([negation] corrections), in `_came_back_at`'s form:
    "actually it is", "well they are a bit", "oh wait yes i am", "it is (there) though"."""
    corrections, corrected, after = negation["corrections"], negation["corrected"], negation["corrections_after"]
    not_said, clauses = negation["not_said"], negation["clauses"]

    def affirms(i: int) -> int | None:
        """The end of a `corrected` phrase at tokens[i] that the next words do not undo ("i mean
        it's all gone now")."""
        for p in corrected:
            if _phrase_at(tokens, i, p) and not set(tokens[i + len(p) : i + len(p) + 3]) & not_said:
                return i + len(p)
        return None

    found, firsts = [], negation["correction_firsts"]
    for i in range(len(tokens)):
        if tokens[i] not in firsts:
            continue
        j = i
        while (opener := next((p for p in corrections if _phrase_at(tokens, j, p)), None)) is not None:
            j += len(opener)  # "oh wait yes", "well actually it is"
        if j > i and affirms(j) is not None:
            found.append((i, False))
        elif (end := affirms(i)) is not None and any(
                _phrase_at(tokens, k, p) for k in range(end, min(end + 3, len(tokens)))
                if not set(tokens[end:k]) & (not_said | clauses) for p in after):
            found.append((i, False))  # "it is though", "it is there though"
    return found


def _came_back(backs: list[tuple[int, bool]], end: int, next_phrase: int) -> bool:
    """After the phrase, before the next symptom's, words say it came back ("... but it's back up
    again"), with no denial word just before them ("the nurse hasn't come back" says nothing of
    it). Only ever undoes a denial: never makes one."""
    k = bisect.bisect_left(backs, (end, False))
    return k < len(backs) and backs[k][0] < next_phrase and not backs[k][1]


def _questioned(tokens: list[str], i: int, negation: dict) -> bool:
    """tokens[i] ("normal", "okay") is asked about, not said: "... is that normal", or its clause
    opens with a `questioned_first` word ("is my rash normal", "are his legs meant to look okay")."""
    if any(tuple(tokens[max(i - len(q), 0) : i]) == q for q in negation["questioned"]):
        return True
    k = i - 1
    while k >= 0 and tokens[k] not in negation["clauses"]:
        k -= 1
    opening = next((t for t in tokens[k + 1 : i] if t not in negation["question_lead"]), None)
    return opening in negation["questioned_first"]


def _over(tokens: list[str], i: int, negation: dict) -> bool:
    """tokens[i] says it is over ("passed", "broke"), not that it moved or began ("passed to my
    jaw", "broke out"), nor that the rest is ("back ache, otherwise settled")."""
    return tokens[i] in negation["over"] and not set(tokens[i + 1 : i + 2]) & negation["over_not_before"] \
        and not set(tokens[max(i - 2, 0) : i]) & negation["the_rest"]  # "otherwise settled": the rest


def _said_none(tokens: list[str], end: int, i: int, negation: dict, well_at: frozenset[int] = frozenset()) -> bool:
    """A `none_after` phrase at tokens[i], just after the symptom's phrase (only `refers_back`
    words between), that ends what is said of it: "rash none", "headache free today", and the
    question said back then answered: "fainted? no, i'm fine" (words that say the speaker is
    well begin just after it, `well_at`); but not "chest hurts no matter what"."""
    if not set(tokens[end:i]) <= negation["refers_back"]:
        return False
    for p in negation["none_after"]:
        rest = tokens[i + len(p) : i + len(p) + 1]
        if _phrase_at(tokens, i, p) and (not rest or rest[0] in negation["clauses"] | negation["none_then"]
                                         or _well_next(tokens, i + len(p), negation, well_at)):
            return True
    return False


def _well_next(tokens: list[str], i: int, negation: dict, well_at: frozenset[int]) -> bool:
    """Words that say the speaker is well begin at tokens[i], or after a subject there ("no, i'm
    right as rain")."""
    while i < len(tokens) and i not in well_at and tokens[i] in negation["subjects"]:
        i += 1
    return i in well_at


def _over_past_subject(tokens: list[str], k: int, negation: dict) -> bool:
    """tokens[k] says a milder symptom named before a subject is over: "cleared", "resolved";
    "gone" or "stopped" last, or with a word after it like "now" ("the dizziness i had has gone",
    "it's gone now", not "i'm stopped at the services"); "away" after "went" or "gone" ("went
    away", not "niggling away")."""
    word, following = tokens[k], tokens[k + 1 : k + 2]
    if word not in negation["over_past_subject"] or not _after(tokens, k, negation):
        return False
    if word in ("gone", "stopped"):
        return not following or following[0] in negation["over_then"]  # "... has gone", "... gone now"
    if word == "away":
        return k > 0 and tokens[k - 1] in ("went", "gone", "go", "goes", "going") and tokens[k - 2 : k - 1] != ["not"]
    return True


def _after(tokens: list[str], i: int, negation: dict, mild: bool = False) -> bool:
    """tokens[i] is a word like "gone" or "fine" that says what came before is over or well, not
    that it moved ("it's gone into my arm", "gone down my left side"), nor that it became so ("gone
    all blotchy"), nor that the rest is well ("sick but fine otherwise", "fine apart from that")."""
    if tokens[i] not in negation["after"]:
        return False
    following = tokens[i + 1 : i + 4]
    if tokens[i] in negation["became"] and following and following[0] not in negation["over_then"] \
            and not (mild and following[0] in _grammar()["body"]):
        return False  # "my tongue's gone massive", "her face has gone all wonky": it became so
        # (a milder symptom "gone" before another part is over: "headache gone, breathing fine")
    if following[:1] and following[0] in negation["over_not_before"] and set(following[1:]) & negation["moved_to"]:
        return False
    return not (set(following[:2]) | set(tokens[max(i - 2, 0) : i])) & negation["the_rest"]


def _said_over(tokens: list[str], i: int, negation: dict, named: frozenset[str]) -> bool:
    """The clause that starts at tokens[i] says that what came before is over: words that refer
    back to it (or name it again), then a word like "gone" or "passed" (not "passed out"); or it
    opens with "not today"."""
    if any(_phrase_at(tokens, i, p) for p in negation["no_longer"]):
        return True
    for j in range(i, min(i + negation["window"], len(tokens))):
        if tokens[j] in negation["after"] or tokens[j] in negation["over"]:
            return _after(tokens, j, negation) or _over(tokens, j, negation)
        if tokens[j] not in negation["refers_back"] and tokens[j] not in named:
            return False
    return False


def _past_place(tokens: list[str], end: int, negation: dict) -> int:
    """Where the words after a phrase say where it is ("on my left arm", "patch on my arm": one
    word of what it is may come first), the end of those words."""
    at = end
    if at + 1 < len(tokens) and tokens[at + 1] in negation["place"] and tokens[at] not in negation["place_not_noun"]:
        at += 1  # "itchy patch on my arm"
    if at >= len(tokens) or tokens[at] not in negation["place"]:
        return end
    k = at + 1
    while k < len(tokens) and k - end <= 2 and tokens[k] in negation["place_owner"]:
        k += 1
    body = k
    while k < len(tokens) and k - body < 2 and tokens[k] in _grammar()["owned"]:
        k += 1
    return k if k > body else end


def _past_time(tokens: list[str], end: int, negation: dict) -> int:
    """Where the words after a phrase say when it was ("from last week", "since the infusion",
    "yesterday"): a `time_lead` word, then up to three words, through the last `time` word among
    them, and no clause, subject or denial word; the end of those words."""
    if end >= len(tokens) or tokens[end] not in negation["time_lead"]:
        return end
    last = end if tokens[end] in negation["time"] else None
    for k in range(end + 1, min(end + 4, len(tokens))):
        if tokens[k] in negation["time_stop"]:
            break
        if tokens[k] in negation["time"]:
            last = k
    return end if last is None else last + 1


def _token_is(token: str, word: str) -> bool:
    return token.startswith(word[:-1]) if word.endswith("*") else token == word


def _phrase_at(tokens: list[str], i: int, phrase: tuple[str, ...]) -> bool:
    return i + len(phrase) <= len(tokens) and all(_token_is(t, w) for t, w in zip(tokens[i:], phrase))


def _contains(tokens: list[str], lo: int, hi: int, phrases: tuple[tuple[str, ...], ...]) -> bool:
    """One of the phrases lies wholly within tokens[lo:hi]."""
    by_first, starred = _by_first_word(tuple(phrases))
    window = tokens[:hi]
    return any(
        _phrase_at(window, i, p) for i in range(lo, hi) for p in (*by_first.get(window[i], ()), *starred)
    )


@lru_cache(maxsize=64)
def _by_first_word(phrases: tuple[tuple[str, ...], ...]) -> tuple[dict[str, tuple], tuple]:
    """The phrases by their exact first word, and those whose first word is a prefix ("feel*"):
    a token is only tried against the phrases that can start with it."""
    by_first: dict[str, list] = {}
    for phrase in phrases:
        if not phrase[0].endswith("*"):
            by_first.setdefault(phrase[0], []).append(phrase)
    return {w: tuple(ps) for w, ps in by_first.items()}, tuple(p for p in phrases if p[0].endswith("*"))


def _goes_on_in(words: list[str], negation: dict) -> bool:
    """A denial word in a phrase's gap says it goes on, or that something is not well, not that
    the symptom is absent: "my lips haven't stopped swelling", "my throat's not right, it's
    closing", "he's not himself, confused"."""
    return any(w in negation["before"] and (_contains(words, k + 1, len(words), negation["goes_on"])
                                            or set(words[k + 1 : k + 3]) & negation["not_well"])
               for k, w in enumerate(words))


def _never_as_bad(tokens: list[str], i: int, start: int, end: int, negation: dict) -> bool:
    if set(tokens[i + 1 : end]) & negation["never_between"]:
        return True  # "never been this dizzy"
    return any(  # "never had chest pain this bad" (the phrase itself may say it: "pain this bad")
        _phrase_at(tokens, j, p)
        for j in range(i + 1, min(end + negation["window"], len(tokens)))
        for p in negation["never_after"]
    )


def _spoken_number(words: list[str]) -> int | None:
    """ "190", "ninety", "a hundred and ten", "one ninety", "one oh five" -> the number, or None."""
    if len(words) == 1 and words[0].isdigit():
        return int(words[0])
    if not words or any(w.isdigit() for w in words) or words[0] == "and" or words[-1] in ("and", "a"):
        return None
    words = [w for w in words if w != "and"]
    if words[0] == "a":
        words = ["one"] + words[1:]
        if len(words) < 2 or words[1] != "hundred":
            return None
    if "hundred" in words:
        i = words.index("hundred")
        head = 1 if i == 0 else _UNITS.get(words[0]) if i == 1 else None
        rest = _below_100(words[i + 1 :]) if words[i + 1 :] else 0
        return None if not head or rest is None else head * 100 + rest
    if len(words) >= 2 and _UNITS.get(words[0]):  # "one ninety", "one forty five", "one oh five"
        rest = words[1:]
        if rest[0] in ("oh", "o", "zero") and len(rest) == 2 and _UNITS.get(rest[1]):
            return _UNITS[words[0]] * 100 + _UNITS[rest[1]]
        tail = None if rest[0] in _UNITS else _below_100(rest)
        return None if tail is None else _UNITS[words[0]] * 100 + tail
    return _below_100(words)


def _below_100(words: list[str]) -> int | None:
    if len(words) == 1:
        w = words[0]
        return _UNITS.get(w, _TEENS.get(w, _TENS.get(w))) if w not in ("oh", "o") else None
    if len(words) == 2 and words[0] in _TENS and _UNITS.get(words[1]):
        return _TENS[words[0]] + _UNITS[words[1]]
    return None


def _far_readings(tokens: list[str], limits: dict) -> list[tuple[int, int]]:
    """Token spans of "# over #" blood-pressure readings far from anyone's usual."""
    spans = []
    for k, token in enumerate(tokens):
        if token != "over" or k == 0:
            continue
        lo = k
        while lo > 0 and k - lo < 5 and (tokens[lo - 1].isdigit() or tokens[lo - 1] in _NUMBER_TOKENS):
            lo -= 1
        hi = k + 1
        while hi < len(tokens) and hi - k <= 5 and (tokens[hi].isdigit() or tokens[hi] in _NUMBER_TOKENS):
            hi += 1
        top = next(((s, n) for s in range(lo, k) if (n := _spoken_number(tokens[s:k])) is not None), None)
        bottom = next(
            ((e, n) for e in range(hi, k + 1, -1) if (n := _spoken_number(tokens[k + 1 : e])) is not None), None
        )
        if top is None or bottom is None:
            continue
        (s, t), (e, b) = top, bottom
        if not (50 <= t <= 300 and 20 <= b <= 200 and t > b):
            continue  # not a blood pressure
        if t >= limits["top_high"] or t <= limits["top_low"] or b >= limits["bottom_high"] or b <= limits["bottom_low"]:
            spans.append((s, e))
    return spans


def _far_single_readings(tokens: list[str], limits: dict) -> list[tuple[int, int]]:
    """Token spans of one number said just after a blood-pressure word ("my top number is over
    180", "bp was 85", "diastolic of 125") that is far from anyone's usual. A number followed by
    "over" is a whole reading, left to _far_readings."""
    spans = []
    for kind in ("top", "bottom"):
        for words in (w.split() for w in limits.get(f"{kind}_words", ())):
            for k in range(len(tokens) - len(words) + 1):
                if tokens[k : k + len(words)] != words:
                    continue
                after = k + len(words)  # the number may come up to three words later: "bp was only 85"
                lo = next((j for j in range(after, min(after + 4, len(tokens))) if _is_number_start(tokens[j])), None)
                if lo is None:
                    continue
                hi = _number_run(tokens, lo)
                if hi < len(tokens) and tokens[hi] == "over":
                    continue  # "130 over 85": a whole reading
                whole = _longest_number(tokens, lo, hi)
                if whole is None:
                    continue
                n = whole[1]
                if kind == "top" and 50 <= n <= 300 and (n >= limits["top_high"] or n <= limits["top_low"]):
                    spans.append((k, hi))
                elif kind == "bottom" and 20 <= n <= 200 and (n >= limits["bottom_high"] or n <= limits["bottom_low"]):
                    spans.append((k, hi))
    return spans


def _low_saturations(tokens: list[str], rules: dict, clauses: frozenset[str]) -> list[tuple[int, int]]:
    """Token spans of an oxygen level (50 to 100 percent) at or below `low`: any number said up to
    five words after an oxygen word in its clause ("his sats are ninety", "sats were 97 now they're
    85", "dropped from 98 to 88"), a decade ("in the eighties"), or a number just before it with
    `before_words` between ("it says 85 on my oxygen")."""
    spans = []
    decades = rules["decades"]
    for k in range(len(tokens)):
        word = next((w for w in rules["words"] if tuple(tokens[k : k + len(w)]) == w), None)
        if word is None:
            continue
        after = k + len(word)
        near = list(takewhile(lambda j: tokens[j] not in clauses, range(after, min(after + 6, len(tokens)))))
        for j in near:
            if tokens[j] in decades and decades[tokens[j]] <= rules["low"]:
                spans.append((k, j + 1))
                break
            if not (_is_number_start(tokens[j]) and tokens[j] != "a" or tokens[j] == "a" and tokens[j + 1 : j + 2] == ["hundred"]):
                continue
            if j > after and _is_number_start(tokens[j - 1]) and tokens[j - 1] != "a":
                continue  # inside a number already read
            hi = _number_run(tokens, j)
            whole = _longest_number(tokens, j, hi)
            if whole is not None and 50 <= whole[1] <= 100 and whole[1] <= rules["low"]:
                spans.append((k, hi))
                break
        lo = k - 1
        while lo >= 0 and k - lo <= 3 and tokens[lo] in rules["before_words"]:
            lo -= 1
        if lo >= 0 and tokens[lo].isdigit() and 50 <= int(tokens[lo]) <= rules["low"]:
            spans.append((lo, after))
    return spans


def _temperatures(tokens: list[str], rules: dict) -> list[tuple[int, int, bool]]:
    """(start, end, a fever?) of each temperature said as a number: up to three words after a
    temperature word, or just before "degrees". Whole degrees and a decimal ("point two", or
    "38.4" as the recogniser hands it over: "38 4")."""
    spans = []  # a number reached both ways ("temp 38 degrees") is judged twice, the same way
    for k in range(len(tokens)):
        word = next((w for w in rules["words"] if tuple(tokens[k : k + len(w)]) == w), None)
        lo = next((j for j in range(k + len(word), min(k + len(word) + 3, len(tokens))) if _is_number_start(tokens[j])),
                  None) if word else None
        bare = lo is None and _is_number_start(tokens[k]) and (k == 0 or not _is_number_start(tokens[k - 1]))
        if lo is None and k + 1 < len(tokens) and tokens[k + 1] == "degrees" and _is_number_start(tokens[k]):
            lo = k  # "a hundred and one degrees": its number begins a little before
            while lo > 0 and k - lo < 4 and tokens[lo - 1] in _NUMBER_TOKENS:
                lo -= 1
        if lo is None and bare:
            lo = k  # maybe a number with a decimal: "thirty nine point five"
        if lo is None:
            continue
        whole = _longest_number(tokens, lo, _number_run(tokens, lo))
        if whole is None:
            continue
        end, value = whole
        if end + 1 < len(tokens) and tokens[end] == "point" and (d := _UNITS.get(tokens[end + 1])) is not None:
            value, end = value + d / 10, end + 2
        elif end < len(tokens) and end - lo == 1 and tokens[lo].isdigit() and tokens[end].isdigit() and len(tokens[end]) == 1:
            value, end = value + int(tokens[end]) / 10, end + 1  # "38.4" handed over as "38 4"
        elif bare and tokens[k + 1 : k + 2] != ["degrees"]:
            continue  # a number alone, without a decimal: not a temperature
        if end < len(tokens) and tokens[end] in _DURATIONS:
            continue  # "a fever for 36 hours": how long, not how hot
        if 34 <= value <= 43.5:
            spans.append((k if word else lo, end, value >= rules["celsius"]))
        elif 93 <= value <= 111:
            spans.append((k if word else lo, end, value >= rules["fahrenheit"]))
    return spans


_DURATIONS = frozenset({"hours", "hour", "hrs", "minutes", "minute", "mins", "days", "day", "weeks", "times", "years", "seconds"})


def _number_run(tokens: list[str], lo: int) -> int:
    """The end of the run of number words that starts at tokens[lo] (at most five words)."""
    hi = lo
    while hi < len(tokens) and hi - lo < 5 and (tokens[hi].isdigit() or tokens[hi] in _NUMBER_TOKENS):
        hi += 1
    return hi


def _longest_number(tokens: list[str], lo: int, hi: int) -> tuple[int, int] | None:
    """(end, value) of the longest number said from tokens[lo], within tokens[lo:hi]."""
    return next(((e, n) for e in range(hi, lo, -1) if (n := _spoken_number(tokens[lo:e])) is not None), None)


def _is_number_start(token: str) -> bool:
    """ "180", "one" (ninety), "a" (hundred); not "and" or "oh"."""
    return token.isdigit() or (token in _NUMBER_TOKENS and token not in ("and", "oh", "o"))


def _uncertain(tokens: list[str], i: int, negation: dict) -> bool:
    """ "not sure", "don't know": doubt, which counts as yes, is not a denial."""
    return any(tuple(tokens[i : i + len(n)]) == n for n in negation["not_denials"])


@cache
def _gestures() -> tuple[re.Pattern, dict[str, str]]:
    said = {normalize(k): normalize(v) for k, v in triage.content()["answers"]["gestures"].items()}
    return _whole_words(said), said


def gestures_said(words: str) -> str:
    """Plain words with a gesture said as the answer it is ("shes shaking her head" -> "no she
    isnt"): what the learned reader reads, so that a shake of the head is never a shaking chill."""
    pattern, said = _gestures()
    return pattern.sub(lambda m: said[m.group(1)], words)


def _mended(words: str) -> str:
    """Normalised words with what a recogniser mishears mended and gestures said as answers."""
    other = _tables()[2]
    return other["heard_re"].sub(lambda m: other["heard"][m.group(1)], words)


MAX_ANSWER_WORDS = 12  # an answer and its tail ("aye, a wee bit, pet"): more words say more than an answer


@cache
def _answer_words() -> dict[str, str]:
    table = triage.content()["answers"]
    return {normalize(words): answer for answer in ("yes", "no", "not_sure") for words in table[answer]}


@cache
def _answer_tails() -> dict[str, frozenset[str]]:
    table = triage.content()["answers"]
    tails = table["tails"]
    anyone = frozenset(normalize(w) for w in tails["any"])
    # a one-word answer said again, or after its own kind, is a tail too: "yes indeed", "no no no"
    again = {answer: frozenset(normalize(w) for w in table[answer] if " " not in normalize(w))
             for answer in ("yes", "no")}
    return {"yes": anyone | again["yes"] | {normalize(w) for w in tails["yes"]}, "no": anyone | again["no"],
            "not_sure": anyone}


def as_answer(text: str) -> str | None:
    """"yes", "no" or "not_sure" when the words are only an answer ("yeah", "i'm not sure"),
    else None. For answers that arrive as words instead of as an answer intent. An answer may
    end in words that only say to whom or, after a yes, how much ([answers] tails: "no love",
    "yup, some", "yes quite a lot")."""
    words = _mended(normalize(text or ""))
    words = re.sub(r"^(?:um+|uh+|er+|well|oh|hmm+|okay|ok)\s+", "", words)
    table = _answer_words()
    if words in table:
        return table[words]
    tokens = words.split()
    if len(tokens) > MAX_ANSWER_WORDS:  # an answer with a tail is short: longer words tell more
        return None
    for cut in range(len(tokens) - 1, 0, -1):
        answer = table.get(" ".join(tokens[:cut]))
        if answer is not None:
            return answer if _answer_tails()[answer].issuperset(tokens[cut:]) else None
    return None


@dataclass(frozen=True)
class Heard:
    """What a person's words mean to the check: an answer, symptoms, or that all is well."""

    answer: str | None  # "yes", "no" or "not_sure" when the words are only an answer
    ids: frozenset[str]  # symptoms to report
    in_infusion: bool | None
    all_well: bool  # nothing wrong said in general ("I'm fine"), no symptom denied by name
    named: frozenset[str] = frozenset()  # what the words themselves name (`ids` less the catch-all and Alexa's)
    denied: frozenset[str] = frozenset()  # what they deny by name ("no headache")
    unexplained: int = 0  # words of it no phrase took
    said_well: bool = False  # they say all is well, whatever else they name
    aside: frozenset[str] = frozenset()  # named only as a fear, someone else's or an animal's
    hypothetical: bool = False  # they speak of a fear, of later, or ask of no one
    excepted: frozenset[str] = frozenset()  # said as the one thing wrong ("fine apart from a headache")
    held: frozenset[str] = frozenset()  # kept against a denial word in or just before it ("didn't work on the rash")


@cache
def _complaint_words() -> frozenset[str]:
    return frozenset(normalize(w) for w in triage.content()["complaint"]["words"])


def _complains(text: str) -> bool:
    return not _complaint_words().isdisjoint(normalize(text).split())


def hear(text: str, resolved: Iterable[str] = ()) -> Heard:
    """The person's words (and any symptom ids Alexa resolved from them) as the check takes
    them. Words that name nothing we know, and are neither an answer nor "all is well", are
    reported as `other`: something new that doesn't feel right is never talked away. Words
    beyond what anyone says in one go (MAX_SPOKEN_CHARS) are not read."""
    text = bounded(text or "")
    answer = as_answer(text)
    if answer is not None:
        return Heard(answer, frozenset(), None, False)
    parsed = parse(text)
    known = triage.protocol().symptoms
    ids = set(parsed.ids) | {i for i in resolved if i in known}
    if not ids and not parsed.aside and not parsed.nothing_wrong and text.strip() and (
            parsed.in_infusion is None or _complains(text)):
        ids = {"other"}
    all_well = not ids and parsed.nothing_wrong and not parsed.denied
    return Heard(None, frozenset(ids), parsed.in_infusion, all_well, parsed.ids, parsed.denied, parsed.unexplained,
                 parsed.said_well, parsed.aside - ids, parsed.hypothetical, parsed.excepted, parsed.held)
