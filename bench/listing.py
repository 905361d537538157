"""Listing times on a long log: the status table (now) beside folding the log's draft events (before), in one run.

For SQLite (a temporary file) and PostgreSQL (a temporary database on the
server the tests use; skipped with a message when unreachable), at each
--events size (default 100,000 and 1,000,000):

- build: a log of that many events, made the way the app makes them but
  written in bulk. Each event is a realistic one of a caseload (documents
  added, drafts, edits, approvals of full summaries and of updates, rejections,
  failures, second checks, sign-ins; about one case per 50 events, ten teams,
  nearly every draft decided within a few dozen events, about 1 in 2,000 left
  waiting). Its personal texts are sealed into audit_contents, it is chained by
  SHA-256 and signed with a bench key exactly as ``Chain.append`` does
  (``canonical_json``, ``canonical_text``, ``Keyring.sign_event``); only the
  writing differs: batches of 5,000 rows per INSERT instead of one transaction
  per event. The cases and two documents each go into the records tables.
- rebuild_s: the status table filled from that chain by
  ``StatusTable.rebuild`` (what migration 0008 does on a database that already
  holds events); then, up to --verify-up-to events, ``AuditLog.verify`` with
  the key, which must find the chain intact and the table equal to its fold.
- listings, each timed in a NEW Python process (nothing read yet; the engine
  has connected once, as the app's start does when it migrates):
  "My cases" for an officer of one team (``CaseService.cases``) and the review
  queue for the same officer (``DraftReview.undecided`` of the cases they may
  see, as ``ReviewService.pending``), first in the process, then again after
  one more event is appended (as every later page). One process starts with
  My cases, another with the queue, so each has a first time.
  "new" reads the status table; "old" is how they were read before it
  (``OldOutlines``, a copy of the removed ``workflow.statuses.CaseOutlines``:
  every draft event and document addition read without text and folded on the
  first read, topped up with newer events after). ``records_overview_s`` is
  the part both ways share (the cases and their document counts from the
  records); "x_faster" is old / new. The garbage collector runs before each
  timed listing, outside the timer: the old way keeps every outline in memory,
  and a full collection over them (about 0.5 s at 20,000 events) otherwise
  lands in whichever later listing happens to trigger it.
- appends: milliseconds per append on the same long log through
  ``AuditLog.append`` (the event and its statuses in one transaction) beside
  the bare ``Chain.append`` (the event alone, as before the table).
Run:
    .venv/bin/python bench/listing.py [--events 100000 1000000] [--no-postgres] [--verify-up-to 100000]
"""
from __future__ import annotations

import argparse
import gc
import hashlib
import json
import random
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import deque
from datetime import datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import sqlalchemy as sa  # noqa: E402

from bench.audit import PG_ADMIN_URL, _pg_admin, _pg_fresh  # noqa: E402
from audit.chain import GENESIS, Chain, Event, canonical_json, canonical_text  # noqa: E402
from audit.kept_texts import seal  # noqa: E402
from audit.log import AuditLog  # noqa: E402
from audit.signing import Key, Keyring  # noqa: E402
from audit.status_table import UNDECIDED, fold_chain, summary_status, write_all  # noqa: E402
from database import make_engine, migrate  # noqa: E402
from retrieval.records.access import User  # noqa: E402
from retrieval.records.store import CaseRecords  # noqa: E402
from schema import audit_contents, audit_events, cases, documents, persons  # noqa: E402
from summariser.services.cases import CaseService  # noqa: E402
from workflow.review import DraftReview  # noqa: E402
from workflow.statuses import DraftStatus, statuses_of  # noqa: E402

KEYRING = Keyring([Key("bench", bytes(range(32)), 1)], "bench")
TEAMS = [f"team-{t}" for t in range(10)]
BATCH = 5000
EVENTS_PER_CASE = 50
SENTENCE = "On 14/01/2025 Ms Jones phoned about rent arrears of £412.67 and asked for a review of her award [1]. "


def case_reference(i: int) -> str:
    return f"C-{i:07d}"


