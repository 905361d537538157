"""The passage index in Chroma: what was said where, searchable by meaning.

Every passage carries its case, person, team, document and page, so a search
can be limited to what the user may see and every hit can be cited. Passages
are keyed by their id, which names one passage of one case (the same file
held by two cases is two documents with ids of their own, see
chunking.passage_spans), so one case's copy never overwrites or erases
another's.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

import chromadb

from retrieval.errors import IndexUnavailable
from retrieval.records.passages import Chunk
from retrieval.records.store import Case, Document

COLLECTION = "case_passages"


@dataclass(frozen=True)
class Passage:
    chunk_id: str
    case_reference: str
    document_id: int
    filename: str
    page: int
    start: int
    end: int
    text: str
    score: float  # cosine similarity, 1.0 is identical


def open_client(data_dir: Path, chroma_url: str | None):
    """An embedded PersistentClient under data_dir, or an HttpClient when a server URL is given."""
    try:
        if chroma_url:
            url = urlparse(chroma_url)
            return chromadb.HttpClient(host=url.hostname, port=url.port or 8000, ssl=url.scheme == "https")
        return chromadb.PersistentClient(path=str(data_dir / "chroma"))
    except Exception as error:
        raise IndexUnavailable(f"The search index could not be opened ({error}). Check CHROMA_URL or the "
                               "data folder, then try again.") from error


class PassageIndex:
    """Upserts passages and finds similar ones; the embedding function is passed in explicitly."""

    def __init__(self, client, embedding_function, collection: str = COLLECTION):
        self.embedding_function = embedding_function
        try:
            self.collection = client.get_or_create_collection(
                collection, embedding_function=embedding_function, configuration={"hnsw": {"space": "cosine"}})
        except Exception as error:
            raise IndexUnavailable() from error

    def add(self, case: Case, document: Document, chunks: list[Chunk]) -> None:
        """Index a document's passages; ids are stable, so adding twice leaves one copy."""
        self.add_many(case, [(document, chunks)])

    def add_many(self, case: Case, documents: list[tuple[Document, list[Chunk]]]) -> None:
        """Index several documents' passages of one case in one upsert: MiniLM embeds a few dozen passages in
        one call about twice as fast as a few at a time (bench/ingest.py)."""
        pairs = [(document, chunk) for document, chunks in documents for chunk in chunks]
        if not pairs:
            return
        self.collection.upsert(
            ids=[c.id for _, c in pairs],
            documents=[c.text for _, c in pairs],
            metadatas=[{"case": case.reference, "person": case.person.reference, "team": case.team,
                        "document_id": document.id, "filename": document.filename, "page": c.page,
                        "start": c.start, "end": c.end} for document, c in pairs],
        )

    def add_missing(self, case: Case, document: Document, chunks: list[Chunk]) -> int:
        """Index those of a document's passages the index lacks (a crash between storing and indexing, an index
        rebuilt empty); returns how many. Looking costs no embedding, so a file added again is answered at once."""
        if not chunks:
            return 0
        present = set(self.collection.get(ids=[c.id for c in chunks], include=[])["ids"])
        missing = [c for c in chunks if c.id not in present]
        self.add(case, document, missing)
        return len(missing)

    def delete_documents(self, document_ids: list[int]) -> int:
        """Remove every passage of these documents (erasure); returns how many passages were removed."""
        ids = sorted(set(int(i) for i in document_ids))
        if not ids:
            return 0
        where = {"document_id": {"$in": ids}}
        try:
            found = self.collection.get(where=where, include=[])["ids"]
            if found:
                self.collection.delete(ids=found)
        except Exception as error:
            raise IndexUnavailable() from error
        return len(found)

    def count(self, case_reference: str | None = None) -> int:
        if case_reference is None:
            return self.collection.count()
        return len(self.collection.get(where={"case": case_reference}, include=[])["ids"])

    def similar_to_case(self, case: Case, teams: frozenset[str] | None, limit: int,
                        probes: int = 12) -> list[Passage]:
        """Passages from other cases closest to this case's own passages, best first.

        Up to `probes` of the case's passages are used as queries; each foreign
        passage keeps its best score. `teams` limits the search to what the user
        may see (None: every team).
        """
        own = self.collection.get(where={"case": case.reference}, include=["embeddings"], limit=probes)
        if len(own["ids"]) == 0:
            return []
        where: dict = {"case": {"$ne": case.reference}}
        if teams is not None:
            where = {"$and": [where, {"team": {"$in": sorted(teams)}}]}
        found = self.collection.query(query_embeddings=own["embeddings"], n_results=limit, where=where,
                                      include=["documents", "metadatas", "distances"])
        best: dict[str, tuple[float, str, dict]] = {}  # ranked by the exact distance: scores are rounded
        for ids, texts, metas, distances in zip(found["ids"], found["documents"], found["metadatas"],
                                                found["distances"]):
            for chunk_id, text, meta, distance in zip(ids, texts, metas, distances):
                if chunk_id not in best or distance < best[chunk_id][0]:
                    best[chunk_id] = (distance, text, meta)
        ranked = sorted(best.items(), key=lambda item: item[1][0])[:limit]
        return [_passage(chunk_id, text, meta, 1.0 - distance) for chunk_id, (distance, text, meta) in ranked]

    def search(self, query: str, teams: frozenset[str] | None, limit: int = 10,
               case_reference: str | None = None) -> list[Passage]:
        """Passages closest to a question, optionally within one case."""
        clauses = []
        if teams is not None:
            clauses.append({"team": {"$in": sorted(teams)}})
        if case_reference is not None:
            clauses.append({"case": case_reference})
        where = None if not clauses else clauses[0] if len(clauses) == 1 else {"$and": clauses}
        found = self.collection.query(query_texts=[query], n_results=limit, where=where,
                                      include=["documents", "metadatas", "distances"])
        return [_passage(i, t, m, 1.0 - d) for i, t, m, d in
                zip(found["ids"][0], found["documents"][0], found["metadatas"][0], found["distances"][0])]


def _passage(chunk_id: str, text: str, meta: dict, score: float) -> Passage:
    return Passage(chunk_id, meta["case"], int(meta["document_id"]), meta["filename"], int(meta["page"]),
                   int(meta["start"]), int(meta["end"]), text, round(float(score), 4))
