"""Background reading of the demo caseload: time until every passage is read, with one worker and with two.

Seeds the demo caseload once into a temporary data folder, then for each
worker count: empties the fact store, queues every passage (of the first
--cases cases, or all), launches that many worker processes (each as
`cli.py worker` would run one: run_worker, its own reader) and waits until
every passage is read. It prints, per worker count:
- seconds from launching the workers until every passage is read, and the
  seconds to queue them;
- the peak resident memory (VmHWM) of each worker process;
- the same readings done by the raw reader in a plain loop in this process
  (no queue, no database, no worker), and the ratio workers / raw: with
  --provider fake this is the plumbing's overhead (process start included);
  with --provider model (the configured model: CASEWORK_LLM_* settings) the
  raw figure is the sum of the model's own seconds per reading, as stored.
With --split-cores each worker gets CASEWORK_LLM_THREADS = cores / workers
(at least 1), as the README advises for several workers on one machine;
without it each takes the configured threads (2 by default). Each run's
figures are printed as soon as it ends, so a run stopped later keeps them.
Run:
    .venv/bin/python bench/reading_worker.py --provider fake [--workers 1 2] [--queue-url redis://127.0.0.1:6379/0]
    .venv/bin/python bench/reading_worker.py --provider model --cases 1 --workers 1
    .venv/bin/python bench/reading_worker.py --provider model --workers 1 2 --split-cores
"""
from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import sqlalchemy as sa  # noqa: E402

from schema import facts, readings  # noqa: E402
from settings import Settings  # noqa: E402
from summariser.reading.model import PassageToRead, ReadFact, Reading  # noqa: E402
from summariser.text import sentence_spans  # noqa: E402
from summariser.wiring import build_reading  # noqa: E402

FAKE_IDENTITY = ("bench-fake", "passage_facts", "bench")


class FakeReader:
    """Reads without a model: each sentence of the passage becomes an accepted fact quoting it."""
    identity = FAKE_IDENTITY

    def read(self, passage: PassageToRead) -> Reading:
        started = time.monotonic()
        found = [ReadFact("other", None, passage.text[start:end], start, end, None, True, None)
                 for start, end in sentence_spans(passage.text)]
        return Reading(tuple(found), *FAKE_IDENTITY, output_tokens=0, seconds=time.monotonic() - started)


def make_reader(provider: str):
    return FakeReader if provider == "fake" else None  # None: the configured model, as the worker builds it


def serve(provider: str) -> None:
    """One worker process (the --serve mode this script launches)."""
    from summariser.reading.worker import run_worker
    settings = Settings()
    run_worker(settings, 1, build_reading(settings, make_reader=make_reader(provider)))


def seed(data_dir: Path) -> None:
    from demo.seed import seed_demo
    from retrieval.records.access import User
    from summariser.wiring import build_services
    seed_demo(build_services(Settings(data_dir=data_dir)), User("bench", "admin", "all"))


def peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return round(int(line.split()[1]) / 1024, 1)
    return 0.0


def run(settings: Settings, provider: str, documents, workers: int, split_cores: bool) -> dict:
    jobs = build_reading(settings, make_reader=make_reader(provider))
    with jobs.store.engine.begin() as conn:
        conn.execute(facts.delete())
        conn.execute(readings.delete())
    jobs.huey.flush()
    started = time.perf_counter()
    queued = jobs.enqueue_documents(d.id for d in documents)
    queue_s = time.perf_counter() - started
    env = dict(os.environ, CASEWORK_DATA_DIR=str(settings.data_dir), CASEWORK_TASK_QUEUE_NAME=settings.task_queue_name,
               CASEWORK_TASK_QUEUE_URL=settings.task_queue_url or "")
    if split_cores:
        env["CASEWORK_LLM_THREADS"] = str(max(1, (os.cpu_count() or 1) // workers))
    started = time.perf_counter()
    processes = [subprocess.Popen([sys.executable, __file__, "--serve", provider], env=env, start_new_session=True,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) for _ in range(workers)]
    try:
        while not jobs.progress(documents).finished:
            if any(p.poll() is not None for p in processes):
                raise SystemExit("a worker stopped early; run it by hand (cli.py worker) to see why")
            time.sleep(0.2)
        elapsed = time.perf_counter() - started
        peaks = [peak_rss_mb(p.pid) for p in processes]
    finally:
        for p in processes:
            if p.poll() is None:
                os.killpg(p.pid, signal.SIGINT)
            p.wait()
    progress = jobs.progress(documents)
    with jobs.store.engine.connect() as conn:
        model_s = conn.execute(sa.select(sa.func.sum(readings.c.seconds))).scalar() or 0.0
    return {"workers": workers, "threads_each": int(env.get("CASEWORK_LLM_THREADS") or settings.llm_threads),
            "passages": queued, "done": progress.done, "failed": progress.failed,
            "queue_seconds": round(queue_s, 3), "seconds_until_all_read": round(elapsed, 2),
            "passages_per_s": round(queued / elapsed, 2), "reader_seconds_stored": round(model_s, 2),
            "worker_peak_rss_mb": peaks}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--provider", choices=["fake", "model"], default="fake")
    parser.add_argument("--cases", type=int, default=0, help="only the first N demo cases (0: all)")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--queue-url", default=None, help="e.g. redis://127.0.0.1:6379/0 (default: SQLite file)")
    parser.add_argument("--split-cores", action="store_true", help="each worker gets cores / workers threads")
    parser.add_argument("--serve", choices=["fake", "model"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        return serve(args.serve)
    with tempfile.TemporaryDirectory() as folder:
        data_dir = Path(folder) / "data"
        started = time.perf_counter()
        seed(data_dir)
        seed_s = time.perf_counter() - started
        settings = Settings(data_dir=data_dir, task_queue_url=args.queue_url,
                            task_queue_name=f"bench-{uuid.uuid4().hex[:8]}")
        jobs = build_reading(settings, make_reader=make_reader(args.provider))
        overviews = jobs.records.overview(None)
        cases = overviews[:args.cases] if args.cases else overviews
        documents = [d for o in cases for d in jobs.records.documents(o.case)]
        passages = [(jobs.records.case_by_id(d.case_id), d, chunk)
                    for d in documents for chunk in jobs.records.passages([d])[d.id]]
        raw_s = None
        if args.provider == "fake":  # the same readings in a plain loop: no queue, no database, no process
            reader, started = FakeReader(), time.perf_counter()
            for case, document, chunk in passages:
                reader.read(PassageToRead.of(chunk.text, case.reference, case.person.full_name, case.case_type,
                                             document.filename))
            raw_s = time.perf_counter() - started
        runs = []
        for n in args.workers:
            result = run(settings, args.provider, documents, n, args.split_cores)
            raw = raw_s if raw_s is not None else result["reader_seconds_stored"]
            result["raw_reader_seconds"] = round(raw, 3)
            result["ratio_workers_to_raw"] = round(result["seconds_until_all_read"] / raw, 1) if raw else None
            print(json.dumps(result), flush=True)
            runs.append(result)
        if args.queue_url:
            jobs.huey.flush()
    print(json.dumps({"provider": args.provider, "broker": "redis" if args.queue_url else "sqlite",
                      "cases": len(cases), "documents": len(documents), "passages": len(passages),
                      "seed_seconds": round(seed_s, 1), "runs": runs}, indent=2))


if __name__ == "__main__":
    main()
