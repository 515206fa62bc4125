"""The audio guide: each topic's answer and each part of the article rendered to MP3 that Alexa
plays, with a manifest so that a re-run renders only the clips whose words changed.

Speech comes from Google's voice (gTTS) or, offline and only when allowed, from espeak-ng;
lameenc re-encodes it to Alexa's format and mutagen plus miniaudio check every file written."""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType

from skill import knowledge

# The audio stack (gTTS, lameenc, miniaudio with numpy, mutagen) is imported where audio is
# rendered or checked, never by answering: the handlers read manifests and clip names only.

# What Alexa accepts in SSML <audio> (and so everywhere): MPEG-2 layer III at 48 kbps,
# 24 000 or 22 050 Hz, at most 240 seconds a file.
SAMPLE_RATE = 24_000
ALEXA_SAMPLE_RATES = (24_000, 22_050)
BITRATE_KBPS = 48
MAX_SECONDS = 240.0
# About a hundred seconds of speech: long parts become several clips, each well under the limit.
CHUNK_CHARS = 1_500

MANIFEST_NAME = "manifest.json"
MANIFEST_VERSION = 1
GTTS = "gtts"
ESPEAK = "espeak-ng (offline)"
_GTTS_TIMEOUT = (5.0, 30.0)  # connect, read: an unreachable service fails fast, not never
_ESPEAK_COMMAND = ("espeak-ng", "-v", "en-us", "-s", "160", "--stdout", "--stdin")
# A rendered clip's file: its id and the start of its MP3's sha256, so a new rendering gets a
# new name and a name can be cached for ever.
CLIP_FILE = re.compile(r"(?P<clip>[a-z0-9-]+)\.(?P<digest>[0-9a-f]{12})\.mp3")


class AudioRenderError(Exception):
    """Rendering could not be done; the message is one line a person can act on."""


class SpeechServiceUnavailable(AudioRenderError):
    """Google's text-to-speech service could not be used and no fallback was allowed or possible."""


# --- the words ---------------------------------------------------------------------------------

# Said letter by letter by both voices; the periods keep gTTS from reading "ivig" as a word.
_SPELLED = {"IVIG": "I.V.I.G.", "HIV": "H.I.V."}
_SPELLED_WORD = re.compile(r"\b(IVIG|HIV)\b\.?")
_SENTENCE_END = re.compile(r"(?<=[.?!])\s+(?=[A-Z0-9(\"'])")


def speech_text(text: str) -> str:
    """Text as the voices should read it: one line per sentence joined, list items and headings
    ending in a pause, acronyms spelled out, no symbols that would be read aloud."""
    sentences = []
    for line in text.replace("\u2019", "'").splitlines():
        line = line.strip().lstrip("#-*• ").strip()
        if line:
            sentences.append(line if line[-1] in ".?!:;," else line + ".")
    words = " ".join(sentences)
    words = _SPELLED_WORD.sub(lambda m: _SPELLED[m.group(1)], words)
    words = words.replace("COVID-19", "COVID 19").replace(" / ", " and ")
    return re.sub(r"\s+", " ", words).strip()


@dataclass(frozen=True)
class ClipText:
    """One clip to render: its id, what kind of thing it is, and the words spoken."""

    id: str
    kind: str  # "topic" or "article"
    title: str
    text: str  # already speech_text()
    section: str | None = None  # article clips: the part of the article a person can ask for

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()


def slug(words: str, limit: int = 48) -> str:
    """"Recovery and Outlook" -> "recovery-and-outlook", cut at a word if long."""
    text = re.sub(r"[^a-z0-9]+", "-", words.lower()).strip("-")
    if len(text) > limit:
        text = text[:limit].rsplit("-", 1)[0]
    return text or "part"


def guide_texts() -> tuple[ClipText, ...]:
    """Every clip of the guide: each topic's answer, then the article in reading order."""
    topics = [ClipText(f"topic-{slug(t.id)}", "topic", t.title, speech_text(t.answer))
              for t in knowledge.topics().values()]
    return (*topics, *article_texts(knowledge.article_sections()))


