"""Anchoring: a head recorded outside the system catches even a rewrite re-hashed by the database owner."""
from __future__ import annotations

import hashlib
import json

import pytest
import sqlalchemy as sa

from audit.chain import GENESIS, canonical_bytes
from audit.errors import BadAnchor
from audit.log import AuditLog
from tests.audit.owner_rights import as_the_owner


def _fill(log: AuditLog, n: int) -> None:
    for i in range(n):
        log.append("asha", "approved", {"version": 1, "note": f"note {i}", "role": "officer",
                                        "sign_off_tier": "officer", "second_check": False}, f"C-{i}", f"d{i}")


def _anchor(log: AuditLog) -> str:
    seq, digest = log.head()
    return f"{seq}:{digest}"


def _rewrite_and_rehash(engine, seq: int, actor: str) -> None:
    """Change one event and recompute every later hash, so the chain is consistent again."""
    with engine.begin() as conn:
        as_the_owner(engine, conn)
        rows = conn.execute(sa.text("SELECT * FROM audit_events WHERE seq >= :s ORDER BY seq"), {"s": seq}).all()
        prev_hash = rows[0].prev_hash
        for row in rows:
            who = actor if row.seq == seq else row.actor
            digest = hashlib.sha256(canonical_bytes(row.seq, row.recorded_at, who, row.action, row.case_reference,
                                                    row.draft_id, json.loads(row.payload), prev_hash)).hexdigest()
            conn.execute(sa.text("UPDATE audit_events SET actor = :a, prev_hash = :p, hash = :h WHERE seq = :s"),
                         {"a": who, "p": prev_hash, "h": digest, "s": row.seq})
            prev_hash = digest


def test_verify_against_an_anchor_taken_earlier(engine):
    log = AuditLog(engine)
    assert log.verify(against=_anchor(log)).intact  # an empty log's head is 0:GENESIS
    _fill(log, 3)
    anchor = _anchor(log)
    assert anchor.startswith("3:")
    _fill(log, 2)
    result = log.verify(against=anchor)
    assert result.intact and result.checked == 5 and result.anchored_seq == 3
    bare = log.verify(against=anchor.split(":")[1].upper())  # a bare hash, in any case
    assert bare.intact and bare.anchored_seq == 3


def test_a_rehashed_rewrite_passes_plain_verify_but_not_the_anchor(engine):
    log = AuditLog(engine)
    _fill(log, 5)
    anchor = _anchor(log)
    _fill(log, 2)
    _rewrite_and_rehash(engine, 2, "someone else")
    assert log.events()[1].actor == "someone else"
    assert log.verify().intact  # without an anchor the forgery is invisible
    result = log.verify(against=anchor)
    assert not result.intact and result.first_broken_seq == 5
    assert result.problem == ("the anchored event 5 no longer has the recorded hash: the log was changed at or "
                              "before event 5")
    bare = log.verify(against=anchor.split(":")[1])
    assert not bare.intact and "no event has the anchored hash" in bare.problem


def test_a_rewrite_after_the_anchor_is_not_blamed_on_it(engine):
    log = AuditLog(engine)
    _fill(log, 3)
    anchor = _anchor(log)
    _fill(log, 3)
    _rewrite_and_rehash(engine, 5, "someone else")
    assert log.verify(against=anchor).intact  # the anchor vouches only for events 1 to 3


def test_a_cut_tail_is_caught_only_with_an_anchor(engine):
    log = AuditLog(engine)
    _fill(log, 5)
    anchor = _anchor(log)
    with engine.begin() as conn:
        as_the_owner(engine, conn)
        conn.execute(sa.text("DELETE FROM audit_events WHERE seq >= 4"))
    assert log.verify().intact
    result = log.verify(against=anchor)
    assert not result.intact and result.first_broken_seq == 4
    assert "anchored event 5 no longer exists (the log ends at event 3)" in result.problem


@pytest.mark.parametrize("anchor", ["", "12", "12:abc", "x:" + "a" * 64, "a" * 63, "1:" + "g" * 64])
def test_a_malformed_anchor_is_a_plain_error(engine, anchor):
    with pytest.raises(BadAnchor, match="SEQ:HASH"):
        AuditLog(engine).verify(against=anchor)


def test_an_anchor_for_event_zero_must_be_the_genesis_hash(engine):
    log = AuditLog(engine)
    _fill(log, 1)
    assert log.verify(against=f"0:{GENESIS}").intact
    assert not log.verify(against="0:" + "1" * 64).intact
