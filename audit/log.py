"""The append-only audit log, each event chained to the one before by SHA-256.

Canonical form of an event (what its hash covers): the UTF-8 bytes of
``json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False)``
where ``fields`` holds seq, recorded_at, actor, action, case_reference,
draft_id, payload (the decoded JSON object as stored, see below) and
prev_hash. The first event's prev_hash is 64 zeros. The database refuses
UPDATE and DELETE on the table (triggers from migration 0001); ``verify``
recomputes the chain so a change made behind the application's back is found
and located.

Personal content must be erasable, yet an erased text must not break the
chain. So the free text people and the model write (the values under the keys
in ``PERSONAL_CONTENT_KEYS``, at any depth of the payload) is kept outside the
chained table, in ``audit_contents``: each non-empty string gets a random
salt, and the stored payload holds ``{"$content": sha256(salt + text)}`` in its
place (salt as 32 hex characters, then the text, hashed as UTF-8). The chain
covers that reference; ``verify`` also checks that every text not erased still
hashes to its reference, and that every erased one was erased by an event
recorded in the chain (its ``erased_contents`` list). Erasing destroys the
text *and* its salt, so a short erased text cannot be guessed from its hash.
The database lets a kept text only be erased (migration 0003's triggers).
Reading events puts the text back, or a tombstone such as
``[erased on 2026-11-21: retention period ended]``: ``Event.payload`` is that
readable form, ``Event.chained_payload`` the stored form the hash covers (so
an export that is to be re-checked must carry the latter, or the salts and
texts with it). Events written before this scheme keep their text inline and
verify and read back as they were.

Anchoring: ``head()`` gives ``(seq, hash)`` to be written down outside the
system. Someone with the database owner's rights could drop the triggers,
rewrite an event and re-hash every later one so the chain is consistent again;
only ``verify(against="SEQ:HASH")`` catches that, by checking the anchored
event still has the hash recorded earlier.
"""
from __future__ import annotations

import gc
import hashlib
import json
import re
import secrets
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from typing import Any, Callable, Iterable, Iterator

import sqlalchemy as sa
from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError, OperationalError

from audit.errors import AuditBusy, AuditError

GENESIS = "0" * 64
CONTENT_REF = "$content"
# Free text written by people or the model, or quoted from a person's records: drafts, edits and
# their diffs, notes, reasons, sentences checked or accepted, facts and conflicting values found in
# the sources, and file names (which often hold a person's name). Every string under these keys,
# however deeply nested, is kept apart; ids, hashes, numbers and settings stay in the chain.
PERSONAL_CONTENT_KEYS = frozenset({
    "output", "text", "diff_from_ai", "sentence", "sentences", "uncited_sentences", "note", "reason",
    "reasons", "comment", "filename", "subject", "values", "missing_facts", "unsourced_facts", "words",
    "quote", "excerpt", "support",
})
MISSING_TEXT = "[this text is missing from the audit log]"
_IN_CHUNK = 500  # ids per IN (...) list: well under every database's parameter limit



class BadAnchor(AuditError):
    default = ("The anchor is not in the right form. Give it as SEQ:HASH, exactly as `cli.py head` printed it "
               "(for example 1042:9f86d08...), or as the 64-character hash alone.")


class ErasureRefused(AuditError):
    default = "The erasure could not be done."


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
audit_contents = sa.Table(
    "audit_contents", metadata,
    sa.Column("id", sa.String(64), primary_key=True),  # sha256(salt + text), the reference in the payload
    sa.Column("seq", sa.BigInteger, nullable=False),  # the event that holds it, so reading is a range scan
    sa.Column("salt", sa.String(32)),
    sa.Column("text", sa.Text),
    sa.Column("erased_at", sa.String(40)),
    sa.Column("erased_by", sa.String(120)),
    sa.Column("reason", sa.Text),
)


