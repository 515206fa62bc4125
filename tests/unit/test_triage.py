"""The symptom check core: the rules of triage.md as properties, and the dev personas as examples."""

import json
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from skill import triage
from skill.symptom_words import parse
from skill.triage import Answer, InvalidState, Level

SHARED = Path(__file__).resolve().parents[3] / "shared"
P = triage.protocol()
SYMPTOMS = list(P.symptoms)
FOLLOW_UPS = {i for q in P.questions if q.follows for i in q.asks}


def level_of(ids):
    return max((P.symptoms[i].level for i in ids), default=Level.NO_CALL)


# ------------------------------------------------------------------------ the table ----


def spec_table():
    text = (SHARED / "spec" / "triage.md").read_text()
    rows = re.findall(r"^\| `(\w+)` \|[^|]*\| `(\w+)`", text, flags=re.M)
    return {sid: level for sid, level in rows if level in {lv.id for lv in Level}}


@pytest.mark.skipif(not (SHARED / "spec").exists(), reason="../shared not beside the project")
def test_symptom_ids_and_levels_are_those_of_the_spec():
    spec = spec_table()
    assert spec == {sid: s.level.id for sid, s in P.symptoms.items()}


def test_questions_in_order():
    assert [q.id for q in P.questions] == [
        "breathing_or_swelling", "stroke_or_fainting", "chest_pain", "chest_pain_severe",
        "headache_dizziness_pressure", "skin_or_limb", "urine", "dark_urine", "aches",
        "fever_stomach_other", "in_infusion",
    ]


@pytest.mark.parametrize("q", P.questions, ids=lambda q: q.id)
def test_each_question_groups_at_most_three_ids_of_one_level(q):
    assert 1 <= len(q.asks) <= 3
    if q.asks != ("in_infusion",):
        assert len({P.symptoms[i].level for i in q.asks}) == 1
    assert q.text.endswith("?") and q.reask.endswith("?") and q.text != q.reask


@pytest.mark.parametrize("q", P.questions, ids=lambda q: q.id)
def test_each_question_is_easy_to_hear(q):
    for said in [q.said(about, plainly) for about in triage.forms() for plainly in (False, True)]:
        assert len(said.split()) <= 22, f"short enough to hear: {said}"
        assert said.count("?") <= 3, f"at most three things asked: {said}"


def words_of(text):
    return set(re.findall(r"[a-z]+", text.lower()))


@pytest.mark.parametrize(
    "question_id, parts",
    [
        # every part of triage.md's stroke_signs and fainting, in plain words
        ("stroke_or_fainting", [{"face", "droopy", "drooping"}, {"side"}, {"weak"}, {"numb"},
                                {"talking", "talk"}, {"seeing", "see"}, {"thinking", "think"},
                                {"suddenly"}, {"fainted", "pass"}, {"nearly", "almost"}]),
        ("headache_dizziness_pressure", [{"headache", "head"}, {"dizzy", "woozy"}, {"blood"}]),
        ("breathing_or_swelling", [{"breathing", "breath"}, {"face"}, {"lips"}, {"tongue"}, {"throat"}]),
        ("chest_pain_severe", [{"severe", "bad"}, {"crushing", "squeeze"}, {"arm"}, {"neck"}, {"jaw"},
                               {"back"}, {"sweating", "sweaty"}]),
    ],
)
def test_shorter_questions_still_name_every_part(question_id, parts):
    q = P.question(question_id)
    for said in (q.text, q.reask):
        missing = [p for p in parts if not p & words_of(said)]
        if said == q.reask:  # the re-ask may drop the face: "one side of you"
            missing = [p for p in missing if p != {"face", "droopy", "drooping"}]
        assert not missing, f"{said} does not name {missing}"


def test_the_remarks_in_the_table_count_the_questions_right():
    text = (Path(triage.__file__).parent / "content" / "symptoms.toml").read_text()
    remarks = re.findall(r"^#.*?(\d+) questions|^#.*?\((\d+) of them\)", text, flags=re.M)
    assert remarks
    main = [q for q in P.questions if not q.follows and q.asks != ("in_infusion",)]
    assert {int(a or b) for a, b in remarks} == {len(main)} == {9}


