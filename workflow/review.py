"""The human review of drafts: recording them, reading their states, and the decisions people take.

Every decision names the last event its author saw; if the draft moved on
since, the decision is refused with DraftChanged, so exactly one of two racing
decisions wins. A supervisor-tier draft can be approved only by someone who
supervises; an officer-tier draft approved by anyone else may be sampled at
random for a supervisor's second check. Who supervises is decided by the
caller (``retrieval.records.access``, through the service layer) and passed in
as ``supervising``; the role given is only checked and recorded. The basis of
an update is the full summary followed by its approved updates, so the case's
record never shrinks to the last short update.
"""
from __future__ import annotations

import difflib
import random as random_module
import uuid
from dataclasses import dataclass
from typing import Callable

import sqlalchemy as sa

from audit.kept_texts import chunks
from audit.log import AuditLog
from audit.queries import EventFilter
from audit.status_table import CaseRow
from retrieval.records.access import ROLES
from workflow.errors import ApprovalBlocked, DecisionNotAllowed, DraftChanged, DraftNotFound, SupervisorApprovalRequired
from workflow.state import CASE_FACT_ACTIONS, UNDECIDED, DraftState, by_draft, fold, marked, with_case_facts
from workflow.statuses import DraftStatus, listed

SECOND_CHECK_OUTCOMES = ("confirmed", "concern")


@dataclass(frozen=True)
class UpdateBasis:
    """What a "what changed since the last approved summary" update starts from: the current full summary
    (`draft`) with the updates approved for it since, oldest first."""
    draft: DraftState
    updates: tuple[DraftState, ...]
    approved_text: str      # the full summary's approved text, then each approved update's
    approved_version: int   # of the full summary
    approved_at: str        # the family's latest approval: documents added after it are what changed
    documents_added_since: tuple[int, ...]


