"""Listening to the article with Alexa's AudioPlayer: "read the article" (or one part of it),
pause, resume, next, previous, start over, and the playback events the device sends back.
Where each person is (clip and offset) is kept in their persistent attributes, so "resume"
after a break carries on there. The words are in content/listening.toml."""

from __future__ import annotations

import logging
import re
import tomllib
from functools import cache
from importlib import resources

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils import get_supported_interfaces, is_intent_name, is_request_type
from ask_sdk_model.interfaces.audioplayer import (AudioItem, AudioItemMetadata, PlayBehavior, PlayDirective,
                                                  PlayerActivity, StopDirective, Stream)

from skill import audio, knowledge, speech
from skill.handlers.common import pending, respond, session, settings_of, slot_ids, slot_value
from skill.speech import Reply
from skill.store import STORAGE_ERRORS

log = logging.getLogger(__name__)

POSITION = "listening"  # persistent attribute: {"version": 1, "clip": "<clip id>", "offset_ms": 12345}
_VERSION = 1
READING = "reading"  # session attribute while the article is read in spoken parts: {"part": <index>}
READ_ARTICLE = "read_article"  # what a yes answers: "Would you like me to read the article?"
READ_ON = "read_on"  # what a yes answers: "Shall I go on?" (the next spoken part)


# --- words --------------------------------------------------------------------------------------


