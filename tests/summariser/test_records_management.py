"""Records management on SQLite and PostgreSQL with the real Chroma index: erasure, holds, retention, subject access."""
from __future__ import annotations

import json
from datetime import date, datetime, timedelta, timezone

import pytest
import sqlalchemy as sa

from retrieval.records.access import User
from retrieval.errors import NotAuthorised, NotFound
from retrieval.ingest.pipeline import Upload
from retrieval.ingest.loaders import load_bytes
from retrieval.records.store import UnderLegalHold, cases, documents, persons
from summariser.records_management import RecordsManagementError
from tests.conftest import fake_chat, register

ADMIN = User("admin", "admin", "all")
ASHA = User("asha", "officer", "benefits")
MORGAN = User("morgan", "supervisor", "benefits")
NOTE = b"14/01/2025 - Phone call with Ms Jones about her Universal Credit payment date.\n"
LETTER = b"Letter to Jane Jones of 03/03/2025: your award is 1,240 pounds per month.\n"
AMIR = b"Mr Khan asked for a review of his PIP award on 02/02/2025.\n"
EDIT = "## Background\nMs Jones phoned on 14/01/2025 about her payment date [1]."
PERSONAL = ("Jane", "Jones", "1980-01-02", "payment date", "1,240", "note.txt", "Jones letter.md", "Jones phoned",
            "misses the March letter", "Tribunal appeal")


@pytest.fixture
def service(make_service, db_url):
    service = make_service(chat_model=fake_chat("## Background\nMs Jones phoned on 14/01/2025 [1]. "
                                                "The award is 1,240 pounds [2]."), database_url=db_url)
    service.cases.register_case(ADMIN,
                                {"reference": "P-1", "full_name": "Jane Jones", "date_of_birth": "1980-01-02"},
                                {"reference": "BR-1", "team": "benefits", "case_type": "benefit-review",
                                 "title": "UC review"})
    register(service, "HS-1", "housing", "P-1", "Jane Jones")
    register(service, "BR-2", "benefits", "P-2", "Amir Khan")
    service.cases.ingest(ADMIN, "BR-1", [Upload("note.txt", NOTE), Upload("Jones letter.md", LETTER)])
    service.cases.ingest(ADMIN, "HS-1", [Upload("arrears.txt", b"Rent arrears reported for Ms Jones.")])
    service.cases.ingest(ADMIN, "BR-2", [Upload("amir.txt", AMIR)])
    return service


def _decided_draft(service):
    state = service.drafting.draft(ASHA, "BR-1")
    state = service.review.edit(ASHA, state.draft_id, state.last_seq, EDIT)
    return service.review.reject(ASHA, state.draft_id, state.last_seq, "It misses the March letter.")


def test_erasing_a_person_leaves_tombstones_and_a_verifiable_log(service):
    draft = _decided_draft(service)
    other = service.drafting.draft(ASHA, "BR-2")
    anchor = "%d:%s" % service.stores.audit.head()
    report = service.records_admin.erase_person(ADMIN, "P-1", "The person asked for erasure")
    assert (report.case_references, report.documents, report.passages) == (("BR-1", "HS-1"), 3, 3)
    assert report.audit_texts > 5  # AI draft, edit, diff, reason, file names in events and citations

    verify = service.supervision.verify_log
    assert verify(MORGAN).intact and verify(MORGAN, against=anchor).intact
    tombstone = f"[erased on {date.today().isoformat()}: The person asked for erasure]"
    erased = service.review.draft_state(ADMIN, draft.draft_id)
    assert erased.status == "rejected" and [v.text for v in erased.versions] == [tombstone, tombstone]
    assert erased.events[-1].data.reason == tombstone
    assert service.review.draft_state(ADMIN, other.draft_id).current.text.startswith("## Background\nMs Jones")

    docs = service.cases.documents(ADMIN, "BR-1")
    assert [(d.text, d.filename) for d in docs] == [("", f"erased document {d.id}") for d in docs]
    assert [d.sha256 for d in docs] == [d.sha256 for d in erased.drafted.data.documents]
    index = service.stores.index
    assert index.count("BR-1") == index.count("HS-1") == 0 and index.count("BR-2") == 1
    listing = {c.overview.case.reference: c for c in service.cases.cases(ADMIN)}
    assert listing["BR-1"].overview.case.person.full_name == "[erased]" and listing["BR-1"].overview.document_count == 2
    assert listing["BR-2"].overview.case.person.full_name == "Amir Khan"
    assert service.stores.records.person("P-1").date_of_birth is None

    event = service.stores.audit.events(actions=("person_erased",))[-1]
    assert event.seq == report.event_seq and event.case_reference is None
    assert event.data.person == "P-1" and event.data.documents == 3 and event.data.passages == 3
    everything = json.dumps([(e.payload, e.chained_payload) for e in service.stores.audit.events()
                             if e.case_reference != "BR-2"], ensure_ascii=False)
    amir = [e.payload for e in service.stores.audit.events(case_reference="BR-2")]
    assert not [word for word in PERSONAL if word in everything]
    assert "amir.txt" in json.dumps(amir)  # someone else's records are untouched

    again = service.records_admin.erase_person(ADMIN, "P-1", "checking nothing is left")
    assert (again.documents, again.passages, again.audit_texts) == (0, 0, 0)
    assert service.supervision.verify_log(MORGAN).intact
    drafted_after = service.drafting.draft(ASHA, "BR-1")  # an erased case still works: nothing left to cite
    assert drafted_after.status in ("pending", "failed")


