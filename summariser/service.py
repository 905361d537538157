"""The service facade: the one object the UI and the CLI call.

Its dependencies are passed in, so tests give it fakes without patching.
Every method takes the acting user and checks their access here, not in the
UI. Every draft, successful or failed, lands in the audit log with its inputs.
"""
from __future__ import annotations

import hashlib
import json
import logging
import uuid
from dataclasses import asdict, dataclass, replace
from datetime import date, datetime, timezone
from typing import Callable

from audit.errors import DraftChanged
from audit.evidence import evidence_html, evidence_pack
from audit.export import events_csv
from audit.metrics import Dashboard, build_dashboard
from audit.log import AuditLog, Event, EventChoices, EventFilter, EventPage, Verification, Visibility
from audit.review import DraftReview, DraftState, DraftStatus, diff
from retrieval.access import User
from retrieval.accounts import Accounts, SignInFailed
from retrieval.errors import NotAuthorised, NotFound
from retrieval.chunking import chunk_document
from retrieval.index import PassageIndex
from retrieval.ingest import Ingestor, IngestOutcome, Upload
from retrieval.records import Case, CaseOverview, CaseRecords, Document
from retrieval.related import Related, related_records
from summariser.citations import CitationReport, Source, check_citations, recite
from summariser.conflicts import Conflict, conflicts_involving, conflicts_section, find_conflicts
from summariser.coverage import CoverageGap, check_coverage
from summariser.grounding import GroundingChecker, GroundingReport
from summariser.drafting import NOTES_TEMPLATE, Drafter, number_sources
from summariser.risk import assess_sources
from summariser.errors import SummariserError
from summariser.llm import ChatModel
from summariser.queue import ModelQueue
from summariser.records_management import RecordsManager
from summariser.templates import PromptTemplate, TemplateLibrary

log = logging.getLogger(__name__)
UPDATE_TEMPLATE = "case_update"


@dataclass(frozen=True)
class CaseListing:
    overview: CaseOverview
    summary_status: str  # "missing" | "pending" | "approved" | "stale" | "rejected" | "failed"


