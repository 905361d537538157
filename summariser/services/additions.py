"""Recording each stored document's addition in the audit log exactly once, even when a process stops between.

Why: a file is stored and indexed in transactions of its own, and the `documents_added` event recording it is
appended afterwards, once for the whole upload; a process killed between the two used to lose the event for good.
Now the records mark a new document unrecorded in the transaction that stores it, and the mark is deleted in the
transaction that appends its event (records and audit log share one database), so the two commit together or not
at all. A mark older than RECORD_WAIT_S is past waiting for: the background checks' next round records it, as the
person who added the file, with `recorded_late`. Whoever deletes a mark records the addition; the database lets
only one transaction delete a row, so two processes recovering at once record it once, and an upload that outlasts
the wait leaves out of its own event what was recorded for it.
"""
from __future__ import annotations

import hashlib
import logging
from datetime import datetime, timedelta, timezone
from itertools import groupby
from typing import Callable

import sqlalchemy as sa

from audit.chain import Event
from audit.log import AuditLog
from retrieval.ingest.pipeline import IngestOutcome
from retrieval.records.store import CaseRecords, Document

log = logging.getLogger(__name__)

ADDED = "documents_added"
RECORD_WAIT_S = 600.0  # an upload still storing and indexing files after this long is past being waited for


class _RecordedElsewhere(Exception):
    """The marks of these documents were gone when the event came to be written: someone else recorded them."""

    def __init__(self, document_ids: set[int]):
        super().__init__(document_ids)
        self.document_ids = document_ids


def _text_sha256(text: str) -> dict:
    return {"text_sha256": hashlib.sha256(text.encode("utf-8")).hexdigest()}


class DocumentAdditions:
    """Appends `documents_added` events, each removing the unrecorded marks of the documents it records."""

    def __init__(self, records: CaseRecords, audit: AuditLog, wait_s: float = RECORD_WAIT_S,
                 now: Callable[[], datetime] = lambda: datetime.now(timezone.utc)):
        self.records, self.audit, self.wait_s, self.now = records, audit, wait_s, now

    def record_upload(self, actor: str, case_reference: str, outcomes: list[IngestOutcome]) -> Event | None:
        """The one event recording an upload's outcomes, in the transaction that unmarks the files it stored. A file
        whose addition was recorded late meanwhile (the upload outlasted RECORD_WAIT_S) is left out; None if
        nothing is left to record."""
        files = [{"filename": o.filename, "status": o.status, "document_id": o.document_id, "error": o.error,
                  "sha256": o.sha256, **self._held_text(o)} for o in outcomes]
        stored = {o.document_id for o in outcomes  # new files, and new ones stored but not indexed (refused)
                  if o.document_id is not None and o.status != "already held"}
        return self._append(actor, case_reference, files, stored, {})

    def _held_text(self, outcome: IngestOutcome) -> dict:
        """The SHA-256 of a stored document's text, for verify to re-hash. Also for a file already held: adding a
        file again records it (verify keeps the first SHA-256 recorded for a document)."""
        if outcome.status not in ("added", "already held") or outcome.document_id is None:
            return {}
        return _text_sha256(self.records.document(outcome.document_id).text)

    def record_late(self, limit: int = 100) -> int:
        """Record the additions of documents stored more than `wait_s` ago and never recorded, one event per case
        and person who added them; returns how many documents this call recorded (another process may have
        recorded some of them first)."""
        due = self.records.unrecorded_documents(self.now() - timedelta(seconds=self.wait_s), limit)
        recorded = 0
        for (case_id, added_by), group in groupby(sorted(due, key=lambda d: (d.case_id, d.added_by, d.id)),
                                                  key=lambda d: (d.case_id, d.added_by)):
            documents = list(group)
            case = self.records.case_by_id(case_id)
            event = self._append(added_by, case.reference, [self._late_file(d) for d in documents],
                                 {d.id for d in documents}, {"recorded_late": True})
            if event is not None:
                recorded += len(event.payload["files"])
                log.warning("Recorded the addition of %d document(s) to case %s in the audit log late: the process "
                            "that stored them stopped before recording them.", len(event.payload["files"]),
                            case.reference)
        return recorded

    @staticmethod
    def _late_file(document: Document) -> dict:
        """The file as the upload's event would have named it (its name as stored; an erased one's text is gone)."""
        return {"filename": document.filename, "status": "added", "document_id": document.id, "error": None,
                "sha256": document.sha256, **({} if document.erased_at is not None else _text_sha256(document.text))}

    def _append(self, actor: str, case_reference: str, files: list[dict], unmark: set[int], extra: dict
                ) -> Event | None:
        """Append the event naming `files` in the transaction that removes the marks of `unmark`; a file added
        whose mark someone else removed first is recorded already, so it is left out and the event tried again."""
        while files:
            wanted = frozenset(unmark)

            def unmarked(conn: sa.Connection) -> None:
                gone = wanted - self.records.mark_recorded(conn, wanted)
                if gone:
                    raise _RecordedElsewhere(gone)
            try:
                return self.audit.append(actor, ADDED, {"files": files, **extra}, case_reference,
                                         precondition=unmarked)
            except _RecordedElsewhere as elsewhere:
                unmark -= elsewhere.document_ids
                files = [f for f in files if f["status"] != "added" or f["document_id"] not in elsewhere.document_ids]
        return None
