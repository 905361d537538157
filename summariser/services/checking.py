"""The checks of every document's text, run in the background worker soon after the file is added.

Why: screening for prompt injection (and scoring a letter for vulnerability) embeds every sentence, which took
longer than storing and indexing the file (bench/ingest.py); an officer adding files should not wait for it. The
worker walks every held document in id order, a page at a time, and each check works out and stores what it lacks
(summariser/checks/results.py). A process starts from the first document, so a retrained model, or documents added
while no worker ran, are caught up; then it follows new ids as they come. Several workers may walk at once: a
result is stored once, whoever finishes first. Nothing depends on the walk being prompt: a draft works out any
screening still missing before it uses a document.

On PostgreSQL an id is taken when a row is inserted but seen only when its transaction commits, so an upload that
commits after a later one has an id the walk has already passed. An id skipped over is therefore looked for again
on every round for a while (GAP_WAIT_S), and checked when it appears.
"""
from __future__ import annotations

import logging
import threading
import time
from typing import Callable, Sequence

from retrieval.records.store import CaseRecords, Document

log = logging.getLogger(__name__)

Check = Callable[[list[Document]], object]  # works out and stores what these documents lack
GAP_WAIT_S = 600.0  # an upload's transaction open longer than this is past being waited for
GAPS_KEPT = 256  # the highest ids skipped over: a rolled-back insert or an erased document leaves a gap for good


class BackgroundChecks:
    """Runs `checks` over every held document, `page` at a time, from the lowest id up, then on each new one."""

    def __init__(self, records: CaseRecords, checks: Sequence[Check], page: int = 16,
                 clock: Callable[[], float] = time.monotonic):
        self.records, self.checks, self.page, self.clock = records, tuple(checks), page, clock
        self.after = 0  # the highest document id this process has checked
        self.gaps: dict[int, float] = {}  # ids below `after` not seen yet, and when each was skipped over

    def run_once(self) -> int:
        """Check the next page of documents, and any skipped id that has appeared since; returns how many it
        looked at (0: none are new). A page whose check fails is passed over all the same (and the error raised):
        a document the detector chokes on must not hold up every one after it, and a draft checks it before
        using it anyway."""
        late = self._late_arrivals()
        new = self.records.documents_after(self.after, self.page)
        documents = late + new
        if not documents:
            return 0
        try:
            for check in self.checks:
                check(documents)
        finally:
            for document in late:
                del self.gaps[document.id]
            if new:
                self._skip_past(new)
        return len(documents)

    def _late_arrivals(self) -> list[Document]:
        now = self.clock()
        self.gaps = {i: skipped for i, skipped in self.gaps.items() if now - skipped < GAP_WAIT_S}
        return self.records.documents_with_ids(self.gaps) if self.gaps else []

    def _skip_past(self, new: list[Document]) -> None:
        seen, now = {d.id for d in new}, self.clock()
        self.gaps |= {i: now for i in range(max(self.after + 1, new[-1].id - GAPS_KEPT), new[-1].id) if i not in seen}
        self.gaps = dict(sorted(self.gaps.items())[-GAPS_KEPT:])
        self.after = new[-1].id

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
