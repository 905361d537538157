"""The draft workflow: pending until a named person decides; decisions never land on a state nobody saw."""
from __future__ import annotations

import threading

import pytest

from audit.chain import Event
from audit.log import AuditLog
from workflow.errors import (ApprovalBlocked, DecisionNotAllowed, DraftChanged, DraftNotFound,
                             SupervisorApprovalRequired, VersionNotFound)
from workflow.review import DraftReview
from workflow.state import diff, fold, with_case_facts

SAFEGUARDING = {"tier": "supervisor", "reasons": ["Source [2] mentions a safeguarding concern (words found: "
                                                  "'safeguarding')."]}


@pytest.fixture
def review(engine):
    return DraftReview(AuditLog(engine))


def _draft(review: DraftReview, text: str = "## Background\nMs A applied on 3 March 2025 [1].",
           case: str = "BR-1", sign_off: dict | None = None) -> str:
    draft_id = review.new_draft_id()
    drafted = {"output": text, "sources": []} | ({"sign_off": sign_off} if sign_off else {})
    review.record_draft("asha", case, draft_id, drafted)
    return draft_id


def _added(review: DraftReview, case: str, *files: tuple[int, str]) -> None:
    review.log.append("asha", "documents_added", {"files": [
        {"filename": f"doc{doc}.txt", "status": status, "document_id": doc} for doc, status in files]}, case)


# the fold, without a database -------------------------------------------------
def _event(seq: int, action: str, payload: dict, actor: str = "asha", draft: str | None = "d1",
           case: str = "BR-1") -> Event:
    return Event(seq, f"2025-01-01T00:00:{seq:02d}+00:00", actor, action, case, draft, payload, "p", "h")


def test_versions_are_labelled_by_who_edited_them():
    state = fold([_event(1, "drafted", {"output": "AI text"}),
                  _event(2, "edited", {"text": "officer text", "role": "officer"}),
                  _event(3, "edited", {"text": "supervisor text", "role": "supervisor"}, actor="morgan"),
                  _event(4, "edited", {"text": "admin text", "role": "admin"}, actor="root"),
                  _event(5, "edited", {"text": "recorded before roles were kept"})])
    assert [(v.number, v.label, v.author) for v in state.versions] == [
        (1, "AI draft", "asha"), (2, "officer edit", "asha"), (3, "supervisor edit", "morgan"),
        (4, "supervisor edit", "root"), (5, "officer edit", "asha")]


def test_diff_between_any_two_versions_and_a_clear_error_for_a_missing_one():
    state = fold([_event(1, "drafted", {"output": "One [1].\nTwo [2].\n"}),
                  _event(2, "edited", {"text": "One [1].\nTwo, corrected [2].\n", "role": "officer"}),
                  _event(3, "edited", {"text": "One [1].\n", "role": "supervisor"})])
    forwards = diff(state, 1, 3)
    assert "-Two [2]." in forwards and "+++ version 3 (supervisor edit)" in forwards
    assert "+Two [2]." in diff(state, 3, 1)
    assert diff(state, 2, 2) == ""
    with pytest.raises(VersionNotFound, match="Version 4 .* versions 1 to 3"):
        diff(state, 1, 4)
    with pytest.raises(VersionNotFound):
        diff(state, 0, 1)


def test_acceptances_hold_for_the_current_version_and_survive_only_unchanged_sentences():
    accept = lambda seq, key, text, version: _event(  # noqa: E731
        seq, "sentence_accepted", {"sentence_key": key, "text": text, "reason": f"checked {key}", "version": version})
    state = fold([_event(1, "drafted", {"output": "Kept sentence. Changed sentence."}),
                  accept(2, "k1", "Kept sentence.", 1), accept(3, "k2", "Changed sentence.", 1)])
    assert state.accepted == {"k1": ("checked k1", "asha", 1), "k2": ("checked k2", "asha", 1)}
    state = fold(list(state.events) + [_event(4, "edited", {"text": "Kept sentence. A new sentence.",
                                                            "role": "officer"})])
    assert state.accepted == {"k1": ("checked k1", "asha", 1)}
    assert state.accepted["k1"].version == 1 and state.current.number == 2
    state = fold(list(state.events) + [_event(5, "edited", {"text": "Another start. Kept\nsentence.",
                                                            "role": "officer"})])
    assert list(state.accepted) == ["k1"]  # a line break is not a change of wording


