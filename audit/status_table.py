"""The listings' status table: where each draft and case stands, written with each event, read without the log.

Listing cases or the review queue must not read the log: folding it took 1.5 to
2 s at 100,000 events, and about 20 s at a million, in every new process
(docs/decisions/0004, 0010). So each append also writes, in its own
transaction, the rows of the draft and the case its event touches
(``draft_statuses``, ``case_statuses``) and the event the table has taken in up
to (``status_head``). The chain stays the record; this is a cache of its fold.
No decision reads it (a decision folds its draft's events again inside the
writing transaction), so a row changed behind the app's back can mislead a
listing but never let a decision through, and ``verify`` folds the chain again
and names every row that differs (``StatusCheck``).

The rules for a draft's status live here, below the workflow, because the table
is written where events are appended; ``workflow.state`` folds a draft in full
with the same rules (``STATUS_AFTER``, ``first_status``, ``case_mark``), so a
listing and a draft's own page cannot disagree.

An append expects the table at the event before its own. If it is not (events
written by something that does not keep the table: a version of the app from
before it, or SQL alone), the append takes the missing events in first, or
folds the whole chain again when many are missing or the table's head is not
an event of this log.
"""
from __future__ import annotations

import json
import operator
import sys
from dataclasses import make_dataclass
from typing import Iterable, Iterator, Mapping, NamedTuple

import sqlalchemy as sa
from sqlalchemy import Engine

from audit.chain import GENESIS, Event
from audit.events import CaseRef, FileOutcome, parse
from audit.kept_texts import is_ref
from audit.queries import in_statement
from schema import audit_events, case_statuses, draft_statuses, status_head

UNDECIDED = ("pending", "edited")
STATUS_AFTER = {"edited": "edited", "approved": "approved", "rejected": "rejected"}
DRAFT_STARTS = ("drafted", "draft_failed")
INTERRUPTED = "Interrupted"  # the error type of a draft_failed the officer stopped (or a closed page left)
PAYLOADS_READ = ("drafted", "draft_failed", "approved", "documents_added")  # the only payloads a status needs
REFOLD_AFTER = 2000  # missing events past which an append folds the whole chain again rather than one by one
BATCH = 20_000  # events read at a time when folding the whole chain
WRITE_BATCH = 5000
MAX_DIFFERENCES = 20  # differences named in full by verify; the rest are counted


# the rules ------------------------------------------------------------------------------------------------------
def first_status(action: str, payload: dict | None = None) -> str:
    """A draft's status after its first event: a draft whose model never finished is failed, or stopped when
    the officer stopped it or left the page (`INTERRUPTED`, not a fault of the model)."""
    if action != "draft_failed":
        return "pending"
    return "stopped" if (payload or {}).get("error_type") == INTERRUPTED else "failed"


class Approval(NamedTuple):
    """One draft's approvals within its case: what working out superseded and stale needs."""
    draft_id: str
    first_seq: int
    last_seq: int  # the approval that counts
    update_of: str | None  # recorded with the last one: the full summary an update adds to


class Mark(NamedTuple):
    """What the rest of its case makes of an approved draft."""
    status: str | None  # "superseded", "stale", or None: its own status stands
    superseded_by: str | None = None
    family_last: int = 0  # the newest approval of its family; documents added after it make it stale


def approvals_of(approved: Iterable[tuple[str, int, str | None]]) -> dict[str, Approval]:
    """(draft id, seq, update_of) of approval events in chain order, summed up per draft."""
    summed: dict[str, Approval] = {}
    for draft_id, seq, update_of in approved:
        known = summed.get(draft_id)
        summed[draft_id] = Approval(draft_id, known.first_seq if known else seq, seq, update_of)
    return summed


