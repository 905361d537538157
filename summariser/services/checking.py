"""The checks of every document's text, run in the background worker soon after the file is added.

Why: screening for prompt injection (and scoring a letter for vulnerability) embeds every sentence, which took
longer than storing and indexing the file (bench/ingest.py); an officer adding files should not wait for it. The
worker walks every held document in id order, a page at a time, and each check works out and stores what it lacks
(summariser/checks/results.py). A process starts from the first document, so a retrained model, or documents added
while no worker ran, are caught up; then it follows new ids as they come. Several workers may walk at once: a
result is stored once, whoever finishes first. Nothing depends on the walk being prompt: a draft works out any
screening still missing before it uses a document.
"""
from __future__ import annotations

import logging
import threading
from typing import Callable, Sequence

from retrieval.records.store import CaseRecords, Document

log = logging.getLogger(__name__)

Check = Callable[[list[Document]], object]  # works out and stores what these documents lack


class BackgroundChecks:
    """Runs `checks` over every held document, `page` at a time, from the lowest id up, then on each new one."""

    def __init__(self, records: CaseRecords, checks: Sequence[Check], page: int = 16):
        self.records, self.checks, self.page = records, tuple(checks), page
        self.after = 0  # the highest document id this process has checked

    def run_once(self) -> int:
        """Check the next page of documents; returns how many it looked at (0: none are new). A page whose check
        fails is passed over all the same (and the error raised): a document the detector chokes on must not hold
        up every one after it, and a draft checks it before using it anyway."""
        documents = self.records.documents_after(self.after, self.page)
        if not documents:
            return 0
        try:
            for check in self.checks:
                check(documents)
        finally:
            self.after = documents[-1].id
        return len(documents)

    def run_all(self) -> int:
        """Check every document not checked yet, now (a batch, such as loading the demo, or a test); returns how
        many documents were looked at."""
        looked = 0
        while found := self.run_once():
            looked += found
        return looked

    def run_until(self, stop: threading.Event, idle_s: float = 2.0) -> None:
        """Check documents until `stop` is set: page after page, then every `idle_s` for new ones. A failure is
        logged, never allowed to stop the worker's reading."""
        while not stop.is_set():
            try:
                if self.run_once():
                    continue
            except Exception:  # the database away for a moment, a document the detector chokes on
                log.exception("Checking documents up to id %s failed; a draft will check them before using them.",
                              self.after)
            stop.wait(idle_s)
