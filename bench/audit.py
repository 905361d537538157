"""Audit log speed: events appended per second, and verifying a long chain next to raw hashing of the same bytes.

For SQLite (a temporary file) and PostgreSQL (a temporary database on the
server the tests use; skipped with a message when unreachable) it prints:
- appends: --events events through AuditLog.append, one transaction each as
  the app writes them (a realistic mix: drafts, edits, decisions, sign-ins),
  signed and checkpointed as the service runs it (append_per_s), and the
  same without a key (unsigned_append_per_s, as before issue 13), next to
  plain INSERTs of the same finished rows, one transaction each (the ratio is
  the cost of reading the head, sealing personal text, hashing and signing);
- verify: a --chain event log built directly (the chain computed with
  canonical_bytes, every event signed, rows bulk-inserted, stored as the app
  stores them), then the seconds AuditLog.verify() takes with the key and a
  checkpoint every 50 events, next to hashlib.sha256 over the same canonical
  bytes in the same run (verify_vs_raw_hashing, the issue's figure). Where the
  time goes, each measured alone on the same rows: reading them
  (raw_read_rows_s) and the kept texts (raw_read_texts_s), putting the canonical bytes together from them
  (raw_canonical_text_s), checking the HMACs (raw_hmac_s), hashing the kept
  texts (raw_sha256_texts_s); and, for comparison, what Ed25519 would cost
  (ed25519_verify_100k_s, from 2,000 verifications through `cryptography`);
- dashboard: the same log read back with its texts (AuditLog.events) and the
  supervisor's dashboard built from it, first and second time;
- reads: what the service's pages read from the same log: every event with its
  texts (AuditLog.events, the audit log page), every draft folded
  (DraftReview.drafts), draft statuses only (DraftReview.statuses, the case
  list), the review queue (undecided) and second checks due, each as seconds
  and as a ratio to reading the same rows raw (raw_read_rows_s); then the
  three listings again after one more event is appended, as every page after
  a process's first reads them (statuses are kept and topped up:
  workflow.statuses.CaseOutlines);
- audit_page: the supervisor's Audit log page on a --chain event log in which
  they may see half the cases (and their team's own sign-ins): what it reads
  now, narrowed by the database (the filter choices once, then one page of 50
  newest first with its count: unfiltered, filtered by one case, and 50 pages
  deep), next to what it read before (every event with its texts, narrowed in
  Python); the ratios are old / page, and old / (page + choices), as the page
  reads both on every screen update.
Run:
    .venv/bin/python bench/audit.py [--events 2000] [--chain 100000] [--no-postgres] [--only audit_page]
"""
from __future__ import annotations

import argparse
import hashlib
import hmac
import json
import os
import sys
import tempfile
import time
import uuid
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import sqlalchemy as sa  # noqa: E402

from audit.chain import GENESIS, canonical_bytes, canonical_json, canonical_text  # noqa: E402
from audit.checkpoints import CheckpointFile  # noqa: E402
from audit.kept_texts import seal  # noqa: E402
from audit.log import AuditLog  # noqa: E402
from audit.signing import EVENT_CONTEXT, Key, Keyring  # noqa: E402
from audit.metrics import build_dashboard  # noqa: E402
from audit.queries import EventFilter, Visibility  # noqa: E402
from database import make_engine, migrate  # noqa: E402
from schema import audit_contents, audit_events  # noqa: E402
from workflow.review import DraftReview  # noqa: E402

PG_ADMIN_URL = os.environ.get("CASEWORK_TEST_PG", "postgresql://postgres@127.0.0.1:5432/test")
SENTENCE = "On 14/01/2025 Ms Jones phoned about rent arrears of £412.67 and asked for a review of her award [1]. "
BATCH = 5000


