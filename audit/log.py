"""The append-only audit log, each event chained to the one before by SHA-256.

Canonical form of an event (what its hash covers): the UTF-8 bytes of
``json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False)``
where ``fields`` holds seq, recorded_at, actor, action, case_reference,
draft_id, payload (the decoded JSON object) and prev_hash. The first event's
prev_hash is 64 zeros. The database refuses UPDATE and DELETE on the table
(triggers from migration 0001); ``verify`` recomputes the chain so a change
made behind the application's back is found and located.
"""
from __future__ import annotations

import hashlib
import json
import time
from dataclasses import dataclass
from datetime import date, datetime, timezone
from typing import Any, Callable

import sqlalchemy as sa
from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError, OperationalError

from audit.errors import AuditBusy

GENESIS = "0" * 64

metadata = sa.MetaData()
audit_events = sa.Table(
    "audit_events", metadata,
    sa.Column("seq", sa.BigInteger, primary_key=True, autoincrement=False),
    sa.Column("recorded_at", sa.String(40), nullable=False),
    sa.Column("actor", sa.String(120), nullable=False),
    sa.Column("action", sa.String(40), nullable=False),
    sa.Column("case_reference", sa.String(64)),
    sa.Column("draft_id", sa.String(32)),
    sa.Column("payload", sa.Text, nullable=False),
    sa.Column("prev_hash", sa.String(64), nullable=False),
    sa.Column("hash", sa.String(64), nullable=False),
)


@dataclass(frozen=True)
class Event:
    seq: int
    recorded_at: str
    actor: str
    action: str
    case_reference: str | None
    draft_id: str | None
    payload: dict
    prev_hash: str
    hash: str


@dataclass(frozen=True)
class Verification:
    intact: bool
    checked: int
    first_broken_seq: int | None = None
    problem: str = ""


def canonical_bytes(seq: int, recorded_at: str, actor: str, action: str, case_reference: str | None,
                    draft_id: str | None, payload: dict, prev_hash: str) -> bytes:
    fields = {"seq": seq, "recorded_at": recorded_at, "actor": actor, "action": action,
              "case_reference": case_reference, "draft_id": draft_id, "payload": payload,
              "prev_hash": prev_hash}
    return json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def _json_default(value: Any):
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} cannot go into the audit log")


def _normalise(payload: dict) -> dict:
    """The payload exactly as it will read back from the database (tuples become lists, dates text)."""
    return json.loads(json.dumps(payload, default=_json_default))


class AuditLog:
    """Appends events and reads them back; never updates or deletes."""

    def __init__(self, engine: Engine, retries: int = 50):
        self.engine = engine
        self.retries = retries

    def append(self, actor: str, action: str, payload: dict, case_reference: str | None = None,
               draft_id: str | None = None, precondition: Callable[[sa.Connection], None] | None = None) -> Event:
        """Append one event at the head of the chain.

        `precondition` runs inside the writing transaction after the head is
        read; it may raise to refuse the event. Two writers racing for the same
        place collide on the sequence number, and the loser retries from the
        new head (re-running its precondition), so the chain never forks and a
        decision never lands on a state its author did not see.
        """
        payload = _normalise(payload)
        for attempt in range(self.retries):
            try:
                with self.engine.begin() as conn:
                    head = conn.execute(sa.select(audit_events.c.seq, audit_events.c.hash)
                                        .order_by(audit_events.c.seq.desc()).limit(1)).first()
                    seq, prev_hash = (head.seq + 1, head.hash) if head else (1, GENESIS)
                    if precondition:
                        precondition(conn)
                    recorded_at = datetime.now(timezone.utc).isoformat(timespec="microseconds")
                    digest = hashlib.sha256(canonical_bytes(seq, recorded_at, actor, action, case_reference,
                                                            draft_id, payload, prev_hash)).hexdigest()
                    conn.execute(audit_events.insert().values(
                        seq=seq, recorded_at=recorded_at, actor=actor, action=action,
                        case_reference=case_reference, draft_id=draft_id,
                        payload=json.dumps(payload, sort_keys=True, ensure_ascii=False),
                        prev_hash=prev_hash, hash=digest))
                return Event(seq, recorded_at, actor, action, case_reference, draft_id, payload, prev_hash, digest)
            except (IntegrityError, OperationalError):
                time.sleep(min(0.01 * (attempt + 1), 0.2))
        raise AuditBusy()

    @staticmethod
    def _event(row) -> Event:
        return Event(row.seq, row.recorded_at, row.actor, row.action, row.case_reference, row.draft_id,
                     json.loads(row.payload), row.prev_hash, row.hash)

    def events(self, *, draft_id: str | None = None, case_reference: str | None = None,
               actions: tuple[str, ...] | None = None, conn: sa.Connection | None = None) -> list[Event]:
        """Events in chain order, optionally narrowed."""
        query = sa.select(audit_events).order_by(audit_events.c.seq)
        if draft_id is not None:
            query = query.where(audit_events.c.draft_id == draft_id)
        if case_reference is not None:
            query = query.where(audit_events.c.case_reference == case_reference)
        if actions:
            query = query.where(audit_events.c.action.in_(actions))
        if conn is not None:
            return [self._event(r) for r in conn.execute(query)]
        with self.engine.connect() as own:
            return [self._event(r) for r in own.execute(query)]

    def head(self) -> tuple[int, str]:
        """(sequence number, hash) of the newest event, to be recorded outside the system."""
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(audit_events.c.seq, audit_events.c.hash)
                               .order_by(audit_events.c.seq.desc()).limit(1)).first()
        return (row.seq, row.hash) if row else (0, GENESIS)

    def verify(self, batch: int = 5000) -> Verification:
        """Recompute every hash and link; report the first event where the chain breaks."""
        expected_seq, prev_hash, checked = 1, GENESIS, 0
        with self.engine.connect() as conn:
            last = 0
            while True:
                rows = conn.execute(sa.select(audit_events).where(audit_events.c.seq > last)
                                    .order_by(audit_events.c.seq).limit(batch)).all()
                if not rows:
                    return Verification(True, checked)
                for row in rows:
                    if row.seq != expected_seq:
                        return Verification(False, checked, expected_seq,
                                            f"event {expected_seq} is missing (next found is {row.seq})")
                    if row.prev_hash != prev_hash:
                        return Verification(False, checked, row.seq,
                                            f"event {row.seq} does not link to the event before it")
                    try:
                        payload = json.loads(row.payload)
                    except ValueError:
                        return Verification(False, checked, row.seq, f"event {row.seq} has an unreadable payload")
                    digest = hashlib.sha256(canonical_bytes(row.seq, row.recorded_at, row.actor, row.action,
                                                            row.case_reference, row.draft_id, payload,
                                                            row.prev_hash)).hexdigest()
                    if digest != row.hash:
                        return Verification(False, checked, row.seq,
                                            f"event {row.seq} was changed after it was recorded")
                    prev_hash, expected_seq, checked, last = row.hash, row.seq + 1, checked + 1, row.seq
