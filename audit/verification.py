"""Verifying the log: every hash, link and kept text recomputed, and the first thing wrong named.

Anchoring: ``head()`` gives ``(seq, hash)`` to be written down outside the
system. Someone with the database owner's rights could drop the triggers,
rewrite an event and re-hash every later one so the chain is consistent again;
only ``verify(against="SEQ:HASH")`` catches that, by checking the anchored
event still has the hash recorded earlier. A kept text must still hash to its
reference, and one erased must have been erased by an event recorded in the
chain (its ``erased_contents`` list).
"""
from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy import Engine

from audit.chain import GENESIS, canonical_bytes
from audit.errors import BadAnchor
from audit.events import ContentsErased, parse
from audit.kept_texts import content_digest, contents, may_hold_refs, refs
from schema import audit_contents, audit_events


@dataclass(frozen=True)
class Verification:
    intact: bool
    checked: int
    first_broken_seq: int | None = None
    problem: str = ""
    anchored_seq: int | None = None  # the anchor's event, when verified against one
    # The last event found sound, so a report names the head that was proved, not one read later that may be
    # newer; (0, 64 zeros) when none was, as `head()` of an empty log.
    head_seq: int = 0
    head_hash: str = GENESIS


def parse_anchor(anchor: str) -> tuple[int | None, str]:
    """``SEQ:HASH`` (as ``cli.py head`` prints it) or a bare hash -> (seq or None, hash)."""
    text = anchor.strip().lower()
    match = re.fullmatch(r"(?:(\d+):)?([0-9a-f]{64})", text)
    if match is None:
        raise BadAnchor()
    return (int(match.group(1)) if match.group(1) is not None else None), match.group(2)


def verify(engine: Engine, against: str | None = None, batch: int = 5000) -> Verification:
    """Recompute every hash, link and kept text; report the first event where something is wrong.

    With an anchor (``SEQ:HASH`` or a bare hash written down earlier), also
    prove that the anchored event still has that hash, so nothing at or
    before it was rewritten, not even by someone who re-hashed the rest.
    """
    anchor_seq, anchor_hash = parse_anchor(against) if against is not None else (None, None)
    expected_seq, prev_hash, checked = 1, GENESIS, 0
    with engine.connect() as conn:
        if anchor_hash is not None and anchor_seq is None:
            anchor_seq = conn.execute(sa.select(audit_events.c.seq)
                                      .where(audit_events.c.hash == anchor_hash)).scalar()
            if anchor_seq is None and anchor_hash != GENESIS:
                return Verification(False, 0, None, "no event has the anchored hash: the log was changed at "
                                                    "or before the anchored event (or the anchor belongs to "
                                                    "another log)")
        if anchor_seq == 0 and anchor_hash != GENESIS:
            return Verification(False, 0, None, "the anchor names event 0, which can only have the hash "
                                                "of 64 zeros: check the anchor was copied correctly")
        erasures = _recorded_erasures(conn)
        last = 0
        while True:
            rows = conn.execute(sa.select(audit_events).where(audit_events.c.seq > last)
                                .order_by(audit_events.c.seq).limit(batch)).all()
            if not rows:
                break
            wanted = [ref for row in rows if may_hold_refs(row.payload) for ref in refs(_loads_or_none(row.payload))]
            held = contents(conn, wanted, audit_contents.c.seq.between(rows[0].seq, rows[-1].seq)) if wanted else {}
            for row in rows:
                problem = _problem(row, expected_seq, prev_hash, held, erasures)
                if problem is None and row.seq == anchor_seq and row.hash != anchor_hash:
                    problem = (f"the anchored event {row.seq} no longer has the recorded hash: the log was "
                               f"changed at or before event {row.seq}")
                if problem is not None:
                    broken = expected_seq if row.seq != expected_seq else row.seq
                    return Verification(False, checked, broken, problem, anchor_seq, last, prev_hash)
                prev_hash, expected_seq, checked, last = row.hash, row.seq + 1, checked + 1, row.seq
    if anchor_seq is not None and anchor_seq > last:
        return Verification(False, checked, last + 1,
                            f"the anchored event {anchor_seq} no longer exists (the log ends at event {last}): "
                            f"events were removed at or before event {anchor_seq}", anchor_seq, last, prev_hash)
    return Verification(True, checked, anchored_seq=anchor_seq, head_seq=last, head_hash=prev_hash)


def _recorded_erasures(conn: sa.Connection) -> set[str]:
    """Content ids that events in the log say were erased (those events are verified in the pass)."""
    erased: set[str] = set()
    rows = conn.execute(sa.select(audit_events.c.payload).where(audit_events.c.payload.like('%"erased_contents"%')))
    for row in rows:
        payload = _loads_or_none(row.payload)
        if isinstance(payload, dict):  # whatever the action: every erasure records its ids in this shape
            erased.update(parse(ContentsErased.action, payload).erased_contents)
    return erased


def _problem(row, expected_seq: int, prev_hash: str, held: dict, erasures: set[str]) -> str | None:
    if row.seq != expected_seq:
        return f"event {expected_seq} is missing (next found is {row.seq})"
    if row.prev_hash != prev_hash:
        return f"event {row.seq} does not link to the event before it"
    payload = _loads_or_none(row.payload)
    if not isinstance(payload, dict):
        return f"event {row.seq} has an unreadable payload"
    digest = hashlib.sha256(canonical_bytes(row.seq, row.recorded_at, row.actor, row.action,
                                            row.case_reference, row.draft_id, payload,
                                            row.prev_hash)).hexdigest()
    if digest != row.hash:
        return f"event {row.seq} was changed after it was recorded"
    for ref in (refs(payload) if may_hold_refs(row.payload) else ()):
        content = held.get(ref)
        if content is None:
            return f"a text kept with event {row.seq} is missing from the audit log's content store"
        if content.erased_at is not None:
            if ref not in erasures:
                return f"a text kept with event {row.seq} was erased, but no erasure of it is recorded in the log"
        elif content.salt is None or content.text is None or content_digest(content.salt, content.text) != ref:
            return f"a text kept with event {row.seq} was changed after it was recorded"
    return None


def _loads_or_none(text: str):
    try:
        return json.loads(text)
    except ValueError:
        return None
