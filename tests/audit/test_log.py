"""The audit log: chained, append-only in the database itself, and verify finds tampering."""
from __future__ import annotations

import hashlib
import json
import threading

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import DBAPIError

from audit.log import GENESIS, AuditLog, canonical_bytes


def _fill(log: AuditLog, n: int = 5) -> None:
    for i in range(n):
        log.append(f"officer{i % 2}", "drafted", {"output": f"text {i}", "£": "ünïcode"}, f"C-{i}", f"d{i}")


def test_chain_links_every_event_and_verifies(engine):
    log = AuditLog(engine)
    _fill(log)
    events = log.events()
    assert [e.seq for e in events] == [1, 2, 3, 4, 5]
    assert events[0].prev_hash == GENESIS
    for before, after in zip(events, events[1:]):
        assert after.prev_hash == before.hash
    first = events[0]
    recomputed = hashlib.sha256(canonical_bytes(first.seq, first.recorded_at, first.actor, first.action,
                                                first.case_reference, first.draft_id, first.payload,
                                                first.prev_hash)).hexdigest()
    assert recomputed == first.hash
    assert log.verify().intact and log.verify().checked == 5
    assert log.head() == (5, events[-1].hash)


@pytest.mark.parametrize("statement", [
    "UPDATE audit_events SET actor = 'someone else' WHERE seq = 2",
    "DELETE FROM audit_events WHERE seq = 2",
], ids=["update", "delete"])
def test_database_refuses_changes(engine, statement):
    log = AuditLog(engine)
    _fill(log, 3)
    with pytest.raises(DBAPIError, match="append-only"):
        with engine.begin() as conn:
            conn.execute(sa.text(statement))
    assert log.verify().intact


def _behind_the_back(engine, *statements: str) -> None:
    """Someone with database rights drops the guard and edits rows directly."""
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            conn.execute(sa.text("ALTER TABLE audit_events DISABLE TRIGGER USER"))
        else:
            conn.execute(sa.text("DROP TRIGGER audit_events_no_update"))
            conn.execute(sa.text("DROP TRIGGER audit_events_no_delete"))
        for statement in statements:
            conn.execute(sa.text(statement))


def test_verify_names_a_changed_payload(engine):
    log = AuditLog(engine)
    _fill(log)
    _behind_the_back(engine, """UPDATE audit_events SET payload = '{"output":"forged"}' WHERE seq = 3""")
    result = log.verify()
    assert not result.intact and result.first_broken_seq == 3 and "changed" in result.problem


def test_verify_names_a_deleted_event(engine):
    log = AuditLog(engine)
    _fill(log)
    _behind_the_back(engine, "DELETE FROM audit_events WHERE seq = 2")
    result = log.verify()
    assert not result.intact and result.first_broken_seq == 2 and "missing" in result.problem


def test_verify_names_an_inserted_event(engine):
    log = AuditLog(engine)
    _fill(log, 3)
    forged = json.dumps({"output": "inserted later"})
    with engine.begin() as conn:  # INSERT is allowed, so no guard needs dropping
        conn.execute(sa.text("INSERT INTO audit_events VALUES (4, '2020-01-01T00:00:00+00:00', 'intruder', "
                             f"'drafted', 'C-9', 'dx', '{forged}', '{'1' * 64}', '{'2' * 64}')"))
    result = log.verify()
    assert not result.intact and result.first_broken_seq == 4 and "link" in result.problem


def test_concurrent_appends_never_fork_the_chain(engine):
    log = AuditLog(engine)
    errors = []

    def writer(name):
        try:
            for i in range(10):
                log.append(name, "note", {"i": i})
        except Exception as error:  # pragma: no cover - the assertion below reports it
            errors.append(error)

    threads = [threading.Thread(target=writer, args=(f"w{n}",)) for n in range(4)]
    [t.start() for t in threads]
    [t.join() for t in threads]
    assert not errors
    events = log.events()
    assert [e.seq for e in events] == list(range(1, 41))
    assert log.verify().intact
