"""Ingest throughput of the demo caseload, next to raw sentence-transformers on the same passages.

Prints pages/s and chunks/s for our whole pipeline (bounded parsing, SQL,
chunking, MiniLM embedding, Chroma upsert) and the raw embedding rate of the
same passages in the same run; the ratio is our overhead. Run:
    .venv/bin/python bench/ingest.py
"""
from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from demo.seed import seed_demo  # noqa: E402
from retrieval.records.access import User  # noqa: E402
from retrieval.ingest.chunking import chunk_document  # noqa: E402
from retrieval.search.embeddings import MiniLMEmbedder  # noqa: E402
from settings import Settings  # noqa: E402
from summariser.wiring import build_services  # noqa: E402


def main() -> None:
    embedder = MiniLMEmbedder()
    embedder(["warm up"])  # both sides start with the model loaded
    with tempfile.TemporaryDirectory() as folder:
        services = build_services(Settings(data_dir=Path(folder)), embedder=embedder)
        admin = User("bench", "admin", "all")
        started = time.perf_counter()
        seed_demo(services, admin)
        ours = time.perf_counter() - started
        records = services.stores.records
        documents = [d for o in records.overview(None) for d in records.documents(o.case)]
        pages = sum(len(d.pages) for d in documents)
        chunks = [c.text for d in documents for c in chunk_document(d)]
        started = time.perf_counter()
        embedder.model.encode(chunks, batch_size=64, normalize_embeddings=True, show_progress_bar=False)
        raw = time.perf_counter() - started
    result = {
        "documents": len(documents), "pages": pages, "chunks": len(chunks),
        "pipeline_seconds": round(ours, 2), "pipeline_pages_per_s": round(pages / ours, 1),
        "pipeline_chunks_per_s": round(len(chunks) / ours, 1),
        "raw_embedding_seconds": round(raw, 2), "raw_chunks_per_s": round(len(chunks) / raw, 1),
        "overhead_ratio": round(ours / raw, 2),
    }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
