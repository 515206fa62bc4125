"""This skill beside a hello-world skill, in one run on one machine: the ratios issue 11 asks for.

    python benchmarks/bench_vs_hello.py [--rounds 15] [--requests 200]

Both servers are real processes on 127.0.0.1 with the same stack (Flask, ask-sdk-core, waitress
with 8 threads): `ivig-skill serve --no-verify` with its own temporary data folder, and
benchmarks/hello_skill.py (a launch handler and one intent handler). Every figure is measured in
interleaved rounds (hello, then this skill, then hello...), and each ratio is this skill's median
over hello's median. Figures only: nothing asserts.

- launch, topic intent, free question: median latency of one request over HTTP;
- check turn: one answer (AMAZON.NoIntent) in a symptom check under way, session attributes and
  the SQLite store included;
- 8-client throughput: requests per second, 8 clients at once, a mix of the requests above;
- cold start: from starting the process to the first answered question;
- memory: the server's resident set after all of the above.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from tests.support.envelopes import intent, launch  # noqa: E402
from tests.support.server import _free_port  # noqa: E402

GOALS = {"launch": ("<=", 1.3), "topic intent": ("<=", 1.3), "free question": ("<=", 1.5),
         "check turn": ("<=", 2.0), "8-client throughput": (">=", 0.6), "cold start": ("<=", 2.5),
         "memory": ("<=", 1.6)}


class Process:
    def __init__(self, name: str, command: list[str], env: dict):
        self.name, self.port = name, _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.started = time.perf_counter()
        self.process = subprocess.Popen([*command, "--port", str(self.port)], cwd=REPO, env=env,
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def post(self, body: dict) -> dict:
        data = json.dumps(body).encode()
        req = urllib.request.Request(self.url + "/alexa", data=data, method="POST",
                                     headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=30) as response:
            return json.loads(response.read())

    def first_answer(self, body: dict) -> float:
        """Seconds from starting the process to its first answer to `body`."""
        while True:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited")
            try:
                self.post(body)
                return time.perf_counter() - self.started
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.005)  # polling a starting server

    def rss_mib(self) -> float:
        for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
        return float("nan")

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)


def timed(server: Process, body: dict) -> float:
    start = time.perf_counter()
    server.post(body)
    return time.perf_counter() - start


def throughput(server: Process, bodies: list[dict], requests: int, clients: int = 8) -> float:
    def client(k: int) -> None:
        for i in range(requests // clients):
            server.post(bodies[(i + k) % len(bodies)])

    threads = [threading.Thread(target=client, args=(k,)) for k in range(clients)]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return (requests // clients) * clients / (time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--requests", type=int, default=200, help="per throughput round")
    parser.add_argument("--cold-rounds", type=int, default=5)
    args = parser.parse_args()
    data = Path(tempfile.mkdtemp(prefix="bench-vs-hello-"))
    env = {**os.environ, "IVIG_DATA_DIR": str(data), "PYTHONUNBUFFERED": "1"}
    ours_command = [sys.executable, "-m", "skill", "serve", "--no-verify"]
    hello_command = [sys.executable, str(REPO / "benchmarks" / "hello_skill.py")]
    question = intent("AskQuestionIntent", {"query": "how long does an infusion take"})
    hello_intent = intent("HelloWorldIntent")
    results: dict[str, dict[str, list[float]]] = {k: {"hello": [], "ours": []} for k in GOALS}

    # Cold start: interleaved fresh processes, timed to the first answered question.
    for _ in range(args.cold_rounds):
        for name, command, body in (("hello", hello_command, hello_intent), ("ours", ours_command, question)):
            server = Process(name, command, env)
            results["cold start"][name].append(server.first_answer(body))
            server.stop()

    hello, ours = Process("hello", hello_command, env), Process("ours", ours_command, env)
    try:
        hello.first_answer(hello_intent)
        ours.first_answer(question)
        for server in (hello, ours):  # warm both the same way
            for _ in range(20):
                server.post(launch())
                server.post(question if server is ours else hello_intent)
        user = "amzn1.ask.account.BENCH"
        for _ in range(args.rounds):
            for name, server in (("hello", hello), ("ours", ours)):
                results["launch"][name].append(timed(server, launch(user_id=user)))
                topic = intent("InfusionLengthIntent") if server is ours else hello_intent
                results["topic intent"][name].append(timed(server, topic))
                results["free question"][name].append(timed(server, question if server is ours else hello_intent))
                if server is ours:
                    started = server.post(intent("StartSymptomCheckIntent", user_id=user))
                    turn = intent("AMAZON.NoIntent", user_id=user, attributes=started.get("sessionAttributes"))
                else:
                    turn = hello_intent
                results["check turn"][name].append(timed(server, turn))
            for name, server in (("hello", hello), ("ours", ours)):
                mix = [launch(), question, intent("InfusionLengthIntent")] if server is ours \
                    else [launch(), hello_intent, hello_intent]
                results["8-client throughput"][name].append(throughput(server, mix, args.requests))
        results["memory"] = {"hello": [hello.rss_mib()], "ours": [ours.rss_mib()]}
    finally:
        hello.stop()
        ours.stop()

    units = {"8-client throughput": "req/s", "cold start": "s", "memory": "MiB"}
    print(f"{'figure':22} {'hello':>10} {'this skill':>11} {'ratio':>7}  goal")
    for figure, (direction, goal) in GOALS.items():
        h, o = (statistics.median(results[figure][k]) for k in ("hello", "ours"))
        ratio = o / h
        met = ratio <= goal if direction == "<=" else ratio >= goal
        unit = units.get(figure, "ms")
        scale = 1000 if unit == "ms" else 1
        print(f"{figure:22} {h * scale:8.2f} {unit:3} {o * scale:7.2f} {unit:3} {ratio:6.2f}x  "
              f"{direction} {goal}x {'met' if met else 'NOT met'}")
    print(f"(medians of {args.rounds} interleaved rounds; cold start {args.cold_rounds}; "
          f"throughput {args.requests} requests a round)")


if __name__ == "__main__":
    main()
