"""One case: how far reading its passages has got, its documents and their facts, adding files, related records,
and the summary with its review.

Decisions carry the audit sequence number of the draft as it was shown when the
button was pressed (captured by the button's callback), so a decision on a
draft that changed meanwhile is refused by the review service, never applied blindly. Each draft shown is read once
as a view (summariser.services.DraftView): its sources and checks are worked out once per run.
"""
import time

import streamlit as st

from retrieval.ingest.pipeline import Upload
from ui.common import attempt, open_case, require_user, services, when
from ui.drafts import (history_rows, show_citations, show_coverage, show_evidence_downloads, show_grounding,
                       show_text, show_versions)
from ui.reading import live_progress, show_document_facts, show_failures

DONE = {"approve": "The draft is approved.", "edit": "Your edited version is saved. It still needs approving.",
        "reject": "The draft is rejected.", "accept": "The sentence is accepted, with your reason on record.",
        "cite": "The sentence now cites the source that supports it, in a new version that still needs approving.",
        "second_check": "Your second check is recorded."}

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

st.title(f"Case {case.reference}: {case.title}")
st.write(f"**Person:** {case.person.full_name} ({case.person.reference}) · **Team:** {case.team} · "
         f"**Case type:** {case.case_type} · **Officer:** {case.officer or 'not assigned'}")

retried = attempt(reading.retry, user, case.reference) if st.session_state.pop(RETRY_READING, False) else None
live_progress(lambda: attempt(reading.progress, user, case.reference))

documents_tab, facts_tab, add_tab, related_tab, summary_tab = st.tabs(
    ["Documents", "Facts", "Add documents", "Related records", "Summary"], key="case_tab", on_change="rerun")


def request(action: str, draft_id: str, seen_seq: int | None = None, extra=None) -> None:
    """Button callback: remember what was asked, and on which state of the draft, for this run to carry out."""
    st.session_state["request"] = (action, draft_id, seen_seq, extra)


def stream_draft(start) -> None:
    """Run a drafting call, showing its stage and the text as the model writes it."""
    with st.status("Drafting the summary...", expanded=True) as status:
        st.caption("The text appears as the model writes it. It is saved for review when drafting ends.")
        placeholder, written, shown_at = st.empty(), [], [0.0]

        def on_token(token: str) -> None:
            # Redraw at most a few times a second: every redraw costs CPU the local model needs.
            written.append(token)
            if time.monotonic() - shown_at[0] > 0.5:
                placeholder.markdown("".join(written))
                shown_at[0] = time.monotonic()

        state = attempt(start, on_token, lambda stage: status.update(label=stage))
        placeholder.markdown("".join(written))
        ok = state is not None and state.status != "failed"
        status.update(label="Draft ready for review" if ok else "Drafting failed",
                      state="complete" if ok else "error", expanded=False)


def carry_out_request() -> None:
    """Carry out what a button asked for, before the draft is shown again (so an error shows in place)."""
    action, draft_id, seen, extra = st.session_state.pop("request", (None, None, None, None))
    if action == "retry":
        stream_draft(lambda on_token, on_stage: drafting.retry(user, draft_id, on_token, on_stage))
        return
    if action == "accept":
        key, text = extra
        done = attempt(review.accept_sentence, user, draft_id, seen, key, text,
                       st.session_state.get(f"accept:{draft_id}:{key}", ""))
    elif action == "cite":
        done = attempt(review.cite_instead, user, draft_id, seen, *extra)
    elif action == "second_check":
        done = attempt(review.second_check, user, draft_id, seen, extra, st.session_state.get(f"check:{draft_id}", ""))
    else:
        decide = {"approve": review.approve, "edit": review.edit, "reject": review.reject}.get(action)
        typed = st.session_state.get(f"{action}:{draft_id}", "")  # the note, new text or reason typed with it
        done = decide and attempt(decide, user, draft_id, seen, typed)
    if done:
        st.success(DONE[action])