def case_mark(draft_id: str, approval_seq: int, update_of: str | None, approvals: Mapping[str, Approval],
              last_added_seq: int) -> Mark:
    """Superseded or stale, for an approved draft of a case whose approvals and newest document addition are given.

    The full summary approved last, with the updates approved for it, is the
    case's current family; every earlier family is superseded by the full
    summary approved next. The current full summary is stale once files are
    added after the family's newest approval; its updates stay approved (they
    are read with it).
    """
    root = update_of or draft_id
    root_approved = approvals[root].first_seq if root in approvals else approval_seq
    later = min([((a.first_seq if a.first_seq > root_approved else a.last_seq), a.draft_id)
                 for a in approvals.values() if not a.update_of and a.draft_id != root and a.last_seq > root_approved],
                default=None)
    if later:
        return Mark("superseded", later[1])
    if root != draft_id:
        return Mark(None)
    family_last = max((a.last_seq for a in approvals.values() if root in (a.draft_id, a.update_of)),
                      default=approval_seq)
    return Mark("stale" if last_added_seq > family_last else None, None, family_last)


def summary_status(statuses: list[tuple[str, str | None]]) -> str:
    """A case's summary for the case list, from its drafts' (status, update_of) in the order they were made: a
    draft waiting for review first; else the current approved full summary (maybe stale: its approved updates
    are read with it); else the last try; "missing" when there is none."""
    if not statuses:
        return "missing"
    if any(status in UNDECIDED for status, _ in statuses):
        return "pending"
    current = [status for status, update_of in statuses if status in ("approved", "stale") and not update_of]
    return current[-1] if current else statuses[-1][0]


# what a status needs from a payload (stored form: personal texts as references) -------------------------------------
def _text_or_none(value) -> bool:
    return value is None or isinstance(value, str)


_CASE_FIELDS = tuple(CaseRef.model_fields)
_FILE_TEXT_FIELDS = tuple(name for name in FileOutcome.model_fields if name != "document_id")


def _team_and_tier(payload: dict) -> tuple[str | None, str]:
    """The case's team and the sign-off tier a draft recorded, read as ``audit.events.parse`` reads them (a value
    that does not fit drops its whole key to the default); the plain shapes are read directly, which is most of
    what makes folding a long chain quick."""
    case, sign_off = payload.get("case") or {}, payload.get("sign_off") or {}
    if (isinstance(case, dict) and all(_text_or_none(case.get(name)) for name in _CASE_FIELDS)
            and isinstance(sign_off, dict) and isinstance(sign_off.get("tier", ""), str)
            and _text_or_none(sign_off.get("via")) and isinstance(sign_off.get("reasons", []), list)
            and all(isinstance(r, str) or is_ref(r) for r in sign_off.get("reasons", []))):
        return case.get("team"), sign_off.get("tier", "officer")
    data = parse("drafted", {key: payload[key] for key in ("case", "sign_off") if key in payload}, texts_read=False)
    return data.case.team, data.sign_off.tier


def _approval(payload: dict) -> tuple[str | None, bool]:
    """(update_of, second_check) of an approval, read as ``parse`` reads them."""
    update_of, second_check = payload.get("update_of"), payload.get("second_check", False)
    if _text_or_none(update_of) and isinstance(second_check, bool):
        return update_of, second_check
    data = parse("approved", {key: payload[key] for key in ("update_of", "second_check") if key in payload})
    return data.update_of, data.second_check


def _adds_documents(payload: dict) -> bool:
    """Whether a documents_added event stored at least one new file (what makes an approved summary stale), read
    as ``parse`` reads it (one file that does not fit drops them all)."""
    files = payload.get("files", [])
    if isinstance(files, list) and all(
            isinstance(f, dict) and (f.get("document_id") is None or type(f.get("document_id")) is int)
            and all(_text_or_none(f.get(name)) or is_ref(f.get(name)) for name in _FILE_TEXT_FIELDS) for f in files):
        return any(f.get("status") == "added" for f in files)
    data = parse("documents_added", {"files": payload["files"]} if "files" in payload else {}, texts_read=False)
    return any(f.status == "added" for f in data.files)


