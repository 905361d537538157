"""The review of one draft as one flow: its status and the one next action this user can take at the top, then
the sentences that still need an answer, then the text with its supported sentences shown quietly.

Every check gives one verdict (`Verdict`), so the page never shows an all-clear beside an open problem. A
decision's result is drawn beside the control that made it: the buttons only record what was asked (with the
audit sequence number of the draft as shown, so a decision on a draft that changed meanwhile is refused by the
review service), and the next run carries it out before the draft is drawn again.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import streamlit as st

from summariser.checks.grounding import GroundingReport, SentenceCheck
from ui.common import attempt, full_name, plain, plural, safe_markdown, show_feedback, try_call, when
from ui.drafts import (show_citations, show_coverage, show_evidence_downloads, show_status, show_text,
                       show_versions)

REQUEST = "request"
FEEDBACK = "feedback"
DONE = {"approve": "The draft is approved.", "edit": "Your edited version is saved. It still needs approving.",
        "reject": "The draft is rejected.", "accept": "The sentence is accepted, with your reason on record.",
        "cite": "The sentence now cites the source that supports it, in a new version that still needs approving.",
        "second_check": "Your second check is recorded.",
        "send": "The draft is sent to your team's supervisors for approval. It is at the top of their Review queue."}
SENTENCE_ACTIONS = ("accept", "cite")


def request(action: str, draft_id: str, seen_seq: int | None = None, extra=None) -> None:
    """Button callback: remember what was asked, and on which state of the draft, for this run to carry out."""
    st.session_state[REQUEST] = (action, draft_id, seen_seq, extra)


def carry_out_request(user, review, retry: Callable[[str], None]) -> None:
    """Carry out what a button asked for, before the draft is drawn again; its result is kept for the place on
    the page where the control was (`feedback`)."""
    action, draft_id, seen, extra = st.session_state.pop(REQUEST, (None, None, None, None))
    if action is None:
        return
    if action == "retry":
        retry(draft_id)
        return
    if action == "accept":
        key, text = extra
        call = (review.accept_sentence, user, draft_id, seen, key, text,
                st.session_state.get(f"accept:{draft_id}:{key}", ""))
    elif action == "cite":
        call = (review.cite_instead, user, draft_id, seen, *extra)
    elif action == "second_check":
        call = (review.second_check, user, draft_id, seen, extra, st.session_state.get(f"check:{draft_id}", ""))
    else:
        decide = {"approve": review.approve, "edit": review.edit, "reject": review.reject,
                  "send": review.send_to_supervisor}[action]
        call = (decide, user, draft_id, seen, st.session_state.get(f"{action}:{draft_id}", ""))
    done, error = try_call(*call)
    st.session_state[FEEDBACK] = (action, error or DONE[action], error is None)
    if done is not None and error is None:
        st.toast(DONE[action])


def feedback(*actions: str) -> None:
    """The result of the last decision, if it was one of these actions: drawn where its control is."""
    kept = st.session_state.get(FEEDBACK)
    if kept and kept[0] in actions:
        st.session_state.pop(FEEDBACK)
        show_feedback(kept[1], kept[2])


@dataclass(frozen=True)
class Verdict:
    """One answer for the whole draft, from every check: what blocks approval, and who may approve."""
    open_sentences: list[SentenceCheck]
    needs_supervisor: bool
    may_approve: bool
    undecided: bool

    @property
    def summary(self) -> tuple[str, str]:
        """(kind, text) of the one line at the top: 'warning', 'info' or 'success'."""
        if not self.undecided:
            return "", ""
        if self.open_sentences:
            return "warning", (f"{plural(len(self.open_sentences), 'sentence')} "
                               f"{'needs' if len(self.open_sentences) == 1 else 'need'} an answer before this draft "
                               "can be approved: edit or remove each one, or keep it with a reason.")
        if self.needs_supervisor and not self.may_approve:
            return "info", ("Every sentence is answered. A supervisor must approve this draft: send it to them, "
                            "and it goes to the top of their Review queue.")
        return "success", "Every sentence is supported or answered. The draft is ready for your decision."


def verdict(state, report: GroundingReport | None, may_supervise: bool) -> Verdict:
    unsupported = [c for c in (report.sentences if report else ()) if not c.supported]
    open_ones = list({c.key: c for c in unsupported if c.key not in state.accepted}.values())  # a repeat: once
    undecided = state.status in ("pending", "edited")
    return Verdict(open_ones, state.needs_supervisor, may_supervise or not state.needs_supervisor, undecided)


def show_next_action(state, judged: Verdict) -> None:
    """The status, the one verdict, and the decision this user can take now."""
    kind, text = judged.summary
    if kind:
        {"warning": st.warning, "info": st.info, "success": st.success}[kind](text)
    if state.needs_supervisor and judged.undecided:
        reasons = "; ".join(r.rstrip(".") for r in state.sign_off["reasons"])
        st.caption(plain(f"Why a supervisor signs this off: {reasons}."))
    feedback("approve", "send", "edit", "reject")  # where the controls are, or were before a decision closed them
    if not judged.undecided:
        return
    seen = state.last_seq
    if judged.may_approve and not judged.open_sentences:
        st.text_input("Note with your approval (optional)", key=f"approve:{state.draft_id}")
        st.button("Approve this version", type="primary", on_click=request, args=("approve", state.draft_id, seen))
    elif state.sent is not None:
        st.info(plain(f"Sent to a supervisor by {full_name(state.sent.actor)} on {when(state.sent.recorded_at)}: "
                      "waiting for their approval."))
    elif not judged.open_sentences:  # the officer's part is done: the one thing left is the supervisor's
        st.text_input("Note for the supervisor (optional)", key=f"send:{state.draft_id}")
        st.button("Send to supervisor", type="primary", on_click=request, args=("send", state.draft_id, seen))
    with st.expander("Edit the summary"):
        st.text_area("Summary text", value=state.current.text, height=300, key=f"edit:{state.draft_id}")
        st.button("Save new version", on_click=request, args=("edit", state.draft_id, seen))
    with st.expander("Reject the draft"):
        st.text_input("Reason for rejecting (required)", key=f"reject:{state.draft_id}")
        st.button("Reject draft", on_click=request, args=("reject", state.draft_id, seen))


def show_open_sentences(state, judged: Verdict) -> None:
    """Each sentence that still needs an answer, compactly: what it says, why it is not supported, the passage
    it cites, and the ways to settle it."""
    feedback(*SENTENCE_ACTIONS)
    if not judged.open_sentences or not judged.undecided:
        return
    st.subheader(f"Sentences to answer ({len(judged.open_sentences)})")
    seen = state.last_seq
    for number, check in enumerate(judged.open_sentences, start=1):
        with st.container(border=True):
            st.markdown(f"**{number}.** " + safe_markdown(check.text))
            why = " ".join(check.reasons)
            if check.supported_by is not None:
                why += (f" Source [{check.supported_by}] supports it as written: it may be the source the draft "
                        "meant to cite.")
            st.caption(plain(why))
            if check.support:
                with st.expander(f"Read the closest passage (source [{check.best_source}])"):
                    st.text(check.support)
            if check.supported_by is not None:
                st.button(f"Cite source [{check.supported_by}] for this sentence instead",
                          key=f"cite-button:{state.draft_id}:{check.key}", on_click=request,
                          args=("cite", state.draft_id, seen, (check.key, check.supported_by)))
            # A form: leaving the box does not rerun the page (a press during that rerun was lost), and Enter
            # in the box accepts, as the button does.
            with st.form(key=f"accept-form:{state.draft_id}:{check.key}", border=False):
                st.text_input("Reason for keeping this sentence", key=f"accept:{state.draft_id}:{check.key}")
                st.form_submit_button("Accept this sentence with the reason", on_click=request,
                                      args=("accept", state.draft_id, seen, (check.key, check.text)))


def show_checked_sentences(report: GroundingReport | None, accepted: dict) -> None:
    """Supported and answered sentences, quietly, each beside the passage that supports it."""
    if report is None or not report.sentences:
        return
    supported = [c for c in report.sentences if c.supported]
    kept = {c.key: c for c in report.sentences if not c.supported and c.key in accepted}
    label = f"{len(supported)} of {plural(len(report.sentences), 'sentence')} supported by the passages they cite"
    if kept:
        label += f", {len(kept)} kept with a reason"
    with st.expander(label):
        for check in supported:
            st.markdown(safe_markdown(check.text))
            st.caption(plain(f"From source [{check.best_source}]: {check.support}"))
        for check in kept.values():
            reason, actor, _version = accepted[check.key]
            st.markdown(safe_markdown(check.text))
            st.caption(plain(f"Not supported; kept by {actor}. Reason given: {reason}"))


def show_second_check(state, may_second_check: bool) -> None:
    if not (state.second_check_due and may_second_check):
        return
    st.markdown("**Second check** (this approved summary was picked at random for a supervisor's check)")
    st.text_input("Note (required if you have a concern)", key=f"check:{state.draft_id}")
    seen = state.last_seq
    st.button("Confirm the summary", on_click=request, args=("second_check", state.draft_id, seen, "confirmed"))
    st.button("Record a concern", on_click=request, args=("second_check", state.draft_id, seen, "concern"))
    feedback("second_check")


def show_draft(state, view, may, diff: Callable[[int, int], str | None], evidence) -> None:
    """One draft, top to bottom in the order an officer works: what to do next, what to answer, what it says."""
    show_status(state)
    if state.status in ("failed", "stopped"):
        error = state.drafted.data.error
        if state.status == "stopped":  # the officer stopped it, or left the page: their choice, not a fault
            st.info(plain(error))
        else:
            st.error(plain(f"Drafting failed: {error}"))
        st.button("Retry drafting", on_click=request, args=("retry", state.draft_id))
        return
    held = len(state.drafted.data.held_back)
    if held:
        one = held == 1
        st.info(f"{plural(held, 'document')} of this case {'was' if one else 'were'} left out of this draft: "
                f"{'it is' if one else 'they are'} flagged at the top of the page (as possibly holding instructions "
                "aimed at an AI, or as a scan read with low confidence), and nobody had confirmed "
                f"{'it' if one else 'them'} yet.")
    report = attempt(lambda: view.grounding) if view is not None else None
    judged = verdict(state, report, may.second_check)
    show_next_action(state, judged)
    show_second_check(state, may.second_check)
    show_open_sentences(state, judged)
    show_text(state)
    show_checked_sentences(report, state.accepted)
    if view is not None:
        show_coverage(attempt(lambda: view.coverage) or [])
        show_citations(state, attempt(lambda: view.citations), view.sources)
    show_versions(state, diff)
    show_evidence_downloads(state, evidence)
