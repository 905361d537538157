"""How a draft is shown, the same on the Case page and in the Audit log: its text, citation check and history."""
from __future__ import annotations

import streamlit as st

from audit.review import DraftState
from summariser.citations import CitationReport, Source
from ui.common import ACTION_WORDS, STATUS_WORDS, when


def show_text(state: DraftState) -> None:
    version = state.current
    st.markdown(f"**Status: {STATUS_WORDS[state.status]}.** Requested by {state.requested_by} on "
                f"{when(state.requested_at)} with template '{state.drafted.payload['template']['name']}'.")
    if version is None:
        return
    st.markdown(f"**Version {version.number}** ({version.label} by {version.author}, {when(version.recorded_at)})")
    with st.container(border=True):
        st.markdown(version.text)


def show_citations(state: DraftState, report: CitationReport | None, sources: dict[int, Source] | None) -> None:
    """Resolved citations open their passage; what the draft cannot support is listed as a warning."""
    if report is None:
        return
    st.markdown(f"**Citation check** (of version {state.current.number if state.current else 1})")
    if report.resolved:
        st.write(f"{len(report.resolved)} citation(s) found in the records. Open one to read the passage.")
    for n, where in sorted(report.resolved.items()):
        with st.expander(f"Source [{n}]: {where['filename']}, page {where['page']}"):
            source = (sources or {}).get(n)
            st.text(source.text if source else "This passage is no longer held in the case records.")
    if report.unresolved:
        st.warning("Warning: these citations match no source, so the statements citing them are not supported: "
                   + ", ".join(f"[{n}]" for n in report.unresolved))
    if report.uncited_sentences:
        st.warning("Warning: these sentences cite no source. Check each against the records:\n\n"
                   + "\n".join(f"- {sentence}" for sentence in report.uncited_sentences))
    if report.missing_sections:
        st.warning("Warning: these sections of the template are missing: " + ", ".join(report.missing_sections))
    if report.ok and not report.uncited_sentences and not report.missing_sections:
        st.success("Every sentence cites a source, and every citation was found.")


def detail(payload: dict) -> str:
    """The one line that says most about an event."""
    for key, label in (("reason", "Reason"), ("note", "Note"), ("error", "Error")):
        if payload.get(key):
            return f"{label}: {payload[key]}"
    if "version" in payload:
        return f"Version {payload['version']}"
    if "files" in payload:
        return "; ".join(f"{f['filename']} ({f['status']})" for f in payload["files"])
    return ""


def history_rows(states: list[DraftState]) -> list[dict]:
    events = sorted((e for s in states for e in s.events), key=lambda e: e.seq)
    return [{"Time": when(e.recorded_at), "Who": e.actor, "Action": ACTION_WORDS.get(e.action, e.action),
             "Draft": (e.draft_id or "")[:8], "Detail": detail(e.payload)} for e in events]
