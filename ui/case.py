"""One case: how far reading its passages has got, its documents and their facts, adding files, related records,
and the summary with its review.

The review of a draft is ui/draft_review.py. Each draft shown is read once as a view
(summariser.services.DraftView): its sources and checks are worked out once per run.
"""
import time

import streamlit as st

from retrieval.ingest.pipeline import Upload
from ui.common import (CASE_TAB, attempt, full_name, open_case, plain, plural, require_user, safe_markdown,
                       services, when)
from ui.draft_review import carry_out_request, show_draft
from ui.drafts import history_rows
from ui.reading import live_progress, show_document_facts, show_failures, show_ocr_note
from ui.screening import show_flags
from ui.signposting import show_signposting
from ui.triage import show_letter_score

user = require_user()
svc = services()
cases, drafting, review, reading = svc.cases, svc.drafting, svc.review, svc.reading
RETRY_READING = "retry_reading"  # set by the Retry button, carried out before the progress is shown
may = svc.accounts.capabilities(user)
reference = st.query_params.get("case")

if not reference:
    st.title("Case")
    listings = attempt(cases.cases, user) or []
    if not listings:
        st.info("There are no cases for your team yet.")
        st.stop()
    labels = {c.overview.case.reference: f"{c.overview.case.reference} - {c.overview.case.person.full_name}"
              for c in listings}
    with st.form("choose_case"):
        choice = st.selectbox("Case to open", list(labels), format_func=labels.get)
        if st.form_submit_button("Open case", type="primary"):
            open_case(choice)
    st.stop()

case = attempt(cases.case, user, reference)
if case is None:
    st.stop()

st.title(f"Case {case.reference}: {plain(case.title)}")
officer = plain(full_name(case.officer)) if case.officer else "not assigned"
st.write(f"**Person:** {plain(case.person.full_name)} ({plain(case.person.reference)}) · **Team:** {case.team} · "
         f"**Case type:** {case.case_type.replace('-', ' ').capitalize()} · **Officer:** {officer}")

show_flags(svc.screening, user, case.reference)
retried = attempt(reading.retry, user, case.reference) if st.session_state.pop(RETRY_READING, False) else None
live_progress(lambda: attempt(reading.progress, user, case.reference))

documents_tab, facts_tab, add_tab, related_tab, summary_tab, services_tab = st.tabs(
    ["Documents", "Facts", "Add documents", "Related records", "Summary", "Services"], key=CASE_TAB,
    on_change="rerun")


