"""Golden transcripts: whole conversations, replayed through the real `ivig-skill chat` command.

Each tests/conversations/*.txt is a transcript exactly as `ivig-skill chat` prints it: "#"
comments saying what the journey shows, "you> " lines (what the person says), "alexa> " lines
(every word the skill says, wrapped at 100 columns), and "-- session ends --" where Alexa closes
the session. A "# options: ..." comment passes options to the command (e.g. --locale en-GB), and
a "# env: NAME=value ..." comment sets the deployment's environment (e.g. IVIG_KEEP_HEALTH_DATA=true).

The test feeds the file to the command on stdin (only the "you> " lines are said), with a fresh
IVIG_DATA_DIR, and compares what it prints with the file. When the wording changes on purpose,
regenerate and review the diff before committing:

    UPDATE_GOLDEN=1 python -m pytest tests/conversations
    git diff tests/conversations
"""

from __future__ import annotations

import difflib
import json
import os
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
TRANSCRIPTS = sorted(HERE.glob("*.txt"))
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"


def chat_command() -> list[str]:
    """The installed console command beside this Python, else the same entry point via -m."""
    script = Path(sys.executable).with_name("ivig-skill")
    return [str(script)] if script.exists() else [sys.executable, "-m", "skill"]


def options(transcript: str) -> list[str]:
    for line in transcript.splitlines():
        if line.startswith("# options:"):
            return shlex.split(line.partition(":")[2])
    return []


def environment(transcript: str) -> dict[str, str]:
    for line in transcript.splitlines():
        if line.startswith("# env:"):
            return dict(item.split("=", 1) for item in shlex.split(line.partition(":")[2]))
    return {}


def replay(transcript: str, data_dir: Path) -> str:
    env = {**os.environ, "IVIG_DATA_DIR": str(data_dir), "PYTHONUNBUFFERED": "1"}
    for name in ("ALEXA_SKILL_ID", "IVIG_HISTORY", "IVIG_KEEP_HEALTH_DATA", "IVIG_AUDIO_BASE_URL"):
        env.pop(name, None)  # the defaults, unless the transcript says otherwise
    env.update(environment(transcript))
    done = subprocess.run([*chat_command(), "chat", *options(transcript)], input=transcript, text=True,
                          capture_output=True, cwd=REPO, env=env, timeout=120)
    assert done.returncode == 0, f"ivig-skill chat failed ({done.returncode}):\n{done.stderr}"
    return done.stdout


@pytest.mark.slow
@pytest.mark.parametrize("path", TRANSCRIPTS, ids=[p.stem for p in TRANSCRIPTS])
def test_conversation_goes_as_written(path, tmp_path):
    expected = path.read_text(encoding="utf-8")
    actual = replay(expected, tmp_path / "data")
    if UPDATE:
        if actual != expected:
            path.write_text(actual, encoding="utf-8")
        return
    if actual != expected:
        diff = "".join(difflib.unified_diff(expected.splitlines(keepends=True), actual.splitlines(keepends=True),
                                            fromfile=f"{path.name} (golden)", tofile=f"{path.name} (replayed)"))
        pytest.fail(f"The conversation changed:\n{diff}\nIf the change is intended: "
                    f"UPDATE_GOLDEN=1 python -m pytest tests/conversations, then review git diff.",
                    pytrace=False)


def test_there_are_transcripts():
    assert len(TRANSCRIPTS) >= 10


def test_a_plain_script_replays_to_the_same_transcript(tmp_path):
    """One utterance a line, as a person would write it: the same conversation comes out."""
    golden = HERE / "05-check-mild-own-words.txt"
    expected = golden.read_text(encoding="utf-8")
    script = "".join(line[len("you> "):] if line.startswith("you> ") else line
                     for line in expected.splitlines(keepends=True)
                     if line.startswith(("you> ", "#")))
    assert "alexa>" not in script and "you>" not in script
    assert replay(script, tmp_path / "data") == expected


def test_show_prints_the_reprompt_the_card_and_the_session_state(tmp_path):
    env = {**os.environ, "IVIG_DATA_DIR": str(tmp_path / "data")}
    done = subprocess.run([*chat_command(), "chat", "--show", "reprompt", "--show", "card", "--show", "state"],
                          input="check my symptoms\nmy lips have gone puffy\n", text=True, capture_output=True,
                          cwd=REPO, env=env, timeout=120, check=True)
    lines = done.stdout.splitlines()
    states = [json.loads(line.removeprefix("  state: ")) for line in lines if line.startswith("  state: ")]
    assert states[0]["symptom_check"]["asking"] == ["breathing", "throat_swelling"]
    assert states[1]["symptom_check"]["outcome"] == "emergency"
    assert any(line.startswith("  reprompt: If you can't answer, or you're not sure, call 911 now. Are you having")
               for line in lines)
    assert any(line.startswith("  card: ") and "emergency" in line for line in lines)
