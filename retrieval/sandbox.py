"""Run one parse in a child process that can be capped and killed.

Why: parsers meeting broken or hostile files can loop for ever, recurse deeply
or allocate gigabytes. A child process with a memory cap (RLIMIT_AS) and a
wall-clock timeout keeps that away from the app. A "forkserver" starts the
children: forking the app itself is unsafe once it runs threads (torch,
chromadb), and spawning a fresh interpreter per file is slow. The fork server
is started once, with the parser module preloaded, and forks a cheap child per
file. The child skips multiprocessing's usual re-import of the parent's main
script: the parser needs nothing from it, and re-running it would cost the
app's whole start-up (streamlit, torch) for every file.
"""
from __future__ import annotations

import io
import multiprocessing
import os
import resource
import threading
from multiprocessing import context as mp_context
from multiprocessing import forkserver, popen_forkserver, reduction, spawn, util
from multiprocessing.connection import wait
from typing import Any, Callable

from retrieval import errors

_context_lock = threading.Lock()
_context = None


def run_bounded(target: Callable[..., Any], args: tuple, *, timeout_s: float, memory_mb: int) -> Any:
    """Return ``target(*args)`` computed in a child process.

    ``target`` must be a module-level function. A RetrievalError raised in the
    child is raised again here; running over ``timeout_s`` raises ParseTimeout;
    running out of memory or the child dying raises ParseTooComplex.
    """
    context = _forkserver_context(target.__module__)
    receiver, sender = context.Pipe(duplex=False)
    child = _ParserProcess(target=_child_main, args=(sender, target, args, memory_mb), daemon=True)
    child.start()
    sender.close()
    try:
        ready = wait([receiver, child.sentinel], timeout_s)
        if not ready:
            raise errors.ParseTimeout(
                f"Reading this file took longer than {timeout_s:g} seconds and was stopped. It may be "
                "damaged or unusually complex: re-save it (for example print it to a new PDF) and add it again.")
        try:
            outcome = receiver.recv()
        except (EOFError, OSError):
            raise errors.ParseTooComplex() from None
    finally:
        if child.is_alive():
            child.kill()
        child.join()
        child.close()
        receiver.close()
    if outcome[0] == "ok":
        return outcome[1]
    raise _error_named(outcome[1], outcome[2])


def _forkserver_context(preload_module: str):
    """The shared forkserver context, with ``preload_module`` imported once in the server."""
    global _context
    with _context_lock:
        if _context is None:
            context = multiprocessing.get_context("forkserver")
            context.set_forkserver_preload([preload_module])
            _context = context
        return _context


class _ParserProcess(mp_context.ForkServerProcess):
    """A forkserver child that does not re-run the parent's main script."""

    @staticmethod
    def _Popen(process_obj):
        return _PopenWithoutMain(process_obj)


class _PopenWithoutMain(popen_forkserver.Popen):
    """popen_forkserver.Popen._launch (CPython 3.11), minus the main-module keys of the preparation data."""

    def _launch(self, process_obj):
        preparation = spawn.get_preparation_data(process_obj._name)
        preparation.pop("init_main_from_name", None)
        preparation.pop("init_main_from_path", None)
        buffer = io.BytesIO()
        mp_context.set_spawning_popen(self)
        try:
            reduction.dump(preparation, buffer)
            reduction.dump(process_obj, buffer)
        finally:
            mp_context.set_spawning_popen(None)
        self.sentinel, data_fd = forkserver.connect_to_new_process(self._fds)
        parent_alive_fd = os.dup(data_fd)  # the child watches it to notice the parent's death
        self.finalizer = util.Finalize(self, util.close_fds, (parent_alive_fd, self.sentinel))
        with open(data_fd, "wb", closefd=True) as data_pipe:
            data_pipe.write(buffer.getbuffer())
        self.pid = forkserver.read_signed(self.sentinel)


def _child_main(sender, target: Callable[..., Any], args: tuple, memory_mb: int) -> None:
    """Child side: cap memory, run the target, send ("ok", result) or ("error", class name, message)."""
    _cap_memory(memory_mb)
    try:
        outcome = ("ok", target(*args))
    except errors.RetrievalError as error:
        outcome = ("error", type(error).__name__, str(error))
    except MemoryError:
        outcome = ("error", "ParseTooComplex", None)
    except BaseException:  # noqa: BLE001 - any other failure of a parser means the file is damaged
        outcome = ("error", "MalformedFile", None)
    try:
        sender.send(outcome)
    except MemoryError:
        sender.send(("error", "ParseTooComplex", None))
    sender.close()


def _cap_memory(memory_mb: int) -> None:
    """Let the child map at most ``memory_mb`` more than it already has (the preloaded parsers)."""
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
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


def _error_named(name: str, message: str | None) -> errors.RetrievalError:
    """Rebuild the child's error in this process; anything unknown counts as a damaged file."""
    error_class = getattr(errors, name, None)
    if not (isinstance(error_class, type) and issubclass(error_class, errors.RetrievalError)):
        error_class = errors.MalformedFile
    return error_class(message)