def article_texts(sections: Iterable[knowledge.Section]) -> tuple[ClipText, ...]:
    """The article as clips: a new clip at every question heading (so "next" moves by question),
    and long stretches split on sentence boundaries. A section's title opens its first clip."""
    clips: list[ClipText] = []
    seen: set[str] = set()
    for section in sections:
        for index, (heading, blocks) in enumerate(_parts(section)):
            section_id = _unique(f"article-{slug(heading)}", seen)
            opening = [section.title, heading] if index == 0 and heading != section.title else [heading]
            for number, chunk in enumerate(_chunks(blocks), start=1):
                words = "\n".join([*opening, chunk]) if number == 1 else chunk
                clip_id = section_id if number == 1 else f"{section_id}-{number}"
                clips.append(ClipText(clip_id, "article", heading, speech_text(words), section_id))
    return tuple(clips)


def _parts(section: knowledge.Section) -> list[tuple[str, list[str]]]:
    """A section's blocks grouped under its question headings (a heading is a one-line block
    without a full stop); text before the first heading goes under the section's title."""
    parts: list[tuple[str, list[str]]] = [(section.title, [])]
    for block in (b.strip() for b in section.text.split("\n\n")):
        if "\n" not in block and block and block[-1] not in ".:;,":
            parts.append((block, []))
        elif block:
            parts[-1][1].append(block)
    return [(heading, blocks) for heading, blocks in parts if blocks]


def _chunks(blocks: list[str], limit: int = CHUNK_CHARS) -> list[str]:
    """Blocks packed into chunks of at most `limit` characters, broken between paragraphs
    where possible and between sentences otherwise."""
    pieces = [p for b in blocks for p in ([b] if len(b) <= limit else _SENTENCE_END.split(b))]
    chunks: list[str] = []
    for piece in pieces:
        if chunks and len(chunks[-1]) + len(piece) + 1 <= limit:
            chunks[-1] = f"{chunks[-1]}\n{piece}"
        else:
            chunks.append(piece)
    return chunks


def _unique(name: str, seen: set[str]) -> str:
    candidate, n = name, 2
    while candidate in seen:
        candidate, n = f"{name}-{n}", n + 1
    seen.add(candidate)
    return candidate


# --- the voices ---------------------------------------------------------------------------------


def espeak_available() -> bool:
    """Whether the offline voice can be used (Debian: apt-get install espeak-ng)."""
    return shutil.which(_ESPEAK_COMMAND[0]) is not None


def google_speech(text: str) -> bytes:
    """Google's MP3 for the text, through gTTS; gTTSError when the service can't be used."""
    from gtts import gTTS

    buffer = io.BytesIO()
    gTTS(text, lang="en", tld="com", lang_check=False, timeout=_GTTS_TIMEOUT).write_to_fp(buffer)
    return buffer.getvalue()


def espeak_speech(text: str) -> bytes:
    """espeak-ng's WAV for the text."""
    try:
        done = subprocess.run(_ESPEAK_COMMAND, input=text.encode("utf-8"), capture_output=True,
                              check=True, timeout=120)
    except (OSError, subprocess.SubprocessError) as error:
        raise AudioRenderError(f"espeak-ng could not render speech ({error})") from error
    return done.stdout


def _what_went_wrong(error: Exception) -> str:
    """One clause on why Google's voice can't be had: unreachable, or refused, and the cause."""
    from gtts import gTTSError

    if not isinstance(error, gTTSError):  # a connection that broke while the audio streamed in
        return f"Google's text-to-speech service could not be reached ({type(error).__name__})"
    detail = str(error.msg or error).split(". Probable cause")[0]
    if error.rsp is not None:
        return f"Google's text-to-speech service refused the request ({detail})"
    cause = f": {type(error.__context__).__name__}" if error.__context__ is not None else ""
    return f"Google's text-to-speech service could not be reached ({detail}{cause})"


