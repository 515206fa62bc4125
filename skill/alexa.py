"""Builds the ask-sdk skill: the handlers in the order they are tried, the request
interceptor that hands settings to handlers, and the SQLite persistence adapter."""

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


def build_skill(settings: Settings) -> CustomSkill:
    store = SQLiteAdapter(settings.database_path, key=settings.hash_key)
    # Where health data is not kept, no unfinished check is either (one left by an earlier setting goes).
    keep_for = timedelta(hours=settings.resume_hours if settings.keep_health_data else 0)
    removed = store.remove_expired(checkin.PAUSED, "saved_at", keep_for)
    if removed:
        log.info("removed %d unfinished symptom checks older than %g hours", removed, keep_for.total_seconds() / 3600)
    builder = CustomSkillBuilder(persistence_adapter=store)
    for handler in request_handlers():
        builder.add_request_handler(handler)
    builder.add_exception_handler(basics.SorryExceptionHandler())
    builder.add_global_request_interceptor(SettingsInterceptor(settings))
    builder.add_global_request_interceptor(RequestLogInterceptor())
    builder.add_global_request_interceptor(checkin.CheckInterceptor())  # after the settings: reads them
    return builder.create()
