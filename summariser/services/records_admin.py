"""Records administration for administrators: erasure, legal holds, the retention period and subject access.

The steps across the three stores live in summariser/records_management.py;
this service decides who may ask for them and when the retention period ends.
"""
from __future__ import annotations

from datetime import date
from typing import Callable

from retrieval.records import access
from retrieval.records.access import User
from retrieval.records.store import CaseRecords
from summariser.records_management import ErasureReport, RecordsManager, RetentionRun


class RecordsAdministration:
    def __init__(self, records: CaseRecords, manager: RecordsManager, retention_days: int = 2190,
                 today: Callable[[], date] = date.today):
        self.records, self.manager = records, manager
        self.retention_days = retention_days  # after a case's last activity, its person's records may be erased
        self.today = today

    def erase_person(self, user: User, person_reference: str, reason: str) -> ErasureReport:
        """Erase a person's personal content everywhere, leaving tombstones; refused under legal hold."""
        access.require_admin(user, "erase a person's records")
        return self.manager.erase_person(person_reference, user.username, reason)

    def set_legal_hold(self, user: User, person_reference: str, reason: str, case_reference: str | None = None):
        access.require_admin(user, "put records under legal hold")
        return self.manager.set_hold(person_reference, user.username, reason, case_reference)

    def release_legal_hold(self, user: User, person_reference: str, reason: str, case_reference: str | None = None):
        access.require_admin(user, "release a legal hold")
        return self.manager.release_hold(person_reference, user.username, reason, case_reference)

    def erase_expired(self, user: User, dry_run: bool = False) -> RetentionRun:
        """Erase (or with dry_run, list) everyone whose retention period has ended by today."""
        access.require_admin(user, "erase records after the retention period")
        return self.manager.erase_expired(user.username, self.today(), self.retention_days, dry_run)

    def subject_access(self, user: User, person_reference: str) -> dict:
        """Everything held about one person, as a JSON-serialisable dict (the export is audited)."""
        access.require_admin(user, "export everything held about a person")
        return self.manager.subject_access(person_reference, user.username)

    def people_on_record(self, user: User) -> list[tuple]:
        """Every person with a case, erased or not, as (Person, [CaseOverview], [Hold]) by reference.

        One read for the Records page, so it can show whom it would act on and what holds them.
        """
        access.require_admin(user, "manage people's records")
        people: dict[str, tuple] = {}
        for listing in self.records.overview(None):
            person = listing.case.person
            people.setdefault(person.reference, (person, [], []))[1].append(listing)
        for hold in self.records.holds():
            if hold.person_reference in people:
                people[hold.person_reference][2].append(hold)
        return [people[reference] for reference in sorted(people)]
