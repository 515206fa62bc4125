"""Amazon's interaction-model rules, checked on the committed files in interaction_models/.

Where the rules come from (Amazon's developer documentation and the messages its model builder
gives; the links are the pages we read):
- Phrase slots, AMAZON.SearchQuery (Slot Type Reference; blog "Enhance speech recognition of your
  Alexa skills with phrase slots and AMAZON.SearchQuery"): a sample with a phrase slot needs a
  carrier phrase ("Sample intent utterances with phrase types cannot consist of only slots"), and an
  intent with an AMAZON.SearchQuery slot may have no other slot.
- Sample utterances (Create Intents, Utterances, and Slots; Best Practices for Sample Utterances):
  words, spaces and the punctuation Amazon allows ("periods for abbreviations, possessive
  apostrophes"); numbers as words; an initialism in its spoken form, each letter with a period
  ("i. v. i. g."); no sample in two intents (utterance conflicts).
- Sizes (Interaction model limits): "a total of 50,000 custom slot values, totaled across all
  custom slots used in the interaction model"; at most 250 intents; a slot value of at most 140
  characters; a sample utterance of at most 200 characters.
The carrier phrase carries no meaning: Alexa hands over a slot's words without the carrier, so a
carrier that says "not" or "can't" would be lost (interaction.toml).
"""

from __future__ import annotations

import json
import re
from itertools import combinations
from pathlib import Path

import pytest

from skill import models, nlu
from skill.speech import SUPPORTED_LOCALES

MODELS = Path(__file__).resolve().parents[2] / "interaction_models"
MAX_INTENTS = 250
MAX_CUSTOM_SLOT_VALUES = 50_000      # values and synonyms, across all custom slot types
MAX_SLOT_VALUE_CHARS = 140
MAX_SAMPLE_CHARS = 200
NEGATIONS = frozenset({"no", "not", "never", "none", "nothing", "can't", "cannot", "don't", "doesn't",
                       "didn't", "isn't", "aren't", "wasn't", "won't", "couldn't", "haven't", "hasn't"})


def load(locale: str) -> dict:
    return json.loads((MODELS / f"{locale}.json").read_text(encoding="utf-8"))["interactionModel"]["languageModel"]


def slot_types(intent: dict) -> dict[str, str]:
    return {s["name"]: s["type"] for s in intent.get("slots", [])}


def custom_words(model: dict) -> list[str]:
    return [words for t in model.get("types", []) for v in t["values"]
            for words in (v["name"]["value"], *v["name"].get("synonyms", []))]


def every_phrase(model: dict) -> list[str]:
    """Everything written in the model that Alexa hears: samples, slot values, the invocation name."""
    samples = [re.sub(r"\{\w+\}", " ", s) for i in model["intents"] for s in i["samples"]]
    return [model["invocationName"], *samples, *custom_words(model)]


LOCALES = pytest.mark.parametrize("locale", SUPPORTED_LOCALES)


# --- phrase slots -------------------------------------------------------------------------------

@LOCALES
def test_an_intent_with_a_search_query_slot_has_no_other_slot(locale):
    for intent in load(locale)["intents"]:
        kinds = list(slot_types(intent).values())
        if "AMAZON.SearchQuery" in kinds:
            assert kinds == ["AMAZON.SearchQuery"], f"{intent['name']} mixes a phrase slot with {kinds}"


@LOCALES
def test_every_search_query_sample_has_a_carrier_phrase(locale):
    for intent in load(locale)["intents"]:
        phrase = [n for n, t in slot_types(intent).items() if t == "AMAZON.SearchQuery"]
        for sample in intent["samples"] if phrase else ():
            assert re.findall(r"\{(\w+)\}", sample) == phrase, sample
            assert sample.replace(f"{{{phrase[0]}}}", "").strip(), f"{sample!r} is only a phrase slot"


@LOCALES
def test_carrier_phrases_carry_no_denial(locale):
    """Alexa gives the slot's words, not the carrier's: "i can't {symptom}" would lose "can't"."""
    for intent in load(locale)["intents"]:
        for sample in intent["samples"]:
            if "{" in sample:
                carrier = set(re.sub(r"\{\w+\}", " ", sample).split())
                assert not carrier & NEGATIONS, (intent["name"], sample)


@LOCALES
def test_every_declared_slot_is_used_by_a_sample(locale):
    for intent in load(locale)["intents"]:
        used = {name for sample in intent["samples"] for name in re.findall(r"\{(\w+)\}", sample)}
        assert set(slot_types(intent)) <= used, intent["name"]


@LOCALES
def test_symptoms_said_with_no_carrier_reach_the_custom_slot(locale):
    """A custom slot may be said alone; it is how a bare "struggling to breathe" is heard."""
    report = next(i for i in load(locale)["intents"] if i["name"] == "ReportSymptomIntent")
    assert slot_types(report) == {"symptom": "SYMPTOM"}
    assert "{symptom}" in report["samples"]


# --- how words are written ----------------------------------------------------------------------