def test_emergency_questions_come_first():
    reaches = [P.reach[q.id] for q in P.questions if not q.follows and q.id != "in_infusion"]
    assert reaches[:3] == [Level.EMERGENCY] * 3  # two emergency questions, then chest pain
    assert reaches == sorted(reaches, reverse=True)


@pytest.mark.parametrize("level", Level)
def test_level_ids(level):
    assert Level.from_id(level.id) is level
    assert level.id in {"no_call", "call_soon", "call_now", "emergency"}


# ------------------------------------------------------------ driving like the evaluator ----


def evaluator_answer(persona, asks):
    if "in_infusion" in asks:
        return Answer.YES if persona["in_infusion"] else Answer.NO
    if "chest_pain_severe" in asks:
        if persona["chest_pain_severe"]:
            return Answer.YES
        return Answer.NOT_SURE if "chest_pain_severe" in persona["unsure"] else Answer.NO
    if set(asks) & set(persona["symptoms"]):
        return Answer.YES
    if set(asks) & set(persona["unsure"]):
        return Answer.NOT_SURE
    return Answer.NO


def drive(persona):
    state = triage.start()
    if persona["opening"]:
        words = parse(persona["opening"])
        state = triage.report(state, words.ids, in_infusion=words.in_infusion)
    asked = 0
    while not triage.is_finished(state):
        q = triage.current_question(state)
        state = triage.answer(state, evaluator_answer(persona, q.asks))
        asked += 1
        assert asked <= 20
    return state, asked


def personas():
    path = SHARED / "eval" / "dev_personas.jsonl"
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


@pytest.mark.parametrize("persona", personas(), ids=lambda p: f"{p['id']}-{p['expect']}")
def test_dev_persona_reaches_its_outcome(persona):
    state, asked = drive(persona)
    assert triage.outcome(state).id == persona["expect"]
    if persona["expect"] == "no_call":
        assert asked <= 9
    if persona["symptoms"] and persona["expect"] != "emergency":
        assert triage.in_infusion(state) is persona["in_infusion"]
    assert triage.from_dict(json.loads(json.dumps(triage.to_dict(state)))) == state


# --------------------------------------------------------------------------- examples ----


def answer_all(state, a=Answer.NO):
    while not triage.is_finished(state):
        state = triage.answer(state, a)
    return state


def ask_until(state, question_id):
    while triage.current_question(state).id != question_id:
        state = triage.answer(state, Answer.NO)
    return state


def test_no_symptoms_is_no_call_in_nine_questions():
    state, asked = triage.start(), 0
    while not triage.is_finished(state):
        state, asked = triage.answer(state, Answer.NO), asked + 1
    assert (asked, triage.outcome(state), triage.reported(state)) == (9, Level.NO_CALL, ())
    assert triage.in_infusion(state) is None, "not asked when nothing was reported"


def test_a_yes_to_an_emergency_question_ends_at_once():
    state = triage.answer(triage.start(), Answer.YES)
    assert triage.is_finished(state) and triage.emergency_given(state)
    assert triage.reported(state) == ("breathing", "throat_swelling")
    assert triage.in_infusion(state) is None, "emergency advice is never delayed"


def test_not_sure_is_asked_again_in_plain_words_then_counts_as_yes():
    state = ask_until(triage.start(), "aches")
    state = triage.answer(state, Answer.NOT_SURE)
    assert triage.current_question(state).id == "aches" and triage.is_reasking(state)
    assert triage.question_text(state) == triage.current_question(state).reask
    state = triage.answer(state, Answer.NOT_SURE)
    assert triage.unsure(state) == ("headache", "back_pain", "muscle_pain")
    assert triage.outcome(state) is Level.CALL_SOON


