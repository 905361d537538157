"""The Dashboard page: the queue, the period's figures by week and by group, text alternatives, and who sees it."""
from __future__ import annotations

import json
import re
from datetime import datetime, timedelta, timezone

import pytest

from retrieval.records.access import User
from tests.conftest import approve_with_reasons
from tests.ui.conftest import AI_TEXT, new_app, open_page, sign_in, texts

ASHA = User("asha", "officer", "benefits")
SAM = User("sam", "supervisor", "benefits")
TOM = User("tom", "officer", "housing")
PAGE = "ui/dashboard.py"


@pytest.fixture
def decided(service):
    """Benefits: one draft approved after an edit, one rejected, one waiting. Housing: one approved, one waiting."""
    first = service.drafting.draft(ASHA, "BR-1")
    service.review.edit(ASHA, first.draft_id, first.last_seq, AI_TEXT + " A review was booked [1].")
    approve_with_reasons(service, SAM, first.draft_id)
    second = service.drafting.draft(ASHA, "BR-2")
    service.review.reject(SAM, second.draft_id, second.last_seq, "Wrong person.")
    service.drafting.draft(ASHA, "BR-2")
    housing = service.drafting.draft(TOM, "HS-1")
    approve_with_reasons(service, User("root", "admin", "all"), housing.draft_id)
    service.drafting.draft(TOM, "HS-1")
    return service


def metrics(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def group_by(at, choice: str):
    [select] = [s for s in at.selectbox if s.label == "Group by"]
    return select.select(choice).run()


def test_a_supervisor_sees_the_queue_and_the_figures_of_their_team_only(decided):
    at = open_page(sign_in(new_app(decided), "sam"), PAGE)
    assert not at.exception and texts(at.title) == ["Dashboard"]
    shown = metrics(at)
    assert shown["Drafts waiting now"] == "1" and shown["Oldest waiting"] == "less than a minute"
    assert (shown["Drafts made"], shown["Decided"], shown["Drafting failed"]) == ("3 drafts", "2 drafts", "0 drafts")
    assert (shown["Approved unchanged"], shown["Approved after edit"], shown["Rejected"]) == ("0%", "50%", "50%")
    assert shown["Median time to decision"] == "less than a minute"
    changed = re.fullmatch(r"(\d+)% changed", shown["Officers changed (median)"])
    assert changed and 0 < int(changed.group(1)) < 50

    assert list(at.dataframe[0].value["Case reference"]) == ["BR-2"]  # the queue: housing's draft is not here
    by_team = group_by(at, "team").tabs[1]
    assert by_team.label == "By team"
    rates = by_team.dataframe[0].value
    assert list(rates["Team"]) == ["benefits"]
    assert rates.iloc[0][["Drafts", "Decided", "Waiting", "Rejected"]].tolist() == [3, 2, 1, "50%"]
    by_officer = group_by(at, "officer").tabs[1]
    assert list(by_officer.dataframe[0].value["Officer"]) == ["Asha"]  # people by their full names
    assert all("tom" not in c.value and "housing" not in c.value for c in at.caption)


def test_each_chart_has_a_caption_and_its_numbers_in_a_table(decided):
    at = open_page(sign_in(new_app(decided), "root"), PAGE)
    by_team = group_by(at, "team").tabs[1]
    assert [s.value for s in by_team.subheader] == ["How drafts were decided", "Time from draft to decision",
                                                   "How much officers changed the drafts"]
    charts = by_team.get("vega_lite_chart")
    specs = [json.loads(c.proto.spec) for c in charts]
    assert [spec["encoding"]["x"]["title"] for spec in specs] == [
        "Share of decided drafts", "Median time to decision (hours)", "Share of the AI text changed (median)"]
    captions = texts(by_team.caption)
    assert [spec["description"] for spec in specs] == captions  # what screen readers announce for each chart
    assert "Approved unchanged: highest housing (100%), lowest benefits (0%)." in captions[0]
    assert "Rejected: highest benefits (50%), lowest housing (0%)." in captions[0]
    assert captions[2].startswith("How much of the AI text officers changed before approving, per team")
    assert "lowest housing (0% changed)" in captions[2]
    tables = [d.value for d in by_team.dataframe]
    assert list(tables[0]["Team"]) == ["benefits", "housing"]  # an admin sees every team
    assert list(tables[1]["Decided"]) == [2, 1]
    assert list(tables[2]["Approved"]) == [1, 1] and tables[2]["Changed (median)"].iloc[1] == "0% changed"

    weekly = at.tabs[0]
    assert weekly.label == "Over time, by week"
    this_monday = datetime.now(timezone.utc).date() - timedelta(days=datetime.now(timezone.utc).weekday())
    assert weekly.dataframe[0].value["Week of"].iloc[-1] == f"{this_monday.day} {this_monday:%b %Y}"
    assert weekly.dataframe[0].value["Drafts"].iloc[-1] == 5


def test_a_period_without_drafts_says_so_and_still_shows_the_queue(decided):
    at = open_page(sign_in(new_app(decided), "sam"), PAGE)
    today = datetime.now(timezone.utc).date()
    [period] = [d for d in at.date_input if d.label == "Drafts made between (from, to)"]
    period.set_value((today - timedelta(days=30), today - timedelta(days=20))).run()
    assert not at.exception
    assert "No drafts in this period." in texts(at.info)
    assert metrics(at)["Drafts waiting now"] == "1" and "Drafts made" not in metrics(at)
    assert not at.tabs


def test_nothing_waiting_and_nothing_decided_read_plainly(service):
    at = open_page(sign_in(new_app(service), "sam"), PAGE)
    assert not at.exception
    assert texts(at.success) == ["No drafts are waiting for a decision."]
    assert metrics(at)["Oldest waiting"] == "none" and "No drafts in this period." in texts(at.info)
    service.drafting.draft(ASHA, "BR-1")
    at.run()
    assert "Median time to decision" not in metrics(at) and not at.tabs  # nothing decided: said once, no charts
    assert texts(at.info).count("No decisions yet: no draft of this period has been approved or rejected.") == 1


def test_an_officer_has_no_dashboard(decided):
    at = sign_in(new_app(decided), "asha")
    assert not at.exception
    with pytest.raises(ValueError):  # the page is not even registered for officers
        at.switch_page(PAGE)
