"""The post-infusion symptom check, translated between Alexa and the pure core in
skill/triage.py. Session attributes carry the core's state. Only where the deployment keeps
health data (IVIG_KEEP_HEALTH_DATA) is a copy kept in the person's persistent attributes while
the check is unfinished, so that the next launch can offer to continue it; it is removed when
the check ends. The check is resolved once a request (CheckInterceptor); stores are written
only in handle, and nothing is said to be kept until it was."""

from __future__ import annotations

import functools
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from ask_sdk_core.dispatch_components import (AbstractRequestHandler, AbstractRequestInterceptor,
                                              AbstractResponseInterceptor)
from ask_sdk_core.utils import is_intent_name, is_request_type
from ask_sdk_model import Intent, IntentConfirmationStatus, Slot, SlotConfirmationStatus
from ask_sdk_model.dialog import ElicitSlotDirective

from skill import hearing, speech, triage
from skill.handlers.common import (locale_of, pending, respond, say, session, settings_of, slot_ids,
                                   slot_value)
from skill.speech import Reply, join
from skill.store import STORAGE_ERRORS

log = logging.getLogger(__name__)

CHECK = "symptom_check"          # session: {"state", "asking", "heard"} in progress; {"outcome", "reported",
                                 # "heard"} at the end; {"aside", "heard"} once put aside
ASIDE = "aside"                  # in CHECK: the unfinished check put aside in this session
PAUSED = "paused_check"          # persistent: {"state", "saved_at"}
HISTORY = "history"              # persistent: saved checks, only with the deployment's and the person's yes
FINISHED = "finished_check"      # session: the check just finished, until the person says whether to keep it
HISTORY_LIMIT = 10

_ANSWERS = {
    "AMAZON.YesIntent": triage.Answer.YES,
    "AMAZON.NoIntent": triage.Answer.NO,
    "NotSureIntent": triage.Answer.NOT_SURE,
}


# ---- state: resolved once a request, kept only in handle --------------------------------

CONTEXT = "symptom_check_context"  # request attribute: the CheckContext of this request


@dataclass(frozen=True)
class CheckContext:
    """The symptom check as this request found it, resolved once (by CheckInterceptor, before
    any can_handle): handlers' can_handle only read its flags, and nothing here writes."""

    under_way: bool = False  # the session carries a check in progress (even an unreadable one)
    state: triage.CheckState | None = None  # that check, the saved copy winning where it says more
    finished: triage.CheckState | None = None  # the check that finished in this session
    saved: triage.CheckState | None = None  # an unfinished check put aside (session or store)
    drop_saved: bool = False  # the store holds an unfinished check too old or unreadable to offer

    @property
    def in_progress(self) -> bool:
        return self.under_way and (self.state is None or not triage.is_finished(self.state))

    @property
    def has_check(self) -> bool:
        """A check is under way, or has just finished, in this session."""
        return self.in_progress or self.finished is not None

    @property
    def current_or_finished(self) -> triage.CheckState | None:
        return self.state if self.in_progress else self.finished

    @property
    def offer_resume(self) -> bool:
        return not self.in_progress and self.saved is not None


def context(handler_input) -> CheckContext:
    """This request's CheckContext, resolved on first use and then only read."""
    attributes = handler_input.attributes_manager.request_attributes
    if CONTEXT not in attributes:
        attributes[CONTEXT] = _resolve(handler_input)
    return attributes[CONTEXT]


class CheckInterceptor(AbstractRequestInterceptor):
    """Resolves the symptom check once per request, before any handler is chosen."""

    def process(self, handler_input):
        context(handler_input)


@functools.cache
def answer_slot() -> tuple[str, str]:
    """(intent, slot) that a reply waiting for an answer elicits: interaction.toml [answer_slot]."""
    from skill.models import model_source

    answer = model_source()["answer_slot"]
    return answer["intent"], answer["slot"]


