"""A batch with bad files goes on: each file gets its own outcome, nothing else is lost."""
from __future__ import annotations

import pytest

from retrieval.access import User
from retrieval.ingest import Upload, uploads_from_folder
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
    outcomes = service.ingest(ADMIN, "BR-1", uploads, lambda done, total, o: progress.append((done, total)))
    assert [o.status for o in outcomes] == ["added", "refused", "refused", "refused", "added"]
    assert [o.error for o in outcomes][1:4] == ["MalformedFile", "UnsupportedType", "EmptyDocument"]
    assert all(o.message for o in outcomes)
    assert progress == [(n, 5) for n in range(1, 6)]
    assert [d.filename for d in service.documents(ADMIN, "BR-1")] == ["good.txt", "second.md"]
    added = service.audit.events(actions=("documents_added",))[-1].payload["files"]
    assert [f["status"] for f in added] == [o.status for o in outcomes]


def test_the_same_file_twice_is_stored_once(service):
    first = service.ingest(ADMIN, "BR-1", [Upload("a.txt", b"Same bytes.")])
    second = service.ingest(ADMIN, "BR-1", [Upload("copy-of-a.txt", b"Same bytes.")])
    assert first[0].status == "added" and second[0].status == "already held"
    assert "already held" in second[0].message and "a.txt" in second[0].message
    assert len(service.documents(ADMIN, "BR-1")) == 1


def test_a_folder_read_never_holds_more_than_the_limit(tmp_path):
    (tmp_path / "big.txt").write_bytes(b"x" * 5000)
    (tmp_path / ".hidden").write_bytes(b"secret")
    uploads = uploads_from_folder(tmp_path, max_bytes=1000)
    assert [(u.filename, len(u.data)) for u in uploads] == [("big.txt", 1001)]