# rows -------------------------------------------------------------------------------------------------------------
def _row_type(name: str, table: sa.Table, doc: str) -> type:
    """A mutable row with one slot per column of `table`, in order (a generated __init__ and __eq__, as the
    fold makes and compares hundreds of thousands of them)."""
    names = tuple(column.name for column in table.c)
    get = operator.attrgetter(*names)
    return make_dataclass(name, [(n, object) for n in names], slots=True, namespace={
        "__doc__": doc, "__module__": __name__, "values": lambda self: get(self),
        "as_dict": lambda self: dict(zip(names, get(self)))})


DraftRow = _row_type("DraftRow", draft_statuses, "One draft as the table holds it (``schema.draft_statuses``).")
CaseRow = _row_type("CaseRow", case_statuses, "One case as the table holds it (``schema.case_statuses``).")


class Stored(NamedTuple):
    """What folding needs of one stored event; `payload` only for the actions in PAYLOADS_READ."""
    seq: int
    recorded_at: str
    actor: str
    action: str
    case_reference: str | None
    draft_id: str | None
    hash: str
    payload: dict | None

    @classmethod
    def of_event(cls, event: Event) -> Stored:
        chained = event.chained_payload
        return cls(event.seq, event.recorded_at, event.actor, event.action, event.case_reference, event.draft_id,
                   event.hash, chained if chained is not None else event.payload)


def _loads(text: str | None) -> dict | None:
    if text is None:
        return None
    try:
        value = json.loads(text)
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


# the fold -----------------------------------------------------------------------------------------------------------
class StatusFold:
    """Draft and case rows folded from events in chain order, in memory: the whole chain (rebuilding, verifying),
    or, when appending, the rows of the cases one event touches, read from the table first (`hold`).

    A draft's own fields follow its events; what its case makes of it (superseded, stale) and the case's row
    are worked out again (`settle`) for every case the events touched, from the rows as they then are, so
    folding event by event and folding once at the end agree."""

    def __init__(self, track: bool = False):
        self.drafts: dict[str, DraftRow] = {}
        self.cases: dict[str, CaseRow] = {}
        self._of_case: dict[str | None, list[DraftRow]] = {}
        self._unsettled: set[str | None] = set()
        self.seq, self.hash = 0, GENESIS
        self.touched_drafts: set[str] | None = set() if track else None
        self.touched_cases: set[str | None] | None = set() if track else None

    def hold(self, drafts: Iterable[DraftRow], cases: Iterable[CaseRow]) -> None:
        """Start from rows read from the table (each case's drafts in the order they were made)."""
        for row in drafts:
            if row.draft_id not in self.drafts:
                self.drafts[row.draft_id] = row
                self._of_case.setdefault(row.case_reference, []).append(row)
        for case in cases:
            self.cases.setdefault(case.case_reference, case)

    def take(self, event: Stored) -> None:
        """Fold one event in (events in chain order; `settle` before reading the statuses)."""
        seq, recorded_at, action, case_reference, draft_id = (event.seq, event.recorded_at, event.action,
                                                              event.case_reference, event.draft_id)
        if draft_id is not None:
            row = self.drafts.get(draft_id)
            if row is None:
                team, tier = _team_and_tier(event.payload or {}) if action in DRAFT_STARTS else (None, "officer")
                status = first_status(action, event.payload)
                row = DraftRow(draft_id, _interned(case_reference), _interned(team), _interned(event.actor), status,
                               status, seq, recorded_at, seq, recorded_at, _interned(tier), None, None, None, False,
                               False)
                self.drafts[draft_id] = row
                self._of_case.setdefault(row.case_reference, []).append(row)
            else:
                row.own_status = STATUS_AFTER.get(action, row.own_status)
                if action == "approved":
                    update_of, second_check = _approval(event.payload or {})
                    if row.first_approval_seq is None:
                        row.first_approval_seq = seq
                    row.approval_seq, row.update_of = seq, update_of
                    row.second_check_due = second_check and not row.second_checked
                elif action == "second_checked":
                    row.second_checked, row.second_check_due = True, False
                row.last_seq, row.last_at = seq, recorded_at
            self._unsettled.add(row.case_reference)
            if self.touched_drafts is not None:
                self.touched_drafts.add(draft_id)
        if case_reference is not None:
            case = self.cases.get(case_reference)
            if case is None:
                case = self.cases[case_reference] = CaseRow(_interned(case_reference), None, "missing", 0, 0, seq,
                                                            recorded_at, None)
            case.last_seq, case.last_at = seq, recorded_at
            if action == "documents_added" and _adds_documents(event.payload or {}):
                case.last_added_seq = seq
                self._unsettled.add(case_reference)
            if self.touched_cases is not None:
                self.touched_cases.add(case_reference)
        self.seq, self.hash = seq, event.hash

    def settle(self) -> None:
        """Work out again, for every case touched since, what it makes of its approved drafts, and its row."""
        for reference in self._unsettled:
            drafts = self._of_case.get(reference, [])
            approvals = {d.draft_id: Approval(d.draft_id, d.first_approval_seq, d.approval_seq, d.update_of)
                         for d in drafts if d.approval_seq is not None}
            case = self.cases.get(reference) if reference is not None else None
            last_added = (case.last_added_seq or 0) if case is not None else 0
            for draft in drafts:
                mark = case_mark(draft.draft_id, draft.approval_seq, draft.update_of, approvals, last_added) \
                    if draft.approval_seq is not None else Mark(None)
                draft.status = mark.status or draft.own_status
            if self.touched_drafts is not None:
                self.touched_drafts.update(d.draft_id for d in drafts)
            if case is None:
                continue
            case.team = next((d.team for d in reversed(drafts) if d.team), case.team)
            case.summary_status = summary_status([(d.status, d.update_of) for d in drafts])
            case.drafts, case.undecided = len(drafts), sum(d.status in UNDECIDED for d in drafts)
        self._unsettled.clear()


