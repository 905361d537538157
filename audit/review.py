"""The human review of drafts, derived entirely from audit events.

A draft's state is never stored on its own: it is the fold of its events
(drafted, draft_failed, edited, sentence_accepted, approved, rejected,
second_checked). Every decision names the last event its author saw; if the
draft moved on since, the decision is refused with DraftChanged, so exactly
one of two racing decisions wins.

Two states are facts about the whole case, not the draft alone, so they are
worked out where every draft of the case is known: an approved summary is
*superseded* once another summary of the case is approved after it, and the
case's current approved summary is *stale* once documents are added to the
case after its approval (``documents_added`` events, files with status
"added"). ``state(draft_id)`` reads the case's approvals and additions for an
approved draft, so it gives the same answer as ``drafts(case)``.

An *update* ("what changed since the last approved summary") adds to a full
summary rather than replacing it: its approval records ``update_of`` (the
full summary's draft id). The full summary and its approved updates are one
family; the family is stale once documents arrive after its latest approval,
and the whole family is superseded by the next full summary approved. The
basis of the next update is the full summary followed by its approved
updates, so the case's record never shrinks to the last short update.

Sign-off is risk-tiered: the ``drafted`` payload may carry
``sign_off = {"tier": "supervisor" | "officer", "reasons": [...]}``. A
supervisor-tier draft can be approved only by a supervisor or admin; an
officer-tier draft approved by an officer is sampled at random for a
supervisor's second check. Drafts recorded before sign-off existed count as
officer tier.
"""
from __future__ import annotations

import difflib
import random as random_module
import threading
import uuid
from dataclasses import dataclass, replace
from typing import Callable, Literal, NamedTuple

import sqlalchemy as sa

from audit.errors import (ApprovalBlocked, DecisionNotAllowed, DraftChanged, DraftNotFound,
                          SupervisorApprovalRequired, VersionNotFound)
from audit.log import GENESIS, AuditLog, Event

Status = Literal["pending", "edited", "approved", "rejected", "failed", "superseded", "stale"]
UNDECIDED = ("pending", "edited")
APPROVED_STATUSES = ("approved", "stale", "superseded")
ROLES = ("officer", "supervisor", "admin")
SUPERVISING_ROLES = ("supervisor", "admin")
CASE_FACT_ACTIONS = ("approved", "documents_added")
SECOND_CHECK_OUTCOMES = ("confirmed", "concern")


class Acceptance(NamedTuple):
    """An unsupported sentence the officer chose to keep, and why."""
    reason: str
    actor: str
    version: int


@dataclass(frozen=True)
class Version:
    number: int
    label: str  # "AI draft", "officer edit" or "supervisor edit"
    text: str
    author: str
    recorded_at: str
    author_role: str = "officer"


@dataclass(frozen=True)
class SecondCheck:
    outcome: str  # "confirmed" | "concern"
    note: str
    actor: str
    recorded_at: str


@dataclass(frozen=True)
class DraftState:
    draft_id: str
    case_reference: str
    status: Status
    versions: tuple[Version, ...]
    events: tuple[Event, ...]
    drafted: Event
    accepted: dict[str, Acceptance]
    approval: Event | None = None
    second_check: SecondCheck | None = None
    superseded_by: str | None = None
    documents_added_since: tuple[int, ...] = ()

    @property
    def last_seq(self) -> int:
        return self.events[-1].seq

    @property
    def current(self) -> Version | None:
        return self.versions[-1] if self.versions else None

    @property
    def requested_by(self) -> str:
        return self.drafted.actor

    @property
    def requested_at(self) -> str:
        return self.drafted.recorded_at

    @property
    def sign_off(self) -> dict:
        """{"tier", "reasons"} recorded with the draft; officer tier if none was recorded."""
        recorded = self.drafted.payload.get("sign_off") or {}
        return {"tier": recorded.get("tier", "officer"), "reasons": list(recorded.get("reasons", []))}

    @property
    def needs_supervisor(self) -> bool:
        return self.sign_off["tier"] == "supervisor"

    @property
    def approved_version(self) -> Version | None:
        """The version that was approved (approved, stale or superseded drafts only)."""
        if self.approval is None:
            return None
        return self.version(self.approval.payload.get("version") or len(self.versions))

    @property
    def second_check_due(self) -> bool:
        return bool(self.approval and self.approval.payload.get("second_check") and self.second_check is None)

    def version(self, number: int) -> Version:
        if not 1 <= number <= len(self.versions):
            have = f"versions 1 to {len(self.versions)}" if len(self.versions) > 1 else "only version 1"
            raise VersionNotFound(f"Version {number} of this summary does not exist; it has {have}.")
        return self.versions[number - 1]


