"""A model serves so many drafts at a time: the others wait in order and know their place, in one process or in
every app instance sharing the database (SQLite and PostgreSQL), and a killed instance's turn goes stale."""
from __future__ import annotations

import os
import queue as queues
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import sqlalchemy as sa

from database import make_engine, migrate
from schema import model_queue_tickets
from summariser.drafting.queue import ModelQueue, SharedModelQueue

PROJECT = Path(__file__).resolve().parents[3]
PROCESS = Path(__file__).resolve().parent / "queue_process.py"
NAME = "llamacpp on test-host"
STALE_S = 1.0  # short, so a killed holder's turn passes on quickly
PATIENCE_S = 60  # only so that a broken queue fails the test instead of hanging it; never a measure of speed


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def url(request, tmp_path):
    """A migrated database that several processes share."""
    url = f"sqlite:///{tmp_path / 'casework.db'}" if request.param == "sqlite" else request.getfixturevalue("pg_url")
    engine = make_engine(url)
    migrate(engine)
    engine.dispose()
    return url


@pytest.fixture(params=["in-process", "shared"])
def make_queue(request, tmp_path):
    """The line within one process, and the line shared through the database (SQLite here; PostgreSQL below)."""
    if request.param == "in-process":
        yield ModelQueue
        return
    engine = make_engine(f"sqlite:///{tmp_path / 'casework.db'}")
    migrate(engine)
    yield lambda slots=1: SharedModelQueue(engine, NAME, slots, stale_after_s=STALE_S, poll_s=0.05)
    engine.dispose()


def test_waiters_are_served_in_order_and_told_their_place(make_queue):
    queue, served, told = make_queue(), [], {}
    holding = threading.Event()
    release = threading.Event()

    def first():
        with queue.turn():
            holding.set()
            release.wait(5)
            served.append("first")

    def later(name):
        with queue.turn(lambda ahead: told.setdefault(name, []).append(ahead)):
            served.append(name)

    threads = [threading.Thread(target=first)]
    threads[0].start()
    holding.wait(5)
    for name in ("second", "third"):
        threads.append(threading.Thread(target=later, args=(name,)))
        threads[-1].start()
        time.sleep(0.2)
    assert len(queue) == 3
    release.set()
    [t.join(10) for t in threads]
    assert served == ["first", "second", "third"]
    assert told["second"] == [1] and told["third"][0] == 2  # third may also hear "1" as second is served
    assert len(queue) == 0


def test_a_waiter_that_is_stopped_leaves_the_queue(make_queue):
    queue = make_queue()
    with queue.turn():
        def stop_while_waiting(ahead):
            raise KeyboardInterrupt  # what a stopped Streamlit run looks like: not an Exception

        with pytest.raises(KeyboardInterrupt):
            with queue.turn(stop_while_waiting):
                pass
        assert len(queue) == 1
    with queue.turn():  # nobody is left blocking
        assert len(queue) == 1


def test_with_two_slots_two_are_served_at_once_and_the_third_waits(make_queue):
    queue, inside, told = make_queue(slots=2), threading.Barrier(3), []
    release, waiting = threading.Event(), threading.Event()

    def hold():
        with queue.turn():
            inside.wait(PATIENCE_S)  # both are inside at the same time, or this breaks
            release.wait(PATIENCE_S)

    holders = [threading.Thread(target=hold) for _ in range(2)]
    [t.start() for t in holders]
    inside.wait(PATIENCE_S)

    def third_turn():
        with queue.turn(lambda ahead: (told.append(ahead), waiting.set())):
            told.append("in")

    third = threading.Thread(target=third_turn)
    third.start()
    waiting.wait(PATIENCE_S)
    assert told == [2]
    release.set()
    [t.join(PATIENCE_S) for t in holders + [third]]
    assert told[-1] == "in" and len(queue) == 0


# Across processes: each `queue_process.py` is an app instance with its own engine, on one database -----------

