"""Narrowing and paging the audit log in the database: filters, visibility, keyset pages and filter choices,
on SQLite and PostgreSQL."""
from __future__ import annotations

import pytest

from audit.kept_texts import MISSING_TEXT
from audit.log import AuditLog
from audit.queries import EventFilter, Visibility

# (actor, action, case): case events of two teams' officers, and events about no case
ROWS = [
    ("asha", "drafted", "BR-1"), ("asha", "legal_hold_set", None), ("tom", "drafted", "HS-1"),
    ("o'brien", "legal_hold_set", None), ("asha", "edited", "BR-1"), ("tom", "legal_hold_set", None),
    ("sam", "approved", "BR-1"), ("asha", "drafted", "BR-2"), ("tom", "edited", "HS-1"),
    ("sam", "legal_hold_set", None),
]
BENEFITS = Visibility(cases={"BR-1", "BR-2"}, people={"asha", "sam", "o'brien"})


# Each action with its own personal text (kept apart, read back only for the events read).
PAYLOADS = {
    "drafted": lambda text: {"output": text},
    "edited": lambda text: {"text": text, "version": 2, "role": "officer", "diff_from_ai": ""},
    "approved": lambda text: {"version": 2, "note": text, "role": "supervisor", "sign_off_tier": "officer",
                              "second_check": False},
    "legal_hold_set": lambda text: {"person": "P-1", "case": None, "reason": text},
}
TEXT_OF = {"drafted": "output", "edited": "text", "approved": "note", "legal_hold_set": "reason"}


@pytest.fixture
def log(engine) -> AuditLog:
    log = AuditLog(engine)
    for n, (actor, action, case) in enumerate(ROWS, start=1):
        log.append(actor, action, PAYLOADS[action](f"text of event {n}"), case, f"d{n}" if case else None)
    return log


def seqs(events) -> list[int]:
    return [e.seq for e in events]


def expected(keep) -> list[int]:
    return [n for n, row in enumerate(ROWS, start=1) if keep(*row)]


@pytest.mark.parametrize("where, keep", [
    (EventFilter(actors={"asha", "sam"}), lambda actor, action, case: actor in ("asha", "sam")),
    (EventFilter(case_references={"BR-1", "HS-1"}), lambda actor, action, case: case in ("BR-1", "HS-1")),
    (EventFilter(actions={"edited", "approved"}), lambda actor, action, case: action in ("edited", "approved")),
    (EventFilter(actors={"asha"}, actions={"drafted"}),
     lambda actor, action, case: (actor, action) == ("asha", "drafted")),
    (EventFilter(visible=BENEFITS),
     lambda actor, action, case: case in ("BR-1", "BR-2") or (case is None and actor in ("asha", "sam", "o'brien"))),
    (EventFilter(actors={"tom"}, visible=BENEFITS), lambda actor, action, case: False),
    (EventFilter(visible=Visibility(cases=set(), people=set())), lambda actor, action, case: False),
    (EventFilter(), lambda actor, action, case: True),
], ids=["actors", "cases", "actions", "actor-and-action", "visibility", "outside-visibility", "sees-nothing", "none"])
def test_each_filter_narrows_in_the_database(log, where, keep):
    assert seqs(log.events(where=where)) == expected(keep)
    page = log.page(where, size=100)
    assert seqs(page.events) == list(reversed(expected(keep))) and page.total == len(expected(keep))


def test_a_time_range_compares_recorded_times(log):
    everything = log.events()
    between = EventFilter(since=everything[2].recorded_at, until=everything[5].recorded_at)
    assert seqs(log.events(where=between)) == [3, 4, 5]
    day = everything[0].recorded_at[:10]  # a date alone bounds whole days, as the page's date picker does
    assert seqs(log.events(where=EventFilter(since=day))) == seqs(everything)
    assert log.events(where=EventFilter(until=day)) == []


def test_pages_run_newest_first_and_together_hold_every_match_once(log):
    where = EventFilter(visible=BENEFITS)
    matching = expected(lambda actor, action, case: case in ("BR-1", "BR-2") or
                        (case is None and actor in ("asha", "sam", "o'brien")))
    pages, before = [], None
    while True:
        page = log.page(where, size=3, before_seq=before)
        assert page.total == len(matching) and page.newer == sum(len(p.events) for p in pages)
        if not page.events:
            break
        pages.append(page)
        before = page.events[-1].seq
    assert [seqs(p.events) for p in pages] == [[10, 8, 7], [5, 4, 2], [1]]
    assert sum((seqs(p.events) for p in pages), []) == list(reversed(matching))
    for page in pages:  # every event on a page, however deep, has its own text back
        assert all(getattr(e.data, TEXT_OF[e.action]) == f"text of event {e.seq}" != MISSING_TEXT
                   for e in page.events)


def test_a_limited_read_keeps_chain_order_unless_asked(log):
    assert seqs(log.events(limit=3)) == [1, 2, 3]
    assert seqs(log.events(newest_first=True, limit=3, before_seq=9)) == [8, 7, 6]
    assert seqs(log.events(draft_ids=["d1", "d3", "d5"], newest_first=True, limit=2)) == [5, 3]


def test_choices_come_from_the_visible_events_only(log):
    choices = log.choices(EventFilter(visible=BENEFITS))
    assert choices.actors == ["asha", "o'brien", "sam"]
    assert choices.case_references == ["BR-1", "BR-2"]
    assert choices.actions == ["approved", "drafted", "edited", "legal_hold_set"]
    everything = log.events()
    assert (choices.first, choices.last) == (everything[0].recorded_at, everything[-1].recorded_at)
    nothing = log.choices(EventFilter(visible=Visibility(cases=set(), people=set())))
    assert (nothing.actors, nothing.case_references, nothing.first, nothing.last) == ([], [], None, None)


def test_a_team_with_more_cases_than_bound_parameters_allowed_still_reads(log):
    many = Visibility(cases={f"BR-{n}" for n in range(70_000)}, people={"sam"})  # past PostgreSQL's 65,535
    assert seqs(log.events(where=EventFilter(visible=many))) == [1, 5, 7, 8, 10]
    assert log.page(EventFilter(visible=many), size=2).total == 5
    named = EventFilter(case_references=frozenset(many.cases) | {"BR-1"})  # the triage queue's filter
    assert seqs(log.events(where=named)) == [1, 5, 7, 8]  # BR-1 and BR-2
