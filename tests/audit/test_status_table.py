"""The listings' status table: written with every event, equal to the chain's fold, checked by verify, filled on
migration, brought up to date after events written without it."""
from __future__ import annotations

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.config import Config

from audit.chain import Chain
from audit.log import AuditLog
from audit.status_table import StatusCheck, StatusTable, fold_chain
from database import MIGRATIONS, make_engine, migrate
from workflow.errors import DecisionNotAllowed
from workflow.review import DraftReview

SAFEGUARDING = {"tier": "supervisor", "reasons": ["Source [2] mentions a safeguarding concern."]}


def assert_table_is_the_chains_fold(engine: sa.Engine) -> None:
    """The table holds exactly what folding the whole chain gives, up to the log's head."""
    table = StatusTable(engine)
    with engine.connect() as conn:
        fold = fold_chain(conn)
    assert table.drafts() == sorted(fold.drafts.values(), key=lambda d: d.drafted_seq)
    assert table.cases() == sorted(fold.cases.values(), key=lambda c: c.case_reference)
    assert table.head() == (fold.seq, fold.hash) == AuditLog(engine).head()


def _draft(review: DraftReview, case: str, actor: str = "asha", **payload) -> str:
    draft_id = review.new_draft_id()
    review.record_draft(actor, case, draft_id, {"output": "Ms A applied on 3 March 2025 [1].", "sources": [],
                                                 "case": {"reference": case, "team": "benefits"}} | payload)
    return draft_id


def _added(log: AuditLog, case: str, *files: tuple[int, str]) -> None:
    log.append("asha", "documents_added", {"files": [
        {"filename": f"doc{doc}.txt", "status": status, "document_id": doc} for doc, status in files]}, case)


def test_every_draft_event_written_by_two_processes_lands_in_the_table(engine):
    """Two AuditLog instances (two app processes) take turns; after every event the table is the chain's fold."""
    one = DraftReview(AuditLog(engine), second_check_share=1.0, random=lambda: 0.0)
    two = DraftReview(AuditLog(engine))
    steps = []

    def step(action):
        steps.append(action())
        assert_table_is_the_chains_fold(engine)

    step(lambda: one.log.append("asha", "signed_in", {"role": "officer", "team": "benefits"}))
    first = _draft(one, "BR-1")
    assert_table_is_the_chains_fold(engine)
    state = one.state(first)
    step(lambda: two.accept_sentence(first, "asha", state.last_seq, "k1", "Ms A applied.", "on the phone",
                                     role="officer"))
    step(lambda: one.edit(first, "asha", two.state(first).last_seq, "Ms A applied in March [1].", role="officer"))
    step(lambda: two.approve(first, "asha", one.state(first).last_seq, role="officer", supervising=False))
    step(lambda: _added(one.log, "BR-1", (7, "added"), (8, "duplicate")))  # the approved summary goes stale
    update = _draft(two, "BR-1", update_of=first)
    step(lambda: one.approve(update, "sam", two.state(update).last_seq, role="supervisor", supervising=True))
    step(lambda: two.second_check(first, "sam", one.state(first).last_seq, "confirmed", role="supervisor",
                                  supervising=True))
    failed = one.new_draft_id()
    step(lambda: two.record_failure("asha", "BR-2", failed, {"error": "model unavailable"}))
    risky = _draft(one, "BR-2", sign_off=SAFEGUARDING)
    step(lambda: two.reject(risky, "sam", one.state(risky).last_seq, "cites the wrong letter", role="supervisor"))
    newer = _draft(two, "BR-1")
    step(lambda: one.approve(newer, "sam", two.state(newer).last_seq, role="supervisor", supervising=True))
    step(lambda: two.log.append("sam", "evidence_exported", {"draft_id": newer, "pack_sha256": "a" * 64}, "BR-1"))
    step(lambda: one.log.erase_contents("admin", "retention period ended", draft_ids=[risky],
                                        case_reference="BR-2"))
    waiting = _draft(one, "BR-3", actor="lee")

    table = StatusTable(engine)
    assert {d.draft_id: (d.status, d.own_status) for d in table.drafts()} == {
        first: ("superseded", "approved"), update: ("superseded", "approved"), failed: ("failed", "failed"),
        risky: ("rejected", "rejected"), newer: ("approved", "approved"), waiting: ("pending", "pending")}
    rows = {d.draft_id: d for d in table.drafts()}
    assert rows[risky].sign_off_tier == "supervisor" and rows[first].sign_off_tier == "officer"
    assert rows[first].second_checked and not rows[first].second_check_due and rows[update].update_of == first
    assert rows[waiting].requested_by == "lee" and rows[waiting].team == "benefits"
    assert {c.case_reference: (c.summary_status, c.drafts, c.undecided) for c in table.cases()} == {
        "BR-1": ("approved", 3, 0), "BR-2": ("rejected", 2, 0), "BR-3": ("pending", 1, 1)}
    assert [c.last_seq for c in table.cases(["BR-2"])] == [one.log.head()[0] - 1]  # the erasure names BR-2
    assert one.log.verify().status_differences_total == 0


