"""Run one parse in a worker process that can be capped and killed.

Why: parsers meeting broken or hostile files can loop for ever, recurse deeply
or allocate gigabytes. Each parse runs in a worker: a plain Python subprocess
(``python -m retrieval.ingest.sandbox``) that imports the parser once and then
takes one job at a time over a pipe. A job runs under a memory cap (RLIMIT_AS,
set afresh for each job) and a wall-clock timeout, enforced here by killing the
worker. A subprocess, not multiprocessing: forking the app is unsafe once it
runs threads (torch, chromadb), and multiprocessing's spawn and forkserver
children re-run the caller's main script (the whole app start-up, or worse, an
unguarded script). Workers are kept warm, so a small file costs a round trip,
not an interpreter start; a worker that was killed, ran out of memory or failed
in an unexpected way is thrown away, never reused.
"""
from __future__ import annotations

import atexit
import importlib
import os
import pickle
import resource
import select
import signal
import struct
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any, Callable

from retrieval import errors

_PROJECT_ROOT = Path(__file__).resolve().parents[2]
_FRAME = struct.Struct("!Q")  # every message is its length, then a pickle
_START_TIMEOUT_S = 120.0  # importing the parsers on a busy machine; not counted against a file's timeout
_JOBS_PER_WORKER = 200  # then the worker is replaced, so slow leaks in a parser cannot build up
_IDLE_WORKERS = 2


def run_bounded(target: Callable[..., Any], args: tuple, *, timeout_s: float, memory_mb: int) -> Any:
    """Return ``target(*args)`` computed in a worker process.

    ``target`` must be a module-level function. A RetrievalError raised in the
    worker is raised again here; running over ``timeout_s`` raises ParseTimeout;
    running out of memory or the worker dying raises ParseTooComplex.
    """
    worker = _workers.take(target.__module__)
    reusable = False
    try:
        outcome = worker.run((target, args, memory_mb), timeout_s)
        reusable = outcome[0] == "ok" or not outcome[3]
    finally:
        _workers.give_back(worker, reusable)
    if outcome[0] == "ok":
        return outcome[1]
    raise _error_named(outcome[1], outcome[2])


class _Worker:
    """One worker process with the parser module imported, and the two pipes to it."""

    def __init__(self, preload: str):
        self.preload, self.jobs = preload, 0
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(p for p in (str(_PROJECT_ROOT), env.get("PYTHONPATH")) if p)
        # Its own process group: programs a job starts (OCR's Tesseract and Ghostscript) are killed with it.
        self.process = subprocess.Popen([sys.executable, "-m", __name__, preload], env=env,
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE, start_new_session=True)
        if self._receive(time.monotonic() + _START_TIMEOUT_S) != ("ready",):
            self.stop()
            raise errors.RetrievalError("The file reader could not be started. Try again; if it keeps "
                                        "failing, ask your administrator to check the installation.")

    def run(self, job: tuple, timeout_s: float) -> tuple:
        """Send one job and wait at most ``timeout_s`` for its outcome; a worker that overruns is killed."""
        self.jobs += 1
        try:
            _write_frame(self.process.stdin, pickle.dumps(job))
        except OSError:  # it died while idle
            self.stop()
            raise errors.ParseTooComplex() from None
        outcome = self._receive(time.monotonic() + timeout_s)
        if outcome is None:
            self.stop()
            raise errors.ParseTimeout(
                f"Reading this file took longer than {timeout_s:g} seconds and was stopped. It may be "
                "damaged or unusually complex: re-save it (for example print it to a new PDF) and add it again.")
        if outcome == ("died",):
            self.stop()
            raise errors.ParseTooComplex()
        return outcome

    def _receive(self, deadline: float) -> tuple | None:
        """The next message; None when the deadline passes first, ("died",) when the worker is gone."""
        fd = self.process.stdout.fileno()
        try:
            header = _read_exact(fd, _FRAME.size, deadline)
            if header is None:
                return None
            body = _read_exact(fd, _FRAME.unpack(header)[0], deadline)
            return None if body is None else pickle.loads(body)
        except EOFError:
            return ("died",)

    def alive(self) -> bool:
        return self.process.poll() is None

    def stop(self) -> None:
        if self.alive():
            try:
                os.killpg(self.process.pid, signal.SIGKILL)  # the worker leads its group, so its pid names it
            except OSError:
                self.process.kill()
        self.process.wait()
        for pipe in (self.process.stdin, self.process.stdout):
            try:
                pipe.close()
            except OSError:
                pass