class AnswerSlotInterceptor(AbstractResponseInterceptor):
    """A reply that leaves a check question open elicits the answer slot (Dialog.ElicitSlot), so
    that Alexa hands over whatever the person answers as that slot's words, even words no sample
    fits; yes, no, stop, help and the rest still reach their own intents. Only on an intent
    request whose session stays open, with no other directive (Amazon allows dialog directives
    on neither a launch nor beside an audio stream)."""

    def process(self, handler_input, response):
        check = session(handler_input).get(CHECK)
        if (response is None or response.should_end_session is not False or response.directives
                or not is_request_type("IntentRequest")(handler_input) or pending(handler_input)
                or not isinstance(check, dict) or "asking" not in check or "outcome" in check):
            return
        intent, slot = answer_slot()
        response.directives = [ElicitSlotDirective(slot_to_elicit=slot, updated_intent=Intent(
            name=intent, confirmation_status=IntentConfirmationStatus.NONE,
            slots={slot: Slot(name=slot, confirmation_status=SlotConfirmationStatus.NONE)}))]


def keeping(handler_input) -> bool:
    """The deployment keeps health data (IVIG_KEEP_HEALTH_DATA): only then is anything a person
    said about their health written to a store."""
    return settings_of(handler_input).keep_health_data


def _parse(value) -> triage.CheckState | None:
    try:
        return triage.from_dict(value)
    except triage.InvalidState:
        return None


def _resolve(handler_input) -> CheckContext:
    check = session(handler_input).get(CHECK)
    check = check if isinstance(check, dict) else {}
    under_way = "state" in check and "outcome" not in check
    carried = _parse(check["state"]) if under_way else None
    if under_way and carried is None:
        log.warning("symptom check state in the session was invalid")
    finished = _parse(check.get("state")) if "outcome" in check else None
    put_aside = _parse(check.get(ASIDE)) if ASIDE in check else None
    stored, drop = _stored(handler_input)
    saved = triage.resolve(put_aside, stored)
    return CheckContext(
        under_way=under_way,
        state=triage.resolve(carried, stored) if under_way else None,
        finished=finished if finished is not None and triage.is_finished(finished) else None,
        saved=saved if saved is not None and not triage.is_finished(saved) else None,
        drop_saved=drop)


def _stored(handler_input) -> tuple[triage.CheckState | None, bool]:
    """The unfinished check kept in the store (only where the deployment keeps health data, and
    only for spoken requests), and whether an unusable one should be dropped."""
    request_type = getattr(handler_input.request_envelope.request, "object_type", None)
    if not keeping(handler_input) or request_type not in ("LaunchRequest", "IntentRequest"):
        return None, False
    try:
        paused = _persistent(handler_input).get(PAUSED)
    except STORAGE_ERRORS as error:  # no user id, or storage unavailable: nothing to resume
        log.warning("persistent attributes unavailable: %s", type(error).__name__)
        return None, False
    if paused is None:
        return None, False
    try:
        saved_at = datetime.fromisoformat(paused["saved_at"])
        state = triage.from_dict(paused["state"])
    except (KeyError, TypeError, ValueError):  # InvalidState is a ValueError
        return None, True  # unreadable (e.g. from an older version): drop it
    max_age = timedelta(hours=settings_of(handler_input).resume_hours)
    if datetime.now(timezone.utc) - saved_at > max_age or triage.is_finished(state):
        return None, True  # too old to offer: keep nothing
    return state, False


def _persistent(handler_input) -> dict:
    return handler_input.attributes_manager.persistent_attributes


def in_progress(handler_input) -> bool:
    return context(handler_input).in_progress


def has_paused_check(handler_input) -> bool:
    return context(handler_input).offer_resume


def paused_state(handler_input) -> triage.CheckState | None:
    """The unfinished check put aside (earlier in this session, or kept from an earlier one)."""
    return context(handler_input).saved


def _session_state(handler_input) -> triage.CheckState | None:
    return context(handler_input).state


