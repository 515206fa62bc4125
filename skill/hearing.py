"""What the symptom check hears in a person's own words: the phrase table (`symptom_words`) and
a learned reader (trained/symptoms.npz, from content/symptom_utterances/) read them together.

- What either hears counts, and the more urgent wins: the model adds the symptoms it is sure of.
- An emergency the model finds likely, but is not sure of, and the table does not confirm, is
  `suspected`: the check asks about it at once, in plain words, instead of noting "feeling
  unwell"; a yes gives the emergency advice.
- Where the table hears only "something new" (`other`, its catch-all) and the model names the
  symptoms, the model's names are kept instead.
- A symptom the table hears denied ("no headache") is never added back by the model.
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


@dataclass(frozen=True)
class Reading:
    answer: str | None  # "yes", "no" or "not_sure" when the words are only an answer
    ids: frozenset[str]  # symptoms to report
    in_infusion: bool | None
    all_well: bool  # nothing wrong said in general ("I'm fine"), no symptom denied by name
    suspected: frozenset[str] = frozenset()  # emergencies to ask about at once (not yet reported)

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
    return [plain_words(words, MAX_CHARS) for _, words in rows], labels, (*known, NOTHING)


@dataclass(frozen=True)
class Learned:
    sure: frozenset[str]  # ids the model reports (an emergency only at the `confirm` level)
    suspected: frozenset[str]  # emergency ids it finds likely, but is not sure of
    nothing: bool  # the words most likely report no symptom at all


def learned(text: str) -> Learned:
    """The model's reading. A symptom counts as sure only where the model finds it more likely
    than "nothing reported" as well as above its threshold (an emergency: at the `confirm` level);
    an emergency it finds likely from the `suspect` level, but not sure, is suspected, unless the
    model reads the words as reporting nothing at all."""
    trained = model()
    probabilities = trained.probabilities(trained.words(text)).tolist()
    settings, emergencies = trained.settings, emergency_ids()
    by_id = dict(zip(trained.classes, probabilities))
    nothing = by_id.pop(NOTHING)

    def sure(c: str, p: float) -> bool:
        return p > nothing and p >= (settings["confirm"] if c in emergencies else settings["report"][c])

    sure_ids = frozenset(c for c, p in by_id.items() if sure(c, p))
    reports_nothing = nothing >= settings["report"][NOTHING] and not sure_ids
    likely = frozenset(c for c, p in by_id.items() if c in emergencies and p >= settings["suspect"])
    return Learned(sure_ids, frozenset() if reports_nothing else likely - sure_ids, reports_nothing)


def hear(text: str, resolved: Iterable[str] = ()) -> Reading:
    text = (text or "")[:MAX_CHARS]  # bounded before any parsing: no spoken answer is longer
    heard = symptom_words.hear(text, resolved)
    if heard.answer is not None:
        return Reading(heard.answer, frozenset(), None, False)
    parsed = symptom_words.parse(text)
    model = learned(text)
    ids = set(heard.ids)
    if ids == {CATCH_ALL} and not parsed.ids and not set(resolved):  # the table's catch-all
        if model.sure - {CATCH_ALL} or model.nothing:
            ids = set()  # the model names the symptoms instead, or is sure there are none
    added = model.sure - parsed.denied
    ids |= added - {CATCH_ALL} if ids else added
    suspected = model.suspected - parsed.denied - ids
    all_well = heard.all_well and not ids and not suspected
    return Reading(None, frozenset(ids), heard.in_infusion, all_well, frozenset(suspected))