def _interned(value: str | None) -> str | None:
    """The same few teams, tiers, people and cases recur in every row: one copy each in memory."""
    return sys.intern(value) if value is not None else None


# reading the chain --------------------------------------------------------------------------------------------------
def stored_events(conn: sa.Connection, after: int = 0, through: int | None = None) -> Iterator[Stored]:
    """The events a status depends on (those of a draft or a case) after `after` and up to `through`, in chain
    order, in batches; payloads are read only for the actions that need them."""
    c = audit_events.c
    payload = sa.case((c.action.in_(PAYLOADS_READ), c.payload), else_=sa.null())
    conditions = [sa.or_(c.draft_id.is_not(None), c.case_reference.is_not(None))]
    if through is not None:
        conditions.append(c.seq <= through)
    while True:
        rows = conn.execute(sa.select(c.seq, c.recorded_at, c.actor, c.action, c.case_reference, c.draft_id, c.hash,
                                      payload).where(c.seq > after, *conditions).order_by(c.seq).limit(BATCH)).all()
        for row in rows:
            yield Stored(*row[:7], _loads(row[7]))
        if len(rows) < BATCH:
            return
        after = rows[-1].seq


def _head_of_log(conn: sa.Connection) -> tuple[int, str]:
    row = conn.execute(sa.select(audit_events.c.seq, audit_events.c.hash)
                       .order_by(audit_events.c.seq.desc()).limit(1)).first()
    return (row.seq, row.hash) if row else (0, GENESIS)


def _hash_at(conn: sa.Connection, seq: int) -> str | None:
    if seq == 0:
        return GENESIS
    return conn.execute(sa.select(audit_events.c.hash).where(audit_events.c.seq == seq)).scalar()


def fold_chain(conn: sa.Connection, through: int | None = None) -> StatusFold:
    """The table as the chain up to event `through` (default: the head) folds to."""
    fold = StatusFold()
    seq, digest = _head_of_log(conn) if through is None else (through, _hash_at(conn, through))
    for event in stored_events(conn, 0, seq):
        fold.take(event)
    fold.settle()
    fold.seq, fold.hash = seq, digest
    return fold


