"""Quality measures for supervisors, computed from the audit events alone.

The dashboard must show the same truth as the audit log, so nothing here is
stored: a draft's row is derived from its events every time. The functions
are pure (events in, pandas frames out) so the numbers can be checked by hand
in tests, and stay fast on a long log: one pass over the events, vectorised
pandas, and edit distances remembered by the digest of the two texts (a text
in the log never changes, and the page asks again on every screen update).

Definitions (also the wording the dashboard uses):
- A draft's outcome is decided by its FIRST decision (approved or rejected):
  "approved" (the AI text as drafted), "approved after edit" (an edited
  version was approved), "rejected"; without a decision it is "pending";
  a draft the model never finished is "failed". Later events (a second check,
  a supersession) do not change how the draft was first decided.
- Rates are shares of the drafts decided, so approved + approved after edit
  + rejected = 100%. Pending and failed drafts are counted, not rated.
- Edit distance compares the AI text with the text the officer approved:
  the word-level Levenshtein distance (words inserted, deleted or replaced)
  divided by the word count of the longer text (0 = approved unchanged,
  1 = nothing of the AI text kept). Only approved drafts have one, and only
  while both texts are kept: once erased (retention, a person's request) the
  draft still counts in every rate, but not in the edit distance.
- Time to decision: hours from the draft to its first decision.
- Periods and weeks go by the day (UTC) the draft was made; weeks start on
  Monday.
"""
from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Iterable

import pandas as pd
from cachetools import LRUCache
from rapidfuzz.distance import Levenshtein

from audit.chain import Event
from audit.events import ERASURE_ACTIONS
from audit.kept_texts import is_erased_text

OUTCOMES = ("approved", "approved after edit", "rejected", "pending", "failed")
DECIDED = ("approved", "approved after edit", "rejected")
DIMENSIONS = {"officer": "requested_by", "team": "team", "template": "template", "model": "model"}
DRAFT_COLUMNS = ("draft_id", "case_reference", "team", "requested_by", "template", "model", "drafted_at",
                 "first_decision", "decided_at", "decided_by", "outcome", "hours_to_decision", "edit_distance")
SUMMARY_COLUMNS = ("drafts", "decided", "pending", "failed", "approved_total", "approved_rate",
                   "approved_after_edit_rate", "rejected_rate", "median_hours_to_decision", "median_edit_distance")
COUNT_COLUMNS = ("drafts", "decided", "pending", "failed", "approved_total")
_DISTANCES: LRUCache = LRUCache(maxsize=200_000)  # texts' digest -> edit distance (see edit_distance); ~20 MB
_DISTANCES_LOCK = threading.Lock()  # an LRU reorders on every read, and pages run in several threads


def edit_distance(ai_text: str, final_text: str) -> float:
    """How much of the AI text was changed: the word-level Levenshtein distance (words inserted, deleted or
    replaced) divided by the word count of the longer text; 0 = unchanged, 1 = nothing kept.

    Words, not characters: a changed figure or name counts once, whatever its length, and a 400-word summary
    is compared in about a millisecond. Remembered by the texts' digest (see the module's docstring).
    """
    if ai_text == final_text:
        return 0.0
    key = hashlib.blake2b(ai_text.encode() + b"\0" + final_text.encode(), digest_size=16).digest()
    with _DISTANCES_LOCK:
        known = _DISTANCES.get(key)
    if known is None:
        ai_words, final_words = ai_text.split(), final_text.split()
        longest = max(len(ai_words), len(final_words))
        # rapidfuzz compares sequences of any hashable items, so whole words count as one edit each.
        known = round(Levenshtein.distance(ai_words, final_words) / longest, 6) if longest else 0.0
        with _DISTANCES_LOCK:
            _DISTANCES[key] = known
    return known


def _label(values: list, missing: str) -> str:
    """A template's "name vN" or a model's name, from the parts recorded (None or empty left out)."""
    given = [str(v) for v in values if v not in (None, "")]
    if not given:
        return missing
    return given[0] if len(given) == 1 else f"{given[0]} v{given[1]}"


def _text(event: Event, key: str) -> tuple[str | None, str | None]:
    """(readable text, its content reference if the log keeps it apart) of one personal field of an event;
    None for a text the event did not record."""
    data = event.data
    return (getattr(data, key) if key in data.model_fields_set else None), event.kept_ref(key)


def _erased(text: str | None, ref: str | None, erased_refs: set[str]) -> bool:
    """A text erased under retention reads back as a tombstone; comparing tombstones would measure nothing."""
    return text is None or (ref is not None and ref in erased_refs) or is_erased_text(text)