class Voice:
    """Google's voice while it answers; after its first failure, espeak-ng for the rest of the
    run when that is allowed, said once. Otherwise one clean error."""

    def __init__(self, *, allow_offline: bool, echo: Callable[[str], object] = print):
        self.allow_offline = allow_offline
        self.echo = echo
        self.offline_reason: str | None = None

    def speak(self, text: str) -> tuple[bytes, str]:
        if self.offline_reason is None:
            import requests
            from gtts import gTTSError

            try:
                return google_speech(text), GTTS
            except (gTTSError, requests.RequestException) as error:
                self._switch_to_offline(_what_went_wrong(error))
        return espeak_speech(text), ESPEAK

    def _switch_to_offline(self, what: str) -> None:
        if not self.allow_offline:
            raise SpeechServiceUnavailable(
                f"{what}. Check the connection, or run again with --allow-offline to render with espeak-ng.")
        if not espeak_available():
            raise SpeechServiceUnavailable(
                f"{what}, and the offline voice espeak-ng is not installed (apt-get install espeak-ng).")
        self.offline_reason = what
        self.echo(f"{what}; rendering with espeak-ng instead.")


# --- Alexa's format -----------------------------------------------------------------------------


def to_alexa_mp3(audio: bytes) -> bytes:
    """Any MP3 or WAV -> mono MPEG-2 layer III, 48 kbps CBR, 24 000 Hz."""
    import lameenc
    import miniaudio

    try:
        decoded = miniaudio.decode(bytes(audio), output_format=miniaudio.SampleFormat.SIGNED16,
                                   nchannels=1, sample_rate=SAMPLE_RATE)
    except miniaudio.DecodeError as error:
        raise AudioRenderError(f"the speech audio could not be decoded ({error})") from error
    encoder = lameenc.Encoder()
    encoder.set_bit_rate(BITRATE_KBPS)
    encoder.set_in_sample_rate(SAMPLE_RATE)
    encoder.set_out_sample_rate(SAMPLE_RATE)
    encoder.set_channels(1)
    encoder.set_quality(2)
    return bytes(encoder.encode(decoded.samples.tobytes()) + encoder.flush())


def check_alexa_mp3(path: Path) -> float:
    """The file's duration in seconds if Alexa will play it; AudioRenderError saying what's
    wrong otherwise. mutagen reads the MPEG headers; miniaudio decodes every frame."""
    import miniaudio
    import mutagen
    import mutagen.mp3

    try:
        info = mutagen.mp3.MP3(path).info
        decoded = miniaudio.decode_file(str(path), nchannels=1, sample_rate=info.sample_rate)
    except (mutagen.MutagenError, miniaudio.DecodeError) as error:
        raise AudioRenderError(f"{path.name} is not a playable MP3 ({error})") from error
    duration = decoded.num_frames / decoded.sample_rate
    problems = [
        f"MPEG-{info.version:g} layer {info.layer}" if (info.version, info.layer) != (2, 3) else "",
        f"{info.bitrate // 1000} kbps" if info.bitrate != BITRATE_KBPS * 1000 else "",
        f"{info.sample_rate} Hz" if info.sample_rate not in ALEXA_SAMPLE_RATES else "",
        f"{duration:.0f} s long" if duration > MAX_SECONDS else "",
    ]
    if any(problems):
        wrong = ", ".join(p for p in problems if p)
        raise AudioRenderError(f"{path.name} is not in Alexa's format: {wrong} (needs MPEG-2 layer III, "
                               f"{BITRATE_KBPS} kbps, {SAMPLE_RATE} Hz, at most {MAX_SECONDS:.0f} s)")
    return duration


def write_atomically(path: Path, data: bytes, check: Callable[[Path], object] | None = None):
    """Writes data to a hidden temporary file beside `path`, fsyncs it, checks it, then renames
    it into place: `path` is either the old file or the whole new one, never half of one.
    Returns what `check` returned."""
    handle, temp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    temp = Path(temp_name)
    try:
        with os.fdopen(handle, "wb") as out:
            os.fchmod(out.fileno(), 0o644)  # mkstemp's 0600 would hide the file from a web server
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        result = check(temp) if check else None
        os.replace(temp, path)
    except BaseException:  # Ctrl-C included: the temporary file goes, then the interrupt goes on
        temp.unlink(missing_ok=True)
        raise
    _fsync_directory(path.parent)
    return result