def test_later_approvals_supersede_and_added_documents_make_the_current_summary_stale():
    first = fold([_event(1, "drafted", {"output": "A"}, draft="a"), _event(2, "approved", {"version": 1}, draft="a")])
    second = fold([_event(3, "drafted", {"output": "B"}, draft="b")])
    only_failed = _event(4, "documents_added", {"files": [{"status": "failed", "document_id": None},
                                                          {"status": "duplicate", "document_id": 7}]}, draft=None)
    added = _event(5, "documents_added", {"files": [{"status": "added", "document_id": 8},
                                                    {"status": "failed", "document_id": None}]}, draft=None)
    facts = [first.events[1], only_failed, added]
    marked = with_case_facts([first, second], facts)
    assert [d.status for d in marked] == ["stale", "pending"] and marked[0].documents_added_since == (8,)
    assert with_case_facts([first], [first.events[1], only_failed])[0].status == "approved"
    second = fold(list(second.events) + [_event(6, "approved", {"version": 1}, draft="b")])
    marked = with_case_facts([first, second], facts + [second.events[-1]])
    assert [d.status for d in marked] == ["superseded", "approved"] and marked[0].superseded_by == "b"



def test_an_approved_update_adds_to_the_full_summary_until_the_next_full_summary():
    full = fold([_event(1, "drafted", {"output": "A"}, draft="a"), _event(2, "approved", {"version": 1}, draft="a")])
    added = _event(3, "documents_added", {"files": [{"status": "added", "document_id": 8}]}, draft=None)
    update = fold([_event(4, "drafted", {"output": "U", "update_of": "a"}, draft="u"),
                   _event(5, "approved", {"version": 1, "update_of": "a"}, draft="u")])
    facts = [full.events[1], added, update.events[1]]
    marked = with_case_facts([full, update], facts)
    assert [d.status for d in marked] == ["approved", "approved"]  # the update covers document 8
    later = _event(6, "documents_added", {"files": [{"status": "added", "document_id": 9}]}, draft=None)
    marked = with_case_facts([full, update], facts + [later])
    assert [d.status for d in marked] == ["stale", "approved"] and marked[0].documents_added_since == (9,)
    replacement = fold([_event(7, "drafted", {"output": "B"}, draft="b"), _event(8, "approved", {"version": 1},
                                                                                  draft="b")])
    marked = with_case_facts([full, update, replacement], facts + [later, replacement.events[1]])
    assert [(d.status, d.superseded_by) for d in marked] == [("superseded", "b"), ("superseded", "b"),
                                                             ("approved", None)]

# decisions, on SQLite and PostgreSQL ----------------------------------------------
def test_a_draft_starts_pending_and_is_approved_by_a_named_person(review):
    draft_id = _draft(review)
    state = review.state(draft_id)
    assert state.status == "pending" and state.current.label == "AI draft"
    assert state.sign_off == {"tier": "officer", "reasons": []}
    state = review.approve(draft_id, "morgan", state.last_seq, note="checked against the letters", role="officer",
                           supervising=False)
    assert state.status == "approved" and state.approved_version.number == 1
    assert [(e.action, e.actor) for e in state.events] == [("drafted", "asha"), ("approved", "morgan")]
    assert state.approval.data.role == "officer" and state.approval.data.second_check is False


