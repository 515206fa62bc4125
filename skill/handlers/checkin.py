"""The post-infusion symptom check, translated between Alexa and the pure core in
skill/triage.py. Session attributes carry the core's state; a copy is kept in the
person's persistent attributes while the check is unfinished, so that the next launch
can offer to continue it, and is removed when the check ends."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta, timezone

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.utils import is_intent_name

from skill import speech, symptom_words, triage
from skill.handlers.common import (locale_of, pending, respond, say, session, settings_of, slot_ids,
                                   slot_value)
from skill.speech import Reply, join
from skill.store import STORAGE_ERRORS

log = logging.getLogger(__name__)

CHECK = "symptom_check"          # session: {"state", "asking"} in progress; {"outcome", "reported"} at the end
PAUSED = "paused_check"          # persistent: {"state", "saved_at"}
HISTORY = "history"              # persistent: saved checks, only with the deployment's and the person's yes
FINISHED = "finished_check"      # session: the check just finished, until the person says whether to keep it
HISTORY_LIMIT = 10

_ANSWERS = {
    "AMAZON.YesIntent": triage.Answer.YES,
    "AMAZON.NoIntent": triage.Answer.NO,
    "NotSureIntent": triage.Answer.NOT_SURE,
}


# ---- state: read, checked, and kept -------------------------------------------------

def _persistent(handler_input) -> dict:
    return handler_input.attributes_manager.persistent_attributes


def paused_state(handler_input) -> triage.CheckState | None:
    """The persisted unfinished check, if it is valid and recent enough to offer."""
    try:
        paused = _persistent(handler_input).get(PAUSED)
    except STORAGE_ERRORS as error:  # no user id, or storage unavailable: nothing to resume
        log.warning("persistent attributes unavailable: %s", type(error).__name__)
        return None
    if not isinstance(paused, dict):
        return None
    try:
        saved_at = datetime.fromisoformat(paused["saved_at"])
        state = triage.from_dict(paused["state"])
    except (KeyError, TypeError, ValueError):  # InvalidState is a ValueError
        _save_paused(handler_input, None)  # unreadable (e.g. from an older version): drop it
        return None
    max_age = timedelta(hours=settings_of(handler_input).resume_hours)
    if datetime.now(timezone.utc) - saved_at > max_age or triage.is_finished(state):
        _save_paused(handler_input, None)  # too old to offer: keep nothing
        return None
    return state


def _session_state(handler_input) -> triage.CheckState | None:
    """The check in progress. The session carries it; the saved copy (written every turn)
    wins when the session's copy is invalid or would lower the outcome, so a stale or
    forged session attribute can never lower the advice."""
    check = session(handler_input).get(CHECK)
    if not isinstance(check, dict) or "state" not in check:
        return None
    try:
        carried = triage.from_dict(check["state"])
    except triage.InvalidState:
        log.warning("symptom check state in the session was invalid")
        carried = None
    saved = paused_state(handler_input)
    if saved is not None and (carried is None or triage.outcome(saved) > triage.outcome(carried)):
        return saved
    return carried


def _restarted(handler_input, *preface: str):
    """Neither copy of the check can be trusted (stale after an update, or forged): start
    again from the first question without applying this turn's answer to it."""
    session(handler_input).pop(CHECK, None)
    return _continue(handler_input, triage.start(), *preface, say(handler_input, "check.start_again"))


def _finished_state(handler_input) -> triage.CheckState | None:
    """The check that finished in this session, so a symptom added, "go back" or "start
    over" after the advice can build on it."""
    check = session(handler_input).get(CHECK)
    if not isinstance(check, dict) or "outcome" not in check:
        return None
    try:
        state = triage.from_dict(check.get("state"))
    except triage.InvalidState:
        return None
    return state if triage.is_finished(state) else None


