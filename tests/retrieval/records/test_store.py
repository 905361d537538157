"""Case records on SQLite and PostgreSQL: people, cases, documents stored once."""
from __future__ import annotations

import pytest

from retrieval.errors import NotFound
from retrieval.ingest.loaders import LoadedDocument, Page
from retrieval.records.store import CaseRecords


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
    assert records.add_document(case, _loaded(), "tom") == (document, False)  # stored once per case
    copy, created = records.add_document(other, _loaded(), "tom")  # another team's case holds its own
    assert created and copy.id != document.id and (copy.case_id, copy.sha256) == (other.id, document.sha256)
    assert (records.document_by_sha256(case, "a" * 64), records.document_by_sha256(other, "a" * 64)) == (document, copy)
    assert [c.reference for c in records.cases_of_person(case.person.id)] == ["BR-1", "HS-1"]
    overview = {o.case.reference: o.document_count for o in records.overview(frozenset({"benefits"}))}
    assert overview == {"BR-1": 1}
    assert {o.case.reference: o.document_count for o in records.overview(None)} == {"BR-1": 1, "HS-1": 1}
    with pytest.raises(NotFound):
        records.case("nope")
    with pytest.raises(NotFound):
        document.page_text(3)
    many = set(range(other.id + 1, 70_000)) | {case.id}  # a team past PostgreSQL's 65,535 bound parameters
    assert records.documents_of_cases(many) == [document]
    assert records.documents_after(0, 10) == [document, copy] and records.documents_after(document.id, 10) == [copy]


def test_a_pdf_whose_text_holds_a_nul_byte_is_stored_on_both_databases(engine):
    from fpdf import FPDF

    from retrieval.ingest.loaders import load_bytes
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=12)
    pdf.cell(0, 10, "Name:\x00Jane, rent arrears")  # PostgreSQL text cannot hold NUL
    records = CaseRecords(engine)
    records.add_person("P-1", "Jane Jones")
    case = records.add_case("BR-1", "P-1", "benefits", "benefit-review", "UC review")
    document, created = records.add_document(case, load_bytes(bytes(pdf.output()), "form.pdf"), "asha")
    assert created and records.document(document.id).text == "Name:Jane, rent arrears"


# legal holds, erasure and activity ------------------------------------------------------------

def _jane(records: CaseRecords):
    records.add_person("P-1", "Jane Jones", "1980-01-02")
    records.add_person("P-2", "Amir Khan")
    case = records.add_case("BR-1", "P-1", "benefits", "benefit-review", "UC review")
    records.add_case("HS-1", "P-1", "housing", "housing-support", "Arrears")
    other = records.add_case("BR-2", "P-2", "benefits", "benefit-review", "PIP review")
    document, _ = records.add_document(case, _loaded(), "asha")
    kept, _ = records.add_document(other, _loaded("Amir's letter.", "b" * 64), "asha")
    return case, document, kept


def test_erasing_a_person_leaves_tombstones_and_spares_others(engine):
    from retrieval.records.store import ERASED_NAME
    records = CaseRecords(engine)
    case, document, kept = _jane(records)
    erasure = records.erase_person("P-1")
    assert erasure.case_references == ("BR-1", "HS-1") and erasure.document_ids == (document.id,)
    assert erasure.newly_erased == 1
    person = records.person("P-1")
    assert person.full_name == ERASED_NAME and person.date_of_birth is None and person.erased_at is not None
    erased = records.document(document.id)
    assert (erased.text, erased.pages, erased.metadata) == ("", (), {})
    assert erased.filename == f"erased document {document.id}" and erased.sha256 == "a" * 64
    assert erased.size == 100 and erased.erased_at is not None and erased.page_at(0) == 1
    assert records.case("BR-1").person.full_name == ERASED_NAME
    assert records.document(kept.id).text == "Amir's letter." and records.person("P-2").full_name == "Amir Khan"
    assert {o.case.reference: o.document_count for o in records.overview(None)} == {"BR-1": 1, "BR-2": 1, "HS-1": 0}
    again = records.erase_person("P-1")
    assert again.document_ids == (document.id,) and again.newly_erased == 0


def test_an_erased_file_can_be_added_again_as_a_new_document(engine):
    records = CaseRecords(engine)
    case, document, _ = _jane(records)
    records.erase_person("P-1")
    assert records.document_by_sha256(case, "a" * 64) is None
    records.add_person("P-3", "New Person")
    fresh_case = records.add_case("BR-9", "P-3", "benefits", "benefit-review", "New claim")
    fresh, created = records.add_document(fresh_case, _loaded(), "asha")
    assert created and fresh.id != document.id and fresh.text == "Page one.\n\nPage two."
    assert records.add_document(fresh_case, _loaded(), "asha") == (fresh, False)  # still stored once while held


