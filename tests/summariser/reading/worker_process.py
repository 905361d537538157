"""A real reading worker process for the tests: the real queue, database and huey consumer, a fake reader.

Run as `python worker_process.py LOG SLEEP_S [WORKERS]` with the project on PYTHONPATH and the settings in
the environment. The reader appends one line to LOG when it is built and when each reading starts and
ends, so a test can count, across processes, how many times each passage was read and by whom.
"""
from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from summariser.reading.model import ReadFact, Reading

IDENTITY = ("fake-reader", "passage_facts", "test")


class LoggingReader:
    identity = IDENTITY

    def __init__(self, log: Path | None = None, sleep_s: float = 0.0):
        self.log, self.sleep_s = log, sleep_s
        self._write("built", "-")

    def _write(self, event: str, sha256: str) -> None:
        if self.log:
            with open(self.log, "a") as out:  # one short append: atomic between processes
                out.write(f"{event} {sha256} {os.getpid()}\n")

    def read(self, passage) -> Reading:
        self._write("start", passage.sha256)
        time.sleep(self.sleep_s)
        quote = passage.text[:20]
        facts = (ReadFact("other", None, quote, 0, len(quote), None, True, None),
                 ReadFact("money", None, "£0 owed", -1, -1, None, False, "quote_not_found"))
        self._write("done", passage.sha256)
        return Reading(facts, *IDENTITY, output_tokens=10, seconds=self.sleep_s)


def events(log: Path) -> list[tuple[str, str, str]]:
    return [tuple(line.split()) for line in log.read_text().splitlines()] if log.exists() else []


if __name__ == "__main__":
    from settings import Settings
    from summariser.reading.worker import run_worker
    from summariser.wiring import build_reading

    log, sleep_s = Path(sys.argv[1]), float(sys.argv[2])
    workers = int(sys.argv[3]) if len(sys.argv) > 3 else 1
    settings = Settings()
    run_worker(settings, workers, build_reading(settings, make_reader=lambda: LoggingReader(log, sleep_s)))