@dataclass(frozen=True, init=False)
class Event:
    """One event. `payload` is readable (personal texts put back, or their tombstones); `chained_payload` is
    the form the hash covers. An event read from the database parses its chained form only when asked: most
    readers never need it, and parsing every payload twice was a third of the cost of reading the log."""
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

    def __init__(self, seq: int, recorded_at: str, actor: str, action: str, case_reference: str | None,
                 draft_id: str | None, payload: dict, prev_hash: str, hash: str,
                 chained_payload: dict | None = None, *, stored_payload: str | None = None):
        self.__dict__.update(seq=seq, recorded_at=recorded_at, actor=actor, action=action,
                             case_reference=case_reference, draft_id=draft_id, payload=payload,
                             prev_hash=prev_hash, hash=hash,
                             _chained=chained_payload if stored_payload is None else stored_payload)

    @property
    def chained_payload(self) -> dict | None:
        """The payload as the hash covers it: personal texts as their references."""
        if isinstance(self._chained, str):
            self.__dict__["_chained"] = json.loads(self._chained)
        return self._chained

    def recompute_hash(self) -> str:
        """The hash of this event's canonical form, for anyone re-checking an export."""
        chained = self.chained_payload
        payload = self.payload if chained is None else chained
        return hashlib.sha256(canonical_bytes(self.seq, self.recorded_at, self.actor, self.action,
                                              self.case_reference, self.draft_id, payload,
                                              self.prev_hash)).hexdigest()


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


def canonical_bytes(seq: int, recorded_at: str, actor: str, action: str, case_reference: str | None,
                    draft_id: str | None, payload: dict, prev_hash: str) -> bytes:
    fields = {"seq": seq, "recorded_at": recorded_at, "actor": actor, "action": action,
              "case_reference": case_reference, "draft_id": draft_id, "payload": payload,
              "prev_hash": prev_hash}
    return json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def content_digest(salt: str, text: str) -> str:
    return hashlib.sha256((salt + text).encode("utf-8")).hexdigest()


def parse_anchor(anchor: str) -> tuple[int | None, str]:
    """``SEQ:HASH`` (as ``cli.py head`` prints it) or a bare hash -> (seq or None, hash)."""
    text = anchor.strip().lower()
    match = re.fullmatch(r"(?:(\d+):)?([0-9a-f]{64})", text)
    if match is None:
        raise BadAnchor()
    return (int(match.group(1)) if match.group(1) is not None else None), match.group(2)


def _json_default(value: Any):
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} cannot go into the audit log")


def _normalise(payload: dict) -> dict:
    """The payload exactly as it will read back from the database (tuples become lists, dates text)."""
    return json.loads(json.dumps(payload, default=_json_default))


def _is_ref(value: Any) -> bool:
    return isinstance(value, dict) and len(value) == 1 and isinstance(value.get(CONTENT_REF), str)


def _seal_all(value: Any, sealed: dict[str, tuple[str, str]]) -> Any:
    """Every non-empty string inside a personal value, replaced by a reference to its sealed copy."""
    if isinstance(value, str) and value:
        salt = secrets.token_hex(16)
        digest = content_digest(salt, value)
        sealed[digest] = (salt, value)
        return {CONTENT_REF: digest}
    if isinstance(value, list):
        return [_seal_all(v, sealed) for v in value]
    if isinstance(value, dict):
        return {k: _seal_all(v, sealed) for k, v in value.items()}
    return value


def _seal(value: Any, sealed: dict[str, tuple[str, str]]) -> Any:
    """The payload to chain: personal texts moved into `sealed`, everything else as it was."""
    if isinstance(value, dict):
        return {k: _seal_all(v, sealed) if k in PERSONAL_CONTENT_KEYS else _seal(v, sealed)
                for k, v in value.items()}
    if isinstance(value, list):
        return [_seal(v, sealed) for v in value]
    return value


def _refs(value: Any) -> Iterator[str]:
    if _is_ref(value):
        yield value[CONTENT_REF]
    elif isinstance(value, dict):
        for v in value.values():
            yield from _refs(v)
    elif isinstance(value, list):
        for v in value:
            yield from _refs(v)


def _may_hold_refs(stored: str) -> bool:
    return f'"{CONTENT_REF}"' in stored


