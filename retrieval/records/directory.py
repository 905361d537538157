"""The directory of vetted services, in SQL: what administrators keep so that officers can point people to help.

This module is the only one that reads or writes the `service_directory`
table. The needs a service helps with are a fixed list of codes (NEEDS), so a
suggestion can match a case's need to a service exactly, and every code has a
plain-English name for pages and letters. An entry is never deleted: retiring it
keeps the row, so the audit log's references to it (a chosen service, an
import) still name something.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timezone

import sqlalchemy as sa
from sqlalchemy import Engine

from retrieval.errors import NotFound, RetrievalError
from schema import service_directory

# The needs a service may help with: code -> plain-English name (in this order on every page).
NEEDS: dict[str, str] = {
    "food": "Food",
    "debt": "Debt and money",
    "housing": "Housing or homelessness",
    "mental_health_crisis": "A mental health crisis",
    "caring": "Caring for someone",
}
NATIONAL = "National"
LIMITS = {"name": 200, "contact": 300, "area": 120, "vetted_by": 200, "description": 2000}


class EntryInvalid(RetrievalError):
    default = "This directory entry is not complete. Fill in every field and try again."


@dataclass(frozen=True)
class EntryDetails:
    """What an administrator writes about a service; `checked` makes it fit to store."""
    name: str
    needs: tuple[str, ...]
    contact: str
    area: str
    vetted_by: str
    vetted_on: str  # ISO date (YYYY-MM-DD)
    description: str = ""
    demo: bool = False


@dataclass(frozen=True)
class DirectoryEntry(EntryDetails):
    id: int = 0
    added_by: str = ""
    added_at: datetime | None = None
    updated_by: str = ""
    updated_at: datetime | None = None
    retired_by: str | None = None
    retired_at: datetime | None = None

    @property
    def details(self) -> EntryDetails:
        return EntryDetails(self.name, self.needs, self.contact, self.area, self.vetted_by, self.vetted_on,
                            self.description, self.demo)

    @property
    def national(self) -> bool:
        return self.area.strip().lower() == NATIONAL.lower()

    @property
    def retired(self) -> bool:
        return self.retired_at is not None


def need_code(text: str) -> str | None:
    """A need as a code, from its code or its plain-English name ("Debt and money", "debt", "mental health crisis")."""
    wanted = re.sub(r"[\s_-]+", " ", text.strip().lower())
    for code, name in NEEDS.items():
        if wanted in (code.replace("_", " "), name.lower(), name.lower().removeprefix("a ")):
            return code
    return None


def parse_date(text: str) -> date | None:
    """A date as administrators write it: 2025-03-14 or 14/03/2025."""
    text = text.strip()
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None


def checked(details: EntryDetails, today: date | None = None) -> EntryDetails:
    """The details tidied (spaces trimmed, needs as known codes in NEEDS order), or EntryInvalid saying what to fix."""
    fields = {name: " ".join(str(getattr(details, name)).split()) for name in ("name", "contact", "area", "vetted_by")}
    fields["description"] = details.description.strip()
    labels = {"name": "name", "contact": "contact", "area": "area", "vetted_by": "name of who vetted it"}
    problems = [f"the {label} is missing" for name, label in labels.items() if not fields[name]]
    problems += [f"the {name.replace('_', ' ')} is longer than {limit} characters"
                 for name, limit in LIMITS.items() if len(fields[name]) > limit]
    codes = [need_code(need) for need in details.needs]
    unknown = [need for need, code in zip(details.needs, codes) if code is None and need.strip()]
    if unknown:
        problems.append(f"'{', '.join(unknown)}' {'is not a need' if len(unknown) == 1 else 'are not needs'} the "
                        f"directory knows (use: {', '.join(NEEDS)})")
    elif not any(codes):
        problems.append("say what it helps with (at least one of: " + ", ".join(NEEDS) + ")")
    vetted = parse_date(details.vetted_on)
    if vetted is None:
        problems.append("the date it was vetted is missing or not a date (write it as 2025-03-14 or 14/03/2025)")
    elif vetted > (today or date.today()):
        problems.append("the date it was vetted is in the future")
    if problems:
        raise EntryInvalid("This entry was not saved: " + "; ".join(problems) + ".")
    return EntryDetails(fields["name"], tuple(code for code in NEEDS if code in codes), fields["contact"],
                        fields["area"], fields["vetted_by"], vetted.isoformat(), fields["description"],
                        bool(details.demo))


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _aware(moment: datetime | None) -> datetime | None:
    """SQLite hands datetimes back without their zone; every stored time is UTC."""
    return moment if moment is None or moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def _values(details: EntryDetails) -> dict:
    return dict(name=details.name, description=details.description, needs=" ".join(details.needs),
                contact=details.contact, area=details.area, vetted_by=details.vetted_by, vetted_on=details.vetted_on,
                demo=details.demo)


def _entry(row) -> DirectoryEntry:
    return DirectoryEntry(row.name, tuple(row.needs.split()), row.contact, row.area, row.vetted_by, row.vetted_on,
                          row.description, bool(row.demo), row.id, row.added_by, _aware(row.added_at), row.updated_by,
                          _aware(row.updated_at), row.retired_by, _aware(row.retired_at))


class ServiceDirectory:
    """The entries, read and written through one engine. Callers check who may write (the service does)."""

    def __init__(self, engine: Engine):
        self.engine = engine

    def entries(self, include_retired: bool = False) -> list[DirectoryEntry]:
        """Entries in name order; current ones only unless asked."""
        query = sa.select(service_directory).order_by(service_directory.c.name, service_directory.c.id)
        if not include_retired:
            query = query.where(service_directory.c.retired_at.is_(None))
        with self.engine.connect() as conn:
            return [_entry(row) for row in conn.execute(query)]

    def entry(self, entry_id: int) -> DirectoryEntry:
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(service_directory).where(service_directory.c.id == entry_id)).first()
        if row is None:
            raise NotFound("That directory entry does not exist. Reload the page to see the current directory.")
        return _entry(row)

    def add(self, details: EntryDetails, actor: str) -> DirectoryEntry:
        """Store a new entry from checked details."""
        now = _now()
        with self.engine.begin() as conn:
            entry_id = conn.execute(service_directory.insert().values(
                **_values(details), added_by=actor, added_at=now, updated_by=actor, updated_at=now)
            ).inserted_primary_key[0]
        return self.entry(entry_id)

    def update(self, entry_id: int, details: EntryDetails, actor: str) -> DirectoryEntry:
        """Change a current entry to these checked details; a retired one is refused."""
        with self.engine.begin() as conn:
            changed = conn.execute(service_directory.update().where(
                service_directory.c.id == entry_id, service_directory.c.retired_at.is_(None)).values(
                **_values(details), updated_by=actor, updated_at=_now())).rowcount
        if not changed:
            self._refuse_retired(entry_id)
        return self.entry(entry_id)

    def retire(self, entry_id: int, actor: str) -> DirectoryEntry:
        """Take an entry out of suggestions for good (the row stays); refused if it is already retired."""
        with self.engine.begin() as conn:
            changed = conn.execute(service_directory.update().where(
                service_directory.c.id == entry_id, service_directory.c.retired_at.is_(None)).values(
                retired_by=actor, retired_at=_now())).rowcount
        if not changed:
            self._refuse_retired(entry_id)
        return self.entry(entry_id)

    def _refuse_retired(self, entry_id: int) -> None:
        entry = self.entry(entry_id)  # NotFound if it never existed
        raise EntryInvalid(f"{entry.name} was retired from the directory, so it cannot be changed. Add it again "
                           "as a new entry if the service is back.")
