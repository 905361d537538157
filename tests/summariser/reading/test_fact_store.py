"""The fact store on SQLite and PostgreSQL: one claim wins, a finish counts once, erasure leaves nothing."""
from __future__ import annotations

import hashlib
import threading
from datetime import datetime, timedelta, timezone

import pytest
import sqlalchemy as sa

from database import make_engine
from retrieval.ingest.loaders import LoadedDocument, Page
from retrieval.records.passages import Span
from retrieval.records.store import CaseRecords
from schema import facts as facts_table, readings
from summariser.reading.model import ReadFact, Reading, passage_sha256
from summariser.reading.store import DONE, PENDING, READING, FactStore, Located, Progress, ReadingKey

IDENTITY = ("qwen-test", "passage_facts", "1.0.0")


def a_document(engine, text="On 3 March 2025 the council paid £120. She must reply by 17 March 2025.",
               reference="HS-1"):
    records = CaseRecords(engine)
    records.add_person(f"P-{reference}", "Ada Price")
    case = records.add_case(reference, f"P-{reference}", "housing", "housing", "A case", "officer")
    loaded = LoadedDocument("letter.txt", "txt", text, (Page(1, 0, len(text)),),
                            hashlib.sha256(text.encode()).hexdigest(), len(text), {})
    document, _ = records.add_document(case, loaded, "officer", [Span("c1", 1, 0, len(text))])
    return document


def key_of(text: str, identity=IDENTITY) -> ReadingKey:
    return ReadingKey(passage_sha256(text), *identity)


def queued(engine, store, *texts: str) -> list[ReadingKey]:
    document = a_document(engine)
    keys = [key_of(t) for t in texts]
    store.add_pending(Located(k, document.id, "c1") for k in keys)
    return keys


def reading_of(*facts: ReadFact, identity=IDENTITY) -> Reading:
    return Reading(tuple(facts), *identity, output_tokens=40, seconds=1.5)


PAID = ReadFact("money", "3 March 2025", "the council paid £120", 16, 37, None, True, None)
REPLY = ReadFact("deadline_or_right", "17 March 2025", "She must reply by 17 March 2025.", 39, 71, None, True, None)
WRONG = ReadFact("money", None, "£0 owed", -1, -1, None, False, "quote_not_found", "The quote is not in the passage.")


def fact_rows(engine) -> int:
    with engine.connect() as conn:
        return conn.execute(sa.select(sa.func.count()).select_from(facts_table)).scalar()


def test_a_key_is_claimed_read_and_its_facts_kept_in_order(engine):
    store = FactStore(engine)
    [key] = queued(engine, store, "passage one")
    assert store.status([key]) == {key: PENDING}
    assert store.claim(key, "w1", stale_after_s=60)
    assert store.status([key]) == {key: READING}
    assert store.finish(key, reading_of(PAID, WRONG, REPLY))
    assert store.status([key]) == {key: DONE}
    assert store.facts([key]) == {key.passage_sha256: [PAID, REPLY]}
    assert store.facts([key], accepted_only=False) == {key.passage_sha256: [PAID, WRONG, REPLY]}


def test_a_second_finish_changes_nothing(engine):
    store = FactStore(engine)
    [key] = queued(engine, store, "passage one")
    store.claim(key, "w1", 60)
    assert store.finish(key, reading_of(PAID, REPLY))
    assert not store.finish(key, reading_of(PAID, REPLY, WRONG))
    assert fact_rows(engine) == 2
    assert store.facts([key], accepted_only=False) == {key.passage_sha256: [PAID, REPLY]}


def test_a_passage_with_no_facts_is_done_and_not_read_again(engine):
    store = FactStore(engine)
    [key] = queued(engine, store, "Dear Sir or Madam,")
    store.claim(key, "w1", 60)
    store.finish(key, reading_of())
    assert store.facts([key]) == {key.passage_sha256: []}
    assert not store.claim(key, "w2", 0)


def test_a_reading_is_stored_only_under_its_own_model_and_prompt(engine):
    store = FactStore(engine)
    [key] = queued(engine, store, "passage one")
    with pytest.raises(ValueError):
        store.finish(key, reading_of(PAID, identity=("another-model", "passage_facts", "1.0.0")))
    assert store.status([key]) == {key: PENDING}


def test_two_racing_claims_one_wins(engine, db_url):
    store = FactStore(engine)
    keys = queued(engine, store, *[f"passage {n}" for n in range(20)])
    other = FactStore(make_engine(db_url))  # a second worker with its own connections
    for key in keys:
        barrier, won = threading.Barrier(2), []

        def claim(worker_store, name):
            barrier.wait()
            won.append(worker_store.claim(key, name, stale_after_s=60))

        threads = [threading.Thread(target=claim, args=(s, n)) for s, n in ((store, "w1"), (other, "w2"))]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert sorted(won) == [False, True]
    other.engine.dispose()
    with engine.connect() as conn:
        assert set(conn.execute(sa.select(readings.c.attempts)).scalars()) == {1}


