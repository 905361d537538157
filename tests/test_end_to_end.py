"""End to end on the DEFAULT model: demo files in, every passage read into facts by the model, a draft composed
from them, pending in the audit log, and the quality floor it must meet (issue 11). The older direct path (the
model given the passages) is tested end to end on the small model (tests/test_cli.py, tests/test_browser.py)."""
from __future__ import annotations

import json
import re

import pytest

from demo.seed import DEMO
from retrieval.records.access import User
from retrieval.ingest.pipeline import uploads_from_folder
from summariser.text import LEFT_OUT
from tests.conftest import run_reading

ADMIN = User("admin", "admin", "all")


def load_demo_case(service, reference: str) -> User:
    """Register and ingest one demo case; returns its officer."""
    caseload = json.loads((DEMO / "caseload.json").read_text())
    entry = next(c for c in caseload["cases"] if c["reference"] == reference)
    person = next(p for p in caseload["persons"] if p["reference"] == entry["person"])
    service.cases.register_case(ADMIN, person, entry)
    outcomes = service.cases.ingest(ADMIN, reference, uploads_from_folder(DEMO / "files" / reference, 10**8))
    assert [o.status for o in outcomes] == ["added"] * len(outcomes)
    return User(entry["officer"], "officer", entry["team"])


@pytest.mark.model
@pytest.mark.parametrize("reference", ["BR-2025-0203", "AS-2024-0862"])  # two small demo cases of two kinds
def test_a_draft_composed_from_what_the_default_model_read_meets_the_quality_floor(make_service, minilm, default_chat,
                                                                                reference):
    service = make_service(chat_model=lambda: default_chat, embedder=minilm, make_reader=None, draft_from="facts")
    officer = load_demo_case(service, reference)
    run_reading(service)  # the real reader on the default model, as the worker runs it
    assert service.reading.progress(officer, reference).finished
    state = service.drafting.draft(officer, reference)
    assert state.status == "pending", getattr(state.drafted.data, "error", None)
    drafted = state.drafted.data
    print(f"\n--- composed draft of {reference} ---\n{drafted.output}")
    template = service.drafting.templates.get(drafted.template.name)
    assert re.findall(r"^## (.+)$", drafted.output, re.M)[:len(template.sections)] == list(template.sections)
    bullets = [line.strip() for line in drafted.output.splitlines()
               if line.strip().startswith("- [") and LEFT_OUT not in line]  # the tool's notes of facts not listed
    assert bullets and len(bullets) == len(set(bullets)), "a bullet is repeated"
    assert drafted.citations["unresolved"] == [] and drafted.citations["resolved"]
    sentences = drafted.grounding["sentences"]
    supported = sum(s["supported"] for s in sentences)
    print(f"{supported} of {len(sentences)} sentences supported as drafted")
    for s in sentences:
        if not s["supported"]:
            print("  unsupported:", s["text"], "|", " ".join(s["reasons"]))
    assert supported >= 0.8 * len(sentences)