def _fsync_directory(directory: Path) -> None:
    with contextlib.suppress(OSError):  # not every filesystem lets a directory be opened
        fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def render_text(text: str, out: Path, *, allow_offline: bool, echo: Callable[[str], object] = print,
                voice: Voice | None = None) -> Path:
    """One clip of any text, in Alexa's format, at `out` (for `ivig-skill chat --speak`). Pass
    the same Voice for every reply of a conversation, so a fallback is announced only once."""
    out = Path(out)
    if not text or not text.strip():
        raise AudioRenderError("there is nothing to say: the text is empty")
    out.parent.mkdir(parents=True, exist_ok=True)
    voice = voice or Voice(allow_offline=allow_offline, echo=echo)
    audio, _engine = voice.speak(speech_text(text))
    write_atomically(out, to_alexa_mp3(audio), check=check_alexa_mp3)
    return out


# --- the manifest -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Clip:
    """A rendered clip, as the manifest records it."""

    id: str
    kind: str
    title: str
    sha256: str
    duration_seconds: float
    file: str
    engine: str
    section: str | None = None

    def entry(self) -> dict:
        entry = {"kind": self.kind, "title": self.title, "sha256": self.sha256,
                 "duration_seconds": self.duration_seconds, "file": self.file, "engine": self.engine}
        return entry | ({"section": self.section} if self.section else {})


@dataclass(frozen=True)
class Manifest:
    """The rendered guide: every clip by id, and the article's clips in reading order."""

    clips: Mapping[str, Clip]
    article: tuple[str, ...]

    def first(self) -> Clip | None:
        return self.clips[self.article[0]] if self.article else None

    def next_after(self, clip_id: str) -> Clip | None:
        return self._step(clip_id, +1)

    def previous_before(self, clip_id: str) -> Clip | None:
        return self._step(clip_id, -1)

    def section_start(self, section_id: str) -> Clip | None:
        return next((self.clips[c] for c in self.article if self.clips[c].section == section_id), None)

    def _step(self, clip_id: str, step: int) -> Clip | None:
        if clip_id not in self.article:
            return None
        index = self.article.index(clip_id) + step
        return self.clips[self.article[index]] if 0 <= index < len(self.article) else None

    def to_json(self) -> str:
        data = {"version": MANIFEST_VERSION, "article": list(self.article),
                "clips": {cid: clip.entry() for cid, clip in self.clips.items()}}
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


EMPTY_MANIFEST = Manifest(MappingProxyType({}), ())


def load_manifest(audio_dir: Path) -> Manifest:
    """The manifest in audio_dir, cached until the file changes (for the skill's handlers)."""
    path = Path(audio_dir) / MANIFEST_NAME
    try:
        stat = path.stat()
    except OSError:
        return EMPTY_MANIFEST
    return _cached_manifest(path, stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=8)
def _cached_manifest(path: Path, _mtime_ns: int, _size: int) -> Manifest:
    return read_manifest(path.parent)


def read_manifest(audio_dir: Path) -> Manifest:
    """The manifest in audio_dir, or an empty one when there is none or it can't be trusted.
    Only clips whose file is there are listed."""
    path = Path(audio_dir) / MANIFEST_NAME
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        clips = {cid: Clip(id=cid, **entry) for cid, entry in data["clips"].items()
                 if CLIP_FILE.fullmatch(entry.get("file", "")) and (path.parent / entry["file"]).is_file()}
        article = tuple(cid for cid in data["article"] if cid in clips)
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return EMPTY_MANIFEST
    return Manifest(MappingProxyType(clips), article)


# --- the pipeline -------------------------------------------------------------------------------


@dataclass(frozen=True)
class RenderReport:
    rendered: tuple[str, ...]  # clip ids rendered in this run
    unchanged: tuple[str, ...]  # clip ids whose words (and voice) were already rendered
    removed: tuple[str, ...]  # files deleted because no clip uses them any more
    offline_reason: str | None  # why espeak-ng stood in for Google's voice (None: it didn't)


def render_all(audio_dir: Path, *, allow_offline: bool = False, progress: bool = True,
               echo: Callable[[str], object] = print) -> RenderReport:
    """Renders the whole guide (topics and article) into audio_dir; see render_clips."""
    return render_clips(Path(audio_dir), guide_texts(), allow_offline=allow_offline,
                        progress=progress, echo=echo)