def in_progress(handler_input) -> bool:
    """A check is under way in this session (even one whose state turns out unreadable)."""
    check = session(handler_input).get(CHECK)
    if not isinstance(check, dict) or "state" not in check:
        return False
    state = _session_state(handler_input)
    return state is None or not triage.is_finished(state)


def has_paused_check(handler_input) -> bool:
    return not in_progress(handler_input) and paused_state(handler_input) is not None


def _save_paused(handler_input, state: triage.CheckState | None) -> None:
    try:
        attributes = _persistent(handler_input)
        if state is None:
            if PAUSED not in attributes:
                return
            attributes.pop(PAUSED)
        else:
            attributes[PAUSED] = {"state": triage.to_dict(state),
                                  "saved_at": datetime.now(timezone.utc).isoformat()}
        handler_input.attributes_manager.save_persistent_attributes()
    except STORAGE_ERRORS as error:
        log.warning("could not save the unfinished check: %s", type(error).__name__)


def pause_check(handler_input) -> None:
    """The session ends (or the person goes home) mid-check: keep it so the next launch can
    offer to continue."""
    if not in_progress(handler_input):
        return
    state = _session_state(handler_input)
    if state is not None:
        _save_paused(handler_input, state)
    session(handler_input).pop(CHECK, None)


# ---- what is said ---------------------------------------------------------------------

def _advice(handler_input, state: triage.CheckState) -> str:
    """The final advice, said and shown on the card: emergency words first, then the echo."""
    level = triage.outcome(state)
    reported = triage.reported(state)
    echo = (say(handler_input, "advice.echo", reported=triage.describe(triage.reported_groups(state)))
            if reported
            else say(handler_input, "advice.echo_none"))
    nurse = _nurse(handler_input, state) if reported else ""
    outcome_words = say(handler_input, f"advice.{level.id}")
    closing = join(say(handler_input, "advice.not_diagnosis"),
                   say(handler_input, "advice.worse") if level is not triage.Level.EMERGENCY else "")
    if level is triage.Level.EMERGENCY:
        text = join(outcome_words, echo, nurse, say(handler_input, "advice.not_diagnosis"))
    else:
        text = join(nurse, echo, outcome_words, closing)
    return text


def _continue(handler_input, state: triage.CheckState, *preface: str):
    """Ask the next question, or finish with the advice."""
    attributes = session(handler_input)
    if not triage.is_finished(state):
        question = triage.current_question(state)
        attributes[CHECK] = {"state": triage.to_dict(state), "asking": list(triage.asking(state))}
        _save_paused(handler_input, state)
        words = triage.question_text(state)
        lead = say(handler_input, "check.reask_lead") if triage.is_reasking(state) else ""
        reprompt = words
        if triage.most_urgent(question.asks) is triage.Level.EMERGENCY:
            reprompt = join(words, say(handler_input, "check.cant_answer"))
        return respond(handler_input, Reply(join(*preface, lead, words), reprompt))
    return _finish(handler_input, state, *preface)


def _nurse(handler_input, state: triage.CheckState) -> str:
    """"Tell your nurse now" while the infusion is going on; hedged if the person wasn't sure."""
    if not triage.in_infusion(state):
        return ""
    unsure = (triage.INFUSION, triage.Answer.NOT_SURE.value) in state.answers
    return say(handler_input, "advice.nurse_if" if unsure else "advice.nurse_now")


def _finish(handler_input, state: triage.CheckState, *preface: str):
    level = triage.outcome(state)
    reported = list(triage.reported(state))
    session(handler_input)[CHECK] = {"outcome": level.id, "reported": reported,
                                     "state": triage.to_dict(state)}
    _save_paused(handler_input, None)
    advice = card = _advice(handler_input, state)
    title = say(handler_input, "advice.card_title")
    if level is triage.Level.EMERGENCY:
        again = say(handler_input, "advice.emergency_again")
        return respond(handler_input, Reply(join(advice, again), None, title, card, end_session=True))
    if settings_of(handler_input).history_enabled:
        session(handler_input)[FINISHED] = {
            "outcome": level.id, "reported": reported, "locale": locale_of(handler_input),
            "groups": [list(group) for group in triage.reported_groups(state)]}
        offer = say(handler_input, "history.offer")
        return respond(handler_input, Reply(join(*preface, advice, offer), offer, title, card),
                       pending="save_check")
    anything = say(handler_input, "answers.anything_else")
    return respond(handler_input, Reply(join(*preface, advice, anything), anything, title, card))


