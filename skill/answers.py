"""Words a person said -> the topic that answers them, or "out_of_scope".

How it decides, in order:
1. `normalise`: lowercase plain words; speech artefacts undone ("i v i g", "ivy g", "side affects",
   "immuno deficiency"); shapes that hide what is asked made plain ("does ivig mean i won't get
   sick" is not a definition, "what do people take ivig for" is "used for", "are side effects
   common" asks how likely).
2. Out-of-scope subjects (OUT_OF_SCOPE_SUBJECTS: cost, brands, vaccines, alcohol...) decline at once:
   the article says nothing about them, however close a topic looks. So do questions that borrow a
   topic's words to ask what the article never says (UNCOVERED_QUESTIONS and what follows it: "how
   long do side effects last", "can ivig cure cancer", "can i get hiv from ivig", "what is the
   dose", side effects it does not name such as blood clots).
3. `terms`: lay words become the article's terms (LAY_TERMS: "throw up" -> nausea, "the drip" ->
   infusion), the rest are stemmed and stopwords dropped.
4. BM25 (bm25s) ranks the topics, blending one document per topic with the nearest single phrasing.
5. The best topic is declined when it explains too little of the question (words it lacks, words the
   skill has never seen: "can i eat sushi after ivig"), when a question that never names the
   treatment matches only weakly, or when it is a closed list (the conditions) and the question
   names something the skill has never seen ("can ivig treat arthritis"), or likens IVIG to
   something the skill has never seen ("is ivig the same as a blood thinner").
6. A side-effect question that asks whether to tell someone, or to change the dose or speed, is
   `when_to_call` ("should i report a mild headache").
The indexes are built once, on first use; nothing happens at import.
"""

from __future__ import annotations

import functools
import math
import re
import unicodedata
from dataclasses import dataclass
from itertools import chain

import bm25s
import numpy as np

from skill import knowledge
from skill.knowledge import OUT_OF_SCOPE

MAX_CHARS = 600  # a spoken question is short; the rest of a long ramble adds noise, not meaning


@dataclass(frozen=True)
class Match:
    topic: str  # a topic id, or "out_of_scope"
    score: float  # how well the best topic fits, 0..1 (0.0 for empty input or an out-of-scope subject)


# --- 1. speech artefacts ---------------------------------------------------------------------

# What a speech recogniser (or a hurried typist) makes of the words that matter. Regex -> word.
_IVIG_SAID: tuple[tuple[str, str], ...] = (
    (r"\b(?:ivy|ivey|ivie|eye vee|i vee|i've|iv)\s+(?:g|gee|jee|ji|ig)\b", "ivig"),
    (r"\b(?:eye|i)\s+vig\b", "ivig"),
    (r"\b(?:ivigs|ivg|ivgs|igiv|ivgg)\b", "ivig"),
)
SPEECH_FIXES: tuple[tuple[str, str], ...] = (
    # Compounds a recogniser splits in two: "immuno deficiency", "auto immune", "intra venous".
    (r"\bimmuno\s+(deficien\w*|compromised|suppress\w*|globulins?|globin|logist)\b", r"immuno\1"),
    (r"\bimmune\s+o\s+(globulins?|deficien\w*|compromised|suppress\w*)\b", r"immuno\1"),
    (r"\bauto\s+immune\b", "autoimmune"),
    # Hurried spellings of the little words: "when shud i call", "wud it hurt".
    (r"\bshud\b", "should"), (r"\bwud\b", "would"), (r"\bcud\b", "could"), (r"\bcn\b", "can"),
    (r"\bintra\s+venous\b", "intravenous"),
    # The letters of the name asked about: "what does the iv part mean" is "intravenous", not a needle.
    (r"\b(?:the )?iv (?=(?:(?:part|bit|in|of|ivig) ){0,3}(?:mean|means|stand|stands|short)\b)", "intravenous "),
    (r"\b(?:the )?ig (?=(?:(?:part|bit|in|of|ivig) ){0,3}(?:mean|means|stand|stands|short)\b)", "immunoglobulin "),
    (r"\bside\s*(?:affects?|effects?)\b", "side effects"),
    # "any bad effects", "what effects does it have": plural effects, or bad ones, are side effects
    # ("how long until it takes effect" is not).
    (r"\b(?:(?:bad|ill|negative|unwanted|nasty|adverse|harmful) (?:affects?|effects?)|(?<!side )effects)\b",
     "side effects"),
    (r"\bsideeffects?\b", "side effects"),
    (r"\b(every|each|a|per|once a|twice a) weak\b(?! immune)", r"\1 week"),
    (r"\bweakly\b", "weekly"),
    (r"\bknead\b", "need"),
    (r"\b(?:dr|doc|docs)\b", "doctor"),
    (r"\bpregnet\b|\bpregnent\b|\bpregant\b", "pregnant"),
    (r"\binfution|\binfussion", "infusion"),
    # "in fusion", "immune glob you lin": a recogniser's split of the treatment's words.
    (r"\b(?:in|an) (fusions?)\b", r"in\1"),
    (r"\bimmun(?:e|o)? ?glob ?(?:u|you|yu|ew)? ?(?:lin|lins|line|lynn|bin|in)\b", "immunoglobulin"),
    (r"\bwhom\b", "who"),
    # Hurried spellings of question words: "wat is ivig", "whens the best time".
    (r"\bwat\b", "what"),
    (r"\bwats\b", "whats"),
    (r"\bwhens\b", "when is"),
    # "how long dose an infusion last": "dose" slipped in for "does" before what it asks about
    # ("what dose", "the dose", "my dose" stay doses).
    (r"(?<!what )(?<!which )(?<!the )(?<!a )(?<!my )(?<!your )(?<!his )(?<!her )(?<!their )(?<!each )(?<!next )"
     r"\bdose (?=(?:an?|the|it|its|ivig|this|that|i|you|he|she|they|we|my|your|his|her|their|each|every) )", "does "),
    # Clinical words for giving it: "how is ivig administered" asks how it is given.
    (r"\badminist(?:er|ers|ered|ering|ration)\b", "given"),
)


