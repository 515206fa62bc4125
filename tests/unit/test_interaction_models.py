"""The committed interaction models: generated from the one source, and valid by
Amazon's rules for invocation names, built-in intents, samples and slots."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from skill.models import build_model, render
from skill.speech import SUPPORTED_LOCALES

MODELS = Path(__file__).resolve().parents[2] / "interaction_models"
REQUIRED_BUILTINS = {"AMAZON.CancelIntent", "AMAZON.HelpIntent", "AMAZON.StopIntent",
                     "AMAZON.NavigateHomeIntent", "AMAZON.FallbackIntent"}
AUDIO_BUILTINS = {"AMAZON.PauseIntent", "AMAZON.ResumeIntent"}
LAUNCH_WORDS = {"ask", "tell", "open", "launch", "begin", "load", "run", "start", "enable", "play",
                "resume", "use", "talk", "stop", "cancel"}
WAKE_WORDS = {"alexa", "amazon", "echo", "computer", "skill", "app"}
SAMPLE = re.compile(r"^[a-z' .]*(\{[A-Za-z_]+\}[a-z' .]*)*$")


def load(locale: str) -> dict:
    return json.loads((MODELS / f"{locale}.json").read_text(encoding="utf-8"))["interactionModel"]["languageModel"]


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
def test_committed_file_is_what_the_generator_makes(locale):
    committed = (MODELS / f"{locale}.json").read_text(encoding="utf-8")
    assert committed == render(build_model(locale)), "run `ivig-skill build-models` and commit"


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
def test_invocation_name_meets_amazons_requirements(locale):
    name = load(locale)["invocationName"]
    assert re.fullmatch(r"[a-z][a-z' .]*[a-z.]", name), name
    words = name.replace(".", " ").split()
    assert len(name.split()) >= 2
    assert not LAUNCH_WORDS & set(words) and not WAKE_WORDS & set(words)
    # letters of an acronym are written "i. v. i. g.": each single letter followed by a period
    assert all(len(w) > 1 or f"{w}." in name for w in words)


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
def test_every_required_builtin_intent_is_present(locale):
    names = {intent["name"] for intent in load(locale)["intents"]}
    assert REQUIRED_BUILTINS <= names
    assert AUDIO_BUILTINS <= names  # the AudioPlayer interface requires these


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
def test_samples_use_only_allowed_characters_and_defined_slots(locale):
    model = load(locale)
    types = {t["name"] for t in model.get("types", [])}
    for intent in model["intents"]:
        slots = {s["name"]: s["type"] for s in intent.get("slots", [])}
        for slot_type in slots.values():
            assert slot_type.startswith("AMAZON.") or slot_type in types, slot_type
        for sample in intent["samples"]:
            assert SAMPLE.fullmatch(sample), (intent["name"], sample)
            assert sample == sample.strip() and "  " not in sample
            used = re.findall(r"\{(\w+)\}", sample)
            assert set(used) <= set(slots), (intent["name"], sample)
            if any(slots[s] == "AMAZON.SearchQuery" for s in used):
                assert len(used) == 1 and sample.replace(f"{{{used[0]}}}", "").strip(), \
                    f"{sample!r}: a search query needs a carrier phrase and no other slot"


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
def test_no_sample_is_in_two_intents(locale):
    owner: dict[str, str] = {}
    for intent in load(locale)["intents"]:
        for sample in intent["samples"]:
            key = re.sub(r"\{\w+\}", "{}", sample)
            assert owner.setdefault(key, intent["name"]) == intent["name"], \
                f"{sample!r} is in {owner[key]} and {intent['name']}"


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
def test_custom_slot_types_have_values(locale):
    for slot_type in load(locale).get("types", []):
        assert slot_type["values"], slot_type["name"]
        for value in slot_type["values"]:
            assert value["name"]["value"] and SAMPLE.fullmatch(value["name"]["value"])


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
def test_intent_names_are_valid_and_unique(locale):
    names = [intent["name"] for intent in load(locale)["intents"]]
    assert len(names) == len(set(names))
    for name in names:
        assert re.fullmatch(r"(AMAZON\.)?[A-Za-z_]+", name)


# --- locales: one source, each locale's words layered on it (content/locales.toml) ---------------

def samples_of(locale: str, name: str) -> set[str]:
    return set(next(i for i in load(locale)["intents"] if i["name"] == name)["samples"])


def symptom_words_of(locale: str, symptom: str) -> set[str]:
    kind = next(t for t in load(locale)["types"] if t["name"] == "SYMPTOM")
    value = next(v for v in kind["values"] if v["id"] == symptom)
    return {value["name"]["value"], *value["name"]["synonyms"]}


@pytest.mark.parametrize("locale, said, not_in", [
    ("en-GB", "should i go to a. and e.", "en-US"),
    ("en-GB", "do i need to see my g. p.", "en-US"),
    ("en-GB", "check on my mum", "en-US"),
    ("en-US", "check on my mom", "en-GB"),
    ("en-AU", "should i call triple zero", "en-GB"),
    ("en-AU", "should i ask the chemist", "en-US"),
    ("en-CA", "should i go to emerg", "en-US"),
    ("en-IN", "should i go to casualty", "en-GB"),
])
def test_locale_models_differ_where_the_locales_say_it_differently(locale, said, not_in):
    assert said in samples_of(locale, "StartSymptomCheckIntent")
    assert said not in samples_of(not_in, "StartSymptomCheckIntent")


@pytest.mark.parametrize("locale, symptom, words, not_in", [
    ("en-AU", "other", "crook", "en-US"),
    ("en-GB", "other", "off colour", "en-US"),
    ("en-GB", "less_urine", "not had a wee", "en-US"),
    ("en-IN", "dizziness", "giddiness", "en-GB"),
    ("en-IN", "nausea_vomiting", "vomiting sensation", "en-AU"),
])
def test_locale_symptom_words_are_in_that_locales_model_only(locale, symptom, words, not_in):
    assert words in symptom_words_of(locale, symptom)
    assert words not in symptom_words_of(not_in, symptom)


def test_locales_differ_only_by_their_layer():
    """Every sample one locale has and another lacks comes from a locale's own words."""
    from skill.models import locale_layer, spoken_form

    def own(locale):
        layer = locale_layer(locale)
        words = {spoken_form(s) for more in layer.get("samples", {}).values() for s in more}
        return words, set(layer.get("replace", {}).values()) | set(layer.get("replace", {}))

    for a in SUPPORTED_LOCALES:
        for b in SUPPORTED_LOCALES:
            added, replaced = own(a)
            for intent in load(a)["intents"]:
                extra = set(intent["samples"]) - samples_of(b, intent["name"])
                for sample in extra:
                    assert sample in added or set(sample.split()) & (replaced | own(b)[1]), (a, b, sample)
