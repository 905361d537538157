"""The evidence pack for one summary: everything needed to answer an appeal, complaint or FOI request.

A pack must stand on its own, read by someone outside the organisation, long
after the event: the text that reached the case file, every version and who
wrote it, every decision, what the AI was given (sources with their SHA-256,
prompt template and model) and proof that the record was not altered since.
The proof is each event's canonical bytes (the exact bytes its SHA-256 covers,
see ``audit.log``) with its hash and the previous event's hash, so anyone can
recompute them with any SHA-256 tool, plus the chain head and the result of
verifying the whole log at export time. Personal texts are chained as
references (``{"$content": sha256(salt + text)}``) so they can be erased
later; the pack gives each one's salt and text, so the reader can tie every
text shown to the chain too. The JSON is the record; the HTML is the same
content for people to read.
"""
from __future__ import annotations

import hashlib
import json
from datetime import datetime, timezone
from html import escape

from audit.log import Event, Verification, canonical_bytes, content_digest
from audit.review import DraftState, diff

PACK_FORMAT = "casework-evidence-pack/1"
STATUS_WORDS = {"pending": "waiting for a decision", "edited": "edited, waiting for a decision",
                "approved": "approved", "rejected": "rejected", "failed": "drafting failed",
                "superseded": "approved, later replaced by a newer approved summary",
                "stale": "approved, but documents were added to the case afterwards"}
DECISION_ACTIONS = ("edited", "sentence_accepted", "approved", "rejected", "second_checked")
HOW_TO_CHECK = (
    "Each entry under 'chain proof' holds the exact bytes that were hashed when the event was recorded "
    "(canonical_utf8: JSON with sorted keys, no spaces, encoded as UTF-8).",
    "Encode canonical_utf8 as UTF-8 and compute its SHA-256 (for example with `sha256sum` or Python's hashlib). "
    "The result must equal the entry's hash. If it does, the event's content is exactly what was recorded.",
    "A personal text (a draft, an edit, a note, a reason) appears in canonical_utf8 as {\"$content\": REF}, so "
    "it can be erased later without breaking the chain. The entry's sealed_texts list gives each REF with its "
    "salt and text: the SHA-256 of the salt followed by the text (UTF-8) must equal REF. An erased text has no "
    "salt or text left; the erasure itself is an event in the log.",
    "Inside canonical_utf8, prev_hash must equal the entry's prev_hash: it is the hash of the event recorded just "
    "before it in the whole log, which links every event to all the events before it.",
    "The chain head is the newest event of the whole log that was verified when this pack was made. Compare it "
    "with a chain head recorded outside the system (for example in a published or signed record). Then run "
    "`python cli.py verify --against <that hash>` on the live system: it recomputes every event and proves "
    "nothing before that head changed.",
    "Check each source file you hold against its SHA-256 listed under 'sources'; a matching hash means it is the "
    "same file the AI was given.",
)


def _chained(event: Event) -> dict:
    """The payload as the hash covers it (personal texts as references), not as it reads."""
    return event.payload if event.chained_payload is None else event.chained_payload


def _chain_entry(event: Event, contents: dict[int, list[dict]]) -> dict:
    canonical = canonical_bytes(event.seq, event.recorded_at, event.actor, event.action, event.case_reference,
                                event.draft_id, _chained(event), event.prev_hash)
    recomputed = hashlib.sha256(canonical).hexdigest()
    sealed = [{"ref": held["ref"], "salt": held["salt"], "text": held["text"],
               "erased": held["erased_at"] is not None if held["stored"] else None,
               "matches": held["salt"] is not None and held["text"] is not None
               and content_digest(held["salt"], held["text"]) == held["ref"]}
              for held in contents.get(event.seq, [])]
    return {"seq": event.seq, "action": event.action, "prev_hash": event.prev_hash, "hash": event.hash,
            "canonical_utf8": canonical.decode("utf-8"), "recomputed_sha256": recomputed,
            "matches": recomputed == event.hash, "sealed_texts": sealed}


