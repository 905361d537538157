"""Ingest of the demo caseload, next to raw sentence-transformers embedding the same passages, in one run.

What is timed: ``CaseService.ingest`` of each demo case's folder, the path an officer's upload takes (bounded
parsing in the sandbox worker, chunking, SQL, MiniLM embedding and Chroma upsert, the reading queue and the
``documents_added`` audit event). Checking the added documents (prompt injection; letters' vulnerability) is the
background worker's since issue 16 (summariser/services/checking.py): it is timed after, apart, as
``background_seconds``.

The cases are registered beforehand and one small file is ingested into a warm-up case first, outside the
timer, so what is paid once per process (the sandbox worker's start, the bundled drafting model's checksum that
naming the reader costs) is printed apart, as ``warm_up_seconds``. Then the same passages are embedded by
``SentenceTransformer.encode`` alone:
- ``overhead_ratio``: ours / raw embedding of all of them in one batch;
- ``overhead_ratio_by_upload``: ours / raw embedding of each case's passages in one call per case, as its upload
  embeds them (one upload is one case's files: the most batching an upload can have);
- ``pipeline_overhead_ratio``: ``Ingestor.ingest`` alone (stored and indexed) / the one batch.
``--index-batch 1`` indexes file by file, as before issue 16, for comparison. ``breakdown_seconds`` says where
the time goes: each part is timed by a thin wrapper around the object that does it (the services' parts are
passed in, so they can be wrapped), the embedding by wrapping the embedder and noting who called it. Run:
    .venv/bin/python bench/ingest.py [--index-batch N]
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections import defaultdict
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from demo.seed import DEMO, MAX_DEMO_FILE_BYTES  # noqa: E402
from retrieval.ingest.pipeline import Ingestor, Upload, uploads_from_folder  # noqa: E402
from retrieval.records.access import User  # noqa: E402
from retrieval.search.embeddings import MiniLMEmbedder  # noqa: E402
from settings import Settings  # noqa: E402
from summariser.wiring import build_services  # noqa: E402

clock: dict[str, float] = defaultdict(float)
counts: dict[str, int] = defaultdict(int)
_phase: list[str] = ["other"]


@contextmanager
def timed(name: str):
    _phase.append(name)
    started = time.perf_counter()
    try:
        yield
    finally:
        clock[name] += time.perf_counter() - started
        _phase.pop()


class TimedEmbedder(MiniLMEmbedder):
    """The real embedder, noting how long each call took and whose phase it was in."""

    def __call__(self, input):
        started = time.perf_counter()
        try:
            return super().__call__(input)
        finally:
            clock[f"embedding in {_phase[-1]}"] += time.perf_counter() - started
            counts[f"texts embedded in {_phase[-1]}"] += len(input)


class Timed:
    """Stands in for an object, timing the named methods under a phase name."""

    def __init__(self, inner, phase: str, methods: set[str]):
        self._inner, self._phase, self._methods = inner, phase, methods

    def __getattr__(self, name):
        value = getattr(self._inner, name)
        if name not in self._methods:
            return value

        def call(*args, **kwargs):
            with timed(self._phase):
                return value(*args, **kwargs)
        return call


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index-batch", type=int, help="passages indexed together (default: the Ingestor's)")
    args = parser.parse_args()
    embedder = TimedEmbedder()
    embedder(["warm up"])  # both sides start with the model loaded
    caseload = json.loads((DEMO / "caseload.json").read_text(encoding="utf-8"))
    people = {p["reference"]: p for p in caseload["persons"]}
    with tempfile.TemporaryDirectory() as folder:
        services = build_services(Settings(data_dir=Path(folder)), embedder=embedder)
        admin = User("bench", "admin", "all")
        cases = services.cases
        for entry in caseload["cases"]:
            cases.register_case(admin, people[entry["person"]], entry)
        first = caseload["cases"][0]
        cases.register_case(admin, people[first["person"]], {**first, "reference": "BENCH-WARM-UP"})
        started = time.perf_counter()
        cases.ingest(admin, "BENCH-WARM-UP", [Upload("warm-up.txt", b"A short note to start the workers.")])
        warm_up = time.perf_counter() - started
        clock.clear()
        counts.clear()

        plain = cases.ingestor
        cases.ingestor = Timed(Ingestor(Timed(plain.records, "pipeline: SQL", {"document_by_sha256", "add_document",
                                                                                "passages"}),
                                        Timed(plain.index, "pipeline: index (embed + upsert)", {"add_many", "add_missing"}),
                                        plain.limits, plain.chunk_chars, plain.chunk_overlap,
                                        args.index_batch or plain.index_batch),
                               "pipeline", {"ingest"})
        cases.reading = Timed(cases.reading, "reading queue", {"enqueue_documents"})
        cases.audit = Timed(cases.audit, "audit event", {"append"})
        uploads = {entry["reference"]: uploads_from_folder(DEMO / "files" / entry["reference"], MAX_DEMO_FILE_BYTES)
                   for entry in caseload["cases"] if (DEMO / "files" / entry["reference"]).is_dir()}
        started = time.perf_counter()
        for reference, files in uploads.items():
            with timed("ingest"):
                cases.ingest(admin, reference, files)
        ours = time.perf_counter() - started
        pipeline = clock["pipeline"]
        parts = dict(clock)
        with timed("checks"):  # what the worker does next: screening, and the letters' vulnerability scores
            services.checks.run_all()
        background = clock["checks"]

        records = services.stores.records
        documents = [d for o in records.overview(None) if o.case.reference != "BENCH-WARM-UP"
                     for d in records.documents(o.case)]
        pages = sum(len(d.pages) for d in documents)
        passages = records.passages(documents)
        chunks = [c.text for found in passages.values() for c in found]
        started = time.perf_counter()
        embedder.model.encode(chunks, batch_size=64, normalize_embeddings=True, show_progress_bar=False)
        raw = time.perf_counter() - started
        by_upload: dict[int, list[str]] = defaultdict(list)  # each case's passages, as its upload embedded them
        for document in documents:
            by_upload[document.case_id] += [c.text for c in passages.get(document.id, [])]
        started = time.perf_counter()
        for texts in by_upload.values():
            embedder.model.encode(texts, batch_size=64, normalize_embeddings=True, show_progress_bar=False)
        raw_by_upload = time.perf_counter() - started

    index_embedding = parts.get("embedding in pipeline: index (embed + upsert)", 0.0)
    breakdown = {
        "pipeline: parse in the sandbox, chunk, the rest": pipeline - parts.get("pipeline: SQL", 0.0)
        - parts.get("pipeline: index (embed + upsert)", 0.0),
        "pipeline: SQL": parts.get("pipeline: SQL", 0.0),
        "pipeline: MiniLM embedding of the passages": index_embedding,
        "pipeline: Chroma upsert without embedding": parts.get("pipeline: index (embed + upsert)", 0.0) - index_embedding,
        "reading queue": parts.get("reading queue", 0.0),
        "audit event": parts.get("audit event", 0.0),
        "the rest (access check, text hashes)": ours - pipeline - parts.get("reading queue", 0.0)
        - parts.get("audit event", 0.0),
    }
    checks_embedding = clock.get("embedding in checks", 0.0)
    result = {
        "index_batch": args.index_batch or plain.index_batch, "documents": len(documents), "pages": pages, "chunks": len(chunks),
        "sentences_embedded_in_background": counts.get("texts embedded in checks", 0),
        "warm_up_seconds": round(warm_up, 2),
        "ingest_seconds": round(ours, 2), "ingest_pages_per_s": round(pages / ours, 1),
        "ingest_chunks_per_s": round(len(chunks) / ours, 1),
        "pipeline_seconds": round(pipeline, 2),
        "raw_embedding_seconds": round(raw, 2), "raw_chunks_per_s": round(len(chunks) / raw, 1),
        "overhead_ratio": round(ours / raw, 2),
        "raw_embedding_by_upload_seconds": round(raw_by_upload, 2),
        "overhead_ratio_by_upload": round(ours / raw_by_upload, 2),
        "pipeline_overhead_ratio": round(pipeline / raw, 2),
        "breakdown_seconds": {name: round(seconds, 2) for name, seconds in breakdown.items()},
        "background_seconds": {"checks: MiniLM embedding of sentences": round(checks_embedding, 2),
                               "checks: rules, SQL, events": round(background - checks_embedding, 2)},
    }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
