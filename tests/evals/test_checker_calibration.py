"""Choosing a threshold from measured similarities: what each candidate would flag, and which is picked."""
from __future__ import annotations

from evals.calibrate import flagged_at, pick, sweep
from evals.checker import KINDS

NUMBER_REASON = "The number 12 is not in the source it cites ([1]), nor in any other source of the case."


def _item(variant: str, similarity: float | None, reasons=(), applicable: bool = True) -> dict:
    return {"variant": variant, "applicable": applicable, "similarity": similarity, "reasons": list(reasons)}


ITEMS = [_item("original", 0.50), _item("original", 0.30), _item("original", 0.45), _item("original", 0.70),
         _item("number", 0.60, [NUMBER_REASON]), _item("negation", 0.42), _item("other_case", 0.20),
         _item("date", None, applicable=False)]


def test_a_threshold_flags_low_similarity_and_any_other_reason():
    assert flagged_at(_item("number", 0.9, [NUMBER_REASON]), 0.1)  # a fact is wrong, whatever the meaning
    assert flagged_at(_item("original", 0.39), 0.4) and not flagged_at(_item("original", 0.41), 0.4)
    assert flagged_at(_item("original", None), 0.0)  # no sentence checked: flagged, as the checker does


def test_sweep_gives_false_alarms_and_detection_per_kind_at_each_threshold():
    rows = {r["threshold"]: r for r in sweep(ITEMS, (0.25, 0.4, 0.5))}
    assert rows[0.25]["false_alarms"] == 0 and rows[0.4]["false_alarms"] == 0.25 and rows[0.5]["false_alarms"] == 0.5
    assert rows[0.25]["detection"]["negation"] == 0 and rows[0.5]["detection"]["negation"] == 1
    assert rows[0.25]["detection"]["number"] == 1 and rows[0.25]["detection"]["other_case"] == 1
    assert rows[0.25]["detection"]["date"] is None  # no applicable sentence: no rate, not 0%
    assert set(rows[0.4]["detection"]) == set(KINDS)


def test_pick_is_the_highest_threshold_within_the_false_alarm_budget():
    rows = sweep(ITEMS, (0.25, 0.4, 0.5))
    assert pick(rows, 0.25)["threshold"] == 0.4
    assert pick(rows, 0.0)["threshold"] == 0.25
    assert pick(sweep([_item("original", 0.1)], (0.3,)), 0.1) is None


def test_with_no_threshold_in_the_budget_pick_the_lowest_catching_another_case():
    """When other reasons alone exceed the budget, the threshold is the lowest still catching 95% of another
    case's sentences (which only meaning can catch), so no more true sentences are flagged than that needs."""
    items = [_item("original", 0.9, ["It may say the opposite of the passage it cites ([1])."]),
             _item("original", 0.6), _item("other_case", 0.3), _item("other_case", 0.45)]
    rows = sweep(items, (0.3, 0.4, 0.5, 0.6))
    assert all(r["false_alarms"] >= 0.5 for r in rows)
    assert pick(rows, 0.1)["threshold"] == 0.5  # 0.4 catches only one of the two
