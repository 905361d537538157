"""The services by job, handed together to the UI and the CLI (built in summariser/wiring.py).

Each job has its own service, so a feature lands in the service of its job
instead of growing one facade; docs/decisions/0006-services-by-job.md says why
there is no facade over them.
"""
from __future__ import annotations

from dataclasses import dataclass

from audit.log import AuditLog
from summariser.reading.jobs import ReadingJobs
from summariser.reading.store import FactStore
from retrieval.records.store import CaseRecords
from retrieval.search.index import PassageIndex
from summariser.services.accounts import AccountService
from summariser.services.checking import BackgroundChecks
from summariser.services.cases import CaseListing, CaseService
from summariser.services.draft_view import DraftView
from summariser.services.drafting import DraftingService
from summariser.services.reading import ReadingService
from summariser.services.screening import ScreeningService
from summariser.services.signposting import SignpostingService
from summariser.services.records_admin import RecordsAdministration
from summariser.services.review import ReviewService
from summariser.services.supervision import SupervisionQueries
from summariser.services.triage import TriageService
from workflow.review import DraftReview

__all__ = ["Services", "Stores", "AccountService", "CaseService", "CaseListing", "DraftingService", "DraftView",
           "ReviewService", "SupervisionQueries", "RecordsAdministration", "ReadingService", "ScreeningService",
           "SignpostingService", "TriageService"]


@dataclass(frozen=True)
class Stores:
    """The stores the services share; for tests, benchmarks and evals that check what was recorded, not for pages."""
    records: CaseRecords
    index: PassageIndex
    audit: AuditLog
    review: DraftReview
    reading_jobs: ReadingJobs  # the reading queue (its huey, fact store and records), e.g. to run jobs in a test

    @property
    def facts(self) -> FactStore:
        return self.reading_jobs.store


@dataclass(frozen=True)
class Services:
    accounts: AccountService
    cases: CaseService
    drafting: DraftingService
    review: ReviewService
    supervision: SupervisionQueries
    records_admin: RecordsAdministration
    reading: ReadingService
    stores: Stores
    screening: ScreeningService | None = None  # documents flagged as possible prompt injection (issue 14)
    signposting: SignpostingService | None = None  # the directory of vetted services and suggestions (issue 15)
    triage: TriageService | None = None  # the Incoming correspondence queue (issue 15); None without the classifier
    checks: BackgroundChecks | None = None  # the worker's checks of every document, for a batch to run at once
