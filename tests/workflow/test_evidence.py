"""The evidence pack: complete, checkable by anyone with a SHA-256 tool, and readable as an accessible page."""
from __future__ import annotations

import hashlib
import json
import re
from html.parser import HTMLParser

import pytest

from audit.evidence import evidence_html
from audit.log import AuditLog
from workflow.evidence import evidence_pack
from workflow.review import DraftReview
from retrieval.records.access import User
from retrieval.errors import NotAuthorised
from retrieval.ingest.pipeline import Upload
from tests.conftest import fake_chat, register

HOSTILE = '<script>alert("x")</script> & £1,240 ünïcode'
DRAFTED = {
    "output": f"## Background\nMs Jones phoned on 14/01/2025 [1]. {HOSTILE}\n",
    "documents": [{"id": 1, "filename": "note.txt", "sha256": "a" * 64},
                  {"id": 2, "filename": "letter <b>.pdf", "sha256": "b" * 64}],
    "sources": [{"n": 1, "chunk_id": "1:0", "document_id": 1, "page": 1},
                {"n": 2, "chunk_id": "2:0", "document_id": 2, "page": 3}],
    "template": {"name": "case_summary", "version": "2", "sha256": "c" * 64},
    "rendered_prompt_sha256": "d" * 64,
    "model": {"provider": "fake", "model": "canned", "parameters": {"temperature": 0}},
    "steps": [{"kind": "summary", "rendered_prompt_sha256": "d" * 64}],
    "citations": {"resolved": {"1": {"filename": "note.txt", "page": 1}}, "unresolved": []},
    "sign_off": {"tier": "supervisor", "reasons": ["Source [1] mentions suicide or self-harm (words found: "
                                                   "'self-harm')."]},
}


@pytest.fixture
def history(engine):
    """A draft edited by an officer, a sentence accepted, edited by a supervisor, approved by the supervisor."""
    log = AuditLog(engine)
    review = DraftReview(log)
    log.append("admin", "signed_in", {"role": "admin", "team": "benefits"})
    draft_id = review.new_draft_id()
    state = review.record_draft("asha", "BR-1", draft_id, DRAFTED)
    log.append("tom", "signed_in", {"role": "officer", "team": "housing"})  # someone else's, between the draft's own
    state = review.edit(draft_id, "asha", state.last_seq, "Ms Jones phoned on 14/01/2025 [1].\nShe is unwell.\n",
                        role="officer")
    state = review.accept_sentence(draft_id, "asha", state.last_seq, "k2", "She is unwell.", "She told me <today>.",
                                   role="officer")
    state = review.edit(draft_id, "morgan", state.last_seq, "Ms Jones phoned on 14/01/2025 [1].\nShe is unwell.\n"
                        "Added by the supervisor.\n", role="supervisor")
    state = review.approve(draft_id, "morgan", state.last_seq, "Checked with the letters.", role="supervisor",
                           supervising=True)
    return log, state


def _pack(log, state, held=None, verification=None):
    return evidence_pack(state, list(state.events), verification or log.verify(),
                         {1: {"sha256": "a" * 64, "pages": 1}} if held is None else held,
                         exported_by="morgan", exported_at="2025-06-01T10:00:00+00:00",
                         contents=log.kept_texts(state.events))


def test_the_pack_holds_the_text_every_version_decision_and_source(history):
    log, state = history
    pack = json.loads(json.dumps(_pack(log, state), ensure_ascii=False))  # JSON-serialisable, unchanged by a round trip
    assert pack["final_text"] == {"version": 3, "label": "supervisor edit", "approved": True,
                                  "text": state.versions[2].text}
    assert [(v["number"], v["label"], v["author"]) for v in pack["versions"]] == [
        (1, "AI draft", "asha"), (2, "officer edit", "asha"), (3, "supervisor edit", "morgan")]
    assert [(d["from"], d["to"]) for d in pack["diffs"]] == [(1, 2), (2, 3)]
    assert "+Added by the supervisor." in pack["diffs"][1]["diff"]
    assert [(d["action"], d["actor"], d["role"]) for d in pack["decisions"]] == [
        ("edited", "asha", "officer"), ("sentence_accepted", "asha", "officer"),
        ("edited", "morgan", "supervisor"), ("approved", "morgan", "supervisor")]
    assert pack["decisions"][1]["reason"] == "She told me <today>." and pack["decisions"][1]["sentence"] == \
        "She is unwell."
    documents = pack["sources"]["documents"]
    assert [(d["document_id"], d["sha256_when_drafted"], d["still_held"], d["unchanged"]) for d in documents] == [
        (1, "a" * 64, True, True), (2, "b" * 64, False, False)]
    assert pack["sources"]["passages"][1] == {"n": 2, "chunk_id": "2:0", "document_id": 2,
                                              "filename": "letter <b>.pdf", "page": 3}
    assert pack["template"]["sha256"] == "c" * 64 and pack["rendered_prompt_sha256"] == "d" * 64
    assert pack["model"]["parameters"] == {"temperature": 0} and pack["checks"]["citations"]["unresolved"] == []
    assert pack["draft"]["sign_off"]["tier"] == "supervisor"