def test_edit_makes_a_new_version_and_keeps_the_diff(review):
    draft_id = _draft(review, "Line one [1].\nLine two [2].\n")
    state = review.edit(draft_id, "asha", review.state(draft_id).last_seq, "Line one [1].\nLine 2, corrected [2].\n",
                        role="officer")
    assert state.status == "edited"
    assert [v.label for v in state.versions] == ["AI draft", "officer edit"]
    diff_from_ai = state.events[-1].data.diff_from_ai
    assert "-Line two [2]." in diff_from_ai and "+Line 2, corrected [2]." in diff_from_ai
    state = review.edit(draft_id, "morgan", state.last_seq, "Line one [1].\n", role="supervisor")
    assert [v.label for v in state.versions] == ["AI draft", "officer edit", "supervisor edit"]
    assert "-Line 2, corrected [2]." in diff(state, 2, 3)
    state = review.approve(draft_id, "morgan", state.last_seq, role="supervisor", supervising=True)
    assert state.status == "approved" and state.events[-1].data.version == 3
    assert state.approved_version.text == "Line one [1].\n"


@pytest.mark.parametrize("reason", ["", "   "], ids=["empty", "blank"])
def test_reject_needs_a_reason(review, reason):
    draft_id = _draft(review)
    with pytest.raises(DecisionNotAllowed, match="reason"):
        review.reject(draft_id, "asha", review.state(draft_id).last_seq, reason, role="officer")
    assert review.state(draft_id).status == "pending"


def test_a_decision_on_a_state_the_person_did_not_see_is_refused(review):
    draft_id = _draft(review)
    seen = review.state(draft_id).last_seq
    review.edit(draft_id, "asha", seen, "A different text [1].", role="officer")
    with pytest.raises(DraftChanged) as refused:
        review.approve(draft_id, "morgan", seen, role="supervisor", supervising=True)
    assert refused.value.current.status == "edited"


def test_a_decided_draft_cannot_be_decided_again(review):
    draft_id = _draft(review)
    state = review.reject(draft_id, "asha", review.state(draft_id).last_seq, "wrong person", role="officer")
    with pytest.raises(DecisionNotAllowed, match="already rejected"):
        review.approve(draft_id, "asha", state.last_seq, role="officer", supervising=False)
    with pytest.raises(DecisionNotAllowed, match="already rejected"):
        review.edit(draft_id, "asha", state.last_seq, "new text", role="officer")


def test_failed_drafts_are_kept_with_their_inputs_and_not_pending(review):
    draft_id = review.new_draft_id()
    review.record_failure("asha", "BR-1", draft_id, {"documents": [{"sha256": "ab"}], "error": "model missing"})
    state = review.state(draft_id)
    assert state.status == "failed"
    assert [d.model_dump(exclude_unset=True) for d in state.drafted.data.documents] == [{"sha256": "ab"}]
    assert review.undecided() == []
    with pytest.raises(DraftNotFound):
        review.state("nope")


# risk-tiered sign-off -------------------------------------------------------------
def test_an_officer_sends_a_draft_that_needs_a_supervisor_once_per_version(review):
    draft_id = _draft(review, sign_off=SAFEGUARDING)
    state = review.send_to_supervisor(draft_id, "asha", review.state(draft_id).last_seq, "All answered.",
                                      role="officer")
    assert state.status == "pending" and state.sent.actor == "asha" and state.sent.data.note == "All answered."
    with pytest.raises(DecisionNotAllowed, match="already sent"):
        review.send_to_supervisor(draft_id, "asha", state.last_seq, role="officer")
    state = review.edit(draft_id, "asha", state.last_seq, "Edited by the officer [1].", role="officer")
    assert state.sent is None  # an edited version is sent again
    refused = "1 sentence is not answered."
    with pytest.raises(ApprovalBlocked, match=refused):
        review.send_to_supervisor(draft_id, "asha", state.last_seq, role="officer", blocked_by=lambda s: refused)
    plain = _draft(review)
    with pytest.raises(DecisionNotAllowed, match="approve it yourself"):
        review.send_to_supervisor(plain, "asha", review.state(plain).last_seq, role="officer")



