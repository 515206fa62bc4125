"""Generates the Alexa interaction model for each locale: one source, five committed files.

The source: content/interaction.toml (built-in and custom intents, their carrier phrases), the
question corpus (content/questions/: a topic intent's samples are corpus lines of its topic that
Alexa accepts and the trained matcher itself answers with that topic, so that a question routed
straight to a topic intent gets the answer `ivig-skill ask` gives), the SYMPTOM slot type generated from the phrase table the
parser reads (content/symptoms.toml), and each locale's own words layered on top of all of it
(content/locales.toml). Every sample and slot value is written the way Amazon's rules want it
said: initialisms spelled out with periods ("i. v. i. g."), apostrophes kept ("can't").
"""

from __future__ import annotations

import itertools
import json
import re
import tomllib
from functools import cache
from importlib import resources
from pathlib import Path

from skill import answers, knowledge, symptom_words, triage
from skill.handlers.listening import section_names
from skill.speech import SUPPORTED_LOCALES, locale_table

SYMPTOM_TYPE = "SYMPTOM"
# A phrase of symptoms.toml becomes slot values only when it stands for a bounded, small set of
# words: at most this many, from its word lists, its `*` words (completed to words the content
# uses) and its `...` gaps (said with nothing, "my" or "is" in them). A phrase of one word list
# among plain words ("{severe} headache") is always kept, however long the list grows: the cap
# is against combinations, and a list's length is already the table's own choice.
MAX_VALUES_PER_PHRASE = 60
_STAR_ENDINGS = ("", "s", "es", "ed", "d", "ing", "y", "ey", "ies", "iness", "ness", "a", "ia", "ous",
                 "ated", "ating", "ation", "ish", "er", "ers")
_STAR_WORDS = 4  # at most this many words for one `*` word, the shortest first


