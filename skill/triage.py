"""The post-infusion symptom check: pure functions over a small frozen, versioned state.

The decisions are data (content/symptoms.toml: levels, questions, their order); this module only
walks that table. It knows nothing of Alexa: plain values in, plain values out.
"""

from __future__ import annotations

import hashlib
import json
import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from enum import Enum, IntEnum
from functools import cache
from importlib import resources
from types import MappingProxyType

VERSION = 2
INFUSION = "in_infusion"  # the context id: not a symptom, never changes the outcome


class Level(IntEnum):
    """The four outcomes, least urgent first, so that max() is the most urgent."""

    NO_CALL = 0
    CALL_SOON = 1
    CALL_NOW = 2
    EMERGENCY = 3

    @property
    def id(self) -> str:
        return self.name.lower()

    @classmethod
    def from_id(cls, level_id: str) -> Level:
        try:
            return cls[level_id.upper()]
        except KeyError:
            raise ValueError(f"unknown level {level_id!r}") from None


class Answer(Enum):
    YES = "yes"
    NO = "no"
    NOT_SURE = "not_sure"


class InvalidState(ValueError):
    """A stored check state that is stale, forged or from another version: start a new check."""


class ContentError(RuntimeError):
    """content/symptoms.toml breaks a rule of triage.md; raised when it is first loaded."""


@dataclass(frozen=True)
class Symptom:
    id: str
    level: Level
    label: str  # spoken in the echo: "You told me about {label}"
    implies: tuple[str, ...] = ()  # reporting this reports those too
    overrides: tuple[str, ...] = ()  # the echo (and the words) drop those when this is there


@dataclass(frozen=True)
class Question:
    id: str
    asks: tuple[str, ...]
    text_of: str  # the words, for whoever the check is about: "{Are} {they} having ...?"
    reask_of: str  # plainer words, said once after "I'm not sure"
    echo: str = ""  # what a "yes" to the whole group is called in the advice
    follows: str | None = None  # asked only once this symptom is reported, and then first

    @property
    def text(self) -> str:
        """The question as said to the person."""
        return spoken_of(self.text_of, YOU)

    @property
    def reask(self) -> str:
        return spoken_of(self.reask_of, YOU)

    def said(self, about: str = "you", plainly: bool = False) -> str:
        """The question as said of `about` ("he": "Is he having any trouble breathing...?")."""
        return spoken_of(self.reask_of if plainly else self.text_of, about)


YOU = "you"  # the check speaks to the person unless a caregiver speaks of someone else
_FORM = re.compile(r"\{([A-Za-z]+)\}")


@cache
def forms() -> Mapping[str, Mapping[str, str]]:
    """symptoms.toml [about.forms]: for each of you, he, she, they, the words `{they}` etc. stand for."""
    table = content()["about"]["forms"]
    if not {YOU, "he", "she", "they"} <= set(table):
        raise ContentError("content/symptoms.toml [about.forms]: you, he, she and they are all needed")
    keys = set(table[YOU])
    if any(set(row) != keys for row in table.values()):
        raise ContentError("content/symptoms.toml [about.forms]: every form needs the same words as `you`")
    return MappingProxyType({who: MappingProxyType(dict(row)) for who, row in table.items()})


@cache
def forms_of(about: str) -> Mapping[str, str]:
    """The words for `about`, by name, lowercase and capitalised ("they", "They"), for str.format
    (built once a form: every prompt the skill says is filled with them)."""
    row = forms()[about]
    return MappingProxyType({**row, **{k.capitalize(): v[:1].upper() + v[1:] for k, v in row.items()}})


def spoken_of(template: str, about: str) -> str:
    """A question's (or prompt's) words with `{they}`, `{Are}`... said of `about`."""
    words = forms_of(about)
    try:
        return _FORM.sub(lambda m: words[m.group(1)], template)
    except KeyError as unknown:
        raise ContentError(f"content/symptoms.toml: {template!r} names {unknown}, not a word of [about.forms]") from None