def _save(handler_input) -> bool:
    """Writes the person's persistent attributes; False (logged, never raised) when it failed,
    so that nothing is then promised (store.StoreError, or any storage error)."""
    try:
        handler_input.attributes_manager.save_persistent_attributes()
        return True
    except STORAGE_ERRORS as error:
        log.warning("could not save: %s", type(error).__name__)
        return False


def _save_paused(handler_input, state: triage.CheckState | None) -> bool:
    """Keep (or, with None, remove) the unfinished check in the store, only where the deployment
    keeps health data. True when it is now kept as asked."""
    if not keeping(handler_input):
        return False
    try:
        attributes = _persistent(handler_input)
    except STORAGE_ERRORS as error:
        log.warning("persistent attributes unavailable: %s", type(error).__name__)
        return False
    if state is None:
        if PAUSED not in attributes:
            return True
        attributes.pop(PAUSED)
    else:
        attributes[PAUSED] = {"state": triage.to_dict(state), "saved_at": datetime.now(timezone.utc).isoformat()}
    return _save(handler_input)


def tidy(handler_input) -> None:
    """Drop a kept unfinished check that is too old or unreadable to offer (in handle only)."""
    if context(handler_input).drop_saved:
        _save_paused(handler_input, None)


def _restarted(handler_input, *preface: str):
    """Neither copy of the check can be trusted (stale after an update, or forged): start
    again from the first question without applying this turn's answer to it."""
    session(handler_input).pop(CHECK, None)
    return _continue(handler_input, triage.start(), *preface, say(handler_input, "check.start_again"))


def pause_check(handler_input) -> str:
    """The session ends, or the person goes home or stops, mid-check: the check is put aside
    (in the session, so "check my symptoms" carries on; in the store too where the deployment
    keeps health data, so the next launch can offer to continue). Returns what to tell the person
    about keeping it ("" when no check was under way)."""
    ctx = context(handler_input)
    if not ctx.in_progress:
        return ""
    state = ctx.state
    if state is None:
        session(handler_input).pop(CHECK, None)
        return ""
    session(handler_input)[CHECK] = {ASIDE: triage.to_dict(state), "heard": list(triage.reported(state))}
    if not keeping(handler_input):
        return say(handler_input, "check.nothing_kept")
    if not _save_paused(handler_input, state):
        return say(handler_input, "check.keep_failed")
    hours = settings_of(handler_input).resume_hours
    return say(handler_input, "check.kept_for", hours=f"{hours:g}") if hours > 0 else ""


# ---- what is said ---------------------------------------------------------------------

def _echo(handler_input, state: triage.CheckState, sure_key: str, unsure_key: str) -> str:
    """What was reported, said back: what the person told, then what they weren't sure about
    (counted as yes all the same)."""
    sure, unsure = triage.echo_groups(state)
    told = say(handler_input, sure_key, reported=triage.describe(sure)) if sure else ""
    doubted = say(handler_input, unsure_key if not sure else "advice.echo_unsure",
                  unsure=triage.describe(unsure)) if unsure else ""
    return join(told, doubted)


def _advice(handler_input, state: triage.CheckState) -> str:
    """The final advice, said and shown on the card: emergency words first, then the echo."""
    level = triage.outcome(state)
    reported = triage.reported(state)
    echo = (_echo(handler_input, state, "advice.echo", "advice.echo_unsure") if reported
            else _said_of(handler_input, state, "advice.echo_none"))
    nurse = _nurse(handler_input, state) if reported else ""
    outcome_words = _said_of(handler_input, state, f"advice.{level.id}")
    if level is triage.Level.EMERGENCY:
        return join(outcome_words, echo, nurse, say(handler_input, "advice.not_diagnosis"))
    return join(nurse, echo, outcome_words, say(handler_input, "advice.not_diagnosis"),
                _said_of(handler_input, state, "advice.worse"))


def _said_of(handler_input, state: triage.CheckState, key: str, **fields: str) -> str:
    """A prompt said of whom the check is about: "have someone take him to ..." (its `{them}`)."""
    return say(handler_input, key, **triage.forms_of(state.about), **fields)


