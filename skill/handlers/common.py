"""What every handler needs: the request's locale and settings, the session's small
state, and one way to turn a Reply into Alexa's response (remembered for "repeat")."""

from __future__ import annotations

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model import Response
from ask_sdk_model.ui import SimpleCard

from skill import speech
from skill.config import Settings
from skill.speech import Reply

LAST_REPLY = "last_reply"
PENDING = "pending"  # what a yes or no answers: "more", "resume", "save_check"


def locale_of(handler_input: HandlerInput) -> str:
    locale = getattr(handler_input.request_envelope.request, "locale", None)
    return locale if locale in speech.EMERGENCY_NUMBERS else speech.DEFAULT_LOCALE


def settings_of(handler_input: HandlerInput) -> Settings:
    return handler_input.attributes_manager.request_attributes["settings"]


def session(handler_input: HandlerInput) -> dict:
    """The session's attributes; an empty dict for requests Alexa sends outside a session
    (AudioPlayer events, PlaybackController buttons)."""
    if handler_input.request_envelope.session is None:
        return {}
    return handler_input.attributes_manager.session_attributes


def say(handler_input: HandlerInput, key: str, **fields: str) -> str:
    """A prompt from content/prompts.toml in the request's locale."""
    return speech.prompt(key, locale=locale_of(handler_input), **fields)


def pending(handler_input: HandlerInput) -> str | None:
    value = session(handler_input).get(PENDING)
    return value if isinstance(value, str) else None


def slot_value(handler_input: HandlerInput, name: str) -> str:
    """A slot's spoken value, or "" when the slot is missing or empty."""
    intent = getattr(handler_input.request_envelope.request, "intent", None)
    slots = getattr(intent, "slots", None) or {}
    slot = slots.get(name)
    value = getattr(slot, "value", None)
    return value.strip() if isinstance(value, str) else ""


def slot_ids(handler_input: HandlerInput, name: str) -> list[str]:
    """The ids a custom slot's value resolved to (entity resolution), best first."""
    intent = getattr(handler_input.request_envelope.request, "intent", None)
    slot = (getattr(intent, "slots", None) or {}).get(name)
    authorities = getattr(getattr(slot, "resolutions", None), "resolutions_per_authority", None) or []
    ids = []
    for authority in authorities:
        code = getattr(getattr(authority, "status", None), "code", None)
        if getattr(code, "value", code) == "ER_SUCCESS_MATCH":
            ids += [v.value.id for v in (authority.values or []) if getattr(v.value, "id", None)]
    return ids


def respond(handler_input: HandlerInput, reply: Reply, *, pending: str | None = None,
            remember: bool = True) -> Response:
    """Build the response for a Reply; remember it for "repeat" and set what a yes means."""
    attributes = session(handler_input)
    if pending is None:
        attributes.pop(PENDING, None)
    else:
        attributes[PENDING] = pending
    if remember:
        attributes[LAST_REPLY] = {"speech": reply.speech, "reprompt": reply.reprompt}
    builder = handler_input.response_builder
    builder.speak(speech.to_ssml(reply.speech))
    if reply.reprompt and not reply.end_session:
        builder.ask(speech.to_ssml(reply.reprompt))
    if reply.card_title and reply.card_text:
        builder.set_card(SimpleCard(title=reply.card_title, content=reply.card_text))
    builder.set_should_end_session(True if reply.end_session else (False if reply.reprompt else None))
    return builder.response
