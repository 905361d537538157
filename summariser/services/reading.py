"""What the background reader made of a case's documents, as a user may see it: progress, failures, facts.

Passages are read by a worker process (summariser/reading/), never by the
app; this service only queues them and reads back what the fact store holds,
through the same case gate as every other service. Queueing never makes an
ingest fail: the documents are stored and indexed first, and a queue that
cannot be reached only delays reading (the keys wait as pending in the
database, and a starting worker queues them again). Passages that were never
queued at all (documents added before reading existed, or while the model
could not be named, or read under an older model or prompt) are queued when
their case's progress is next asked for, so no case waits for ever.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterable

from audit.log import AuditLog
from retrieval.records.access import User
from retrieval.records.store import CaseRecords
from summariser.errors import SummariserError
from summariser.reading.jobs import QueueUnavailable, ReadingJobs
from summariser.reading.store import FAILED, ReadingKey
from summariser.text import date_order

if TYPE_CHECKING:
    from summariser.services.cases import CaseService

log = logging.getLogger(__name__)

STORED = "Your files are stored and can be searched and summarised now."
QUEUE_DOWN = (f"{STORED} Reading them for facts will start once the reading queue is back and the reading worker "
              "is running again; nothing needs to be added again. If this lasts, tell your administrator.")
RETRY_QUEUE_DOWN = ("The failed passages are marked to be read again, but the reading queue could not be reached. "
                    "They will be read once the queue is back and the reading worker is running again; if this "
                    "lasts, tell your administrator.")
KIND_WORDS = {
    "event": "Event",
    "decision": "Decision",
    "money": "Money",
    "deadline_or_right": "Deadline or right",
    "circumstance_or_vulnerability": "Circumstance or vulnerability",
    "contact_or_adjustment": "Contact or adjustment",
    "request": "Request",
    "other": "Other",
}


@dataclass(frozen=True)
class Queued:
    """What became of queueing passages: how many jobs were sent, and a plain-English note if it went wrong."""
    passages: int = 0
    problem: str | None = None


def queue_for_reading(jobs: ReadingJobs | None, document_ids: Iterable[int]) -> Queued:
    """Queue these documents' passages for reading; never raises, so an ingest that stored them stays a success."""
    document_ids = list(document_ids)
    if jobs is None or not document_ids:
        return Queued()
    try:
        return Queued(jobs.enqueue_documents(document_ids))
    except QueueUnavailable:  # the keys are pending in the database: a starting worker queues them again
        log.warning("The reading queue could not be reached; %d document(s) wait to be read.", len(document_ids),
                    exc_info=True)
        return Queued(problem=QUEUE_DOWN)
    except SummariserError as error:  # e.g. the model cannot be named: nothing was recorded, progress() queues it
        log.warning("Documents %s were not queued for reading: %s", document_ids, error)
        return Queued(problem=f"{STORED} Reading them for facts could not start yet: {error} They will be queued "
                              "again the next time the case is opened.")
    except Exception:
        log.exception("Documents %s were not queued for reading", document_ids)
        return Queued(problem=f"{STORED} Reading them for facts could not start yet because of an unexpected "
                              "error (the server's log has the details). They will be queued again the next time "
                              "the case is opened.")


@dataclass(frozen=True)
class CaseProgress:
    """How far reading a case's passages has got (each distinct passage text counts once)."""
    total: int
    done: int
    failed: int
    reading: int
    pending: int
    problem: str | None = None  # passages that should have been queued now could not be

    @property
    def finished(self) -> bool:
        return self.done + self.failed == self.total

    @property
    def words(self) -> str:
        """"Reading documents: 31 of 44 passages", as the Case page and the CLI say it."""
        passages = "passage" if self.total == 1 else "passages"
        failed = f"; {self.failed} could not be read" if self.failed else ""
        if self.total == 0:
            return "There are no passages to read."
        if self.finished and not self.failed:
            return f"All {self.total} passages are read." if self.total > 1 else "The one passage is read."
        if self.finished:
            return f"{self.done} of {self.total} {passages} {'is' if self.total == 1 else 'are'} read{failed}."
        return f"Reading documents: {self.done} of {self.total} {passages}{failed}."


@dataclass(frozen=True)
class ReadingFailure:
    """A passage whose reading failed after its retries, shown with its reason."""
    filename: str
    page: int
    error: str
    attempts: int


