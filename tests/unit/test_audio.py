"""The audio guide's rendering: gTTS's own code runs against a fake of Google's endpoint (the
`responses` library at the HTTP boundary) that answers with real MP3 made here; every file is
then checked for Alexa's format with mutagen (headers) and miniaudio (a full decode)."""

from __future__ import annotations

import array
import base64
import json
import math
import urllib.parse
from functools import cache
from pathlib import Path

import lameenc
import miniaudio
import mutagen.mp3
import pytest
import requests
import responses

from skill import audio, knowledge
from skill.audio import ClipText

GOOGLE_URL = "https://translate.google.com/_/TranslateWebserverUi/data/batchexecute"
needs_espeak = pytest.mark.skipif(not audio.espeak_available(),
                                  reason="the offline voice needs espeak-ng (apt-get install espeak-ng)")


# --- a fake of Google's text-to-speech endpoint ----------------------------------------------------


@cache
def _one_second_tone() -> array.array:
    return array.array("h", (int(6000 * math.sin(2 * math.pi * 220 * i / 24_000)) for i in range(24_000)))


def google_like_mp3(seconds: float, *, bitrate: int = 32, sample_rate: int = 24_000) -> bytes:
    """MP3 the way Google's service sends it: mono MPEG-2 layer III, 24 kHz, 32 kbps."""
    samples = (_one_second_tone() * math.ceil(seconds))[: int(seconds * 24_000)]
    encoder = lameenc.Encoder()
    encoder.set_bit_rate(bitrate)
    encoder.set_in_sample_rate(24_000)
    encoder.set_out_sample_rate(sample_rate)
    encoder.set_channels(1)
    return bytes(encoder.encode(samples.tobytes()) + encoder.flush())


def text_in(request) -> str:
    """The words gTTS put in a batchexecute request: f.req=[[["jQ1olc","[text,lang,speed,null]",..]]]."""
    body = request.body.decode() if isinstance(request.body, bytes) else request.body
    rpc = json.loads(urllib.parse.parse_qs(body)["f.req"][0])
    return json.loads(rpc[0][0][1])[0]


class FakeGoogle:
    """Answers like Google's endpoint: audio for every text part, until told to fail."""

    def __init__(self, mock: responses.RequestsMock, *, chars_per_second: float = 60.0):
        self.texts: list[str] = []
        self.chars_per_second = chars_per_second
        self.fail_after: int | None = None  # requests answered before the network "goes away"
        self.failure: BaseException = requests.ConnectionError("Failed to resolve 'translate.google.com'")
        mock.add_callback(responses.POST, GOOGLE_URL, callback=self._answer)

    def _answer(self, request):
        if self.fail_after is not None and len(self.texts) >= self.fail_after:
            raise self.failure
        text = text_in(request)
        self.texts.append(text)
        mp3 = google_like_mp3(max(0.3, len(text) / self.chars_per_second))
        payload = base64.b64encode(mp3).decode("ascii")
        body = f')]}}\'\n\n123\n[["wrb.fr","jQ1olc","[\\"{payload}\\"]",null,null,null,"generic"]]\n'
        return 200, {"Content-Type": "application/json; charset=utf-8"}, body


@pytest.fixture
def google():
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        yield FakeGoogle(mock)


@pytest.fixture
def no_network():
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        mock.add(responses.POST, GOOGLE_URL,
                 body=requests.ConnectionError("Failed to resolve 'translate.google.com'"))
        yield mock


def clips(*texts: str) -> list[ClipText]:
    return [ClipText(f"article-part-{n}", "article", f"Part {n}", audio.speech_text(t), f"article-part-{n}")
            for n, t in enumerate(texts, start=1)]


def assert_alexa_format(path: Path) -> float:
    """Checked here without the module's own check: MPEG-2 layer III, 48 kbps, 24 kHz, <= 240 s."""
    info = mutagen.mp3.MP3(path).info
    assert (info.version, info.layer, info.bitrate, info.sample_rate) == (2, 3, 48_000, 24_000), path.name
    decoded = miniaudio.decode_file(str(path), nchannels=1, sample_rate=24_000)
    seconds = decoded.num_frames / decoded.sample_rate
    assert 0 < seconds <= 240, path.name
    return seconds


