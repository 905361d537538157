"""Reading the log: events narrowed by the database, pages, filter choices and text-free outlines.

A long log must never be read whole to show part of it, and the personal
texts of an event are read only when its payload is wanted: ``events`` puts
them back (or their tombstones), ``texts=False`` and ``outline`` leave the
references in place.
"""
from __future__ import annotations

import gc
import json
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Iterable

import sqlalchemy as sa
from sqlalchemy import Engine

from audit.chain import Event
from audit.kept_texts import CONTENT_REF, MISSING_TEXT, chunks, contents, may_hold_refs, readable, readable_texts
from schema import audit_contents, audit_events


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


def in_statement(values: Iterable, type_: sa.types.TypeEngine = sa.String()):
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
        if values:  # written into the statement: a team's case references may be more than the parameters allowed
            conditions.append(column.in_(in_statement(values)))
    if where.since is not None:
        conditions.append(c.recorded_at >= where.since)
    if where.until is not None:
        conditions.append(c.recorded_at < where.until)
    if where.visible is not None:
        cases, people = (in_statement(values) for values in (where.visible.cases, where.visible.people))
        conditions.append(sa.or_(c.case_reference.in_(cases), sa.and_(c.case_reference.is_(None), c.actor.in_(people))))
    return conditions


class EventQueries:
    """Reads events back, narrowed and paged by the database."""

    def __init__(self, engine: Engine):
        self.engine = engine

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
            groups = list(chunks(sorted(set(draft_ids))))
            events = [event for group in groups
                      for event in self._read(conn, [*conditions, audit_events.c.draft_id.in_(group)], texts,
                                              newest_first=newest_first, limit=limit)]
            if len(groups) == 1:
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
                through_seq: int | None = None, where: EventFilter | None = None,
                conn: sa.Connection | None = None) -> list[Event]:
        """Events in chain order with no text read and no payload parsed, except the stored payloads (references
        in place) of `payloads_of` actions; every other payload reads as {}. For listings that need only who
        did what to which draft: a long log reads several times faster this way than with `events`.

        `after_seq` and `through_seq` bound the sequence numbers read, so a reader that keeps what it has read
        can top it up with only the newer events; `where` narrows as for `events`."""
        conditions = _filters(case_reference, actions, of_drafts, where)
        if after_seq is not None:
            conditions.append(audit_events.c.seq > after_seq)
        if through_seq is not None:
            conditions.append(audit_events.c.seq <= through_seq)
        payload = sa.case((audit_events.c.action.in_(payloads_of), audit_events.c.payload),
                          else_=sa.literal("{}")) if payloads_of else sa.literal("{}")
        columns = [c for c in audit_events.c if c.name != "payload"] + [payload.label("payload")]
        return self._read(conn, conditions, False, columns)

    def last_activity_by_case(self) -> dict[str, str]:
        """The time of the newest event on each case (ISO 8601, UTC), for retention."""
        with self.engine.connect() as conn:
            rows = conn.execute(sa.select(audit_events.c.case_reference, sa.func.max(audit_events.c.recorded_at))
                                .where(audit_events.c.case_reference.is_not(None))
                                .group_by(audit_events.c.case_reference)).all()
        return {reference: last for reference, last in rows}

    def _read(self, conn: sa.Connection | None, conditions: list, texts: bool, columns=None, *,
              newest_first: bool = False, limit: int | None = None) -> list[Event]:
        order = audit_events.c.seq.desc() if newest_first else audit_events.c.seq
        query = sa.select(*(columns or [audit_events])).where(*conditions).order_by(order).limit(limit)

        def read(connection: sa.Connection) -> list[Event]:
            rows = connection.execute(query).all()
            if limit is not None:  # the texts of the events read, not of every event the conditions select
                held_by = audit_contents.c.seq.in_(in_statement((row.seq for row in rows), sa.BigInteger()))
            elif conditions:
                held_by = audit_contents.c.seq.in_(sa.select(audit_events.c.seq).where(*conditions))
            else:
                held_by = sa.true()
            return _events(connection, rows, held_by, texts)
        if conn is not None:
            return read(conn)
        with self.engine.connect() as own:
            return read(own)


def _events(conn: sa.Connection, rows, held_by, texts: bool) -> list[Event]:
    """Events from stored rows: each payload is parsed once, with its references replaced by their texts
    as the decoder builds it; a payload holding no reference (a plain substring check) is parsed plainly."""
    with _gc_paused():
        if not texts:
            return [Event(row.seq, row.recorded_at, row.actor, row.action, row.case_reference, row.draft_id,
                          payload, row.prev_hash, row.hash, payload, texts_read=False)
                    for row in rows for payload in (json.loads(row.payload),)]
        texts_by_ref: dict[str, str] = {}
        if any(may_hold_refs(row.payload) for row in rows):
            texts_by_ref = readable_texts(conn, held_by)
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
            events.append(_event(row, decoder))
            if misses != before:
                read_again.append(len(events) - 1)
        if read_again:
            # A reference kept with another event than the one read (append never writes one so): fetch
            # those texts by id, in batches, and read again only the events that hold one.
            texts_by_ref.update((ref, readable(row)) for ref, row in contents(conn, sorted(wanted)).items())
            for index in read_again:
                events[index] = _event(rows[index], decoder)
        return events


def _event(row, decoder: json.JSONDecoder) -> Event:
    stored = row.payload
    if may_hold_refs(stored):
        return Event(row.seq, row.recorded_at, row.actor, row.action, row.case_reference, row.draft_id,
                     decoder.decode(stored), row.prev_hash, row.hash, stored_payload=stored)
    payload = json.loads(stored)
    return Event(row.seq, row.recorded_at, row.actor, row.action, row.case_reference, row.draft_id,
                 payload, row.prev_hash, row.hash, payload)
