"""Signposting: the directory administrators keep (on SQLite and PostgreSQL), its CSV import, the services a case's
needs suggest with the passage that shows each need, and the officer's audited choice."""
from __future__ import annotations

import re
from datetime import date, timedelta

import pytest

from demo.seed import DEMO, seed_directory
from retrieval.errors import NotAuthorised, NotFound
from retrieval.ingest.pipeline import Upload
from retrieval.records.access import User
from retrieval.records.directory import EntryDetails, EntryInvalid
from summariser.checks.needs import RULE_VERSION
from summariser.errors import SummariserError
from summariser.services.signposting import ImportRefused
from tests.conftest import register

ADMIN = User("admin", "admin", "all")
ASHA = User("asha", "officer", "benefits")
GRACE = User("grace", "supervisor", "benefits")
TOM = User("tom", "officer", "housing")
DEBT_LINE = EntryDetails("Debt line (test)", ("debt",), "0808 157 0101", "National", "Chris Ellery", "2025-01-15")
FOOD_BANK = EntryDetails("Kelderby food bank (test)", ("Food",), "01632 960 111", "Kelderby", "Chris Ellery",
                         "15/01/2025")
LETTER = ("Letter of 02/04/2025 from Mr Dale.\n\nI am writing about my rent arrears. Since the payments stopped I "
          "have been to the food bank twice.\n\nI look after my mother, who has dementia.\n").encode()
NEGATED = (b"Home visit of 12/03/2025. There are no concerns about food. If you cannot afford food or fall behind "
           b"with your rent, please contact us.\n")
CSV = """name,needs,contact,area,vetted_by,vetted_on,description
National debt line (test),debt,0808 157 0101,National,Chris Ellery,2025-01-15,Free debt advice
Food bank (test),food;Caring for someone,01632 960 111,Kelderby,Chris Ellery,15/01/2025,
Bad needs (test),fod,01632 960 222,Kelderby,Chris Ellery,2025-01-15,
No contact (test),housing,,Kelderby,Chris Ellery,2025-01-15,
Future (test),housing,01632 960 333,Kelderby,Chris Ellery,{future},
Food bank (test),food,01632 960 999,kelderby,Someone else,2025-01-16,
""".format(future=(date.today() + timedelta(days=30)).isoformat())


@pytest.fixture
def service(make_service, db_url):
    return make_service(database_url=db_url)


def events(service, action, **where):
    return service.stores.audit.events(actions=(action,), **where)


def test_directory_entries_are_added_changed_and_retired_with_each_change_audited(service):
    directory = service.signposting
    debt = directory.add(ADMIN, DEBT_LINE)
    food = directory.add(ADMIN, FOOD_BANK)
    assert food.needs == ("food",) and food.vetted_on == "2025-01-15" and not food.national and debt.national
    assert [e.name for e in directory.entries(ASHA)] == ["Debt line (test)", "Kelderby food bank (test)"]

    changed = directory.edit(ADMIN, food.id, EntryDetails(food.name, ("food", "caring"), "01632 960 112", "Kelderby",
                                                          "Grace Lee", "2025-02-01"))
    assert changed.needs == ("food", "caring") and changed.contact == "01632 960 112" and changed.updated_by == "admin"
    assert directory.edit(ADMIN, food.id, changed.details) == changed  # nothing changed: nothing recorded
    retired = directory.retire(ADMIN, debt.id, "The line closed.")
    assert retired.retired and retired.retired_by == "admin"
    assert [e.name for e in directory.entries(ASHA)] == ["Kelderby food bank (test)"]
    assert len(directory.entries(ASHA, include_retired=True)) == 2
    with pytest.raises(EntryInvalid, match="retired"):
        directory.edit(ADMIN, debt.id, DEBT_LINE)
    with pytest.raises(EntryInvalid, match="Say why"):
        directory.retire(ADMIN, food.id, " ")
    with pytest.raises(NotFound):
        directory.retire(ADMIN, 999, "gone")

    saved = events(service, "directory_entry_saved")
    assert [(e.data.entry_id, e.data.change) for e in saved] == [(debt.id, "added"), (food.id, "added"),
                                                                  (food.id, "edited")]
    assert saved[-1].data.needs == ["food", "caring"] and saved[-1].data.vetted_by == "Grace Lee"
    [retire] = events(service, "directory_entry_retired")
    assert (retire.actor, retire.data.entry_id, retire.data.reason) == ("admin", debt.id, "The line closed.")