def snippet(text: str, limit: int = 240) -> str:
    """The start of a passage, cut at a word."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + "..."


def stream_draft(start, direct: bool | None = None) -> None:
    """Run a drafting call, showing its stage, an estimate from recent drafts, and the text as the model writes
    it. "Stop drafting" (like leaving the page) interrupts it: the model is freed, the draft recorded as stopped."""
    with st.status("Drafting the summary...", expanded=True) as status:
        expected = drafting.expected_seconds(direct)
        st.caption("The text appears as the model writes it. It is saved for review when drafting ends."
                   + (f" Recent drafts took about {max(1, round(expected / 60))} min." if expected and expected >= 90
                      else f" Recent drafts took about {round(expected)} seconds." if expected else ""))
        st.button("Stop drafting", help="Stops the model and records the draft as stopped; you can retry it.")
        placeholder, written, shown_at = st.empty(), [], [0.0]

        def on_token(token: str) -> None:
            # Redraw at most a few times a second: every redraw costs CPU the local model needs.
            written.append(token)
            if time.monotonic() - shown_at[0] > 0.5:
                placeholder.markdown(safe_markdown("".join(written)))
                shown_at[0] = time.monotonic()

        state = attempt(start, on_token, lambda stage: status.update(label=stage, expanded=True))
        placeholder.markdown(safe_markdown("".join(written)))
        ok = state is not None and state.status not in ("failed", "stopped")
        status.update(label="Draft ready for review" if ok else "Drafting failed",
                      state="complete" if ok else "error", expanded=False)


if documents_tab.open:
    documents = attempt(cases.documents, user, case.reference)
    if documents == []:
        st.info("This case has no documents yet. Add them in the 'Add documents' tab.")
    elif documents:
        st.dataframe([{"File": d.filename, "Type": d.kind, "Pages": len(d.pages), "Added by": d.added_by,
                       "Added": when(d.added_at)} for d in documents], hide_index=True)
        names = {d.id: f"{d.filename} ({plural(len(d.pages), 'page')})" for d in documents}
        document_id = st.selectbox("Document to read", list(names), format_func=names.get)
        document = next(d for d in documents if d.id == document_id)
        numbers = [p.number for p in document.pages] or [1]
        page = st.selectbox("Page", numbers, format_func=lambda n: f"Page {n} of {len(numbers)}",
                            key=f"page:{document.id}")
        show_ocr_note(document.pages)
        with st.container(border=True):
            st.text(document.page_text(page) if document.pages else document.text)

if facts_tab.open:
    if retried:
        st.success(f"{plural(retried, 'passage')} queued to be read again. The progress shows at the top of the page.")
    elif retried == 0:
        st.info("There were no failed passages to try again.")
    show_failures(attempt(reading.failures, user, case.reference) or [],
                  lambda: st.session_state.update({RETRY_READING: True}))
    facts = attempt(reading.facts, user, case.reference)
    if facts is not None:
        show_document_facts(facts)

if add_tab.open:
    with st.form("add_documents", clear_on_submit=True):
        files = st.file_uploader("Files to add (PDF, Word, text, Markdown, e-mail, or scans as PNG, JPEG or TIFF)",
                                 accept_multiple_files=True)
        password = st.text_input("Password for protected PDFs (optional)", type="password")
        submitted = st.form_submit_button("Add files to the case", type="primary")
    if submitted and not files:
        st.warning("Choose at least one file first.")
    elif submitted:
        bar = st.progress(0.0, text="Adding files...")
        outcomes = attempt(cases.ingest, user, case.reference,
                           [Upload(f.name, f.getvalue(), password or None) for f in files],
                           progress=lambda done, total, o: bar.progress(done / total,
                                                                        text=f"Read {done} of {plural(total, 'file')}"))
        if outcomes is not None:  # shown after the rerun, which also shows the new passages' reading progress
            st.session_state[f"outcomes:{case.reference}"] = outcomes
            st.rerun()
    added = st.session_state.get(f"outcomes:{case.reference}", [])
    for outcome in added:
        show = {"added": st.success, "already held": st.info}.get(outcome.status, st.error)
        show(plain(f"{outcome.filename}: {outcome.status}. {outcome.message}"))
    if getattr(added, "reading_problem", None):
        st.warning(added.reading_problem)
    elif getattr(added, "queued", 0):
        st.info(f"{plural(added.queued, 'passage')} queued to be read for facts in the background. The progress "
                "shows at the top of the page, and the facts in the 'Facts' tab.")

if related_tab.open:
    related = attempt(cases.related, user, case.reference)
    if related is not None:
        st.subheader(f"Other cases of {plain(case.person.full_name)}")
        if not related.same_person:
            st.write("None that you may see.")
        for other in related.same_person:
            st.page_link("ui/case.py", label=plain(f"Open case {other.reference}: {other.title} ({other.team})"),
                         query_params={"case": other.reference})
        st.subheader("Similar passages in other cases")
        if not related.passages:
            st.write("None found among the cases you may see.")
        for passage in related.passages:  # only cases this user may see are searched (the service's rule)
            other = attempt(cases.case, user, passage.case_reference)
            if other is None:
                continue
            with st.container(border=True):
                st.page_link("ui/case.py", label=plain(f"Open case {other.reference}: {other.title}"),
                             query_params={"case": other.reference})
                st.caption(plain(f"{other.case_type.replace('-', ' ').capitalize()} case, opened "
                                 f"{other.opened_on or 'on an unknown date'}. From {passage.filename}, page "
                                 f"{passage.page}."))
                st.text(snippet(passage.text))

if summary_tab.open:
    carry_out_request(user, review, retry=lambda draft_id: stream_draft(
        lambda on_token, on_stage: drafting.retry(user, draft_id, on_token, on_stage)))
    drafts = attempt(review.drafts, user, case.reference)
    latest = drafts[-1] if drafts else None
    reviewing = latest is not None and latest.status in ("pending", "edited")
    names, default_name = drafting.template_choices(case)
    # While a draft waits for review, the review comes first and a new draft is one click away.
    with st.expander("Draft a new summary") if reviewing else st.container(border=True):
        template = st.selectbox("Summary template (the default suits this type of case)", names,
                                index=names.index(default_name) if default_name in names else 0,
                                format_func=drafting.template_title)
        direct = st.checkbox("Give the model the passages instead of the checked facts (the older method: slower, "
                             "and fewer of its sentences are supported)", value=not drafting.from_facts)
        progress = attempt(reading.progress, user, case.reference)
        if not direct and progress is not None and progress.done < progress.total:
            st.info(f"{progress.done} of {progress.total} passages are read for facts. A draft made now uses the "
                    "facts of those only; wait for the rest to be read for a complete draft.")
        if st.button("Draft summary", type="primary"):
            stream_draft(lambda on_token, on_stage: drafting.draft(user, case.reference, template, on_token, on_stage,
                                                                   direct=direct), direct)
            drafts = attempt(review.drafts, user, case.reference)
    letter_templates = drafting.letter_template_choices()
    documents = attempt(cases.documents, user, case.reference) or []
    if letter_templates and documents:
        with st.expander("Summarise one letter or e-mail"):
            names = {d.id: d.filename for d in documents}
            letter = st.selectbox("Letter or e-mail", list(names), format_func=names.get)
            show_letter_score(getattr(svc, "triage", None), user, letter)  # as Incoming correspondence shows it
            letter_template = st.selectbox("Template for one document", letter_templates,
                                           format_func=drafting.template_title)
            if st.button("Draft letter summary"):
                stream_draft(lambda on_token, on_stage: drafting.draft(user, case.reference, letter_template, on_token,
                                                                  on_stage, document_id=letter))
                drafts = attempt(review.drafts, user, case.reference)
    basis = attempt(review.update_basis, user, case.reference)
    if basis is not None and basis.updates:
        with st.expander(f"The approved summary with its {plural(len(basis.updates), 'approved update')}, "
                         "as one text"):
            st.markdown(safe_markdown(basis.approved_text))
    if basis is not None and basis.documents_added_since and not any(d.status in ("pending", "edited")
                                                                        for d in drafts or []):
        approved = "the last update approved" if basis.updates else "the summary approved"
        arrived = plural(len(basis.documents_added_since), "document")
        st.info(f"{arrived} arrived after {approved} on {when(basis.approved_at)}. You can draft an update that "
                "says what changed since then.")
        if st.button("Draft an update: what changed"):
            stream_draft(lambda on_token, on_stage: drafting.draft(user, case.reference, on_token=on_token,
                                                              on_stage=on_stage, update=True))
            drafts = attempt(review.drafts, user, case.reference)
    if drafts == []:
        st.info("No summary has been drafted for this case yet.")
    elif drafts:
        latest = drafts[-1]
        st.subheader("Latest draft")
        show_letter_score(getattr(svc, "triage", None), user, getattr(latest.drafted.data, "document_id", None))
        view = attempt(review.view, user, latest.draft_id) if latest.status not in ("failed", "stopped") else None
        show_draft(latest, view, may, lambda a, b: attempt(review.diff, user, latest.draft_id, a, b),
                   lambda: attempt(review.evidence_pack, user, latest.draft_id))
        st.subheader("History of this case's summaries")
        st.dataframe(history_rows(drafts), hide_index=True)

if services_tab.open:
    show_signposting(svc.signposting, user, case.reference)
