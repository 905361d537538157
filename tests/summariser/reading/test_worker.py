"""The reading worker: the real huey brokers (SQLite file, Redis), real worker processes, a fake reader.

In-process tests run the queued jobs through huey's own execute(); the
process tests start `worker_process.py` (run_worker with a reader that logs
every call) and check the store and that log: every passage read once, none
lost after a SIGKILL, never two workers on one passage.
"""
from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import pytest
import redis

from audit.log import AuditLog
from retrieval.ingest.loaders import LoadedDocument, Page
from retrieval.ingest.pipeline import IngestOutcome
from retrieval.records.passages import Span
from retrieval.records.store import CaseRecords
from retrieval.search.embeddings import MiniLMEmbedder
from settings import Settings
from summariser.checks.results import CheckResults
from summariser.reading.jobs import QueueUnavailable, make_queue
from summariser.reading.model import ReadingFailed
from summariser.reading.store import DONE, PENDING, Progress
from summariser.services.additions import DocumentAdditions
from summariser.wiring import build_reading, injection_detector
from tests.conftest import PROJECT
from tests.summariser.reading.worker_process import LoggingReader, events

REDIS_URL = os.environ.get("CASEWORK_TEST_REDIS", "redis://127.0.0.1:6379/0")
WORKER = Path(__file__).resolve().parent / "worker_process.py"


def add_document(records: CaseRecords, sentences: list[str], reference="HS-1", filename="letter.txt"):
    """A held document cut into one passage per sentence, its addition recorded (the worker checks no document
    before that)."""
    records.add_person("P-1", "Ada Price")
    case = records.add_case(reference, "P-1", "housing", "housing", "A case")
    text, spans = "", []
    for n, sentence in enumerate(sentences):
        spans.append(Span(f"{filename}-{n}", 1, len(text), len(text) + len(sentence)))
        text += sentence + " "
    loaded = LoadedDocument(filename, "txt", text, (Page(1, 0, len(text)),), hashlib.sha256(text.encode()).hexdigest(),
                            len(text), {})
    document = records.add_document(case, loaded, "officer", spans)[0]
    DocumentAdditions(records, AuditLog(records.engine)).record_upload("officer", reference, [
        IngestOutcome(filename, "added", "Added.", document.id, sha256=document.sha256)])
    return document


SENTENCES = [f"On {n} March 2025 the council paid £{n}0 towards the rent of Mrs Ada Price." for n in range(1, 7)]


class FlakyReader(LoggingReader):
    """Fails the first `failures` readings the way a model that times out does."""

    def __init__(self, failures: int, error: Exception | None = None):
        super().__init__()
        self.failures, self.error, self.calls = failures, error, 0

    def read(self, passage):
        self.calls += 1
        if self.calls <= self.failures:
            raise self.error or ReadingFailed("The language model took too long to answer.")
        return super().read(passage)


@pytest.fixture
def settings(tmp_path) -> Settings:
    return Settings(data_dir=tmp_path / "data", task_queue_name=f"test-{uuid.uuid4().hex[:8]}",
                    reading_retry_delay_s=0, reading_retries=1)


def run_queued(jobs) -> int:
    """Execute every job in the broker, in this process, as a huey worker would; returns how many ran."""
    ran = 0
    while (task := jobs.huey.dequeue()) is not None:
        jobs.huey.execute(task)
        ran += 1
    return ran


def test_each_passage_is_queued_once_read_once_and_reused(settings):
    reader = LoggingReader()
    jobs = build_reading(settings, make_reader=lambda: reader)
    first = add_document(jobs.records, SENTENCES)
    copy = add_document(jobs.records, SENTENCES[:2] + ["A new sentence."], filename="copy.txt")
    assert jobs.enqueue_documents([first.id, copy.id]) == 7  # the two passages held twice are one key each
    assert jobs.huey.pending_count() == 7
    assert run_queued(jobs) == 7
    assert jobs.progress([first, copy]) == Progress(total=7, done=7, failed=0, reading=0, pending=0)
    keys = [key for _, key in jobs.keys_of([first])[first.id]]
    assert [[f.quote for f in found] for found in jobs.store.facts(keys).values()] == [[s[:20]] for s in SENTENCES]
    assert jobs.enqueue_documents([first.id, copy.id]) == 0  # re-ingest, next draft: nothing read again
    assert jobs.huey.pending_count() == 0