@cache
def model_source() -> dict:
    text = resources.files("skill.content").joinpath("interaction.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


@cache
def question_openers() -> dict[str, str]:
    """Intent name -> the opening word its search-query slot leaves out ("AskHowIntent": "how")."""
    return dict(model_source()["question_openers"])


# --- Amazon's spoken form --------------------------------------------------------------------------

_LETTERS = re.compile(r"(?<![\w'.])[a-z](?: [a-z](?![\w'.]))*(?![\w'.])")  # "b p", "i v", "the g in"


def spoken_form(text: str) -> str:
    """Words as Amazon's sample-utterance rules want them written: an initialism is spelled out,
    each letter followed by a period ("ivig" -> "i. v. i. g.", "b p" -> "b. p."), from the table
    [spoken_forms] of interaction.toml and for any run of single letters."""
    forms = model_source()["spoken_forms"]
    words = [forms.get(w, w) for w in text.split()]
    text = " ".join(words)

    def spell(m: re.Match) -> str:
        letters = m.group(0).split()
        if set(letters) <= {"a", "i"}:  # "i" and "a" are words
            return m.group(0)
        return " ".join(f"{letter}." for letter in letters)

    text = _LETTERS.sub(spell, text)
    # A letter on its own ("the g in ivig") is said as a letter too; "a" and "i" are words.
    return " ".join(f"{w}." if len(w) == 1 and w.isalpha() and w not in "ai" else w for w in text.split())


def _written(phrase: str) -> str:
    """A phrase in the parser's short form ("cant breathe") as English is written ("can't breathe")."""
    table = model_source()["written"]
    return " ".join(table.get(w, w) for w in phrase.split())


# --- the SYMPTOM slot type, from the parser's own table ------------------------------------------

@cache
def _content_words() -> frozenset[str]:
    """Words our content uses about symptoms: the phrase table's and the symptom corpus's. A `*`
    word of the table is completed only to these (never to a made-up word)."""
    raw = triage.content()
    found: set[str] = set()

    def add(text: str) -> None:
        found.update(w for w in symptom_words.normalize_phrase(text).split() if w.isalpha())

    for row in raw["symptoms"].values():
        for phrase in row["phrases"] + row.get("whole", []):
            add(phrase)
    for options in raw["words"].values():
        for option in options:
            add(option)
    for meant in raw["heard_as"].values():
        add(meant)
    corpus = resources.files("skill.content").joinpath("symptom_utterances")
    if corpus.is_dir():
        for item in corpus.iterdir():
            if item.name.endswith(".txt"):
                for line in item.read_text(encoding="utf-8").splitlines():
                    if "|" in line and not line.lstrip().startswith("#"):
                        add(symptom_words.normalize(line.split("|", 1)[1]))
    return frozenset(found)


def _star_words(word: str) -> list[str]:
    stem = word[:-1]
    vocabulary = _content_words()
    endings = list(_STAR_ENDINGS)
    if stem and stem[-1] not in "aeiouwy":
        endings += [stem[-1] + e for e in ("ing", "ed", "er", "y")]  # throb -> throbbing
    found = {stem + e for e in endings if stem + e in vocabulary}
    return sorted(found, key=lambda w: (len(w), w))[:_STAR_WORDS]


def _token_choices(token: str, lists: dict[str, list[str]]) -> list[str]:
    """Every way a token of a phrase can be said: a word, a word list, a `*` word."""
    if token.startswith("{") and token.endswith("}"):
        choices: list[str] = []
        for option in lists[token[1:-1]]:
            parts = [_token_choices(t, lists) for t in symptom_words.normalize_phrase(option).split()]
            choices += [" ".join(p) for p in itertools.product(*parts)]
        return choices
    if token == "#":
        return []
    if token.endswith("*"):
        return _star_words(token)
    return [token]


def _gap_fillers(before: str, after: str, grammar: dict) -> list[str]:
    """What a `...` gap is said with in a slot value: nothing; "is" or "feels" between a body part
    and a word that describes it ("chest is tight", "lips feel puffy"); "my" before a body part ("catch my breath",
    "pain in my chest"). Never nothing after "and" ("back and ... hurts")."""
    last = before.split()[-1] if before else ""
    first = after.split()[0] if after else ""
    fillers = [] if last == "and" else [""]
    if last in grammar["body"] and (first in grammar["describing"] or first.endswith(("ing", "ed", "en", "y"))):
        fillers += ["are", "feel"] if last.endswith("s") else ["is", "feels"]
    if first in grammar["body"] and not last.endswith("nt") and last not in grammar["denials"]:
        if last in grammar["places"]:
            fillers = ["my"]
        else:
            fillers.append("my")
    return fillers


@cache
def _gap_grammar() -> dict:
    raw = triage.content()
    describing = set()
    for name in ("swollen", "dark", "weak", "odd", "bad_breathing", "lopsided", "upset", "skin_change",
                 "blurred", "bigger", "smaller", "limb_sign"):
        describing.update(w for o in raw["words"].get(name, ()) for w in symptom_words.normalize_phrase(o).split())
    return {"body": frozenset(raw["grammar"]["body"]), "describing": frozenset(describing),
            "denials": frozenset(raw["negation"]["before"]),
            "places": frozenset({"in", "on", "across", "of", "to", "into", "through", "at"})}


def _expand(phrase: str, lists: dict[str, list[str]]) -> list[str]:
    tokens = symptom_words.normalize_phrase(phrase).split()
    pieces: list[list[str] | None] = []  # None is a gap
    for token in tokens:
        if token == "...":
            pieces.append(None)
        else:
            pieces.append(_token_choices(token, lists))
    words_only = [p for p in pieces if p is not None]
    size = 1
    for choices in words_only:
        size *= len(choices)
    varying = sum(len(choices) > 1 for choices in words_only)
    if size == 0 or (size > MAX_VALUES_PER_PHRASE and varying > 1):
        return []
    said = []
    for combo in itertools.product(*words_only):
        sequences = [[]]
        position = 0
        for i, piece in enumerate(pieces):
            if piece is None:
                before = combo[position - 1] if position else ""
                after = combo[position] if position < len(combo) else ""
                sequences = [s + [f] for s in sequences for f in _gap_fillers(before, after, _gap_grammar())]
            else:
                sequences = [s + [combo[position]] for s in sequences]
                position += 1
        said += [" ".join(w for w in s if w) for s in sequences]
    return said


def _most_urgent(ids) -> str:
    return max(sorted(ids), key=lambda i: triage.most_urgent([i]))


def writable(words: str) -> bool:
    """Whether Amazon's rules let these words be written as a slot value: a word of two letters or
    more with no vowel reads as an initialism (Tagalog "ng"), unless [spoken_forms] spells it."""
    forms = model_source()["spoken_forms"]
    return all(len(w) < 2 or re.search(r"[aeiouy]", w) or w in forms for w in words.split())


@cache
def symptom_values() -> dict[str, tuple[str, ...]]:
    """Symptom id -> the words Alexa can hear for it, as written: every phrase and `whole`
    utterance of symptoms.toml that is plain words or stands for a small set of them. Each is
    kept under the id the parser itself reads from it (the most urgent one), and only if the
    parser reads one: the slot never disagrees with the parser."""
    raw = triage.content()
    lists = raw["words"]
    values: dict[str, list[str]] = {sid: [] for sid in raw["symptoms"]}
    seen: set[str] = set()
    for row in raw["symptoms"].values():
        for phrase in row["phrases"] + row.get("whole", []):
            for words in _expand(phrase, lists):
                key = symptom_words.normalize(words)
                if key in seen or not re.fullmatch(r"[a-z ]+", key) or not writable(key):
                    continue
                seen.add(key)
                ids = symptom_words.parse(words).ids
                if not ids:
                    continue
                written = _written(words)
                values[_most_urgent(ids)].append(written)
                if "can't" in written.split():  # said in full as often as not
                    values[_most_urgent(ids)].append(written.replace("can't", "cannot"))
    return {sid: tuple(v) for sid, v in values.items() if v}


def _symptom_type(locale: str) -> dict:
    layer = locale_layer(locale)
    extra = layer.get("synonyms", {})
    taken: set[str] = set()
    entries = []
    for sid, phrases in symptom_values().items():
        words = []
        for phrase in (*phrases, *extra.get(sid, ())):
            said = spoken_form(phrase)
            key = said.replace("'", "")
            if key not in taken:
                taken.add(key)
                words.append(said)
        entries.append({"id": sid, "name": {"value": words[0], "synonyms": words[1:]}})
    return {"name": SYMPTOM_TYPE, "values": entries}


# --- topic samples, from the question corpus ----------------------------------------------------

MAX_TOPIC_SAMPLES = 160
# Words only (numbers spelled out), 3 to 15 of them: a two-word fragment would pull stray speech to a topic.
_SAMPLE = re.compile(r"[a-z][a-z']*(?: [a-z][a-z']*){2,14}")  # each word begins with a letter (Amazon's rule)
_VOWEL = re.compile(r"[aeiouy]")  # a word without one is an initialism ("ngl"): a sample only if we know how to spell it


@cache
def topic_samples(topic_id: str) -> tuple[str, ...]:
    """Corpus lines of the topic, as written (no recogniser slips to put right), that the
    matcher answers with the topic, and that do not open like a symptom report ("i'm ...", "my ..."),
    which would pull people's reports away from the check; the shortest first, as the
    common ways of asking are short and a longer question reaches the matcher anyway."""
    carriers, spelled = report_carriers(), model_source()["spoken_forms"]
    samples = []
    for line in sorted(knowledge.question_corpus()[topic_id], key=lambda line: len(line.split())):
        if len(samples) == MAX_TOPIC_SAMPLES:
            break
        if _SAMPLE.fullmatch(line) and answers.normalise(line) == line.replace("'", "") \
                and all(_VOWEL.search(word) or word in spelled for word in line.split()) \
                and not line.startswith(carriers) and answers.match(line).topic == topic_id:
            samples.append(line)
    return tuple(samples)


@cache
def report_carriers() -> tuple[str, ...]:
    """The words before the slot in each ReportSymptomIntent sample ("i have ", "i'm feeling ")."""
    samples = model_source()["intents"]["ReportSymptomIntent"]["samples"]
    return tuple(sorted({s.split("{")[0] for s in samples if s.split("{")[0].strip()}, key=len, reverse=True))


# --- the model --------------------------------------------------------------------------------------

def locale_layer(locale: str) -> dict:
    """What content/locales.toml says differs in this locale (replace, samples, synonyms)."""
    return locale_table()[locale]


def _intent(name: str, samples, slots: dict[str, str] | None = None, replace: dict | None = None) -> dict:
    said, seen = [], set()
    for sample in samples:
        words = " ".join((replace or {}).get(w, w) for w in sample.split())
        words = spoken_form(words)
        if words not in seen:
            seen.add(words)
            said.append(words)
    intent: dict = {"name": name, "samples": said}
    if slots:
        intent["slots"] = [{"name": slot, "type": kind} for slot, kind in slots.items()]
    return intent


def build_model(locale: str) -> dict:
    """The interaction model for one locale: the shared model with the locale's words on it."""
    if locale not in SUPPORTED_LOCALES:
        raise ValueError(f"unsupported locale {locale!r}")
    source = model_source()
    layer = locale_layer(locale)
    replace = layer.get("replace", {})
    more = layer.get("samples", {})

    def samples(name: str, base) -> list[str]:
        return [*base, *more.get(name, ())]

    intents = [_intent(name, samples(name, base), None, replace) for name, base in source["builtin"].items()]
    intents += [_intent(name, samples(name, spec["samples"]), spec.get("slots"), replace)
                for name, spec in source["intents"].items()]
    intents += [_intent(name, [f"{opener} {{query}}"], {"query": "AMAZON.SearchQuery"})
                for name, opener in question_openers().items()]
    intents += [_intent(topic.intent, samples(topic.intent, topic_samples(topic.id)), None, replace)
                for topic in knowledge.topics().values() if topic.intent]
    unknown = set(more) - {i["name"] for i in intents}
    if unknown:
        raise ValueError(f"locales.toml adds samples to unknown intents: {sorted(unknown)}")
    sections = []
    for part, names in section_names().items():
        said = list(dict.fromkeys(spoken_form(n) for n in names))
        sections.append({"id": part, "name": {"value": said[0], "synonyms": said[1:]}})
    types = [{"name": "SECTION_NAME", "values": sections}, _symptom_type(locale)]
    dialog, prompts = _answer_dialog(source["answer_slot"], intents)
    return {"interactionModel": {
        "languageModel": {"invocationName": source["invocation_name"], "intents": intents, "types": types},
        "dialog": dialog, "prompts": prompts}}


def _answer_dialog(answer: dict, intents: list[dict]) -> tuple[dict, list[dict]]:
    """The dialog model that lets the check's replies elicit the answer slot (Dialog.ElicitSlot),
    with its elicitation prompt, and the slot's own samples (the intent's samples that hold
    only that slot) put on the slot, where Amazon looks for them while eliciting."""
    intent = next(i for i in intents if i["name"] == answer["intent"])
    slot = next(s for s in intent["slots"] if s["name"] == answer["slot"])
    slot["samples"] = [s for s in intent["samples"] if set(re.findall(r"\{(\w+)\}", s)) == {answer["slot"]}]
    prompt_id = f"Elicit.Slot.{answer['intent']}.{answer['slot']}"
    dialog = {"delegationStrategy": "SKILL_RESPONSE", "intents": [{
        "name": answer["intent"], "confirmationRequired": False, "prompts": {},
        "slots": [{"name": slot["name"], "type": slot["type"], "confirmationRequired": False,
                   "elicitationRequired": True, "prompts": {"elicitation": prompt_id}}]}]}
    return dialog, [{"id": prompt_id, "variations": [{"type": "PlainText", "value": answer["prompt"]}]}]


def render(model: dict) -> str:
    return json.dumps(model, indent=2, ensure_ascii=False) + "\n"


def write_models(directory: Path) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for locale in SUPPORTED_LOCALES:
        path = directory / f"{locale}.json"
        path.write_text(render(build_model(locale)), encoding="utf-8")
        written.append(path)
    return written
