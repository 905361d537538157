"""The reading service with the real stores and queue (SQLite file, and PostgreSQL for the records), a fake
reader, and the queued jobs run in this process as a worker runs them: queueing on ingest, progress, facts in
date order, failures and their retry (audited), access, and a queue or model that is down losing nothing."""
from __future__ import annotations

import pytest

from retrieval.errors import NotAuthorised
from retrieval.ingest.pipeline import Upload
from retrieval.records.access import User
from settings import Settings
from summariser.errors import ModelUnavailable
from summariser.reading.jobs import QueueUnavailable
from summariser.services.reading import QUEUE_DOWN, RETRY_QUEUE_DOWN
from summariser.wiring import build_reading
from tests.conftest import SentenceReader, fake_chat, register, run_reading

ASHA = User("asha", "officer", "benefits")
TOM = User("tom", "officer", "housing")
# Two documents whose passages (one per file: they are short) hold dated and undated sentences out of order.
LETTER = (b"We wrote to you on 3 March 2025 about your award. Your rent is \xc2\xa3412 a month. "
          b"You called us on 14/01/2025. Please keep this letter.\n")
VISIT = b"Home visit on 02/02/2025: the boiler is broken. The tenant has two children.\n"


@pytest.fixture
def reader():
    return SentenceReader()


@pytest.fixture
def service(make_service, reader, db_url):
    service = make_service(chat_model=fake_chat("No summary."), make_reader=lambda: reader, database_url=db_url,
                           reading_retries=0)
    register(service, "BR-1", "benefits")
    register(service, "HS-1", "housing", "P-2", "Tom Hardy")
    return service


def test_ingest_queues_the_new_passages_and_the_facts_come_back_per_document_in_date_order(service, reader):
    added = service.cases.ingest(ASHA, "BR-1", [Upload("letter.txt", LETTER), Upload("visit.txt", VISIT)])
    assert [o.status for o in added] == ["added", "added"]  # still the per-file outcomes
    assert (added.queued, added.reading_problem) == (2, None)
    progress = service.reading.progress(ASHA, "BR-1")
    assert (progress.total, progress.done, progress.pending, progress.finished) == (2, 0, 2, False)
    assert progress.words == "Reading documents: 0 of 2 passages."
    assert service.reading.facts(ASHA, "BR-1")[0].facts == ()  # nothing read yet

    assert run_reading(service) == 2
    assert service.reading.progress(ASHA, "BR-1").words == "All 2 passages are read."
    letter, visit = service.reading.facts(ASHA, "BR-1")
    assert (letter.filename, letter.passages, letter.read) == ("letter.txt", 1, 1)
    assert [(f.date, f.quote) for f in letter.facts] == [
        ("14/01/2025", "You called us on 14/01/2025."),
        ("3 March 2025", "We wrote to you on 3 March 2025 about your award."),
        (None, "Your rent is £412 a month."),  # no date: last, in the order of the passage
        (None, "Please keep this letter.")]
    assert [f.kind_words for f in letter.facts] == ["Event", "Event", "Money", "Event"]
    assert all(f.passage[f.start:f.end] == f.quote and f.page == 1 for f in letter.facts)
    assert [f.date for f in visit.facts] == ["02/02/2025", None]

    again = service.cases.ingest(ASHA, "BR-1", [Upload("copy.txt", LETTER.replace(b"Please", b"Do"))])
    assert again.queued == 1 and run_reading(service) == 1
    assert len(reader.read_texts) == 3  # the letter's text was not read again; the changed copy was


def test_a_passage_that_fails_is_shown_with_its_reason_and_retry_reads_it_again_on_the_record(service, reader):
    reader.fail = "boiler"
    service.cases.ingest(ASHA, "BR-1", [Upload("letter.txt", LETTER), Upload("visit.txt", VISIT)])
    assert service.reading.retry(ASHA, "BR-1") == 0  # nothing failed yet: nothing to do, nothing recorded
    run_reading(service)
    progress = service.reading.progress(ASHA, "BR-1")
    assert (progress.done, progress.failed, progress.finished) == (1, 1, True)
    assert progress.words == "1 of 2 passages are read; 1 could not be read."
    [failure] = service.reading.failures(ASHA, "BR-1")
    assert (failure.filename, failure.page, failure.attempts) == ("visit.txt", 1, 1)
    assert failure.error == "The language model took too long to answer."

    reader.fail = None
    before = len(service.stores.audit.events())
    assert service.reading.retry(ASHA, "BR-1") == 1
    [event] = service.stores.audit.events()[before:]
    assert (event.action, event.actor, event.case_reference, event.data.passages) == (
        "reading_retried", "asha", "BR-1", 1)
    run_reading(service)
    assert service.reading.failures(ASHA, "BR-1") == []
    assert [f.date for f in service.reading.facts(ASHA, "BR-1")[1].facts] == ["02/02/2025", None]


def test_only_those_who_may_open_the_case_see_or_retry_its_reading(service):
    service.cases.ingest(TOM, "HS-1", [Upload("visit.txt", VISIT)])
    for call in (service.reading.progress, service.reading.facts, service.reading.failures, service.reading.retry):
        with pytest.raises(NotAuthorised):
            call(ASHA, "HS-1")