def test_an_officer_cannot_approve_a_draft_that_needs_a_supervisor(review):
    draft_id = _draft(review, sign_off=SAFEGUARDING)
    state = review.state(draft_id)
    assert state.needs_supervisor
    with pytest.raises(SupervisorApprovalRequired) as refused:
        review.approve(draft_id, "asha", state.last_seq, role="officer", supervising=False)
    message = str(refused.value)
    assert "supervisor must approve" in message and "Source [2] mentions a safeguarding concern" in message
    assert review.state(draft_id).status == "pending"
    state = review.edit(draft_id, "asha", state.last_seq, "Edited by the officer [1].", role="officer")
    state = review.approve(draft_id, "morgan", state.last_seq, role="supervisor", supervising=True)
    assert state.status == "approved" and state.approval.data.sign_off_tier == "supervisor"
    assert state.approval.data.second_check is False


def test_an_admin_may_approve_a_draft_that_needs_a_supervisor(review):
    draft_id = _draft(review, sign_off=SAFEGUARDING)
    assert review.approve(draft_id, "root", review.state(draft_id).last_seq, role="admin",
                          supervising=True).status == "approved"


# second checks ----------------------------------------------------------------------
def test_a_random_share_of_officer_approvals_is_marked_for_a_second_check(engine):
    draws = iter([0.05, 0.5, 0.0])
    review = DraftReview(AuditLog(engine), second_check_share=0.1, random=lambda: next(draws))
    first, second = _draft(review), _draft(review)
    review.approve(first, "asha", review.state(first).last_seq, role="officer", supervising=False)
    review.approve(second, "asha", review.state(second).last_seq, role="officer", supervising=False)
    by_supervisor = _draft(review)
    review.approve(by_supervisor, "morgan", review.state(by_supervisor).last_seq, role="supervisor", supervising=True)
    assert [review.state(d).approval.data.second_check for d in (first, second, by_supervisor)] == [
        True, False, False]
    assert next(draws) == 0.0  # a supervisor's approval draws nothing: it needs no second check
    assert [d.draft_id for d in review.second_checks_due()] == [first]
    assert review.second_checks_due({"HS-9"}) == []


@pytest.mark.parametrize("share, expected", [(0.0, False), (1.0, True)], ids=["none", "all"])
def test_the_share_bounds_mean_never_and_always(engine, share, expected):
    review = DraftReview(AuditLog(engine), second_check_share=share, random=lambda: 0.999999)
    draft_id = _draft(review)
    state = review.approve(draft_id, "asha", review.state(draft_id).last_seq, role="officer", supervising=False)
    assert state.second_check_due is expected


def test_the_share_must_be_between_nought_and_one(engine):
    with pytest.raises(ValueError):
        DraftReview(AuditLog(engine), second_check_share=1.5)


def test_a_supervisor_records_the_second_check(engine):
    review = DraftReview(AuditLog(engine), second_check_share=1.0)
    draft_id = _draft(review)
    state = review.approve(draft_id, "asha", review.state(draft_id).last_seq, role="officer", supervising=False)
    with pytest.raises(DecisionNotAllowed, match="Only a supervisor"):
        review.second_check(draft_id, "asha", state.last_seq, "confirmed", role="officer", supervising=False)
    with pytest.raises(DecisionNotAllowed, match="Describe your concern"):
        review.second_check(draft_id, "morgan", state.last_seq, "concern", "  ", role="supervisor", supervising=True)
    with pytest.raises(DecisionNotAllowed, match="confirm"):
        review.second_check(draft_id, "morgan", state.last_seq, "fine", role="supervisor", supervising=True)
    state = review.second_check(draft_id, "morgan", state.last_seq, "concern", "The arrears figure is wrong.",
                                role="supervisor", supervising=True)
    assert (state.second_check.outcome, state.second_check.note, state.second_check.actor) == (
        "concern", "The arrears figure is wrong.", "morgan")
    assert state.status == "approved" and not state.second_check_due and review.second_checks_due() == []
    with pytest.raises(DecisionNotAllowed, match="already had its second check"):
        review.second_check(draft_id, "lee", state.last_seq, "confirmed", role="supervisor", supervising=True)