# the table ------------------------------------------------------------------------------------------------------------
# Built once: an append runs these every time, and building them again cost as much as running them.
_READ_HEAD = sa.select(status_head.c.seq, status_head.c.hash).where(status_head.c.id == 1)
_SET_HEAD = status_head.update().where(status_head.c.id == 1).values(seq=sa.bindparam("s"), hash=sa.bindparam("h"))
_MOVE_HEAD = _SET_HEAD.where(status_head.c.seq == sa.bindparam("prev_s"), status_head.c.hash == sa.bindparam("prev_h"))
_DRAFTS_OF = (sa.select(*draft_statuses.c).order_by(draft_statuses.c.drafted_seq)  # a case's drafts, and one draft
              .where(sa.or_(draft_statuses.c.case_reference == sa.bindparam("case"),
                            draft_statuses.c.draft_id == sa.bindparam("draft"))))
_CASE = sa.select(*case_statuses.c).where(case_statuses.c.case_reference == sa.bindparam("case"))
_REWRITE = {table: table.update().where(table.c[key] == sa.bindparam("key_"))
            for table, key in ((draft_statuses, "draft_id"), (case_statuses, "case_reference"))}


def _head(conn: sa.Connection) -> tuple[int, str] | None:
    row = conn.execute(_READ_HEAD).first()
    return (row.seq, row.hash) if row else None


def _set_head(conn: sa.Connection, seq: int, digest: str, known: bool = True) -> None:
    if known:
        conn.execute(_SET_HEAD, {"s": seq, "h": digest})
    else:
        conn.execute(status_head.insert().values(id=1, seq=seq, hash=digest))


def _rows(conn: sa.Connection, table: sa.Table, row_type, *conditions) -> list:
    order = [table.c.drafted_seq] if table is draft_statuses else [table.c.case_reference]
    return [row_type(*r) for r in conn.execute(sa.select(*table.c).where(*conditions).order_by(*order))]


def write_all(conn: sa.Connection, fold: StatusFold) -> None:
    """Replace the whole table with `fold` (the table is a cache: nothing in it is lost by this)."""
    for table in (draft_statuses, case_statuses, status_head):
        conn.execute(table.delete())
    for table, rows in ((draft_statuses, list(fold.drafts.values())), (case_statuses, list(fold.cases.values()))):
        for start in range(0, len(rows), WRITE_BATCH):
            conn.execute(table.insert(), [row.as_dict() for row in rows[start:start + WRITE_BATCH]])
    _set_head(conn, fold.seq, fold.hash, known=False)


