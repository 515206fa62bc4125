"""The baseline for benchmarks/bench_vs_hello.py: a minimal ask-sdk-core skill (a launch
handler and one intent handler) on the same stack as `ivig-skill serve`: Flask, ask-sdk's
serializer, waitress with 8 threads, on 127.0.0.1.

    python benchmarks/hello_skill.py --port 5001
"""

from __future__ import annotations

import argparse
import json

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.serialize import DefaultSerializer
from ask_sdk_core.skill_builder import SkillBuilder
from ask_sdk_core.utils import is_intent_name, is_request_type
from ask_sdk_model import RequestEnvelope
from flask import Flask, Response, jsonify, request


class LaunchHandler(AbstractRequestHandler):
    def can_handle(self, handler_input):
        return is_request_type("LaunchRequest")(handler_input)

    def handle(self, handler_input):
        return handler_input.response_builder.speak("Welcome, you can say hello.").ask("Say hello.").response


class HelloHandler(AbstractRequestHandler):
    def can_handle(self, handler_input):
        return is_request_type("IntentRequest")(handler_input)  # every intent: one handler

    def handle(self, handler_input):
        return handler_input.response_builder.speak("Hello world!").set_should_end_session(False).response


def create_app() -> Flask:
    builder = SkillBuilder()
    builder.add_request_handler(LaunchHandler())
    builder.add_request_handler(HelloHandler())
    skill = builder.create()
    serializer = DefaultSerializer()
    app = Flask(__name__)

    @app.post("/alexa")
    def alexa():
        envelope = serializer.deserialize(request.get_data(as_text=True), RequestEnvelope)
        response = skill.invoke(request_envelope=envelope, context=None)
        return Response(json.dumps(serializer.serialize(response)), mimetype="application/json")

    @app.get("/health")
    def health():
        return jsonify(status="ok")

    return app


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    import waitress

    waitress.serve(create_app(), host="127.0.0.1", port=parser.parse_args().port, threads=8, ident="hello")