def test_anyone_can_recompute_the_hashes_from_the_pack(history):
    log, state = history
    proof = _pack(log, state)["chain_proof"]
    assert [e["seq"] for e in proof["events"]] == [e.seq for e in state.events]
    texts = set()
    for entry in proof["events"]:
        canonical = entry["canonical_utf8"].encode("utf-8")
        assert hashlib.sha256(canonical).hexdigest() == entry["hash"] and entry["matches"]
        assert json.loads(canonical)["prev_hash"] == entry["prev_hash"]
        for sealed in entry["sealed_texts"]:  # each personal text is tied to the reference the chain covers
            assert f'{{"$content":"{sealed["ref"]}"}}' in entry["canonical_utf8"]
            assert hashlib.sha256((sealed["salt"] + sealed["text"]).encode("utf-8")).hexdigest() == sealed["ref"]
            assert sealed["matches"]
            texts.add(sealed["text"])
    assert DRAFTED["output"] in texts and "She told me <today>." in texts  # the draft and a reason are provable
    assert DRAFTED["output"] not in "".join(e["canonical_utf8"] for e in proof["events"])
    assert proof["chain_head"] == {"seq": log.head()[0], "hash": log.head()[1]}
    assert proof["verification"]["intact"] and proof["verification"]["events_checked"] == log.head()[0]
    assert any("sha256" in step.lower() for step in proof["how_to_check"])


def test_the_pack_names_the_head_that_was_verified_not_a_newer_one(history):
    log, state = history
    verification = log.verify()
    # recorded after the log was verified, before the pack is made
    log.append("tom", "signed_in", {"role": "officer", "team": "housing"})
    pack = evidence_pack(state, list(state.events), verification, {})
    assert pack["chain_proof"]["chain_head"] == {"seq": verification.head_seq, "hash": verification.head_hash}
    assert pack["chain_proof"]["chain_head"]["seq"] == log.head()[0] - 1


def test_a_pack_tells_erased_texts_from_missing_ones(history, engine):
    import sqlalchemy as sa
    log, state = history
    before = [t for e in _pack(log, state)["chain_proof"]["events"] for t in e["sealed_texts"]]
    [lost] = [t["ref"] for t in before if t["text"] == "Checked with the letters."]
    with engine.begin() as conn:  # behind the application's back: one text deleted outright
        if engine.dialect.name == "sqlite":
            conn.exec_driver_sql("DROP TRIGGER audit_contents_no_delete")
        else:
            conn.exec_driver_sql("ALTER TABLE audit_contents DISABLE TRIGGER USER")
        conn.execute(sa.text("DELETE FROM audit_contents WHERE id = :ref"), {"ref": lost})
    log.erase_contents("admin", "the person asked", draft_ids=[state.draft_id])
    pack = _pack(log, state)
    sealed = {t["ref"]: t for e in pack["chain_proof"]["events"] for t in e["sealed_texts"]}
    assert set(sealed) == {t["ref"] for t in before}
    assert sealed.pop(lost) == {"ref": lost, "salt": None, "text": None, "erased": None, "matches": False}
    assert all(t["erased"] is True and t["salt"] is None and t["text"] is None and not t["matches"]
               for t in sealed.values())
    assert not pack["chain_proof"]["verification"]["intact"]
    assert "the rest were erased" in evidence_html(pack)