def resume_after(handler_input, reply: Reply):
    """An answer given mid-check, then the check's current question again."""
    state = _session_state(handler_input)
    if state is None:
        return _restarted(handler_input, reply.speech)
    return _continue(handler_input, state, reply.speech, say(handler_input, "check.back_to_check"))


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
            text = say(handler_input, "check.resume_gone")
            return respond(handler_input, Reply(text, say(handler_input, "launch.offer")))
        _save_paused(handler_input, None)
        text = join(interim_advice(handler_input, state), say(handler_input, "launch.resume_declined"))
        return respond(handler_input, Reply(text, say(handler_input, "launch.offer")))


def kept_for(handler_input) -> str:
    """That an unfinished check's answers are kept, and for how long (rule 7, said aloud)."""
    hours = settings_of(handler_input).resume_hours
    return say(handler_input, "check.kept_for", hours=f"{hours:g}") if hours > 0 else ""


def interim_advice(handler_input, state: triage.CheckState | None = None) -> str:
    """What to do about what was reported so far in a check that is being left unfinished
    (by default the one in progress)."""
    if state is None and in_progress(handler_input):
        state = _session_state(handler_input)
    if state is not None and triage.is_reasking(state):
        state = triage.answer(state, triage.Answer.NOT_SURE)  # a second "not sure" counts as yes
    if state is None or triage.outcome(state) is triage.Level.NO_CALL:
        return ""
    echo = say(handler_input, "check.so_far", reported=triage.describe(triage.reported_groups(state)))
    question = triage.current_question(state)
    follow_up = question is not None and question.follows is not None
    return join(echo, say(handler_input, f"advice.{triage.outcome(state).id}"),
                say(handler_input, "check.follow_up_unanswered") if follow_up else "")


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
        answering = _session_state(handler_input) if in_progress(handler_input) else None
        finished = None if answering else _finished_state(handler_input)
        if answering is not None or finished is not None:
            state, preface = answering or finished, []
        else:
            state, opening = _begin(handler_input)
            preface = [opening]
        words = " ".join(filter(None, (slot_value(handler_input, "description"),
                                       slot_value(handler_input, "symptom"))))
        heard = symptom_words.hear(words, slot_ids(handler_input, "symptom"))
        if answering is not None and (heard.answer or heard.all_well):
            # "yeah", "I'm not sure" or "I'm fine" as words: an answer to the question asked
            return _continue(handler_input, triage.answer(state, triage.Answer(heard.answer or "no")))
        ids = heard.ids
        if ids or heard.in_infusion is not None:
            state = triage.report(state, ids, in_infusion=heard.in_infusion)
        if ids and not triage.is_finished(state):
            preface.append(say(handler_input, "check.got_it", reported=triage.describe(sorted(ids))))
            preface.append(_nurse(handler_input, state))
        elif not ids:
            preface.append(say(handler_input, "check.nothing_noted"))
        return _continue(handler_input, state, *preface)


def _has_check(handler_input) -> bool:
    """A check is under way, or has just finished, in this session."""
    return in_progress(handler_input) or _finished_state(handler_input) is not None


def _current_or_finished(handler_input) -> triage.CheckState | None:
    """The check under way, else the one that just finished (for go back and start over)."""
    return _session_state(handler_input) if in_progress(handler_input) else _finished_state(handler_input)