def test_a_reading_waits_for_its_turn_at_the_model_behind_a_draft(settings):
    """Readings take turns in the drafts' line (the wiring gives the jobs the drafting model's queue), so a draft
    and a reading never share the model's cores at once."""
    jobs = build_reading(settings, make_reader=LoggingReader)
    document = add_document(jobs.records, SENTENCES[:1])
    jobs.enqueue_documents([document.id])
    drafting, finished = threading.Event(), threading.Event()

    def draft():
        with jobs.turns.turn():
            drafting.set()
            finished.wait(30)
    drafter = threading.Thread(target=draft)
    drafter.start()
    drafting.wait(30)
    reader = threading.Thread(target=run_queued, args=(jobs,))
    reader.start()
    reader.join(1.0)
    assert reader.is_alive() and jobs.progress([document]).done == 0  # waiting for the draft's turn to end
    finished.set()
    reader.join(30)
    drafter.join(30)
    assert jobs.progress([document]).done == 1


def test_jobs_carry_ids_not_the_passage_text(settings):
    jobs = build_reading(settings, make_reader=LoggingReader)
    document = add_document(jobs.records, SENTENCES[:1])
    jobs.enqueue_documents([document.id])
    [raw] = jobs.huey.storage.enqueued_items()
    assert b"Ada Price" not in raw and b"council" not in raw


def test_a_failed_reading_is_retried_then_failed_with_its_reason_and_retry_reads_it(settings):
    reader = FlakyReader(failures=2)
    jobs = build_reading(settings, make_reader=lambda: reader)
    document = add_document(jobs.records, SENTENCES[:1])
    jobs.enqueue_documents([document.id])
    [(_, key)] = jobs.keys_of([document])[document.id]
    jobs.huey.execute(jobs.huey.dequeue())  # first try fails: back to pending, queued again by huey
    assert jobs.store.status([key]) == {key: PENDING} and jobs.huey.pending_count() == 1
    run_queued(jobs)  # the one retry fails too
    [failure] = jobs.store.failures([key])
    assert failure.error == "The language model took too long to answer." and failure.attempts == 2
    assert jobs.retry_failed([key]) == 1
    run_queued(jobs)
    assert jobs.store.status([key]) == {key: DONE} and reader.calls == 3


def test_an_unexpected_error_is_shown_in_plain_words(settings):
    jobs = build_reading(settings.model_copy(update={"reading_retries": 0}),
                         make_reader=lambda: FlakyReader(1, KeyError("sentences")))
    document = add_document(jobs.records, SENTENCES[:1])
    jobs.enqueue_documents([document.id])
    run_queued(jobs)
    [failure] = jobs.store.failures(key for _, key in jobs.keys_of([document])[document.id])
    assert failure.error.startswith("The reader stopped with an unexpected error (KeyError)")


def test_a_passage_erased_before_its_job_runs_is_not_read(settings, tmp_path):
    reader = LoggingReader(tmp_path / "reads.log")
    jobs = build_reading(settings, make_reader=lambda: reader)
    document = add_document(jobs.records, SENTENCES[:2])
    jobs.enqueue_documents([document.id])
    keys = [key for _, key in jobs.keys_of([document])[document.id]]
    hashes = jobs.passage_hashes([document])
    jobs.records.erase_person("P-1")
    assert jobs.store.erase(hashes) == 2
    assert run_queued(jobs) == 2
    assert [e[0] for e in events(reader.log)] == ["built"]  # never read
    assert jobs.store.status(keys) == {} and jobs.store.unfinished() == []


def test_an_unknown_queue_url_is_a_clear_error(tmp_path):
    with pytest.raises(QueueUnavailable, match="CASEWORK_TASK_QUEUE_URL"):
        make_queue("amqp://rabbit", "q", tmp_path)


# real worker processes ----------------------------------------------------------------------------------------

@pytest.fixture(params=["sqlite", "redis"])
def broker(request, settings):
    """The settings for one broker; a Redis queue gets a name of its own and is emptied afterwards."""
    if request.param == "sqlite":
        yield settings
        return
    try:
        redis.Redis.from_url(REDIS_URL).ping()
    except redis.ConnectionError:
        if os.environ.get("CI"):
            pytest.fail(f"Redis is required in CI and is not reachable at {REDIS_URL}")
        pytest.skip(f"Redis is not reachable at {REDIS_URL}")
    configured = settings.model_copy(update={"task_queue_url": REDIS_URL})
    yield configured
    make_queue(REDIS_URL, configured.task_queue_name, configured.data_dir).storage.flush_all()


