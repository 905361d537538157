"""The needs rule behind signposting: which needs a passage shows, with negation and a letter's advice not counting."""
from __future__ import annotations

import pytest

from retrieval.records.directory import NEEDS
from summariser.checks.needs import NEEDS_PHRASES, find_needs

SENTENCES = [
    # (id, text, the needs expected; empty means none)
    ("food-bank", "She was referred to a food bank last week.", {"food"}),
    ("concerns-food", "There are concerns about food: the cupboards were bare.", {"food"}),
    ("not-eaten", "He has not eaten for two days.", {"food"}),
    ("cannot-afford-food", "She can\u2019t afford food after paying the gas.", {"food"}),
    ("arrears", "He is in arrears with his council tax and bailiffs have called.", {"debt"}),
    ("rent-arrears", "Rent arrears of \u00a3412.67 are reported.", {"debt", "housing"}),
    ("eviction", "A possession hearing is listed for 3 April 2025.", {"housing"}),
    ("nowhere", "He has nowhere to stay from Friday.", {"housing"}),
    ("crisis", "He was given the crisis line number after talking about suicide.", {"mental_health_crisis"}),
    ("cannot-cope", "She said she cannot cope any more.", {"mental_health_crisis"}),
    ("carer", "Her daughter is her carer.", {"caring"}),
    ("looks-after", "Mr Dale looks after his elderly mother every day.", {"caring"}),
    ("wrapped-line", "She was sent to a food\nbank.", {"food"}),
    # negated, advice, or not the words at all
    ("no-concerns-food", "There are no concerns about food.", set()),
    ("concerns-none", "Food bank use: none reported.", set()),
    ("no-debts", "He has no debts.", set()),
    ("not-homeless", "She is no longer homeless.", set()),
    ("denies", "He denies any thoughts of suicide or self-harm.", set()),
    ("advice-food", "If you cannot afford food, please contact us.", set()),
    ("advice-debt", "If you are in debt, you can ask us for a payment plan.", set()),
    ("breakdown-of-payments", "Here is a breakdown of your payments.", set()),
    ("benefit-arrears", "Arrears of mobility component for October are paid; the arrears payment was issued.",
     set()),
    ("paid-in-arrears", "Holiday pay was paid in arrears.", set()),
    ("plain", "Ms Jones phoned on 14/01/2025 about her review.", set()),
]


@pytest.mark.parametrize("text, expected", [(t, e) for _, t, e in SENTENCES], ids=[i for i, _, _ in SENTENCES])
def test_needs_and_their_negation(text, expected):
    assert {f.need for f in find_needs(text)} == expected


def test_offsets_are_those_of_the_text_as_stored():
    """A blank line and wrapped lines are normalised for the rule without moving any character."""
    text = "Visit on 3 March.\n\n  She has no  food in\nthe house and is worried about money."
    found = {f.need: f for f in find_needs(text)}
    assert text[found["food"].start:found["food"].end] == "no  food" and found["food"].words == "no food"
    assert text[found["debt"].start:found["debt"].end] == "worried about money"


def test_a_negation_covers_its_own_clause_only():
    found = find_needs("There are no concerns about food, but he is in rent arrears.")
    assert [(f.need, f.words) for f in found] == [("housing", "rent arrears"), ("debt", "arrears")]
    assert [f.need for f in find_needs("No concerns about food. He is going without meals.")] == ["food"]


def test_every_phrase_group_names_a_need_of_the_directory():
    assert {p.need for p in NEEDS_PHRASES} == set(NEEDS)
