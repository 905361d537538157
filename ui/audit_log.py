"""The audit log for supervisors: the events they may see, filtered and paged by the database (a public body's
log holds millions), exported, verified, and any draft on the page in full."""
from datetime import date, datetime, timedelta

import pandas as pd
import streamlit as st

from audit.events import DraftInputs
from audit.queries import EventFilter
from ui.common import ACTION_WORDS, STATUS_WORDS, attempt, full_name, model_name, plain, plural, require_user, services, when
from ui.drafts import history_rows, show_citations, show_status, show_text

PAGE_SIZE = 50
PAGING = "audit_log_paging"  # the filter being paged through, and the seq each page read so far starts before
COLUMNS = ["Event", "Recorded at", "Who", "Action", "Case", "Draft", "Model", "Template"]

user = require_user()
svc = services()
supervision = svc.supervision
st.title("Audit log")

with st.form("verify"):
    anchor = st.text_input("Checkpoint written down earlier, to prove nothing before it changed (optional)")
    verify = st.form_submit_button("Verify the audit log")
if verify:
    result = attempt(supervision.verify_log, user, anchor.strip() or None)
    if result is not None:  # every event in the log is checked, not only those the filters below show
        (st.success if result.intact else st.error)(
            result.summary() + " Every event in the log was checked, whatever the filters below show."
            + (" Nothing up to the checkpoint you gave has changed." if result.intact and anchor.strip() else "")
            + ("" if result.intact else " Report this to your administrator."))
head = attempt(supervision.chain_head, user)
if head:
    st.caption("Checkpoint of the log as it is now. Write it down outside this system (for example in your "
               f"records of the month); checking against it later proves nothing before it was changed: "
               f"{head[0]}:{head[1]}")

choices = attempt(supervision.audit_choices, user)
if choices is None:
    st.stop()
if choices.last is None:
    st.info("No events yet.")
    st.stop()

st.subheader("Filter the events")
columns = st.columns(2)
officers = columns[0].multiselect("Officer", choices.actors, placeholder="All")
cases = columns[1].multiselect("Case", choices.case_references, placeholder="All")
actions = columns[0].multiselect("Action", choices.actions, format_func=lambda a: ACTION_WORDS.get(a, a),
                                 placeholder="All")
first, last = (datetime.fromisoformat(moment).date() for moment in (choices.first, choices.last))  # UTC dates
dates = columns[1].date_input("Dates (from, to)", value=(first, last), format="DD/MM/YYYY")
dates = tuple(dates) if isinstance(dates, (tuple, list)) else (dates,)
start, end = (dates[0] if dates else first), (dates[1] if len(dates) > 1 else last)
filters = EventFilter(officers, cases, actions, since=start.isoformat(), until=(end + timedelta(days=1)).isoformat())

paging = st.session_state.get(PAGING)
if paging is None or paging["filter"] != filters:  # other filters: back to the newest events
    paging = st.session_state[PAGING] = {"filter": filters, "starts": [None]}
page = attempt(supervision.audit_page, user, filters, paging["starts"][-1], PAGE_SIZE)
if page is None:
    st.stop()
shown_to = page.newer + len(page.events)
st.caption(f"Showing {page.newer + 1:,} to {shown_to:,} of {page.total:,} events, newest first."
           if page.events else "No events match these filters.")


def _row(e) -> dict:
    drafted = e.data if isinstance(e.data, DraftInputs) else None
    return {"Event": e.seq, "Recorded at": when(e.recorded_at), "Who": full_name(e.actor),
            "Action": ACTION_WORDS.get(e.action, e.action), "Case": e.case_reference or "",
            "Draft": (e.draft_id or "")[:8], "Model": model_name(drafted.model.model) if drafted else "",
            "Template": svc.drafting.template_title(drafted.template.name) if drafted else ""}