class CaseworkService:
    def __init__(self, records: CaseRecords, index: PassageIndex, ingestor: Ingestor, audit: AuditLog,
                 review: DraftReview, templates: TemplateLibrary, chat_model: Callable[[], ChatModel],
                 accounts: Accounts, grounding: GroundingChecker,
                 default_template: str = "case_summary", related_limit: int = 6,
                 chunk_chars: int = 900, chunk_overlap: int = 120, today: Callable[[], date] = date.today,
                 model_queue: ModelQueue | None = None, retention_days: int = 2190):
        self.records, self.index, self.ingestor = records, index, ingestor
        self.audit, self.review, self.templates = audit, review, templates
        self.chat_model = chat_model
        self.accounts = accounts
        self.grounding = grounding
        self.records_manager = RecordsManager(records, index, audit)  # erasure spans all three stores
        self.default_template, self.related_limit = default_template, related_limit
        self.chunk_chars, self.chunk_overlap = chunk_chars, chunk_overlap
        self.today = today
        self.model_queue = model_queue or ModelQueue()
        self.retention_days = retention_days  # after a case's last activity, its person's records may be erased

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

    def letter_template_choices(self) -> list[str]:
        """Templates that summarise one letter or e-mail rather than a whole case."""
        return self.templates.for_scope("document")

    def template_choices(self, case: Case | None = None) -> tuple[list[str], str]:
        """Summary templates an officer may choose, and the default one (for the case's type, if given)."""
        default = self.templates.for_case_type(case.case_type, self.default_template) if case else self.default_template
        return self.templates.summary_names(), default

    def cases(self, user: User) -> list[CaseListing]:
        drafts_by_case: dict[str, list[DraftStatus]] = {}
        for draft in self.review.statuses():  # statuses only: no text is read for the case list
            drafts_by_case.setdefault(draft.case_reference, []).append(draft)
        return [CaseListing(o, self._summary_status(drafts_by_case.get(o.case.reference, [])))
                for o in self.records.overview(user.visible_teams)]

    @staticmethod
    def _summary_status(drafts: list[DraftStatus]) -> str:
        """A draft waiting for review first; else the current approved full summary (maybe stale: its approved
        updates are read with it); else the last try."""
        if not drafts:
            return "missing"
        if any(d.status in ("pending", "edited") for d in drafts):
            return "pending"
        current = [d for d in drafts if d.status in ("approved", "stale") and not d.update_of]
        return current[-1].status if current else drafts[-1].status

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
              retry_of: str | None = None, document_id: int | None = None, update: bool = False) -> DraftState:
        """Draft a summary. Success or failure, the draft is recorded with its inputs; a failure can be retried.

        The template defaults to the one made for the case's type. A document template (a letter or e-mail)
        reads only `document_id`; `update` drafts what changed since the last approved summary from the
        documents added after it. Every draft is then checked sentence by sentence (grounding), gets a
        conflicts section listing where the sources disagree, and records which coverage items it omits.
        """
        case = self.case(user, reference)
        documents, sources = self.sources(case)
        extra, update_of, keep = {}, None, None
        if update:
            basis = self.review.update_basis(case.reference)
            if basis is None:
                raise SummariserError("This case has no approved summary yet, so there is nothing to update. "
                                      "Draft a full summary instead.")
            if not basis.documents_added_since:
                raise SummariserError("No documents were added since the last approved summary, "
                                      "so there is nothing to update.")
            template = self.templates.get(template_name or UPDATE_TEMPLATE)
            if template.role != "update":
                raise SummariserError(f"The template '{template.name}' drafts a full summary, not an update. "
                                      "Choose an update template, or draft a full summary instead.")
            extra = {"previous_summary": basis.approved_text, "since": basis.approved_at[:10]}
            update_of, keep = basis.draft.draft_id, set(basis.documents_added_since)
        else:
            template = self.templates.get(template_name
                                          or self.templates.for_case_type(case.case_type, self.default_template))
            if template.role == "update":
                raise SummariserError(f"The template '{template.name}' drafts an update of an approved summary: "
                                      "use 'Draft an update' (cli.py draft --update) instead.")
            if template.scope == "case" and document_id is not None:
                raise SummariserError(f"The template '{template.name}' summarises a whole case; choose a letter "
                                      "template to summarise one document.")
            if template.scope == "document":
                if document_id not in {d.id for d in documents}:
                    raise SummariserError(f"The template '{template.name}' summarises one letter or e-mail. "
                                          "Choose one of this case's documents for it.")
                keep = {document_id}
        sign_off = assess_sources([(s.number, s.text) for s in sources])  # the whole case, even for an update
        given = sources if keep is None else [s for s in sources if s.document_id in keep]
        conflicts, compared = self._conflicts(case, sources, given)
        kept = {s.number for s in given + compared}
        documents = [d for d in documents if d.id in {s.document_id for s in given + compared}]
        sources = [s for s in sources if s.number in kept]  # numbered as in the whole case
        related = self.index.similar_to_case(case, user.visible_teams, self.related_limit)
        draft_id = self.review.new_draft_id()
        inputs = {
            "retry_of": retry_of, "update_of": update_of, "document_id": document_id if keep and not update else None,
            "case": {"reference": case.reference, "team": case.team, "case_type": case.case_type},
            "documents": [{"id": d.id, "filename": d.filename, "sha256": d.sha256} for d in documents],
            "sources": [{"n": s.number, "chunk_id": s.chunk_id, "document_id": s.document_id, "page": s.page}
                        for s in sources],
            "compared_only": [s.number for s in compared],  # cited by the conflicts section, not given to the model
            "related": [{"chunk_id": p.chunk_id, "case": p.case_reference, "score": p.score} for p in related],
            "template": {"name": template.name, "version": template.version, "sha256": template.sha256},
            "sign_off": sign_off.as_dict(),
        }
        model_info: dict = {}
        try:
            chat = self.chat_model()
            model_info = {"provider": chat.provider, "model": chat.name, "parameters": chat.parameters}
            drafter = Drafter(chat, self.templates.get(NOTES_TEMPLATE), on_token, on_stage)
            waiting = (lambda ahead: on_stage(f"Waiting for the model: {ahead} draft(s) ahead of yours")) \
                if on_stage else (lambda ahead: None)
            with self.model_queue.turn(waiting):
                run = drafter.draft(template, case, given, self.today(), extra)
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
        if on_stage:
            on_stage("Checking every sentence against the records")
        text, checks = self._check(case, template, sources, run.text, conflicts)
        return self.review.record_draft(user.username, case.reference, draft_id, inputs | checks | {
            "model": model_info, "steps": run.steps, "rendered_prompt_sha256": run.final_prompt_sha256,
            "model_output_chars": len(run.text), "output": text})

    @staticmethod
    def _conflicts(case: Case, sources: list[Source], given: list[Source]) -> tuple[list[Conflict] | None,
                                                                                     list[Source]]:
        """Where the records disagree, for the part of the case being drafted, and the passages of the rest of
        the case the conflicts section must cite (not given to the model). None if the check itself failed."""
        try:
            conflicts = find_conflicts(sources, case.person.full_name)
        except Exception:
            log.exception("the conflicts check for %s failed", case.reference)
            return None, []
        if len(given) == len(sources):
            return conflicts, []
        conflicts = conflicts_involving(conflicts, {s.number for s in given})
        cited = {n for c in conflicts for n in c.cited}
        given_numbers = {s.number for s in given}
        return conflicts, [s for s in sources if s.number in cited - given_numbers]

    def _check(self, case: Case, template: PromptTemplate, sources: list[Source], model_text: str,
               conflicts: list[Conflict] | None) -> tuple[str, dict]:
        """The draft text with its conflicts section, and the checks recorded with it. A failing check never
        loses the model's text: the draft is kept, and its grounding is worked out again when it is opened."""
        try:
            if conflicts is None:
                raise RuntimeError("the conflicts check failed")
            text = model_text + (f"\n\n{conflicts_section(conflicts)}" if conflicts else "")
            return text, {"citations": check_citations(text, sources, template.sections).as_dict(),
                          "grounding": self.grounding.check(text, sources, context=self._known(case)).as_dict(),
                          "conflicts": [asdict(c) for c in conflicts],
                          "coverage": [asdict(g) for g in check_coverage(template, text, sources)]}
        except Exception:
            incident = uuid.uuid4().hex[:8]
            log.exception("checks of a draft for %s failed (incident %s)", case.reference, incident)
            return model_text, {"citations": check_citations(model_text, sources, template.sections).as_dict(),
                                "checks_error": f"The sentence checks could not run (incident {incident}); "
                                                "they run again when the draft is opened."}

    def retry(self, user: User, draft_id: str, on_token: Callable[[str], None] | None = None,
              on_stage: Callable[[str], None] | None = None) -> DraftState:
        failed = self.draft_state(user, draft_id)
        if failed.status != "failed":
            raise SummariserError("Only a failed draft can be retried; draft a new summary instead.")
        payload = failed.drafted.payload
        return self.draft(user, failed.case_reference, payload["template"]["name"], on_token, on_stage,
                          retry_of=draft_id, document_id=payload.get("document_id"),
                          update=bool(payload.get("update_of")))

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

    def grounding_report(self, user: User, draft_id: str) -> GroundingReport:
        """The grounding check of the draft's current version, so an edit is checked again."""
        state = self.draft_state(user, draft_id)
        return self.grounding.check(state.current.text if state.current else "",
                                    list(self.sources_of(user, draft_id).values()),
                                    context=self._known(self.records.case(state.case_reference)))

    @staticmethod
    def _known(case: Case) -> str:
        """Facts a summary may state without a source: whose case it is and its reference."""
        return f"{case.person.full_name} {case.reference}"

    def coverage_gaps(self, user: User, draft_id: str) -> list[CoverageGap]:
        """What the template says a summary must cover, the sources mention, and the current version omits."""
        state = self.draft_state(user, draft_id)
        template = self.templates.templates.get(state.drafted.payload["template"]["name"])
        if template is None or state.current is None:
            return []
        return check_coverage(template, state.current.text, list(self.sources_of(user, draft_id).values()))

    def approve(self, user: User, draft_id: str, seen_seq: int, note: str = "") -> DraftState:
        """Approve the current version, unless a sentence the records do not support is still unanswered
        (edited away, or accepted with a reason)."""
        unsupported = {c.key for c in self.grounding_report(user, draft_id).unsupported}

        def unanswered(current: DraftState) -> str | None:
            left = unsupported - set(current.accepted)
            if not left:
                return None
            return (f"{len(left)} sentence(s) of this version are not supported by the records. Edit or remove "
                    "each one, or accept it with a reason, before you approve.")
        return self.review.approve(draft_id, user.username, seen_seq, note, role=user.role, blocked_by=unanswered)

    def edit(self, user: User, draft_id: str, seen_seq: int, text: str) -> DraftState:
        self.draft_state(user, draft_id)
        return self.review.edit(draft_id, user.username, seen_seq, text, role=user.role)

    def cite_instead(self, user: User, draft_id: str, seen_seq: int, sentence_key: str, number: int) -> DraftState:
        """A new version in which one unsupported sentence cites the source the grounding check found supports
        it as written, made by this user (the model often numbers bullets instead of citing)."""
        state = self.draft_state(user, draft_id)
        check = next((c for c in self.grounding_report(user, draft_id).unsupported
                      if c.key == sentence_key and c.supported_by == number), None)
        text = recite(state.current.text, check.text, number) if check and state.current else None
        if text is None:
            raise DraftChanged(state, "That sentence is no longer in the draft as it was checked. Look at the "
                                      "current version, and edit the sentence yourself if it still needs it.")
        return self.edit(user, draft_id, seen_seq, text)

    def reject(self, user: User, draft_id: str, seen_seq: int, reason: str) -> DraftState:
        self.draft_state(user, draft_id)
        return self.review.reject(draft_id, user.username, seen_seq, reason, role=user.role)

    # supervision ---------------------------------------------------------------
    def _require_supervisor(self, user: User) -> None:
        if user.role not in ("supervisor", "admin"):
            raise NotAuthorised("Only supervisors and administrators can see the audit log.")

    def _audit_filter(self, user: User, filters: EventFilter | None = None) -> EventFilter:
        """The filters narrowed to what the supervisor may see: their teams' cases, and their teams' people's own
        events. Any visibility passed in is replaced, so a caller can never widen it; an admin sees everything."""
        self._require_supervisor(user)
        visible = None if user.visible_teams is None else Visibility(
            cases={o.case.reference for o in self.records.overview(user.visible_teams)},
            people={a.username for a in self.accounts.all() if user.may_see(a.team)})
        return replace(filters or EventFilter(), visible=visible)

    def audit_events(self, user: User, of_drafts: bool = False) -> list[Event]:
        """Every event a supervisor may see, or only those of drafts; the database does the narrowing."""
        return self.audit.events(where=self._audit_filter(user), of_drafts=of_drafts)

    def audit_choices(self, user: User) -> EventChoices:
        """The officers, cases and actions in the part of the log this supervisor may see, and its first and last
        times: what the audit log page offers to filter by."""
        return self.audit.choices(self._audit_filter(user))

    def audit_page(self, user: User, filters: EventFilter, before_seq: int | None = None,
                   size: int = 50) -> EventPage:
        """One page of the events matching the filters that this supervisor may see, newest first; the next page
        starts before the last seq shown."""
        return self.audit.page(self._audit_filter(user, filters), size, before_seq)

    def verify_log(self, user: User, against: str | None = None) -> Verification:
        """Recompute the chain; with an anchor (SEQ:HASH recorded earlier), also prove nothing before it changed."""
        self._require_supervisor(user)
        return self.audit.verify(against=against)

    def chain_head(self, user: User) -> tuple[int, str]:
        """(sequence number, hash) of the newest event: recorded elsewhere, it anchors a later `verify`."""
        self._require_supervisor(user)
        return self.audit.head()

    def export_events(self, user: User, filters: EventFilter) -> str:
        """CSV of every event matching the filters that the supervisor may see, on all pages, not only the one
        shown. Payloads go out as chained (personal texts as their references), so no text is read for it."""
        return events_csv(self.audit.events(where=self._audit_filter(user, filters), texts=False))

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

    # dashboard ----------------------------------------------------------------
    def dashboard(self, user: User, start: date, end: date, now: datetime | None = None) -> Dashboard:
        """The supervisor's dashboard (an audit.metrics.Dashboard) for drafts made from `start` to `end`.

        Worked out from the events this supervisor may see (their teams' cases
        only), so the figures always agree with the audit log. The queue is as
        of `now` (default: the current time), whatever the period.
        """
        if user.role not in ("supervisor", "admin"):
            raise NotAuthorised("Only supervisors and administrators can see the dashboard.")
        return build_dashboard(self.audit_events(user, of_drafts=True), start, end, now or datetime.now(timezone.utc))

    # workflow ------------------------------------------------------------------
    def versions(self, user: User, draft_id: str):
        """Every version of a draft (audit.review.Version), labelled AI draft / officer edit / supervisor edit."""
        return self.draft_state(user, draft_id).versions

    def diff(self, user: User, draft_id: str, a: int, b: int) -> str:
        """A unified diff between two versions of a draft (VersionNotFound for a version it does not have)."""
        return diff(self.draft_state(user, draft_id), a, b)

    def accept_sentence(self, user: User, draft_id: str, seen_seq: int, sentence_key: str, sentence_text: str,
                        reason: str) -> DraftState:
        """Keep an unsupported sentence of the current version, with the officer's reason (recorded)."""
        self.draft_state(user, draft_id)
        return self.review.accept_sentence(draft_id, user.username, seen_seq, sentence_key, sentence_text, reason,
                                           role=user.role)

    def second_check(self, user: User, draft_id: str, seen_seq: int, outcome: str, note: str = "") -> DraftState:
        """A supervisor confirms an approved summary, or records a concern about it."""
        self.draft_state(user, draft_id)
        return self.review.second_check(draft_id, user.username, seen_seq, outcome, note, role=user.role)

    def second_checks_due(self, user: User) -> list[DraftState]:
        """Approved summaries of the supervisor's teams sampled for a second check and not yet checked."""
        if user.role not in ("supervisor", "admin"):
            raise NotAuthorised("Only supervisors and administrators do second checks.")
        visible = {o.case.reference for o in self.records.overview(user.visible_teams)}
        return self.review.second_checks_due(visible)

    def update_basis(self, user: User, reference: str):
        """The case's last approved summary and the documents added since (audit.review.UpdateBasis), or None."""
        return self.review.update_basis(self.case(user, reference).reference)

    def evidence_pack(self, user: User, draft_id: str) -> tuple[str, str]:
        """One summary's evidence pack as (JSON text, HTML page); anyone who may open the case may export it.

        The export itself is audited against the case, not the draft, so making
        a pack never counts as a change to a draft someone is deciding on.
        """
        state = self.draft_state(user, draft_id)
        held = {}
        for document in state.drafted.payload.get("documents", []):
            try:
                found = self.records.document(document["id"])
            except NotFound:
                continue
            held[found.id] = {"sha256": found.sha256, "pages": len(found.pages), "added_by": found.added_by,
                              "added_at": found.added_at.isoformat()}
        pack = evidence_pack(state, list(state.events), self.audit.verify(), held,
                             exported_by=user.username, contents=self.audit.kept_texts(list(state.events)),
                             exported_at=datetime.now(timezone.utc).isoformat(timespec="seconds"))
        json_text = json.dumps(pack, indent=2, ensure_ascii=False)
        self.audit.append(user.username, "evidence_exported",
                          {"draft_id": draft_id, "pack_sha256": hashlib.sha256(json_text.encode()).hexdigest()},
                          state.case_reference)
        return json_text, evidence_html(pack)

    # records management ----
    # Erasure, legal holds, retention and subject access (summariser/records_management.py); administrators only.
    @staticmethod
    def _require_admin(user: User, what: str) -> None:
        if user.role != "admin":
            raise NotAuthorised(f"Only an administrator can {what}.")

    def erase_person(self, user: User, person_reference: str, reason: str):
        """Erase a person's personal content everywhere, leaving tombstones; refused under legal hold."""
        self._require_admin(user, "erase a person's records")
        return self.records_manager.erase_person(person_reference, user.username, reason)

    def set_legal_hold(self, user: User, person_reference: str, reason: str, case_reference: str | None = None):
        self._require_admin(user, "put records under legal hold")
        return self.records_manager.set_hold(person_reference, user.username, reason, case_reference)

    def release_legal_hold(self, user: User, person_reference: str, reason: str, case_reference: str | None = None):
        self._require_admin(user, "release a legal hold")
        return self.records_manager.release_hold(person_reference, user.username, reason, case_reference)

    def erase_expired(self, user: User, dry_run: bool = False):
        """Erase (or with dry_run, list) everyone whose retention period has ended by today."""
        self._require_admin(user, "erase records after the retention period")
        return self.records_manager.erase_expired(user.username, self.today(), self.retention_days, dry_run)

    def subject_access(self, user: User, person_reference: str) -> dict:
        """Everything held about one person, as a JSON-serialisable dict (the export is audited)."""
        self._require_admin(user, "export everything held about a person")
        return self.records_manager.subject_access(person_reference, user.username)

    def people_on_record(self, user: User) -> list[tuple]:
        """Every person with a case, erased or not, as (Person, [CaseOverview], [Hold]) by reference.

        One read for the Records page, so it can show whom it would act on and what holds them.
        """
        self._require_admin(user, "manage people's records")
        people: dict[str, tuple] = {}
        for listing in self.records.overview(None):
            person = listing.case.person
            people.setdefault(person.reference, (person, [], []))[1].append(listing)
        for hold in self.records.holds():
            if hold.person_reference in people:
                people[hold.person_reference][2].append(hold)
        return [people[reference] for reference in sorted(people)]
