"""How a draft is shown, the same on the Case page and in the Audit log: its status, text, sources and history."""
from __future__ import annotations

from typing import Callable

import streamlit as st

from audit.events import Payload
from workflow.state import DraftState
from summariser.drafting.citations import CitationReport, Source
from ui.common import ACTION_WORDS, STATUS_WORDS, full_name, plain, plural, safe_markdown, services, when


def show_status(state: DraftState) -> None:
    st.markdown(f"**Status: {STATUS_WORDS[state.status]}.** Requested by {plain(full_name(state.requested_by))} on "
                f"{when(state.requested_at)} with the template "
                f"'{plain(services().drafting.template_title(state.drafted.data.template.name))}'.")


def show_text(state: DraftState) -> None:
    version = state.current
    if version is None:
        return
    st.markdown(f"**Version {version.number}** ({version.label} by {plain(full_name(version.author))}, "
                f"{when(version.recorded_at)})")
    with st.container(border=True):
        st.markdown(safe_markdown(version.text))


def show_citations(state: DraftState, report: CitationReport | None, sources: dict[int, Source] | None) -> None:
    """Resolved citations open their passage; what the draft cannot support is listed as a warning."""
    if report is None:
        return
    st.markdown(f"**Sources cited** (by version {state.current.number if state.current else 1})")
    if report.resolved:
        st.write(f"{plural(len(report.resolved), 'source')} cited. Open one to read the passage.")
    for n, where in sorted(report.resolved.items()):
        with st.expander(plain(f"Source [{n}]: {where['filename']}, page {where['page']}")):
            source = (sources or {}).get(n)
            st.text(source.text if source else "This passage is no longer held in the case records.")
    if report.unresolved:
        st.warning("Warning: these citations match no source, so the statements citing them are not supported: "
                   + ", ".join(f"[{n}]" for n in report.unresolved))
    if report.uncited_sentences:
        st.warning("Warning: these sentences cite no source. Check each against the records:\n\n"
                   + "\n".join(f"- {plain(sentence)}" for sentence in report.uncited_sentences))
    if report.missing_sections:
        st.warning("Warning: these sections of the template are missing: " + ", ".join(report.missing_sections))


def show_coverage(gaps) -> None:
    if gaps:
        st.warning("The sources mention these, but the summary does not: "
                   + "; ".join(f"{g.item} (sources {', '.join(f'[{n}]' for n in g.sources)})" for g in gaps))


def show_versions(state: DraftState, diff: Callable[[int, int], str | None]) -> None:
    """Every version with who made it; any two can be compared."""
    if len(state.versions) < 2:
        return
    with st.expander(f"Versions ({len(state.versions)}) and what changed between them"):
        st.dataframe([{"Version": v.number, "Made as": v.label, "By": v.author, "When": when(v.recorded_at)}
                      for v in state.versions], hide_index=True)
        numbers = [v.number for v in state.versions]
        left, right = st.columns(2)
        a = left.selectbox("Compare version", numbers, index=0, key=f"diff-a:{state.draft_id}")
        b = right.selectbox("with version", numbers, index=len(numbers) - 1, key=f"diff-b:{state.draft_id}")
        st.code(diff(a, b) or "(no differences)", language="diff")


def show_evidence_downloads(state: DraftState, make: Callable[[], tuple[str, str] | None]) -> None:
    """The evidence pack for an appeal, complaint or FOI request; made only when asked for (it is audited)."""
    key = f"evidence:{state.draft_id}"
    if st.button("Prepare the evidence pack", key=f"{key}:make"):
        st.session_state[key] = make()
    pack = st.session_state.get(key)
    if pack:
        json_text, html_text = pack
        name = f"evidence-{state.case_reference}-{state.draft_id[:8]}"
        st.download_button("Download the evidence pack (JSON)", json_text, file_name=f"{name}.json",
                           mime="application/json")
        st.download_button("Download the evidence pack (readable page, HTML)", html_text,
                           file_name=f"{name}.html", mime="text/html")


def detail(data: Payload) -> str:
    """The one line that says most about an event (its typed details, `Event.data`)."""
    for key, label in (("reason", "Reason"), ("note", "Note"), ("error", "Error")):
        if getattr(data, key, None):
            return f"{label}: {getattr(data, key)}"
    recorded = data.model_fields_set
    if "version" in recorded:
        return f"Version {data.version}"
    if "files" in recorded:
        return "; ".join(f"{f.filename} ({f.status})" for f in data.files)
    return ""


def history_rows(states: list[DraftState]) -> list[dict]:
    events = sorted((e for s in states for e in s.events), key=lambda e: e.seq)
    return [{"Time": when(e.recorded_at), "Who": full_name(e.actor), "Action": ACTION_WORDS.get(e.action, e.action),
             "Draft": (e.draft_id or "")[:8], "Detail": detail(e.data)} for e in events]