def test_a_second_check_needs_an_approved_summary_and_another_person(engine):
    review = DraftReview(AuditLog(engine), second_check_share=1.0)
    draft_id = _draft(review)
    with pytest.raises(DecisionNotAllowed, match="Only an approved summary"):
        review.second_check(draft_id, "morgan", review.state(draft_id).last_seq, "confirmed", role="supervisor",
                            supervising=True)
    state = review.approve(draft_id, "root", review.state(draft_id).last_seq, role="admin", supervising=True)
    with pytest.raises(DecisionNotAllowed, match="approved this summary yourself"):
        review.second_check(draft_id, "root", state.last_seq, "confirmed", role="admin", supervising=True)


# superseded, stale and the basis of an update ----------------------------------------
def test_superseded_and_stale_follow_approvals_and_added_documents(review):
    first = _draft(review, "First summary [1].")
    review.approve(first, "asha", review.state(first).last_seq, role="officer", supervising=False)
    assert review.update_basis("BR-1").documents_added_since == ()
    _added(review, "BR-1", (11, "duplicate"))
    assert review.state(first).status == "approved"
    _added(review, "BR-1", (12, "added"), (13, "failed"))
    _added(review, "OTHER-1", (99, "added"))
    assert review.state(first).status == "stale"
    assert [d.status for d in review.drafts("BR-1")] == ["stale"]
    basis = review.update_basis("BR-1")
    assert (basis.draft.draft_id, basis.approved_text, basis.approved_version, basis.documents_added_since) == (
        first, "First summary [1].", 1, (12,))

    second = _draft(review, "Second summary [1].")
    state = review.edit(second, "asha", review.state(second).last_seq, "Second summary, edited [1].", role="officer")
    review.approve(second, "asha", state.last_seq, role="officer", supervising=False)
    assert review.state(first).status == "superseded" and review.state(first).superseded_by == second
    assert [d.status for d in review.drafts("BR-1")] == ["superseded", "approved"]
    assert [d.status for d in review.drafts()] == ["superseded", "approved"]
    basis = review.update_basis("BR-1")
    assert (basis.draft.draft_id, basis.approved_text, basis.approved_version, basis.documents_added_since) == (
        second, "Second summary, edited [1].", 2, ())
    assert review.update_basis("OTHER-1") is None
    _added(review, "BR-1", (14, "added"))
    assert review.last_approved("BR-1").status == "stale"


# accepting unsupported sentences, and the caller's own precondition ------------------------
def test_accepting_a_sentence_needs_a_reason_and_is_kept_for_the_current_version(review):
    draft_id = _draft(review, "She phoned on 3 March [1]. She is unwell.")
    seen = review.state(draft_id).last_seq
    with pytest.raises(DecisionNotAllowed, match="reason"):
        review.accept_sentence(draft_id, "asha", seen, "s2", "She is unwell.", " ", role="officer")
    state = review.accept_sentence(draft_id, "asha", seen, "s2", "She is unwell.", "Told me by phone today.",
                                   role="officer")
    assert state.status == "pending" and state.accepted == {"s2": ("Told me by phone today.", "asha", 1)}
    assert state.events[-1].data.text == "She is unwell."
    state = review.edit(draft_id, "asha", state.last_seq, "She phoned on 3 March 2025 [1]. She is unwell.",
                        role="officer")
    assert state.accepted == {"s2": ("Told me by phone today.", "asha", 1)}
    state = review.edit(draft_id, "asha", state.last_seq, "She phoned on 3 March 2025 [1].", role="officer")
    assert state.accepted == {}
    state = review.approve(draft_id, "asha", state.last_seq, role="officer", supervising=False)
    with pytest.raises(DecisionNotAllowed, match="already approved"):
        review.accept_sentence(draft_id, "asha", state.last_seq, "s1", "x", "y", role="officer")


