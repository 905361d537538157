"""Cases and their documents as a user may see them: the access gate every other service goes through."""
from __future__ import annotations

from datetime import datetime, timezone
from dataclasses import dataclass, replace
from typing import Callable

from audit.log import AuditLog
from audit.verification import HeldDocument
from retrieval.errors import NotAuthorised, NotFound
from retrieval.ingest.pipeline import Ingestor, IngestOutcome, Upload
from retrieval.records import access
from retrieval.records.access import User
from retrieval.records.store import Case, CaseOverview, CaseRecords, Document
from retrieval.search.index import PassageIndex
from retrieval.search.related import Related, related_records
from summariser.reading.jobs import ReadingJobs
from summariser.services.additions import DocumentAdditions
from summariser.services.reading import queue_for_reading
from workflow.review import DraftReview


class Ingested(list):
    """The outcome of each file, in order (a list, as ingest always returned), and what became of reading the
    documents it added: `queued` passages sent to the reading worker, or `reading_problem` in plain English. The
    worker also screens them (summariser/services/checking.py); the Case page shows what it flags."""

    def __init__(self, outcomes: list[IngestOutcome], queued: int = 0, reading_problem: str | None = None):
        super().__init__(outcomes)
        self.queued, self.reading_problem = queued, reading_problem


@dataclass(frozen=True)
class CaseListing:
    overview: CaseOverview
    # "missing" | "pending" | "approved" | "stale" | "rejected" | "failed" (audit.status_table.summary_status)
    summary_status: str


class CaseService:
    def __init__(self, records: CaseRecords, index: PassageIndex, ingestor: Ingestor, audit: AuditLog,
                 review: DraftReview, related_limit: int = 6, reading: ReadingJobs | None = None,
                 mask: Callable[[str], str] | None = None):
        self.records, self.index, self.ingestor = records, index, ingestor
        self.audit, self.review = audit, review
        self.related_limit = related_limit
        self.reading = reading  # queues added documents for the background reader; None: nothing is read
        self.mask = mask  # hides personal data in other cases' passages; None: shown as held
        self.additions = DocumentAdditions(records, audit)  # records each file's addition exactly once

    def held_documents(self) -> list[HeldDocument]:
        """Every document as the records hold it now, for verify to re-hash against the log."""
        overviews = self.records.overview(None)
        reference = {o.case.id: o.case.reference for o in overviews}
        return [HeldDocument(d.id, reference[d.case_id], d.text, d.erased_at is not None)
                for d in self.records.documents_of_cases(reference)]

    def register_case(self, user: User, person: dict, case: dict) -> Case:
        """Create a person and case (admins only); both are idempotent on their references."""
        access.require_admin(user, "register cases")
        self.records.add_person(person["reference"], person["full_name"], person.get("date_of_birth"))
        return self.records.add_case(case["reference"], person["reference"], case["team"], case["case_type"],
                                     case["title"], case.get("officer"), case.get("opened_on"))

    def case(self, user: User, reference: str) -> Case:
        """The case, if the user may open it. Others get one answer whether or not it exists, so
        references in other teams cannot be probed."""
        try:
            case = self.records.case(reference)
            user.require_team(case.team)
        except (NotFound, NotAuthorised):
            if user.visible_teams is None:
                raise
            raise NotAuthorised(f"You cannot open case {reference}: it does not exist or belongs to another "
                                "team. Check the reference, or ask your supervisor for access.") from None
        return case

    def visible_references(self, user: User) -> set[str]:
        """References of every case this user may open."""
        return {o.case.reference for o in self.records.overview(user.visible_teams)}

    def cases(self, user: User) -> list[CaseListing]:
        """The cases this user may open, each with its summary's status from the status table (no event read)."""
        overviews = self.records.overview(user.visible_teams)
        rows = self.review.case_rows(None if user.visible_teams is None else {o.case.reference for o in overviews})
        listings = []
        for overview in overviews:  # last activity: a document added, or any event of its drafts
            row = rows.get(overview.case.reference)
            if row is not None:
                moments = [m if m.tzinfo else m.replace(tzinfo=timezone.utc)  # every stored time is UTC
                           for m in (overview.last_activity, datetime.fromisoformat(row.last_at)) if m is not None]
                overview = replace(overview, last_activity=max(moments))
            listings.append(CaseListing(overview, row.summary_status if row else "missing"))
        return listings

    def documents(self, user: User, reference: str) -> list[Document]:
        return self.records.documents(self.case(user, reference))

    def document(self, user: User, document_id: int) -> Document:
        document = self.records.document(document_id)
        user.require_team(self.records.case_by_id(document.case_id).team)
        return document

    def related(self, user: User, reference: str) -> Related:
        """The same person's other cases, and similar passages of other cases with their people's personal
        details masked: a whole team sees them, not only those who work those cases."""
        related = related_records(self.records, self.index, self.case(user, reference), user.visible_teams,
                                  self.related_limit)
        if self.mask is None:
            return related
        return replace(related, passages=[replace(p, text=self.mask(p.text)) for p in related.passages])

    def ingest(self, user: User, reference: str, uploads: list[Upload],
               progress: Callable[[int, int, IngestOutcome], None] | None = None) -> Ingested:
        """Add files to a case; one outcome per file, and one audit event recording them all (if this process
        stops before writing it, the files it stored are recorded later: summariser/services/additions.py).

        Returns once the files are stored and indexed; their passages are then queued for the background
        reader, which a queue that cannot be reached only delays (see Ingested.reading_problem)."""
        case = self.case(user, reference)
        outcomes = self.ingestor.ingest(case, uploads, user.username, progress)
        self.additions.record_upload(user.username, case.reference, outcomes)
        added = [o.document_id for o in outcomes if o.status == "added" and o.document_id is not None]
        queued = queue_for_reading(self.reading, added)
        return Ingested(outcomes, queued.passages, queued.problem)
