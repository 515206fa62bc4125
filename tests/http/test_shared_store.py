"""Many instances on one DynamoDB table: two real `ivig-skill serve` processes, a check
started on one and continued on the other (as behind a load balancer)."""

from __future__ import annotations

import pytest

from tests.support.dynamodb import new_table_name
from tests.support.envelopes import Conversation
from tests.support.server import Server

NO, YES = "AMAZON.NoIntent", "AMAZON.YesIntent"


@pytest.fixture(scope="module")
def two_servers(dynamodb, tmp_path_factory):
    env = dynamodb.store_env(new_table_name())
    servers = [Server(tmp_path_factory.mktemp(f"server{n}"), "--no-verify", env=env) for n in (1, 2)]
    yield servers
    for server in servers:
        server.stop()


def test_a_check_started_on_one_instance_is_continued_on_the_other(two_servers):
    one, other = two_servers
    first = Conversation(one.post, user_id="amzn1.ask.account.SHARED")
    first.launch()
    first.intent("StartSymptomCheckIntent")
    first.intent("ReportSymptomIntent", {"description": "my head hurts"})
    first.intent(NO)
    asking = first.check["asking"]
    first.intent("AMAZON.StopIntent")
    assert first.ended and "keep your answers" in first.speech
    second = Conversation(other.post, user_id="amzn1.ask.account.SHARED")
    second.launch()
    assert "continue" in second.speech
    second.intent(YES)
    assert second.check["asking"] == asking
    for _ in range(20):
        if "outcome" in second.check:
            break
        second.intent(NO)
    assert second.check["outcome"] == "call_soon"
    third = Conversation(one.post, user_id="amzn1.ask.account.SHARED")
    third.launch()  # the finished check is gone for both instances
    assert "continue" not in third.speech


def test_each_instance_hears_the_welcome_once_per_person_not_once_per_instance(two_servers):
    one, other = two_servers
    welcome = Conversation(one.post, user_id="amzn1.ask.account.WELCOMED")
    welcome.launch()
    full = welcome.speech
    again = Conversation(other.post, user_id="amzn1.ask.account.WELCOMED")
    again.launch()
    assert again.speech != full and len(again.speech) < len(full)
