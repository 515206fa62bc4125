"""Lambda-style cold start and warm per-envelope time, with SQLite and with DynamoDB (a local
moto server on 127.0.0.1), and the Lambda zip's size.

    python benchmarks/bench_lambda.py [--cold 3] [--envelopes 200]

Writes the package (`ivig-skill package`) into a temporary folder, unzips lambda.zip into an
empty folder and runs it the way Lambda's Python runtime does (tests/support/lambda_runtime.py):
a fresh `python -S` process (no site-packages; boto3 added as the runtime provides it) imports
skill.lambda_function once (init: import and build), then answers envelopes. Per container:
  init      import of the handler module and the skill's build, timed inside the process
  first     the first envelope (a launch), which also opens the store and warms the matcher
  cold      process start to first answer, as wall time (interpreter start + init + first)
  warm      each later envelope: questions and whole symptom checks, median and p99
The baseline, measured in the same run and the same way, is a minimal ask-sdk skill (one
LaunchRequest handler, no store): ratios say what this skill costs on top of ask-sdk itself.
Figures only: nothing asserts. Real Lambda adds its own sandbox start and network latency to
DynamoDB; the ratios carry over better than the absolute times.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from tests.support.dynamodb import LocalDynamoDB  # noqa: E402
from tests.support.envelopes import SKILL_ID, Conversation  # noqa: E402
from tests.support.lambda_runtime import LambdaContainer  # noqa: E402

QUESTIONS = ["how long does an infusion take", "what are the side effects", "is it safe when pregnant",
             "how much does it cost", "what is ivig", "when should i call my doctor"]

BASELINE = '''
from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.skill_builder import SkillBuilder


class Launch(AbstractRequestHandler):
    def can_handle(self, handler_input):
        return True

    def handle(self, handler_input):
        return handler_input.response_builder.speak("Hello.").ask("Anything else?").response


builder = SkillBuilder()
builder.add_request_handler(Launch())
lambda_handler = builder.lambda_handler()
'''


def runtime_dir(root: Path) -> Path:
    """What Lambda's Python runtime adds to the path: boto3 and its own dependencies."""
    import boto3
    import botocore
    import jmespath
    import s3transfer

    runtime = root / "runtime"
    runtime.mkdir()
    for module in (boto3, botocore, jmespath, s3transfer):
        (runtime / module.__name__).symlink_to(Path(module.__file__).parent)
    return runtime


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def play(container: LambdaContainer, envelopes: int) -> list[float]:
    """Questions and whole symptom checks until `envelopes` were answered; handler times in ms."""
    times: list[float] = []
    talk = Conversation(container.post, user_id="amzn1.ask.account.BENCH")
    n = 0

    def timed(call, *args):
        call(*args)
        times.append(container.last_ms)

    while len(times) < envelopes:
        timed(talk.launch)
        for question in QUESTIONS[n % len(QUESTIONS):][:2]:
            timed(talk.intent, "AskQuestionIntent", {"query": question})
        timed(talk.intent, "StartSymptomCheckIntent")
        for _ in range(12):
            if "outcome" in talk.check:
                break
            timed(talk.intent, "AMAZON.NoIntent")
        timed(talk.intent, "AMAZON.StopIntent")
        n += 1
    return times[:envelopes]


def measure(name: str, env: dict, task: Path, runtime: Path, *, cold: int, envelopes: int, module: str) -> dict:
    inits, firsts, colds, warm = [], [], [], []
    for run in range(cold):
        started = time.perf_counter()
        container = LambdaContainer(env, module=module, cwd=task, python_args=("-S",),
                                    path=[str(task), str(runtime)])
        talk = Conversation(container.post, user_id=f"amzn1.ask.account.COLD{run}")
        talk.launch()
        colds.append((time.perf_counter() - started) * 1000)
        inits.append(container.init_ms)
        firsts.append(container.last_ms)
        if run == cold - 1:  # the baseline skill knows only one reply: time launches
            warm = [_baseline_warm(container) for _ in range(envelopes)] if module == "baseline_function" \
                else play(container, envelopes)
        container.stop()
    return {"name": name, "init": statistics.median(inits), "first": statistics.median(firsts),
            "cold": statistics.median(colds), "warm_median": statistics.median(warm), "warm_p99": percentile(warm, 99)}


def _baseline_warm(container: LambdaContainer) -> float:
    from tests.support.envelopes import launch

    container.invoke(launch())
    return container.last_ms


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cold", type=int, default=3, help="cold starts per store (medians are printed)")
    parser.add_argument("--envelopes", type=int, default=200, help="warm envelopes in the last container")
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="bench-lambda-"))
    from skill.package import write_project

    written = write_project(root / "build", audio_dir=root / "no-audio")
    task = root / "task"
    with zipfile.ZipFile(written.zip_path) as archive:
        archive.extractall(task)
        files = len(archive.namelist())
    (task / "baseline_function.py").write_text(BASELINE)
    runtime = runtime_dir(root)
    print(f"lambda.zip: {written.zip_bytes / 2**20:.1f} MB zipped, {written.unzipped_bytes / 2**20:.1f} MB unzipped, "
          f"{files} files (limits 50 MB and 250 MB); boto3 not bundled (Lambda's runtime has it)")
    dynamodb = LocalDynamoDB(root)
    try:
        base = {"ALEXA_SKILL_ID": SKILL_ID, "IVIG_AUDIO_DIR": "audio"}
        rows = [
            measure("baseline: minimal ask-sdk skill", base, task, runtime, cold=args.cold,
                    envelopes=args.envelopes, module="baseline_function"),
            measure("IVIG Helper, SQLite in /tmp", {**base, "IVIG_STORE": "sqlite", "IVIG_DATA_DIR": str(root / "data")},
                    task, runtime, cold=args.cold, envelopes=args.envelopes, module="skill.lambda_function"),
            measure("IVIG Helper, DynamoDB (local moto)", {**base, **dynamodb.store_env()}, task, runtime,
                    cold=args.cold, envelopes=args.envelopes, module="skill.lambda_function"),
        ]
    finally:
        dynamodb.stop()
    baseline = rows[0]
    print(f"{args.cold} cold starts each (medians), {args.envelopes} warm envelopes each, times in ms:")
    print(f"{'':38} {'init':>8} {'first':>8} {'cold':>8} {'warm p50':>9} {'warm p99':>9}")
    for row in rows:
        print(f"{row['name']:38} {row['init']:8.0f} {row['first']:8.1f} {row['cold']:8.0f} "
              f"{row['warm_median']:9.2f} {row['warm_p99']:9.2f}")
    for row in rows[1:]:
        print(f"{row['name']}: cold {row['cold'] / baseline['cold']:.1f}x the baseline's, "
              f"warm median {row['warm_median'] / baseline['warm_median']:.1f}x")
    print(f"DynamoDB vs SQLite: cold {rows[2]['cold'] / rows[1]['cold']:.2f}x, "
          f"warm median {rows[2]['warm_median'] / rows[1]['warm_median']:.2f}x")


if __name__ == "__main__":
    main()