@dataclass(frozen=True)
class Protocol:
    symptoms: Mapping[str, Symptom]
    questions: tuple[Question, ...]
    reach: Mapping[str, Level]  # question id -> most urgent level a "yes" to it can lead to
    fingerprint: str  # changes when ids, levels or questions change: older states are stale

    def question(self, question_id: str) -> Question:
        return next(q for q in self.questions if q.id == question_id)


@cache
def content() -> dict:
    """The raw table of content/symptoms.toml (also read by symptom_words), with the phrases of
    content/other_languages.toml added to each symptom's own."""
    folder = resources.files("skill").joinpath("content")
    raw = tomllib.loads(folder.joinpath("symptoms.toml").read_text("utf-8"))
    other = tomllib.loads(folder.joinpath("other_languages.toml").read_text("utf-8"))
    for sid, row in other.items():
        if sid not in raw["symptoms"] or set(row) != {"phrases"}:
            raise ValueError(f"other_languages.toml [{sid}]: not a symptom id of symptoms.toml with only `phrases`")
        raw["symptoms"][sid]["phrases"] = raw["symptoms"][sid]["phrases"] + row["phrases"]
    return raw


@cache
def protocol() -> Protocol:
    raw = content()
    symptoms = {
        sid: Symptom(
            id=sid,
            level=Level.from_id(row["level"]),
            label=row["label"],
            implies=tuple(row.get("implies", ())),
            overrides=tuple(row.get("overrides", ())),
        )
        for sid, row in raw["symptoms"].items()
    }
    questions = tuple(
        Question(
            id=row["id"],
            asks=tuple(row["asks"]),
            text_of=row["text"],
            reask_of=row["reask"],
            echo=row.get("echo", ""),
            follows=row.get("follows"),
        )
        for row in raw["questions"]
    )
    reach = {q.id: _reach(q, symptoms, questions) for q in questions}
    canonical = json.dumps(
        [
            sorted((s.id, s.level.id, s.implies) for s in symptoms.values()),
            [(q.id, q.asks, q.follows) for q in questions],
        ]
    )
    result = Protocol(
        symptoms=MappingProxyType(symptoms),
        questions=questions,
        reach=MappingProxyType(reach),
        fingerprint=hashlib.sha256(canonical.encode()).hexdigest()[:12],
    )
    _validate(result)
    return result


def _reach(q: Question, symptoms: dict[str, Symptom], questions: tuple[Question, ...]) -> Level:
    if q.asks == (INFUSION,):
        return Level.NO_CALL
    levels = [symptoms[i].level for i in q.asks if i in symptoms]
    levels += [symptoms[i].level for f in questions if f.follows in q.asks for i in f.asks if i in symptoms]
    return max(levels, default=Level.NO_CALL)


def _validate(p: Protocol) -> None:
    """The rules of triage.md that the table itself must keep."""
    problems = []
    asked = [i for q in p.questions for i in q.asks]
    for sid, s in p.symptoms.items():
        if asked.count(sid) != 1:
            problems.append(f"{sid} is asked {asked.count(sid)} times, not once")
        problems += [f"{sid} implies unknown {i}" for i in s.implies + s.overrides if i not in p.symptoms]
    if len({q.id for q in p.questions}) != len(p.questions):
        problems.append("question ids repeat")
    main = []
    for q in p.questions:
        unknown = [i for i in q.asks if i not in p.symptoms and i != INFUSION]
        if unknown or not q.asks or len(q.asks) > 3:
            problems.append(f"question {q.id} asks {q.asks}")
        elif INFUSION not in q.asks and len({p.symptoms[i].level for i in q.asks}) != 1:
            problems.append(f"question {q.id} groups symptoms of different levels")
        if not q.text.strip() or not q.reask.strip() or q.text == q.reask:
            problems.append(f"question {q.id} needs a text and a different, plainer reask")
        for about in forms():
            for said in (q.said(about), q.said(about, plainly=True)):
                if "{" in said or "}" in said:
                    problems.append(f"question {q.id} said of {about} keeps a brace: {said!r}")
        if q.follows is not None and q.follows not in p.symptoms:
            problems.append(f"question {q.id} follows unknown {q.follows}")
        if q.follows is None and q.asks != (INFUSION,):
            main.append(p.reach[q.id])
    if main != sorted(main, reverse=True):
        problems.append("questions are not ordered most urgent first")
    if p.questions[-1].asks != (INFUSION,):
        problems.append("the in_infusion question must come last")
    if problems:
        raise ContentError("content/symptoms.toml: " + "; ".join(problems))


