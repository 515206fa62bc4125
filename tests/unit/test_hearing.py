"""The phrase table and the learned reader together: measured over labelled sets, and the rules
by which the two readings combine."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from skill import hearing, knowledge, symptom_words, training, triage
from skill.learned import plain_words
from skill.triage import Level
from tests.support import dev_sets

REPO = Path(__file__).resolve().parents[2]
DEV_PHRASES = REPO.parent / "shared" / "eval" / "dev_symptom_phrases.jsonl"
LEVELS = {"none": -1, **{level.id: int(level) for level in Level}}


def _level(ids) -> int:
    return int(triage.most_urgent(ids)) if ids else -1



def answered_no_to_the_end(check: triage.CheckState) -> tuple[set[str], triage.Level]:
    """Every id the check asks about while each question is answered no, and its outcome."""
    asked = set()
    while not triage.is_finished(check):
        asked |= set(triage.asking(check))
        check = triage.answer(check, triage.Answer.NO)
    return asked, triage.outcome(check)

def test_the_stored_reader_is_what_the_build_makes_from_the_corpus():
    stored = hearing.model()
    texts, labels, classes = hearing.training_data()
    rebuilt = training.train_symptom_reader(texts, labels, classes, dict(stored.settings), stored.settings["c"])
    assert rebuilt.classes == stored.classes == classes
    for words in texts[::9]:
        assert np.allclose(rebuilt.probabilities(words), stored.probabilities(words), atol=1e-3), words


def test_on_a_fold_it_never_saw_the_reader_alone_suspects_nearly_every_emergency():
    texts, labels, classes = hearing.training_data()
    kept, held = training.fold_split(len(texts))[1]
    model = training.train_symptom_reader([texts[i] for i in kept], [labels[i] for i in kept], classes,
                                          dict(hearing.model().settings), hearing.model().settings["c"])
    columns = [classes.index(i) for i in hearing.emergency_ids()]
    urgent = [i for i in held if labels[i] & hearing.emergency_ids()]
    suspected = sum(max(model.probabilities(texts[i])[c] for c in columns) >= model.settings["suspect"] for i in urgent)
    assert suspected / len(urgent) >= 0.95, (suspected, len(urgent))


@pytest.mark.skipif(not DEV_PHRASES.exists(), reason="../shared/eval is not beside the checkout")
def test_dev_phrases_are_never_heard_as_less_urgent():
    rows = [json.loads(line) for line in DEV_PHRASES.read_text(encoding="utf-8").splitlines() if line.strip()]
    lower = []
    for row in rows:
        reading = hearing.hear(row["text"])
        got = max(_level(reading.ids), int(Level.EMERGENCY) if reading.suspected else -1)
        if got < LEVELS[row["level"]]:
            lower.append(row["text"])
    assert not lower


def test_every_corpus_id_is_a_symptom_the_check_knows():
    known = frozenset(triage.protocol().symptoms)
    ids = set().union(*(ids for ids, _ in knowledge.symptom_corpus(known)))
    assert ids == known


@pytest.mark.parametrize("line", ["gout | my toe hurts", "fever my head is hot", "Fever | Hot"])
def test_corpus_mistakes_are_named(tmp_path, line):
    (tmp_path / "bad.txt").write_text(line + "\n", encoding="utf-8")
    with pytest.raises(knowledge.ContentError, match="symptom_utterances/bad.txt line 1"):
        knowledge.symptom_corpus.__wrapped__(frozenset(triage.protocol().symptoms), tmp_path)


def test_an_answer_in_words_stays_an_answer():
    for said, answer in (("yeah", "yes"), ("i think so", "yes"), ("not sure", "not_sure")):
        reading = hearing.hear(said)
        assert (reading.answer, reading.ids, reading.suspected) == (answer, frozenset(), frozenset())


def test_a_symptom_the_words_deny_is_never_added_back():
    for text in ("no trouble breathing at all", "she isn't dizzy", "no headache"):
        denied = symptom_words.parse(text).denied
        assert denied and not denied & (hearing.hear(text).ids | hearing.hear(text).suspected), text


def test_the_reader_lowers_what_the_table_hears_only_where_it_is_nearly_sure_of_nothing():
    # What the table hears is kept; a doubted emergency turns into a question asked at once, and a
    # milder symptom is left to its own question only where the model is nearly sure nothing is
    # reported and gives that symptom no support.
    texts = [words for _, words in knowledge.symptom_corpus(frozenset(triage.protocol().symptoms))][::5]
    left = 0
    for text in texts:
        table = symptom_words.hear(text)
        if table.answer is None and table.ids != {hearing.CATCH_ALL}:
            reading, model = hearing.hear(text), hearing.learned(text)
            assert table.ids & hearing.emergency_ids() <= reading.ids | reading.suspected, text
            dropped = table.ids - hearing.emergency_ids() - reading.ids
            if dropped:
                left += 1
                likely = dict(model.likelihood)
                assert likely[hearing.NOTHING] >= hearing.LEFT_TO_ITS_QUESTION, text
                assert model.nothing and not dropped & model.supports, text
                for sid in dropped:
                    if triage.protocol().symptoms[sid].level >= triage.Level.CALL_NOW:
                        assert likely[hearing.NOTHING] >= hearing.LEFT_EVEN_IF_URGENT, text
                        assert likely[sid] < hearing.FAR_BELOW * hearing.model().settings["report"][sid], text
                        assert sid not in table.held, text
    assert 0 < left < len(texts) // 20


@pytest.mark.parametrize("said, symptom", [
    ("my son had a fever last week", "fever"),
    ("i was sick after the last infusion but not this time", "nausea_vomiting"),
    ("the headache i had on sunday is long forgotten", "headache"),
])
def test_a_milder_symptom_the_model_reads_as_not_present_is_left_to_its_question(said, symptom):
    assert symptom in symptom_words.hear(said).ids and symptom not in hearing.hear(said).ids
    # what the words say of all being well survives the phrase the table named ("i'm fine myself")
    assert hearing.hear(said).all_well == symptom_words.parse(said).said_well
    asked, outcome = answered_no_to_the_end(triage.report(triage.start(), hearing.hear(said).ids))
    assert symptom in asked and outcome is triage.Level.NO_CALL


def test_reading_is_bounded():
    long = "my chest is tight and i can't breathe " * 5000
    assert len(hearing.model().words(long)) <= hearing.MAX_CHARS
    reading = hearing.hear(long)
    assert "breathing" in reading.ids


def test_an_emergency_the_table_hears_is_advised_or_asked_never_dropped():
    rows = knowledge.symptom_corpus(frozenset(triage.protocol().symptoms))
    for _, words in rows:
        table = symptom_words.hear(words)
        if table.answer is None:
            reading = hearing.hear(words)
            for sid in table.ids & hearing.emergency_ids():
                assert sid in reading.ids or sid in reading.suspected, words


def test_a_denied_symptom_denies_what_implies_it():
    # "no chest pain" is no severe chest pain either, whatever the model reads into the words.
    for text in ("no chest pain whatsoever", "there's no pain in my chest"):
        assert "chest_pain" in symptom_words.hear(text).denied, text
        reading = hearing.hear(text)
        assert not {"chest_pain", "chest_pain_severe"} & (reading.ids | reading.suspected), text


def test_words_of_all_well_are_never_advised_an_emergency_only_the_model_reads_into_them():
    # Corpus words the table hears as all well, naming nothing ("my lips look normal"): an
    # emergency the model is sure of there is asked about at once, never advised.
    rows = knowledge.symptom_corpus(frozenset(triage.protocol().symptoms))
    checked = 0
    for _, words in rows:
        table = symptom_words.hear(words)
        if table.answer is None and table.all_well and not table.named:
            checked += 1
            sure = hearing.learned(words).sure & hearing.emergency_ids()
            reading = hearing.hear(words)
            assert not reading.ids & hearing.emergency_ids(), words
            assert sure - table.denied <= reading.suspected, words
    assert checked >= 20


# Written for these tests: something wrong, said so that no phrase of the table names it.
UNNAMED = ["feels like an anvil on me", "like my neck is in a noose", "hes gone a bit grey and quiet",
           "feels like a tight belt around me", "my ribs are in a clamp", "like someone is kneeling on me",
           "i feel proper rough and odd", "something is not right with me", "i feel strange all over",
           "everything feels wrong in my body", "i'm in a right state", "something heavy is pressing on me",
           "i feel all wrong inside"]


def test_when_only_something_unnamed_is_wrong_the_likeliest_emergency_is_asked_first():
    leaned = 0
    for words in UNNAMED:
        model, reading = hearing.learned(words), hearing.hear(words)
        if reading.ids == {hearing.CATCH_ALL} and not model.suspected and not model.sure & hearing.emergency_ids():
            assert reading.suspected == ({model.leaning} if model.leaning else set()), words
            leaned += model.leaning is not None
    assert leaned >= 1  # else the rule was not tried


def test_the_model_leans_only_from_half_the_suspect_level_and_never_when_it_reads_nothing():
    trained = hearing.model()
    for words in UNNAMED + ["i'm fine thanks", "all good here"]:
        by_id = dict(zip(trained.classes, trained.probabilities(trained.words(words)).tolist()))
        model = hearing.learned(words)
        if model.leaning is not None:
            assert by_id[model.leaning] >= trained.settings["suspect"] / 2 and not model.nothing, words
            assert by_id[model.leaning] == max(by_id[c] for c in hearing.emergency_ids()), words


@pytest.mark.skipif(not DEV_PHRASES.exists(), reason="../shared/eval is not beside the checkout")
def test_no_symptom_corpus_line_is_a_dev_line_or_a_light_edit_of_one():
    # Every dev set: a symptom corpus's "none" lines are questions and requests, and a dev question
    # taught there is taught all the same, however common its words ("what is ivig").
    dev = [plain_words(d, hearing.MAX_CHARS) for d in dev_sets.texts()]
    corpus = [plain_words(w, hearing.MAX_CHARS) for _, w in knowledge.symptom_corpus(frozenset(triage.protocol().symptoms))]
    leaks = [c for c in corpus for d in dev if dev_sets.near(c, d)]
    assert not leaks, leaks[:5]


def test_words_that_are_exactly_a_slot_value_are_the_tables_alone():
    model = json.loads((REPO / "interaction_models" / "en-US.json").read_text(encoding="utf-8"))
    (symptom_type,) = [t for t in model["interactionModel"]["languageModel"]["types"] if t["name"] == "SYMPTOM"]
    for value in symptom_type["values"][::25]:
        words, sid = value["name"]["value"], value["id"]
        assert hearing.hear(words, [sid]).ids == symptom_words.hear(words, [sid]).ids, words


def test_a_stronger_form_of_a_named_symptom_is_added_only_where_the_model_finds_it_likelier():
    assert hearing.hear("headache").ids == {"headache"}
    rows = knowledge.symptom_corpus(frozenset(triage.protocol().symptoms))
    for _, words in rows[::3]:
        table, model = symptom_words.hear(words), hearing.learned(words)
        if table.answer is None and "headache" in table.named and "severe_headache" not in table.ids:
            likely = dict(model.likelihood)
            held = "severe_headache" in model.sure and likely["severe_headache"] < likely["headache"]
            assert held == ("severe_headache" in model.sure and "severe_headache" not in hearing.hear(words).ids), words


@pytest.mark.parametrize("said, symptom", [
    # words the table does not know, but does not deny, are the model's
    ("his lips have gone huge", "throat_swelling"),
    ("my face has gone all lopsided", "stroke_signs"),
    # someone else's emergency, or one the model is sure of behind a symptom put aside
    ("my husband can't breathe not me", "breathing"),
    ("i'm fine my husband has chest pain like a heart attack", "chest_pain_severe"),
])
def test_an_emergency_is_advised_or_asked_about_never_dropped(said, symptom):
    reading = hearing.hear(said)
    assert symptom in reading.ids | reading.suspected


def test_the_reader_also_learns_each_line_as_alexa_hands_it_over_without_a_carrier():
    texts, labels = ["ive got the shivers", "my lips are swelling", "nothing wrong"], [
        frozenset({"fever"}), frozenset({"throat_swelling"}), frozenset({hearing.NOTHING})]
    more, more_labels = hearing.with_carriers_dropped(texts, labels)
    assert more[:3] == texts and dict(zip(more, more_labels))["the shivers"] == {"fever"}
    assert dict(zip(more, more_labels))["lips are swelling"] == {"throat_swelling"}
    assert "wrong" not in more  # "nothing" is no carrier


@pytest.mark.parametrize("said, symptom", [
    ("what if my throat swells up later", "throat_swelling"),
    ("in case i get short of breath tonight who do i ring", "breathing"),
    ("i feel fine but my husband can't breathe properly", "breathing"),
])
def test_an_emergency_named_as_a_fear_or_as_someone_elses_is_asked_about_at_once_not_advised(said, symptom):
    table = symptom_words.hear(said)
    assert symptom in table.aside and symptom not in table.ids
    reading = hearing.hear(said)
    assert symptom in reading.suspected and symptom not in reading.ids  # never dropped: asked at once
    check = triage.suspect(triage.report(triage.start(), reading.ids), reading.suspected)
    assert symptom in triage.asking(check)
    assert triage.outcome(triage.answer(check, triage.Answer.YES)) is triage.Level.EMERGENCY


@pytest.mark.parametrize("said, symptom", [
    ("will i get a rash later", "hives_itching"),
    ("i'm worried i might get a headache later", "headache"),
    ("my partner's got a temperature but i'm alright", "fever"),
    ("my mum's got a bad back but i feel fine", "back_pain"),
    ("no but the dog's been sick on the carpet", "nausea_vomiting"),
    ("i'm scared i'll come out in a rash", "hives_itching"),  # a fear word, then a modal
    ("she's worried she's going to get a fever", "fever"),
    ("what if my whole skin comes up really itchy later on", "hives_itching"),  # a feared phrase, then later
])
def test_a_milder_symptom_named_as_a_fear_or_as_someone_elses_is_left_to_its_question(said, symptom):
    assert symptom in symptom_words.hear(said).aside
    reading = hearing.hear(said)
    assert not reading.ids and not reading.suspected  # nor the catch-all "feeling unwell"
    asked, _ = answered_no_to_the_end(triage.start())
    assert symptom in asked


@pytest.mark.parametrize("said, symptom", [
    ("what if this is a stroke my face is drooping", "stroke_signs"),  # also said plainly
    ("will i be okay i can't breathe", "breathing"),  # a new subject: not the fear's
    ("i might pass out", "fainting"),  # how it feels now: no word of later
    ("my husband says my lips are swelling", "throat_swelling"),  # a carer's words: no "i'm fine"
    ("my wife keeps being sick", "nausea_vomiting"),
    ("i've got a temperature now what if it goes higher", "fever"),  # the fear comes after it
    ("i'm scared i can't breathe", "breathing"),  # a fear word, but no modal: how it is now
    ("i'm worried because my lips are swelling", "throat_swelling"),  # a clause word between
    ("no the back is hurting the lower part", "back_pain"),  # a "no" before "the" answers, it denies nothing
    ("nah a bit of a headache", "headache"),
    ("the spray hasn't touched the pain in my chest", "chest_pain"),  # what was done for it did not work
    ("the antihistamine didn't work on the rash", "hives_itching"),
    ("nothing shifts this headache", "headache"),
])
def test_a_symptom_said_plainly_beside_a_fear_or_someone_else_is_heard(said, symptom):
    assert symptom in symptom_words.hear(said).ids
    assert symptom in hearing.hear(said).ids


@pytest.mark.parametrize("said, symptom", [
    ("my wife says i'm fine but i have chest pain", "chest_pain"),
    ("the dog is fine but i have a rash", "hives_itching"),
])
def test_a_call_now_symptom_the_model_gives_some_weight_is_never_left_to_its_question(said, symptom):
    reading = hearing.hear(said)
    assert symptom in reading.ids and not reading.all_well


@pytest.mark.parametrize("said, symptom", [
    ("my last one gave me a rash but so far this time not a thing", "hives_itching"),
    ("should i expect a rash after this", "hives_itching"),
])
def test_a_call_now_symptom_the_model_is_surest_is_not_there_is_left_to_its_question(said, symptom):
    # the model nearly sure nothing is reported, the symptom far below its threshold: not noted,
    # and asked with its own question before any "no need to call"
    model = hearing.learned(said)
    assert symptom in symptom_words.hear(said).ids
    assert dict(model.likelihood)[hearing.NOTHING] >= hearing.LEFT_EVEN_IF_URGENT
    reading = hearing.hear(said)
    assert symptom not in reading.ids and not reading.suspected
    asked, outcome = answered_no_to_the_end(triage.report(triage.start(), reading.ids))
    assert symptom in asked and outcome is triage.Level.NO_CALL


@pytest.mark.parametrize("said, symptom", [
    ("the antihistamine didn't work on the rash", "hives_itching"),
    ("the cream has not helped the itching one bit", "hives_itching"),
])
def test_a_symptom_the_table_keeps_against_a_denial_word_is_never_left_for_the_model_alone(said, symptom):
    assert symptom in symptom_words.hear(said).held
    assert symptom in hearing.hear(said).ids


@pytest.mark.parametrize("said, symptom", [
    ("i'm fine apart from a headache", "headache"),
    ("honestly all good except my back's sore", "back_pain"),
    ("nothing really other than feeling a bit sick", "nausea_vomiting"),  # not denied by "nothing"
])
def test_the_one_thing_wrong_said_after_apart_from_is_heard_not_left_to_its_question(said, symptom):
    assert symptom in symptom_words.hear(said).excepted
    reading = hearing.hear(said)
    assert symptom in reading.ids and not reading.all_well


def test_the_parts_between_turns_are_split_at_turn_words_and_kept_when_two_or_more():
    assert hearing._parts("no headache, no fever, but my hand is weak") == ["no headache no fever", "my hand is weak"]
    assert hearing._parts("my hand is weak") == []  # one part: the whole is read already
    assert hearing._parts("fine but, weak") == []  # a part of one word alone is not read
    many = " but ".join(f"part {n} here" for n in range(10))
    assert hearing._parts(many) == [f"part {n} here" for n in range(10 - hearing.MAX_PARTS, 10)]


@pytest.mark.parametrize("text", [
    "my breathing is fine thank you, no rash, no headache, no fever, nothing like that at all, the nurse "
    "was lovely and the tea was hot, but the right side of my face went a bit funny",
    "no headache no fever no sickness no rash none of it, only my left hand will not grip the cup",
    "all fine with the breathing, no rash, no headache, no temperature, but i keep losing my words",
])
def test_an_emergency_after_denials_and_a_turn_is_asked_about_at_once(text):
    # the denials drown it when the words are read whole; the part after the turn, read alone, is heard
    whole = hearing.learned(text)
    assert not (whole.sure | whole.suspected) & hearing.emergency_ids()
    reading = hearing.hear(text)
    assert "stroke_signs" in reading.suspected and not reading.ids & hearing.emergency_ids()


def test_a_part_never_adds_back_what_the_words_deny():
    reading = hearing.hear("no trouble breathing at all, but i feel a bit tired")
    assert "breathing" not in reading.suspected | reading.ids


@pytest.mark.parametrize("said, answer", [("aye", "yes"), ("haan ji", "yes"), ("yeah love", "yes"),
                                          ("naw", "no"), ("nae", "no"), ("nahi", "no")])
def test_yes_and_no_as_english_varieties_and_home_languages_say_them_are_answers(said, answer):
    from skill import nlu

    assert hearing.hear(said).answer == answer
    for locale in ("en-GB", "en-IN", "en-US"):  # and the interaction model hears the same answer
        assert nlu.understand(said, locale).intent == {"yes": "AMAZON.YesIntent", "no": "AMAZON.NoIntent"}[answer]


@pytest.mark.parametrize("said, answer", [("yup, some", "yes"), ("yes quite a lot", "yes"), ("i am bad", None), ("aye, a wee bit pet", "yes"),
                                          ("no love", "no"), ("nope, thank you", "no"),
                                          ("no, a bit", None), ("yes but my head hurts", None), ("he is fine", None)])
def test_an_answer_may_end_in_words_that_say_to_whom_or_after_a_yes_how_much(said, answer):
    assert symptom_words.as_answer(said) == answer


def test_the_learned_reader_reads_a_gesture_as_the_answer_it_is():
    from skill import symptom_words
    assert symptom_words.gestures_said("shes shaking her head says she feels fine") == "no she isnt says she feels fine"
    assert "fever" not in hearing.hear("she keeps shaking her head at me, she says she feels fine").ids


@pytest.mark.parametrize("said", ["my wife asked if i could catch my breath", "the nurse asked whether my throat felt tight"])
def test_someone_elses_question_about_an_emergency_is_asked_at_once_not_advised(said):
    reading = hearing.hear(said)
    assert not reading.ids & hearing.emergency_ids() and reading.suspected & hearing.emergency_ids(), reading


def test_a_corrected_denial_of_an_emergency_gets_the_emergency():
    reading = hearing.hear("no my lips aren't swelling, well they are, and my tongue feels thick")
    assert "throat_swelling" in reading.ids, reading


@pytest.mark.parametrize("said, symptom", [
    ("her rash is back tonight", "hives_itching"),
    ("his headache is back", "headache"),
    ("the shivers are back", "fever"),
])
def test_a_symptom_said_to_be_back_is_that_symptom_not_back_pain(said, symptom):
    assert hearing.hear(said).ids == {symptom}
    assert "back_pain" in hearing.hear("my back is killing me again").ids
