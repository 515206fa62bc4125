"""`ivig-skill chat`: talk to the skill in a terminal, or replay a script, without a device.

Each line typed is resolved to what Alexa would send (skill/nlu.py, from interaction_models/),
wrapped in a real request envelope, serialised with ask-sdk's DefaultSerializer and posted to
/alexa of the app `create_app()` builds (verification off), so the whole endpoint path runs.
Session attributes go back with each request as Alexa sends them, until the session ends.

Sessions, as Alexa runs them:
- the first words of a conversation start a session (LaunchRequest for "open i v i g helper";
  a one-shot "ask i v i g helper ..." or any other words start it with their intent);
- a response with shouldEndSession true (or with nothing left to answer) ends the session, and
  Alexa sends the skill nothing more for it; the next words start a new session;
- "exit", naming the skill again while a session is open, or the end of the input (the person
  walked away) end the open session with a SessionEndedRequest.

Input: interactive when standard input is a terminal ("you> " prompt). Otherwise a script: one
utterance per line, blank lines and "#" comments copied into the transcript. A transcript this
command printed can be fed back in: when the first line that says anything starts with "you>",
only the "you>" lines are said and the rest (the skill's lines) is printed afresh.
"""

from __future__ import annotations

import html
import importlib
import json
import logging
import re
import shutil
import subprocess
import sys
import tempfile
import textwrap
import uuid
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import IO, Iterable, Iterator

import click
from ask_sdk_core.serialize import DefaultSerializer
from ask_sdk_model import (Application, Context, DialogState, Intent, IntentConfirmationStatus, IntentRequest,
                           LaunchRequest, RequestEnvelope, Session, SessionEndedReason, SessionEndedRequest, Slot,
                           SlotConfirmationStatus, User)
from ask_sdk_model.device import Device
from ask_sdk_model.interfaces.audioplayer import AudioPlayerInterface
from ask_sdk_model.interfaces.system import SystemState
from ask_sdk_model.slu.entityresolution import Resolution, Resolutions, Status, StatusCode, Value, ValueWrapper
from ask_sdk_model.supported_interfaces import SupportedInterfaces

from skill import nlu
from skill.config import Settings
from skill.web import create_app

YOU = "you> "
ALEXA = "alexa> "
SESSION_ENDS = "-- session ends --"
WIDTH = 100
CHAT_SKILL_ID = "amzn1.ask.skill.ivig-helper-chat"
CHAT_USER_ID = "amzn1.ask.account.IVIG-CHAT-USER"
CHAT_DEVICE_ID = "amzn1.ask.device.IVIG-CHAT"

_AUDIO_TAG = re.compile(r"<audio\b[^>]*>", re.IGNORECASE)
_PAUSE_TAG = re.compile(r"</?(?:break|p|s|speak)\b[^>]*>", re.IGNORECASE)   # a pause: a space
_TAG = re.compile(r"<[^>]+>")                                                 # inline: nothing


# --- the requests Alexa sends ------------------------------------------------------------------

@dataclass
class AlexaSession:
    """What Alexa keeps for an open session: its id and the attributes the skill returned."""

    id: str = field(default_factory=lambda: f"amzn1.echo-api.session.{uuid.uuid4()}")
    attributes: dict = field(default_factory=dict)
    new: bool = True
    eliciting: tuple[str, str] | None = None  # (intent, slot) of the last response's Dialog.ElicitSlot