# ---------------------------------------------------------------------------- the state ----


@dataclass(frozen=True)
class CheckState:
    """One check in progress. `told` only grows: it is the floor nothing can lower (rule 1)."""

    version: int = VERSION
    answers: tuple[tuple[str, str], ...] = ()  # (question id, Answer value), in order; go_back pops
    told: tuple[tuple[str, ...], ...] = ()  # one group per "yes" / own-words report, in order
    unsure: tuple[str, ...] = ()  # ids counted as yes after "not sure" twice
    reasking: bool = False  # "not sure" once: the current question is asked again in plain words
    revisit: str | None = None  # a question to ask next: go_back's, or a suspected emergency's
    plainly: bool = False  # the revisit question is asked in its plain words (a suspected emergency)
    in_infusion: bool | None = None
    about: str = YOU  # whom the questions speak of: you, or he, she, they for whom a caregiver speaks


def start() -> CheckState:
    return CheckState()


def reported(state: CheckState) -> tuple[str, ...]:
    """Every symptom id reported in this check (yes, not sure, own words), first report first."""
    return tuple(dict.fromkeys(i for group in state.told for i in group))


def reported_groups(state: CheckState) -> tuple[tuple[str, ...], ...]:
    """What was reported, as said: a "yes" to a grouped question is one group (for describe)."""
    return state.told


def unsure(state: CheckState) -> tuple[str, ...]:
    return state.unsure


def echo_groups(state: CheckState) -> tuple[tuple[tuple[str, ...], ...], tuple[tuple[str, ...], ...]]:
    """What was reported, as said, split in two for the echo: what the person told (yes, own
    words) and what they weren't sure about (counted as yes all the same)."""
    doubtful = set(state.unsure)
    sure = tuple(g for g in state.told if not set(g) <= doubtful)
    return sure, tuple(g for g in state.told if set(g) <= doubtful)


def most_urgent(ids: Iterable[str]) -> Level:
    """The most urgent level any of these symptom ids forces (context ids force nothing)."""
    symptoms = protocol().symptoms
    return max((symptoms[i].level for i in ids if i in symptoms), default=Level.NO_CALL)


def outcome(state: CheckState) -> Level:
    """THE outcome: the most urgent level of anything reported in this check (the floor included,
    because `told` never shrinks)."""
    symptoms = protocol().symptoms
    return max((symptoms[i].level for i in reported(state)), default=Level.NO_CALL)


def current_question(state: CheckState) -> Question | None:
    """The question to ask now, or None once the check is finished."""
    p = protocol()
    level = outcome(state)
    if level is Level.EMERGENCY:
        return None  # emergency advice at once (rule 2), even on a restart (rule 1)
    if state.revisit is not None:
        return p.question(state.revisit)
    told = set(reported(state))
    answered = {qid for qid, _ in state.answers}
    follow_ups = [q for q in p.questions if q.follows in told]
    for q in follow_ups + [q for q in p.questions if q.follows is None]:
        if q.id not in answered and _due(q, told, level, state.in_infusion, p):
            return q
    return None