class Instance:
    """A process taking one turn; its lines (`place N`, `holding`, `done`) are read as they come."""

    def __init__(self, url: str, slots: int = 1):
        self.process = subprocess.Popen(
            [sys.executable, str(PROCESS), url, NAME, str(slots), str(STALE_S)], cwd=PROJECT,
            env=dict(os.environ, PYTHONPATH=str(PROJECT)), stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            text=True, start_new_session=True)
        self.lines: queues.Queue[str] = queues.Queue()
        threading.Thread(target=lambda: [self.lines.put(line.strip()) for line in self.process.stdout],
                         daemon=True).start()

    def next_line(self) -> str:
        try:
            return self.lines.get(timeout=PATIENCE_S)
        except queues.Empty:
            raise AssertionError(f"the instance said nothing (exit code {self.process.poll()})") from None

    def release(self) -> None:
        self.process.stdin.write("\n")
        self.process.stdin.flush()
        assert self.next_line() == "done"
        assert self.process.wait(PATIENCE_S) == 0

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(PATIENCE_S)


@pytest.fixture
def instances():
    started: list[Instance] = []

    def start(url: str, slots: int = 1) -> Instance:
        started.append(Instance(url, slots))
        return started[-1]

    yield start
    for instance in started:
        if instance.process.poll() is None:
            instance.kill()


def test_a_second_instance_waits_at_place_one_and_goes_on_when_the_first_finishes(url, instances):
    first = instances(url)
    assert first.next_line() == "holding"
    second = instances(url)
    assert second.next_line() == "place 1"
    watcher = make_engine(url)
    line = SharedModelQueue(watcher, NAME)  # a third instance sees the same line
    assert len(line) == 2 and [held for _, held in tickets(url)] == [True, False]
    time.sleep(2.5 * STALE_S)  # the first is alive and renews its turn, so it never goes stale
    assert second.lines.empty() and len(line) == 2
    first.release()
    assert second.next_line() == "holding"
    second.release()
    assert len(line) == 0 and tickets(url) == []
    watcher.dispose()


def test_a_killed_holders_turn_goes_stale_and_the_next_goes_on(url, instances):
    first = instances(url)
    assert first.next_line() == "holding"
    second = instances(url)
    assert second.next_line() == "place 1"
    first.kill()  # no heartbeat from now on, and no chance to leave the line
    assert second.next_line() == "holding"
    assert len(tickets(url)) == 1  # the dead ticket was removed, not just passed over
    second.release()


def test_two_slots_let_two_instances_draft_at_once(url, instances):
    first, second = instances(url, slots=2), instances(url, slots=2)
    assert first.next_line() == "holding" and second.next_line() == "holding"
    third = instances(url, slots=2)
    assert third.next_line() == "place 2"
    second.release()
    assert third.next_line() == "holding"
    assert [held for _, held in tickets(url)] == [True, True]
    first.release()
    third.release()


def test_a_ticket_swept_while_its_process_lived_comes_back_in_its_place(tmp_path):
    """A paused process (or one cut off from the database) finds its ticket gone: its heartbeat puts it back under
    its own id, so it keeps its place, and a newcomer never gets that id (which would let the two share a row)."""
    engine = make_engine(f"sqlite:///{tmp_path / 'casework.db'}")
    migrate(engine)
    line = SharedModelQueue(engine, NAME, stale_after_s=STALE_S).tickets
    first, ahead_of_first = line.enter("first", 1, STALE_S)
    second, ahead_of_second = line.enter("second", 1, STALE_S)
    assert (ahead_of_first, ahead_of_second) == (0, 1)  # the first drafts, the second waits
    with engine.begin() as conn:  # both swept, as if their processes had stopped renewing them
        conn.execute(sa.delete(model_queue_tickets))
    third, ahead_of_third = line.enter("third", 1, STALE_S)
    assert third > second and ahead_of_third == 0  # a new id; with the others gone, the newcomer drafts
    line.renew(first, "first", held=True)  # the first's heartbeat: it was drafting all along
    line.renew(second, "second", held=False)
    assert line.claim(second, "second", 1, STALE_S) == 2  # back in its place, behind both drafting
    assert [(row.id, row.holder, row.held) for row in tickets_of(engine)] == [
        (first, "first", True), (second, "second", False), (third, "third", True)]
    engine.dispose()


def tickets_of(engine):
    with engine.connect() as conn:
        return conn.execute(sa.select(model_queue_tickets).order_by(model_queue_tickets.c.id)).all()


def tickets(url: str) -> list[tuple[int, bool]]:
    engine = make_engine(url)
    rows = [(row.id, row.held) for row in tickets_of(engine)]
    engine.dispose()
    return rows
