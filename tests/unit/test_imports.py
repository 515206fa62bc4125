"""Answering never loads the audio stack (imported only to render or check audio), nor numpy
(the trained models are read without it; only training and audio use it), nor, with
verification off, the certificate stack."""

from __future__ import annotations

import subprocess
import sys

from tests.support.server import REPO

AUDIO_STACK = ("gtts", "lameenc", "miniaudio", "mutagen")
NOT_FOR_ANSWERING = (*AUDIO_STACK, "numpy", "cryptography", "certifi", "requests")


def test_serving_and_answering_load_no_audio_stack_and_no_numpy(tmp_path):
    program = f"""
import json, sys
from pathlib import Path
from skill.config import Settings
from skill.web import create_app
from tests.support.envelopes import SKILL_ID, intent, launch
app = create_app(Settings(skill_id=SKILL_ID, verify_signature=False, verify_timestamp=False, data_dir=Path({str(tmp_path)!r})))
client = app.test_client()
for body in (launch(), intent("AskQuestionIntent", {{"query": "how long does an infusion take"}}),
             intent("StartSymptomCheckIntent"), intent("ReportSymptomIntent", {{"description": "I feel dizzy"}})):
    assert client.post("/alexa", data=json.dumps(body), content_type="application/json").status_code == 200
print(json.dumps(sorted(m for m in {NOT_FOR_ANSWERING!r} if m in sys.modules)))
"""
    done = subprocess.run([sys.executable, "-c", program], cwd=REPO, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "[]", done.stderr
