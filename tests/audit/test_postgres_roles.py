"""scripts/postgres-roles.sql on a fresh PostgreSQL database: the app works, and cannot touch the audit log."""
from __future__ import annotations

import hashlib

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import DBAPIError

from audit.chain import canonical_bytes, canonical_json
from database import make_engine, migrate
from retrieval.records.access import User
from retrieval.ingest.pipeline import Upload
from settings import PROJECT_ROOT
from tests.conftest import fake_chat, register

pytestmark = pytest.mark.postgres
SCRIPT = (PROJECT_ROOT / "scripts" / "postgres-roles.sql").read_text(encoding="utf-8")
ADMIN = User("admin", "admin", "all")
ASHA = User("asha", "officer", "benefits")


def _as(url: str, role: str) -> str:
    """The same database, connecting as another role (the test server trusts local connections)."""
    scheme, rest = url.split("://", 1)
    return f"{scheme}://{role}@{rest.split('@', 1)[1]}"


def _run_script(url: str) -> None:
    """As `psql -f` would: the whole file, unparsed, in one go."""
    import psycopg
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(SCRIPT)


@pytest.fixture
def app_url(pg_url):
    """A database set up as the README says: roles, migrations as the owner, roles again for the new tables."""
    _run_script(pg_url)  # as the superuser: creates the roles (the roles are cluster-wide, so IF NOT EXISTS)
    owner = make_engine(_as(pg_url, "casework_owner"))
    migrate(owner)
    owner.dispose()
    _run_script(pg_url)
    _run_script(pg_url)  # running it again changes nothing
    return _as(pg_url, "casework_app")


def test_the_app_role_runs_the_tool_but_cannot_change_the_audit_log(app_url, make_service):
    service = make_service(chat_model=fake_chat("## Background\nMs Jones phoned [1]."), database_url=app_url)
    register(service, "BR-1", "benefits")
    note = Upload("note.txt", b"Ms Jones phoned on 14/01/2025.")
    assert service.cases.ingest(ASHA, "BR-1", [note])[0].status == "added"
    state = service.drafting.draft(ASHA, "BR-1")
    service.review.reject(ASHA, state.draft_id, state.last_seq, "Too short.")
    service.records_admin.set_legal_hold(ADMIN, "P-1", "Complaint open")
    service.records_admin.release_legal_hold(ADMIN, "P-1", "Complaint closed")
    assert service.records_admin.erase_person(ADMIN, "P-1", "asked for erasure").documents == 1
    audit = service.stores.audit
    assert audit.verify().intact and audit.verify().checked == audit.head()[0] == 6

    engine = service.stores.audit.engine
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT current_user")).scalar() == "casework_app"
    for statement, refusal in [
        ("UPDATE audit_events SET actor = 'x'", "permission denied"),
        ("DELETE FROM audit_events", "permission denied"),
        ("TRUNCATE audit_events", "permission denied"),
        ("DROP TRIGGER audit_events_append_only ON audit_events", "must be owner"),
        ("ALTER TABLE audit_events DISABLE TRIGGER USER", "must be owner"),
        ("DROP TABLE audit_events", "must be owner"),
        ("DELETE FROM audit_contents", "permission denied"),
        ("UPDATE audit_contents SET id = 'x'", "permission denied"),
        ("UPDATE audit_contents SET text = NULL, salt = NULL, erased_at = 'now'", "permission denied"),
        # the erasure path itself refuses a text no erasure event names
        ("SELECT audit_erase_contents(ARRAY(SELECT id FROM audit_contents WHERE erased_at IS NULL), 'now', 'x', 'y')",
         "can only be erased"),
        ("DELETE FROM documents", "permission denied"),
        ("CREATE TABLE mine (x int)", "permission denied"),
    ]:
        with pytest.raises(DBAPIError, match=refusal):
            with engine.begin() as conn:
                conn.execute(sa.text(statement))
    assert service.stores.audit.verify().intact


