"""A draft's state, folded from its audit events; it is never stored on its own (docs/decisions/0001).

The events of a draft are drafted or draft_failed, then edited,
sentence_accepted, approved, rejected and second_checked. Two states are facts
about the whole case, not the draft alone, so they are worked out where every
draft of the case is known: an approved summary is *superseded* once another
summary of the case is approved after it, and the case's current approved
summary is *stale* once documents are added to the case after its approval
(``documents_added`` events, files with status "added").

An *update* ("what changed since the last approved summary") adds to a full
summary rather than replacing it: its approval records ``update_of`` (the
full summary's draft id). The full summary and its approved updates are one
family; the family is stale once documents arrive after its latest approval,
and the whole family is superseded by the next full summary approved.

Sign-off is risk-tiered: the drafted event may carry
``sign_off = {"tier": "supervisor" | "officer", "reasons": [...]}``; drafts
recorded before sign-off existed count as officer tier.

The rules that give a status (``first_status``, ``STATUS_AFTER``,
``case_mark``) are the ones the listings' status table is written with
(``audit.status_table``), so a draft folded here and its row in the table agree.
"""
from __future__ import annotations

import difflib
from dataclasses import dataclass, replace
from typing import Literal, NamedTuple

from audit.chain import Event
from audit.events import DraftInputs, SignOff
from audit.status_table import UNDECIDED  # noqa: F401 (the workflow's callers take it from here)
from audit.status_table import STATUS_AFTER, approvals_of, case_mark, first_status
from retrieval.records.access import SUPERVISING_ROLES
from workflow.errors import VersionNotFound

Status = Literal["pending", "edited", "approved", "rejected", "failed", "stopped", "superseded", "stale"]
APPROVED_STATUSES = ("approved", "stale", "superseded")
CASE_FACT_ACTIONS = ("approved", "documents_added")


class Acceptance(NamedTuple):
    """An unsupported sentence the officer chose to keep, and why."""
    reason: str
    actor: str
    version: int


@dataclass(frozen=True)
class Version:
    number: int
    label: str  # "AI draft", "composed draft", "officer edit" or "supervisor edit"
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
    def sent(self) -> Event | None:
        """This version's sending to a supervisor by the officer, if it was sent (an edit since needs sending
        again)."""
        number = self.current.number if self.current else 0
        return next((e for e in reversed(self.events)
                     if e.action == "sent_to_supervisor" and e.data.version == number), None)

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
        data = self.drafted.data
        recorded = data.sign_off if isinstance(data, DraftInputs) else SignOff()
        return {"tier": recorded.tier, "reasons": list(recorded.reasons)}

    @property
    def needs_supervisor(self) -> bool:
        return self.sign_off["tier"] == "supervisor"

    @property
    def approved_version(self) -> Version | None:
        """The version that was approved (approved, stale or superseded drafts only)."""
        if self.approval is None:
            return None
        return self.version(self.approval.data.version or len(self.versions))

    @property
    def second_check_due(self) -> bool:
        return bool(self.approval and self.approval.data.second_check and self.second_check is None)

    def version(self, number: int) -> Version:
        if not 1 <= number <= len(self.versions):
            have = f"versions 1 to {len(self.versions)}" if len(self.versions) > 1 else "only version 1"
            raise VersionNotFound(f"Version {number} of this summary does not exist; it has {have}.")
        return self.versions[number - 1]


def _edit_label(role: str | None) -> str:
    """The label of an edit, from the role recorded with it: admins act with a supervisor's authority, so their
    edits are labelled as a supervisor's."""
    return "supervisor edit" if role in SUPERVISING_ROLES else "officer edit"


def _comparable(text: str) -> str:
    """Wording only: a sentence is unchanged if it differs from before only in line breaks or capitals."""
    return " ".join(text.casefold().split())


