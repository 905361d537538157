"""End to end on the DEFAULT model: demo files in, a cited draft out, pending in the audit log."""
from __future__ import annotations

import pytest

from demo.seed import DEMO
from retrieval.records.access import User
from retrieval.ingest.pipeline import uploads_from_folder
from summariser.drafting.llm import ModelConfig, make_chat_model
from tests.conftest import PROJECT

CASE = "BR-2025-0203"  # a small demo case: three documents
MODEL_CACHE = PROJECT / ".venv" / "model-cache"  # the assembled model is reused between runs


@pytest.mark.model
def test_demo_case_drafted_by_the_default_model_is_cited_and_pending(make_service, minilm):
    chat = make_chat_model(ModelConfig(cache_dir=MODEL_CACHE))
    assert chat.name == "qwen2.5-coder-1.5b-instruct-q4_k_m.gguf"
    service = make_service(chat_model=lambda: chat, embedder=minilm)
    admin = User("admin", "admin", "all")
    import json
    caseload = json.loads((DEMO / "caseload.json").read_text())
    entry = next(c for c in caseload["cases"] if c["reference"] == CASE)
    person = next(p for p in caseload["persons"] if p["reference"] == entry["person"])
    service.cases.register_case(admin, person, entry)
    outcomes = service.cases.ingest(admin, CASE, uploads_from_folder(DEMO / "files" / CASE, 10**8))
    assert [o.status for o in outcomes] == ["added"] * len(outcomes)

    officer = User(entry["officer"], "officer", entry["team"])
    tokens = []
    state = service.drafting.draft(officer, CASE, on_token=tokens.append)
    assert state.status == "pending", getattr(state.drafted.data, "error", None)  # a failed draft says why
    drafted = state.drafted.data
    assert len(tokens) > 20 and drafted.output.startswith("".join(tokens).strip())
    resolved = drafted.citations["resolved"]
    assert resolved, "the draft cites no source"
    case_documents = {d.id: d for d in service.cases.documents(officer, CASE)}
    for where in resolved.values():  # every citation names a real document and page of this case
        assert where["document_id"] in case_documents
        assert 1 <= where["page"] <= len(case_documents[where["document_id"]].pages)
    assert drafted.model.model == chat.name and drafted.template.name == "benefit_review"
    events = service.stores.audit.events(draft_id=state.draft_id)
    assert [e.action for e in events] == ["drafted"] and service.review.pending(officer)[0].draft_id == state.draft_id
    print("\n--- draft by the default model ---\n" + drafted.output)
    print("citations:", drafted.citations)
    grounding = drafted.grounding["sentences"]
    assert grounding and all(s["supported"] or s["reasons"] for s in grounding)  # every verdict says why
    print(f"grounding: {sum(s['supported'] for s in grounding)} of {len(grounding)} sentences supported")
    for s in grounding:
        if not s["supported"]:
            print("  unsupported:", s["text"], "|", " ".join(s["reasons"]))