class Endpoint:
    """The skill behind its real web endpoint, called in-process through Flask's test client."""

    def __init__(self, *, locale: str, data_dir: Path):
        settings = Settings.from_env(verify_signature=False, verify_timestamp=False, data_dir=Path(data_dir))
        self.settings = settings if settings.skill_id else replace(settings, skill_id=CHAT_SKILL_ID)
        self.locale = locale
        self.client = create_app(self.settings).test_client()
        self.serializer = DefaultSerializer()

    def envelope(self, request, session: AlexaSession):
        """A full RequestEnvelope around one request, for this skill, user and device."""
        application = Application(application_id=self.settings.skill_id)
        user = User(user_id=CHAT_USER_ID)
        # An Echo: it speaks and plays AudioPlayer streams (printed here as a directive line).
        device = Device(device_id=CHAT_DEVICE_ID,
                        supported_interfaces=SupportedInterfaces(audio_player=AudioPlayerInterface()))
        return RequestEnvelope(
            version="1.0",
            session=Session(new=session.new, session_id=session.id, application=application, user=user,
                            attributes=dict(session.attributes)),
            context=Context(system=SystemState(application=application, user=user, device=device,
                                               api_endpoint="https://api.amazonalexa.com")),
            request=request)

    def _common(self) -> dict:
        return {"request_id": f"amzn1.echo-api.request.{uuid.uuid4()}",
                "timestamp": datetime.now(timezone.utc).replace(microsecond=0), "locale": self.locale}

    def launch_request(self):
        return LaunchRequest(**self._common())

    def intent_request(self, understood: nlu.Understood, eliciting: tuple[str, str] | None = None):
        """The IntentRequest for the words; the elicited intent comes as a dialog in progress."""
        slots = {s.name: Slot(name=s.name, value=s.value, confirmation_status=SlotConfirmationStatus.NONE,
                              resolutions=_resolutions(self.settings.skill_id, s))
                 for s in understood.slots}
        intent = Intent(name=understood.intent, slots=slots, confirmation_status=IntentConfirmationStatus.NONE)
        in_dialog = eliciting is not None and eliciting[0] == understood.intent
        return IntentRequest(dialog_state=DialogState.IN_PROGRESS if in_dialog else DialogState.COMPLETED,
                             intent=intent, **self._common())

    def session_ended_request(self, reason: str):
        return SessionEndedRequest(reason=SessionEndedReason(reason), **self._common())

    def post(self, request, session: AlexaSession) -> dict:
        """POST the envelope to /alexa, exactly as Alexa would; the response envelope as JSON."""
        body = json.dumps(self.serializer.serialize(self.envelope(request, session)))
        response = self.client.post("/alexa", data=body, content_type="application/json")
        reply = response.get_json(silent=True) or {}
        if response.status_code != 200:
            raise click.ClickException(f"the endpoint answered HTTP {response.status_code}: "
                                       f"{reply.get('error') or response.get_data(as_text=True)[:200]}")
        return reply


def _resolutions(skill_id: str, slot: nlu.Slot):
    """Entity resolution for a custom slot, as Alexa reports it (a match, or none)."""
    if slot.value is None or not slot.slot_type or slot.slot_type.startswith("AMAZON."):
        return None
    authority = f"amzn1.er-authority.echo-sdk.{skill_id}.{slot.slot_type}"
    if slot.resolution_id is None:
        return Resolutions(resolutions_per_authority=[
            Resolution(authority=authority, status=Status(code=StatusCode.ER_SUCCESS_NO_MATCH))])
    value = ValueWrapper(value=Value(name=slot.resolution_value, id=slot.resolution_id))
    return Resolutions(resolutions_per_authority=[
        Resolution(authority=authority, status=Status(code=StatusCode.ER_SUCCESS_MATCH), values=[value])])


# --- what the person hears --------------------------------------------------------------------

def spoken_text(output_speech: dict | None) -> str:
    """The words of an outputSpeech (SSML or plain text), as heard; an audio clip as [audio]."""
    if not output_speech:
        return ""
    text = output_speech.get("ssml") or output_speech.get("text") or ""
    text = _AUDIO_TAG.sub(" [audio] ", text)
    text = _TAG.sub("", _PAUSE_TAG.sub(" ", text))
    return re.sub(r"\s+", " ", html.unescape(text)).strip()


@dataclass(frozen=True)
class Turn:
    """One response, reduced to what a person hears and sees."""

    speech: str
    reprompt: str
    card: str
    state: dict
    directives: tuple[str, ...]
    ends_session: bool
    eliciting: tuple[str, str] | None = None  # a Dialog.ElicitSlot's (intent, slot)

    @classmethod
    def from_envelope(cls, envelope: dict) -> "Turn":
        response = envelope.get("response") or {}
        card = response.get("card") or {}
        card_text = " / ".join(p for p in (card.get("title"), card.get("content") or card.get("text")) if p)
        every = response.get("directives") or []
        # Dialog directives steer what Alexa hears next; a person neither hears nor sees them.
        directives = tuple(_directive(d) for d in every if not d.get("type", "").startswith("Dialog."))
        elicit = next((d for d in every if d.get("type") == "Dialog.ElicitSlot"), None)
        return cls(speech=spoken_text(response.get("outputSpeech")),
                   reprompt=spoken_text((response.get("reprompt") or {}).get("outputSpeech")),
                   card=re.sub(r"\s*\n\s*", " / ", card_text.strip()),
                   state=envelope.get("sessionAttributes") or {},
                   directives=directives,
                   # Alexa closes the session on true, and also when the skill gave nothing to
                   # answer (no reprompt) on a voice-only device.
                   ends_session=response.get("shouldEndSession") is not False,
                   eliciting=((elicit.get("updatedIntent") or {}).get("name"), elicit.get("slotToElicit"))
                   if elicit else None)