class CheckGoBackHandler(AbstractRequestHandler):
    """"Go back": Alexa may send AMAZON.PreviousIntent for it as well as our GoBackIntent."""

    def can_handle(self, handler_input):
        return (is_intent_name("GoBackIntent")(handler_input)
                or is_intent_name("AMAZON.PreviousIntent")(handler_input)) and _has_check(handler_input)

    def handle(self, handler_input):
        state = _current_or_finished(handler_input)
        if state is None:
            return _restarted(handler_input)
        question = triage.current_question(state)
        if triage.is_reasking(state) and question and triage.most_urgent(question.asks) is triage.Level.EMERGENCY:
            earlier = state  # "not sure" to an emergency question is not taken back: ask it again
        else:
            earlier = triage.go_back(state)
        key = "check.went_back" if earlier != state else "check.cannot_go_back"
        return _continue(handler_input, earlier, say(handler_input, key))


class CheckStartOverHandler(AbstractRequestHandler):
    def can_handle(self, handler_input):
        return is_intent_name("AMAZON.StartOverIntent")(handler_input) and _has_check(handler_input)

    def handle(self, handler_input):
        state = _current_or_finished(handler_input)
        if state is None:
            return _restarted(handler_input)
        state = triage.restart(state)
        return _continue(handler_input, state, say(handler_input, "check.restarted"))


class CheckHelpHandler(AbstractRequestHandler):
    def can_handle(self, handler_input):
        return is_intent_name("AMAZON.HelpIntent")(handler_input) and in_progress(handler_input)

    def handle(self, handler_input):
        state = _session_state(handler_input)
        if state is None:
            return _restarted(handler_input, say(handler_input, "help.in_check"))
        return _continue(handler_input, state, say(handler_input, "help.in_check"))


class CheckStopHandler(AbstractRequestHandler):
    """Stop mid-check: keep the answers so far for next time, and say how to get help."""

    def can_handle(self, handler_input):
        return (is_intent_name("AMAZON.StopIntent")(handler_input)
                or is_intent_name("AMAZON.CancelIntent")(handler_input)) and in_progress(handler_input)

    def handle(self, handler_input):
        state = _session_state(handler_input)
        _save_paused(handler_input, state)
        session(handler_input).pop(CHECK, None)
        text = join(interim_advice(handler_input, state), say(handler_input, "check.stopped"),
                    kept_for(handler_input), say(handler_input, "check.stopped_bye"))
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
        if keep and isinstance(finished, dict) and settings_of(handler_input).history_enabled:
            now = datetime.now(timezone.utc)
            entry = dict(finished, date=now.date().isoformat(), time=now.isoformat(timespec="minutes"))
            attributes = _persistent(handler_input)
            history = [e for e in attributes.get(HISTORY, []) if isinstance(e, dict)]
            attributes[HISTORY] = (history + [entry])[-HISTORY_LIMIT:]
            handler_input.attributes_manager.save_persistent_attributes()
            text = say(handler_input, "history.kept")
        else:
            text = say(handler_input, "history.not_kept")
        anything = say(handler_input, "answers.anything_else")
        return respond(handler_input, Reply(join(text, anything), anything))


class HistoryHandler(AbstractRequestHandler):
    """"What did I report last time?": the last saved checks, newest first, with dates."""

    def can_handle(self, handler_input):
        return is_intent_name("HistoryIntent")(handler_input)

    def handle(self, handler_input):
        if not settings_of(handler_input).history_enabled:
            text = say(handler_input, "history.disabled")
        else:
            entries = [e for e in _persistent(handler_input).get(HISTORY, []) if isinstance(e, dict)]
            text = join(*[_history_line(handler_input, e) for e in reversed(entries[-3:])]) or \
                say(handler_input, "history.none")
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
        handler_input.attributes_manager.delete_persistent_attributes()
        session(handler_input).pop(CHECK, None)
        session(handler_input).pop(FINISHED, None)
        anything = say(handler_input, "answers.anything_else")
        text = join(advice, say(handler_input, "history.deleted"), anything)
        return respond(handler_input, Reply(text, anything))
