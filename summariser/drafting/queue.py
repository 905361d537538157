"""First come, first served turns at a local model, which can serve one draft at a time.

Everyone waiting is told their place as it changes, and a waiter that is
stopped (a closed tab) leaves the queue rather than blocking it.
"""
from __future__ import annotations

import itertools
import threading
from contextlib import contextmanager
from typing import Callable, Iterator


class ModelQueue:
    def __init__(self):
        self._changed = threading.Condition()
        self._tickets = itertools.count()
        self._waiting: list[int] = []

    def __len__(self) -> int:
        return len(self._waiting)

    @contextmanager
    def turn(self, on_wait: Callable[[int], None] = lambda ahead: None) -> Iterator[None]:
        """Hold the model for the duration of the block; `on_wait(ahead)` reports how many are in front."""
        with self._changed:
            ticket = next(self._tickets)
            self._waiting.append(ticket)
            told = None
            try:
                while (ahead := self._waiting.index(ticket)) > 0:
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
