"""Records management for administrators: subject access, legal holds, erasure and the retention period.

Every change here is irreversible or legally significant, so each one asks for a
reason (kept in the audit log) and erasure also for an explicit confirmation.
After a change the page reruns, so the lists always show the records as they are now.
"""
import json
from datetime import timedelta

import streamlit as st

from ui.common import attempt, plural, require_user, services, when

NOTICES_KEY = "records_notices"  # messages to show after the rerun that follows a change
EXPORT_KEY = "records_export"  # (person reference, JSON text) of the last subject access export
CONFIRM = "I understand this cannot be undone"
WHOLE_PERSON = ""  # the hold choice that covers the person and all their cases

user = require_user()
svc = services()
admin = svc.records_admin
st.title("Records")
st.write("Export everything held about a person, put their records under legal hold, or erase their personal "
         "content. Every action here is recorded in the audit log with your reason.")


def changed(*notices: tuple[str, str], erased: bool = False) -> None:
    """Keep the messages for the next run and rerun, so every list below shows the change.

    After an erasure a prepared export would still hold the erased texts, so it is dropped.
    """
    if erased:
        st.session_state.pop(EXPORT_KEY, None)
    st.session_state[NOTICES_KEY] = list(notices)
    st.rerun()


for kind, message in st.session_state.pop(NOTICES_KEY, []):
    getattr(st, kind)(message)

people = attempt(admin.people_on_record, user)
if people is None:
    st.stop()
if not people:
    st.info("No people are on record yet.")
    st.stop()
by_reference = {person.reference: (person, listings, holds) for person, listings, holds in people}


def person_label(reference: str) -> str:
    person = by_reference[reference][0]
    if person.erased_at is not None:
        return f"{reference} (erased on {when(person.erased_at)})"
    return f"{reference}: {person.full_name}"


reference = st.selectbox("Person", list(by_reference), format_func=person_label, key="records_person",
                         help="Type to search by reference or name.")
person, listings, holds = by_reference[reference]

# the person's cases and holds ------------------------------------------------------------------
st.header(f"Person {person_label(reference)}")
if person.erased_at is not None:
    st.info(f"This person's personal content was erased on {when(person.erased_at)}. "
            "Only their reference and the cases' references remain.")
held_cases = {hold.case_reference for hold in holds}
st.subheader("Cases")
st.dataframe([{"Case reference": o.case.reference, "Team": o.case.team, "Title": o.case.title,
               "Documents": o.document_count,
               "Legal hold": "yes" if (None in held_cases or o.case.reference in held_cases) else "no"}
              for o in listings], hide_index=True)
st.subheader("Legal holds")
if holds:
    st.dataframe([{"Covers": f"case {h.case_reference}" if h.case_reference else "the whole person",
                   "Reason": h.reason, "Set by": h.set_by, "Set on": when(h.set_at)} for h in holds],
                 hide_index=True)
else:
    st.write("No legal holds on this person or their cases.")

# subject access -------------------------------------------------------------------------------
st.subheader("Subject access")
st.write("A file with everything the tool holds about this person: their details, legal holds, cases, "
         "documents with their text, drafts and audit events. Preparing it is recorded in the audit log.")
if st.button("Export everything held about this person", key="records_export_button"):
    export = attempt(admin.subject_access, user, reference)
    if export is not None:
        st.session_state[EXPORT_KEY] = (reference, json.dumps(export, indent=2, ensure_ascii=False))
prepared = st.session_state.get(EXPORT_KEY)
if prepared and prepared[0] == reference:
    export = json.loads(prepared[1])
    st.success(f"The file is ready: {plural(len(export['cases']), 'case')}, "
               f"{plural(len(export['documents']), 'document')}, {plural(len(export['drafts']), 'draft')}, "
               f"{plural(len(export['audit_events']), 'audit event')}.")
    st.download_button("Download the subject access file (JSON)", prepared[1],
                       file_name=f"subject-access-{reference}.json", mime="application/json")

# legal holds ----------------------------------------------------------------------------------
st.subheader("Put records under legal hold")
st.write("While a hold is in place, nothing of this person can be erased, on request or by the retention period.")
covers = {WHOLE_PERSON: "The whole person (all their cases)"} | {
    o.case.reference: f"Only case {o.case.reference}" for o in listings}