def _directive(directive: dict) -> str:
    kind = directive.get("type", "?")
    stream = ((directive.get("audioItem") or {}).get("stream") or {})
    return f"[{kind}{': ' + stream['url'] if stream.get('url') else ''}]"


# --- hearing it (--speak) ---------------------------------------------------------------------

class Speaker:
    """Renders each reply with the project's audio path and plays it, or saves it in a folder.
    Any failure is said once, in one line, and the chat carries on in text."""

    PLAYERS = (("ffplay", ["-nodisp", "-autoexit", "-loglevel", "error"]), ("mpg123", ["-q"]),
               ("paplay", []), ("aplay", ["-q"]))

    def __init__(self, audio_out: Path | None, say=lambda line: click.echo(line, err=True)):
        self.audio_out = Path(audio_out) if audio_out else None
        self.say = say
        self.enabled = True
        self.count = 0
        self._told: set[str] = set()
        self._engine_said = False
        self._scratch = tempfile.TemporaryDirectory(prefix="ivig-chat-audio-")
        self.player = next(((name, args) for name, args in self.PLAYERS if shutil.which(name)), None)
        if self.audio_out is None and self.player is None:
            self._give_up("no audio player found (ffplay, mpg123, paplay or aplay); "
                          "use --audio-out DIR to save each reply instead")

    def _give_up(self, why: str) -> None:
        self.say(f"audio: {why}; carrying on in text.")
        self.enabled = False

    def _echo(self, message: str) -> None:
        if message not in self._told:
            self._told.add(message)
            self._engine_said = True
            self.say(f"audio: {message}")

    def speak(self, text: str) -> None:
        if not self.enabled or not text:
            return
        try:
            from skill import audio
        except ImportError as error:
            return self._give_up(f"audio rendering is unavailable ({error})")
        self.count += 1
        folder = self.audio_out or Path(self._scratch.name)
        out = folder / f"reply-{self.count:03d}.mp3"
        try:
            audio.render_text(text, out, allow_offline=True, echo=self._echo)
        except audio.AudioRenderError as error:
            return self._give_up(str(error))
        if not self._engine_said:
            self._engine_said = True
            self.say("audio: rendered with Google's voice (gTTS)")
        if self.audio_out is not None:
            self.say(f"audio: saved {out}")
        else:
            self._play(out)

    def _play(self, mp3: Path) -> None:
        name, args = self.player
        path = mp3 if name in ("ffplay", "mpg123") else self._as_wav(mp3)
        try:
            subprocess.run([name, *args, str(path)], check=True, stdout=subprocess.DEVNULL,
                           stderr=subprocess.PIPE, timeout=300)
        except (OSError, subprocess.SubprocessError) as error:
            self._give_up(f"{name} could not play the reply ({error})")

    @staticmethod
    def _as_wav(mp3: Path) -> Path:
        import wave

        import miniaudio

        decoded = miniaudio.decode_file(str(mp3), output_format=miniaudio.SampleFormat.SIGNED16)
        wav = mp3.with_suffix(".wav")
        with wave.open(str(wav), "wb") as out:
            out.setnchannels(decoded.nchannels)
            out.setsampwidth(2)
            out.setframerate(decoded.sample_rate)
            out.writeframes(decoded.samples.tobytes())
        return wav

    def close(self) -> None:
        self._scratch.cleanup()


# --- the conversation ------------------------------------------------------------------------

