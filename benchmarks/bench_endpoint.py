"""How fast the real endpoint answers, and how much memory the server holds.

    python benchmarks/bench_endpoint.py [--turns 400]

Starts `ivig-skill serve --no-verify` on a free port of 127.0.0.1 (its own temporary data
folder), plays questions and whole symptom checks over HTTP, and prints the median and 99th
percentile time per request and the server's resident memory. Figures only: nothing asserts.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from tests.support.envelopes import Conversation, intent  # noqa: E402
from tests.support.personas import load_personas, play  # noqa: E402
from tests.support.server import Server  # noqa: E402

QUESTIONS = ["how long does an infusion take", "what are the side effects", "is it safe when pregnant",
             "how much does it cost", "what is ivig", "when should i call my doctor"]


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--turns", type=int, default=400)
    args = parser.parse_args()
    started = time.perf_counter()
    server = Server(Path(tempfile.mkdtemp()), "--no-verify")  # waits until /health answers
    url = server.url
    try:
        print(f"server ready in {time.perf_counter() - started:.2f} s, memory {rss_mib(server.process.pid):.0f} MiB")
        timings: list[float] = []

        def post(body: dict) -> tuple[int, dict]:
            request = urllib.request.Request(url + "/alexa", data=json.dumps(body).encode(),
                                             headers={"Content-Type": "application/json"})
            t0 = time.perf_counter()
            with urllib.request.urlopen(request, timeout=30) as response:
                reply = json.loads(response.read())
            timings.append(time.perf_counter() - t0)
            return response.status, reply

        personas, n = load_personas(), 0
        while len(timings) < args.turns:
            talk = Conversation(post, user_id=f"amzn1.ask.account.bench{n}")
            talk.send(intent, "AskQuestionIntent", {"query": QUESTIONS[n % len(QUESTIONS)]})
            play(talk, personas[n % len(personas)])
            n += 1
        ms = sorted(t * 1000 for t in timings)
        print(f"{len(ms)} requests ({n} conversations): median {statistics.median(ms):.2f} ms, "
              f"p99 {ms[int(len(ms) * 0.99) - 1]:.2f} ms, max {ms[-1]:.2f} ms")
        print(f"server memory after the run: {rss_mib(server.process.pid):.0f} MiB")
    finally:
        server.stop()


if __name__ == "__main__":
    main()
