"""Stored passages: the spans each document was cut into when it was added.

Why: a passage's id is what a draft cites, so it must name the same words for
as long as the document is held. The spans (page and character offsets) are
cut once, at ingest, and stored; reading never cuts again, so a later change
of the chunk size only affects documents added after it. The text of a passage
is always sliced from the stored document text: erasing that text leaves no
passage text anywhere in SQL. Only CaseRecords calls these functions, inside
its own transactions.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Sequence

import sqlalchemy as sa

from schema import passages


@dataclass(frozen=True)
class Span:
    """Where a passage lies in its document, before the document has an id."""
    id: str
    page: int
    start: int  # offset into the document's full text
    end: int


@dataclass(frozen=True)
class Chunk:
    """A passage of a held document, with its text."""
    id: str
    document_id: int
    page: int
    start: int  # offset into the document's full text
    end: int
    text: str


def insert(conn: sa.Connection, document_id: int, spans: Sequence[Span]) -> None:
    if spans:
        conn.execute(passages.insert(), [dict(document_id=document_id, chunk_id=s.id, page=s.page, start=s.start,
                                              end=s.end) for s in spans])


def delete(conn: sa.Connection, document_ids: Sequence[int]) -> None:
    if document_ids:
        conn.execute(passages.delete().where(passages.c.document_id.in_(list(document_ids))))


def read(conn: sa.Connection, documents: Iterable) -> dict[int, list[Chunk]]:
    """The stored passages of these documents (each has .id and .text), in document order."""
    by_id = {d.id: d for d in documents}
    found: dict[int, list[Chunk]] = {document_id: [] for document_id in by_id}
    if not by_id:
        return found
    rows = conn.execute(sa.select(passages).where(passages.c.document_id.in_(sorted(by_id)))
                        .order_by(passages.c.document_id, passages.c.start, passages.c.chunk_id))
    for row in rows:
        text = by_id[row.document_id].text
        found[row.document_id].append(Chunk(row.chunk_id, row.document_id, row.page, row.start, row.end,
                                            text[row.start:row.end]))
    return found
