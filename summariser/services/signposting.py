"""Signposting: the directory of vetted services administrators keep, and the services a case's needs suggest.

A suggestion is only ever a suggestion. The Case page shows the need with the
passage that shows it and the services that help with it; the officer ticks
which to mention, and gets text to copy into their letter or note. That choice
is recorded (`signposting_chosen`); nothing is sent to anyone and nobody is
referred by the tool. Directory changes (an entry added, edited or retired,
a CSV imported) are administrators' work and each is recorded too.
"""
from __future__ import annotations

import csv
import hashlib
import io
from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable

from audit.log import AuditLog
from retrieval.errors import NotFound
from retrieval.records import access
from retrieval.records.access import User
from retrieval.records.directory import (NEEDS, DirectoryEntry, EntryDetails, EntryInvalid, ServiceDirectory,
                                         checked)
from retrieval.records.passages import Chunk
from retrieval.records.store import Case, CaseRecords
from summariser.checks.needs import RULE_VERSION, NeedFound, find_needs
from summariser.errors import SummariserError

if TYPE_CHECKING:
    from summariser.services.cases import CaseService

SAVED, RETIRED, IMPORTED, CHOSEN = ("directory_entry_saved", "directory_entry_retired", "directory_imported",
                                    "signposting_chosen")
CSV_COLUMNS = ("name", "needs", "contact", "area", "vetted_by", "vetted_on")  # each row must give these
CSV_OPTIONAL = ("description", "demo")
MAX_CSV_BYTES = 1024 * 1024
MAX_CSV_ROWS = 5000
PASSAGES_PER_NEED = 3  # passages shown for one need: enough to judge it, few enough to read


class ImportRefused(SummariserError):
    default = "This file could not be imported. Check it is a CSV file with the columns described on the page."


@dataclass(frozen=True)
class RowRefused:
    row: int  # as a spreadsheet numbers it: the header is row 1
    error: str

    def __str__(self) -> str:
        return f"Row {self.row}: {self.error}"


@dataclass(frozen=True)
class ImportResult:
    rows: int
    added: tuple[DirectoryEntry, ...]
    updated: tuple[DirectoryEntry, ...]
    unchanged: tuple[DirectoryEntry, ...]
    refused: tuple[RowRefused, ...]


@dataclass(frozen=True)
class NeedPassage:
    """The passage that shows a need, with where the need's words lie in it."""
    document_id: int
    filename: str
    page: int
    chunk_id: str
    text: str
    start: int  # offsets of the need's words within `text`
    end: int
    words: str


@dataclass(frozen=True)
class Suggestion:
    need: str  # code
    need_name: str
    passages: tuple[NeedPassage, ...]  # in document order; at most PASSAGES_PER_NEED
    services: tuple[DirectoryEntry, ...]  # current entries helping with the need, in _suggested_order


@dataclass(frozen=True)
class Chosen:
    """What the officer chose, as text to copy into a letter or note, and the event recording the choice."""
    text: str
    event_seq: int


def _csv_bool(text: str) -> bool | None:
    value = text.strip().lower()
    return True if value in ("yes", "y", "true", "1") else False if value in ("", "no", "n", "false", "0") else None


def _key(details: EntryDetails) -> tuple[str, str]:
    return details.name.casefold(), details.area.casefold()


def _suggested_order(entry: DirectoryEntry) -> tuple:
    """National services first, then by area; within an area, services for fewer needs (the specialists) first."""
    return not entry.national, entry.area.casefold(), len(entry.needs), entry.name.casefold()


def note_text(choices: list[tuple[Suggestion, DirectoryEntry]]) -> str:
    """Plain text an officer can paste into a letter or a case note: the services, what for, how to reach them."""
    lines = ["These services may be able to help. They are independent of us: contact them directly if you "
             "would like their help. We have not passed on any of your details.", ""]
    needs: dict[int, list[str]] = {}
    entries = {entry.id: entry for _, entry in choices}
    for suggestion, entry in choices:  # a service chosen for two needs is listed once
        needs.setdefault(entry.id, []).append(suggestion.need_name.lower())
    for entry_id, names in needs.items():
        entry = entries[entry_id]
        where = "a national service" if entry.national else f"serves {entry.area}"
        lines.append(f"- {entry.name}: {entry.contact}. Helps with {', '.join(names)}; {where}.")
    return "\n".join(lines)