def assert_consistent(audio_dir: Path) -> dict:
    """Nothing half-written, every listed file there and well-formed, no file left unlisted."""
    manifest = json.loads((audio_dir / "manifest.json").read_text())
    listed = {entry["file"] for entry in manifest["clips"].values()}
    assert sorted(p.name for p in audio_dir.glob("*.mp3")) == sorted(listed)
    assert [p.name for p in audio_dir.iterdir() if p.name.startswith(".")] == []
    for entry in manifest["clips"].values():
        assert_alexa_format(audio_dir / entry["file"])
    return manifest


# --- the words ------------------------------------------------------------------------------------


@pytest.mark.parametrize("text, spoken", [
    ("IVIG is safe.", "I.V.I.G. is safe."),
    ("Intravenous immunoglobulin (IVIG) is a dose.", "Intravenous immunoglobulin (I.V.I.G.) is a dose."),
    ("How long will I need IVIG?", "How long will I need I.V.I.G.?"),
    ("You may need IVIG.", "You may need I.V.I.G."),
    ("include:\nHIV.\nCOVID-19.\nLupus.", "include: H.I.V. COVID 19. Lupus."),
    ("- Headache\n- Fever", "Headache. Fever."),
    ("Risks / Benefits\n\nIt's safe.", "Risks and Benefits. It's safe."),
    ("It\u2019s safe, effective and low-risk.", "It's safe, effective and low-risk."),
])
def test_speech_text_spells_acronyms_and_drops_symbols(text, spoken):
    assert audio.speech_text(text) == spoken


def test_the_guide_holds_every_topic_and_every_sentence_of_the_article():
    texts = audio.guide_texts()
    ids = [t.id for t in texts]
    assert len(ids) == len(set(ids))
    assert {t.id for t in texts if t.kind == "topic"} == {f"topic-{tid.replace('_', '-')}" for tid in knowledge.TOPIC_IDS}
    spoken = " ".join(t.text for t in texts if t.kind == "article")
    for section in knowledge.article_sections():
        for line in section.text.splitlines():
            if line.strip():
                assert audio.speech_text(line) in spoken


def test_a_long_section_is_split_on_sentence_boundaries():
    sentence = "Your provider will infuse IVIG slowly through a vein in your arm over several hours."
    long_section = knowledge.Section("Treatment Details", "How does it work?\n\n" + " ".join([sentence] * 60))
    parts = audio.article_texts([long_section])
    assert len(parts) >= 3
    assert [p.id for p in parts][:2] == ["article-how-does-it-work", "article-how-does-it-work-2"]
    assert {p.section for p in parts} == {"article-how-does-it-work"}
    assert parts[0].text.startswith("Treatment Details. How does it work? Your provider")
    for part in parts:
        assert len(part.text) <= audio.CHUNK_CHARS + 60
        assert part.text.endswith("hours.")


# --- rendering --------------------------------------------------------------------------------------


def test_render_all_writes_the_guide_in_alexas_format(google, tmp_path):
    echoed: list[str] = []
    report = audio.render_all(tmp_path, progress=False, echo=echoed.append)

    manifest = assert_consistent(tmp_path)
    expected = audio.guide_texts()
    assert list(manifest["clips"]) == [t.id for t in expected]
    assert manifest["article"] == [t.id for t in expected if t.kind == "article"]
    for text in expected:
        entry = manifest["clips"][text.id]
        assert entry["engine"] == "gtts"
        assert (tmp_path / entry["file"]).stat().st_mode & 0o777 == 0o644  # readable by a web server
        assert entry["sha256"] == text.sha256
        assert entry["duration_seconds"] == pytest.approx(assert_alexa_format(tmp_path / entry["file"]), abs=0.01)
    assert report.rendered == tuple(t.id for t in expected) and report.offline_reason is None
    assert "I.V.I.G." in " ".join(google.texts) and "IVIG" not in " ".join(google.texts)
    assert echoed == [f"Audio guide in {tmp_path}: {len(expected)} clip(s) rendered, 0 unchanged."]