with st.form("set_hold", clear_on_submit=True):
    target = st.selectbox("What to hold", list(covers), format_func=covers.get)
    reason = st.text_area("Reason for the legal hold", help="For example the claim or case number that requires it.")
    if st.form_submit_button("Set legal hold"):
        hold = attempt(admin.set_legal_hold, user, reference, reason, target or None)
        if hold is not None:
            changed(("success", f"Legal hold set on {hold.describe()}. Erasure is refused until it is released."))

if holds:
    st.subheader("Release a legal hold")
    with st.form("release_hold", clear_on_submit=True):
        chosen = st.selectbox("Hold to release", range(len(holds)),
                              format_func=lambda i: covers.get(holds[i].case_reference or WHOLE_PERSON,
                                                               holds[i].case_reference) + f" - {holds[i].reason}")
        why = st.text_area("Reason for releasing the hold")
        if st.form_submit_button("Release legal hold"):
            hold = attempt(admin.release_legal_hold, user, reference, why, holds[chosen].case_reference)
            if hold is not None:
                changed(("success", f"Legal hold released on {hold.case_reference or hold.person_reference}."))

# erasure --------------------------------------------------------------------------------------
st.subheader("Erase this person's personal content")
st.write("Removes their name, date of birth, the text and file names of their cases' documents, their passages "
         "from the search index, and the texts of their cases' drafts and notes in the audit log. References, "
         "checksums and the audit chain remain, so the audit log still verifies.")
if holds:
    st.warning("This person's records are under legal hold, so erasure will be refused until the hold is released.")
with st.form("erase_person"):
    erase_reason = st.text_area("Reason for the erasure", help="For example the erasure request's reference.")
    confirmed = st.checkbox(CONFIRM, key="erase_confirmed")
    if st.form_submit_button("Erase personal content", type="primary"):
        if not confirmed:
            st.error(f"Nothing was erased. Tick \u201c{CONFIRM}\u201d to confirm the erasure.")
        else:
            report = attempt(admin.erase_person, user, reference, erase_reason)
            if report is not None:
                notices = [("success", f"Erased {report.person_reference}: {plural(report.documents, 'document')}, "
                                       f"{plural(report.passages, 'indexed passage')} and "
                                       f"{plural(report.audit_texts, 'text')} in the audit log, across "
                                       f"{plural(len(report.case_references), 'case')}. Recorded as audit event "
                                       f"{report.event_seq}.")]
                check = attempt(svc.supervision.verify_log, user)
                if check is not None and check.intact:
                    notices.append(("success", f"The audit log still verifies: {plural(check.checked, 'event')} "
                                               "checked, none changed or missing."))
                elif check is not None:
                    notices.append(("error", f"The audit log does NOT verify (first broken event: "
                                             f"{check.first_broken_seq}). Report this to your administrator."))
                changed(*notices, erased=True)

# retention ------------------------------------------------------------------------------------
st.header("Retention period")
retention_days = admin.retention_days
st.write(f"A person's records may be erased {retention_days} days after the last activity on their cases, "
         "unless they are under legal hold.")
due = attempt(admin.erase_expired, user, dry_run=True)
if due is not None and not due.expired:
    st.success(f"Nobody is past the retention period of {retention_days} days.")
elif due is not None:
    st.write(f"{plural(len(due.expired), 'person', 'people')} past the retention period (nothing has been erased "
             "yet):")
    st.dataframe([{"Person": p.person_reference, "Cases": ", ".join(p.case_references) or "none",
                   "Last activity": when(p.last_activity),
                   "Erasable since": (p.last_activity + timedelta(days=retention_days)).strftime("%d %b %Y")}
                  for p in due.expired], hide_index=True)
    with st.form("erase_expired"):
        retention_confirmed = st.checkbox(CONFIRM, key="retention_confirmed")
        st.caption("The reason recorded for each person is that their retention period ended, "
                   "with the date of their last activity.")
        if st.form_submit_button("Erase everyone past the retention period", type="primary"):
            if not retention_confirmed:
                st.error(f"Nothing was erased. Tick \u201c{CONFIRM}\u201d to confirm the erasure.")
            else:
                run = attempt(admin.erase_expired, user)
                if run is not None:
                    notices = [("success", f"Erased {plural(len(run.erased), 'person', 'people')} past the retention "
                                           "period: "
                                           + (", ".join(r.person_reference for r in run.erased) or "none") + ".")]
                    notices += [("warning", f"Not erased {ref}: {why}") for ref, why in run.refused.items()]
                    changed(*notices, erased=True)
