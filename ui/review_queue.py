"""Drafts waiting for a human decision, oldest first, so nothing sits unreviewed unnoticed."""
import streamlit as st

from ui.common import STATUS_WORDS, age, attempt, open_case, require_user, service, when

user = require_user()
st.title("Review queue")

drafts = attempt(service().pending, user)
if drafts is None:
    st.stop()
if not drafts:
    st.success("No drafts are waiting for a decision.")
    st.stop()

st.write(f"{len(drafts)} draft(s) waiting for a decision, oldest first.")
st.dataframe([{"Waiting for": age(d.requested_at), "Case reference": d.case_reference,
               "Status": STATUS_WORDS[d.status], "Requested by": d.requested_by,
               "Requested at": when(d.requested_at), "Template": d.drafted.payload["template"]["name"]}
              for d in drafts], hide_index=True)

labels = {d.draft_id: f"{d.case_reference} - requested by {d.requested_by}, waiting {age(d.requested_at)}"
          for d in drafts}
with st.form("open_draft"):
    draft_id = st.selectbox("Draft to review", list(labels), format_func=labels.get)
    if st.form_submit_button("Open its case", type="primary"):
        open_case(next(d.case_reference for d in drafts if d.draft_id == draft_id))
