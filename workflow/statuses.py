"""Where each draft stands, for listings, worked out without reading any text and kept between listings.

Listings must stay quick on a long log: they read only events that belong to
drafts, plus document additions (for stale), never sign-ins and the like;
statuses are worked out from actions alone (``outline``, no text read), and
what was read is kept and topped up with the events appended since
(docs/decisions/0004).
"""
from __future__ import annotations

import threading
from typing import NamedTuple

from audit.chain import GENESIS, Event
from audit.log import AuditLog
from workflow.state import CASE_FACT_ACTIONS, DraftState, Status, by_draft, decisions, marked, update_of


class DraftStatus(NamedTuple):
    """Where a draft stands, for listings: worked out from its events' actions, without reading any text."""
    draft_id: str
    case_reference: str
    status: Status
    drafted_seq: int
    second_check_due: bool
    update_of: str | None = None  # known once approved: the full summary an approved update adds to


def statuses_of(events: list[Event]) -> list[DraftStatus]:
    """The statuses of the drafts among outline `events` (draft events, with the payloads of approvals, and
    document additions, of whole cases), oldest first."""
    bare, due = [], {}
    for draft_id, of_draft in by_draft(events).items():
        status, approval, checked = decisions(of_draft)
        first = of_draft[0]
        bare.append(DraftState(draft_id, first.case_reference, status, (), tuple(of_draft), first, {}, approval))
        due[draft_id] = bool(approval and approval.data.second_check and checked is None)
    return [DraftStatus(d.draft_id, d.case_reference, d.status, d.drafted.seq, due[d.draft_id],
                        update_of(d.approval) if d.approval else None)
            for d in marked(bare, events)]


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
            self._statuses[case] = statuses_of(self._events[case])
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
