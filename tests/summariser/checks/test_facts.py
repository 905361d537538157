"""Facts are read in the many ways records write them, and compare by their normalised key."""
from __future__ import annotations

import pytest

from summariser.checks.facts import Fact, FactIndex, describe, extract_facts

# (id, text, kind, key) - the first fact of that kind in the text must have that key
NORMALISED = [
    ("date-words", "seen on 3 March 2025", "date", "2025-03-03"),
    ("date-slashes", "seen on 03/03/2025", "date", "2025-03-03"),
    ("date-short", "seen on 3/3/25", "date", "2025-03-03"),
    ("date-iso", "seen on 2025-03-03", "date", "2025-03-03"),
    ("date-us-words", "seen on March 3, 2025", "date", "2025-03-03"),
    ("date-ordinal", "seen on the 3rd March 2025", "date", "2025-03-03"),
    ("date-of", "seen on the 3rd of March 2025", "date", "2025-03-03"),
    ("date-abbreviated", "Mon, 10 Feb 2025 21:17:00", "date", "2025-02-10"),
    ("date-dots", "seen on 03.04.2025", "date", "2025-04-03"),
    ("date-day-first", "seen on 04/03/2025", "date", "2025-03-04"),
    ("date-old-two-digit-year", "born 12/04/61", "date", "1961-04-12"),
    ("date-no-year", "started on 6 January at the pharmacy", "date", "--01-06"),
    ("date-month-year", "weighed 58.4 kg in September 2024", "date", "2024-09"),
    ("money-sign", "pay of £1,240 a month", "money", "1240.00"),
    ("money-pence", "pay of £1,240.00 a month", "money", "1240.00"),
    ("money-word", "pay of 1240 pounds a month", "money", "1240.00"),
    ("money-code", "pay of GBP 1240 a month", "money", "1240.00"),
    ("money-dollars", "a fee of $12.50", "money", "12.50"),
    ("money-only-pence", "a stamp costs 85p", "money", "0.85"),
    ("money-million", "a budget of £1.2m", "money", "1200000.00"),
    ("number-decimal", "weighed 52.1 kg", "number", "52.1"),
    ("number-thousands", "walked 5,820 steps", "number", "5820"),
    ("number-percent", "85% of the costs", "number", "85"),
    ("time-24h", "visit at 14:00", "number", "14:00"),
    ("time-pm", "ring after 5pm", "number", "17:00"),
    ("time-dot-am", "seen at 10.30am", "number", "10:30"),
    ("postcode", "14 Larkspur Row, Kelderby KX4 7QZ", "address", "14 larkspur row"),
    ("postcode-only", "moved to KX47QZ last week", "address", "KX4 7QZ"),
    ("street-abbreviated", "lives at 12a High St.", "address", "12a high street"),
    ("flat", "Flat 9, Heron Court", "address", "flat 9"),
    ("ni-number", "NI number QQ 61 09 44 B", "identifier", "QQ610944B"),
    ("case-reference", "see case BR-2025-0158", "identifier", "BR20250158"),
    ("nhs-number", "NHS number 999 402 7731", "identifier", "9994027731"),
    ("phone", "call 07700 900587 after work", "identifier", "07700900587"),
    ("phone-international", "call +44 7700 900587", "identifier", "07700900587"),
    ("prison-number", "prison number A4821KD", "identifier", "A4821KD"),
    ("email", "wrote from Chloe.Brannigan@example.org", "identifier", "chloe.brannigan@example.org"),
    ("name-with-title", "she spoke to Mrs Denise Harrowby today", "name", "denise harrowby"),
    ("name-title-dot", "she spoke to Dr. Anjali Rao today", "name", "anjali rao"),
    ("name-mid-sentence", "the card was held by Jason since then", "name", "jason"),
    ("name-possessive", "it is Jason's card", "name", "jason"),
    ("name-mc", "allocated to Fiona McAllister", "name", "fiona mcallister"),
]


@pytest.mark.parametrize("text,kind,key", [c[1:] for c in NORMALISED], ids=[c[0] for c in NORMALISED])
def test_facts_are_normalised(text, kind, key):
    keys = [f.key for f in extract_facts(text) if f.kind == kind]
    assert keys and keys[0] == key, extract_facts(text)


NOT_FACTS = [
    ("citations", "- [3][4] She said so [5, 6] and [7-9].", ()),
    ("list-numbering", "1. She phoned.\n2) He wrote.", ()),
    ("relative-dates", "She phoned today and will call again tomorrow.", ()),
    ("sentence-start", "Phoned the claimant. Explained the process.", ()),
    ("months-and-weekdays", "On Monday in March she phoned.", ()),
    ("acronyms", "The GP and the DWP spoke about COPD.", ()),
    ("the-verb-may", "She may 3 times a day take it", ("3",)),
]


@pytest.mark.parametrize("text,keys", [c[1:] for c in NOT_FACTS], ids=[c[0] for c in NOT_FACTS])
def test_what_is_not_a_fact(text, keys):
    assert tuple(f.key for f in extract_facts(text)) == keys


