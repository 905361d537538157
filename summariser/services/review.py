"""Reviewing drafts: what a user may read of a draft and its checks, and the decisions they make on it.

Each decision carries the audit sequence number of the draft as the user saw
it, so a decision on a draft that changed meanwhile is refused, never applied
blindly. Approval waits until every unsupported sentence is answered.
"""
from __future__ import annotations

import hashlib
import json
from datetime import datetime, timezone
from typing import Callable

from audit.evidence import evidence_html
from audit.log import AuditLog
from retrieval.errors import NotFound
from retrieval.records import access
from retrieval.records.access import User
from retrieval.records.store import CaseRecords
from summariser.checks.coverage import CoverageGap
from summariser.checks.grounding import GroundingChecker, GroundingReport
from summariser.drafting.citations import CitationReport, Source, recite
from summariser.drafting.templates import TemplateLibrary
from summariser.services.cases import CaseService
from summariser.services.draft_view import DraftView
from summariser.services.sources import CaseSources
from workflow.errors import DraftChanged
from workflow.evidence import evidence_pack
from workflow.review import DraftReview
from workflow.state import DraftState, diff


class ReviewService:
    def __init__(self, cases: CaseService, sources: CaseSources, records: CaseRecords, review: DraftReview,
                 audit: AuditLog, templates: TemplateLibrary, grounding: GroundingChecker):
        self.cases, self.case_sources, self.records = cases, sources, records
        self.review, self.audit, self.templates, self.grounding = review, audit, templates, grounding

    # reading ------------------------------------------------------------------
    def draft_state(self, user: User, draft_id: str) -> DraftState:
        state = self.review.state(draft_id)
        self.cases.case(user, state.case_reference)
        return state

    def drafts(self, user: User, reference: str) -> list[DraftState]:
        return self.review.drafts(self.cases.case(user, reference).reference)

    def pending(self, user: User) -> list[DraftState]:
        """Drafts waiting for a decision that this user may see: those an officer has sent for a supervisor's
        approval first, then the rest, oldest first within each."""
        return sorted(self.review.undecided(self.cases.visible_references(user)), key=lambda d: d.sent is None)

    def update_basis(self, user: User, reference: str):
        """The case's last approved summary and the documents added since (workflow.review.UpdateBasis), or None."""
        return self.review.update_basis(self.cases.case(user, reference).reference)

    def view(self, user: User, draft_id: str) -> DraftView:
        """The draft with its sources read once; its checks are worked out when first asked for."""
        state = self.draft_state(user, draft_id)
        return DraftView(state, self.records.case(state.case_reference), self.case_sources.of_draft(state),
                         self.templates.templates.get(state.drafted.data.template.name), self.grounding)

    def grounding_report(self, user: User, draft_id: str) -> GroundingReport:
        """The grounding check of the draft's current version, so an edit is checked again."""
        return self.view(user, draft_id).grounding

    def coverage_gaps(self, user: User, draft_id: str) -> list[CoverageGap]:
        return self.view(user, draft_id).coverage

    def citation_report(self, user: User, draft_id: str) -> CitationReport:
        """The citation check of the draft's current version (an officer's edit is checked too)."""
        return self.view(user, draft_id).citations

    def sources_of(self, user: User, draft_id: str) -> dict[int, Source]:
        """The numbered sources a draft was given, so its citations can be opened."""
        return self.case_sources.of_draft(self.draft_state(user, draft_id))

    def versions(self, user: User, draft_id: str):
        """Every version of a draft (workflow.review.Version), labelled AI draft / officer edit / supervisor edit."""
        return self.draft_state(user, draft_id).versions

    def diff(self, user: User, draft_id: str, a: int, b: int) -> str:
        """A unified diff between two versions of a draft (VersionNotFound for a version it does not have)."""
        return diff(self.draft_state(user, draft_id), a, b)

    def second_checks_due(self, user: User) -> list[DraftState]:
        """Approved summaries of the supervisor's teams sampled for a second check and not yet checked."""
        access.require_supervisor(user, "do second checks")
        return self.review.second_checks_due(self.cases.visible_references(user))

    # deciding -----------------------------------------------------------------
    def approve(self, user: User, draft_id: str, seen_seq: int, note: str = "") -> DraftState:
        """Approve the current version, unless a sentence the records do not support is still unanswered
        (edited away, or accepted with a reason)."""
        return self.review.approve(draft_id, user.username, seen_seq, note, role=user.role,
                                   supervising=access.supervises(user), blocked_by=self._unanswered(user, draft_id))

    def send_to_supervisor(self, user: User, draft_id: str, seen_seq: int, note: str = "") -> DraftState:
        """An officer sends a draft that needs a supervisor's approval to them, once every unsupported sentence
        is answered, as approval itself would need."""
        return self.review.send_to_supervisor(draft_id, user.username, seen_seq, note, role=user.role,
                                              blocked_by=self._unanswered(user, draft_id))

    def _unanswered(self, user: User, draft_id: str) -> Callable[[DraftState], str | None]:
        """The refusal of a decision while sentences of the version shown are unsupported and unanswered."""
        unsupported = {c.key for c in self.grounding_report(user, draft_id).unsupported}

        def unanswered(current: DraftState) -> str | None:
            left = unsupported - set(current.accepted)
            if not left:
                return None
            return (f"{len(left)} sentence{'s' * (len(left) != 1)} of this version "
                    f"{'is' if len(left) == 1 else 'are'} not supported by the records. Edit or remove "
                    "each one, or accept it with a reason, before you approve.")
        return unanswered

    def edit(self, user: User, draft_id: str, seen_seq: int, text: str) -> DraftState:
        self.draft_state(user, draft_id)
        return self.review.edit(draft_id, user.username, seen_seq, text, role=user.role)

    def cite_instead(self, user: User, draft_id: str, seen_seq: int, sentence_key: str, number: int) -> DraftState:
        """A new version in which one unsupported sentence cites the source the grounding check found supports
        it as written, made by this user (the model often numbers bullets instead of citing)."""
        view = self.view(user, draft_id)
        check = next((c for c in view.grounding.unsupported
                      if c.key == sentence_key and c.supported_by == number), None)
        text = recite(view.text, check.text, number) if check and view.state.current else None
        if text is None:
            raise DraftChanged(view.state, "That sentence is no longer in the draft as it was checked. Look at the "
                                           "current version, and edit the sentence yourself if it still needs it.")
        return self.edit(user, draft_id, seen_seq, text)

    def reject(self, user: User, draft_id: str, seen_seq: int, reason: str) -> DraftState:
        self.draft_state(user, draft_id)
        return self.review.reject(draft_id, user.username, seen_seq, reason, role=user.role)

    def accept_sentence(self, user: User, draft_id: str, seen_seq: int, sentence_key: str, sentence_text: str,
                        reason: str) -> DraftState:
        """Keep an unsupported sentence of the current version, with the officer's reason (recorded)."""
        self.draft_state(user, draft_id)
        return self.review.accept_sentence(draft_id, user.username, seen_seq, sentence_key, sentence_text, reason,
                                           role=user.role)

    def second_check(self, user: User, draft_id: str, seen_seq: int, outcome: str, note: str = "") -> DraftState:
        """A supervisor confirms an approved summary, or records a concern about it."""
        self.draft_state(user, draft_id)
        return self.review.second_check(draft_id, user.username, seen_seq, outcome, note, role=user.role,
                                        supervising=access.supervises(user))

    # evidence -----------------------------------------------------------------
    def evidence_pack(self, user: User, draft_id: str) -> tuple[str, str]:
        """One summary's evidence pack as (JSON text, HTML page); anyone who may open the case may export it.

        The export itself is audited against the case, not the draft, so making
        a pack never counts as a change to a draft someone is deciding on.
        """
        state = self.draft_state(user, draft_id)
        held = {}
        for document in state.drafted.data.documents:
            try:
                found = self.records.document(document.id)
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