def test_chest_pain_follow_up_only_after_a_yes():
    state = ask_until(triage.start(), "chest_pain")
    assert triage.current_question(triage.answer(state, Answer.NO)).id == "headache_dizziness_pressure"
    state = triage.answer(state, Answer.YES)
    assert triage.asking(state) == ("chest_pain_severe",)
    assert triage.outcome(triage.answer(state, Answer.YES)) is Level.EMERGENCY
    state = answer_all(state)
    assert triage.outcome(state) is Level.CALL_NOW
    assert [q for q, _ in state.answers][-1] == "in_infusion"


def test_chest_pain_in_own_words_asks_the_follow_up_first():
    state = triage.report(triage.start(), ["chest_pain"])
    assert triage.asking(state) == ("chest_pain_severe",)


def test_own_words_skip_their_questions_and_what_cannot_raise_the_outcome():
    state = triage.report(triage.start(), ["headache", "nausea_vomiting"])
    asked = []
    while not triage.is_finished(state):
        asked.append(triage.current_question(state).id)
        state = triage.answer(state, Answer.NO)
    assert asked == [
        "breathing_or_swelling", "stroke_or_fainting", "chest_pain",
        "headache_dizziness_pressure", "skin_or_limb", "urine", "dark_urine", "in_infusion",
    ]
    assert triage.outcome(state) is Level.CALL_SOON
    assert triage.describe(triage.reported_groups(state)) == "a headache and nausea or vomiting"


def test_an_emergency_in_own_words_finishes_even_mid_reask():
    state = triage.answer(ask_until(triage.start(), "urine"), Answer.NOT_SURE)
    state = triage.report(state, ["fainting"])
    assert triage.is_finished(state) and triage.outcome(state) is Level.EMERGENCY


def test_severe_chest_pain_in_words_reports_both():
    state = triage.report(triage.start(), ["chest_pain_severe"])
    assert set(triage.reported(state)) == {"chest_pain", "chest_pain_severe"}
    assert triage.is_finished(state)
    assert triage.describe(triage.reported_groups(state)) == "severe or spreading chest pain"


@pytest.mark.parametrize(
    "said, outcome, next_question",
    [
        ("she isn't breathing", Level.EMERGENCY, None),
        ("he's not responding", Level.EMERGENCY, None),
        ("my husband's face is drooping", Level.EMERGENCY, None),
        ("my lips are numb and swollen", Level.EMERGENCY, None),
        ("i never had chest pain this bad", Level.EMERGENCY, None),
        ("my chest pain is not going away", Level.CALL_NOW, "chest_pain_severe"),
        ("my leg's swollen", Level.CALL_NOW, "breathing_or_swelling"),
        ("190 over 110", Level.CALL_NOW, "breathing_or_swelling"),
        ("my blood pressure is not normal", Level.CALL_NOW, "breathing_or_swelling"),
        ("the headache won't go away", Level.CALL_SOON, "breathing_or_swelling"),
    ],
)
def test_own_words_reach_the_check(said, outcome, next_question):
    words = parse(said)
    state = triage.report(triage.start(), words.ids, in_infusion=words.in_infusion)
    assert triage.outcome(state) is outcome
    q = triage.current_question(state)
    assert (q.id if q else None) == next_question


@pytest.mark.parametrize("said", ["i'm fine", "he's fine", "she's okay", "all good", "nothing new", "no problems"])
def test_all_is_well_still_asks_every_question(said):
    words = parse(said)
    assert words.nothing_wrong and not words.ids
    state, asked = triage.report(triage.start(), words.ids), 0
    while not triage.is_finished(state):
        state, asked = triage.answer(state, Answer.NO), asked + 1
    assert (asked, triage.outcome(state)) == (9, Level.NO_CALL)


def test_infusion_in_words_is_not_asked_again():
    state = answer_all(triage.report(triage.start(), ["back_pain"], in_infusion=True))
    assert triage.in_infusion(state) is True
    assert "in_infusion" not in [q for q, _ in state.answers]


def test_go_back_asks_the_last_question_again():
    state = ask_until(triage.start(), "skin_or_limb")
    back = triage.go_back(state)
    assert triage.current_question(back).id == "headache_dizziness_pressure"
    assert triage.outcome(triage.answer(back, Answer.YES)) is Level.CALL_NOW