def show_decisions(state, blocking: int) -> None:
    if state.status == "failed":
        st.error(f"Drafting failed: {state.drafted.data.error}")
        st.button("Retry drafting", on_click=request, args=("retry", state.draft_id))
        return
    seen = state.last_seq
    if state.second_check_due and may.second_check:
        st.markdown("**Second check** (this approved summary was picked at random for a supervisor's check)")
        st.text_input("Note (required if you have a concern)", key=f"check:{state.draft_id}")
        st.button("Confirm the summary", on_click=request, args=("second_check", state.draft_id, seen, "confirmed"))
        st.button("Record a concern", on_click=request, args=("second_check", state.draft_id, seen, "concern"))
    if state.status not in ("pending", "edited"):
        return
    st.markdown("**Your decision**")
    if blocking:
        st.caption(f"Approval is blocked until the {blocking} unsupported sentence(s) above are edited, removed "
                   "or accepted with a reason.")
    st.text_input("Note with your approval (optional)", key=f"approve:{state.draft_id}")
    st.button("Approve this version", type="primary", on_click=request, args=("approve", state.draft_id, seen))
    with st.expander("Edit the summary"):
        st.text_area("Summary text", value=state.current.text, height=300, key=f"edit:{state.draft_id}")
        st.button("Save new version", on_click=request, args=("edit", state.draft_id, seen))
    with st.expander("Reject the draft"):
        st.text_input("Reason for rejecting (required)", key=f"reject:{state.draft_id}")
        st.button("Reject draft", on_click=request, args=("reject", state.draft_id, seen))


def answer_controls(draft_id: str, seen: int):
    """What an officer can do about an unsupported sentence besides editing it: cite the source that supports
    it, if the check found one, or accept it with a reason."""
    def controls(check) -> None:
        if check.supported_by is not None:
            st.button(f"Cite source [{check.supported_by}] for this sentence instead",
                      key=f"cite-button:{draft_id}:{check.key}", on_click=request,
                      args=("cite", draft_id, seen, (check.key, check.supported_by)))
        st.text_input("Reason for keeping this sentence", key=f"accept:{draft_id}:{check.key}")
        st.button("Accept this sentence with the reason", key=f"accept-button:{draft_id}:{check.key}",
                  on_click=request, args=("accept", draft_id, seen, (check.key, check.text)))
    return controls


def show_draft(state) -> None:
    """The draft's text, its checks sentence by sentence, its versions, and what the user may decide."""
    show_text(state)
    if state.status == "failed":
        show_decisions(state, 0)
        return
    if state.needs_supervisor:
        st.info("A supervisor must approve this draft: its sources show signs of vulnerability or a safeguarding "
                "concern (" + "; ".join(state.sign_off["reasons"]) + ").")
    undecided = state.status in ("pending", "edited")
    view = attempt(review.view, user, state.draft_id)  # the sources, read once for every check below
    blocking = 0
    report = attempt(lambda: view.grounding) if view is not None else None
    if report is not None:
        blocking = show_grounding(report, state.accepted,
                                  answer_controls(state.draft_id, state.last_seq) if undecided else None)
    if view is not None:
        show_coverage(attempt(lambda: view.coverage) or [])
        show_citations(state, attempt(lambda: view.citations), view.sources)
    show_versions(state, lambda a, b: attempt(review.diff, user, state.draft_id, a, b))
    show_decisions(state, blocking)
    show_evidence_downloads(state, lambda: attempt(review.evidence_pack, user, state.draft_id))


if documents_tab.open:
    documents = attempt(cases.documents, user, case.reference)
    if documents == []:
        st.info("This case has no documents yet. Add them in the 'Add documents' tab.")
    elif documents:
        st.dataframe([{"File": d.filename, "Type": d.kind, "Pages": len(d.pages), "Added by": d.added_by,
                       "Added": when(d.added_at)} for d in documents], hide_index=True)
        names = {d.id: f"{d.filename} ({len(d.pages)} page(s))" for d in documents}
        document_id = st.selectbox("Document to read", list(names), format_func=names.get)
        document = next(d for d in documents if d.id == document_id)
        numbers = [p.number for p in document.pages] or [1]
        page = st.selectbox("Page", numbers, format_func=lambda n: f"Page {n} of {len(numbers)}",
                            key=f"page:{document.id}")
        with st.container(border=True):
            st.text(document.page_text(page) if document.pages else document.text)

if facts_tab.open:
    if retried:
        st.success(f"{retried} passage(s) are queued to be read again. The progress shows at the top of the page.")
    elif retried == 0:
        st.info("There were no failed passages to try again.")
    show_failures(attempt(reading.failures, user, case.reference) or [],
                  lambda: st.session_state.update({RETRY_READING: True}))
    facts = attempt(reading.facts, user, case.reference)
    if facts is not None:
        show_document_facts(facts)

