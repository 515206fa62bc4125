"""What the skill says to a question, outside Alexa: words -> topic -> Reply.

Shared by the Alexa handlers and `ivig-skill ask`, so both give the same answer."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from skill import answers, knowledge, speech, symptom_words, triage
from skill.speech import Reply, join

OUT_OF_SCOPE = knowledge.OUT_OF_SCOPE


@dataclass(frozen=True)
class Answered:
    topic: str  # a topic id or "out_of_scope"
    reply: Reply
    has_more: bool
    understood: str = ""  # what the answer said it is about, when it answered free words
    rest_declined: bool = False  # the question was two in one, and the rest is not covered


def topic_reply(topic_id: str, locale: str | None = None, *, brief: bool = False,
                warning: str = "", note: str = "", say_back: bool = False) -> Answered:
    """The short answer for a topic; the detail is offered, a related topic suggested.
    `brief`: the answer alone, with `warning` and `note` (asked in the middle of a symptom check,
    which then resumes).
    `warning` is said first, `note` right after the answer. `say_back`: the answer opens by
    naming what it answers ("About how long an infusion takes: ..."), so that a misheard question
    is caught at once (for free words; a topic intent already named its topic)."""
    topic = knowledge.topics()[topic_id]
    if brief:
        return Answered(topic.id, Reply(join(warning, topic.answer, note)), False)
    understood = speech.prompt("answers.understood", locale, title=topic.title) if say_back else ""
    related = knowledge.topics().get(topic.related)
    suggestion = speech.prompt("answers.related", locale, related=related.title) if related else ""
    if topic.more:
        offer = speech.prompt("answers.more_offer", locale)
        text, reprompt = join(warning, understood, topic.answer, note, offer), offer
    else:
        anything = speech.prompt("answers.anything_else", locale)
        text = join(warning, understood, topic.answer, note, suggestion, anything)
        reprompt = join(suggestion, anything)
    card = "\n\n".join(part for part in (topic.answer, topic.more) if part)
    title = speech.prompt("answers.card_title", locale, title=topic.title)
    return Answered(topic.id, Reply(text, reprompt, title, card), bool(topic.more), understood)


def more_reply(topic_id: str, locale: str | None = None) -> Reply:
    """The detail after "yes, tell me more", then a related topic."""
    topic = knowledge.topics()[topic_id]
    related = knowledge.topics().get(topic.related)
    suggestion = speech.prompt("answers.related", locale, related=related.title) if related else ""
    detail = topic.more or speech.prompt("answers.no_more", locale)
    anything = speech.prompt("answers.anything_else", locale)
    return Reply(join(detail, suggestion, anything), join(suggestion, anything))


def declined_reply(locale: str | None = None, warning: str = "", note: str = "", *,
                   brief: bool = False) -> Reply:
    """The plain decline; `brief` without the closing question (a symptom check resumes)."""
    anything = "" if brief else speech.prompt("answers.anything_else", locale)
    text = join(warning, knowledge.out_of_scope_text(), note, anything)
    return Reply(text, speech.prompt("help.topics_reprompt", locale))


def _symptom_words(text: str, locale: str | None) -> tuple[str, str]:
    """Safety first: a question that names a symptom gets, before the answer, the emergency
    number if the symptom could be an emergency, and after it, the offer of the check."""
    named = symptom_words.parse(text).ids
    if not named:
        return "", ""
    if triage.most_urgent(named) is triage.Level.EMERGENCY:
        return speech.prompt("answers.emergency_warning", locale), ""
    return "", speech.prompt("answers.check_offer", locale)


def question_reply(text: str, locale: str | None = None) -> Answered:
    """Free words to what the skill says: an answer from the article, or a plain decline."""
    if not text or not text.strip():
        prompt = speech.prompt("answers.empty_question", locale)
        return Answered(OUT_OF_SCOPE, Reply(prompt, prompt), False)
    match = answers.match(text)
    warning, note = _symptom_words(text, locale)
    if match.topic == OUT_OF_SCOPE or match.topic not in knowledge.topics():
        return Answered(OUT_OF_SCOPE, declined_reply(locale, warning, note), False)
    if match.rest_declined:  # two questions in one: the covered one answered, the rest declined
        note = join(speech.prompt("answers.rest_declined", locale), note)
    answered = topic_reply(match.topic, locale, warning=warning, note=note, say_back=True)
    return dataclasses.replace(answered, rest_declined=match.rest_declined)


def source_reply(locale: str | None = None, *, brief: bool = False) -> Reply:
    """Where the answers come from; `brief` without the closing question (a symptom check resumes)."""
    src = knowledge.source()
    reviewed = speech.spoken_date(src.reviewed, locale)
    anything = "" if brief else speech.prompt("answers.anything_else", locale)
    text = speech.prompt("source.intro", locale, title=src.title, reviewed=reviewed)
    return Reply(join(text, anything), anything)
