"""What the skill says to a question, outside Alexa: words -> topic -> Reply.

Shared by the Alexa handlers and `ivig-skill ask`, so both give the same answer."""

from __future__ import annotations

from dataclasses import dataclass

from skill import answers, knowledge, speech
from skill.speech import Reply, join

OUT_OF_SCOPE = "out_of_scope"


@dataclass(frozen=True)
class Answered:
    topic: str  # a topic id or "out_of_scope"
    reply: Reply
    has_more: bool


def topic_reply(topic_id: str, locale: str | None = None, *, brief: bool = False) -> Answered:
    """The short answer for a topic; the detail is offered, a related topic suggested.
    `brief`: the answer alone (asked in the middle of a symptom check, which then resumes)."""
    topic = knowledge.topics()[topic_id]
    if brief:
        return Answered(topic.id, Reply(topic.answer), False)
    related = knowledge.topics().get(topic.related)
    suggestion = speech.prompt("answers.related", locale, related=related.title) if related else ""
    if topic.more:
        offer = speech.prompt("answers.more_offer", locale)
        text, reprompt = join(topic.answer, offer), offer
    else:
        text = join(topic.answer, suggestion)
        reprompt = join(suggestion, speech.prompt("answers.anything_else", locale))
    card = "\n\n".join(part for part in (topic.answer, topic.more) if part)
    title = speech.prompt("answers.card_title", locale, title=topic.title)
    return Answered(topic.id, Reply(text, reprompt, title, card), bool(topic.more))


def more_reply(topic_id: str, locale: str | None = None) -> Reply:
    """The detail after "yes, tell me more", then a related topic."""
    topic = knowledge.topics()[topic_id]
    related = knowledge.topics().get(topic.related)
    suggestion = speech.prompt("answers.related", locale, related=related.title) if related else ""
    detail = topic.more or speech.prompt("answers.no_more", locale)
    reprompt = join(suggestion, speech.prompt("answers.anything_else", locale))
    return Reply(join(detail, suggestion), reprompt)


def declined_reply(locale: str | None = None) -> Reply:
    text = knowledge.out_of_scope_text()
    return Reply(text, speech.prompt("help.topics_reprompt", locale))


def question_reply(text: str, locale: str | None = None) -> Answered:
    """Free words to what the skill says: an answer from the article, or a plain decline."""
    if not text or not text.strip():
        prompt = speech.prompt("answers.empty_question", locale)
        return Answered(OUT_OF_SCOPE, Reply(prompt, prompt), False)
    match = answers.match(text)
    if match.topic == OUT_OF_SCOPE or match.topic not in knowledge.topics():
        return Answered(OUT_OF_SCOPE, declined_reply(locale), False)
    return topic_reply(match.topic, locale)


def source_reply(locale: str | None = None) -> Reply:
    src = knowledge.source()
    reviewed = src.reviewed.strftime("%B %-d, %Y")
    text = speech.prompt("source.intro", locale, title=src.title, reviewed=reviewed)
    return Reply(text, speech.prompt("answers.anything_else", locale))