if add_tab.open:
    with st.form("add_documents", clear_on_submit=True):
        files = st.file_uploader("Files to add (PDF, Word, text, Markdown or e-mail)", accept_multiple_files=True)
        password = st.text_input("Password for protected PDFs (optional)", type="password")
        submitted = st.form_submit_button("Add files to the case", type="primary")
    if submitted and not files:
        st.warning("Choose at least one file first.")
    elif submitted:
        bar = st.progress(0.0, text="Adding files...")
        outcomes = attempt(cases.ingest, user, case.reference,
                           [Upload(f.name, f.getvalue(), password or None) for f in files],
                           progress=lambda done, total, o: bar.progress(done / total,
                                                                        text=f"Read {done} of {total} file(s)"))
        if outcomes is not None:  # shown after the rerun, which also shows the new passages' reading progress
            st.session_state[f"outcomes:{case.reference}"] = outcomes
            st.rerun()
    added = st.session_state.get(f"outcomes:{case.reference}", [])
    for outcome in added:
        show = {"added": st.success, "already held": st.info}.get(outcome.status, st.error)
        show(f"{outcome.filename}: {outcome.status}. {outcome.message}")
    if getattr(added, "reading_problem", None):
        st.warning(added.reading_problem)
    elif getattr(added, "queued", 0):
        st.info(f"{added.queued} passage(s) are queued to be read for facts in the background. The progress "
                "shows at the top of the page, and the facts in the 'Facts' tab.")

if related_tab.open:
    related = attempt(cases.related, user, case.reference)
    if related is not None:
        st.subheader(f"Other cases of {case.person.full_name}")
        if not related.same_person:
            st.write("None that you may see.")
        for other in related.same_person:
            st.page_link("ui/case.py", label=f"Open case {other.reference}: {other.title} ({other.team})",
                         query_params={"case": other.reference})
        st.subheader("Similar passages in other cases")
        if not related.passages:
            st.write("None found among the cases you may see.")
        else:
            st.dataframe([{"File": p.filename, "Page": p.page, "Case": p.case_reference,
                           "Similarity (0 to 1)": p.score, "Passage": p.text[:240]} for p in related.passages],
                         hide_index=True)

if summary_tab.open:
    names, default_name = drafting.template_choices(case)
    with st.container(border=True):
        template = st.selectbox("Summary template (the default suits this type of case)", names,
                                index=names.index(default_name) if default_name in names else 0)
        direct = st.checkbox("Give the model the passages instead of the checked facts (the older method: slower, "
                             "and fewer of its sentences are supported)", value=not drafting.from_facts)
        progress = attempt(reading.progress, user, case.reference)
        if not direct and progress is not None and progress.done < progress.total:
            st.info(f"{progress.done} of {progress.total} passages are read for facts. A draft made now uses the "
                    "facts of those only; wait for the rest to be read for a complete draft.")
        if st.button("Draft summary", type="primary"):
            stream_draft(lambda on_token, on_stage: drafting.draft(user, case.reference, template, on_token, on_stage,
                                                                   direct=direct))
    letter_templates = drafting.letter_template_choices()
    documents = attempt(cases.documents, user, case.reference) or []
    if letter_templates and documents:
        with st.expander("Summarise one letter or e-mail"):
            names = {d.id: d.filename for d in documents}
            letter = st.selectbox("Letter or e-mail", list(names), format_func=names.get)
            letter_template = st.selectbox("Template for one document", letter_templates)
            if st.button("Draft letter summary"):
                stream_draft(lambda on_token, on_stage: drafting.draft(user, case.reference, letter_template, on_token,
                                                                  on_stage, document_id=letter))
    carry_out_request()
    drafts = attempt(review.drafts, user, case.reference)
    basis = attempt(review.update_basis, user, case.reference)
    if basis is not None and basis.updates:
        with st.expander(f"The approved summary with its {len(basis.updates)} approved update(s), as one text"):
            st.markdown(basis.approved_text)
    if basis is not None and basis.documents_added_since and not any(d.status in ("pending", "edited")
                                                                        for d in drafts or []):
        approved = "the last update approved" if basis.updates else "the summary approved"
        st.info(f"{len(basis.documents_added_since)} document(s) arrived after {approved} on "
                f"{when(basis.approved_at)}. You can draft an update that says what changed since then.")
        if st.button("Draft an update: what changed"):
            stream_draft(lambda on_token, on_stage: drafting.draft(user, case.reference, on_token=on_token,
                                                              on_stage=on_stage, update=True))
            drafts = attempt(review.drafts, user, case.reference)
    if drafts == []:
        st.info("No summary has been drafted for this case yet.")
    elif drafts:
        latest = drafts[-1]
        st.subheader("Latest draft")
        show_draft(latest)
        st.subheader("History of this case's summaries")
        st.dataframe(history_rows(drafts), hide_index=True)
