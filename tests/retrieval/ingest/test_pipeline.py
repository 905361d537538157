"""A batch with bad files goes on: each file gets its own outcome, nothing else is lost."""
from __future__ import annotations

import json

import pytest

from retrieval.records.access import User
from retrieval.ingest.loaders import LoadLimits
from retrieval.ingest.pipeline import Ingestor, Upload, uploads_from_folder
from tests.conftest import HashingEmbedder, register

ADMIN = User("admin", "admin", "all")
MB = 1024 * 1024


def _stores(engine, tmp_path):
    """Real records and a real Chroma index on disk, whose embedder notes every text it embeds."""
    import chromadb

    from retrieval.records.store import CaseRecords
    from retrieval.search.index import PassageIndex
    embedded = []

    class Counting(HashingEmbedder):
        calls = 0  # how many times it was asked (new files of one batch are embedded together)

        def __call__(self, input):
            Counting.calls += 1
            embedded.extend(input)
            return super().__call__(input)
    records = CaseRecords(engine)
    records.add_person("P-1", "Jane Jones")
    return records, PassageIndex(chromadb.PersistentClient(path=str(tmp_path / "chroma")), Counting()), embedded


@pytest.fixture
def service(make_service):
    service = make_service()
    register(service, "BR-1", "benefits")
    return service