class SignpostingService:
    """The directory (read by anyone signed in, changed by administrators) and the suggestions for a case,
    through the case gate."""

    def __init__(self, directory: ServiceDirectory, cases: CaseService, records: CaseRecords, audit: AuditLog,
                 detect: Callable[[str], list[NeedFound]] = find_needs):
        self.directory, self.cases, self.records, self.audit, self.detect = directory, cases, records, audit, detect

    # the directory -------------------------------------------------------------------------------------------
    def entries(self, user: User, include_retired: bool = False) -> list[DirectoryEntry]:
        return self.directory.entries(include_retired)

    def _require_admin(self, user: User) -> None:
        access.require_admin(user, "change the directory of services")

    def _record_saved(self, user: User, entry: DirectoryEntry, change: str) -> None:
        self.audit.append(user.username, SAVED, {
            "entry_id": entry.id, "change": change, "name": entry.name, "needs": list(entry.needs),
            "contact": entry.contact, "area": entry.area, "vetted_by": entry.vetted_by, "vetted_on": entry.vetted_on,
            "description": entry.description, "demo": entry.demo})

    def add(self, user: User, details: EntryDetails) -> DirectoryEntry:
        """A new entry (administrators only), recorded in the audit log."""
        self._require_admin(user)
        entry = self.directory.add(checked(details), user.username)
        self._record_saved(user, entry, "added")
        return entry

    def edit(self, user: User, entry_id: int, details: EntryDetails) -> DirectoryEntry:
        """Change a current entry (administrators only); recorded unless nothing changed."""
        self._require_admin(user)
        details, before = checked(details), self.directory.entry(entry_id)
        if before.details == details and not before.retired:
            return before
        entry = self.directory.update(entry_id, details, user.username)
        self._record_saved(user, entry, "edited")
        return entry

    def retire(self, user: User, entry_id: int, reason: str) -> DirectoryEntry:
        """Take an entry out of suggestions (administrators only), with the reason recorded."""
        self._require_admin(user)
        if not reason.strip():
            raise EntryInvalid("Say why this service is retired (for example, it closed or failed a re-vetting), "
                               "then retire it again.")
        entry = self.directory.retire(entry_id, user.username)
        self.audit.append(user.username, RETIRED, {"entry_id": entry.id, "name": entry.name, "reason": reason.strip()})
        return entry

    def import_csv(self, user: User, data: bytes, filename: str = "") -> ImportResult:
        """Add or update entries from a CSV file (administrators only). A row that does not fit is refused with
        its row number and why; the good rows are still imported. A current entry with the same name and area is
        updated. One event records the whole import."""
        self._require_admin(user)
        rows = self._csv_rows(data)
        current = {_key(e): e for e in self.directory.entries()}
        seen: dict[tuple[str, str], int] = {}
        added, updated, unchanged, refused = [], [], [], []
        for number, row in rows:
            try:
                demo = _csv_bool(row.get("demo") or "")
                if demo is None:
                    raise EntryInvalid("This entry was not saved: the demo column must be yes or no.")
                details = checked(EntryDetails(row["name"], tuple(n for n in row["needs"].split(";") if n.strip()),
                                               row["contact"], row["area"], row["vetted_by"], row["vetted_on"],
                                               row.get("description") or "", demo))
            except EntryInvalid as error:
                refused.append(RowRefused(number, str(error).removeprefix("This entry was not saved: ")))
                continue
            if _key(details) in seen:
                refused.append(RowRefused(number, f"it has the same name and area as row {seen[_key(details)]}, so "
                                                  "it was left out. Keep one row per service and area."))
                continue
            seen[_key(details)] = number
            existing = current.get(_key(details))
            if existing is None:
                added.append(self.directory.add(details, user.username))
            elif existing.details == details:
                unchanged.append(existing)
            else:
                updated.append(self.directory.update(existing.id, details, user.username))
        self.audit.append(user.username, IMPORTED, {
            "filename": filename, "file_sha256": hashlib.sha256(data).hexdigest(), "rows": len(rows),
            "added": [e.id for e in added], "updated": [e.id for e in updated],
            "unchanged": [e.id for e in unchanged], "refused": [{"row": r.row, "error": r.error} for r in refused]})
        return ImportResult(len(rows), tuple(added), tuple(updated), tuple(unchanged), tuple(refused))

    @staticmethod
    def _csv_rows(data: bytes) -> list[tuple[int, dict[str, str]]]:
        """The file's rows by spreadsheet row number, or ImportRefused if the file as a whole cannot be read."""
        if len(data) > MAX_CSV_BYTES:
            raise ImportRefused(f"This file is larger than {MAX_CSV_BYTES // 1024} KB. A directory this large is "
                                "unlikely: check it is the right file, or split it.")
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ImportRefused("This file is not UTF-8 text. In your spreadsheet, save it as 'CSV UTF-8' and "
                                "import it again.") from None
        reader = csv.reader(io.StringIO(text, newline=""))
        try:
            header = [h.strip().lower().replace(" ", "_") for h in next(reader, [])]
            records = list(reader)
        except csv.Error:
            raise ImportRefused("This file is not a CSV file that could be read (a quotation mark may not be closed). "
                                "Save it from your spreadsheet as CSV and import it again.") from None
        missing = [c for c in CSV_COLUMNS if c not in header]
        unknown = [h for h in header if h and h not in CSV_COLUMNS + CSV_OPTIONAL]
        if missing or unknown:
            problems = ([f"it has no column {', '.join(missing)}"] if missing else []) + \
                       ([f"it has columns this import does not know ({', '.join(unknown)})"] if unknown else [])
            raise ImportRefused(f"Nothing was imported: {' and '.join(problems)}. The first row must name the columns "
                                f"{', '.join(CSV_COLUMNS)}, and optionally {', '.join(CSV_OPTIONAL)}.")
        if len(records) > MAX_CSV_ROWS:
            raise ImportRefused(f"Nothing was imported: the file has more than {MAX_CSV_ROWS:,} rows. Split it.")
        rows = []
        for number, values in enumerate(records, start=2):
            if not any(v.strip() for v in values):
                continue  # a blank line
            rows.append((number, {name: (values[i] if i < len(values) else "") for i, name in enumerate(header)}))
        return rows

    # suggestions for a case ----------------------------------------------------------------------------------
    def suggestions(self, user: User, reference: str) -> list[Suggestion]:
        """The needs the case's documents show, each with the passages that show it and the current services
        that help with it (possibly none), in the order of NEEDS."""
        case = self.cases.case(user, reference)
        found = self._needs(case)
        services = self.directory.entries()
        return [Suggestion(need, NEEDS[need], tuple(found[need][:PASSAGES_PER_NEED]),
                           tuple(sorted((e for e in services if need in e.needs), key=_suggested_order)))
                for need in NEEDS if found.get(need)]

    def _needs(self, case: Case) -> dict[str, list[NeedPassage]]:
        """Each need's passages across the case's held documents, one per place in a document (neighbouring
        passages overlap, so the same words can lie in two)."""
        documents = [d for d in self.records.documents(case) if d.erased_at is None]
        chunks = self.records.passages(documents)
        found: dict[str, list[NeedPassage]] = {}
        places: set[tuple[str, int, int]] = set()
        for document in documents:
            passages = chunks.get(document.id) or [Chunk("", document.id, 1, 0, len(document.text), document.text)]
            for chunk in passages:
                for need in self.detect(chunk.text):
                    place = (need.need, document.id, chunk.start + need.start)
                    if place in places:
                        continue
                    places.add(place)
                    found.setdefault(need.need, []).append(NeedPassage(
                        document.id, document.filename, chunk.page, chunk.id, chunk.text, need.start, need.end,
                        need.words))
        return found

    def choose(self, user: User, reference: str, chosen: list[tuple[str, int]]) -> Chosen:
        """Record which suggested services (need code, entry id) the officer chose to mention, and give the text
        for their letter or note. Only services suggested for this case now may be chosen."""
        if not chosen:
            raise SummariserError("Tick at least one service to mention, then add them to the case note.")
        suggestions = {s.need: s for s in self.suggestions(user, reference)}
        picks: list[tuple[Suggestion, DirectoryEntry]] = []
        for need, entry_id in dict.fromkeys(chosen):
            suggestion = suggestions.get(need)
            entry = next((e for e in suggestion.services if e.id == entry_id), None) if suggestion else None
            if entry is None:
                raise NotFound("A service you ticked is no longer suggested for this case (the directory or the "
                               "case's documents changed). Reload the case and choose again.")
            picks.append((suggestion, entry))
        event = self.audit.append(user.username, CHOSEN, {
            "services": [{"entry_id": e.id, "name": e.name, "need": s.need,
                          "document_id": s.passages[0].document_id, "chunk_id": s.passages[0].chunk_id}
                         for s, e in picks],
            "role": user.role, "rule": RULE_VERSION}, reference)
        return Chosen(note_text(picks), event.seq)
