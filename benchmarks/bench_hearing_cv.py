"""How the symptom check's rules for combining the phrase table and the learned reader do on words
the reader never saw: the symptom corpus read in 5 folds, each fold by a model trained on the other
four (`hearing.hear`, the reader replaced by the fold's model). For choosing a rule in
`skill/hearing.py` on the corpus itself, never on an eval set: a rule is judged on thousands of
held-out corpus lines, not on the line in front of you.

    python benchmarks/bench_hearing_cv.py [--misses] [--only lower|higher] [--c C] [--as-alexa]
        [--every N] [--as-written]

`--as-alexa`: each held-out line through the interaction model as an answer to an elicited check
question (`ivig-skill chat`'s reading of it), as a device hands it over: only the slot's words
(slow: about 0.15 s a line; `--every N` reads every Nth held-out line). `--as-written`: the folds'
readers trained on the lines as written only, not also without their carrier phrases.

Needs the build extra (scikit-learn). Fold models are cached under the system's temp folder by
the corpus's hash, so that trying a rule again takes seconds. Prints, per label level: emergencies
advised (and asked about at once), utterances heard less urgent, more urgent, level right, and
no-symptom utterances heard as a symptom.
"""

from __future__ import annotations

import dataclasses
import hashlib
import sys
import tempfile
from collections import Counter
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from skill import hearing, knowledge, nlu, training, triage  # noqa: E402
from skill.handlers.checkin import answer_slot  # noqa: E402
from skill.learned import LinearModel  # noqa: E402


def fold_models(texts: list[str], label_sets: list[frozenset[str]], classes: tuple[str, ...], c: float,
                carriers: bool = True):
    """(held indices, model trained on the rest) for each fold, with the thresholds the build
    would choose at this C (from the same held-out folds' probabilities)."""
    digest = hashlib.sha256(repr((texts, [sorted(s) for s in label_sets], c, carriers)).encode()).hexdigest()[:16]
    cache = Path(tempfile.gettempdir()) / f"ivig-hearing-cv-{digest}"
    cache.mkdir(exist_ok=True)
    folds = training.fold_split(len(texts), training.CV_FOLDS)
    models = []
    for k, (kept, held) in enumerate(folds):
        path = cache / f"fold{k}.npz"
        if not path.exists():
            train = training.train_symptom_reader if carriers else training.train_sigmoid  # as the build trains
            model = train([texts[i] for i in kept], [label_sets[i] for i in kept], classes,
                          {"max_chars": hearing.MAX_CHARS}, c)
            model.save(path)
        models.append(LinearModel.load(path))
    probabilities = np.zeros((len(texts), len(classes)))
    for (_, held), model in zip(folds, models):
        for i in held:
            probabilities[i] = model.probabilities(texts[i])
    settings = {"max_chars": hearing.MAX_CHARS, "c": c,
                **training.symptom_thresholds(probabilities, label_sets, classes, hearing.emergency_ids())}
    print(f"thresholds at C={c}: suspect {settings['suspect']}, confirm {settings['confirm']}")
    for (_, held), model in zip(folds, models):
        yield held, dataclasses.replace(model, settings=settings)


def heard_as_alexa(words: str) -> hearing.Reading:
    """The words as the check hears them through the interaction model, answering an elicited
    question (ReportSymptomIntent's slot only, or yes, no, "not sure"): the way a device hands
    them over. A yes to the first question is an emergency reported; any other intent, nothing."""
    intent, name = answer_slot()
    understood = nlu.understand(words, "en-US", (intent, name))
    if understood.intent == intent:
        slot = next((s for s in understood.slots if s.name == name), None)
        resolved = [slot.resolution_id] if slot is not None and slot.resolution_id else []
        return hearing.hear(understood.slot(name) or "", resolved)
    if understood.intent in ("AMAZON.YesIntent", "NotSureIntent"):
        return hearing.Reading(None, frozenset({"breathing"}), None, False)
    return hearing.Reading(None, frozenset(), None, False)


def level(ids) -> int:
    symptoms = triage.protocol().symptoms
    return max((int(symptoms[i].level) for i in ids if i in symptoms), default=-1)


def main(argv: list[str]) -> None:
    rows = knowledge.symptom_corpus(frozenset(triage.protocol().symptoms))
    texts, label_sets, classes = hearing.training_data()
    emergency, emergencies = int(triage.Level.EMERGENCY), hearing.emergency_ids()
    counts: Counter = Counter()
    misses = []
    c = float(argv[argv.index("--c") + 1]) if "--c" in argv else training.SYMPTOM_C
    as_alexa = "--as-alexa" in argv
    every = int(argv[argv.index("--every") + 1]) if "--every" in argv else 1
    carriers = "--as-written" not in argv
    for held, model in fold_models(texts, label_sets, classes, c, carriers):
        hearing.model.cache_clear()
        original, hearing.model = hearing.model, lambda model=model: model
        try:
            for i in held[::every]:
                ids, words = rows[i]
                reading = heard_as_alexa(words) if as_alexa else hearing.hear(words)
                want, got = level(ids), level(reading.ids)
                if want == emergency:
                    counts["emergencies"] += 1
                    if got == emergency:
                        counts["advised"] += 1
                    elif reading.suspected & emergencies:
                        counts["asked"] += 1
                        got = emergency
                counts["all"] += 1
                counts["lower"] += got < want
                counts["higher"] += got > want
                counts["right"] += got == want
                counts["none"] += want < 0
                counts["none heard"] += want < 0 <= got
                counts["none asked"] += want < 0 and got < 0 and bool(reading.suspected)
                if got != want:
                    misses.append((want, got, words, sorted(ids), sorted(reading.ids), sorted(reading.suspected)))
        finally:
            hearing.model = original
    c = counts
    print(f"symptom corpus, 5 folds: {c['all']} utterances")
    print(f"  emergencies advised on the next reply  {c['advised']}/{c['emergencies']}, asked at once {c['asked']}")
    print(f"  heard as less urgent                   {c['lower']}")
    print(f"  heard as more urgent                   {c['higher']}")
    print(f"  level right                            {c['right']}/{c['all']} ({c['right'] / c['all']:.1%})")
    print(f"  no-symptom heard as a symptom          {c['none heard']}/{c['none']} ({c['none heard'] / c['none']:.1%})")
    print(f"  no-symptom asked about an emergency    {c['none asked']}/{c['none']}")
    if "--misses" in argv:
        only = argv[argv.index("--only") + 1] if "--only" in argv else None
        for want, got, words, ids, heard, suspected in sorted(misses):
            kind = "lower" if got < want else "higher"
            if only in (None, kind):
                print(f"    {kind}: {words!r} labelled {ids}, heard {heard} asked {suspected}")


if __name__ == "__main__":
    main(sys.argv[1:])