def normalise(text: str) -> str:
    """Lowercase words without punctuation or apostrophes, speech artefacts undone."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    text = re.sub(r"['’`]", "", text)  # dont, im, moms: how speech recognisers write them anyway
    text = re.sub(r"(\d)\s*%", r"\1 percent", text)
    text = re.sub(r"[^a-z0-9]+", " ", text)
    # Spelled-out letters become one word: "i v i g" -> ivig, "c i d p" -> cidp, "h i v" -> hiv.
    # The names of the treatment go first, so the joiner can't make "ivy g a" into "ivy ga".
    text = re.sub(r"\bi v i g\b", "ivig", text)
    for pattern, repl in _IVIG_SAID:
        text = re.sub(pattern, repl, text)
    text = re.sub(r"\b[a-z](?: [a-z]\b)+", lambda m: m.group(0).replace(" ", ""), text)
    for pattern, repl in _IVIG_SAID:  # again: joined letters may spell a name of it ("i v g" -> ivg)
        text = re.sub(pattern, repl, text)
    text = " ".join(map(_spelling, text.split()))
    for pattern, repl in SPEECH_FIXES:
        text = re.sub(pattern, repl, text)
    for pattern, repl in _PHRASE_SHAPES:
        text = re.sub(pattern, repl, text)
    text = _FILLERS.sub("", " ".join(text.split()))
    return " ".join(text.split())


# Misspellings ("infushion", "condtions", "deficency", "side efects"): a word the skill has never
# seen, long enough that one slip can't turn it into another real word, becomes the one word it
# knows that is a single edit away (a letter dropped, added, changed or swapped). Short words, and
# words with no or several such neighbours, are left alone: the later steps decide about them.
MIN_SPELLING_LENGTH = 6


@functools.cache
def _known_words() -> frozenset[str]:
    """Every plain word of the topics, the article and the tables of this module."""
    texts = [knowledge.article_text()]
    for topic in knowledge.topics().values():
        texts.extend((*topic.phrasings, topic.title, topic.answer))
    texts.extend(chain.from_iterable(LAY_TERMS.values()))
    texts.extend(LAY_TERMS)
    texts.extend(chain.from_iterable(OUT_OF_SCOPE_SUBJECTS.values()))
    texts.extend((*UNNAMED_SIDE_EFFECTS, *STOPWORDS, *GENERIC_WORDS, *CHILD_WORDS))
    return _plain_words(texts)


def _plain_words(texts) -> frozenset[str]:
    """The lowercase words of some texts, apostrophes dropped ("don't" -> "dont")."""
    return frozenset(w for text in texts for w in re.findall(r"[a-z0-9]+", re.sub(r"['’`]", "", text.lower())))


def _one_edit(word: str) -> set[str]:
    letters = "abcdefghijklmnopqrstuvwxyz"
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    return ({a + b[1:] for a, b in splits if b}
            | {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
            | {a + c + b[1:] for a, b in splits if b for c in letters}
            | {a + c + b for a, b in splits for c in letters})


@functools.lru_cache(maxsize=4096)
def _spelling(word: str) -> str:
    known = _known_words()
    if len(word) < MIN_SPELLING_LENGTH or word in known or not word.isalpha():
        return word
    near = (_one_edit(word) - {word}) & known
    near -= STOPWORDS | GENERIC_WORDS  # a slip for a word that names nothing helps nothing
    near -= _decline_words()  # never turn a real word into a reason to decline ("killing" -> "billing")
    return next(iter(near)) if len(near) == 1 else word


@functools.cache
def _decline_words() -> frozenset[str]:
    """Words only the declined subjects use (not the article's or the topics'): a spelling fix
    never lands on one."""
    declined = chain(chain.from_iterable(OUT_OF_SCOPE_SUBJECTS.values()), UNNAMED_SIDE_EFFECTS, CHILD_WORDS)
    answered = [knowledge.article_text(), *chain.from_iterable(
        (*topic.phrasings, topic.title, topic.answer) for topic in knowledge.topics().values())]
    return _plain_words(declined) - _plain_words(answered)


# Shapes of a question that hide what it asks (applied after SPEECH_FIXES). Regex -> words.
_PHRASE_SHAPES: tuple[tuple[str, str], ...] = (
    # "does ivig mean i won't get sick": a consequence, not a definition; "mean" would pull the
    # question to what_is_ivig or immunodeficiency.
    (r"(?<!what )(?<!whats )\b(does|will|would|do|is|doesnt|wont) ((?:\w+ ){1,3}?)mean (?:that )?(?=(?:i|im|ill|you|we|he|she|they|"
     r"my|his|her|our|their|no|never|fewer|less|zero)\b)", r"\1 \2"),
    # "are side effects common", "are reactions rare": how often (risk), unlike "the common side
    # effects" or "what side effects are common", which ask for the list.
    (r"^((?:are|is|arent|isnt) .*?)(?:very |really |that |so |pretty |fairly )?(?:common|rare|uncommon)"
     r"(?= after| with| from| on| in| for|$)", r"\1likely"),
    # "what should i expect when i get there": what happens there, not when side effects appear.
    (r"\bwhat (?:should|do|can|will|would|to) (?:(?:i|we|he|she|you|they|(?:my|his|her|our|their) \w+) )?expect\b"
     r"(?!.*\b(?:side|reactions?|after|forward|future|long term|long run|years?|later on)\b)",
     "what happens"),
    # "how fast do side effects show up": when they start, not how fast the drip runs.
    (r"\bhow (?:fast|quick|quickly|soon) (?=(?:\w+ ){0,3}(?:side effects|reactions?|symptoms?)\b)", "when "),
    # "how many infusions does it take": how many are needed, not how long one takes.
    (r"\b(how many (?:\w+ )?(?:infusions?|sessions?|treatments?|rounds?|doses?|times)) (?:does|will|would|did|do|should) "
     r"(?:it|this|that|they|i|you|he|she) (?:usually |normally |typically )?take\b", r"\1 needed"),
    # "what do they do to you at the appointment": what happens there, not what it does to a person.
    (r"\b(?:do|does|will|would) (?:they|the nurses?|the nurse|the staff|you) (?:actually |exactly |really )?do "
     r"(?:to|with) (?:you|me|him|her|them|us) (?=(?:at|during|in|when|while)\b)", "happens "),
    (r"\bdo (?:to|with) (?:you|me|him|her|them|us) (?=(?:at|during|in|when|while) (?:the|an?|my|your|his|her|their|each) "
     r"(?:\w+ )?(?:appointments?|sessions?|infusions?|visits?|clinic|drips?)\b)", "happen "),
    # "how long after the infusion might i feel rough": when it starts, unless it asks how long it lasts.
    (r"\bhow long after (?=(?:\w+ ){0,3}?(?:will|might|could|would|can|do|does|until|till|before|is|are|should)\b)"
     r"(?!.*\b(?:last|lasts|linger|lingers|persist|persists|stay|stays|go away|goes away|wear off|wears off|"
     r"end|ends|stop|stops|recover|better|gone|over)\b)", "how soon after "),
    # "what might ivig do to my husband": what it does to a person is its side effects.
    (r"\bdo to (?:my|his|her|our|their|your) (?!body\b)\w+$", "do to him"),
    # "what kind of patients get ivig": a question about who, like "who gets ivig".
    (r"\b(?:what|which) (?:(?:kinds?|sorts?|types?) of )?(?:people|patients|persons?|folks)\b", "who"),
    # "no idea what it even is": asking what it is, hedged.
    (r"\bwhat (it|this|that) (?:even |really |actually |exactly )?(?:is|are)$", r"what is \1"),
    # "what will the immunoglobulin do for me": how it helps, not what it is.
    (r"\bwhat (does|will|can|would|could) ((?:the |this |that )?(?:ivig|immunoglobulin|immune globulin|infusion|"
     r"treatment|it)) (?:do|going to do|gonna do) for\b", r"how \1 \2 help"),
    # "the drip they want to put my husband on": starting a treatment, not where a needle goes.
    (r"\bput ((?:me|him|her|them|us|my \w+|his \w+|her \w+|our \w+)) on\b", r"\1 on"),
    (r"\b(are|is|be|been|being|was|were|get|gets|got|getting) put on\b", r"\1 on"),
    # "what do people take ivig for", "what is ivig given to people for": a purpose, like "used for".
    (r"^((?:what|which)\b(?!.*\b(?:look|looking|watch|watching|prepare|preparing|ready|wait|waiting|"
     r"bring|pack|ask|plan|used for)\b).*\b(?:take|takes|taking|get|gets|getting|give|gives|given|giving|need|needs|needed|"
     r"prescribe|prescribes|prescribed|use|uses|have|has|having|on)\b(?: \w+){0,3}) for$", r"\1 used for"),
    # "ive got an immune deficiency, what is that": a trailing "what is that" asks what the thing just
    # named is (the definition of it), not what IVIG is (unless what was named is the treatment).
    (r"^(?!what\b)(?!.*\b(?:ivig|immunoglobulins?|immune globulins?|infusions?|drips?|treatments?|therapy)\b)"
     r"(.+?) (?:what is that|whats that|what is it|whats it|what does that mean|what does it mean|"
     r"what is that exactly|whats that exactly)$", r"what is \1"),
    # "which illnesses is ivig given for": a purpose named by what it treats is the list of conditions.
    (r"^(?:what|which) (?:illness|illnesses|diseases?|sicknesses|ailments?|health problems|medical problems|"
     r"problems|disorders) (?=.*\bused for$)", "what conditions "),
)


# Interjections before a question ("wait, what are the side effects?", "um so how long does it
# take"): dropped when a question word follows, so "wait" can't pull a question to `duration`.
_FILLERS = re.compile(
    r"^(?:(?:wait|hold on|hang on|um+|uh+|er+m?|hmm+|okay|ok|so|well|actually|sorry|hey|oh|and|also|"
    r"alright|right|excuse me|one more thing|another question|quick question)\s+)+"
    r"(?=(?:what|whats|how|hows|when|why|who|where|which|is|are|was|does|do|did|can|could|will|would|"
    r"should|shall|may|might|tell|explain|if|ivig)\b)"
)


# --- 2. subjects the article does not cover ---------------------------------------------------

# Each subject: the words that show a question is about it. Matched as whole words on normalised text.
OUT_OF_SCOPE_SUBJECTS: dict[str, tuple[str, ...]] = {
    "cost and insurance": (
        "cost", "costs", "costly", "price", "prices", "pricing", "expensive", "cheap", "afford", "affordable",
        "pay", "pays", "paying", "paid", "payment", "bill", "bills", "billed", "billing", "dollars", "money",
        "copay", "copays", "co pay", "deductible", "insurance", "insurer", "insured", "medicare", "medicaid",
        "tricare", "out of pocket", "coverage", "covered by", "prior authorization", "preauthorization",
        "how much is ivig", "how much is it", "how much does it cost", "how much does ivig",
        "set me back", "set you back", "pounds", "rupees", "nhs pay", "charge", "charges", "charged", "fee", "fees",
    ),
    "dose amounts and rates": (
        "gram", "grams", "milligram", "milligrams", "mg", "kilogram", "kilograms", "kg", "kilo", "kilos",
        "ml", "milliliter", "milliliters", "millilitre", "millilitres", "cc", "units", "per hour",
        "infusion rate", "drip rate", "rate", "what dose", "what dosage", "which dose", "right dose",
        "correct dose", "normal dose", "usual dose", "typical dose",
        "how big a dose", "how much ivig", "how much of it", "how much medicine", "how much do they give",
        "how much will they give", "how much will i get", "how much do i get", "per kilo", "body weight",
    ),
    "brand names": (
        "brand", "brands", "generic", "manufacturer", "gammagard", "gamma gard", "gamma guard", "gammaguard",
        "privigen", "pre vigen", "octagam", "octa gam", "gamunex", "gammunex", "gammaked", "gammaplex",
        "flebogamma", "panzyga", "bivigam", "asceniv", "carimune", "hizentra", "cuvitru", "hyqvia",
        "xembify", "cutaquig", "yimmugo", "alyglo", "gamastan", "cytogam", "winrho", "rhogam", "row gam",
    ),
    "subcutaneous or home infusion": (
        "subcutaneous", "sub cutaneous", "subq", "sub q", "subcu", "sub cu", "scig", "under the skin",
        "home infusion", "home infusions", "self infuse", "infuse myself", "ivig at home", "infusion at home",
        "infusions at home", "it at home", "done at home", "given at home",
    ),
    "vaccines": (
        "vaccine", "vaccines", "vaccination", "vaccinations", "vaccinated", "vaccinate", "immunization",
        "immunizations", "immunisation", "booster", "boosters", "flu shot", "flu shots", "covid shot",
        "covid shots", "flu jab", "covid jab", "shingles", "mmr", "tetanus", "tdap", "pneumococcal",
        "prevnar", "shingrix", "gardasil",
    ),
    "alcohol, smoking and drugs": (
        "alcohol", "alcoholic", "beer", "beers", "wine", "liquor", "booze", "drunk", "cocktail", "cocktails",
        "vodka", "whiskey", "whisky", "tequila", "champagne", "margarita", "smoke", "smoking", "cigarette",
        "cigarettes", "vape", "vaping", "marijuana", "weed", "cannabis", "cbd", "drinks", "nightcap",
        "happy hour", "pint", "pints", "hangover", "hungover",
    ),
    "driving and daily activities": (
        "drive", "drives", "driving", "drove", "behind the wheel", "operate machinery", "shower", "showers",
        "bath", "bathe", "swim", "swimming", "exercise", "exercising", "gym", "workout", "work out",
        "back to work", "go to work", "travel", "traveling", "travelling", "fly", "flying", "flight",
        "vacation", "sex", "sexual", "sauna", "tattoo", "sunbathe", "breastfeed", "breastfeeding",
        "breast feed", "breast feeding", "nursing my baby",
        "plane", "airplane", "aeroplane", "trip", "holiday", "holidays", "abroad", "cruise", "overseas",
        "jog", "jogging", "yoga", "sports", "golf", "tennis", "lift weights", "lifting weights", "hike", "hiking",
        "gardening", "time off", "off work", "day off", "sick leave", "call in sick", "contagious",
        "can i work", "can i still work", "can he work", "can she work", "able to work", "work the next day",
        "work the day after", "work after",
    ),
    "other medicines by name": (
        "tylenol", "acetaminophen", "paracetamol", "ibuprofen", "advil", "motrin", "aleve", "naproxen",
        "aspirin", "benadryl", "diphenhydramine", "antihistamine", "antihistamines", "claritin", "zyrtec",
        "allegra", "prednisone", "prednisolone", "methylprednisolone", "solumedrol", "hydrocortisone",
        "dexamethasone", "methotrexate", "rituximab", "rituxan", "humira", "adalimumab", "enbrel",
        "remicade", "infliximab", "plaquenil", "hydroxychloroquine", "cellcept", "mycophenolate",
        "azathioprine", "imuran", "cyclosporine", "tacrolimus", "cyclophosphamide", "metformin", "insulin",
        "ozempic", "warfarin", "coumadin", "eliquis", "xarelto", "heparin", "lisinopril", "statin",
        "statins", "lipitor", "atorvastatin", "antibiotic", "antibiotics", "amoxicillin", "penicillin",
        "azithromycin", "paxlovid", "remdesivir", "zoloft", "xanax", "ativan", "gabapentin", "lyrica",
        "oxycodone", "hydrocodone", "tramadol", "morphine", "melatonin", "vitamin", "vitamins",
        "supplement", "supplements", "birth control",
    ),
    "conditions the article does not discuss": (
        "cidp", "guillain", "barre", "gbs", "itp", "thrombocytopenia", "myasthenia", "multiple sclerosis",
        "pandas", "autism", "alzheimers", "dementia", "stiff person", "neuropathy", "iga", "miscarriage",
        "miscarriages", "ivf", "fertility",
    ),
    "diet and hydration": (
        "diet", "diets", "dietary", "nutrition", "nutritional", "nutritionist", "foods", "protein",
        "hydrate", "hydrated", "hydrating", "hydration", "dehydrate", "dehydrated", "dehydration",
        "extra water", "more water", "plenty of water", "lots of water", "extra fluids", "more fluids",
        "plenty of fluids", "lots of fluids", "what to eat", "what should i eat", "what foods", "which foods",
        "grapefruit", "eat sugar", "avoid sugar", "cut out sugar", "cut sugar", "sugar intake", "sugary", "sweets", "candy", "salt", "salty", "sodium", "gluten", "dairy",
        "junk food", "fried food", "carbs", "caffeine free",
    ),
    "storage": (
        "fridge", "refrigerator", "refrigerate", "refrigerated", "freezer", "frozen", "shelf life", "expire",
        "expires", "expiration", "expiry", "expired", "storage", "stored", "store it", "room temperature",
    ),
    "tests it might affect": (
        "drug test", "drug tests", "drug screen", "drug screening", "false positive", "pregnancy test",
        "blood type", "blood sugar", "glucose", "a1c", "cholesterol",
    ),
    "treatments compared with IVIG": ("plasma exchange", "plasmapheresis", "plex", "stem cell", "transplant"),
    "how it is manufactured": (
        "factory", "factories", "who makes", "who manufactures", "what company", "which company",
        "which companies", "what companies", "company makes", "companies make", "manufacture", "manufactured", "manufacturing", "purified", "purification",
        "fractionation",
    ),
    "not about IVIG": (
        "weather", "forecast", "joke", "jokes", "riddle", "timer", "alarm", "song", "songs", "playlist",
        "play music", "play some", "news", "recipe", "lottery", "what time is it", "what day is it",
        "your name", "who are you", "sing", "capital of", "thank you", "thanks", "good morning", "good night",
        "how are you", "favorite", "favourite", "movie", "movies", "television", "shopping list", "reminder",
        "remind me", "score", "scores", "stock market",
        # places, bookings and services
        "nearest", "near me", "closest", "nearby", "directions", "address", "phone number", "opening hours",
        "make an appointment", "book an appointment", "schedule an appointment", "reschedule",
        "cancel my appointment", "book me", "book a", "book an", "booking", "make me an appointment",
        "set up an appointment",
    ),
}

# Children's dosing and safety are not in the article; a child word with one of these declines.
CHILD_WORDS = ("child", "children", "kid", "kids", "toddler", "toddlers", "infant", "infants", "newborn",
               "pediatric", "paediatric", "year old", "years old")
CHILD_CONTEXT = ("safe", "ok", "okay", "dose", "dosage", "dosing", "much", "amount", "age", "weight", "weigh")


def _word_pattern(phrases: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile(r"\b(?:" + "|".join(sorted(map(re.escape, phrases), key=len, reverse=True)) + r")\b")


@functools.cache
def _out_of_scope_patterns() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    subjects = _word_pattern(tuple(chain.from_iterable(OUT_OF_SCOPE_SUBJECTS.values())))
    return subjects, _word_pattern(CHILD_WORDS), _word_pattern(CHILD_CONTEXT)


@functools.cache
def _subject_patterns() -> tuple[tuple[str, re.Pattern[str]], ...]:
    return tuple((family, _word_pattern(words)) for family, words in OUT_OF_SCOPE_SUBJECTS.items())


def subject_families(normalised: str) -> frozenset[str]:
    """The out-of-scope subjects (OUT_OF_SCOPE_SUBJECTS keys) a normalised question names."""
    return frozenset(family for family, pattern in _subject_patterns() if pattern.search(normalised))


def out_of_scope_subject(normalised: str) -> bool:
    """True when the question is about something the article does not cover (see both tables)."""
    subjects, child, child_context = _out_of_scope_patterns()
    if subjects.search(normalised) or uncovered_question(normalised):
        return True
    return bool(child.search(normalised) and child_context.search(normalised))


# --- 2b. questions that borrow a topic's words to ask what the article does not say ----------

# "how long do side effects last" sounds like `duration`, "can ivig cure cancer" like `outlook`,
# "can i get hiv from ivig" like `conditions`, "what is the dose" like `when_to_call`, "can ivig
# cause blood clots" like `how_it_works`; the article answers none of them. Each family below is a
# way of asking, not a list of sentences: regexes on normalised text, whole words.

_ANY = r"(?:\w+ ){0,3}?"  # up to three words in between, as few as possible
# What the treatment is called when someone asks what it might carry or do.
_TREATMENT = (r"(?:ivig|immune globulins?|immunoglobulins?|immunoglobin|gamma globulin|plasma|"
              r"(?:the|an?|my|this|that) (?:infusions?|drips?|treatments?|products?|bags?|antibod(?:y|ies)|"
              r"blood products?)|donated blood|donor blood|the donors?|donors|it|this)")
# What an infection carried by a donated product would be called.
_CAUGHT = (r"(?:an? |any |other |some )?(?:hiv|aids|hepatitis|hep [abc]|covid(?: 19)?|coronavirus|viruse?s?|"
           r"viral infections?|bacterial infections?|infections?|diseases?|germs|bacteria|prions?|mad cow|"
           r"cjd|west nile|zika|syphilis|blood borne diseases?|bloodborne diseases?)")
# Words between a treatment and what it might carry that show the question is about protection.
_NOT_PROTECTION = r"(?!antibod|against|fight|less|fewer|lower|reduc|prevent|protect)"
_HOW_LONG = (r"(?:how long|how many (?:more )?(?:minutes|hours|days|weeks|months)|how much longer|"
             r"until when|till when)")
_WHEN = r"(?:when (?:will|would|do|does|should|can|did|might|is|are|am)|how soon|how quickly|how fast)"
# Words for things that happen after an infusion and might linger.
_AFTERMATH = (r"(?:side ?effects?|reactions?|effects?|symptoms?|headaches?|migraines?|fevers?|chills|"
              r"temperature|nausea|nauseous|vomiting|throwing up|pains?|aches?|achiness|soreness|hives|"
              r"rash(?:es)?|itch(?:ing|iness|y)?|welts|bumps|sickness)")
_LINGER = (r"(?:last|lasts|lasting|linger|lingers|persist|persists|stay|stays|remain|remains|go away|"
           r"goes away|wear off|wears off|clear up|clears up|subside|subsides|get better|gets better|"
           r"improve|improves|fade|fades|stick around|sticks around|hang around|be gone|be over|end|ends|"
           r"stop|stops|pass|resolve|resolves|settle down|calm down|disappear|disappears)")
# Side effects people ask about that the article never names (it names nausea, vomiting, headache,
# fever, chest, back and muscle pain, hives, itchy skin, blood pressure, meningitis, trouble
# breathing and reduced kidney function).
UNNAMED_SIDE_EFFECTS = (
    "blood clot", "blood clots", "clot", "clots", "clotting", "thrombosis", "thrombotic", "thromboembolism",
    "embolism", "embolisms", "dvt", "stroke", "strokes", "heart attack", "heart attacks", "heart failure",
    "heart problems", "heart problem", "heart damage", "cardiac", "arrhythmia", "palpitations",
    "anaphylaxis", "anaphylactic", "allergic", "allergy", "allergies", "kidney failure", "kidneys fail",
    "kidney to fail", "kidneys to fail", "renal failure", "dialysis", "kidney stones", "hemolysis",
    "haemolysis", "hemolytic", "haemolytic", "anemia", "anaemia", "anemic", "seizure", "seizures",
    "convulsions", "hair loss", "lose my hair", "hair fall out", "hair to fall out", "weight gain",
    "gain weight", "fatigue", "fatigued", "tired", "tiredness", "exhausted", "exhaustion", "sleepy",
    "drowsy", "drowsiness", "insomnia", "dizzy", "dizziness", "lightheaded", "light headed", "vertigo",
    "faint", "fainting", "pass out", "passing out", "diarrhea", "diarrhoea", "constipation", "swelling",
    "swollen", "edema", "oedema", "fluid retention", "bruise", "bruises", "bruising", "joint pain",
    "joint pains", "achy joints", "joints", "blurry vision", "blurred vision", "infertility",
)
# Asking what to do about a symptom is `when_to_call`, whatever the symptom.
_ASKS_WHAT_TO_DO = re.compile(
    r"\b(?:call|calling|phone|contact|ring|notify|report|tell (?:my|the|your|a|his|her) "
    r"(?:doctor|provider|nurse|care team|physician|specialist)|let (?:my|the|your|his|her) \w+ know|"
    r"what (?:should|do|can|would) (?:i|we|he|she|you) do|should (?:i|we|he|she) (?:call|see|go|phone|worry)|"
    r"see (?:my|a|the|your) (?:doctor|provider|nurse))\b"
)

UNCOVERED_QUESTIONS: dict[str, tuple[str, ...]] = {
    # The article says nothing about infections carried by donated products or how donors are screened.
    "infections carried by donated products": (
        rf"\b(?:get|getting|catch|catching|contract|contracting|pick up|picking up|acquire)\s+{_ANY}{_CAUGHT}\s+"
        rf"{_ANY}(?:from|through|via|off|out of)\s+{_ANY}(?:{_TREATMENT}|donated|blood|infusions?|needles?)\b",
        rf"\b{_TREATMENT}\s+(?:{_NOT_PROTECTION}\w+ ){{0,2}}(?:give|gives|giving|transmit|transmits|transfer|"
        r"transfers|pass|passes|spread|spreads|carry|carries|contain|contains|cause|causes|infect|infects)\s+"
        rf"(?:{_NOT_PROTECTION}\w+ ){{0,2}}?{_CAUGHT}\b",
        rf"\b(?:is there|are there|could there be|can there be|might there be) {_ANY}{_CAUGHT} in {_TREATMENT}\b",
        rf"\b{_TREATMENT} (?:have|has|had) {_CAUGHT} in (?:it|them)\b",
        r"\b(?:transmit|transmits|transmitted|transmitting|transmission|transmissible|contaminated|"
        r"contamination|contaminate|contaminates|bloodborne|blood borne|pathogens?|prions?|mad cow|"
        r"hepatitis|cjd|creutzfeldt)\b",
        r"\b(?:donors?|donated blood|donor blood|the plasma|plasma|ivig|immune globulin|immunoglobulin|"
        r"the antibodies|the product)\s+(?:\w+ ){0,2}?(?:screened|tested|checked|vetted|filtered)\b",
        rf"\b(?:(?:is|are) {_TREATMENT}|{_TREATMENT} (?:is|are)) (?:\w+ )?(?:safe|free|clean) (?:from|of) {_CAUGHT}\b",
        r"\b(?:screen|screens|screened|screening|test|tests|testing|check|checks|checking|vet|vetted)\s+"
        r"(?:the |their |all )?(?:donors?|donated|donor|plasma)\b",
        rf"\b(?:risk|risks|chance|chances|odds|danger|possibility)\s+(?:of\s+)?{_ANY}{_CAUGHT}\s+{_ANY}"
        rf"(?:from|through|via)\s+{_ANY}(?:{_TREATMENT}|donated|blood|infusions?)\b",
    ),
    # The article lists conditions whose immunodeficiency IVIG manages; it never says IVIG cures a
    # disease, and never mentions cancer except through its treatment.
    "cancer, named only through its treatment": (
        r"^(?!.*\b(?:chemo|chemotherapy|cancer (?:treatments?|therap(?:y|ies)|drugs?|medicines?|medications?)|"
        r"(?:treatments?|therapy|drugs?|medicines?|medications?) for (?:\w+ )?cancer)\b)"
        r".*\b(?:cancers?|tumou?rs?|leuka?emia|lymphoma|myeloma|carcinoma|melanoma|sarcoma)\b",
    ),
    # The article names treatments that weaken the immune system; it never says what kind of
    # treatment IVIG is compared with them ("is ivig a kind of chemo"), nor how fast it is run.
    "what IVIG is compared with other treatments": (
        rf"\b(?:is|isnt|are|arent) {_TREATMENT} (?:(?:a|an|the|some) )?(?:(?:type|kind|form|sort) of |like |"
        r"similar to |the same as |same as |considered )?(?:chemo|chemotherapy|steroids?|corticosteroids?|"
        r"immunosuppressants?|immune suppressants?|antibiotics?|antivirals?|biologics?|vaccines?)\b",
        r"\bhow (?:fast|quickly|quick|slowly|slow) (?:do|does|will|can|should|would) (?:they|you|the nurses?|"
        r"nurses) (?:run|pump|push|infuse|set|drip|give)\b",
    ),
    # The article says IVIG comes from donors; it says nothing of the person receiving it donating.
    "donating blood oneself": (
        r"\b(?:can|could|should|may|do|am|is) (?:i|you|he|she|we|they|my \w+) (?:still |ever |allowed to |able to )?"
        r"(?:donate|give|be donating|giving) (?:my |his |her |their |some )?(?:blood|plasma)\b",
        r"\b(?:become|becoming|be|sign up as|sign up to be|register as) (?:an? )?(?:\w+ )?donors?\b",
        r"\bwhere (?:can|do|could|would) (?:i|you|we|people) (?:go to )?donate\b",
    ),
    # Whether to have an infusion while ill with something else is not in the article.
    "having an infusion while ill": (
        r"\b(?:can|should|could|may|do|is it (?:ok|okay|safe|alright) to) (?:i|you|he|she|we|they|my \w+)? ?(?:still )?"
        r"(?:get|have|go for|do|receive|take|go ahead with|be given) (?:\w+ ){0,3}?(?:if|when|while|with) "
        r"(?:(?:i|im|ive|you|youre|youve|he|hes|she|shes|they|theyre|theyve|my \w+) )?"
        r"(?:have |has |got |have got |has got |am |is |are |feel |feels |feeling )?"
        r"(?:an? |the )?(?:cold|colds|flu|fever|temperature|infection|cough|sore throat|stomach bug|bug|sick|ill|"
        r"unwell|under the weather)\b",
    ),
    # Missing an infusion, and what follows, is not in the article.
    "missed infusions": (
        r"\b(?:miss|misses|missed|missing|skip|skips|skipped|skipping) (?:an?|my|one|the|his|her|their|a few|"
        r"two)(?: \w+)? (?:infusions?|doses?|appointments?|sessions?|treatments?|rounds?|drips?)\b",
    ),
    # How much IVIG someone gets is not in the article; it only says the dose may be adjusted.
    "dose amounts": (
        r"^(?!.*\b(?:change|changes|changed|changing|adjust|adjusts|adjusted|adjusting|adjustment|lower|"
        r"lowered|lowering|reduce|reduced|reducing|decrease|decreased|cut|raise|raised|increase|increased|"
        r"different|alter|altered|modify|modified|tweak|tweaked)\b)"
        # "how many doses", "my next dose": a count of treatments (`treatment_course`), not an amount
        r"(?!.*\b(?:how many|one|single|another|more|several|few|next|each|every|first|last) doses?\b)"
        r".*\b(?:dose|doses|dosage|dosages|dosing|"
        r"dosed)\b",
        r"\bhow much (?:ivig|immune globulin|immunoglobulins?|antibod(?:y|ies)|medicine|medication|drug|fluid|"
        r"liquid|of (?:it|that|this)|do they (?:give|put|use)|will they (?:give|put|use)|will (?:i|he|she) "
        r"(?:get|receive|need|be given)|do (?:i|you) (?:get|receive|need)|does (?:he|she|\w+) (?:get|receive|need)|"
        r"goes in|is in)\b",
        r"\bhow many (?:bags|vials|bottles|units|ml|grams)\b",
        r"\b(?:what|which) (?:strength|concentration|percent solution)\b|\bconcentration\b",
        r"\b(?:weight|weigh|weighs|bmi)\b",
    ),
    # The article names when side effects start, not how long they, or IVIG's benefits, last; nor
    # how soon IVIG starts working or how long recovery takes.
    "how long things other than the infusion last": (
        rf"\b(?:{_HOW_LONG}|{_WHEN})\b.*\b{_AFTERMATH}\b.*\b{_LINGER}\b",
        rf"\b{_AFTERMATH}\b.*\b{_HOW_LONG}\b.*\b(?:they|it|them|that|these|those) {_LINGER}\b",
        rf"\b{_HOW_LONG}\b.*\b{_LINGER}\b.*\b(?:in|inside|around in|in to) (?:my|your|the|his|her|their|our|a) "
        r"(?:body|system|blood|bloodstream|veins?)\b",
        rf"\b{_HOW_LONG}\b.*\b(?:antibod(?:y|ies)|immunity|benefits?|boost|results?|{_TREATMENT}|one|each|"
        rf"an infusion|the infusion|a dose|each dose)\b.*\b(?:protect|protects|protected|protecting|protection|"
        r"good for|effective|work for|works for|keep working|keeps working|cover|covers)\b",
        rf"\b{_HOW_LONG}\b.*\b(?:protect|protects|protected|protection|immunity|antibodies|benefits?)\b.*"
        rf"\b{_LINGER}\b",
        rf"\b(?:{_HOW_LONG}|{_WHEN})\b(?!.*\b{_AFTERMATH}\b).*\b(?:work|works|working|take effect|"
        r"takes effect|taking effect|kick in|kicks in|start helping|begin helping|see (?:any |a )?(?:results?|"
        r"difference|improvement|benefits?)|notice (?:any |a )?(?:results?|difference|improvement|benefits?)|"
        r"(?:feel|feels|feeling) (?:any |a )?(?:difference|improvement|benefits?|better|the benefits?)|results?)\b",
        rf"\b{_HOW_LONG}\b.*\b(?:feel|be|stay|being|feeling)\s+(?:\w+\s+)?(?:sick|bad|ill|unwell|awful|"
        r"terrible|crummy|lousy|rough|off|sore|achy|achey|nauseous|queasy|tired|wiped out|run down|weak|"
        r"groggy)\b",
        rf"\b(?:{_HOW_LONG}|{_WHEN})\b.*\b(?:recover|recovery|recuperate|bounce back|back to normal|"
        r"feel normal|feel (?:like )?(?:my|him|her)sel(?:f|ves)|feel (?:okay|ok|good|fine) again)\b",
        r"\brecovery (?:time|period)\b",
        # how long to stay or be watched after an infusion
        rf"\b{_HOW_LONG}\b.*\b(?:stay|wait|remain|sit|hang around|be (?:monitored|observed|watched))\b "
        r"(?:\w+ ){0,2}?after\b",
    ),
}
# The families whose questions become `when_to_call` when they ask what to do.
_UNLESS_ASKING_WHAT_TO_DO = ("how long things other than the infusion last", "having an infusion while ill")

# Cures: only a cure of the immunodeficiency itself, or of infections, is near `outlook`; a cure
# of any named disease, or a cure with nothing named, is not in the article.
_CURE = re.compile(r"\b(?:cure|cures|cured|curing|curable|curative|heal|heals|healed|get rid of|gets rid of|"
                   r"rid (?:me|you|him|her) of|eradicate|eradicates|reverse|reverses|remission)\b")
_CURE_OF_IMMUNODEFICIENCY = re.compile(
    r"\b(?:immunodeficienc(?:y|ies)|immune (?:deficiency|deficiencies|disorder|disorders|system|systems)|"
    r"immunocompromised|immunity|infections?|colds?|getting sick|sickness|illness(?:es)?)\b")


@functools.cache
def _uncovered_patterns() -> tuple[tuple[str, re.Pattern[str]], ...]:
    return tuple((family, re.compile("|".join(f"(?:{p})" for p in patterns)))
                 for family, patterns in UNCOVERED_QUESTIONS.items())


@functools.cache
def _unnamed_side_effects() -> re.Pattern[str]:
    return _word_pattern(UNNAMED_SIDE_EFFECTS)


@functools.cache
def _named_diseases() -> re.Pattern[str]:
    return _word_pattern(tuple(p for p in LAY_TERMS["condition"] if p not in ("steroid", "steroids")))


def uncovered_question(normalised: str) -> str | None:
    """The family of an IVIG question the article does not answer, or None."""
    asks_what_to_do = _ASKS_WHAT_TO_DO.search(normalised) is not None
    for family, pattern in _uncovered_patterns():
        if pattern.search(normalised) and not (asks_what_to_do and family in _UNLESS_ASKING_WHAT_TO_DO):
            return family
    if _unnamed_side_effects().search(normalised) and not asks_what_to_do:
        return "side effects the article does not name"
    if _CURE.search(normalised) and (
        _named_diseases().search(normalised) or not _CURE_OF_IMMUNODEFICIENCY.search(normalised)
    ):
        return "cures"
    return None


# --- 3. lay words -> the article's terms ----------------------------------------------------

# canonical term -> what people say for it. Applied (longest first) to questions and topics alike.
LAY_TERMS: dict[str, tuple[str, ...]] = {
    "ivig": (
        "immune stuff", "antibody stuff", "immune treatment", "immune therapy", "the shots", "these shots",
        "those shots", "my shots", "his shots", "her shots", "their shots",
        "intravenous immunoglobulin", "intravenous immunoglobulins", "intravenous immune globulin",
        "iv immunoglobulin", "iv immune globulin", "immune globulin", "immune globulins", "immunoglobulin",
        "immunoglobulins", "immunoglobin", "immuno globulin", "gamma globulin", "gammaglobulin",
        "antibody infusion", "antibody infusions", "antibody treatment", "antibody treatments",
        "antibody therapy", "antibody drip", "immunoglobulin replacement", "immunoglobulin replacement therapy",
        "antibody replacement", "antibody replacement therapy",
    ),
    "infusion": ("infusions", "drip", "drips", "iv drip"),
    "how": ("how exactly",),
    "what define": ("what exactly", "what is that", "whats that", "what is this", "whats this", "what are they",
                    "what are those", "what are these"),
    "oral": ("a pill", "as a pill", "a tablet", "as a tablet", "in tablet form", "by mouth", "pill form", "tablet form", "orally", "swallow"),
    "sideeffect": ("bad time", "rough time", "hard time", "problems", "problem", "issues", "do to my body", "do to your body", "do to you", "do to me", "do to him", "do to her",
        "do to them", "make you unwell", "make me unwell", "make you ill", "make me ill", "make you poorly",
        "make me poorly", "make you feel bad", "make me feel bad", "make you sick", "make me sick",
        "make him sick", "make her sick",
        "side effects", "side effect", "reaction", "reactions", "react", "reacts", "reacted", "reacting",
        "adverse effect", "adverse effects", "after effects", "aftereffects", "adverse reaction",
        "adverse event", "adverse events", "adverse", "untoward effects",
        "downside", "downsides", "drawback", "drawbacks", "disadvantage", "disadvantages",
    ),
    "mild": ("minor", "common", "typical", "normal", "not serious", "milder", "mildest", "less serious",
             "everyday", "ordinary", "run of the mill",
             "not so serious", "not as bad", "not too bad"),
    "severe": ("serious", "worst", "major", "life threatening", "really bad", "bad reactions"),
    "severe sideeffect": ("dangerous side effects", "dangerous side effect", "dangerous reactions",
                          "dangerous reaction"),
    "nausea": (
        "nauseous", "nauseated", "queasy", "throw up", "throwing up", "threw up", "vomit", "vomiting",
        "vomited", "puke", "puking", "sick to my stomach", "sick to her stomach", "sick to his stomach",
        "sick to your stomach", "sick to their stomach", "upset stomach", "stomach upset", "upset my stomach",
        "sick in the stomach", "sick in my stomach",
    ),
    "headache": ("pounding headache", "headaches", "head ache", "head aches", "head hurts", "head hurt", "head is pounding",
                 "migraine", "migraines", "head pain", "pounding head"),
    "fever": ("fevers", "feverish", "temperature", "chills", "running a temp"),
    "pain": ("ache", "aches", "achy", "achey", "aching", "sore", "soreness", "painful", "pains", "myalgia"),
    "back pain": ("backache", "backaches", "back hurts", "back hurt", "back hurting"),
    "muscle pain": ("muscles hurt", "muscle hurts", "muscles hurting", "body aches", "body ache"),
    "hives": ("urticaria", "rash", "rashes", "welts", "itchy", "itching", "itch", "itchiness", "pruritus",
              "bumps", "breakout", "broke out"),
    "bloodpressure": ("blood pressure", "bp", "hypertension", "hypotension", "pressure"),
    "breathing": ("trouble breathing", "hard to breathe", "difficulty breathing", "short of breath",
                  "shortness of breath", "cant breathe", "breathe", "breath", "breathless", "dyspnea",
                  "dyspnoea", "wheezing", "wheezy"),
    "kidney": ("kidneys", "renal"),
    "reduced": ("impairment", "impaired", "insufficiency"),
    "pregnant": ("pregnancy", "im expecting", "youre expecting", "shes expecting", "theyre expecting", "is expecting", "are expecting", "when expecting",
                 "while expecting", "expecting a baby", "expecting mothers", "expectant", "with child", "unborn", "trimester", "prenatal",
                 "baby", "fetus", "foetus", "mom to be", "mother to be", "carrying a baby"),
    "expect": ("be expecting",),
    "provider": ("doctor", "doctors", "physician", "providers", "healthcare provider", "health care provider",
                 "nurse", "nurses", "care team", "clinic", "specialist", "gp", "immunologist", "neurologist",
                 "hematologist", "rheumatologist", "someone", "somebody",
                 # British and Indian English: the consultant is the specialist, the surgery the GP's office
                 "consultant", "consultants", "at the surgery", "gp surgery", "gps surgery", "doctors surgery",
                 "local surgery", "gp practice", "health centre", "health center"),
    "call": ("contact", "phone", "ring", "report", "notify", "let know", "tell", "let my", "reach out",
             "get in touch", "get hold of", "telephone", "should i have told", "should have told",
             "should i have said", "say something", "said something", "speak up", "tell them",
             "let the", "let someone", "let them",
             # what to do when something happens: the article's answer is to contact the provider
             "what should i do if", "what do i do if", "what should i do when", "what do i do when",
             "what to do if", "what should we do if", "what should he do if", "what should she do if"),
    "": ("tell me", "let me", "at all", "kind of", "sort of", "type of", "kinds of", "sorts of", "types of", "keep hearing about", "been hearing about", "hearing about", "heard about",
         "once i", "once im", "once you", "once he", "once she", "once my", "once it", "once its", "once they",
         "once theyre", "once thats", "once inside", "in plain english", "in simple terms", "in simple words", "in laymans terms",
         "in plain words", "in a nutshell"),
    "eat": ("eating", "ate", "food", "breakfast", "lunch", "dinner", "meal", "meals", "snack", "snacks",
            "fasting", "fast before", "empty stomach", "drink", "drinking", "coffee", "tea", "water", "juice",
            "fluids", "caffeine", "supper", "brunch", "go without food", "nothing to eat"),
    "speed": ("how fast", "slow down", "speed up", "slow", "slowly", "slower", "faster", "fast or slow",
              "go in fast", "goes in fast", "going in fast", "run fast", "runs fast"),
    "dose": ("doses", "dosage", "dosages", "dosing"),
    "medication": ("medications", "medicine", "medicines", "meds", "pill", "pills", "tablet", "tablets",
                   "prescription", "prescriptions", "drug", "drugs"),
    "prepare": ("preparation", "prep", "prepping", "get ready", "getting ready", "ready", "beforehand",
                "the night before", "the day before", "night before", "day before", "before i go in",
                "before going in", "before he goes in", "before she goes in", "ahead of time"),
    "bloodtest": ("assessment", "assessments", "workup", "work up", "checkup", "check up", "blood test", "blood tests", "blood work", "bloodwork", "labs", "lab work", "lab test",
                  "lab tests", "tests", "test", "testing", "blood drawn", "check my blood"),
    "needle": ("needles", "stick", "poke", "prick", "cannula", "catheter", "injection", "injections",
               "inject", "injected", "shot", "iv line", "iv"),
    "donor": ("donors", "donate", "donated", "donates", "donation", "donations", "donating", "other people",
              "other peoples", "someone else", "someone elses", "somebody else", "strangers", "healthy people"),
    "bring": ("pack", "take along", "take with me"),
    "hours": ("hour", "hrs", "minutes", "all day", "whole day", "long time", "all afternoon", "all morning"),
    "often": ("how often", "frequently", "frequency", "weekly", "monthly", "every week", "every month",
              "once a week", "once a month", "every few weeks", "each week", "each month"),
    "once": ("one time", "one off", "once or", "just one", "only one"),
    "sick": ("ill", "illness", "illnesses", "infection", "infections", "infected", "cold", "colds", "flu",
             "bug", "bugs", "germs", "virus", "viruses", "catch", "sickness", "sicknesses", "sicker", "influenza"),
    "ongoing": ("keep getting", "keep having", "keep doing", "stay on", "be on", "been on", "being on", "continue", "continuing", "forever",
                "lifelong", "for life", "over and over", "again and again", "more rounds", "another round",
                "rest of my life"),
    "name": ("they call", "they call it", "people call", "is called", "its called", "stuff called", "thing called", "something called", "stand for",
             "short for"),
    "need": ("call for", "calls for", "required", "require", "requires", "necessary", "needful"),
    "immune": ("immune system", "immunity", "immune systems"),
    "immunodeficiency": ("immunodeficiency disease", "immunodeficiency diseases", "immune deficiency disease",
                         "immune deficiency diseases", "immunodeficiencies", "immune deficiency", "immunodeficient", "immunocompromised",
                         "immune compromised", "immunosuppressed", "weak immune system",
                         "weakened immune system", "low immune system", "poor immune system",
                         "suppressed immune system", "immune disorder", "deficient immune system",
                         "immune system is deficient", "immune system is weak", "weak immune systems",
                         "weakened immune systems", "weak immunity", "low immunity", "primary immunodeficiency",
                         "primary immune deficiency", "primary immune deficiencies",
                         "secondary immunodeficiency", "immune system disorder", "immune system disorders"),
    "condition": ("conditions", "disease", "diseases", "hiv", "aids", "covid", "coronavirus", "kawasaki",
                  "lupus", "sle", "ailment", "ailments", "health problems", "medical problems", "health conditions", "stills disease", "still disease", "myositis", "polymyositis", "vasculitis", "sjogrens", "sjogren",
                  "show grins", "sugar diabetes", "diabetes", "diabetic", "diabetics", "chemo", "chemotherapy", "steroid",
                  "steroids", "corticosteroid", "corticosteroids", "immunosuppressant", "immunosuppressants",
                  "autoimmune", "cancer", "adult onset stills disease", "adult onset still disease",
                  "adult onset stills", "type one diabetes", "type two diabetes", "type 1 diabetes",
                  "type 2 diabetes", "breast cancer", "lung cancer", "colon cancer", "prostate cancer",
                  "blood cancer", "skin cancer", "ovarian cancer", "bone cancer", "brain cancer"),
    "usedfor": ("used for", "use for", "prescribed for", "given for", "treat", "treats", "treated",
                "indication", "indications", "indicated", "uses", "good for"),
    "risk": ("bad for", "bad for me", "bad for you", "how common", "how rare", "risks", "risky", "danger", "dangerous", "harmful", "hazardous", "high risk", "low risk", "chance", "chances",
             "odds", "likely", "likelihood", "percent", "percentage", "incidence", "how frequent", "how frequently"),
    "worried": ("worry", "scared", "afraid", "nervous", "anxious", "concerned", "fear", "frightened"),
    "work": ("do its job", "does its job", "do their job"),
    "benefit": ("the pluses", "any pluses", "some pluses", "good things", "good thing", "like about", "why do doctors like",
                "why do doctors use", "benefits", "any use", "of use", "much use", "any good", "much good", "bother", "why bother", "point of", "advantage", "advantages", "pros", "upside", "upsides", "helpful", "worth it", "worth",
                "effective", "effectiveness", "good points", "plus side", "plus sides", "positives", "good side",
                "clinical benefit", "what good"),
    "still sick": ("no more infections", "no more colds", "no more illness", "never get sick", "never be sick",
                    "never catch"),
    "outlook": ("going forward", "prognosis", "long term", "long run", "future look like", "future looks like", "future hold",
                "future holds", "whats ahead"),
    "happen": ("happens", "happened", "goes on", "go on", "going on", "takes place", "take place", "occur", "occurs"),
    "long": ("longer",),
    "how long": ("how much time", "duration", "length", "lengthy"),
    "how work": ("mechanism of action", "mechanism", "mode of action", "science behind", "the science behind",
                 "the science of", "science of"),
    "weaken": ("weak", "weaker"),
    "alongside": ("along with", "together with", "combined with", "combine", "at the same time as"),
    "rare": ("rarest", "rarely", "uncommon"),
    "usual": ("regular", "normal medication", "normal medications", "normal meds", "normal pills"),
    "start": ("starts", "begin", "begins", "kick in", "kicks in", "show up", "shows up", "appear", "appears",
              "come on", "set in", "onset"),
    "soon": ("later", "delayed", "straight away", "straightaway", "right after", "next day", "right away", "immediately", "how soon", "quickly", "same day"),
    "uncomfortable": ("feel rough", "feeling rough", "feel awful", "feel lousy", "feel crummy", "weird", "strange", "off", "wrong", "not right", "dont feel right", "funny", "unwell",
                      "poorly", "come over poorly", "out of sorts"),
}

STOPWORDS = frozenset(
    """a an the is are am be been being was were do does did done i me my mine you your yours we us our
    he him his she her hers it its they them their theirs this that these those to of in on at for with
    about from by and or but so if then than just really actually basically um uh umm hmm er
    like okay ok hey alexa
    please know gonna going wanna want gotta would could should can will shall may might must there here
    any anything some something thing things stuff also too very much get gets got getting have has had
    having im ive id youre hes shes theyre thats whats dont doesnt didnt isnt arent wont cant
    mom mum mother dad father husband wife son daughter partner brother sister friend grandma
    grandmother grandpa grandfather aunt uncle boyfriend girlfriend patient person wondering wonder
    grandson granddaughter grandchild grandkid nephew niece cousin neighbor neighbour coworker spouse
    fiance fiancee roommate stepson stepdaughter stepmom stepdad boy boys girl girls lad lass
    hubby wifey missus mommy daddy mama papa nan nana granny grandad
    quick question well yeah yes no oh hi hello today tomorrow yesterday monday tuesday wednesday
    thursday friday saturday sunday morning tonight week weeks month months day days again
    receive receives received receiving woman women lady ladies men people peoples folks adult adults""".split()
)


# Everyday words that name no subject: unknown to the topics, yet no sign of another subject either.
GENERIC_WORDS = frozenset(
    """use used using allow allowed let make made take took give gave go goes went gone come came put
    keep kept stay stayed say said says ask asked think thought look looks seem seems find found mean
    try tried stop stopped need needed help work happen happened change changed affect affects cause
    become leave left show turn hang hanging wait waiting sit sitting lie lying talk talking hear heard
    read watch listen bring carry wear run running feel felt seem fine alright right wrong sure true
    real main big small little such deal whole new old first last next same other another own only even
    still already ever never always often usually sometimes maybe probably possibly perhaps exactly
    basically generally especially totally pretty quite kind sort type way lot lots bit part time times
    heck hell gosh geez gee wow man guys job reason question answer idea fact matter place point case
    everyone anyone everybody anybody nothing nobody everything something someone somebody whatever
    anyway anyhow anymore couple busy best along properly proper mess messed better worse fewer less
    out up down drop drops dropped spike mention mentioned order ordered
    able allowed supposed okay lately recently soon now currently start started starting finish finished
    done while since until because though although however also either neither each every both all
    more most less least few many much several enough very too really completely fully entirely
    absolutely definitely certainly chair chairs seat recliner bed set aside plan planning block
    taken given gotten eaten seen shown known understand understood confused sure
    considered consider regarded deemed classed classified counted
    kid kids child children
    honestly honest frankly curious whether around brought business dear fellow young
    associated association linked recommended recommend clinical without pounding
    age aged elderly senior seniors older year years two three four five six seven eight nine ten
    twenty thirty forty fifty sixty seventy eighty ninety hundred frail elder
    roughly approximately about around nearly almost exact precisely""".split()
)


# Words the suffix stripper must leave alone ("hives" is not "hiv").
UNSTEMMED = frozenset({"hives", "aids", "diabetes", "herpes", "measles", "shingles", "news", "always", "perhaps"})
LONGEST_LAY_TERM = 6  # words


def _stem(word: str) -> str:
    """A light suffix stripper: enough to meet "infusions"/"infusing"/"infuse" at one stem."""
    if len(word) <= 3 or word.isdigit() or word in UNSTEMMED:
        return word
    if word.endswith("ies") and len(word) > 4:
        word = word[:-3] + "y"
    elif word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    if word.endswith("ing") and len(word) > 5:
        word = word[:-3]
    elif word.endswith("ed") and len(word) > 4:
        word = word[:-2]
    if len(word) > 3 and word[-1] == word[-2] and word[-1] not in "lsz":
        word = word[:-1]
    if word.endswith("e") and len(word) > 3:
        word = word[:-1]
    return word


def _stems(words: list[str] | tuple[str, ...]) -> tuple[str, ...]:
    return tuple(map(_stem, words))


@functools.cache
def _generic_stems() -> frozenset[str]:
    return frozenset(map(_stem, GENERIC_WORDS - LAY_TERMS.keys()))


@functools.cache
def _lay_terms() -> dict[tuple[str, ...], tuple[str, ...]]:
    """Stemmed lay phrase -> the article's term(s); so "throwing up" and "threw up" both count."""
    lookup: dict[tuple[str, ...], tuple[str, ...]] = {}
    for canonical, phrases in LAY_TERMS.items():
        for phrase in (canonical, *phrases) if canonical and " " not in canonical else phrases:
            key, meaning = _stems(phrase.split()), tuple(canonical.split())
            if len(key) > LONGEST_LAY_TERM:
                raise ValueError(f"lay term {phrase!r} is longer than {LONGEST_LAY_TERM} words")
            if lookup.setdefault(key, meaning) != meaning:
                raise ValueError(f"lay term {phrase!r} would mean both {lookup[key]} and {meaning}")
    return lookup


