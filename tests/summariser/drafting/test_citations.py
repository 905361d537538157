"""Every [n] resolves to a document and page, or is flagged."""
from __future__ import annotations

import pytest

from summariser.drafting.citations import CitationReport, Source, check_citations, cited_numbers, recite

SOURCES = [Source(n, f"c{n}", "BR-1", 10 + n, f"doc{n}.pdf", n, 0, 5, f"text {n}") for n in (1, 2, 3)]


@pytest.mark.parametrize("text,numbers", [
    ("One [1].", [1]),
    ("Two [1][3].", [1, 3]),
    ("List [1, 2].", [1, 2]),
    ("Range [1-3].", [1, 2, 3]),
    ("Repeat [2] and [2].", [2]),
    ("None here.", []),
    ("Year [2025] is a number too.", [2025]),
], ids=["single", "adjacent", "list", "range", "repeat", "none", "bracketed-year"])
def test_cited_numbers(text, numbers):
    assert cited_numbers(text) == numbers


def test_report_resolves_flags_and_lists_uncited_sentences():
    text = ("## Background\nMs A applied on 3 March 2025 [1]. She appealed [7].\n"
            "## Key events\nThe council wrote to her about arrears.\n")
    report = check_citations(text, SOURCES, ("Background", "Key events", "Open questions"))
    assert report.resolved[1]["filename"] == "doc1.pdf" and report.resolved[1]["page"] == 1
    assert report.unresolved == [7] and not report.ok
    assert report.uncited_sentences == ["The council wrote to her about arrears."]
    assert report.missing_sections == ["Open questions"]
    assert CitationReport.from_dict(report.as_dict()) == report


DRAFT = "## Money\n- [1] Pay was £4.\n- Rent is due.\nShe phoned [3][4]. She asked for a review.\n1. [2] A [5] b."


@pytest.mark.parametrize("sentence, number, line", [
    ("[1] Pay was £4.", 2, "- [2] Pay was £4."),                  # a bullet's own citation
    ("Rent is due.", 3, "- [3] Rent is due."),                     # a bullet with none: it goes first
    ("She phoned [3][4].", 1, "She phoned [1]. She asked for a review."),  # several give way to one
    ("She asked for a review.", 7, "She phoned [3][4]. She asked for a review [7]."),  # prose: before the stop
    ("[2] A [5] b.", 9, "1. [9] A b."),
])
def test_recite_makes_one_sentence_cite_another_source(sentence, number, line):
    before, after = DRAFT.splitlines(), recite(DRAFT, sentence, number).splitlines()
    assert len(after) == len(before) and [b for a, b in zip(before, after) if a != b] == [line]


def test_recite_leaves_a_sentence_it_cannot_find():
    assert recite(DRAFT, "Not in the draft.", 2) is None