def test_a_queue_that_is_down_loses_nothing_and_the_officer_is_told_in_plain_words(make_service, reader, tmp_path):
    reader.fail = "boiler"
    down = make_service(chat_model=fake_chat("No summary."), make_reader=lambda: reader, reading_retries=0,
                        task_queue_url="redis://127.0.0.1:9/0")  # nothing listens on the discard port
    register(down, "BR-1", "benefits")
    added = down.cases.ingest(ASHA, "BR-1", [Upload("letter.txt", LETTER), Upload("visit.txt", VISIT)])
    assert [o.status for o in added] == ["added", "added"] and added.queued == 0  # the ingest itself succeeded
    assert added.reading_problem == QUEUE_DOWN and "stored" in QUEUE_DOWN and "redis" not in QUEUE_DOWN.lower()
    assert down.reading.progress(ASHA, "BR-1").pending == 2

    def worker_starts() -> None:
        """A worker starting on a queue that works (the same database): it queues what waits, and reads it."""
        jobs = build_reading(Settings(data_dir=tmp_path / "data", reading_retries=0), make_reader=lambda: reader,
                             engine=down.stores.facts.engine)
        jobs.recover()
        while (task := jobs.huey.dequeue()) is not None:
            jobs.huey.execute(task)

    worker_starts()
    assert down.reading.progress(ASHA, "BR-1").words == "1 of 2 passages are read; 1 could not be read."

    reader.fail = None
    with pytest.raises(QueueUnavailable) as raised:  # the retry is kept, and the officer told why it waits
        down.reading.retry(ASHA, "BR-1")
    assert str(raised.value) == RETRY_QUEUE_DOWN
    assert down.stores.audit.events()[-1].action == "reading_retried"
    assert down.reading.progress(ASHA, "BR-1").pending == 1
    worker_starts()
    assert down.reading.progress(ASHA, "BR-1").words == "All 2 passages are read."
    assert [len(d.facts) for d in down.reading.facts(ASHA, "BR-1")] == [4, 2]


def test_passages_never_queued_are_queued_when_the_progress_is_asked_for(make_service, reader):
    calls = []

    def reader_once_unavailable():
        calls.append(1)
        if len(calls) == 1:
            raise ModelUnavailable("The model file /models/x.gguf does not exist.")
        return reader

    service = make_service(chat_model=fake_chat("No summary."), make_reader=reader_once_unavailable)
    register(service, "BR-1", "benefits")
    added = service.cases.ingest(ASHA, "BR-1", [Upload("letter.txt", LETTER)])
    assert added.queued == 0 and "does not exist" in added.reading_problem
    assert added.reading_problem.startswith("Your files are stored")
    progress = service.reading.progress(ASHA, "BR-1")  # the model can be named now: the passage is queued
    assert (progress.total, progress.pending, progress.problem) == (1, 1, None)
    assert run_reading(service) == 1  # a job was sent for it
    assert service.reading.progress(ASHA, "BR-1").finished


def test_a_passage_held_twice_is_counted_and_read_once_and_its_facts_shown_with_each_document(make_service,
                                                                                             reader):
    service = make_service(chat_model=fake_chat("No summary."), make_reader=lambda: reader, chunk_chars=150,
                           chunk_overlap=0)  # a paragraph per passage
    register(service, "BR-1", "benefits")
    register(service, "BR-2", "benefits", "P-3", "Ann Lee")
    service.cases.ingest(ASHA, "BR-1", [Upload("a.txt", LETTER.strip() + b"\n\n" + VISIT),
                                        Upload("b.txt", LETTER.strip() + b"\n\nA second paragraph, long enough to be a passage of its own here.\n")])
    assert service.reading.progress(ASHA, "BR-1").total == 3  # four passages, three texts
    assert run_reading(service) == 3
    third = LETTER.strip() + b"\n\nA third paragraph, long enough to be a passage of its own too.\n"
    assert service.cases.ingest(ASHA, "BR-2", [Upload("c.txt", third)]).queued == 1  # the letter's is read already
    assert run_reading(service) == 1 and len(reader.read_texts) == 4  # the letter's paragraph once, not three times
    a, b = service.reading.facts(ASHA, "BR-1")
    [c] = service.reading.facts(ASHA, "BR-2")
    letter = {f.quote for f in a.facts if "letter" in f.passage}
    assert len(letter) == 4 and letter <= {f.quote for f in b.facts} and letter <= {f.quote for f in c.facts}
    assert (a.passages, b.passages, c.passages) == (2, 2, 2)


def test_the_services_name_the_same_reader_as_the_worker_so_their_keys_agree(make_service, tmp_path):
    service = make_service(chat_model=None, make_reader=None, llm_provider="fake")
    worker = build_reading(Settings(data_dir=tmp_path / "data", llm_provider="fake"),
                           engine=service.stores.facts.engine)
    assert service.stores.reading_jobs.reader().identity == worker.reader().identity
    assert service.stores.reading_jobs.reader().identity[:2] == ("fake:fake-list", "passage_facts")