def _edit_label(role: str | None) -> str:
    """Admins act with a supervisor's authority, so their edits are labelled as a supervisor's."""
    return "supervisor edit" if role in SUPERVISING_ROLES else "officer edit"


def _comparable(text: str) -> str:
    """Wording only: a sentence is unchanged if it differs from before only in line breaks or capitals."""
    return " ".join(text.casefold().split())


_STATUS_AFTER: dict[str, Status] = {"edited": "edited", "approved": "approved", "rejected": "rejected"}


def _decisions(events: list[Event]) -> tuple[Status, Event | None, Event | None]:
    """(status, last approval, last second check) of one draft's events, before case-level facts.

    Needs only each event's action, so a listing can work statuses out without reading any text; `fold`
    uses it too, so both always agree.
    """
    status: Status = "failed" if events[0].action == "draft_failed" else "pending"
    approval: Event | None = None
    checked: Event | None = None
    for event in events[1:]:
        status = _STATUS_AFTER.get(event.action, status)
        if event.action == "approved":
            approval = event
        elif event.action == "second_checked":
            checked = event
    return status, approval, checked


def fold(events: list[Event]) -> DraftState:
    """The state a list of one draft's events (in chain order) adds up to, before case-level facts."""
    first = events[0]
    versions: list[Version] = []
    if first.action == "drafted":
        versions.append(Version(1, "AI draft", first.payload["output"], first.actor, first.recorded_at, "AI"))
    accepted: dict[str, Acceptance] = {}
    accepted_text: dict[str, str] = {}
    for event in events[1:]:
        payload = event.payload
        if event.action == "edited":
            role = payload.get("role")
            versions.append(Version(len(versions) + 1, _edit_label(role), payload["text"], event.actor,
                                    event.recorded_at, role or "officer"))
            # An unchanged sentence keeps its acceptance; one that was changed or removed loses it.
            new_text = _comparable(payload["text"])
            accepted = {key: a for key, a in accepted.items() if _comparable(accepted_text[key]) in new_text}
        elif event.action == "sentence_accepted":
            key = payload["sentence_key"]
            accepted[key] = Acceptance(payload["reason"], event.actor, payload["version"])
            accepted_text[key] = payload.get("text", "")
    status, approval, checked = _decisions(events)
    second_check = None if checked is None else SecondCheck(
        checked.payload["outcome"], checked.payload.get("note", ""), checked.actor, checked.recorded_at)
    return DraftState(first.draft_id, first.case_reference, status, tuple(versions), tuple(events), first,
                      accepted, approval, second_check)


def _added_document_ids(event: Event) -> list[int]:
    return [f.get("document_id") for f in event.payload.get("files", []) if f.get("status") == "added"]


def update_of(approval: Event) -> str | None:
    """The full summary an approved update adds to; None for a full summary."""
    return approval.payload.get("update_of")


def with_case_facts(drafts: list[DraftState], case_events: list[Event]) -> list[DraftState]:
    """Mark approved drafts of ONE case superseded or stale, from the case's approvals and document additions.

    The full summary approved last, with the updates approved for it, is the
    case's current family; every earlier family is superseded by the full
    summary approved next. The current full summary is stale if files were
    added to the case after the family's latest approval; its updates stay
    approved (they are read together with it).
    """
    approvals = [e for e in case_events if e.action == "approved"]
    full = [e for e in approvals if not update_of(e)]
    additions = [e for e in case_events if e.action == "documents_added" and _added_document_ids(e)]
    marked = []
    for draft in drafts:
        if draft.approval is None:
            marked.append(draft)
            continue
        root = update_of(draft.approval) or draft.draft_id
        root_approved = next((e.seq for e in approvals if e.draft_id == root), draft.approval.seq)
        later = [e for e in full if e.seq > root_approved and e.draft_id != root]
        if later:
            marked.append(replace(draft, status="superseded", superseded_by=later[0].draft_id))
            continue
        if root != draft.draft_id:
            marked.append(draft)
            continue
        family_last = max(e.seq for e in approvals if e.draft_id == root or update_of(e) == root)
        added = tuple(doc for e in additions if e.seq > family_last for doc in _added_document_ids(e))
        marked.append(replace(draft, status="stale", documents_added_since=added) if added else draft)
    return marked


