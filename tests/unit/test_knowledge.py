"""The content the skill speaks: complete, well formed, and true to the article."""

from __future__ import annotations

import re
import tomllib
from datetime import date
from pathlib import Path

import pytest

from skill import knowledge, models
from skill.knowledge import ContentError, Section

TOPICS_MD = Path(__file__).resolve().parents[3] / "shared" / "spec" / "topics.md"
TOPICS_TOML = knowledge.CONTENT_DIR / "topics.toml"

# --- the article checker: every sentence we say must be the article's, in its words -----------

# Words an answer may use that the article does not: joining words and plain labels, no facts.
PARAPHRASE_WORDS = frozenset({"which", "so", "also", "called", "article", "lists", "the", "and", "or", "but"})
# Words that carry no fact: they do not count towards a sentence's overlap with the article.
FUNCTION_WORDS = frozenset(
    """a an the and or but so of to in on at for with by from as is are be can may might will it its it's
    that this these those you your you'll you're they they'll their them if when do does also which
    called some any more most""".split()
)
NEGATIONS = re.compile(r"\b(?:no|not|never|don't|doesn't|isn't|aren't|can't|won't|shouldn't|without)\b")
MIN_OVERLAP = 0.75


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9%']+", text.lower().replace("\u2019", "'"))


def _content(text: str) -> set[str]:
    return {w for w in _words(text) if w not in FUNCTION_WORDS}


def _sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.?!:])\s+|\n+", text) if s.strip()]


def _article_windows() -> list[str]:
    """Pairs of neighbouring article sentences (a list counts whole), within one article block."""
    windows = []
    for block in re.split(r"\n\s*\n", knowledge.article_text()):
        lines = block.splitlines()
        sentences = _sentences(block) if len(lines) == 1 else [" ".join(lines)]
        windows += [" ".join(sentences[i : i + 2]) for i in range(len(sentences))]
    # A list's lead-in sentence stands in the block before it.
    blocks = re.split(r"\n\s*\n", knowledge.article_text())
    windows += [f"{a} {b}" for a, b in zip(blocks, blocks[1:]) if "\n" in b]
    return windows


def unsupported(sentence: str) -> str | None:
    """Why `sentence` is not supported by the article, or None when it is."""
    article_words = set(_words(knowledge.article_text()))
    stray = [w for w in _words(sentence) if w not in article_words and w not in PARAPHRASE_WORDS]
    if stray:
        return f"words not in the article: {stray}"
    content = _content(sentence)
    best_overlap, best_window = 0.0, ""
    for window in _article_windows():
        overlap = len(content & _content(window)) / len(content) if content else 1.0
        if overlap > best_overlap:
            best_overlap, best_window = overlap, window
    if best_overlap < MIN_OVERLAP:
        return f"no article passage says this (best overlap {best_overlap:.0%})"
    if NEGATIONS.search(sentence.lower()) and not NEGATIONS.search(best_window.lower()):
        return f"negated, but the article passage is not: {best_window!r}"
    return None


def _spoken_sentences() -> list:
    return [
        pytest.param(sentence, id=f"{topic.id}.{field}:{sentence[:40]}")
        for topic in knowledge.topics().values()
        for field in ("answer", "more")
        for sentence in _sentences(getattr(topic, field))
    ]


@pytest.mark.parametrize("sentence", _spoken_sentences())
def test_every_sentence_we_say_is_in_the_article(sentence):
    assert unsupported(sentence) is None, unsupported(sentence)


@pytest.mark.parametrize(
    "invented",
    [
        "IVIG costs $10,000 per infusion.",
        "You can take IVIG with alcohol.",
        "Most people need IVIG every day for a year.",
        "Experts estimate that fewer than 50% of people experience moderate or severe side effects.",
        "IVIG is not safe for pregnant women.",
        "IVIG cures immunodeficiency disorders.",
        "Gammagard is a brand of IVIG.",
        "Mild side effects might include hair loss.",
    ],
)
def test_the_checker_catches_invented_facts(invented):
    assert unsupported(invented) is not None


# --- the loaded content -------------------------------------------------------------------


def test_topics_are_the_spec_ids_in_order():
    assert tuple(knowledge.topics()) == knowledge.TOPIC_IDS


@pytest.mark.skipif(not TOPICS_MD.exists(), reason="../shared/spec/topics.md is not beside the checkout")
def test_topic_ids_follow_the_spec_table():
    in_spec = re.findall(r"^\| `([a-z_]+)` \|", TOPICS_MD.read_text(encoding="utf-8"), flags=re.M)
    assert tuple(in_spec) == (*knowledge.TOPIC_IDS, knowledge.OUT_OF_SCOPE)


