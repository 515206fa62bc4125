"""Generates the Alexa interaction model for each locale from content/interaction.toml and the
question corpus (content/questions/): one source, five committed files.

A topic intent's sample utterances are the corpus lines of its topic that Alexa accepts as samples
and that the trained matcher itself answers with that topic, so that a question routed straight to
a topic intent gets the answer `ivig-skill ask` gives for the same words."""

from __future__ import annotations

import json
import re
import tomllib
from functools import cache
from importlib import resources
from pathlib import Path

from skill import answers, knowledge
from skill.handlers.listening import section_names
from skill.speech import SUPPORTED_LOCALES


def model_source() -> dict:
    text = resources.files("skill.content").joinpath("interaction.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


@cache
def question_openers() -> dict[str, str]:
    """Intent name -> the opening word its search-query slot leaves out ("AskHowIntent": "how")."""
    return dict(model_source()["question_openers"])


MAX_TOPIC_SAMPLES = 160
# Words only (numbers spelled out), 3 to 15 of them: a two-word fragment would pull stray speech to a topic.
_SAMPLE = re.compile(r"[a-z']+(?: [a-z']+){2,14}")


@cache
def topic_samples(topic_id: str) -> tuple[str, ...]:
    """Corpus lines of the topic, as written (no recogniser slips to put right), that the
    matcher answers with the topic, and that do not open like a symptom report ("i'm ...", "my ..."),
    which would pull people's reports away from the check; the shortest first, as the
    common ways of asking are short and a longer question reaches the matcher anyway."""
    carriers = report_carriers()
    samples = []
    for line in sorted(knowledge.question_corpus()[topic_id], key=lambda line: len(line.split())):
        if len(samples) == MAX_TOPIC_SAMPLES:
            break
        if _SAMPLE.fullmatch(line) and answers.normalise(line) == line.replace("'", "") \
                and not line.startswith(carriers) and answers.match(line).topic == topic_id:
            samples.append(line)
    return tuple(samples)


@cache
def report_carriers() -> tuple[str, ...]:
    """The words before the slot in each ReportSymptomIntent sample ("i have ", "my ")."""
    samples = model_source()["intents"]["ReportSymptomIntent"]["samples"]
    return tuple(sorted({s.split("{")[0] for s in samples if s.split("{")[0].strip()}, key=len, reverse=True))


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
    intents += [_intent(topic.intent, topic_samples(topic.id))
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
