"""The skill's frame: launch, help, repeat, stop, fallback, session end, and the one
exception handler. Handlers translate; the words live in content/prompts.toml."""

from __future__ import annotations

import logging

from ask_sdk_core.dispatch_components import AbstractExceptionHandler, AbstractRequestHandler
from ask_sdk_core.utils import is_intent_name, is_request_type

from skill.handlers import checkin
from skill.handlers.common import LAST_REPLY, pending, respond, say, session
from skill.speech import Reply, join
from skill.store import STORAGE_ERRORS

log = logging.getLogger(__name__)

WELCOMED = "welcomed"  # persistent: the full welcome was heard once


class LaunchHandler(AbstractRequestHandler):
    def can_handle(self, handler_input):
        return is_request_type("LaunchRequest")(handler_input)

    def handle(self, handler_input):
        checkin.tidy(handler_input)
        welcome = say(handler_input, "launch.welcome_back" if _welcomed_before(handler_input) else "launch.welcome")
        if checkin.has_paused_check(handler_input):
            offer = say(handler_input, "launch.resume_offer")
            return respond(handler_input, Reply(join(welcome, offer), offer), pending="resume")
        offer = say(handler_input, "launch.offer")
        return respond(handler_input, Reply(join(welcome, offer), offer))


def _welcomed_before(handler_input) -> bool:
    """Has this person heard the full welcome? The full one, with what the skill is not, plays
    the first time; after that a short one. Only this yes/no is kept, nothing else."""
    manager = handler_input.attributes_manager
    try:
        attributes = manager.persistent_attributes
        if attributes.get(WELCOMED):
            return True
        attributes[WELCOMED] = True
        manager.save_persistent_attributes()
    except STORAGE_ERRORS as error:
        log.warning("could not read or keep the welcome flag: %s", type(error).__name__)
    return False


class HelpHandler(AbstractRequestHandler):
    """Help; if a yes-or-no question was open, it is asked again after the help."""

    def can_handle(self, handler_input):
        return is_intent_name("AMAZON.HelpIntent")(handler_input)

    def handle(self, handler_input):
        last = session(handler_input).get(LAST_REPLY)
        open_question = pending(handler_input) and isinstance(last, dict) and isinstance(last.get("reprompt"), str)
        if open_question:
            return respond(handler_input, Reply(join(say(handler_input, "help.general"), last["reprompt"]),
                                                last["reprompt"]), pending=pending(handler_input))
        return respond(handler_input, Reply(join(say(handler_input, "help.general"), say(handler_input, "help.what_now")),
                                            say(handler_input, "help.general_reprompt")))


class RepeatHandler(AbstractRequestHandler):
    def can_handle(self, handler_input):
        return is_intent_name("AMAZON.RepeatIntent")(handler_input)

    def handle(self, handler_input):
        last = session(handler_input).get(LAST_REPLY)
        if isinstance(last, dict) and isinstance(last.get("speech"), str):
            reprompt = last.get("reprompt") if isinstance(last.get("reprompt"), str) else None
            fallback = say(handler_input, "general.fallback_reprompt")
            return respond(handler_input, Reply(last["speech"], reprompt or fallback),
                           pending=pending(handler_input))
        text = say(handler_input, "general.nothing_to_repeat")
        return respond(handler_input, Reply(text, say(handler_input, "general.fallback_reprompt")))


class StopHandler(AbstractRequestHandler):
    """Stop, cancel, or a plain "no" when no yes-or-no question is open (the answer to "what
    else would you like to know?"): goodbye."""

    def can_handle(self, handler_input):
        return any(is_intent_name(n)(handler_input)
                   for n in ("AMAZON.StopIntent", "AMAZON.CancelIntent", "AMAZON.NoIntent"))

    def handle(self, handler_input):
        advice = checkin.interim_advice(handler_input, checkin.paused_state(handler_input))
        return respond(handler_input, Reply(join(advice, say(handler_input, "general.goodbye")), end_session=True))


class NavigateHomeHandler(AbstractRequestHandler):
    def can_handle(self, handler_input):
        return is_intent_name("AMAZON.NavigateHomeIntent")(handler_input)

    def handle(self, handler_input):
        advice = checkin.interim_advice(handler_input)
        kept = checkin.pause_check(handler_input)
        offer = say(handler_input, "launch.offer")
        return respond(handler_input, Reply(join(advice, kept, offer), offer))


class StartOverHandler(AbstractRequestHandler):
    """"Start over" with no check and nothing playing: back to the beginning of the skill."""

    def can_handle(self, handler_input):
        return is_intent_name("AMAZON.StartOverIntent")(handler_input)

    def handle(self, handler_input):
        offer = say(handler_input, "launch.offer")
        return respond(handler_input, Reply(offer, offer))


class GoBackHandler(AbstractRequestHandler):
    """"Go back" outside a symptom check: nothing to undo, so say so and carry on."""

    def can_handle(self, handler_input):
        return is_intent_name("GoBackIntent")(handler_input)

    def handle(self, handler_input):
        text = say(handler_input, "general.nothing_to_go_back")
        return respond(handler_input, Reply(text, say(handler_input, "help.general_reprompt")))


class YesNoWithoutQuestionHandler(AbstractRequestHandler):
    """A yes or "not sure" when nothing was asked."""

    def can_handle(self, handler_input):
        return any(is_intent_name(name)(handler_input) for name in ("AMAZON.YesIntent", "NotSureIntent"))

    def handle(self, handler_input):
        return respond(handler_input, Reply(say(handler_input, "general.yes_no_without_question"),
                                            say(handler_input, "general.fallback_reprompt")))


class SessionEndedHandler(AbstractRequestHandler):
    def can_handle(self, handler_input):
        return is_request_type("SessionEndedRequest")(handler_input)

    def handle(self, handler_input):
        reason = getattr(handler_input.request_envelope.request, "reason", None)
        log.info("session ended: %s", getattr(reason, "value", reason))
        checkin.pause_check(handler_input)
        return handler_input.response_builder.response


class FallbackHandler(AbstractRequestHandler):
    """AMAZON.FallbackIntent, and any intent or request this skill does not know."""

    def can_handle(self, handler_input):
        return True

    def handle(self, handler_input):
        request = handler_input.request_envelope.request
        intent = getattr(getattr(request, "intent", None), "name", None)
        log.info("fallback for %s %s", getattr(request, "object_type", "?"), intent or "")
        if getattr(request, "object_type", None) not in (None, "IntentRequest", "LaunchRequest"):
            return handler_input.response_builder.response  # events need no speech
        return respond(handler_input, Reply(say(handler_input, "general.fallback"),
                                            say(handler_input, "general.fallback_reprompt")),
                       pending=pending(handler_input), remember=False)


class SorryExceptionHandler(AbstractExceptionHandler):
    """Anything unexpected: apologise in speech, log the error type and the request kind only."""

    def can_handle(self, handler_input, exception):
        return True

    def handle(self, handler_input, exception):
        request = handler_input.request_envelope.request
        kind = getattr(request, "object_type", None)
        log.error("error handling %s: %s", kind, type(exception).__name__,
                  exc_info=log.isEnabledFor(logging.DEBUG))
        if kind not in ("IntentRequest", "LaunchRequest"):
            return handler_input.response_builder.response  # playback events take no speech
        return respond(handler_input, Reply(say(handler_input, "general.error"),
                                            say(handler_input, "general.error_reprompt")),
                       pending=pending(handler_input), remember=False)