st.dataframe(pd.DataFrame([_row(e) for e in page.events], columns=COLUMNS), hide_index=True)
newer, older = st.columns(2)
newer.button("Previous page (newer events)", on_click=paging["starts"].pop, disabled=len(paging["starts"]) == 1)
older.button("Next page (older events)", on_click=paging["starts"].append,
             args=(page.events[-1].seq if page.events else None,), disabled=shown_to >= page.total)
st.download_button(f"Download all {page.total:,} matching events as CSV (every page)",
                   lambda: supervision.export_events(user, filters),
                   file_name=f"audit-events-{date.today().isoformat()}.csv", mime="text/csv",
                   disabled=not page.total)

st.subheader("A draft in full")
cases_of = {e.draft_id: e.case_reference for e in page.events if e.draft_id}
if not cases_of:
    st.write("No drafts among the events on this page.")
    st.stop()
draft_id = st.selectbox("Draft to inspect (from the events on this page)", list(cases_of),
                        format_func=lambda d: f"Case {cases_of[d]}, draft {d[:8]}")
view = attempt(svc.review.view, user, draft_id)
if view is None:
    st.stop()
state = view.state

drafted = state.drafted.data
show_status(state)
show_text(state)
template, model = drafted.template, drafted.model
st.write(f"Summary drafted by {model_name(model.model) or 'no model (it could not be reached)'} with the "
         f"'{svc.drafting.template_title(template.name)}' template, from "
         f"{plural(len(drafted.documents), 'document')} ({plural(len(drafted.sources), 'passage')} given"
         + (f", {plural(len(drafted.related), 'related passage')} from other cases" if drafted.related else "")
         + ")." + (" It was a retry of a draft that had failed." if drafted.retry_of else ""))
if state.status in ("failed", "stopped"):
    st.error(plain(f"{STATUS_WORDS[state.status]}: {drafted.error}"))
else:
    if drafted.composition:  # the tool placed checked facts; the model wrote only the overview
        with st.expander("Draft as composed from checked facts (version 1)"):
            st.text(drafted.output)
        facts = plural(len(drafted.composition.get("facts", [])), "checked fact")
        unread = plural(len(drafted.composition.get("unread_passages", [])), "passage")
        st.markdown(f"**Text the AI wrote** (the overview; the rest is {facts} placed by the tool, with "
                    f"{unread} not yet read):")
        st.text(drafted.composition.get("model_text") or "None.")
    else:
        with st.expander("AI text as drafted (version 1)"):
            st.text(drafted.output)
    show_citations(state, attempt(lambda: view.citations), view.sources)

st.markdown("**Decisions**")
st.dataframe(history_rows([state]), hide_index=True)
approved = next((e.data.version for e in reversed(state.events) if e.action == "approved"), None)
if approved == 1:
    st.write("Approved as the AI drafted it (version 1), without changes.")
for event in (e for e in state.events if e.action == "edited"):
    version = event.data.version
    st.markdown(f"Changes from the AI text to version {version} (by {event.actor})"
                + (", the approved text:" if version == approved else ":"))
    st.code(event.data.diff_from_ai or "(no change)", language="diff")
with st.expander("Technical record (hashes, identifiers and every event's data)"):
    st.write(f"Draft id: {state.draft_id}. Template: {template.name} version {template.version}, SHA-256 "
             f"{template.sha256}. Model: {model.model or 'not reached'} from {model.provider or 'no provider'}."
             + (f" Rendered prompt SHA-256: {drafted.rendered_prompt_sha256}."
                if "rendered_prompt_sha256" in drafted.model_fields_set else "")
             + (f" Retry of draft {drafted.retry_of}." if drafted.retry_of else ""))
    st.dataframe([{"File": d.filename, "Document id": d.id, "SHA-256": d.sha256}
                  for d in drafted.documents], hide_index=True)
    st.json([{"seq": e.seq, "action": e.action, "actor": e.actor, "recorded_at": e.recorded_at,
              "payload": e.payload} for e in state.events], expanded=False)