@pytest.mark.parametrize("topic", knowledge.TOPIC_IDS)
def test_each_topic_is_complete_and_speakable(topic):
    t = knowledge.topics()[topic]
    assert t.id == topic and t.title and t.answer
    assert 1 <= len(_sentences(t.answer)) <= 3
    assert t.related in knowledge.topics() and t.related != topic
    assert t.section in {s.title for s in knowledge.article_sections()}
    for text in (t.answer, t.more, t.title):
        assert not re.search(r"[<>{}\[\]#*_$&@/\\|~^=+]|https?:|www\.", text), text
    assert "ivig" not in re.sub(r"\bIVIG\b", "", t.answer + t.more).lower()  # always written IVIG


def test_intents_are_unique():
    intents = [t.intent for t in knowledge.topics().values() if t.intent]
    assert len(intents) == len(set(intents)) and all(i.endswith("Intent") for i in intents)


def test_every_topic_has_its_own_alexa_intent():
    # Without one, a question said without a carrier phrase ("when do side effects start") has no
    # intent to reach on a device: AskQuestionIntent needs "tell me ...", "i want to know ...".
    missing = [t.id for t in knowledge.topics().values() if not t.intent]
    assert not missing, f"topics without an intent: {missing}"


# What people say to a speaker, without a carrier phrase and often without "ivig": each must be a
# sample of its topic's intent, so Alexa sends that intent.
COMMON_QUESTIONS = {
    "what exactly is ivig": "what_is_ivig",
    "what is an immunodeficiency": "immunodeficiency",
    "what is it used for": "conditions",
    "how does it work": "how_it_works",
    "how do i prepare": "preparation",
    "what happens during the infusion": "procedure",
    "how long does it take": "duration",
    "does it work": "benefits",
    "is it safe during pregnancy": "pregnancy",
    "is it dangerous": "risk",
    "is ivig safe": "risk",
    "what are the side effects": "side_effects",
    "what are common side effects": "side_effects_mild",
    "what are the serious side effects": "side_effects_severe",
    "when do side effects start": "side_effect_timing",
    "how many infusions": "treatment_course",
    "when should i call my doctor": "when_to_call",
    "will i still get sick": "outlook",
}


@pytest.mark.parametrize(("question", "topic"), COMMON_QUESTIONS.items())
def test_common_questions_are_samples_of_their_topic_intent(question, topic):
    assert question in models.topic_samples(topic)


def _report_carriers() -> list[str]:
    """The words before the slot in each ReportSymptomIntent sample ("i have ", "my ")."""
    samples = models.model_source()["intents"]["ReportSymptomIntent"]["samples"]
    return sorted({s.split("{")[0] for s in samples if s.split("{")[0].strip()}, key=len, reverse=True)


SIDE_EFFECT_TOPICS = ("side_effects", "side_effects_mild", "side_effects_severe", "side_effect_timing", "when_to_call")


@pytest.mark.parametrize("topic", SIDE_EFFECT_TOPICS)
def test_side_effect_questions_are_not_worded_as_symptom_reports(topic):
    # "i feel nauseous after my infusion is that normal" as a topic sample would pull real symptom
    # reports ("i feel {description}") away from the symptom check: ask about IVIG instead.
    carriers = _report_carriers()
    worded = [p for p in models.topic_samples(topic) if any(p.startswith(c) for c in carriers)]
    assert not worded, worded


def test_source_and_decline():
    src = knowledge.source()
    assert src.title == "IVIG (Intravenous Immunoglobulin): Treatment & Side Effects"
    assert src.publisher == "Cleveland Clinic Health Library"
    assert src.reviewed == date(2024, 10, 2)
    assert "Cleveland Clinic" in src.spoken and "2024" in src.spoken
    decline = knowledge.out_of_scope_text()
    assert decline.startswith("I don't have information on that") and "provider" in decline


def test_article_sections_split_at_level_two_headings():
    sections = knowledge.article_sections()
    assert [s.title for s in sections] == [
        "Introduction",
        "Overview",
        "Treatment Details",
        "Risks / Benefits",
        "Recovery and Outlook",
        "When To Call the Doctor",
        "A note from Cleveland Clinic",
    ]
    assert sections[0].text.startswith("Intravenous immunoglobulin (IVIG) is a dose of donated")
    for section in sections:
        assert isinstance(section, Section)
        assert not re.search(r"^(?:#|- )", section.text, flags=re.M)  # plain text, no markdown
    assert "Mild side effects can be more common" in sections[3].text
    assert "Nausea and vomiting." in sections[3].text.splitlines()


