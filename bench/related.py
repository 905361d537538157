"""Related records at 100,000 passages: our search beside a raw Chroma query with the same filter, in one run.

What is timed, for an officer who sees one team (the Case page's "Related records" tab):

- ours: ``retrieval.search.related.related_records`` (what ``CaseService.related`` calls before masking):
  the same person's other cases from the records, then ``PassageIndex.similar_to_case`` (the case's own
  passage vectors used as queries, other cases' passages in the officer's team, best first);
- raw: one ``collection.query`` on the same collection with the same probe vectors (fetched beforehand,
  outside the timer), the same ``where`` (not this case, in this team), ``n_results`` and ``include``;
- raw_get_query: the same query preceded by the raw ``collection.get`` of the probe vectors, i.e. the
  Chroma calls our search cannot do without, for telling our own overhead from the store's.

Masking the other cases' personal details (Presidio, ``CaseService.mask``) is left out: it is the privacy
layer's cost, not the search's, and has no raw counterpart.

How the 100,000 passages are made: embedding that many texts with MiniLM takes 10+ minutes on 2 cores, so
the collection is filled with precomputed vectors instead. By default they are the real MiniLM vectors of
pieces of the demo caseload's files (about 300 characters each, a few hundred of them, embedded once at
the start), each copied with small Gaussian noise (cosine about 0.9 to its original) and normalised;
``--vectors random`` uses random unit vectors instead. They are inserted straight into the collection that
``PassageIndex`` opens (same name, cosine HNSW), with the metadata ``PassageIndex.add`` writes (case,
person, team, document_id, filename, page, start, end) and the piece's text as the document. The persons
and cases go into the records tables in bulk: 5,000 cases of 20 passages each, in four teams, about one
person in five with a second case. Give ``--data DIR`` to keep the built store and reuse it in later runs.

Queries are interleaved (ours and raw alternate, the order flipped each time) so a busy machine weighs on
both alike; the ratio is p95(ours) / p95(raw). Run:
    .venv/bin/python bench/related.py [--passages 100000] [--queries 40] [--rounds 3] [--data DIR]
"""
from __future__ import annotations

import argparse
import json
import random
import re
import statistics
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

import numpy as np
import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from database import make_engine, migrate  # noqa: E402
from retrieval.records.store import CaseRecords  # noqa: E402
from retrieval.search.embeddings import MiniLMEmbedder  # noqa: E402
from retrieval.search.index import PassageIndex, open_client  # noqa: E402
from retrieval.search.related import related_records  # noqa: E402
from schema import cases, persons  # noqa: E402

DEMO_FILES = Path(__file__).resolve().parent.parent / "demo" / "files"
TEAMS = ("benefits", "housing", "adult_social_care", "probation")
PASSAGES_PER_CASE = 20
LIMIT = 6  # Settings.related_limit's default


def demo_pieces(max_pieces: int) -> list[str]:
    """Pieces of about 300 characters of the demo's plain-text files (text, Markdown, e-mail)."""
    pieces = []
    for path in sorted(DEMO_FILES.rglob("*")):
        if path.suffix in (".txt", ".md", ".eml"):
            text = " ".join(path.read_text(encoding="utf-8", errors="replace").split())
            for sentence_run in re.findall(r".{200,300}?(?:[.!?](?=\s)|$)|.{1,300}$", text):
                if len(sentence_run.strip()) > 60:
                    pieces.append(sentence_run.strip())
    return pieces[:max_pieces]


def base_vectors(kind: str, rng: np.random.Generator) -> tuple[np.ndarray, list[str]]:
    if kind == "random":
        return _unit(rng.standard_normal((1000, 384)).astype(np.float32)), [f"Passage {i}." for i in range(1000)]
    pieces = demo_pieces(800)
    started = time.perf_counter()
    vectors = np.asarray(MiniLMEmbedder()(pieces), dtype=np.float32)
    print(f"embedded {len(pieces)} demo pieces with MiniLM in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    return vectors, pieces


def _unit(vectors: np.ndarray) -> np.ndarray:
    return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


def build(data_dir: Path, passages: int, kind: str, seed: int) -> None:
    """Fill the records and the index: persons, cases, then the passages in batches, vectors given."""
    rng, pick = np.random.default_rng(seed), random.Random(seed)
    bases, texts = base_vectors(kind, rng)
    engine = make_engine(f"sqlite:///{data_dir / 'casework.db'}")
    migrate(engine)
    n_cases = passages // PASSAGES_PER_CASE
    now = datetime.now(timezone.utc)
    n_persons = int(n_cases * 0.8)
    with engine.begin() as conn:
        conn.execute(persons.insert(), [{"reference": f"P-{i:06d}", "full_name": f"Person {i}", "created_at": now}
                                        for i in range(1, n_persons + 1)])
        conn.execute(cases.insert(), [
            {"reference": f"C-{i:06d}", "person_id": i if i <= n_persons else pick.randint(1, n_persons),
             "team": TEAMS[i % len(TEAMS)], "case_type": "bench", "title": f"Case {i}", "created_at": now}
            for i in range(1, n_cases + 1)])
    index = PassageIndex(open_client(data_dir, None), MiniLMEmbedder())  # vectors are given: nothing is embedded
    batch = 5000
    started = time.perf_counter()
    for first in range(0, passages, batch):
        numbers = range(first, min(first + batch, passages))
        chosen = [pick.randrange(len(bases)) for _ in numbers]
        noise = rng.standard_normal((len(chosen), bases.shape[1])).astype(np.float32) * (0.5 / np.sqrt(bases.shape[1]))
        vectors = _unit(bases[chosen] + noise)
        metas, ids, docs = [], [], []
        for n, base in zip(numbers, chosen):
            case_no = n // PASSAGES_PER_CASE + 1
            person_no = case_no if case_no <= n_persons else 1  # only used as a label in the index
            document_id = n // 5 + 1  # five passages a document
            start = (n % 5) * 780
            ids.append(f"bench{n:07d}-c{case_no}-p1-{start}")
            docs.append(texts[base])
            metas.append({"case": f"C-{case_no:06d}", "person": f"P-{person_no:06d}", "team": TEAMS[case_no % len(TEAMS)],
                          "document_id": document_id, "filename": f"document-{document_id}.txt", "page": 1,
                          "start": start, "end": start + len(texts[base])})
        index.collection.add(ids=ids, embeddings=vectors.tolist(), documents=docs, metadatas=metas)
    print(f"indexed {passages} passages in {time.perf_counter() - started:.1f} s", file=sys.stderr)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, int(round(q / 100 * len(ordered) + 0.5)) - 1))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--passages", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=40, help="how many cases are asked about")
    parser.add_argument("--rounds", type=int, default=3, help="how many times each case is asked about")
    parser.add_argument("--vectors", choices=("demo", "random"), default="demo")
    parser.add_argument("--data", type=Path, help="a folder to build in (or reuse); default a temporary one")
    parser.add_argument("--seed", type=int, default=16)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temporary:
        data_dir = args.data or Path(temporary)
        data_dir.mkdir(parents=True, exist_ok=True)
        if not (data_dir / "casework.db").exists():
            build(data_dir, args.passages, args.vectors, args.seed)
        run(data_dir, args)


