"""`ivig-skill ask` as the evaluation drives it: the console command, one JSON object a line."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.support.server import REPO
from tests.support.personas import PERSONAS

QUESTIONS = PERSONAS.parent / "dev_questions.jsonl"


def ask(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "skill", "ask", *args], cwd=REPO, input=stdin,
                          capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("text", ["", "asdf qwer", "¿qué es?", "x" * 5000, "<b>&amp;</b>"])
def test_ask_answers_any_text_with_exit_status_0(text):
    result = ask("--json", text)
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout)
    assert answer["topic"] == "out_of_scope"
    assert answer["speech"] and "<" not in answer["speech"]
    assert answer["ssml"].startswith("<speak>") and answer["ssml"].endswith("</speak>")


def test_ask_plain_prints_the_spoken_words():
    result = ask("how long does an infusion take")
    assert result.returncode == 0 and "several hours" in result.stdout


def test_ask_reads_one_question_a_line_and_meets_the_dev_set_targets():
    rows = [json.loads(line) for line in QUESTIONS.read_text(encoding="utf-8").splitlines() if line.strip()]
    result = ask("--json", "-", stdin="".join(r["text"] + "\n" for r in rows))
    assert result.returncode == 0, result.stderr
    answers = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(answers) == len(rows)
    in_scope = [(r, a) for r, a in zip(rows, answers) if r["topics"] != ["out_of_scope"]]
    declined = [(r, a) for r, a in zip(rows, answers) if r["topics"] == ["out_of_scope"]]
    right = sum(a["topic"] in r["topics"] for r, a in in_scope) / len(in_scope)
    refused = sum(a["topic"] == "out_of_scope" for r, a in declined) / len(declined)
    wrongly_declined = sum(a["topic"] == "out_of_scope" for r, a in in_scope) / len(in_scope)
    assert right >= 0.97 and refused >= 0.95 and wrongly_declined <= 0.03, (right, refused, wrongly_declined)


def test_ask_with_a_locale():
    result = ask("--locale", "en-GB", "--json", "when should i call my doctor")
    assert json.loads(result.stdout)["topic"] == "when_to_call"