def test_go_back_never_lowers_and_never_undoes_an_emergency():
    state = triage.answer(ask_until(triage.start(), "aches"), Answer.YES)
    back = triage.go_back(state)
    assert triage.current_question(back).id == "aches"
    assert triage.outcome(triage.answer(back, Answer.NO)) is Level.CALL_SOON
    emergency = triage.answer(triage.start(), Answer.YES)
    assert triage.go_back(emergency) == emergency


def test_restart_asks_again_and_keeps_the_floor():
    state = answer_all(triage.report(triage.start(), ["dizziness"]))
    again = triage.restart(state)
    assert triage.current_question(again).id == "breathing_or_swelling"
    assert triage.outcome(answer_all(again)) is Level.CALL_NOW
    emergency = triage.restart(triage.answer(triage.start(), Answer.YES))
    assert triage.is_finished(emergency) and triage.outcome(emergency) is Level.EMERGENCY


def test_answers_after_the_end_are_ignored():
    state = answer_all(triage.start())
    assert triage.answer(state, Answer.YES) == state


def test_report_rejects_unknown_ids():
    with pytest.raises(ValueError):
        triage.report(triage.start(), ["headache", "gout"])


@pytest.mark.parametrize(
    "items, said",
    [
        ([], ""),
        (["headache"], "a headache"),
        (["headache", "nausea_vomiting"], "a headache and nausea or vomiting"),
        (["fever", "headache", "back_pain"], "a fever or chills, a headache, and back pain"),
        ([("headache", "back_pain", "muscle_pain")], "a headache, back pain or aches"),
        (["severe_headache", "headache"], "a severe headache"),
        (["chest_pain", "chest_pain_severe"], "severe or spreading chest pain"),
    ],
)
def test_describe(items, said):
    assert triage.describe(items) == said


@pytest.mark.parametrize("sid", SYMPTOMS + ["in_infusion"])
def test_every_id_has_a_spoken_label(sid):
    label = triage.symptom_label(sid)
    assert label and label == label.strip() and "_" not in label


# ------------------------------------------------------------------------- properties ----

MOVES = st.one_of(
    st.sampled_from([Answer.NO] * 5 + [Answer.YES, Answer.NOT_SURE]).map(lambda a: ("answer", a)),
    st.tuples(
        st.just("report"),
        st.lists(st.sampled_from(SYMPTOMS), max_size=2),
        st.sampled_from([None, None, True, False]),
    ),
    st.just(("go_back",)),
    st.just(("restart",)),
)


def covered(state):
    """Symptom ids asked by a live answer, or reported."""
    asked = {i for qid, _ in state.answers for i in P.question(qid).asks}
    return asked | set(triage.reported(state))


def run(moves, check=lambda before, move, after, floor: None):
    state, floor = triage.start(), Level.NO_CALL
    for move in moves:
        before = state
        if move[0] == "answer":
            q, reasking = triage.current_question(state), triage.is_reasking(state)
            state = triage.answer(state, move[1])
            counts = move[1] is Answer.YES or (move[1] is Answer.NOT_SURE and reasking)
            if q is not None and counts and q.asks != ("in_infusion",):
                floor = max(floor, level_of(q.asks))
        elif move[0] == "report":
            state = triage.report(state, move[1], in_infusion=move[2])
            floor = max(floor, level_of(move[1]))
        elif move[0] == "go_back":
            state = triage.go_back(state)
        else:
            state = triage.restart(state)
        check(before, move, state, floor)
    return state


@given(st.lists(MOVES, max_size=40))
@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow])
def test_outcome_is_the_most_urgent_thing_ever_reported_and_never_lowered(moves):
    def check(before, move, after, floor):
        assert triage.outcome(after) >= triage.outcome(before)
        assert triage.outcome(after) == floor == level_of(triage.reported(after))

    run(moves, check)


