"""The background reading jobs, on huey: queue each passage once, read it in a worker, store its facts.

Why huey: a real task queue (retries with a delay, scheduled jobs, a consumer
with worker threads or processes) that needs no server by default (its
SQLite storage, one file in the data dir) and runs unchanged on Redis when
``CASEWORK_TASK_QUEUE_URL`` names it. A job carries ids only (document id,
passage id and the SHA-256 of the passage's text), never the text: personal
text stays in the database, not in the broker.

The broker may lose or repeat a job (a worker killed mid-job, a restart that
queues everything unfinished again): the fact store's claims make that safe.
A job whose key is done or claimed by a live worker does nothing, or looks
again once that claim could have gone stale; only the first finish stores
facts. The reader (and so the model) is built once per worker process, on
its first job. Each reading takes a turn in the model's line (`turns`, the
drafts' SharedModelQueue), so a draft waits behind at most the readings
already under way, never behind a whole backlog, and readings and drafts do
not share the model's cores (or a one-request server) at once.
"""
from __future__ import annotations

import logging
import os
import socket
import threading
import uuid
from contextlib import nullcontext
from pathlib import Path
from typing import Callable, ContextManager, Iterable, Protocol

from huey import Huey, RedisHuey, SqliteHuey

from retrieval.errors import NotFound
from retrieval.records.passages import Chunk
from retrieval.records.store import CaseRecords, Document
from summariser.errors import SummariserError
from summariser.heartbeat import Heartbeat
from summariser.reading.model import PassageToRead, Reading, ReadFact, passage_hashes, passage_sha256
from summariser.reading.store import DONE, FAILED, READING, FactStore, Located, Progress, ReadingKey

log = logging.getLogger(__name__)
QUEUE_FILE = "reading-queue.db"


class Reader(Protocol):
    """What a worker needs of a reader (summariser.reading.reader.PassageReader, or a fake in tests)."""

    @property
    def identity(self) -> tuple[str, str, str]: ...

    def read(self, passage: PassageToRead) -> Reading: ...


class Turns(Protocol):
    """The model's line (summariser.drafting.queue.SharedModelQueue)."""

    def turn(self) -> ContextManager[None]: ...


class QueueUnavailable(SummariserError):
    default = ("The reading queue could not be reached, so documents were stored but not queued for reading. "
               "Check CASEWORK_TASK_QUEUE_URL and that the Redis server is running; start a worker "
               "(cli.py worker) to queue them again.")


def make_queue(url: str | None, name: str, data_dir: Path) -> Huey:
    """The broker: a SQLite file in the data dir by default, Redis for redis:// URLs, or a named SQLite file."""
    if not url or url.startswith("sqlite:///"):
        path = Path(url.removeprefix("sqlite:///")) if url else Path(data_dir) / QUEUE_FILE
        path.parent.mkdir(parents=True, exist_ok=True)
        return SqliteHuey(name, filename=str(path), results=False)
    if url.startswith(("redis://", "rediss://", "unix://")):
        return RedisHuey(name, url=url, results=False)
    raise QueueUnavailable(f"CASEWORK_TASK_QUEUE_URL '{url}' is not a redis:// or sqlite:/// URL. "
                           "Leave it empty to use a queue file in the data folder.")


