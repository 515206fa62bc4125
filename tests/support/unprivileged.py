"""Running part of a test as someone who cannot write a folder, for real: root writes
anywhere, so as root that part runs as the unprivileged user `nobody` (in a forked child); as anyone else the folder's mode does it."""

from __future__ import annotations

import os
import pickle
import pwd
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path

ROOT = os.geteuid() == 0


def _nobody() -> tuple[int, int]:
    entry = pwd.getpwnam("nobody")
    return entry.pw_uid, entry.pw_gid


@contextmanager
def private_folder():
    """A folder the unprivileged user owns and reaches (pytest's own tmp folders are root's, 700)."""
    folder = Path(tempfile.mkdtemp(prefix="ivig-test-"))
    os.chmod(folder, 0o755)
    inner = folder / "data"
    inner.mkdir()
    if ROOT:
        os.chown(inner, *_nobody())
    try:
        yield inner
    finally:
        for path in (folder, *folder.rglob("*")):
            os.chmod(path, 0o700) if path.is_dir() else None
        shutil.rmtree(folder)


def make_read_only(folder: Path) -> None:
    """The folder and what is in it can no longer be written by the unprivileged user."""
    for path in folder.iterdir():
        os.chmod(path, 0o444)
    os.chmod(folder, 0o555)


def run_unprivileged(function):
    """Runs `function()` in a forked child as the unprivileged user; returns its result, or
    raises RuntimeError naming the exception it raised (type and message)."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns into pytest
        try:
            os.close(read)
            if ROOT:
                uid, gid = _nobody()
                os.setgroups([])
                os.setgid(gid)
                os.setuid(uid)
            try:
                outcome = ("returned", function())
            except BaseException as error:  # noqa: BLE001 - reported to the parent
                outcome = ("raised", type(error).__name__, str(error))
            with os.fdopen(write, "wb") as pipe:
                pickle.dump(outcome, pipe)
        finally:
            os._exit(0)
    os.close(write)
    with os.fdopen(read, "rb") as pipe:
        data = pipe.read()
    os.waitpid(pid, 0)
    if not data:
        raise RuntimeError("the child reported nothing")
    outcome = pickle.loads(data)
    if outcome[0] == "raised":
        raise ChildRaised(*outcome[1:])
    return outcome[1]


class ChildRaised(RuntimeError):
    def __init__(self, kind: str, message: str):
        super().__init__(f"{kind}: {message}")
        self.kind, self.message = kind, message
