"""Runs the Lambda function the way AWS Lambda's Python runtime does: one process (a
container) imports the handler module once, then calls `lambda_handler(event, context)` for
each event, the event being the request envelope as a dict. Events go in on stdin and
results come out on stdout, one JSON line each."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

BOOTSTRAP = r"""
import importlib, json, logging, sys, time, uuid
logging.basicConfig(stream=sys.stderr, format="[%(levelname)s] %(name)s: %(message)s")  # as Lambda's runtime does
started = time.perf_counter()
module = importlib.import_module(sys.argv[1])          # the container's init phase
handler = getattr(module, sys.argv[2])
init_ms = (time.perf_counter() - started) * 1000

class Context:                                           # what Lambda passes as `context`
    function_name = "ivig-skill"
    memory_limit_in_mb = 512
    def __init__(self):
        self.aws_request_id = str(uuid.uuid4())
    def get_remaining_time_in_millis(self):
        return 30000

print(json.dumps({"ready": True, "init_ms": init_ms}), flush=True)
for line in sys.stdin:
    event = json.loads(line)
    started = time.perf_counter()
    try:
        result = {"ok": handler(event, Context())}
    except Exception as error:                           # Lambda reports it as a function error
        result = {"error": type(error).__name__, "message": str(error)}
    result["ms"] = (time.perf_counter() - started) * 1000
    print(json.dumps(result), flush=True)
"""


class LambdaContainer:
    """One warm Lambda container running skill.lambda_function (or another handler)."""

    def __init__(self, env: dict[str, str], *, module: str = "skill.lambda_function",
                 handler: str = "lambda_handler", cwd: Path = REPO, python_args: tuple[str, ...] = (),
                 path: list[str] | None = None):
        environment = {**os.environ, **env, "PYTHONUNBUFFERED": "1"}
        if path is not None:
            environment["PYTHONPATH"] = os.pathsep.join(path)
        self.process = subprocess.Popen([sys.executable, *python_args, "-c", BOOTSTRAP, module, handler],
                                        cwd=cwd, env=environment, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        stderr=subprocess.PIPE, text=True)
        first = self.process.stdout.readline()
        if not first:
            raise RuntimeError(f"the function failed to start: {self.process.stderr.read()}")
        self.init_ms = json.loads(first)["init_ms"]
        self.last_ms = 0.0

    def invoke(self, event: dict) -> dict:
        """{"ok": response} or {"error": name, "message": text}."""
        self.process.stdin.write(json.dumps(event) + "\n")
        self.process.stdin.flush()
        line = self.process.stdout.readline()
        if not line:
            raise RuntimeError(f"the function died: {self.process.stderr.read()}")
        result = json.loads(line)
        self.last_ms = result.pop("ms")
        return result

    def post(self, envelope: dict) -> tuple[int, dict]:
        """For tests.support.envelopes.Conversation: 200 and the response, or 500 on a function error."""
        result = self.invoke(envelope)
        return (200, result["ok"]) if "ok" in result else (500, result)

    def stop(self) -> str:
        """Ends the container; returns what it logged."""
        self.process.stdin.close()
        self.process.wait(timeout=30)
        log = self.process.stderr.read()
        self.process.stdout.close()
        self.process.stderr.close()
        return log
