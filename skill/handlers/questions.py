"""Questions about IVIG: topic intents, free questions (AskQuestionIntent), "more",
"what can I ask" and "where is this from". During a symptom check the answer is
followed by the check's current question."""

from __future__ import annotations

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.utils import is_intent_name

from skill import knowledge, replies
from skill.handlers import checkin
from skill.models import question_openers
from skill.handlers.common import locale_of, pending, respond, say, session, slot_value
from skill.speech import Reply, join

LAST_TOPIC = "last_topic"
MORE_GIVEN = "more_given"  # the topic whose detail was just given: a second "more" has no more


def _answer(handler_input, answered: replies.Answered, asked: str | None = None):
    if checkin.in_progress(handler_input):
        locale = locale_of(handler_input)
        rest = say(handler_input, "answers.rest_declined") if answered.rest_declined else ""
        brief = (replies.topic_reply(answered.topic, locale, brief=True, note=rest).reply
                 if answered.topic != replies.OUT_OF_SCOPE else replies.declined_reply(locale, brief=True))
        return checkin.resume_after(handler_input, brief, asked)
    if answered.topic != replies.OUT_OF_SCOPE:
        session(handler_input)[LAST_TOPIC] = answered.topic
        session(handler_input).pop(MORE_GIVEN, None)
    return respond(handler_input, answered.reply, pending="more" if answered.has_more else None)


def _topic_by_intent() -> dict[str, str]:
    return {t.intent: t.id for t in knowledge.topics().values() if t.intent}


class TopicIntentHandler(AbstractRequestHandler):
    """A common question that Alexa routed straight to its topic."""

    def can_handle(self, handler_input):
        intent = getattr(handler_input.request_envelope.request, "intent", None)
        return getattr(intent, "name", None) in _topic_by_intent()

    def handle(self, handler_input):
        topic = _topic_by_intent()[handler_input.request_envelope.request.intent.name]
        return _answer(handler_input, replies.topic_reply(topic, locale_of(handler_input)))


class AskQuestionHandler(AbstractRequestHandler):
    """A free question: AskQuestionIntent ("tell me {query}"), or an intent for a question's
    opening word ("how {query}"), whose word goes back in front of the slot's words."""

    def can_handle(self, handler_input):
        name = getattr(getattr(handler_input.request_envelope.request, "intent", None), "name", None)
        return name == "AskQuestionIntent" or name in question_openers()

    def handle(self, handler_input):
        words = slot_value(handler_input, "query")
        opener = question_openers().get(handler_input.request_envelope.request.intent.name)
        if opener and words:
            words = f"{opener} {words}"
        return _answer(handler_input, replies.question_reply(words, locale_of(handler_input)), words)


class MoreHandler(AbstractRequestHandler):
    """"Yes" after "Want to hear more?", or "tell me more" after an answer."""

    def can_handle(self, handler_input):
        return ((any(is_intent_name(n)(handler_input) for n in ("AMAZON.YesIntent", "NotSureIntent"))
                 and pending(handler_input) == "more")
                or (is_intent_name("MoreIntent")(handler_input) and not checkin.in_progress(handler_input)))

    def handle(self, handler_input):
        topic = session(handler_input).get(LAST_TOPIC)
        if not isinstance(topic, str) or topic not in knowledge.topics():
            text = say(handler_input, "help.topics")
            return respond(handler_input, Reply(text, say(handler_input, "help.topics_reprompt")))
        if session(handler_input).get(MORE_GIVEN) == topic:
            anything = say(handler_input, "answers.anything_else")
            return respond(handler_input, Reply(join(say(handler_input, "answers.no_more"), anything), anything))
        session(handler_input)[MORE_GIVEN] = topic
        return respond(handler_input, replies.more_reply(topic, locale_of(handler_input)))


class NoMoreHandler(AbstractRequestHandler):
    """"No" after "Want to hear more?"."""

    def can_handle(self, handler_input):
        return is_intent_name("AMAZON.NoIntent")(handler_input) and pending(handler_input) == "more"

    def handle(self, handler_input):
        text = say(handler_input, "answers.anything_else")
        return respond(handler_input, Reply(text, text))


class TopicListHandler(AbstractRequestHandler):
    def can_handle(self, handler_input):
        return is_intent_name("TopicListIntent")(handler_input)

    def handle(self, handler_input):
        if checkin.in_progress(handler_input):  # the list alone: the check's question follows
            return checkin.resume_after(handler_input, Reply(say(handler_input, "help.topics_brief")))
        return respond(handler_input, Reply(say(handler_input, "help.topics"), say(handler_input, "help.topics_reprompt")))


class SourceHandler(AbstractRequestHandler):
    def can_handle(self, handler_input):
        return is_intent_name("SourceIntent")(handler_input)

    def handle(self, handler_input):
        if checkin.in_progress(handler_input):  # without its closing question: the check's follows
            return checkin.resume_after(handler_input, replies.source_reply(locale_of(handler_input), brief=True))
        return respond(handler_input, replies.source_reply(locale_of(handler_input)))
