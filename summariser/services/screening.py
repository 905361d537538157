"""Documents that may hold a prompt injection: flagged when added, held out of drafts until an officer confirms.

Screening (summariser/checks/injection.py) is deterministic for a text and a detector version, so a document's
flag is worked out from its text whenever it is needed (and kept in memory per process), never stored apart
from it: a document added before screening existed is screened the first time its case is looked at, and a
retrained detector applies to every document at once. What is stored is what people did: `document_flagged`
when a flagged file is added (with the sentences, so the log shows what was seen at the time), and
`document_confirmed` when an officer of the case's team says it is ordinary correspondence. A confirmed
document is used by drafts again; a flagged, unconfirmed one gives drafts neither its passages nor its facts.
"""
from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from audit.log import AuditLog
from retrieval.records import access
from retrieval.records.access import User
from retrieval.records.passages import Chunk
from retrieval.records.store import Case, CaseRecords, Document
from summariser.checks.injection import Finding, InjectionDetector, Screening
from summariser.errors import SummariserError

if TYPE_CHECKING:
    from summariser.services.cases import CaseService

FLAGGED, CONFIRMED = "document_flagged", "document_confirmed"


class NotFlagged(SummariserError):
    default = "That document is not flagged, so there is nothing to confirm. Reload the case to see its documents."


class DocumentHeldBack(SummariserError):
    default = ("This document may contain instructions addressed to an AI, so it is kept out of drafts. Read the "
               "flagged passage on the Case page; if it is ordinary correspondence, confirm it there, then draft again.")


@dataclass(frozen=True)
class FlaggedPassage:
    """A stored passage holding a flagged sentence, with where that sentence lies in it."""
    chunk_id: str
    page: int
    text: str
    sentence_start: int  # offsets of the flagged sentence within `text`
    sentence_end: int
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class DocumentFlag:
    """One flagged document of a case, as the Case page shows it."""
    document_id: int
    filename: str
    passages: tuple[FlaggedPassage, ...]  # the passages that triggered the flag, first the strongest
    detector: str
    confirmed_by: str | None = None
    confirmed_at: str | None = None
    note: str | None = None

    @property
    def held_back(self) -> bool:
        """True while its passages and facts are kept out of drafts."""
        return self.confirmed_by is None


def _passages(document: Document, chunks: list[Chunk], findings: tuple[Finding, ...],
              threshold: float) -> tuple[FlaggedPassage, ...]:
    """The stored passage holding each finding (the first that holds it whole, else the one it starts in)."""
    found = []
    for finding in findings:
        chunk = next((c for c in chunks if c.start <= finding.start and finding.end <= c.end), None) or \
            next((c for c in chunks if c.start <= finding.start < c.end), None)
        if chunk is None:  # a document with no stored passages: show the sentence itself
            chunk = Chunk("", document.id, document.page_at(finding.start), finding.start, finding.end,
                          document.text[finding.start:finding.end])
        found.append(FlaggedPassage(chunk.id, chunk.page, chunk.text, finding.start - chunk.start,
                                    min(finding.end, chunk.end) - chunk.start, tuple(finding.reasons(threshold))))
    return tuple(found)


