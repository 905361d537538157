"""Dashboard measures from audit events: hand-built events with numbers worked out by hand, then the real service."""
from __future__ import annotations

import math
import random
from datetime import date, datetime, timedelta, timezone

import pandas as pd
import pytest

from audit.chain import Event
from audit.kept_texts import MISSING_TEXT
from audit.metrics import (DRAFT_COLUMNS, build_dashboard, by, by_week, draft_table, edit_distance, in_period,
                           queue, rates)
from retrieval.records.access import User
from retrieval.errors import NotAuthorised
from retrieval.ingest.pipeline import Upload
from tests.conftest import approve_with_reasons, fake_chat, register

AI_TEN_WORDS = "a b c d e f g h i j"
QWEN = {"provider": "llamacpp", "model": "qwen2.5-1.5b"}
TEMPLATE = {"name": "case_summary", "version": 1}


def build(*specs) -> list[Event]:
    """Events from (recorded_at, actor, action, draft_id, payload) tuples, numbered in order."""
    events = []
    for seq, (at, actor, action, draft_id, details) in enumerate(specs, start=1):
        case = (details.get("case") or {}).get("reference") or (f"CASE-{draft_id}" if draft_id else None)
        events.append(Event(seq, f"{at}+00:00", actor, action, case, draft_id, details, "0" * 64, "0" * 64))
    return events


def drafted(team: str, text: str = AI_TEN_WORDS, model: dict = QWEN, template: dict = TEMPLATE,
            draft_id: str = "") -> dict:
    return {"case": {"reference": f"CASE-{draft_id}", "team": team, "case_type": "benefit-review"},
            "template": template, "model": model, "output": text}


# d1 approved as drafted (2 h), d2 edited then approved (24 h, 2 of 10 words changed), d3 rejected (6 h),
# d4 waiting, d5 failed; plus events the measures must ignore.
EVENTS = build(
    ("2025-03-03T08:00:00", "asha", "signed_in", None, {"role": "officer"}),
    ("2025-03-03T09:00:00", "asha", "drafted", "d1", drafted("benefits", draft_id="d1")),
    ("2025-03-03T11:00:00", "asha", "approved", "d1", {"version": 1, "note": ""}),
    ("2025-03-04T09:00:00", "asha", "drafted", "d2", drafted("benefits", draft_id="d2")),
    ("2025-03-04T10:00:00", "asha", "edited", "d2", {"version": 2, "text": "a b c d e f g h X Y"}),
    ("2025-03-05T09:00:00", "sam", "approved", "d2", {"version": 2, "note": ""}),
    ("2025-03-05T10:00:00", "sam", "second_checked", "d1", {"agreed": True}),
    ("2025-03-06T10:00:00", "sam", "edited", "d2", {"version": 3, "text": "something else entirely"}),
    ("2025-03-10T10:00:00", "ben", "drafted", "d3", drafted("housing", draft_id="d3")),
    ("2025-03-10T16:00:00", "sam", "rejected", "d3", {"reason": "Wrong person."}),
    ("2025-03-10T17:00:00", "ben", "approved", "d3", {"version": 1}),  # a later decision never counts
    ("2025-03-11T08:00:00", "ben", "drafted", "d4",
     drafted("housing", model={"provider": "openai", "model": "gpt-4o-mini"}, draft_id="d4")),
    ("2025-03-11T09:00:00", "asha", "draft_failed", "d5",
     {"case": {"reference": "CASE-d5", "team": "benefits"}, "template": TEMPLATE, "model": {},
      "error": "The language model is not available."}),
    ("2025-03-11T09:30:00", "asha", "edited", "elsewhere", {"version": 2, "text": "a draft not in view"}),
)