def _due(q: Question, told: set[str], level: Level, in_infusion: bool | None, p: Protocol) -> bool:
    if q.asks == (INFUSION,):
        return in_infusion is None and bool(told)
    return not set(q.asks) <= told and p.reach[q.id] > level


def is_finished(state: CheckState) -> bool:
    return current_question(state) is None


def is_reasking(state: CheckState) -> bool:
    return state.reasking


def question_text(state: CheckState) -> str | None:
    """What to say for the current question: the plain-words re-ask after one "not sure"."""
    q = current_question(state)
    if q is None:
        return None
    return q.said(state.about, plainly=state.reasking or state.plainly)


def speaking_of(state: CheckState, about: str | None) -> CheckState:
    """The check goes on speaking of `about` (you, he, she, they); None changes nothing."""
    if about is None or about == state.about:
        return state
    if about not in forms():
        raise ValueError(f"unknown form {about!r}")
    return replace(state, about=about)


def asking(state: CheckState) -> tuple[str, ...]:
    """The ids the current question covers (session attribute `symptom_check.asking`)."""
    q = current_question(state)
    return q.asks if q else ()


def in_infusion(state: CheckState) -> bool | None:
    return state.in_infusion


def emergency_given(state: CheckState) -> bool:
    return outcome(state) is Level.EMERGENCY


# ---------------------------------------------------------------------------- the moves ----


def answer(state: CheckState, a: Answer) -> CheckState:
    """Answer the current question. "Not sure" re-asks once, then counts as yes (rule 3).
    An answer after the end is ignored."""
    q = current_question(state)
    if q is None:
        return state
    if a is Answer.NOT_SURE and not state.reasking:
        return replace(state, reasking=True)
    counts = a is not Answer.NO
    state = replace(state, answers=state.answers + ((q.id, a.value),), reasking=False, revisit=None, plainly=False)
    if q.asks == (INFUSION,):
        return replace(state, in_infusion=counts)
    if not counts:
        return state
    return _tell(state, [q.asks], unsure=q.asks if a is Answer.NOT_SURE else ())


def report(state: CheckState, ids: Iterable[str], in_infusion: bool | None = None) -> CheckState:
    """Symptoms named in the person's own words, at any time: they are reported, their questions
    are skipped, an emergency one finishes the check. `in_infusion` (or the id "in_infusion")
    records that the infusion is going on now; once True it stays True."""
    p = protocol()
    ids = list(ids)
    unknown = [i for i in ids if i not in p.symptoms and i != INFUSION]
    if unknown:
        raise ValueError(f"unknown symptom ids {unknown}")
    if INFUSION in ids:
        in_infusion = True
    named = {j for i in ids if i != INFUSION for j in (i, *p.symptoms[i].implies)}
    before = current_question(state)
    new = _tell(state, [(i,) for i in p.symptoms if i in named])
    if in_infusion is not None and state.in_infusion is not True:
        new = replace(new, in_infusion=in_infusion)
    if new.revisit is not None and set(p.question(new.revisit).asks) <= set(reported(new)):
        new = replace(new, revisit=None)
    if new.reasking and current_question(new) != before:
        new = replace(new, reasking=False)  # the re-ask belonged to a question no longer asked
    return new


def _tell(state: CheckState, groups: list[tuple[str, ...]], unsure: tuple[str, ...] = ()) -> CheckState:
    known = set(reported(state))
    told = state.told
    for group in groups:
        if not set(group) <= known:
            told += (group,)
            known |= set(group)
    return replace(state, told=told, unsure=tuple(dict.fromkeys(state.unsure + unsure)))