def test_the_callers_precondition_can_block_approval_inside_the_transaction(review):
    draft_id = _draft(review, "She is unwell.")
    seen_by_check = []

    def unsupported_left(state):
        seen_by_check.append(state.last_seq)
        return None if "s1" in state.accepted else "1 sentence the records do not support is still unresolved."

    state = review.state(draft_id)
    with pytest.raises(ApprovalBlocked, match="1 sentence"):
        review.approve(draft_id, "asha", state.last_seq, role="officer", supervising=False,
                       blocked_by=unsupported_left)
    assert review.state(draft_id).status == "pending" and len(review.state(draft_id).events) == 1
    state = review.accept_sentence(draft_id, "asha", state.last_seq, "s1", "She is unwell.", "GP letter held on paper.",
                                   role="officer")
    state = review.approve(draft_id, "asha", state.last_seq, role="officer", supervising=False,
                           blocked_by=unsupported_left)
    assert state.status == "approved" and seen_by_check[-1] == state.last_seq - 1


# racing decisions ----------------------------------------------------------------------
def test_two_people_deciding_at_once_exactly_one_wins(review):
    draft_id = _draft(review)
    seen = review.state(draft_id).last_seq
    outcomes, barrier = [], threading.Barrier(2)

    def decide(name, act):
        barrier.wait()
        try:
            act()
            outcomes.append((name, "won"))
        except (DraftChanged, DecisionNotAllowed):
            outcomes.append((name, "refused"))

    threads = [threading.Thread(target=decide, args=("approver", lambda: review.approve(
                   draft_id, "a", seen, role="officer", supervising=False))),
               threading.Thread(target=decide, args=("rejecter", lambda: review.reject(draft_id, "b", seen, "no",
                                                                                       role="officer")))]
    [t.start() for t in threads]
    [t.join() for t in threads]
    assert sorted(o for _, o in outcomes) == ["refused", "won"]
    state = review.state(draft_id)
    assert len(state.events) == 2 and state.status in ("approved", "rejected")
    assert review.log.verify().intact


class RendezvousLog(AuditLog):
    """The real audit log, except that, once armed, each writer's first attempt waits inside its open
    transaction (after its precondition has read the draft) until every writer is inside its own. So the
    decisions are truly concurrent: both read the same state, and both try to write."""

    def __init__(self, engine, writers: int = 2):
        super().__init__(engine)
        self.barrier, self.armed, self.local = threading.Barrier(writers), False, threading.local()

    def append(self, *args, precondition=None, **kwargs):
        def meet(conn):
            first = self.armed and not getattr(self.local, "met", False)
            try:
                if precondition:
                    precondition(conn)
            finally:
                if first:
                    self.local.met = True
                    self.barrier.wait()
        return super().append(*args, precondition=meet, **kwargs)


RACES = {
    "approve-vs-reject": (lambda r, d, s: r.approve(d, "ana", s, role="officer", supervising=False),
                          lambda r, d, s: r.reject(d, "ben", s, "wrong case", role="officer")),
    "edit-vs-approve": (lambda r, d, s: r.edit(d, "ana", s, "Edited text [1].", role="officer"),
                        lambda r, d, s: r.approve(d, "ben", s, role="supervisor", supervising=True)),
    "accept-vs-approve": (lambda r, d, s: r.accept_sentence(d, "ana", s, "s1", "Ms A applied.", "Seen the form.",
                                                            role="officer"),
                          lambda r, d, s: r.approve(d, "ben", s, role="officer", supervising=False)),
}


def _race(engine, first, second):
    log = RendezvousLog(engine)
    review = DraftReview(log)
    draft_id = _draft(review)
    seen = review.state(draft_id).last_seq
    log.armed = True
    results: dict[str, object] = {}

    def run(name, act):
        try:
            results[name] = act(review, draft_id, seen)
        except DraftChanged as refused:
            results[name] = refused

    threads = [threading.Thread(target=run, args=(name, act)) for name, act in (("first", first), ("second", second))]
    [t.start() for t in threads]
    [t.join() for t in threads]
    return review, draft_id, results


