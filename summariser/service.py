"""The service facade: the one object the UI and the CLI call.

Its dependencies are passed in, so tests give it fakes without patching.
Every method takes the acting user and checks their access here, not in the
UI. Every draft, successful or failed, lands in the audit log with its inputs.
"""
from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass, replace
from datetime import date
from typing import Callable

from audit.export import events_csv
from audit.log import AuditLog, Event, Verification
from audit.review import DraftReview, DraftState
from retrieval.access import User
from retrieval.accounts import Accounts, SignInFailed
from retrieval.errors import NotAuthorised, NotFound
from retrieval.chunking import chunk_document
from retrieval.index import PassageIndex
from retrieval.ingest import Ingestor, IngestOutcome, Upload
from retrieval.records import Case, CaseOverview, CaseRecords, Document
from retrieval.related import Related, related_records
from summariser.citations import CitationReport, Source, check_citations
from summariser.drafting import NOTES_TEMPLATE, Drafter, number_sources
from summariser.errors import SummariserError
from summariser.llm import ChatModel
from summariser.queue import ModelQueue
from summariser.templates import TemplateLibrary

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class CaseListing:
    overview: CaseOverview
    summary_status: str  # "missing" | "pending" | "approved" | "stale" | "rejected" | "failed"


class CaseworkService:
    def __init__(self, records: CaseRecords, index: PassageIndex, ingestor: Ingestor, audit: AuditLog,
                 review: DraftReview, templates: TemplateLibrary, chat_model: Callable[[], ChatModel],
                 accounts: Accounts,
                 default_template: str = "case_summary", related_limit: int = 6,
                 chunk_chars: int = 900, chunk_overlap: int = 120, today: Callable[[], date] = date.today,
                 model_queue: ModelQueue | None = None):
        self.records, self.index, self.ingestor = records, index, ingestor
        self.audit, self.review, self.templates = audit, review, templates
        self.chat_model = chat_model
        self.accounts = accounts
        self.default_template, self.related_limit = default_template, related_limit
        self.chunk_chars, self.chunk_overlap = chunk_chars, chunk_overlap
        self.today = today
        self.model_queue = model_queue or ModelQueue()

    # people ------------------------------------------------------------------
    def sign_in(self, username: str, password: str) -> User:
        user = self.accounts.authenticate(username, password)
        self.audit.append(user.username, "signed_in", {"role": user.role, "team": user.team})
        return user

    def sign_in_identity(self, identity: str) -> User:
        """Someone the identity provider (OIDC) vouched for: their account gives their role and team."""
        user = self.accounts.user(identity) if identity.strip() else None
        if user is None:
            raise SignInFailed(f"Your organisation account ({identity or 'no e-mail given'}) has no access to this "
                               "tool yet. Ask an administrator to add it with your e-mail address as user name.")
        self.audit.append(user.username, "signed_in", {"role": user.role, "team": user.team, "method": "oidc"})
        return user

    def sign_out(self, user: User) -> None:
        self.audit.append(user.username, "signed_out", {})

    def save_account(self, user: User, username: str, full_name: str, role: str, team: str, password: str) -> User:
        if user.role != "admin":
            raise NotAuthorised("Only an administrator can create or change accounts.")
        saved = self.accounts.save(username, full_name, role, team, password)
        self.audit.append(user.username, "account_saved", {"username": username, "role": role, "team": team})
        return saved

    # cases and documents ----------------------------------------------------
    def register_case(self, user: User, person: dict, case: dict) -> Case:
        """Create a person and case (admins only); both are idempotent on their references."""
        if user.role != "admin":
            raise NotAuthorised("Only an administrator can register cases.")
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

    def template_choices(self) -> tuple[list[str], str]:
        """Summary templates an officer may choose, and the default one."""
        return self.templates.summary_names(), self.default_template

    def cases(self, user: User) -> list[CaseListing]:
        drafts_by_case: dict[str, list[DraftState]] = {}
        for draft in self.review.drafts():
            drafts_by_case.setdefault(draft.case_reference, []).append(draft)
        return [CaseListing(o, self._summary_status(o, drafts_by_case.get(o.case.reference, [])))
                for o in self.records.overview(user.visible_teams)]

    @staticmethod
    def _summary_status(overview: CaseOverview, drafts: list[DraftState]) -> str:
        if not drafts:
            return "missing"
        approved = [d for d in drafts if d.status == "approved"]
        if any(d.status in ("pending", "edited") for d in drafts):
            return "pending"
        if approved:
            decided_at = approved[-1].events[-1].recorded_at
            last = overview.last_activity
            return "stale" if last is not None and last.isoformat() > decided_at else "approved"
        return drafts[-1].status

    def documents(self, user: User, reference: str) -> list[Document]:
        return self.records.documents(self.case(user, reference))

    def document(self, user: User, document_id: int) -> Document:
        document = self.records.document(document_id)
        user.require_team(self.records.case_by_id(document.case_id).team)
        return document

    def related(self, user: User, reference: str) -> Related:
        return related_records(self.records, self.index, self.case(user, reference), user, self.related_limit)

    def ingest(self, user: User, reference: str, uploads: list[Upload],
               progress: Callable[[int, int, IngestOutcome], None] | None = None) -> list[IngestOutcome]:
        """Add files to a case; one outcome per file, and one audit event recording them all."""
        case = self.case(user, reference)
        outcomes = self.ingestor.ingest(case, uploads, user.username, progress)
        self.audit.append(user.username, "documents_added", {
            "files": [{"filename": o.filename, "status": o.status, "document_id": o.document_id,
                       "error": o.error, "sha256": o.sha256} for o in outcomes]}, case.reference)
        return outcomes

    # drafting -----------------------------------------------------------------
    def sources(self, case: Case) -> tuple[list[Document], list[Source]]:
        documents = self.records.documents(case)
        chunks = {d.id: chunk_document(d, self.chunk_chars, self.chunk_overlap) for d in documents}
        return documents, number_sources(case, documents, chunks)

    def draft(self, user: User, reference: str, template_name: str | None = None,
              on_token: Callable[[str], None] | None = None, on_stage: Callable[[str], None] | None = None,
              retry_of: str | None = None) -> DraftState:
        """Draft a summary. Success or failure, the draft is recorded with its inputs; a failure can be retried."""
        case = self.case(user, reference)
        template = self.templates.get(template_name or self.default_template)
        documents, sources = self.sources(case)
        related = self.index.similar_to_case(case, user.visible_teams, self.related_limit)
        draft_id = self.review.new_draft_id()
        inputs = {
            "retry_of": retry_of,
            "case": {"reference": case.reference, "team": case.team, "case_type": case.case_type},
            "documents": [{"id": d.id, "filename": d.filename, "sha256": d.sha256} for d in documents],
            "sources": [{"n": s.number, "chunk_id": s.chunk_id, "document_id": s.document_id, "page": s.page}
                        for s in sources],
            "related": [{"chunk_id": p.chunk_id, "case": p.case_reference, "score": p.score} for p in related],
            "template": {"name": template.name, "version": template.version, "sha256": template.sha256},
        }
        model_info: dict = {}
        try:
            chat = self.chat_model()
            model_info = {"provider": chat.provider, "model": chat.name, "parameters": chat.parameters}
            drafter = Drafter(chat, self.templates.get(NOTES_TEMPLATE), on_token, on_stage)
            waiting = (lambda ahead: on_stage(f"Waiting for the model: {ahead} draft(s) ahead of yours")) \
                if on_stage else (lambda ahead: None)
            with self.model_queue.turn(waiting):
                run = drafter.draft(template, case, sources, self.today())
        except SummariserError as error:
            log.warning("draft %s for %s failed: %s", draft_id, case.reference, error)
            return self.review.record_failure(user.username, case.reference, draft_id, inputs | {
                "model": model_info, "error": str(error), "error_type": type(error).__name__})
        except BaseException as error:  # unexpected, or the run was stopped (page closed): keep the inputs on record
            if not isinstance(error, Exception):
                self.review.record_failure(user.username, case.reference, draft_id, inputs | {
                    "model": model_info, "error": "The draft was interrupted before it finished (the page was "
                                                  "closed or changed). Retry it.", "error_type": "Interrupted"})
                raise
            incident = uuid.uuid4().hex[:8]
            log.exception("draft %s for %s failed unexpectedly (incident %s)", draft_id, case.reference, incident)
            return self.review.record_failure(user.username, case.reference, draft_id, inputs | {
                "model": model_info, "error": f"Something went wrong while drafting (incident {incident}). "
                                              "Try again; if it happens again, report the incident id.",
                "error_type": type(error).__name__, "incident": incident})
        return self.review.record_draft(user.username, case.reference, draft_id, inputs | {
            "model": model_info, "steps": run.steps, "rendered_prompt_sha256": run.final_prompt_sha256,
            "output": run.text, "citations": run.report.as_dict()})

    def retry(self, user: User, draft_id: str, on_token: Callable[[str], None] | None = None,
              on_stage: Callable[[str], None] | None = None) -> DraftState:
        failed = self.draft_state(user, draft_id)
        if failed.status != "failed":
            raise SummariserError("Only a failed draft can be retried; draft a new summary instead.")
        return self.draft(user, failed.case_reference, failed.drafted.payload["template"]["name"],
                          on_token, on_stage, retry_of=draft_id)

    # review -------------------------------------------------------------------
    def draft_state(self, user: User, draft_id: str) -> DraftState:
        state = self.review.state(draft_id)
        self.case(user, state.case_reference)
        return state

    def drafts(self, user: User, reference: str) -> list[DraftState]:
        return self.review.drafts(self.case(user, reference).reference)

    def pending(self, user: User) -> list[DraftState]:
        """Drafts waiting for a decision that this user may see, oldest first."""
        visible = {o.case.reference for o in self.records.overview(user.visible_teams)}
        return self.review.undecided(visible)

    def approve(self, user: User, draft_id: str, seen_seq: int, note: str = "") -> DraftState:
        self.draft_state(user, draft_id)
        return self.review.approve(draft_id, user.username, seen_seq, note)

    def edit(self, user: User, draft_id: str, seen_seq: int, text: str) -> DraftState:
        self.draft_state(user, draft_id)
        return self.review.edit(draft_id, user.username, seen_seq, text)

    def reject(self, user: User, draft_id: str, seen_seq: int, reason: str) -> DraftState:
        self.draft_state(user, draft_id)
        return self.review.reject(draft_id, user.username, seen_seq, reason)

    # supervision ---------------------------------------------------------------
    def _require_supervisor(self, user: User) -> None:
        if user.role not in ("supervisor", "admin"):
            raise NotAuthorised("Only supervisors and administrators can see the audit log.")

    def audit_events(self, user: User) -> list[Event]:
        """Every event a supervisor may see: those of their teams' cases, and their teams' people's own."""
        self._require_supervisor(user)
        events = self.audit.events()
        if user.visible_teams is None:
            return events
        visible = {o.case.reference for o in self.records.overview(user.visible_teams)}
        team_people = {a.username for a in self.accounts.all() if user.may_see(a.team)}
        return [e for e in events if e.case_reference in visible
                or (e.case_reference is None and e.actor in team_people)]

    def verify_log(self, user: User) -> Verification:
        self._require_supervisor(user)
        return self.audit.verify()

    def export_events(self, user: User, events: list[Event]) -> str:
        """CSV of events the supervisor is looking at (only those they may see)."""
        allowed = {e.seq for e in self.audit_events(user)}
        return events_csv([e for e in events if e.seq in allowed])

    def citation_report(self, user: User, draft_id: str) -> CitationReport:
        """The citation check of the draft's current version (an officer's edit is checked too)."""
        state = self.draft_state(user, draft_id)
        template = self.templates.templates.get(state.drafted.payload["template"]["name"])
        return check_citations(state.current.text if state.current else "",
                               list(self.sources_of(user, draft_id).values()),
                               template.sections if template else ())

    def sources_of(self, user: User, draft_id: str) -> dict[int, Source]:
        """The numbered sources a draft was given, so its citations can be opened."""
        state = self.draft_state(user, draft_id)
        case = self.records.case(state.case_reference)
        _, current = self.sources(case)
        by_chunk = {s.chunk_id: s for s in current}
        return {entry["n"]: replace(by_chunk[entry["chunk_id"]], number=entry["n"])
                for entry in state.drafted.payload["sources"] if entry["chunk_id"] in by_chunk}