def test_with_the_app_role_alone_a_forged_erasure_is_named_by_verify(app_url, make_service):
    """All the app role can do to the log is INSERT: an erasure event naming a text lets the erasure path erase
    it, but the event carries no signature, so verify names the text's event as erased with no signed erasure."""
    service = make_service(chat_model=fake_chat("## Background\nMs Jones phoned [1]."), database_url=app_url)
    register(service, "BR-1", "benefits")
    service.cases.ingest(ASHA, "BR-1", [Upload("note.txt", b"Ms Jones phoned on 14/01/2025.")])
    draft = service.drafting.draft(ASHA, "BR-1")
    audit = service.stores.audit
    drafted = audit.events(draft_id=draft.draft_id)[0]
    victim = drafted.kept_ref("output")
    seq, prev_hash = audit.head()
    forged = {"reason": "tidying", "erased_contents": [victim]}
    at = "2026-11-30T12:00:00.000000+00:00"
    digest = hashlib.sha256(canonical_bytes(seq + 1, at, "admin", "contents_erased", None, None, forged,
                                            prev_hash)).hexdigest()
    with audit.engine.begin() as conn:
        conn.execute(sa.text("INSERT INTO audit_events (seq, recorded_at, actor, action, payload, prev_hash, hash) "
                             "VALUES (:s, :at, 'admin', 'contents_erased', :p, :prev, :h)"),
                     {"s": seq + 1, "at": at, "p": canonical_json(forged), "prev": prev_hash, "h": digest})
        conn.execute(sa.text("SELECT audit_erase_contents(ARRAY[CAST(:id AS text)], 'now', 'admin', 'tidying')"), {"id": victim})
    result = audit.verify()
    assert not result.intact and result.first_broken_seq == drafted.seq
    assert "was erased, but no signed erasure event in the log names it" in result.problem


def test_the_owner_can_bypass_the_triggers_which_is_why_anchors_matter(app_url, pg_url):
    """The owner is not the app: what it can do is caught by verify against an anchor, not prevented."""
    from audit.log import AuditLog
    app = make_engine(app_url)
    log = AuditLog(app)
    for i in range(3):
        log.append("asha", "approved", {"version": 1, "note": "", "role": "officer", "sign_off_tier": "officer",
                                        "second_check": False}, "BR-1", f"d{i}")
    anchor = "%d:%s" % log.head()
    owner = make_engine(_as(pg_url, "casework_owner"))
    with owner.begin() as conn:
        conn.execute(sa.text("ALTER TABLE audit_events DISABLE TRIGGER USER"))
        conn.execute(sa.text("DELETE FROM audit_events WHERE seq = 3"))
        conn.execute(sa.text("ALTER TABLE audit_events ENABLE TRIGGER USER"))
    assert log.verify().intact and not log.verify(against=anchor).intact
    app.dispose()
    owner.dispose()


def test_the_app_role_keeps_the_status_table_and_verify_names_a_status_it_forges(app_url):
    """The app role writes the listings' status table with every event (it has to), and so can forge a status
    there with SQL; it cannot empty or drop the table, no decision trusts it, and verify names the row."""
    from audit.log import AuditLog
    from workflow.errors import DecisionNotAllowed
    from workflow.review import DraftReview
    engine = make_engine(app_url)
    review = DraftReview(AuditLog(engine))
    draft_id = review.new_draft_id()
    review.record_draft("asha", "BR-1", draft_id, {"output": "Ms Jones phoned [1]."})
    review.reject(draft_id, "sam", review.state(draft_id).last_seq, "wrong letter", role="supervisor")
    assert [(s.draft_id, s.status) for s in review.statuses()] == [(draft_id, "rejected")]
    for statement in ("TRUNCATE draft_statuses", "DROP TABLE case_statuses", "ALTER TABLE status_head ADD x int"):
        with pytest.raises(DBAPIError, match="permission denied|must be owner"):
            with engine.begin() as conn:
                conn.execute(sa.text(statement))

    with engine.begin() as conn:
        conn.execute(sa.text("UPDATE draft_statuses SET status = 'pending'"))
    assert [d.draft_id for d in review.undecided()] == [draft_id]
    with pytest.raises(DecisionNotAllowed, match="already rejected"):
        review.approve(draft_id, "sam", review.state(draft_id).last_seq, role="supervisor", supervising=True)
    result = review.log.verify()
    assert result.intact and result.status_differences == (
        f"draft {draft_id} of case BR-1 has status 'pending' where the log says 'rejected'",)
    assert review.log.rebuild_statuses() == 1 and review.log.verify().status_differences == ()
    engine.dispose()