# the caseload --------------------------------------------------------------------------------------------------------
class Caseload:
    """A stream of (actor, action, payload, case, draft) as a department's service would append them."""

    def __init__(self, case_count: int, seed: int = 16):
        self.cases, self.dice = case_count, random.Random(seed)
        self.waiting: deque = deque()  # (decide at event n, case index, draft id, version, tier, update_of)
        self.approved_full: dict[int, str] = {}
        self.checks_due: deque = deque()
        self.draft_number = 0

    def officer(self, case: int) -> str:
        return f"officer-{TEAMS[case % len(TEAMS)]}-{case % 3}"

    def event(self, n: int) -> tuple[str, str, dict, str | None, str | None]:
        dice = self.dice
        if self.waiting and self.waiting[0][0] <= n:
            _, case, draft_id, version, tier, update_of = self.waiting.popleft()
            roll = dice.random()
            if roll < 0.25 and version == 1:
                self.waiting.append((n + dice.randint(5, 40), case, draft_id, 2, tier, update_of))
                edited = SENTENCE * 5 + SENTENCE.replace("£412.67", "£421.67") + SENTENCE * 5
                return self.officer(case), "edited", {"version": 2, "role": "officer", "text": edited,
                                                      "diff_from_ai": "-£412.67\n+£421.67\n"}, \
                    case_reference(case), draft_id
            if roll < 0.85:
                supervising = tier == "supervisor" or dice.random() < 0.3
                second_check = not supervising and dice.random() < 0.1
                if second_check:
                    self.checks_due.append((case, draft_id))
                if not update_of:
                    self.approved_full[case] = draft_id
                return ("supervisor-" + TEAMS[case % len(TEAMS)] if supervising else self.officer(case)), \
                    "approved", {"version": version, "note": "Checked against the letters.",
                                 "role": "supervisor" if supervising else "officer", "sign_off_tier": tier,
                                 "second_check": second_check} | ({"update_of": update_of} if update_of else {}), \
                    case_reference(case), draft_id
            return "supervisor-" + TEAMS[case % len(TEAMS)], "rejected", {
                "reason": "It cites the wrong letter.", "role": "supervisor"}, case_reference(case), draft_id
        roll = dice.random()
        if roll < 0.1:
            return "officer-team-0-0", "signed_in", {"role": "officer", "team": "team-0"}, None, None
        if roll < 0.12 and self.checks_due:
            case, draft_id = self.checks_due.popleft()
            return "lead-" + TEAMS[case % len(TEAMS)], "second_checked", {
                "outcome": "confirmed", "note": "", "role": "supervisor", "version": 1}, case_reference(case), draft_id
        case = dice.randrange(self.cases)
        if roll < 0.35:
            return self.officer(case), "documents_added", {"files": [
                {"filename": f"letter-{n}.pdf", "status": dice.choice(["added", "added", "duplicate"]),
                 "document_id": n, "error": None, "sha256": hashlib.sha256(b"%d" % n).hexdigest()}]}, \
                case_reference(case), None
        self.draft_number += 1
        draft_id = uuid.UUID(int=self.draft_number).hex
        update_of = self.approved_full.get(case) if dice.random() < 0.3 else None
        tier = "supervisor" if dice.random() < 0.05 else "officer"
        inputs = {"case": {"reference": case_reference(case), "team": TEAMS[case % len(TEAMS)],
                           "case_type": "benefit-review"},
                  "documents": [{"id": d, "filename": f"letter-{d}.pdf",
                                 "sha256": hashlib.sha256(b"%d" % d).hexdigest()} for d in range(3)],
                  "sources": [{"n": i + 1, "chunk_id": f"{draft_id}-{i}", "document_id": i % 3, "page": 1 + i // 3}
                              for i in range(8)],
                  "template": {"name": "case_summary", "version": 3, "sha256": "a" * 64},
                  "sign_off": {"tier": tier, "reasons": ["Source [2] mentions a safeguarding concern."]
                               if tier == "supervisor" else []},
                  "model": {"provider": "llamacpp", "model": "qwen2.5-coder-1.5b-instruct-q4_k_m"}} \
            | ({"update_of": update_of} if update_of else {})
        if dice.random() < 0.05:
            return self.officer(case), "draft_failed", inputs | {"error": "The language model took too long."}, \
                case_reference(case), draft_id
        if dice.random() > 0.0005:  # nearly every draft is decided within a few dozen events
            self.waiting.append((n + dice.randint(1, 60), case, draft_id, 1, tier, update_of))
        return self.officer(case), "drafted", inputs | {"rendered_prompt_sha256": "b" * 64,
                                                        "output": SENTENCE * 12}, case_reference(case), draft_id


def build(engine: sa.Engine, count: int) -> dict:
    """`count` events chained and signed as the app does, written in bulk; the cases into the records."""
    case_count = max(count // EVENTS_PER_CASE, len(TEAMS))
    now = datetime(2025, 1, 6, 9, 0, tzinfo=timezone.utc)
    started = time.perf_counter()
    with engine.begin() as conn:
        conn.execute(persons.insert(), [{"id": i + 1, "reference": f"P-{i:07d}", "full_name": f"Person {i}",
                                         "created_at": now} for i in range(case_count)])
        conn.execute(cases.insert(), [{"id": i + 1, "reference": case_reference(i), "person_id": i + 1,
                                       "team": TEAMS[i % len(TEAMS)], "case_type": "benefit-review",
                                       "title": f"Case {i}", "created_at": now} for i in range(case_count)])
        conn.execute(documents.insert(), [
            {"case_id": i // 2 + 1, "sha256": hashlib.sha256(b"doc%d" % i).hexdigest(), "filename": f"doc{i}.txt",
             "kind": "txt", "size": 5, "text": "text.", "pages": "[]", "meta": "{}", "added_by": "bench",
             "added_at": now} for i in range(2 * case_count)])
    caseload, prev_hash = Caseload(case_count), GENESIS
    kept = 0
    for first in range(1, count + 1, BATCH):
        events, contents = [], []
        for seq in range(first, min(first + BATCH, count + 1)):
            actor, action, payload, case, draft_id = caseload.event(seq)
            sealed: dict[str, tuple[str, str]] = {}
            stored = canonical_json(seal(payload, sealed))
            recorded_at = (now + timedelta(seconds=seq)).isoformat(timespec="microseconds")
            digest = hashlib.sha256(canonical_text(seq, recorded_at, actor, action, case, draft_id, stored,
                                                   prev_hash)).hexdigest()
            key_id, signature = KEYRING.sign_event(digest)
            events.append({"seq": seq, "recorded_at": recorded_at, "actor": actor, "action": action,
                           "case_reference": case, "draft_id": draft_id, "payload": stored, "prev_hash": prev_hash,
                           "hash": digest, "key_id": key_id, "signature": signature})
            contents += [{"id": ref, "seq": seq, "salt": salt, "text": text} for ref, (salt, text) in sealed.items()]
            prev_hash = digest
        kept += len(contents)
        with engine.begin() as conn:
            conn.execute(audit_contents.insert(), contents)
            conn.execute(audit_events.insert(), events)
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(sa.text("ANALYZE"))
    return {"events": count, "cases": case_count, "drafts": caseload.draft_number, "kept_texts": kept,
            "build_s": round(time.perf_counter() - started, 1)}


# the listings, old and new --------------------------------------------------------------------------------------------
class OldOutlines:
    """The listings' statuses as they were read before the status table: ``workflow.statuses.CaseOutlines`` as
    it was removed (every draft event and document addition read without text and folded on the first read,
    then topped up with the events appended since)."""

    def __init__(self, log: AuditLog):
        self.log, self._lock = log, threading.Lock()
        self._head = (0, GENESIS)
        self._events: dict[str | None, list[Event]] = {}
        self._statuses: dict[str | None, list[DraftStatus]] = {}

    def _top_up(self) -> None:
        head = self.log.head()
        if head == self._head:
            return
        read_to, digest = self._head
        if read_to and self.log.hash_at(read_to) != digest:
            read_to, self._events, self._statuses = 0, {}, {}
        window = {"after_seq": read_to, "through_seq": head[0]}
        new = sorted(self.log.outline(of_drafts=True, payloads_of=("approved",), **window)
                     + self.log.outline(actions=("documents_added",), payloads_of=("documents_added",), **window),
                     key=lambda e: e.seq)
        for event in new:
            self._events.setdefault(event.case_reference, []).append(event)
        for case in {event.case_reference for event in new}:
            self._statuses[case] = statuses_of(self._events[case])
        self._head = head

    def statuses(self) -> list[DraftStatus]:
        with self._lock:
            self._top_up()
            return sorted((s for of_case in self._statuses.values() for s in of_case), key=lambda s: s.drafted_seq)


def measure(url: str, way: str, first: str) -> dict:
    """In this (new) process: the first listing of `first`, the other one, then both after one more event."""
    engine = make_engine(url)
    with engine.connect() as conn:  # the app's start has connected (to migrate) before any page is shown
        conn.execute(sa.text("SELECT 1"))
    log, records = AuditLog(engine, keyring=KEYRING), CaseRecords(engine)
    review = DraftReview(log)
    service = CaseService(records, None, None, log, review)  # no index or ingestor: listing cases needs neither
    officer = User("officer-team-3-0", "officer", "team-3")
    if way == "new":
        def my_cases():
            return [listing.summary_status for listing in service.cases(officer)]

        def queue():
            return [d.draft_id for d in review.undecided(service.visible_references(officer))]
    else:
        old = OldOutlines(log)

        def my_cases():
            by_case: dict[str, list] = {}
            for status in old.statuses():
                by_case.setdefault(status.case_reference, []).append((status.status, status.update_of))
            return [summary_status(by_case.get(o.case.reference, [])) for o in records.overview(officer.visible_teams)]

        def queue():
            visible = service.visible_references(officer)
            return [d.draft_id for d in review._states([s.draft_id for s in old.statuses()
                                                         if s.status in UNDECIDED and s.case_reference in visible])]
    listings = {"my_cases": my_cases, "review_queue": queue}
    order = [first] + [name for name in listings if name != first]
    figures, shown = {}, {}
    for when in ("first", "later"):
        if when == "later":
            log.append(officer.username, "signed_in", {"role": "officer", "team": officer.team})
        for name in order:
            gc.collect()  # outside the timer: a collection over the old way's kept outlines would land at random
            started = time.perf_counter()
            listed = listings[name]()
            figures[f"{when}_{name}_s"] = time.perf_counter() - started
            shown.setdefault(name, listed)  # what the first read showed (the event appended changes no status)
            if when == "first" and name != first:
                figures.pop(f"first_{name}_s")  # not the first read in this process
    started = time.perf_counter()
    records.overview(officer.visible_teams)
    figures["records_overview_s"] = time.perf_counter() - started
    figures["shown"] = {"cases": len(shown["my_cases"]), "pending_cases": shown["my_cases"].count("pending"),
                        "queue": len(shown["review_queue"]), "digest": hashlib.sha256(
                            json.dumps(shown, sort_keys=True).encode()).hexdigest()[:12]}
    engine.dispose()
    return figures


def listings(url: str) -> dict:
    """Each way, each listing first, in fresh processes; the same listing must show the same either way."""
    runs = {}
    for way in ("new", "old"):
        for first in ("my_cases", "review_queue"):
            output = subprocess.run([sys.executable, __file__, "--measure", url, way, first], capture_output=True,
                                    text=True, check=True).stdout
            runs[(way, first)] = json.loads(output)
    figures = {}
    for way in ("new", "old"):
        shown = {json.dumps(runs[(way, first)].pop("shown"), sort_keys=True) for first in ("my_cases", "review_queue")}
        figures[f"{way}_shown"] = json.loads(min(shown))
        for name in ("my_cases", "review_queue"):
            figures[f"{way}_first_{name}_s"] = round(runs[(way, name)][f"first_{name}_s"], 4)
            figures[f"{way}_later_{name}_s"] = round(max(runs[(way, first)][f"later_{name}_s"]
                                                         for first in ("my_cases", "review_queue")), 4)
        figures[f"{way}_records_overview_s"] = round(min(runs[(way, first)]["records_overview_s"]
                                                         for first in ("my_cases", "review_queue")), 4)
    assert figures["new_shown"]["digest"] == figures["old_shown"]["digest"], figures  # both ways show the same
    for name in ("first_my_cases", "first_review_queue", "later_my_cases", "later_review_queue"):
        figures[f"{name}_x_faster"] = round(figures[f"old_{name}_s"] / figures[f"new_{name}_s"], 1)
    return figures


def appends(engine: sa.Engine, count: int = 200) -> dict:
    """Milliseconds per append on the long log: through AuditLog (the event and its statuses, one transaction)
    and through the bare chain (the event alone, as every append was before the table), alternating drafts and
    approvals of them on cases that already have history."""
    log, chain, dice = AuditLog(engine, keyring=KEYRING), Chain(engine, keyring=KEYRING), random.Random(7)
    cases = [case_reference(dice.randrange(engine_case_count(engine))) for _ in range(count)]
    approval = {"version": 1, "note": "", "role": "supervisor", "sign_off_tier": "officer", "second_check": False}
    figures = {}
    for name, append in (("status_table", log.append),
                         ("bare_chain", lambda *a: chain.append(a[0], a[1], lambda _conn: a[2], *a[3:]))):
        started = time.perf_counter()
        for case in cases:
            draft_id = uuid.uuid4().hex
            append("bench", "drafted", {"output": SENTENCE, "case": {"reference": case, "team": "team-1"}}, case,
                   draft_id)
            append("bench", "approved", approval, case, draft_id)
        figures[f"append_{name}_ms"] = round(1000 * (time.perf_counter() - started) / (2 * count), 2)
    with engine.begin() as conn:  # the bare chain's events are not in the table: take them in again
        write_all(conn, fold_chain(conn))
    figures["append_status_table_vs_bare_chain"] = round(figures["append_status_table_ms"]
                                                         / figures["append_bare_chain_ms"], 2)
    return figures


def engine_case_count(engine: sa.Engine) -> int:
    with engine.connect() as conn:
        return conn.execute(sa.select(sa.func.count()).select_from(cases)).scalar()


def bench(url: str, count: int, verify_up_to: int) -> dict:
    engine = make_engine(url)
    migrate(engine)
    try:
        figures = build(engine, count)
        log = AuditLog(engine, keyring=KEYRING)
        started = time.perf_counter()
        figures["table_drafts"] = log.rebuild_statuses()
        figures["rebuild_s"] = round(time.perf_counter() - started, 1)
        if count <= verify_up_to:
            started = time.perf_counter()
            result = log.verify()
            assert result.intact and result.signed == count and result.status_differences_total == 0, result
            figures["verify_s"] = round(time.perf_counter() - started, 1)
        print(f"  built and checked {count} events: {json.dumps(figures)}", file=sys.stderr, flush=True)
        return figures | listings(url) | appends(engine)
    finally:
        engine.dispose()


def main() -> None:
    if len(sys.argv) == 5 and sys.argv[1] == "--measure":
        print(json.dumps(measure(*sys.argv[2:])))
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--events", type=int, nargs="+", default=[100_000, 1_000_000],
                        help="log sizes to measure (default 100000 1000000)")
    parser.add_argument("--no-postgres", action="store_true", help="measure SQLite only")
    parser.add_argument("--verify-up-to", type=int, default=100_000,
                        help="verify the built log (and the table against it) up to this size (default 100000)")
    args = parser.parse_args()
    results: dict = {}
    with tempfile.TemporaryDirectory() as folder:
        for count in args.events:
            database = Path(folder) / f"listing-{count}.db"
            results.setdefault("sqlite", {})[count] = bench(f"sqlite:///{database}", count, args.verify_up_to)
            database.unlink()
            print(json.dumps({"sqlite": {count: results["sqlite"][count]}}, indent=2), flush=True)
            if args.no_postgres:
                continue
            if _pg_admin() is None:
                print(f"PostgreSQL skipped: nothing answers at {PG_ADMIN_URL} (set CASEWORK_TEST_PG to another "
                      "server).")
                args.no_postgres = True
                continue
            results.setdefault("postgresql", {})[count] = _pg_fresh(
                lambda url, count=count: bench(url, count, args.verify_up_to))
            print(json.dumps({"postgresql": {count: results["postgresql"][count]}}, indent=2), flush=True)


if __name__ == "__main__":
    main()
