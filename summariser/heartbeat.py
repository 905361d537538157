"""A claim renewed in the background while work holds it, so that only a dead process's claim goes stale.

Shared by the reading worker (a claim on a passage) and the model queue (a ticket in the line)."""
from __future__ import annotations

import logging
import threading
from typing import Callable

log = logging.getLogger(__name__)


class Heartbeat:
    """Calls `renew` every `every_s` seconds for the duration of a `with` block; a failed renewal is logged,
    since a missed beat only risks the claim being taken over, which both owners make harmless."""

    def __init__(self, renew: Callable[[], None], every_s: float, what: str):
        self.renew, self.every_s, self.what = renew, every_s, what
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._beat, name=f"heartbeat: {what}", daemon=True)

    def _beat(self) -> None:
        while not self._stop.wait(self.every_s):
            try:
                self.renew()
            except Exception:
                log.warning("Could not renew the claim on %s.", self.what, exc_info=True)

    def __enter__(self) -> "Heartbeat":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()
