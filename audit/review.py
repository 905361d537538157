"""The human review of drafts, derived entirely from audit events.

A draft's state is never stored on its own: it is the fold of its events
(drafted, draft_failed, edited, approved, rejected). Every decision names the
last event its author saw; if the draft moved on since, the decision is
refused with DraftChanged, so exactly one of two racing decisions wins.
"""
from __future__ import annotations

import difflib
import uuid
from dataclasses import dataclass, field
from typing import Literal

import sqlalchemy as sa

from audit.errors import DecisionNotAllowed, DraftChanged, DraftNotFound
from audit.log import AuditLog, Event

Status = Literal["pending", "edited", "approved", "rejected", "failed"]
UNDECIDED = ("pending", "edited")


@dataclass(frozen=True)
class Version:
    number: int
    label: str  # "AI draft" or "officer edit"
    text: str
    author: str
    recorded_at: str


@dataclass(frozen=True)
class DraftState:
    draft_id: str
    case_reference: str
    status: Status
    versions: tuple[Version, ...]
    events: tuple[Event, ...]
    drafted: Event = field(repr=False)

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


def fold(events: list[Event]) -> DraftState:
    """The state a list of one draft's events (in chain order) adds up to."""
    first = events[0]
    status: Status = "failed" if first.action == "draft_failed" else "pending"
    versions: list[Version] = []
    if first.action == "drafted":
        versions.append(Version(1, "AI draft", first.payload["output"], first.actor, first.recorded_at))
    for event in events[1:]:
        if event.action == "edited":
            versions.append(Version(len(versions) + 1, "officer edit", event.payload["text"],
                                    event.actor, event.recorded_at))
            status = "edited"
        elif event.action in ("approved", "rejected"):
            status = event.action
    return DraftState(first.draft_id, first.case_reference, status, tuple(versions), tuple(events), first)


class DraftReview:
    """Records drafts and the decisions people take on them."""

    def __init__(self, log: AuditLog):
        self.log = log

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

    def state(self, draft_id: str, conn: sa.Connection | None = None) -> DraftState:
        events = self.log.events(draft_id=draft_id, conn=conn)
        if not events:
            raise DraftNotFound()
        return fold(events)

    def drafts(self, case_reference: str | None = None) -> list[DraftState]:
        """Every draft (of one case, or all), oldest first."""
        by_draft: dict[str, list[Event]] = {}
        for event in self.log.events(case_reference=case_reference):
            if event.draft_id:
                by_draft.setdefault(event.draft_id, []).append(event)
        return [fold(events) for events in by_draft.values()]

    def undecided(self, case_references: set[str] | None = None) -> list[DraftState]:
        """Drafts waiting for a human decision, oldest first."""
        return [d for d in self.drafts() if d.status in UNDECIDED
                and (case_references is None or d.case_reference in case_references)]

    # decisions ------------------------------------------------------------
    def _decide(self, draft_id: str, actor: str, action: str, payload: dict, seen_seq: int) -> DraftState:
        def still_as_seen(conn: sa.Connection) -> None:
            current = self.state(draft_id, conn)
            if current.last_seq != seen_seq:
                raise DraftChanged(current)
            if current.status not in UNDECIDED:
                raise DecisionNotAllowed(f"This draft is already {current.status}; it cannot be {action} now.")

        state = self.state(draft_id)
        self.log.append(actor, action, payload, state.case_reference, draft_id, precondition=still_as_seen)
        return self.state(draft_id)

    def approve(self, draft_id: str, actor: str, seen_seq: int, note: str = "") -> DraftState:
        state = self.state(draft_id)
        version = state.current.number if state.current else 0
        return self._decide(draft_id, actor, "approved", {"version": version, "note": note}, seen_seq)

    def reject(self, draft_id: str, actor: str, seen_seq: int, reason: str) -> DraftState:
        if not reason.strip():
            raise DecisionNotAllowed("Give a reason for rejecting the draft.")
        return self._decide(draft_id, actor, "rejected", {"reason": reason.strip()}, seen_seq)

    def edit(self, draft_id: str, actor: str, seen_seq: int, text: str) -> DraftState:
        """Save a new version; the diff against the AI text is kept with it."""
        state = self.state(draft_id)
        if not text.strip():
            raise DecisionNotAllowed("The edited summary is empty. Write the summary, or reject the draft instead.")
        if state.current and text == state.current.text:
            raise DecisionNotAllowed("The text is unchanged, so there is no new version to save.")
        ai_text = state.versions[0].text if state.versions else ""
        diff = "".join(difflib.unified_diff(ai_text.splitlines(keepends=True), text.splitlines(keepends=True),
                                            "AI draft", f"version {len(state.versions) + 1}"))
        return self._decide(draft_id, actor, "edited",
                            {"text": text, "version": len(state.versions) + 1, "diff_from_ai": diff}, seen_seq)
