"""The erasable store of personal texts, kept apart from the chain so erasing one never breaks it.

The free text people and the model write (the values under the keys in
``PERSONAL_CONTENT_KEYS``, at any depth of a payload) is kept in
``audit_contents``: each non-empty string gets a random salt, and the chained
payload holds ``{"$content": sha256(salt + text)}`` in its place (salt as 32
hex characters, then the text, hashed as UTF-8). Erasing destroys the text
*and* its salt, so a short erased text cannot be guessed from its hash; the
database lets a kept text only be erased (migration 0003's triggers), and only
by the erasure event naming it (0006). Reading
puts the text back, or a tombstone such as
``[erased on 2026-11-21: retention period ended]``.
"""
from __future__ import annotations

import hashlib
import json
import re
import secrets
from typing import TYPE_CHECKING, Any, Iterable, Iterator

import sqlalchemy as sa

from schema import audit_contents, audit_events

if TYPE_CHECKING:
    from audit.chain import Event

CONTENT_REF = "$content"
# Free text written by people or the model, or quoted from a person's records: drafts, edits and
# their diffs, notes, reasons, sentences checked or accepted, facts and conflicting values found in
# the sources, and file names (which often hold a person's name). Every string under these keys,
# however deeply nested, is kept apart; ids, hashes, numbers and settings stay in the chain.
PERSONAL_CONTENT_KEYS = frozenset({
    "output", "text", "diff_from_ai", "sentence", "sentences", "uncited_sentences", "note", "reason",
    "reasons", "comment", "filename", "subject", "values", "missing_facts", "unsourced_facts", "words",
    "quote", "excerpt", "support",
})
MISSING_TEXT = "[this text is missing from the audit log]"
IN_CHUNK = 500  # ids per IN (...) list: well under every database's parameter limit


def content_digest(salt: str, text: str) -> str:
    return hashlib.sha256((salt + text).encode("utf-8")).hexdigest()


def is_ref(value: Any) -> bool:
    return isinstance(value, dict) and len(value) == 1 and isinstance(value.get(CONTENT_REF), str)


def _seal_all(value: Any, sealed: dict[str, tuple[str, str]]) -> Any:
    """Every non-empty string inside a personal value, replaced by a reference to its sealed copy."""
    if isinstance(value, str) and value:
        salt = secrets.token_hex(16)
        digest = content_digest(salt, value)
        sealed[digest] = (salt, value)
        return {CONTENT_REF: digest}
    if isinstance(value, list):
        return [_seal_all(v, sealed) for v in value]
    if isinstance(value, dict):
        return {k: _seal_all(v, sealed) for k, v in value.items()}
    return value


def seal(value: Any, sealed: dict[str, tuple[str, str]]) -> Any:
    """The payload to chain: personal texts moved into `sealed` (reference -> (salt, text)), the rest as it was."""
    if isinstance(value, dict):
        return {k: _seal_all(v, sealed) if k in PERSONAL_CONTENT_KEYS else seal(v, sealed)
                for k, v in value.items()}
    if isinstance(value, list):
        return [seal(v, sealed) for v in value]
    return value


def refs(value: Any) -> Iterator[str]:
    """Every content reference in a chained payload, in stored order."""
    if is_ref(value):
        yield value[CONTENT_REF]
    elif isinstance(value, dict):
        for v in value.values():
            yield from refs(v)
    elif isinstance(value, list):
        for v in value:
            yield from refs(v)


def may_hold_refs(stored: str) -> bool:
    """A cheap test on the stored JSON: a payload without this substring holds no reference."""
    return f'"{CONTENT_REF}"' in stored


def chunks(items: list, size: int = IN_CHUNK) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def tombstone(erased_at: str, reason: str | None) -> str:
    return f"[erased on {erased_at[:10]}: {reason}]"


def readable(row) -> str:
    """A content row as a reader sees it: its text, or the tombstone of its erasure."""
    return row.text if row.erased_at is None else tombstone(row.erased_at, row.reason)


def _tombstone_pattern() -> re.Pattern[str]:
    """What `tombstone` writes for any day and reason, taken from `tombstone` itself so the two cannot drift."""
    day, reason = "2000-01-01", "\0"
    before, rest = tombstone(day, reason).split(day)
    between, after = rest.split(reason)
    return re.compile(f"{re.escape(before)}\\d{{4}}-\\d{{2}}-\\d{{2}}{re.escape(between)}.*{re.escape(after)}", re.S)