class DocumentScreening:
    """Flags, confirmations and the documents drafts must leave out, for a case already opened by its caller
    (the services below and CaseService/DraftingService hold the access gate)."""

    def __init__(self, records: CaseRecords, audit: AuditLog, detector: InjectionDetector):
        self.records, self.audit, self.detector = records, audit, detector
        self._screened: dict[tuple[int, str], Screening] = {}
        self._lock = threading.Lock()

    def screen(self, documents: list[Document]) -> dict[int, Screening]:
        """Each held document's screening, worked out once per process and text (erased ones: nothing)."""
        keys = {d.id: (d.id, hashlib.sha256(d.text.encode("utf-8")).hexdigest()) for d in documents
                if d.erased_at is None}
        with self._lock:
            missing = [d for d in documents if d.id in keys and keys[d.id] not in self._screened]
        if missing:
            screenings = self.detector.screen_many([d.text for d in missing])
            with self._lock:
                self._screened.update({keys[d.id]: screening for d, screening in zip(missing, screenings)})
        with self._lock:
            return {doc_id: self._screened[key] for doc_id, key in keys.items()}

    def _confirmations(self, case: Case, conn=None) -> dict[int, object]:
        return {event.data.document_id: event
                for event in self.audit.events(case_reference=case.reference, actions=(CONFIRMED,), conn=conn)}

    def flags(self, case: Case, documents: list[Document] | None = None) -> list[DocumentFlag]:
        """The flagged ones among these documents of the case (default: all of them), confirmed or not."""
        documents = self.records.documents(case) if documents is None else documents
        screenings = self.screen(documents)
        flagged = [d for d in documents if d.id in screenings and screenings[d.id].flagged]
        if not flagged:
            return []
        confirmed = self._confirmations(case)
        chunks = self.records.passages(flagged)
        flags = []
        for document in flagged:
            screening, event = screenings[document.id], confirmed.get(document.id)
            flags.append(DocumentFlag(
                document.id, document.filename,
                _passages(document, chunks.get(document.id, []), screening.findings, self.detector.threshold),
                screening.detector, event.actor if event else None, event.recorded_at if event else None,
                event.data.note if event else None))
        return flags

    def held_back(self, case: Case, documents: list[Document]) -> set[int]:
        """Ids of the documents drafts must leave out: flagged and not confirmed."""
        return {flag.document_id for flag in self.flags(case, documents) if flag.held_back}

    def record_added(self, actor: str, case: Case, document_ids: list[int]) -> list[DocumentFlag]:
        """Screen documents just added to the case; record a `document_flagged` event for each flagged one."""
        added = [d for d in self.records.documents(case) if d.id in set(document_ids)]
        flags = [f for f in self.flags(case, added) if f.held_back]
        screenings = self.screen(added)
        for flag in flags:
            screening = screenings[flag.document_id]
            self.audit.append(actor, FLAGGED, {
                "document_id": flag.document_id, "detector": screening.detector,
                "sentences": [{"start": f.start, "end": f.end, "score": f.score, "rules": list(f.rules),
                               "excerpt": f.text} for f in screening.findings]}, case.reference)
        return flags

    def confirm(self, user: User, case: Case, document_id: int, note: str) -> DocumentFlag:
        """Record that a flagged document is ordinary correspondence (`document_confirmed`); drafts use it from
        then on. Only the officers and supervisors of the case's team may."""
        access.require_team_member(user, case.team, "confirm that a document of this case is ordinary "
                                                    "correspondence")
        if not note.strip():
            raise SummariserError("Say why this document is ordinary correspondence (for example, who wrote it "
                                  "and why the flagged passage is not an instruction), then confirm again.")
        flag = next((f for f in self.flags(case) if f.document_id == document_id), None)
        if flag is None:
            raise NotFlagged()
        if not flag.held_back:
            return flag

        def not_yet_confirmed(conn) -> None:
            if document_id in self._confirmations(case, conn):
                raise SummariserError("Someone else has just confirmed this document. Reload the case.")
        event = self.audit.append(user.username, CONFIRMED, {
            "document_id": document_id, "detector": flag.detector, "note": note.strip(), "role": user.role},
            case.reference, precondition=not_yet_confirmed)
        return replace(flag, confirmed_by=event.actor, confirmed_at=event.recorded_at, note=note.strip())


class ScreeningService:
    """What the Case page and the CLI call: a case's flagged documents, and confirming one, through the case gate."""

    def __init__(self, cases: CaseService, screening: DocumentScreening):
        self.cases, self.screening = cases, screening

    def flags(self, user: User, reference: str) -> list[DocumentFlag]:
        """Every flagged document of the case, confirmed or not, in the case's document order."""
        return self.screening.flags(self.cases.case(user, reference))

    def may_confirm(self, user: User, reference: str) -> bool:
        """Whether to offer this user the Confirm button on this case."""
        return access.is_team_member(user, self.cases.case(user, reference).team)

    def confirm(self, user: User, reference: str, document_id: int, note: str) -> DocumentFlag:
        return self.screening.confirm(user, self.cases.case(user, reference), document_id, note)
