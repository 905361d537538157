"""The tool's checks on a fact: its text is in the passage, and what it states is in that text."""
from __future__ import annotations

import pytest

from summariser.checks.grounding import GroundingChecker
from summariser.reading.acceptance import Acceptance, locate_quote, numbered_sentences, rule_kind
from summariser.reading.model import PassageToRead
from tests.conftest import HashingEmbedder

TEXT = ("On 3 March 2025 the council paid £120 to Mrs Ada Price.\n"
        "She must reply by 17 March 2025. She said she “cannot cope” with the stairs.")
PASSAGE = PassageToRead.of(TEXT, "HS-2025-0001", "Ada Price", "housing", "letter.txt")


def judge(item, grounding=None):
    return Acceptance(grounding).judge(PASSAGE, numbered_sentences(TEXT), item)


def fact(sentences=None, kind="event", date=None, wording=None, **extra):
    return {"sentences": sentences, "kind": kind, "date": date, "wording": wording} | extra


def test_sentences_keep_their_offsets_in_the_passage():
    text = ("The officer telephoned the claimant this morning about the\nmissing payslips. Next one.\n\n"
            "Officer: Tom Whitfield\n| a | b |\n")
    assert [text[s:e] for s, e in numbered_sentences(text)] == [
        "The officer telephoned the claimant this morning about the\nmissing payslips.", "Next one.",
        "Officer: Tom Whitfield", "| a | b |"]


@pytest.mark.parametrize("quote,expected", [
    ("She must reply by 17 March 2025.", "She must reply by 17 March 2025."),
    ("she must  reply BY 17 march 2025", "She must reply by 17 March 2025"),
    ('She said she "cannot cope"', "She said she “cannot cope”"),
    ("She must pay by 17 March 2025.", None),
    ("The tenant was evicted.", None),
], ids=["exact", "whitespace-and-case", "quote-marks", "one-word-changed", "absent"])
def test_a_verbatim_quote_is_found_exactly_or_near_exactly(quote, expected):
    found = locate_quote(quote, TEXT)
    assert (TEXT[found[0]:found[1]] if found else None) == expected


def test_a_fact_resting_on_its_sentence_is_accepted_with_the_sentence_as_quote():
    read = judge(fact([2], "deadline_or_right", "17 March 2025"))
    assert read.accepted and read.reason is None
    assert read.quote == TEXT[read.start:read.end] == "She must reply by 17 March 2025."


def test_a_quote_that_is_not_in_the_passage_is_rejected():
    read = judge(fact(quote="The council refused her claim.", sentences=None))
    assert not read.accepted and read.reason == "quote_not_found" and read.start == read.end == -1


def test_sentence_numbers_outside_the_passage_are_rejected():
    read = judge(fact([2, 9]))
    assert (read.accepted, read.reason) == (False, "quote_not_found")
    assert "sentence 9" in read.detail and "3 sentences" in read.detail


@pytest.mark.parametrize("item,missing", [
    (fact([1], "money", wording="The council paid £150."), "£150"),
    (fact([2], "deadline_or_right", date="18 March 2025"), "18 March 2025"),
    (fact([1], "event", wording="Mr Tom Price was paid."), "Tom Price"),
], ids=["amount", "date", "name"])
def test_a_fact_stating_what_its_quote_does_not_is_rejected(item, missing):
    read = judge(item)
    assert (read.accepted, read.reason) == (False, "fact_not_in_quote") and missing in read.detail


def test_the_persons_name_and_case_reference_need_no_quote():
    assert judge(fact([2], "deadline_or_right", wording="Ada Price must reply by 17 March 2025.")).accepted


def test_a_wording_must_pass_the_grounding_check_against_its_quote():
    grounding = GroundingChecker(HashingEmbedder(), min_similarity=0.5)
    assert judge(fact([2], wording="She must reply by 17 March 2025."), grounding).accepted
    read = judge(fact([2], wording="The landlord repaired the boiler quickly."), grounding)
    assert (read.accepted, read.reason) == (False, "wording_not_supported") and "not close in meaning" in read.detail


def test_a_kind_outside_the_enum_or_a_fact_of_the_wrong_shape_is_malformed():
    assert judge(fact([1], kind="gossip")).reason == "malformed"
    assert judge(["not", "a", "fact"]).reason == "malformed"


@pytest.mark.parametrize("quote,kind", [
    ("The council paid £120 to Mrs Price.", "money"),
    ("She must reply by 17 March 2025.", "deadline_or_right"),
    ("You can appeal within one month.", "deadline_or_right"),
    ("The decision maker refused the claim.", "decision"),
    ("She asked for a copy of her tenancy.", "request"),
    ("Please call her after 2pm; she needs large print.", "contact_or_adjustment"),
    ("He lives alone and has COPD and anxiety.", "circumstance_or_vulnerability"),
    ("On 4 May 2025 the officer visited.", "event"),
    ("Thank you for your letter.", "other"),
], ids=["money", "by-date", "appeal", "decision", "request", "adjustment", "circumstance", "dated", "nothing"])
def test_the_tool_classifies_by_rules_where_the_model_says_other(quote, kind):
    assert rule_kind(quote) == kind


def test_a_kind_the_model_chose_is_kept_and_other_is_classified():
    assert judge(fact([1], "decision")).kind == "decision"
    assert judge(fact([1], "other")).kind == "money"


def test_a_date_the_model_rewrote_is_given_as_the_passage_writes_it():
    assert judge(fact([2], "deadline_or_right", "2025-03-17")).date == "17 March 2025"


def test_money_and_deadlines_the_model_skipped_become_facts_found_by_the_tool():
    spans = numbered_sentences(TEXT)
    judged = Acceptance().judge_all(PASSAGE, spans, {"facts": [fact([3], "circumstance_or_vulnerability")]})
    found = [f for f in judged if f.detail.startswith("Found by the tool")]
    assert [(f.kind, f.quote, f.date, f.accepted) for f in found] == [
        ("money", "On 3 March 2025 the council paid £120 to Mrs Ada Price.", "3 March 2025", True),
        ("deadline_or_right", "She must reply by 17 March 2025.", "17 March 2025", True)]
    # a sentence an accepted fact of the same kind already rests on is not added again
    judged = Acceptance().judge_all(PASSAGE, spans, {"facts": [fact([1], "money"), fact([2], "deadline_or_right")]})
    assert not [f for f in judged if f.detail.startswith("Found by the tool")]
