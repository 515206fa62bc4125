"""Starting `ivig-skill serve` where the data cannot be kept: a clear message and a non-zero
exit status, never a traceback, and never a silent new hashing key."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from skill.store import SQLiteAdapter
from tests.support.envelopes import launch
from tests.support.server import REPO
from tests.support.unprivileged import make_read_only, private_folder, run_unprivileged

pytestmark = pytest.mark.slow


def serve(data_dir) -> subprocess.CompletedProcess:
    """`ivig-skill serve` that must refuse to start (so it returns instead of serving)."""
    env = {**os.environ, "IVIG_DATA_DIR": str(data_dir)}
    env.pop("IVIG_HASH_KEY", None)
    return subprocess.run([sys.executable, "-m", "skill", "serve", "--no-verify", "--port", "9"],
                          cwd=REPO, env=env, capture_output=True, text=True, timeout=60)


def test_serving_from_a_read_only_data_folder_says_so_without_a_traceback():
    """Run as an unprivileged user (this machine's interpreter may live where that user can't
    reach it, so the command runs in a forked child, through click's runner, with what it
    imports imported first)."""
    from click.testing import CliRunner

    import skill.web  # noqa: F401 - imported before the child can no longer read the interpreter's files
    from skill.cli import main

    def start():
        result = CliRunner().invoke(main, ["serve", "--no-verify", "--data-dir", str(folder)])
        return result.exit_code, result.output, repr(result.exception)

    with private_folder() as folder:
        make_read_only(folder)
        exit_code, output, exception = run_unprivileged(start)
    assert exit_code == 1, exception
    assert f"Error: The data folder {folder} is not writable" in output and "IVIG_DATA_DIR" in output
    assert exception.startswith("SystemExit")  # a message, not a traceback


def test_serving_without_the_key_file_of_a_database_in_use_says_so(tmp_path):
    from ask_sdk_core.serialize import DefaultSerializer
    from ask_sdk_model import RequestEnvelope
    import json

    store = SQLiteAdapter(tmp_path / "ivig-skill.sqlite3")
    store.save_attributes(DefaultSerializer().deserialize(json.dumps(launch()), RequestEnvelope), {"welcomed": True})
    (tmp_path / "ivig-skill.key").unlink()
    result = serve(tmp_path)
    assert result.returncode != 0
    assert "ivig-skill.key is missing" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "ivig-skill.key").exists()
