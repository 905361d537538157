"""Where each draft stands, for listings: read from the status table the log writes with every event, never by
folding the log (docs/decisions/0010; before it, each process folded every draft event once, 0004).

``statuses_of`` still folds outline events the way listings used to: it is the
reference the table is tested against, and the old way the listing bench times.
"""
from __future__ import annotations

from typing import NamedTuple

from audit.chain import Event
from audit.status_table import DraftRow
from workflow.state import DraftState, Status, by_draft, decisions, marked, update_of


class DraftStatus(NamedTuple):
    """Where a draft stands, for listings: worked out from its events' actions, without reading any text."""
    draft_id: str
    case_reference: str
    status: Status
    drafted_seq: int
    second_check_due: bool
    update_of: str | None = None  # known once approved: the full summary an approved update adds to


def listed(row: DraftRow) -> DraftStatus:
    """A draft's status as the status table holds it."""
    return DraftStatus(row.draft_id, row.case_reference, row.status, row.drafted_seq, row.second_check_due,
                       row.update_of)


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