def test_a_pack_made_from_an_altered_log_says_so(history, engine):
    import sqlalchemy as sa
    log, state = history
    with engine.begin() as conn:  # behind the application's back: drop the trigger's protection, then forge
        if engine.dialect.name == "sqlite":
            triggers = [r[0] for r in conn.exec_driver_sql(
                "SELECT name FROM sqlite_master WHERE type='trigger' AND tbl_name='audit_events'")]
            for name in triggers:
                conn.exec_driver_sql(f"DROP TRIGGER {name}")
        else:
            conn.exec_driver_sql("ALTER TABLE audit_events DISABLE TRIGGER USER")
        conn.execute(sa.text("UPDATE audit_events SET actor = 'mallory' WHERE seq = :seq"),
                     {"seq": state.approval.seq})
    forged = DraftReview(log).state(state.draft_id)
    pack = _pack(log, forged)
    entry = next(e for e in pack["chain_proof"]["events"] if e["seq"] == state.approval.seq)
    assert not entry["matches"] and not pack["chain_proof"]["verification"]["intact"]
    assert pack["chain_proof"]["verification"]["first_broken_seq"] == state.approval.seq
    assert "did NOT verify" in evidence_html(pack)


class _Page(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags, self.attrs, self.text = [], [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)


def test_the_html_page_is_readable_accessible_and_escaped(history):
    log, state = history
    page_text = evidence_html(_pack(log, state))
    page = _Page()
    page.feed(page_text)
    assert page_text.startswith("<!DOCTYPE html>") and ("html", {"lang": "en"}) in page.attrs
    assert "script" not in page.tags and "<script>" not in page_text
    assert "&lt;script&gt;" in page_text and "letter &lt;b&gt;.pdf" in page_text
    assert {"h1", "h2", "table", "caption", "main"} <= set(page.tags)
    headers = [attrs for tag, attrs in page.attrs if tag == "th"]
    assert headers and all(a.get("scope") in ("col", "row") for a in headers)
    assert not re.search(r"""(src|href)\s*=\s*["']?https?:""", page_text)  # nothing fetched from elsewhere
    text = "".join(page.text)
    for expected in ("supervisor edit", "Checked with the letters.", "She told me <today>.", "a" * 64,
                     "case_summary", HOSTILE.strip()):
        assert expected in text


def test_a_failed_draft_still_gets_a_pack(engine):
    log = AuditLog(engine)
    review = DraftReview(log)
    draft_id = review.new_draft_id()
    state = review.record_failure("asha", "BR-1", draft_id, {"documents": [], "sources": [], "error": "no model"})
    pack = evidence_pack(state, list(state.events), log.verify(), {})
    assert pack["final_text"] is None and pack["versions"] == [] and pack["draft"]["error"] == "no model"
    assert "No text was produced." in evidence_html(pack)


# through the service ----------------------------------------------------------------
ASHA = User("asha", "officer", "benefits")
MORGAN = User("morgan", "supervisor", "benefits")
TOM = User("tom", "officer", "housing")


def test_the_service_exports_a_pack_to_the_team_and_records_the_export(make_service):
    service = make_service(chat_model=fake_chat("## Background\nMs Jones phoned on 14/01/2025 [1]."))
    register(service, "BR-1", "benefits")
    register(service, "HS-1", "housing")
    service.cases.ingest(ASHA, "BR-1",
                         [Upload("note.txt", b"14/01/2025 - Phone call with Ms Jones about rent arrears.\n")])
    state = service.drafting.draft(ASHA, "BR-1")
    for sentence in service.review.grounding_report(ASHA, state.draft_id).unsupported:
        state = service.review.accept_sentence(ASHA, state.draft_id, state.last_seq, sentence.key, sentence.text,
                                               "Checked against the phone note.")
    state = service.review.approve(ASHA, state.draft_id, state.last_seq)
    json_text, html_text = service.review.evidence_pack(MORGAN, state.draft_id)
    pack = json.loads(json_text)
    document = service.cases.documents(ASHA, "BR-1")[0]
    assert pack["sources"]["documents"] == [{
        "document_id": document.id, "filename": "note.txt", "sha256_when_drafted": document.sha256,
        "still_held": True, "sha256_now": document.sha256, "unchanged": True, "pages": 1,
        "added_by": "asha", "added_at": document.added_at.isoformat()}]
    assert pack["final_text"]["approved"] and "<html lang=\"en\">" in html_text
    exported = service.stores.audit.events(actions=("evidence_exported",))
    assert [(e.actor, e.case_reference, e.draft_id, e.data.draft_id) for e in exported] == [
        ("morgan", "BR-1", None, state.draft_id)]
    assert exported[0].data.pack_sha256 == hashlib.sha256(json_text.encode()).hexdigest()
    assert service.review.evidence_pack(ASHA, state.draft_id)[0]  # officers of the team may export too
    with pytest.raises(NotAuthorised):
        service.review.evidence_pack(TOM, state.draft_id)
    assert service.review.draft_state(ASHA, state.draft_id).last_seq == state.last_seq  # exports do not touch the draft
