"""GET /audio/<name> through Flask's test client, on an app holding only the audio blueprint."""

from __future__ import annotations

import pytest
from flask import Flask

from skill.audio_routes import audio_blueprint

CLIP = "article-introduction.0123456789ab.mp3"
BYTES = bytes(range(256)) * 40  # the route serves bytes; their format is test_audio.py's business


@pytest.fixture
def client(tmp_path):
    audio_dir = tmp_path / "audio"
    audio_dir.mkdir()
    (audio_dir / CLIP).write_bytes(BYTES)
    (audio_dir / "reply.mp3").write_bytes(BYTES[:100])
    (audio_dir / "manifest.json").write_text("{}")
    (audio_dir / ".article-introduction.mp3.x1y2.tmp").write_bytes(b"half")
    (tmp_path / "secret.mp3").write_bytes(b"outside the audio folder")
    app = Flask(__name__)
    app.register_blueprint(audio_blueprint(audio_dir))
    return app.test_client()


def test_a_clip_is_served_as_mpeg_audio_cached_for_good(client):
    response = client.get(f"/audio/{CLIP}")
    assert response.status_code == 200
    assert response.mimetype == "audio/mpeg"
    assert response.data == BYTES
    assert response.headers["Accept-Ranges"] == "bytes"
    assert response.headers["ETag"] == '"0123456789ab"'
    cache = response.cache_control
    assert (cache.public, cache.max_age, cache.immutable) == (True, 365 * 24 * 3600, True)


def test_a_name_that_is_not_content_addressed_is_cached_briefly(client):
    response = client.get("/audio/reply.mp3")
    assert response.status_code == 200
    assert response.cache_control.max_age == 300 and not response.cache_control.immutable
    assert response.headers["ETag"]


def test_a_range_request_gets_206_partial_content(client):
    response = client.get(f"/audio/{CLIP}", headers={"Range": "bytes=100-199"})
    assert response.status_code == 206
    assert response.data == BYTES[100:200]
    assert response.headers["Content-Range"] == f"bytes 100-199/{len(BYTES)}"
    assert response.mimetype == "audio/mpeg"


def test_an_open_ended_range_and_an_unsatisfiable_one(client):
    tail = client.get(f"/audio/{CLIP}", headers={"Range": "bytes=-10"})
    assert (tail.status_code, tail.data) == (206, BYTES[-10:])
    beyond = client.get(f"/audio/{CLIP}", headers={"Range": f"bytes={len(BYTES) + 5}-"})
    assert beyond.status_code == 416


def test_a_revalidation_with_the_etag_gets_304(client):
    response = client.get(f"/audio/{CLIP}", headers={"If-None-Match": '"0123456789ab"'})
    assert response.status_code == 304 and response.data == b""


def test_head_gives_the_headers_without_the_body(client):
    response = client.head(f"/audio/{CLIP}")
    assert response.status_code == 200
    assert response.headers["Content-Length"] == str(len(BYTES)) and response.data == b""


@pytest.mark.parametrize("path", [
    "/audio/article-missing.0123456789ab.mp3",
    "/audio/manifest.json",
    "/audio/.article-introduction.mp3.x1y2.tmp",
    "/audio/",
])
def test_missing_or_private_files_are_404(client, path):
    assert client.get(path).status_code == 404


@pytest.mark.parametrize("path", [
    "/audio/../secret.mp3",
    "/audio/%2e%2e/secret.mp3",
    "/audio/..%2fsecret.mp3",
    "/audio/%2e%2e%2fsecret.mp3",
    "/audio/..%5csecret.mp3",
    "/audio//etc/passwd",
    "/audio/%2fetc%2fpasswd",
    "/audio/sub/../../secret.mp3",
    "/audio/....//secret.mp3",
])
def test_path_traversal_is_refused(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert b"outside the audio folder" not in response.data
