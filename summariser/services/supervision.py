"""What supervisors read: the audit log, its verification and export, and the dashboard drawn from it.

Every query is narrowed to the supervisor's teams by the database, and the
narrowing is done here, so no caller can widen it.
"""
from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timezone

from audit.chain import Event
from audit.export import events_csv
from audit.log import AuditLog
from audit.metrics import Dashboard, build_dashboard
from audit.queries import EventChoices, EventFilter, EventPage, Visibility
from audit.verification import Verification
from retrieval.records import access
from retrieval.records.access import User
from retrieval.records.accounts import Accounts
from summariser.services.cases import CaseService

AUDIT_LOG = "can see the audit log"


class SupervisionQueries:
    def __init__(self, cases: CaseService, audit: AuditLog, accounts: Accounts):
        self.cases, self.audit, self.accounts = cases, audit, accounts

    def _audit_filter(self, user: User, filters: EventFilter | None = None) -> EventFilter:
        """The filters narrowed to what the supervisor may see: their teams' cases, and their teams' people's own
        events. Any visibility passed in is replaced, so a caller can never widen it; an admin sees everything."""
        access.require_supervisor(user, AUDIT_LOG)
        visible = None if user.visible_teams is None else Visibility(
            cases=self.cases.visible_references(user),
            people={a.username for a in self.accounts.all() if access.may_see_account(user, a)})
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

    def export_events(self, user: User, filters: EventFilter) -> str:
        """CSV of every event matching the filters that the supervisor may see, on all pages, not only the one
        shown. Payloads go out as chained (personal texts as their references), so no text is read for it."""
        return events_csv(self.audit.events(where=self._audit_filter(user, filters), texts=False))

    def verify_log(self, user: User, against: str | None = None) -> Verification:
        """Recompute the chain, its signatures and checkpoints, and re-hash every document's text; with an anchor
        (SEQ:HASH recorded earlier), also prove nothing before it changed."""
        access.require_supervisor(user, AUDIT_LOG)
        return self.audit.verify(against=against, documents=self.cases.held_documents)

    def rotate_audit_key(self, user: User) -> str:
        """Sign from now on with a new key (old ones are kept); its id. Administrators only."""
        access.require_admin(user, "rotate the audit log's signing key")
        return self.audit.rotate_key(user.username).data.key_id

    def write_checkpoint(self, user: User) -> int:
        """A signed checkpoint of the head, now, outside the database; its event number. Administrators only."""
        access.require_admin(user, "write audit checkpoints")
        return self.audit.checkpoint()

    def rebuild_statuses(self, user: User) -> int:
        """Fold the whole log again into the status table the case list and review queue read, after verify named
        a difference; the number of drafts. Administrators only."""
        access.require_admin(user, "rebuild the status table from the audit log")
        return self.audit.rebuild_statuses()

    def chain_head(self, user: User) -> tuple[int, str]:
        """(sequence number, hash) of the newest event: recorded elsewhere, it anchors a later `verify`."""
        access.require_supervisor(user, AUDIT_LOG)
        return self.audit.head()

    def dashboard(self, user: User, start: date, end: date, now: datetime | None = None) -> Dashboard:
        """The supervisor's dashboard (an audit.metrics.Dashboard) for drafts made from `start` to `end`.

        Worked out from the events this supervisor may see (their teams' cases
        only), so the figures always agree with the audit log. The queue is as
        of `now` (default: the current time), whatever the period.
        """
        access.require_supervisor(user, "can see the dashboard")
        return build_dashboard(self.audit_events(user, of_drafts=True), start, end, now or datetime.now(timezone.utc))