def render_clips(audio_dir: Path, texts: Iterable[ClipText], *, allow_offline: bool = False,
                 progress: bool = True, echo: Callable[[str], object] = print) -> RenderReport:
    """Renders the clips whose words changed (or that have no file yet), then writes the
    manifest and removes files no clip uses. On an error or Ctrl-C the manifest still lists
    exactly the finished clips, so audio_dir stays consistent, and the error goes on.

    A clip in the offline voice counts as up to date only when the offline voice is allowed:
    without --allow-offline a run asks for Google's voice throughout."""
    audio_dir.mkdir(parents=True, exist_ok=True)
    _remove_leftover_temp_files(audio_dir)
    texts = tuple(texts)
    old = read_manifest(audio_dir).clips
    done = {t.id: old[t.id] for t in texts if _up_to_date(old.get(t.id), t, allow_offline)}
    unchanged = tuple(done)
    todo = [t for t in texts if t.id not in done]
    voice = Voice(allow_offline=allow_offline, echo=echo)
    try:
        with _progress_bar(todo, progress and bool(todo)) as bar:
            for text in bar:
                done[text.id] = _render_clip(text, audio_dir, voice)
    finally:  # also on failure: record what is finished, keep older clips still on disk
        kept = {t.id: done.get(t.id) or old.get(t.id) for t in texts}
        manifest = Manifest({cid: c for cid, c in kept.items() if c is not None},
                            tuple(t.id for t in texts if t.kind == "article" and kept[t.id]))
        write_atomically(audio_dir / MANIFEST_NAME, manifest.to_json().encode("utf-8"))
        removed = _remove_unused_files(audio_dir, manifest)
    rendered = tuple(t.id for t in todo)
    echo(f"Audio guide in {audio_dir}: {len(rendered)} clip(s) rendered, {len(unchanged)} unchanged"
         + (f", {len(removed)} old file(s) removed." if removed else "."))
    return RenderReport(rendered, unchanged, removed, voice.offline_reason)


def _up_to_date(clip: Clip | None, text: ClipText, allow_offline: bool) -> bool:
    return (clip is not None and clip.sha256 == text.sha256 and clip.kind == text.kind
            and (clip.engine == GTTS or allow_offline))


def _render_clip(text: ClipText, audio_dir: Path, voice: Voice) -> Clip:
    audio, engine = voice.speak(text.text)
    mp3 = to_alexa_mp3(audio)
    name = f"{text.id}.{hashlib.sha256(mp3).hexdigest()[:12]}.mp3"  # content-addressed: cacheable forever
    duration = write_atomically(audio_dir / name, mp3, check=check_alexa_mp3)
    return Clip(text.id, text.kind, text.title, text.sha256, round(duration, 3), name, engine, text.section)


def _progress_bar(items: list[ClipText], shown: bool):
    if not shown:
        return contextlib.nullcontext(items)
    import click

    return click.progressbar(items, label="Rendering audio", file=sys.stderr,
                             item_show_func=lambda t: t.id if t else None)


def _remove_leftover_temp_files(audio_dir: Path) -> None:
    """Temporary files a killed run (power cut, kill -9) could not clean up itself."""
    for leftover in audio_dir.glob(".*.tmp"):
        leftover.unlink(missing_ok=True)


def _remove_unused_files(audio_dir: Path, manifest: Manifest) -> tuple[str, ...]:
    used = {clip.file for clip in manifest.clips.values()}
    unused = sorted(p.name for p in audio_dir.glob("*.mp3") if CLIP_FILE.fullmatch(p.name) and p.name not in used)
    for name in unused:
        (audio_dir / name).unlink(missing_ok=True)
    return tuple(unused)


def check_audio_dir(audio_dir: Path, texts: Iterable[ClipText] | None = None) -> Manifest:
    """Checks a rendered guide without rendering (for `render-audio --check` and CI): every clip
    there for today's words, and every file in Alexa's format. AudioRenderError otherwise."""
    manifest = read_manifest(audio_dir)
    stale = [t.id for t in (guide_texts() if texts is None else texts)
             if not _up_to_date(manifest.clips.get(t.id), t, allow_offline=True)]
    if stale:
        raise AudioRenderError(f"{len(stale)} clip(s) in {audio_dir} are missing or out of date "
                               f"(first: {stale[0]}): run `ivig-skill render-audio`")
    for clip in manifest.clips.values():
        check_alexa_mp3(Path(audio_dir) / clip.file)
    return manifest
