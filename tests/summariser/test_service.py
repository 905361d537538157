"""The service facade with real stores and a fake model: access, audit records, failure and retry."""
from __future__ import annotations

import hashlib

import pytest

from retrieval.records.access import User
from retrieval.errors import NotAuthorised
from retrieval.ingest.pipeline import Upload
from summariser.errors import ModelUnavailable
from tests.conftest import fake_chat, register

ASHA = User("asha", "officer", "benefits")
TOM = User("tom", "officer", "housing")
NOTE = b"14/01/2025 - Phone call with Ms Jones about rent arrears of \xc2\xa3412.67. She asked for a review.\n"
LETTER = b"Letter of 03/03/2025: your Universal Credit award is \xc2\xa31,240 per month. You may appeal within one month.\n"


@pytest.fixture
def service(make_service):
    service = make_service(chat_model=fake_chat("## Background\nMs Jones phoned on 14/01/2025 [1]. "
                                                "The award is £1,240 [2]. Made up [5]."))
    register(service, "BR-1", "benefits")
    register(service, "HS-1", "housing")
    service.cases.ingest(ASHA, "BR-1", [Upload("note.txt", NOTE), Upload("letter.md", LETTER)])
    service.cases.ingest(TOM, "HS-1", [Upload("arrears.txt", b"Rent arrears reported; tenancy at risk.")])
    return service


def test_an_officer_sees_only_their_team(service):
    assert [c.overview.case.reference for c in service.cases.cases(ASHA)] == ["BR-1"]
    for call in (lambda: service.cases.case(ASHA, "HS-1"), lambda: service.cases.documents(ASHA, "HS-1"),
                 lambda: service.drafting.draft(ASHA, "HS-1"), lambda: service.cases.related(ASHA, "HS-1"),
                 lambda: service.cases.ingest(ASHA, "HS-1", [Upload("x.txt", b"x")])):
        with pytest.raises(NotAuthorised):
            call()
    housing_doc = service.cases.documents(TOM, "HS-1")[0]
    with pytest.raises(NotAuthorised):
        service.cases.document(ASHA, housing_doc.id)
    with pytest.raises(NotAuthorised):
        service.supervision.audit_events(ASHA)


def test_a_draft_is_recorded_pending_with_everything_a_supervisor_needs(service):
    tokens = []
    state = service.drafting.draft(ASHA, "BR-1", on_token=tokens.append)
    assert state.status == "pending" and "".join(tokens) == state.current.text
    drafted = state.drafted.data
    documents = service.cases.documents(ASHA, "BR-1")
    assert [d.sha256 for d in drafted.documents] == [hashlib.sha256(NOTE).hexdigest(),
                                                     hashlib.sha256(LETTER).hexdigest()] == \
        [d.sha256 for d in documents]
    assert [s.n for s in drafted.sources] == [1, 2]
    assert drafted.template.name == "benefit_review" and len(drafted.template.sha256) == 64  # by case type
    assert len(drafted.rendered_prompt_sha256) == 64
    assert drafted.model.provider == "fake"
    assert drafted.citations["unresolved"] == [5]
    assert drafted.citations["resolved"]["1"]["filename"] == "note.txt"
    assert service.review.sources_of(ASHA, state.draft_id)[2].filename == "letter.md"
    assert [c.summary_status for c in service.cases.cases(ASHA)] == ["pending"]
    assert [d.draft_id for d in service.review.pending(ASHA)] == [state.draft_id]
    assert service.review.pending(TOM) == []


def test_a_model_failure_is_recorded_with_its_inputs_and_can_be_retried(make_service):
    attempts = []

    def flaky_model():
        attempts.append(1)
        if len(attempts) == 1:
            raise ModelUnavailable("The model file is missing.")
        return fake_chat("## Background\nA fact [1].")()

    service = make_service(chat_model=flaky_model)
    register(service, "BR-1", "benefits")
    service.cases.ingest(ASHA, "BR-1", [Upload("note.txt", NOTE)])
    failed = service.drafting.draft(ASHA, "BR-1")
    assert failed.status == "failed" and failed.drafted.data.error == "The model file is missing."
    assert failed.drafted.data.documents[0].sha256 == hashlib.sha256(NOTE).hexdigest()
    retried = service.drafting.retry(ASHA, failed.draft_id)
    assert retried.status == "pending" and retried.drafted.data.retry_of == failed.draft_id
    assert service.stores.audit.verify().intact


def test_a_cases_last_activity_includes_its_drafts_and_decisions_not_only_its_documents(service):
    def last_activity():
        return next(c.overview.last_activity for c in service.cases.cases(ASHA) if c.overview.case.reference == "BR-1")

    added = last_activity()
    draft = service.drafting.draft(ASHA, "BR-1")
    drafted = last_activity()
    assert drafted > added and drafted.isoformat() >= draft.requested_at[:19]
    service.review.reject(ASHA, draft.draft_id, draft.last_seq, "Wrong template.")
    assert last_activity() > drafted


class Stopped(BaseException):
    """What Streamlit raises in a running page when the officer presses "Stop drafting" or leaves the page."""


