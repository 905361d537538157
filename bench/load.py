"""A bounded load test on loopback (issue 16 part 4): officers and supervisors on several app processes, with
reading workers, PostgreSQL, Redis and a Chroma server; one app process and one worker are killed mid-run and
started again. Afterwards the log is checked: no event lost or doubled, every decision exactly once, `verify`
passes, and the status table that listings read matches the chain.

The high-rate part: drafts are composed by the real services on the fake provider, and workers read passages
with the unit tests' sentence reader, so what is measured is the tool (records, index, queue, log, listings),
not a model. Each app process writes one line per action to a JSON-lines file as it ends (an action cut short
by the kill has a start and no end), so the figures survive the kill. Run:
    .venv/bin/python bench/load.py [--minutes 3] [--officers 20] [--supervisors 2] [--instances 2] [--workers 2]
"""
from __future__ import annotations

import argparse
import itertools
import json
import os
import random
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import sqlalchemy as sa  # noqa: E402

from retrieval.ingest.pipeline import Upload  # noqa: E402
from retrieval.records.access import User  # noqa: E402
from settings import Settings  # noqa: E402
from tests.conftest import PG_ADMIN_URL, SentenceReader, fake_chat, free_port, wait_for  # noqa: E402  (the unit tests' fakes and helpers)

TEAM = "benefits"
ADMIN = User("admin", "admin", "all")
OPERATOR = User("operator:load-bench", "admin", "all")  # creates the first administrator, as `cli.py --operator` does
DECISIONS = ("approve", "edit-approve", "reject")
LETTER = ("Dear {name},\nOn {day} March 2025 we decided your claim for Universal Credit. You will be paid "
          "£{amount} a month from {day} April 2025. You may ask for a mandatory reconsideration within one month "
          "of this letter. Reference {ref}-{n}.\nYours sincerely,\nThe benefits team")


def officer(n: int) -> User:
    return User(f"officer{n:02d}", "officer", TEAM)


def supervisor(n: int) -> User:
    return User(f"supervisor{n}", "supervisor", TEAM)


def services_for(settings: Settings):
    """The real services on the fake model and reader, with the embedder loaded, as an app instance has once
    it has started."""
    from summariser.wiring import build_services
    from retrieval.search.embeddings import MiniLMEmbedder
    embedder = MiniLMEmbedder()
    embedder(["warm up"])
    return build_services(settings, chat_model=fake_chat('{"sentences": []}'), embedder=embedder,
                          make_reader=SentenceReader)


# ---- one app process ------------------------------------------------------------------------------------------
class Actions:
    """Writes each action's start and end as a line, flushed at once, so a killed process loses only its own
    actions in flight."""

    def __init__(self, path: Path, instance: int):
        self.file, self.instance, self.lock = path.open("a", encoding="utf-8"), instance, threading.Lock()

    def write(self, **line) -> None:
        with self.lock:
            self.file.write(json.dumps(line | {"instance": self.instance, "t": time.time()}) + "\n")
            self.file.flush()

    def run(self, user: User, action: str, do, **about):
        key = uuid.uuid4().hex
        self.write(event="start", key=key, user=user.username, action=action, **about)
        started = time.perf_counter()
        try:
            result = do()
        except Exception as error:  # counted by kind in the report; the officer goes on
            self.write(event="end", key=key, user=user.username, action=action, ok=False,
                       error=type(error).__name__, detail=str(error)[:200], seconds=time.perf_counter() - started)
            return None
        self.write(event="end", key=key, user=user.username, action=action, ok=True,
                   seconds=time.perf_counter() - started, **about, **(result if isinstance(result, dict) else {}))
        return result


def officer_loop(services, actions: Actions, user: User, case: str, until: float, max_actions: int) -> None:
    """Ingest a letter, wait for it to be read, draft, then approve, edit and approve, or reject; repeat."""
    rng, done = random.Random(user.username), 0
    for n in itertools.count(1):
        if time.time() >= until or done >= max_actions:
            return
        letter = LETTER.format(name=user.username, day=rng.randint(1, 28), amount=rng.randint(100, 900), ref=case,
                               n=f"{actions.instance}-{n}-{uuid.uuid4().hex[:6]}")
        actions.run(user, "ingest", lambda: services.cases.ingest(user, case, [Upload(f"letter-{n}.txt", letter.encode())])
                    and None, case=case)
        while time.time() < until and not services.reading.progress(user, case).finished:
            time.sleep(0.2)
        state = actions.run(user, "draft", lambda: {"draft_id": services.drafting.draft(user, case).draft_id}, case=case)
        done += 2
        if not state:
            continue
        draft_id, decision = state["draft_id"], DECISIONS[n % len(DECISIONS)]
        seq = services.review.draft_state(user, draft_id).last_seq
        if decision == "edit-approve":
            current = services.review.view(user, draft_id).text
            edited = actions.run(user, "edit", lambda: {"seq": services.review.edit(
                user, draft_id, seq, current + "\n").last_seq}, draft_id=draft_id)
            seq = edited["seq"] if edited else seq
        if decision == "reject":
            actions.run(user, "reject", lambda: services.review.reject(user, draft_id, seq, "Load test.") and None,
                        draft_id=draft_id, decision="rejected")
        else:
            actions.run(user, "approve", lambda: services.review.approve(user, draft_id, seq) and None,
                        draft_id=draft_id, decision="approved")
        done += 1 + (decision == "edit-approve")


