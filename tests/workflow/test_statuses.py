"""The status table the listings read agrees, after every event, with folding the log's events the old way."""
from __future__ import annotations

import random

import pytest

from audit.log import AuditLog
from audit.status_table import summary_status
from workflow.errors import WorkflowError
from workflow.review import DraftReview
from workflow.state import CASE_FACT_ACTIONS, UNDECIDED
from workflow.statuses import statuses_of

CASES = ("BR-1", "BR-2", "BR-3")


def _folded(log: AuditLog):
    """The statuses and case summaries as listings worked them out before the table: every draft event folded."""
    statuses = statuses_of(sorted(log.outline(of_drafts=True, payloads_of=("approved",))
                                  + log.outline(actions=("documents_added",), payloads_of=CASE_FACT_ACTIONS),
                                  key=lambda e: e.seq))
    by_case: dict[str, list] = {}
    for status in statuses:
        by_case.setdefault(status.case_reference, []).append((status.status, status.update_of))
    return statuses, {case: summary_status(of_case) for case, of_case in by_case.items()}


def _approval(update_of: str | None = None, second_check: bool = False) -> dict:
    return {"version": 1, "note": "", "role": "supervisor", "sign_off_tier": "officer",
            "second_check": second_check} | ({"update_of": update_of} if update_of else {})


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_table_agrees_with_the_fold_after_every_event_of_a_random_history(engine, seed):
    dice = random.Random(seed)
    review = DraftReview(AuditLog(engine), second_check_share=0.5, random=dice.random)
    log, drafts = review.log, {}  # draft id -> case

    def pick(case: str | None = None, statuses=None):
        known = [s for s in review.statuses() if (case is None or s.case_reference == case)
                 and (statuses is None or s.status in statuses)]
        return dice.choice(known) if known else None

    def act() -> None:
        case, roll = dice.choice(CASES), dice.random()
        if roll < 0.22:
            approved = pick(case, ("approved", "stale"))
            adds_to = approved.draft_id if approved and not approved.update_of and dice.random() < 0.4 else None
            draft_id = f"{dice.getrandbits(128):032x}"  # the same history on every run
            tier = {"tier": dice.choice(["officer", "supervisor"]), "reasons": []}
            review.record_draft("asha", case, draft_id, {"output": "Text [1].", "sign_off": tier}
                                | ({"update_of": adds_to} if adds_to else {}))
            drafts[draft_id] = case
        elif roll < 0.27:
            draft_id = f"{dice.getrandbits(128):032x}"  # the same history on every run
            review.record_failure("asha", case, draft_id, {"error": "model unavailable"})
            drafts[draft_id] = case
        elif roll < 0.62:
            target = pick(statuses=UNDECIDED)
            if target is None:
                return
            seen = review.state(target.draft_id).last_seq
            choice = dice.choice(["approve", "approve", "reject", "edit"])
            if choice == "approve":
                supervising = dice.random() < 0.5
                review.approve(target.draft_id, "sam" if supervising else "asha", seen, role="supervisor"
                               if supervising else "officer", supervising=supervising)
            elif choice == "reject":
                review.reject(target.draft_id, "sam", seen, "no", role="supervisor")
            else:
                review.edit(target.draft_id, "asha", seen, f"Edited {dice.random()} [1].", role="officer")
        elif roll < 0.7:
            due = review.second_checks_due()
            if due:
                review.second_check(due[0].draft_id, "morgan", due[0].last_seq, "confirmed", role="supervisor",
                                    supervising=True)
        elif roll < 0.82:
            status = dice.choice(["added", "added", "duplicate"])
            log.append("asha", "documents_added", {"files": [
                {"filename": "x.txt", "status": status, "document_id": dice.randrange(100)}]}, case)
        elif drafts:  # what the workflow would refuse, written straight to the log: the fold must still agree
            draft_id = dice.choice(sorted(drafts))
            odd = dice.choice(["approved", "approved", "rejected", "second_checked", "edited"])
            others = [d for d, c in drafts.items() if c == drafts[draft_id] and d != draft_id]
            payload = {"approved": _approval(dice.choice(others + [None]) if others else None, dice.random() < 0.5),
                       "rejected": {"reason": "no", "role": "supervisor"},
                       "second_checked": {"outcome": "confirmed", "note": "", "role": "supervisor", "version": 1},
                       "edited": {"text": "t", "version": 2, "role": "officer", "diff_from_ai": ""}}[odd]
            log.append("sam", odd, payload, drafts[draft_id], draft_id)

    seen: set[str] = set()
    for _ in range(70):
        try:
            act()
        except WorkflowError:
            pass  # a decision the workflow refuses, as it should
        statuses, summaries = _folded(log)
        assert review.statuses() == statuses
        seen |= {status.status for status in statuses}
        listed = review.case_summaries()  # a case with documents and no draft yet is listed as "missing"
        assert {case: summary for case, summary in listed.items() if summary != "missing"} == summaries
        assert {case for case, summary in listed.items() if summary == "missing"}.isdisjoint(summaries)
        assert review.case_summaries({"BR-2"}) == {case: s for case, s in listed.items() if case == "BR-2"}
    assert seen >= {"pending", "edited", "approved", "rejected", "failed", "superseded", "stale"}  # all were met
    assert log.verify().status_differences == ()