def test_a_legal_hold_on_the_person_or_a_case_refuses_erasure(service):
    draft = _decided_draft(service)
    hold = service.records_admin.set_legal_hold(ADMIN, "P-1", "Tribunal appeal lodged", case_reference="HS-1")
    assert hold.case_reference == "HS-1"
    before = service.stores.audit.head()
    with pytest.raises(UnderLegalHold, match="under legal hold .*case HS-1"):
        service.records_admin.erase_person(ADMIN, "P-1", "asked")
    assert service.stores.audit.head() == before  # nothing erased, nothing recorded as erased
    assert service.review.draft_state(ADMIN, draft.draft_id).current.text == EDIT
    assert service.stores.index.count("BR-1") == 2 and service.stores.records.person("P-1").full_name == "Jane Jones"
    with pytest.raises(RecordsManagementError, match="reason"):
        service.records_admin.release_legal_hold(ADMIN, "P-1", " ", case_reference="HS-1")
    service.records_admin.release_legal_hold(ADMIN, "P-1", "Appeal decided", case_reference="HS-1")
    service.records_admin.set_legal_hold(ADMIN, "P-1", "Complaint open")
    with pytest.raises(UnderLegalHold, match="person P-1"):
        service.records_admin.erase_person(ADMIN, "P-1", "asked")
    service.records_admin.release_legal_hold(ADMIN, "P-1", "Complaint closed")
    assert service.records_admin.erase_person(ADMIN, "P-1", "asked").documents == 3
    actions = [(e.action, e.data.case) for e in service.stores.audit.events(actions=(
        "legal_hold_set", "legal_hold_released"))]
    assert actions == [("legal_hold_set", "HS-1"), ("legal_hold_released", "HS-1"),
                       ("legal_hold_set", None), ("legal_hold_released", None)]
    assert service.supervision.verify_log(MORGAN).intact


def test_only_administrators_manage_records(service):
    for user in (ASHA, MORGAN):
        for call in (lambda: service.records_admin.erase_person(user, "P-1", "x"),
                     lambda: service.records_admin.set_legal_hold(user, "P-1", "x"),
                     lambda: service.records_admin.release_legal_hold(user, "P-1", "x"),
                     lambda: service.records_admin.erase_expired(user),
                     lambda: service.records_admin.subject_access(user, "P-1")):
            with pytest.raises(NotAuthorised, match="Only an administrator"):
                call()
    assert service.stores.records.person("P-1").full_name == "Jane Jones"
    with pytest.raises(NotFound):
        service.records_admin.erase_person(ADMIN, "P-404", "asked")
    with pytest.raises(RecordsManagementError, match="reason"):
        service.records_admin.erase_person(ADMIN, "P-1", "")