def sample_event(n: int) -> tuple[str, str, dict, str | None, str | None]:
    """(actor, action, payload, case, draft) of the n-th event of a realistic mix, 1 in 4 of each kind."""
    case, draft_id = f"BR-2025-{n // 4 % 500:04d}", uuid.UUID(int=n // 4).hex
    kind = n % 4
    if kind == 0:
        return "asha", "drafted", {
            "case": {"reference": case, "team": "benefits", "case_type": "benefit-review"},
            "documents": [{"id": d, "filename": f"letter-{d}.pdf", "sha256": hashlib.sha256(b"%d" % d).hexdigest()}
                          for d in range(3)],
            "sources": [{"n": i + 1, "chunk_id": f"{draft_id}-{i}", "document_id": i % 3, "page": 1 + i // 3}
                        for i in range(8)],
            "template": {"name": "case_summary", "version": 3, "sha256": "a" * 64},
            "model": {"provider": "llamacpp", "model": "qwen2.5-coder-1.5b-instruct-q4_k_m"},
            "rendered_prompt_sha256": "b" * 64, "output": SENTENCE * 12}, case, draft_id
    if kind == 1:
        edited = SENTENCE * 5 + SENTENCE.replace("£412.67", "£421.67") + SENTENCE * 6 + "Reviewed by phone [2]."
        return "asha", "edited", {"version": 2, "role": "officer", "text": edited,
                                  "diff_from_ai": "+Reviewed by phone [2].\n"}, case, draft_id
    if kind == 2:
        return "sam", "approved", {"version": 2, "note": "Checked against the letters.", "role": "supervisor",
                                   "sign_off_tier": "officer", "second_check": False}, case, draft_id
    return "asha", "signed_in", {"role": "officer", "team": "benefits"}, None, None


KEYRING = Keyring([Key("bench", bytes(range(32)), 1)], "bench")


def chain_rows(count: int, first_seq: int = 1, prev_hash: str = GENESIS, keyring: Keyring = KEYRING):
    """Rows for audit_events and audit_contents, chained and signed exactly as AuditLog.append does, and their
    canonical bytes."""
    events, contents, canonical = [], [], []
    start = datetime(2025, 1, 6, 9, 0, tzinfo=timezone.utc)
    for seq in range(first_seq, first_seq + count):
        actor, action, payload, case, draft_id = sample_event(seq)
        sealed: dict[str, tuple[str, str]] = {}
        chained = seal(json.loads(json.dumps(payload)), sealed)
        recorded_at = (start + timedelta(seconds=seq)).isoformat(timespec="microseconds")
        data = canonical_bytes(seq, recorded_at, actor, action, case, draft_id, chained, prev_hash)
        digest = hashlib.sha256(data).hexdigest()
        key_id, signature = keyring.sign_event(digest)
        events.append({"seq": seq, "recorded_at": recorded_at, "actor": actor, "action": action,
                       "case_reference": case, "draft_id": draft_id, "payload": canonical_json(chained),
                       "prev_hash": prev_hash, "hash": digest, "key_id": key_id, "signature": signature})
        contents += [{"id": ref, "seq": seq, "salt": salt, "text": text} for ref, (salt, text) in sealed.items()]
        canonical.append(data)
        prev_hash = digest
    return events, contents, canonical


def bulk_insert(engine: sa.Engine, events: list[dict], contents: list[dict]) -> None:
    with engine.begin() as conn:
        for table, rows in ((audit_contents, contents), (audit_events, events)):
            for start in range(0, len(rows), BATCH):
                conn.execute(table.insert(), rows[start:start + BATCH])


def _append_all(log: AuditLog, first: int, count: int) -> float:
    started = time.perf_counter()
    for n in range(first, first + count):
        actor, action, payload, case, draft_id = sample_event(n)
        log.append(actor, action, payload, case, draft_id)
    return time.perf_counter() - started


def bench_appends(engine: sa.Engine, count: int, folder: Path) -> dict:
    checkpoints = CheckpointFile(folder / "appends-checkpoints.jsonl", KEYRING)
    signed = _append_all(AuditLog(engine, keyring=KEYRING, checkpoints=checkpoints), 0, count)
    unsigned = _append_all(AuditLog(engine), count, count)
    head_seq, head_hash = AuditLog(engine).head()
    events, contents, _ = chain_rows(count, head_seq + 1, head_hash)
    started = time.perf_counter()  # plain INSERTs of the same kind of rows, one transaction per event as above
    refs = iter(contents)
    for row in events:
        with engine.begin() as conn:
            held = [next(refs) for _ in range(row["payload"].count('"$content"'))]
            if held:
                conn.execute(audit_contents.insert(), held)
            conn.execute(audit_events.insert(), row)
    raw = time.perf_counter() - started
    return {"events": count, "append_per_s": round(count / signed, 1), "append_ms": round(1000 * signed / count, 2),
            "unsigned_append_per_s": round(count / unsigned, 1),
            "signed_vs_unsigned_append_time": round(signed / unsigned, 2),
            "raw_insert_per_s": round(count / raw, 1), "append_vs_raw_insert": round(signed / raw, 2)}


def read_rows(engine: sa.Engine) -> int:
    """The rows verify reads, in the same batches, and nothing else."""
    count, last = 0, 0
    with engine.connect() as conn:
        while rows := conn.execute(sa.select(audit_events).where(audit_events.c.seq > last)
                                   .order_by(audit_events.c.seq).limit(BATCH)).all():
            count, last = count + len(rows), rows[-1].seq
    return count


def ed25519_seconds(count: int, sample: int = 2000) -> float:
    """Seconds `count` Ed25519 verifications would take through `cryptography`, from `sample` of them."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    key = Ed25519PrivateKey.generate()
    public, message = key.public_key(), b"casework-audit-event/1\n" + b"a" * 64
    signature = key.sign(message)
    started = time.perf_counter()
    for _ in range(sample):
        public.verify(signature, message)
    return (time.perf_counter() - started) * count / sample


def bench_verify(engine: sa.Engine, count: int, folder: Path) -> dict:
    started = time.perf_counter()
    events, contents, canonical = chain_rows(count)
    built = time.perf_counter() - started
    started = time.perf_counter()
    bulk_insert(engine, events, contents)
    inserted = time.perf_counter() - started
    checkpoints = CheckpointFile(folder / "verify-checkpoints.jsonl", KEYRING)
    for row in events[49::50]:
        checkpoints.write(row["seq"], row["hash"])

    log = AuditLog(engine, keyring=KEYRING, checkpoints=checkpoints)
    started = time.perf_counter()
    result = log.verify()
    verify = time.perf_counter() - started
    assert result.intact and result.checked == result.signed == count, result
    assert result.checkpoints == count // 50, result

    started = time.perf_counter()
    read = read_rows(engine)
    reading = time.perf_counter() - started
    assert read == count
    started = time.perf_counter()
    for data in canonical:
        hashlib.sha256(data).hexdigest()
    hashing = time.perf_counter() - started
    started = time.perf_counter()  # the same canonical bytes put together from the stored rows, as verify does
    for row in events:
        canonical_text(row["seq"], row["recorded_at"], row["actor"], row["action"], row["case_reference"],
                       row["draft_id"], row["payload"], row["prev_hash"])
    assembling = time.perf_counter() - started
    started = time.perf_counter()  # rebuilt by parsing the JSON, as verify did before (and does for old events)
    for row in events:
        canonical_bytes(row["seq"], row["recorded_at"], row["actor"], row["action"], row["case_reference"],
                        row["draft_id"], json.loads(row["payload"]), row["prev_hash"])
    rebuilding = time.perf_counter() - started
    secret = KEYRING.signing.secret
    started = time.perf_counter()  # the signatures checked by the bare library
    for row in events:
        hmac.compare_digest(hmac.digest(secret, EVENT_CONTEXT + row["hash"].encode(), "sha256").hex(),
                            row["signature"])
    hmacs = time.perf_counter() - started
    del events
    started = time.perf_counter()
    for row in contents:  # verify also re-checks each kept text against its reference
        hashlib.sha256((row["salt"] + row["text"]).encode("utf-8")).hexdigest()
    content_hashing = time.perf_counter() - started
    started = time.perf_counter()  # the kept texts verify reads to re-hash
    with engine.connect() as conn:
        assert len(conn.execute(sa.select(audit_contents)).all()) == len(contents)
    text_reading = time.perf_counter() - started
    megabytes = sum(map(len, canonical)) / 1e6
    parts = reading + text_reading + assembling + hashing + hmacs + content_hashing
    figures = {"chain_events": count, "kept_texts": len(contents), "canonical_mb": round(megabytes, 1),
               "build_chain_s": round(built, 2), "bulk_insert_s": round(inserted, 2),
               "verify_s": round(verify, 2), "verify_events_per_s": round(count / verify),
               "raw_sha256_canonical_s": round(hashing, 3), "raw_sha256_mb_per_s": round(megabytes / hashing),
               "verify_vs_raw_hashing": round(verify / hashing, 1),
               "raw_read_rows_s": round(reading, 2), "raw_read_texts_s": round(text_reading, 2),
               "raw_canonical_text_s": round(assembling, 2),
               "raw_hmac_s": round(hmacs, 3), "raw_sha256_texts_s": round(content_hashing, 3),
               "verify_vs_its_parts": round(verify / parts, 2),
               "old_way_rebuild_canonical_by_parsing_s": round(rebuilding, 2),
               "ed25519_verify_100k_s": round(ed25519_seconds(100_000), 2)}

    started = time.perf_counter()  # what the supervisor's dashboard does with the same log
    events = AuditLog(engine).events()
    reading_events = time.perf_counter() - started
    period = (date(2025, 1, 1), date(2025, 12, 31))
    dashboard = []
    for _ in range(2):  # the second time, as on every screen update: edit distances are remembered
        started = time.perf_counter()
        build_dashboard(events, *period, datetime.now(timezone.utc))
        dashboard.append(time.perf_counter() - started)
    return {**figures, "read_events_with_texts_s": round(reading_events, 2), "dashboard_first_s": round(dashboard[0], 2),
            "dashboard_again_s": round(dashboard[1], 2),
            "events_vs_raw_read_rows": round(reading_events / reading, 1), **bench_reads(engine, reading)}


def bench_reads(engine: sa.Engine, raw_reading: float) -> dict:
    """Seconds each page's read takes on the whole log, and its ratio to reading the rows raw: first in a new
    process, then (the listings) after one more event is appended, as every later page reads them."""
    reads = {"events": lambda review: review.log.events(), "drafts": DraftReview.drafts,
             "statuses": DraftReview.statuses, "undecided": DraftReview.undecided,
             "second_checks_due": DraftReview.second_checks_due}
    figures = {}
    for name, read in reads.items():
        review = DraftReview(AuditLog(engine))
        started = time.perf_counter()
        read(review)
        seconds = time.perf_counter() - started
        figures[f"read_{name}_s"] = round(seconds, 2)
        figures[f"read_{name}_vs_raw_read_rows"] = round(seconds / raw_reading, 1)
        if name in ("statuses", "undecided", "second_checks_due"):
            review.log.append("bench", "drafted", {"output": SENTENCE}, "BR-2025-0001", uuid.uuid4().hex)
            started = time.perf_counter()
            read(review)
            figures[f"read_{name}_after_one_more_event_s"] = round(time.perf_counter() - started, 4)
    return figures


def bench_audit_page(engine: sa.Engine, count: int, size: int = 50) -> dict:
    """The Audit log page's reads now (the filter choices, then a page and its count, in SQL) against before
    (every event with its texts, then visibility in Python), for a supervisor who may see half of 500 cases.
    The old page then also built a table of every event with its payload as JSON: not counted here."""
    events, contents, _ = chain_rows(count)
    bulk_insert(engine, events, contents)
    del events, contents
    log = AuditLog(engine)
    visible = Visibility(cases={f"BR-2025-{n:04d}" for n in range(0, 500, 2)}, people={"asha", "sam"})
    everything = EventFilter(visible=visible)
    one_case = EventFilter(case_references={"BR-2025-0042"}, visible=visible)

    started = time.perf_counter()
    shown = [e for e in log.events() if e.case_reference in visible.cases
             or (e.case_reference is None and e.actor in visible.people)]
    old = time.perf_counter() - started
    deep = shown[max(len(shown) - 49 * size, 0)].seq  # page 50 starts before this one
    in_case = sum(e.case_reference == "BR-2025-0042" for e in shown)
    visible_events = len(shown)
    del shown  # a long list kept alive would slow every later allocation (the garbage collector walks it)

    started = time.perf_counter()
    log.choices(everything)
    choices = time.perf_counter() - started
    figures = {"events": count, "visible_events": visible_events, "old_read_all_and_filter_s": round(old, 2),
               "choices_s": round(choices, 3)}
    for name, where, before_seq, total in (("first_page", everything, None, visible_events),
                                           ("one_case", one_case, None, in_case),
                                           ("page_50", everything, deep, visible_events)):
        started = time.perf_counter()
        page = log.page(where, size, before_seq)
        seconds = time.perf_counter() - started
        assert len(page.events) == min(size, total) and page.total == total, (name, page.total, total)
        figures[f"{name}_s"] = round(seconds, 3)
        figures[f"old_vs_{name}"] = round(old / seconds, 1)
        figures[f"old_vs_{name}_with_choices"] = round(old / (seconds + choices), 1)
    return figures


def _pg_admin() -> sa.Engine | None:
    try:
        admin = sa.create_engine(PG_ADMIN_URL.replace("postgresql://", "postgresql+psycopg://"),
                                 isolation_level="AUTOCOMMIT")
        with admin.connect():
            return admin
    except Exception:
        return None


def _pg_fresh(work):
    """Run work(url) on a new PostgreSQL database, dropped afterwards."""
    admin = _pg_admin()
    name = f"casework_bench_{uuid.uuid4().hex[:10]}"
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        return work(PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}")
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--events", type=int, default=2000, help="events to append one by one (default 2000)")
    parser.add_argument("--chain", type=int, default=100_000, help="events in the chain to verify (default 100000)")
    parser.add_argument("--no-postgres", action="store_true", help="measure SQLite only")
    parser.add_argument("--only", choices=("appends", "verify", "audit_page"), action="append",
                        help="run only this measure (may be repeated)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as name:  # a fresh, empty log for each measure; checkpoint files here too
        folder = Path(name)
        measures = tuple((name, work) for name, work in (
            ("appends", lambda engine: bench_appends(engine, args.events, folder)),
            ("verify", lambda engine: bench_verify(engine, args.chain, folder)),
            ("audit_page", lambda engine: bench_audit_page(engine, args.chain)))
            if not args.only or name in args.only)
        sqlite = {name: _on(f"sqlite:///{folder / f'{name}.db'}", work) for name, work in measures}
        print(json.dumps({"sqlite": sqlite}, indent=2), flush=True)

        if args.no_postgres:
            return
        admin = _pg_admin()
        if admin is None:
            print(f"PostgreSQL skipped: nothing answers at {PG_ADMIN_URL} (set CASEWORK_TEST_PG to another server).")
            return
        admin.dispose()
        for checkpoint_file in folder.glob("*.jsonl"):
            checkpoint_file.unlink()
        postgres = {name: _pg_fresh(lambda url, work=work: _on(url, work)) for name, work in measures}
        print(json.dumps({"postgresql": postgres}, indent=2))


def _on(url: str, work):
    """Run work(engine) on a migrated database at url."""
    engine = make_engine(url)
    migrate(engine)
    try:
        return work(engine)
    finally:
        engine.dispose()


if __name__ == "__main__":
    main()
