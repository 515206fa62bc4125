"""Builds the ask-sdk skill: the handlers in the order they are tried, the request
interceptor that hands settings to handlers, and the persistence adapter (IVIG_STORE)."""

from __future__ import annotations

import logging
from datetime import timedelta

from ask_sdk_core.dispatch_components import AbstractRequestInterceptor
from ask_sdk_core.skill import CustomSkill
from ask_sdk_core.skill_builder import CustomSkillBuilder

from skill.config import Settings
from skill.handlers import basics, checkin, listening, questions
from skill.store import SQLiteAdapter

log = logging.getLogger(__name__)


class SettingsInterceptor(AbstractRequestInterceptor):
    """Every handler reads the deployment's settings from the request attributes."""

    def __init__(self, settings: Settings):
        self.settings = settings

    def process(self, handler_input):
        handler_input.attributes_manager.request_attributes["settings"] = self.settings


class RequestLogInterceptor(AbstractRequestInterceptor):
    """Logs the kind of each request: never a user id, a slot value or a symptom."""

    def process(self, handler_input):
        request = handler_input.request_envelope.request
        intent = getattr(getattr(request, "intent", None), "name", None)
        log.info("request %s%s", getattr(request, "object_type", "?"), f" {intent}" if intent else "")


def request_handlers():
    """Most specific first: the symptom check claims yes/no/help/stop while it runs."""
    return [
        basics.LaunchHandler(),
        basics.SessionEndedHandler(),
        checkin.CheckStopHandler(),
        checkin.CheckHelpHandler(),
        checkin.CheckGoBackHandler(),
        checkin.CheckStartOverHandler(),
        checkin.ResumeOfferHandler(),
        checkin.SaveCheckHandler(),
        checkin.AnswerHandler(),
        checkin.StartCheckHandler(),
        checkin.ReportSymptomHandler(),
        checkin.HistoryHandler(),
        checkin.DeleteDataHandler(),
        questions.TopicIntentHandler(),
        questions.AskQuestionHandler(),
        questions.MoreHandler(),
        questions.NoMoreHandler(),
        questions.TopicListHandler(),
        questions.SourceHandler(),
        basics.RepeatHandler(),
        basics.NavigateHomeHandler(),
        checkin.CheckUnknownHandler(),  # anything else mid-check re-asks the question
        *listening.HANDLERS,
        basics.HelpHandler(),
        basics.StopHandler(),
        basics.StartOverHandler(),
        basics.GoBackHandler(),
        basics.YesNoWithoutQuestionHandler(),
        basics.FallbackHandler(),
    ]


def open_store(settings: Settings):
    """The persistence adapter the deployment chose (IVIG_STORE). Where health data is not kept,
    no unfinished check is either (one left by an earlier setting goes): old ones are swept
    from the SQLite file at start, or expire by DynamoDB's TTL (and are skipped when read)."""
    keep_for = timedelta(hours=settings.resume_hours if settings.keep_health_data else 0)
    if settings.store == "dynamodb":
        from skill.store_dynamodb import DynamoDBAdapter

        return DynamoDBAdapter(settings.dynamodb_table, settings.hash_key,
                               expiring={checkin.PAUSED: ("saved_at", keep_for)})
    store = SQLiteAdapter(settings.database_path, key=settings.hash_key)
    removed = store.remove_expired(checkin.PAUSED, "saved_at", keep_for)
    if removed:
        log.info("removed %d unfinished symptom checks older than %g hours", removed, keep_for.total_seconds() / 3600)
    return store


def skill_builder(settings: Settings, *, check_skill_id: bool = False) -> CustomSkillBuilder:
    """The one skill builder behind the web endpoint (`.create()`, whose verifier checks the
    application id) and the Lambda function (`.lambda_handler()`, where ask-sdk checks it:
    `check_skill_id`)."""
    builder = CustomSkillBuilder(persistence_adapter=open_store(settings))
    if check_skill_id:
        builder.skill_id = settings.skill_id
    for handler in request_handlers():
        builder.add_request_handler(handler)
    builder.add_exception_handler(basics.SorryExceptionHandler())
    builder.add_global_request_interceptor(SettingsInterceptor(settings))
    builder.add_global_request_interceptor(RequestLogInterceptor())
    builder.add_global_request_interceptor(checkin.CheckInterceptor())  # after the settings: reads them
    builder.add_global_response_interceptor(checkin.AnswerSlotInterceptor())
    return builder


def build_skill(settings: Settings) -> CustomSkill:
    return skill_builder(settings).create()