def test_only_changed_words_are_rendered_again(google, tmp_path):
    first = clips("IVIG is a dose of antibodies.", "Side effects are rare.", "Ask your provider.")
    audio.render_clips(tmp_path, first, progress=False, echo=lambda line: None)
    before = json.loads((tmp_path / "manifest.json").read_text())["clips"]
    asked = len(google.texts)

    second = [*first[:1], clips("x", "Side effects are rare and usually mild.")[1], first[2]]
    report = audio.render_clips(tmp_path, second, progress=False, echo=lambda line: None)

    after = assert_consistent(tmp_path)["clips"]
    assert report.rendered == ("article-part-2",)
    assert report.unchanged == ("article-part-1", "article-part-3")
    assert google.texts[asked:] == ["Side effects are rare and usually mild."]
    assert after["article-part-1"] == before["article-part-1"]
    assert after["article-part-2"]["file"] != before["article-part-2"]["file"]
    assert report.removed == (before["article-part-2"]["file"],)


def test_without_network_and_without_fallback_it_fails_in_one_clear_line(no_network, tmp_path):
    with pytest.raises(audio.SpeechServiceUnavailable) as failure:
        audio.render_clips(tmp_path, clips("IVIG is safe."), progress=False, echo=lambda line: None)

    message = str(failure.value)
    assert message.startswith("Google's text-to-speech service could not be reached (Failed to connect")
    assert "\n" not in message and "--allow-offline" in message
    assert assert_consistent(tmp_path)["clips"] == {}


def test_a_refusal_from_google_is_told_apart_from_no_network(tmp_path):
    with responses.RequestsMock() as mock:
        mock.add(responses.POST, GOOGLE_URL, status=403)
        with pytest.raises(audio.SpeechServiceUnavailable) as failure:
            audio.render_clips(tmp_path, clips("IVIG is safe."), progress=False, echo=lambda line: None)
    assert str(failure.value).startswith(
        "Google's text-to-speech service refused the request (403 (Forbidden) from TTS API).")


def test_fallback_allowed_but_espeak_missing_is_a_clean_error(no_network, tmp_path, monkeypatch):
    monkeypatch.setattr(audio, "espeak_available", lambda: False)
    with pytest.raises(audio.SpeechServiceUnavailable, match=r"espeak-ng is not installed \(apt-get install"):
        audio.render_clips(tmp_path, clips("IVIG is safe."), allow_offline=True, progress=False,
                           echo=lambda line: None)
    assert assert_consistent(tmp_path)["clips"] == {}


@needs_espeak
def test_without_network_it_falls_back_to_espeak_and_says_so_once(no_network, tmp_path):
    echoed: list[str] = []
    report = audio.render_clips(tmp_path, clips("IVIG is safe.", "Side effects are rare."),
                                allow_offline=True, progress=False, echo=echoed.append)

    manifest = assert_consistent(tmp_path)
    assert {e["engine"] for e in manifest["clips"].values()} == {"espeak-ng (offline)"}
    warnings = [line for line in echoed if "could not be reached" in line]
    assert warnings == ["Google's text-to-speech service could not be reached (Failed to connect: "
                        "ConnectionError); rendering with espeak-ng instead."]
    assert report.offline_reason == warnings[0].split(";")[0]


@needs_espeak
def test_offline_clips_are_kept_offline_and_replaced_once_googles_voice_is_wanted(tmp_path):
    texts = clips("IVIG is safe.")
    with responses.RequestsMock() as mock:
        mock.add(responses.POST, GOOGLE_URL, body=requests.ConnectionError("no route to host"))
        audio.render_clips(tmp_path, texts, allow_offline=True, progress=False, echo=lambda line: None)
        again = audio.render_clips(tmp_path, texts, allow_offline=True, progress=False, echo=lambda line: None)
    assert again.unchanged == ("article-part-1",)

    with responses.RequestsMock() as mock:
        FakeGoogle(mock)
        upgraded = audio.render_clips(tmp_path, texts, progress=False, echo=lambda line: None)
    assert upgraded.rendered == ("article-part-1",)
    assert assert_consistent(tmp_path)["clips"]["article-part-1"]["engine"] == "gtts"


