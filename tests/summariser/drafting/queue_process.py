"""A process taking one turn at a shared model queue, for the tests: a stand-in for an app instance drafting.

Run as `python queue_process.py DATABASE_URL QUEUE SLOTS STALE_AFTER_S` with the project on PYTHONPATH. It
prints `place N` each time it is told its place, `holding` when its turn begins, and `done` once it has left
the line; its turn ends when a line arrives on its stdin (or when it is killed).
"""
from __future__ import annotations

import sys

from database import make_engine
from summariser.drafting.queue import SharedModelQueue

if __name__ == "__main__":
    url, name, slots, stale_after_s = sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4])
    queue = SharedModelQueue(make_engine(url), name, slots, stale_after_s=stale_after_s, poll_s=0.05)
    with queue.turn(lambda ahead: print(f"place {ahead}", flush=True)):
        print("holding", flush=True)
        sys.stdin.readline()
    print("done", flush=True)
