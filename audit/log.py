"""The audit log as its callers use it: the chain, the kept texts, the queries, the listings' status table and
verification in one object.

Each part lives in its own module (``audit.chain``, ``audit.kept_texts``,
``audit.queries``, ``audit.status_table``, ``audit.verification``, typed
events in ``audit.events``); this class only composes them, so a caller holds
one log, and the erasure of texts and the statuses the listings read are
written in the same transaction as the event that names them.
"""
from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, Iterable

import sqlalchemy as sa
from sqlalchemy import Engine

from audit import kept_texts
from audit.chain import Chain, Event
from audit.checkpoints import CheckpointFile
from audit.errors import ErasureRefused, KeyProblem
from audit.queries import EventQueries
from audit.signing import Keyring, open_keyring
from audit.status_table import StatusTable
from audit.verification import HeldDocument, Verification, verify


class AuditLog(EventQueries):
    """Appends events and reads them back; never updates or deletes an event. With a keyring it signs every event
    it appends and (with a checkpoint file) writes signed checkpoints; without one, events are unsigned, as
    before signing existed."""

    def __init__(self, engine: Engine, retries: int = 50, keyring: Keyring | None = None,
                 checkpoints: CheckpointFile | None = None):
        super().__init__(engine)
        self.chain = Chain(engine, retries, keyring, checkpoints)
        self.statuses = StatusTable(engine)  # written with every event appended here, read by the listings

    @classmethod
    def signed(cls, engine: Engine, key_file: Path, key_secret: str | None, checkpoint_file: Path,
               checkpoint_every_events: int, checkpoint_every_s: float) -> AuditLog:
        """The log as the service runs it: keys from the secret or the key file (made on first use, for the
        events after today's head), checkpoints to their file."""
        keyring = open_keyring(key_file, key_secret, Chain(engine).head()[0] + 1)
        return cls(engine, keyring=keyring, checkpoints=CheckpointFile(checkpoint_file, keyring,
                                                                       checkpoint_every_events, checkpoint_every_s))

    @property
    def keyring(self) -> Keyring | None:
        return self.chain.keyring

    def record_origin(self, origin: str) -> None:
        """Mark every event appended from now on as coming from `origin` (the CLI says "cli")."""
        self.chain.origin = origin

    def rotate_key(self, actor: str) -> Event:
        """Start signing with a new key, keeping the old ones so old events still verify; the event recording it
        is the first signed with the new key."""
        if self.chain.keyring is None:
            raise KeyProblem("This audit log has no signing key to rotate.")
        key = self.chain.keyring.rotate(self.head()[0] + 1)
        return self.append(actor, "audit_key_rotated", {"key_id": key.id})

    def checkpoint(self) -> int:
        """Write a signed checkpoint of the head now (e.g. from a scheduled job); its event number."""
        if self.chain.checkpoints is None:
            raise KeyProblem("This audit log has no checkpoint file.")
        seq, digest = self.head()
        self.chain.checkpoints.write(seq, digest)
        return seq

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
        return self.chain.append(actor, action, build, case_reference, draft_id, self.statuses.record)

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

        erased_at = datetime.now(timezone.utc).isoformat(timespec="microseconds")
        erasing: list[str] = []

        def build(conn: sa.Connection) -> dict:
            erasing[:] = kept_texts.live_contents_of(conn, draft_ids, case_references)
            return {**(details or {}), "reason": reason.strip(), "erased_contents": list(erasing)}

        def then(conn: sa.Connection, event: Event) -> None:
            kept_texts.erase(conn, erasing, actor, reason.strip(), erased_at)
            self.statuses.record(conn, event)
        return self.chain.append(actor, action, build, case_reference, None, then)

    def head(self) -> tuple[int, str]:
        """(sequence number, hash) of the newest event, to be recorded outside the system."""
        return self.chain.head()

    def hash_at(self, seq: int) -> str | None:
        """The hash of event `seq`, or None if there is no such event."""
        return self.chain.hash_at(seq)

    def kept_texts(self, events: Iterable[Event]) -> dict[int, list[dict]]:
        """Each event's kept texts, to tie them to the chain (see ``audit.kept_texts.kept_texts``)."""
        return kept_texts.kept_texts(self.engine, events)

    def verify(self, against: str | None = None, batch: int = 5000,
               documents: Callable[[], Iterable[HeldDocument]] | None = None, statuses: bool = True) -> Verification:
        """Recompute every hash, link, signature, checkpoint and kept text, re-hash the `documents` given, and
        (unless `statuses` is False) compare the listings' status table with the chain (see
        ``audit.verification.verify``)."""
        return verify(self.engine, against, batch, self.chain.keyring, self.chain.checkpoints, documents, statuses)

    def rebuild_statuses(self) -> int:
        """Fold the whole chain again into the listings' status table, replacing what it held (after verify named
        a difference); the number of drafts."""
        return self.statuses.rebuild()
