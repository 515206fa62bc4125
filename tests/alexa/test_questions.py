"""Questions about IVIG through the HTTP endpoint: each topic by its intent and by free
words, the same answer as `ivig-skill ask`, "more", "repeat", "no", and odd queries."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from skill import knowledge, models, speech, triage
from tests.support.server import REPO
from tests.support.envelopes import intent, speech_of

TOPICS = list(knowledge.topics().values())
ROUTED = [t for t in TOPICS if t.intent]


def ask(client, words):
    body = intent("AskQuestionIntent", {"query": words})
    return client.post("/alexa", data=json.dumps(body), content_type="application/json").get_json()


@pytest.mark.parametrize("topic", ROUTED, ids=lambda t: t.id)
def test_each_topic_intent_answers_from_its_topic(client, topic):
    body = intent(topic.intent)
    reply = client.post("/alexa", data=json.dumps(body), content_type="application/json").get_json()
    assert speech_of(reply).startswith(topic.answer.split(".")[0])
    assert reply["response"]["card"]["content"].startswith(topic.answer)
    assert reply["response"]["reprompt"]


@pytest.mark.parametrize("topic", TOPICS, ids=lambda t: t.id)
def test_each_topic_answers_a_free_question_saying_what_it_answers(client, topic):
    reply = ask(client, models.topic_samples(topic.id)[0])
    said_back = speech.prompt("answers.understood", title=topic.title)
    assert speech_of(reply).startswith(f"{said_back} {topic.answer.split('.')[0]}")


def test_topic_intent_and_free_words_and_cli_agree(client):
    topic = knowledge.topics()["side_effects"]
    by_intent = speech_of(client.post("/alexa", data=json.dumps(intent(topic.intent)),
                                      content_type="application/json").get_json())
    by_words = speech_of(ask(client, models.topic_samples(topic.id)[0]))
    cli = subprocess.run([sys.executable, "-m", "skill", "ask", "--json", models.topic_samples(topic.id)[0]],
                         cwd=REPO, capture_output=True, text=True, check=True)
    said_back = speech.prompt("answers.understood", title=topic.title)
    assert by_words == json.loads(cli.stdout)["speech"] == f"{said_back} {by_intent}"
    assert json.loads(cli.stdout)["understood"] == said_back


@pytest.mark.parametrize("words", ["what will ivig cost me", "what's the weather tomorrow",
                                   "tell me something funny", "can i drink alcohol after ivig"])
def test_out_of_scope_is_declined_with_a_pointer_to_the_provider(client, words):
    words_spoken = speech_of(ask(client, words))
    assert "provider" in words_spoken


@pytest.mark.parametrize("words", ["", "   ", "zxqv blorp", "x" * 5000, "¿Qué es la inmunoglobulina?",
                                   "😀😀😀", "<speak>& é</speak>", "ivig " * 1000])
def test_odd_queries_get_a_spoken_reply(client, words):
    reply = ask(client, words)
    assert speech_of(reply)
    assert "<speak>" == reply["response"]["outputSpeech"]["ssml"][:7]
    assert reply["response"]["reprompt"]


def test_a_missing_query_slot_asks_again(client):
    body = intent("AskQuestionIntent")
    reply = client.post("/alexa", data=json.dumps(body), content_type="application/json").get_json()
    assert "didn't catch your question" in speech_of(reply)


def test_more_then_repeat_then_no(talk):
    topic = knowledge.topics()["conditions"]
    assert topic.more, "this test needs a topic with more detail"
    talk.intent("AskQuestionIntent", {"query": models.topic_samples(topic.id)[0]})
    assert "Want to hear more?" in talk.speech
    talk.intent("AMAZON.YesIntent")
    assert topic.more.split(".")[0] in talk.speech
    detail = talk.speech
    talk.intent("AMAZON.RepeatIntent")
    assert talk.speech == detail
    talk.intent("AskQuestionIntent", {"query": models.topic_samples(topic.id)[0]})
    talk.intent("AMAZON.NoIntent")
    assert "What else would you like to know?" in talk.speech


def test_where_is_this_from(talk):
    talk.intent("SourceIntent")
    assert "Cleveland Clinic" in talk.speech and "2024" in talk.speech and "not medical advice" in talk.speech


def test_what_can_i_ask_lists_topics_briefly(talk):
    talk.intent("TopicListIntent")
    assert "side effects" in talk.speech and len(talk.speech) < 600


@pytest.mark.parametrize("words", ["i can't breathe", "my lips are swelling what do i do",
                                   "my husband passed out after his infusion is that a side effect"])
def test_a_question_naming_an_emergency_symptom_starts_with_the_emergency_number(client, words):
    assert speech_of(ask(client, words)).startswith("If this is happening to you now, call 911 now.")


@pytest.mark.parametrize("words", ["i have a headache after my infusion is that normal",
                                   "my back aches is that from the ivig"])
def test_a_question_naming_a_symptom_offers_the_check_after_the_answer(client, words):
    spoken = speech_of(ask(client, words))
    assert "say check my symptoms" in spoken and not spoken.startswith("If this is happening")


def test_a_plain_question_has_no_safety_lines(client):
    spoken = speech_of(ask(client, "how long does an infusion take"))
    assert "check my symptoms" not in spoken and "call 911" not in spoken


@pytest.mark.parametrize("name,query,topic_words", [
    ("AskHowIntent", "long does an infusion take", "several hours"),
    ("AskIsIntent", "ivig safe when you're pregnant", "pregnant"),
    ("AskCanIntent", "ivig cause kidney failure", "provider"),
    ("AskHowIntent", "much does ivig cost", "don't have information"),
])
def test_a_question_by_its_opening_word_is_answered_whole(client, name, query, topic_words):
    reply = client.post("/alexa", data=json.dumps(intent(name, {"query": query})),
                        content_type="application/json").get_json()
    opener = {"AskHowIntent": "how", "AskIsIntent": "is", "AskCanIntent": "can"}[name]
    cli = subprocess.run([sys.executable, "-m", "skill", "ask", "--json", f"{opener} {query}"],
                         cwd=REPO, capture_output=True, text=True, check=True)
    assert topic_words in speech_of(reply)
    assert speech_of(reply) == json.loads(cli.stdout)["speech"]


def test_a_second_more_says_there_is_no_more(talk):
    topic = knowledge.topics()["conditions"]
    talk.intent("AskQuestionIntent", {"query": models.topic_samples(topic.id)[0]})
    talk.intent("AMAZON.YesIntent")
    talk.intent("MoreIntent")
    assert "That's all my article says about that." in talk.speech


@pytest.mark.parametrize("locale,date", [("en-US", "October 2, 2024"), ("en-GB", "2 October 2024"),
                                         ("en-AU", "2 October 2024")])
def test_the_review_date_is_said_the_locales_way(client, locale, date):
    body = intent("SourceIntent", locale=locale)
    reply = client.post("/alexa", data=json.dumps(body), content_type="application/json").get_json()
    assert date in speech_of(reply)


def test_two_questions_in_one_answer_the_covered_one_and_decline_the_rest(client, talk):
    words = "how should i get ready for the drip and can i have a beer afterwards"
    said = speech_of(ask(client, words))
    rest = speech.prompt("answers.rest_declined")
    preparation = knowledge.topics()["preparation"].answer
    assert said.index(preparation) < said.index(rest), said
    # in the middle of a check, the same, and then the check's question
    talk.intent("StartSymptomCheckIntent")
    talk.intent("AskQuestionIntent", {"query": words})
    question = triage.question_text(triage.from_dict(talk.check["state"]))
    assert preparation in talk.speech and rest in talk.speech and talk.speech.endswith(question), talk.speech