@dataclass(frozen=True)
class ShownFact:
    """An accepted fact with the passage it was read from; `start`/`end` locate its quote in `passage`."""
    kind: str
    date: str | None  # as the passage gives it
    quote: str
    wording: str | None
    passage: str
    start: int
    end: int
    page: int

    @property
    def kind_words(self) -> str:
        return KIND_WORDS.get(self.kind, self.kind.replace("_", " ").capitalize())


@dataclass(frozen=True)
class DocumentFacts:
    document_id: int
    filename: str
    passages: int  # distinct passage texts in the document
    read: int  # of which read (done)
    facts: tuple[ShownFact, ...]  # accepted facts, in date order; undated ones last, in passage order


class ReadingService:
    def __init__(self, cases: "CaseService", records: CaseRecords, jobs: ReadingJobs, audit: AuditLog):
        self.cases, self.records, self.jobs, self.audit = cases, records, jobs, audit

    def _keyed(self, user: User, reference: str):
        """The case (access checked), its held documents, and each one's passages with their keys."""
        case = self.cases.case(user, reference)
        documents = [d for d in self.records.documents(case) if d.erased_at is None]
        return case, documents, self.jobs.keys_of(documents)

    def progress(self, user: User, reference: str) -> CaseProgress:
        """How far reading the case has got; passages never queued (see the module's docstring) are queued now."""
        _case, _documents, keyed = self._keyed(user, reference)
        keys = {key for pairs in keyed.values() for _, key in pairs}
        known = self.jobs.store.status(keys)
        never_queued = [document_id for document_id, pairs in keyed.items() if any(k not in known for _, k in pairs)]
        queued = queue_for_reading(self.jobs, never_queued)
        progress = self.jobs.store.progress(keys)
        return CaseProgress(progress.total, progress.done, progress.failed, progress.reading, progress.pending,
                            queued.problem)

    def failures(self, user: User, reference: str) -> list[ReadingFailure]:
        """The case's passages whose reading failed for good, each with its reason, in document order."""
        _case, documents, keyed = self._keyed(user, reference)
        where: dict[ReadingKey, tuple[str, int]] = {}
        names = {d.id: d.filename for d in documents}
        for document_id, pairs in keyed.items():
            for chunk, key in pairs:
                where.setdefault(key, (names[document_id], chunk.page))
        by_key = {f.key: f for f in self.jobs.store.failures(where)}
        return [ReadingFailure(*where[key], by_key[key].error, by_key[key].attempts) for key in where if key in by_key]

    def facts(self, user: User, reference: str) -> list[DocumentFacts]:
        """Each held document's accepted facts, oldest document first, its facts in date order."""
        _case, documents, keyed = self._keyed(user, reference)
        found = self.jobs.store.facts({key for pairs in keyed.values() for _, key in pairs})
        shown = []
        for document in documents:
            facts, seen = [], set()
            for chunk, key in keyed.get(document.id, []):
                if key.passage_sha256 in seen:  # a passage repeated within the document: its facts once
                    continue
                seen.add(key.passage_sha256)
                facts += [ShownFact(f.kind, f.date, f.quote, f.wording, chunk.text, f.start, f.end, chunk.page)
                          for f in found.get(key.passage_sha256, [])]
            shown.append(DocumentFacts(document.id, document.filename, len(seen),
                                       len(seen & found.keys()),
                                       tuple(sorted(facts, key=lambda f: date_order(f.date)))))
        return shown

    def retry(self, user: User, reference: str) -> int:
        """Queue the case's failed readings again (audited); returns how many. Nothing failed: nothing recorded."""
        case, _documents, keyed = self._keyed(user, reference)
        keys = {key for pairs in keyed.values() for _, key in pairs}
        failed = [key for key, status in self.jobs.store.status(keys).items() if status == FAILED]
        if not failed:
            return 0
        queue_down = False
        try:
            count = self.jobs.retry_failed(failed)
        except QueueUnavailable:  # they are pending again in the database: a starting worker queues them
            log.warning("The reading queue could not be reached to retry %d passage(s).", len(failed), exc_info=True)
            count, queue_down = len(failed), True
        self.audit.append(user.username, "reading_retried", {"passages": count}, case.reference)
        if queue_down:
            raise QueueUnavailable(RETRY_QUEUE_DOWN)
        return count


__all__ = ["ReadingService", "CaseProgress", "ReadingFailure", "DocumentFacts", "ShownFact", "Queued",
           "queue_for_reading", "KIND_WORDS"]
