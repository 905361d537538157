"""The evidence pack for one summary: everything needed to answer an appeal, complaint or FOI request.

A pack must stand on its own, read by someone outside the organisation, long
after the event: the text that reached the case file, every version and who
wrote it, every decision, what the AI was given (sources with their SHA-256,
prompt template and model) and proof that the record was not altered since
(``audit.evidence.chain_proof``). The pack is built here, from the draft's
state, because versions, decisions and statuses are the workflow's; the
chain proof and the HTML page are the audit log's. The JSON is the record;
the HTML (``audit.evidence.evidence_html``) is the same content for people.
"""
from __future__ import annotations

from datetime import datetime, timezone

from audit.chain import Event
from audit.events import DraftInputs, Payload, SentenceAccepted
from audit.evidence import chain_proof
from audit.verification import Verification
from workflow.state import DraftState, diff

PACK_FORMAT = "casework-evidence-pack/1"
STATUS_WORDS = {"pending": "waiting for a decision", "edited": "edited, waiting for a decision",
                "approved": "approved", "rejected": "rejected", "failed": "drafting failed",
                "superseded": "approved, later replaced by a newer approved summary",
                "stale": "approved, but documents were added to the case afterwards"}
DECISION_ACTIONS = ("edited", "sentence_accepted", "approved", "rejected", "second_checked")
_DECISION_DETAILS = ("note", "reason", "outcome", "second_check", "sign_off_tier", "sentence_key")


def _given(data: Payload, key: str):
    """The value recorded under `key`, or None if the event did not record one (so the pack shows what was
    recorded, not a default)."""
    return getattr(data, key) if key in data.model_fields_set else None


def _plain(data: Payload | None):
    """A recorded part of the payload as plain JSON data, exactly the keys it was recorded with."""
    return None if data is None else data.model_dump(exclude_unset=True)


def _decision(event: Event) -> dict:
    data = event.data
    entry = {"seq": event.seq, "action": event.action, "actor": event.actor, "role": _given(data, "role") or "",
             "recorded_at": event.recorded_at, "version": _given(data, "version")}
    entry.update((key, getattr(data, key)) for key in _DECISION_DETAILS if key in data.model_fields_set)
    if isinstance(data, SentenceAccepted):
        entry["sentence"] = data.text
    return entry


def _sources(drafted: DraftInputs, sources_meta: dict[int, dict]) -> dict:
    documents = []
    for document in drafted.documents:
        now = sources_meta.get(document.id) or {}
        documents.append({
            "document_id": document.id, "filename": document.filename,
            "sha256_when_drafted": document.sha256, "still_held": bool(now),
            "sha256_now": now.get("sha256"), "unchanged": bool(now) and now.get("sha256") == document.sha256,
            "pages": now.get("pages"), "added_by": now.get("added_by"), "added_at": now.get("added_at")})
    names = {d.id: d.filename for d in drafted.documents}
    passages = [{"n": s.n, "chunk_id": s.chunk_id, "document_id": s.document_id,
                 "filename": names.get(s.document_id), "page": s.page}
                for s in drafted.sources]
    return {"documents": documents, "passages": passages}


def evidence_pack(state: DraftState, events_of_draft: list[Event], verification: Verification,
                  sources_meta: dict[int, dict], *, exported_by: str = "", exported_at: str | None = None,
                  contents: dict[int, list[dict]] | None = None) -> dict:
    """Everything about one draft, as JSON-ready data.

    `sources_meta` maps a document id to what the records hold now (sha256,
    pages, added_by, added_at); a document missing from it is reported as no
    longer held (erased or removed). `contents` is `log.kept_texts(events)`:
    without it, the pack still proves every event but cannot tie its texts to
    their references. The chain head shown is the verification's: the head
    that was proved, not a newer one read apart from it.
    """
    drafted = state.drafted.data
    if not isinstance(drafted, DraftInputs):  # a draft's first event is always drafted or draft_failed
        drafted = DraftInputs()
    final = state.approved_version or state.current
    versions = [{"number": v.number, "label": v.label, "author": v.author, "author_role": v.author_role,
                 "recorded_at": v.recorded_at, "text": v.text} for v in state.versions]
    return {
        "format": PACK_FORMAT,
        "exported_at": exported_at or datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "exported_by": exported_by,
        "draft": {"draft_id": state.draft_id, "case_reference": state.case_reference, "status": state.status,
                  "status_words": STATUS_WORDS.get(state.status, state.status),
                  "requested_by": state.requested_by, "requested_at": state.requested_at,
                  "sign_off": state.sign_off, "superseded_by": state.superseded_by,
                  "documents_added_since_approval": list(state.documents_added_since),
                  "error": _given(drafted, "error")},
        "final_text": None if final is None else {
            "version": final.number, "label": final.label, "approved": state.approval is not None,
            "text": final.text},
        "versions": versions,
        "diffs": [{"from": a.number, "to": b.number, "diff": diff(state, a.number, b.number)}
                  for a, b in zip(state.versions, state.versions[1:])],
        "decisions": [_decision(e) for e in events_of_draft if e.action in DECISION_ACTIONS],
        "sources": _sources(drafted, sources_meta),
        "template": _plain(_given(drafted, "template")),
        "rendered_prompt_sha256": _given(drafted, "rendered_prompt_sha256"),
        "model": _plain(_given(drafted, "model")),
        "model_calls": _given(drafted, "steps") or [],
        "checks": {key: getattr(drafted, key) for key in ("citations", "grounding", "coverage", "conflicts")
                   if key in drafted.model_fields_set},
        "chain_proof": chain_proof(events_of_draft, verification, contents or {}),
    }
