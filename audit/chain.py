"""The append-only chain of events, each tied to the one before by SHA-256.

Canonical form of an event (what its hash covers): the UTF-8 bytes of
``json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False)``
where ``fields`` holds seq, recorded_at, actor, action, case_reference,
draft_id, payload (the decoded JSON object as stored: personal texts as their
references, see ``audit.kept_texts``) and prev_hash. The first event's
prev_hash is 64 zeros. The database refuses UPDATE and DELETE on the table
(triggers from migration 0001); ``audit.verification`` recomputes the chain.
Since the payload is stored as that same compact, sorted JSON, the canonical
form can be put together from the stored text without parsing it
(``canonical_text``), which is most of what makes verifying fast.

Each event's hash is signed with a key the database does not hold
(``audit.signing``; key id and signature in their own columns), and signed
checkpoints of the head go to a file outside the database
(``audit.checkpoints``). Events written before signing began have neither.
Events written before texts were kept apart hold their text inline and read
and verify as they were.
"""
from __future__ import annotations

import hashlib
import json
import time
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from typing import Any, Callable

import sqlalchemy as sa
from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError, OperationalError

from audit import events as event_types
from audit.checkpoints import CheckpointFile
from audit.errors import AuditBusy
from audit.kept_texts import CONTENT_REF, seal
from audit.signing import Keyring
from schema import audit_contents, audit_events

GENESIS = "0" * 64


@dataclass(frozen=True, init=False)
class Event:
    """One event. `payload` is readable (personal texts put back, or their tombstones); `chained_payload` is
    the form the hash covers; `data` is the payload typed by its action (``audit.events``). An event read from
    the database parses its chained form, and its typed form, only when asked: most readers need neither, and
    parsing every payload twice was a third of the cost of reading the log."""
    seq: int
    recorded_at: str
    actor: str
    action: str
    case_reference: str | None
    draft_id: str | None
    payload: dict  # readable: personal texts put back (or their tombstones)
    prev_hash: str
    hash: str
    _chained: dict | str | None = field(default=None, repr=False, compare=False)  # as stored, until parsed
    _texts_read: bool = field(default=True, repr=False, compare=False)  # False: `payload` holds references

    def __init__(self, seq: int, recorded_at: str, actor: str, action: str, case_reference: str | None,
                 draft_id: str | None, payload: dict, prev_hash: str, hash: str,
                 chained_payload: dict | None = None, *, stored_payload: str | None = None, texts_read: bool = True):
        self.__dict__.update(seq=seq, recorded_at=recorded_at, actor=actor, action=action,
                             case_reference=case_reference, draft_id=draft_id, payload=payload,
                             prev_hash=prev_hash, hash=hash,
                             _chained=chained_payload if stored_payload is None else stored_payload,
                             _texts_read=texts_read)

    @property
    def chained_payload(self) -> dict | None:
        """The payload as the hash covers it: personal texts as their references."""
        if isinstance(self._chained, str):
            self.__dict__["_chained"] = json.loads(self._chained)
        return self._chained

    @property
    def data(self) -> event_types.Payload:
        """The payload typed by the event's action, parsed once (``audit.events.parse``)."""
        parsed = self.__dict__.get("_data")
        if parsed is None:
            parsed = self.__dict__["_data"] = event_types.parse(self.action, self.payload, self._texts_read)
        return parsed

    def kept_ref(self, key: str) -> str | None:
        """The content reference under which the text of top-level `key` is kept apart, or None if it is not."""
        value = (self.chained_payload or {}).get(key)
        return value.get(CONTENT_REF) if isinstance(value, dict) else None

    def recompute_hash(self) -> str:
        """The hash of this event's canonical form, for anyone re-checking an export."""
        chained = self.chained_payload
        payload = self.payload if chained is None else chained
        return hashlib.sha256(canonical_bytes(self.seq, self.recorded_at, self.actor, self.action,
                                              self.case_reference, self.draft_id, payload,
                                              self.prev_hash)).hexdigest()


def canonical_bytes(seq: int, recorded_at: str, actor: str, action: str, case_reference: str | None,
                    draft_id: str | None, payload: dict, prev_hash: str) -> bytes:
    fields = {"seq": seq, "recorded_at": recorded_at, "actor": actor, "action": action,
              "case_reference": case_reference, "draft_id": draft_id, "payload": payload,
              "prev_hash": prev_hash}
    return json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


_quote = json.encoder.encode_basestring  # what json.dumps(ensure_ascii=False) writes for a string