def test_when_the_network_goes_away_midway_the_finished_clips_are_kept(google, tmp_path):
    google.fail_after = 2
    texts = clips("First part.", "Second part.", "Third part.", "Fourth part.")
    with pytest.raises(audio.SpeechServiceUnavailable):
        audio.render_clips(tmp_path, texts, progress=False, echo=lambda line: None)
    assert list(assert_consistent(tmp_path)["clips"]) == ["article-part-1", "article-part-2"]

    google.fail_after = None
    report = audio.render_clips(tmp_path, texts, progress=False, echo=lambda line: None)
    assert report.rendered == ("article-part-3", "article-part-4")
    assert len(assert_consistent(tmp_path)["clips"]) == 4


def _interrupt_in_http(google, monkeypatch):
    google.fail_after, google.failure = 2, KeyboardInterrupt()


def _interrupt_before_rename(google, monkeypatch):
    """Ctrl-C after the third file's bytes are on disk but before it is renamed into place."""
    real_check, calls = audio.check_alexa_mp3, []

    def check_then_interrupt(path):
        calls.append(path)
        if len(calls) == 3:
            assert path.name.startswith(".") and path.exists()  # the hidden temporary file
            raise KeyboardInterrupt
        return real_check(path)

    monkeypatch.setattr(audio, "check_alexa_mp3", check_then_interrupt)


@pytest.mark.parametrize("interrupt", [_interrupt_in_http, _interrupt_before_rename])
def test_an_interrupt_mid_render_leaves_no_partial_file(google, tmp_path, monkeypatch, interrupt):
    texts = clips("One.", "Two.", "Three.", "Four.")
    interrupt(google, monkeypatch)
    with pytest.raises(KeyboardInterrupt):
        audio.render_clips(tmp_path, texts, progress=False, echo=lambda line: None)

    assert list(assert_consistent(tmp_path)["clips"]) == ["article-part-1", "article-part-2"]
    monkeypatch.undo()
    google.fail_after = None
    assert audio.render_clips(tmp_path, texts, progress=False, echo=lambda line: None).rendered == (
        "article-part-3", "article-part-4")


def test_the_progress_bar_goes_to_stderr(google, tmp_path, capsys):
    audio.render_clips(tmp_path, clips("One.", "Two."), progress=True)
    out, err = capsys.readouterr()
    assert "Rendering audio" in err
    assert out == f"Audio guide in {tmp_path}: 2 clip(s) rendered, 0 unchanged.\n"


def test_leftovers_of_a_killed_run_are_cleaned_up(google, tmp_path):
    (tmp_path / ".article-part-1.abc.mp3.abcd.tmp").write_bytes(b"half")
    (tmp_path / "article-part-9.0123456789ab.mp3").write_bytes(b"orphan")
    audio.render_clips(tmp_path, clips("One."), progress=False, echo=lambda line: None)
    assert list(assert_consistent(tmp_path)["clips"]) == ["article-part-1"]


# --- the format check -------------------------------------------------------------------------------


@pytest.mark.parametrize("mp3, complaint", [
    (lambda: google_like_mp3(2), "32 kbps"),
    (lambda: google_like_mp3(2, bitrate=48, sample_rate=44_100), "MPEG-1 layer 3"),
    (lambda: google_like_mp3(241, bitrate=48), "241 s long"),
    (lambda: b"not an mp3 at all" * 100, "not a playable MP3"),
])
def test_files_alexa_would_refuse_are_refused(tmp_path, mp3, complaint):
    path = tmp_path / "clip.mp3"
    path.write_bytes(mp3())
    with pytest.raises(audio.AudioRenderError, match=complaint):
        audio.check_alexa_mp3(path)