class _Workers:
    """Idle workers, shared by the threads of the app; a worker serves one job at a time."""

    def __init__(self):
        self._idle: list[_Worker] = []
        self._lock = threading.Lock()

    def take(self, preload: str) -> _Worker:
        with self._lock:
            while self._idle:
                worker = self._idle.pop()
                if worker.preload == preload and worker.alive():
                    return worker
                worker.stop()
        return _Worker(preload)

    def give_back(self, worker: _Worker, reusable: bool) -> None:
        if reusable and worker.alive() and worker.jobs < _JOBS_PER_WORKER:
            with self._lock:
                if len(self._idle) < _IDLE_WORKERS:
                    self._idle.append(worker)
                    return
        worker.stop()

    def stop_all(self) -> None:
        with self._lock:
            idle, self._idle = self._idle, []
        for worker in idle:
            worker.stop()


_workers = _Workers()
atexit.register(_workers.stop_all)


def _write_frame(pipe, body: bytes) -> None:
    pipe.write(_FRAME.pack(len(body)) + body)
    pipe.flush()


def _readable(fd: int, timeout_s: float) -> bool:
    """Whether the pipe has something to read within the timeout. poll, not select: select refuses descriptors
    numbered 1024 or more, which a long-running app holding many files and connections can reach."""
    poller = select.poll()
    poller.register(fd, select.POLLIN | select.POLLHUP | select.POLLERR)
    return bool(poller.poll(timeout_s * 1000))


def _read_exact(fd: int, size: int, deadline: float | None) -> bytes | None:
    """Read ``size`` bytes; None if the deadline passes first, EOFError if the other side has gone."""
    parts, wanted = [], size
    while wanted:
        if deadline is not None:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not _readable(fd, remaining):
                return None
        part = os.read(fd, min(wanted, 1 << 20))
        if not part:
            raise EOFError
        parts.append(part)
        wanted -= len(part)
    return b"".join(parts)


def _error_named(name: str, message: str | None) -> errors.RetrievalError:
    """Rebuild the worker's error in this process; anything unknown counts as a damaged file."""
    error_class = getattr(errors, name, None)
    if not (isinstance(error_class, type) and issubclass(error_class, errors.RetrievalError)):
        error_class = errors.MalformedFile
    return error_class(message)


# --- the worker side ------------------------------------------------------------------------------

def _serve(preload: str) -> None:
    """Worker main loop: import the parser, say ready, then run jobs until the app closes the pipe."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is for the app, which stops its workers itself
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    replies = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)  # anything a parser prints goes to stderr, never into the replies
    requests = sys.stdin.buffer
    importlib.import_module(preload)
    _write_frame(replies, pickle.dumps(("ready",)))
    while True:
        try:
            header = _read_exact(requests.fileno(), _FRAME.size, None)
            target, args, memory_mb = pickle.loads(_read_exact(requests.fileno(), _FRAME.unpack(header)[0], None))
        except EOFError:
            return  # the app has gone
        _write_frame(replies, _run_job(target, args, memory_mb))


def _run_job(target: Callable[..., Any], args: tuple, memory_mb: int) -> bytes:
    """The pickled outcome: ("ok", result) or ("error", class name, message, retire the worker)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    _cap_memory(memory_mb)
    try:
        try:
            outcome = ("ok", target(*args))
        except errors.RetrievalError as error:
            outcome = ("error", type(error).__name__, str(error), isinstance(error, errors.ParseTooComplex))
        except MemoryError:
            outcome = ("error", "ParseTooComplex", None, True)
        except BaseException:  # noqa: BLE001 - any other failure of a parser means the file is damaged
            outcome = ("error", "MalformedFile", None, True)
        try:
            return pickle.dumps(outcome)
        except MemoryError:
            return pickle.dumps(("error", "ParseTooComplex", None, True))
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


def _cap_memory(memory_mb: int) -> None:
    """Let the worker map at most ``memory_mb`` more than it already has (the parsers and this file)."""
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    limit = _mapped_bytes() + memory_mb * 1024 * 1024
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def _mapped_bytes() -> int:
    """Virtual memory the current process has mapped (Linux); 0 where unknown."""
    try:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


if __name__ == "__main__":
    _serve(sys.argv[1])
