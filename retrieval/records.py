"""The case records (persons, cases, documents) in SQL.

This module is the only one that reads or writes those tables. A document is
stored once per SHA-256, so the same file added twice is kept once.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timezone

import sqlalchemy as sa
from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError

from retrieval.errors import NotFound
from retrieval.loaders import LoadedDocument, Page

metadata = sa.MetaData()

persons = sa.Table(
    "persons", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("reference", sa.String(64), nullable=False, unique=True),
    sa.Column("full_name", sa.String(200), nullable=False),
    sa.Column("date_of_birth", sa.String(10)),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
)
cases = sa.Table(
    "cases", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("reference", sa.String(64), nullable=False, unique=True),
    sa.Column("person_id", sa.Integer, sa.ForeignKey("persons.id"), nullable=False),
    sa.Column("team", sa.String(64), nullable=False),
    sa.Column("case_type", sa.String(64), nullable=False),
    sa.Column("officer", sa.String(120)),
    sa.Column("title", sa.String(300), nullable=False),
    sa.Column("opened_on", sa.String(10)),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
)
documents = sa.Table(
    "documents", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("case_id", sa.Integer, sa.ForeignKey("cases.id"), nullable=False),
    sa.Column("sha256", sa.String(64), nullable=False, unique=True),
    sa.Column("filename", sa.String(300), nullable=False),
    sa.Column("kind", sa.String(10), nullable=False),
    sa.Column("size", sa.Integer, nullable=False),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("pages", sa.Text, nullable=False),
    sa.Column("meta", sa.Text, nullable=False),
    sa.Column("added_by", sa.String(120), nullable=False),
    sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
)


@dataclass(frozen=True)
class Person:
    id: int
    reference: str
    full_name: str
    date_of_birth: str | None


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


def _now() -> datetime:
    return datetime.now(timezone.utc)


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
        return Person(row.id, row.reference, row.full_name, row.date_of_birth)

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
                         persons.c.date_of_birth).join(persons, cases.c.person_id == persons.c.id)

    @staticmethod
    def _case_from_row(row) -> Case:
        person = Person(row.person_id, row.p_ref, row.full_name, row.date_of_birth)
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
        """Every case in the given teams (None: all), with its document count and last activity."""
        counts = (sa.select(documents.c.case_id, sa.func.count().label("n"),
                            sa.func.max(documents.c.added_at).label("last"))
                  .group_by(documents.c.case_id).subquery())
        query = (self._case_query().add_columns(counts.c.n, counts.c.last)
                 .outerjoin(counts, counts.c.case_id == cases.c.id).order_by(cases.c.reference))
        if teams is not None:
            query = query.where(cases.c.team.in_(sorted(teams)))
        with self.engine.connect() as conn:
            rows = conn.execute(query).all()
        return [CaseOverview(self._case_from_row(r), r.n or 0, r.last) for r in rows]

    # documents ----------------------------------------------------------
    def add_document(self, case: Case, loaded: LoadedDocument, added_by: str) -> tuple[Document, bool]:
        """Store a loaded file; returns (document, created). A file already held is not stored again."""
        existing = self.document_by_sha256(loaded.sha256)
        if existing is not None:
            return existing, False
        values = dict(
            case_id=case.id, sha256=loaded.sha256, filename=loaded.filename, kind=loaded.kind,
            size=loaded.size, text=loaded.text,
            pages=json.dumps([[p.number, p.start, p.end] for p in loaded.pages]),
            meta=json.dumps(loaded.metadata, default=str), added_by=added_by, added_at=_now())
        try:
            with self.engine.begin() as conn:
                conn.execute(documents.insert().values(**values))
        except IntegrityError:  # another session stored the same file a moment ago
            return self.document_by_sha256(loaded.sha256), False
        return self.document_by_sha256(loaded.sha256), True

    @staticmethod
    def _document_from_row(row) -> Document:
        pages = tuple(Page(n, s, e) for n, s, e in json.loads(row.pages))
        return Document(row.id, row.case_id, row.sha256, row.filename, row.kind, row.size, row.text,
                        pages, json.loads(row.meta), row.added_by, row.added_at)

    def document_by_sha256(self, sha256: str) -> Document | None:
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(documents).where(documents.c.sha256 == sha256)).first()
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