def test_an_incomplete_entry_is_refused_saying_what_to_fix(service):
    with pytest.raises(EntryInvalid) as refused:
        service.signposting.add(ADMIN, EntryDetails("  ", ("fod",), "", "National", "Chris", "31/02/2025"))
    message = str(refused.value)
    assert "name is missing" in message and "contact is missing" in message and "'fod' is not a need" in message
    assert "not a date" in message
    assert service.signposting.entries(ADMIN, include_retired=True) == []
    assert events(service, "directory_entry_saved") == []


def test_a_csv_import_names_each_bad_row_keeps_the_good_ones_and_is_audited(service):
    result = service.signposting.import_csv(ADMIN, CSV.encode(), "services.csv")
    assert result.rows == 6
    assert [e.name for e in result.added] == ["National debt line (test)", "Food bank (test)"]
    assert result.added[1].needs == ("food", "caring") and result.added[1].vetted_on == "2025-01-15"
    refused = {r.row: r.error for r in result.refused}
    assert sorted(refused) == [4, 5, 6, 7]  # the header is row 1
    assert "'fod' is not a need" in refused[4] and "contact is missing" in refused[5]
    assert "in the future" in refused[6] and "same name and area as row 3" in refused[7]
    assert str(result.refused[0]).startswith("Row 4: ")
    assert [e.name for e in service.signposting.entries(ADMIN)] == ["Food bank (test)", "National debt line (test)"]

    [imported] = events(service, "directory_imported")
    assert imported.actor == "admin" and imported.data.rows == 6 and imported.data.filename == "services.csv"
    assert imported.data.added == [e.id for e in result.added] and imported.data.updated == []
    assert [(r.row, r.error) for r in imported.data.refused] == [(r.row, r.error) for r in result.refused]

    again = service.signposting.import_csv(ADMIN, CSV.replace("0808 157 0101", "0808 157 0100").encode())
    assert again.added == () and [e.contact for e in again.updated] == ["0808 157 0100"]
    assert [e.name for e in again.unchanged] == ["Food bank (test)"] and len(again.refused) == 4
    assert len(service.signposting.entries(ADMIN)) == 2


@pytest.mark.parametrize("data, says", [
    (b"name,needs,contact\nX,debt,1\n", "no column area, vetted_by, vetted_on"),
    (b"name,needs,contact,area,vetted_by,vetted_on,website\n", "columns this import does not know (website)"),
    ("name,needs\nCaf\u00e9,food\n".encode("cp1252"), "not UTF-8"),
], ids=["missing-columns", "unknown-column", "not-utf8"])
def test_a_file_that_cannot_be_read_as_a_whole_imports_nothing(service, data, says):
    with pytest.raises(ImportRefused, match=re.escape(says)):
        service.signposting.import_csv(ADMIN, data)
    assert service.signposting.entries(ADMIN) == []


def test_only_administrators_may_change_the_directory(service):
    entry = service.signposting.add(ADMIN, DEBT_LINE)
    for user in (ASHA, GRACE):
        with pytest.raises(NotAuthorised, match="Only an administrator can change the directory"):
            service.signposting.add(user, FOOD_BANK)
        with pytest.raises(NotAuthorised):
            service.signposting.edit(user, entry.id, FOOD_BANK)
        with pytest.raises(NotAuthorised):
            service.signposting.retire(user, entry.id, "closed")
        with pytest.raises(NotAuthorised):
            service.signposting.import_csv(user, CSV.encode())
    assert [e.name for e in service.signposting.entries(ASHA, include_retired=True)] == ["Debt line (test)"]
    assert len(events(service, "directory_entry_saved")) == 1 and events(service, "directory_imported") == []
    assert service.accounts.capabilities(ADMIN).manage_directory
    assert not service.accounts.capabilities(GRACE).manage_directory


@pytest.fixture
def case_service(make_service):
    service = make_service()
    register(service, "BR-1", "benefits", name="Peter Dale")
    for details in (DEBT_LINE, FOOD_BANK, EntryDetails("Carers centre (test)", ("caring", "food"), "01632 960 333",
                                                       "Kelderby", "Chris", "2025-01-15")):
        service.signposting.add(ADMIN, details)
    return service