def supervisor_loop(services, actions: Actions, user: User, until: float) -> None:
    from audit.queries import EventFilter
    while time.time() < until:
        actions.run(user, "read-log", lambda: {"events": len(services.supervision.audit_page(user, EventFilter()).events)})
        actions.run(user, "review-queue", lambda: {"pending": len(services.review.pending(user))})
        time.sleep(0.5)


def instance_main(args) -> None:
    services = services_for(Settings())
    actions, until = Actions(Path(args.out), args.instance), args.until
    people = [threading.Thread(target=officer_loop, args=(services, actions, officer(n), f"LD-{n:02d}", until,
                                                          args.max_actions), daemon=True)
              for n in args.officer_numbers]
    people += [threading.Thread(target=supervisor_loop, args=(services, actions, supervisor(n), until), daemon=True)
               for n in args.supervisor_numbers]
    for person in people:
        person.start()
    for person in people:
        person.join()


def worker_main() -> None:
    from summariser.reading.worker import run_worker
    from summariser.wiring import build_reading
    settings = Settings()
    run_worker(settings, 1, build_reading(settings, make_reader=SentenceReader))


# ---- the orchestra ------------------------------------------------------------------------------------------
def seed(settings: Settings, officers: int, supervisors: int) -> None:
    """Accounts and one case per officer, before any app process starts (the audit key is made once here)."""
    services = services_for(settings)
    services.accounts.save_account(OPERATOR, ADMIN.username, "Load administrator", "admin", "all", uuid.uuid4().hex)
    for n in range(1, officers + 1):
        services.accounts.save_account(ADMIN, f"officer{n:02d}", f"Officer {n}", "officer", TEAM, uuid.uuid4().hex)
        services.cases.register_case(ADMIN, {"reference": f"LP-{n:02d}", "full_name": f"Person {n}"},
                                     {"reference": f"LD-{n:02d}", "team": TEAM, "case_type": "benefit-review",
                                      "title": f"Load case {n}"})
    for n in range(1, supervisors + 1):
        services.accounts.save_account(ADMIN, f"supervisor{n}", f"Supervisor {n}", "supervisor", TEAM, uuid.uuid4().hex)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else float("nan")