class DraftStatus(NamedTuple):
    """Where a draft stands, for listings: worked out from its events' actions, without reading any text."""
    draft_id: str
    case_reference: str
    status: Status
    drafted_seq: int
    second_check_due: bool
    update_of: str | None = None  # known once approved: the full summary an approved update adds to


def _by_draft(events: list[Event]) -> dict[str, list[Event]]:
    """Events grouped by draft (in chain order within each draft), drafts in order of first appearance."""
    grouped: dict[str, list[Event]] = {}
    for event in events:
        if event.draft_id:
            grouped.setdefault(event.draft_id, []).append(event)
    return grouped


def _marked(drafts: list[DraftState], events: list[Event]) -> list[DraftState]:
    """Drafts of any cases with superseded and stale marked (from the approvals and document additions among
    `events`), oldest first."""
    case_events: dict[str | None, list[Event]] = {}
    for event in sorted(events, key=lambda e: e.seq):
        if event.action in CASE_FACT_ACTIONS:
            case_events.setdefault(event.case_reference, []).append(event)
    by_case: dict[str, list[DraftState]] = {}
    for state in drafts:
        by_case.setdefault(state.case_reference, []).append(state)
    marked = [d for reference, states in by_case.items()
              for d in with_case_facts(states, case_events.get(reference, []))]
    return sorted(marked, key=lambda d: d.drafted.seq)


def _statuses(events: list[Event]) -> list[DraftStatus]:
    """The statuses of the drafts among outline `events` (draft events, with the payloads of approvals, and
    document additions, of whole cases), oldest first."""
    bare, due = [], {}
    for draft_id, of_draft in _by_draft(events).items():
        status, approval, checked = _decisions(of_draft)
        first = of_draft[0]
        bare.append(DraftState(draft_id, first.case_reference, status, (), tuple(of_draft), first, {}, approval))
        due[draft_id] = bool(approval and approval.payload.get("second_check") and checked is None)
    return [DraftStatus(d.draft_id, d.case_reference, d.status, d.drafted.seq, due[d.draft_id],
                        update_of(d.approval) if d.approval else None)
            for d in _marked(bare, events)]


class CaseOutlines:
    """Each case's draft events and document additions, read without text and kept, with the statuses they
    add up to, so a listing reads only the events appended since the last one.

    Keeping them is exact because events are never changed or deleted, and the sequence numbers committed
    have no gaps (a writer takes the number after the head it read, and collides with anyone who took it
    first): everything up to the head read is there to read. If the last event read is no longer in the
    log as it was (restored from a backup, or tampered with), everything is read again. Shared by every page
    of a process, so one lock guards it.
    """

    def __init__(self, log: AuditLog):
        self.log = log
        self._lock = threading.Lock()
        self._head = (0, GENESIS)
        self._events: dict[str | None, list[Event]] = {}
        self._statuses: dict[str | None, list[DraftStatus]] = {}

    def _top_up(self) -> None:
        head = self.log.head()
        if head == self._head:
            return
        read_to, digest = self._head
        if read_to and self.log.hash_at(read_to) != digest:
            read_to, self._events, self._statuses = 0, {}, {}
        window = {"after_seq": read_to, "through_seq": head[0]}
        new = sorted(self.log.outline(of_drafts=True, payloads_of=("approved",), **window)
                     + self.log.outline(actions=("documents_added",), payloads_of=("documents_added",), **window),
                     key=lambda e: e.seq)
        for event in new:
            self._events.setdefault(event.case_reference, []).append(event)
        for case in {event.case_reference for event in new}:
            self._statuses[case] = _statuses(self._events[case])
        self._head = head

    def statuses(self, case_reference: str | None = None) -> list[DraftStatus]:
        """Every draft's status (of one case, or all), oldest first."""
        with self._lock:
            self._top_up()
            if case_reference is not None:
                return list(self._statuses.get(case_reference, []))
            return sorted((s for of_case in self._statuses.values() for s in of_case), key=lambda s: s.drafted_seq)

    def case_facts(self, case_references: set[str]) -> list[Event]:
        """The approvals and document additions of these cases, in chain order."""
        with self._lock:
            self._top_up()
            return sorted((e for case in case_references for e in self._events.get(case, [])
                           if e.action in CASE_FACT_ACTIONS), key=lambda e: e.seq)


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


