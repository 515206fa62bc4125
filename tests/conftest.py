"""Shared fixtures: the real app with its real SQLite file in a temporary folder, and
conversations through Flask's test client or through a real `ivig-skill serve` process."""

from __future__ import annotations

import pytest
from hypothesis import settings as hypothesis_settings

from skill.config import Settings
from tests.support.envelopes import SKILL_ID, Conversation, flask_poster
from tests.support.server import Server

# Properties are checked over many examples; a busy CI machine must not turn time into failures.
hypothesis_settings.register_profile("project", deadline=None)
hypothesis_settings.load_profile("project")


@pytest.fixture
def settings(tmp_path) -> Settings:
    return Settings(skill_id=SKILL_ID, verify_signature=False, verify_timestamp=False,
                    data_dir=tmp_path / "data", audio_dir=tmp_path / "audio")


@pytest.fixture
def app(settings):
    from skill.web import create_app  # imported here: unit tests need none of the web layer

    return create_app(settings)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def talk(client) -> Conversation:
    """A person talking to the skill through the Flask endpoint."""
    return Conversation(flask_poster(client))


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """One real server process (verification off) shared by a test module."""
    srv = Server(tmp_path_factory.mktemp("server"), "--no-verify")
    yield srv
    srv.stop()


@pytest.fixture(scope="session")
def dynamodb(tmp_path_factory):
    """One real DynamoDB-compatible server (moto) on 127.0.0.1 for the whole test session;
    each test uses tables of its own."""
    from tests.support.dynamodb import LocalDynamoDB

    server = LocalDynamoDB(tmp_path_factory.mktemp("dynamodb"))
    yield server
    server.stop()


@pytest.fixture
def dynamodb_env(dynamodb, monkeypatch):
    """This process's boto3 pointed at the local server, with IVIG_STORE=dynamodb on a new table."""
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    for name, value in dynamodb.store_env().items():
        monkeypatch.setenv(name, value)
    return dynamodb
