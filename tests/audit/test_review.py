"""The draft workflow: pending until a named person decides; decisions never land on a state nobody saw."""
from __future__ import annotations

import threading

import pytest

from audit.errors import DecisionNotAllowed, DraftChanged, DraftNotFound
from audit.log import AuditLog
from audit.review import DraftReview


@pytest.fixture
def review(engine):
    return DraftReview(AuditLog(engine))


def _draft(review: DraftReview, text: str = "## Background\nMs A applied on 3 March 2025 [1].") -> str:
    draft_id = review.new_draft_id()
    review.record_draft("asha", "BR-1", draft_id, {"output": text, "sources": []})
    return draft_id


def test_a_draft_starts_pending_and_is_approved_by_a_named_person(review):
    draft_id = _draft(review)
    state = review.state(draft_id)
    assert state.status == "pending" and state.current.label == "AI draft"
    state = review.approve(draft_id, "morgan", state.last_seq, note="checked against the letters")
    assert state.status == "approved"
    assert [(e.action, e.actor) for e in state.events] == [("drafted", "asha"), ("approved", "morgan")]


def test_edit_makes_a_new_version_and_keeps_the_diff(review):
    draft_id = _draft(review, "Line one [1].\nLine two [2].\n")
    state = review.edit(draft_id, "asha", review.state(draft_id).last_seq, "Line one [1].\nLine 2, corrected [2].\n")
    assert state.status == "edited"
    assert [v.label for v in state.versions] == ["AI draft", "officer edit"]
    diff = state.events[-1].payload["diff_from_ai"]
    assert "-Line two [2]." in diff and "+Line 2, corrected [2]." in diff
    state = review.approve(draft_id, "asha", state.last_seq)
    assert state.status == "approved" and state.events[-1].payload["version"] == 2


@pytest.mark.parametrize("reason", ["", "   "], ids=["empty", "blank"])
def test_reject_needs_a_reason(review, reason):
    draft_id = _draft(review)
    with pytest.raises(DecisionNotAllowed, match="reason"):
        review.reject(draft_id, "asha", review.state(draft_id).last_seq, reason)
    assert review.state(draft_id).status == "pending"


def test_a_decision_on_a_state_the_person_did_not_see_is_refused(review):
    draft_id = _draft(review)
    seen = review.state(draft_id).last_seq
    review.edit(draft_id, "asha", seen, "A different text [1].")
    with pytest.raises(DraftChanged) as refused:
        review.approve(draft_id, "morgan", seen)
    assert refused.value.current.status == "edited"


def test_a_decided_draft_cannot_be_decided_again(review):
    draft_id = _draft(review)
    state = review.reject(draft_id, "asha", review.state(draft_id).last_seq, "wrong person")
    with pytest.raises(DecisionNotAllowed, match="already rejected"):
        review.approve(draft_id, "asha", state.last_seq)


def test_failed_drafts_are_kept_with_their_inputs_and_not_pending(review):
    draft_id = review.new_draft_id()
    review.record_failure("asha", "BR-1", draft_id, {"documents": [{"sha256": "ab"}], "error": "model missing"})
    state = review.state(draft_id)
    assert state.status == "failed" and state.drafted.payload["documents"] == [{"sha256": "ab"}]
    assert review.undecided() == []
    with pytest.raises(DraftNotFound):
        review.state("nope")


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

    threads = [threading.Thread(target=decide, args=("approver", lambda: review.approve(draft_id, "a", seen))),
               threading.Thread(target=decide, args=("rejecter", lambda: review.reject(draft_id, "b", seen, "no")))]
    [t.start() for t in threads]
    [t.join() for t in threads]
    assert sorted(o for _, o in outcomes) == ["refused", "won"]
    state = review.state(draft_id)
    assert len(state.events) == 2 and state.status in ("approved", "rejected")
    assert review.log.verify().intact