def test_the_listings_read_the_table_and_verify_names_every_row_changed_behind_the_apps_back(engine):
    log = AuditLog(engine)
    review = DraftReview(log)
    waiting, rejected = _draft(review, "BR-1"), _draft(review, "BR-2")
    review.reject(rejected, "sam", review.state(rejected).last_seq, "wrong letter", role="supervisor")
    assert [d.draft_id for d in review.undecided()] == [waiting]

    with engine.begin() as conn:  # someone with the app's database login, hiding one draft and reviving another
        conn.execute(sa.text("UPDATE draft_statuses SET status = 'approved' WHERE draft_id = :d"), {"d": waiting})
        conn.execute(sa.text("UPDATE draft_statuses SET status = 'pending' WHERE draft_id = :d"), {"d": rejected})
        conn.execute(sa.text("UPDATE case_statuses SET summary_status = 'approved' WHERE case_reference = 'BR-2'"))
        conn.execute(sa.text("INSERT INTO draft_statuses SELECT 'forged' || substr(draft_id, 7), case_reference, team, "
                             "requested_by, own_status, status, drafted_seq, drafted_at, last_seq, last_at, "
                             "sign_off_tier, first_approval_seq, approval_seq, update_of, second_checked, "
                             "second_check_due FROM draft_statuses WHERE draft_id = :d"), {"d": waiting})
    forged = "forged" + waiting[6:]  # not hexadecimal, so never a real draft's id
    assert [d.draft_id for d in review.undecided()] == [rejected]  # the listing reads the table...
    with pytest.raises(DecisionNotAllowed, match="already rejected"):  # ...no decision trusts it
        review.approve(rejected, "sam", review.state(rejected).last_seq, role="supervisor", supervising=True)

    result = log.verify()
    assert result.intact and result.status_differences_total == 4
    assert set(result.status_differences) == {
        f"draft {waiting} of case BR-1 has status 'approved' where the log says 'pending'",
        f"draft {rejected} of case BR-2 has status 'pending' where the log says 'rejected'",
        f"it lists draft {forged} of case BR-1, which the log does not have",
        "case BR-2 has summary 'approved' where the log says 'rejected'"}
    assert "differs from the log in 4 places" in result.summary() and "rebuilds the table" in result.summary()

    with engine.begin() as conn:
        conn.execute(sa.text("DELETE FROM draft_statuses WHERE draft_id = :d"), {"d": waiting})
    assert f"draft {waiting} of case BR-1 is missing from it" in log.verify().status_differences

    assert log.rebuild_statuses() == 2
    assert log.verify().status_differences == () and [d.draft_id for d in review.undecided()] == [waiting]
    assert_table_is_the_chains_fold(engine)


def test_events_appended_while_verify_runs_are_no_difference(engine):
    log = AuditLog(engine)
    review = DraftReview(log)
    first = _draft(review, "BR-1")
    with engine.connect() as conn:
        check = StatusCheck(conn)
        for row in conn.execute(sa.text("SELECT * FROM audit_events ORDER BY seq")):
            check.take(row)
    verified = log.head()[0]
    review.approve(first, "sam", review.state(first).last_seq, role="supervisor", supervising=True)  # meanwhile
    _draft(review, "BR-2")
    assert check.differences(engine, verified) == []


def _migrate_to(engine: sa.Engine, revision: str) -> None:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def _append_without_the_table(engine: sa.Engine, actor: str, action: str, payload: dict, case: str | None = None,
                              draft_id: str | None = None) -> None:
    """An event appended as a version of the app from before the status table did (the chain alone)."""
    Chain(engine).append(actor, action, lambda _conn: payload, case, draft_id)


APPROVED = {"version": 1, "note": "", "role": "supervisor", "sign_off_tier": "officer", "second_check": False}


def test_migrating_a_database_that_holds_events_fills_the_table_and_an_append_brings_it_up_to_date(db_url):
    engine = make_engine(db_url)
    try:
        _migrate_to(engine, "0007")
        for n in range(6):
            _append_without_the_table(engine, "asha", "drafted", {"output": f"Summary {n} [1]."}, f"BR-{n % 2}",
                                      f"d{n}")
        _append_without_the_table(engine, "sam", "approved", APPROVED, "BR-0", "d0")
        _append_without_the_table(engine, "sam", "rejected", {"reason": "no", "role": "supervisor"}, "BR-1", "d1")
        _append_without_the_table(engine, "sam", "signed_in", {"role": "supervisor", "team": "benefits"})

        migrate(engine)
        assert_table_is_the_chains_fold(engine)
        review = DraftReview(AuditLog(engine))
        assert [(s.draft_id, s.status) for s in review.statuses()] == [
            ("d0", "approved"), ("d1", "rejected"), ("d2", "pending"), ("d3", "pending"), ("d4", "pending"),
            ("d5", "pending")]
        assert review.case_summaries() == {"BR-0": "pending", "BR-1": "pending"}

        # An instance still running the old version goes on appending: the table falls behind, verify says so...
        _append_without_the_table(engine, "sam", "approved", APPROVED, "BR-0", "d2")
        _append_without_the_table(engine, "sam", "rejected", {"reason": "no", "role": "supervisor"}, "BR-0", "d4")
        behind = review.log.verify().status_differences
        assert behind and "has taken in the log only up to event 9 of 11" in behind[0]
        # ...and the next event this version appends takes the missing ones in first.
        _added(review.log, "BR-0", (3, "added"))
        assert_table_is_the_chains_fold(engine)
        assert {s.draft_id: s.status for s in review.statuses("BR-0")} == {
            "d0": "superseded", "d2": "stale", "d4": "rejected"}
        assert review.log.verify().status_differences == ()

        with engine.begin() as conn:  # a head that is no event of this log: the next append folds everything again
            conn.execute(sa.text("UPDATE status_head SET hash = :h"), {"h": "0" * 63 + "1"})
            conn.execute(sa.text("DELETE FROM case_statuses"))
        _draft(review, "BR-2")
        assert_table_is_the_chains_fold(engine)
    finally:
        engine.dispose()
