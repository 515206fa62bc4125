"""One factory for Alexa request envelopes, and a conversation client that carries
session attributes from turn to turn the way Alexa does."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Callable

SKILL_ID = "amzn1.ask.skill.00000000-0000-4000-8000-000000000000"


def _now() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def envelope(request: dict, *, user_id: str = "amzn1.ask.account.TESTUSER", skill_id: str = SKILL_ID,
             attributes: dict | None = None, new: bool = False, locale: str = "en-US",
             session_id: str = "amzn1.echo-api.session.test", timestamp: str | None = None,
             with_session: bool = True) -> dict:
    """A full request envelope around one request object."""
    request = {"requestId": f"amzn1.echo-api.request.{uuid.uuid4()}", "timestamp": timestamp or _now(),
               "locale": locale, **request}
    body = {
        "version": "1.0",
        "context": {"System": {
            "application": {"applicationId": skill_id},
            "user": {"userId": user_id},
            "device": {"deviceId": "amzn1.ask.device.TEST", "supportedInterfaces": {"AudioPlayer": {}}},
            "apiEndpoint": "https://api.amazonalexa.com",
        }},
        "request": request,
    }
    if with_session:
        body["session"] = {"new": new, "sessionId": session_id, "application": {"applicationId": skill_id},
                           "user": {"userId": user_id}, "attributes": attributes or {}}
    return body


def launch(**kw) -> dict:
    return envelope({"type": "LaunchRequest"}, new=True, **kw)


def intent(name: str, slots: dict[str, str | None] | None = None, **kw) -> dict:
    slot_json = {k: ({"name": k, "value": v, "confirmationStatus": "NONE"} if v is not None
                     else {"name": k, "confirmationStatus": "NONE"})
                 for k, v in (slots or {}).items()}
    return envelope({"type": "IntentRequest", "dialogState": "COMPLETED",
                     "intent": {"name": name, "confirmationStatus": "NONE", "slots": slot_json}}, **kw)


def session_ended(reason: str = "USER_INITIATED", **kw) -> dict:
    return envelope({"type": "SessionEndedRequest", "reason": reason}, **kw)


def speech_of(response: dict) -> str:
    """The words of a response's output speech, without SSML tags."""
    import re

    ssml = (response.get("response", {}).get("outputSpeech") or {}).get("ssml", "")
    text = re.sub(r"<[^>]+>", "", re.sub(r"<break[^>]*>", " ", ssml))
    return re.sub(r"\s+", " ", text).strip()


@dataclass
class Conversation:
    """Talks to the skill through `post(envelope) -> (status, json)`, like Alexa would:
    session attributes go back with each request until the session ends."""

    post: Callable[[dict], tuple[int, dict]]
    user_id: str = "amzn1.ask.account.TESTUSER"
    locale: str = "en-US"
    attributes: dict = field(default_factory=dict)
    last: dict = field(default_factory=dict)
    ended: bool = True

    def send(self, body_factory, *args, **kw) -> dict:
        kw.setdefault("user_id", self.user_id)
        kw.setdefault("locale", self.locale)
        if body_factory is not launch:
            kw.setdefault("attributes", self.attributes)
            kw.setdefault("new", self.ended)
        body = body_factory(*args, **kw)
        status, reply = self.post(body)
        assert status == 200, (status, reply)
        self.last = reply
        self.attributes = reply.get("sessionAttributes") or {}
        self.ended = bool(reply.get("response", {}).get("shouldEndSession"))
        if self.ended:
            self.attributes = {}
        return reply

    def launch(self) -> dict:
        return self.send(launch)

    def intent(self, name: str, slots: dict | None = None) -> dict:
        return self.send(intent, name, slots)

    def end_session(self, reason: str = "USER_INITIATED") -> dict:
        return self.send(session_ended, reason)

    @property
    def speech(self) -> str:
        return speech_of(self.last)

    @property
    def check(self) -> dict:
        return self.attributes.get("symptom_check", {})

    def answer_all(self, answer: str = "AMAZON.NoIntent", limit: int = 20) -> None:
        """Answer every question of the check under way the same way, until its outcome."""
        for _ in range(limit):  # the last reply's attributes: an emergency ends the session
            if "outcome" in (self.last.get("sessionAttributes") or {}).get("symptom_check", {}):
                return
            self.intent(answer)
        raise AssertionError("the check did not finish")


def resume_elsewhere(one: Callable[[dict], tuple[int, dict]], other: Callable[[dict], tuple[int, dict]],
                     user_id: str = "amzn1.ask.account.TESTUSER") -> tuple[Conversation, Conversation]:
    """A check started through `one` (a headache, then a no), stopped, then continued through
    `other` (another instance on the same store) and answered no to the end: both conversations."""
    first = Conversation(one, user_id=user_id)
    first.launch()
    first.intent("StartSymptomCheckIntent")
    first.intent("ReportSymptomIntent", {"description": "I have a headache"})
    first.intent("AMAZON.NoIntent")
    asking = first.check["asking"]
    first.intent("AMAZON.StopIntent")
    assert first.ended
    later = Conversation(other, user_id=user_id)
    later.launch()
    assert "continue" in later.speech
    later.intent("AMAZON.YesIntent")
    assert later.check["asking"] == asking
    later.answer_all()
    assert later.check["outcome"] == "call_soon"
    return first, later


def flask_poster(client, headers: dict | None = None):
    def post(body: dict) -> tuple[int, dict]:
        response = client.post("/alexa", data=json.dumps(body), content_type="application/json",
                               headers=headers or {})
        return response.status_code, response.get_json(silent=True) or {}
    return post
