"""A real `ivig-skill serve` process on 127.0.0.1, for tests and benchmarks."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LoggedProcess:
    """A process started for tests, its output in a log file that error messages quote."""

    def __init__(self, name: str, command: list[str], log_path: Path, **popen):
        self.name = name
        self.log = open(log_path, "w+")
        self.process = subprocess.Popen(command, stdout=self.log, stderr=subprocess.STDOUT, **popen)

    def wait_ready(self, url: str, *, any_status: bool = False, timeout: float = 30.0) -> None:
        """Until GET `url` answers 200 (or, with `any_status`, answers at all)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited: {self.output()}")
            try:
                with urllib.request.urlopen(url, timeout=1) as response:
                    if any_status or response.status == 200:
                        return
            except urllib.error.HTTPError:
                if any_status:
                    return  # it answers
                time.sleep(0.05)
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.05)  # readiness poll, not a timing assumption
        raise RuntimeError(f"{self.name} not ready: {self.output()}")

    def output(self) -> str:
        self.log.flush()
        self.log.seek(0)
        return self.log.read()

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.log.close()


class Server(LoggedProcess):
    """A real `ivig-skill serve` process on 127.0.0.1."""

    def __init__(self, tmp: Path, *args: str, env: dict | None = None):
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        environment = {**os.environ, "IVIG_DATA_DIR": str(tmp / "data"), "PYTHONUNBUFFERED": "1", **(env or {})}
        super().__init__("server", [sys.executable, "-m", "skill", "serve", "--port", str(self.port), *args],
                         tmp / "server.log", cwd=REPO, env=environment)
        self.wait_ready(self.url + "/health")

    def request(self, body: bytes, content_type: str = "application/json", path: str = "/alexa",
                headers: dict | None = None) -> tuple[int, bytes]:
        req = urllib.request.Request(self.url + path, data=body, method="POST",
                                     headers={"Content-Type": content_type, **(headers or {})})
        try:
            with urllib.request.urlopen(req, timeout=30) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.read()

    def post(self, envelope: dict) -> tuple[int, dict]:
        status, body = self.request(json.dumps(envelope).encode())
        try:
            return status, json.loads(body)
        except ValueError:
            return status, {}