def _decision(event: Event) -> dict:
    payload = event.payload
    entry = {"seq": event.seq, "action": event.action, "actor": event.actor, "role": payload.get("role", ""),
             "recorded_at": event.recorded_at, "version": payload.get("version")}
    for key in ("note", "reason", "outcome", "second_check", "sign_off_tier", "sentence_key"):
        if key in payload:
            entry[key] = payload[key]
    if event.action == "sentence_accepted":
        entry["sentence"] = payload.get("text", "")
    return entry


def _sources(drafted: dict, sources_meta: dict[int, dict]) -> dict:
    documents = []
    for document in drafted.get("documents", []):
        now = sources_meta.get(document.get("id")) or {}
        documents.append({
            "document_id": document.get("id"), "filename": document.get("filename"),
            "sha256_when_drafted": document.get("sha256"), "still_held": bool(now),
            "sha256_now": now.get("sha256"), "unchanged": bool(now) and now.get("sha256") == document.get("sha256"),
            "pages": now.get("pages"), "added_by": now.get("added_by"), "added_at": now.get("added_at")})
    names = {d.get("id"): d.get("filename") for d in drafted.get("documents", [])}
    passages = [{"n": s.get("n"), "chunk_id": s.get("chunk_id"), "document_id": s.get("document_id"),
                 "filename": names.get(s.get("document_id")), "page": s.get("page")}
                for s in drafted.get("sources", [])]
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
    drafted = state.drafted.payload
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
                  "error": drafted.get("error")},
        "final_text": None if final is None else {
            "version": final.number, "label": final.label, "approved": state.approval is not None,
            "text": final.text},
        "versions": versions,
        "diffs": [{"from": a.number, "to": b.number, "diff": diff(state, a.number, b.number)}
                  for a, b in zip(state.versions, state.versions[1:])],
        "decisions": [_decision(e) for e in events_of_draft if e.action in DECISION_ACTIONS],
        "sources": _sources(drafted, sources_meta),
        "template": drafted.get("template"),
        "rendered_prompt_sha256": drafted.get("rendered_prompt_sha256"),
        "model": drafted.get("model"),
        "model_calls": drafted.get("steps", []),
        "checks": {key: drafted[key] for key in ("citations", "grounding", "coverage", "conflicts")
                   if key in drafted},
        "chain_proof": {
            "events": [_chain_entry(e, contents or {}) for e in events_of_draft],
            "chain_head": {"seq": verification.head_seq, "hash": verification.head_hash},
            "verification": {"intact": verification.intact, "events_checked": verification.checked,
                             "first_broken_seq": verification.first_broken_seq, "problem": verification.problem},
            "how_to_check": list(HOW_TO_CHECK),
        },
    }


# HTML ------------------------------------------------------------------------
_STYLE = """
body{font-family:system-ui,-apple-system,"Segoe UI",Arial,sans-serif;line-height:1.5;max-width:60rem;margin:2rem auto;
padding:0 1rem;color:#0b0c0c;background:#fff}
table{border-collapse:collapse;width:100%;margin:0 0 1.5rem}
th,td{border:1px solid #505a5f;padding:.4rem .5rem;text-align:left;vertical-align:top}
th{background:#f3f2f1}
caption{text-align:left;font-weight:bold;padding:.3rem 0}
pre,.text{white-space:pre-wrap;overflow-wrap:anywhere;background:#f8f8f8;border:1px solid #b1b4b6;padding:.6rem}
.hash{font-family:monospace;overflow-wrap:anywhere}
.problem{color:#a00;font-weight:bold}
"""


def _cell(value) -> str:
    if value is None or value == "":
        return "<td>-</td>"
    if isinstance(value, bool):
        return f"<td>{'yes' if value else 'no'}</td>"
    return f"<td>{escape(str(value))}</td>"