@LOCALES
def test_only_words_spaces_apostrophes_and_periods_of_spelled_letters(locale):
    for phrase in every_phrase(load(locale)):
        assert re.fullmatch(r"[a-z' .]+", phrase), phrase
        assert not re.search(r"\d", phrase), f"{phrase!r}: numbers are written as words"
        for token in phrase.split():
            if "." in token:
                assert re.fullmatch(r"[a-z]\.", token), f"{phrase!r}: a period only after a spelled letter"
            assert not token.startswith("'"), phrase


@LOCALES
def test_initialisms_are_spelled_out_with_periods(locale):
    listed = set(models.model_source()["spoken_forms"])
    for phrase in every_phrase(load(locale)):
        for token in phrase.split():
            assert token not in listed, f"{phrase!r}: {token!r} is said as letters ({models.spoken_form(token)!r})"
            if re.fullmatch(r"[a-z]", token):
                assert token in ("a", "i"), f"{phrase!r}: a spelled letter needs its period"
            if re.fullmatch(r"[a-z']+", token):
                assert re.search(r"[aeiouy]", token), f"{phrase!r}: {token!r} reads as an initialism"


def test_the_spoken_form_spells_listed_initialisms_and_letter_runs():
    assert models.spoken_form("what is ivig") == "what is i. v. i. g."
    assert models.spoken_form("my b p is high") == "my b. p. is high"
    assert models.spoken_form("should i ring my gp") == "should i ring my g. p."
    assert models.spoken_form("i have a headache") == "i have a headache"


@pytest.mark.parametrize("typed", ["what exactly is ivig", "what exactly is i. v. i. g.", "what exactly is I.V.I.G.",
                                   "what exactly is i v i g"])
def test_people_type_the_word_and_the_model_says_the_letters_both_resolve(typed):
    assert "what exactly is i. v. i. g." in next(i for i in load("en-US")["intents"]
                                                   if i["name"] == "WhatIsIvigIntent")["samples"]
    assert nlu.understand(typed).intent == "WhatIsIvigIntent"


# --- conflicts ----------------------------------------------------------------------------------

def _shape(sample: str, slots: dict[str, str]) -> str:
    """A sample as Alexa compares it: normalised words, each slot as its type."""
    return nlu._key(nlu.normalise(re.sub(r"\{(\w+)\}", lambda m: f" {slots[m.group(1)]} ", sample)))


@LOCALES
def test_no_sample_is_in_two_intents(locale):
    owner: dict[str, str] = {}
    for intent in load(locale)["intents"]:
        for sample in intent["samples"]:
            shape = _shape(sample, slot_types(intent))
            assert owner.setdefault(shape, intent["name"]) == intent["name"], \
                f"{sample!r} is in {owner[shape]} and {intent['name']}"


@LOCALES
def test_no_slot_value_in_a_carrier_says_another_intents_sample(locale):
    """A custom slot's values filled into its carriers never make another intent's sample."""
    model = load(locale)
    values = {t["name"]: [nlu._key(nlu.normalise(w)) for v in t["values"]
                          for w in (v["name"]["value"], *v["name"].get("synonyms", []))]
              for t in model["types"]}
    slotless = {}
    for intent in model["intents"]:
        for sample in intent["samples"]:
            if "{" not in sample:
                slotless.setdefault(nlu._key(nlu.normalise(sample)), intent["name"])
    conflicts = []
    for intent in model["intents"]:
        kinds = slot_types(intent)
        for sample in intent["samples"]:
            used = re.findall(r"\{(\w+)\}", sample)
            if len(used) != 1 or kinds[used[0]] not in values:
                continue
            before, _, after = nlu.normalise(sample.replace(f"{{{used[0]}}}", " \x00 ")).partition("\x00")
            for value in values[kinds[used[0]]]:
                said = nlu._key(" ".join(f"{before} {value} {after}".split()))
                other = slotless.get(said)
                if other and other != intent["name"]:
                    conflicts.append((said, intent["name"], other))
    assert not conflicts, conflicts[:20]


@LOCALES
def test_no_words_are_two_values_of_a_slot_type(locale):
    for slot_type in load(locale)["types"]:
        owner: dict[str, str] = {}
        for value in slot_type["values"]:
            for words in (value["name"]["value"], *value["name"].get("synonyms", [])):
                key = nlu._key(nlu.normalise(words))
                assert owner.setdefault(key, value["id"]) == value["id"], \
                    f"{words!r} is in {owner[key]} and {value['id']}"


# --- sizes --------------------------------------------------------------------------------------

@LOCALES
def test_sizes_are_within_amazons_limits(locale):
    model = load(locale)
    assert len(model["intents"]) <= MAX_INTENTS
    assert len(custom_words(model)) <= MAX_CUSTOM_SLOT_VALUES
    assert max(map(len, custom_words(model))) <= MAX_SLOT_VALUE_CHARS
    assert max(len(s) for i in model["intents"] for s in i["samples"]) <= MAX_SAMPLE_CHARS
    ids = [v["id"] for t in model["types"] for v in t["values"]]
    assert len(ids) == len(set(ids))


def test_the_locale_models_are_not_copies_of_each_other():
    texts = {locale: (MODELS / f"{locale}.json").read_text(encoding="utf-8") for locale in SUPPORTED_LOCALES}
    for a, b in combinations(SUPPORTED_LOCALES, 2):
        assert texts[a] != texts[b], f"{a} and {b} are the same model"
