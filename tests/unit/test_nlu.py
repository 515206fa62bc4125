"""Typed words -> intent and slots, as Alexa would resolve them from our interaction models
(skill/nlu.py, used by `ivig-skill chat`)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from skill import nlu
from skill.speech import SUPPORTED_LOCALES

MODELS = Path(__file__).resolve().parents[2] / "interaction_models"
MODEL = json.loads((MODELS / "en-US.json").read_text(encoding="utf-8"))["interactionModel"]["languageModel"]
TYPES = {t["name"]: t for t in MODEL.get("types", [])}

# What fills an AMAZON.SearchQuery slot in the sample tests: words no carrier phrase starts with.
QUERY_FILLER = "xylophone lessons on tuesday"


def _fill(sample: str, slots: dict[str, str]) -> tuple[str, dict[str, str]]:
    """A sample with each slot filled: a custom slot with its type's first value, a search
    query with QUERY_FILLER. Returns the words and the slot values expected."""
    expected = {}

    def fill(match: re.Match) -> str:
        name = match.group(1)
        kind = slots[name]
        expected[name] = TYPES[kind]["values"][0]["name"]["value"] if kind in TYPES else QUERY_FILLER
        return expected[name]

    return re.sub(r"\{(\w+)\}", fill, sample), expected


SAMPLES = [pytest.param(intent["name"], sample, {s["name"]: s["type"] for s in intent.get("slots", [])},
                        id=f"{intent['name']}:{sample}")
           for intent in MODEL["intents"] for sample in intent["samples"]]


@pytest.mark.parametrize("intent, sample, slots", SAMPLES)
def test_every_sample_resolves_to_its_own_intent(intent, sample, slots):
    words, expected = _fill(sample, slots)
    understood = nlu.understand(words)
    assert (understood.request_type, understood.intent) == ("IntentRequest", intent)
    assert {k: v for k, v in understood.slot_values.items() if v is not None} == expected
    assert not understood.invoked


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
def test_every_locale_has_a_model(locale):
    assert nlu.understand("check my symptoms", locale).intent == "StartSymptomCheckIntent"


@pytest.mark.parametrize("typed, words", [
    ("I.V.I.G.", "ivig"),
    ("i. v. i. g. helper", "ivig helper"),
    ("i v i g", "ivig"),
    ("What's IVIG?", "what's ivig"),
    ("I\u2019m not sure!", "i'm not sure"),
    ("post-infusion check", "post infusion check"),
    ("  'quoted'   words  ", "quoted words"),
    ("i have a headache", "i have a headache"),   # "i" and "a" stay words
    ("trouble with a i. v.", "trouble with a iv"),  # "a" before letters is the article
])
def test_normalise(typed, words):
    assert nlu.normalise(typed) == words


@pytest.mark.parametrize("typed", [
    "open i. v. i. g. helper",
    "open i v i g helper",
    "Alexa, open IVIG helper",
    "launch ivig helper",
    "start i v i g helper",
    "talk to ivig helper",
    "ask i v i g helper",
    "i v i g helper",
    "alexa open the ivig helper skill",
])
def test_invocation_alone_is_a_launch(typed):
    understood = nlu.understand(typed)
    assert (understood.request_type, understood.intent, understood.invoked) == ("LaunchRequest", None, True)


@pytest.mark.parametrize("typed, intent, slots", [
    ("ask i v i g helper to check my symptoms", "StartSymptomCheckIntent", {}),
    ("tell i v i g helper to check my symptoms", "StartSymptomCheckIntent", {}),
    ("Alexa, ask I.V.I.G. helper what exactly is IVIG", "WhatIsIvigIntent", {}),
    ("ask ivig helper about side effects", "SideEffectsIntent", {}),
    ("tell ivig helper i have a headache", "ReportSymptomIntent", {"symptom": "a headache"}),
    ("ask ivig helper tell me how long does it take", "AskQuestionIntent", {"query": "how long does it take"}),
    ("open ivig helper and check my symptoms", "StartSymptomCheckIntent", {}),
    ("ask ivig helper if i can drink coffee before my infusion", "PrepareForInfusionIntent", {}),
])
def test_one_shot_invocation(typed, intent, slots):
    understood = nlu.understand(typed)
    assert (understood.request_type, understood.intent, understood.invoked) == ("IntentRequest", intent, True)
    assert {k: v for k, v in understood.slot_values.items() if v} == slots


@pytest.mark.parametrize("typed, intent", [
    ("yes", "AMAZON.YesIntent"), ("Yeah.", "AMAZON.YesIntent"), ("sure", "AMAZON.YesIntent"),
    ("yes please", "AMAZON.YesIntent"), ("ok", "AMAZON.YesIntent"),
    ("no", "AMAZON.NoIntent"), ("nah", "AMAZON.NoIntent"), ("no thanks", "AMAZON.NoIntent"),
    ("none of those", "AMAZON.NoIntent"),
    ("stop", "AMAZON.StopIntent"), ("okay stop", "AMAZON.StopIntent"), ("Alexa, stop!", "AMAZON.StopIntent"),
    ("cancel", "AMAZON.CancelIntent"), ("never mind", "AMAZON.CancelIntent"),
    ("help", "AMAZON.HelpIntent"), ("help me please", "AMAZON.HelpIntent"),
    ("repeat", "AMAZON.RepeatIntent"), ("repeat that", "AMAZON.RepeatIntent"), ("say it again", "AMAZON.RepeatIntent"),
    ("start over", "AMAZON.StartOverIntent"), ("restart", "AMAZON.StartOverIntent"),
    ("go home", "AMAZON.NavigateHomeIntent"), ("main menu", "AMAZON.NavigateHomeIntent"),
    ("pause", "AMAZON.PauseIntent"), ("resume", "AMAZON.ResumeIntent"), ("continue", "AMAZON.ResumeIntent"),
    ("next", "AMAZON.NextIntent"), ("skip", "AMAZON.NextIntent"), ("previous", "AMAZON.PreviousIntent"),
    ("shuffle", "AMAZON.ShuffleOnIntent"), ("loop off", "AMAZON.LoopOffIntent"),
    # the model's own samples win over the built-in phrasings
    ("go back", "GoBackIntent"), ("more", "MoreIntent"), ("I'm not sure", "NotSureIntent"),
    ("im not sure", "NotSureIntent"), ("maybe", "NotSureIntent"),
])
def test_builtin_phrasings(typed, intent):
    assert nlu.understand(typed).intent == intent


@pytest.mark.parametrize("typed,intent", [
    # a hedge of degree says how much, not whether: a yes, so that "kind of" to the breathing
    # question is the emergency advice at once, not a question asked again
    ("kind of", "AMAZON.YesIntent"), ("yeah kind of", "AMAZON.YesIntent"), ("a little bit", "AMAZON.YesIntent"),
    ("sort of yeah", "AMAZON.YesIntent"), ("um a bit", "AMAZON.YesIntent"),
    # a hedge of knowledge is doubt: asked again in plain words, then counted as yes
    ("i don't know", "NotSureIntent"), ("possibly", "NotSureIntent"), ("hard to say", "NotSureIntent"),
])
def test_hedges_of_degree_are_a_yes_and_hedges_of_knowledge_not_sure(typed, intent):
    assert nlu.understand(typed).intent == intent


def test_exit_ends_the_session():
    assert nlu.understand("exit").request_type == "SessionEndedRequest"


@pytest.mark.parametrize("typed, intent, slot, value", [
    ("tell me how long does it take", "AskQuestionIntent", "query", "how long does it take"),
    ("tell me who won the world series", "AskQuestionIntent", "query", "who won the world series"),
    ("can you tell me whether i can fly after an infusion", "AskQuestionIntent", "query",
     "whether i can fly after an infusion"),
    ("I have a question about pregnancy", "AskQuestionIntent", "query", "pregnancy"),
    ("tell me about the cost of treatment", "AskQuestionIntent", "query", "the cost of treatment"),
    ("i can't get my breath", "ReportSymptomIntent", "symptom", "can't get my breath"),
    ("I can\u2019t catch my breath.", "ReportSymptomIntent", "symptom", "can't catch my breath"),
    ("my dad passed out", "ReportSymptomIntent", "symptom", "dad passed out"),  # whom it is about: kept
    ("my lips have gone puffy", "ReportSymptomIntent", "symptom", "lips have gone puffy"),
    ("i have a headache and i feel sick", "ReportSymptomIntent", "symptom", "a headache and i feel sick"),
    ("um, I've got a rash", "ReportSymptomIntent", "symptom", "a rash"),
    ("yes i have chest pain", "ReportSymptomIntent", "symptom", "chest pain"),
    ("i'm feeling dizzy", "ReportSymptomIntent", "symptom", "dizzy"),
    ("my lips don't feel right", "ReportSymptomIntent", "symptom", "lips don't feel right"),
])
def test_search_query_takes_the_words_behind_the_carrier(typed, intent, slot, value):
    understood = nlu.understand(typed)
    assert (understood.intent, understood.slot(slot)) == (intent, value)


@pytest.mark.parametrize("value", [v for v in TYPES["SECTION_NAME"]["values"]])
def test_custom_slot_values_and_synonyms_resolve_to_their_id(value):
    for words in (value["name"]["value"], *value["name"]["synonyms"]):
        understood = nlu.understand(f"read me the part about {words}")
        (section,) = [s for s in understood.slots if s.name == "section"]
        assert understood.intent == "ReadArticleIntent"
        # The slot's words as typed ("ivig" or "i. v. i. g." alike), resolved to the value's id.
        assert nlu._key(nlu.normalise(section.value)) == nlu._key(nlu.normalise(words))
        assert (section.resolution_id, section.resolution_value) == (value["id"], value["name"]["value"])


def test_unlisted_custom_slot_value_is_kept_without_a_resolution():
    understood = nlu.understand("read me the part about the weather")
    assert understood.intent == "ReadArticleIntent"
    assert [(s.value, s.resolution_id) for s in understood.slots] == [("the weather", None)]


def test_unfilled_slots_are_sent_empty():
    understood = nlu.understand("read me the article")
    assert understood.intent == "ReadArticleIntent"
    assert understood.slot_values == {"section": None}


@pytest.mark.parametrize("typed, intent", [
    ("waht are the side efects", "SideEffectsIntent"),     # typos: near sample
    ("check my symptom", "StartSymptomCheckIntent"),
    ("what are the side effects", "SideEffectsIntent"),           # a word short: nearest sample
    ("what is this ivig my daughters getting", "WhatIsIvigIntent"),       # a word changed: nearest sample
])
def test_near_and_nearest_samples(typed, intent):
    assert nlu.understand(typed).intent == intent


@pytest.mark.parametrize("typed", [
    "asdf qwerty", "banana", "hello", "play some jazz",
    "zzzz zzz zz", "", "   ", "!!!", "12345", "alexa",
])
def test_nothing_that_fits_is_a_fallback(typed):
    understood = nlu.understand(typed)
    assert (understood.request_type, understood.intent) == ("IntentRequest", "AMAZON.FallbackIntent")


@pytest.mark.parametrize("typed, intent, query", [
    ("what time is it", "AskWhatIntent", "time is it"),
    ("can i have a bath after ivig", "AskCanIntent", "i have a bath after ivig"),
    ("how much does it cost", "AskHowIntent", "much does it cost"),
    ("does ivig make you tired", "AskDoesIntent", "ivig make you tired"),
])
def test_a_question_by_its_opening_word(typed, intent, query):
    understood = nlu.understand(typed)
    assert (understood.intent, understood.slot_values["query"]) == (intent, query)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200))
def test_odd_input_never_raises(text):
    understood = nlu.understand(text)
    assert understood.request_type in {"LaunchRequest", "IntentRequest", "SessionEndedRequest"}
    assert understood.request_type != "IntentRequest" or understood.intent


def test_the_result_is_frozen():
    understood = nlu.understand("yes")
    with pytest.raises(AttributeError):
        understood.intent = "AMAZON.NoIntent"  # type: ignore[misc]


def test_same_words_same_result():
    assert nlu.understand("i feel dizzy") == nlu.understand("i feel dizzy")


@pytest.mark.parametrize("typed", ["i do not think so", "i don't think so", "i dont thnk so", "not really"])
def test_a_negated_answer_is_never_taken_for_a_yes(typed):
    assert nlu.understand(typed).intent == "AMAZON.NoIntent"
