"""One draft at a time on a local model: the others wait in order and know their place."""
from __future__ import annotations

import threading
import time

import pytest

from summariser.drafting.queue import ModelQueue


def test_waiters_are_served_in_order_and_told_their_place():
    queue, served, told = ModelQueue(), [], {}
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


def test_a_waiter_that_is_stopped_leaves_the_queue():
    queue = ModelQueue()
    with queue.turn():
        def stop_while_waiting(ahead):
            raise KeyboardInterrupt  # what a stopped Streamlit run looks like: not an Exception

        with pytest.raises(KeyboardInterrupt):
            with queue.turn(stop_while_waiting):
                pass
        assert len(queue) == 1
    with queue.turn():  # nobody is left blocking
        assert len(queue) == 1