def suspect(state: CheckState, ids: Iterable[str]) -> CheckState:
    """Emergencies the person's words make likely but did not confirm: the question that asks
    the first of them comes next, in its plain words; a yes reports it (rule 2). A follow-up whose
    symptom is not reported yet is reached through that symptom's own question."""
    if emergency_given(state):
        return state
    p = protocol()
    ids, told = set(ids), set(reported(state))
    answered = {qid for qid, _ in state.answers}
    for q in p.questions:
        if not ids & set(q.asks):
            continue
        if q.follows is not None and q.follows not in told:
            q = next(parent for parent in p.questions if q.follows in parent.asks and parent.follows is None)
        if q.id not in answered and not set(q.asks) <= told:
            return replace(state, revisit=q.id, plainly=True, reasking=False)
    return state


def go_back(state: CheckState) -> CheckState:
    """Undo the last answer and ask that question again. What was reported stays reported (the
    outcome is never lowered), and nothing is undone once the emergency advice was given.

    A first "not sure" is not an answer yet (its question is being asked again): going back
    undoes the answer before it. With no answer before it, nothing changes, so a "not sure" to an
    emergency question is never taken back; the question is asked again."""
    if emergency_given(state) or not state.answers:
        return state
    (question_id, _), answers = state.answers[-1], state.answers[:-1]
    back = replace(state, answers=answers, revisit=question_id, reasking=False, plainly=False)
    if protocol().question(question_id).asks == (INFUSION,):
        back = replace(back, in_infusion=None)
    return back


def settled(state: CheckState) -> CheckState:
    """The check as it stands when the person leaves it unfinished: a pending "not sure" (its
    question asked again, not yet answered) counts as yes (rule 3), so leaving never lowers."""
    return answer(state, Answer.NOT_SURE) if state.reasking else state


def resolve(carried: CheckState | None, saved: CheckState | None) -> CheckState | None:
    """The check to go on from, given the session's copy and the saved copy (where the deployment
    keeps one, written every turn). The session's copy, unless it is missing or unreadable, or the
    saved copy's outcome is more urgent: a stale or forged session copy never lowers the advice."""
    if saved is not None and (carried is None or outcome(saved) > outcome(carried)):
        return saved
    return carried


def restart(state: CheckState) -> CheckState:
    """Start over within the same check: the questions are asked again, but everything reported
    is kept, so the outcome can only stay or rise (rule 1); after an emergency, the check stays
    finished and the emergency advice is given again."""
    return replace(state, answers=(), reasking=False, revisit=None, plainly=False)


# ---------------------------------------------------------------------------- the words ----


def symptom_label(symptom_id: str) -> str:
    if symptom_id == INFUSION:
        return content()["context"][INFUSION]["label"]
    return protocol().symptoms[symptom_id].label


def describe(items: Iterable[str | Iterable[str]]) -> str:
    """Plain words for the echo: "a headache and nausea or vomiting". An item may be an id or a
    group of ids (a "yes" to a grouped question), which is said with the question's `echo`."""
    p = protocol()
    groups = [(item,) if isinstance(item, str) else tuple(item) for item in items]
    present = {i for g in groups for i in g}
    hidden = {j for i in present for j in p.symptoms[i].implies + p.symptoms[i].overrides}
    phrases: list[str] = []
    for group in groups:
        shown = tuple(i for i in group if i not in hidden or len(group) > 1)
        if not shown:
            continue
        echo = next((q.echo for q in p.questions if q.asks == shown and q.echo), None)
        phrase = echo or _join([symptom_label(i) for i in shown], "or")
        if phrase not in phrases:
            phrases.append(phrase)
    return _join(phrases, "and")


def _join(phrases: list[str], word: str) -> str:
    if len(phrases) <= 2:
        return f" {word} ".join(phrases)
    return ", ".join(phrases[:-1]) + f", {word} " + phrases[-1]


# ------------------------------------------------------------------------ serialising ----


def to_dict(state: CheckState) -> dict:
    """JSON-safe, for session attributes and the store."""
    return {
        "version": state.version,
        "protocol": protocol().fingerprint,
        "answers": [[qid, a] for qid, a in state.answers],
        "told": [list(group) for group in state.told],
        "unsure": list(state.unsure),
        "reasking": state.reasking,
        "revisit": state.revisit,
        "plainly": state.plainly,
        "in_infusion": state.in_infusion,
        "about": state.about,
    }