def run(data_dir: Path, args) -> None:
    engine = make_engine(f"sqlite:///{data_dir / 'casework.db'}")
    records = CaseRecords(engine)
    index = PassageIndex(open_client(data_dir, None), MiniLMEmbedder())
    collection = index.collection
    total = collection.count()
    pick = random.Random(args.seed + 1)
    with engine.connect() as conn:
        references = [r for (r,) in conn.execute(sa.select(cases.c.reference).order_by(cases.c.id))]
    asked = [records.case(reference) for reference in pick.sample(references, min(args.queries, len(references)))]

    def where_for(case, teams):
        where: dict = {"case": {"$ne": case.reference}}
        return {"$and": [where, {"team": {"$in": sorted(teams)}}]}

    def probes(case):
        return collection.get(where={"case": case.reference}, include=["embeddings"], limit=12)["embeddings"]

    include = ["documents", "metadatas", "distances"]
    prepared = [(case, frozenset({case.team}), probes(case)) for case in asked]
    for case, teams, vectors in prepared[:5]:  # warm-up: caches, the HNSW index loaded
        related_records(records, index, case, teams, LIMIT)
        collection.query(query_embeddings=vectors, n_results=LIMIT, where=where_for(case, teams), include=include)

    times: dict[str, list[float]] = {"ours": [], "raw": [], "raw_get_query": []}
    agree = 0
    for round_number in range(args.rounds):
        for number, (case, teams, vectors) in enumerate(prepared):
            where = where_for(case, teams)

            def ours():
                return related_records(records, index, case, teams, LIMIT)

            def raw():
                return collection.query(query_embeddings=vectors, n_results=LIMIT, where=where, include=include)

            def raw_get_query():
                got = collection.get(where={"case": case.reference}, include=["embeddings"], limit=12)
                return collection.query(query_embeddings=got["embeddings"], n_results=LIMIT, where=where,
                                        include=include)

            order = [("ours", ours), ("raw", raw), ("raw_get_query", raw_get_query)]
            if (round_number + number) % 2:
                order.reverse()
            results = {}
            for name, call in order:
                started = time.perf_counter()
                results[name] = call()
                times[name].append(time.perf_counter() - started)
            found = results["raw"]
            best: dict[str, float] = {}
            for ids, distances in zip(found["ids"], found["distances"]):
                for chunk_id, distance in zip(ids, distances):
                    best[chunk_id] = min(distance, best.get(chunk_id, distance))
            raw_top = sorted(best, key=lambda i: best[i])[:LIMIT]
            ours_top = [p.chunk_id for p in results["ours"].passages]
            agree += ours_top == raw_top
            assert all(p.case_reference != case.reference for p in results["ours"].passages)
            assert all(c.team in teams for c in results["ours"].same_person)

    def ms(values: list[float], q: float | None = None) -> float:
        return round(1000 * (percentile(values, q) if q else statistics.median(values)), 2)

    result = {
        "passages": total, "cases_asked": len(prepared), "rounds": args.rounds, "limit": LIMIT,
        "vectors": args.vectors, "filter": "case != this case AND team in the officer's one team",
        **{f"{name}_p50_ms": ms(values) for name, values in times.items()},
        **{f"{name}_p95_ms": ms(values, 95) for name, values in times.items()},
        "ratio_p95_ours_to_raw": round(percentile(times["ours"], 95) / percentile(times["raw"], 95), 2),
        "ratio_p50_ours_to_raw": round(statistics.median(times["ours"]) / statistics.median(times["raw"]), 2),
        "ratio_p95_ours_to_raw_get_query": round(percentile(times["ours"], 95)
                                                 / percentile(times["raw_get_query"], 95), 2),
        "same_top_passages_as_raw": f"{agree}/{len(times['ours'])}",
    }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
