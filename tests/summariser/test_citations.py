"""Every [n] resolves to a document and page, or is flagged."""
from __future__ import annotations

import pytest

from summariser.citations import CitationReport, Source, check_citations, cited_numbers

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
