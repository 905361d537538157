"""Places the words around them name (no spaCy): countries, towns after a cue, towns in capitals, a postcode
next to its town; and the words, acronyms and UK names that must stay."""
from __future__ import annotations

import pytest

from summariser.privacy.places import COUNTRIES, PlaceRecogniser

WORDS = frozenset({"section", "march", "urgent", "review", "person", "court", "team", "housing"})
RECOGNISER = PlaceRecogniser(WORDS)


def found(text: str) -> set[tuple[str, str]]:
    return {(r.entity_type, text[r.start:r.end]) for r in RECOGNISER.analyze(text, [])}


@pytest.mark.parametrize("text,entity,value", [
    ("She moved here from Poland in 2015.", "LOCATION", "Poland"),
    ("Delivered to NEW ZEALAND.", "LOCATION", "NEW ZEALAND"),
    ("We moved here from Cyprus (Greek)", "LOCATION", "Cyprus (Greek)"),
    ("Mr. Leiva flew to LEPPEN on Tuesday morning.", "LOCATION", "LEPPEN"),
    ("I'm Naomi Ryan, originally from Leeds, and I'm 31.", "LOCATION", "Leeds"),
    ("Patient 943 476 5919 was discharged to Cardiff.", "LOCATION", "Cardiff"),
    ("Terence was born on 19.5.1949 in Wrexham.", "LOCATION", "Wrexham"),
    ("She lives in Villafranca del Cid. It was", "LOCATION", "Villafranca del Cid"),
    ("Celebrating its 10th year in STAVANGER, the charity", "LOCATION", "STAVANGER"),
    ("Maha Cazares\n\nChiclana de la Frontera\nSpain", "LOCATION", "Chiclana de la Frontera"),
    ("Looking to support Factset in Bjert 6091 in its mission", "POSTAL_CODE", "6091"),
    ("Looking to support Factset in Bjert 6091 in its mission", "LOCATION", "Bjert"),
    ("MysticWeb in Quinta de São Tiago 3610-114 in its mission", "POSTAL_CODE", "3610-114"),
], ids=["country", "country-in-capitals", "qualified-country", "capitals-after-cue", "originally-from",
        "discharged-to", "born-on-a-date-in", "particles", "capitals-after-in", "town-then-country",
        "postcode-after-town", "town-before-postcode", "portuguese-postcode"])
def test_places_are_found(text, entity, value):
    assert (entity, value) in found(text)


@pytest.mark.parametrize("text", [
    "Habitual residence in the UK and in Great Britain was accepted; she has lived in England since 2019.",
    "The turkey and the china were in the kitchen.",
    "Referred to CAMHS and MARAC; NOTE sent to HMRC; agreed in PERSON, flagged URGENT to REVIEW.",
    "A Section 1234 notice was served in March 2025; Court 12 is booked.",
    "He was born in March 1990 and moved to the area in May.",
], ids=["the-uk-stays", "common-words", "acronyms-and-shouting", "dictionary-before-numbers", "months"])
def test_what_is_no_place_stays(text):
    assert found(text) == set()


def test_the_country_list_ships_with_the_module_and_holds_the_usual_names():
    assert {"Poland", "Nigeria", "United Kingdom", "New Zealand", "Côte d'Ivoire"} <= set(COUNTRIES)
    assert not any(name.startswith("#") for name in COUNTRIES)
