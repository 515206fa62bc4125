"""What the symptom check hears in a person's own words: the phrase table (`symptom_words`) and
a learned reader (trained/symptoms.npz, from content/symptom_utterances/) read them together.

- What either hears counts, and the more urgent wins: the model adds the symptoms it is sure of.
- Words that are exactly one of the SYMPTOM slot's values (`resolved`: Alexa's entity resolution
  matched them, so they are a phrase of the table itself) are the table's alone: the model is for
  words beyond the vocabulary ("headache" said alone is a headache, not a severe one).
- An emergency the model finds likely, but is not sure of, and the table does not confirm, is
  `suspected`: the check asks about it at once, in plain words, instead of noting "feeling
  unwell"; a yes gives the emergency advice.
- Where the table hears only "something new" (`other`, its catch-all) and the model names the
  symptoms, the model's names are kept instead.
- A milder symptom that stands for a stronger form of one the table names (`overrides`: severe
  headache for a headache) is added only where the model finds it at least as likely as the
  named one: "headache" said alone stays a headache.
- A symptom the table hears denied ("no headache") is never added back by the model, nor is
  one that implies it ("no chest pain" denies severe chest pain too).
- Where the model is nearly sure the words report nothing ("i was a bit sick yesterday but i'm
  fine now", "my son had a fever last week"), a milder symptom the table names, and the model
  does not support, is not noted but left to its own question, which the check asks anyway, if
  the words go beyond the phrase: the table misses many ways of saying a symptom is over or
  someone else's, and a question asked costs less than a call advised for nothing.
- Where the model reads the words as reporting nothing and finds no support for an emergency
  the table names ("my lips are fine, my throat is fine"), that reading is doubted: it is asked
  about at once, like a suspected one, rather than advised. A milder symptom the table names is
  kept (the more urgent reading wins), unless the model is nearly sure (above). The same holds
  the other way round: where the table hears only that all is well ("my face and lips are
  normal") and the model is sure of an emergency, that emergency is asked about at once, not
  advised.
- A symptom the table hears named only as a fear or a question about later ("what if my throat
  swells up later"), as someone else's by one who says they are well themselves ("my mum's got a
  bad back but i feel fine") or as an animal's (symptoms.toml [aside]) is not reported, nor added
  back by the model: a milder one is left to its own question, an emergency is asked about at
  once. Where the words speak of a fear and the table names nothing, what the model reads is a
  fear too: its emergencies are asked about, its milder symptoms left to their questions.
- Where all that is heard is that something unnamed is wrong (`other`), the emergency the model
  leans to is asked about first, from half the `suspect` level: the check asks every emergency
  question anyway, so this costs no question, and the likeliest comes first ("a band tightened
  round my ribs and i'm all clammy" asks about chest pain before breathing).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from skill import knowledge, symptom_words, triage
from skill.learned import LinearModel, plain_words

MODEL_PATH = Path(__file__).parent / "trained" / "symptoms.npz"
CATCH_ALL = "other"
NOTHING = "nothing"  # the model's label for words that report no symptom
MAX_CHARS = 600  # a spoken answer is short; Alexa's own slot values are shorter still
# Where the model finds the words report nothing at least this likely, a milder symptom the table
# names that the model gives no support to is left to its own question (the check asks every one
# before "no need to call"). Chosen on the corpus in held-out folds (benchmarks/bench_hearing_cv.py):
# 26 of 825 no-symptom utterances fewer are heard as a symptom, for 1 of 3,051 others heard less
# urgent at once (lower levels cost more of those for fewer gains).
LEFT_TO_ITS_QUESTION = 0.7
# ... and only where at least this many words are left that no phrase of the table took: the model
# is for words beyond the vocabulary, and a phrase said with little else is the table's ("really
# not gone to the loo").
BEYOND_THE_TABLE = 3
# ... and where it is at least this sure, a symptom below an emergency too, if the model finds it
# less than `FAR_BELOW` of its own threshold ("should i expect a rash after this", "last time i
# got a rash but this time nothing"). Chosen the same way, in held-out folds of the 15,886-line
# corpus: 119 of 4,129 no-symptom utterances fewer heard as a symptom, for 6 of 11,757 others heard
# less urgent at once (each asked in its turn: "not swollen no i'm just light headed" is asked about
# dizziness with its question); 0.8 and 0.85 cost more of those, 0.1 of the threshold gains less.
LEFT_EVEN_IF_URGENT = 0.9
FAR_BELOW = 0.25
# Each part between turns is read alone too (see `hear`); a spoken answer has few, and reading one
# costs about as much as the whole: at most this many, the last ones.
MAX_PARTS = 4


@dataclass(frozen=True)
class Reading:
    answer: str | None  # "yes", "no" or "not_sure" when the words are only an answer
    ids: frozenset[str]  # symptoms to report
    in_infusion: bool | None
    all_well: bool  # nothing wrong said in general ("I'm fine"), no symptom denied by name
    suspected: frozenset[str] = frozenset()  # emergencies to ask about at once (not yet reported)
    about: str | None = None  # whom the words speak of (symptom_words.whom): "he" for "my husband..."

    @property
    def noted(self) -> frozenset[str]:
        """What the reply says it noted: a suspected emergency is asked about instead of noting
        only "feeling unwell" (which is still reported, so that nothing lowers the advice)."""
        return frozenset() if self.suspected and self.ids <= {CATCH_ALL} else self.ids


@functools.cache
def model() -> LinearModel:
    return LinearModel.load(MODEL_PATH)


@functools.cache
def emergency_ids() -> frozenset[str]:
    symptoms = triage.protocol().symptoms
    return frozenset(sid for sid, s in symptoms.items() if s.level is triage.Level.EMERGENCY)


def training_data() -> tuple[list[str], list[frozenset[str]], tuple[str, ...]]:
    """(words as the model reads them, labels, every label): the symptom corpus. The labels are
    symptom ids, and NOTHING for words that report no symptom."""
    known = tuple(triage.protocol().symptoms)
    rows = knowledge.symptom_corpus(frozenset(known))
    labels = [ids or frozenset({NOTHING}) for ids, _ in rows]
    return [symptom_words.gestures_said(plain_words(words, MAX_CHARS)) for _, words in rows], labels, (*known, NOTHING)


def with_carriers_dropped(texts: list[str], labels: list[frozenset[str]]) -> tuple[list[str], list[frozenset[str]]]:
    """The texts and, besides, each one as Alexa hands its words over when a carrier phrase of
    ReportSymptomIntent ("i've got {symptom}", "my {symptom}") took its opening words: only the
    slot's words ("i've got the shivers" is also learned as "the shivers"), also after the filler
    words a carrier is found behind ("no i'm totally chill" is also learned as "totally chill").
    Build time."""
    from skill import models, nlu  # the interaction model's source; not needed to read words

    source = models.model_source()
    samples = source["intents"][source["answer_slot"]["intent"]]["samples"]
    slot = "{" + source["answer_slot"]["slot"] + "}"
    carriers = {tuple(plain_words(s[: -len(slot)], MAX_CHARS).split()) for s in samples if s.endswith(slot)} - {()}
    seen, more, more_labels = set(texts), [], []
    for words, label in zip(texts, labels):
        _, bare, after = nlu.without_fillers(words)  # only the fillers before: a slot at the end keeps those after
        for said in dict.fromkeys((words, f"{bare} {after}".strip())):
            tokens = said.split()
            for carrier in carriers:
                rest = " ".join(tokens[len(carrier):])
                if tuple(tokens[: len(carrier)]) == carrier and rest and rest not in seen:
                    seen.add(rest)
                    more.append(rest)
                    more_labels.append(label)
    return [*texts, *more], [*labels, *more_labels]


@dataclass(frozen=True)
class Learned:
    sure: frozenset[str]  # ids the model reports (an emergency only at the `confirm` level)
    suspected: frozenset[str]  # emergency ids it finds likely, but is not sure of
    nothing: bool  # the words most likely report no symptom at all
    supports: frozenset[str] = frozenset()  # ids the model finds at least half as likely as its threshold
    leaning: str | None = None  # the likeliest emergency, from half the `suspect` level
    likelihood: tuple[tuple[str, float], ...] = ()  # every label's probability


def learned(text: str) -> Learned:
    """The model's reading. A symptom counts as sure above its threshold and where the model finds
    it likelier than "nothing reported"; an emergency at the `confirm` level, whatever else. An
    emergency it finds likely from the `suspect` level, but not sure, is suspected, unless the
    model reads the words as reporting nothing, at least twice as likely as any emergency."""
    trained = model()
    probabilities = trained.probabilities(symptom_words.gestures_said(trained.words(text))).tolist()
    settings, emergencies = trained.settings, emergency_ids()
    by_id = dict(zip(trained.classes, probabilities))
    nothing = by_id.pop(NOTHING)
    sure = frozenset(c for c, p in by_id.items()
                     if (p >= settings["confirm"] if c in emergencies else p > nothing and p >= settings["report"][c]))
    likely = {c: p for c, p in by_id.items() if c in emergencies and p >= settings["suspect"] and c not in sure}
    reports_nothing = not sure and nothing >= settings["report"][NOTHING] and nothing > 2 * max(likely.values(), default=0)
    supports = frozenset(c for c, p in by_id.items() if c in likely or p >= settings["report"].get(c, 1) / 2)
    top = max(emergencies, key=lambda c: by_id[c])
    leaning = top if by_id[top] >= settings["suspect"] / 2 and not reports_nothing else None
    return Learned(sure, frozenset() if reports_nothing else frozenset(likely), reports_nothing, supports, leaning,
                   tuple(zip(trained.classes, probabilities)))


def _weaker_than_named(model: Learned, named: Iterable[str]) -> set[str]:
    """Stronger forms of a named symptom, below an emergency, that the model finds less likely than
    the named one (an emergency the model is sure of is never held back this way)."""
    symptoms, likely = triage.protocol().symptoms, dict(model.likelihood)
    return {sid for sid in model.sure - emergency_ids()
            if any(n in symptoms[sid].overrides and likely.get(sid, 0) < likely.get(n, 0) for n in named)}


# Beside what the table names, a symptom the table does not name, no more urgent than what it
# names, is added only where the reader finds it at least this likely ("i have a headache and i feel dizzy" is not also nausea
# at 0.25): the table has heard the words, and the reader's per-symptom levels are set for words
# the table missed.
BESIDE_THE_TABLE = 0.5


def _doubtful_beside(model: Learned, named: Iterable[str]) -> set[str]:
    """... and never one more urgent than what the table names: the advice is never lowered."""
    if not named:
        return set()
    likely, ceiling = dict(model.likelihood), triage.most_urgent(named)
    return {sid for sid in model.sure - set(named)
            if likely.get(sid, 0) < BESIDE_THE_TABLE and triage.most_urgent([sid]) <= ceiling}


@functools.cache
def _implying(symptom_id: str) -> frozenset[str]:
    """The ids whose report implies this one ("severe chest pain" implies chest pain)."""
    return frozenset(s.id for s in triage.protocol().symptoms.values() if symptom_id in s.implies)


def _with_implying(ids: Iterable[str]) -> set[str]:
    """The ids and those that imply them: what denying or doubting them takes away too."""
    return {j for i in ids for j in (i, *_implying(i))}


def _left_to_its_question(likely: dict[str, float], symptom_id: str, held: bool) -> bool:
    """Whether a symptom the table names is left to its question where the model finds the words
    report nothing (`likely`: its probability of each label): one below `call_now`, or, where the
    model is surer still, one below an emergency that it finds far below its threshold and the
    table did not keep against a denial word beside it (`held`: "the antihistamine didn't work on
    the rash"). Never an emergency."""
    level = triage.protocol().symptoms[symptom_id].level
    if level < triage.Level.CALL_NOW:
        return True
    return (level < triage.Level.EMERGENCY and not held and likely[NOTHING] >= LEFT_EVEN_IF_URGENT
            and likely[symptom_id] < FAR_BELOW * model().settings["report"][symptom_id])


def hear(text: str, resolved: Iterable[str] = ()) -> Reading:
    text = (text or "")[:MAX_CHARS]  # bounded before any parsing: no spoken answer is longer
    resolved = frozenset(resolved)
    heard = symptom_words.hear(text, resolved)
    about = symptom_words.whom(text)
    if heard.answer is not None:
        return Reading(heard.answer, frozenset(), None, False, about=about)
    if resolved:  # the words are a phrase of the table's own vocabulary
        return Reading(None, heard.ids, heard.in_infusion, heard.all_well, about=about)
    model = learned(text)
    ids = set(heard.ids)
    if ids == {CATCH_ALL} and not heard.named:  # the table's catch-all
        if model.sure - {CATCH_ALL} or model.nothing:
            ids = set()  # the model names the symptoms instead, or is sure there are none
    doubted, left = set(), set()
    if model.nothing:  # the readers disagree: the table names an emergency the model finds nothing of
        doubted = (set(heard.named) & emergency_ids()) - model.supports - heard.excepted
        ids -= _with_implying(doubted)
        likely = dict(model.likelihood)
        if likely[NOTHING] >= LEFT_TO_ITS_QUESTION and heard.unexplained >= BEYOND_THE_TABLE:
            left = {sid for sid in heard.named if _left_to_its_question(likely, sid, sid in heard.held)} \
                - model.supports - heard.excepted  # "i'm fine apart from a headache" keeps its headache
            ids -= left  # over, denied or someone else's, in words the table missed
    denied = _with_implying(heard.denied)
    # Named only as a fear, or as someone else's: never added back; an emergency (or one the model
    # gives some support that implies it: "my husband has chest pain like a heart attack") is asked about.
    aside = _with_implying(heard.aside)
    doubted |= (heard.aside | model.supports & aside) & emergency_ids()
    added = model.sure - denied - aside - _weaker_than_named(model, heard.named) - _doubtful_beside(model, heard.named)
    if heard.hypothetical and not heard.named:  # "what if my throat closes up tonight", in words the table missed
        doubted |= (model.sure - denied) & emergency_ids()
        added = set()
    if heard.all_well and not heard.named:  # the readers disagree the other way round
        doubted |= added & emergency_ids()
        added -= _with_implying(doubted)
    ids |= added - {CATCH_ALL} if ids else added
    # A doubted emergency is asked about at once, never dropped.
    suspected = (model.suspected | doubted) - denied - ids
    if not suspected and ids == {CATCH_ALL} and model.leaning and model.leaning not in denied:
        suspected = {model.leaning}  # something unnamed is wrong: the likeliest emergency first
    if not suspected and not ids & emergency_ids() and not heard.hypothetical:
        # "no sore head, no puking, none of that, but my left hand's gone all tingly and weak": the
        # denials before a turn can drown what comes after it, so each part is read alone too, and
        # an emergency any part makes likely is asked about at once (never advised on a part alone)
        for part in _parts(text):
            said = symptom_words.hear(part)
            if said.answer is not None or said.all_well or said.said_well:
                continue  # "but i can breathe just fine": a part that says all is well suspects nothing
            alone = learned(part)
            suspected |= ((alone.sure | alone.suspected) & emergency_ids()) - denied - aside - _with_implying(said.denied)
    # "my daughter had a fever last week but i'm fine": with the fever left to its question, all is well
    all_well = (heard.all_well or bool(left) and heard.said_well) and not ids and not suspected
    return Reading(None, frozenset(ids), heard.in_infusion, all_well, frozenset(suspected), about)


@functools.cache
def _turns() -> frozenset[str]:
    return frozenset(triage.content()["negation"]["turns"])


def _parts(text: str) -> list[str]:
    """The parts of the words between turns ("but", "only": [negation] turns), when there are two
    or more of at least two words each; at most MAX_PARTS, the last ones."""
    parts: list[list[str]] = [[]]
    turns = _turns()
    for token in symptom_words.normalize(text).split():
        if token in turns:
            parts.append([])
        else:
            parts[-1].append(token)
    spoken = [" ".join(p) for p in parts if len(p) >= 2]
    return spoken[-MAX_PARTS:] if len(spoken) > 1 else []


def told_in_question(words: str) -> Reading | None:
    """What a question asked in the middle of a check tells of the person's own symptoms ("is it
    normal that my ankles are puffy", "is it normal to be panting like this"), or None: only words
    that speak of the person (symptoms.toml [in_a_question]) and name a symptom or make an
    emergency likely; "can ivig cause a rash" tells nothing of anyone."""
    if not symptom_words.speaks_of_the_person((words or "")[:MAX_CHARS]):
        return None
    reading = hear(words)
    if reading.answer is not None or not (reading.ids - {CATCH_ALL} or reading.suspected):
        return None
    return reading