def test_a_legal_hold_blocks_erasure_until_released(engine):
    from retrieval.records.store import AlreadyHeld, HoldNotFound, UnderLegalHold
    records = CaseRecords(engine)
    _, document, _ = _jane(records)
    hold = records.add_hold("P-1", "Appeal to the tribunal pending", "admin", case_reference="HS-1")
    assert (hold.person_reference, hold.case_reference, hold.set_by) == ("P-1", "HS-1", "admin")
    with pytest.raises(AlreadyHeld):
        records.add_hold("P-1", "again", "admin", case_reference="HS-1")
    with pytest.raises(UnderLegalHold, match="case HS-1: held by admin .*Appeal to the tribunal pending"):
        records.erase_person("P-1")
    assert records.document(document.id).text and records.person("P-1").full_name == "Jane Jones"
    with pytest.raises(HoldNotFound, match="no legal hold on person P-1 as a whole"):
        records.release_hold("P-1")
    with pytest.raises(NotFound):
        records.add_hold("P-1", "wrong case", "admin", case_reference="BR-2")  # Amir's case, not Jane's
    assert records.release_hold("P-1", "HS-1").id == hold.id and records.holds("P-1") == []
    records.add_hold("P-1", "Complaint open", "admin")
    assert [h.case_reference for h in records.holds()] == [None]
    with pytest.raises(UnderLegalHold):
        records.erase_person("P-1")
    records.release_hold("P-1")
    assert records.erase_person("P-1").newly_erased == 1


def test_person_activity_is_the_newest_record_of_any_of_their_cases(engine):
    from datetime import datetime, timezone

    from retrieval.records.store import cases, documents, persons
    records = CaseRecords(engine)
    _jane(records)
    at = lambda *parts: datetime(*parts, tzinfo=timezone.utc)  # noqa: E731
    with engine.begin() as conn:  # records (unlike audit events) may be changed: age them
        conn.execute(persons.update().values(created_at=at(2020, 1, 1)))
        conn.execute(cases.update().values(created_at=at(2020, 2, 1)))
        conn.execute(documents.update().values(added_at=at(2021, 3, 4, 5, 6, 7)))
        conn.execute(cases.update().where(cases.c.reference == "HS-1").values(created_at=at(2022, 5, 6)))
    activity = {a.person.reference: a for a in records.person_activity()}
    assert activity["P-1"].case_references == ("BR-1", "HS-1")
    assert activity["P-1"].last_activity == at(2022, 5, 6)
    assert activity["P-2"].last_activity == at(2021, 3, 4, 5, 6, 7)
    records.erase_person("P-2")
    assert [a.person.reference for a in records.person_activity()] == ["P-1"]


def test_documents_stored_before_migration_0003_survive_it(db_url):
    """The upgrade rebuilds the documents table on SQLite (to relax its unique SHA-256): nothing may be lost."""
    from datetime import datetime, timezone

    import sqlalchemy as sa
    from alembic import command
    from alembic.config import Config
    from sqlalchemy.exc import IntegrityError

    from database import MIGRATIONS, make_engine, migrate
    engine = make_engine(db_url)
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "0002")
        now = datetime.now(timezone.utc)
        conn.execute(sa.text("INSERT INTO persons (reference, full_name, created_at) VALUES ('P-1', 'Jane', :t)"),
                     {"t": now})
        conn.execute(sa.text("INSERT INTO cases (reference, person_id, team, case_type, title, created_at) "
                             "VALUES ('BR-1', 1, 'benefits', 'review', 'UC', :t)"), {"t": now})
        conn.execute(sa.text("INSERT INTO documents (case_id, sha256, filename, kind, size, text, pages, meta, "
                             "added_by, added_at) VALUES (1, :sha, 'letter.pdf', 'pdf', 100, 'Page one.', "
                             "'[[1, 0, 9]]', '{}', 'asha', :t)"), {"sha": "a" * 64, "t": now})
    migrate(engine)
    records = CaseRecords(engine)
    document = records.document_by_sha256(records.case("BR-1"), "a" * 64)
    assert document is not None and document.page_text(1) == "Page one." and document.erased_at is None
    with pytest.raises(IntegrityError):  # still one live copy per file in a case
        with engine.begin() as conn:
            conn.execute(sa.text("INSERT INTO documents (case_id, sha256, filename, kind, size, text, pages, meta, "
                                 "added_by, added_at) VALUES (1, :sha, 'copy.pdf', 'pdf', 1, '', '[]', '{}', 'x', :t)"),
                         {"sha": "a" * 64, "t": datetime.now(timezone.utc)})
    engine.dispose()