def terms(normalised: str) -> list[str]:
    """The stemmed content terms of a normalised text, lay words replaced by the article's."""
    lookup = _lay_terms()
    words = normalised.split()
    stems = _stems(words)
    out: list[str] = []
    i = 0
    while i < len(words):
        for n in range(min(LONGEST_LAY_TERM, len(words) - i), 0, -1):
            canonical = lookup.get(stems[i : i + n])
            if canonical is not None:
                out.extend(canonical)
                i += n
                break
        else:
            if not _is_stopword(words[i]):
                out.append(stems[i])
            i += 1
    return out


def _is_stopword(word: str) -> bool:
    """A stopword, its possessive as a speech recogniser writes it ("moms", "husbands"), or another
    form of one ("wanted", "wondered")."""
    return word in STOPWORDS or (word.endswith("s") and word[:-1] in STOPWORDS) or (
        _stem(word) != word and _stem(word) in _stopword_stems()
    )


@functools.cache
def _stopword_stems() -> frozenset[str]:
    return frozenset(_stem(w) for w in STOPWORDS if len(w) > 3 and _stem(w) not in STOPWORDS_KEPT_STEMS)


STOPWORDS_KEPT_STEMS = frozenset({"what"})  # "whats" is a stopword, "what" asks something


# --- 4. the index ---------------------------------------------------------------------------