_TOMBSTONE = _tombstone_pattern()


def is_erased_text(text: str) -> bool:
    """Whether a text read from the log stands in for one no longer there (a tombstone or the missing-text
    marker), so readers such as the metrics never treat it as something a person or the model wrote."""
    return text == MISSING_TEXT or _TOMBSTONE.fullmatch(text) is not None


def contents(conn: sa.Connection, wanted: Iterable[str], held_by=None, columns=None) -> dict:
    """Content rows by id: those of the events `held_by` selects in one query (a scan in seq order),
    then any other reference by id, in batches; never one query per event."""
    query = sa.select(*(columns or audit_contents.c))
    found = {}
    if held_by is not None:
        found.update((row.id, row) for row in conn.execute(query.where(held_by)).all())
    for chunk in chunks(sorted(set(wanted) - found.keys())):
        found.update((row.id, row) for row in conn.execute(query.where(audit_contents.c.id.in_(chunk))).all())
    return found


def readable_texts(conn: sa.Connection, held_by) -> dict[str, str]:
    """Reference -> text (or tombstone) of the contents `held_by` selects, in one query."""
    c = audit_contents.c
    return {ref: text if erased_at is None else tombstone(erased_at, reason)
            for ref, text, erased_at, reason in conn.execute(sa.select(c.id, c.text, c.erased_at, c.reason)
                                                             .where(held_by))}


def erase(conn: sa.Connection, ids: list[str], actor: str, reason: str, erased_at: str) -> None:
    """Destroy these kept texts (and salts). Call it after appending the erasure event that names them, in the
    same transaction: the database refuses an erasure no such event names (migration 0006). On PostgreSQL it
    goes through audit_erase_contents, the one way the app role may change a kept text."""
    postgres = conn.dialect.name == "postgresql"
    for chunk in chunks(ids):
        if postgres:
            conn.execute(sa.text("SELECT audit_erase_contents(CAST(:ids AS text[]), :at, :actor, :why)"),
                         {"ids": chunk, "at": erased_at, "actor": actor, "why": reason})
        else:
            conn.execute(audit_contents.update()
                         .where(audit_contents.c.id.in_(chunk), audit_contents.c.erased_at.is_(None))
                         .values(text=None, salt=None, erased_at=erased_at, erased_by=actor, reason=reason))


def live_contents_of(conn: sa.Connection, draft_ids: list[str], case_references: list[str]) -> list[str]:
    """Ids of the texts still kept for these drafts' and cases' events, sorted."""
    found: set[str] = set()
    for column, values in ((audit_events.c.draft_id, draft_ids), (audit_events.c.case_reference, case_references)):
        for chunk in chunks(values):
            rows = conn.execute(sa.select(audit_events.c.payload).where(
                column.in_(chunk), audit_events.c.payload.like(f'%"{CONTENT_REF}"%')))
            for row in rows:
                found.update(refs(json.loads(row.payload)))
    live = []
    for chunk in chunks(sorted(found)):
        live += conn.execute(sa.select(audit_contents.c.id).where(
            audit_contents.c.id.in_(chunk), audit_contents.c.erased_at.is_(None))).scalars().all()
    return sorted(live)


def kept_texts(engine: sa.Engine, events: Iterable[Event]) -> dict[int, list[dict]]:
    """For each event (by seq), the personal texts its chained payload references, in order and once each,
    so an export can let someone outside tie every text to the chain with `content_digest`.

    Each is a dict: ref; stored (False when the content store has no row for it); salt and text (None once
    erased); erased_at, erased_by and reason (None while kept).
    """
    refs_of = {event.seq: list(dict.fromkeys(refs(event.payload if event.chained_payload is None
                                                  else event.chained_payload)))
               for event in events}
    wanted = sorted({ref for held in refs_of.values() for ref in held})
    names = ("salt", "text", "erased_at", "erased_by", "reason")
    rows = {}
    if wanted:
        with engine.connect() as conn:
            rows = contents(conn, wanted, columns=[audit_contents.c.id, *(audit_contents.c[name] for name in names)])

    def facts(ref: str) -> dict:
        row = rows.get(ref)
        return {"ref": ref, "stored": row is not None,
                **{name: None if row is None else getattr(row, name) for name in names}}
    return {seq: [facts(ref) for ref in held] for seq, held in refs_of.items()}