def diff(state: DraftState, a: int, b: int) -> str:
    """A unified diff from version a to version b of one draft (any two, either order)."""
    old, new = state.version(a), state.version(b)
    return "".join(difflib.unified_diff(
        old.text.splitlines(keepends=True), new.text.splitlines(keepends=True),
        f"version {old.number} ({old.label})", f"version {new.number} ({new.label})"))


class DraftReview:
    """Records drafts and the decisions people take on them."""

    def __init__(self, log: AuditLog, second_check_share: float = 0.0,
                 random: Callable[[], float] = random_module.random):
        if not 0 <= second_check_share <= 1:
            raise ValueError("second_check_share is a share between 0 and 1")
        self.log = log
        self.outlines = CaseOutlines(log)
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
    # Listings must stay quick on a long log: they read only events that belong to drafts, plus document
    # additions (for stale), never sign-ins and the like; statuses are worked out from actions alone
    # (`outline`, no text read), and full states, texts and all, are read only for the drafts returned.
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
        return _marked([fold(events) for events in _by_draft(events).values()], events + additions)

    def statuses(self, case_reference: str | None = None) -> list[DraftStatus]:
        """Every draft's status (superseded and stale marked), oldest first, read without any text: for
        listings that show where each draft stands, not what it says."""
        return self.outlines.statuses(case_reference)

    def _states(self, draft_ids: list[str]) -> list[DraftState]:
        """Full states of these drafts, oldest first, with superseded and stale marked."""
        folded = [fold(events) for events in _by_draft(self.log.events(draft_ids=draft_ids)).values()]
        approved_cases = {d.case_reference for d in folded if d.approval is not None}
        return _marked(folded, self.outlines.case_facts(approved_cases))

    def undecided(self, case_references: set[str] | None = None) -> list[DraftState]:
        """Drafts waiting for a human decision, oldest first."""
        return self._states([s.draft_id for s in self.statuses() if s.status in UNDECIDED
                             and (case_references is None or s.case_reference in case_references)])

    def second_checks_due(self, case_references: set[str] | None = None) -> list[DraftState]:
        """Officer-approved drafts sampled for a supervisor's second check that nobody has checked yet."""
        due = self._states([s.draft_id for s in self.statuses() if s.second_check_due
                            and (case_references is None or s.case_reference in case_references)])
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
        if role not in ROLES:
            raise ValueError(f"unknown role {role!r}")
        return role

    def approve(self, draft_id: str, actor: str, seen_seq: int, note: str = "", *, role: str,
                blocked_by: Callable[[DraftState], str | None] | None = None) -> DraftState:
        """Approve the current version.

        `blocked_by` is the caller's own precondition: it gets the draft's state
        as read inside the writing transaction and returns a plain-English
        reason to refuse (raised as ApprovalBlocked), or None. Keep it quick (it
        runs while the log is being written): work out what it needs, such as
        the unsupported sentences of the version the user saw, beforehand.
        """
        role = self._role(role)
        state = self.state(draft_id)
        version = state.current.number if state.current else 0
        adds_to = state.drafted.payload.get("update_of")
        if adds_to and self.state(adds_to).status == "superseded":
            raise DecisionNotAllowed("This update adds to a summary that a newer approved summary has since "
                                     "replaced, so it cannot be approved. Reject it; if documents arrived after the "
                                     "newer summary, draft a new update of that one.")

        def may_approve(current: DraftState) -> None:
            if current.needs_supervisor and role not in SUPERVISING_ROLES:
                reasons = "; ".join(current.sign_off["reasons"])
                raise SupervisorApprovalRequired(
                    "A supervisor must approve this draft, because its sources show signs of vulnerability or a "
                    "safeguarding concern" + (f" ({reasons})" if reasons else "") + ". You cannot approve it "
                    "yourself; you can still edit it or reject it. Ask a supervisor in your team to approve it.")
            reason = blocked_by(current) if blocked_by else None
            if reason:
                raise ApprovalBlocked(reason)

        second_check = (role == "officer" and not state.needs_supervisor
                        and self.random() < self.second_check_share)
        payload = {"version": version, "note": note, "role": role, "sign_off_tier": state.sign_off["tier"],
                   "second_check": second_check}
        if state.drafted.payload.get("update_of"):
            payload["update_of"] = state.drafted.payload["update_of"]
        return self._decide(draft_id, actor, "approved", payload, seen_seq, "approved", may_approve)

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
                     role: str) -> DraftState:
        """A supervisor's second look at an approved summary: confirmed, or a concern (with a note)."""
        if self._role(role) not in SUPERVISING_ROLES:
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
