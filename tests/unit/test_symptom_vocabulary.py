"""One vocabulary: what Alexa can hear for the SYMPTOM slot is generated from content/symptoms.toml,
the table the parser reads, and every phrase of it that can be a slot value reaches the parser
with the id it means, through the committed interaction model and `ivig-skill chat` (skill/nlu.py)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from skill import hearing, models, nlu, symptom_words, triage
from skill.speech import SUPPORTED_LOCALES

MODELS = Path(__file__).resolve().parents[2] / "interaction_models"
MARKS = re.compile(r"[{}*#]|\.\.\.")


def symptom_type(locale: str) -> dict[str, tuple[str, set[str]]]:
    """Symptom id -> (its value, its values and synonyms as nlu compares them), from the file."""
    model = json.loads((MODELS / f"{locale}.json").read_text(encoding="utf-8"))["interactionModel"]["languageModel"]
    kind = next(t for t in model["types"] if t["name"] == "SYMPTOM")
    return {v["id"]: (v["name"]["value"], {nlu._key(nlu.normalise(w)) for w in (v["name"]["value"], *v["name"]["synonyms"])})
            for v in kind["values"]}


def heard(words: str, locale: str) -> tuple[str, frozenset[str]]:
    """The intent the words reach, and what the check hears from its slot (as the handler does:
    the phrase table and the learned reader; a suspected emergency is asked about at once)."""
    understood = nlu.understand(words, locale)
    slot = next((s for s in understood.slots if s.name == "symptom"), None)
    resolved = [slot.resolution_id] if slot and slot.resolution_id else []
    value = slot.value if slot else ""
    reading = hearing.hear(value or "", resolved)
    return understood.intent, reading.ids | reading.suspected


def most_urgent(ids) -> triage.Level:
    return triage.most_urgent(ids)


PHRASES = [(sid, words) for sid, values in models.symptom_values().items() for words in values]


def test_the_generated_vocabulary_is_large_and_covers_every_symptom():
    assert set(models.symptom_values()) == set(triage.content()["symptoms"])
    assert len(PHRASES) > 2000


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
def test_the_committed_slot_type_holds_every_generated_phrase_under_its_id(locale):
    committed = symptom_type(locale)
    for sid, words in PHRASES:
        assert nlu._key(nlu.normalise(models.spoken_form(words))) in committed[sid][1], (sid, words)


def test_every_plain_phrase_and_whole_utterance_of_the_table_is_a_slot_value():
    """Independent of the generator: phrases with no pattern marks are slot values as they stand,
    under their own id or a more urgent one the parser reads from them."""
    committed = symptom_type("en-US")
    where = {key: sid for sid, (_, keys) in committed.items() for key in keys}
    for sid, row in triage.content()["symptoms"].items():
        for phrase in [p for p in row["phrases"] if not MARKS.search(p)] + row.get("whole", []):
            if re.search(r"\d", phrase) or row.get("requires") or not models.writable(symptom_words.normalize(phrase)):
                continue
            key = nlu._key(nlu.normalise(models.spoken_form(models._written(symptom_words.normalize(phrase)))))
            assert key in where, (sid, phrase)
            assert most_urgent([where[key]]) >= most_urgent([sid]), (sid, phrase, where[key])



def test_a_phrase_of_one_word_list_keeps_every_word_of_it_however_long_the_list():
    """The cap on a phrase's values is against combinations: "{severe} ... headache" stands for
    every word of {severe}, the list past the cap included (it once grew past it and the slot lost
    every severe headache)."""
    severe = triage.content()["words"]["severe"]
    assert len(severe) > models.MAX_VALUES_PER_PHRASE
    said = set(models._expand("{severe} ... headache", triage.content()["words"]))
    for word in severe:
        assert f"{symptom_words.normalize_phrase(word)} headache" in said, word
    committed = symptom_type("en-US")["severe_headache"][1]
    assert nlu._key(nlu.normalise(models.spoken_form("very strong headache"))) in committed

@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
def test_every_phrase_said_alone_reaches_the_check_with_its_id(locale):
    """All of them in the US model; a fixed spread (every 5th) in the others, which share the type."""
    wrong = []
    for sid, words in PHRASES if locale == "en-US" else PHRASES[::5]:
        intent, ids = heard(models.spoken_form(words), locale)
        if intent != "ReportSymptomIntent" or sid not in ids:
            wrong.append((words, sid, intent, sorted(ids)))
    assert not wrong, wrong[:20]


@pytest.mark.parametrize("carrier", ["my wife {}", "my husband is {}", "really {}", "a bit {}"])
def test_phrases_said_by_a_caregiver_or_with_a_hedge_reach_the_check_no_less_urgent(carrier):
    """A fixed spread of the phrases (every 20th), each said for someone else or hedged."""
    wrong = []
    subjects = set(triage.content()["negation"]["subjects"]) | {"he's", "she's", "i'm", "he", "she"}
    for sid, words in PHRASES[::20]:
        if words.split()[0].replace("'", "") in subjects | {s.replace("'", "") for s in subjects}:
            continue  # "he's i'm mixed up" is nobody's way of saying it
        intent, ids = heard(carrier.format(models.spoken_form(words)), "en-GB")
        if intent != "ReportSymptomIntent" or most_urgent(ids) < most_urgent([sid]):
            wrong.append((carrier.format(words), sid, intent, sorted(ids)))
    assert not wrong, wrong[:20]


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
@pytest.mark.parametrize("words, level", [
    ("struggling to breathe", triage.Level.EMERGENCY),
    ("really short of breath", triage.Level.EMERGENCY),
    ("cannot breathe properly", triage.Level.EMERGENCY),
    ("bad chest pain", triage.Level.CALL_NOW),
    ("my husband is barely breathing", triage.Level.EMERGENCY),
    ("been sick three times", triage.Level.CALL_SOON),
    ("he's a bit mixed up", triage.Level.EMERGENCY),
])
def test_short_fragments_said_without_a_carrier_are_heard_not_lost(locale, words, level):
    intent, ids = heard(words, locale)
    assert intent == "ReportSymptomIntent", f"{words!r} fell to {intent}"
    assert most_urgent(ids) >= level, (words, sorted(ids))  # never heard as less urgent


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
def test_locale_words_are_heard_as_their_symptom_and_the_parser_never_disagrees(locale):
    layer = models.locale_layer(locale).get("synonyms", {})
    assert layer, f"{locale} has no words of its own"
    for sid, phrases in layer.items():
        for words in phrases:
            parsed = symptom_words.parse(words).ids
            assert not parsed or sid in parsed or most_urgent(parsed) > most_urgent([sid]), (words, sorted(parsed))
            intent, ids = heard(models.spoken_form(words), locale)
            assert intent == "ReportSymptomIntent" and sid in ids, (locale, words, intent, sorted(ids))


def test_a_home_language_phrase_amazon_cannot_write_as_a_value_is_still_read():
    """Tagalog "ng" has no vowel: written as a slot value it would read as an initialism, so it
    is left out of the slot type, and the words still reach the readers through the answer slot."""
    assert not models.writable("kinakapos ng hininga") and models.writable("me falta el aire")
    assert "kinakapos ng hininga" not in {w for values in models.symptom_values().values() for w in values}
    assert "breathing" in hearing.hear("kinakapos ng hininga").ids
