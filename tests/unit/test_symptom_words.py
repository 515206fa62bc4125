"""The person's own words -> symptom ids: lay phrasings, recogniser text, caregivers, denials."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from skill import hearing, triage
from skill.symptom_words import Parsed, as_answer, hear, normalize, parse, whom

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
        "the worst headache of my whole life", "a really bad headache", "my head is killing me",
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
        "she seems fine", "he's doing okay", "none of those", "nope", "no", "all grand so far",
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
    parsed = parse(said)
    assert parsed == Parsed(ids=frozenset(), in_infusion=None, nothing_wrong=False, unexplained=parsed.unexplained,
                            hypothetical=parsed.hypothetical)
    assert parsed.unexplained == len(said.split())  # all of it is left for the learned reader


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
    assert parse(None) == Parsed(ids=frozenset(), in_infusion=None, nothing_wrong=False, unexplained=0)


@given(st.text(max_size=300))
def test_any_text_parses(text):
    words = parse(text)
    assert words.ids <= set(triage.protocol().symptoms)
    assert not (words.nothing_wrong and words.ids)
    assert not (words.ids & words.denied)
    if "chest_pain_severe" in words.ids:
        assert "chest_pain" in words.ids


# ------------------------------------------------- saying that it goes on is not a denial ----


@pytest.mark.parametrize(
    "said, ids",
    [
        ("my chest pain is not going away", {"chest_pain"}),
        ("she hasn't stopped wheezing", {"breathing"}),
        ("the headache won't go away", {"headache"}),
        ("the itching hasn't stopped", {"hives_itching"}),
        ("her rash still hasn't gone away", {"hives_itching"}),
        ("my headache isn't getting any better", {"headache"}),
        ("the dizziness hasn't gone", {"dizziness"}),
        ("my back pain won't ease", {"back_pain"}),
        ("my chest pain hasn't eased", {"chest_pain"}),
        ("the itching never goes away", {"hives_itching"}),
        ("he hasn't stopped throwing up", {"nausea_vomiting"}),
        ("the nausea won't let up", {"nausea_vomiting"}),
        ("i've never been this dizzy", {"dizziness"}),
        ("she's never been so short of breath", {"breathing"}),
        ("i never had chest pain this bad", {"chest_pain", "chest_pain_severe"}),
        ("i've never had a headache like this", {"severe_headache"}),
    ],
)
def test_saying_it_goes_on_is_not_a_denial(said, ids):
    words = parse(said)
    assert words.ids == ids and not words.denied and not words.nothing_wrong


@pytest.mark.parametrize(
    "said, ids",
    [
        ("my throat isn't swollen but it feels tight", {"throat_swelling"}),
        ("my chest doesn't hurt but it feels tight", {"chest_pain"}),
        ("my throat isn't sore but it's closing up", {"throat_swelling"}),
        ("his tongue isn't swollen but it feels thick", {"throat_swelling"}),
        ("my pee isn't dark but it's a lot less", {"less_urine"}),
        ("my ankles aren't red but they're swollen", {"less_urine"}),
    ],
)
def test_it_after_a_denial_is_the_body_part_just_named(said, ids):
    words = parse(said)
    assert words.ids == ids and not words.nothing_wrong


@pytest.mark.parametrize(
    "said, denied",
    [
        ("the rash went away", {"hives_itching"}),
        ("my headache has gone away", {"headache"}),
        ("the itching has stopped", {"hives_itching"}),
        ("the dizziness stopped", {"dizziness"}),
        ("i've never fainted", {"fainting"}),
        ("she isn't wheezing anymore", {"breathing"}),
        ("no left arm weakness", {"stroke_signs"}),
        ("i never had chest pain that i know of", {"chest_pain"}),
        ("i'm not breathing hard", {"breathing"}),
    ],
)
def test_real_denials_stay_denials(said, denied):
    words = parse(said)
    assert words.ids == frozenset() and words.denied == denied and words.nothing_wrong


# --------------------------------------------------------------- "'s" is "is" ----


@pytest.mark.parametrize(
    "said, ids",
    [
        ("throat's closing", {"throat_swelling"}),
        ("his tongue's swollen", {"throat_swelling"}),
        ("my chest's tight", {"chest_pain"}),
        ("my head's killing me", {"severe_headache"}),
        ("my back's killing me", {"back_pain"}),
        ("my leg's swollen", {"limb_swelling"}),
        ("her throat's really tight", {"throat_swelling"}),
        ("my arm's gone numb", {"stroke_signs"}),
        ("his face's all puffy", {"throat_swelling"}),
        ("my stomach's upset", {"nausea_vomiting"}),
        ("my ankle's swollen", {"limb_swelling"}),
        ("my breathing's bad", {"breathing"}),
        ("the rash's spreading", {"hives_itching"}),
        ("my husband's face is drooping", {"stroke_signs"}),  # possessives still work
        ("my wife's lips are swollen", {"throat_swelling"}),
        ("my son's leg is swollen", {"limb_swelling"}),
        ("my dad's speech is slurred", {"stroke_signs"}),
        ("john's really confused", {"stroke_signs"}),
        ("my mum's not breathing right", {"breathing"}),
    ],
)
def test_apostrophe_s(said, ids):
    assert parse(said).ids == ids
    assert parse(said.replace("'", "\u2019")).ids == ids  # a typographic apostrophe


@pytest.mark.parametrize(
    "said, normal",
    [
        ("My chest's tight.", "my chest is tight"),
        ("my husband's face", "my husbands face"),
        ("it's fine", "its fine"),
        ("he's dizzy", "hes dizzy"),
        ("let's go", "lets go"),
        ("there's a rash", "there is a rash"),
    ],
)
def test_normalize_reads_apostrophe_s(said, normal):
    assert normalize(said) == normal


# ---------------------------------------------------- a gap may end with "and" ----


@pytest.mark.parametrize(
    "said, ids",
    [
        ("my lips are numb and swollen", {"throat_swelling"}),
        ("my throat is sore and swollen", {"throat_swelling"}),
        ("throat feels scratchy and tight", {"throat_swelling"}),
        ("my lips are tingling and puffy", {"throat_swelling"}),
        ("i feel woozy and faint", {"dizziness", "fainting"}),
        ("my face is red and swollen", {"throat_swelling"}),
        ("her tongue is dry and swollen", {"throat_swelling"}),
        ("my mouth is tingly and puffy", {"throat_swelling"}),
        ("my eyelids are itchy and puffy", {"throat_swelling", "hives_itching"}),
        ("my throat feels dry and tight", {"throat_swelling"}),
        ("my calf aches and has swollen", {"limb_swelling"}),
        ("he's pale and confused", {"stroke_signs", "other"}),
        ("i'm dizzy and faint", {"dizziness", "fainting"}),
    ],
)
def test_a_gap_can_end_with_and(said, ids):
    assert parse(said).ids == ids


@pytest.mark.parametrize(
    "said, ids",
    [
        ("my face is fine and my ankles are swollen", {"less_urine"}),
        ("my ankles are swollen and my face is fine", {"less_urine"}),
        ("my arm is fine and my head hurts", {"headache"}),
    ],
)
def test_and_before_a_new_subject_still_ends_the_gap(said, ids):
    assert parse(said).ids == ids


# ------------------------------------------------------ emergencies in many words ----


@pytest.mark.parametrize(
    "said, sid",
    [
        # not breathing, not responding
        ("he is not breathing", "breathing"),
        ("she isn't breathing", "breathing"),
        ("my wife is not breathing", "breathing"),
        ("he stopped breathing", "breathing"),
        ("he's barely breathing", "breathing"),
        ("he's not responding", "fainting"),
        ("my husband isn't responding", "fainting"),
        ("she won't respond to me", "fainting"),
        ("he won't wake up", "fainting"),
        ("she's hard to wake", "fainting"),
        ("he's really hard to wake up", "fainting"),
        ("he went out cold", "fainting"),
        ("she's out cold on the floor", "fainting"),
        # confusion
        ("he's not making any sense", "stroke_signs"),
        ("she's talking gibberish", "stroke_signs"),
        ("he's all mixed up", "stroke_signs"),
        ("my mum is very confused", "stroke_signs"),
        ("she's really out of it", "stroke_signs"),
        ("he seems really confused", "stroke_signs"),
        ("she's babbling", "stroke_signs"),
        ("weakness in my right leg", "stroke_signs"),
        # breathing
        ("i get winded walking to the car", "breathing"),
        ("i'm short winded", "breathing"),
        ("he's huffing and puffing", "breathing"),
        ("i haven't been able to breathe properly", "breathing"),
        ("she hasn't been able to breathe right", "breathing"),
        ("i'm unable to breathe", "breathing"),
        ("my breathing is not good", "breathing"),
        ("her breathing isn't right", "breathing"),
        ("breathing is off", "breathing"),
        ("his breathing is bad", "breathing"),
        # swelling
        ("her eyes are swollen shut", "throat_swelling"),
        ("my eye is puffed shut", "throat_swelling"),
        ("tongue feels thick", "throat_swelling"),
        # what a speech recogniser writes
        ("i'm short a breath", "breathing"),
        ("trouble breething", "breathing"),
        ("he's weezing", "breathing"),
        ("feint", "fainting"),
        ("i feel feint", "fainting"),
        ("she feinted", "fainting"),
        ("he past out", "fainting"),
        ("my tong is swollen", "throat_swelling"),
        ("my lips are swolen", "throat_swelling"),
        ("my chess hurts", "chest_pain"),
    ],
)
def test_emergencies_in_many_words(said, sid):
    assert parse(said).ids == {sid}


def test_chest_and_breathing_together():
    assert parse("chest feels tight and i can't breathe").ids == {"chest_pain", "breathing"}


@pytest.mark.parametrize(
    "said, sid",
    [
        ("can't breathe", "breathing"), ("trouble breathing", "breathing"),
        ("short of breath", "breathing"), ("wheezing", "breathing"), ("not breathing", "breathing"),
        ("passed out", "fainting"), ("fainted", "fainting"), ("collapsed", "fainting"),
        ("faint", "fainting"), ("not responding", "fainting"),
        ("throat closing", "throat_swelling"), ("swollen tongue", "throat_swelling"),
        ("face drooping", "stroke_signs"), ("slurring", "stroke_signs"), ("drooping", "stroke_signs"),
        ("mixed up", "stroke_signs"), ("confused", "stroke_signs"),
    ],
)
def test_bare_fragments_as_alexa_gives_the_slot(said, sid):
    assert parse(said).ids == {sid}


@pytest.mark.parametrize(
    "said",
    ["breathe", "breath", "throat", "chest", "face", "i have a faint rash on my arm",
     "my headache isn't responding to tylenol", "i got my meds mixed up", "he has bad breath"],
)
def test_not_an_emergency(said):
    assert not parse(said).ids & {"breathing", "throat_swelling", "stroke_signs", "fainting"}


# ------------------------------------------------------------------- blood pressure ----


@pytest.mark.parametrize(
    "said",
    [
        "my blood pressure is not normal", "my bp isn't right", "my blood pressure is really high",
        "my blood pressure is really low", "blood pressure went up", "blood pressure dropped",
        "my blood pressure shot up", "her bp has gone way down", "my bp is way off",
        "my blood pressure is elevated", "the top number went up",
    ],
)
def test_blood_pressure_in_words(said):
    assert parse(said).ids == {"blood_pressure"}


@pytest.mark.parametrize(
    "said, far",
    [
        ("190 over 110", True), ("80 over 50", True), ("my cuff says 185 over 95", True),
        ("it was 88/60", True), ("a hundred and ninety over a hundred", True),
        ("one ninety over one ten", True), ("eighty five over forty five", True),
        ("150 over 125", True), ("180 over 100", True), ("90 over 60", True), ("120 over 50", True),
        ("140 over 120", True),
        ("179 over 100", False), ("91 over 60", False), ("120 over 51", False), ("140 over 119", False),
        ("130 over 85", False), ("120/80", False), ("one twenty over eighty", False),
        ("one oh five over seventy", False), ("i took 2 over the counter pills", False),
        ("my temperature is 101 over night", False), ("5 over 3", False), ("50 over 90", False),
    ],
)
def test_a_far_reading_is_blood_pressure_and_others_are_left_to_the_question(said, far):
    assert ("blood_pressure" in parse(said).ids) is far


@pytest.mark.parametrize("said", ["my blood pressure isn't high", "my bp hasn't gone up", "my bp isn't off"])
def test_blood_pressure_denied(said):
    words = parse(said)
    assert words.ids == frozenset() and words.denied == {"blood_pressure"}


# ------------------------------------------------------------------- all is well ----


@pytest.mark.parametrize(
    "said",
    [
        "I'm fine", "he's fine", "she's okay", "all good", "nothing new", "no problems",
        "my husband's fine", "we're fine", "he's all right", "nothing to report", "no new symptoms",
        "my chest is fine", "not a thing", "my breathing's fine", "she is fine", "all well",
    ],
)
def test_all_is_well_in_other_words(said):
    words = parse(said)
    assert words.nothing_wrong and words.ids == frozenset()


# ------------------------------------------- more ways of saying it (held-out families) ----


@pytest.mark.parametrize(
    "said, ids",
    [
        # breathing: comparatives, panting, asthma, a whistle
        ("it's getting harder and harder to breathe", {"breathing"}),
        ("she's panting after a few steps", {"breathing"}),
        ("i think i'm having an asthma attack", {"breathing"}),
        ("he has trouble getting a breath in", {"breathing"}),
        ("there's a whistle in my chest when i breathe out", {"breathing"}),
        # throat and face: blown up, getting bigger, barely swallowing
        ("his lips ballooned", {"throat_swelling"}),
        ("her face has blown up", {"throat_swelling"}),
        ("my tongue keeps getting bigger", {"throat_swelling"}),
        ("i can hardly swallow", {"throat_swelling"}),
        ("my throat feels like it's getting narrower", {"throat_swelling"}),
        # stroke: a side word before the limb, lost words, one side of the body, confusion
        ("he can't move his right leg", {"stroke_signs"}),
        ("she can't lift her left arm up", {"stroke_signs"}),
        ("mum is struggling to find her words", {"stroke_signs"}),
        ("the left side of his body has gone weak", {"stroke_signs"}),
        ("his smile looks lopsided", {"stroke_signs"}),
        ("she doesn't know what year it is", {"stroke_signs"}),
        ("he doesn't understand what we're saying", {"stroke_signs"}),
        ("her speech sounds drunk", {"stroke_signs"}),
        ("my arm feels weak on the right", {"stroke_signs"}),
        # fainting: would not wake, went limp, out for seconds, faint with a degree word
        ("she couldn't wake him", {"fainting"}),
        ("dad wouldn't wake up properly", {"fainting"}),
        ("he went limp in his chair", {"fainting"}),
        ("i was out for maybe ten seconds", {"fainting"}),
        ("she slumped to the floor", {"fainting"}),
        ("i got really faint in the shower", {"fainting"}),
        ("my wife wasn't responding", {"fainting"}),
    ],
)
def test_emergencies_said_other_ways(said, ids):
    assert parse(said).ids == ids


@pytest.mark.parametrize(
    "said, ids",
    [
        # chest: "feels like ...", uncomfortable; severity words said plainly
        ("my chest feels like there's a band around it", {"chest_pain"}),
        ("my chest is uncomfortable", {"chest_pain"}),
        ("there's a dull ache in his chest", {"chest_pain"}),
        ("my chest is killing me", {"chest_pain", "chest_pain_severe"}),
        ("pretty bad chest pain", {"chest_pain", "chest_pain_severe"}),
        ("my chest hurts so much", {"chest_pain", "chest_pain_severe"}),
        ("it's like my chest is in a vise", {"chest_pain", "chest_pain_severe"}),
        # severe headache: severity after "head", "bad headache", light, a neck that won't turn
        ("my head hurts real bad", {"severe_headache"}),
        ("a bad headache", {"severe_headache"}),
        ("agonizing pain in my head", {"severe_headache"}),
        ("my head feels like it might explode", {"severe_headache"}),
        ("headache and the light is bothering my eyes", {"severe_headache"}),
        ("i can't turn my neck and i have a headache", {"severe_headache"}),
        ("a massive headache", {"severe_headache"}),
        ("my heads killing me", {"severe_headache"}),  # the recogniser dropped the "'s"
        # dizziness
        ("my head's swimming", {"dizziness"}),
        ("the room keeps going round", {"dizziness"}),
        ("i feel a bit off kilter", {"dizziness"}),
        # blood pressure said as words the recogniser ran together
        ("my blood pressures really low", {"blood_pressure"}),
        # less urine: "don't pee", barely, once, a trickle, the toilet
        ("he doesn't pee as much as he used to", {"less_urine"}),
        ("she isn't peeing", {"less_urine"}),
        ("i'm not passing much urine", {"less_urine"}),
        ("hardly any wee today", {"less_urine"}),
        ("i've only peed once since yesterday", {"less_urine"}),
        ("he hasn't needed to go to the toilet", {"less_urine"}),
        ("only a few drops come out", {"less_urine"}),
        ("my pee is just a dribble", {"less_urine"}),
        ("my waterworks have slowed down", {"less_urine"}),
        # dark urine, yellow skin
        ("i saw blood when i went to pee", {"dark_urine"}),
        ("her wee is the colour of coke", {"dark_urine"}),
        ("he looks yellow", {"dark_urine"}),
        ("dark yellow pee", {"dark_urine"}),
        # one arm or leg
        ("a warm tender patch on my leg", {"limb_swelling"}),
        ("her right arm is fatter than the other", {"limb_swelling"}),
    ],
)
def test_urgent_symptoms_said_other_ways(said, ids):
    assert parse(said).ids == ids


@pytest.mark.parametrize(
    "said, ids",
    [
        ("i'm a bit nautious", {"nausea_vomiting"}),
        ("he keeps gagging", {"nausea_vomiting"}),
        ("she got sick after dinner", {"nausea_vomiting"}),
        ("i've got a sore back", {"back_pain"}),
        ("my back's bothering me", {"back_pain"}),
        ("i've hurt my back", {"back_pain"}),
        ("pain in the small of her back", {"back_pain"}),
        ("i'm aching everywhere", {"muscle_pain"}),
        ("i feel like i've been hit by a bus", {"muscle_pain"}),
        ("i'm totally wiped out", {"other"}),
        ("he's been really drained", {"other"}),
        ("something isn't right with her", {"other"}),
        ("i came over all weird", {"other"}),
        ("just tired", {"other"}),
        ("she's got a runny nose", {"other"}),
    ],
)
def test_milder_symptoms_said_other_ways(said, ids):
    assert parse(said).ids == ids


@pytest.mark.parametrize(
    "said, ids, denied",
    [
        # "just" / "only" end a denial's reach
        ("no headache, just a rash", {"hives_itching"}, {"headache"}),
        ("not dizzy, only sick to my stomach", {"nausea_vomiting"}, {"dizziness"}),
        ("no swelling in my face just itching", {"hives_itching"}, {"throat_swelling"}),
        # a clause ending in "does" / "is" says the denied words again
        ("my chest doesn't hurt but my leg does", {"limb_swelling"}, {"chest_pain"}),
        ("her lips aren't swollen but her tongue is", {"throat_swelling"}, set()),
        # "good", "right", "fine" after a phrase that is itself a "not" do not deny it
        ("he can't breathe good", {"breathing"}, set()),
        ("she's not breathing right", {"breathing"}, set()),
        ("i can't breathe fine", {"breathing"}, set()),
    ],
)
def test_where_a_denial_ends(said, ids, denied):
    words = parse(said)
    assert words.ids == ids and words.denied == denied and not words.nothing_wrong


@pytest.mark.parametrize(
    "said, far",
    [
        ("my systolic is 200", True), ("the top number was only 75", True),
        ("my bottom number is 130", True), ("my blood pressure is a hundred and ninety", True),
        ("her bp was 85 this morning", True),
        ("my blood pressure was 125 this morning", False), ("my bp is 120 over 80", False),
        ("the pressure in my ears is 2 days old", False), ("my top number is 140", False),
    ],
)
def test_one_number_after_a_blood_pressure_word(said, far):
    assert ("blood_pressure" in parse(said).ids) is far


@pytest.mark.parametrize(
    "said",
    [
        "no side effects at all", "i'm back to my usual self", "good thanks", "not much to report",
        "same as always", "i don't have any symptoms", "the infusion went fine",
        "i can breathe fine", "nothing much",
    ],
)
def test_all_is_well_said_other_ways(said):
    words = parse(said)
    assert words.nothing_wrong and words.ids == frozenset()


@pytest.mark.parametrize(
    "said, now",
    [
        ("i'm halfway through my infusion", True),
        ("they're giving me my ivig now", True),
        ("my drip started half an hour ago", True),
        ("i'm home now", False),
        ("i'm through my infusion", None),  # finished, not "partway through"
    ],
)
def test_infusion_going_on_now_other_ways(said, now):
    assert parse(said).in_infusion is now


@pytest.mark.parametrize(
    "said, not_ids",
    [
        ("my headache is so much better", {"severe_headache"}),
        ("the bruise is turning yellow", {"dark_urine"}),
        ("the tap was trickling", {"less_urine"}),
        ("he doesn't understand how the pump works", {"stroke_signs"}),
        ("he was out for a few minutes getting the paper", {"fainting"}),
        ("the lights at the clinic were blinding", {"stroke_signs"}),
        ("i have a blinding headache", {"stroke_signs"}),
    ],
)
def test_no_false_alarm_from_the_new_phrases(said, not_ids):
    assert not parse(said).ids & not_ids


@pytest.mark.parametrize("text,answer", [
    ("yes", "yes"), ("Yeah.", "yes"), ("yes she does", "yes"), ("nope", "no"), ("none of those", "no"),
    ("I don't think so", "no"), ("I'm not sure", "not_sure"), ("maybe", "not_sure"), ("um, i don't know", "not_sure"),
    # a hedge of degree says how much, not whether: a yes at once, never asked again
    ("um, kind of", "yes"), ("yeah a bit", "yes"), ("a little", "yes"),
    ("my head hurts", None), ("no headache but i feel sick", None), ("", None),
])
def test_a_bare_answer_in_words(text, answer):
    from skill.symptom_words import as_answer

    assert as_answer(text) == answer


@pytest.mark.parametrize("text,resolved,answer,ids,all_well", [
    ("yeah", (), "yes", set(), False),
    ("I'm fine", (), None, set(), True),
    ("no headache", (), None, set(), False),
    ("purple elephants", (), None, {"other"}, False),
    ("i'm on the drip right now", (), None, set(), False),
    ("can't catch my breath", ("breathing",), None, {"breathing"}, False),
    ("", (), None, set(), False),
])
def test_what_the_check_hears(text, resolved, answer, ids, all_well):
    from skill.symptom_words import hear

    heard = hear(text, resolved)
    assert (heard.answer, set(heard.ids), heard.all_well) == (answer, ids, all_well)


# Openings as people give them on the phone: hedged, long, from a carer, with what is not wrong.
@pytest.mark.parametrize(
    "said, ids",
    [
        # hedges and intensifiers inside a phrase do not stretch it out of reach
        ("her lips might be a little bit swollen", {"throat_swelling"}),
        ("my calf is maybe sort of swollen", {"limb_swelling"}),
        ("his words keep coming out kind of wrong", {"stroke_signs"}),
        ("i think my throat is really sort of tight", {"throat_swelling"}),
        # long openings, with the time and the infusion in them
        ("so last night after they took the drip out i felt like i couldn't take a deep breath", {"breathing"}),
        ("ever since the infusion my head feels like it's about to split", {"severe_headache"}),
        ("since friday my bp has been up every time i check", {"blood_pressure"}),
        ("i went all hazy, everything went grey and i nearly went down", {"fainting"}),
        # carers, saying what they see
        ("he keeps clutching at his chest", {"chest_pain"}),
        ("mum keeps complaining about her back", {"back_pain"}),
        ("my wife hasn't been to the loo since breakfast", {"less_urine"}),
        ("grandad's holding onto water in his legs", {"less_urine"}),
        ("there's an ache under his breastbone", {"chest_pain"}),
        # what is not wrong, then what is
        ("no rash, no fever, but both my feet have swollen up", {"less_urine"}),
        ("not dizzy or anything, i just felt really wiped", {"other"}),
        ("i reckon i'm coming down with something", {"other"}),
        # the recogniser's spelling
        ("i had the chils and i feel like i might hurl", {"fever", "nausea_vomiting"}),
    ],
)
def test_openings_in_many_styles(said, ids):
    assert parse(said).ids == ids


@pytest.mark.parametrize(
    "said, now",
    [
        ("i'm in the chair and my arm itches", True),
        ("they're still running it and i'm a bit dizzy", True),
        ("it's still dripping", True),
        ("i got home from the infusion center and my head hurts", False),
        ("no issues since my ivig", False),
        ("they unhooked me an hour ago", False),
        ("i'm on my way home from my infusion", False),
        ("my next infusion is tomorrow", False),
        ("my arm is sore where the iv went in", None),
    ],
)
def test_infusion_now_or_over_in_other_words(said, now):
    assert parse(said).in_infusion is now


@pytest.mark.parametrize(
    "said",
    [
        "the infusion went fine and i feel okay", "no issues since my ivig", "i'm absolutely fine",
        "not a single problem here", "nothing really", "he says he's perfectly fine",
        "had my ivig this morning, all good",
    ],
)
def test_infusion_mentioned_but_all_is_well(said):
    words = hear(said)
    assert words.ids == frozenset() and words.all_well


@pytest.mark.parametrize(
    "said", ["i had my ivig this morning", "i'm on my way home from my infusion", "my next infusion is tomorrow"]
)
def test_infusion_mentioned_and_nothing_else_is_no_symptom(said):
    assert hear(said).ids == frozenset()


@pytest.mark.parametrize(
    "said, not_ids",
    [
        ("my throat is a bit dry", {"throat_swelling"}),
        ("my legs are really tired from walking", {"limb_swelling", "less_urine"}),
        ("i was a little nervous about the infusion but it was fine", {"other"}),
        ("my tongue was really dry so i drank some water", {"throat_swelling"}),
        ("the nurse said my arm might be a bit bruised", {"limb_swelling"}),
    ],
)
def test_hedge_words_do_not_join_unrelated_words(said, not_ids):
    assert not parse(said).ids & not_ids


@pytest.mark.parametrize("text,ids", [
    ("since my infusion my toe hurts", {"other"}),
    ("ever since the drip yesterday my foot feels funny", {"other"}),
    ("i'm on the drip right now", set()),
    ("they're still running it", set()),
])
def test_an_infusion_mentioned_with_a_complaint_is_reported(text, ids):
    from skill.symptom_words import hear

    assert set(hear(text).ids) == ids


# Regional words (UK, Australia, India, US), caregiver speech and recogniser slips, one family a
# case list: each must name the id, and the all-is-well sayings must name nothing.
@pytest.mark.parametrize("said,sid", [
    # breathing: "puffed", "struggling for air", misspelt "breathing"
    ("i'm all puffed out after walking to the gate", "breathing"),
    ("dad is struggling for air", "breathing"),
    ("she is having trouble brething", "breathing"),
    ("no, can't breathe", "breathing"),
    # throat: "not able to", "tong"
    ("nope, not able to swallow my tablets", "throat_swelling"),
    ("her tong has puffed up", "throat_swelling"),
    # stroke: a face that has dropped or is pulling down, muddled, pins and needles down one side
    ("grandma's face has slipped on one side", "stroke_signs"),
    ("his mouth is pulling down to the left", "stroke_signs"),
    ("mum is all muddled this afternoon", "stroke_signs"),
    ("pins and needles all down one side", "stroke_signs"),
    ("my eyesight has gone blurry", "stroke_signs"),
    ("he is unable to speak", "stroke_signs"),
    # fainting: "came over all faint", "hit the deck", "swooning"
    ("she came over all faint at the shops", "fainting"),
    ("he went dizzy and hit the deck", "fainting"),
    ("i was swooning in the shower", "fainting"),
    # chest: a band or a squeeze around it
    ("feels like a tight band round my chest", "chest_pain"),
    ("something squeezing my chest", "chest_pain_severe"),
    # severe headache: strong everyday words
    ("a shocking headache since lunch", "severe_headache"),
    ("dreadful headache", "severe_headache"),
    ("my head feels like it's going to burst", "severe_headache"),
    # skin: lumps and marks
    ("raised red lumps on my legs", "hives_itching"),
    ("nettle rash on my arms", "hives_itching"),
    # dizziness
    ("my head's all muzzy", "dizziness"),
    ("legs like jelly and the room is going round", "dizziness"),
    # urine and swelling
    ("only a dribble when he goes", "less_urine"),
    ("hardly passing any water today", "less_urine"),
    ("her ankles have blown up", "less_urine"),
    # one limb
    ("one of my legs has swollen up", "limb_swelling"),
    # fever, stomach, back, aches
    ("i've got a feaver", "fever"),
    ("his teeth are chattering", "fever"),
    ("feeling a bit sicky", "nausea_vomiting"),
    ("upset tummy since the drip", "nausea_vomiting"),
    ("i feel nausious", "nausea_vomiting"),
    ("my back is playing up", "back_pain"),
    ("pain across my back", "back_pain"),
    ("my bones ache", "muscle_pain"),
    ("stiff all over", "muscle_pain"),
])
def test_regional_and_misheard_openings(said, sid):
    assert sid in hear(said).ids


@pytest.mark.parametrize("said", [
    "no, nothing like that", "i'm grand thanks", "no dramas, all fine", "not a problem",
    "no, no problems", "fighting fit", "not too bad thanks",
])
def test_regional_all_is_well(said):
    h = hear(said)
    assert h.all_well and not h.ids


@pytest.mark.parametrize("said,not_ids", [
    ("the swelling in my face has gone down", {"stroke_signs", "throat_swelling"}),
    ("no, not dizzy", {"dizziness"}),
    ("no i don't have trouble breathing", {"breathing"}),
    ("nope, not having any trouble breathing", {"breathing"}),
    ("i'm going in for my infusion tomorrow", set()),
])
def test_new_regional_phrases_raise_no_false_alarm(said, not_ids):
    assert not (hear(said).ids & not_ids)


@pytest.mark.parametrize("said", ["no, not fine", "no, not feeling well"])
def test_no_then_a_negative_complaint_is_not_talked_away(said):
    assert hear(said).ids == {"other"}


# A hedge or intensifier between "feel" and the word ("feeling a bit sick", "i feel really hot")
# still names the symptom, not only "something else".
@pytest.mark.parametrize("said,sid", [
    ("i'm feeling a bit sick", "nausea_vomiting"),
    ("she feels really sick this morning", "nausea_vomiting"),
    ("i felt a little bit sick after lunch", "nausea_vomiting"),
    ("i've been a bit sick, twice", "nausea_vomiting"),
    ("i feel really hot", "fever"),
    ("he's feeling a bit cold and shaky", "fever"),
])
def test_hedged_feel_words_name_the_symptom(said, sid):
    assert sid in hear(said).ids


@pytest.mark.parametrize("said", ["i don't feel a bit sick", "i'm not feeling sick at all"])
def test_hedged_feel_words_denied(said):
    assert "nausea_vomiting" not in hear(said).ids


# "No power" / "no strength" in an arm or leg (common in Indian English) is weakness: a stroke sign.
@pytest.mark.parametrize("said", [
    "my left hand is having no power since morning",
    "there is no strength in his right arm",
    "her leg has no power",
    "i've lost the power in my arm",
    "my arm has lost its strength",
])
def test_no_power_in_a_limb_is_a_stroke_sign(said):
    assert "stroke_signs" in hear(said).ids


@pytest.mark.parametrize("said", ["we had a power cut at home but i feel fine"])
def test_power_without_a_limb_is_no_stroke_sign(said):
    assert "stroke_signs" not in hear(said).ids


@pytest.mark.parametrize(
    "said, denied",
    [
        ("i had a rash at lunchtime but it's settled now", {"hives_itching"}),
        ("the nausea earlier has passed", {"nausea_vomiting"}),
        ("vomited this morning but not now", {"nausea_vomiting"}),
        ("she was woozy at teatime but that went away", {"dizziness"}),
        ("his temperature broke overnight", {"fever"}),
    ],
)
def test_a_symptom_said_to_be_over_is_denied(said, denied):
    words = parse(said)
    assert words.ids == frozenset() and words.denied == denied


@pytest.mark.parametrize(
    "said, ids",
    [
        ("pain in my chest that passed up to my jaw", {"chest_pain", "chest_pain_severe"}),
        ("my chest hurt and it went down my left arm", {"chest_pain", "chest_pain_severe"}),
        ("got dizzy and then passed out", {"dizziness", "fainting"}),
        ("the headache came back and it hasn't gone", {"headache"}),
        ("my legs broke out in hives", {"hives_itching"}),
        ("the squeezing in my chest has gone up into my neck", {"chest_pain", "chest_pain_severe"}),
        ("pain in my chest and it's gone down into my arm", {"chest_pain", "chest_pain_severe"}),
        ("i'm throwing up but i'm fine apart from that", {"nausea_vomiting"}),
        ("my head's pounding though fine otherwise", {"headache"}),
    ],
)
def test_words_that_say_it_moved_began_or_goes_on_deny_nothing(said, ids):
    assert ids <= parse(said).ids


@pytest.mark.parametrize("said, denied", [
    ("my breathing is alright it's my skin that itches", {"breathing"}),
    ("her tummy's fine now", {"nausea_vomiting"}),
    ("the waterworks are normal", {"less_urine", "dark_urine"}),
])
def test_a_part_said_to_be_well_denies_its_symptoms(said, denied):
    assert denied <= parse(said).denied and not denied & parse(said).ids


@pytest.mark.parametrize("said", [
    "i've got no breath left", "he hasn't had a wee since breakfast", "it's not both arms just the left that's swollen",
])
def test_a_part_is_never_denied_by_a_word_before_it(said):
    # "no breath" is the symptom itself: only words after a part ("is fine") deny through it
    assert not parse(said).denied


@pytest.mark.parametrize("said, ids", [
    ("his lips have gone huge", {"throat_swelling"}),
    ("my face has gone all lopsided", {"stroke_signs"}),
])
def test_gone_then_a_word_that_says_what_it_became_is_no_denial(said, ids):
    assert not parse(said).denied & ids


@pytest.mark.parametrize("said, denied", [
    ("wheezing none", "breathing"),
    ("dizziness nil thank you", "dizziness"),
    ("temperature not there at all", "fever"),
])
def test_a_word_of_none_just_after_a_symptom_and_ending_it_denies_it(said, denied):
    parsed = parse(said)
    assert denied in parsed.denied and denied not in parsed.ids


@pytest.mark.parametrize("said, denied", [
    ("passed out no i'm fine", "fainting"),
    ("sore head no i feel fine thanks", "headache"),
    ("a temperature nope i'm right as rain", "fever"),
])
def test_the_question_said_back_then_answered_no_and_well_denies_it(said, denied):
    parsed = parse(said)
    assert denied in parsed.denied and not parsed.ids and parsed.nothing_wrong


def test_the_question_said_back_then_no_then_another_symptom_keeps_only_the_other():
    parsed = parse("passed out no i'm fine but my back is killing me")
    assert parsed.ids == {"back_pain"} and "fainting" in parsed.denied


@pytest.mark.parametrize("said", ["my chest hurts no matter how i sit", "a sore head nothing too bad"])
def test_a_word_of_none_that_goes_on_is_no_denial(said):
    assert parse(said).ids and not parse(said).denied


@pytest.mark.parametrize("said, denied", [
    ("i was a bit woozy when i got up at the clinic but not since", "dizziness"),
    ("the hives i had passed", "hives_itching"),
])
def test_past_a_subject_the_next_clause_or_a_word_of_over_still_says_it_is_over(said, denied):
    assert denied in parse(said).denied


@pytest.mark.parametrize("said, kept", [
    ("my head aches and i had a rash at lunch but it's gone now", "headache"),
    ("his speech has gone", "stroke_signs"),
    ("i can't see out of my right eye it just went", "stroke_signs"),
])
def test_what_is_said_to_be_over_is_only_the_last_symptom_and_gone_sight_or_speech_is_lost(said, kept):
    assert kept not in parse(said).denied


@pytest.mark.parametrize("said, sid", [
    ("my lips are kinda puffy is that normal", "throat_swelling"),
    ("i've got a headache and a rash is that normal", "hives_itching"),
    ("my ankles look swollen is it okay", "less_urine"),
])
def test_a_word_of_all_being_well_asked_about_denies_nothing(said, sid):
    parsed = parse(said)
    assert sid in parsed.ids and not parsed.said_well


@pytest.mark.parametrize("said, denied", [
    ("the rash is fine", "hives_itching"),
    ("my lips are normal", "throat_swelling"),
])
def test_a_word_of_all_being_well_said_still_denies(said, denied):
    parsed = parse(said)
    assert denied in parsed.denied and parsed.nothing_wrong


@pytest.mark.parametrize("said, denied", [
    ("headache no lah", "headache"),
    ("rash no sir", "hives_itching"),
    ("chest pain definitely not", "chest_pain"),
])
def test_a_symptom_then_no_with_a_tag_after_it_is_denied(said, denied):
    parsed = parse(said)
    assert denied in parsed.denied and denied not in parsed.ids


@pytest.mark.parametrize("said, sid", [
    ("what counts as a high temperature", "fever"),
    ("is it a bad sign if your ankles puff up", "less_urine"),
    ("um how would you tell dizziness from fainting", "fainting"),
])
def test_a_question_that_speaks_of_no_one_reports_nothing(said, sid):
    parsed = parse(said)
    assert sid in parsed.aside and not parsed.ids
    assert not hear(said).ids  # nor the catch-all


@pytest.mark.parametrize("said, sid", [
    ("how do i stop this headache", "headache"),  # of the person
    ("what do i do my throat is closing", "throat_swelling"),
    ("is it normal to be this itchy", "hives_itching"),  # whether it is normal: a report
    ("is the rash supposed to spread", "hives_itching"),
])
def test_a_question_that_tells_of_the_person_reports_it(said, sid):
    assert sid in parse(said).ids


@pytest.mark.parametrize("said, fever", [
    ("temperature thirty seven point one", False),
    ("temp 37.5", False),
    ("ninety nine degrees", False),
    ("thermometer says thirty six point eight and i feel fine", False),
    ("my temp is 38.4", True),
    ("a hundred and one degrees", True),
    ("i have a fever of thirty eight point five", True),
    ("temperature of a hundred and two", True),
    ("running a temperature", True),  # no number: the words alone
])
def test_a_temperature_said_as_a_number_decides_by_the_number(said, fever):
    assert ("fever" in parse(said).ids) is fever


def test_a_normal_temperature_takes_away_no_other_symptom_of_fever():
    assert "fever" in parse("temp thirty seven point two but i'm shivery").ids


@pytest.mark.parametrize("said, sid, heard", [
    ("the fever broke last night but it's back up again this morning", "fever", True),
    ("the rash cleared up but it came back", "hives_itching", True),
    ("the rash cleared up and hasn't come back", "hives_itching", False),
    ("the fever broke last night", "fever", False),
])
def test_a_symptom_over_then_back_is_heard(said, sid, heard):
    assert (sid in parse(said).ids) is heard


@pytest.mark.parametrize("said, fever", [
    ("thirty nine point five", True),
    ("ninety eight point six", False),
    ("i walked thirty nine steps", False),
])
def test_a_number_with_a_decimal_in_the_range_of_temperatures_is_one(said, fever):
    assert ("fever" in parse(said).ids) is fever


@pytest.mark.parametrize("said, sid", [
    ("i can't breathe and the nurse hasn't come back", "breathing"),  # someone else not back
    ("my face is drooping and my husband hasnt come back from the shop", "stroke_signs"),
    ("crushing chest pain and a headache and the nurse hasn't come back", "chest_pain_severe"),
    ("i can't breathe no i'm not joking", "breathing"),  # "no" then more: no denial
    ("my throat is closing no i'm serious", "throat_swelling"),
    ("i have chest pain no it's crushing", "chest_pain_severe"),
    ("i fed the cat now i have hives", "hives_itching"),  # "i" is the subject, not the cat
    ("the dogs hair gives me hives", "hives_itching"),
    ("is it serious the rash is spreading everywhere", "hives_itching"),  # a question, but of a rash
    ("how come the pee is dark", "dark_urine"),
    ("i've had a fever for 36 hours", "fever"),  # how long, not how hot
    ("my temperature was 37 this morning now it's 39", "fever"),
])
def test_a_symptom_said_now_is_heard_whatever_else_is_said_with_it(said, sid):
    assert sid in parse(said).ids


@pytest.mark.parametrize("said, over", [
    ("i had a headache this morning but 'tis gone now", "headache"),
    ("i had an itch earlier but 'twas gone by dinner", "hives_itching"),
])
def test_an_old_contraction_of_it_is_reads_as_it_is(said, over):
    heard = hear(said)
    assert over in heard.denied and over not in heard.ids


@pytest.mark.parametrize("said", [
    "his sats are ninety",
    "the oximeter on my finger says eighty seven",
    "oxygen's down to 88 percent",
    "spo2 eighty nine",
])
def test_a_low_oxygen_reading_is_trouble_breathing(said):
    assert "breathing" in hear(said).ids


@pytest.mark.parametrize("said", [
    "sats ninety seven",
    "my oxygen is fine at 98",
    "they gave me oxygen two litres",  # not a reading
    "oxygen level a hundred and fifty",  # not a percentage
])
def test_an_oxygen_number_that_is_not_low_is_no_reading_of_breathing(said):
    assert "breathing" not in hear(said).ids


@pytest.mark.parametrize("said, over", [
    ("i chucked up on the bus this morning but i'm fine now", "nausea_vomiting"),
    ("felt a bit shivery at the clinic, i've been fine since", "fever"),
    ("my back ached during the drip and now i'm right as rain", "back_pain"),
])
def test_a_milder_symptom_of_the_past_then_the_speaker_well_is_over(said, over):
    heard = hear(said)
    assert over in heard.denied and over not in heard.ids


@pytest.mark.parametrize("said, symptom", [
    ("i fainted in the kitchen earlier but i'm fine now", "fainting"),  # an emergency: never put away
    ("i've had a headache all day but i'm fine", "headache"),  # "i've had": it goes on
    ("i was sick last night and i'm still queasy but i'm fine", "nausea_vomiting"),  # still
    ("i'm fine now but i was sick an hour ago and my head hurts", "headache"),  # said after the well
    ("i had a rash this morning and i was fine at lunch but it's come back", "hives_itching"),
    ("my chest hurts but i'm fine", "chest_pain"),  # nothing of the past
])
def test_a_symptom_that_goes_on_or_is_an_emergency_is_not_put_away_by_i_am_fine(said, symptom):
    assert symptom in hear(said).ids


@pytest.mark.parametrize("said, symptom", [
    ("no chest ok but face droopy one side", "stroke_signs"),
    ("not good, short of breath since lunch", "breathing"),
])
def test_a_denial_does_not_reach_past_a_word_that_said_the_words_before_it_are_well(said, symptom):
    assert symptom in hear(said).ids


@pytest.mark.parametrize("said, over", [
    ("the blotchy rash on my left forearm has faded away", "hives_itching"),  # where it was belongs to it
    ("that itchy spot on her neck is gone now", "hives_itching"),
    ("the headache i woke up with has cleared up", "headache"),  # past a subject: over words still count
    ("the back ache i had earlier went away", "back_pain"),
])
def test_a_symptom_said_with_where_it_was_or_who_had_it_is_still_said_to_be_over(said, over):
    heard = hear(said)
    assert over in heard.denied and over not in heard.ids


@pytest.mark.parametrize("said, symptom", [
    ("oh god i think i'm having a stroke my arm's gone", "stroke_signs"),  # an emergency: lost strength
    ("the rash the nurse said would go away is still there", "hives_itching"),  # a modal between
    ("the swelling i have is not going away", "other"),  # a denial between: it goes on
    ("a wee headache not bad just niggling away at me", "headache"),  # "away", but not "went away"
])
def test_words_past_a_subject_that_do_not_say_it_is_over_leave_it_heard(said, symptom):
    assert symptom in hear(said).ids


@pytest.mark.parametrize("said, symptom", [
    ("headache, breathing fine", "headache"),  # the "fine" is the breathing's
    ("sick, throwing up, chest okay", "nausea_vomiting"),
    ("rash, itchy, breath normal", "hives_itching"),
])
def test_in_a_list_of_keywords_a_word_of_being_well_is_said_of_the_part_just_before_it(said, symptom):
    heard = hear(said)
    assert symptom in heard.ids


def test_a_milder_symptom_gone_before_another_part_is_over():
    heard = hear("headache gone, breathing fine, nothing else")
    assert "headache" in heard.denied and not heard.ids


@pytest.mark.parametrize("said, denied", [
    ("my cousin reckons you get a rash the day after, but i haven't got a rash", "hives_itching"),
    ("the leaflet talks about headaches, but i have no headache at all", "headache"),
    ("they warned me about feeling sick, and i'm not feeling sick", "nausea_vomiting"),
    ("they said dark pee means ring straight away, i looked, my pee is normal", "dark_urine"),  # its part said well
    ("like i told you chest pain no, no chest nothing", "chest_pain"),  # two words on, in one clause
])
def test_a_milder_symptom_said_by_others_then_denied_later_is_denied(said, denied):
    heard = hear(said)
    assert denied in heard.denied and denied not in heard.ids


@pytest.mark.parametrize("said, symptom", [
    ("no rash this morning but now i've got a rash on my arms", "hives_itching"),  # the last word reports it
    ("my chest is sore, but it's not crushing", "chest_pain"),  # the denial is the crushing's
    ("a bit of a tight chest not bad just tight", "chest_pain"),  # one clause: no later word on it
    ("someone said you can't breathe with it, but no i'm not short of breath", "breathing"),  # an emergency
    ("my leg is swollen but it doesn't hurt", "limb_swelling"),  # not first named as what was said
    ("my left leg is swollen, my right leg is not swollen", "limb_swelling"),
    ("my right leg is swollen and red, the other leg is normal", "limb_swelling"),  # another place
    ("rash on my arm but no rash on my face", "hives_itching"),
    ("i have a rash, my son doesn't have a rash", "hives_itching"),
    ("i have a fever, is it normal not to have a fever after ivig", "fever"),
])
def test_a_symptom_the_last_word_rule_does_not_deny_is_still_heard(said, symptom):
    assert symptom in hear(said).ids


@pytest.mark.parametrize("said, symptom", [
    ("thoda bukhar hai since the morning", "fever"),  # content/other_languages.toml, read as the table's own
    ("ay me falta el aire, can't get it in", "breathing"),
    ("me duele el pecho a little", "chest_pain"),  # Spanish "pecho" is the chest, not Scots "pech" (out of breath)
    ("tou tong since lunch", "headache"),  # the phrase is mended as the words are ("tong" -> "tongue")
    ("seene mein tez dard, sweating", "chest_pain_severe"),  # a severe form that names the chest
])
def test_a_symptom_said_in_a_home_language_is_heard(said, symptom):
    assert symptom in hear(said).ids


@pytest.mark.parametrize("said, symptom", [
    ("no bukhar, just tired", "fever"),  # denied like any phrase
    ("el dolor baja al brazo from the drip", "chest_pain_severe"),  # spreading, with no chest named
    ("me duele el pecho a little", "breathing"),
])
def test_a_home_language_symptom_denied_or_without_what_it_needs_is_not_heard(said, symptom):
    assert symptom not in hear(said).ids


@pytest.mark.parametrize("said, symptom", [
    ("really not responding", "fainting"),  # a `whole` utterance with only hedges before it
    ("um still not breathing", "breathing"),
])
def test_a_whole_utterance_after_hedges_alone_is_still_whole(said, symptom):
    assert symptom in parse(said).ids


def test_a_whole_utterance_inside_other_words_is_not_whole():
    assert "fainting" not in parse("a faint rash on my arm").ids


@pytest.mark.parametrize("said", ["my head is throbbing like never before", "this headache is worse than ever"])
def test_a_headache_unlike_any_before_is_severe(said):
    assert "severe_headache" in parse(said).ids


def test_dont_half_is_no_denial():
    assert "hives_itching" in hear("these bumps on me arms, they don't half itch").ids  # very much


@pytest.mark.parametrize("said, feared", [
    ("what if i come out in a rash in the night, or my kidneys pack in", "less_urine"),
    ("i'm worried i'll get the shivers or a headache", "headache"),
])
def test_a_fear_goes_on_past_or(said, feared):
    heard = hear(said)
    assert feared in heard.aside and feared not in heard.ids


@pytest.mark.parametrize("said, symptom", [
    ("is it the drip or the heat, i've a pounding headache", "headache"),  # no fear before the "or"
    ("i'm worried it might be bad or i can't breathe right now", "breathing"),  # "or" then a subject
])
def test_or_without_a_fear_just_before_it_sets_nothing_aside(said, symptom):
    assert symptom in hear(said).ids


@pytest.mark.parametrize("said, symptom", [
    ("it's nothing, really, just this ache in my chest", "chest_pain"),  # [negation] minimising
    ("probably nothing, my lips feel a bit fat", "throat_swelling"),
])
def test_a_symptom_played_down_as_nothing_is_still_heard(said, symptom):
    assert symptom in hear(said).ids


def test_nothing_wrong_with_a_part_is_still_all_well():
    heard = hear("there's nothing wrong with my breathing")
    assert not heard.ids


# --- whom the words speak of ([about]) -------------------------------------------------------


@pytest.mark.parametrize(
    ("said", "about"),
    [
        ("my husband can barely get a breath", "he"),
        ("he's gone a funny grey colour", "he"),
        ("me dad's lips look swollen", "he"),
        ("nan's face has dropped on one side", "she"),
        ("she's all muddled, i'm frightened", "she"),  # the speaker's fear is not the speaker's body
        ("i think my mum's fainted", "she"),
        ("she told me her tongue feels thick", "she"),  # "me" spoken to, not the speaker's symptom
        ("the baby is very floppy", "they"),
        ("my wife says he looks grey", "he"),  # she only says it: he is the one
        ("my wife and my son both feel sick", "they"),  # two people: neither "he" nor "she"
        ("i feel sick", "you"),
        ("my chest is tight", "you"),
        ("my son says i look grey", "you"),  # he only says it
        ("my chest hurts and my partner has a cold", None),  # both: nothing changes
        ("yes", None),
        ("not sure", None),
        # someone only talking, or staff who may be "she": the speaker's own symptom
        ("headache, my husband told me to ring you", None),
        ("chest tight, hubby's worried", None),
        ("the nurse says she'll slow the drip, throat feels tight", None),
        ("dizzy, my husband is here with me", None),
        ("he says he can't get his breath", "he"),  # the second "he" is the one with the symptom
        ("me da's lips have gone blue", "he"),
    ],
)
def test_whom_the_words_speak_of(said, about):
    assert whom(said) == about


def test_whom_is_bounded_and_safe_on_odd_text():
    assert whom("") is None and whom("\x00\u202e" * 10) is None
    assert whom("he " * 100_000) == "he"


@pytest.mark.parametrize(("said", "answer"), [
    ("yes indeed", "yes"), ("yes certainly", "yes"), ("no no no", "no"), ("nope nope nope", "no"),
    ("aye a wee bit pet", "yes"),
])
def test_a_one_word_answer_said_again_is_its_own_tail(said, answer):
    assert as_answer(said) == answer


def test_a_long_answer_is_never_cut_to_a_bare_yes():
    said = "yes yes yes, a little bit, a little bit, quite a lot, and my lips are swelling"
    assert as_answer(said) is None
    assert "throat_swelling" in hear(said).ids


@pytest.mark.parametrize(("said", "symptom"), [
    ("my husband is not passing water", "less_urine"),  # "is not": a phrase's "not" all the same
    ("my mum is not doing too well", "other"),
    ("the old fella is not making any sense", "stroke_signs"),
])
def test_a_named_person_is_not_is_read_like_he_is_not(said, symptom):
    assert symptom in parse(said).ids


@pytest.mark.parametrize("said", [
    "keeled over in the kitchen an hour ago, ok now",
    "passed out on the settee earlier, she's alright now",
])
def test_how_they_are_now_never_puts_an_emergency_away(said):
    assert "fainting" in parse(said).ids


@pytest.mark.parametrize("said", [
    "had a rash on my arm on sunday, it went off, no bother since",
    "bit of a headache at teatime, fine ever since",
    "felt sick this morning, nowt since",
])
def test_a_milder_symptom_said_to_be_over_as_varieties_say_it_is_over(said):
    parsed = parse(said)
    assert not parsed.ids - {"other"}, parsed


@pytest.mark.parametrize(("said", "answer"), [
    ("she's nodding", "yes"), ("he nods", "yes"), ("thumbs up", "yes"),
    ("he's shaking his head", "no"), ("she shook her head", "no"), ("shaking her head, love", "no"),
])
def test_a_caregiver_may_answer_with_what_the_person_does(said, answer):
    assert as_answer(said) == answer


def test_a_shake_of_the_head_is_no_chill_but_shaking_all_over_is():
    assert not parse("he keeps shaking his head, says there's nothing wrong").ids
    assert "fever" in parse("he's shaking all over").ids


@pytest.mark.parametrize(("said", "symptom"), [
    ("not great, struggling to breathe", "breathing"),  # how they are in general, not a denial of what follows
    ("nah, not flash, my lips feel fat", "throat_swelling"),
    ("i no can breathe proper", "breathing"),  # Hawaiian Pidgin, Singapore English
])
def test_a_word_of_how_they_are_stops_a_denial_and_no_can_is_cant(said, symptom):
    assert symptom in parse(said).ids


def test_not_said_of_the_symptom_itself_still_denies_it():
    assert "breathing" in parse("not great but not short of breath").denied


@pytest.mark.parametrize("said", ["not as far as i know", "not that i know of, love", "not that i've noticed"])
def test_a_no_hedged_by_what_the_speaker_knows_is_a_no(said):
    assert as_answer(said) == "no"


@pytest.mark.parametrize(("said", "symptom"), [
    ("no her throat isn't tight, actually it is, she keeps coughing", "throat_swelling"),
    ("i'm not wheezy, oh wait yes i am, when i climb the stairs", "breathing"),
    ("his chest doesn't hurt, well it does, it's like a weight on it", "chest_pain"),
    ("the rash hasn't spread, thinking about it, it has", "hives_itching"),
    ("no headache, it is there though, behind my eyes", "headache"),
])
def test_a_denial_the_speaker_corrects_is_no_denial(said, symptom):
    parsed = parse(said)
    assert symptom in parsed.ids and symptom not in parsed.denied, parsed


@pytest.mark.parametrize(("said", "symptom"), [
    ("not dizzy, actually i'm fine", "dizziness"),  # a correction that says all is well corrects nothing
    ("no headache, well it's gone now anyway", "headache"),
    ("no fever, i am not", "fever"),
])
def test_a_correction_must_say_yes(said, symptom):
    assert symptom in parse(said).denied


@pytest.mark.parametrize(("said", "symptom"), [
    ("my son asked whether i was feeling sick but i'm not", "nausea_vomiting"),
    ("the nurse wanted to know if my ankles were puffy", "less_urine"),  # both legs: less urine, by the spec
    ("my daughter keeps asking me if i've got a headache", "headache"),
])
def test_someone_elses_question_reports_nothing(said, symptom):
    parsed = parse(said)
    assert symptom not in parsed.ids and symptom in parsed.aside, parsed


@pytest.mark.parametrize(("said", "symptom"), [
    ("a bit of a rash on my neck, otherwise fine", "hives_itching"),
    ("mild headache, otherwise settled", "headache"),
    ("i was sick after lunch but i'm fine otherwise", "nausea_vomiting"),
    ("bit of a backache, everything else fine", "back_pain"),
])
def test_the_rest_said_to_be_well_keeps_the_one_symptom(said, symptom):
    assert symptom in parse(said).ids


@pytest.mark.parametrize(("said", "symptom"), [
    ("the headache from the infusion is totally gone now", "headache"),
    ("the queasiness since yesterday morning has completely settled", "nausea_vomiting"),
    ("the itch i had last night has gone", "hives_itching"),
])
def test_a_milder_symptom_said_with_when_it_was_and_then_over_is_over(said, symptom):
    parsed = parse(said)
    assert symptom not in parsed.ids and symptom in parsed.denied, parsed


def test_when_it_was_does_not_put_away_what_goes_on():
    assert "headache" in parse("the headache since this morning is still there").ids
    assert "headache" in parse("the headache from the infusion won't go away").ids


def test_the_last_word_on_a_milder_form_denies_its_stronger_form_too():
    parsed = parse("my cousin said she got awful thumping migraines after hers but i haven't had any headache at all")
    assert not parsed.ids & {"headache", "severe_headache"}, parsed


@pytest.mark.parametrize(("said", "symptom"), [
    ("my gp warned me i could get a bad headache, i haven't", "severe_headache"),
    ("the sheet says you might develop a rash", "hives_itching"),
    ("the nurse told us he may get a temperature tonight", "fever"),
])
def test_a_warning_of_what_could_come_reports_nothing(said, symptom):
    parsed = parse(said)
    assert symptom not in parsed.ids and symptom in parsed.aside, parsed


def test_what_someone_says_they_feel_is_still_heard():
    assert "fainting" in parse("she says she might pass out").ids


@pytest.mark.parametrize(("said", "symptom"), [
    ("the district nurse asked me about chest pain this afternoon", "chest_pain"),
    ("my daughter keeps asking about headaches", "headache"),
    ("they checked me for a temperature before i left", "fever"),
    ("the card they gave us says keep an eye out for a rash", "hives_itching"),
    ("we were told to look out for dark wee", "dark_urine"),
])
def test_a_question_or_a_watch_for_a_symptom_reports_nothing(said, symptom):
    parsed = parse(said)
    assert symptom not in parsed.ids and symptom in parsed.aside, parsed


@pytest.mark.parametrize(("said", "symptom"), [
    ("the nurse asked about my chest pain", "chest_pain"),
    ("he asked me about me headache and it's still there", "headache"),
    ("the doctor was asking about her rash", "hives_itching"),
    ("they checked me for a temperature and it was thirty nine", "fever"),
])
def test_a_question_about_the_speakers_own_symptom_or_one_found_is_heard(said, symptom):
    assert symptom in parse(said).ids


@pytest.mark.parametrize(("said", "symptoms"), [
    ("the pharmacist said look out for a fever and swollen ankles", {"fever", "less_urine"}),
    ("my son asked about dizziness and headaches", {"dizziness", "headache"}),
    ("what if i get a rash and a temperature", {"hives_itching", "fever"}),
])
def test_a_fear_or_a_question_goes_on_past_and_in_a_list(said, symptoms):
    parsed = parse(said)
    assert not parsed.ids & symptoms and symptoms <= parsed.aside, parsed


def test_a_list_that_a_fear_began_ends_at_a_new_subject():
    parsed = parse("what if i get a rash and my ankles are swollen now")
    assert "less_urine" in parsed.ids and "hives_itching" in parsed.aside, parsed


@pytest.mark.parametrize(("said", "symptom"), [
    ("the leaflet said you might get a headache and sure enough i've got one", "headache"),
    ("i was worried i'd come out in hives and i have", "hives_itching"),
])
def test_what_was_feared_or_warned_of_and_then_came_is_said(said, symptom):
    assert symptom in parse(said).ids


@pytest.mark.parametrize(("said", "symptom"), [
    ("my head hurts, i'd say nine out of ten", "severe_headache"),
    ("chest pain, about an 8/10", "chest_pain_severe"),
    ("headache 10 out of 10", "severe_headache"),
])
def test_a_pain_score_of_seven_or_more_out_of_ten_is_severe(said, symptom):
    assert symptom in parse(said).ids


def test_a_low_pain_score_is_not_severe():
    assert parse("headache maybe three out of ten").ids == {"headache"}


@pytest.mark.parametrize("said", ["grandad doesn't seem to know where he is", "she doesn't really recognise me"])
def test_not_knowing_where_one_is_is_a_stroke_sign(said):
    assert "stroke_signs" in parse(said).ids


def test_not_knowing_where_someone_else_went_is_no_stroke_sign():
    assert "stroke_signs" not in parse("i don't know where the nurse went").ids


@pytest.mark.parametrize(("said", "symptom"), [
    ("no throat is swelling", "throat_swelling"),  # "no, throat is swelling", the comma lost
    ("no his face is drooping on one side", "stroke_signs"),
    ("no lips are going puffy", "throat_swelling"),
])
def test_a_no_before_a_clause_with_its_own_verb_is_an_answer(said, symptom):
    assert symptom in parse(said).ids


@pytest.mark.parametrize(("said", "symptom"), [("no chest pain", "chest_pain"), ("no rash", "hives_itching")])
def test_a_no_before_a_bare_symptom_still_denies_it(said, symptom):
    assert symptom in parse(said).denied


def test_a_gap_never_spans_a_word_that_says_all_is_well():
    assert "breathing" not in parse("no breathing is fine, i'm just off nights").ids


@pytest.mark.parametrize(("said", "symptom"), [
    ("grandma felt queasy at lunch and she's been fine since", "nausea_vomiting"),
    ("he was a bit lightheaded this morning but he's right as rain now", "dizziness"),
])
def test_a_milder_symptom_of_the_past_then_the_one_spoken_of_well_now_is_over(said, symptom):
    parsed = parse(said)
    assert symptom not in parsed.ids and symptom in parsed.denied | parsed.aside, parsed


@pytest.mark.parametrize(("said", "symptom"), [
    ("my wife has a headache but she's fine", "headache"),  # not of the past: still there
    ("he passed out earlier but he's fine now", "fainting"),  # an emergency is never put away
    ("she had a rash this morning and she's fine now apart from the itching", "hives_itching"),
])
def test_the_one_spoken_of_well_now_puts_away_only_a_milder_symptom_of_the_past(said, symptom):
    assert symptom in parse(said).ids


@pytest.mark.parametrize(("said", "symptom"), [
    ("client denies wheezing, reports a mild headache", "breathing"),
    ("she denied any chest pain", "chest_pain"),
])
def test_a_carers_denies_is_a_denial(said, symptom):
    parsed = parse(said)
    assert symptom in parsed.denied and symptom not in parsed.ids, parsed


@pytest.mark.parametrize(("said", "symptom"), [
    # a bare denial after what was asked of, warned of or feared ([negation] bare)
    ("can you get swollen ankles from this, i haven't, i'm only curious", "less_urine"),
    ("is feeling sick normal after the drip, i don't have it, just checking", "nausea_vomiting"),
    ("my brother reckons everyone gets the shivers after it, i didn't", "fever"),
    ("i was frightened i'd feel queasy on the bus home but i haven't", "nausea_vomiting"),
    # a denial of the whole list
    ("the instructions mention aching joints, a temperature and a rash, i've had none of them", "muscle_pain"),
    ("the instructions mention aching joints, a temperature and a rash, i've had none of them", "hives_itching"),
])
def test_what_was_named_at_a_distance_and_then_denied_is_denied(said, symptom):
    parsed = parse(said)
    assert symptom in parsed.denied | parsed.aside and symptom not in parsed.ids, parsed


def test_one_of_a_list_said_again_after_just_stands_alone():
    parsed = parse("the nurse read out hives, a pounding head, being sick and achy muscles, of those i only have the achy muscles")
    assert parsed.ids == {"muscle_pain"} and {"hives_itching", "headache", "nausea_vomiting"} <= parsed.denied, parsed


def test_an_emergency_named_at_a_distance_and_denied_is_asked_about_not_dropped():
    parsed = parse("does it ever make people wheezy and short of breath, i'm not, just asking")
    assert "breathing" in parsed.aside and "breathing" not in parsed.ids | parsed.denied, parsed
    assert hearing.hear("does it ever make people wheezy and short of breath, i'm not, just asking").suspected >= {"breathing"}


@pytest.mark.parametrize(("said", "symptom"), [
    ("my husband has come out in a rash, i haven't", "hives_itching"),  # named plainly, of him
    ("is it normal, my back hurts, i'm not sure why", "back_pain"),  # "not sure" is no bare denial
    ("the nurse said i might get a headache and i'm not surprised, my head is pounding", "headache"),
    ("i was scared because i'd been sick on the way in", "nausea_vomiting"),  # "i'd been" is "i had"
])
def test_no_bare_denial_where_none_was_said(said, symptom):
    assert symptom in parse(said).ids


@pytest.mark.parametrize(("said", "symptom"), [
    ("is my rash meant to look this normal", "hives_itching"),
    ("are his hives normal at this stage", "hives_itching"),
])
def test_a_clause_that_opens_as_a_question_asks_whether_it_is_fine_it_does_not_say_so(said, symptom):
    assert symptom in parse(said).ids


@pytest.mark.parametrize("said, symptom", [
    ("are hives common with this", "hives_itching"),
    ("does dizziness happen a lot after it", "dizziness"),
])
def test_a_question_whose_subject_is_the_symptom_itself_asks_about_it(said, symptom):
    heard = hear(said)
    assert symptom in heard.aside and symptom not in heard.ids


@pytest.mark.parametrize("said, symptom", [
    ("a woman in the waiting room came out in hives", "hives_itching"),
    ("some fella at the clinic was throwing up", "nausea_vomiting"),
    ("another lady there couldn't breathe", "breathing"),
])
def test_a_strangers_symptom_is_aside_without_the_speaker_saying_they_are_well(said, symptom):
    heard = hear(said)
    assert symptom in heard.aside and symptom not in heard.ids


def test_a_stranger_as_an_emergency_is_asked_about_at_once_not_dropped():
    reading = hearing.hear("another lady there couldn't breathe")
    assert "breathing" in reading.suspected


@pytest.mark.parametrize("said, symptom", [
    ("the patient has a headache", "headache"),  # a nurse's words for the one they care for
    ("my man has chest pain", "chest_pain"),  # a carer's
    ("it feels like someone is sitting on my chest", "chest_pain"),  # a comparison
    ("someone said i look yellow", "dark_urine"),  # the speaker is the subject
    ("is chest pain normal after this", "chest_pain"),  # asking whether it is normal tells of it
])
def test_words_for_someone_that_are_the_speakers_own_are_heard(said, symptom):
    assert symptom in hear(said).ids


@pytest.mark.parametrize("said, symptom", [
    ("her face is drooping since the infusion stopped", "stroke_signs"),
    ("his lips are swelling since they stopped the drip", "throat_swelling"),
    ("my throat is swelling since the drip was stopped", "throat_swelling"),
    ("short of breath ever since the pump went off", "breathing"),
])
def test_a_word_of_something_else_being_over_never_puts_an_emergency_away(said, symptom):
    assert symptom in hear(said).ids


@pytest.mark.parametrize("said, symptom", [
    ("the wheezing has stopped", "breathing"),
    ("the headache since yesterday has gone", "headache"),
    ("the rash on my leg went away", "hives_itching"),
])
def test_a_symptom_said_to_be_over_is_still_over(said, symptom):
    heard = hear(said)
    assert symptom not in heard.ids and symptom in heard.denied


@pytest.mark.parametrize("said, symptom", [
    ("i've got hives since the drip was stopped", "hives_itching"),
    ("my ankles are swelling since the drip stopped", "less_urine"),
    ("dizzy ever since the nurse stopped my infusion", "dizziness"),
])
def test_when_a_milder_symptom_began_by_an_event_with_its_own_verb_is_not_that_it_is_over(said, symptom):
    assert symptom in hear(said).ids


@pytest.mark.parametrize("said, symptom", [
    ("no still breathless", "breathing"),  # an answer, then that it goes on
    ("her tongue hasn't stopped swelling", "throat_swelling"),  # a denial of its stopping, in the gap
    ("his throat's not right it's closing up", "throat_swelling"),  # a denial of being well
    ("never felt so faint in my life", "fainting"),  # never so bad
])
def test_a_denial_word_that_says_it_goes_on_or_is_worse_than_ever_denies_nothing(said, symptom):
    assert symptom in hear(said).ids


@pytest.mark.parametrize("said", [
    "his sats were 96 now they're 86",  # any number after the word, not only the first
    "the sats went from 97 down to 89",
    "her oxygen is in the eighties",  # a decade
    "the machine says 87 on his oxygen",  # a number just before it
    "the oxymeter reads 85",  # as the recogniser spells it
])
def test_a_low_oxygen_level_however_it_is_said_is_trouble_breathing(said):
    assert "breathing" in parse(said).ids


@pytest.mark.parametrize("said", ["his sats are 97 and 98", "oxygen in the nineties", "my oxygen is fine"])
def test_a_normal_oxygen_level_is_no_reading(said):
    assert "breathing" not in parse(said).ids


@pytest.mark.parametrize("said, symptom", [
    ("my wife has a temperature and is not responding", "fainting"),  # the subject left out
    ("he's seeing two of everything", "stroke_signs"),
    ("i've just used my epipen", "throat_swelling"),  # an allergic reaction's own treatment
])
def test_emergencies_said_in_words_a_red_team_found_missing_are_heard(said, symptom):
    assert symptom in hear(said).ids


def test_a_headache_that_keeps_the_eyes_shut_in_the_light_is_not_fainting():
    assert "fainting" not in hear("the headache is so bad she can't open her eyes in the light").ids


@pytest.mark.parametrize("said", ["the air's not going in", "no air getting in at all", "air won't get in properly"])
def test_air_that_will_not_go_in_is_trouble_breathing_its_not_no_denial(said):
    assert "breathing" in hear(said).ids