class Chat:
    """One person talking to the skill: words in, the skill's replies printed."""

    def __init__(self, endpoint: Endpoint, *, show: set[str], out: IO[str], width: int = WIDTH,
                 speaker: Speaker | None = None):
        self.endpoint = endpoint
        self.show = show
        self.out = out
        self.width = width
        self.speaker = speaker
        self.session: AlexaSession | None = None

    def say(self, words: str) -> None:
        """The person says `words`: the request Alexa would send, the skill's reply printed."""
        eliciting = self.session.eliciting if self.session is not None else None
        understood = nlu.understand(words, self.endpoint.locale, eliciting)
        if understood.request_type == nlu.SESSION_ENDED:
            self.end_session("USER_INITIATED")
            return
        if understood.invoked and self.session is not None:
            self.end_session("USER_INITIATED")  # naming the skill again starts afresh
        if self.session is None:
            self.session = AlexaSession()
        if understood.request_type == nlu.LAUNCH:
            request = self.endpoint.launch_request()
        else:
            request = self.endpoint.intent_request(understood, None if understood.invoked else eliciting)
        if "intent" in self.show:
            self._print_line("  intent: ", _describe(understood))
        turn = Turn.from_envelope(self.endpoint.post(request, self.session))
        self._print(turn)
        if turn.ends_session:
            self.session = None
            self.out.write(SESSION_ENDS + "\n")
        else:
            self.session.attributes = turn.state
            self.session.new = False
            self.session.eliciting = turn.eliciting
        self.out.flush()
        if self.speaker is not None:
            self.speaker.speak(turn.speech)

    def end_session(self, reason: str) -> None:
        """The session closes without the skill ending it: Alexa sends SessionEndedRequest."""
        if self.session is None:
            return
        self.endpoint.post(self.endpoint.session_ended_request(reason), self.session)
        self.session = None
        self.out.write(SESSION_ENDS + "\n")
        self.out.flush()

    def _print(self, turn: Turn) -> None:
        self._print_line(ALEXA, " ".join(p for p in (turn.speech, *turn.directives) if p) or "(silence)")
        if "reprompt" in self.show and turn.reprompt:
            self._print_line("  reprompt: ", turn.reprompt)
        if "card" in self.show and turn.card:
            self._print_line("  card: ", turn.card)
        if "state" in self.show:
            self.out.write("  state: " + json.dumps(turn.state, sort_keys=True, separators=(",", ":"),
                                                    ensure_ascii=False) + "\n")

    def _print_line(self, prefix: str, text: str) -> None:
        self.out.write(textwrap.fill(text, width=self.width, initial_indent=prefix,
                                     subsequent_indent=" " * len(prefix), break_on_hyphens=False,
                                     break_long_words=False) + "\n")


def _describe(understood: nlu.Understood) -> str:
    slots = " ".join(f"{s.name}={s.value!r}" + (f"({s.resolution_id})" if s.resolution_id else "")
                     for s in understood.slots if s.value is not None)
    name = understood.intent or understood.request_type
    return f"{name} {slots} [{understood.rule}]".replace("  ", " ")


def script_lines(lines: Iterable[str]) -> Iterator[tuple[str, str]]:
    """("say", words) for each utterance of a script or a transcript, ("echo", line) for the
    blank lines and comments that are copied into the transcript."""
    transcript: bool | None = None
    for raw in lines:
        line = raw.rstrip("\r\n")
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            yield "echo", stripped
            continue
        if transcript is None:
            transcript = stripped.startswith(YOU.strip())
        if stripped.startswith(YOU.strip()):
            yield "say", stripped[len(YOU.strip()):].strip()
        elif not transcript:
            yield "say", stripped
        # else: a line of the skill's in a transcript: printed afresh, not said


def run_chat(*, locale: str = "en-US", show: set[str] | frozenset[str] = frozenset(), speak: bool = False,
             audio_out: Path | None = None, data_dir: Path = Path("data"),
             stdin: IO[str] | None = None, stdout: IO[str] | None = None) -> None:
    """Talk to the skill: interactively on a terminal, or replaying a script from stdin."""
    stdin = stdin or sys.stdin
    stdout = stdout or sys.stdout
    # The conversation is the output: the skill's per-request log lines would drown it.
    quieted = logging.root.manager.disable
    logging.disable(max(quieted, logging.INFO))
    interactive = stdin.isatty()
    width = min(WIDTH, shutil.get_terminal_size((WIDTH, 24)).columns) if interactive else WIDTH
    speaker = Speaker(audio_out) if speak else None
    try:
        chat = Chat(Endpoint(locale=locale, data_dir=data_dir), show=set(show), out=stdout, width=width,
                    speaker=speaker)
        if interactive:
            _interactive(chat, stdin, stdout)
        else:
            for kind, text in script_lines(stdin):
                if kind == "echo":
                    stdout.write(text + "\n")
                else:
                    stdout.write(YOU + text + "\n")
                    chat.say(text)
        chat.end_session("EXCEEDED_MAX_REPROMPTS")  # the person stopped talking
    finally:
        logging.disable(quieted)
        if speaker is not None:
            speaker.close()


def _interactive(chat: Chat, stdin: IO[str], stdout: IO[str]) -> None:
    try:
        importlib.import_module("readline")  # line editing and history for input()
    except ImportError:
        pass
    stdout.write('Say what you would say to Alexa, e.g. "open i v i g helper". Ctrl-D to finish.\n')
    while True:
        try:
            words = input(YOU) if stdin is sys.stdin else _prompt(stdin, stdout)
        except (EOFError, KeyboardInterrupt):
            stdout.write("\n")
            return
        if words.strip() and not words.strip().startswith("#"):
            chat.say(words.strip())


def _prompt(stdin: IO[str], stdout: IO[str]) -> str:
    stdout.write(YOU)
    stdout.flush()
    line = stdin.readline()
    if not line:
        raise EOFError
    return line
