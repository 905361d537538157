"""Facts read from passages, in SQL: read once per passage text, model and prompt, then reused.

Why: reading a passage costs the model seconds to a minute, while the same
text recurs across drafts, re-ingests and copies of one letter. So facts are
keyed by (passage text SHA-256, model id, prompt name, prompt version) and
never by document: a key that has its facts is never read again, and a change
of model or prompt version is a new key. Each key's row also carries the
background worker's progress on it, so that several workers on several
machines agree through the database alone: a claim is one conditional UPDATE
(only one worker reads a key at a time, on SQLite and PostgreSQL), a live
worker renews it, and a claim nobody renewed for ``stale_after_s`` belongs to
a dead worker and may be taken over.

Rows are created only by ``add_pending`` (when passages are queued), never by
a claim or a finish: a reading that ends after its passage was erased finds
no row and stores nothing. This module is the only one reading or writing the
``readings`` and ``facts`` tables.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from itertools import groupby
from typing import Iterable, NamedTuple, Sequence

import sqlalchemy as sa
from sqlalchemy import Engine
from sqlalchemy.dialects import postgresql, sqlite

from schema import facts as facts_table, readings
from summariser.reading.model import ReadFact, Reading

PENDING, READING, DONE, FAILED = "pending", "reading", "done", "failed"
STATUSES = (PENDING, READING, DONE, FAILED)
BATCH = 500  # keys per IN (...) list: well under SQLite's limit on bound parameters


class ReadingKey(NamedTuple):
    """What a passage's facts are stored under; a new model or prompt version is a new key."""
    passage_sha256: str
    model_id: str
    prompt_name: str
    prompt_version: str

    @property
    def identity(self) -> tuple[str, str, str]:
        return self.model_id, self.prompt_name, self.prompt_version


class Located(NamedTuple):
    """A key to read and one passage holding its text (ids only: the text stays in the records)."""
    key: ReadingKey
    document_id: int
    chunk_id: str


@dataclass(frozen=True)
class Progress:
    total: int
    done: int
    failed: int
    reading: int
    pending: int  # includes keys never queued

    @property
    def finished(self) -> bool:
        return self.done + self.failed == self.total


@dataclass(frozen=True)
class Failure:
    key: ReadingKey
    error: str
    attempts: int
    finished_at: datetime | None


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _batches(keys: Iterable[ReadingKey]):
    """Keys grouped by (model, prompt, version), in lists short enough for one IN (...)."""
    ordered = sorted(set(keys), key=lambda k: (k.identity, k.passage_sha256))
    for identity, group in groupby(ordered, key=lambda k: k.identity):
        hashes = [k.passage_sha256 for k in group]
        for first in range(0, len(hashes), BATCH):
            yield identity, hashes[first:first + BATCH]


def _of(identity: tuple[str, str, str], hashes: Sequence[str]):
    model_id, prompt_name, prompt_version = identity
    return sa.and_(readings.c.model_id == model_id, readings.c.prompt_name == prompt_name,
                   readings.c.prompt_version == prompt_version, readings.c.passage_sha256.in_(list(hashes)))


def _is(key: ReadingKey):
    return _of(key.identity, [key.passage_sha256])


def _key(row) -> ReadingKey:
    return ReadingKey(row.passage_sha256, row.model_id, row.prompt_name, row.prompt_version)