def _carry(state: triage.CheckState, **more) -> dict:
    """The check's session attribute (the contract of triage.md: asking, outcome, heard)."""
    return {"state": triage.to_dict(state), **more, "heard": list(triage.reported(state))}


def _continue(handler_input, state: triage.CheckState, *preface: str):
    """Ask the next question, or finish with the advice."""
    if triage.is_finished(state):
        return _finish(handler_input, state, *preface)
    question = triage.current_question(state)
    session(handler_input)[CHECK] = _carry(state, asking=list(triage.asking(state)))
    _save_paused(handler_input, state)
    words = triage.question_text(state)
    lead = say(handler_input, "check.reask_lead") if triage.is_reasking(state) else ""
    reprompt = words
    if triage.most_urgent(question.asks) is triage.Level.EMERGENCY:
        reprompt = join(say(handler_input, "check.cant_answer"), words)  # the question last: it wants an answer
    return respond(handler_input, Reply(join(*preface, lead, words), reprompt))


def _nurse(handler_input, state: triage.CheckState) -> str:
    """"Tell your nurse now" while the infusion is going on; hedged if the person wasn't sure."""
    if not triage.in_infusion(state):
        return ""
    unsure = (triage.INFUSION, triage.Answer.NOT_SURE.value) in state.answers
    return _said_of(handler_input, state, "advice.nurse_if" if unsure else "advice.nurse_now")


def _finish(handler_input, state: triage.CheckState, *preface: str):
    level = triage.outcome(state)
    reported = list(triage.reported(state))
    session(handler_input)[CHECK] = _carry(state, outcome=level.id, reported=reported)
    _save_paused(handler_input, None)
    advice = card = _advice(handler_input, state)
    title = say(handler_input, "advice.card_title")
    if level is triage.Level.EMERGENCY:
        again = say(handler_input, "advice.emergency_again")
        return respond(handler_input, Reply(join(advice, again), None, title, card, end_session=True))
    if keeping(handler_input):
        session(handler_input)[FINISHED] = {
            "outcome": level.id, "reported": reported, "locale": locale_of(handler_input),
            "groups": [list(group) for group in triage.reported_groups(state)]}
        offer = say(handler_input, "history.offer")
        return respond(handler_input, Reply(join(*preface, advice, offer), offer, title, card),
                       pending="save_check")
    anything = say(handler_input, "answers.anything_else")
    return respond(handler_input, Reply(join(*preface, advice, anything), anything, title, card))


def resume_after(handler_input, reply: Reply, asked: str | None = None):
    """An answer given mid-check (said without a closing question), then the check's current
    question again: one question a reply. A question `asked` in words that tell of a symptom the
    person has ("is it normal that my lips are swelling?") reports it too: an emergency gets the
    emergency advice at once, instead of the answer."""
    state = _session_state(handler_input)
    if state is None:
        return _restarted(handler_input, reply.speech)
    heard = hearing.told_in_question(asked or "")
    if heard is None:
        return _continue(handler_input, state, reply.speech, say(handler_input, "check.back_to_check"))
    state = triage.speaking_of(triage.report(state, heard.ids, in_infusion=heard.in_infusion), heard.about)
    state, noted, _ = _suspect(state, heard)  # (told_in_question reads only words that tell of a symptom)
    if triage.emergency_given(state):
        return _continue(handler_input, state)
    noted = say(handler_input, "check.got_it", reported=triage.describe(sorted(noted))) if noted else ""
    return _continue(handler_input, state, reply.speech, noted, say(handler_input, "check.back_to_check"))


def _suspect(state: triage.CheckState, heard: hearing.Reading) -> tuple[triage.CheckState, frozenset[str], bool]:
    """A suspected emergency's question next, in plain words; what the reply says it noted; and
    whether that question is asked now. "Feeling unwell" is not said when the question is asked
    instead, but it is when that question was already answered: nothing passes in silence."""
    after = triage.suspect(state, heard.suspected) if heard.suspected else state
    asked = after != state
    return after, heard.noted if asked else heard.ids, asked


