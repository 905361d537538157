"""The UK recognisers on their own (no spaCy): identifiers in the layouts case files use, and the NHS checksum."""
from __future__ import annotations

import pytest

from summariser.privacy.recognisers import UkRecogniser, iban_checksum_ok, nhs_checksum_ok

RECOGNISER = UkRecogniser()


def found(text: str) -> set[tuple[str, str]]:
    return {(r.entity_type, text[r.start:r.end]) for r in RECOGNISER.analyze(text, [])}


@pytest.mark.parametrize("number,valid", [
    ("943 476 5919", True), ("9434765919", True), ("401-023-2137", True), ("999 402 7731", False),
    ("943 476 5918", False), ("123 456 7890", False), ("94347659", False),
], ids=["spaced", "bare", "dashed", "demo-mistyped", "last-digit-off", "check-would-be-10", "too-short"])
def test_nhs_checksum(number, valid):
    assert nhs_checksum_ok(number) is valid


@pytest.mark.parametrize("iban,valid", [
    ("GB82 WEST 1234 5698 7654 32", True), ("gb82west12345698765432", True), ("DE89370400440532013000", True),
    ("GB82 WEST 1234 5698 7654 33", False), ("GB00 WEST 1234 5698 7654 32", False),
], ids=["spaced", "lower-case", "german", "last-digit-off", "check-digits-off"])
def test_iban_checksum(iban, valid):
    assert iban_checksum_ok(iban) is valid


def test_an_iban_counts_only_with_a_right_check():
    assert ("IBAN_CODE", "GB82WEST12345698765432") in found("Paid from GB82WEST12345698765432 today.")
    assert not {e for e, _ in found("Paid from GB82WEST12345698765433 today.")} & {"IBAN_CODE"}


def test_an_nhs_number_counts_alone_only_with_a_valid_checksum_but_always_after_its_label():
    assert ("UK_NHS", "943 476 5919") in found("Patient 943 476 5919 was seen.")
    assert not {e for e, _ in found("Order 943 476 5918 was seen.")} & {"UK_NHS"}
    assert ("UK_NHS", "999 402 7731") in found("NHS number: 999 402 7731")
    assert ("UK_NHS", "999 402 7731") in found("| NHS number | 999 402 7731 |")


@pytest.mark.parametrize("text,entity,value", [
    ("National Insurance number: QQ 17 69 03 D", "UK_NINO", "QQ 17 69 03 D"),  # HMRC's example prefix
    ("NI number QQ176903D.", "UK_NINO", "QQ176903D"),
    ("| National Insurance number | AB 12 34 56 C |", "UK_NINO", "AB 12 34 56 C"),
    ("nino: jk123456a", "UK_NINO", "jk123456a"),
    ("19 Wexford Street, Kelderby KX1 5PB", "UK_POSTCODE", "KX1 5PB"),
    ("19 Wexford Street, Kelderby KX1 5PB", "LOCATION", "Kelderby"),
    ("London SW1A 1AA", "UK_POSTCODE", "SW1A 1AA"),
    ("Adult: Mrs Denise Harrowby, date of birth 22/07/1961", "DATE_OF_BIRTH", "22/07/1961"),
    ("Mr Albert Fenwick, DOB 02/04/1938 (86)", "DATE_OF_BIRTH", "02/04/1938"),
    ("| Date of birth | 7 February 1961 |", "DATE_OF_BIRTH", "7 February 1961"),
    ("She was born on 3rd March 1990 in Leeds.", "DATE_OF_BIRTH", "3rd March 1990"),
    ("Telephone 01632 960127", "PHONE_NUMBER", "01632 960127"),
    ("call 07700 900123 after 5pm", "PHONE_NUMBER", "07700 900123"),
    ("Mobile: +44 7700 900123", "PHONE_NUMBER", "+44 7700 900123"),
    ("Case reference: BR-2025-0141", "CASE_REFERENCE", "BR-2025-0141"),
    ("Crime reference KX-25-030442", "CASE_REFERENCE", "KX-25-030442"),
    ("Person P-1001 is the claimant", "REFERENCE", "P-1001"),
    ("prison number A4821KD", "REFERENCE", "A4821KD"),
    ("Tenancy reference: FH-20417", "REFERENCE", "FH-20417"),
    ("Mr Stanton's sole name", "PERSON", "Stanton"),
    ("Dear Ms O'Neill,", "PERSON", "O'Neill"),
    ("Mobile: +46 (0)8 928 571 38", "PHONE_NUMBER", "+46 (0)8 928 571 38"),
    ("416 60 039 office", "PHONE_NUMBER", "416 60 039"),
    ("(37) 788-063-Office", "PHONE_NUMBER", "(37) 788-063"),
    ("They're not answering at 78 651 450", "PHONE_NUMBER", "78 651 450"),
    ("my iban is gb42nawi04454264788619", "IBAN_CODE", "gb42nawi04454264788619"),
    ("IBAN GB82 WEST 1234 5698 7654 32", "IBAN_CODE", "GB82 WEST 1234 5698 7654 32"),
    ("my zip code is 35350", "POSTAL_CODE", "35350"),
    ("ZIP: 75534-030", "POSTAL_CODE", "75534-030"),
    ("My name is Rubija", "PERSON", "Rubija"),
    ("Name:    Iva D. Grusová\nAddress:", "PERSON", "Iva D. Grusová"),
    ("her maiden name is nyberg", "PERSON", "nyberg"),
    ("Her name is Chloe and she is four.", "PERSON", "Chloe"),
], ids=lambda v: v if isinstance(v, str) and len(v) < 20 else None)
def test_uk_identifiers_are_found(text, entity, value):
    assert (entity, value) in found(text)


@pytest.mark.parametrize("text", [
    "Rent arrears stood at £1,872.90 on 30 June 2025, against a weekly rent of £96.40.",
    "Universal Credit was paid on 12/03/2025; the next payment is due on 2025-04-12.",
    "The mandatory reconsideration is due within 28 days, by 11 February 2025.",
    "Section 42 enquiry opened; strategy meeting booked for 10:30.",
    "Payments of 12-03-2025 and 12.04.2025 were 1234 5678 days apart.",  # dates and numbers with no phone word
    "Her name is not known; the postcode is unknown.",
], ids=["amounts", "dates", "deadline", "time", "number-shapes", "labels-without-values"])
def test_amounts_dates_and_ordinary_numbers_stay(text):
    assert found(text) == set()
