"""The worker process that reads queued passages: huey's own consumer, run in this process.

Why in-process rather than huey's ``huey_consumer`` command: the tasks are
registered on a queue built from Settings (SQLite or Redis), so the consumer
must be built by the same code; ``cli.py worker`` and ``make run`` call
``run_worker``. One worker runs as a thread of this process; several run as
forked processes, each loading its own model once (a llama.cpp model reads
one passage at a time, so threads sharing it would gain nothing).

Beside the readers, a thread of this process checks every document's text (summariser/services/checking.py): it
starts once the consumer has started its workers, as a process forked while it embeds could hang.
"""
from __future__ import annotations

import logging
import threading
import time

from settings import Settings
from summariser.reading.jobs import ReadingJobs
from summariser.services.checking import BackgroundChecks

log = logging.getLogger(__name__)


def run_worker(settings: Settings, workers: int = 1, jobs: ReadingJobs | None = None,
               checks: BackgroundChecks | None = None) -> None:
    """Queue again whatever a dead worker left, then read passages, and check documents, until stopped (Ctrl+C,
    SIGINT or SIGTERM)."""
    if not logging.getLogger().handlers:
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    if jobs is None:
        from summariser.wiring import build_reading  # the composition root; imported here to keep layers one-way
        jobs = build_reading(settings)
    if checks is None:
        from summariser.wiring import build_checks
        checks = build_checks(settings)
    recovered = jobs.recover()
    if recovered:
        log.info("Queued %d passages again that were pending or being read when a worker stopped.", recovered)
    consumer = jobs.huey.create_consumer(
        workers=workers, worker_type="process" if workers > 1 else "thread", periodic=False,
        initial_delay=0.1, max_delay=1.0, check_worker_health=True)
    stop = threading.Event()
    threading.Thread(target=_check_once_started, args=(consumer, checks, stop), name="document-checks",
                     daemon=True).start()
    try:
        consumer.run()
    finally:
        stop.set()


def _check_once_started(consumer, checks: BackgroundChecks, stop: threading.Event) -> None:
    """Check documents once the consumer's workers are running (forked, if processes), until `stop`."""
    while not stop.is_set() and not all(getattr(process, "is_alive", lambda: True)()
                                        for _, process in consumer.worker_threads):
        time.sleep(0.1)
    checks.run_until(stop)
