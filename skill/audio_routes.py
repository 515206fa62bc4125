"""GET /audio/<name>: the rendered MP3 clips, for Alexa's AudioPlayer and SSML <audio>.

Only plain clip names are served (no folders, no hidden files, not the manifest), with range
requests for seeking and long caching for content-addressed names."""

from __future__ import annotations

import re
from pathlib import Path

from flask import Blueprint, abort, send_file

from skill.audio import CLIP_FILE

# One file name, no folder, no leading dot: "../", "%2e%2e/", "/etc/..." never match.
_SERVABLE = re.compile(r"[a-z0-9][a-z0-9._-]*\.mp3")
_A_YEAR = 365 * 24 * 3600
_A_FEW_MINUTES = 300


def audio_blueprint(audio_dir: Path) -> Blueprint:
    root = Path(audio_dir).absolute()
    blueprint = Blueprint("audio", __name__)

    @blueprint.get("/audio/<path:name>", merge_slashes=False)  # "//etc/x" is refused, not redirected
    def audio_file(name: str):
        path = root / name
        if not _SERVABLE.fullmatch(name) or not path.is_file():
            abort(404)
        addressed = CLIP_FILE.fullmatch(name)
        response = send_file(path, mimetype="audio/mpeg", conditional=True,
                             etag=addressed["digest"] if addressed else True,
                             max_age=_A_YEAR if addressed else _A_FEW_MINUTES)
        response.cache_control.public = True
        response.cache_control.immutable = bool(addressed)  # a new rendering gets a new name
        response.headers["X-Content-Type-Options"] = "nosniff"
        return response

    return blueprint