# Ranking blends two BM25 views (measured on the dev set and our own paraphrases, see
# benchmarks/bench_answers.py): one document per topic gathers all its evidence, one document per
# phrasing finds the nearest thing someone has said. The nearest phrasing carries more weight.
TOPIC_WEIGHT = 0.3


@dataclass(frozen=True)
class _Index:
    topic_ids: tuple[str, ...]
    by_topic: bm25s.BM25  # one document per topic: its phrasings, title and answer
    by_phrasing: bm25s.BM25  # one document per phrasing and per answer sentence
    owner: np.ndarray  # the topic (position in topic_ids) of each by_phrasing document
    topic_terms: tuple[frozenset[str], ...]  # the terms of each topic's document
    idf: dict[str, float]  # how rare each term is across the topics
    rarest: float  # the largest idf: what an unknown word weighs
    vocabulary: frozenset[str]  # every term of the topics and the article


def _bm25(corpus: list[list[str]]) -> bm25s.BM25:
    model = bm25s.BM25()
    model.index(corpus, show_progress=False)
    return model


@functools.cache
def _index() -> _Index:
    topic_ids, topic_docs, phrasing_docs, owner = [], [], [], []
    for position, topic in enumerate(knowledge.topics().values()):
        topic_ids.append(topic.id)
        topic_docs.append(terms(normalise(" ".join((*topic.phrasings, topic.title, topic.answer)))))
        for text in (*topic.phrasings, *re.split(r"(?<=[.?!])\s+", topic.answer)):
            phrasing_docs.append(terms(normalise(text)))
            owner.append(position)
    topic_terms = tuple(map(frozenset, topic_docs))
    known = set(chain.from_iterable(topic_docs))
    known.update(terms(normalise(knowledge.article_text())))
    count = len(topic_docs)
    idf = {t: math.log(1 + (count + 0.5) / (0.5 + sum(t in d for d in topic_terms))) for t in known}
    return _Index(
        tuple(topic_ids),
        _bm25(topic_docs),
        _bm25(phrasing_docs),
        np.array(owner),
        topic_terms,
        idf,
        max(idf.values()),
        frozenset(known),
    )


