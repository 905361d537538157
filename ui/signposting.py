"""Services that may help, on the Case page: each need the case's documents show, the passage that shows it, and
the vetted services for it. The officer ticks which to mention and copies the text into a letter or note; the
service records the choice. Nothing is sent or referred from here."""
from __future__ import annotations

import streamlit as st

from ui.common import attempt, marked_passage, plain, plural

NOTE_KEY = "signposting_note"  # (case reference, text for the note, event) after "Add to the case note"


def _choice_key(reference: str, need: str, entry_id: int) -> str:
    return f"signpost:{reference}:{need}:{entry_id}"


def show_signposting(signposting, user, reference: str) -> None:
    """The suggestions for one case: the Case page's "Services" tab."""
    if signposting is None:
        return
    suggestions = attempt(signposting.suggestions, user, reference)
    if suggestions is None:
        return
    needs = ", ".join(s.need_name.lower() for s in suggestions)
    label = (f"Services that may help: this case shows {plural(len(suggestions), 'need')} ({needs})" if suggestions
             else "Services that may help: no needs found in this case's documents")
    note = st.session_state.get(NOTE_KEY)
    st.markdown(plain(label))
    if not suggestions:
        st.write("None of this case's documents mentions a need for food, debt advice, housing, help in a mental "
                 "health crisis or support with caring (mentions that are negated, such as \"no concerns about "
                 "food\", or that are a letter's own advice, do not count).")
        return
    st.write("Each need below was found in the case's documents; the words that show it are highlighted. Tick "
             "the services you want to mention, then add them to the case note. Nothing is sent and nobody is "
             "referred: you copy the text into your letter or note yourself. Your choice is recorded.")
    with st.form(f"signposting:{reference}"):
        for suggestion in suggestions:
            _show_suggestion(reference, suggestion)
        add = st.form_submit_button("Add to the case note", type="primary")
    if add:
        chosen = [(s.need, e.id) for s in suggestions for e in s.services
                  if st.session_state.get(_choice_key(reference, s.need, e.id))]
        if not chosen:
            st.warning("Tick at least one service first.")
        else:
            result = attempt(signposting.choose, user, reference, chosen)
            if result is not None:
                st.session_state[NOTE_KEY] = note = (reference, result.text, result.event_seq)
    if note and note[0] == reference:
        st.success("Your choice is recorded. Copy this text into your letter or case note.")
        st.text_area("Text for your letter or case note (select it and copy it)", note[1], height=200,
                     key=f"signposting-text:{reference}:{note[2]}")


def _show_suggestion(reference: str, suggestion) -> None:
    st.subheader(plain(suggestion.need_name))
    for passage in suggestion.passages:
        st.caption(plain(f"From {passage.filename}, page {passage.page}: \"{passage.words}\""))
        st.html(marked_passage(passage.text, passage.start, passage.end))
    if not suggestion.services:
        st.caption("The directory has no service for this need yet. Ask an administrator to add one.")
    for entry in suggestion.services:
        where = "National service" if entry.national else f"Serves {entry.area}"
        st.checkbox(plain(f"Mention {entry.name}: {entry.contact}"),
                    key=_choice_key(reference, suggestion.need, entry.id))
        st.caption(plain(f"{where}. Vetted by {entry.vetted_by} on {entry.vetted_on}."
                         + (" Demo data, not a real service." if entry.demo else "")))
