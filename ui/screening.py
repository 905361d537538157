"""Flagged documents on the Case page: those that may hold instructions aimed at an AI, and those with pages read
by OCR with low confidence. Each is shown with what raised its flag and kept out of drafts until someone of the
case's team confirms it (ordinary correspondence; recognised text checked against the paper). The service
records who, when, why and which kinds; the wording here follows the kinds still pending."""
from __future__ import annotations

import streamlit as st

from summariser.services.screening import INJECTION, OCR
from ui.common import attempt, full_name, marked_passage, plain, plural, show_feedback, when

CONFIRMED = "screening_confirmed"  # (file name, kinds) last confirmed, for the message after the rerun

DONE = {  # after "<file name>"
    (INJECTION,): " is confirmed as ordinary correspondence: drafts use it from now on.",
    (OCR,): ": its recognised text is confirmed as right: drafts use it from now on.",
    (INJECTION, OCR): " is confirmed as ordinary correspondence with its recognised text right: drafts use it "
                      "from now on."}
NOTE_LABEL = {
    (INJECTION,): "Why it is ordinary correspondence (recorded)",
    (OCR,): "What you checked (recorded)",
    (INJECTION, OCR): "Why it is ordinary correspondence, and what you checked against the paper (recorded)"}
BUTTON = {
    (INJECTION,): "Confirm it is ordinary correspondence",
    (OCR,): "Confirm the recognised text is right",
    (INJECTION, OCR): "Confirm it is ordinary correspondence and its text is right"}


def _key(kinds) -> tuple[str, ...]:
    return tuple(kind for kind in (INJECTION, OCR) if kind in kinds) or (INJECTION,)


def _warnings(held) -> None:
    """One warning per kind of flag still pending, saying what it means for drafts."""
    injected = sum(INJECTION in f.pending for f in held)
    if injected:
        one = injected == 1
        st.warning(plain(f"{injected} document{'s' * (not one)} of this case may contain instructions aimed at an "
                         "AI (a prompt injection). Until someone in the team confirms that "
                         f"{'it is' if one else 'they are'} ordinary correspondence, "
                         f"{'it is' if one else 'they are'} kept out of drafts."))
    scanned = sum(OCR in f.pending for f in held)
    if scanned:
        one = scanned == 1
        st.warning(plain(f"{scanned} document{'s' * (not one)} of this case {'was' if one else 'were'} read by OCR "
                         f"with low confidence, so {'its' if one else 'their'} text may be wrong. Until someone in "
                         f"the team checks {'it' if one else 'them'} against the paper copy and confirms the "
                         f"recognised text is right, {'it is' if one else 'they are'} kept out of drafts."))


def show_flags(screening, user, reference: str) -> None:
    if screening is None:
        return
    flags = attempt(screening.flags, user, reference) or []
    confirmed = st.session_state.pop(CONFIRMED, None)
    if confirmed:
        filename, kinds = confirmed
        show_feedback(plain(filename + DONE[_key(kinds)]), True)
    checking = attempt(screening.being_checked, user, reference) or 0
    if checking:
        st.caption(plain(f"{plural(checking, 'document')} of this case {'is' if checking == 1 else 'are'} still being "
                         "checked for instructions aimed at an AI. A draft started before then checks "
                         f"{'it' if checking == 1 else 'them'} first."))
    if not flags:
        return
    _warnings([f for f in flags if f.held_back])
    may_confirm = attempt(screening.may_confirm, user, reference)
    for flag in flags:
        pending = _key(flag.pending)
        waiting = "kept out of drafts" if INJECTION in flag.pending else "hard to read, kept out of drafts"
        label = f"{flag.filename}: " + (waiting if flag.held_back else
                                        f"confirmed by {full_name(flag.confirmed_by)} on {when(flag.confirmed_at)}")
        with st.expander(plain(label), expanded=flag.held_back):
            for passage in flag.passages:
                if passage.kind == OCR:  # a whole page, nothing marked in it: all of it needs the check
                    st.caption(plain(f"Page {passage.page}. " + "; ".join(passage.reasons) + "."))
                    st.html(marked_passage(passage.text, 0, 0))
                else:
                    st.caption(plain(f"Page {passage.page}. Why: " + "; ".join(passage.reasons)))
                    st.html(marked_passage(passage.text, passage.sentence_start, passage.sentence_end))
            if not flag.held_back:
                st.caption(plain(f"Note: {flag.note}") if flag.note else "No note was given.")
            elif may_confirm:
                note = st.text_input(NOTE_LABEL[pending], key=f"confirm:{flag.document_id}")
                if st.button(BUTTON[pending], key=f"confirm-button:{flag.document_id}"):
                    if attempt(screening.confirm, user, reference, flag.document_id, note) is not None:
                        st.session_state[CONFIRMED] = (flag.filename, flag.pending)
                        st.rerun()