def test_a_draft_stopped_while_the_model_writes_is_recorded_as_stopped_not_failed_and_can_be_retried(service):
    def stop(token: str) -> None:
        raise Stopped()

    with pytest.raises(Stopped):
        service.drafting.draft(ASHA, "BR-1", on_token=stop, direct=True)
    [stopped] = service.review.drafts(ASHA, "BR-1")
    assert stopped.status == "stopped" and stopped.drafted.data.error.startswith("Drafting was stopped")
    assert [c.summary_status for c in service.cases.cases(ASHA)] == ["stopped"]  # the listing agrees
    retried = service.drafting.retry(ASHA, stopped.draft_id)
    assert retried.status == "pending" and retried.drafted.data.retry_of == stopped.draft_id
    verified = service.stores.audit.verify()
    assert verified.intact and not verified.status_differences_total


def test_an_unexpected_error_is_recorded_with_an_incident_id(make_service):
    def broken():
        raise RuntimeError("boom")

    service = make_service(chat_model=broken)
    register(service, "BR-1", "benefits")
    service.cases.ingest(ASHA, "BR-1", [Upload("note.txt", NOTE)])
    failed = service.drafting.draft(ASHA, "BR-1")
    assert failed.status == "failed" and "incident" in failed.drafted.data.error
    assert "boom" not in failed.drafted.data.error


def test_decisions_go_through_the_service_and_approval_makes_the_case_approved(service):
    state = service.drafting.draft(ASHA, "BR-1")
    state = service.review.edit(
        ASHA, state.draft_id, state.last_seq,
        "## Background\n- [1] 14/01/2025: phone call with Ms Jones about rent arrears of £412.67.")
    state = service.review.approve(ASHA, state.draft_id, state.last_seq)
    assert state.status == "approved"
    assert [c.summary_status for c in service.cases.cases(ASHA)] == ["approved"]
    service.cases.ingest(ASHA, "BR-1", [Upload("new.txt", b"A new letter arrived on 01/02/2026.")])
    assert [c.summary_status for c in service.cases.cases(ASHA)] == ["stale"]
    with pytest.raises(NotAuthorised):
        service.review.approve(TOM, state.draft_id, state.last_seq)


def test_sign_in_and_accounts(service):
    admin = User("admin", "admin", "all")
    service.accounts.save_account(admin, "morgan", "Morgan Lee", "supervisor", "benefits", "a long password")
    assert service.accounts.sign_in("morgan", "a long password").role == "supervisor"
    from retrieval.records.accounts import SignInFailed
    for name, password in (("morgan", "wrong password"), ("nobody", "a long password")):
        with pytest.raises(SignInFailed):
            service.accounts.sign_in(name, password)
    with pytest.raises(NotAuthorised):
        service.accounts.save_account(ASHA, "x", "X", "admin", "all", "a long password")
    supervisor = User("morgan", "supervisor", "benefits")
    cases = {e.case_reference for e in service.supervision.audit_events(supervisor)}
    assert "HS-1" not in cases and "BR-1" in cases


def test_the_whole_service_runs_on_postgresql(make_service, pg_url):
    service = make_service(chat_model=fake_chat("## Background\n- [1] 14/01/2025: phone call with Ms Jones about "
                                                "rent arrears of £412.67."),
                           database_url=pg_url)
    register(service, "BR-1", "benefits")
    assert service.cases.ingest(ASHA, "BR-1", [Upload("note.txt", NOTE)])[0].status == "added"
    state = service.drafting.draft(ASHA, "BR-1")
    assert state.status == "pending" and state.drafted.data.citations["resolved"]["1"]["page"] == 1
    state = service.review.approve(ASHA, state.draft_id, state.last_seq)
    assert state.status == "approved" and service.stores.audit.verify().intact
    assert service.stores.audit.engine.dialect.name == "postgresql"


def test_the_audit_log_page_and_its_export_show_only_what_a_supervisor_may_see(service):
    import csv
    import io

    from audit.queries import EventFilter, Visibility
    admin, supervisor = User("admin", "admin", "all"), User("sam", "supervisor", "benefits")
    for username, team in (("sam", "benefits"), ("tom", "housing")):
        service.accounts.save_account(admin, username, username.title(), "officer", team, "a long password")
        service.accounts.sign_in(username, "a long password")
    service.drafting.draft(ASHA, "BR-1")
    service.drafting.draft(TOM, "HS-1")
    everything = service.stores.audit.events()
    expected = [e.seq for e in everything if e.case_reference == "BR-1"  # the team's case, and its people's own
                or (e.case_reference is None and e.actor == "sam")]
    assert [e.seq for e in service.supervision.audit_events(supervisor)] == expected
    assert len(expected) < len(everything)

    page = service.supervision.audit_page(supervisor, EventFilter(), size=3)
    assert [e.seq for e in page.events] == expected[::-1][:3] and (page.total, page.newer) == (len(expected), 0)
    assert service.supervision.audit_choices(supervisor).case_references == ["BR-1"]

    def exported(user, filters):
        exported_csv = service.supervision.export_events(user, filters)
        return [int(row["seq"]) for row in csv.DictReader(io.StringIO(exported_csv))]
    assert exported(supervisor, EventFilter()) == expected  # every matching event, not only one page
    assert exported(supervisor, EventFilter(case_references={"HS-1"})) == []
    assert exported(supervisor, EventFilter(visible=Visibility(cases={"HS-1"}, people={"tom"}))) == expected
    assert exported(admin, EventFilter(case_references={"HS-1"})) == [e.seq for e in everything
                                                                      if e.case_reference == "HS-1"]
    with pytest.raises(NotAuthorised):
        service.supervision.export_events(ASHA, EventFilter())