def test_a_stale_claim_is_taken_over_and_a_live_one_is_not(engine):
    store = FactStore(engine)
    [key] = queued(engine, store, "passage one")
    assert store.claim(key, "dead", 60)
    assert not store.claim(key, "w2", 60)
    with engine.begin() as conn:  # the dead worker's last heartbeat, long ago
        conn.execute(readings.update().values(claimed_at=datetime.now(timezone.utc) - timedelta(seconds=120)))
    assert not store.renew(key, "w2")
    assert store.claim(key, "w2", 60)
    assert not store.renew(key, "dead")
    assert store.renew(key, "w2")
    with engine.connect() as conn:
        assert conn.execute(sa.select(readings.c.attempts, readings.c.claimed_by)).one() == (2, "w2")


def test_a_key_never_queued_cannot_be_claimed_or_finished(engine):
    """Rows come only from add_pending: a reading ending after its passage was erased stores nothing."""
    store = FactStore(engine)
    key = key_of("never queued")
    assert not store.claim(key, "w1", 60)
    assert not store.finish(key, reading_of(PAID))
    assert store.status([key]) == {} and fact_rows(engine) == 0


def test_failures_retry_then_fail_for_good_and_retry_resets_them(engine):
    store = FactStore(engine)
    [key, other] = queued(engine, store, "passage one", "passage two")
    store.claim(key, "w1", 60)
    store.fail(key, "The model took too long.", final=False)
    assert store.status([key]) == {key: PENDING} and store.claim(key, "w1", 60)
    store.fail(key, "The model took too long again.", final=True)
    assert store.progress([key, other]) == Progress(total=2, done=0, failed=1, reading=0, pending=1)
    [failure] = store.failures([key, other])
    assert (failure.key, failure.error, failure.attempts) == (key, "The model took too long again.", 2)
    assert not store.claim(key, "w1", 0)  # a failed key waits for Retry
    assert [item.key for item in store.reset_failed([key, other])] == [key]
    assert store.status([key]) == {key: PENDING} and store.failures([key]) == []


def test_progress_counts_every_status_and_keys_never_queued(engine):
    store = FactStore(engine)
    keys = queued(engine, store, "a", "b", "c", "d")
    store.claim(keys[0], "w", 60)
    store.finish(keys[0], reading_of(PAID))
    store.claim(keys[1], "w", 60)
    store.claim(keys[2], "w", 60)
    store.fail(keys[2], "broken", final=True)
    progress = store.progress(keys + [key_of("never queued")])
    assert progress == Progress(total=5, done=1, failed=1, reading=1, pending=2)
    assert not progress.finished


def test_queueing_again_keeps_a_key_and_its_facts(engine):
    """Re-ingests and identical passages share one key: queueing it again neither resets nor re-reads it."""
    store = FactStore(engine)
    [key] = queued(engine, store, "passage one")
    store.claim(key, "w", 60)
    store.finish(key, reading_of(PAID))
    document = a_document(engine, text="another file", reference="HS-2")
    store.add_pending([Located(key, document.id, "c1"), Located(key_of("passage one", ("m2", "p", "2")),
                                                                   document.id, "c1")])
    assert store.status([key]) == {key: DONE} and store.facts([key])[key.passage_sha256] == [PAID]
    assert [item.key.model_id for item in store.unfinished()] == ["m2"]  # a new model is a new key


def test_unfinished_lists_pending_and_reading_keys_with_their_passage(engine):
    store = FactStore(engine)
    keys = queued(engine, store, "a", "b", "c")
    store.claim(keys[0], "w", 60)
    store.claim(keys[1], "w", 60)
    store.finish(keys[1], reading_of())
    assert {(item.key, item.chunk_id) for item in store.unfinished()} == {(keys[0], "c1"), (keys[2], "c1")}


def test_erasing_passages_erases_their_facts_but_keeps_those_still_held(engine):
    store = FactStore(engine)
    erased, shared, unrelated = queued(engine, store, "erased text", "shared text", "unrelated text")
    other_model = key_of("erased text", ("m2", "passage_facts", "2.0.0"))
    store.add_pending([Located(other_model, store.unfinished()[0].document_id, "c1")])
    for key in (erased, shared, unrelated, other_model):
        store.claim(key, "w", 60)
        store.finish(key, reading_of(PAID, identity=key.identity))
    deleted = store.erase([erased.passage_sha256, shared.passage_sha256], keep=[shared.passage_sha256])
    assert deleted == 2  # the erased text under both models
    assert store.status([erased, other_model, shared, unrelated]) == {shared: DONE, unrelated: DONE}
    assert fact_rows(engine) == 2
    assert store.erase([erased.passage_sha256]) == 0
