"""First come, first served turns at a model, which can serve only so many drafts at a time (`slots`).

Everyone waiting is told their place as it changes, and a waiter that is
stopped (a closed tab) leaves the queue rather than blocking it.
`ModelQueue` is the line within one process (unit tests, a single script);
`SharedModelQueue` is the line every app instance on one database waits in,
so several Streamlit processes, on one machine or many, share one model and
an officer's place is the same whichever instance serves them
(docs/decisions/0013-shared-model-queue.md).
"""
from __future__ import annotations

import itertools
import logging
import os
import socket
import threading
import time
from contextlib import contextmanager
from typing import Callable, Iterator

from sqlalchemy import Engine

from summariser.drafting.tickets import ModelTickets
from summariser.heartbeat import Heartbeat

log = logging.getLogger(__name__)
OnWait = Callable[[int], None]
STALE_AFTER_S = 10.0  # a ticket whose heartbeat is older was a killed process's: the next in line goes on
POLL_S = 0.5  # how often a waiter looks at the line again (at once when a turn in its own process ends)


class ModelQueue:
    """The line within this process."""

    def __init__(self, slots: int = 1):
        self.slots = slots
        self._changed = threading.Condition()
        self._tickets = itertools.count()
        self._waiting: list[int] = []

    def __len__(self) -> int:
        return len(self._waiting)

    @contextmanager
    def turn(self, on_wait: OnWait = lambda ahead: None) -> Iterator[None]:
        """Hold the model for the duration of the block; `on_wait(ahead)` reports how many are in front."""
        with self._changed:
            ticket = next(self._tickets)
            self._waiting.append(ticket)
            told = None
            try:
                while (ahead := self._waiting.index(ticket)) >= self.slots:
                    if ahead != told:
                        on_wait(ahead)
                        told = ahead
                    self._changed.wait(timeout=1.0)
            except BaseException:
                self._waiting.remove(ticket)
                self._changed.notify_all()
                raise
        try:
            yield
        finally:
            with self._changed:
                self._waiting.remove(ticket)
                self._changed.notify_all()


class SharedModelQueue:
    """The line for one model (`name`: its endpoint) that every process on this database shares.

    A waiter may go on when fewer than `slots` live tickets are before it (those drafting, and those that came
    first). Waiting is a read every `poll_s`, plus a heartbeat every quarter of `stale_after_s`; a turn that ends
    in this process wakes this process's waiters at once.
    """

    def __init__(self, engine: Engine, name: str, slots: int = 1, stale_after_s: float = STALE_AFTER_S,
                 poll_s: float = POLL_S):
        if slots < 1:
            raise ValueError("A model queue needs at least one slot.")
        self.tickets, self.name, self.slots = ModelTickets(engine, name), name, slots
        self.stale_after_s, self.poll_s, self.beat_s = stale_after_s, poll_s, stale_after_s / 4
        self._changed = threading.Condition()

    def __len__(self) -> int:
        """Drafts in the line, drafting or waiting, in every process."""
        return self.tickets.live(self.stale_after_s)

    @contextmanager
    def turn(self, on_wait: OnWait = lambda ahead: None) -> Iterator[None]:
        """Hold a turn at the model for the duration of the block; `on_wait(ahead)` reports how many are in
        front, in every process, as that changes."""
        holder = f"{socket.gethostname()} pid {os.getpid()} {threading.current_thread().name}"[:200]
        ticket, ahead = self.tickets.enter(holder, self.slots, self.stale_after_s)
        try:
            if ahead >= self.slots:
                self._wait(ticket, holder, ahead, on_wait)
        except BaseException:  # stopped while waiting (a closed tab raises no Exception): leave the line now
            self._leave(ticket)
            raise
        try:
            with Heartbeat(lambda: self.tickets.renew(ticket, holder, held=True), self.beat_s, "a turn at the model"):
                yield
        finally:
            self._leave(ticket)

    def _wait(self, ticket: int, holder: str, ahead: int, on_wait: OnWait) -> None:
        told, beat = None, time.monotonic()
        while ahead >= self.slots:
            if ahead != told:
                on_wait(ahead)
                told = ahead
            if time.monotonic() - beat >= self.beat_s:
                self.tickets.renew(ticket, holder, held=False)
                beat = time.monotonic()
            with self._changed:
                self._changed.wait(self.poll_s)
            ahead = self.tickets.ahead(ticket, self.stale_after_s)
            if ahead < self.slots:  # a free turn, as far as a read can tell: take it under the lock
                ahead = self.tickets.claim(ticket, holder, self.slots, self.stale_after_s)

    def _leave(self, ticket: int) -> None:
        try:
            self.tickets.leave(ticket)
        except Exception:  # the database is unreachable: the ticket goes stale and is removed by the next claim
            log.warning("Could not remove ticket %s from the model queue %s.", ticket, self.name, exc_info=True)
        with self._changed:
            self._changed.notify_all()