def test_each_draft_becomes_one_row_with_its_first_decision():
    table = draft_table(EVENTS)
    assert list(table.columns) == list(DRAFT_COLUMNS)
    assert list(table["draft_id"]) == ["d1", "d2", "d3", "d4", "d5"]
    assert list(table["outcome"]) == ["approved", "approved after edit", "rejected", "pending", "failed"]
    assert list(table["requested_by"]) == ["asha", "asha", "ben", "ben", "asha"]
    assert list(table["team"]) == ["benefits", "benefits", "housing", "housing", "benefits"]
    assert list(table["template"]) == ["case_summary v1"] * 5
    assert list(table["model"]) == ["qwen2.5-1.5b"] * 3 + ["gpt-4o-mini", "not reached"]
    assert list(table["decided_by"][:3]) == ["asha", "sam", "sam"]
    assert table["decided_at"][2] == pd.Timestamp("2025-03-10T16:00:00Z")
    assert table["hours_to_decision"][:3].tolist() == [2.0, 24.0, 6.0]
    assert table["hours_to_decision"][3:].isna().all()
    assert table["edit_distance"][:2].tolist() == [0.0, 0.2]  # 8 of 10 words kept: 1 - 2*8/20
    assert table["edit_distance"][2:].isna().all()  # only approved drafts have one


def test_headline_rates_are_shares_of_the_decided_drafts():
    assert rates(draft_table(EVENTS)) == {
        "drafts": 5, "decided": 3, "pending": 1, "failed": 1, "approved_total": 2, "approved_rate": 1 / 3,
        "approved_after_edit_rate": 1 / 3, "rejected_rate": 1 / 3, "median_hours_to_decision": 6.0,
        "median_edit_distance": 0.1}
    assert rates(draft_table([]))["approved_rate"] is None and rates(draft_table([]))["drafts"] == 0


def test_grouping_by_officer_team_template_and_model():
    table = draft_table(EVENTS)
    officers = by(table, "officer")
    assert list(officers.index) == ["asha", "ben"]
    assert officers.loc["asha"].to_dict() == {
        "drafts": 3, "decided": 2, "pending": 0, "failed": 1, "approved_total": 2, "approved_rate": 0.5,
        "approved_after_edit_rate": 0.5, "rejected_rate": 0.0, "median_hours_to_decision": 13.0,
        "median_edit_distance": 0.1}
    ben = officers.loc["ben"]
    assert (ben["decided"], ben["pending"], ben["rejected_rate"], ben["median_hours_to_decision"]) == (1, 1, 1.0, 6.0)
    assert math.isnan(ben["median_edit_distance"])
    assert by(table, "team")["drafts"].to_dict() == {"benefits": 3, "housing": 2}
    assert by(table, "template")["decided"].to_dict() == {"case_summary v1": 3}
    models = by(table, "model")
    assert models["drafts"].to_dict() == {"gpt-4o-mini": 1, "not reached": 1, "qwen2.5-1.5b": 3}
    assert math.isnan(models.loc["gpt-4o-mini", "approved_rate"])  # nothing decided: no rate, not 0%
    with pytest.raises(ValueError):
        by(table, "colour")


def test_weeks_start_on_monday_and_empty_weeks_of_the_period_are_kept():
    weekly = by_week(draft_table(EVENTS), date(2025, 3, 1), date(2025, 3, 20))
    assert list(weekly.index) == [date(2025, 2, 24), date(2025, 3, 3), date(2025, 3, 10), date(2025, 3, 17)]
    assert weekly["drafts"].tolist() == [0, 2, 3, 0]
    assert weekly.loc[date(2025, 3, 3), "median_hours_to_decision"] == 13.0
    assert weekly.loc[date(2025, 3, 10), "rejected_rate"] == 1.0
    assert weekly.loc[date(2025, 3, 17)].isna()["approved_rate"]