_KEYS = {"version", "protocol", "answers", "told", "unsure", "reasking", "revisit", "plainly", "in_infusion"}
_OPTIONAL = {"about": YOU}  # added within this version: a state kept before it speaks to the person


def from_dict(d: object) -> CheckState:
    """The inverse of to_dict. Anything stale (another version, another question table), forged
    or inconsistent raises InvalidState; the caller then starts a new check."""
    p = protocol()
    _require(isinstance(d, dict) and _KEYS <= set(d) <= _KEYS | set(_OPTIONAL), "not a check state")
    d = {**_OPTIONAL, **d}
    _require(type(d["version"]) is int and d["version"] == VERSION, "another version")
    _require(d["protocol"] == p.fingerprint, "made with another question table")
    _require(_list_of(d["answers"], lambda a: _list_of(a, _is_str) and len(a) == 2), "bad answers")
    _require(_list_of(d["told"], lambda g: _list_of(g, _is_str) and 0 < len(g) <= 3), "bad told")
    _require(_list_of(d["unsure"], _is_str), "bad unsure")
    _require(type(d["reasking"]) is bool, "bad reasking")
    _require(d["revisit"] is None or _is_str(d["revisit"]), "bad revisit")
    _require(type(d["plainly"]) is bool and (not d["plainly"] or d["revisit"] is not None), "bad plainly")
    _require(d["in_infusion"] is None or type(d["in_infusion"]) is bool, "bad in_infusion")
    _require(_is_str(d["about"]) and d["about"] in forms(), "bad about")

    question_ids = {q.id for q in p.questions}
    groups = {q.asks for q in p.questions if q.asks != (INFUSION,)}
    state = CheckState(
        answers=tuple((qid, a) for qid, a in d["answers"]),
        told=tuple(tuple(g) for g in d["told"]),
        unsure=tuple(d["unsure"]),
        reasking=d["reasking"],
        revisit=d["revisit"],
        plainly=d["plainly"],
        in_infusion=d["in_infusion"],
        about=d["about"],
    )
    ids: set[str] = set()
    for group in state.told:
        _require(all(i in p.symptoms for i in group), "unknown symptom id")
        _require(len(group) == 1 or group in groups, "a group no question asks")
        _require(not set(group) <= ids, "a group reported twice")
        ids |= set(group)
    for sid in ids:
        _require(set(p.symptoms[sid].implies) <= ids, "an implied symptom is missing")
    _require(set(state.unsure) <= ids and len(set(state.unsure)) == len(state.unsure), "bad unsure")
    answered = [qid for qid, _ in state.answers]
    _require(len(set(answered)) == len(answered) and set(answered) <= question_ids, "bad answers")
    for qid, a in state.answers:
        _require(a in {x.value for x in Answer}, "unknown answer")
        q = p.question(qid)
        if q.asks == (INFUSION,):
            _require(state.in_infusion is not None and (a == "no" or state.in_infusion), "bad in_infusion")
        elif a != "no":
            _require(set(q.asks) <= ids, "a yes that was not reported")
        if a == "not_sure" and q.asks != (INFUSION,):
            _require(set(q.asks) <= set(state.unsure), "a not sure that was not kept")
        _require(q.follows is None or q.follows in ids, "a follow-up without its symptom")
    _require(state.revisit is None or (state.revisit in question_ids and state.revisit not in answered), "bad revisit")
    _require(not state.reasking or current_question(state) is not None, "re-asking after the end")
    return state


def _is_str(x: object) -> bool:
    return isinstance(x, str)


def _list_of(x: object, ok) -> bool:
    return isinstance(x, list) and all(ok(item) for item in x)


def _require(condition: object, why: str) -> None:
    if not condition:
        raise InvalidState(why)
