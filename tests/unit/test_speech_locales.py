"""Emergency advice the local way: the place and the number as people there say them, from
content/locales.toml (speech.py reads it; prompts.toml has {emergency_place} and {emergency_number})."""

from __future__ import annotations

import pytest

from skill import speech

LOCAL = [
    ("en-US", "911", "nine one one", "an emergency room"),
    ("en-CA", "911", "nine one one", "emergency"),
    ("en-GB", "999", "nine nine nine", "A&E"),
    ("en-AU", "000", "triple zero", "the emergency department"),
    ("en-IN", "112", "one one two", "casualty"),
]


@pytest.mark.parametrize("locale, number, said, place", LOCAL)
def test_emergency_advice_names_the_local_place_and_number(locale, number, said, place):
    advice = speech.prompt("advice.emergency", locale=locale)
    assert f"Call {number} now" in advice and f"take you to {place}." in advice


@pytest.mark.parametrize("locale, number, said, place", LOCAL)
def test_the_number_is_read_out_as_people_there_say_it(locale, number, said, place):
    ssml = speech.to_ssml(speech.prompt("advice.emergency", locale=locale))
    assert f'<sub alias="{said}">{number}</sub>' in ssml


def test_triple_zero_is_never_read_as_zero_zero_zero_and_a_and_e_is_said_as_letters():
    assert '<sub alias="triple zero">000</sub>' in speech.to_ssml("Call 000 now.")
    assert '<sub alias="A and E">A&amp;E</sub>' in speech.to_ssml("Go to A&E.")
    assert "digits" not in speech.to_ssml("Call 000 now.")


@pytest.mark.parametrize("text", ["It costs 10,000 dollars.", "Call 9111 or 1120.", "about 000.5 of them"])
def test_numbers_that_only_contain_an_emergency_number_are_left_alone(text):
    assert "<sub" not in speech.to_ssml(text)


def test_an_unknown_locale_gets_the_us_number_and_place():
    assert speech.emergency_number("fr-FR") == "911" and speech.emergency_place(None) == "an emergency room"


def test_every_supported_locale_has_a_number_a_spoken_number_and_a_place():
    for locale, row in speech.locale_table().items():
        assert row["emergency_number"] and row["emergency_number_said"] and row["emergency_place"], locale
    assert set(speech.SUPPORTED_LOCALES) == {"en-US", "en-CA", "en-GB", "en-AU", "en-IN"}