def test_one_bad_file_never_stops_the_batch(service):
    progress = []
    uploads = [Upload("good.txt", b"A good note about rent."), Upload("broken.pdf", b"%PDF-1.7\n1 0 obj <<"),
               Upload("picture.gif", b"GIF89a" + b"\x00" * 64), Upload("empty.txt", b"   "),
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
    (tmp_path / "small.txt").write_bytes(b"x" * 1000)
    (tmp_path / ".hidden").write_bytes(b"secret")
    uploads = uploads_from_folder(tmp_path, max_bytes=1000)
    assert [(u.filename, len(u.data), u.size) for u in uploads] == [("big.txt", 1001, 5000), ("small.txt", 1000, None)]


def test_an_oversized_file_is_refused_with_its_real_size(service, tmp_path):
    with (tmp_path / "scan.pdf").open("wb") as handle:  # 40.5 MB, most of it a hole on disk
        handle.truncate(int(40.5 * MB))
    uploads = uploads_from_folder(tmp_path, max_bytes=25 * MB)
    assert len(uploads[0].data) == 25 * MB + 1
    outcome = service.cases.ingest(ADMIN, "BR-1", uploads)[0]
    assert (outcome.status, outcome.error) == ("refused", "TooLarge")
    assert outcome.message.startswith("This file is 40.5 MB, larger than the 25 MB limit.")
    just_over = service.cases.ingest(ADMIN, "BR-1", [Upload("a.txt", b"x" * (25 * MB + 1))])[0]
    assert "is 26,214,401 bytes, larger than the 25 MB limit" in just_over.message  # not "25.0 MB"


def test_a_file_this_case_holds_is_recognised_before_it_is_read_or_embedded(engine, tmp_path):
    """Added again without its password, a protected PDF this case holds is "already held": had it been read,
    it would be refused for the password. Nothing is embedded unless the index lost the passages."""
    from tests.retrieval.ingest.test_loaders import encrypted_pdf
    records, index, embedded = _stores(engine, tmp_path)
    case = records.add_case("BR-1", "P-1", "benefits", "benefit-review", "UC review")
    ingestor = Ingestor(records, index, LoadLimits())
    locked = encrypted_pdf("secret")
    first = ingestor.ingest_one(case, Upload("locked.pdf", locked, "secret"), "asha")
    assert first.status == "added" and len(embedded) == first.chunks == 3

    embedded.clear()
    again = ingestor.ingest_one(case, Upload("copy.pdf", locked), "asha")
    assert (again.status, again.document_id, again.chunks) == ("already held", first.document_id, 3)
    assert again.message == "This file is already held in this case (as locked.pdf); it was not added twice."
    assert embedded == []

    index.delete_documents([first.document_id])  # as if the machine stopped between storing and indexing
    healed = ingestor.ingest_one(case, Upload("copy.pdf", locked), "asha")
    assert healed.status == "already held" and len(embedded) == 3 and index.count("BR-1") == 3


def test_the_same_file_in_another_teams_case_is_its_own_document_and_nothing_of_the_other_is_named(make_service):
    """Issue 14: a housing officer adding a file an adult social care case holds was told that case and file."""
    service = make_service()
    register(service, "AS-2025-0310", "adult-social-care", "P-1", "Jane Jones")
    register(service, "HS-7", "housing", "P-2", "Amir Khan")
    care, housing = User("carla", "officer", "adult-social-care"), User("harry", "officer", "housing")
    notes = b"04/03/2025 Home visit: the heating is broken and the rent is in arrears.\n"
    held = service.cases.ingest(care, "AS-2025-0310", [Upload("2025-03-04_case-notes.txt", notes)])[0]

    added = service.cases.ingest(housing, "HS-7", [Upload("letter.txt", notes)])[0]
    again = service.cases.ingest(housing, "HS-7", [Upload("copy.txt", notes)])[0]
    assert (added.status, again.status) == ("added", "already held") and added.document_id != held.document_id
    assert again.message == "This file is already held in this case (as letter.txt); it was not added twice."
    events = service.stores.audit.events(actions=("documents_added",), case_reference="HS-7")
    shown = " ".join([added.message, again.message] + [json.dumps(e.payload) for e in events])
    for other in ("AS-2025-0310", "case-notes", "Jane", "P-1"):
        assert other not in shown
    assert {f.document_id for e in events for f in e.data.files} == {added.document_id}
    ours, theirs = service.cases.documents(housing, "HS-7"), service.cases.documents(care, "AS-2025-0310")
    assert [d.sha256 for d in ours] == [d.sha256 for d in theirs] and ours[0].id != theirs[0].id

    index = service.stores.index  # each case's copy indexed under its own case and team, neither overwritten
    assert index.count("AS-2025-0310") == index.count("HS-7") == 1
    assert [p.case_reference for p in index.search("heating broken", frozenset({"housing"}))] == ["HS-7"]
    assert [p.case_reference for p in index.search("heating broken", frozenset({"adult-social-care"}))] == [
        "AS-2025-0310"]
    index.delete_documents([theirs[0].id])  # erasing one case's copy leaves the other's
    assert index.count("AS-2025-0310") == 0 and index.count("HS-7") == 1


def test_a_name_with_control_characters_is_stored_clean_and_audited_escaped(service):
    given = "rent\x00 letter\x1b[2J\u202etxt.exe\U000e0041.txt"
    outcome = service.cases.ingest(ADMIN, "BR-1", [Upload(given, b"Rent arrears of 120 pounds.")])[0]
    escaped = "rent\\x00 letter\\x1b[2J\\u202etxt.exe\\U000e0041.txt"
    assert outcome.status == "added" and outcome.filename == escaped
    stored = service.cases.documents(ADMIN, "BR-1")[0].filename
    assert stored == "rent letter[2Jtxt.exe.txt" and stored in outcome.message
    assert service.stores.audit.events(actions=("documents_added",))[-1].data.files[0].filename == escaped


def test_ingest_stores_the_passages_it_indexes_and_new_chunk_settings_change_only_new_documents(engine, tmp_path):
    from retrieval.ingest.chunking import passage_spans
    records, index, _ = _stores(engine, tmp_path)
    case = records.add_case("BR-1", "P-1", "benefits", "benefit-review", "UC review")

    def cut(document, chunk_chars, overlap):  # as ingest cuts: the ids carry the case
        return [s.id for s in passage_spans(document.sha256, document.text, document.pages, chunk_chars, overlap,
                                            case_id=case.id)]
    note = " ".join(f"Sentence {i} about the rent arrears and the hearing." for i in range(80)).encode()

    first = Ingestor(records, index, LoadLimits()).ingest_one(case, Upload("a.txt", note), "asha")
    document = records.document(first.document_id)
    stored = records.passages([document])[document.id]
    assert [c.id for c in stored] == cut(document, 900, 120) and f"-c{case.id}-p1-" in stored[0].id
    assert first.chunks == len(stored) > 1
    assert sorted(index.collection.get(where={"document_id": document.id})["ids"]) == sorted(c.id for c in stored)

    smaller = Ingestor(records, index, LoadLimits(), chunk_chars=300, chunk_overlap=50)
    again = smaller.ingest_one(case, Upload("copy.txt", note), "asha")
    assert again.status == "already held" and again.chunks == len(stored)
    assert records.passages([document])[document.id] == stored  # the old document keeps the ids drafts cite
    second = smaller.ingest_one(case, Upload("b.txt", note + b" One more."), "asha")
    new = records.document(second.document_id)
    assert [c.id for c in records.passages([new])[new.id]] == cut(new, 300, 50)
    assert index.count("BR-1") == len(stored) + second.chunks


def _note(topic: str, sentences: int) -> bytes:
    return " ".join(f"Sentence {i} of the note about {topic}." for i in range(sentences)).encode()


def test_new_files_of_a_batch_are_indexed_together_and_reported_in_order(engine, tmp_path):
    """Passages of several new files are embedded in one call (index_batch passages or more at a time); each
    file still gets its own outcome and progress report, in upload order, once it is searchable. The same
    file twice in one batch is stored and embedded once."""
    records, index, embedded = _stores(engine, tmp_path)
    case = records.add_case("BR-1", "P-1", "benefits", "benefit-review", "UC review")
    ingestor = Ingestor(records, index, LoadLimits(), index_batch=64)
    embedder = index.embedding_function
    uploads = [Upload("rent.txt", _note("rent", 40)), Upload("broken.pdf", b"%PDF-1.7\n1 0 obj <<"),
               Upload("hearing.md", _note("the hearing", 30)), Upload("rent-again.txt", _note("rent", 40)),
               Upload("food.txt", _note("food", 20))]
    reports = []

    def progress(done, total, outcome):  # a file reported is already searchable
        reports.append((done, total, outcome.status, index.count("BR-1")))
    before = embedder.calls
    outcomes = ingestor.ingest(case, uploads, "asha", progress)
    assert [o.status for o in outcomes] == ["added", "refused", "added", "already held", "added"]
    assert outcomes[3].document_id == outcomes[0].document_id and "rent.txt" in outcomes[3].message
    added = sum(o.chunks for o in outcomes if o.status == "added")
    assert embedder.calls - before == 1 and len(embedded) == added == index.count("BR-1")
    assert reports == [(n, 5, o.status, added) for n, o in enumerate(outcomes, start=1)]

    embedded.clear()
    few = Ingestor(records, index, LoadLimits(), index_batch=1)  # a batch of one passage: file by file, as before
    more = few.ingest(case, [Upload("a.txt", _note("a", 3)), Upload("b.txt", _note("b", 3))], "asha")
    assert [o.status for o in more] == ["added", "added"] and embedder.calls - before == 3
    slow = Ingestor(records, index, LoadLimits(), index_batch=64, flush_s=0.0)  # each file waited too long
    reports.clear()
    slow.ingest(case, [Upload("c.txt", _note("c", 3)), Upload("d.txt", _note("d", 3))], "asha", progress)
    assert embedder.calls - before == 5 and [r[0] for r in reports] == [1, 2]


def test_an_index_failure_refuses_each_file_of_its_batch_and_adding_them_again_heals(engine, tmp_path):
    records, index, embedded = _stores(engine, tmp_path)
    case = records.add_case("BR-1", "P-1", "benefits", "benefit-review", "UC review")

    class Unreachable:
        def __init__(self, inner):
            self.inner = inner

        def add_many(self, case, documents):
            raise ConnectionError("the index server did not answer")

        def add_missing(self, case, document, chunks):
            return self.inner.add_missing(case, document, chunks)
    uploads = [Upload("a.txt", _note("a", 5)), Upload("b.txt", _note("b", 5))]
    failed = Ingestor(records, Unreachable(index), LoadLimits()).ingest(case, uploads, "asha")
    assert [(o.status, o.error) for o in failed] == [("refused", "IndexUnavailable")] * 2
    assert all("stored but could not be indexed" in o.message and o.document_id for o in failed)
    assert index.count("BR-1") == 0 and len(records.documents(case)) == 2

    healed = Ingestor(records, index, LoadLimits()).ingest(case, uploads, "asha")
    assert [o.status for o in healed] == ["already held"] * 2
    assert index.count("BR-1") == sum(o.chunks for o in healed) == len(embedded) > 0
