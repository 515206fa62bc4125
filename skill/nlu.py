"""Typed words -> the request Alexa would send (launch, or an intent with slots), resolved from
the interaction model in interaction_models/<locale>.json. Used by `ivig-skill chat`.

Precedence, first rule that fits wins (every step is deterministic; ties go to model order):

0. Normalise: lowercase; curly quotes straightened; "&" is "and"; punctuation and hyphens become
   spaces (apostrophes stay); spelled letters are joined into one word, so "I.V.I.G.",
   "i. v. i. g." (as the model's samples write it, Amazon's spoken form) and "i v i g" all read
   "ivig", as people type it. Sample utterances are normalised the same way, and compared without
   apostrophes ("im not sure" = "i'm not sure").
1. Invocation: a leading "alexa" is dropped. "open / launch / start / begin / load / run / play /
   use / talk to <invocation name>" (or the name alone, or "ask <name>" with nothing after) is a
   LaunchRequest. "ask / tell <name> [to|about|for|if|whether|that] ..." and "open <name> and ..."
   are one-shot requests: the rest is resolved by the rules below, with `invoked=True` (a new
   session). "exit" is a SessionEndedRequest, as Alexa sends for it.
2. Exact sample: the words are one of an intent's samples without slots.
3. Built-in phrasing: the usual words for the AMAZON.* intents the model declares ("yes", "no",
   "stop", "cancel", "help", "repeat", "start over", "go home", "pause", "resume", "next",
   "previous", ...), with or without samples in the model.
4. Custom-slot pattern: a sample with slots, every slot a custom type filled with one of the
   type's values or synonyms ("read me about side effects" -> section "side effects", with the
   id of the value it is a synonym of, as Alexa's entity resolution reports it).
5. Near sample: a sample without slots that differs only by a typo or a small word
   (character similarity >= NEAR_SAMPLE).
6. Open pattern: a sample whose AMAZON.SearchQuery slot (or a custom slot with an unlisted
   value) takes the rest of the words behind the carrier phrase ("tell me {query}"). The pattern
   with the most literal words wins ("tell me about {query}" over "tell me {query}"). A sample
   that is a custom slot alone ("{symptom}") takes unlisted words only when they contain one of
   the type's values or synonyms ("really short of breath" has "short of breath"): Alexa fills a
   slot with words outside its list when they sound like the list, not with just anything.
   Except while the skill elicits that slot (its last response held a Dialog.ElicitSlot for it,
   as the symptom check's questions do): then the slot alone takes whatever words the person
   said that no carrier phrase took, as Alexa fills an elicited slot with the answer given.
7. Nearest sample: the sample without slots with the most words in common, in order, if that
   word similarity is >= NEAREST ("what are the side effects" -> SideEffectsIntent).
8. AMAZON.FallbackIntent.

At steps 2 to 7 the words are tried as typed, then with filler words around them removed
("um", "okay", "wait", a leading "yes"/"no" ... "please", "thanks"): "okay stop" is a stop,
"wait, what are the side effects?" a question. A slot at the edge of its sample keeps the words
removed beside it: they were said, and they can carry the meaning ("no trouble breathing" fills
{symptom} with all three words, not with "trouble breathing").
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache
from pathlib import Path

from skill.learned import joined_letters

MODELS_DIR = Path(__file__).resolve().parent.parent / "interaction_models"

LAUNCH = "LaunchRequest"
INTENT = "IntentRequest"
SESSION_ENDED = "SessionEndedRequest"
FALLBACK = "AMAZON.FallbackIntent"

NEAR_SAMPLE = 0.9   # step 5: a typo away from a sample
NEAREST = 0.8       # step 7: below this, nothing fits and it is a fallback
_MIN_NEAR_CHARS = 6  # very short words are too easily "near" each other

# Step 3: what people say for the built-in intents (only those the model declares are used).
BUILTIN_PHRASES: dict[str, tuple[str, ...]] = {
    "AMAZON.YesIntent": ("yes", "yeah", "yep", "yup", "ya", "yes please", "sure", "ok", "okay",
                         "of course", "correct", "right", "that's right", "uh huh", "absolutely",
                         "definitely", "i did", "yes i did", "yes i have", "affirmative"),
    "AMAZON.NoIntent": ("no", "nah", "no thanks", "no thank you", "not really", "i don't", "i didn't",
                        "no i didn't", "no i haven't", "negative", "no way", "no no"),
    "AMAZON.StopIntent": ("stop", "quit", "stop it", "be quiet", "shut up", "enough", "bye",
                          "goodbye", "good bye", "bye bye", "off", "turn off", "that's enough"),
    "AMAZON.CancelIntent": ("cancel", "cancel that", "never mind", "nevermind", "forget it"),
    "AMAZON.HelpIntent": ("help", "help me", "help please", "what can i say", "what can i do",
                          "i'm confused"),
    "AMAZON.RepeatIntent": ("repeat", "repeat that", "repeat please", "say it again", "again",
                            "one more time", "what was that", "sorry what"),
    "AMAZON.StartOverIntent": ("start over", "restart", "start again", "start from the beginning",
                               "from the beginning", "from the top"),
    "AMAZON.NavigateHomeIntent": ("go home", "home", "main menu", "go to the main menu", "menu"),
    "AMAZON.PauseIntent": ("pause", "pause that", "pause it", "hold on"),
    "AMAZON.ResumeIntent": ("resume", "continue", "carry on", "unpause"),
    "AMAZON.NextIntent": ("next", "next one", "skip", "skip that", "skip it"),
    "AMAZON.PreviousIntent": ("previous", "previous one", "last one", "the one before"),
    "AMAZON.LoopOnIntent": ("loop", "loop on", "turn on loop"),
    "AMAZON.LoopOffIntent": ("loop off", "turn off loop", "stop looping"),
    "AMAZON.ShuffleOnIntent": ("shuffle", "shuffle on", "turn on shuffle"),
    "AMAZON.ShuffleOffIntent": ("shuffle off", "turn off shuffle", "stop shuffling"),
}

_LEADING_FILLERS = ("alexa", "um", "umm", "uh", "er", "erm", "hmm", "oh", "ah", "well", "so", "okay",
                    "ok", "hey", "please", "and", "but", "actually", "wait", "sorry", "excuse me",
                    "yes", "yeah", "no")
_ANSWER_YES = frozenset({"yes", "yeah", "yep", "yup"})  # words that open an answer while a slot is elicited
_TRAILING_FILLERS = ("please", "thanks", "thank you", "alexa", "then", "now")

_LAUNCH_VERBS = r"(?:open|launch|start|begin|load|run|play|use|talk to|start up|open up)"
_ONE_SHOT_VERBS = r"(?:ask|tell)"
_CONNECTORS = r"(?:to|about|for|if|whether|that)"
_EXIT_WORDS = frozenset({"exit", "exit skill", "exit the skill"})


@dataclass(frozen=True)
class Slot:
    """One slot of the request. `resolution_id`/`resolution_value` are set for a custom slot
    value that matched one of the type's values or synonyms (Alexa's ER_SUCCESS_MATCH)."""

    name: str
    value: str | None = None
    resolution_id: str | None = None
    resolution_value: str | None = None
    slot_type: str | None = None


@dataclass(frozen=True)
class Understood:
    """What Alexa would send for the words: the request type, the intent and its slots."""

    request_type: str                  # LaunchRequest, IntentRequest or SessionEndedRequest
    intent: str | None = None          # for an IntentRequest
    slots: tuple[Slot, ...] = ()       # every slot the intent declares, filled or not
    invoked: bool = False              # the words named the skill: a new session starts
    rule: str = ""                     # which precedence rule decided (see the docstring)
    score: float = 1.0                 # similarity, for the near and nearest rules

    def slot(self, name: str) -> str | None:
        return next((s.value for s in self.slots if s.name == name), None)

    @property
    def slot_values(self) -> dict[str, str | None]:
        return {s.name: s.value for s in self.slots}


# --- 0. normalising -----------------------------------------------------------------------------

_SPELLED_LETTERS = re.compile(r"\b(?:[a-z]\.\s*){2,}")      # "i. v. i. g." / "i.v.i.g."
_LETTER_RUN = re.compile(r"(?<![\w'])[a-z](?:\s+[a-z](?![\w']))+")  # "i v i g", "h i v", not "he's a"




def normalise(text: str) -> str:
    """Plain lowercase words, as a speech recogniser would write them."""
    text = (text or "").lower().replace("\u2019", "'").replace("\u2018", "'").replace("`", "'")
    text = text.replace("&", " and ")
    text = _SPELLED_LETTERS.sub(lambda m: " " + m.group(0).replace(".", " ") + " ", text)
    text = re.sub(r"[^a-z0-9' ]+", " ", text)
    text = re.sub(r"(?<![a-z0-9])'+|'+(?![a-z0-9])", " ", text)  # quotes, not apostrophes
    text = re.sub(r"\s+", " ", text).strip()
    return _LETTER_RUN.sub(lambda m: joined_letters(m.group(0).split()), text)


def _key(words: str) -> str:
    """The form two phrasings are compared in: no apostrophes."""
    return words.replace("'", "")


def _loose(words: str) -> str:
    """A regex for normalised words that also matches them typed without apostrophes."""
    return re.escape(words).replace("'", "'?")


def without_fillers(words: str) -> tuple[str, str, str]:
    """(the words removed before, the words left, the words removed after)."""
    before, after = [], []
    changed = True
    while changed:
        changed = False
        for filler in _LEADING_FILLERS:
            if words.startswith(filler + " "):
                words, changed = words[len(filler) + 1:], True
                before.append(filler)
        for filler in _TRAILING_FILLERS:
            if words.endswith(" " + filler):
                words, changed = words[: -len(filler) - 1], True
                after.insert(0, filler)
    return " ".join(before), words, " ".join(after)


# --- the model, compiled ------------------------------------------------------------------------

@dataclass(frozen=True)
class _Pattern:
    intent: str
    sample: str
    regex: re.Pattern
    literal_words: int          # the carrier phrase's words: more is more specific
    constrained: bool           # every slot is a custom type restricted to its values
    needs_value: str | None = None  # a custom slot alone: its words must contain a value of this type
    alone: str | None = None  # ... and that slot's name (an elicited slot alone needs no value)
    listed: tuple[str, str] | None = None  # (slot, type): the slot's words must be one of the type's values


class Understander:
    """The rules above over one interaction model (the JSON Alexa's console takes)."""

    def __init__(self, model: dict):
        language = model["interactionModel"]["languageModel"]
        self.invocation = normalise(language["invocationName"])
        self.intents: dict[str, dict[str, str]] = {}     # intent -> {slot name: type}, model order
        self._values: dict[str, dict[str, tuple[str, str]]] = {}  # type -> {words: (id, value)}
        self._spoken: dict[str, set[str]] = {}   # type -> its values and synonyms, as said
        self._longest: dict[str, int] = {}       # type -> words in its longest value
        for slot_type in language.get("types", []):
            table: dict[str, tuple[str, str]] = {}
            spoken: set[str] = set()
            for entry in slot_type.get("values", []):
                value = entry["name"]["value"]
                ident = entry.get("id") or value
                for words in (value, *entry["name"].get("synonyms", [])):
                    table.setdefault(_key(normalise(words)), (ident, value))
                    spoken.add(normalise(words))
            self._values[slot_type["name"]] = table
            self._spoken[slot_type["name"]] = spoken
            self._longest[slot_type["name"]] = max((len(k.split()) for k in table), default=0)
        self._exact: dict[str, str] = {}
        self._slotless: list[tuple[str, str]] = []     # (key, intent)
        self._patterns: list[_Pattern] = []
        for intent in language["intents"]:
            name = intent["name"]
            slots = {s["name"]: s["type"] for s in intent.get("slots", [])}
            self.intents[name] = slots
            for sample in intent.get("samples", []):
                if "{" in sample:
                    self._patterns.extend(self._compile(name, sample, slots))
                else:
                    key = _key(normalise(sample))
                    self._exact.setdefault(key, name)
                    self._slotless.append((key, name))
        self._builtin: dict[str, str] = {}
        for name, phrases in BUILTIN_PHRASES.items():
            if name in self.intents:
                for phrase in phrases:
                    self._builtin.setdefault(_key(phrase), name)

    def _compile(self, intent: str, sample: str, slots: dict[str, str]) -> list[_Pattern]:
        """A constrained and an open regex for a sample with slots (one when all are open)."""
        parts = re.split(r"(\{\w+\})", sample)
        literal = len(normalise(re.sub(r"\{\w+\}", " ", sample)).split())
        used = {p[1:-1]: slots.get(p[1:-1], "AMAZON.SearchQuery") for p in parts if p.startswith("{")}
        custom = [s for s, t in used.items() if t in self._values]
        compiled = []
        # One custom slot: the open regex, then a look-up of its words (fast with large types).
        single = len(used) == 1 and len(custom) == 1
        for constrained in ([True, False] if custom else [False]):
            pieces = []
            for part in parts:
                if part.startswith("{"):
                    slot = part[1:-1]
                    if constrained and used[slot] in self._values and not single:
                        choices = sorted(self._spoken[used[slot]], key=len, reverse=True)
                        body = "|".join(_loose(c) for c in choices)
                    else:
                        body = r"[a-z0-9].*?"
                    pieces.append(rf"(?P<{slot}>{body})")
                elif normalise(part):
                    pieces.append(_loose(normalise(part)))
            regex = re.compile("^" + " ".join(pieces) + "$")
            alone = literal == 0 and len(used) == 1 and custom
            compiled.append(_Pattern(intent, sample, regex, literal,
                                     constrained and len(custom) == len(used),
                                     None if constrained or not alone else used[custom[0]],
                                     None if constrained or not alone else custom[0],
                                     (custom[0], used[custom[0]]) if constrained and single else None))
        return compiled

    def _has_value(self, kind: str, words: str) -> bool:
        """The words contain one of the type's values or synonyms, whole words."""
        table, tokens = self._values[kind], _key(words).split()
        longest = self._longest[kind]
        return any(" ".join(tokens[i:j]) in table
                   for i in range(len(tokens)) for j in range(i + 1, min(len(tokens), i + longest) + 1))

    # --- the rules, in order ---------------------------------------------------------------

    def understand(self, text: str, eliciting: tuple[str, str] | None = None) -> Understood:
        """The request for the words; `eliciting` is the (intent, slot) the skill's last response
        elicited with Dialog.ElicitSlot, if any."""
        words = normalise(text)
        if words.startswith("alexa "):
            words = words[len("alexa "):]
        elif words == "alexa":
            words = ""
        if words in _EXIT_WORDS:
            return Understood(SESSION_ENDED, rule="exit")
        rest = self._after_invocation(words)
        if rest == "":
            return Understood(LAUNCH, invoked=True, rule="launch")
        if rest is not None:
            return self._resolve(rest, invoked=True)  # a new session: nothing is being elicited
        return self._resolve(words, invoked=False, eliciting=eliciting)

    def _after_invocation(self, words: str) -> str | None:
        """What follows the skill's name ("" for a plain launch); None when it isn't named."""
        name = re.escape(self.invocation) + r"(?: skill| app)?"
        if re.fullmatch(rf"(?:{_LAUNCH_VERBS} (?:the )?)?{name}", words) or \
                re.fullmatch(rf"{_ONE_SHOT_VERBS} (?:the )?{name}(?: {_CONNECTORS})?", words):
            return ""
        one_shot = re.fullmatch(rf"{_ONE_SHOT_VERBS} (?:the )?{name}(?: {_CONNECTORS})? (?P<rest>.+)", words) or \
            re.fullmatch(rf"{_LAUNCH_VERBS} (?:the )?{name} and (?P<rest>.+)", words)
        return one_shot["rest"] if one_shot else None

    def _resolve(self, words: str, invoked: bool, eliciting: tuple[str, str] | None = None) -> Understood:
        candidates = [("", words, "")]  # (removed before, the words, removed after)
        before, bare, after = without_fillers(words)
        if bare and bare != words:
            candidates.append((before, bare, after))
        keys = [_key(c[1]) for c in candidates]
        for key in keys:
            if key in self._exact:
                return self._intent(self._exact[key], invoked, "exact sample")
        for key in keys:
            if key in self._builtin:
                return self._intent(self._builtin[key], invoked, "built-in phrase")
        for edges in candidates:
            found = self._match_patterns(edges[1], constrained=True)
            if found:
                return self._with_slots(found, invoked, "custom slot pattern", edges)
        for key in keys:
            intent, score = self._near(key)
            if score >= NEAR_SAMPLE and len(key) >= _MIN_NEAR_CHARS:
                return self._intent(intent, invoked, "near sample", score)
        # The words as typed, then without fillers; a carrier phrase found in either beats a
        # slot said alone ("um, i've got a rash" is "i've got {symptom}", not "{symptom}").
        # While a slot is elicited, words that open with a yes are an answer: only the elicited
        # intent's samples take them ("yes, is difficult breathing" is no question "is {query}").
        answering = eliciting is not None and words.split(" ", 1)[0] in _ANSWER_YES
        opened = [(f, edges) for edges in candidates
                  if (f := self._match_patterns(edges[1], constrained=False, eliciting=eliciting,
                                                only=eliciting[0] if answering else None))]
        if opened:
            found, edges = max(opened, key=lambda fe: fe[0][0].literal_words)
            return self._with_slots(found, invoked, "open pattern", edges)
        best_intent, best = None, 0.0
        for key in keys:
            intent, score = self._nearest(key)
            if score > best:
                best_intent, best = intent, score
        if best_intent and best >= NEAREST:
            return self._intent(best_intent, invoked, "nearest sample", best)
        return self._intent(FALLBACK, invoked, "fallback", best)

    def _match_patterns(self, words: str, *, constrained: bool, eliciting: tuple[str, str] | None = None,
                        only: str | None = None):
        best = None
        for pattern in self._patterns:
            if pattern.constrained != constrained or only is not None and pattern.intent != only:
                continue
            match = pattern.regex.match(words)
            if match and pattern.listed and \
                    _key(match.group(pattern.listed[0])) not in self._values[pattern.listed[1]]:
                continue
            if match and pattern.needs_value and (pattern.intent, pattern.alone) != eliciting \
                    and not self._has_value(pattern.needs_value, words):
                continue
            if match and (best is None or pattern.literal_words > best[0].literal_words):
                best = (pattern, match)
        return best

    def _near(self, key: str) -> tuple[str | None, float]:
        """The sample a typo away: character similarity."""
        return self._most_similar(key, lambda sample: sample)

    def _nearest(self, key: str) -> tuple[str | None, float]:
        """The sample saying much the same: word similarity (order kept, so "is it safe"
        and "it is safe" differ less than unrelated words)."""
        return self._most_similar(tuple(key.split()), lambda sample: tuple(sample.split()))

    def _most_similar(self, typed, form) -> tuple[str | None, float]:
        """The most similar slotless sample that agrees on negation: "i don't think so" is
        never taken for "i think so", nor "not dizzy" for "dizzy"."""
        best_intent, best = None, 0.0
        if not typed:
            return None, 0.0
        negated = _negated("".join(typed) if isinstance(typed, str) else " ".join(typed))
        matcher = SequenceMatcher(autojunk=False)
        matcher.set_seq2(typed)
        for sample, intent in self._slotless:
            if _negated(sample) != negated:
                continue
            matcher.set_seq1(form(sample))
            if matcher.real_quick_ratio() <= best or matcher.quick_ratio() <= best:
                continue
            score = matcher.ratio()
            if score > best:
                best_intent, best = intent, score
        return best_intent, round(best, 3)

    # --- results ------------------------------------------------------------------------------

    def _intent(self, name: str, invoked: bool, rule: str, score: float = 1.0) -> Understood:
        slots = tuple(Slot(slot, slot_type=kind) for slot, kind in self.intents.get(name, {}).items())
        return Understood(INTENT, name, slots, invoked, rule, score)

    def _with_slots(self, found, invoked: bool, rule: str, edges=("", "", "")) -> Understood:
        """The slots the pattern filled; a slot at the sample's start or end also keeps the filler
        words removed beside it (`edges`)."""
        pattern, match = found
        before, _, after = edges
        sample = pattern.sample.strip()
        filled = []
        for slot, kind in self.intents[pattern.intent].items():
            value = match.groupdict().get(slot)
            value = value.strip() if value else None
            if value and before and sample.startswith(f"{{{slot}}}"):
                value = f"{before} {value}"
            if value and after and sample.endswith(f"{{{slot}}}"):
                value = f"{value} {after}"
            resolved = self._values.get(kind, {}).get(_key(value or ""))
            filled.append(Slot(slot, value, resolved[0] if resolved else None,
                               resolved[1] if resolved else None, kind))
        return Understood(INTENT, pattern.intent, tuple(filled), invoked, rule)


def load_model(locale: str) -> dict:
    """The committed model for a locale; generated from content/ when the file is not at hand
    (an installed package has no interaction_models/ folder)."""
    path = MODELS_DIR / f"{locale}.json"
    if path.is_file():
        return json.loads(path.read_text(encoding="utf-8"))
    from skill.models import build_model

    return build_model(locale)


@lru_cache(maxsize=None)
def understander(locale: str) -> Understander:
    return Understander(load_model(locale))


def understand(text: str, locale: str = "en-US", eliciting: tuple[str, str] | None = None) -> Understood:
    """The request Alexa would send for the words, in the locale's model; `eliciting`: the
    (intent, slot) of a Dialog.ElicitSlot in the skill's last response."""
    return understander(locale).understand(text, eliciting)


_NEGATION = re.compile(r"\b(?:no|not|never|none|nothing|neither|nor|dont|doesnt|didnt|isnt|arent|wasnt|"
                       r"havent|hasnt|cant|cannot|wont|wouldnt|shouldnt)\b")


def _negated(words: str) -> bool:
    return bool(_NEGATION.search(words.replace("'", "").replace("\u2019", "")))
