"""The shared learned engine: features, plain-data storage, bounded reading."""

from __future__ import annotations

import numpy as np
import pytest

from skill import learned, training
from skill.learned import LinearModel


def test_words_and_characters_never_share_a_feature():
    words, chars = learned.features("ab abc")
    assert "ab" in words and all(name.startswith("~") for name in chars)
    assert not set(words) & set(chars)


def test_plain_words_are_bounded_and_spelled_letters_joined():
    assert learned.plain_words("What's I.V.I.G. — for?", 600) == "whats ivig for"
    assert learned.plain_words("Ça va, Dünya?", 600) == "ca va dunya"
    assert learned.plain_words("trouble with a i v", 600) == "trouble with a iv"  # "a" is the article
    assert learned.plain_words("a i", 600) == "a i"
    assert learned.plain_words("is the i.v.i.g. a danger", 600) == "is the ivig a danger"  # and after
    assert learned.plain_words("is it from h i v i wonder", 600) == "is it from hiv i wonder"
    assert len(learned.plain_words("word " * 100_000, 600)) <= 600


@pytest.fixture(scope="module")
def tiny():
    texts = ["how long does it take", "how long is the drip", "what does it cost", "is it expensive",
             "how long will i be there", "what is the price"] * 2
    labels = ["duration", "duration", "cost", "cost", "duration", "cost"] * 2
    return training.train_softmax(texts, labels, {"max_chars": 600, "threshold": 0.0, "margin": 1.0}, 10.0)


def test_a_trained_model_learns_and_reads_back_from_plain_arrays(tiny, tmp_path):
    assert tiny.classes[int(np.argmax(tiny.probabilities("how long does the drip take")))] == "duration"
    path = tmp_path / "model.npz"
    tiny.save(path)
    with np.load(path, allow_pickle=False) as data:  # no pickles anywhere in the file
        assert set(data.files) == {"meta", "classes", "vocabulary", "idf", "coef", "intercept"}
    loaded = LinearModel.load(path)
    for text in ("what does the drip cost", "", "zzz"):
        assert np.allclose(loaded.probabilities(text), tiny.probabilities(text), atol=1e-6)
    assert loaded.settings == tiny.settings and loaded.classes == tiny.classes


def test_training_is_deterministic(tiny):
    again = training.train_softmax(["how long does it take", "how long is the drip", "what does it cost",
                                    "is it expensive", "how long will i be there", "what is the price"] * 2,
                                   ["duration", "duration", "cost", "cost", "duration", "cost"] * 2,
                                   dict(tiny.settings), 10.0)
    assert np.array_equal(again.coef, tiny.coef)


def test_a_model_of_another_format_is_refused_with_what_to_do(tiny, tmp_path, monkeypatch):
    path = tmp_path / "old.npz"
    monkeypatch.setattr(learned, "FORMAT", 0)
    tiny.save(path)
    monkeypatch.setattr(learned, "FORMAT", 1)
    with pytest.raises(ValueError, match="build-models"):
        LinearModel.load(path)


def test_reading_is_linear_in_the_text(tiny):
    # The vector of a long text has no more entries than its features: no pairwise work.
    columns, _ = tiny.vectoriser.transform(" ".join(["how long"] * 5000))
    assert len(columns) <= len(tiny.vectoriser.vocabulary)


def _numpy_reading(model: LinearModel, words: str) -> np.ndarray:
    """How the models were read with numpy before (float32 vectors, one matrix product)."""
    columns, values = model.vectoriser.transform(words)
    coef = np.asarray(model.coef, dtype=np.float32).reshape(len(model.vectoriser.vocabulary), len(model.classes))
    intercept = np.asarray(model.intercept, dtype=np.float32)
    scores = values @ coef[columns] + intercept if len(columns) else intercept.copy()
    if model.kind == "softmax":
        scores = np.exp(scores - scores.max())
        return scores / scores.sum()
    return 1.0 / (1.0 + np.exp(-scores))


def test_the_stored_models_read_without_numpy_as_numpy_reads_them_on_every_corpus_line():
    from skill import answers, hearing

    questions = answers.model()
    texts, _ = answers.training_data()
    for words in texts:
        ours, numpys = questions.probabilities(words), _numpy_reading(questions, words)
        assert np.allclose(ours, numpys, atol=1e-5), words
        assert answers.decide(ours, questions.classes, questions.settings) == \
            answers.decide(numpys, questions.classes, questions.settings), words
    symptoms = hearing.model()
    symptom_texts, _, _ = hearing.training_data()
    for words in symptom_texts:
        assert np.allclose(symptoms.probabilities(words), _numpy_reading(symptoms, words), atol=1e-5), words


def test_features_said_more_than_once_read_as_numpy_reads_them(tiny, tmp_path):
    # A text's character block is summed word by word, then corrected for the features the text
    # holds more than once: a word said again, words sharing n-grams, a gram twice in one word.
    path = tmp_path / "model.npz"
    tiny.save(path)
    loaded = LinearModel.load(path)
    for words in ("how long how long how long", "long longer longest", "drip drip drip drip drip drip",
                  "lolololol price", "zzz how", "the the the the the the the the the the the the the the"):
        for _ in range(2):  # read once, then again from the words already worked out
            assert np.allclose(loaded.probabilities(words), _numpy_reading(loaded, words), atol=1e-6), words


def test_a_loaded_model_holds_no_numpy_arrays(tiny, tmp_path):
    path = tmp_path / "model.npz"
    tiny.save(path)
    loaded = LinearModel.load(path)
    held = (loaded.coef, loaded.intercept, loaded.vectoriser.idf, loaded.probabilities("how long"))
    assert not any(type(value).__module__.startswith("numpy") for value in held)