def test_subject_access_exports_everything_about_one_person_and_is_audited(service):
    draft = _decided_draft(service)
    service.drafting.draft(ASHA, "BR-2")
    service.records_admin.set_legal_hold(ADMIN, "P-1", "Tribunal appeal lodged")
    export = service.records_admin.subject_access(ADMIN, "P-1")
    text = json.dumps(export, ensure_ascii=False)  # JSON-serialisable as it is
    assert export["person"] == {"reference": "P-1", "full_name": "Jane Jones", "date_of_birth": "1980-01-02",
                                "erased_at": None}
    assert [c["reference"] for c in export["cases"]] == ["BR-1", "HS-1"]
    assert {d["filename"]: d["text"] for d in export["documents"]} == {
        "note.txt": NOTE.decode(), "Jones letter.md": LETTER.decode(), "arrears.txt": "Rent arrears reported for Ms Jones."}
    assert export["legal_holds"][0]["reason"] == "Tribunal appeal lodged"
    (exported,) = export["drafts"]
    assert exported["draft_id"] == draft.draft_id and exported["status"] == "rejected"
    assert [v["label"] for v in exported["versions"]] == ["AI draft", "officer edit"] and \
        exported["versions"][1]["text"] == EDIT
    assert [d["action"] for d in exported["decisions"]] == ["edited", "rejected"]
    actions = [e["action"] for e in export["audit_events"]]
    assert actions.count("documents_added") == 2 and "legal_hold_set" in actions and "drafted" in actions
    assert {e["case_reference"] for e in export["audit_events"]} == {"BR-1", "HS-1", None}
    assert "Amir" not in text and "Khan" not in text and "amir.txt" not in text
    recorded = service.stores.audit.events(actions=("subject_access_exported",))[-1]
    assert recorded.actor == "admin" and recorded.payload == {"person": "P-1", "cases": 2, "documents": 3, "drafts": 1,
                                                              "events": len(export["audit_events"])}

    service.records_admin.release_legal_hold(ADMIN, "P-1", "Appeal decided")
    service.records_admin.erase_person(ADMIN, "P-1", "asked")
    after = service.records_admin.subject_access(ADMIN, "P-1")
    assert after["person"]["full_name"] == "[erased]" and after["person"]["erased_at"]
    assert all(d["text"] == "" for d in after["documents"])
    assert after["drafts"][0]["versions"][1]["text"].startswith("[erased on ")
    assert service.supervision.verify_log(MORGAN).intact


def _age(service, person_reference: str, when: datetime) -> None:
    """Make a person's records old (records, unlike the audit log, may be changed)."""
    with service.stores.records.engine.begin() as conn:
        person_id = conn.execute(sa.select(persons.c.id).where(persons.c.reference == person_reference)).scalar()
        conn.execute(persons.update().where(persons.c.id == person_id).values(created_at=when))
        conn.execute(cases.update().where(cases.c.person_id == person_id).values(created_at=when))
        case_ids = sa.select(cases.c.id).where(cases.c.person_id == person_id)
        conn.execute(documents.update().where(documents.c.case_id.in_(case_ids)).values(added_at=when))


def test_retention_erases_only_people_past_the_period_and_not_held(make_service, db_url):
    long_ago = datetime(2019, 6, 1, tzinfo=timezone.utc)
    days_since = (date.today() - long_ago.date()).days
    service = make_service(chat_model=fake_chat("## Background\nA fact [1]."), database_url=db_url,
                           retention_days=days_since)
    for person, reference in (("P-OLD", "OLD-1"), ("P-HELD", "HELD-1"), ("P-BUSY", "BUSY-1"), ("P-NEW", "NEW-1")):
        case = register(service, reference, "benefits", person, f"Name of {person}")
        # added straight to the records, so no audit event marks recent activity on the case
        note = load_bytes(f"Note about {person}.".encode(), f"{person}.txt")
        service.stores.records.add_document(case, note, "admin")
    for person in ("P-OLD", "P-HELD", "P-BUSY"):
        _age(service, person, long_ago)
    service.drafting.draft(ASHA, "BUSY-1")  # an audit event today keeps P-BUSY's records alive
    service.records_admin.set_legal_hold(ADMIN, "P-HELD", "Litigation")

    service.records_admin.today = lambda: date.today() - timedelta(days=1)  # a day before the period ends
    assert service.records_admin.erase_expired(ADMIN, dry_run=True).expired == []
    service.records_admin.today = date.today
    dry = service.records_admin.erase_expired(ADMIN, dry_run=True)
    assert [p.person_reference for p in dry.expired] == ["P-OLD"] and dry.erased == []
    assert dry.expired[0].case_references == ("OLD-1",) and dry.expired[0].last_activity == long_ago
    assert service.stores.records.person("P-OLD").full_name == "Name of P-OLD"  # a dry run changes nothing

    run = service.records_admin.erase_expired(ADMIN)
    assert [r.person_reference for r in run.erased] == ["P-OLD"] and run.refused == {}
    assert service.stores.records.person("P-OLD").full_name == "[erased]"
    assert {p.full_name for p in (service.stores.records.person(r) for r in ("P-HELD", "P-BUSY", "P-NEW"))} == {
        "Name of P-HELD", "Name of P-BUSY", "Name of P-NEW"}
    event = service.stores.audit.events(actions=("person_erased",))[-1]
    assert event.data.reason == f"retention period of {days_since} days ended (last activity 2019-06-01)"
    assert service.records_admin.erase_expired(ADMIN, dry_run=True).expired == []  # erased once
    service.records_admin.release_legal_hold(ADMIN, "P-HELD", "Litigation over")
    assert [p.person_reference for p in service.records_admin.erase_expired(ADMIN, dry_run=True).expired] == ["P-HELD"]
    assert service.supervision.verify_log(MORGAN).intact


