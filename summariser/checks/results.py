"""Check results stored once per document, check and version, and shared by every process.

Why stored: screening a document for prompt injection and scoring it for vulnerability embed every sentence of
it, which costs more than embedding its passages for search. Kept only in a process's memory, that cost fell on
the officer adding the file, and again on every other process (each app instance, each restart). Stored, the
background worker does it once, soon after the file is added, and everyone reads the result. Each result names
the SHA-256 of the text it was worked out from: one whose text differs now is not used. The rows are deleted with
the document's text on erasure (retrieval/records/store.py), as they quote its sentences.
"""
from __future__ import annotations

import hashlib
import json
from datetime import datetime, timezone
from typing import Iterable

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from retrieval.records.store import Document
from schema import document_checks


def text_sha256(document: Document) -> str:
    return hashlib.sha256(document.text.encode("utf-8")).hexdigest()


class AlreadyStored(Exception):
    """Another process stored this result first (and so recorded whatever goes with it)."""


class CheckResults:
    """Reads and writes the results of one check (`name`, e.g. "injection") as JSON."""

    def __init__(self, engine: sa.Engine, name: str):
        self.engine, self.name = engine, name

    def read(self, version: str, documents: Iterable[Document]) -> dict[int, dict]:
        """The stored result of each of these documents under this version, if it was worked out from its
        current text."""
        wanted = {d.id: text_sha256(d) for d in documents}
        if not wanted:
            return {}
        with self.engine.connect() as conn:
            rows = conn.execute(sa.select(document_checks.c.document_id, document_checks.c.text_sha256,
                                          document_checks.c.result)
                                .where(document_checks.c.check_name == self.name, document_checks.c.version == version,
                                       document_checks.c.document_id.in_(list(wanted)))).all()
        return {r.document_id: json.loads(r.result) for r in rows if wanted.get(r.document_id) == r.text_sha256}

    def store(self, version: str, document: Document, result: dict, conn: sa.Connection | None = None) -> None:
        """Store a result; raises AlreadyStored if one is there (for this text: another is replaced). With
        `conn`, inside that transaction (the audit event that goes with it: see DocumentScreening)."""
        if conn is None:
            try:
                with self.engine.begin() as own:
                    self.store(version, document, result, own)
            except IntegrityError:  # stored by another process between the look and the insert
                raise AlreadyStored() from None
            return
        key = (document_checks.c.document_id == document.id, document_checks.c.check_name == self.name,
               document_checks.c.version == version)
        sha256 = text_sha256(document)
        found = conn.execute(sa.select(document_checks.c.text_sha256).where(*key)).scalar()
        if found == sha256:
            raise AlreadyStored()
        if found is not None:
            conn.execute(document_checks.delete().where(*key))
        conn.execute(document_checks.insert().values(
            document_id=document.id, check_name=self.name, version=version, text_sha256=sha256,
            result=json.dumps(result), checked_at=datetime.now(timezone.utc)))
