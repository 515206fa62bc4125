"""A rendered audio guide for handler tests: the real article's clip ids and a manifest,
one minute a clip (the bytes don't matter to the handlers)."""

from __future__ import annotations

from pathlib import Path

from skill import audio, knowledge

ARTICLE = list(audio.article_texts(knowledge.article_sections()))


def make_guide(directory: Path) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    clips = {}
    for n, text in enumerate(ARTICLE):
        name = f"{text.id}.{n:012x}.mp3"
        (directory / name).write_bytes(b"mp3")
        clips[text.id] = audio.Clip(text.id, "article", text.title, text.sha256, 60.0, name, "gtts", text.section)
    (directory / "manifest.json").write_text(audio.Manifest(clips, tuple(clips)).to_json())
    return directory