def test_the_period_includes_both_end_days_and_the_queue_ignores_it():
    table = draft_table(EVENTS)
    assert list(in_period(table, date(2025, 3, 4), date(2025, 3, 10))["draft_id"]) == ["d2", "d3"]
    now = datetime(2025, 3, 12, 8, 0, tzinfo=timezone.utc)
    waiting = queue(table, now)
    assert list(waiting["draft_id"]) == ["d4"] and waiting["hours_waiting"].tolist() == [24.0]

    dashboard = build_dashboard(EVENTS, date(2025, 3, 9), date(2025, 3, 3), now)  # given the wrong way round
    assert (dashboard.start, dashboard.end) == (date(2025, 3, 3), date(2025, 3, 9))
    assert list(dashboard.drafts["draft_id"]) == ["d1", "d2"] and list(dashboard.queue["draft_id"]) == ["d4"]
    assert dashboard.headline["approved_rate"] == 0.5 and set(dashboard.groups) == {"officer", "team", "template",
                                                                                      "model"}
    empty = build_dashboard(EVENTS, date(2024, 1, 1), date(2024, 1, 7), now)
    assert empty.drafts.empty and empty.headline["drafts"] == 0 and empty.groups["team"].empty
    assert empty.weekly["drafts"].tolist() == [0] and list(empty.queue["draft_id"]) == ["d4"]


def test_erased_texts_still_count_in_the_rates_but_not_in_the_edit_distance():
    tombstone = "[erased on 2026-01-05: retention period ended]"
    kept_apart = Event(3, "2025-03-03T12:00:00+00:00", "asha", "drafted", "CASE-e2", "e2",
                       drafted("benefits", text="[a text that was erased]", draft_id="e2"), "0" * 64, "0" * 64,
                       chained_payload={"output": {"$content": "ref-e2"}})
    events = build(
        ("2025-03-03T09:00:00", "asha", "drafted", "e1", drafted("benefits", text=tombstone, draft_id="e1")),
        ("2025-03-03T10:00:00", "asha", "edited", "e1", {"version": 2, "text": tombstone}),
        ("2025-03-03T11:00:00", "sam", "approved", "e1", {"version": 2}),
    ) + [kept_apart] + build(
        ("2025-03-03T13:00:00", "sam", "approved", "e2", {"version": 1}),
        ("2025-03-03T14:00:00", "ben", "drafted", "e3", drafted("benefits", draft_id="e3")),
        ("2025-03-03T15:00:00", "ben", "edited", "e3", {"version": 2, "text": MISSING_TEXT}),  # lost, not erased
        ("2025-03-03T17:00:00", "sam", "approved", "e3", {"version": 2}),
        ("2026-01-05T00:00:00", "retention", "contents_erased", None, {"erased_contents": ["ref-e2"]}),
    )
    table = draft_table(events)
    assert list(table["outcome"]) == ["approved after edit", "approved", "approved after edit"]
    assert table["hours_to_decision"].tolist() == [2.0, 1.0, 3.0]
    assert table["edit_distance"].isna().all()


@pytest.mark.parametrize("ai, final, expected", [
    ("Ms A applied [1].", "Ms A applied [1].", 0.0),
    ("Ms A applied [1].", "Ms  A\napplied [1]. ", 0.0),  # only spacing changed
    ("one two three four", "five six seven eight", 1.0),
    ("one two three four", "", 1.0),
    ("one two three four", "one two three four five six seven eight", 0.5),  # 4 words added, of 8
    ("First line [1].\nSecond line [2]. Third [3].", "First line [1].\nSecond row [2]. Third [3].", 0.125),
    ("First line [1].\nSecond line [2]. Third [3].", "First line [1].\nSecond line, changed [2]. Third [3].", 2 / 9),
    ("A b. C d. E f.", "E f. C d. A b.", 4 / 6),  # first and last sentences swapped: 4 words replaced
], ids=["same", "spacing", "rewritten", "emptied", "extended", "one word in eight", "two words in nine",
        "reordered"])
def test_edit_distance_runs_from_unchanged_to_rewritten(ai, final, expected):
    assert edit_distance(ai, final) == pytest.approx(expected, abs=1e-6)


def _word_distance(a: list[str], b: list[str]) -> int:
    """The textbook dynamic programme, to check the fast one against."""
    previous = list(range(len(b) + 1))
    for i, x in enumerate(a, start=1):
        current = [i] + [0] * len(b)
        for j, y in enumerate(b, start=1):
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (x != y))
        previous = current
    return previous[-1]


