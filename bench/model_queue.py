"""The shared model queue's cost: a turn nobody waits for, and the hand-off from one app instance to the next.

For the in-process line, SQLite (a temporary file) and PostgreSQL (a temporary database on the server the
tests use; skipped with a message when unreachable) it prints:
- turn_ms: one uncontested turn (enter, look, claim, leave), averaged over --turns, next to the raw library
  doing the least a shared line must (one INSERT and one DELETE, each its own transaction: raw_ms);
- handoff_ms: from one instance leaving its turn to the next instance (its own engine and queue object, so it
  is woken only by polling, as another process would be) starting its own, median over --handoffs; bounded
  by the poll interval (POLL_S; the turn ends at a random point of it), next to the same hand-off within one
  queue object (woken at once).
Run:
    .venv/bin/python bench/model_queue.py [--turns 300] [--handoffs 20] [--no-postgres]
"""
from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from database import make_engine, migrate  # noqa: E402
from schema import model_queue_tickets  # noqa: E402
from summariser.drafting.queue import ModelQueue, SharedModelQueue  # noqa: E402

PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/test"


def per_turn_ms(queue, turns: int) -> float:
    started = time.perf_counter()
    for _ in range(turns):
        with queue.turn():
            pass
    return (time.perf_counter() - started) / turns * 1000


def raw_ms(engine, turns: int) -> float:
    started = time.perf_counter()
    for _ in range(turns):
        with engine.begin() as conn:
            ticket = conn.execute(sa.insert(model_queue_tickets).values(
                queue="raw", holder="raw", held=True, entered_s=0.0, heartbeat_s=0.0)
                .returning(model_queue_tickets.c.id)).scalar_one()
        with engine.begin() as conn:
            conn.execute(sa.delete(model_queue_tickets).where(model_queue_tickets.c.id == ticket))
    return (time.perf_counter() - started) / turns * 1000


def handoff_ms(first, second, handoffs: int) -> float:
    """The median time from `first` leaving its turn to `second`, already waiting, starting its own."""
    times = []
    for _ in range(handoffs):
        holding, left, started = threading.Event(), [0.0], [0.0]

        def wait_turn():
            holding.wait()
            with second.turn():
                started[0] = time.perf_counter()

        waiter = threading.Thread(target=wait_turn)
        with first.turn():
            waiter.start()
            holding.set()
            while len(second) < 2:  # the waiter has its ticket
                time.sleep(0.005)
            time.sleep(random.uniform(0, getattr(first, "poll_s", 0)))  # a draft ends at any point of a poll
            left[0] = time.perf_counter()
        waiter.join()
        times.append((started[0] - left[0]) * 1000)
    return statistics.median(times)


def measure(label: str, url: str | None, turns: int, handoffs: int) -> None:
    if url is None:
        one = ModelQueue()
        print(f"{label}: turn_ms={per_turn_ms(one, turns):.3f} handoff_ms(same object)="
              f"{handoff_ms(one, one, handoffs):.1f}")
        return
    engines = [make_engine(url), make_engine(url)]
    migrate(engines[0])
    a = SharedModelQueue(engines[0], "bench")
    b = SharedModelQueue(engines[1], "bench")
    turn, raw = per_turn_ms(a, turns), raw_ms(engines[0], turns)
    print(f"{label}: turn_ms={turn:.2f} raw_ms={raw:.2f} ratio={turn / raw:.2f} "
          f"handoff_ms(other instance)={handoff_ms(a, b, handoffs):.0f} "
          f"handoff_ms(same object)={handoff_ms(a, a, handoffs):.1f} (poll every {a.poll_s * 1000:.0f} ms)")
    for engine in engines:
        engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--turns", type=int, default=300)
    parser.add_argument("--handoffs", type=int, default=20)
    parser.add_argument("--no-postgres", action="store_true")
    args = parser.parse_args()
    measure("in-process", None, args.turns, args.handoffs)
    with tempfile.TemporaryDirectory() as folder:
        measure("sqlite", f"sqlite:///{Path(folder) / 'bench.db'}", args.turns, args.handoffs)
    if args.no_postgres:
        return
    admin = sa.create_engine(PG_ADMIN.replace("postgresql://", "postgresql+psycopg://"), isolation_level="AUTOCOMMIT")
    name = f"casework_bench_{uuid.uuid4().hex[:8]}"
    try:
        with admin.connect() as conn:
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    except sa.exc.OperationalError as error:
        print(f"postgresql: skipped ({error.__class__.__name__}: the server at {PG_ADMIN} is unreachable)")
        return
    try:
        measure("postgresql", PG_ADMIN.rsplit("/", 1)[0] + f"/{name}", args.turns, args.handoffs)
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


if __name__ == "__main__":
    main()