@cache
def _content() -> dict:
    text = resources.files("skill.content").joinpath("listening.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


def words(key: str, **fields: str) -> str:
    return _content()["speech"][key].format(**fields)


@cache
def section_names() -> dict[str, tuple[str, ...]]:
    """The SECTION_NAME slot type: part id -> names people say (the first is the value), the
    part's own heading last. For the interaction model and for matching typed words."""
    headings = {t.section: t.title for t in audio.article_texts(knowledge.article_sections())}
    named = _content()["section_names"]
    spoken = {sid: re.sub(r"\s+", " ", re.sub(r"[^a-z' ]", " ", title.lower())).strip()
              for sid, title in headings.items()}
    return {sid: tuple(dict.fromkeys([*named.get(sid, []), spoken[sid]])) for sid in headings}


# --- where the person is ------------------------------------------------------------------------


def _guide(handler_input: HandlerInput) -> audio.Manifest:
    return audio.load_manifest(settings_of(handler_input).audio_dir)


def _why_not(handler_input: HandlerInput, guide: audio.Manifest) -> str | None:
    """Why the article's audio can't be played here, or None when it can."""
    base_url = settings_of(handler_input).audio_base_url or ""
    if not base_url.startswith("https://"):  # Alexa streams nothing else
        if base_url:
            log.warning("the audio base URL must start with https://; the article can't be played")
        return "no_audio_url"
    if getattr(get_supported_interfaces(handler_input), "audio_player", None) is None:
        return "no_audio_player"
    return "not_rendered" if guide.first() is None else None


def _playing(handler_input: HandlerInput) -> bool:
    state = getattr(handler_input.request_envelope.context, "audio_player", None)
    return getattr(state, "player_activity", None) == PlayerActivity.PLAYING


def _reported(handler_input: HandlerInput, guide: audio.Manifest) -> tuple[audio.Clip, int] | None:
    """The clip and offset the device reports: an AudioPlayer event's own, else the player's."""
    request = handler_input.request_envelope.request
    source = request if getattr(request, "token", None) else getattr(
        handler_input.request_envelope.context, "audio_player", None)
    clip = guide.clips.get(getattr(source, "token", None) or "")
    if clip is None or clip.kind != "article":
        return None
    return clip, _offset(getattr(source, "offset_in_milliseconds", 0), clip)


def _saved(handler_input: HandlerInput, guide: audio.Manifest) -> tuple[audio.Clip, int] | None:
    """The stored position, checked: a stale or forged one is ignored, never trusted."""
    saved = handler_input.attributes_manager.persistent_attributes.get(POSITION)
    if not isinstance(saved, dict) or saved.get("version") != _VERSION:
        return None
    clip = guide.clips.get(saved.get("clip") or "")
    if clip is None or clip.kind != "article":
        return None
    return clip, _offset(saved.get("offset_ms"), clip)


def _offset(value, clip: audio.Clip) -> int:
    ok = isinstance(value, int) and not isinstance(value, bool) and 0 <= value < clip.duration_seconds * 1000
    return value if ok else 0


def _remember(handler_input: HandlerInput, clip: audio.Clip | None, offset: int = 0) -> None:
    attributes = handler_input.attributes_manager.persistent_attributes
    if clip is None:
        attributes.pop(POSITION, None)
    else:
        attributes[POSITION] = {"version": _VERSION, "clip": clip.id, "offset_ms": offset}
    handler_input.attributes_manager.save_persistent_attributes()


def _asked_section(handler_input: HandlerInput, guide: audio.Manifest, asked: str) -> audio.Clip | None:
    """The part the SECTION_NAME slot names: Alexa's resolved id, else the words themselves."""
    said = re.sub(r"\s+", " ", asked.lower()).strip()
    candidates = [*slot_ids(handler_input, "section")[:1],
                  *(sid for sid, names in section_names().items() if said in names)]
    return next((clip for sid in candidates if sid and (clip := guide.section_start(sid))), None)


# --- responses ----------------------------------------------------------------------------------


def _play(handler_input: HandlerInput, clip: audio.Clip, offset: int = 0, *, say: str | None = None):
    """Plays a clip now, from offset; said first when there is something to say."""
    builder = handler_input.response_builder.add_directive(
        PlayDirective(play_behavior=PlayBehavior.REPLACE_ALL, audio_item=_item(handler_input, clip, offset)))
    _remember(handler_input, clip, offset)
    if say:
        builder.speak(speech.to_ssml(say))
    if is_request_type("IntentRequest")(handler_input):
        builder.set_should_end_session(True)
    return builder.response


def _item(handler_input: HandlerInput, clip: audio.Clip, offset: int, after: str | None = None) -> AudioItem:
    url = f"{settings_of(handler_input).audio_base_url}/{clip.file}"
    stream = Stream(token=clip.id, url=url, offset_in_milliseconds=offset, expected_previous_token=after)
    return AudioItem(stream=stream, metadata=AudioItemMetadata(
        title=clip.title, subtitle=_content()["screen"]["subtitle"]))


def _stop(handler_input: HandlerInput):
    where = _reported(handler_input, _guide(handler_input))
    if where:
        _remember(handler_input, *where)
    builder = handler_input.response_builder.add_directive(StopDirective())
    if is_request_type("IntentRequest")(handler_input):
        builder.set_should_end_session(True)
    return builder.response


def _explain(handler_input: HandlerInput, key: str):
    """Says why nothing plays, to a spoken request, and offers to read the article (a yes
    does); to a button or playback event (where Alexa allows no speech) it answers with nothing."""
    if not is_request_type("IntentRequest")(handler_input):
        log.info("listening: nothing to play (%s)", key)
        return handler_input.response_builder.response
    return respond(handler_input, Reply(words(key), words("read_offer")), pending=READ_ARTICLE)


# --- the article read in spoken parts (where its audio can't be played) ---------------------------


@cache
def spoken_parts() -> tuple[audio.ClipText, ...]:
    """The article in the parts its audio has (one per question heading, long ones split)."""
    return audio.article_texts(knowledge.article_sections())


def _reading(handler_input: HandlerInput) -> int | None:
    """The spoken part being read in this session, or None."""
    reading = session(handler_input).get(READING)
    part = reading.get("part") if isinstance(reading, dict) else None
    ok = isinstance(part, int) and not isinstance(part, bool) and 0 <= part < len(spoken_parts())
    return part if ok else None


def _read_part(handler_input: HandlerInput, part: int, *lead: str):
    """One spoken part, then "Shall I go on?" (a yes reads the next); after the last, the end."""
    parts = spoken_parts()
    if part >= len(parts):
        session(handler_input).pop(READING, None)
        text = words("reading_end")
        return respond(handler_input, Reply(speech.join(*lead, text), words("reprompt")))
    session(handler_input)[READING] = {"part": part}
    text = speech.join(*lead, parts[part].text, words("part_offer"))
    return respond(handler_input, Reply(text, words("part_reprompt")), pending=READ_ON)


def _read_from(handler_input: HandlerInput, asked: str = ""):
    """"Read me the article" (or one part of it) without its audio: read in spoken parts."""
    section = None
    if asked:
        said = re.sub(r"\s+", " ", asked.lower()).strip()
        ids = [*slot_ids(handler_input, "section")[:1], *(sid for sid, names in section_names().items() if said in names)]
        section = next((sid for sid in ids if sid and any(p.section == sid for p in spoken_parts())), None)
    if section is None:
        key = "section_not_found" if asked else "reading_start"
        return _read_part(handler_input, 0, words(key, asked=asked))
    part = next(n for n, p in enumerate(spoken_parts()) if p.section == section)
    return _read_part(handler_input, part, words("section", asked=asked))


class SpokenReadingHandler(AbstractRequestHandler):
    """While the article is read in spoken parts: next (or yes to "Shall I go on?"), previous,
    resume, start over, pause, no; loop and shuffle say why not. Repeat, help and stop are the
    skill's own (repeat says the part again)."""

    MOVES = {"AMAZON.NextIntent": 1, "AMAZON.PreviousIntent": -1, "AMAZON.ResumeIntent": 0,
             "AMAZON.StartOverIntent": None}
    ANSWERS = ("AMAZON.YesIntent", "NotSureIntent", "AMAZON.NoIntent")

    def can_handle(self, handler_input):
        if _reading(handler_input) is None or not is_request_type("IntentRequest")(handler_input):
            return False
        name = handler_input.request_envelope.request.intent.name
        return (name in self.MOVES or name in LoopShuffleHandler.NAMES or name == "AMAZON.PauseIntent"
                or (name in self.ANSWERS and pending(handler_input) == READ_ON))

    def handle(self, handler_input):
        part, name = _reading(handler_input), handler_input.request_envelope.request.intent.name
        if name in LoopShuffleHandler.NAMES:
            text = speech.join(words("no_loop_or_shuffle_open"), words("part_offer"))
            return respond(handler_input, Reply(text, words("part_reprompt")), pending=READ_ON)
        if name == "AMAZON.PauseIntent":
            return respond(handler_input, Reply(words("reading_paused"), words("reprompt")))
        if name == "AMAZON.NoIntent":
            session(handler_input).pop(READING, None)
            return respond(handler_input, Reply(words("reading_declined"), words("reprompt")))
        if name == "AMAZON.StartOverIntent":
            return _read_part(handler_input, 0)
        step = self.MOVES.get(name, 1)  # yes or not sure to "Shall I go on?": the next part
        if step < 0 and part == 0:
            return _read_part(handler_input, 0, words("reading_first"))
        return _read_part(handler_input, part + step)


class ReadOfferHandler(AbstractRequestHandler):
    """Yes or no to "Would you like me to read the article?"."""

    def can_handle(self, handler_input):
        return pending(handler_input) == READ_ARTICLE and any(
            is_intent_name(n)(handler_input) for n in ("AMAZON.YesIntent", "NotSureIntent", "AMAZON.NoIntent"))

    def handle(self, handler_input):
        if is_intent_name("AMAZON.NoIntent")(handler_input):
            return respond(handler_input, Reply(words("reading_declined"), words("reprompt")))
        return _read_article(handler_input, "")


def _resume(handler_input: HandlerInput, *, or_from_start: bool):
    guide = _guide(handler_input)
    if _why_not(handler_input, guide):  # nothing can play here; the article can be read instead
        return _explain(handler_input, "nothing_to_resume")
    where = _saved(handler_input, guide) or _reported(handler_input, guide)
    if where is None and or_from_start:
        where = (guide.first(), 0)
    return _play(handler_input, *where) if where else _explain(handler_input, "nothing_to_resume")


def _skip(handler_input: HandlerInput, step: int):
    guide = _guide(handler_input)
    if _why_not(handler_input, guide):  # nothing can play here; the article can be read instead
        return _explain(handler_input, "nothing_playing")
    where = _reported(handler_input, guide) or _saved(handler_input, guide)
    if where is None:
        return _explain(handler_input, "nothing_playing")
    current = where[0]
    target = guide.next_after(current.id) if step > 0 else (guide.previous_before(current.id) or current)
    return _play(handler_input, target) if target else _explain(handler_input, "end_of_article")


# --- spoken requests ------------------------------------------------------------------------------


class ReadArticleHandler(AbstractRequestHandler):
    """"Read me the article", or "read the part about side effects": played through the audio
    player where its audio is set up, else read in spoken parts."""

    def can_handle(self, handler_input):
        return is_intent_name("ReadArticleIntent")(handler_input)

    def handle(self, handler_input):
        return _read_article(handler_input, slot_value(handler_input, "section"))


def _read_article(handler_input: HandlerInput, asked: str):
    guide = _guide(handler_input)
    if _why_not(handler_input, guide):
        return _read_from(handler_input, asked)
    session(handler_input).pop(READING, None)
    clip = _asked_section(handler_input, guide, asked) if asked else None
    key = "start" if not asked else "section" if clip else "section_not_found"
    return _play(handler_input, clip or guide.first(), say=words(key, asked=asked))


class ResumeHandler(AbstractRequestHandler):
    def can_handle(self, handler_input):
        return is_intent_name("AMAZON.ResumeIntent")(handler_input)

    def handle(self, handler_input):
        return _resume(handler_input, or_from_start=False)


class PauseHandler(AbstractRequestHandler):
    def can_handle(self, handler_input):
        return is_intent_name("AMAZON.PauseIntent")(handler_input)

    def handle(self, handler_input):
        if _playing(handler_input):
            return _stop(handler_input)
        return _explain(handler_input, "nothing_playing")


class StopWhilePlayingHandler(AbstractRequestHandler):
    """"Stop" or "cancel" while the article plays: stop the audio, keep the place. (Register
    before the general stop handler, which says goodbye.)"""

    NAMES = ("AMAZON.StopIntent", "AMAZON.CancelIntent")

    def can_handle(self, handler_input):
        return _playing(handler_input) and any(is_intent_name(n)(handler_input) for n in self.NAMES)

    def handle(self, handler_input):
        return _stop(handler_input)


class NextHandler(AbstractRequestHandler):
    def can_handle(self, handler_input):
        return is_intent_name("AMAZON.NextIntent")(handler_input)

    def handle(self, handler_input):
        return _skip(handler_input, +1)


class PreviousHandler(AbstractRequestHandler):
    def can_handle(self, handler_input):
        return is_intent_name("AMAZON.PreviousIntent")(handler_input)

    def handle(self, handler_input):
        return _skip(handler_input, -1)


class StartOverHandler(AbstractRequestHandler):
    """"Start over" while listening (something is playing, or a place was kept): the article
    again from its beginning. Otherwise "start over" is the skill's, not the article's."""

    def can_handle(self, handler_input):
        return is_intent_name("AMAZON.StartOverIntent")(handler_input) and _listening(handler_input)

    def handle(self, handler_input):
        guide = _guide(handler_input)
        if _why_not(handler_input, guide):
            return _read_from(handler_input)
        return _play(handler_input, guide.first())


def _listening(handler_input: HandlerInput) -> bool:
    player = getattr(handler_input.request_envelope.context, "audio_player", None)
    if getattr(player, "token", None):
        return True
    try:
        return POSITION in handler_input.attributes_manager.persistent_attributes
    except STORAGE_ERRORS:
        return False


class LoopShuffleHandler(AbstractRequestHandler):
    """Loop and shuffle make no sense for an article read in order: said so, politely."""

    NAMES = ("AMAZON.LoopOnIntent", "AMAZON.LoopOffIntent", "AMAZON.ShuffleOnIntent", "AMAZON.ShuffleOffIntent")

    def can_handle(self, handler_input):
        return any(is_intent_name(name)(handler_input) for name in self.NAMES)

    def handle(self, handler_input):
        if _playing(handler_input):  # the article carries on; nothing to ask
            builder = handler_input.response_builder.speak(speech.to_ssml(words("no_loop_or_shuffle")))
            return builder.set_should_end_session(True).response
        text = speech.join(words("no_loop_or_shuffle_open"), words("read_offer"))
        return respond(handler_input, Reply(text, words("read_offer")), pending=READ_ARTICLE)


# --- the device's playback events (no speech allowed) ------------------------------------------


class PlaybackStartedHandler(AbstractRequestHandler):
    def can_handle(self, handler_input):
        return is_request_type("AudioPlayer.PlaybackStarted")(handler_input)

    def handle(self, handler_input):
        if where := _reported(handler_input, _guide(handler_input)):
            _remember(handler_input, *where)
        return handler_input.response_builder.response


class PlaybackNearlyFinishedHandler(AbstractRequestHandler):
    """Queues the next clip, so the article plays on without a gap."""

    def can_handle(self, handler_input):
        return is_request_type("AudioPlayer.PlaybackNearlyFinished")(handler_input)

    def handle(self, handler_input):
        guide, token = _guide(handler_input), handler_input.request_envelope.request.token
        following = guide.next_after(token or "")
        if following is None or _why_not(handler_input, guide):
            return handler_input.response_builder.response
        return handler_input.response_builder.add_directive(PlayDirective(
            play_behavior=PlayBehavior.ENQUEUE, audio_item=_item(handler_input, following, 0, after=token))).response


class PlaybackFinishedHandler(AbstractRequestHandler):
    """A clip ended: the place moves to the next one (already queued); after the last, it's cleared."""

    def can_handle(self, handler_input):
        return is_request_type("AudioPlayer.PlaybackFinished")(handler_input)

    def handle(self, handler_input):
        guide = _guide(handler_input)
        if where := _reported(handler_input, guide):
            _remember(handler_input, guide.next_after(where[0].id))
        return handler_input.response_builder.response


class PlaybackStoppedHandler(AbstractRequestHandler):
    def can_handle(self, handler_input):
        return is_request_type("AudioPlayer.PlaybackStopped")(handler_input)

    def handle(self, handler_input):
        if where := _reported(handler_input, _guide(handler_input)):
            _remember(handler_input, *where)
        return handler_input.response_builder.response


class PlaybackFailedHandler(AbstractRequestHandler):
    """Logged (the error type only); the place is kept so "resume" can try again."""

    def can_handle(self, handler_input):
        return is_request_type("AudioPlayer.PlaybackFailed")(handler_input)

    def handle(self, handler_input):
        error = getattr(handler_input.request_envelope.request, "error", None)
        log.warning("audio playback failed: %s", getattr(getattr(error, "object_type", None), "value", error))
        return handler_input.response_builder.response


# --- the device's buttons (no speech allowed) ------------------------------------------------------


class PlayCommandHandler(AbstractRequestHandler):
    def can_handle(self, handler_input):
        return is_request_type("PlaybackController.PlayCommandIssued")(handler_input)

    def handle(self, handler_input):
        return _resume(handler_input, or_from_start=True)


class PauseCommandHandler(AbstractRequestHandler):
    def can_handle(self, handler_input):
        return is_request_type("PlaybackController.PauseCommandIssued")(handler_input)

    def handle(self, handler_input):
        return _stop(handler_input)


class NextCommandHandler(AbstractRequestHandler):
    def can_handle(self, handler_input):
        return is_request_type("PlaybackController.NextCommandIssued")(handler_input)

    def handle(self, handler_input):
        return _skip(handler_input, +1)


class PreviousCommandHandler(AbstractRequestHandler):
    def can_handle(self, handler_input):
        return is_request_type("PlaybackController.PreviousCommandIssued")(handler_input)

    def handle(self, handler_input):
        return _skip(handler_input, -1)


HANDLERS: list[AbstractRequestHandler] = [
    SpokenReadingHandler(), ReadOfferHandler(), ReadArticleHandler(), ResumeHandler(), PauseHandler(), StopWhilePlayingHandler(),
    NextHandler(), PreviousHandler(), StartOverHandler(), LoopShuffleHandler(),
    PlaybackStartedHandler(), PlaybackNearlyFinishedHandler(), PlaybackFinishedHandler(),
    PlaybackStoppedHandler(), PlaybackFailedHandler(),
    PlayCommandHandler(), PauseCommandHandler(), NextCommandHandler(), PreviousCommandHandler(),
]