def _table(caption: str, headers: list[str], rows: list[list], hash_columns: tuple[int, ...] = ()) -> str:
    if not rows:
        return f"<p>{escape(caption)}: none.</p>"
    head = "".join(f'<th scope="col">{escape(h)}</th>' for h in headers)
    body = []
    for row in rows:
        cells = []
        for i, value in enumerate(row):
            if i == 0:
                cells.append(f'<th scope="row">{escape(str(value))}</th>')
            elif i in hash_columns and value:
                cells.append(f'<td class="hash">{escape(str(value))}</td>')
            else:
                cells.append(_cell(value))
        body.append("<tr>" + "".join(cells) + "</tr>")
    return (f"<table><caption>{escape(caption)}</caption><thead><tr>{head}</tr></thead>"
            f"<tbody>{''.join(body)}</tbody></table>")


def _facts(caption: str, facts: list[tuple[str, object]]) -> str:
    rows = "".join(f'<tr><th scope="row">{escape(k)}</th>{_cell(v)}</tr>' for k, v in facts)
    return f"<table><caption>{escape(caption)}</caption><tbody>{rows}</tbody></table>"


def _json_block(value) -> str:
    return f"<pre>{escape(json.dumps(value, indent=2, ensure_ascii=False, sort_keys=True))}</pre>"


