"""Drafts waiting for a human decision, oldest first, so nothing sits unreviewed unnoticed; and, for supervisors,
approved summaries picked at random for a second check."""
import streamlit as st

from ui.common import STATUS_WORDS, age, full_name, plural, attempt, open_case, require_user, services, when

user = require_user()
svc = services()
may = svc.accounts.capabilities(user)
st.title("Review queue")


def choose_and_open(form: str, label: str, drafts) -> None:
    labels = {d.draft_id: f"{d.case_reference} - requested by {full_name(d.requested_by)}, waiting {age(d.requested_at)}"
              for d in drafts}
    with st.form(form):
        draft_id = st.selectbox(label, list(labels), format_func=labels.get)
        if st.form_submit_button("Open the draft", type="primary"):
            open_case(next(d.case_reference for d in drafts if d.draft_id == draft_id), tab="Summary")


drafts = attempt(svc.review.pending, user)
if drafts == []:
    st.success("No drafts are waiting for a decision.")
elif drafts:
    st.write(f"{plural(len(drafts), 'draft')} waiting for a decision: those sent for a supervisor's approval "
             "first, then the oldest first.")
    st.dataframe([{"Waiting for": age(d.requested_at), "Case reference": d.case_reference,
                   "Status": STATUS_WORDS[d.status], "Requested by": full_name(d.requested_by),
                   "Requested at": when(d.requested_at), "Template": svc.drafting.template_title(d.drafted.data.template.name),
                   "Needs a supervisor": "yes" if d.needs_supervisor else "no",
                   "Sent for your approval": f"by {full_name(d.sent.actor)}" if d.sent else ""}
                  for d in drafts], hide_index=True)
    choose_and_open("open_draft", "Draft to review", drafts)

if may.second_check:
    st.subheader("Second checks")
    checks = attempt(svc.review.second_checks_due, user)
    if checks == []:
        st.success("No approved summaries are waiting for a second check.")
    elif checks:
        st.write(f"{plural(len(checks), 'approved summary', 'approved summaries')} picked at random for your "
                 "second check.")
        st.dataframe([{"Case reference": d.case_reference, "Approved by": full_name(d.approval.actor),
                       "Approved at": when(d.approval.recorded_at)} for d in checks], hide_index=True)
        choose_and_open("open_check", "Summary to check", checks)
