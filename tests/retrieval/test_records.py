"""Case records on SQLite and PostgreSQL: people, cases, documents stored once."""
from __future__ import annotations

import pytest

from retrieval.errors import NotFound
from retrieval.loaders import LoadedDocument, Page
from retrieval.records import CaseRecords


def _loaded(text="Page one.\n\nPage two.", sha="a" * 64):
    return LoadedDocument("letter.pdf", "pdf", text, (Page(1, 0, 9), Page(2, 11, 20)), sha, 100, {"title": "x"})


def test_cases_people_and_documents(engine):
    records = CaseRecords(engine)
    records.add_person("P-1", "Jane Jones", "1980-01-02")
    case = records.add_case("BR-1", "P-1", "benefits", "benefit-review", "UC review", "asha", "2025-01-14")
    other = records.add_case("HS-1", "P-1", "housing", "housing-support", "Arrears")
    assert records.add_case("BR-1", "P-1", "benefits", "benefit-review", "changed") == case  # idempotent
    document, created = records.add_document(case, _loaded(), "asha")
    assert created and document.page_text(2) == "Page two." and document.page_at(12) == 2
    again, created = records.add_document(other, _loaded(), "tom")
    assert not created and again.id == document.id and again.case_id == case.id
    assert [c.reference for c in records.cases_of_person(case.person.id)] == ["BR-1", "HS-1"]
    overview = {o.case.reference: o.document_count for o in records.overview(frozenset({"benefits"}))}
    assert overview == {"BR-1": 1}
    assert {o.case.reference for o in records.overview(None)} == {"BR-1", "HS-1"}
    with pytest.raises(NotFound):
        records.case("nope")
    with pytest.raises(NotFound):
        document.page_text(3)


def test_a_pdf_whose_text_holds_a_nul_byte_is_stored_on_both_databases(engine):
    from fpdf import FPDF

    from retrieval.loaders import load_bytes
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=12)
    pdf.cell(0, 10, "Name:\x00Jane, rent arrears")  # PostgreSQL text cannot hold NUL
    records = CaseRecords(engine)
    records.add_person("P-1", "Jane Jones")
    case = records.add_case("BR-1", "P-1", "benefits", "benefit-review", "UC review")
    document, created = records.add_document(case, load_bytes(bytes(pdf.output()), "form.pdf"), "asha")
    assert created and records.document(document.id).text == "Name:Jane, rent arrears"
