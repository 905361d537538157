"""The Review queue: undecided drafts the user may see, oldest first, each one a step from its case."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from retrieval.records.access import User
from tests.ui.conftest import button, new_app, open_page, sign_in, texts
from ui.common import age

ASHA = User("asha", "officer", "benefits")


def test_the_queue_lists_undecided_drafts_oldest_first_and_opens_their_case(service):
    service.drafting.draft(ASHA, "BR-2")
    second = service.drafting.draft(ASHA, "BR-1")
    third = service.drafting.draft(ASHA, "BR-1")
    service.review.reject(ASHA, third.draft_id, third.last_seq, "Wrong case.")  # decided: not in the queue
    service.drafting.draft(User("tom", "officer", "housing"), "HS-1")

    at = open_page(sign_in(new_app(service), "asha"), "ui/review_queue.py")
    queue = at.dataframe[0].value
    assert list(queue["Case reference"]) == ["BR-2", "BR-1"]
    assert list(queue["Requested by"]) == ["Asha", "Asha"]  # people by their full names
    assert set(queue["Waiting for"]) == {"less than a minute"}
    at.selectbox[0].select(second.draft_id)
    button(at, "Open the draft").click()
    at.run()
    assert not at.exception and texts(at.title) == ["Case BR-1: Case BR-1"]
    assert at.session_state["case_tab"] == "Summary" and any(s.value == "Latest draft" for s in at.subheader)


def test_ages_read_as_whole_units():
    now = datetime(2025, 3, 10, 12, 0, tzinfo=timezone.utc)
    assert age((now - timedelta(seconds=30)).isoformat(), now) == "less than a minute"
    assert age((now - timedelta(minutes=1, seconds=5)).isoformat(), now) == "1 minute"
    assert age((now - timedelta(hours=5, minutes=59)).isoformat(), now) == "5 hours"
    assert age(now - timedelta(days=2, hours=3), now) == "2 days"