def _chunks(items: list, size: int = _IN_CHUNK) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def _tombstone(erased_at: str, reason: str | None) -> str:
    return f"[erased on {erased_at[:10]}: {reason}]"


def _readable(row) -> str:
    return row.text if row.erased_at is None else _tombstone(row.erased_at, row.reason)


def _tombstone_pattern() -> re.Pattern[str]:
    """What `_tombstone` writes for any day and reason, taken from `_tombstone` itself so the two cannot drift."""
    day, reason = "2000-01-01", "\0"
    before, rest = _tombstone(day, reason).split(day)
    between, after = rest.split(reason)
    return re.compile(f"{re.escape(before)}\\d{{4}}-\\d{{2}}-\\d{{2}}{re.escape(between)}.*{re.escape(after)}", re.S)


_TOMBSTONE = _tombstone_pattern()


def is_erased_text(text: str) -> bool:
    """Whether a text read from the log stands in for one no longer there (a tombstone or the missing-text
    marker), so readers such as the metrics never treat it as something a person or the model wrote."""
    return text == MISSING_TEXT or _TOMBSTONE.fullmatch(text) is not None


@contextmanager
def _gc_paused():
    """Reading a long log builds hundreds of thousands of small dicts that all stay alive; the cyclic
    garbage collector would scan them again and again for nothing (about a fifth of the time)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


@dataclass(frozen=True)
class Visibility:
    """What one reader may see of the log: the events of these cases, and these people's own events that
    concern no case (signing in, saving accounts). Empty sets let nothing through."""
    cases: frozenset[str]
    people: frozenset[str]

    def __post_init__(self):
        object.__setattr__(self, "cases", frozenset(self.cases))
        object.__setattr__(self, "people", frozenset(self.people))


@dataclass(frozen=True)
class EventFilter:
    """A narrowing of the log, done by the database so a long log is never read whole to show part of it.
    An empty set narrows nothing; `visible` None lets everything through."""
    actors: frozenset[str] = frozenset()
    case_references: frozenset[str] = frozenset()
    actions: frozenset[str] = frozenset()
    since: str | None = None  # recorded_at at or after this: ISO 8601 in UTC, which sorts as text in time order
    until: str | None = None  # recorded_at before this
    visible: Visibility | None = None

    def __post_init__(self):
        for name in ("actors", "case_references", "actions"):
            object.__setattr__(self, name, frozenset(getattr(self, name)))


@dataclass(frozen=True)
class EventPage:
    """One page of matching events, newest first, and where it sits among all of them."""
    events: list[Event]
    total: int  # events matching the filter, on every page
    newer: int  # matching events newer than this page: it holds numbers newer + 1 to newer + len(events)


@dataclass(frozen=True)
class EventChoices:
    """What the matching events can be narrowed by: their people, cases and actions, and their first and last
    times (None for none)."""
    actors: list[str]
    case_references: list[str]
    actions: list[str]
    first: str | None
    last: str | None


def _in_statement(values: Iterable, type_: sa.types.TypeEngine = sa.String()):
    """A list of values written into the statement itself, quoted by SQLAlchemy: a team may hold more cases
    than SQLite (32,766) or PostgreSQL (65,535) accept as bound parameters."""
    return sa.bindparam(None, sorted(values), type_=type_, expanding=True, literal_execute=True)


def _filters(case_reference: str | None, actions: tuple[str, ...] | None, of_drafts: bool,
             where: EventFilter | None = None) -> list:
    """The WHERE conditions `events`, `outline`, `page` and `choices` share."""
    conditions = []
    c = audit_events.c
    if case_reference is not None:
        conditions.append(c.case_reference == case_reference)
    if actions:
        conditions.append(c.action.in_(actions))
    if of_drafts:
        conditions.append(c.draft_id.is_not(None))
    if where is None:
        return conditions
    for column, values in ((c.actor, where.actors), (c.case_reference, where.case_references),
                           (c.action, where.actions)):
        if values:
            conditions.append(column.in_(sorted(values)))
    if where.since is not None:
        conditions.append(c.recorded_at >= where.since)
    if where.until is not None:
        conditions.append(c.recorded_at < where.until)
    if where.visible is not None:
        cases, people = (_in_statement(values) for values in (where.visible.cases, where.visible.people))
        conditions.append(sa.or_(c.case_reference.in_(cases), sa.and_(c.case_reference.is_(None), c.actor.in_(people))))
    return conditions


class AuditLog:
    """Appends events and reads them back; never updates or deletes an event."""

    def __init__(self, engine: Engine, retries: int = 50):
        self.engine = engine
        self.retries = retries

    # writing --------------------------------------------------------------
    def append(self, actor: str, action: str, payload: dict, case_reference: str | None = None,
               draft_id: str | None = None, precondition: Callable[[sa.Connection], None] | None = None) -> Event:
        """Append one event at the head of the chain.

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
        return self._append(actor, action, build, case_reference, draft_id)

    def _append(self, actor: str, action: str, build: Callable[[sa.Connection], dict],
                case_reference: str | None, draft_id: str | None) -> Event:
        for attempt in range(self.retries):
            try:
                with self.engine.begin() as conn:
                    head = conn.execute(sa.select(audit_events.c.seq, audit_events.c.hash)
                                        .order_by(audit_events.c.seq.desc()).limit(1)).first()
                    seq, prev_hash = (head.seq + 1, head.hash) if head else (1, GENESIS)
                    payload = _normalise(build(conn))
                    sealed: dict[str, tuple[str, str]] = {}
                    chained = _seal(payload, sealed)
                    recorded_at = datetime.now(timezone.utc).isoformat(timespec="microseconds")
                    digest = hashlib.sha256(canonical_bytes(seq, recorded_at, actor, action, case_reference,
                                                            draft_id, chained, prev_hash)).hexdigest()
                    if sealed:
                        conn.execute(audit_contents.insert(), [{"id": ref, "seq": seq, "salt": salt, "text": text}
                                                               for ref, (salt, text) in sealed.items()])
                    conn.execute(audit_events.insert().values(
                        seq=seq, recorded_at=recorded_at, actor=actor, action=action,
                        case_reference=case_reference, draft_id=draft_id,
                        payload=json.dumps(chained, sort_keys=True, ensure_ascii=False),
                        prev_hash=prev_hash, hash=digest))
                return Event(seq, recorded_at, actor, action, case_reference, draft_id, payload, prev_hash, digest,
                             chained)
            except (IntegrityError, OperationalError):
                time.sleep(min(0.01 * (attempt + 1), 0.2))
        raise AuditBusy()

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
            ids = self._live_contents_of(conn, draft_ids, case_references)
            for chunk in _chunks(ids):
                conn.execute(audit_contents.update()
                             .where(audit_contents.c.id.in_(chunk), audit_contents.c.erased_at.is_(None))
                             .values(text=None, salt=None, erased_at=erased_at, erased_by=actor,
                                     reason=reason.strip()))
            return {**(details or {}), "reason": reason.strip(), "erased_contents": ids}
        return self._append(actor, action, build, case_reference, None)

    def _live_contents_of(self, conn: sa.Connection, draft_ids: list[str], case_references: list[str]) -> list[str]:
        refs: set[str] = set()
        for column, values in ((audit_events.c.draft_id, draft_ids), (audit_events.c.case_reference, case_references)):
            for chunk in _chunks(values):
                rows = conn.execute(sa.select(audit_events.c.payload).where(
                    column.in_(chunk), audit_events.c.payload.like(f'%"{CONTENT_REF}"%')))
                for row in rows:
                    refs.update(_refs(json.loads(row.payload)))
        live = []
        for chunk in _chunks(sorted(refs)):
            live += conn.execute(sa.select(audit_contents.c.id).where(
                audit_contents.c.id.in_(chunk), audit_contents.c.erased_at.is_(None))).scalars().all()
        return sorted(live)

    # reading --------------------------------------------------------------
    @staticmethod
    def _contents(conn: sa.Connection, refs: list[str], held_by=None, columns=None) -> dict:
        """Content rows by id: those of the events `held_by` selects in one query (a scan in seq order),
        then any other reference by id, in batches; never one query per event."""
        query = sa.select(*(columns or audit_contents.c))
        found = {}
        if held_by is not None:
            found.update((row.id, row) for row in conn.execute(query.where(held_by)).all())
        wanted = set(refs) - found.keys()
        for chunk in _chunks(sorted(wanted)):
            found.update((row.id, row) for row in conn.execute(query.where(audit_contents.c.id.in_(chunk))).all())
        return found

    def _events(self, conn: sa.Connection, rows, held_by, texts: bool) -> list[Event]:
        """Events from stored rows: each payload is parsed once, with its references replaced by their texts
        as the decoder builds it; a payload holding no reference (a plain substring check) is parsed plainly."""
        with _gc_paused():
            if not texts:
                return [Event(row.seq, row.recorded_at, row.actor, row.action, row.case_reference, row.draft_id,
                              payload, row.prev_hash, row.hash, payload)
                        for row in rows for payload in (json.loads(row.payload),)]
            texts_by_ref: dict[str, str] = {}
            if any(_may_hold_refs(row.payload) for row in rows):
                c = audit_contents.c
                texts_by_ref = {ref: text if erased_at is None else _tombstone(erased_at, reason)
                                for ref, text, erased_at, reason in
                                conn.execute(sa.select(c.id, c.text, c.erased_at, c.reason).where(held_by))}
            wanted: set[str] = set()
            misses = 0

            def put_back(obj: dict):  # called by the JSON decoder for every object, innermost first
                nonlocal misses
                if CONTENT_REF in obj and len(obj) == 1 and isinstance(obj[CONTENT_REF], str):
                    text = texts_by_ref.get(obj[CONTENT_REF])
                    if text is None:
                        misses += 1
                        wanted.add(obj[CONTENT_REF])
                        return MISSING_TEXT
                    return text
                return obj

            decoder = json.JSONDecoder(object_hook=put_back)  # one decoder for all rows, not one per row
            events, read_again = [], []
            for row in rows:
                before = misses
                events.append(self._event(row, decoder))
                if misses != before:
                    read_again.append(len(events) - 1)
            if read_again:
                # A reference kept with another event than the one read (append never writes one so): fetch
                # those texts by id, in batches, and read again only the events that hold one.
                texts_by_ref.update((ref, _readable(row)) for ref, row in self._contents(conn, sorted(wanted)).items())
                for index in read_again:
                    events[index] = self._event(rows[index], decoder)
            return events

    @staticmethod
    def _event(row, decoder: json.JSONDecoder) -> Event:
        stored = row.payload
        if _may_hold_refs(stored):
            return Event(row.seq, row.recorded_at, row.actor, row.action, row.case_reference, row.draft_id,
                         decoder.decode(stored), row.prev_hash, row.hash, stored_payload=stored)
        payload = json.loads(stored)
        return Event(row.seq, row.recorded_at, row.actor, row.action, row.case_reference, row.draft_id,
                     payload, row.prev_hash, row.hash, payload)

    def events(self, *, draft_id: str | None = None, case_reference: str | None = None,
               actions: tuple[str, ...] | None = None, of_drafts: bool = False,
               draft_ids: Iterable[str] | None = None, texts: bool = True, where: EventFilter | None = None,
               newest_first: bool = False, limit: int | None = None, before_seq: int | None = None,
               conn: sa.Connection | None = None) -> list[Event]:
        """Events in chain order, optionally narrowed, with their personal texts put back.

        `of_drafts` keeps only events that belong to a draft; `draft_ids` only
        those of these drafts; `where` narrows by people, cases, actions, time
        and visibility. `newest_first`, `limit` and `before_seq` (only events
        older than that one) read a page: only its events' texts are read.
        With ``texts=False`` the personal texts are not read at all and
        `payload` is the chained form (references in place): for callers that
        look only at ids, actions and settings, and cheaper.
        """
        conditions = _filters(case_reference, actions, of_drafts, where)
        if draft_id is not None:
            conditions.append(audit_events.c.draft_id == draft_id)
        if before_seq is not None:
            conditions.append(audit_events.c.seq < before_seq)
        if draft_ids is not None:
            chunks = list(_chunks(sorted(set(draft_ids))))
            events = [event for chunk in chunks
                      for event in self._read(conn, [*conditions, audit_events.c.draft_id.in_(chunk)], texts,
                                              newest_first=newest_first, limit=limit)]
            if len(chunks) == 1:
                return events
            return sorted(events, key=lambda event: event.seq, reverse=newest_first)[:limit]
        return self._read(conn, conditions, texts, newest_first=newest_first, limit=limit)

    def page(self, where: EventFilter | None = None, size: int = 50, before_seq: int | None = None) -> EventPage:
        """One page of the events `where` selects, newest first, with their texts; the next page starts before
        the last seq shown. Paging by seq, not by offset, costs as little deep in a long log as at its start,
        and an event appended meanwhile never shifts the pages a reader goes on to."""
        conditions = _filters(None, None, False, where)
        newer = sa.func.count(sa.case((audit_events.c.seq >= before_seq, 1))) if before_seq is not None \
            else sa.literal(0)
        with self.engine.connect() as conn:
            total, newer = conn.execute(sa.select(sa.func.count(), newer).select_from(audit_events)
                                        .where(*conditions)).one()
            events = self.events(where=where, newest_first=True, limit=size, before_seq=before_seq, conn=conn)
        return EventPage(events, total, newer)

    def choices(self, where: EventFilter | None = None) -> EventChoices:
        """The people, cases and actions among the events `where` selects, and their time span, each worked out
        by the database: what a reader's filters can offer without reading the events."""
        c = audit_events.c
        with self.engine.connect() as conn:  # one pass over the events (a query per column took three times longer)
            groups = conn.execute(sa.select(c.actor, c.case_reference, c.action, sa.func.min(c.recorded_at),
                                            sa.func.max(c.recorded_at))
                                  .where(*_filters(None, None, False, where))
                                  .group_by(c.actor, c.case_reference, c.action)).all()
        actors, cases, actions, firsts, lasts = (set(column) for column in zip(*groups)) if groups \
            else (set(),) * 5
        return EventChoices(sorted(actors), sorted(cases - {None}), sorted(actions), min(firsts, default=None),
                            max(lasts, default=None))

    def outline(self, *, case_reference: str | None = None, actions: tuple[str, ...] | None = None,
                of_drafts: bool = False, payloads_of: tuple[str, ...] = (), after_seq: int | None = None,
                through_seq: int | None = None, conn: sa.Connection | None = None) -> list[Event]:
        """Events in chain order with no text read and no payload parsed, except the stored payloads (references
        in place) of `payloads_of` actions; every other payload reads as {}. For listings that need only who
        did what to which draft: a long log reads several times faster this way than with `events`.

        `after_seq` and `through_seq` bound the sequence numbers read, so a reader that keeps what it has read
        can top it up with only the newer events."""
        conditions = _filters(case_reference, actions, of_drafts)
        if after_seq is not None:
            conditions.append(audit_events.c.seq > after_seq)
        if through_seq is not None:
            conditions.append(audit_events.c.seq <= through_seq)
        payload = sa.case((audit_events.c.action.in_(payloads_of), audit_events.c.payload),
                          else_=sa.literal("{}")) if payloads_of else sa.literal("{}")
        columns = [c for c in audit_events.c if c.name != "payload"] + [payload.label("payload")]
        return self._read(conn, conditions, False, columns)

    def _read(self, conn: sa.Connection | None, conditions: list, texts: bool, columns=None, *,
              newest_first: bool = False, limit: int | None = None) -> list[Event]:
        order = audit_events.c.seq.desc() if newest_first else audit_events.c.seq
        query = sa.select(*(columns or [audit_events])).where(*conditions).order_by(order).limit(limit)

        def read(connection: sa.Connection) -> list[Event]:
            rows = connection.execute(query).all()
            if limit is not None:  # the texts of the events read, not of every event the conditions select
                held_by = audit_contents.c.seq.in_(_in_statement((row.seq for row in rows), sa.BigInteger()))
            elif conditions:
                held_by = audit_contents.c.seq.in_(sa.select(audit_events.c.seq).where(*conditions))
            else:
                held_by = sa.true()
            return self._events(connection, rows, held_by, texts)
        if conn is not None:
            return read(conn)
        with self.engine.connect() as own:
            return read(own)

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

    def last_activity_by_case(self) -> dict[str, str]:
        """The time of the newest event on each case (ISO 8601, UTC), for retention."""
        with self.engine.connect() as conn:
            rows = conn.execute(sa.select(audit_events.c.case_reference, sa.func.max(audit_events.c.recorded_at))
                                .where(audit_events.c.case_reference.is_not(None))
                                .group_by(audit_events.c.case_reference)).all()
        return {reference: last for reference, last in rows}

    def kept_texts(self, events: Iterable[Event]) -> dict[int, list[dict]]:
        """For each event (by seq), the personal texts its chained payload references, in order and once each,
        so an export can let someone outside tie every text to the chain with `content_digest`.

        Each is a dict: ref; stored (False when the content store has no row for it); salt and text (None once
        erased); erased_at, erased_by and reason (None while kept).
        """
        refs_of = {event.seq: list(dict.fromkeys(_refs(event.payload if event.chained_payload is None
                                                        else event.chained_payload)))
                   for event in events}
        wanted = sorted({ref for refs in refs_of.values() for ref in refs})
        names = ("salt", "text", "erased_at", "erased_by", "reason")
        rows = {}
        if wanted:
            with self.engine.connect() as conn:
                rows = self._contents(conn, wanted, columns=[audit_contents.c.id,
                                                             *(audit_contents.c[name] for name in names)])

        def facts(ref: str) -> dict:
            row = rows.get(ref)
            return {"ref": ref, "stored": row is not None,
                    **{name: None if row is None else getattr(row, name) for name in names}}
        return {seq: [facts(ref) for ref in refs] for seq, refs in refs_of.items()}

    # verifying ------------------------------------------------------------
    def verify(self, against: str | None = None, batch: int = 5000) -> Verification:
        """Recompute every hash, link and kept text; report the first event where something is wrong.

        With an anchor (``SEQ:HASH`` or a bare hash written down earlier), also
        prove that the anchored event still has that hash, so nothing at or
        before it was rewritten, not even by someone who re-hashed the rest.
        """
        anchor_seq, anchor_hash = parse_anchor(against) if against is not None else (None, None)
        expected_seq, prev_hash, checked = 1, GENESIS, 0
        with self.engine.connect() as conn:
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
            erasures = self._recorded_erasures(conn)
            last = 0
            while True:
                rows = conn.execute(sa.select(audit_events).where(audit_events.c.seq > last)
                                    .order_by(audit_events.c.seq).limit(batch)).all()
                if not rows:
                    break
                refs = [ref for row in rows if _may_hold_refs(row.payload)
                        for ref in _refs(_loads_or_none(row.payload))]
                contents = self._contents(conn, refs, audit_contents.c.seq.between(rows[0].seq, rows[-1].seq)) \
                    if refs else {}
                for row in rows:
                    problem = self._problem(row, expected_seq, prev_hash, contents, erasures)
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

    @staticmethod
    def _recorded_erasures(conn: sa.Connection) -> set[str]:
        """Content ids that events in the log say were erased (those events are verified in the pass)."""
        erased: set[str] = set()
        rows = conn.execute(sa.select(audit_events.c.payload)
                            .where(audit_events.c.payload.like('%"erased_contents"%')))
        for row in rows:
            payload = _loads_or_none(row.payload)
            if isinstance(payload, dict) and isinstance(payload.get("erased_contents"), list):
                erased.update(payload["erased_contents"])
        return erased

    @staticmethod
    def _problem(row, expected_seq: int, prev_hash: str, contents: dict, erasures: set[str]) -> str | None:
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
        for ref in (_refs(payload) if _may_hold_refs(row.payload) else ()):
            content = contents.get(ref)
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
