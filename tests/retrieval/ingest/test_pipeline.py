"""A batch with bad files goes on: each file gets its own outcome, nothing else is lost."""
from __future__ import annotations

import pytest

from retrieval.records.access import User
from retrieval.ingest.pipeline import Upload, uploads_from_folder
from tests.conftest import register

ADMIN = User("admin", "admin", "all")


@pytest.fixture
def service(make_service):
    service = make_service()
    register(service, "BR-1", "benefits")
    return service


def test_one_bad_file_never_stops_the_batch(service):
    progress = []
    uploads = [Upload("good.txt", b"A good note about rent."), Upload("broken.pdf", b"%PDF-1.7\n1 0 obj <<"),
               Upload("picture.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64), Upload("empty.txt", b"   "),
               Upload("second.md", b"# Second\nAnother good note.")]
    outcomes = service.cases.ingest(ADMIN, "BR-1", uploads, lambda done, total, o: progress.append((done, total)))
    assert [o.status for o in outcomes] == ["added", "refused", "refused", "refused", "added"]
    assert [o.error for o in outcomes][1:4] == ["MalformedFile", "UnsupportedType", "EmptyDocument"]
    assert all(o.message for o in outcomes)
    assert progress == [(n, 5) for n in range(1, 6)]
    assert [d.filename for d in service.cases.documents(ADMIN, "BR-1")] == ["good.txt", "second.md"]
    added = service.stores.audit.events(actions=("documents_added",))[-1].data.files
    assert [f.status for f in added] == [o.status for o in outcomes]


def test_the_same_file_twice_is_stored_once(service):
    first = service.cases.ingest(ADMIN, "BR-1", [Upload("a.txt", b"Same bytes.")])
    second = service.cases.ingest(ADMIN, "BR-1", [Upload("copy-of-a.txt", b"Same bytes.")])
    assert first[0].status == "added" and second[0].status == "already held"
    assert "already held" in second[0].message and "a.txt" in second[0].message
    assert len(service.cases.documents(ADMIN, "BR-1")) == 1


def test_a_folder_read_never_holds_more_than_the_limit(tmp_path):
    (tmp_path / "big.txt").write_bytes(b"x" * 5000)
    (tmp_path / ".hidden").write_bytes(b"secret")
    uploads = uploads_from_folder(tmp_path, max_bytes=1000)
    assert [(u.filename, len(u.data)) for u in uploads] == [("big.txt", 1001)]


def test_ingest_stores_the_passages_it_indexes_and_new_chunk_settings_change_only_new_documents(engine, tmp_path):
    import chromadb

    from retrieval.ingest.chunking import chunk_document
    from retrieval.ingest.loaders import LoadLimits
    from retrieval.ingest.pipeline import Ingestor
    from retrieval.records.store import CaseRecords
    from retrieval.search.index import PassageIndex
    from tests.conftest import HashingEmbedder
    records = CaseRecords(engine)
    index = PassageIndex(chromadb.PersistentClient(path=str(tmp_path / "chroma")), HashingEmbedder())
    records.add_person("P-1", "Jane Jones")
    case = records.add_case("BR-1", "P-1", "benefits", "benefit-review", "UC review")
    note = " ".join(f"Sentence {i} about the rent arrears and the hearing." for i in range(80)).encode()

    first = Ingestor(records, index, LoadLimits()).ingest_one(case, Upload("a.txt", note), "asha")
    document = records.document(first.document_id)
    stored = records.passages([document])[document.id]
    assert [c.id for c in stored] == [c.id for c in chunk_document(document, 900, 120)]
    assert first.chunks == len(stored) > 1
    assert sorted(index.collection.get(where={"document_id": document.id})["ids"]) == sorted(c.id for c in stored)

    smaller = Ingestor(records, index, LoadLimits(), chunk_chars=300, chunk_overlap=50)
    again = smaller.ingest_one(case, Upload("copy.txt", note), "asha")
    assert again.status == "already held" and again.chunks == len(stored)
    assert records.passages([document])[document.id] == stored  # the old document keeps the ids drafts cite
    second = smaller.ingest_one(case, Upload("b.txt", note + b" One more."), "asha")
    new = records.document(second.document_id)
    assert [c.id for c in records.passages([new])[new.id]] == [c.id for c in chunk_document(new, 300, 50)]
    assert index.count("BR-1") == len(stored) + second.chunks