@given(st.lists(MOVES, max_size=40))
@settings(max_examples=300)
def test_an_emergency_ends_the_questions(moves):
    def check(before, move, after, floor):
        if floor is Level.EMERGENCY:
            assert triage.is_finished(after) and triage.current_question(after) is None
            assert triage.go_back(after) == after and triage.is_finished(triage.restart(after))

    run(moves, check)


@given(st.lists(MOVES, max_size=40))
@settings(max_examples=300)
def test_not_sure_counts_as_yes_after_at_most_one_reask(moves):
    def check(before, move, after, floor):
        if move[0] != "answer" or move[1] is not Answer.NOT_SURE:
            return
        q = triage.current_question(before)
        if q is None:
            return
        if triage.is_reasking(before):
            assert not triage.is_reasking(after)
            if q.asks != ("in_infusion",):
                assert set(q.asks) <= set(triage.reported(after)) & set(triage.unsure(after))
        else:
            assert triage.is_reasking(after)
            assert triage.current_question(after) == q  # the same ids, asked again

    run(moves, check)


@given(st.lists(MOVES, max_size=40))
@settings(max_examples=300)
def test_every_symptom_is_covered_before_no_call(moves):
    state = answer_all(run(moves))
    if triage.outcome(state) is Level.NO_CALL:
        assert covered(state) >= set(SYMPTOMS) - FOLLOW_UPS
        assert "chest_pain" in covered(state)  # the follow-up's trigger was asked and denied


@given(st.lists(st.sampled_from(["no", "none of those", "report nothing"]), min_size=12, max_size=12))
def test_no_symptoms_reach_no_call_in_at_most_nine_questions(replies):
    state, asked = triage.start(), 0
    for reply in replies:
        if triage.is_finished(state):
            break
        if reply == "report nothing":  # "i'm fine": parse gives no ids
            state = triage.report(state, parse("i'm fine").ids)
            continue
        state, asked = triage.answer(state, Answer.NO), asked + 1
    state = answer_all(state)
    assert asked <= 9 and triage.outcome(state) is Level.NO_CALL


@given(st.lists(MOVES, max_size=40))
@settings(max_examples=300)
def test_to_dict_round_trips_through_json(moves):
    def check(before, move, after, floor):
        d = triage.to_dict(after)
        assert triage.from_dict(json.loads(json.dumps(d))) == after

    run(moves, check)


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4),
    max_leaves=12,
)


@given(JSON)
def test_from_dict_on_anything_raises_only_invalid_state(value):
    with pytest.raises(InvalidState):
        triage.from_dict(value)


@given(st.lists(MOVES, max_size=30), st.sampled_from(sorted(triage.to_dict(triage.start()))), JSON)
@settings(max_examples=400)
def test_a_tampered_state_is_rejected_or_consistent(moves, key, value):
    d = triage.to_dict(run(moves))
    d[key] = value
    try:
        state = triage.from_dict(d)
    except InvalidState:
        return
    assert triage.to_dict(state) == d


def valid():
    state = triage.answer(ask_until(triage.start(), "aches"), Answer.YES)
    return triage.to_dict(triage.report(state, ["fever"]))


@pytest.mark.parametrize(
    "forge",
    [
        lambda d: d.update(version=triage.VERSION + 1),
        lambda d: d.update(version=True),
        lambda d: d.update(protocol="000000000000"),  # made with another question table: stale
        lambda d: d.pop("told"),
        lambda d: d.update(extra=1),
        lambda d: d["told"].append(["gout"]),
        lambda d: d["told"].append(["fever", "breathing"]),
        lambda d: d["told"].append(["fever"]),
        lambda d: d["answers"].append(["nonsense", "yes"]),
        lambda d: d["answers"].append(["urine", "perhaps"]),
        lambda d: d["answers"].append(["urine", "yes"]),
        lambda d: d["answers"].append(["aches", "no"]),
        lambda d: d["answers"].append(["chest_pain_severe", "no"]),
        lambda d: d.update(told=[]),
        lambda d: d.update(unsure=["breathing"]),
        lambda d: d.update(revisit="breathing_or_swelling"),
        lambda d: d.update(in_infusion="yes"),
        lambda d: d.update(reasking=1),
        lambda d: d.update(plainly=True),  # plain words for no question asked next
        lambda d: d.update(plainly=1, revisit="stroke_or_fainting"),
        lambda d: d["told"].append(["chest_pain_severe"]),
        lambda d: d.update(about="it"),
        lambda d: d.update(about=None),
    ],
)
def test_forged_or_stale_states_raise_invalid_state(forge):
    d = valid()
    assert triage.from_dict(d)
    forge(d)
    with pytest.raises(InvalidState):
        triage.from_dict(d)


