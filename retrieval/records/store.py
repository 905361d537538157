"""The case records (persons, cases, documents and their passages) and legal holds, in SQL.

This module is the only one that reads or writes those tables (passages
through passages.py). A document is stored once per SHA-256 within a case, so
the same file added twice to a case is kept once, with the passages it was
cut into then; another case (maybe another team's) holding the same file has
its own document, and no lookup here ever crosses cases. Erasure
leaves tombstones, not gaps: an erased person keeps their reference, an
erased document its id, SHA-256, kind and size (so the audit log's references
to it still mean something), while names, dates of birth, file names, text,
metadata and passages are gone. A legal hold on a person or one of their
cases makes erasure refuse, checked in the erasing transaction itself. A new
document is marked unrecorded in the transaction that stores it, until the
audit event recording its addition removes the mark in its own transaction
(summariser/services/additions.py).
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Iterable, Sequence

import sqlalchemy as sa
from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError

from retrieval.errors import NotFound, RetrievalError
from retrieval.ingest.loaders import LoadedDocument, Page
from retrieval.records import passages as stored_passages
from retrieval.records.passages import Chunk, Span
from schema import cases, document_checks, documents, legal_holds, persons, unrecorded_additions

ERASED_NAME = "[erased]"


class UnderLegalHold(RetrievalError):
    default = ("This person's records are under legal hold, so nothing was erased. "
               "Release the hold first if erasure is now allowed.")


class HoldNotFound(RetrievalError):
    default = "There is no legal hold to release here. Check the reference."


class AlreadyHeld(RetrievalError):
    default = "This is already under legal hold."


@dataclass(frozen=True)
class Person:
    id: int
    reference: str
    full_name: str
    date_of_birth: str | None
    erased_at: datetime | None = None


@dataclass(frozen=True)
class Case:
    id: int
    reference: str
    person: Person
    team: str
    case_type: str
    officer: str | None
    title: str
    opened_on: str | None


@dataclass(frozen=True)
class Document:
    id: int
    case_id: int
    sha256: str
    filename: str
    kind: str
    size: int
    text: str
    pages: tuple[Page, ...]
    metadata: dict
    added_by: str
    added_at: datetime
    erased_at: datetime | None = None

    def page_text(self, number: int) -> str:
        for page in self.pages:
            if page.number == number:
                return self.text[page.start:page.end]
        raise NotFound(f"Page {number} does not exist in {self.filename}.")

    def page_at(self, offset: int) -> int:
        """The page holding a character offset of the full text."""
        for page in self.pages:
            if page.start <= offset < max(page.end, page.start + 1):
                return page.number
        return self.pages[-1].number if self.pages else 1


@dataclass(frozen=True)
class CaseOverview:
    case: Case
    document_count: int
    last_activity: datetime | None


@dataclass(frozen=True)
class Hold:
    id: int
    person_reference: str
    case_reference: str | None  # None: the whole person
    reason: str
    set_by: str
    set_at: datetime

    def describe(self) -> str:
        what = f"case {self.case_reference}" if self.case_reference else f"person {self.person_reference}"
        return f"{what}: held by {self.set_by} on {self.set_at:%d %B %Y} ({self.reason})"


@dataclass(frozen=True)
class PersonErasure:
    person_reference: str
    case_references: tuple[str, ...]
    document_ids: tuple[int, ...]  # every document of their cases, all erased now
    newly_erased: int  # how many of them this run erased (a repeated erasure finds none)


@dataclass(frozen=True)
class PersonActivity:
    """When anything last happened in the records of one person (their cases and documents)."""
    person: Person
    case_references: tuple[str, ...]
    last_activity: datetime


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _aware(moment: datetime | None) -> datetime | None:
    """SQLite hands datetimes back without their zone; every stored time is UTC."""
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=timezone.utc)


class CaseRecords:
    """Persons, cases and documents, read and written through one engine."""

    def __init__(self, engine: Engine):
        self.engine = engine

    # persons and cases -------------------------------------------------
    def add_person(self, reference: str, full_name: str, date_of_birth: str | None = None) -> Person:
        """Create the person, or return the one already held under this reference."""
        with self.engine.begin() as conn:
            row = conn.execute(sa.select(persons).where(persons.c.reference == reference)).first()
            if row is None:
                conn.execute(persons.insert().values(
                    reference=reference, full_name=full_name, date_of_birth=date_of_birth, created_at=_now()))
        return self.person(reference)

    def person(self, reference: str) -> Person:
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(persons).where(persons.c.reference == reference)).first()
        if row is None:
            raise NotFound(f"There is no person with reference {reference}.")
        return Person(row.id, row.reference, row.full_name, row.date_of_birth, _aware(row.erased_at))

    def add_case(self, reference: str, person_reference: str, team: str, case_type: str,
                 title: str, officer: str | None = None, opened_on: str | None = None) -> Case:
        """Create the case, or return the one already held under this reference."""
        person = self.person(person_reference)
        with self.engine.begin() as conn:
            exists = conn.execute(sa.select(cases.c.id).where(cases.c.reference == reference)).first()
            if exists is None:
                conn.execute(cases.insert().values(
                    reference=reference, person_id=person.id, team=team, case_type=case_type,
                    officer=officer, title=title, opened_on=opened_on, created_at=_now()))
        return self.case(reference)

    def _case_query(self):
        return sa.select(cases, persons.c.reference.label("p_ref"), persons.c.full_name,
                         persons.c.date_of_birth, persons.c.erased_at.label("p_erased_at"))\
            .join(persons, cases.c.person_id == persons.c.id)

    @staticmethod
    def _case_from_row(row) -> Case:
        person = Person(row.person_id, row.p_ref, row.full_name, row.date_of_birth, _aware(row.p_erased_at))
        return Case(row.id, row.reference, person, row.team, row.case_type, row.officer, row.title, row.opened_on)

    def case(self, reference: str) -> Case:
        with self.engine.connect() as conn:
            row = conn.execute(self._case_query().where(cases.c.reference == reference)).first()
        if row is None:
            raise NotFound(f"There is no case with reference {reference}.")
        return self._case_from_row(row)

    def case_by_id(self, case_id: int) -> Case:
        with self.engine.connect() as conn:
            row = conn.execute(self._case_query().where(cases.c.id == case_id)).first()
        if row is None:
            raise NotFound()
        return self._case_from_row(row)

    def cases_of_person(self, person_id: int) -> list[Case]:
        with self.engine.connect() as conn:
            rows = conn.execute(self._case_query().where(cases.c.person_id == person_id)
                                .order_by(cases.c.id)).all()
        return [self._case_from_row(r) for r in rows]

    def overview(self, teams: frozenset[str] | None) -> list[CaseOverview]:
        """Every case in the given teams (None: all), with its document count and last activity. Only those
        teams' documents are counted, so one team's listing does not read every team's documents (issue 16)."""
        counted = sa.select(documents.c.case_id, sa.func.count().label("n"),
                            sa.func.max(documents.c.added_at).label("last"))
        query = self._case_query()
        if teams is not None:
            counted = counted.where(documents.c.case_id.in_(sa.select(cases.c.id)
                                                            .where(cases.c.team.in_(sorted(teams)))))
            query = query.where(cases.c.team.in_(sorted(teams)))
        counts = counted.group_by(documents.c.case_id).subquery()
        query = (query.add_columns(counts.c.n, counts.c.last)
                 .outerjoin(counts, counts.c.case_id == cases.c.id).order_by(cases.c.reference))
        with self.engine.connect() as conn:
            rows = conn.execute(query).all()
        return [CaseOverview(self._case_from_row(r), r.n or 0, r.last) for r in rows]

    # documents ----------------------------------------------------------
    def add_document(self, case: Case, loaded: LoadedDocument, added_by: str,
                     passages: Sequence[Span] = ()) -> tuple[Document, bool]:
        """Store a loaded file and the passages it was cut into; returns (document, created).

        A file this case already holds is not stored again, and keeps the passages it was stored with. A new one
        is marked unrecorded in the same transaction, so its addition is recorded even if this process stops
        before the audit event is written.
        """
        existing = self.document_by_sha256(case, loaded.sha256)
        if existing is not None:
            return existing, False
        values = dict(
            case_id=case.id, sha256=loaded.sha256, filename=loaded.filename, kind=loaded.kind,
            size=loaded.size, text=loaded.text,
            pages=json.dumps([p.to_row() for p in loaded.pages]),
            meta=json.dumps(loaded.metadata, default=str), added_by=added_by, added_at=_now())
        try:
            with self.engine.begin() as conn:
                document_id = conn.execute(documents.insert().values(**values)).inserted_primary_key[0]
                stored_passages.insert(conn, document_id, passages)
                conn.execute(unrecorded_additions.insert().values(document_id=document_id))
        except IntegrityError:  # another session stored the same file in this case a moment ago
            return self.document_by_sha256(case, loaded.sha256), False
        return self.document_by_sha256(case, loaded.sha256), True

    @staticmethod
    def _document_from_row(row) -> Document:
        pages = tuple(Page.from_row(r) for r in json.loads(row.pages))
        return Document(row.id, row.case_id, row.sha256, row.filename, row.kind, row.size, row.text,
                        pages, json.loads(row.meta), row.added_by, row.added_at, _aware(row.erased_at))

    def document_by_sha256(self, case: Case, sha256: str) -> Document | None:
        """The document this case holds for this file (an erased one no longer counts as held). Only ever
        within one case: whether another case holds the file is nobody's business here."""
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(documents).where(documents.c.case_id == case.id, documents.c.sha256 == sha256,
                                                          documents.c.erased_at.is_(None))).first()
        return None if row is None else self._document_from_row(row)

    def document(self, document_id: int) -> Document:
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(documents).where(documents.c.id == document_id)).first()
        if row is None:
            raise NotFound("That document does not exist.")
        return self._document_from_row(row)

    def documents(self, case: Case) -> list[Document]:
        """The case's documents, oldest first."""
        with self.engine.connect() as conn:
            rows = conn.execute(sa.select(documents).where(documents.c.case_id == case.id)
                                .order_by(documents.c.added_at, documents.c.id)).all()
        return [self._document_from_row(r) for r in rows]

    def documents_after(self, document_id: int, limit: int) -> list[Document]:
        """Up to `limit` held documents of any case with ids above this one, in id order: for the background
        checks, which walk every document once per process, a page at a time."""
        with self.engine.connect() as conn:
            rows = conn.execute(sa.select(documents).where(documents.c.id > document_id, documents.c.erased_at.is_(None))
                                .order_by(documents.c.id).limit(limit)).all()
        return [self._document_from_row(r) for r in rows]

    def documents_with_ids(self, document_ids: Iterable[int]) -> list[Document]:
        """Those of these documents that are held (stored and not erased), in id order."""
        with self.engine.connect() as conn:
            rows = conn.execute(sa.select(documents).where(documents.c.id.in_(list(document_ids)),
                                                           documents.c.erased_at.is_(None))
                                .order_by(documents.c.id)).all()
        return [self._document_from_row(r) for r in rows]

    # additions not yet in the audit log --------------------------------------------
    @staticmethod
    def mark_recorded(conn: sa.Connection, document_ids: Iterable[int]) -> set[int]:
        """Remove these documents' unrecorded marks in `conn`, the transaction appending the event that records
        them; returns those whose mark this removed. A mark already gone was removed by whoever recorded it: only
        one transaction can delete a row, so an addition is recorded once (ids in order, so two callers never
        wait on each other crosswise)."""
        return {document_id for document_id in sorted(set(document_ids))
                if conn.execute(unrecorded_additions.delete()
                                .where(unrecorded_additions.c.document_id == document_id)).rowcount == 1}

    def unrecorded(self, document_ids: Iterable[int]) -> set[int]:
        """Those of these documents whose addition the audit log does not record yet."""
        ids = sorted(set(document_ids))
        if not ids:
            return set()
        with self.engine.connect() as conn:
            return set(conn.execute(sa.select(unrecorded_additions.c.document_id)
                                    .where(unrecorded_additions.c.document_id.in_(ids))).scalars())

    def unrecorded_documents(self, added_before: datetime, limit: int = 100) -> list[Document]:
        """Documents (erased ones too) stored before this moment whose addition is not recorded yet, in id order:
        the process that stored them stopped before recording them."""
        with self.engine.connect() as conn:
            rows = conn.execute(sa.select(documents)
                                .join(unrecorded_additions, unrecorded_additions.c.document_id == documents.c.id)
                                .where(documents.c.added_at < added_before)
                                .order_by(documents.c.id).limit(limit)).all()
        return [self._document_from_row(r) for r in rows]

    def passages(self, documents: Iterable[Document]) -> dict[int, list[Chunk]]:
        """The passages each document was cut into when it was added, text included; never cut again here."""
        with self.engine.connect() as conn:
            return stored_passages.read(conn, documents)

    # legal holds ------------------------------------------------------------
    def _hold_query(self):
        return (sa.select(legal_holds, persons.c.reference.label("p_ref"), cases.c.reference.label("c_ref"))
                .join(persons, legal_holds.c.person_id == persons.c.id)
                .outerjoin(cases, legal_holds.c.case_id == cases.c.id).order_by(legal_holds.c.id))

    @staticmethod
    def _hold_from_row(row) -> Hold:
        return Hold(row.id, row.p_ref, row.c_ref, row.reason, row.set_by, _aware(row.set_at))

    def holds(self, person_reference: str | None = None, conn: sa.Connection | None = None) -> list[Hold]:
        """Holds on one person (on them or any of their cases), or every hold."""
        query = self._hold_query()
        if person_reference is not None:
            query = query.where(persons.c.reference == person_reference)
        if conn is not None:
            return [self._hold_from_row(r) for r in conn.execute(query)]
        with self.engine.connect() as own:
            return [self._hold_from_row(r) for r in own.execute(query)]

    def _locked_person(self, conn: sa.Connection, reference: str):
        """The person's row, locked until the transaction ends (PostgreSQL), so a hold and an erasure
        of the same person never interleave."""
        row = conn.execute(sa.select(persons).where(persons.c.reference == reference).with_for_update()).first()
        if row is None:
            raise NotFound(f"There is no person with reference {reference}.")
        return row

    def add_hold(self, person_reference: str, reason: str, set_by: str, case_reference: str | None = None) -> Hold:
        """Put a person (or one of their cases) under legal hold."""
        if not reason.strip():
            raise RetrievalError("Give a reason for the legal hold; it is recorded in the audit log.")
        with self.engine.begin() as conn:
            person = self._locked_person(conn, person_reference)
            case_id = self._case_of_person(conn, person, case_reference) if case_reference else None
            for hold in self.holds(person_reference, conn):
                if hold.case_reference == case_reference:
                    raise AlreadyHeld(f"This is already under legal hold ({hold.describe()}).")
            conn.execute(legal_holds.insert().values(person_id=person.id, case_id=case_id, reason=reason.strip(),
                                                     set_by=set_by, set_at=_now()))
        return [h for h in self.holds(person_reference) if h.case_reference == case_reference][-1]

    def release_hold(self, person_reference: str, case_reference: str | None = None) -> Hold:
        """Release the hold on a person (or on one of their cases); returns the hold that was released."""
        with self.engine.begin() as conn:
            self._locked_person(conn, person_reference)
            held = [h for h in self.holds(person_reference, conn) if h.case_reference == case_reference]
            if not held:
                what = f"case {case_reference}" if case_reference else f"person {person_reference} as a whole"
                raise HoldNotFound(f"There is no legal hold on {what}, so there was nothing to release.")
            conn.execute(legal_holds.delete().where(legal_holds.c.id == held[0].id))
        return held[0]

    @staticmethod
    def _case_of_person(conn: sa.Connection, person, case_reference: str) -> int:
        case_id = conn.execute(sa.select(cases.c.id).where(cases.c.reference == case_reference,
                                                           cases.c.person_id == person.id)).scalar()
        if case_id is None:
            raise NotFound(f"Person {person.reference} has no case with reference {case_reference}.")
        return case_id

    # erasure and retention ----------------------------------------------------
    def erase_person(self, reference: str) -> PersonErasure:
        """Erase a person's name, date of birth and every document of their cases, unless held.

        Safe to run again: documents erased before are left as they are, and
        documents added since are erased too.
        """
        now = _now()
        with self.engine.begin() as conn:
            person = self._locked_person(conn, reference)
            holds = self.holds(reference, conn)
            if holds:
                raise UnderLegalHold(f"Nothing was erased: {reference} is under legal hold ("
                                     + "; ".join(h.describe() for h in holds)
                                     + "). Release the hold first if erasure is now allowed.")
            case_rows = conn.execute(sa.select(cases.c.id, cases.c.reference).where(cases.c.person_id == person.id)
                                     .order_by(cases.c.id)).all()
            case_ids = [c.id for c in case_rows]
            rows = conn.execute(sa.select(documents.c.id, documents.c.erased_at)
                                .where(documents.c.case_id.in_(case_ids)).order_by(documents.c.id)).all()
            live = [r.id for r in rows if r.erased_at is None]
            if live:
                stored_passages.delete(conn, live)
                conn.execute(document_checks.delete().where(document_checks.c.document_id.in_(live)))  # hold sentences
                conn.execute(documents.update().where(documents.c.id.in_(live)).values(
                    text="", pages="[]", meta="{}", erased_at=now,
                    filename=sa.literal("erased document ") + sa.cast(documents.c.id, sa.String)))
            conn.execute(persons.update().where(persons.c.id == person.id).values(
                full_name=ERASED_NAME, date_of_birth=None, erased_at=person.erased_at or now))
        return PersonErasure(reference, tuple(c.reference for c in case_rows), tuple(r.id for r in rows), len(live))

    def person_activity(self) -> list[PersonActivity]:
        """Every person not yet erased, with their cases and when their records last changed."""
        with self.engine.connect() as conn:
            people = conn.execute(sa.select(persons).where(persons.c.erased_at.is_(None))
                                  .order_by(persons.c.reference)).all()
            case_rows = conn.execute(sa.select(cases.c.person_id, cases.c.reference, cases.c.created_at)
                                     .order_by(cases.c.reference)).all()
            last_added = dict(conn.execute(
                sa.select(cases.c.person_id, sa.func.max(documents.c.added_at))
                .join(cases, documents.c.case_id == cases.c.id).group_by(cases.c.person_id)).all())
        by_person: dict[int, list] = {}
        for row in case_rows:
            by_person.setdefault(row.person_id, []).append(row)
        activity = []
        for row in people:
            own = by_person.get(row.id, [])
            moments = [_aware(row.created_at)] + [_aware(c.created_at) for c in own]
            if last_added.get(row.id) is not None:
                moments.append(_aware(last_added[row.id]))
            activity.append(PersonActivity(Person(row.id, row.reference, row.full_name, row.date_of_birth),
                                           tuple(c.reference for c in own), max(moments)))
        return activity

    def documents_of_cases(self, case_ids: Iterable[int]) -> list[Document]:
        """Documents of several cases, oldest first (a person's subject access export, a team's correspondence).
        The ids are written into the statement: a team may hold more cases than bound parameters are allowed."""
        ids = sorted(set(case_ids))
        if not ids:
            return []
        listed = sa.bindparam(None, ids, type_=sa.Integer(), expanding=True, literal_execute=True)
        with self.engine.connect() as conn:
            rows = conn.execute(sa.select(documents).where(documents.c.case_id.in_(listed))
                                .order_by(documents.c.added_at, documents.c.id)).all()
        return [self._document_from_row(r) for r in rows]
