"""Whole addresses from their street line (no spaCy): UK and foreign layouts, and where an address must stop."""
from __future__ import annotations

import pytest

from summariser.privacy.addresses import AddressFinder, AddressRecogniser

# A few dictionary words, as WordNet's index holds them (lower case): what tells "Attendance" from "Kelderby".
WORDS = frozenset({"attendance", "housing", "office", "mill", "village", "march", "section", "enquiry", "team",
                   "payment", "review", "women", "centre"})
FINDER = AddressFinder(WORDS)


def addresses(text: str) -> list[str]:
    return [text[s.start:s.end] for s in FINDER.find(text)]


@pytest.mark.parametrize("text,address", [
    ("Home visit to 19 Wexford Street, Kelderby KX1 5PB. Mr Stanton said", "19 Wexford Street, Kelderby KX1 5PB"),
    ("Flat 6, Kingfisher Court, Kelderby", "Flat 6, Kingfisher Court, Kelderby"),
    ("at Flat 3, 22 Cobbler's Walk, Kelderby KX2 5RT.", "Flat 3, 22 Cobbler's Walk, Kelderby KX2 5RT"),
    ("5 Mill Race Cottages, Sedgecombe KX5 4JB", "5 Mill Race Cottages, Sedgecombe KX5 4JB"),
    ("4 Thistle Gardens, Ravensmoor\n  KX6 3BN", "4 Thistle Gardens, Ravensmoor\n  KX6 3BN"),
    ("Scott lives at 975 3968 Bay Street, Toronto", "975 3968 Bay Street, Toronto"),
    ("Meet me at 363 52 Huntly Street\n Suite 132\n BARMOLLOCH\n United Kingdom",
     "363 52 Huntly Street\n Suite 132\n BARMOLLOCH\n United Kingdom"),
    ("William Hughes\n\n20789 Allika 46\n Suite 501\n Riisa\n\n Estonia 62488",
     "20789 Allika 46\n Suite 501\n Riisa\n\n Estonia 62488"),
    ("Billing address: Sophie Lang\n    3482 Via Franscini 71 Suite 838\n   Tujetsch\n    nan\n    7188",
     "3482 Via Franscini 71 Suite 838\n   Tujetsch\n    nan\n    7188"),
    ("Dr. Cindy Holinka Apt. 117 5720 Skoanveien 226\nFAUSKE nan 8200",
     "Apt. 117 5720 Skoanveien 226\nFAUSKE nan 8200"),
    ("The bus station is on Villacher Strasse 89", "Villacher Strasse 89"),
    ("808 Kálmán Imre u. 12.\n Apt. 762\n Zalakaros\n Hungary 06554",
     "808 Kálmán Imre u. 12.\n Apt. 762\n Zalakaros\n Hungary 06554"),
    ("Caitlin Lennox lives at 846 31 Rue Al Imam Al Bakri, Cite Merzgui", "846 31 Rue Al Imam Al Bakri, Cite Merzgui"),
    ("Sven Hedlund\n\n85199 Avda. Rio Nalon 58\n Apt. 461\n Soto del Barco\n\n Spain 61709",
     "85199 Avda. Rio Nalon 58\n Apt. 461\n Soto del Barco\n\n Spain 61709"),
    ("The Avalara office is at PSC 0413, Box 8144\nAPO AA 42323", "PSC 0413, Box 8144\nAPO AA 42323"),
    ("Our offices are located at USNS Møller\nFPO AA 85844", "USNS Møller\nFPO AA 85844"),
    ("Satu Elomo\n\n45818 P.O. Box 242\n Suite 787\n Kangerlussuaq", "45818 P.O. Box 242\n Suite 787\n Kangerlussuaq"),
    ("Our offices are at the corner of Östbygatan 14 and Sigurmundsson Greens",
     "the corner of Östbygatan 14 and Sigurmundsson Greens"),
    ("eva kleist lives at 255 hersnapvej 18, københavn k", "255 hersnapvej 18, københavn k"),
    ("I'll meet you at 010 63 Avenue du Golf Arabe Suite 910\nHellendoorn, OV 21072 after the concert.",
     "010 63 Avenue du Golf Arabe Suite 910\nHellendoorn, OV 21072"),
    ("shows on Berg Hills Street were important", "Berg Hills Street"),
], ids=["uk-inline", "flat-and-building", "flat-and-street", "cottages", "postcode-next-line", "two-numbers",
        "block-with-country", "name-between-numbers", "via-and-state-code", "suite-first-and-capitals",
        "german-street-word", "hungarian", "rue", "avenida-and-blank-lines", "forces-box", "forces-ship", "po-box",
        "corner", "lower-case", "state-then-zip", "named-street-no-number"])
def test_an_address_is_found_whole(text, address):
    assert address in addresses(text)


@pytest.mark.parametrize("text,address", [
    ("She lives at 19 Wexford Street Housing Office said no.", "19 Wexford Street"),  # a town must end the phrase
    ("Visited 19 Wexford Street\n\n## Attendance\nAttended on time.", "19 Wexford Street"),  # a heading
    ("Visited 19 Wexford Street\n\nAttendance\nAttended on time.", "19 Wexford Street"),  # a word, not a town
    ("Lived at 19 Wexford Street 2019-2023 with her son.", "19 Wexford Street"),  # years are no postcode
    ("12/05/2025, 11:00 – 12:00, Fenmoor Women's Centre", None),  # a time is no house number
], ids=["sentence-goes-on", "markdown-heading", "dictionary-word-line", "years", "time-and-centre"])
def test_an_address_stops_where_the_address_does(text, address):
    assert addresses(text) == ([address] if address else [])


@pytest.mark.parametrize("text", [
    "The claimant called by the nurse; called and agreed to a visit tomorrow.",
    "The cheque is available for collection by the claimant to avoid another gap in her payment.",
    "Rent arrears stood at £1,872.90 on 30 June 2025; 12 March 2025 review; Section 42 enquiry opened.",
    "Universal Credit of £475.00 a month is paid on the 25th, 3 times a year since 2019.",
    "The panel at 10:30 agreed 2 Team Review 12 items.",
], ids=["calle-and-al-inside-words", "av-inside-words", "dates-and-amounts", "amounts", "dictionary-between-numbers"])
def test_ordinary_sentences_hold_no_address(text):
    assert addresses(text) == []


def test_the_recogniser_reports_each_address_once_as_a_street_address():
    text = "Visit to 3 Chapel Lane, Kelderby KX1 4HD. Then 7 Tanners Yard."
    results = AddressRecogniser(WORDS).analyze(text, [])
    assert [(r.entity_type, text[r.start:r.end]) for r in results] == [
        ("STREET_ADDRESS", "3 Chapel Lane, Kelderby KX1 4HD"), ("STREET_ADDRESS", "7 Tanners Yard")]