def draft_table(events: Iterable[Event]) -> pd.DataFrame:
    """One row per draft (drafted or draft_failed), in the order the drafts were made."""
    rows: dict[str, dict] = {}
    versions: dict[str, list[tuple[str | None, str | None]]] = {}
    edited_before_decision: set[str] = set()
    erased_refs: set[str] = set()
    for event in events:
        if event.action in ERASURE_ACTIONS:
            erased_refs.update(event.data.erased_contents)
        draft_id = event.draft_id
        if draft_id is None:
            continue
        action = event.action
        if action in ("drafted", "draft_failed"):
            if draft_id in rows:
                continue
            data = event.data
            rows[draft_id] = {
                "draft_id": draft_id, "case_reference": event.case_reference,
                "team": data.case.team or "unknown", "requested_by": event.actor,
                "template": _label([data.template.name, data.template.version], missing="unknown"),
                "model": _label([data.model.model], missing="not reached"),
                "drafted_at": event.recorded_at, "first_decision": None, "decided_at": None,
                "decided_by": None, "outcome": "pending" if action == "drafted" else "failed",
                "_approved_version": None}
            versions[draft_id] = [_text(event, "output")]
            continue
        row = rows.get(draft_id)
        if row is None or row["first_decision"] is not None or row["outcome"] == "failed":
            continue  # events of a draft outside these events, or after its first decision
        if action == "edited":
            versions[draft_id].append(_text(event, "text"))
            edited_before_decision.add(draft_id)
        elif action in ("approved", "rejected"):
            row.update(first_decision=action, decided_at=event.recorded_at, decided_by=event.actor)
            if action == "rejected":
                row["outcome"] = "rejected"
            else:
                number = event.data.version or len(versions[draft_id])
                row["_approved_version"] = number
                row["outcome"] = "approved after edit" if number > 1 or draft_id in edited_before_decision \
                    else "approved"

    distances = {}
    for draft_id, row in rows.items():
        number = row.pop("_approved_version")
        texts = versions[draft_id]
        if number is None or not texts or not 1 <= number <= len(texts):
            continue
        (ai_text, ai_ref), (final, final_ref) = texts[0], texts[number - 1]
        if not _erased(ai_text, ai_ref, erased_refs) and not _erased(final, final_ref, erased_refs):
            distances[draft_id] = edit_distance(ai_text, final)

    frame = pd.DataFrame(list(rows.values()), columns=[c for c in DRAFT_COLUMNS
                                                        if c not in ("hours_to_decision", "edit_distance")])
    frame["drafted_at"] = pd.to_datetime(frame["drafted_at"], utc=True, format="ISO8601")
    frame["decided_at"] = pd.to_datetime(frame["decided_at"], utc=True, format="ISO8601")
    frame["hours_to_decision"] = (frame["decided_at"] - frame["drafted_at"]).dt.total_seconds() / 3600
    frame["edit_distance"] = frame["draft_id"].map(distances).astype(float)
    frame["outcome"] = pd.Categorical(frame["outcome"], categories=OUTCOMES)
    return frame.sort_values("drafted_at", kind="stable").reset_index(drop=True)[list(DRAFT_COLUMNS)]


def _day(value: date | datetime) -> date:
    return value.date() if isinstance(value, datetime) else value


def in_period(drafts: pd.DataFrame, start: date | None = None, end: date | None = None) -> pd.DataFrame:
    """Drafts made on the days from `start` to `end`, both included (UTC days)."""
    days = drafts["drafted_at"].dt.date
    keep = pd.Series(True, index=drafts.index)
    if start is not None:
        keep &= days >= _day(start)
    if end is not None:
        keep &= days <= _day(end)
    return drafts[keep].reset_index(drop=True)


def queue(drafts: pd.DataFrame, now: datetime) -> pd.DataFrame:
    """Drafts waiting for a decision now, longest waiting first, with the hours each has waited."""
    waiting = drafts[drafts["outcome"] == "pending"].copy()
    waiting["hours_waiting"] = (pd.Timestamp(now) - waiting["drafted_at"]).dt.total_seconds() / 3600
    return waiting.sort_values("drafted_at", kind="stable").reset_index(drop=True)[
        ["draft_id", "case_reference", "team", "requested_by", "template", "model", "drafted_at", "hours_waiting"]]