def test_conversion_turns_googles_mp3_into_alexas_format(tmp_path):
    path = tmp_path / "clip.mp3"
    path.write_bytes(audio.to_alexa_mp3(google_like_mp3(3)))
    assert audio.check_alexa_mp3(path) == pytest.approx(assert_alexa_format(path))
    assert assert_alexa_format(path) == pytest.approx(3, abs=0.2)


def test_check_audio_dir_finds_missing_stale_and_broken_clips(google, tmp_path):
    texts = clips("One.", "Two.")
    audio.render_clips(tmp_path, texts, progress=False, echo=lambda line: None)
    assert list(audio.check_audio_dir(tmp_path, texts).clips) == ["article-part-1", "article-part-2"]

    with pytest.raises(audio.AudioRenderError, match=r"1 clip\(s\) .* missing or out of date \(first: article-part-3\)"):
        audio.check_audio_dir(tmp_path, [*texts, *clips("a", "b", "Three.")[2:]])
    with pytest.raises(audio.AudioRenderError, match="first: article-part-2"):
        audio.check_audio_dir(tmp_path, [texts[0], clips("x", "Two, changed.")[1]])
    broken = tmp_path / audio.read_manifest(tmp_path).clips["article-part-1"].file
    broken.write_bytes(google_like_mp3(1))
    with pytest.raises(audio.AudioRenderError, match="32 kbps"):
        audio.check_audio_dir(tmp_path, texts)


# --- one clip, for `chat --speak` -------------------------------------------------------------------


def test_render_text_writes_one_clip(google, tmp_path):
    out = audio.render_text("Is IVIG safe in pregnancy?", tmp_path / "reply.mp3", allow_offline=False)
    assert out == tmp_path / "reply.mp3"
    assert_alexa_format(out)
    assert google.texts == ["Is I.V.I.G. safe in pregnancy?"]
    assert [p.name for p in tmp_path.iterdir()] == ["reply.mp3"]


@needs_espeak
def test_a_conversation_that_reuses_its_voice_hears_about_the_fallback_once(no_network, tmp_path):
    echoed: list[str] = []
    voice = audio.Voice(allow_offline=True, echo=echoed.append)
    for n, reply in enumerate(["Hello.", "IVIG is safe.", "Goodbye."]):
        assert_alexa_format(audio.render_text(reply, tmp_path / f"{n}.mp3", allow_offline=True, voice=voice))
    assert len(echoed) == 1 and "rendering with espeak-ng instead" in echoed[0]


def test_render_text_without_network_or_fallback_writes_nothing(no_network, tmp_path):
    with pytest.raises(audio.SpeechServiceUnavailable, match="could not be reached"):
        audio.render_text("Hello.", tmp_path / "reply.mp3", allow_offline=False)
    assert list(tmp_path.iterdir()) == []


# --- the manifest as the skill reads it -------------------------------------------------------------


def test_the_manifest_gives_the_reading_order(google, tmp_path):
    texts = clips("One.", "Two.", "Three.")
    audio.render_clips(tmp_path, texts, progress=False, echo=lambda line: None)
    manifest = audio.load_manifest(tmp_path)

    assert manifest.first().id == "article-part-1"
    assert manifest.next_after("article-part-1").id == "article-part-2"
    assert manifest.next_after("article-part-3") is None
    assert manifest.previous_before("article-part-2").id == "article-part-1"
    assert manifest.previous_before("article-part-1") is None
    assert manifest.section_start("article-part-3").id == "article-part-3"
    assert manifest.section_start("nowhere") is None


@pytest.mark.parametrize("content", ["", "{not json", '{"clips": []}', '{"version": 1, "clips": {}, "article": 3}'])
def test_a_missing_or_broken_manifest_reads_as_no_audio(tmp_path, content):
    if content:
        (tmp_path / "manifest.json").write_text(content)
    assert audio.load_manifest(tmp_path) == audio.EMPTY_MANIFEST