class DraftReview:
    """Records drafts and the decisions people take on them."""

    def __init__(self, log: AuditLog, second_check_share: float = 0.0,
                 random: Callable[[], float] = random_module.random):
        if not 0 <= second_check_share <= 1:
            raise ValueError("second_check_share is a share between 0 and 1")
        self.log = log
        self.second_check_share = second_check_share
        self.random = random

    @staticmethod
    def new_draft_id() -> str:
        return uuid.uuid4().hex

    def record_draft(self, actor: str, case_reference: str, draft_id: str, payload: dict) -> DraftState:
        """A successful draft: payload must hold 'output' (the AI text). It starts pending."""
        if "output" not in payload:
            raise ValueError("a draft payload needs its output")
        self.log.append(actor, "drafted", payload, case_reference, draft_id)
        return self.state(draft_id)

    def record_failure(self, actor: str, case_reference: str, draft_id: str, payload: dict) -> DraftState:
        """A failed draft keeps its inputs and the error, so it can be inspected and retried."""
        self.log.append(actor, "draft_failed", payload, case_reference, draft_id)
        return self.state(draft_id)

    # reading ---------------------------------------------------------------
    # Full states, texts and all, are read only for the drafts returned; listings use `statuses`.
    def state(self, draft_id: str, conn: sa.Connection | None = None) -> DraftState:
        events = self.log.events(draft_id=draft_id, conn=conn)
        if not events:
            raise DraftNotFound()
        state = fold(events)
        if state.approval is None:
            return state
        case_events = self.log.outline(case_reference=state.case_reference, actions=CASE_FACT_ACTIONS,
                                       payloads_of=CASE_FACT_ACTIONS, conn=conn)
        return with_case_facts([state], case_events)[0]

    def drafts(self, case_reference: str | None = None) -> list[DraftState]:
        """Every draft (of one case, or all), oldest first, with superseded and stale marked."""
        events = self.log.events(case_reference=case_reference, of_drafts=True)
        additions = self.log.outline(case_reference=case_reference, actions=("documents_added",),
                                     payloads_of=("documents_added",))
        return marked([fold(events) for events in by_draft(events).values()], events + additions)

    def statuses(self, case_reference: str | None = None) -> list[DraftStatus]:
        """Every draft's status (superseded and stale marked), oldest first, from the status table the log keeps
        (no event is read): for listings that show where each draft stands, not what it says."""
        return [listed(row) for row in self.log.statuses.drafts(case_reference=case_reference)]

    def case_summaries(self, case_references: set[str] | None = None) -> dict[str, str]:
        """Each case's summary as the case list shows it (pending, approved, stale, rejected, failed), from the
        status table; a case with no draft is "missing" or absent."""
        return {reference: row.summary_status for reference, row in self.case_rows(case_references).items()}

    def case_rows(self, case_references: set[str] | None = None) -> dict[str, CaseRow]:
        """Each case's row of the status table: its summary, and when its newest event was recorded."""
        return {row.case_reference: row for row in self.log.statuses.cases(case_references)}

    def _states(self, draft_ids: list[str]) -> list[DraftState]:
        """Full states of these drafts, oldest first, with superseded and stale marked."""
        folded = [fold(events) for events in by_draft(self.log.events(draft_ids=draft_ids)).values()]
        approved_cases = sorted({d.case_reference for d in folded if d.approval is not None})
        facts = [event for group in chunks(approved_cases)
                 for event in self.log.outline(where=EventFilter(case_references=group), actions=CASE_FACT_ACTIONS,
                                               payloads_of=CASE_FACT_ACTIONS)]
        return marked(folded, facts)

    def undecided(self, case_references: set[str] | None = None) -> list[DraftState]:
        """Drafts waiting for a human decision, oldest first."""
        return self._states([row.draft_id for row in self.log.statuses.drafts(statuses=UNDECIDED,
                                                                               case_references=case_references)])

    def second_checks_due(self, case_references: set[str] | None = None) -> list[DraftState]:
        """Officer-approved drafts sampled for a supervisor's second check that nobody has checked yet."""
        due = self._states([row.draft_id for row in self.log.statuses.drafts(second_check_due=True,
                                                                              case_references=case_references)])
        return [d for d in due if d.second_check_due]

    def last_approved(self, case_reference: str) -> DraftState | None:
        """The case's current approved full summary (possibly stale; not an update), or None."""
        return self._last_approved(self.statuses(case_reference))

    def _last_approved(self, statuses: list[DraftStatus]) -> DraftState | None:
        current = [s for s in statuses if s.status in ("approved", "stale") and not s.update_of]
        return self.state(current[-1].draft_id) if current else None

    def update_basis(self, case_reference: str) -> UpdateBasis | None:
        """The current full summary, its approved updates and the documents added since, for a "what changed"
        update."""
        statuses = self.statuses(case_reference)
        draft = self._last_approved(statuses)
        if draft is None:
            return None
        updates = self._states([s.draft_id for s in statuses
                                if s.update_of == draft.draft_id and s.status == "approved"])
        updates = sorted(updates, key=lambda u: u.approval.seq)
        text = "\n\n".join([draft.approved_version.text] + [
            f"Update approved on {u.approval.recorded_at[:10]}:\n{u.approved_version.text}" for u in updates])
        latest = updates[-1].approval if updates else draft.approval
        return UpdateBasis(draft, tuple(updates), text, draft.approved_version.number, latest.recorded_at,
                           draft.documents_added_since)

    # decisions ------------------------------------------------------------
    def _decide(self, draft_id: str, actor: str, action: str, payload: dict, seen_seq: int,
                doing: str, check: Callable[[DraftState], None] | None = None,
                undecided_only: bool = True) -> DraftState:
        """Append the decision only if the draft is exactly as its author saw it (checked inside the transaction)."""
        def still_as_seen(conn: sa.Connection) -> None:
            current = self.state(draft_id, conn)
            if current.last_seq != seen_seq:
                raise DraftChanged(current)
            if undecided_only and current.status not in UNDECIDED:
                raise DecisionNotAllowed(f"This draft is already {current.status}; it cannot be {doing} now.")
            if check:
                check(current)

        state = self.state(draft_id)
        self.log.append(actor, action, payload, state.case_reference, draft_id, precondition=still_as_seen)
        return self.state(draft_id)

    @staticmethod
    def _role(role: str) -> str:
        """The role to record with a decision; it decides nothing here (`supervising` does)."""
        if role not in ROLES:
            raise ValueError(f"unknown role {role!r}")
        return role

    def approve(self, draft_id: str, actor: str, seen_seq: int, note: str = "", *, role: str, supervising: bool,
                blocked_by: Callable[[DraftState], str | None] | None = None) -> DraftState:
        """Approve the current version. `supervising` (decided by the caller) says whether the approver may sign
        off a supervisor-tier draft; an approval by someone who does not supervise may be sampled for a second
        check.

        `blocked_by` is the caller's own precondition: it gets the draft's state
        as read inside the writing transaction and returns a plain-English
        reason to refuse (raised as ApprovalBlocked), or None. Keep it quick (it
        runs while the log is being written): work out what it needs, such as
        the unsupported sentences of the version the user saw, beforehand.
        """
        role = self._role(role)
        state = self.state(draft_id)
        version = state.current.number if state.current else 0
        adds_to = state.drafted.data.update_of
        if adds_to and self.state(adds_to).status == "superseded":
            raise DecisionNotAllowed("This update adds to a summary that a newer approved summary has since "
                                     "replaced, so it cannot be approved. Reject it; if documents arrived after the "
                                     "newer summary, draft a new update of that one.")

        def may_approve(current: DraftState) -> None:
            if current.needs_supervisor and not supervising:
                reasons = "; ".join(current.sign_off["reasons"])
                raise SupervisorApprovalRequired(
                    "A supervisor must approve this draft, because its sources show signs of vulnerability or a "
                    "safeguarding concern" + (f" ({reasons})" if reasons else "") + ". You cannot approve it "
                    "yourself; you can still edit it or reject it. Ask a supervisor in your team to approve it.")
            reason = blocked_by(current) if blocked_by else None
            if reason:
                raise ApprovalBlocked(reason)

        second_check = (not supervising and not state.needs_supervisor
                        and self.random() < self.second_check_share)
        payload = {"version": version, "note": note, "role": role, "sign_off_tier": state.sign_off["tier"],
                   "second_check": second_check} | ({"update_of": adds_to} if adds_to else {})
        return self._decide(draft_id, actor, "approved", payload, seen_seq, "approved", may_approve)

    def send_to_supervisor(self, draft_id: str, actor: str, seen_seq: int, note: str = "", *, role: str,
                           blocked_by: Callable[[DraftState], str | None] | None = None) -> DraftState:
        """The officer's part is done: the draft needs a supervisor's approval, and nothing else blocks it
        (`blocked_by` as for `approve`)."""
        state = self.state(draft_id)
        version = state.current.number if state.current else 0

        def may_send(current: DraftState) -> None:
            if not current.needs_supervisor:
                raise DecisionNotAllowed("This draft does not need a supervisor's approval: approve it yourself.")
            if current.sent is not None:
                raise DecisionNotAllowed("This version is already sent to a supervisor.")
            reason = blocked_by(current) if blocked_by else None
            if reason:
                raise ApprovalBlocked(reason)
        return self._decide(draft_id, actor, "sent_to_supervisor",
                            {"version": version, "note": note.strip(), "role": self._role(role)}, seen_seq,
                            "sent to a supervisor", may_send)

    def reject(self, draft_id: str, actor: str, seen_seq: int, reason: str, *, role: str) -> DraftState:
        if not reason.strip():
            raise DecisionNotAllowed("Give a reason for rejecting the draft.")
        return self._decide(draft_id, actor, "rejected", {"reason": reason.strip(), "role": self._role(role)},
                            seen_seq, "rejected")

    def edit(self, draft_id: str, actor: str, seen_seq: int, text: str, *, role: str) -> DraftState:
        """Save a new version, labelled by the editor's role; the diff against the AI text is kept with it."""
        role = self._role(role)
        state = self.state(draft_id)
        if not text.strip():
            raise DecisionNotAllowed("The edited summary is empty. Write the summary, or reject the draft instead.")
        if state.current and text == state.current.text:
            raise DecisionNotAllowed("The text is unchanged, so there is no new version to save.")
        ai_text = state.versions[0].text if state.versions else ""
        number = len(state.versions) + 1
        diff_from_ai = "".join(difflib.unified_diff(ai_text.splitlines(keepends=True), text.splitlines(keepends=True),
                                                    "AI draft", f"version {number}"))
        return self._decide(draft_id, actor, "edited",
                            {"text": text, "version": number, "role": role, "diff_from_ai": diff_from_ai},
                            seen_seq, "edited")

    def accept_sentence(self, draft_id: str, actor: str, seen_seq: int, sentence_key: str, sentence_text: str,
                        reason: str, *, role: str) -> DraftState:
        """Keep a sentence the grounding check could not support, with the officer's reason, for this version."""
        if not sentence_key:
            raise ValueError("a sentence acceptance needs the sentence's key")
        if not reason.strip():
            raise DecisionNotAllowed("Give a reason for keeping this sentence although the records do not "
                                     "support it.")
        state = self.state(draft_id)
        version = state.current.number if state.current else 0
        return self._decide(draft_id, actor, "sentence_accepted",
                            {"version": version, "sentence_key": sentence_key, "text": sentence_text,
                             "reason": reason.strip(), "role": self._role(role)},
                            seen_seq, "changed")

    def second_check(self, draft_id: str, actor: str, seen_seq: int, outcome: str, note: str = "", *,
                     role: str, supervising: bool) -> DraftState:
        """A supervisor's second look at an approved summary: confirmed, or a concern (with a note). Only someone
        `supervising` (decided by the caller) may record one."""
        role = self._role(role)
        if not supervising:
            raise DecisionNotAllowed("Only a supervisor can record a second check.")
        if outcome not in SECOND_CHECK_OUTCOMES:
            raise DecisionNotAllowed("Choose whether you confirm the summary or have a concern about it.")
        if outcome == "concern" and not note.strip():
            raise DecisionNotAllowed("Describe your concern, so the officer knows what to look at.")

        def may_check(current: DraftState) -> None:
            if current.approval is None:
                raise DecisionNotAllowed("Only an approved summary can have a second check.")
            if current.second_check is not None:
                raise DecisionNotAllowed(f"This summary already had its second check, by "
                                         f"{current.second_check.actor}.")
            if current.approval.actor == actor:
                raise DecisionNotAllowed("You approved this summary yourself, so another supervisor must do its "
                                         "second check.")

        state = self.state(draft_id)
        version = state.approved_version.number if state.approved_version else 0
        return self._decide(draft_id, actor, "second_checked",
                            {"outcome": outcome, "note": note.strip(), "role": role, "version": version},
                            seen_seq, "second-checked", may_check, undecided_only=False)
