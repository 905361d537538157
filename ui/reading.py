"""How the background reading of a case is shown on the Case page: its progress, its failures and the facts.

Everything from a document (passages, quotes, file names) or from the model (dates, wordings) is shown as
text, never as live Markdown or HTML: plain widgets (st.text, dataframes), `plain()` in labels, and the one
highlight (<mark>) built from html.escape'd parts, so a document cannot change the page.
"""
from __future__ import annotations

from typing import Callable

import streamlit as st

from summariser.services.reading import CaseProgress, DocumentFacts, ReadingFailure, ShownFact
from ui.common import marked_passage, plain, plural

WHAT_IT_MEANS = ("The tool reads each passage of this case's documents once, in the background, and keeps only "
                 "the facts whose words it found in the passage. You can keep working meanwhile: facts appear in "
                 "the 'Facts' tab as passages are read.")


def show_progress(progress: CaseProgress) -> None:
    """The case's reading progress as a labelled bar, with what it means; nothing once every passage is read."""
    if progress.problem:
        st.warning(progress.problem)
    if progress.total == 0 or (progress.finished and not progress.failed):
        return
    if progress.finished:
        st.warning(f"{progress.words} See the 'Facts' tab for why, and to try them again.")
        return
    st.progress(progress.done / progress.total, text=progress.words)
    st.caption(WHAT_IT_MEANS + " If the count does not move for a long time, ask your administrator whether the "
               "reading worker is running.")


def live_progress(read: Callable[[], CaseProgress | None]) -> None:
    """Show the progress, with a button to look again while passages are being read.

    Not a timed refresh: a fragment re-running every few seconds raced the officer's own actions on a busy
    machine (after adding a file, the page stopped drawing its tabs for over a minute in the browser test)."""
    progress = read()
    if progress is None:
        return
    show_progress(progress)
    if not progress.finished:
        st.button("Check the reading progress again", key="reading_progress_again",
                  help="Passages are read in the background; this looks at how far it has got.")


def show_failures(failures: list[ReadingFailure], on_retry: Callable[[], None]) -> None:
    if not failures:
        return
    st.warning(f"{plural(len(failures), 'passage')} could not be read, even after trying again. The reason for each is "
               "below. Their facts are missing until they are read.")
    st.dataframe([{"File": f.filename, "Page": f.page, "Why it failed": f.error, "Tries": f.attempts}
                  for f in failures], hide_index=True)
    st.button("Try reading the failed passages again", on_click=on_retry,
              help="Queues them for the reading worker; the progress shows above as they are read.")


def show_fact(fact: ShownFact) -> None:
    with st.container(border=True):
        dated = f" · {plain(fact.date)}" if fact.date else " · no date given"
        st.markdown(f"**{fact.kind_words}**{dated}")
        if fact.wording:
            st.text(fact.wording)
        st.text(f"Quote: \u201c{fact.quote}\u201d")
        with st.expander(f"Show the quote in its passage (page {fact.page})"):
            st.caption("The highlighted words are the quote the fact rests on.")
            st.html(marked_passage(fact.passage, fact.start, fact.end))


def show_document_facts(documents: list[DocumentFacts]) -> None:
    if not documents:
        st.info("This case has no documents yet, so there are no facts to show.")
        return
    st.caption("Each fact was read from one passage by the language model, and kept only because the tool found "
               "its quote, and its dates, amounts and names, in that passage. Facts are in date order; facts "
               "with no date come last.")
    for document in documents:
        st.subheader(plain(document.filename))
        still = document.passages - document.read
        st.caption(f"{plural(len(document.facts), 'fact')} from {document.read} of {plural(document.passages, 'passage')} read"
                   + (f"; {still} still to read." if still else "."))
        if not document.facts:
            st.write("No facts yet." if still else "No facts were found in this document.")
        for fact in document.facts:
            show_fact(fact)


def show_ocr_note(pages) -> None:
    """For a scan: "Read by OCR (confidence N%)" as a caption, and a warning naming the pages an officer must
    check against the paper (those below the confidence threshold, marked when the file was added)."""
    read = [page for page in pages if page.ocr]
    if not read:
        return
    known = [page.confidence for page in read if page.confidence is not None]
    confidence = f" (confidence {sum(known) / len(known):.0f}%)" if known else ""
    which = "" if len(read) == len(pages) else f": {plural(len(read), 'page')} of {len(pages)} were scanned"
    st.caption(f"Read by OCR, text recognition{confidence}{which}. The text may have mistakes.")
    low = [page for page in read if page.low_confidence]
    if low:
        named = ", ".join(f"page {page.number} ({page.confidence:.0f}%)" for page in low)
        st.warning(f"Hard to read: {named}. Check this text against the paper before you rely on facts from it.")