def decisions(events: list[Event]) -> tuple[Status, Event | None, Event | None]:
    """(status, last approval, last second check) of one draft's events, before case-level facts.

    Needs only each event's action, so a listing can work statuses out without reading any text; `fold`
    uses it too, so both always agree.
    """
    status: Status = first_status(events[0].action, events[0].payload)
    approval: Event | None = None
    checked: Event | None = None
    for event in events[1:]:
        status = STATUS_AFTER.get(event.action, status)
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
        # A composed draft is the tool's placing of checked facts around a short overview the model wrote.
        label = "AI draft" if first.data.method == "direct" else "composed draft"
        versions.append(Version(1, label, first.data.output, first.actor, first.recorded_at, "AI"))
    accepted: dict[str, Acceptance] = {}
    accepted_text: dict[str, str] = {}
    for event in events[1:]:
        data = event.data
        if event.action == "edited":
            versions.append(Version(len(versions) + 1, _edit_label(data.role), data.text, event.actor,
                                    event.recorded_at, data.role or "officer"))
            # An unchanged sentence keeps its acceptance; one that was changed or removed loses it.
            new_text = _comparable(data.text)
            accepted = {key: a for key, a in accepted.items() if _comparable(accepted_text[key]) in new_text}
        elif event.action == "sentence_accepted":
            accepted[data.sentence_key] = Acceptance(data.reason, event.actor, data.version)
            accepted_text[data.sentence_key] = data.text
    status, approval, checked = decisions(events)
    second_check = None if checked is None else SecondCheck(
        checked.data.outcome, checked.data.note, checked.actor, checked.recorded_at)
    return DraftState(first.draft_id, first.case_reference, status, tuple(versions), tuple(events), first,
                      accepted, approval, second_check)


def _added_document_ids(event: Event) -> list[int]:
    return [f.document_id for f in event.data.files if f.status == "added"]


def update_of(approval: Event) -> str | None:
    """The full summary an approved update adds to; None for a full summary."""
    return approval.data.update_of


def with_case_facts(drafts: list[DraftState], case_events: list[Event]) -> list[DraftState]:
    """Mark approved drafts of ONE case superseded or stale, from the case's approvals and document additions.

    The full summary approved last, with the updates approved for it, is the
    case's current family; every earlier family is superseded by the full
    summary approved next. The current full summary is stale if files were
    added to the case after the family's latest approval; its updates stay
    approved (they are read together with it).
    """
    approvals = approvals_of((e.draft_id, e.seq, update_of(e)) for e in case_events
                             if e.action == "approved" and e.draft_id)
    additions = [e for e in case_events if e.action == "documents_added" and _added_document_ids(e)]
    last_added = max((e.seq for e in additions), default=0)
    marked = []
    for draft in drafts:
        if draft.approval is None:
            marked.append(draft)
            continue
        mark = case_mark(draft.draft_id, draft.approval.seq, update_of(draft.approval), approvals, last_added)
        if mark.status == "superseded":
            marked.append(replace(draft, status="superseded", superseded_by=mark.superseded_by))
        elif mark.status == "stale":
            marked.append(replace(draft, status="stale", documents_added_since=tuple(
                doc for e in additions if e.seq > mark.family_last for doc in _added_document_ids(e))))
        else:
            marked.append(draft)
    return marked


def by_draft(events: list[Event]) -> dict[str, list[Event]]:
    """Events grouped by draft (in chain order within each draft), drafts in order of first appearance."""
    grouped: dict[str, list[Event]] = {}
    for event in events:
        if event.draft_id:
            grouped.setdefault(event.draft_id, []).append(event)
    return grouped


def marked(drafts: list[DraftState], events: list[Event]) -> list[DraftState]:
    """Drafts of any cases with superseded and stale marked (from the approvals and document additions among
    `events`), oldest first."""
    case_events: dict[str | None, list[Event]] = {}
    for event in sorted(events, key=lambda e: e.seq):
        if event.action in CASE_FACT_ACTIONS:
            case_events.setdefault(event.case_reference, []).append(event)
    by_case: dict[str, list[DraftState]] = {}
    for state in drafts:
        by_case.setdefault(state.case_reference, []).append(state)
    result = [d for reference, states in by_case.items()
              for d in with_case_facts(states, case_events.get(reference, []))]
    return sorted(result, key=lambda d: d.drafted.seq)


def diff(state: DraftState, a: int, b: int) -> str:
    """A unified diff from version a to version b of one draft (any two, either order)."""
    old, new = state.version(a), state.version(b)
    return "".join(difflib.unified_diff(
        old.text.splitlines(keepends=True), new.text.splitlines(keepends=True),
        f"version {old.number} ({old.label})", f"version {new.number} ({new.label})"))