def test_article_text_is_the_body_without_capture_notes():
    text = knowledge.article_text()
    assert "Captured text" not in text and "Source:" not in text and "#" not in text
    assert "fewer than 5% of people" in text
    assert text.rstrip().endswith("reduce stress on your body.")


def test_loading_is_cached():
    assert knowledge.topics() is knowledge.topics()
    assert knowledge.article_sections() is knowledge.article_sections()


# --- validation errors --------------------------------------------------------------------


def _valid() -> dict:
    return tomllib.loads(TOPICS_TOML.read_text(encoding="utf-8"))


def _broken(change) -> dict:
    data = _valid()
    change(data)
    return data


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["topics"]["risk"].update(colour="red"), r"topic 'risk': unknown key\(s\) \['colour'\]"),
        (lambda d: d["topics"]["risk"].pop("answer"), r"topic 'risk': missing key\(s\) \['answer'\]"),
        (lambda d: d["topics"]["risk"].update(related="cost"), r"topic 'risk': related 'cost'"),
        (lambda d: d["topics"]["risk"].update(related="risk"), r"topic 'risk': related 'risk'"),
        (lambda d: d["topics"]["risk"].update(section="Costs"), r"section 'Costs' is not an article heading"),
        (lambda d: d["topics"]["risk"].update(intent="risk intent"), r"intent 'risk intent'"),
        (
            lambda d: d["topics"]["risk"].update(intent=d["topics"]["duration"]["intent"]),
            r"intent 'InfusionLengthIntent' is used by both",
        ),
        (lambda d: d["topics"]["risk"].update(answer="See <b>this</b>."), r"'answer' may hold only words"),
        (lambda d: d["topics"]["risk"].update(answer="One. Two. Three. Four."), r"one to three sentences"),
        (lambda d: d["topics"].pop("outlook"), r"topics missing \['outlook'\]"),
        (lambda d: d["topics"].update(cost=dict(d["topics"]["risk"])), r"unknown \['cost'\]"),
        (lambda d: d["source"].update(reviewed="2024-10-02"), r"'reviewed' must be a date"),
        (lambda d: d.pop("out_of_scope"), r"missing key\(s\) \['out_of_scope'\]"),
        (lambda d: d.update(extra={}), r"unknown key\(s\) \['extra'\]"),
    ],
)
def test_content_mistakes_are_named(change, message):
    with pytest.raises(ContentError, match=message):
        knowledge.parse_content(_broken(change), knowledge.article_sections())


def test_the_shipped_file_validates():
    content = knowledge.load_content(TOPICS_TOML, knowledge.article_sections())
    assert tuple(content.topics) == knowledge.TOPIC_IDS


def test_bad_toml_is_a_content_error(tmp_path):
    broken = tmp_path / "topics.toml"
    broken.write_text("[topics\n", encoding="utf-8")
    with pytest.raises(ContentError, match="topics.toml: not valid TOML"):
        knowledge.load_content(broken, knowledge.article_sections())


# --- the question corpus and the matcher's data ----------------------------------------------


def test_the_corpus_has_enough_questions_for_every_topic_and_for_declining():
    corpus = knowledge.question_corpus()
    assert {tid: len(lines) for tid, lines in corpus.items() if tid != knowledge.OUT_OF_SCOPE and len(lines) < 100} == {}
    assert len(corpus[knowledge.OUT_OF_SCOPE]) >= 600


@pytest.mark.parametrize(("line", "message"), [
    ("Is IVIG safe?", "must be lowercase words"),
    ("is it  safe", "must be lowercase words"),
    ("what exactly is ivig", "is also under 'what_is_ivig'"),
])
def test_corpus_mistakes_are_named(tmp_path, line, message):
    for path in knowledge.QUESTIONS_DIR.glob("*.txt"):
        (tmp_path / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    with (tmp_path / "risk.txt").open("a", encoding="utf-8") as risk:
        risk.write(line + "\n")
    with pytest.raises(ContentError, match=message):
        knowledge.question_corpus.__wrapped__(tmp_path)


def test_matching_data_is_written_as_the_matcher_reads_words():
    matching = knowledge.matching()
    assert matching.spoken_forms["ivy g"] == "ivig"
    assert any(s.along for s in matching.declined) and all(s.phrases for s in matching.declined)