def interim_advice(handler_input, state: triage.CheckState | None = None) -> str:
    """What to do about what was reported so far in a check that is being left unfinished
    (by default the one in progress); a pending "not sure" counts as yes."""
    if state is None and in_progress(handler_input):
        state = _session_state(handler_input)
    if state is None:
        return ""
    state = triage.settled(state)
    if triage.outcome(state) is triage.Level.NO_CALL:
        return ""
    echo = _echo(handler_input, state, "check.so_far", "check.so_far_unsure")
    question = triage.current_question(state)
    follow_up = question is not None and question.follows is not None
    return join(echo, _said_of(handler_input, state, f"advice.{triage.outcome(state).id}"),
                _said_of(handler_input, state, "check.follow_up_unanswered") if follow_up else "")


# ---- handlers -------------------------------------------------------------------------

class StartCheckHandler(AbstractRequestHandler):
    def can_handle(self, handler_input):
        return is_intent_name("StartSymptomCheckIntent")(handler_input)

    def handle(self, handler_input):
        state = _session_state(handler_input) if in_progress(handler_input) else None
        if state is not None:
            return _continue(handler_input, state)
        return _continue(handler_input, *_begin(handler_input))


def _begin(handler_input) -> tuple:
    """A new check, or the unfinished one from before (never overwritten by a new one):
    the state to go on from and what to say first."""
    paused = paused_state(handler_input)
    if paused is not None:
        return paused, say(handler_input, "check.resuming_earlier")
    return triage.start(), say(handler_input, "check.intro")


class ResumeOfferHandler(AbstractRequestHandler):
    """The answer to "do you want to continue" the check that was left unfinished: yes,
    "resume" or "check my symptoms" continue it; no drops it, with advice if it needs any."""

    CONTINUE = ("AMAZON.YesIntent", "AMAZON.ResumeIntent", "StartSymptomCheckIntent", "NotSureIntent",
                "AMAZON.StartOverIntent", "GoBackIntent")

    def can_handle(self, handler_input):
        return any(is_intent_name(n)(handler_input) for n in (*self.CONTINUE, "AMAZON.NoIntent")) \
            and pending(handler_input) == "resume"

    def handle(self, handler_input):
        state = paused_state(handler_input)
        declined = is_intent_name("AMAZON.NoIntent")(handler_input)
        if state is not None and not declined:
            return _continue(handler_input, state, say(handler_input, "check.resuming"))
        if state is None and not declined:
            text = join(say(handler_input, "check.resume_gone"), say(handler_input, "launch.offer"))
            return respond(handler_input, Reply(text, say(handler_input, "launch.offer")))
        _save_paused(handler_input, None)
        session(handler_input).pop(CHECK, None)
        text = join(interim_advice(handler_input, state), say(handler_input, "launch.resume_declined"))
        return respond(handler_input, Reply(text, say(handler_input, "launch.offer")))


class AnswerHandler(AbstractRequestHandler):
    """Yes, no, or not sure to the current question."""

    def can_handle(self, handler_input):
        return any(is_intent_name(n)(handler_input) for n in _ANSWERS) and in_progress(handler_input)

    def handle(self, handler_input):
        answer = _ANSWERS[handler_input.request_envelope.request.intent.name]
        state = _session_state(handler_input)
        if state is None:
            return _restarted(handler_input)
        return _continue(handler_input, triage.answer(state, answer))


