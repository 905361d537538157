"""The audit log as its callers use it: the chain, the kept texts, the queries and verification in one object.

Each part lives in its own module (``audit.chain``, ``audit.kept_texts``,
``audit.queries``, ``audit.verification``, typed events in ``audit.events``);
this class only composes them, so a caller holds one log and the erasure of
texts is recorded in the same transaction as the event that names it.
"""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Callable, Iterable

import sqlalchemy as sa
from sqlalchemy import Engine

from audit import kept_texts
from audit.chain import Chain, Event
from audit.errors import ErasureRefused
from audit.queries import EventQueries
from audit.verification import Verification, verify


class AuditLog(EventQueries):
    """Appends events and reads them back; never updates or deletes an event."""

    def __init__(self, engine: Engine, retries: int = 50):
        super().__init__(engine)
        self.chain = Chain(engine, retries)

    def append(self, actor: str, action: str, payload: dict, case_reference: str | None = None,
               draft_id: str | None = None, precondition: Callable[[sa.Connection], None] | None = None) -> Event:
        """Append one event at the head of the chain; its payload must fit its action (``audit.events``).

        `precondition` runs inside the writing transaction after the head is
        read; it may raise to refuse the event. Two writers racing for the same
        place collide on the sequence number, and the loser retries from the
        new head (re-running its precondition), so the chain never forks and a
        decision never lands on a state its author did not see.
        """
        def build(conn: sa.Connection) -> dict:
            if precondition:
                precondition(conn)
            return payload
        return self.chain.append(actor, action, build, case_reference, draft_id)

    def erase_contents(self, actor: str, reason: str, *, draft_ids: Iterable[str] = (),
                       case_references: Iterable[str] = (), action: str = "contents_erased",
                       details: dict | None = None, case_reference: str | None = None) -> Event:
        """Erase the personal texts of these drafts' and cases' events, and record it as one event.

        The texts and their salts are destroyed in the same transaction that
        appends the event naming them (`erased_contents`), so verify can tell a
        recorded erasure from a text that vanished. `details` (no personal
        data) goes into the event's payload. Returns the event; erasing again
        finds nothing left and records an empty list.
        """
        if not reason.strip():
            raise ErasureRefused("Give a reason for the erasure; it is recorded in the audit log.")
        draft_ids, case_references = sorted(set(draft_ids)), sorted(set(case_references))

        def build(conn: sa.Connection) -> dict:
            erased_at = datetime.now(timezone.utc).isoformat(timespec="microseconds")
            ids = kept_texts.erase(conn, actor, reason.strip(), erased_at, draft_ids, case_references)
            return {**(details or {}), "reason": reason.strip(), "erased_contents": ids}
        return self.chain.append(actor, action, build, case_reference, None)

    def head(self) -> tuple[int, str]:
        """(sequence number, hash) of the newest event, to be recorded outside the system."""
        return self.chain.head()

    def hash_at(self, seq: int) -> str | None:
        """The hash of event `seq`, or None if there is no such event."""
        return self.chain.hash_at(seq)

    def kept_texts(self, events: Iterable[Event]) -> dict[int, list[dict]]:
        """Each event's kept texts, to tie them to the chain (see ``audit.kept_texts.kept_texts``)."""
        return kept_texts.kept_texts(self.engine, events)

    def verify(self, against: str | None = None, batch: int = 5000) -> Verification:
        """Recompute every hash, link and kept text (see ``audit.verification.verify``)."""
        return verify(self.engine, against, batch)
