"""The audit log's part of an evidence pack: the proof that a draft's events were not altered, and the page.

The proof is each event's canonical bytes (the exact bytes its SHA-256 covers,
see ``audit.chain``) with its hash and the previous event's hash, so anyone can
recompute them with any SHA-256 tool, plus the chain head and the result of
verifying the whole log at export time. Personal texts are chained as
references (``{"$content": sha256(salt + text)}``) so they can be erased
later; the proof gives each one's salt and text, so the reader can tie every
text shown to the chain too. The pack itself is built by
``workflow.evidence``; the page is rendered from ``evidence.html.j2`` with
autoescaping, so nothing in a pack can add markup to it.
"""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from audit.chain import Event, canonical_bytes
from audit.kept_texts import content_digest
from audit.verification import Verification

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
_PAGES = Environment(loader=FileSystemLoader(Path(__file__).parent), autoescape=True, trim_blocks=True,
                     lstrip_blocks=True, keep_trailing_newline=True, undefined=StrictUndefined)


def _chain_entry(event: Event, contents: dict[int, list[dict]]) -> dict:
    chained = event.payload if event.chained_payload is None else event.chained_payload
    canonical = canonical_bytes(event.seq, event.recorded_at, event.actor, event.action, event.case_reference,
                                event.draft_id, chained, event.prev_hash)
    recomputed = hashlib.sha256(canonical).hexdigest()
    sealed = [{"ref": held["ref"], "salt": held["salt"], "text": held["text"],
               "erased": held["erased_at"] is not None if held["stored"] else None,
               "matches": held["salt"] is not None and held["text"] is not None
               and content_digest(held["salt"], held["text"]) == held["ref"]}
              for held in contents.get(event.seq, [])]
    return {"seq": event.seq, "action": event.action, "prev_hash": event.prev_hash, "hash": event.hash,
            "canonical_utf8": canonical.decode("utf-8"), "recomputed_sha256": recomputed,
            "matches": recomputed == event.hash, "sealed_texts": sealed}


def chain_proof(events: list[Event], verification: Verification, contents: dict[int, list[dict]]) -> dict:
    """The proof for these events: each one's canonical bytes and kept texts (`contents` is
    `log.kept_texts(events)`), the head that `verification` proved, and how to check it all by hand."""
    return {
        "events": [_chain_entry(e, contents) for e in events],
        "chain_head": {"seq": verification.head_seq, "hash": verification.head_hash},
        "verification": {"intact": verification.intact, "events_checked": verification.checked,
                         "first_broken_seq": verification.first_broken_seq, "problem": verification.problem},
        "how_to_check": list(HOW_TO_CHECK),
    }


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


def evidence_html(pack: dict) -> str:
    """The pack as one readable, self-contained HTML page (no scripts, nothing fetched)."""
    draft = pack["draft"]
    model, template = pack["model"] or {}, pack["template"] or {}
    return _PAGES.get_template("evidence.html.j2").render(
        pack=pack, draft=draft, final=pack["final_text"], proof=pack["chain_proof"],
        title=f"Evidence pack: summary {draft['draft_id'][:8]} of case {draft['case_reference']}",
        about=[("Case", draft["case_reference"]), ("Summary id", draft["draft_id"]),
               ("Status", draft["status_words"]), ("Requested by", draft["requested_by"]),
               ("Requested at", draft["requested_at"]),
               ("Sign-off needed", "a supervisor" if draft["sign_off"]["tier"] == "supervisor" else "an officer"),
               ("Why", " ".join(draft["sign_off"]["reasons"])), ("Replaced by summary", draft["superseded_by"]),
               ("Documents added since approval", ", ".join(map(str, draft["documents_added_since_approval"]))),
               ("Drafting error", draft["error"]),
               ("Pack made at", pack["exported_at"]), ("Pack made by", pack["exported_by"])],
        versions=[[v["number"], v["label"], f"the AI, asked for by {v['author']}" if v["number"] == 1 else v["author"],
                   "-" if v["number"] == 1 else v["author_role"], v["recorded_at"]] for v in pack["versions"]],
        decisions=[[d["seq"], d["action"].replace("_", " "), d["actor"], d["role"], d["recorded_at"], d["version"],
                    _detail(d)] for d in pack["decisions"]],
        documents=[[d["document_id"], d["filename"], d["sha256_when_drafted"], d["still_held"], d["unchanged"],
                    d["pages"]] for d in pack["sources"]["documents"]],
        passages=[[f"[{p['n']}]", p["chunk_id"], p["document_id"], p["filename"], p["page"]]
                  for p in pack["sources"]["passages"]],
        how_made=[("Template", template.get("name")), ("Template version", template.get("version")),
                  ("Template SHA-256", template.get("sha256")),
                  ("Rendered prompt SHA-256", pack["rendered_prompt_sha256"]),
                  ("Model provider", model.get("provider")), ("Model", model.get("model")),
                  ("Model parameters",
                   json.dumps(model.get("parameters"), sort_keys=True) if model.get("parameters") else ""),
                  ("Model calls", len(pack["model_calls"]))],
        checks=[(name.capitalize(), json.dumps(report, indent=2, ensure_ascii=False, sort_keys=True))
                for name, report in pack["checks"].items()],
        chain_events=[[e["seq"], e["action"], e["prev_hash"], e["hash"], e["matches"], _texts_match(e["sealed_texts"])]
                      for e in pack["chain_proof"]["events"]],
        sealed_rows={e["seq"]: [[t["ref"], t["salt"], "(erased)" if t["erased"] else t["text"], t["matches"]]
                                for t in e["sealed_texts"]] for e in pack["chain_proof"]["events"]})