class ReportSymptomHandler(AbstractRequestHandler):
    """Symptoms in the person's own words, at the start or at any point of the check."""

    def can_handle(self, handler_input):
        return is_intent_name("ReportSymptomIntent")(handler_input)

    def handle(self, handler_input):
        ctx = context(handler_input)
        answering = ctx.state if ctx.in_progress else None
        if ctx.in_progress and answering is None:
            return _restarted(handler_input)
        finished = None if answering else ctx.finished
        if answering is not None or finished is not None:
            state, preface = answering or finished, []
        else:
            state, opening = _begin(handler_input)
            preface = [opening]
        words = " ".join(filter(None, (slot_value(handler_input, "description"),
                                       slot_value(handler_input, "symptom"))))
        heard = hearing.hear(words, slot_ids(handler_input, "symptom"))
        if heard.ids or heard.suspected:  # words that tell of a symptom tell of whom: "my husband..."
            state = triage.speaking_of(state, heard.about)
        if answering is not None and (heard.answer or heard.all_well):
            # "yeah", "I'm not sure" or "I'm fine" as words: an answer to the question asked
            return _continue(handler_input, triage.answer(state, triage.Answer(heard.answer or "no")))
        ids = heard.ids
        if ids or heard.in_infusion is not None:
            state = triage.report(state, ids, in_infusion=heard.in_infusion)
        state, noted, asked = _suspect(state, heard)
        if noted and not triage.is_finished(state):
            preface.append(say(handler_input, "check.got_it", reported=triage.describe(sorted(noted))))
            preface.append(_nurse(handler_input, state))
        elif not ids and not asked:
            preface.append(say(handler_input, "check.nothing_noted"))
        return _continue(handler_input, state, *preface)


class CheckGoBackHandler(AbstractRequestHandler):
    """"Go back": Alexa may send AMAZON.PreviousIntent for it as well as our GoBackIntent."""

    def can_handle(self, handler_input):
        return (is_intent_name("GoBackIntent")(handler_input)
                or is_intent_name("AMAZON.PreviousIntent")(handler_input)) and context(handler_input).has_check

    def handle(self, handler_input):
        state = context(handler_input).current_or_finished
        if state is None:
            return _restarted(handler_input)
        earlier = triage.go_back(state)
        key = "check.went_back" if earlier != state else "check.cannot_go_back"
        return _continue(handler_input, earlier, say(handler_input, key))


class CheckStartOverHandler(AbstractRequestHandler):
    def can_handle(self, handler_input):
        return is_intent_name("AMAZON.StartOverIntent")(handler_input) and context(handler_input).has_check

    def handle(self, handler_input):
        state = context(handler_input).current_or_finished
        if state is None:
            return _restarted(handler_input)
        return _continue(handler_input, triage.restart(state), say(handler_input, "check.restarted"))


class CheckHelpHandler(AbstractRequestHandler):
    def can_handle(self, handler_input):
        return is_intent_name("AMAZON.HelpIntent")(handler_input) and in_progress(handler_input)

    def handle(self, handler_input):
        state = _session_state(handler_input)
        if state is None:
            return _restarted(handler_input, say(handler_input, "help.in_check"))
        return _continue(handler_input, state, say(handler_input, "help.in_check"))


class CheckStopHandler(AbstractRequestHandler):
    """Stop mid-check: the advice owed so far, and the truth about what was kept."""

    def can_handle(self, handler_input):
        return (is_intent_name("AMAZON.StopIntent")(handler_input)
                or is_intent_name("AMAZON.CancelIntent")(handler_input)) and in_progress(handler_input)

    def handle(self, handler_input):
        advice = interim_advice(handler_input)
        kept = pause_check(handler_input)
        text = join(advice, say(handler_input, "check.stopped"), kept, say(handler_input, "check.stopped_bye"))
        return respond(handler_input, Reply(text, end_session=True))


class CheckUnknownHandler(AbstractRequestHandler):
    """Anything else mid-check (an unknown intent, a fallback): re-ask, never lose the state."""

    def can_handle(self, handler_input):
        request = handler_input.request_envelope.request
        return getattr(request, "object_type", None) == "IntentRequest" and in_progress(handler_input)

    def handle(self, handler_input):
        state = _session_state(handler_input)
        if state is None:
            return _restarted(handler_input)
        return _continue(handler_input, state, say(handler_input, "check.not_understood"))