class ReadingJobs:
    """The one job (read a passage) and the calls that queue it: documents, retries, a worker's restart."""

    def __init__(self, huey: Huey, store: FactStore, records: CaseRecords, make_reader: Callable[[], Reader],
                 claim_stale_s: float = 120.0, retries: int = 2, retry_delay_s: float = 30.0,
                 turns: Turns | None = None):
        self.huey, self.store, self.records, self.turns = huey, store, records, turns
        self.claim_stale_s = claim_stale_s
        self._make_reader, self._readers, self._lock = make_reader, {}, threading.Lock()
        self._pid = os.getpid()
        self._task = huey.task(retries=retries, retry_delay=retry_delay_s, context=True,
                               name="read_passage")(self._run)
        huey.on_startup("reading_after_fork")(self._after_fork)

    # the reader, once per process ---------------------------------------------
    def reader(self) -> Reader:
        """This process's reader, built on first use: a forked worker builds (and loads) its own model."""
        with self._lock:
            if os.getpid() not in self._readers:
                self._readers[os.getpid()] = self._make_reader()
            return self._readers[os.getpid()]

    def key(self, text: str) -> ReadingKey:
        return ReadingKey(passage_sha256(text), *self.reader().identity)

    def _after_fork(self) -> None:
        if os.getpid() != self._pid:  # a forked worker process must not share its parent's connections
            self.store.engine.dispose(close=False)
            self.records.engine.dispose(close=False)

    # keys of documents -----------------------------------------------------------
    def keys_of(self, documents: Iterable[Document]) -> dict[int, list[tuple[Chunk, ReadingKey]]]:
        """Each held document's passages with the key their facts are stored under, in document order."""
        held = [d for d in documents if d.erased_at is None]
        return {document_id: [(chunk, self.key(chunk.text)) for chunk in chunks]
                for document_id, chunks in self.records.passages(held).items()}

    def progress(self, documents: Iterable[Document]) -> Progress:
        """How far reading these documents has got ("Reading documents: 31 of 44 passages")."""
        return self.store.progress(key for pairs in self.keys_of(documents).values() for _, key in pairs)

    def facts_of(self, texts: Iterable[str]) -> tuple[dict[str, list[ReadFact]], set[str]]:
        """The accepted facts of these passage texts that are read, by SHA-256 (an empty list: read, and it
        states nothing), and the SHA-256s of those not read yet; a draft composed now uses what is ready."""
        keys = {self.key(text) for text in texts}
        found = self.store.facts(keys)
        return found, {key.passage_sha256 for key in keys} - found.keys()

    def passage_hashes(self, documents: Iterable[Document]) -> set[str]:
        """The SHA-256 of every passage of these documents: compute it before erasing them (FactStore.erase)."""
        return passage_hashes(self.records, documents)

    # queueing ------------------------------------------------------------------------
    def enqueue_documents(self, document_ids: Iterable[int]) -> int:
        """Queue one job per passage of these documents not yet read under the current key; returns how many."""
        documents = []
        for document_id in dict.fromkeys(document_ids):
            try:
                documents.append(self.records.document(document_id))
            except NotFound:
                continue
        located = {key: Located(key, chunk.document_id, chunk.id)
                   for pairs in self.keys_of(documents).values() for chunk, key in pairs}
        self.store.add_pending(located.values())
        statuses = self.store.status(located)
        todo = [item for key, item in located.items() if statuses.get(key) not in (DONE, READING, FAILED)]
        self._send(todo)
        return len(todo)

    def retry_failed(self, keys: Iterable[ReadingKey]) -> int:
        """The Retry button: failed keys become pending and are queued again."""
        located = self.store.reset_failed(keys)
        self._send(located)
        return len(located)

    def recover(self) -> int:
        """On a worker's start: queue again every key pending or being read, so a killed worker loses nothing.

        Keys a live worker is reading get a job that waits for that claim to
        end; jobs still in the broker run twice at worst, and do nothing the
        second time.
        """
        located = self.store.unfinished()
        self._send(located)
        return len(located)

    def run_queued(self, progress: Callable[[int], None] = lambda ran: None) -> int:
        """Run every queued job in this process, as a worker would, and return how many ran: for benchmarks,
        evals and tests, which want a case read before they go on, without a worker process."""
        ran = 0
        while (task := self.huey.dequeue()) is not None:
            self.huey.execute(task)
            ran += 1
            progress(ran)
        return ran

    def _send(self, located: Iterable[Located]) -> None:
        try:
            for item in located:
                self._task(item.document_id, item.chunk_id, item.key.passage_sha256)
        except SummariserError:
            raise
        except Exception as error:  # redis.ConnectionError, a locked or unwritable queue file
            raise QueueUnavailable() from error

    # the job -------------------------------------------------------------------------
    def _passage(self, document_id: int, chunk_id: str) -> PassageToRead | None:
        try:
            document = self.records.document(document_id)
        except NotFound:
            return None
        chunk = next((c for c in self.records.passages([document])[document.id] if c.id == chunk_id), None)
        if document.erased_at is not None or chunk is None:
            return None
        case = self.records.case_by_id(document.case_id)
        return PassageToRead.of(chunk.text, case.reference, case.person.full_name, case.case_type, document.filename)

    def _run(self, document_id: int, chunk_id: str, sha256: str, task=None) -> None:
        """Read one passage: claim its key, read it with the heartbeat on, then finish or fail."""
        reader = self.reader()
        key = ReadingKey(sha256, *reader.identity)
        status = self.store.status([key]).get(key)
        if status is None:  # erased since it was queued, or queued under another model or prompt
            log.info("A queued passage has no pending reading under %s; nothing to do.", key.identity)
            return
        if status in (DONE, FAILED):
            return
        passage = self._passage(document_id, chunk_id)
        if passage is None or passage.sha256 != sha256:
            log.info("Document %s no longer holds passage %s; nothing to read.", document_id, chunk_id)
            return
        worker_id = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        if not self.store.claim(key, worker_id, self.claim_stale_s):
            if self.store.status([key]).get(key) == READING:  # look again when that claim could have gone stale
                self._task.schedule(args=(document_id, chunk_id, sha256), delay=self.claim_stale_s)
            return
        try:
            with Heartbeat(lambda: self.store.renew(key, worker_id), max(self.claim_stale_s / 4, 0.05),
                           "a passage"), (self.turns.turn() if self.turns else nullcontext()):
                reading = reader.read(passage)
        except Exception as error:
            final = not (task and task.retries)
            message = str(error) if isinstance(error, SummariserError) else (
                f"The reader stopped with an unexpected error ({type(error).__name__}); the worker's log has "
                "the details.")
            self.store.fail(key, message, final=final)
            if final:
                log.warning("Passage %s of document %s failed for good: %s", chunk_id, document_id, message)
                return
            raise  # huey queues it again after the retry delay
        self.store.finish(key, reading)