def test_edit_distance_is_the_word_levenshtein_distance():
    generator = random.Random(4)
    for _ in range(400):
        a = [generator.choice(("a", "b", "c", "d.", "e")) for _ in range(generator.randint(0, 80))]
        b = [generator.choice(("a", "b", "c", "d.", "e", "f.")) for _ in range(generator.randint(0, 80))]
        if generator.random() < 0.5:  # an officer's kind of edit: a few words changed in place
            b = list(a)
            for _ in range(generator.randint(1, 4)):
                b[generator.randrange(len(b) + 1):][:1] = [generator.choice(("x", "y.", ""))]
        expected = _word_distance(a, b) / max(len(a), len(b), 1)
        assert edit_distance(" ".join(a), " ".join(b)) == pytest.approx(expected, abs=1e-6), (a, b)


def test_a_large_mixed_log_adds_up():
    """Many drafts from several officers and teams, interleaved: the counts and rates come out exact."""
    drafts, start, specs = 10_000, datetime(2025, 1, 6, 9, 0), []
    for n in range(drafts):
        at = start + timedelta(minutes=10 * n)
        draft_id = f"d{n}"
        specs.append((at.isoformat(), f"officer{n % 7}", "drafted", draft_id,
                      drafted(f"team{n % 3}", draft_id=draft_id)))
        decision = ("rejected", {"reason": "x"}) if n % 4 == 0 else ("approved", {"version": 1})
        specs.append(((at + timedelta(minutes=30)).isoformat(), "sam", decision[0], draft_id, decision[1]))
    table = draft_table(build(*sorted(specs, key=lambda s: s[0])))
    assert len(table) == drafts
    assert rates(table)["rejected_rate"] == 0.25 and rates(table)["median_hours_to_decision"] == 0.5
    assert by(table, "officer")["drafts"].to_dict() == {f"officer{k}": len(range(k, drafts, 7)) for k in range(7)}


# through the real service --------------------------------------------------------------------------------
AI_TEXT = "## Background\nMs Jones phoned on 14/01/2025 about rent arrears [1]. She asked for a review [1]."


def test_the_service_gives_a_supervisor_only_their_teams_drafts(make_service):
    service = make_service(chat_model=fake_chat(AI_TEXT))
    register(service, "BR-1", "benefits")
    register(service, "HS-1", "housing", "P-2", "Tom Hardy")
    asha, tom = User("asha", "officer", "benefits"), User("tom", "officer", "housing")
    service.cases.ingest(asha, "BR-1",
                         [Upload("note.txt", b"14/01/2025 Phone call with Ms Jones about rent arrears.\n")])
    service.cases.ingest(tom, "HS-1", [Upload("arrears.txt", b"Rent arrears reported; tenancy at risk.\n")])
    first = service.drafting.draft(asha, "BR-1")
    service.review.edit(asha, first.draft_id, first.last_seq, AI_TEXT + " She was told the next step [1].")
    approve_with_reasons(service, asha, first.draft_id)
    waiting = service.drafting.draft(asha, "BR-1")
    service.drafting.draft(tom, "HS-1")

    today = datetime.now(timezone.utc).date()
    board = service.supervision.dashboard(User("sam", "supervisor", "benefits"), today - timedelta(days=6), today)
    assert list(board.drafts["draft_id"]) == [first.draft_id, waiting.draft_id]
    assert list(board.drafts["outcome"]) == ["approved after edit", "pending"]
    assert list(board.queue["draft_id"]) == [waiting.draft_id]
    assert board.drafts["model"].tolist() == ["fake-list", "fake-list"]
    assert board.headline["approved_after_edit_rate"] == 1.0
    assert 0 < board.headline["median_edit_distance"] < 0.5  # words added, none of the AI text lost
    assert list(board.groups["team"].index) == ["benefits"]

    everyone = service.supervision.dashboard(User("root", "admin", "all"), today, today)
    assert set(everyone.groups["team"].index) == {"benefits", "housing"} and len(everyone.queue) == 2
    with pytest.raises(NotAuthorised):
        service.supervision.dashboard(asha, today, today)