class StatusTable:
    """The status table as the log writes it and the listings read it."""

    def __init__(self, engine: Engine):
        self.engine = engine

    # writing (inside an append's transaction) -----------------------------------------------------------------------
    def record(self, conn: sa.Connection, event: Event) -> None:
        """Take `event`, just appended on `conn`, into the table in the same transaction; first any events
        before it the table has not taken in."""
        moved = conn.execute(_MOVE_HEAD, {"s": event.seq, "h": event.hash, "prev_s": event.seq - 1,
                                          "prev_h": event.prev_hash}).rowcount
        if moved != 1:  # the table was not at the event before this one
            if not self._catch_up(conn, _head(conn), event.seq - 1):
                return  # folded the whole chain again, this event included
            _set_head(conn, event.seq, event.hash)
        self._take(conn, Stored.of_event(event), moved_head=True)

    def _catch_up(self, conn: sa.Connection, head: tuple[int, str] | None, through: int) -> bool:
        """Bring the table up to event `through`; False if that meant folding the whole chain (through the
        event being appended, which is then in it)."""
        seq = head[0] if head else 0
        if head is None or seq > through or through - seq > REFOLD_AFTER or _hash_at(conn, seq) != head[1]:
            write_all(conn, fold_chain(conn, through + 1))
            return False
        for stored in stored_events(conn, seq, through):
            self._take(conn, stored, moved_head=False)
        _set_head(conn, through, _hash_at(conn, through))
        return True

    def _take(self, conn: sa.Connection, event: Stored, moved_head: bool) -> None:
        """Fold one event into the rows it touches: those rows are read, folded with the same code as the whole
        chain, and written back where they changed; then the head moves to it (unless `moved_head`)."""
        fold = StatusFold()
        case, draft_id = event.case_reference, event.draft_id
        cases = {case}
        if draft_id is not None or event.action == "documents_added":
            drafts = [DraftRow(*row) for row in conn.execute(_DRAFTS_OF, {"case": case, "draft": draft_id})]
            own = next((d.case_reference for d in drafts if d.draft_id == draft_id), case)
            if case is None or own != case:  # a draft of no case, or an event naming another case than its draft
                cases.add(own)
                drafts += _rows(conn, draft_statuses, DraftRow, sa.or_(
                    draft_statuses.c.case_reference == own if own is not None else sa.false(),
                    draft_statuses.c.case_reference.is_(None) if None in cases else sa.false()))
                drafts.sort(key=lambda d: d.drafted_seq)
            fold.hold(drafts, [])
        fold.hold([], [CaseRow(*row) for name in sorted(c for c in cases if c is not None)
                       for row in conn.execute(_CASE, {"case": name})])
        before = {("d", k): r.values() for k, r in fold.drafts.items()} | \
                 {("c", k): r.values() for k, r in fold.cases.items()}
        fold.take(event)
        fold.settle()
        for kind, table, rows in (("d", draft_statuses, fold.drafts), ("c", case_statuses, fold.cases)):
            for name, row in rows.items():
                was = before.get((kind, name))
                if was is None:
                    conn.execute(table.insert(), row.as_dict())
                elif was != row.values():
                    conn.execute(_REWRITE[table], row.as_dict() | {"key_": name})
        if not moved_head:
            _set_head(conn, event.seq, event.hash)

    def rebuild(self) -> int:
        """Fold the whole chain again and replace the table with it (after verify named a difference); the number
        of drafts. Appends wait meanwhile (the table is rewritten in one transaction)."""
        with self.engine.begin() as conn:
            fold = fold_chain(conn)
            write_all(conn, fold)
        return len(fold.drafts)

    # reading -----------------------------------------------------------------------------------------------------
    def drafts(self, *, case_reference: str | None = None, case_references: Iterable[str] | None = None,
               statuses: Iterable[str] | None = None, second_check_due: bool | None = None) -> list[DraftRow]:
        """Drafts in the order they were made, narrowed by the database: of one case or of these cases, with
        these statuses, due (or not) for a second check."""
        c, conditions = draft_statuses.c, []
        if case_reference is not None:
            conditions.append(c.case_reference == case_reference)
        if case_references is not None:
            conditions.append(c.case_reference.in_(in_statement(case_references)))
        if statuses is not None:
            conditions.append(c.status.in_(sorted(statuses)))
        if second_check_due is not None:
            conditions.append(c.second_check_due == second_check_due)
        with self.engine.connect() as conn:
            return _rows(conn, draft_statuses, DraftRow, *conditions)

    def cases(self, references: Iterable[str] | None = None) -> list[CaseRow]:
        """These cases' rows (None: every case's); a case with no event has none."""
        conditions = [] if references is None else [case_statuses.c.case_reference.in_(in_statement(references))]
        with self.engine.connect() as conn:
            return _rows(conn, case_statuses, CaseRow, *conditions)

    def head(self) -> tuple[int, str]:
        """(seq, hash) of the newest event the table has taken in."""
        with self.engine.connect() as conn:
            return _head(conn) or (0, GENESIS)


# checking the table against the chain (verify) ------------------------------------------------------------------------
_LABELS = {"case_reference": "case", "team": "team", "requested_by": "drafted by", "own_status": "own status",
           "status": "status", "drafted_seq": "first event", "drafted_at": "drafted at", "last_seq": "newest event",
           "last_at": "last activity", "sign_off_tier": "sign-off tier", "first_approval_seq": "first approval",
           "approval_seq": "approval", "update_of": "update of", "second_checked": "second check done",
           "second_check_due": "second check due", "summary_status": "summary", "drafts": "number of drafts",
           "undecided": "drafts waiting for a decision", "last_added_seq": "newest document added"}


