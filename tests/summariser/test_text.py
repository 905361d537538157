"""The one text toolkit: citations, sentences, dates and phone numbers read the same way by every check."""
from __future__ import annotations

import re

import pytest

from summariser.text import (CITATION, MONTH, ISO_DATE, NUMERIC_DATE, cite, date_key, month_number, phone_key,
                             sentence_spans, split_sentences, strip_citations, title_pattern)


@pytest.mark.parametrize("text, found", [
    ("one [1] two [2, 3] three [4-6] four [7 – 8]", ["1", "2, 3", "4-6", "7 – 8"]),
    ("no [a] citation [] here [1.5]", []),
])
def test_the_citation_pattern(text, found):
    assert CITATION.findall(text) == found


def test_citations_are_written_and_removed():
    assert cite([1, 3]) == "[1][3]" and cite([]) == ""
    assert strip_citations("Seen on 3 May [3-4]. Paid [1] [2] in full.") == "Seen on 3 May. Paid in full."


SENTENCES = [
    ("plain", "She phoned. He wrote back! Was it paid?", ["She phoned.", "He wrote back!", "Was it paid?"]),
    ("titles", "Mrs. Jones met Dr. Rao. Mr. Smith left.", ["Mrs. Jones met Dr. Rao.", "Mr. Smith left."]),
    ("abbreviations", "See No. 5 and e.g. The notes. Then stop.", ["See No. 5 and e.g. The notes.", "Then stop."]),
    ("initials", "Signed by J. Smith today. Filed.", ["Signed by J. Smith today.", "Filed."]),
    ("decimals", "She paid £12.50 on 3.3.2025. It cleared.", ["She paid £12.50 on 3.3.2025.", "It cleared."]),
    ("citation-after-stop", "She paid the rent. [3] Then she left [4].",
     ["She paid the rent. [3]", "Then she left [4]."]),
    ("citations-first", "[3][4] Both say so. [5, 6] And more.", ["[3][4] Both say so. [5, 6]", "And more."]),
    ("lower-case-follows", "It was paid in full. then nothing.", ["It was paid in full. then nothing."]),
    ("quote-follows", 'She said so. "I will pay." He agreed.', ["She said so.", '"I will pay."', "He agreed."]),
    ("digit-follows", "Score was low. 12/28 on the day.", ["Score was low.", "12/28 on the day."]),
    ("empty", "   ", []),
]


@pytest.mark.parametrize("text, expected", [c[1:] for c in SENTENCES], ids=[c[0] for c in SENTENCES])
def test_sentences(text, expected):
    assert split_sentences(text) == expected
    assert [text[a:b] for a, b in sentence_spans(text)] == expected


def test_transcripts_in_lower_case_split_when_asked():
    line = "hi , brian . how are you ? mrs. cooper said so ."
    assert split_sentences(line) == [line]
    assert split_sentences(line, lowercase_starts=True) == ["hi , brian .", "how are you ?",
                                                            "mrs. cooper said so ."]


DATES = [
    ("words", "3 March 2025", "2025-03-03"),
    ("ordinal-of", "3rd of March 2025", "2025-03-03"),
    ("us-order-words", "March 3, 2025", "2025-03-03"),
    ("abbreviated", "10 Sept. 2025", "2025-09-10"),
    ("numeric-day-first", "04/03/2025", "2025-03-04"),
    ("dots", "03.04.2025", "2025-04-03"),
    ("two-digit-year", "3/3/25", "2025-03-03"),
    ("old-two-digit-year", "12/04/61", "1961-04-12"),
    ("iso-not-swapped", "2025-03-04", "2025-03-04"),
    ("no-year", "6 January", "--01-06"),
    ("leap-day-no-year", "29 February", "--02-29"),
    ("month-and-year", "September 2024", "2024-09"),
    ("impossible", "31/02/2025", None),
    ("month-first-is-not-uk", "03/13/2025", None),
    ("impossible-no-year", "31 April", None),
]


@pytest.mark.parametrize("written, key", [c[1:] for c in DATES], ids=[c[0] for c in DATES])
def test_date_keys(written, key):
    assert date_key(written) == key


def test_date_patterns_find_what_date_key_reads():
    assert re.search(NUMERIC_DATE, "seen 03/03/2025.").group(0) == "03/03/2025"
    assert re.search(ISO_DATE, "seen 2025-03-03 at").group(0) == "2025-03-03"
    assert re.fullmatch(MONTH, "Sept.") and re.fullmatch(MONTH, "march") and not re.fullmatch(MONTH, "Marc")
    assert month_number("Sept.") == 9 and month_number("january") == 1


@pytest.mark.parametrize("written, key", [
    ("07700 900587", "07700900587"),
    ("+44 7700 900587", "07700900587"),
    ("+44 (0)7700 900587", "07700900587"),
    ("0161 496 0000", "01614960000"),
    ("0770 09", None),
])
def test_phone_keys(written, key):
    assert phone_key(written) == key


def test_titles_with_or_without_their_dot():
    pattern = re.compile(rf"\b{title_pattern()}(?= )")
    assert [m.group(0) for m in pattern.finditer("Mrs. Jones, Dr Rao, Professor Lee, Mrsx Q")] == \
        ["Mrs.", "Dr", "Professor"]
