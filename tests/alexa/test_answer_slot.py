"""While the check waits for an answer, each reply elicits the answer slot (Dialog.ElicitSlot),
so that the person's own words reach the check even when no sample fits them; and `ivig-skill
chat` honours it as Alexa does."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from skill import models, nlu
from skill.handlers import checkin
from skill.speech import SUPPORTED_LOCALES

INTENT, SLOT = checkin.answer_slot()
# Written for these tests: an emergency in words that hold none of the SYMPTOM type's values.
NO_SAMPLE_FITS = "cheeks blown up like a pufferfish"


def _elicited(reply: dict) -> list[dict]:
    return [d for d in reply["response"].get("directives") or [] if d["type"] == "Dialog.ElicitSlot"]


def test_the_words_fit_no_sample_without_the_elicitation():
    assert nlu.understand(NO_SAMPLE_FITS).intent == nlu.FALLBACK


def test_while_the_slot_is_elicited_it_takes_the_words_no_sample_fits():
    understood = nlu.understand(NO_SAMPLE_FITS, eliciting=(INTENT, SLOT))
    assert (understood.intent, understood.slot(SLOT)) == (INTENT, NO_SAMPLE_FITS)


@pytest.mark.parametrize(("typed", "intent"), [
    ("yes", "AMAZON.YesIntent"), ("no", "AMAZON.NoIntent"), ("stop", "AMAZON.StopIntent"),
    ("help", "AMAZON.HelpIntent"), ("repeat that", "AMAZON.RepeatIntent"), ("go back", "GoBackIntent"),
    ("i'm not sure", "NotSureIntent"), ("tell me how long an infusion takes", "AskQuestionIntent"),
])
def test_while_the_slot_is_elicited_answers_and_commands_keep_their_intents(typed, intent):
    assert nlu.understand(typed, eliciting=(INTENT, SLOT)).intent == intent


def test_fillers_removed_beside_a_slot_stay_in_its_words():
    understood = nlu.understand("no trouble breathing")
    assert (understood.intent, understood.slot(SLOT)) == (INTENT, "no trouble breathing")
    assert next(s for s in understood.slots if s.name == SLOT).resolution_id is None


def test_every_reply_that_asks_a_check_question_elicits_the_answer_slot(talk):
    assert not _elicited(talk.launch())
    reply = talk.intent("StartSymptomCheckIntent")
    assert reply["sessionAttributes"]["symptom_check"]["asking"]
    (directive,) = _elicited(reply)
    assert (directive["updatedIntent"]["name"], directive["slotToElicit"]) == (INTENT, SLOT)
    assert reply["response"]["shouldEndSession"] is False
    for said in ("AMAZON.NoIntent", "AMAZON.FallbackIntent", "AMAZON.RepeatIntent", "AMAZON.HelpIntent"):
        assert _elicited(talk.intent(said)), said


def test_the_advice_and_a_stop_elicit_nothing(talk):
    talk.intent("StartSymptomCheckIntent")
    reply = talk.intent("AMAZON.YesIntent")  # trouble breathing: the emergency advice
    assert reply["sessionAttributes"]["symptom_check"]["outcome"] == "emergency"
    assert not _elicited(reply)
    talk.intent("StartSymptomCheckIntent")
    assert not _elicited(talk.intent("AMAZON.StopIntent"))


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
def test_each_model_has_the_dialog_that_the_elicitation_needs(locale):
    model = models.build_model(locale)["interactionModel"]
    (dialog_intent,) = model["dialog"]["intents"]
    (slot,) = dialog_intent["slots"]
    assert (dialog_intent["name"], slot["name"]) == (INTENT, SLOT)
    assert model["dialog"]["delegationStrategy"] == "SKILL_RESPONSE"
    prompt = next(p for p in model["prompts"] if p["id"] == slot["prompts"]["elicitation"])
    assert prompt["variations"][0]["value"]
    declared = next(i for i in model["languageModel"]["intents"] if i["name"] == INTENT)
    declared_slot = next(s for s in declared["slots"] if s["name"] == SLOT)
    assert declared_slot["type"] == slot["type"]
    assert f"{{{SLOT}}}" in declared_slot["samples"]


def test_chat_answers_words_that_fit_no_sample_with_the_emergency_advice(tmp_path):
    done = subprocess.run([sys.executable, "-m", "skill", "chat", "--show", "state", "--data-dir", str(tmp_path)],
                          input=f"check my symptoms\n{NO_SAMPLE_FITS}\n", text=True, capture_output=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    states = [json.loads(line.split("state: ", 1)[1]) for line in done.stdout.splitlines() if "state: " in line]
    assert states[-1]["symptom_check"]["outcome"] == "emergency"
    assert "Dialog." not in done.stdout  # a person neither hears nor sees a dialog directive


def test_while_the_slot_is_elicited_words_that_open_with_a_yes_are_an_answer_not_a_question():
    # Not "is {query}" once the yes is taken off: the whole words reach the check, yes and all.
    typed = "yes is hard to breathe and a bit of a headache"
    assert nlu.understand(typed).intent != INTENT  # a question, when nothing is asked
    understood = nlu.understand(typed, eliciting=(INTENT, SLOT))
    assert (understood.intent, understood.slot(SLOT)) == (INTENT, typed)
