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

A document whose addition the audit log does not record yet (its upload still going, or its process stopped before
recording it) is put aside and checked on a later round, once it is recorded, so the log never shows a flag before
the addition. Each round first records the additions left unrecorded too long (summariser/services/additions.py).
"""
from __future__ import annotations

import logging
import threading
import time
from typing import Callable, Sequence

from retrieval.records.store import CaseRecords, Document
from summariser.services.additions import DocumentAdditions

log = logging.getLogger(__name__)

Check = Callable[[list[Document]], object]  # works out and stores what these documents lack
GAP_WAIT_S = 600.0  # an upload's transaction open longer than this is past being waited for
GAPS_KEPT = 256  # the highest ids skipped over: a rolled-back insert or an erased document leaves a gap for good


class BackgroundChecks:
    """Runs `checks` over every held document, `page` at a time, from the lowest id up, then on each new one."""

    def __init__(self, records: CaseRecords, checks: Sequence[Check], page: int = 16,
                 clock: Callable[[], float] = time.monotonic, additions: DocumentAdditions | None = None):
        self.records, self.checks, self.page, self.clock = records, tuple(checks), page, clock
        self.additions = additions  # records the additions left unrecorded too long; None: not done here
        self.after = 0  # the highest document id this process has checked
        self.gaps: dict[int, float] = {}  # ids below `after` not seen yet, and when each was skipped over
        self.unrecorded: set[int] = set()  # ids reached before their addition was recorded: checked once it is

    def run_once(self) -> int:
        """Record the additions left unrecorded too long, then check the next page of documents, any skipped id
        that has appeared since and any put aside whose addition is recorded now; returns how many it looked at
        (0: none are new). A page whose check fails is passed over all the same (and the error raised): a
        document the detector chokes on must not hold up every one after it, and a draft checks it before using
        it anyway."""
        self._record_late()
        late = self._late_arrivals()
        new = self.records.documents_after(self.after, self.page)
        if not late and not new:
            return 0
        waiting = self.records.unrecorded(d.id for d in late + new)
        documents = [d for d in late + new if d.id not in waiting]
        try:
            if documents:
                for check in self.checks:
                    check(documents)
        finally:
            for document in late:
                self.gaps.pop(document.id, None)
            self.unrecorded = (self.unrecorded - {d.id for d in late}) | waiting
            if new:
                self._skip_past(new)
        return len(documents) + sum(d.id in waiting for d in new)  # those put aside again are not new

    def _record_late(self) -> None:
        """A failure here holds up no check: what it did not record stays put aside until a later round does."""
        if self.additions is None:
            return
        try:
            self.additions.record_late()
        except Exception:
            log.exception("Recording the additions of documents whose audit event was lost failed; the next round "
                          "tries again.")

    def _late_arrivals(self) -> list[Document]:
        """Skipped ids that have appeared, and documents put aside, as held now (an erased one is dropped)."""
        now = self.clock()
        self.gaps = {i: skipped for i, skipped in self.gaps.items() if now - skipped < GAP_WAIT_S}
        wanted = self.gaps.keys() | self.unrecorded
        found = self.records.documents_with_ids(sorted(wanted)) if wanted else []
        self.unrecorded &= {d.id for d in found}
        return found

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
