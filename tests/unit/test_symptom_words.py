"""The person's own words -> symptom ids: lay phrasings, recogniser text, caregivers, denials."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from skill import triage
from skill.symptom_words import Parsed, normalize, parse

# At least five of our own phrasings per id (not the dev persona lines), as people say them.
SAYINGS = {
    "breathing": [
        "i'm so short of breath", "he's wheezing a lot", "it's hard to breathe",
        "she is struggling to breathe", "i can't get enough air", "my breathing feels really tight",
        "i'm gasping for air", "i get out of breath just walking to the kitchen",
    ],
    "throat_swelling": [
        "my tongue feels swollen", "her face is all puffed up", "my throat feels like it's closing",
        "i can't swallow properly", "his lips are swelling up", "there's swelling around my mouth",
        "my eyelids are puffy",
    ],
    "stroke_signs": [
        "his speech is slurred", "one side of her face is sagging", "my left arm is numb",
        "she can't lift her arm", "he seems confused", "i suddenly can't see out of one eye",
        "my face feels numb on one side", "he's not making sense",
    ],
    "fainting": [
        "i fainted in the kitchen", "she passed out", "i feel like i'm going to pass out",
        "he collapsed", "i almost fainted", "i keep feeling faint", "she blacked out for a second",
    ],
    "chest_pain": [
        "my chest hurts", "i have a tight chest", "there's pressure on my chest", "chest pain",
        "my chest feels heavy", "a sharp pain in my chest", "my heart hurts",
    ],
    "severe_headache": [
        "the worst headache i've ever had", "a really bad headache", "my head is killing me",
        "severe headache", "the light hurts my eyes", "terrible headache", "headache and a stiff neck",
    ],
    "hives_itching": [
        "i'm itchy all over", "i've broken out in hives", "there's a rash on my tummy",
        "red blotches all over my skin", "she's covered in welts", "my skin is really itchy",
    ],
    "dizziness": [
        "i feel dizzy", "the room is spinning", "i'm a bit woozy", "he feels light-headed",
        "i keep losing my balance", "i'm unsteady on my feet",
    ],
    "blood_pressure": [
        "my blood pressure is really high", "my bp reading was really low", "the cuff read low",
        "my pressure dropped", "my blood pressure is way lower than normal",
        "blood pressure is higher than usual", "my bp is through the roof",
    ],
    "less_urine": [
        "i've barely peed today", "i'm not peeing very much", "i haven't been to the bathroom all day",
        "my ankles are really swollen", "hardly any urine", "he can't pee",
        "peeing a lot less than usual",
    ],
    "dark_urine": [
        "my urine is dark brown", "there's blood in my pee", "his eyes look yellow",
        "my wee is really dark", "brown urine", "her skin looks yellow", "tea colored pee",
    ],
    "limb_swelling": [
        "my left leg is swollen", "my calf is red and warm", "pain in my right arm",
        "her arm is puffy and hot", "one leg is bigger than the other", "my thigh is really tender",
    ],
    "headache": [
        "my head hurts", "i have a headache", "my head is pounding", "a mild headache",
        "a bit of a sore head", "he's complaining of a headache",
    ],
    "fever": [
        "i've got a fever", "i'm shivering", "chills all night", "my temperature is 101",
        "i feel hot and cold", "running a temp",
    ],
    "nausea_vomiting": [
        "i'm nauseous", "i threw up", "feeling queasy", "she's been vomiting",
        "i think i'm going to be sick", "my stomach is upset", "he keeps puking",
    ],
    "back_pain": [
        "my back hurts", "lower back pain", "i have a backache", "her back is really sore",
        "pain in my back", "my back is killing me",
    ],
    "muscle_pain": [
        "my muscles ache", "my joints hurt", "i'm achy", "my whole body aches", "my knees are sore",
        "my legs ache",
    ],
    "other": [
        "i don't feel right", "i feel weird", "something's just not right", "i'm exhausted",
        "feeling under the weather", "he's not himself today", "i feel awful",
    ],
}

SEVERE_CHEST = [
    "crushing chest pain", "my chest hurts and i'm all sweaty", "the pain in my chest goes into my jaw",
    "severe chest pain", "chest pain spreading to my back", "it's like an elephant sitting on my chest",
    "my chest is tight and the pain goes down my left arm",
]


def test_every_symptom_id_has_sayings():
    assert set(SAYINGS) | {"chest_pain_severe"} == set(triage.protocol().symptoms)
    assert all(len(v) >= 5 for v in SAYINGS.values())


@pytest.mark.parametrize(
    "sid, said", [(sid, said) for sid, sayings in SAYINGS.items() for said in sayings]
)
def test_lay_phrasing(sid, said):
    for text in (said, normalize(said), said.upper() + "."):  # typed, recogniser text, shouted
        words = parse(text)
        assert words.ids == {sid}, text
        assert not words.nothing_wrong


@pytest.mark.parametrize("said", SEVERE_CHEST)
def test_severe_chest_pain_reports_both(said):
    assert parse(said).ids == {"chest_pain", "chest_pain_severe"}


@pytest.mark.parametrize(
    "said", ["my cuff says 130 over 85", "i took my blood pressure and it's fine", "my bp is normal"]
)
def test_a_reading_alone_is_left_to_the_question(said):
    assert "blood_pressure" not in parse(said).ids


@pytest.mark.parametrize(
    "said",
    ["my chest feels a bit tight", "mild chest pain", "my arm hurts a bit", "i'm sweating",
     "my back and legs ache"],
)
def test_severity_words_need_chest_pain(said):
    assert "chest_pain_severe" not in parse(said).ids


@pytest.mark.parametrize(
    "said, ids",
    [
        ("headache and i feel sick", {"headache", "nausea_vomiting"}),
        ("i'm dizzy and my lips are swollen", {"dizziness", "throat_swelling"}),
        ("my back and legs ache", {"back_pain", "muscle_pain"}),
        ("i have a fever and a rash", {"fever", "hives_itching"}),
        ("my stomach feels off and i've got the chills", {"nausea_vomiting", "fever", "other"}),
        ("the worst headache and i threw up", {"severe_headache", "nausea_vomiting"}),
        ("my arm is red and itchy", {"limb_swelling", "hives_itching"}),
    ],
)
def test_several_symptoms_at_once(said, ids):
    assert parse(said).ids >= ids
    assert parse(said).ids - ids <= {"other"}


@pytest.mark.parametrize(
    "said, sid",
    [
        ("his face looks lopsided", "stroke_signs"),
        ("she can't catch her breath", "breathing"),
        ("he threw up twice", "nausea_vomiting"),
        ("her ankles are swollen", "less_urine"),
        ("my husband passed out", "fainting"),
        ("my mum's lips are swollen", "throat_swelling"),
        ("my son says his head hurts", "headache"),
        ("she's really itchy", "hives_itching"),
        ("he doesn't seem like himself", "other"),
    ],
)
def test_caregivers_third_person(said, sid):
    assert parse(said).ids == {sid}


@pytest.mark.parametrize(
    "said, denied",
    [
        ("no headache", {"headache"}),
        ("not dizzy", {"dizziness"}),
        ("i'm not dizzy", {"dizziness"}),
        ("i don't have a fever", {"fever"}),
        ("she isn't wheezing", {"breathing"}),
        ("my rash is gone", {"hives_itching"}),
        ("no chest pain", {"chest_pain"}),
        ("no trouble breathing", {"breathing"}),
        ("my pee isn't dark", {"dark_urine"}),
        ("my lips aren't swollen", {"throat_swelling"}),
        ("he hasn't fainted", {"fainting"}),
        ("without any chills", {"fever"}),
        ("my blood pressure isn't high", {"blood_pressure"}),
        ("no fever or chills", {"fever"}),
        ("my chest does not hurt", {"chest_pain"}),
        ("never passed out", {"fainting"}),
    ],
)
def test_denials(said, denied):
    words = parse(said)
    assert words.ids == frozenset()
    assert words.denied == denied
    assert words.nothing_wrong


@pytest.mark.parametrize(
    "said, ids",
    [
        ("no fever but i have a headache", {"headache"}),
        ("no, i have a headache", {"headache"}),
        ("not sure if my leg is swollen", {"limb_swelling"}),  # doubt counts as yes
        ("i don't know if i have a fever", {"fever"}),
        ("my headache is gone but i feel sick", {"nausea_vomiting"}),
        ("i'm fine except my back hurts", {"back_pain"}),
        ("nothing except a headache", {"headache"}),
        ("i'm not fine", {"other"}),
        ("i don't feel good", {"other"}),
    ],
)
def test_denials_stop_at_the_clause(said, ids):
    words = parse(said)
    assert words.ids == ids and not words.nothing_wrong


@pytest.mark.parametrize(
    "said",
    [
        "i'm fine", "i feel good", "nothing really", "no problems at all", "all good here",
        "she seems fine", "he's doing okay", "none of those", "nope", "no", "so far so good",
        "i'm ok thanks", "i feel normal", "no symptoms", "NOTHING.", "I'm good, thanks!",
    ],
)
def test_nothing_wrong(said):
    words = parse(said)
    assert words.nothing_wrong and words.ids == frozenset()


@pytest.mark.parametrize(
    "said", ["i'm not sure", "maybe", "what are the side effects", "", "kind of", "what was the question"]
)
def test_neither_a_symptom_nor_all_well(said):
    assert parse(said) == Parsed(ids=frozenset(), in_infusion=None, nothing_wrong=False)


@pytest.mark.parametrize(
    "said, now",
    [
        ("i'm in the middle of my infusion and i feel itchy", True),
        ("the drip is still running", True),
        ("i'm hooked up right now", True),
        ("during my infusion i got a headache", True),
        ("at the infusion clinic", True),
        ("i had my infusion yesterday", False),
        ("my infusion finished this morning", False),
        ("since my infusion i've had a headache", False),
        ("i have a headache", None),
        ("the nurse just said to check", None),
    ],
)
def test_infusion_going_on_now(said, now):
    assert parse(said).in_infusion is now


@pytest.mark.parametrize(
    "text",
    [
        "", " ", "\n\t", "😀🤒🤢" * 50, "no puedo respirar", "j'ai mal à la tête", "頭が痛い",
        "headache " * 700, "x" * 5000, "a" + "'" * 4000, "... ??? !!!", "{pee} ... # * [", "0" * 5000,
    ],
)
def test_odd_input(text):
    words = parse(text)
    assert isinstance(words, Parsed)
    assert words.ids <= set(triage.protocol().symptoms)


def test_not_a_string_is_nothing():
    assert parse(None) == Parsed(ids=frozenset(), in_infusion=None, nothing_wrong=False)


@given(st.text(max_size=300))
def test_any_text_parses(text):
    words = parse(text)
    assert words.ids <= set(triage.protocol().symptoms)
    assert not (words.nothing_wrong and words.ids)
    assert not (words.ids & words.denied)
    if "chest_pain_severe" in words.ids:
        assert "chest_pain" in words.ids