# --- a suspected emergency: the words make it likely, nothing confirms it ---------------------


@pytest.mark.parametrize("suspected", ["breathing", "throat_swelling", "stroke_signs", "fainting"])
def test_a_suspected_emergency_is_asked_next_in_plain_words_and_a_yes_gives_the_advice(suspected):
    state = triage.suspect(triage.start(), [suspected])
    question = triage.current_question(state)
    assert suspected in question.asks and triage.question_text(state) == question.reask
    assert triage.from_dict(triage.to_dict(state)) == state
    assert triage.outcome(triage.answer(state, Answer.YES)) is Level.EMERGENCY


def test_a_suspected_severe_chest_pain_is_reached_through_the_chest_pain_question():
    state = triage.suspect(triage.start(), ["chest_pain_severe"])
    assert triage.asking(state) == ("chest_pain",)
    state = triage.answer(state, Answer.YES)
    assert triage.asking(state) == ("chest_pain_severe",)


def test_a_no_to_a_suspected_emergency_goes_on_with_the_check_and_lowers_nothing():
    state = triage.report(triage.start(), ["fever"])
    state = triage.answer(triage.suspect(state, ["fainting"]), Answer.NO)
    assert triage.outcome(state) is Level.CALL_SOON and "fainting" not in triage.reported(state)
    assert triage.current_question(state) is not None and triage.question_text(state) == triage.current_question(state).text


def test_nothing_is_suspected_after_the_emergency_advice():
    state = triage.report(triage.start(), ["breathing"])
    assert triage.suspect(state, ["fainting"]) == state


# --- whom the check speaks of: the person, or the one a caregiver speaks for -------------------

OTHER_WORDS = {"you", "your", "yours", "yourself"}
THIRD = {"he": {"he", "his", "him"}, "she": {"she", "her"}, "they": {"they", "their", "them"}}


@pytest.mark.parametrize("q", P.questions, ids=lambda q: q.id)
def test_every_question_speaks_of_whom_the_check_is_about(q):
    for plainly in (False, True):
        assert q.said("you", plainly) == (q.reask if plainly else q.text)
        assert not words_of(q.said("you", plainly)) & {w for ws in THIRD.values() for w in ws}
        for about, words in THIRD.items():
            said = q.said(about, plainly)
            assert not words_of(said) & OTHER_WORDS, said
            assert said[0].isupper() and "{" not in said
            if words_of(q.said("you", plainly)) & OTHER_WORDS:
                assert words_of(said) & words, said


def test_a_caregivers_check_asks_of_him_and_keeps_it():
    state = triage.speaking_of(triage.suspect(triage.start(), ["breathing"]), "he")
    assert triage.question_text(state) == "Is it hard for him to get his breath? Or do his face, lips, tongue or throat feel puffy or tight?"
    state = triage.answer(state, Answer.NO)
    assert triage.question_text(state).startswith("Is his face drooping")
    assert triage.speaking_of(state, None) == state  # words that say neither change nothing
    assert triage.from_dict(json.loads(json.dumps(triage.to_dict(state)))) == state
    assert triage.question_text(triage.speaking_of(state, "you")).startswith("Is your face drooping")
    with pytest.raises(ValueError):
        triage.speaking_of(state, "it")


def test_a_state_kept_before_whom_was_known_speaks_to_the_person():
    d = valid()
    del d["about"]
    assert triage.from_dict(d).about == "you"