class SaveCheckHandler(AbstractRequestHandler):
    """Yes or no to "Do you want me to keep this so you can tell your provider?"."""

    def can_handle(self, handler_input):
        return any(is_intent_name(n)(handler_input) for n in ("AMAZON.YesIntent", "AMAZON.NoIntent", "NotSureIntent")) \
            and pending(handler_input) == "save_check"

    def handle(self, handler_input):
        finished = session(handler_input).pop(FINISHED, None)
        keep = is_intent_name("AMAZON.YesIntent")(handler_input)
        if keep and isinstance(finished, dict) and keeping(handler_input):
            text = say(handler_input, "history.kept" if _add_to_history(handler_input, finished)
                       else "history.keep_failed")
        else:
            text = say(handler_input, "history.not_kept")
        anything = say(handler_input, "answers.anything_else")
        return respond(handler_input, Reply(join(text, anything), anything))


def _add_to_history(handler_input, finished: dict) -> bool:
    """Keeps a finished check in the person's history; False when the save failed."""
    now = datetime.now(timezone.utc)
    entry = dict(finished, date=now.date().isoformat(), time=now.isoformat(timespec="minutes"))
    try:
        attributes = _persistent(handler_input)
    except STORAGE_ERRORS as error:
        log.warning("persistent attributes unavailable: %s", type(error).__name__)
        return False
    history = [e for e in attributes.get(HISTORY, []) if isinstance(e, dict)]
    attributes[HISTORY] = (history + [entry])[-HISTORY_LIMIT:]
    return _save(handler_input)


class HistoryHandler(AbstractRequestHandler):
    """"What did I report last time?": the last saved checks, newest first, with dates."""

    def can_handle(self, handler_input):
        return is_intent_name("HistoryIntent")(handler_input)

    def handle(self, handler_input):
        if not keeping(handler_input):
            text = say(handler_input, "history.disabled")
        else:
            try:
                entries = [e for e in _persistent(handler_input).get(HISTORY, []) if isinstance(e, dict)]
            except STORAGE_ERRORS as error:
                log.warning("persistent attributes unavailable: %s", type(error).__name__)
                entries = None
            text = (say(handler_input, "history.unavailable") if entries is None else
                    join(*[_history_line(handler_input, e) for e in reversed(entries[-3:])])
                    or say(handler_input, "history.none"))
        reprompt = say(handler_input, "answers.anything_else")
        if in_progress(handler_input):
            return resume_after(handler_input, Reply(text, reprompt))
        return respond(handler_input, Reply(join(text, reprompt), reprompt))


def _history_line(handler_input, entry: dict) -> str:
    try:
        day = speech.spoken_date(datetime.fromisoformat(entry["date"]), locale_of(handler_input), year=False)
        outcome = say(handler_input, f"history.outcome_{triage.Level.from_id(entry['outcome']).id}")
    except (KeyError, ValueError, AttributeError):
        return ""
    symptoms = triage.protocol().symptoms
    groups = [tuple(i for i in g if i in symptoms) for g in entry.get("groups", []) if isinstance(g, list)]
    groups = [g for g in groups if g] or [(i,) for i in entry.get("reported", []) if i in symptoms]
    if groups:
        return say(handler_input, "history.entry", date=day, reported=triage.describe(groups), outcome=outcome)
    return say(handler_input, "history.entry_none", date=day, outcome=outcome)


class DeleteDataHandler(AbstractRequestHandler):
    """"Delete my data": everything kept about this person goes, at once."""

    def can_handle(self, handler_input):
        return is_intent_name("DeleteDataIntent")(handler_input)

    def handle(self, handler_input):
        advice = interim_advice(handler_input)
        try:
            handler_input.attributes_manager.delete_persistent_attributes()
            done = say(handler_input, "history.deleted")
        except STORAGE_ERRORS as error:
            log.warning("could not delete: %s", type(error).__name__)
            done = say(handler_input, "history.delete_failed")
        session(handler_input).pop(CHECK, None)
        session(handler_input).pop(FINISHED, None)
        anything = say(handler_input, "answers.anything_else")
        text = join(advice, done, anything)
        return respond(handler_input, Reply(text, anything))
