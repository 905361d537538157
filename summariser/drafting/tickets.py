"""Tickets for turns at a model, in SQL, so that every app instance on one database waits in the same line.

Why the database: it is the one thing every app instance already shares (SQLite for one machine, PostgreSQL
for many), so the line needs no new server, and an officer's place in it is a count any instance can make.
A ticket is a row: its queue (one per model endpoint), its order (the id), whether it holds a turn, and a
heartbeat its process renews. A process that was killed stops renewing, so its ticket goes stale and is
ignored, then removed by the next claim. Times are the database's clock, never a machine's, so app
instances on machines whose clocks differ still agree on what is stale.

Taking a turn is the one step that must not race: it runs under a lock per queue (PostgreSQL's advisory
transaction lock; SQLite's single writer, taken by the sweep that opens the transaction), so no more than
`slots` tickets ever hold a turn. This module is the only one reading or writing ``model_queue_tickets``.
"""
from __future__ import annotations

import hashlib

import sqlalchemy as sa
from sqlalchemy import Engine

from schema import model_queue_tickets as tickets

UNIX_EPOCH_JULIAN_DAY = 2440587.5


def _clock(dialect: str):
    """The database's time now, in seconds since 1970 (PostgreSQL: microseconds; SQLite: milliseconds)."""
    if dialect == "postgresql":
        return sa.cast(sa.extract("epoch", sa.func.clock_timestamp()), sa.Float)
    return (sa.func.julianday("now") - UNIX_EPOCH_JULIAN_DAY) * 86400.0


class ModelTickets:
    """The tickets of one queue."""

    def __init__(self, engine: Engine, queue: str):
        self.engine, self.queue = engine, queue
        self._dialect = engine.dialect.name
        # PostgreSQL's advisory locks take a 64-bit number: the queue name's hash, the same in every process
        self._lock_key = int.from_bytes(hashlib.sha256(f"model queue {queue}".encode()).digest()[:8], "big",
                                        signed=True)

    def _live(self, stale_after_s: float):
        return sa.and_(tickets.c.queue == self.queue, tickets.c.heartbeat_s >= _clock(self._dialect) - stale_after_s)

    def _ahead_of(self, ticket: int, stale_after_s: float):
        """Live tickets that go before this one: those holding a turn, and those waiting since before it."""
        return (sa.select(sa.func.count()).select_from(tickets)
                .where(self._live(stale_after_s), tickets.c.id != ticket,
                       sa.or_(tickets.c.held, tickets.c.id < ticket)))

    def _sweep(self, conn, stale_after_s: float) -> None:
        """Remove the tickets of processes that stopped renewing them (killed, or cut off from the database)."""
        conn.execute(sa.delete(tickets).where(tickets.c.queue == self.queue,
                                              tickets.c.heartbeat_s < _clock(self._dialect) - stale_after_s))

    def enter(self, holder: str, slots: int, stale_after_s: float) -> tuple[int, int]:
        """A new ticket at the back of the line (its id is its place in the order), which takes a turn at once
        if there is one free: returns the ticket and how many go before it, as `claim` does."""
        with self.engine.begin() as conn:
            self._lock(conn)
            now = _clock(self._dialect)
            ticket = conn.execute(sa.insert(tickets).values(queue=self.queue, holder=holder, held=False,
                                                            entered_s=now, heartbeat_s=now)
                                  .returning(tickets.c.id)).scalar_one()
            return ticket, self._take(conn, ticket, slots, stale_after_s)

    def ahead(self, ticket: int, stale_after_s: float) -> int:
        """How many live tickets go before this one (a read: waiting costs the database no writes)."""
        with self.engine.connect() as conn:
            return conn.execute(self._ahead_of(ticket, stale_after_s)).scalar_one()

    def claim(self, ticket: int, holder: str, slots: int, stale_after_s: float) -> int:
        """Take a turn if fewer than `slots` live tickets go before this one; returns how many do (so the turn
        was taken when that is below `slots`). Stale tickets are removed first."""
        with self.engine.begin() as conn:
            self._lock(conn)
            self._renew(conn, ticket, holder, held=False)
            return self._take(conn, ticket, slots, stale_after_s)

    def _lock(self, conn) -> None:
        """Take the queue's lock until the transaction ends. SQLite has one writer at a time, and the
        transaction's first statement is a write (pysqlite begins it there), so it holds that lock already."""
        if self._dialect == "postgresql":
            conn.execute(sa.select(sa.func.pg_advisory_xact_lock(self._lock_key)))

    def _take(self, conn, ticket: int, slots: int, stale_after_s: float) -> int:
        """Under the lock: remove stale tickets, then take a turn if fewer than `slots` go before this one."""
        self._sweep(conn, stale_after_s)
        ahead = conn.execute(self._ahead_of(ticket, stale_after_s)).scalar_one()
        if ahead < slots:
            conn.execute(sa.update(tickets).where(tickets.c.id == ticket).values(held=True))
        return ahead

    def renew(self, ticket: int, holder: str, held: bool) -> None:
        """The heartbeat of a waiting or holding ticket."""
        with self.engine.begin() as conn:
            self._renew(conn, ticket, holder, held)

    def _renew(self, conn, ticket: int, holder: str, held: bool) -> None:
        """Renew the heartbeat; a ticket swept while its process was alive (paused, or cut off from the database
        for longer than the stale time) is put back under its own id, so it keeps its place."""
        now = _clock(self._dialect)
        renewed = conn.execute(sa.update(tickets).where(tickets.c.id == ticket).values(heartbeat_s=now)).rowcount
        if not renewed:
            conn.execute(sa.insert(tickets).values(id=ticket, queue=self.queue, holder=holder, held=held,
                                                   entered_s=now, heartbeat_s=now))

    def leave(self, ticket: int) -> None:
        with self.engine.begin() as conn:
            conn.execute(sa.delete(tickets).where(tickets.c.id == ticket))

    def live(self, stale_after_s: float) -> int:
        """Live tickets in the line, holding or waiting."""
        with self.engine.connect() as conn:
            return conn.execute(sa.select(sa.func.count()).select_from(tickets)
                                .where(self._live(stale_after_s))).scalar_one()