class FactStore:
    def __init__(self, engine: Engine):
        self.engine = engine

    # queueing and claiming ---------------------------------------------------
    def add_pending(self, located: Iterable[Located]) -> None:
        """Record keys to read (and where their text lies); keys already known are left as they are."""
        rows = [dict(passage_sha256=k.passage_sha256, model_id=k.model_id, prompt_name=k.prompt_name,
                     prompt_version=k.prompt_version, status=PENDING, attempts=0, document_id=document_id,
                     chunk_id=chunk_id, created_at=_now())
                for k, document_id, chunk_id in {item.key: item for item in located}.values()]
        if not rows:
            return
        insert = (postgresql.insert if self.engine.dialect.name == "postgresql" else sqlite.insert)(readings)
        with self.engine.begin() as conn:
            for first in range(0, len(rows), BATCH):
                conn.execute(insert.on_conflict_do_nothing(), rows[first:first + BATCH])

    def claim(self, key: ReadingKey, worker_id: str, stale_after_s: float) -> bool:
        """Take a pending key, or one whose claim went stale, for this worker; False if another holds it.

        One UPDATE with the condition in its WHERE: PostgreSQL re-checks the
        condition after a concurrent claim commits, SQLite runs writers one at
        a time, so exactly one of two racing claims wins on both.
        """
        now = _now()
        stale = now - timedelta(seconds=stale_after_s)
        claimable = sa.or_(readings.c.status == PENDING,
                           sa.and_(readings.c.status == READING, readings.c.claimed_at < stale))
        with self.engine.begin() as conn:
            won = conn.execute(readings.update().where(_is(key), claimable).values(
                status=READING, claimed_by=worker_id, claimed_at=now, attempts=readings.c.attempts + 1)).rowcount
        return won == 1

    def renew(self, key: ReadingKey, worker_id: str) -> bool:
        """The reading worker's heartbeat: keeps its claim fresh; False if it no longer holds it."""
        with self.engine.begin() as conn:
            return conn.execute(readings.update().where(
                _is(key), readings.c.status == READING, readings.c.claimed_by == worker_id)
                .values(claimed_at=_now())).rowcount == 1

    def finish(self, key: ReadingKey, reading: Reading) -> bool:
        """Store a reading's facts and mark the key done, in one transaction.

        Idempotent: only the first finish of a key stores facts; a later one
        (a worker that took over a stale claim, a repeated job) returns False
        and changes nothing. A key with no row (erased meanwhile) stores nothing.
        """
        if (reading.model_id, reading.prompt_name, reading.prompt_version) != key.identity:
            raise ValueError(f"A reading by {reading.model_id} / {reading.prompt_name} {reading.prompt_version} "
                             f"cannot be stored under {key.identity}.")
        with self.engine.begin() as conn:
            won = conn.execute(readings.update().where(_is(key), readings.c.status != DONE).values(
                status=DONE, error=None, claimed_by=None, finished_at=_now(), output_tokens=reading.output_tokens,
                seconds=reading.seconds)).rowcount
            if won != 1:
                return False
            reading_id = conn.execute(sa.select(readings.c.id).where(_is(key))).scalar_one()
            conn.execute(facts_table.delete().where(facts_table.c.reading_id == reading_id))
            if reading.facts:
                conn.execute(facts_table.insert(), [
                    dict(reading_id=reading_id, position=n, kind=f.kind, date=f.date, quote=f.quote, start=f.start,
                         end=f.end, wording=f.wording, accepted=f.accepted, reason=f.reason, detail=f.detail)
                    for n, f in enumerate(reading.facts)])
        return True

    def fail(self, key: ReadingKey, error: str, final: bool) -> None:
        """Record a failed attempt: back to pending for the next try, or failed (shown with Retry) if final."""
        values = dict(status=FAILED, finished_at=_now()) if final else dict(status=PENDING)
        with self.engine.begin() as conn:
            conn.execute(readings.update().where(_is(key), readings.c.status != DONE)
                         .values(error=error, claimed_by=None, claimed_at=None, **values))

    def reset_failed(self, keys: Iterable[ReadingKey]) -> list[Located]:
        """Make failed keys pending again (the Retry button); returns them with their passage, to queue."""
        found = self._located(keys, [FAILED])
        with self.engine.begin() as conn:
            for identity, hashes in _batches(item.key for item in found):
                conn.execute(readings.update().where(_of(identity, hashes), readings.c.status == FAILED)
                             .values(status=PENDING, error=None, finished_at=None))
        return found

    def unfinished(self) -> list[Located]:
        """Every key pending or being read, with its passage: what a starting worker queues again."""
        with self.engine.connect() as conn:
            rows = conn.execute(sa.select(readings).where(readings.c.status.in_([PENDING, READING]),
                                                          readings.c.document_id.is_not(None))
                                .order_by(readings.c.id)).all()
        return [Located(_key(r), r.document_id, r.chunk_id) for r in rows]

    def _located(self, keys: Iterable[ReadingKey], statuses: Sequence[str]) -> list[Located]:
        found = []
        with self.engine.connect() as conn:
            for identity, hashes in _batches(keys):
                rows = conn.execute(sa.select(readings).where(_of(identity, hashes),
                                                              readings.c.status.in_(list(statuses)))
                                    .order_by(readings.c.id))
                found += [Located(_key(r), r.document_id, r.chunk_id) for r in rows]
        return found

    # reading back -------------------------------------------------------------
    def _rows(self, keys: Iterable[ReadingKey], *columns) -> list:
        with self.engine.connect() as conn:
            return [row for identity, hashes in _batches(keys)
                    for row in conn.execute(sa.select(*columns).where(_of(identity, hashes)))]

    def status(self, keys: Iterable[ReadingKey]) -> dict[ReadingKey, str]:
        """Each key's status; a key never queued is absent."""
        return {_key(r): r.status for r in self._rows(keys, readings.c.passage_sha256, readings.c.model_id,
                                                      readings.c.prompt_name, readings.c.prompt_version,
                                                      readings.c.status)}

    def progress(self, keys: Iterable[ReadingKey]) -> Progress:
        keys = set(keys)
        counts = {s: 0 for s in STATUSES}
        for status in self.status(keys).values():
            counts[status] += 1
        return Progress(total=len(keys), done=counts[DONE], failed=counts[FAILED], reading=counts[READING],
                        pending=len(keys) - counts[DONE] - counts[FAILED] - counts[READING])

    def failures(self, keys: Iterable[ReadingKey]) -> list[Failure]:
        rows = [r for r in self._rows(keys, readings) if r.status == FAILED]
        return [Failure(_key(r), r.error or "", r.attempts, r.finished_at) for r in sorted(rows, key=lambda r: r.id)]

    def facts(self, keys: Iterable[ReadingKey], accepted_only: bool = True) -> dict[str, list[ReadFact]]:
        """The facts of every key that is done, by passage SHA-256, in the order they were read."""
        found: dict[str, list[ReadFact]] = {}
        with self.engine.connect() as conn:
            for identity, hashes in _batches(keys):
                query = (sa.select(readings.c.passage_sha256, facts_table)
                         .join(facts_table, facts_table.c.reading_id == readings.c.id)
                         .where(_of(identity, hashes), readings.c.status == DONE)
                         .order_by(readings.c.passage_sha256, facts_table.c.position))
                if accepted_only:
                    query = query.where(facts_table.c.accepted.is_(True))
                done = conn.execute(sa.select(readings.c.passage_sha256)
                                    .where(_of(identity, hashes), readings.c.status == DONE)).scalars()
                found.update({sha: [] for sha in done})
                for row in conn.execute(query):
                    found[row.passage_sha256].append(ReadFact(
                        kind=row.kind, date=row.date, quote=row.quote, start=row.start, end=row.end,
                        wording=row.wording, accepted=row.accepted, reason=row.reason, detail=row.detail))
        return found

    # erasure --------------------------------------------------------------------
    def erase(self, passage_sha256s: Iterable[str], keep: Iterable[str] = ()) -> int:
        """Delete the readings and facts of these passage texts, under every model and prompt.

        The caller computes the hashes of the erased documents' passages (before
        their text is erased) and, in ``keep``, those of passages still held by
        documents not erased: a text another person's document also holds keeps
        its facts. Returns the number of readings deleted.
        """
        doomed = sorted(set(passage_sha256s) - set(keep))
        deleted = 0
        with self.engine.begin() as conn:
            for first in range(0, len(doomed), BATCH):
                ids = sa.select(readings.c.id).where(readings.c.passage_sha256.in_(doomed[first:first + BATCH]))
                conn.execute(facts_table.delete().where(facts_table.c.reading_id.in_(ids)))
                deleted += conn.execute(readings.delete().where(readings.c.id.in_(ids))).rowcount
        return deleted