def _described(value) -> str:
    return "nothing" if value is None else ("yes" if value is True else "no" if value is False else f"'{value}'")


def _differences(kind: str, table: sa.Table, held: dict[str, tuple], folded: dict, skip: set) -> Iterator[str]:
    """Each row of `table` as held (raw tuples by key) that differs from the fold's, in plain English."""
    names = tuple(column.name for column in table.c)
    for key in sorted(held.keys() | folded.keys(), key=lambda k: (k is None, k or "")):
        if key in skip:
            continue
        mine, theirs = held.get(key), folded.get(key)
        if mine is not None and theirs is not None and mine == theirs.values():
            continue
        case = (theirs.case_reference if theirs is not None else mine[names.index("case_reference")])
        what = f"{kind} {key}" + (f" of case {case}" if kind == "draft" and case else "")
        if mine is None:
            yield f"{what} is missing from it"
        elif theirs is None:
            yield f"it lists {what}, which the log does not have"
        else:
            yield f"{what} has " + ", ".join(
                f"{_LABELS.get(name, name)} {_described(a)} where the log says {_described(b)}"
                for name, a, b in zip(names, mine, theirs.values()) if a != b)


class StatusCheck:
    """Folds the events verify reads (those up to the table's head when verify began) and then compares the
    table with that fold. Events appended while verify runs are folded in too, and rows they changed while
    the table was being read are left out of the comparison, so a busy service shows no false differences."""

    def __init__(self, conn: sa.Connection):
        self.started = _head(conn) or (0, GENESIS)
        self.fold = StatusFold()

    def take(self, row) -> None:
        """One stored event (a row of audit_events) that verify found sound, in chain order."""
        if row.seq <= self.started[0] and (row.draft_id is not None or row.case_reference is not None):
            self.fold.take(Stored(row.seq, row.recorded_at, row.actor, row.action, row.case_reference, row.draft_id,
                                  row.hash, _loads(row.payload) if row.action in PAYLOADS_READ else None))

    def differences(self, engine: Engine, verified_through: int) -> list[str]:
        """Every way the table differs from the chain it was verified with, in plain English (empty: none)."""
        problems: list[str] = []
        with engine.connect() as conn:
            first = _head(conn) or (0, GENESIS)
            if first[0] < self.started[0]:
                return [f"its record of the newest event it took in went back from event {self.started[0]} to "
                        f"{first[0]} while the log was being verified: it was changed behind the app's back"]
            through = min(self.started[0], verified_through)
            if self.started[0] > verified_through:
                problems.append(f"it says it took in events up to {self.started[0]}, but the log ends at event "
                                f"{verified_through}")
            for event in stored_events(conn, through, first[0]):
                self.fold.take(event)
            self.fold.settle()
            held_drafts = {row[0]: tuple(row) for row in conn.execute(sa.select(*draft_statuses.c))}
            held_cases = {row[0]: tuple(row) for row in conn.execute(sa.select(*case_statuses.c))}
            last = _head(conn) or (0, GENESIS)
            skip_drafts, skip_cases = set(), set()
            if last[0] > first[0]:  # appended while the table was read: those rows may be either way
                self.fold.touched_drafts, self.fold.touched_cases = set(), set()
                for event in stored_events(conn, first[0], last[0]):
                    self.fold.take(event)
                self.fold.settle()
                skip_drafts, skip_cases = self.fold.touched_drafts, self.fold.touched_cases
            if last[0] < verified_through:
                problems.append(f"it has taken in the log only up to event {last[0]} of {verified_through}: "
                                "later events were written without it (by an older version of the app, or by SQL "
                                "alone); the next event the app records brings it up to date")
            elif _hash_at(conn, last[0]) != last[1]:
                problems.append(f"its record of the newest event it took in (event {last[0]}) does not match the "
                                "log's")
        problems += _differences("draft", draft_statuses, held_drafts, self.fold.drafts, skip_drafts)
        problems += _differences("case", case_statuses, held_cases, self.fold.cases, skip_cases)
        return problems
