"""Records management: erasure on request or after the retention period, legal holds, subject access.

Erasing a person touches four stores that must not know each other (the case
records, the passage index, the facts read from passages and the audit log's
kept texts), so the steps are put in order here. Every step can run again: if the machine stops half way,
erasing the person again finishes the job. The audit chain is never edited:
erased texts become tombstones and one ``person_erased`` event (references
and counts only, no personal data) records what was done, so ``verify``
still reports the log intact afterwards.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timedelta, timezone

from audit.chain import Event
from audit.log import AuditLog
from workflow.review import DraftReview
from retrieval.search.index import PassageIndex
from retrieval.records.store import CaseRecords, Document, Hold, UnderLegalHold
from summariser.errors import SummariserError
from summariser.reading.model import passage_hashes
from summariser.reading.store import FactStore

__all__ = ["RecordsManager", "ErasureReport", "ExpiredPerson", "RetentionRun", "RecordsManagementError",
           "UnderLegalHold"]


class RecordsManagementError(SummariserError):
    default = "The records could not be changed as asked."


@dataclass(frozen=True)
class ErasureReport:
    person_reference: str
    case_references: tuple[str, ...]
    documents: int  # documents erased by this run
    passages: int  # passages removed from the search index
    audit_texts: int  # texts in the audit log replaced by tombstones
    event_seq: int  # the person_erased event
    readings: int = 0  # passage readings deleted with their facts


@dataclass(frozen=True)
class ExpiredPerson:
    person_reference: str
    case_references: tuple[str, ...]
    last_activity: datetime


@dataclass(frozen=True)
class RetentionRun:
    expired: list[ExpiredPerson]
    erased: list[ErasureReport] = field(default_factory=list)
    refused: dict[str, str] = field(default_factory=dict)  # person reference -> why (a hold set meanwhile)


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None


def _event_dict(event: Event) -> dict:
    return {"seq": event.seq, "recorded_at": event.recorded_at, "actor": event.actor, "action": event.action,
            "case_reference": event.case_reference, "draft_id": event.draft_id, "payload": event.payload,
            "prev_hash": event.prev_hash, "hash": event.hash}


def _document_dict(document: Document, case_reference: str) -> dict:
    return {"id": document.id, "case_reference": case_reference, "filename": document.filename,
            "kind": document.kind, "size": document.size, "sha256": document.sha256,
            "added_by": document.added_by, "added_at": _iso(document.added_at),
            "erased_at": _iso(document.erased_at), "metadata": document.metadata,
            "pages": [asdict(p) for p in document.pages], "text": document.text}


def _hold_dict(hold: Hold) -> dict:
    return {"person_reference": hold.person_reference, "case_reference": hold.case_reference,
            "reason": hold.reason, "set_by": hold.set_by, "set_at": _iso(hold.set_at)}


PERSON_ACTIONS = ("legal_hold_set", "legal_hold_released", "person_erased", "subject_access_exported")
CASES_PER_BATCH = 50  # other people's cases read at a time when looking for passages they share


class RecordsManager:
    """Erases, holds and exports one person's records across the records, the index and the audit log."""

    def __init__(self, records: CaseRecords, index: PassageIndex, audit: AuditLog, review: DraftReview,
                 facts: FactStore | None = None):
        self.records, self.index, self.audit, self.review = records, index, audit, review
        self.facts = facts  # None: no facts are kept (no reading), so none to erase

    # erasure ------------------------------------------------------------------
    def erase_person(self, person_reference: str, actor: str, reason: str) -> ErasureReport:
        """Erase everything personal held about one person, unless they or a case of theirs is held.

        Documents keep their id, SHA-256, kind and size but lose their text,
        pages, metadata and file name; their passages leave the index and
        the facts read from them are deleted (unless a document still held
        has the same passage text); the person keeps their reference only;
        the texts of their cases' audit events (drafts, edits, notes,
        reasons, file names) become tombstones.

        The facts go first, while the passages' texts (and so their hashes)
        still exist: if the machine stops before the records are erased,
        erasing again finds the same hashes. They are erased again after the
        records, for readings queued in between.
        """
        if not reason.strip():
            raise RecordsManagementError("Give a reason for the erasure; it is recorded in the audit log.")
        readings = 0
        if self.facts is not None:
            erased, keep = self._passage_hashes(person_reference)
            if not self.records.holds(person_reference):  # held: records.erase_person refuses, with the reason
                readings += self.facts.erase(erased, keep)
        erasure = self.records.erase_person(person_reference)  # refuses with UnderLegalHold, in its transaction
        if self.facts is not None:
            readings += self.facts.erase(erased, keep)
        passages = self.index.delete_documents(list(erasure.document_ids))
        event = self.audit.erase_contents(
            actor, reason, case_references=erasure.case_references, action="person_erased",
            details={"person": person_reference, "cases": list(erasure.case_references),
                     "documents": erasure.newly_erased, "passages": passages, "readings": readings})
        return ErasureReport(person_reference, erasure.case_references, erasure.newly_erased, passages,
                             len(event.data.erased_contents), event.seq, readings)

    def _passage_hashes(self, person_reference: str) -> tuple[set[str], set[str]]:
        """The SHA-256 of every passage text of the person's held documents, and those of them that a document
        of someone else's still holds (their facts stay: the text is still on record).

        Hashed here from the stored passages, as the reading jobs key them, rather than through the reader:
        erasure must work even when no model can be named."""
        person = self.records.person(person_reference)
        own_cases = {case.id for case in self.records.cases_of_person(person.id)}
        erased = self._hashes(self.records.documents_of_cases(own_cases))
        keep: set[str] = set()
        if not erased:
            return erased, keep
        others = sorted({o.case.id for o in self.records.overview(None)} - own_cases)
        for first in range(0, len(others), CASES_PER_BATCH):
            keep |= self._hashes(self.records.documents_of_cases(others[first:first + CASES_PER_BATCH])) & erased
        return erased, keep

    def _hashes(self, documents: list[Document]) -> set[str]:
        return passage_hashes(self.records, documents)

    # legal holds --------------------------------------------------------------
    def set_hold(self, person_reference: str, actor: str, reason: str, case_reference: str | None = None) -> Hold:
        """Hold a person (or one case of theirs): erasure, by request or by retention, is refused."""
        hold = self.records.add_hold(person_reference, reason, actor, case_reference)
        self.audit.append(actor, "legal_hold_set", {"person": person_reference, "case": case_reference,
                                                    "reason": hold.reason}, case_reference)
        return hold

    def release_hold(self, person_reference: str, actor: str, reason: str,
                     case_reference: str | None = None) -> Hold:
        if not reason.strip():
            raise RecordsManagementError("Give a reason for releasing the legal hold; it is recorded in the audit log.")
        hold = self.records.release_hold(person_reference, case_reference)
        self.audit.append(actor, "legal_hold_released", {"person": person_reference, "case": case_reference,
                                                         "reason": reason.strip()}, case_reference)
        return hold

    # retention ----------------------------------------------------------------
    def expired(self, today: date, retention_days: int) -> list[ExpiredPerson]:
        """People not held whose records and audit events, on all their cases, are all older than the period.

        Last activity is the newest of: the person and their cases being
        registered, a document added, and any audit event on one of their
        cases (a draft, an edit, a decision). Erasable from the day
        ``last activity + retention_days`` is reached.
        """
        audit_last = {reference: datetime.fromisoformat(moment)
                      for reference, moment in self.audit.last_activity_by_case().items()}
        held = {hold.person_reference for hold in self.records.holds()}
        cutoff = today - timedelta(days=retention_days)
        expired = []
        for activity in self.records.person_activity():
            if activity.person.reference in held:
                continue
            moments = [activity.last_activity] + [audit_last[c] for c in activity.case_references if c in audit_last]
            last = max(moments)
            if last.astimezone(timezone.utc).date() <= cutoff:
                expired.append(ExpiredPerson(activity.person.reference, activity.case_references, last))
        return expired

    def erase_expired(self, actor: str, today: date, retention_days: int, dry_run: bool = False) -> RetentionRun:
        """Erase everyone whose retention period has ended (or, with dry_run, only list them)."""
        run = RetentionRun(self.expired(today, retention_days))
        if dry_run:
            return run
        for person in run.expired:
            reason = (f"retention period of {retention_days} days ended "
                      f"(last activity {person.last_activity.date().isoformat()})")
            try:
                run.erased.append(self.erase_person(person.person_reference, actor, reason))
            except UnderLegalHold as error:  # a hold set since the list was made
                run.refused[person.person_reference] = str(error)
        return run

    # subject access -----------------------------------------------------------
    def subject_access(self, person_reference: str, actor: str) -> dict:
        """Everything the tool holds about one person, as a JSON-serialisable dict; the export is audited.

        The person, their legal holds, their cases with every document (metadata
        and text), every draft of those cases with each version and decision, and
        every audit event about their cases or about them.
        """
        person = self.records.person(person_reference)
        cases = self.records.cases_of_person(person.id)
        references = {case.id: case.reference for case in cases}
        documents = self.records.documents_of_cases(references)
        events: list[Event] = []
        drafts = []
        for case in cases:
            events += self.audit.events(case_reference=case.reference)
            for state in self.review.drafts(case.reference):
                drafts.append({
                    "draft_id": state.draft_id, "case_reference": state.case_reference, "status": state.status,
                    "requested_by": state.requested_by, "requested_at": state.requested_at,
                    "versions": [asdict(v) for v in state.versions],
                    "decisions": [{"seq": e.seq, "action": e.action, "actor": e.actor, "recorded_at": e.recorded_at,
                                   "payload": e.payload} for e in state.events[1:]],
                })
        events += [e for e in self.audit.events(actions=PERSON_ACTIONS)
                   if e.case_reference is None and e.data.person == person_reference]
        events.sort(key=lambda e: e.seq)
        export = {
            "exported_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "person": {"reference": person.reference, "full_name": person.full_name,
                       "date_of_birth": person.date_of_birth, "erased_at": _iso(person.erased_at)},
            "legal_holds": [_hold_dict(h) for h in self.records.holds(person_reference)],
            "cases": [{"reference": c.reference, "team": c.team, "case_type": c.case_type, "title": c.title,
                       "officer": c.officer, "opened_on": c.opened_on} for c in cases],
            "documents": [_document_dict(d, references[d.case_id]) for d in documents],
            "drafts": drafts,
            "audit_events": [_event_dict(e) for e in events],
        }
        self.audit.append(actor, "subject_access_exported", {
            "person": person_reference, "cases": len(cases), "documents": len(documents), "drafts": len(drafts),
            "events": len(events)})
        return export