def test_each_fact_once_in_order_of_appearance():
    facts = extract_facts("On 03/03/2025 Ms Brannigan paid £684.00; on 3 March 2025 she paid £684 again.")
    assert [(f.kind, f.key) for f in facts] == [("date", "2025-03-03"), ("name", "brannigan"), ("money", "684.00")]
    assert facts[0].text == "03/03/2025" and facts[2].text == "£684.00"


def test_an_impossible_date_is_not_a_date():
    assert [f.kind for f in extract_facts("score 31/02/2025")] == ["number", "number", "number"]


INDEX_TEXT = """Ms Chloe Brannigan, Flat 9, Heron Court. NI number: QQ 61 09 44 B. Phone 07700 900587.
She started on 6 January. Her payslip shows take-home pay of £1,240.00 for January 2025.
She has two children and paid twenty-five pounds. Weight 52.1 kg on 03/03/2025 at 14:00."""

FOUND = [
    ("same-date-other-format", "3 March 2025", True),
    ("other-date", "4 March 2025", False),
    ("yearless-source-supports-a-year", "06/01/2025", True),
    ("yearless-source-other-day", "07/01/2025", False),
    ("month-of-a-full-date", "March 2025", True),
    ("money-other-format", "1240 pounds", True),
    ("money-changed", "£1,420", False),
    ("number-as-word-in-source", "2 children", True),
    ("compound-number-word-in-source", "25 things", True),
    ("number-changed", "3 children", False),
    ("decimal", "52.1 kg", True),
    ("year-of-a-date", "in 2025", True),
    ("time", "at 2pm", True),
    ("time-changed", "at 3pm", False),
    ("name-part", "Ms Brannigan", True),
    ("name-other", "Ms Brennan", False),
    ("identifier-spacing", "QQ610944B", True),
    ("identifier-changed", "QQ 61 09 44 C", False),
    ("phone-spacing", "07700900587", True),
    ("flat", "Flat 9", True),
    ("flat-changed", "Flat 8", False),
]


@pytest.mark.parametrize("text,expected", [c[1:] for c in FOUND], ids=[c[0] for c in FOUND])
def test_a_source_index_finds_facts_however_they_are_written(text, expected):
    index = FactIndex(INDEX_TEXT)
    facts = [f for f in extract_facts(text) if f.kind != "name" or "Ms" in text]
    assert facts, text
    assert index.contains(facts[0]) is expected


def test_facts_are_described_in_plain_words():
    assert describe(Fact("money", "£1,420", "1420.00")) == "the amount £1,420"
    assert describe(Fact("identifier", "QQ 61 09 44 B", "QQ610944B")) == "the reference QQ 61 09 44 B"


# people: whole name and title, never the surname alone ---------------------------------------------------
HARROWBY = ("Adult: Mrs Denise Harrowby, 14 Larkspur Row. 10/03/2025 — Mr Jason Harrowby phoned the "
            "Safeguarding Hub at 09:15. Mrs Harrowby's neighbour, Miss Pauline Everard, was there.")
NAMES = [
    ("full-name", "Mrs Denise Harrowby", True),
    ("other-forename", "Mrs Jason Harrowby", False),
    ("other-title", "Mr Denise Harrowby", False),
    ("title-of-a-forename-and-surname", "Mr Harrowby", True),   # "Mr Jason Harrowby"
    ("same-title-family", "Ms Everard", True),                  # "Miss Pauline Everard"
    ("other-title-only", "Dr Everard", False),
    ("words-scattered", "Mrs Pauline Harrowby", False),         # both words are there, not as her name
    ("possessive", "Mrs Harrowby's", True),
    ("untitled", "Jason Harrowby", True),
]


@pytest.mark.parametrize("text,expected", [c[1:] for c in NAMES], ids=[c[0] for c in NAMES])
def test_a_person_is_found_by_whole_name_and_title(text, expected):
    [fact] = [f for f in extract_facts(f"It was {text} who phoned.") if f.kind == "name"]
    assert FactIndex(HARROWBY).contains(fact) is expected


def test_a_hyphenated_name_is_found_where_the_source_writes_it():
    """BR-2025-0203: "The name First-tier Tribunal is not in the source it cites", beside a passage saying
    "appeal to the First-tier Tribunal (Social Security and Child Support)". The source was read as the words
    "first" and "tier", so the name's word "first-tier" was never among them."""
    source = FactIndex("If you disagree you can appeal to the First-tier Tribunal (Social Security and Child "
                       "Support) within one month.")
    [fact] = [f for f in extract_facts("She may appeal to the First-tier Tribunal by 14 May.") if f.kind == "name"]
    assert fact.text == "First-tier Tribunal" and source.contains(fact)
    [other] = [f for f in extract_facts("She may appeal to the Upper-tier Tribunal.") if f.kind == "name"]
    assert not source.contains(other)
    [double] = [f for f in extract_facts("The letter went to Ms Ann Smith-Jones.") if f.kind == "name"]
    assert FactIndex("Ms Ann Smith-Jones, 4 Mill Lane").contains(double)
    assert not FactIndex("Ms Ann Smith and Mr Jones").contains(double)
