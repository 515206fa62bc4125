"""Generates the Alexa interaction model for each locale from content/interaction.toml
and the topic phrasings in content/topics.toml: one source, five committed files."""

from __future__ import annotations

import json
import tomllib
from functools import cache
from importlib import resources
from pathlib import Path

from skill import knowledge
from skill.handlers.listening import section_names
from skill.speech import SUPPORTED_LOCALES


def model_source() -> dict:
    text = resources.files("skill.content").joinpath("interaction.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


@cache
def question_openers() -> dict[str, str]:
    """Intent name -> the opening word its search-query slot leaves out ("AskHowIntent": "how")."""
    return dict(model_source()["question_openers"])


def _intent(name: str, samples: list[str], slots: dict[str, str] | None = None) -> dict:
    intent: dict = {"name": name, "samples": list(samples)}
    if slots:
        intent["slots"] = [{"name": slot, "type": kind} for slot, kind in slots.items()]
    return intent


def build_model(locale: str) -> dict:
    """The interaction model for one locale (the same English model for every locale)."""
    if locale not in SUPPORTED_LOCALES:
        raise ValueError(f"unsupported locale {locale!r}")
    source = model_source()
    intents = [_intent(name, samples) for name, samples in source["builtin"].items()]
    intents += [_intent(name, spec["samples"], spec.get("slots"))
                for name, spec in source["intents"].items()]
    intents += [_intent(name, [f"{opener} {{query}}"], {"query": "AMAZON.SearchQuery"})
                for name, opener in question_openers().items()]
    intents += [_intent(topic.intent, topic.phrasings)
                for topic in knowledge.topics().values() if topic.intent]
    sections = [{"id": part, "name": {"value": names[0], "synonyms": list(names[1:])}}
                for part, names in section_names().items()]
    symptoms = [{"id": symptom, "name": {"value": phrases[0], "synonyms": list(phrases[1:])}}
                for symptom, phrases in source["types"]["SYMPTOM"].items()]
    types = [{"name": "SECTION_NAME", "values": sections}, {"name": "SYMPTOM", "values": symptoms}]
    return {"interactionModel": {"languageModel": {
        "invocationName": source["invocation_name"], "intents": intents, "types": types}}}


def render(model: dict) -> str:
    return json.dumps(model, indent=2, ensure_ascii=False) + "\n"


def write_models(directory: Path) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for locale in SUPPORTED_LOCALES:
        path = directory / f"{locale}.json"
        path.write_text(render(build_model(locale)), encoding="utf-8")
        written.append(path)
    return written