def start_worker(settings: Settings, log: Path, sleep_s: float, workers: int = 1) -> subprocess.Popen:
    env = dict(os.environ, PYTHONPATH=str(PROJECT), CASEWORK_DATA_DIR=str(settings.data_dir),
               CASEWORK_TASK_QUEUE_NAME=settings.task_queue_name, CASEWORK_TASK_QUEUE_URL=settings.task_queue_url or "",
               CASEWORK_READING_CLAIM_STALE_S=str(settings.reading_claim_stale_s),
               CASEWORK_READING_RETRY_DELAY_S="0")
    return subprocess.Popen([sys.executable, str(WORKER), str(log), str(sleep_s), str(workers)], cwd=PROJECT,
                            env=env, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def stop(process: subprocess.Popen, how=signal.SIGINT) -> None:
    if process.poll() is None:
        os.killpg(process.pid, how)
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def wait_until(condition, processes, log: Path, seconds: float = 120) -> None:
    """Poll until the workers have done it; a guard against hanging, not a measure of speed."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    for process in processes:
        stop(process, signal.SIGKILL)
    errors = b"".join(p.stderr.read() for p in processes).decode(errors="replace")[-3000:]
    pytest.fail(f"the workers did not finish; reader log: {events(log)}; worker output: {errors}")


def test_a_worker_process_reads_every_queued_passage(broker, tmp_path):
    log = tmp_path / "reads.log"
    jobs = build_reading(broker, make_reader=LoggingReader)
    document = add_document(jobs.records, SENTENCES)
    assert jobs.enqueue_documents([document.id]) == 6
    worker = start_worker(broker, log, 0.0)
    screened = CheckResults(jobs.records.engine, "injection")
    try:  # beside reading, the worker screens the document for prompt injection, with the real detector
        wait_until(lambda: jobs.progress([document]).done == 6 and screened.read(
            injection_detector(MiniLMEmbedder()).version, [document]), [worker], log)
    finally:
        stop(worker)
    keys = [key for _, key in jobs.keys_of([document])[document.id]]
    assert sum(len(found) for found in jobs.store.facts(keys, accepted_only=False).values()) == 12
    assert [e[0] for e in events(log)].count("built") == 1  # the reader (the model) once for all six jobs


def test_a_worker_killed_mid_job_loses_nothing_and_doubles_nothing(broker, tmp_path):
    log = tmp_path / "reads.log"
    broker = broker.model_copy(update={"reading_claim_stale_s": 2.0})
    jobs = build_reading(broker, make_reader=LoggingReader)
    document = add_document(jobs.records, SENTENCES)
    jobs.enqueue_documents([document.id])
    worker = start_worker(broker, log, 1.0)
    try:  # kill it while it reads its second passage: one done, one claimed, four still queued
        wait_until(lambda: [e[0] for e in events(log)].count("start") == 2, [worker], log)
    finally:
        stop(worker, signal.SIGKILL)
    assert jobs.progress([document]).reading == 1
    killed_in = events(log)[-1][1]
    restarted = start_worker(broker, log, 1.0)
    try:
        wait_until(lambda: jobs.progress([document]).done == 6, [restarted], log)
    finally:
        stop(restarted)
    done = [sha for event, sha, _ in events(log) if event == "done"]
    assert sorted(done) == sorted(set(done)) and len(done) == 6  # each passage read to the end exactly once
    assert [sha for event, sha, _ in events(log) if event == "start"].count(killed_in) == 2
    keys = [key for _, key in jobs.keys_of([document])[document.id]]
    assert [len(found) for found in jobs.store.facts(keys, accepted_only=False).values()] == [2] * 6


def test_two_workers_never_read_the_same_passage(broker, tmp_path):
    log = tmp_path / "reads.log"
    jobs = build_reading(broker, make_reader=LoggingReader)
    document = add_document(jobs.records, SENTENCES)
    jobs.enqueue_documents([document.id])
    jobs.recover()  # every job queued twice, so both workers go for the same passages
    assert jobs.huey.pending_count() == 12
    workers = [start_worker(broker, log, 0.3) for _ in range(2)]
    try:
        wait_until(lambda: jobs.progress([document]).done == 6 and jobs.huey.pending_count() == 0, workers, log)
    finally:
        for worker in workers:
            stop(worker)
    starts = [sha for event, sha, _ in events(log) if event == "start"]
    assert len(starts) == 6 and len(set(starts)) == 6


def test_several_workers_in_one_process_each_load_their_reader_once(settings, tmp_path):
    log = tmp_path / "reads.log"
    jobs = build_reading(settings, make_reader=LoggingReader)
    document = add_document(jobs.records, SENTENCES)
    jobs.enqueue_documents([document.id])
    worker = start_worker(settings, log, 0.5, workers=2)
    try:
        wait_until(lambda: jobs.progress([document]).done == 6, [worker], log)
    finally:
        stop(worker)
    readers = {pid for event, _, pid in events(log) if event in ("start", "done")}
    built = [pid for event, _, pid in events(log) if event == "built"]
    assert len(readers) == 2 and sorted(built) == sorted(readers)  # two processes, one reader each, six jobs