def evidence_html(pack: dict) -> str:
    """The pack as one readable, self-contained HTML page (no scripts, nothing fetched)."""
    draft, final, proof = pack["draft"], pack["final_text"], pack["chain_proof"]
    title = f"Evidence pack: summary {draft['draft_id'][:8]} of case {draft['case_reference']}"
    parts = [f"<h1>{escape(title)}</h1>",
             _facts("About this summary", [
                 ("Case", draft["case_reference"]), ("Summary id", draft["draft_id"]),
                 ("Status", draft["status_words"]), ("Requested by", draft["requested_by"]),
                 ("Requested at", draft["requested_at"]),
                 ("Sign-off needed", "a supervisor" if draft["sign_off"]["tier"] == "supervisor" else "an officer"),
                 ("Why", " ".join(draft["sign_off"]["reasons"])), ("Replaced by summary", draft["superseded_by"]),
                 ("Documents added since approval", ", ".join(map(str, draft["documents_added_since_approval"]))),
                 ("Drafting error", draft["error"]),
                 ("Pack made at", pack["exported_at"]), ("Pack made by", pack["exported_by"])])]
    parts.append("<h2>The summary</h2>")
    if final is None:
        parts.append("<p>No text was produced.</p>")
    else:
        state = "approved" if final["approved"] else "current, not approved"
        parts.append(f"<p>Version {final['version']} ({escape(final['label'])}), {state}.</p>"
                     f'<div class="text">{escape(final["text"])}</div>')
    parts.append("<h2>Versions</h2>")
    parts.append(_table("Every version of the summary", ["Version", "Kind", "Written by", "Role", "Recorded at"],
                        [[v["number"], v["label"],
                          f"the AI, asked for by {v['author']}" if v["number"] == 1 else v["author"],
                          "-" if v["number"] == 1 else v["author_role"], v["recorded_at"]]
                         for v in pack["versions"]]))
    for v in pack["versions"]:
        parts.append(f"<h3>Version {v['number']}: {escape(v['label'])}</h3><div class=\"text\">{escape(v['text'])}</div>")
    parts.append("<h2>Changes between versions</h2>")
    if not pack["diffs"]:
        parts.append("<p>The summary was not edited.</p>")
    for d in pack["diffs"]:
        parts.append(f"<h3>From version {d['from']} to version {d['to']}</h3>"
                     f"<p>Lines starting with - were removed, lines starting with + were added.</p>"
                     f"<pre>{escape(d['diff'] or '(no change)')}</pre>")
    parts.append("<h2>Decisions</h2>")
    parts.append(_table("Every decision, sentence acceptance and second check",
                        ["Event", "Action", "By", "Role", "At", "Version", "Detail"],
                        [[d["seq"], d["action"].replace("_", " "), d["actor"], d["role"], d["recorded_at"],
                          d["version"], _detail(d)] for d in pack["decisions"]]))
    sources = pack["sources"]
    parts.append("<h2>Sources</h2>")
    parts.append(_table("Documents the AI was given",
                        ["Document id", "File", "SHA-256 when drafted", "Still held", "Unchanged since drafting", "Pages"],
                        [[d["document_id"], d["filename"], d["sha256_when_drafted"], d["still_held"],
                          d["unchanged"], d["pages"]] for d in sources["documents"]], hash_columns=(2,)))
    parts.append(_table("Numbered passages the draft could cite", ["Source", "Passage id", "Document id", "File",
                                                                    "Page"],
                        [[f"[{p['n']}]", p["chunk_id"], p["document_id"], p["filename"], p["page"]]
                         for p in sources["passages"]]))
    model = pack["model"] or {}
    template = pack["template"] or {}
    parts.append("<h2>Prompt and model</h2>")
    parts.append(_facts("How the draft was made", [
        ("Template", template.get("name")), ("Template version", template.get("version")),
        ("Template SHA-256", template.get("sha256")), ("Rendered prompt SHA-256", pack["rendered_prompt_sha256"]),
        ("Model provider", model.get("provider")), ("Model", model.get("model")),
        ("Model parameters", json.dumps(model.get("parameters"), sort_keys=True) if model.get("parameters") else ""),
        ("Model calls", len(pack["model_calls"]))]))
    if pack["checks"]:
        parts.append("<h2>Checks of the draft</h2>")
        for name, report in pack["checks"].items():
            parts.append(f"<h3>{escape(name.capitalize())} check</h3>{_json_block(report)}")
    parts.append("<h2>Proof that this record was not altered</h2>")
    verification = proof["verification"]
    if verification["intact"]:
        parts.append(f"<p>When this pack was made, the whole audit log ({verification['events_checked']} events) "
                     "was verified and found intact.</p>")
    else:
        parts.append(f'<p class="problem">When this pack was made, the audit log did NOT verify: '
                     f"{escape(verification['problem'])} (event {verification['first_broken_seq']}).</p>")
    parts.append(_facts("Chain head at export", [("Event number", proof["chain_head"]["seq"]),
                                                 ("Hash", proof["chain_head"]["hash"])]))
    parts.append(_table("This summary's events in the chain",
                        ["Event", "Action", "Previous hash", "Hash", "Recomputed hash matches",
                         "Its texts match their references"],
                        [[e["seq"], e["action"], e["prev_hash"], e["hash"], e["matches"],
                          _texts_match(e["sealed_texts"])] for e in proof["events"]],
                        hash_columns=(2, 3)))
    parts.append("<h3>How to check it yourself</h3><ol>"
                 + "".join(f"<li>{escape(step)}</li>" for step in proof["how_to_check"]) + "</ol>")
    for e in proof["events"]:
        parts.append(f"<h3>Canonical bytes of event {e['seq']} ({escape(e['action'])})</h3>"
                     f"<pre>{escape(e['canonical_utf8'])}</pre>")
        if e["sealed_texts"]:
            parts.append(_table(f"Texts kept apart from event {e['seq']}", ["Reference", "Salt", "Text", "Matches"],
                                [[t["ref"], t["salt"], "(erased)" if t["erased"] else t["text"], t["matches"]]
                                 for t in e["sealed_texts"]], hash_columns=(1,)))
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>{escape(title)}</title>"
            f"<style>{_STYLE}</style></head><body><main>{''.join(parts)}</main></body></html>\n")


def _texts_match(sealed: list[dict]) -> str:
    if not sealed:
        return "no texts kept apart"
    if any(t["erased"] for t in sealed):
        return f"{sum(bool(t['matches']) for t in sealed)} of {len(sealed)} (the rest were erased)"
    return "yes" if all(t["matches"] for t in sealed) else "NO"


def _detail(decision: dict) -> str:
    bits = []
    if decision.get("outcome"):
        bits.append(f"Outcome: {decision['outcome']}")
    if decision.get("reason"):
        bits.append(f"Reason: {decision['reason']}")
    if decision.get("note"):
        bits.append(f"Note: {decision['note']}")
    if decision.get("sentence"):
        bits.append(f"Sentence kept: {decision['sentence']}")
    if decision.get("second_check"):
        bits.append("Sampled for a supervisor's second check")
    return "; ".join(bits)
