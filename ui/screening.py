"""Documents flagged as possibly holding instructions aimed at an AI: shown on the Case page with the passage
that raised the flag, kept out of drafts until someone of the case's team confirms they are ordinary
correspondence (the service records who, when and why)."""
from __future__ import annotations

import streamlit as st

from ui.common import attempt, full_name, marked_passage, plain, show_feedback, when

CONFIRMED = "screening_confirmed"  # the file name last confirmed, for the message after the rerun


def show_flags(screening, user, reference: str) -> None:
    if screening is None:
        return
    flags = attempt(screening.flags, user, reference) or []
    confirmed = st.session_state.pop(CONFIRMED, None)
    if confirmed:
        show_feedback(plain(f"{confirmed} is confirmed as ordinary correspondence: drafts use it from now on."), True)
    held = [f for f in flags if f.held_back]
    if not flags:
        return
    if held:
        st.warning(plain(f"{len(held)} document{'s' * (len(held) != 1)} of this case may contain instructions "
                         "aimed at an AI (a prompt injection). Until someone in the team confirms that "
                         f"{'it is' if len(held) == 1 else 'they are'} ordinary correspondence, "
                         f"{'it is' if len(held) == 1 else 'they are'} kept out of drafts."))
    may_confirm = attempt(screening.may_confirm, user, reference)
    for flag in flags:
        label = f"{flag.filename}: " + ("kept out of drafts" if flag.held_back else
                                        f"confirmed by {full_name(flag.confirmed_by)} on {when(flag.confirmed_at)}")
        with st.expander(plain(label), expanded=flag.held_back):
            for passage in flag.passages:
                st.caption(plain(f"Page {passage.page}. Why: " + "; ".join(passage.reasons)))
                st.html(marked_passage(passage.text, passage.sentence_start, passage.sentence_end))
            if not flag.held_back:
                st.caption(plain(f"Note: {flag.note}") if flag.note else "No note was given.")
            elif may_confirm:
                note = st.text_input("Why it is ordinary correspondence (recorded)", key=f"confirm:{flag.document_id}")
                if st.button("Confirm it is ordinary correspondence", key=f"confirm-button:{flag.document_id}"):
                    if attempt(screening.confirm, user, reference, flag.document_id, note) is not None:
                        st.session_state[CONFIRMED] = flag.filename
                        st.rerun()