def test_a_suggestion_cites_the_passage_that_shows_the_need(case_service):
    added = case_service.cases.ingest(ASHA, "BR-1", [Upload("letter.txt", LETTER)])
    suggestions = {s.need: s for s in case_service.signposting.suggestions(ASHA, "BR-1")}
    assert list(suggestions) == ["food", "debt", "housing", "caring"]  # the directory's order of needs
    food = suggestions["food"]
    assert food.need_name == "Food" and [e.name for e in food.services] == ["Kelderby food bank (test)",
                                                                            "Carers centre (test)"]
    [passage] = food.passages
    assert passage.document_id == added[0].document_id and passage.filename == "letter.txt" and passage.page == 1
    assert passage.text[passage.start:passage.end] == "food bank" == passage.words
    assert passage.chunk_id in {c.id for c in case_service.stores.records.passages(
        case_service.cases.documents(ASHA, "BR-1"))[passage.document_id]}
    assert suggestions["debt"].passages[0].words == "arrears"
    assert [e.name for e in suggestions["debt"].services] == ["Debt line (test)"]
    assert suggestions["housing"].services == ()  # a need the directory has no service for is still shown
    assert suggestions["caring"].passages[0].words == "look after my mother"


def test_a_negated_need_or_a_letters_advice_gives_no_suggestion(case_service):
    case_service.cases.ingest(ASHA, "BR-1", [Upload("visit.txt", NEGATED)])
    assert case_service.signposting.suggestions(ASHA, "BR-1") == []


def test_suggestions_follow_the_case_gate_and_leave_retired_services_out(case_service):
    case_service.cases.ingest(ASHA, "BR-1", [Upload("letter.txt", LETTER)])
    with pytest.raises(NotAuthorised):
        case_service.signposting.suggestions(TOM, "BR-1")
    food_bank = next(e for e in case_service.signposting.entries(ADMIN) if e.name.startswith("Kelderby food"))
    case_service.signposting.retire(ADMIN, food_bank.id, "Closed in March.")
    food = next(s for s in case_service.signposting.suggestions(ASHA, "BR-1") if s.need == "food")
    assert [e.name for e in food.services] == ["Carers centre (test)"]


def test_the_officers_choice_gives_text_to_copy_and_is_audited(case_service):
    added = case_service.cases.ingest(ASHA, "BR-1", [Upload("letter.txt", LETTER)])
    suggestions = {s.need: s for s in case_service.signposting.suggestions(ASHA, "BR-1")}
    carers = suggestions["caring"].services[0]
    debt = suggestions["debt"].services[0]
    chosen = case_service.signposting.choose(ASHA, "BR-1", [("debt", debt.id), ("caring", carers.id),
                                                            ("food", carers.id)])
    assert "- Debt line (test): 0808 157 0101. Helps with debt and money; a national service." in chosen.text
    assert "- Carers centre (test): 01632 960 333. Helps with caring for someone, food; serves Kelderby." in chosen.text
    assert "not passed on any of your details" in chosen.text and "Peter Dale" not in chosen.text

    [event] = case_service.stores.audit.events(case_reference="BR-1", actions=("signposting_chosen",))
    assert event.seq == chosen.event_seq and event.actor == "asha"
    assert (event.data.role, event.data.rule) == ("officer", RULE_VERSION)
    assert [(s.entry_id, s.need, s.name) for s in event.data.services] == [
        (debt.id, "debt", "Debt line (test)"), (carers.id, "caring", "Carers centre (test)"),
        (carers.id, "food", "Carers centre (test)")]
    assert event.data.services[0].document_id == added[0].document_id
    assert event.data.services[0].chunk_id == suggestions["debt"].passages[0].chunk_id

    with pytest.raises(NotFound, match="no longer suggested"):  # not suggested for that need
        case_service.signposting.choose(ASHA, "BR-1", [("housing", debt.id)])
    with pytest.raises(SummariserError, match="Tick at least one"):
        case_service.signposting.choose(ASHA, "BR-1", [])
    with pytest.raises(NotAuthorised):
        case_service.signposting.choose(TOM, "BR-1", [("debt", debt.id)])
    assert len(case_service.stores.audit.events(actions=("signposting_chosen",))) == 1


def test_the_demo_directory_is_seeded_once_and_marked_as_demo_data(make_service):
    service = make_service()
    added = seed_directory(service, ADMIN, DEMO)
    entries = service.signposting.entries(ADMIN)
    assert added == len(entries) >= 5 and all(e.demo and "(demo entry)" in e.name for e in entries)
    assert {need for e in entries for need in e.needs} == {"food", "debt", "housing", "mental_health_crisis",
                                                          "caring"}
    assert seed_directory(service, ADMIN, DEMO) == 0 and len(service.signposting.entries(ADMIN)) == len(entries)
