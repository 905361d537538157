"""Contradictions between sources are found on the real demo records, and only real ones."""
from __future__ import annotations

import json
from datetime import datetime, timezone
from functools import lru_cache

import pytest

from retrieval.ingest.chunking import chunk_document
from retrieval.ingest.loaders import load_file
from retrieval.records.store import Case, Document, Person
from summariser.drafting.citations import Source
from summariser.checks.conflicts import SECTION_HEADING, Conflict, conflicts_section, find_conflicts
from summariser.drafting.drafter import number_sources
from tests.conftest import PROJECT

DEMO = PROJECT / "demo"
CASELOAD = json.loads((DEMO / "caseload.json").read_text(encoding="utf-8"))
PEOPLE = {p["reference"]: p for p in CASELOAD["persons"]}
CASES = {c["reference"]: c for c in CASELOAD["cases"]}


@lru_cache(maxsize=None)
def demo_case(reference: str) -> tuple[Case, tuple[Source, ...]]:
    """A demo case's numbered sources, read and chunked as ingest does, without a database or a model."""
    entry = CASES[reference]
    person = PEOPLE[entry["person"]]
    case = Case(1, reference, Person(1, person["reference"], person["full_name"], person.get("date_of_birth")),
                entry["team"], entry["case_type"], entry.get("officer"), entry["title"], entry.get("opened_on"))
    documents, chunks = [], {}
    for number, path in enumerate(sorted((DEMO / "files" / reference).iterdir()), start=1):
        loaded = load_file(path)
        document = Document(number, 1, loaded.sha256, loaded.filename, loaded.kind, loaded.size, loaded.text,
                            loaded.pages, loaded.metadata, "test", datetime.now(timezone.utc))
        documents.append(document)
        chunks[document.id] = chunk_document(document)
    return case, tuple(number_sources(case, documents, chunks))


DEMO_CONFLICTS = {
    "AS-2025-0310": ("date of birth", {"07/02/1961", "22/07/1961"}),
    "BR-2025-0158": ("take-home pay", {"£1,240.00", "£1,420.00"}),
    "HS-2025-0388": ("rent arrears", {"£1,846.20", "£2,184.60"}),
}


@pytest.mark.parametrize("reference", sorted(CASES))
def test_the_demo_conflicts_are_found_and_nothing_else(reference):
    case, sources = demo_case(reference)
    conflicts = find_conflicts(list(sources), case.person.full_name)
    if reference not in DEMO_CONFLICTS:
        assert conflicts == []
        return
    subject, values = DEMO_CONFLICTS[reference]
    [conflict] = conflicts
    assert conflict.subject.lower().startswith(subject)
    assert {value for value, _ in conflict.values} == values
    by_number = {s.number: s for s in sources}
    for value, numbers in conflict.values:  # each value really is in the sources said to hold it
        assert all(value.replace("£", "") in by_number[n].text.replace("*", "") for n in numbers)


def test_the_demo_conflicts_are_found_without_the_persons_name():
    case, sources = demo_case("AS-2025-0310")
    [conflict] = find_conflicts(list(sources))
    assert "Denise Harrowby" in conflict.subject


def _sources(*texts: str, same_document: bool = False) -> list[Source]:
    return [Source(n, f"c{n}", "C-1", 1 if same_document else n, f"doc{n}.txt", 1, 0, len(t), t)
            for n, t in enumerate(texts, start=1)]


SCENARIOS = [
    ("dob-formats-agree", ["Date of birth: 07/02/1961", "She was born on 7 February 1961."], 0),
    ("dob-differs", ["Name: Jane Jones\nDate of birth: 12/04/1961", "Jane Jones, DOB 21/04/1961, was seen."], 1),
    ("dob-table-row", ["| Date of birth | 12/04/1961 |", "Mrs Jane Jones, date of birth 21/04/1961"], 1),
    ("dob-of-two-people", ["Mrs Jane Jones, DOB 12/04/1961", "Her son Mr Tom Jones, DOB 03/09/1990"], 0),
    ("household-table-is-not-labelled", ["| Name | Relationship | Date of birth |\n| Tom | son | 03/09/2015 |",
                                         "Date of birth: 12/04/1961"], 0),
    ("pay-label-after-the-amount", ["Her payslip shows take-home pay of £1,240.00.",
                                    "My payslip says £1,240 take home for January.",
                                    "Net earnings of £1,420.00 for the period."], 1),
    ("arrears-at-different-dates", ["The arrears as at 07/02/2025 are £1,846.20.",
                                    "Arrears of £1,500.00 as at 1 April 2025."], 0),
    ("arrears-same-date", ["The arrears as at 07/02/2025 are £1,846.20.",
                           "Balance outstanding at 07/02/2025: £2,184.60 in arrears."], 1),
    ("a-payment-towards-arrears", ["She will pay £100.00 a month towards the arrears.",
                                   "The arrears are £1,846.20."], 0),
    ("rent-per-week-and-per-month", ["Rent £150.00 per week.", "Rent: £650.00 per calendar month."], 0),
    ("rent-per-month-differs", ["Rent £598.00 per month.", "Rent: £650.00 pcm."], 1),
    ("address-differs", ["Address: 14 Larkspur Row, Kelderby KX4 7QZ", "| Address | 9 Heron Court, Kelderby KX2 8NU |"],
     1),
    ("previous-address-is-not-compared", ["Address: 14 Larkspur Row, Kelderby KX4 7QZ",
                                          "Previous address: 8 Foxglove Way, Hollinsbridge KX7 5QA"], 0),
    ("release-date-formats", ["Conditional release date: 10/02/2025.", "You will be released on 10 February 2025."],
     0),
]


@pytest.mark.parametrize("texts,expected", [s[1:] for s in SCENARIOS], ids=[s[0] for s in SCENARIOS])
def test_conflict_rules(texts, expected):
    assert len(find_conflicts(_sources(*texts), "Jane Jones")) == expected


def test_a_value_repeated_or_changed_within_one_document_is_not_a_conflict():
    texts = ["Date of birth: 12/04/1961", "Date of birth: 12/04/1961", "Date of birth: 21/04/1961"]
    assert find_conflicts(_sources(*texts, same_document=True)) == []
    [conflict] = find_conflicts(_sources(*texts))
    assert conflict.values == (("12/04/1961", (1, 2)), ("21/04/1961", (3,)))


def test_the_section_starts_each_bullet_with_its_citations():
    conflict = Conflict("date of birth", (("12/04/1961", (3,)), ("21/04/1961", (7, 8, 9, 10))))
    section = conflicts_section([conflict])
    heading, bullet = section.strip().splitlines()
    assert heading == SECTION_HEADING
    assert bullet == ("- [3][7][8][9] Date of birth differs between the records: 12/04/1961 in [3]; "
                      "21/04/1961 in [7][8][9] and others.")
    assert conflicts_section([]) == ""