def test_the_command_line_anchors_holds_erases_and_exports(tmp_path, monkeypatch, minilm):
    from click.testing import CliRunner

    import cli
    from settings import Settings
    from summariser.wiring import build_services
    data = tmp_path / "cli-data"
    service = build_services(Settings(data_dir=data, draft_from="passages"),
                             chat_model=fake_chat("## Background\nMs Jones phoned [1]."), embedder=minilm)
    register(service, "BR-1", "benefits", "P-1", "Jane Jones")
    service.cases.ingest(ADMIN, "BR-1", [Upload("note.txt", NOTE)])
    service.drafting.draft(ASHA, "BR-1")
    monkeypatch.setenv("CASEWORK_DATA_DIR", str(data))
    service.accounts.save_account(ADMIN, "records.admin", "Records Admin", "admin", "all", "a long password")
    monkeypatch.setenv("CASEWORK_PASSWORD", "a long password")

    def run(*args: str) -> tuple[int, str, str]:
        result = CliRunner().invoke(cli.cli, ["--user", "records.admin", *args])
        return result.exit_code, result.stdout, result.stderr

    code, out, _ = run("head")
    anchor = out.splitlines()[0]
    assert code == 0 and anchor == "%d:%s" % service.stores.audit.head() and "outside this system" in out
    code, _, err = run("verify", "--against", "not-an-anchor")
    assert code == 2 and "SEQ:HASH" in err
    code, out, _ = run("hold", "P-1", "--reason", "Tribunal appeal")
    assert code == 0 and "Legal hold set on person P-1" in out
    code, _, err = run("erase", "P-1", "--reason", "Asked for erasure")
    assert code == 2 and "under legal hold" in err
    code, out, _ = run("release-hold", "P-1", "--reason", "Appeal decided")
    assert code == 0 and "released on P-1" in out
    export_file = tmp_path / "p1.json"
    code, out, _ = run("subject-access", "P-1", "--out", str(export_file))
    exported = json.loads(export_file.read_text(encoding="utf-8"))
    assert code == 0 and exported["person"]["full_name"] == "Jane Jones" and "1 document(s)" in out
    code, out, _ = run("erase", "P-1", "--reason", "Asked for erasure")
    assert code == 0 and out.startswith("Erased P-1: 1 document(s), 1 indexed passage(s)")
    code, out, _ = run("erase-expired", "--dry-run")
    assert code == 0 and "0 person(s) past the retention period of 2190 days (dry run" in out
    code, out, _ = run("verify", "--against", anchor)
    assert code == 0 and f"matches the anchor at event {anchor.split(':')[0]}" in out
    assert service.stores.records.person("P-1").full_name == "[erased]"
    assert [e.actor for e in service.stores.audit.events(actions=("person_erased",))] == ["records.admin"]


SHARED = b"The council's standard letter: you may ask for a mandatory reconsideration within one month."


