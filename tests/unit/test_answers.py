"""Spoken words -> topic or out_of_scope, the way people actually ask."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from skill import answers, knowledge
from skill.answers import Match, match
from skill.knowledge import OUT_OF_SCOPE

TOPICS = knowledge.topics()

# Our own paraphrases, written apart from the phrasings in topics.toml and from the dev set.
# Where two topics answer a question equally well, both are listed (as the evaluation does).
PARAPHRASES: dict[str, list[str | tuple[str, ...]]] = {
    "what_is_ivig": [
        "what the heck is ivig",
        "can you tell me what immune globulin is",
        "ivig what is it",
        "my neurologist mentioned i v i g what's that",
        "explain intravenous immunoglobulin in simple terms",
        "what is the stuff called ivy g",
        "so what is an immunoglobulin infusion exactly",
        "Alexa, what's I.V.I.G. again?",
        "can you explain what an ivig treatment is to my grandmother",
        "what do they mean by intravenous",
    ],
    "immunodeficiency": [
        "what does it mean when your immune system is deficient",
        "what's an immune deficiency",
        "why does having a weakened immune system matter so much",
        "what is the job of the immune system",
        "what does immunocompromised mean",
        "what happens if my immune system doesn't work right",
        "why do people with weak immune systems get so sick",
        "what does your immune system do anyway",
        "what does it mean to be immune deficient",
        "what's an immunodeficiency",
    ],
    "conditions": [
        "what kinds of illnesses is ivig given for",
        "would someone with lupus get ivig",
        "can ivy g treat hiv",
        "my dad is having chemotherapy could he need immunoglobulin",
        "why do diabetics sometimes get ivig",
        "what sicknesses call for an immunoglobulin infusion",
        "is kawasaki disease treated with ivig",
        "my grandson has kawasaki disease will he get ivig",
        "why would a person on steroids need i v i g",
        "does ivig help people with sjogrens",
        "what is this used for",
    ],
    "how_it_works": [
        "where do they get the antibodies for ivig",
        "is ivig made out of donated blood",
        ("how does the immunoglobulin actually help my body", "benefits"),
        "what's in the bag they hang for my infusion",
        "how does an ivig infusion do its job",
        "who donates the stuff in ivig",
        "why are there so many donors in one bag",
        ("how do the antibodies in ivig fight germs", "benefits"),
        "how does this work",
    ],
    "preparation": [
        "is there anything i have to do before my infusion",
        "am i allowed to eat the morning of my ivig",
        "can i still take my blood pressure pills before the drip",
        "do i need labs done before starting immune globulin",
        "should i skip breakfast before ivy g",
        "can my son have a snack before his infusion",
        "do i need to stop eating the night before my ivig",
        "can i take my normal meds on infusion day",
        "will they need to do blood tests first",
        "okay so my ivig is on friday is there anything i should do to get ready",
        "do i need to do anything to prepare",
    ],
    "procedure": [
        "how do they actually give you ivig",
        "do they put an iv in your arm for this",
        "is immune globulin a pill or an infusion",
        "do they use a needle for ivig",
        "how does the ivig get into you",
        "how exactly do they give the ivig",
        "is the immunoglobulin injected into a vein",
        ("what happens when i get to my infusion", "duration"),
    ],
    "duration": [
        "how long is the ivig appointment",
        "how many hours will i be at the infusion center",
        "does an ivig drip take long",
        "what can i bring to keep busy during the infusion",
        "is the infusion a whole day thing",
        "should i pack a book for my infusion",
        "how long does one ivig session usually last",
        "is an ivig infusion a couple hours or more",
        "how long will this take",
        "how long is it going to take",
    ],
    "benefits": [
        "what good will ivig do me",
        "is immune globulin effective",
        "what's the main benefit of the drip",
        "why is ivig worth doing",
        ("will ivig help me stay healthy", "outlook"),
        "can ivig be used along with my other treatments",
        "what are the good things about ivig",
        "does immune globulin really work",
        "does this treatment actually help",
    ],
    "pregnancy": [
        "can you have ivig while you're expecting",
        "i just found out i'm pregnant is my ivig ok",
        "is immune globulin safe for pregnant ladies",
        "will the drip affect my pregnancy",
        "my sister is pregnant can she still get her infusions",
        "i'm six months pregnant can i keep doing my infusions",
        "can a pregnant woman get immune globulin",
        "is it safe when you're pregnant",
    ],
    "risk": [
        "how safe is immune globulin",
        "is ivig a risky treatment",
        "are bad reactions to ivig common",
        "what are the odds of having a serious side effect",
        "should i be worried about ivig",
        "is intravenous immunoglobulin high risk",
        "what percentage of people get side effects",
        "my wife is scared of the infusion is it dangerous",
        "are complications from ivig common",
        "is this treatment dangerous",
        "is it dangerous to get the drip",
    ],
    "side_effects": [
        "what side effects does immune globulin have",
        "are there side effects to the drip",
        "does ivy g cause any side effects",
        "what reactions can i have to my infusion",
        ("what kind of side effects does ivy g have", "side_effects_mild"),
        ("are there any side effects i should know about", "side_effects_mild"),
    ],
    "side_effects_mild": [
        ("what side effects are common with ivig", "side_effects"),
        ("can immune globulin make you nauseous", "side_effects"),
        ("i got a bad headache after ivig is that a side effect", "side_effects"),
        ("can ivy g cause a fever", "side_effects"),
        ("is it normal to throw up after an infusion", "side_effects"),
        ("why do my muscles ache after ivig", "side_effects"),
        ("can ivig cause back ache", "side_effects"),
        ("my head is pounding after my infusion is that from the ivig", "side_effects"),
        ("can immune globulin give you chest pain", "side_effects"),
        ("which side effects do patients usually have", "side_effects"),
    ],
    "side_effects_severe": [
        ("can ivig affect my kidneys", "side_effects"),
        ("can immunoglobulin cause breathing problems", "side_effects"),
        ("what are the dangerous reactions to ivig", "side_effects"),
        ("can ivig cause a rash or itching", "side_effects"),
        ("can the drip make my blood pressure drop", "side_effects"),
        ("what severe complications can happen with ivig", "side_effects"),
        ("is kidney damage a side effect of ivig", "side_effects"),
        ("what are the rarest side effects of ivig", "side_effects"),
        ("what are the really serious reactions", "side_effects"),
        ("what are the worst reactions people have", "side_effects"),
    ],
    "side_effect_timing": [
        "how soon after my infusion would side effects show up",
        "when do reactions to ivig start",
        "can side effects from ivig come on a few days later",
        "how long after the drip would i notice a reaction",
        "do ivig side effects start right away",
        "do side effects start the same day as the infusion",
        "when might i start feeling side effects",
        "when would a reaction start",
    ],
    "treatment_course": [
        "how many times will i need immune globulin",
        "is ivig something i get once or over and over",
        "how often do i have to go for infusions",
        "will i need ivig every month",
        "how long do i have to stay on the infusions",
        "is this going to be a one time infusion",
        "will i be on ivig for the rest of my life",
        "is it once a month or once a week",
        "how often will i need this",
    ],
    "when_to_call": [
        "when do i need to call my provider after ivig",
        "should i tell the nurse if i feel bad during the infusion",
        "my side effects were mild should i still mention them to my doctor",
        "who should i contact if i feel uncomfortable after ivy g",
        "can my doctor change the dose if i had side effects",
        "should i let someone know if i don't feel right after my infusion",
        "do i need to let my provider know about a mild headache",
        "when should i reach out to my doctor after ivig",
        "when do i call the doctor",
    ],
    "outlook": [
        "will i stop getting sick once i'm on ivig",
        "can i still catch a cold on immune globulin",
        "what's the outlook for someone getting ivig",
        "will ivig make my infections less serious",
        "am i still going to get sick on the drip",
        "will ivig stop me from catching colds",
        "can i still get infections while i'm on immune globulin",
        "am i still going to catch things",
        "what's the outlook",
        "will the infusions stop me getting sick",
    ],
}

OUT_OF_SCOPE_QUESTIONS = [
    # cost and insurance
    "how much will my ivig cost",
    "does my insurance pay for immune globulin",
    "is ivig covered by blue cross",
    "do i pay a copay for each infusion",
    # dose amounts and rates
    "how many grams per kilo do they give",
    "how many milligrams are in a bag of ivig",
    "what's the infusion rate in milliliters per hour",
    # brand names
    "is octagam better than gamunex",
    "is privigen the same as gammagard",
    "can i get hyqvia instead",
    # subcutaneous and home infusion
    "can i switch to hizentra under the skin",
    "what's the difference between ivig and scig",
    "can i do my ivig at home",
    # vaccines
    "should i get the shingles vaccine while on ivig",
    "can i get my covid booster after ivig",
    "can i get a tetanus shot after ivig",
    # alcohol, smoking, driving, activities
    "can i have a beer after my infusion",
    "is it okay to drink a beer tonight after my infusion",
    "can i smoke before my infusion",
    "is it safe to drive after ivig",
    "can i exercise after my infusion",
    "can i take a bath after ivy g",
    "can i fly after my infusion",
    "can i breastfeed while getting ivig",
    "can i go to the dentist after ivig",
    "can i eat sushi after ivig",
    # children's dosing
    "what's the ivig dose for a five year old",
    "how much do they give a kid",
    "is ivig safe for children",
    "what is the pediatric dose of ivig",
    # other drugs and conditions by name
    "can i take tylenol before ivig",
    "can i take benadryl before the drip",
    "can i take advil after my infusion",
    "is ivig used for guillain barre",
    "does ivig help with autism",
    # not about IVIG
    "what time is it",
    "who won the game last night",
    "order me a pizza",
    "what's the capital of france",
    "tell me a story",
    "turn off the lights",
    "what is the meaning of life",
    "how do i make pancakes",
    "what's two plus two",
    "alexa stop",
    "what's on tv tonight",
]


# Questions that borrow a topic's words to ask what the article never says, by family. Each must be
# declined, however close a topic sounds (skill/answers.py: UNCOVERED_QUESTIONS and what follows it).
UNCOVERED_FAMILIES: dict[str, list[str]] = {
    "cures and diseases the article does not list": [
        "can ivig cure cancer",
        "will immune globulin cure my lupus",
        "is ivig a cure for hiv",
        "does the drip cure diabetes",
        "can ivy g get rid of covid",
        "will ivig put my lupus into remission",
        "is ivig a cure",
        "can ivig treat arthritis",
        "is immune globulin used for crohns disease",
        "does ivig help with psoriasis",
        "my dad has lymphoma will ivig treat it",
        "can ivig shrink a tumor",
        "does ivig cause cancer",
    ],
    "infections carried by donated products": [
        "can i get hiv from ivig",
        "could i catch hepatitis from immune globulin",
        "is there a risk of infection from donated antibodies",
        "can the infusion give me covid",
        "can ivig transmit diseases",
        "are the donors screened for viruses",
        "do they test the donors for hiv",
        "is ivig free of viruses",
        "could there be germs in the drip",
        "can ivig cause an infection",
    ],
    "side effects the article does not name": [
        "can ivig cause blood clots",
        "does immune globulin raise the risk of a stroke",
        "can ivig cause a heart attack",
        "can i go into anaphylactic shock from ivig",
        "what if i'm allergic to ivig",
        "can ivig cause kidney failure",
        "will i need dialysis after ivig",
        "can ivig make me dizzy",
        "does ivig make you tired",
        "can ivig cause hair loss",
        "will ivig make me gain weight",
        "can the drip cause swelling in my arm",
        "can ivig give you diarrhea",
    ],
    "dose amounts": [
        "what is the dose",
        "how much ivig will i get",
        "what dosage will my doctor use",
        "how is the dose worked out",
        "does my dose depend on my weight",
        "what happens if i miss a dose",
        "how much immune globulin goes in",
        "how many bags of ivig will i get",
        "what concentration is the ivig",
    ],
    "how long things other than the infusion last": [
        "how long do side effects last",
        "how long will the headache last after ivig",
        "when will my nausea go away",
        "how many days does the fever last",
        "how long does ivig stay in your system",
        "how long do the antibodies last in my body",
        "how long does the protection from ivig last",
        "how long is one infusion effective",
        "how long does it take for ivig to work",
        "when will i start to feel better on immune globulin",
        "how soon does ivig kick in",
        "how long is recovery after an infusion",
        "how long will i feel sick after the drip",
        "how long do i have to stay after my infusion",
    ],
}

# ...and their neighbours that the article does answer: the families above must not reach them.
NEAR_MISSES: list[tuple[str, set[str]]] = [
    ("can ivig affect my kidneys", {"side_effects_severe", "side_effects"}),
    ("is kidney damage from immune globulin possible", {"side_effects_severe", "side_effects"}),
    ("will they lower my dose if i get side effects", {"when_to_call"}),
    ("can my doctor adjust the dosage for next time", {"when_to_call"}),
    ("how many doses of ivig will i need", {"treatment_course"}),
    ("how long after the infusion do reactions start", {"side_effect_timing"}),
    ("how long until side effects kick in", {"side_effect_timing"}),
    ("can i still catch a cold from other people while on ivig", {"outlook"}),
    ("i feel dizzy after my infusion should i call my doctor", {"when_to_call"}),
    ("what should i do if my headache doesn't go away after ivig", {"when_to_call"}),
    ("my mom is on chemo for breast cancer would she need ivig", {"conditions"}),
    ("can cancer treatments weaken your immune system", {"conditions"}),
    ("can someone with type two diabetes get immune globulin", {"conditions"}),
    ("can i get ivig if i have hiv", {"conditions"}),
    ("can ivig help with covid", {"conditions"}),
    ("how long does the whole infusion last", {"duration"}),
    ("how much longer will my drip take", {"duration"}),
    ("will my side effects go away on their own", {"when_to_call", "side_effects", "side_effects_mild"}),
    ("does ivig lower my chances of getting an infection", {"benefits", "outlook"}),
]


def _paraphrase_cases() -> list:
    cases = []
    for topic, items in PARAPHRASES.items():
        for item in items:
            text, *also = (item,) if isinstance(item, str) else item
            cases.append(pytest.param(text, {topic, *also}, id=f"{topic}:{text}"))
    return cases


def _phrasing_cases() -> list:
    return [pytest.param(p, t.id, id=f"{t.id}:{p}") for t in TOPICS.values() for p in t.phrasings]


@pytest.mark.parametrize(("phrasing", "topic"), _phrasing_cases())
def test_every_phrasing_matches_its_own_topic(phrasing, topic):
    assert match(phrasing).topic == topic


@pytest.mark.parametrize(("text", "acceptable"), _paraphrase_cases())
def test_our_paraphrases_find_their_topic(text, acceptable):
    assert match(text).topic in acceptable


@pytest.mark.parametrize("text", OUT_OF_SCOPE_QUESTIONS)
def test_what_the_article_does_not_cover_is_declined(text):
    assert match(text).topic == OUT_OF_SCOPE


@pytest.mark.parametrize(
    "text", [pytest.param(q, id=f"{family}:{q}") for family, qs in UNCOVERED_FAMILIES.items() for q in qs]
)
def test_questions_the_article_does_not_answer_are_declined(text):
    assert match(text).topic == OUT_OF_SCOPE


@pytest.mark.parametrize(("text", "acceptable"), NEAR_MISSES)
def test_their_neighbours_in_the_article_are_answered(text, acceptable):
    assert match(text).topic in acceptable


@pytest.mark.parametrize(
    ("text", "family"),
    [
        ("can ivig cure cancer", "cancer, named only through its treatment"),
        ("can i get hiv from ivig", "infections carried by donated products"),
        ("can ivig cause blood clots", "side effects the article does not name"),
        ("what is the dose", "dose amounts"),
        ("how long do side effects last", "how long things other than the infusion last"),
        ("does ivig cure lupus", "cures"),
        ("can ivig affect my kidneys", None),
        ("how long does it take", None),
    ],
)
def test_uncovered_questions_are_named_by_family(text, family):
    assert answers.uncovered_question(answers.normalise(text)) == family


def test_paraphrases_cover_every_topic():
    assert set(PARAPHRASES) == set(TOPICS)


def test_no_two_topics_have_phrasings_that_look_the_same_to_the_matcher():
    seen: dict[tuple[str, ...], str] = {}
    for topic in TOPICS.values():
        for phrasing in topic.phrasings:
            key = tuple(sorted(answers.terms(answers.normalise(phrasing))))
            assert seen.setdefault(key, topic.id) == topic.id, f"{phrasing!r} ({topic.id}) vs {seen[key]}"


# --- how people speak ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "spoken",
    ["ivig", "IVIG", "i v i g", "I.V.I.G.", "i.v.i.g", "ivy g", "ivy gee", "immune globulin", "immunoglobulin",
     "intravenous immunoglobulin", "intravenous immune globulin", "immunoglobulin infusion", "IVIG's"],
)
def test_the_ways_ivig_is_said_are_one_word(spoken):
    assert "ivig" in answers.terms(answers.normalise(spoken))
    assert match(f"what is {spoken}").topic == "what_is_ivig"


@pytest.mark.parametrize(
    ("text", "topic"),
    [
        ("my mom is getting ivig will she get a headache", "side_effects_mild"),
        ("my husband's infusion is tomorrow can he eat breakfast", "preparation"),
        ("my dad's on the drip how long will he be there", "duration"),
        ("are there any side affects", "side_effects"),
        ("do i knead to do anything before", "preparation"),
        ("do you get it every weak or every month", "treatment_course"),
        ("um so like how long is the um drip gonna take", "duration"),
        ("WHAT ARE THE SIDE EFFECTS OF IVIG???", "side_effects"),
        ("  is  ivig   safe  during   pregnancy  ", "pregnancy"),
    ],
)
def test_speech_artefacts_and_caregivers(text, topic):
    assert match(text).topic == topic


def test_a_long_ramble_still_finds_the_topic():
    ramble = (
        "okay so um my doctor told me last week that i'm going to start on ivig next month because of "
        "my lupus and i was just wondering you know since i've never done anything like this before "
        "how long does the whole infusion usually take"
    )
    assert match(ramble).topic == "duration"


# --- odd input never raises ---------------------------------------------------------------


@pytest.mark.parametrize("text", ["", " ", "\n\t", "...", "?!", "'"])
def test_empty_input_is_out_of_scope_with_score_zero(text):
    assert match(text) == Match(OUT_OF_SCOPE, 0.0)


@pytest.mark.parametrize(
    "text",
    [
        "a" * 5000,
        "what are the side effects of ivig " * 150,
        "¿Qué es IVIG y es seguro durante el embarazo?",
        "免疫球蛋白有什么副作用",
        "Что такое ВВИГ",
        "💉💉💉 🤒",
        "1234567890",
        "5 % 10 % 100%",
        "\x00\x01\ufeff",
        "i " * 2500,
    ],
)
def test_odd_input_gives_a_match(text):
    result = match(text)
    assert result.topic in {*TOPICS, OUT_OF_SCOPE}
    assert math.isfinite(result.score) and 0.0 <= result.score <= 1.0


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_any_text_gives_a_match(text):
    result = match(text)
    assert result.topic in {*TOPICS, OUT_OF_SCOPE}
    assert math.isfinite(result.score)


def test_matching_is_stable():
    assert match("how long does ivig take") == match("how long does ivig take")
    assert match("how long does ivig take").score > 0


def test_ranking_lists_every_topic_best_first():
    ranked = answers.rank("can ivig cause meningitis")
    assert ranked[0][0] == "side_effects_severe"
    assert sorted(t for t, _ in ranked) == sorted(TOPICS)
    assert [s for _, s in ranked] == sorted((s for _, s in ranked), reverse=True)


@pytest.mark.parametrize("text,topic", [
    ("wait what are the side effects", "side_effects"),
    ("hold on, how long does the infusion take", "duration"),
    ("um so is it safe when you're pregnant", "pregnancy"),
    ("okay and how does ivig work", "how_it_works"),
])
def test_interjections_before_a_question_are_ignored(text, topic):
    assert match(text).topic == topic


# --- families of wording fixed after held-out checks (our own wording, one family per case) --------


@pytest.mark.parametrize(
    ("text", "acceptable"),
    [
        # a recogniser splits compounds, and "ivy g a" must not become "ivy ga"
        ("what is an immuno deficiency", {"immunodeficiency"}),
        ("what does immuno suppressed mean", {"immunodeficiency"}),
        ("is ivy g a weekly thing", {"treatment_course"}),
        # the letters of the name, asked about, are not a needle
        ("what does the iv stand for", {"what_is_ivig"}),
        ("what does the i v bit mean", {"what_is_ivig"}),
        ("what does ig mean in ivig", {"what_is_ivig"}),
        # "does it mean i ..." asks about a consequence, not a definition
        ("does immune globulin mean i won't catch the flu", {"outlook"}),
        # a question ending in "for" asks what it is used for
        ("what would my sister need immune globulin for", {"conditions"}),
        ("what kind of patients are put on ivig", {"conditions"}),
        ("which people get the drip", {"conditions"}),
        # effects without "side"
        ("any nasty effects from immune globulin", {"side_effects", "side_effects_mild", "side_effects_severe"}),
        ("what effects can the infusion have on you", {"side_effects", "side_effects_mild"}),
        ("what could ivig do to me", {"side_effects", "side_effects_mild"}),
        # "are X common" asks how often; "the common X" asks for the list
        ("are reactions to the drip common", {"risk"}),
        ("is a bad reaction rare", {"risk", "side_effects_severe"}),
        ("tell me the common side effects", {"side_effects_mild"}),
        ("what are the milder reactions", {"side_effects_mild", "side_effects"}),
        # asking whether to contact someone about a symptom
        ("should i mention a backache to my doctor", {"when_to_call"}),
        ("do i ring the nurse if i come out in hives", {"when_to_call"}),
        ("should i tell the clinic about my fever after the infusion", {"when_to_call"}),
        # everyday wording for the article's terms
        ("what goes on at an ivig appointment", {"procedure"}),
        ("does the infusion go in slowly", {"procedure"}),
        ("can the nurse make it run slower if i feel bad", {"when_to_call"}),
        ("how much time will the drip take", {"duration"}),
        ("is immune globulin any use at all", {"benefits"}),
        ("what's the point of having the drip", {"benefits"}),
        ("what does the future hold for someone on ivig", {"outlook"}),
        ("can the infusion mess with my pressure", {"side_effects_severe"}),
        ("do reactions come on straight away", {"side_effect_timing"}),
        ("is immune globulin given as a pill", {"procedure"}),
        ("my wife has sugar diabetes would she need immune globulin", {"conditions"}),
        ("i don't understand what immune globulin is", {"what_is_ivig"}),
        ("what is an immune deficiency disease", {"immunodeficiency"}),
        ("how long do i sit in the chair for the drip", {"duration"}),
        ("am i fully protected once i'm on the drip", {"outlook"}),
    ],
)
def test_wording_families_find_their_topic(text, acceptable):
    assert match(text).topic in acceptable


@pytest.mark.parametrize(
    "text",
    [
        # diet and hydration beyond "you can eat and drink"
        "is there a diet i should follow on immune globulin",
        "should i be drinking lots of water so i don't get dehydrated",
        "which foods help after the drip",
        # storage, tests it might affect, places and bookings
        "should the ivig be kept in the refrigerator",
        "can immune globulin cause a false positive",
        "where's the closest place to get ivig",
        "can you book an appointment for my infusion",
        # the person receiving it donating, and comparisons the article never makes
        "am i allowed to donate plasma while on the drip",
        "how can i become a plasma donor",
        "is immune globulin a kind of steroid",
        "is ivig like an antibiotic",
        "is the drip the same as a blood thinner",
        "is ivig better than plasmapheresis",
        # rate, missed infusions, being ill on the day
        "how fast do the nurses run immune globulin",
        "what if my husband misses an infusion",
        "should i still have my infusion if i've got the flu",
        "can she have the drip when she's feeling under the weather",
        # alcohol, travel, work, other people
        "can i have a few drinks the night after ivig",
        "is it ok to go on a cruise between infusions",
        "can i work the day after immune globulin",
        "is ivig contagious to my grandkids",
        "how long does immune globulin keep protecting you",
    ],
)
def test_families_the_article_does_not_cover_are_declined(text):
    assert match(text).topic == OUT_OF_SCOPE


# Round three: long stories before the question, elderly and clinical wording, recogniser splits.
@pytest.mark.parametrize(("text", "acceptable"), [
    ("my neurologist is starting me on ivig for my cidp soon and i was wondering how long an infusion runs",
     {"duration"}),
    ("i have been on steroids for ages for my vasculitis and now they want ivig could you tell me how it works",
     {"how_it_works"}),
    ("my gp says my immune system is weak and honestly i have no idea what that means", {"immunodeficiency"}),
    ("the specialist wants to try immune globulin and i dont know what it even is", {"what_is_ivig"}),
    ("how many in fusions will my husband need", {"treatment_course"}),
    ("what is immuno glob you lin", {"what_is_ivig"}),
    ("can i v g cause a fever", {"side_effects_mild", "side_effects"}),
    ("how is intravenous immunoglobulin administered", {"procedure"}),
    ("what are the indications for immunoglobulin", {"conditions"}),
    ("is ivig associated with renal impairment", {"side_effects_severe", "side_effects"}),
    ("what is the incidence of serious adverse events", {"risk", "side_effects_severe"}),
    ("what is the usual infusion duration", {"duration"}),
    ("whom do i telephone if i feel poorly after my infusion", {"when_to_call"}),
    ("my grandfather is seventy nine is the ivig dangerous for him", {"risk"}),
    ("risky?", {"risk"}),
    ("what should i do if i feel strange during the drip", {"when_to_call"}),
])
def test_round_three_wording(text: str, acceptable: set[str]) -> None:
    assert match(text).topic in acceptable


# The story may name a condition the article leaves out; other subjects in a story still decline.
@pytest.mark.parametrize("text", [
    "my doctor wants me on ivig for cidp and i was wondering if my insurance pays for it",
    "i had a couple of beers last night and i was wondering if my infusion is still ok",
    "i take warfarin and i wanted to know whether ivig is safe",
    "i have cidp and i was wondering how long the headaches from ivig last",
    "what are the contraindications of ivig with blood thinners",
])
def test_round_three_declines(text: str) -> None:
    assert match(text).topic == OUT_OF_SCOPE


@pytest.mark.parametrize("text,topic", [
    ("my girl has lupus is that something ivig treats", "conditions"),
    ("my dad is eighty and quite frail is ivig risky for someone like him", "risk"),
    ("the nurse mentioned a few hours but roughly how long does the infusion take", "duration"),
])
def test_everyday_words_about_people_and_amounts_do_not_block_an_answer(text, topic):
    assert match(text).topic == topic


@pytest.mark.parametrize("text,acceptable", [
    # lay names for the treatment and for its ideas
    ("are the immune stuff infusions dangerous for an old man", {"risk"}),
    ("could the antibody drip be bad for my mother", {"risk", "side_effects"}),
    ("what kind of trouble could his shots cause", {"side_effects", "side_effects_mild", "side_effects_severe", "risk"}),
    ("explain the science behind immune globulin", {"how_it_works"}),
    ("what are the pluses of this therapy", {"benefits"}),
    ("is there anything she should do the day before her drip", {"preparation"}),
    ("tell me about primary immune deficiency", {"immunodeficiency"}),
    ("what do they call the ivig drip exactly", {"what_is_ivig"}),
    # question shapes
    ("what should my wife expect when she arrives for the infusion", {"procedure", "duration"}),
    ("how soon do reactions to the drip tend to show", {"side_effect_timing"}),
    ("how many sessions will this usually take", {"treatment_course"}),
    ("does the treatment mean never getting sick again", {"outlook"}),
    ("what could immune globulin do to my son", {"side_effects", "side_effects_mild"}),
])
def test_round_four_wording(text, acceptable):
    assert match(text).topic in acceptable


@pytest.mark.parametrize("text", [
    "is it fine to eat sweets when youre getting ivig",
    "which company makes the immune globulin",
    "when is he going to start feeling better after the drip",
])
def test_round_four_declines(text):
    assert match(text).topic == OUT_OF_SCOPE


@pytest.mark.parametrize("text,acceptable", [
    # British and Indian English: the consultant is a specialist, the surgery the GP's office
    ("my consultant has put me down for an ivig drip, how long is that", {"duration"}),
    ("do i have to stay at the gp surgery all afternoon for the infusion", {"duration"}),
    # a trailing "what is that" asks about the thing just named
    ("the nurse said i'm immunocompromised, what does that mean", {"immunodeficiency"}),
    ("my son has a weakened immune system whats that exactly", {"immunodeficiency"}),
    # which illnesses it is given for is the list of conditions
    ("what diseases do doctors give ivig for", {"conditions"}),
    ("which health problems is immunoglobulin prescribed for", {"conditions"}),
    # children and "considered" are everyday words, not unknown subjects
    ("do they use ivig for children with kawasaki", {"conditions"}),
    ("is the drip classed as a high risk medicine", {"risk"}),
    # downsides and drawbacks are side effects
    ("what are the drawbacks of immunoglobulin", {"side_effects", "risk"}),
    ("any disadvantages to having the drip", {"side_effects", "risk"}),
])
def test_round_five_wording(text, acceptable):
    assert match(text).topic in acceptable


@pytest.mark.parametrize("text", [
    "can you book an appointment at my surgery",
    "make me an appointment for my next infusion",
    "can i have ivig before my knee surgery",
])
def test_round_five_declines(text):
    assert match(text).topic == OUT_OF_SCOPE


@pytest.mark.parametrize("text,topic", [
    ("could the drip make you poorly", "side_effects"),
    ("will ivig make me feel bad", "side_effects"),
    ("how much is this going to set me back", "out_of_scope"),
    ("what fees do they charge for the infusion", "out_of_scope"),
])
def test_everyday_words_for_feeling_ill_and_for_paying(text, topic):
    assert match(text).topic == topic


@pytest.mark.parametrize("text,topic", [
    # one-letter slips in long words are read as the word meant
    ("how many hours does one infusoin take", "duration"),
    ("which conditons is ivig given for", "conditions"),
    ("tell me what an immune defficiency is", "immunodeficiency"),
    ("what are the side efects of immunoglobulin", "side_effects"),
    # hurried question words and "dose" for "does"
    ("wat are the serious side effects", "side_effects_severe"),
    ("whens the right moment to ring my doctor about a reaction", "when_to_call"),
    ("how long dose the drip usually take", "duration"),
    # "once it's in" is not "one time"; "going forward" is the outlook
    ("what does immunoglobulin do once its in the body", "how_it_works"),
    ("what should my husband expect in the future with ivig", "outlook"),
    # what they do to you at the appointment is the procedure
    ("what will the nurses do to me during the session", "procedure"),
    # "how long after" something starts is when, unless it asks how long it lasts
    ("how long after the drip could i start feeling awful", "side_effect_timing"),
])
def test_round_six_wording(text, topic):
    assert answers.match(text).topic == topic


@pytest.mark.parametrize("text", [
    "what dose the doctor gives for ivig",
    "how long after the infusion will the aches go away",
    "can i go jogging once it is finished",
])
def test_round_six_declines(text):
    assert answers.match(text).topic == OUT_OF_SCOPE


@pytest.mark.parametrize("text,topics", [
    ("my back is killing me since the infusion is that the ivig", {"side_effects_mild", "side_effects"}),
    ("the doctor thinks i might need ivig while expecting is that safe for the baby", {"pregnancy"}),
])
def test_a_spelling_fix_never_turns_a_real_word_into_a_reason_to_decline(text, topics):
    assert match(text).topic in topics