# passages ---------------------------------------------------------------------------------------

def test_a_document_keeps_the_passages_it_was_stored_with(engine):
    from retrieval.records.passages import Span
    records = CaseRecords(engine)
    records.add_person("P-1", "Jane Jones")
    case = records.add_case("BR-1", "P-1", "benefits", "benefit-review", "UC review")
    spans = [Span("p1", 1, 0, 4), Span("p2", 2, 11, 20), Span("p1b", 1, 5, 9)]
    document, _ = records.add_document(case, _loaded(), "asha", spans)
    stored = records.passages([document])[document.id]
    assert [(c.id, c.page, c.start, c.end, c.text) for c in stored] == [
        ("p1", 1, 0, 4, "Page"), ("p1b", 1, 5, 9, "one."), ("p2", 2, 11, 20, "Page two.")]
    assert all(c.document_id == document.id for c in stored)
    again, created = records.add_document(case, _loaded(), "tom", [Span("other", 1, 0, 9)])
    assert not created and records.passages([again]) == {document.id: stored}  # stored once, with its first cut
    assert records.passages([]) == {}


def test_erasure_leaves_no_passage_behind(engine):
    import sqlalchemy as sa

    from retrieval.records.passages import Span
    from schema import passages
    records = CaseRecords(engine)
    records.add_person("P-1", "Jane Jones")
    records.add_person("P-2", "Amir Khan")
    case = records.add_case("BR-1", "P-1", "benefits", "benefit-review", "UC review")
    other = records.add_case("BR-2", "P-2", "benefits", "benefit-review", "PIP review")
    document, _ = records.add_document(case, _loaded(), "asha", [Span("jane", 1, 0, 9)])
    kept, _ = records.add_document(other, _loaded("Amir's letter.", "b" * 64), "asha", [Span("amir", 1, 0, 14)])
    records.erase_person("P-1")
    erased = records.document(document.id)
    assert records.passages([erased, records.document(kept.id)]) == {
        document.id: [], kept.id: records.passages([kept])[kept.id]}
    assert [c.text for c in records.passages([kept])[kept.id]] == ["Amir's letter."]
    with engine.connect() as conn:
        left = conn.execute(sa.select(passages.c.document_id, passages.c.chunk_id)).all()
    assert [tuple(row) for row in left] == [(kept.id, "amir")]


def test_documents_held_before_migration_0004_get_the_passages_they_were_indexed_with(db_url):
    """Drafts made before passages were stored cite chunk ids cut with the default settings: those ids must resolve."""
    from datetime import datetime, timezone

    import sqlalchemy as sa
    from alembic import command
    from alembic.config import Config

    from database import MIGRATIONS, make_engine, migrate
    from retrieval.ingest.chunking import chunk_document
    engine = make_engine(db_url)
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    page1 = " ".join(f"Sentence {i} of the first page about rent arrears." for i in range(60))
    page2 = " ".join(f"Sentence {i} of the second page about the hearing." for i in range(30))
    text = page1 + "\n\n" + page2
    pages = f"[[1, 0, {len(page1)}], [2, {len(page1) + 2}, {len(text)}]]"
    insert = sa.text("INSERT INTO documents (case_id, sha256, filename, kind, size, text, pages, meta, added_by, "
                     "added_at, erased_at) VALUES (1, :sha, 'letter.pdf', 'pdf', 100, :text, :pages, '{}', 'asha', "
                     ":t, :erased)")
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "0003")
        now = datetime.now(timezone.utc)
        conn.execute(sa.text("INSERT INTO persons (reference, full_name, created_at) VALUES ('P-1', 'Jane', :t)"),
                     {"t": now})
        conn.execute(sa.text("INSERT INTO cases (reference, person_id, team, case_type, title, created_at) "
                             "VALUES ('BR-1', 1, 'benefits', 'review', 'UC', :t)"), {"t": now})
        conn.execute(insert, {"sha": "a" * 64, "text": text, "pages": pages, "t": now, "erased": None})
        conn.execute(insert, {"sha": "b" * 64, "text": "", "pages": "[]", "t": now, "erased": now})
    migrate(engine)
    records = CaseRecords(engine)
    held, erased = records.documents(records.case("BR-1"))
    stored = records.passages([held, erased])
    expected = chunk_document(held, 900, 120)
    assert len(expected) > 2 and {c.page for c in expected} == {1, 2}
    assert stored == {held.id: expected, erased.id: []}
    engine.dispose()