def report(lines: list[dict], settings: Settings, seconds: float, killed: int, killed_at: float,
           restarted_at: float, first_events: int) -> dict:
    services = services_for(settings)
    ends = [line for line in lines if line["event"] == "end"]
    started = {line["key"] for line in lines if line["event"] == "start"}
    in_flight = len(started - {line["key"] for line in ends})
    events = services.supervision.audit_events(ADMIN)
    seqs = [e.seq for e in events]
    decided = Counter((e.draft_id, e.action) for e in events if e.action in ("approved", "rejected"))
    finals = Counter(e.draft_id for e in events if e.action in ("approved", "rejected"))
    drafted = {e.draft_id for e in events if e.action == "drafted"}
    acked_drafts = {line["draft_id"] for line in ends if line["ok"] and line["action"] == "draft"}
    acked_decisions = {(line["draft_id"], line["decision"]) for line in ends if line["ok"] and line.get("decision")}
    verification = services.supervision.verify_log(ADMIN)
    restarted = [line["t"] for line in ends if line["ok"] and line["instance"] == killed and line["t"] > restarted_at]
    times = defaultdict(list)
    for line in ends:
        if line["ok"]:
            times[line["action"]].append(line["seconds"])
    return {
        "seconds": round(seconds, 1), "actions_ok": sum(1 for e in ends if e["ok"]),
        "actions": {action: {"n": len(v), "p50_s": round(statistics.median(v), 3),
                             "p95_s": round(percentile(v, 0.95), 3)} for action, v in sorted(times.items())},
        "errors_by_kind": dict(Counter(f"{e['action']}: {e['error']}" for e in ends if not e["ok"])),
        "events_written": len(events) - first_events,
        "events_per_s": round((len(events) - first_events) / seconds, 1),
        "kill": {"actions_in_flight_lost": in_flight,
                 "seconds_to_first_action_after_restart": round(min(restarted) - restarted_at, 1) if restarted else None,
                 "seconds_down": round(restarted_at - killed_at, 1)},
        "checks": {
            "seq_contiguous_and_unique": seqs == list(range(seqs[0], seqs[0] + len(seqs))) if seqs else True,
            "acknowledged_drafts_missing": len(acked_drafts - drafted),
            "acknowledged_decisions_missing": len(acked_decisions - set(decided)),
            "drafts_decided_twice": sum(1 for n in finals.values() if n > 1),
            "verify_intact": verification.intact, "verify_summary": verification.summary(),
            "status_table_differences": verification.status_differences_total},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--minutes", type=float, default=3.0)
    parser.add_argument("--officers", type=int, default=20)
    parser.add_argument("--supervisors", type=int, default=2)
    parser.add_argument("--instances", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--max-actions", type=int, default=60, help="per officer")
    parser.add_argument("--kill-at", type=float, default=0.4, help="share of the run after which to kill")
    parser.add_argument("--down-s", type=float, default=5.0, help="seconds before the killed ones start again")
    parser.add_argument("--instance", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--until", type=float, help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    parser.add_argument("--officer-numbers", type=int, nargs="*", default=[], help=argparse.SUPPRESS)
    parser.add_argument("--supervisor-numbers", type=int, nargs="*", default=[], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        return worker_main()
    if args.instance is not None:
        return instance_main(args)

    name = f"casework_load_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(PG_ADMIN_URL.replace("postgresql://", "postgresql+psycopg://"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    folder = Path(tempfile.mkdtemp(prefix="casework-load-"))
    children: dict[str, subprocess.Popen] = {}
    try:
        port = free_port()
        chroma = subprocess.Popen([str(Path(sys.executable).parent / "chroma"), "run", "--path", str(folder / "chroma"),
                                   "--host", "127.0.0.1", "--port", str(port)], stdout=subprocess.DEVNULL,
                                  stderr=subprocess.DEVNULL)
        children["chroma"] = chroma
        wait_for(f"http://127.0.0.1:{port}/api/v2/heartbeat", chroma)
        ours = {"DATABASE_URL", "CHROMA_URL"} | {k for k in os.environ if k.startswith("CASEWORK_")}
        env = {k: v for k, v in os.environ.items() if k not in ours} | {  # never a database of the developer's
                            "CASEWORK_DATA_DIR": str(folder / "data"), "CASEWORK_CHROMA_URL": f"http://127.0.0.1:{port}",
                            "CASEWORK_DATABASE_URL": PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}",
                            "CASEWORK_TASK_QUEUE_URL": "redis://127.0.0.1:6379/0", "CASEWORK_TASK_QUEUE_NAME": name,
                            "CASEWORK_LLM_PROVIDER": "fake", "CASEWORK_MODEL_CONCURRENCY": "4",
                            "HF_HUB_OFFLINE": "1"}
        os.environ.clear()
        os.environ.update(env)
        settings = Settings()
        seed(settings, args.officers, args.supervisors)
        first_events = len(services_for(settings).supervision.audit_events(ADMIN))
        out = folder / "actions.jsonl"
        until = time.time() + 60 * args.minutes
        me = [sys.executable, __file__]

        def start_instance(k: int) -> subprocess.Popen:
            return subprocess.Popen(me + ["--instance", str(k), "--until", str(until), "--out", str(out),
                                          "--max-actions", str(args.max_actions), "--officer-numbers",
                                          *map(str, range(k + 1, args.officers + 1, args.instances)),
                                          "--supervisor-numbers", *map(str, range(k + 1, args.supervisors + 1,
                                                                                  args.instances))], env=env)

        def start_worker() -> subprocess.Popen:
            return subprocess.Popen(me + ["--worker"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

        began = time.time()
        for k in range(args.instances):
            children[f"app{k}"] = start_instance(k)
        for k in range(args.workers):
            children[f"worker{k}"] = start_worker()
        time.sleep(max(0.0, began + args.kill_at * 60 * args.minutes - time.time()))
        killed_at = time.time()
        app, worker = args.instances - 1, args.workers - 1  # the last of each is killed
        for victim in (f"app{app}", f"worker{worker}"):
            children[victim].send_signal(signal.SIGKILL)
            children[victim].wait()
        time.sleep(args.down_s)
        restarted_at = time.time()
        children[f"app{app}"], children[f"worker{worker}"] = start_instance(app), start_worker()
        for k in range(args.instances):
            children[f"app{k}"].wait()
        seconds = time.time() - began
        lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines() if line.strip()]
        print(json.dumps(report(lines, settings, seconds, app, killed_at, restarted_at, first_events), indent=2))
    finally:
        for child in children.values():
            if child.poll() is None:
                child.send_signal(signal.SIGINT)
        for child in children.values():
            try:
                child.wait(20)
            except subprocess.TimeoutExpired:
                child.kill()
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
