"""Many instances on one DynamoDB table: two real `ivig-skill serve` processes, a check
started on one and continued on the other (as behind a load balancer)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.support.dynamodb import new_table_name
from tests.support.envelopes import Conversation, resume_elsewhere
from tests.support.server import REPO, Server

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
    first, _ = resume_elsewhere(one.post, other.post, user_id="amzn1.ask.account.SHARED")
    assert "keep your answers" in first.speech
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


def test_serve_on_dynamodb_without_a_hashing_key_refuses_to_start_saying_what_to_set(dynamodb, tmp_path):
    env = {**os.environ, **dynamodb.store_env(), "IVIG_DATA_DIR": str(tmp_path)}
    del env["IVIG_HASH_KEY"]
    result = subprocess.run([sys.executable, "-m", "skill", "serve", "--no-verify", "--port", "1"], cwd=REPO, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode != 0 and "IVIG_HASH_KEY" in result.stderr and "Traceback" not in result.stderr


def test_an_unknown_store_is_refused(tmp_path):
    from skill.config import Settings

    with pytest.raises(ValueError, match="IVIG_STORE must be one of sqlite, dynamodb"):
        Settings.from_env({"IVIG_STORE": "redis"})
    assert Settings.from_env({}).store == "sqlite" and Settings.from_env({}).dynamodb_table == "ivig-skill"
