"""Incoming correspondence: the team's new letters and e-mails, those that may be a cry for help first, each with
the sentences that put it there; the officer confirms or dismisses each flag with a reason. Ranking, access and
recording are the service's (summariser/services/triage.py); administrators choose a team to look at, and export
the decisions for retraining."""
from datetime import date

import streamlit as st

from summariser.services.triage import CONFIRMED, DISMISSED, EMAIL
from ui.common import attempt, full_name, plain, plural, require_user, services, when
from ui.triage import score_line, show_reasons

PAGE_SIZE = 20  # letters shown in full at a time
DONE_KEY = "triage_done"  # (file name, decision) just recorded, for the message after the rerun
SHOWN_KEY = "triage_shown"  # how many letters are shown in full
EXPORT_KEY = "triage_export"  # the prepared export (file text, lines, left out)
BUTTONS = {CONFIRMED: "Confirm: signs of risk", DISMISSED: "Dismiss: no signs of risk"}
DONE = {CONFIRMED: "is confirmed as showing signs of risk", DISMISSED: "is dismissed: no signs of risk"}
DECIDED = {CONFIRMED: "Confirmed: signs of risk", DISMISSED: "Dismissed: no signs of risk"}

user = require_user()
svc = services()
triage = svc.triage
st.title("Incoming correspondence")
if triage is None:
    st.info("This installation does not use the bundled vulnerability model, so there is no queue to show.")
    st.stop()

teams = attempt(triage.teams, user) or []
if len(teams) > 1:
    team = st.selectbox("Team whose correspondence to see", teams)
elif teams:
    team = teams[0]
else:
    st.info("There are no cases yet, so there is no correspondence.")
    st.stop()

with st.spinner("Scoring new letters and e-mails..."):
    queue = attempt(triage.queue, user, team)
if queue is None:
    st.stop()
may_decide = attempt(triage.may_decide, user, team)
done = st.session_state.pop(DONE_KEY, None)
if done:
    st.success(plain(f"{done[0]} {DONE[done[1]]}. Your reason is recorded."))

st.write(plain(
    f"New letters and e-mails of the {team} team's cases, those most likely to show that the person is at risk "
    "first: they are grouped by their vulnerability score, and within a group the oldest comes first. The "
    "sentences that drove each score are shown under it. Confirm or dismiss each one with a reason: your decision "
    f"is recorded, and it helps to retrain the model. Scored by {queue.model}."))
if not may_decide:
    st.caption("Only the officers and supervisors of the team can confirm or dismiss a flag.")


def received(triaged) -> str:
    return triaged.received.strftime("%d %b %Y")


def describe(triaged) -> str:
    return "E-mail" if triaged.kind == EMAIL else "Letter (scanned)"


if not queue.waiting:
    st.success("No letters or e-mails are waiting: every one has been decided.")
else:
    st.subheader(f"{plural(len(queue.waiting), 'letter or e-mail', 'letters and e-mails')} waiting")
    st.dataframe([{"Order": number, "Group": t.band.name, "Score": round(t.score, 2), "Received": received(t),
                   "Case": t.case_reference, "Person": t.person_name, "File": t.filename, "Type": describe(t)}
                  for number, t in enumerate(queue.waiting, start=1)], hide_index=True)
    shown = st.session_state.get(SHOWN_KEY, PAGE_SIZE)
    for number, triaged in enumerate(queue.waiting[:shown], start=1):
        label = (f"{number}. {triaged.filename} (case {triaged.case_reference}): score {triaged.score:.2f}, "
                 f"received {received(triaged)}")
        with st.expander(plain(label), expanded=number == 1):
            st.caption(plain(f"{triaged.band.name}. {describe(triaged)} from the case of {triaged.person_name}."))
            st.markdown(plain(score_line(triaged)))
            show_reasons(triaged)
            st.page_link("ui/case.py", label=plain(f"Open case {triaged.case_reference} to read it in full"),
                         query_params={"case": triaged.case_reference})
            if may_decide:
                with st.form(f"triage:{triaged.document_id}"):
                    reason = st.text_input("Reason for your decision (recorded)", key=f"reason:{triaged.document_id}")
                    confirm, dismiss = st.columns(2)
                    chosen = [decision for decision, column in ((CONFIRMED, confirm), (DISMISSED, dismiss))
                              if column.form_submit_button(BUTTONS[decision],
                                                           key=f"{decision}:{triaged.document_id}")]
                if chosen and attempt(triage.decide, user, triaged.document_id, chosen[0], reason) is not None:
                    st.session_state[DONE_KEY] = (triaged.filename, chosen[0])
                    st.rerun()
    if len(queue.waiting) > shown:
        st.button(f"Show {min(PAGE_SIZE, len(queue.waiting) - shown)} more",
                  on_click=lambda: st.session_state.update({SHOWN_KEY: shown + PAGE_SIZE}))

if queue.decided:
    st.subheader("Decided recently")
    st.caption(f"The newest {plural(len(queue.decided), 'decision')} of {queue.decided_total}, with the score the "
               "officer was shown. Every decision is in the audit log.")
    st.dataframe([{"Decided": when(t.decision.recorded_at), "By": full_name(t.decision.actor),
                   "Decision": DECIDED.get(t.decision.decision, t.decision.decision), "Reason": t.decision.reason,
                   "Score": round(t.score, 2),
                   "Case": t.case_reference, "File": t.filename} for t in queue.decided], hide_index=True)

if svc.accounts.capabilities(user).manage_records:
    st.subheader("Decisions for retraining")
    st.write("Every decision with the text of its letter or e-mail and the sentences shown, as JSON Lines, for "
             "retraining the vulnerability model. It is personal data: keep it only where the data protection "
             "rules allow. Preparing it is recorded in the audit log; letters erased since are left out.")
    if st.button("Prepare the decisions for retraining"):
        export = attempt(triage.export_labels, user)
        if export is not None:
            st.session_state[EXPORT_KEY] = export
    export = st.session_state.get(EXPORT_KEY)
    if export is not None:
        st.success(f"The file is ready: {plural(export.decisions, 'decision')}"
                   + (f" ({plural(export.left_out, 'decision')} about erased letters left out)." if export.left_out
                      else "."))
        st.download_button("Download the decisions (JSON Lines)", export.text,
                           file_name=f"triage-decisions-{date.today().isoformat()}.jsonl",
                           mime="application/jsonl", disabled=not export.decisions,
                           on_click=lambda: st.session_state.pop(EXPORT_KEY, None))  # letters' text not kept on
