"""The web endpoint Alexa calls: POST /alexa (verified, then dispatched to the skill),
GET /health, and the rendered audio under /audio/."""

from __future__ import annotations

import json
import logging

from ask_sdk_core.exceptions import SerializationException
from ask_sdk_model import RequestEnvelope
from flask import Flask, Response, jsonify, request
from werkzeug.exceptions import RequestEntityTooLarge

from skill.alexa import build_skill
from skill.audio_routes import audio_blueprint
from skill.config import Settings
from skill.envelope import ModelReader, ModelWriter
from skill.limits import bound_envelope, json_too_deep
from skill.verification import RequestVerifier, VerificationError

log = logging.getLogger(__name__)


class BadRequest(Exception):
    """A request that is not an Alexa request envelope: answered with HTTP 400."""


def create_app(settings: Settings | None = None, *, trusted_roots=None) -> Flask:
    """The Flask app for one deployment. `trusted_roots` replaces the system trust store
    for certificate chains (tests bring their own certificate authority)."""
    settings = settings or Settings.from_env()
    if settings.verify_signature and not settings.skill_id:
        raise ValueError("Request verification is on but no skill id is set: set ALEXA_SKILL_ID "
                         "(or --skill-id), or use --no-verify for local testing only.")
    app = Flask(__name__)
    app.config["MAX_CONTENT_LENGTH"] = settings.max_body_bytes
    skill = build_skill(settings)
    reader, writer = ModelReader(), ModelWriter()  # what ask-sdk's DefaultSerializer makes, faster
    verifier = RequestVerifier(settings.skill_id, verify_signature=settings.verify_signature,
                               verify_timestamp=settings.verify_timestamp, trusted_roots=trusted_roots)
    app.extensions["ivig"] = {"settings": settings, "skill": skill, "verifier": verifier}

    @app.post("/alexa")
    def alexa():
        body = _read_body(settings.max_body_bytes)
        envelope = _parse_envelope(body)
        verifier.verify(request.headers, body, envelope)
        _check_shape(envelope)
        changed = bound_envelope(envelope)  # after verification: the signature is over the body as sent
        if changed:
            log.info("request bounded: %s", ", ".join(changed))
        try:  # the envelope as parsed once, into the models ask-sdk's serializer would make
            request_envelope = reader.read(envelope, RequestEnvelope)
        except (SerializationException, ValueError, TypeError, AttributeError, KeyError) as error:
            raise BadRequest("not a valid Alexa request envelope") from error
        response_envelope = app.extensions["ivig"]["skill"].invoke(request_envelope=request_envelope,
                                                                    context=None)
        return Response(json.dumps(writer.write(response_envelope)), mimetype="application/json")

    @app.get("/health")
    def health():
        return jsonify(status="ok", verification=settings.verify_signature)

    @app.errorhandler(VerificationError)
    def refused(error):
        log.warning("request refused: %s", error)
        return jsonify(error="request verification failed", reason=str(error)), 400

    @app.errorhandler(BadRequest)
    def bad_request(error):
        return jsonify(error=str(error)), 400

    @app.errorhandler(413)
    def too_large(_error):  # refused like any other bad request, before it is read whole
        return jsonify(error="request body too large"), 400

    app.register_blueprint(audio_blueprint(settings.audio_dir))
    return app


def _read_body(limit: int) -> bytes:
    mimetype = request.mimetype or ""
    if mimetype != "application/json":
        raise BadRequest("content type must be application/json")
    if request.content_length is not None and request.content_length > limit:
        raise RequestEntityTooLarge()
    body = request.get_data(cache=True)
    if len(body) > limit:
        raise RequestEntityTooLarge()
    if not body:
        raise BadRequest("empty body")
    return body


def _parse_envelope(body: bytes) -> dict:
    if json_too_deep(body):  # refused before parsing: json.loads would recurse that deep
        raise BadRequest("body is nested too deeply to be an Alexa request envelope")
    try:
        envelope = json.loads(body.decode("utf-8"))  # Alexa sends UTF-8; anything else is refused
    except (ValueError, UnicodeDecodeError) as error:
        raise BadRequest("body is not valid JSON") from error
    if not isinstance(envelope, dict) or not isinstance(envelope.get("request"), dict) \
            or not isinstance(envelope["request"].get("type"), str):
        raise BadRequest("body is not an Alexa request envelope")
    return envelope


def _check_shape(envelope: dict) -> None:
    """What the skill relies on, checked after verification so forgeries are told apart."""
    request_type = envelope["request"]["type"]
    if request_type in _IN_SESSION and not isinstance(envelope.get("session"), dict):
        raise BadRequest(f"a {request_type} comes with a session")
    if request_type == "IntentRequest":
        intent = envelope["request"].get("intent")
        if not isinstance(intent, dict) or not isinstance(intent.get("name"), str) \
                or not isinstance(intent.get("slots", {}), dict):
            raise BadRequest("an IntentRequest needs an intent with a name")


_IN_SESSION = {"LaunchRequest", "IntentRequest", "SessionEndedRequest"}
