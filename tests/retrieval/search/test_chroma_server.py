"""The index against a real Chroma server (HttpClient), as a many-user deployment runs it."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from retrieval.records.access import User
from retrieval.ingest.pipeline import Upload
from tests.conftest import free_port, register, wait_for

CHROMA = Path(sys.executable).parent / "chroma"


@pytest.fixture
def chroma_url(tmp_path):
    if not CHROMA.exists():
        pytest.skip("the chroma command is not installed")
    port = free_port()
    server = subprocess.Popen([str(CHROMA), "run", "--path", str(tmp_path / "chroma-server"), "--host", "127.0.0.1",
                               "--port", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    wait_for(f"{url}/api/v2/heartbeat", server)
    yield url
    server.terminate()
    server.wait(timeout=20)
    shutil.rmtree(tmp_path / "chroma-server", ignore_errors=True)


def test_ingest_and_related_records_through_a_chroma_server(make_service, chroma_url):
    service = make_service(chroma_url=chroma_url)
    admin = User("admin", "admin", "all")
    register(service, "BR-1", "benefits", "P-1")
    register(service, "BR-2", "benefits", "P-2")
    service.cases.ingest(admin, "BR-1", [Upload("a.txt", b"Rent arrears and skipped meals reported by phone.")])
    service.cases.ingest(admin, "BR-2", [Upload("b.txt", b"Skipped meals because of rent arrears; food bank referral.")])
    again = service.cases.ingest(admin, "BR-2",
                                 [Upload("b.txt", b"Skipped meals because of rent arrears; food bank referral.")])
    assert again[0].status == "already held" and service.stores.index.count() == 2
    related = service.cases.related(admin, "BR-1")
    assert [p.case_reference for p in related.passages] == ["BR-2"]
    assert not (Path(service.stores.records.engine.url.database).parent / "chroma").exists()  # nothing embedded
