"""The skill as an AWS Lambda function: `skill.lambda_function.lambda_handler(event, context)`.

The same skill builder as the web endpoint (skill.alexa.skill_builder), built once per
container when Lambda imports this module, and reused by every request the container
serves. ask-sdk's own `lambda_handler()` turns the event (the request envelope as a dict) into
a RequestEnvelope, checks the application id against ALEXA_SKILL_ID, and returns the
response envelope as a dict. There is no signature check: Alexa's Lambda trigger, limited
to the skill id (the template's EventSourceToken), does that job.

Settings come from the environment as everywhere (skill/config.py); the template sets
IVIG_STORE=dynamodb, IVIG_DYNAMODB_TABLE and IVIG_HASH_KEY."""

from __future__ import annotations

import logging

from skill import replies
from skill.alexa import skill_builder
from skill.config import Settings
from skill.speech import DEFAULT_LOCALE


def build_handler(settings: Settings | None = None):
    """A Lambda handler for one deployment; refuses to build without a skill id to check.
    One question is answered while the container starts, so that the matcher's index is
    built in Lambda's init phase rather than while the first person waits."""
    settings = settings or Settings.from_env()
    if not settings.skill_id:
        raise ValueError("ALEXA_SKILL_ID is not set: the Lambda function checks every request's application id")
    handler = skill_builder(settings, check_skill_id=True).lambda_handler()
    replies.question_reply("what does the drip do", DEFAULT_LOCALE)  # any question: the wording is our own
    return handler


logging.getLogger().setLevel(logging.INFO)  # Lambda's own handler sends the root logger to CloudWatch
lambda_handler = build_handler()