@pytest.mark.parametrize("race", list(RACES), ids=list(RACES))
def test_two_concurrent_transactions_on_postgresql_exactly_one_decision_wins(pg_url, race):
    from database import make_engine, migrate
    engine = make_engine(pg_url)
    migrate(engine)
    try:
        review, draft_id, results = _race(engine, *RACES[race])
        losers = [r for r in results.values() if isinstance(r, DraftChanged)]
        winners = [r for r in results.values() if not isinstance(r, DraftChanged)]
        assert len(losers) == 1 and len(winners) == 1
        state = review.state(draft_id)
        assert len(state.events) == 2 and state.events[-1] == winners[0].events[-1]
        assert losers[0].current.last_seq == state.last_seq  # the loser is shown the winner's state
        assert review.log.verify().intact
    finally:
        engine.dispose()


@pytest.mark.parametrize("race", list(RACES), ids=list(RACES))
def test_the_same_races_on_sqlite_also_let_exactly_one_win(tmp_path, race):
    from database import make_engine, migrate
    engine = make_engine(f"sqlite:///{tmp_path / 'race.db'}")
    migrate(engine)
    review, draft_id, results = _race(engine, *RACES[race])
    assert sorted(type(r).__name__ for r in results.values()) == ["DraftChanged", "DraftState"]
    assert len(review.state(draft_id).events) == 2 and review.log.verify().intact
    engine.dispose()


# listings read only what they need, and agree with folding every event ------------------
def _everything_folded(review: DraftReview) -> list:
    """The reference: every event of the log read with its texts, folded per draft, case facts marked."""
    events = review.log.events()
    by_draft: dict[str, list[Event]] = {}
    for event in events:
        if event.draft_id:
            by_draft.setdefault(event.draft_id, []).append(event)
    states = [fold(evs) for evs in by_draft.values()]
    marked = [d for case in dict.fromkeys(s.case_reference for s in states)
              for d in with_case_facts([s for s in states if s.case_reference == case],
                                       [e for e in events if e.case_reference == case])]
    return sorted(marked, key=lambda d: d.drafted.seq)


def test_listings_agree_with_folding_every_event(engine):
    review = DraftReview(AuditLog(engine), second_check_share=1.0, random=lambda: 0.0)
    log = review.log
    log.append("asha", "signed_in", {"role": "officer", "team": "benefits"})
    pending = _draft(review, "Pending [1].", case="BR-1")
    edited = _draft(review, "To edit. Kept sentence.", case="BR-1")
    state = review.accept_sentence(edited, "asha", review.state(edited).last_seq, "k1", "Kept sentence.",
                                   "checked on the phone", role="officer")
    review.edit(edited, "asha", state.last_seq, "Edited. Kept sentence.", role="officer")
    rejected = _draft(review, "Wrong [1].", case="BR-2")
    review.reject(rejected, "sam", review.state(rejected).last_seq, "cites the wrong letter", role="supervisor")
    failed = review.new_draft_id()
    review.record_failure("asha", "BR-2", failed, {"error": "model unavailable"})
    superseded = _draft(review, "Old summary [1].", case="BR-3")
    review.approve(superseded, "asha", review.state(superseded).last_seq, role="officer", supervising=False)  # sampled
    current = _draft(review, "New summary [1].", case="BR-3")
    review.approve(current, "sam", review.state(current).last_seq, note="read it", role="supervisor", supervising=True)
    stale = _draft(review, "Stale summary [1].", case="BR-4")
    review.approve(stale, "asha", review.state(stale).last_seq, role="officer", supervising=False)  # sampled
    _added(review, "BR-4", (7, "added"), (8, "duplicate"))
    checked = _draft(review, "Checked summary [1].", case="BR-5")
    state = review.approve(checked, "asha", review.state(checked).last_seq, role="officer", supervising=False)
    review.second_check(checked, "sam", state.last_seq, "confirmed", role="supervisor", supervising=True)
    _added(review, "BR-5", (9, "duplicate"))
    log.append("sam", "signed_out", {})

    everything = _everything_folded(review)
    assert [d.status for d in everything] == ["pending", "edited", "rejected", "failed", "superseded", "approved",
                                              "stale", "approved"]
    assert review.drafts() == everything
    assert review.drafts("BR-3") == [d for d in everything if d.case_reference == "BR-3"]
    assert [tuple(s) for s in review.statuses()] == [
        (d.draft_id, d.case_reference, d.status, d.drafted.seq, d.second_check_due, None) for d in everything]
    assert [s.status for s in review.statuses("BR-4")] == ["stale"]
    assert review.undecided() == [d for d in everything if d.draft_id in (pending, edited)]
    assert review.undecided({"BR-2", "BR-3"}) == []
    assert review.undecided()[1].accepted["k1"].reason == "checked on the phone"
    assert review.undecided()[1].current.text == "Edited. Kept sentence."
    due = review.second_checks_due()
    assert due == [d for d in everything if d.draft_id in (superseded, stale)]
    assert [d.status for d in due] == ["superseded", "stale"] and due[1].documents_added_since == (7,)
    assert review.second_checks_due({"BR-4"}) == [due[1]]
    assert review.last_approved("BR-3") == next(d for d in everything if d.draft_id == current)
    assert review.last_approved("BR-3").approval.data.note == "read it"
    assert review.last_approved("BR-4").status == "stale" and review.last_approved("BR-2") is None


