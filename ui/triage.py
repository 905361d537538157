"""A letter's vulnerability score as every page shows it: the score against the threshold, and the sentences that
drove it, so the officer sees why. The Incoming correspondence page and the Case page's one-letter summary both
show it from the same service (summariser/services/triage.py), so they show the same score."""
from __future__ import annotations

import streamlit as st

from ui.common import attempt, plain


def score_line(triaged) -> str:
    """'Vulnerability score 0.93: flagged (the threshold is 0.46).' in plain words."""
    verdict = "flagged, it may show that the person is at risk" if triaged.flagged else "not flagged"
    return f"Vulnerability score {triaged.score:.2f}: {verdict} (the threshold is {triaged.threshold:.2f})."


def show_reasons(triaged) -> None:
    """The sentences that drove the score, highest first, each with its own score; nothing in them is live."""
    if not triaged.sentences:
        st.caption("No sentence of it could be scored: it is too short, or says only what is denied or advised.")
        return
    st.caption("Why: the sentences that drove the score, highest first.")
    st.markdown("\n".join(f"- \u201c{plain(' '.join(s.text.split()))}\u201d (sentence score {s.score:.2f})"
                          for s in triaged.sentences))


def show_letter_score(triage, user, document_id: int) -> None:
    """One document's score and reasons (the Case page, beside the one-letter summary)."""
    if triage is None or document_id is None:
        return
    triaged = attempt(triage.score, user, document_id)
    if triaged is None:
        return
    st.markdown(plain(score_line(triaged)))
    show_reasons(triaged)