def _summarise(drafts: pd.DataFrame, keys) -> pd.DataFrame:
    """Counts, rates and medians per group; `keys` is a column name or a Series aligned with drafts."""
    outcome = drafts["outcome"].astype(str)
    flags = pd.DataFrame({
        "drafts": 1,
        "decided": outcome.isin(DECIDED).astype(int),
        "pending": (outcome == "pending").astype(int),
        "failed": (outcome == "failed").astype(int),
        "approved": (outcome == "approved").astype(int),
        "approved_after_edit": (outcome == "approved after edit").astype(int),
        "rejected": (outcome == "rejected").astype(int),
        "hours_to_decision": drafts["hours_to_decision"],
        "edit_distance": drafts["edit_distance"],
    }, index=drafts.index)
    grouped = flags.groupby(drafts[keys] if isinstance(keys, str) else keys, observed=True, sort=True)
    counts = grouped[["drafts", "decided", "pending", "failed", "approved", "approved_after_edit",
                      "rejected"]].sum()
    decided = counts["decided"].where(counts["decided"] > 0)
    result = counts[["drafts", "decided", "pending", "failed"]].copy()
    result["approved_total"] = counts["approved"] + counts["approved_after_edit"]
    for name in ("approved", "approved_after_edit", "rejected"):
        result[f"{name}_rate"] = counts[name] / decided
    result["median_hours_to_decision"] = grouped["hours_to_decision"].median()
    result["median_edit_distance"] = grouped["edit_distance"].median()
    return result[list(SUMMARY_COLUMNS)]


def rates(drafts: pd.DataFrame) -> dict:
    """The headline figures of a set of drafts (rates are shares of those decided; None when none were)."""
    if drafts.empty:
        return {k: (0 if k in COUNT_COLUMNS else None) for k in SUMMARY_COLUMNS}
    row = _summarise(drafts, pd.Series("all", index=drafts.index)).iloc[0]
    return {k: (None if pd.isna(v) else (int(v) if k in COUNT_COLUMNS else float(v)))
            for k, v in row.items()}


def by(drafts: pd.DataFrame, dimension: str) -> pd.DataFrame:
    """Rates and medians per officer, team, template or model (the index), in name order."""
    if dimension not in DIMENSIONS:
        raise ValueError(f"group by one of {', '.join(DIMENSIONS)}, not {dimension!r}")
    result = _summarise(drafts, DIMENSIONS[dimension])
    result.index.name = dimension
    return result


def week_start(moments: pd.Series) -> pd.Series:
    """The Monday (a date) of each moment's UTC week."""
    days = moments.dt.tz_convert("UTC").dt.tz_localize(None).dt.normalize()
    return (days - pd.to_timedelta(days.dt.day_of_week, unit="D")).dt.date


def by_week(drafts: pd.DataFrame, start: date | None = None, end: date | None = None) -> pd.DataFrame:
    """Rates and medians per week (index: the week's Monday); weeks of the period with no drafts are kept, empty."""
    result = _summarise(drafts, week_start(drafts["drafted_at"]).rename("week"))
    result.index = pd.Index(result.index, name="week")
    first = [d for d in (start, result.index.min() if len(result) else None) if d is not None]
    last = [d for d in (end, result.index.max() if len(result) else None) if d is not None]
    if not first or not last:
        return result
    monday = pd.Timestamp(min(_day(d) for d in first))
    monday -= pd.Timedelta(days=monday.weekday())
    weeks = pd.date_range(monday, pd.Timestamp(max(_day(d) for d in last)), freq="7D").date
    filled = result.reindex(pd.Index(weeks, name="week"))
    filled[list(COUNT_COLUMNS)] = filled[list(COUNT_COLUMNS)].fillna(0).astype(int)
    return filled


@dataclass(frozen=True)
class Dashboard:
    """Everything the supervisor's dashboard shows for one period, over the events the supervisor may see."""

    start: date
    end: date
    now: datetime
    drafts: pd.DataFrame  # drafts made in the period, one row each (see draft_table)
    queue: pd.DataFrame  # drafts waiting now, whenever they were made
    headline: dict  # rates() of the period's drafts
    weekly: pd.DataFrame  # by_week() of the period's drafts
    groups: dict[str, pd.DataFrame] = field(default_factory=dict)  # dimension -> by()


def build_dashboard(events: Iterable[Event], start: date, end: date, now: datetime) -> Dashboard:
    """The dashboard for drafts made from `start` to `end` (swapped if given the wrong way round)."""
    start, end = sorted((_day(start), _day(end)))
    everything = draft_table(events)
    period = in_period(everything, start, end)
    return Dashboard(start, end, now, period, queue(everything, now), rates(period), by_week(period, start, end),
                     {dimension: by(period, dimension) for dimension in DIMENSIONS})