# statuses kept between reads ------------------------------------------------------
def test_kept_statuses_see_every_event_another_process_appends(engine):
    kept = DraftReview(AuditLog(engine))  # one app process, reading between another's writes
    other = DraftReview(AuditLog(engine))

    def statuses() -> dict[str, str]:
        fresh = DraftReview(AuditLog(engine))
        assert kept.statuses() == fresh.statuses()
        assert kept.statuses("BR-1") == fresh.statuses("BR-1")
        assert kept.undecided() == fresh.undecided()
        return {s.draft_id: s.status for s in kept.statuses()}

    assert statuses() == {}
    first = _draft(other)
    assert statuses() == {first: "pending"}
    other.log.append("sam", "signed_in", {"role": "supervisor", "team": "benefits"})  # nothing a listing reads
    assert statuses() == {first: "pending"}
    other.approve(first, "asha", other.state(first).last_seq, role="officer", supervising=False)
    assert statuses() == {first: "approved"}
    _added(other, "BR-1", (7, "added"))
    elsewhere = _draft(other, case="BR-2")
    assert statuses() == {first: "stale", elsewhere: "pending"}
    assert [d.draft_id for d in kept.undecided()] == [elsewhere]
    second = _draft(other)
    other.approve(second, "asha", other.state(second).last_seq, role="officer", supervising=False)
    assert statuses() == {first: "superseded", elsewhere: "pending", second: "approved"}
    assert kept.last_approved("BR-1").draft_id == second


def test_kept_statuses_are_read_again_when_the_log_is_restored_from_a_backup(tmp_path):
    import sqlite3

    from database import make_engine, migrate

    def copy(source, target) -> None:  # SQLite's own online backup
        src, dst = sqlite3.connect(source), sqlite3.connect(target)
        src.backup(dst)
        src.close()
        dst.close()

    database, backup = tmp_path / "casework.db", tmp_path / "backup.db"
    engine = make_engine(f"sqlite:///{database}")
    migrate(engine)
    review = DraftReview(AuditLog(engine))
    kept = _draft(review)
    assert [s.status for s in review.statuses()] == ["pending"]
    engine.dispose()
    copy(database, backup)
    review.approve(kept, "asha", review.state(kept).last_seq, role="officer", supervising=False)
    lost = _draft(review)
    assert [s.status for s in review.statuses()] == ["approved", "pending"]

    engine.dispose()
    copy(backup, database)  # the approval and the second draft are gone...
    again = [_draft(review), _draft(review)]  # ...and the log has grown back to where it was read to
    assert review.log.head()[0] == 3
    assert [(s.draft_id, s.status) for s in review.statuses()] == [(kept, "pending"), (again[0], "pending"),
                                                                   (again[1], "pending")]
    assert lost not in again
