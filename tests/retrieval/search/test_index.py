"""The Chroma index with the real bundled MiniLM: idempotent, team-filtered, finds the right passages."""
from __future__ import annotations

import pytest

from retrieval.records.access import User
from retrieval.ingest.pipeline import Upload
from tests.conftest import register

ASHA = User("asha", "officer", "benefits")
ADMIN = User("admin", "admin", "all")

TEXTS = {
    "BR-1": "Ms Jones said she has not eaten for three days and cannot afford food after rent arrears.",
    "BR-2": "Mr Khan reported that he skipped meals because money ran out before payday; food bank referral.",
    "HS-1": "The tenant has rent arrears and has been missing meals; eviction hearing on 12 May 2025.",
    "BR-3": "The claimant's car insurance renewal letter was received; no action needed.",
}


@pytest.fixture
def service(make_service, minilm):
    service = make_service(embedder=minilm)
    register(service, "BR-1", "benefits", "P-1", "Jane Jones")
    register(service, "BR-2", "benefits", "P-2", "Amir Khan")
    register(service, "BR-3", "benefits", "P-3", "Li Wei")
    register(service, "HS-1", "housing", "P-1", "Jane Jones")
    for reference, text in TEXTS.items():
        service.cases.ingest(ADMIN, reference, [Upload(f"{reference}.txt", text.encode())])
    return service


def test_reingesting_is_idempotent(service):
    before = service.stores.index.count()
    outcomes = service.cases.ingest(ADMIN, "BR-1", [Upload("BR-1.txt", TEXTS["BR-1"].encode())])
    assert outcomes[0].status == "already held" and service.stores.index.count() == before == 4


def test_related_records_respect_the_team_and_rank_by_meaning(service):
    related = service.cases.related(ASHA, "BR-1")
    assert [p.case_reference for p in related.passages][0] == "BR-2"  # the other hunger note ranks first
    assert "HS-1" not in {p.case_reference for p in related.passages}  # housing is not Asha's team
    assert "BR-1" not in {p.case_reference for p in related.passages}
    assert related.same_person == []  # Jane's housing case is not visible to a benefits officer
    everything = service.cases.related(ADMIN, "BR-1")
    assert [c.reference for c in everything.same_person] == ["HS-1"]
    assert {p.case_reference for p in everything.passages[:2]} == {"BR-2", "HS-1"}
    assert all(0 <= p.score <= 1 and p.text and p.filename.endswith(".txt") for p in everything.passages)


def test_search_within_teams(service):
    hits = service.stores.index.search("eviction hearing date", frozenset({"housing"}), limit=2)
    assert hits[0].case_reference == "HS-1" and hits[0].page == 1


def test_deleting_a_documents_passages_removes_them_from_every_search(service):
    jane = [d.id for reference in ("BR-1", "HS-1") for d in service.cases.documents(ADMIN, reference)]
    assert service.stores.index.delete_documents(jane) == 2
    index = service.stores.index
    assert index.count() == 2 and index.count("BR-1") == index.count("HS-1") == 0
    hits = service.stores.index.search("eviction hearing rent arrears meals", None, limit=4)
    assert {h.case_reference for h in hits} == {"BR-2", "BR-3"}
    assert all(p.case_reference != "BR-1" for p in service.cases.related(ADMIN, "BR-2").passages)
    assert service.stores.index.delete_documents(jane) == 0 and service.stores.index.delete_documents([]) == 0