def canonical_text(seq: int, recorded_at: str, actor: str, action: str, case_reference: str | None,
                   draft_id: str | None, payload_json: str, prev_hash: str) -> bytes:
    """``canonical_bytes`` put together from a payload already in canonical JSON (as events are stored since
    signing began), without parsing it. For a payload stored in any other form the result differs from
    ``canonical_bytes``, so its hash does not match and the caller falls back to parsing."""
    case_json = "null" if case_reference is None else _quote(case_reference)
    draft_json = "null" if draft_id is None else _quote(draft_id)
    return (f'{{"action":{_quote(action)},"actor":{_quote(actor)},"case_reference":{case_json},'
            f'"draft_id":{draft_json},"payload":{payload_json},"prev_hash":{_quote(prev_hash)},'
            f'"recorded_at":{_quote(recorded_at)},"seq":{int(seq)}}}').encode("utf-8")


def canonical_json(payload: dict) -> str:
    """A payload as it is stored and hashed: compact, keys sorted, not escaped to ASCII."""
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def _json_default(value: Any):
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} cannot go into the audit log")


def normalise(payload: dict) -> dict:
    """The payload exactly as it will read back from the database (tuples become lists, dates text)."""
    return json.loads(json.dumps(payload, default=_json_default))


class Chain:
    """Appends events at the head, signed when it holds a key; never updates or deletes one.

    `origin` (e.g. "cli") is recorded in every payload it appends as ``via``, so the log shows where an action
    came from; `checkpoints` writes the signed checkpoints when due.
    """

    def __init__(self, engine: Engine, retries: int = 50, keyring: Keyring | None = None,
                 checkpoints: CheckpointFile | None = None, origin: str | None = None):
        self.engine, self.retries = engine, retries
        self.keyring, self.checkpoints, self.origin = keyring, checkpoints, origin

    def append(self, actor: str, action: str, build: Callable[[sa.Connection], dict],
               case_reference: str | None = None, draft_id: str | None = None,
               then: Callable[[sa.Connection, Event], None] | None = None) -> Event:
        """Append the event whose payload `build` makes inside the writing transaction, after the head is read.

        `build` may raise to refuse the event; `then` runs in the same transaction once the event is in the
        table (an erasure, which the database allows only once an erasure event names it). Two writers racing
        for the same place collide on the sequence number, and the loser retries from the new head (building
        again), so the chain never forks and nothing lands on a state its author did not see. The payload is
        checked against its action's model (``audit.events.check``) and stored exactly as given.
        """
        for attempt in range(self.retries):
            try:
                with self.engine.begin() as conn:
                    head = conn.execute(sa.select(audit_events.c.seq, audit_events.c.hash)
                                        .order_by(audit_events.c.seq.desc()).limit(1)).first()
                    seq, prev_hash = (head.seq + 1, head.hash) if head else (1, GENESIS)
                    payload = normalise(build(conn))
                    if self.origin:
                        payload.setdefault("via", self.origin)
                    event_types.check(action, payload)
                    sealed: dict[str, tuple[str, str]] = {}
                    chained = seal(payload, sealed)
                    stored = canonical_json(chained)
                    recorded_at = datetime.now(timezone.utc).isoformat(timespec="microseconds")
                    digest = hashlib.sha256(canonical_text(seq, recorded_at, actor, action, case_reference,
                                                           draft_id, stored, prev_hash)).hexdigest()
                    key_id, signature = self.keyring.sign_event(digest) if self.keyring else (None, None)
                    if sealed:
                        conn.execute(audit_contents.insert(), [{"id": ref, "seq": seq, "salt": salt, "text": text}
                                                               for ref, (salt, text) in sealed.items()])
                    conn.execute(audit_events.insert().values(
                        seq=seq, recorded_at=recorded_at, actor=actor, action=action,
                        case_reference=case_reference, draft_id=draft_id, payload=stored,
                        prev_hash=prev_hash, hash=digest, key_id=key_id, signature=signature))
                    event = Event(seq, recorded_at, actor, action, case_reference, draft_id, payload, prev_hash,
                                  digest, chained)
                    if then:
                        then(conn, event)
            except (IntegrityError, OperationalError):
                time.sleep(min(0.01 * (attempt + 1), 0.2))
                continue
            if self.checkpoints:
                self.checkpoints.after_append(seq, digest)
            return event
        raise AuditBusy()

    def head(self) -> tuple[int, str]:
        """(sequence number, hash) of the newest event, to be recorded outside the system."""
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(audit_events.c.seq, audit_events.c.hash)
                               .order_by(audit_events.c.seq.desc()).limit(1)).first()
        return (row.seq, row.hash) if row else (0, GENESIS)

    def hash_at(self, seq: int) -> str | None:
        """The hash of event `seq`, or None if there is no such event."""
        with self.engine.connect() as conn:
            return conn.execute(sa.select(audit_events.c.hash).where(audit_events.c.seq == seq)).scalar()
