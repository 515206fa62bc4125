"""The Lambda function, invoked the way AWS Lambda invokes it: a container process imports
skill.lambda_function once, then each event (Alexa's request envelope as a dict) is a call
of lambda_handler(event, context). DynamoDB is a real DynamoDB-compatible server on 127.0.0.1."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from skill import replies, speech
from tests.support.dynamodb import new_table_name
from tests.support.envelopes import SKILL_ID, Conversation, intent, launch, resume_elsewhere, speech_of
from tests.support.lambda_runtime import LambdaContainer

NO, YES = "AMAZON.NoIntent", "AMAZON.YesIntent"


@pytest.fixture(scope="module")
def function(dynamodb):
    """Two warm containers of one function on one table (each cold start builds the whole
    skill, so the module shares them); the last test stops them and reads their logs."""
    table = new_table_name()
    env = {**dynamodb.store_env(table), "ALEXA_SKILL_ID": SKILL_ID}
    one = LambdaContainer(env)
    active_before_any_event = dynamodb.client().describe_table(TableName=table)["Table"]["TableStatus"] == "ACTIVE"
    other = LambdaContainer(env)
    yield SimpleNamespace(table=table, one=one, other=other, active_before_any_event=active_before_any_event)
    for container in (one, other):
        if container.process.poll() is None:
            container.stop()


def test_a_check_started_in_one_container_is_continued_in_another(function):
    # another container of the function, the same table
    _, later = resume_elsewhere(function.one.post, function.other.post)
    assert "headache" in later.speech


def test_by_default_nothing_of_a_check_reaches_the_table(dynamodb):
    import json

    table = new_table_name()
    container = LambdaContainer({**dynamodb.store_env(table, keep_health_data=False), "ALEXA_SKILL_ID": SKILL_ID})
    try:
        talk = Conversation(container.post)
        talk.launch()
        talk.intent("StartSymptomCheckIntent")
        talk.intent("ReportSymptomIntent", {"description": "I have a headache"})
        talk.intent("AMAZON.StopIntent")
    finally:
        container.stop()
    stored = dynamodb.people_items(table)
    assert [item["attribute"]["S"] for item in stored] == ["welcomed"]
    assert "headache" not in json.dumps(stored)


def test_a_question_is_answered_as_ivig_skill_ask_answers_it(function):
    words = "how long does an infusion take"
    talk = Conversation(function.other.post, user_id="amzn1.ask.account.ASKER")
    talk.launch()
    talk.intent("AskQuestionIntent", {"query": words})
    assert talk.speech == speech.plain(replies.question_reply(words, "en-US").reply.speech)


def test_another_skills_request_is_refused_and_nothing_is_stored(function, dynamodb):
    from skill.store import hash_user_id
    from tests.support.dynamodb import HASH_KEY

    stranger = "amzn1.ask.account.STRANGER"
    result = function.one.invoke(launch(skill_id="amzn1.ask.skill.someone-else", user_id=stranger))
    assert result["error"] == "AskSdkException" and "Skill ID" in result["message"]
    stranger_hash = hash_user_id(bytes.fromhex(HASH_KEY), stranger)
    assert [i for i in dynamodb.people_items(function.table) if i["user_hash"]["S"] == stranger_hash] == []
    assert "ok" in function.one.invoke(launch())  # and the container still serves its own skill


def test_without_a_skill_id_the_function_refuses_to_start(dynamodb):
    with pytest.raises(RuntimeError, match="ALEXA_SKILL_ID"):
        LambdaContainer({**dynamodb.store_env(), "ALEXA_SKILL_ID": ""})


def test_an_unknown_intent_or_missing_slot_gets_a_spoken_sorry(function):
    container = function.one
    for event in (intent("NoSuchIntent"), intent("AskQuestionIntent", {"query": None}),
                  intent("ReportSymptomIntent", {})):
        result = container.invoke(event)
        assert "ok" in result and speech_of(result["ok"])


def test_the_sqlite_store_works_in_a_container_too(tmp_path):
    container = LambdaContainer({"ALEXA_SKILL_ID": SKILL_ID, "IVIG_STORE": "sqlite", "IVIG_KEEP_HEALTH_DATA": "true",
                                 "IVIG_DATA_DIR": str(tmp_path / "data")})
    try:
        talk = Conversation(container.post)
        talk.launch()
        talk.intent("StartSymptomCheckIntent")
        talk.intent("AMAZON.StopIntent")
        talk.launch()
        assert "continue" in talk.speech
    finally:
        container.stop()


def test_the_skill_was_built_when_each_container_started_and_reused_after(function):
    """Runs last: stops the module's containers and reads what they logged."""
    assert function.active_before_any_event  # the store was opened while the container started
    logs = function.one.stop() + function.other.stop()
    assert logs.count("created DynamoDB table") == 1  # once, by the first container, for all it served
    assert logs.count("request LaunchRequest") >= 3
    assert "request IntentRequest ReportSymptomIntent" in logs  # what is logged: the kind of request
    assert "headache" not in logs and "amzn1.ask.account" not in logs
