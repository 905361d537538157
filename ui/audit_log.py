"""The audit log for supervisors: every event they may see, filtered, exported, verified, and any draft in full."""
import json
from datetime import date, datetime

import pandas as pd
import streamlit as st

from ui.common import ACTION_WORDS, attempt, require_user, service, when
from ui.drafts import history_rows, show_citations, show_text

user = require_user()
svc = service()
st.title("Audit log")

if st.button("Verify the audit log"):
    result = attempt(svc.verify_log, user)
    if result is not None and result.intact:
        st.success(f"The audit log is intact: {result.checked} event(s) checked, none changed or missing.")
    elif result is not None:
        st.error(f"The audit log is NOT intact. First broken event: {result.first_broken_seq}. "
                 f"Problem: {result.problem}. Report this to your administrator.")

events = attempt(svc.audit_events, user)
if events is None:
    st.stop()
if not events:
    st.info("No events yet.")
    st.stop()

table = pd.DataFrame([{
    "Seq": e.seq, "Recorded at": when(e.recorded_at), "Who": e.actor,
    "Action": ACTION_WORDS.get(e.action, e.action), "Case": e.case_reference or "",
    "Draft": e.draft_id or "", "Model": (e.payload.get("model") or {}).get("model", ""),
    "Template": (e.payload.get("template") or {}).get("name", ""),
    "Date": datetime.fromisoformat(e.recorded_at).date(),
    "Payload": json.dumps(e.payload, ensure_ascii=False, sort_keys=True),
    "Previous hash": e.prev_hash, "Hash": e.hash} for e in events])

st.subheader("Filter the events")
filters = {}
columns = st.columns(3)
for number, (column, label) in enumerate((("Who", "Officer"), ("Case", "Case"), ("Action", "Action"),
                                          ("Model", "Model"), ("Template", "Template"))):
    choices = sorted(v for v in table[column].unique() if v)
    filters[column] = columns[number % 3].multiselect(label, choices, placeholder="All")
first, last = table["Date"].min(), table["Date"].max()
dates = columns[2].date_input("Dates (from, to)", value=(first, last), format="DD/MM/YYYY")

shown = table
for column, chosen in filters.items():
    if chosen:
        shown = shown[shown[column].isin(chosen)]
dates = tuple(dates) if isinstance(dates, (tuple, list)) else (dates,)
start, end = (dates[0] if dates else first), (dates[1] if len(dates) > 1 else last)
shown = shown[(shown["Date"] >= start) & (shown["Date"] <= end)]

st.caption(f"Showing {len(shown)} of {len(table)} events.")
st.dataframe(shown.drop(columns=["Date", "Payload", "Previous hash", "Hash"]), hide_index=True)
shown_seqs = set(shown["Seq"])
st.download_button("Download these events as CSV",
                   attempt(svc.export_events, user, [e for e in events if e.seq in shown_seqs]) or "",
                   file_name=f"audit-events-{date.today().isoformat()}.csv", mime="text/csv")

st.subheader("A draft in full")
draft_ids = list(dict.fromkeys(d for d in shown["Draft"] if d))
if not draft_ids:
    st.write("No drafts among the events shown.")
    st.stop()
cases = dict(zip(shown["Draft"], shown["Case"], strict=True))
draft_id = st.selectbox("Draft to inspect", draft_ids, format_func=lambda d: f"{cases[d]} - draft {d[:8]}")
state = attempt(svc.draft_state, user, draft_id)
if state is None:
    st.stop()

payload = state.drafted.payload
show_text(state)
st.markdown("**Inputs**")
st.dataframe([{"File": d["filename"], "Document id": d["id"], "SHA-256": d["sha256"]}
              for d in payload["documents"]], hide_index=True)
template, model = payload["template"], payload.get("model") or {}
st.write(f"Template: {template['name']} version {template['version']} (SHA-256 {template['sha256']}). "
         f"Model: {model.get('model', 'not reached')} from {model.get('provider', 'no provider')}. "
         f"Sources given: {len(payload['sources'])}. Related passages found: {len(payload['related'])}."
         + (f" Retry of draft {payload['retry_of'][:8]}." if payload.get("retry_of") else ""))
if "rendered_prompt_sha256" in payload:
    st.write(f"Rendered prompt SHA-256: {payload['rendered_prompt_sha256']}")
if state.status == "failed":
    st.error(f"Drafting failed: {payload['error']}")
else:
    with st.expander("AI text as drafted (version 1)"):
        st.text(payload["output"])
    show_citations(state, attempt(svc.citation_report, user, draft_id), attempt(svc.sources_of, user, draft_id))

st.markdown("**Decisions**")
st.dataframe(history_rows([state]), hide_index=True)
approved = next((e.payload["version"] for e in reversed(state.events) if e.action == "approved"), None)
if approved == 1:
    st.write("Approved as the AI drafted it (version 1), without changes.")
for event in (e for e in state.events if e.action == "edited"):
    version = event.payload["version"]
    st.markdown(f"Changes from the AI text to version {version} (by {event.actor})"
                + (", the approved text:" if version == approved else ":"))
    st.code(event.payload["diff_from_ai"] or "(no change)", language="diff")
with st.expander("Full record (every event's data)"):
    st.json([{"seq": e.seq, "action": e.action, "actor": e.actor, "recorded_at": e.recorded_at,
              "payload": e.payload} for e in state.events])