def _scaled(scores: np.ndarray) -> np.ndarray:
    """Scores divided by the best one, but never scaled up: a weak best stays weak."""
    return scores / max(float(scores.max()), 1.0)


def _topic_scores(index: _Index, query: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """(blended score per topic in 0..1, raw per-topic BM25) for known query terms."""
    whole = index.by_topic.get_scores(query)
    nearest = np.zeros(len(index.topic_ids))
    np.maximum.at(nearest, index.owner, index.by_phrasing.get_scores(query))
    blended = TOPIC_WEIGHT * _scaled(whole) + (1 - TOPIC_WEIGHT) * _scaled(nearest)
    return np.clip(blended, 0.0, 1.0), whole  # clip: float32 rounding may pass 1.0


def rank(text: str) -> list[tuple[str, float]]:
    """Every topic with its blended score, best first (for the benchmark and for debugging)."""
    index = _index()
    query = [t for t in terms(normalise(text)) if t in index.vocabulary]
    if not query:
        return [(tid, 0.0) for tid in index.topic_ids]
    blended, _ = _topic_scores(index, query)
    return [(index.topic_ids[i], float(blended[i])) for i in np.argsort(-blended, kind="stable")]


# --- 5. the decision ------------------------------------------------------------------------

# A question about a side effect that asks whether to contact someone ("should i report a mild
# headache", "do i ring the nurse if i get a rash"), or whether the dose or speed can change
# ("can they run it slower if i feel bad"), is answered by `when_to_call`: the article's answer to
# any side effect is to tell the provider, who may adjust the dose or how fast it flows.
_CONTACT = re.compile(
    r"\b(?:call|calling|phone|phoning|ring|contact|contacting|notify|report|reporting|mention|inform|"
    r"tell (?:my|the|your|a|his|her|our|their) (?:doctor|doctors|provider|nurse|nurses|care team|team|physician|"
    r"specialist|clinic|gp)|tell (?:someone|somebody|anyone)|let (?:\w+ ){1,2}know|"
    r"see (?:my|a|the|your|his|her) (?:doctor|provider|nurse|physician|specialist)|"
    r"what (?:should|do|can|would) (?:i|we|he|she|they) do (?:if|when|about))\b"
)
_SIDE_EFFECT_TOPICS = frozenset({"side_effects", "side_effects_mild", "side_effects_severe", "side_effect_timing"})
_ADJUSTMENTS = frozenset({"speed", "dose"})

# Words that show the question is about the treatment itself, not only near it.
ANCHORS = frozenset({"ivig", "infusion", "treatment", "antibody", "donor", "sideeffect", "transfusion", "risk",
                     "session", "appointment", "needle", "vein", "immune", "immunodeficiency",
                     "dose"})  # amounts of a dose are declined before this; changes to it are `when_to_call`
# The best topic must explain this share of the question (its words weighted by rarity); an
# unknown word weighs as much as the rarest known one. Below it, the question is about
# something the topic only brushes against: "can i eat sushi after ivig".
MIN_COVERAGE = 0.45
# Without an anchor, every word must be known, one must be more than an everyday word ("stop"),
# and the best topic's BM25 must reach this.
MIN_SCORE_UNANCHORED = 1.0
# Topics that name every case they answer (the article's list of conditions and treatments): a
# word the skill has never seen, in a question that lands there, is a case the article does not
# list ("can ivig treat arthritis").
CLOSED_LISTS = frozenset({"conditions"})
# A comparison names what IVIG is likened to; the article likens it only to a blood transfusion.
# A word the skill has never seen in a comparison is something the article never compares it with
# ("is ivig the same as a blood thinner").
_COMPARISON = re.compile(r"\b(?:same as|same thing as|like an?|similar to|different from|different than|"
                         r"difference between|differ from|versus|vs|compared to|compared with|better than|"
                         r"worse than|instead of|kind of like|type of)\b")


# Where a long question turns from its story to what it asks: "my doctor wants me on ivig for my
# cidp and i was wondering | how long each session lasts". What follows is matched on its own, with
# the treatment words of the story carried over ("no idea what it even is" asks what IVIG is).
_QUESTION_CUE = re.compile(
    r"\b(?:(?:(?:i was|i am|im|i|was|am) )?(?:just |really |also )?(?:wondering|wonder|curious)|"
    r"i (?:wanted|want|would like|need|needed) to (?:know|ask)|id like to (?:know|ask)|"
    r"(?:can|could|would|will) you (?:please )?(?:tell|explain to) me|please (?:tell|explain to) me|"
    r"(?:i (?:honestly |really )?(?:have|got) )?no idea|(?:im|i am) (?:not sure|unsure)|"
    r"i (?:honestly |really )?dont (?:know|understand|get)|my question is)\b(?: (?:if|whether|about))?"
)
# A subject mentioned in the story that the question after it may set aside: a condition the article
# does not list is a reason for the treatment, not what is asked ("for my cidp ... how long").
_STORY_SUBJECTS = frozenset({"conditions the article does not discuss"})
_STORY_ANCHORS = ANCHORS | {"pregnant"}


def _story_and_question(normalised: str) -> tuple[str, str] | None:
    cues = list(_QUESTION_CUE.finditer(normalised))
    if not cues:
        return None
    story, question = normalised[: cues[-1].start()].strip(), normalised[cues[-1].end() :].strip()
    if len(story.split()) < 3 or len(question.split()) < 2:
        return None
    return story, question


def match(text: str) -> Match:
    """The topic that answers `text`, or "out_of_scope". Never raises for any string."""
    normalised = normalise(text[:MAX_CHARS] if isinstance(text, str) else "")
    parts = _story_and_question(normalised) if normalised else None
    if parts and not uncovered_question(normalised) and subject_families(normalised) <= _STORY_SUBJECTS:
        story, question = parts
        carried = [t for t in dict.fromkeys(terms(story)) if t in _STORY_ANCHORS and t not in terms(question)]
        asked = _match_normalised(" ".join([question, *carried]))
        if asked.topic != OUT_OF_SCOPE:
            return asked
    return _match_normalised(normalised)


def _match_normalised(normalised: str) -> Match:
    if not normalised or out_of_scope_subject(normalised):
        return Match(OUT_OF_SCOPE, 0.0)
    index = _index()
    query = terms(normalised)
    known = [t for t in query if t in index.vocabulary]
    unknown = [t for t in query if t not in index.vocabulary and t not in _generic_stems()]
    if not known:
        return Match(OUT_OF_SCOPE, 0.0)
    blended, whole = _topic_scores(index, known)
    best = int(np.argmax(blended))
    score = float(blended[best])
    anchored = not ANCHORS.isdisjoint(known)
    everyday_only = all(t in _generic_stems() for t in known)
    if (
        _coverage(index, best, known, unknown) < MIN_COVERAGE
        or (not anchored and (unknown or everyday_only or whole[best] < MIN_SCORE_UNANCHORED))
        or (unknown and (index.topic_ids[best] in CLOSED_LISTS or _COMPARISON.search(normalised)))
    ):
        return Match(OUT_OF_SCOPE, score)
    if index.topic_ids[best] in _SIDE_EFFECT_TOPICS and (
        _CONTACT.search(normalised) or not _ADJUSTMENTS.isdisjoint(known)
    ):
        return Match("when_to_call", score)
    return Match(index.topic_ids[best], score)


def _coverage(index: _Index, topic: int, known: list[str], unknown: list[str]) -> float:
    """The rarity-weighted share of the question's words that the topic's own words contain."""
    weight, own = index.idf, index.topic_terms[topic]
    covered = sum(weight[t] for t in known if t in own)
    # An everyday word counts when the topic has it, and is no evidence against it otherwise.
    missed = sum(weight[t] for t in known if t not in own and t not in _generic_stems())
    total = covered + missed + len(unknown) * index.rarest
    return covered / total if total else 0.0