def test_erasing_a_person_erases_the_facts_read_from_their_passages_but_not_from_texts_others_hold(make_service,
                                                                                                  db_url):
    from tests.conftest import run_reading
    service = make_service(chat_model=fake_chat("No summary."), database_url=db_url, chunk_chars=150,
                           chunk_overlap=0)  # one passage per paragraph
    register(service, "BR-1", "benefits", "P-1", "Jane Jones")
    register(service, "BR-2", "benefits", "P-2", "Amir Khan")
    service.cases.ingest(ADMIN, "BR-1", [Upload("note.txt", NOTE), Upload("letter.txt", SHARED + b"\n\n" + LETTER)])
    service.cases.ingest(ADMIN, "BR-2", [Upload("amir.txt", SHARED + b"\n\n" + AMIR)])
    run_reading(service)
    jobs, facts = service.stores.reading_jobs, service.stores.facts
    hashes = {ref: jobs.passage_hashes(service.cases.documents(ADMIN, ref)) for ref in ("BR-1", "BR-2")}
    shared = hashes["BR-1"] & hashes["BR-2"]
    keys = [k for pairs in jobs.keys_of(service.cases.documents(ADMIN, "BR-1")).values() for _, k in pairs]
    assert len(hashes["BR-1"]) == 3 and len(shared) == 1 and len(facts.facts(keys)) == 3

    service.records_admin.set_legal_hold(ADMIN, "P-1", "Tribunal appeal lodged")
    with pytest.raises(UnderLegalHold):
        service.records_admin.erase_person(ADMIN, "P-1", "asked")
    assert service.reading.progress(ADMIN, "BR-1").done == 3  # held: the facts stay with the records
    service.records_admin.release_legal_hold(ADMIN, "P-1", "Appeal decided")

    report = service.records_admin.erase_person(ADMIN, "P-1", "The person asked for erasure")
    assert report.readings == 2  # the note and the letter's own paragraph; the shared paragraph is still held
    assert set(facts.status(keys)) == {k for k in keys if k.passage_sha256 in shared}
    assert set(facts.facts(keys)) == shared
    with facts.engine.connect() as conn:  # nothing of hers is left in the fact tables
        quotes = " ".join(conn.execute(sa.text("SELECT quote FROM facts")).scalars())
    assert "Jones" not in quotes and "1,240" not in quotes and "reconsideration" in quotes
    amir = service.reading.facts(ADMIN, "BR-2")[0]
    assert len(amir.facts) == 2 and service.reading.progress(ADMIN, "BR-2").words == "All 2 passages are read."
    event = service.stores.audit.events(actions=("person_erased",))[-1]
    assert event.data.readings == 2 and service.supervision.verify_log(MORGAN).intact
    assert service.records_admin.erase_person(ADMIN, "P-1", "again").readings == 0


def test_the_same_file_held_by_two_teams_cases_survives_the_erasure_of_one(make_service, db_url):
    """Issue 14: each case holds its own document for the same bytes. Erasing one person erases their copy (its
    passages leave the index) and keeps the other: its document, its indexed passages, and the facts read from
    the text they share."""
    from tests.conftest import run_reading
    service = make_service(chat_model=fake_chat("No summary."), database_url=db_url)
    register(service, "AS-1", "adult-social-care", "P-1", "Jane Jones")
    register(service, "HS-1", "housing", "P-2", "Amir Khan")
    service.cases.ingest(ADMIN, "AS-1", [Upload("notes.txt", SHARED)])
    service.cases.ingest(ADMIN, "HS-1", [Upload("letter.txt", SHARED)])
    run_reading(service)
    index = service.stores.index
    assert index.count("AS-1") == index.count("HS-1") == 1
    assert service.reading.progress(ADMIN, "HS-1").done == 1

    report = service.records_admin.erase_person(ADMIN, "P-1", "The person asked for erasure")
    assert (report.documents, report.passages, report.readings) == (1, 1, 0)  # the text is still held by HS-1
    kept = service.cases.documents(ADMIN, "HS-1")
    assert [d.text for d in kept] == [SHARED.decode()] and kept[0].erased_at is None
    assert index.count("AS-1") == 0 and index.count("HS-1") == 1
    assert [p.case_reference for p in index.search("mandatory reconsideration", None)] == ["HS-1"]
    facts = service.reading.facts(ADMIN, "HS-1")[0]
    assert len(facts.facts) == 1 and service.reading.progress(ADMIN, "HS-1").done == 1
    assert service.cases.ingest(ADMIN, "AS-1", [Upload("notes.txt", SHARED)])[0].status == "added"  # erased: anew
