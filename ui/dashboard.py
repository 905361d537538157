"""The supervisor's dashboard: the queue now, and how drafts were decided over a period.

Every figure comes from the supervision queries, which derives it from the audit log. The
page only picks the period and the grouping and shows the numbers; each chart
has a caption saying what it shows and the table it was drawn from, so nothing
depends on seeing the chart.
"""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import altair as alt
import pandas as pd
import streamlit as st

from ui.common import age, attempt, changed, full_name, duration, percent, plural, require_user, services, when

GROUPS = {"officer": "Officer", "team": "Team", "template": "Template", "model": "Model"}
RATES = {"approved_rate": "Approved unchanged", "approved_after_edit_rate": "Approved after edit",
         "rejected_rate": "Rejected"}
SHARE_HELP = "Share of the drafts of this period that have been decided."
RATE_COLOURS = ["#1b7837", "#2166ac", "#b2182b"]  # distinguishable in common colour-blindness; labels say it too


def highest_and_lowest(frame: pd.DataFrame, column: str, shown, what: str) -> str:
    """One plain sentence naming where a figure is highest and lowest (the chart's text alternative)."""
    known = frame[["Label", column]].dropna()
    if known.empty:
        return ""
    if len(known) == 1:
        return f"{what}: {known.iloc[0]['Label']}, {shown(known.iloc[0][column])}."
    top, bottom = known.loc[known[column].idxmax()], known.loc[known[column].idxmin()]
    return (f"{what}: highest {top['Label']} ({shown(top[column])}), "
            f"lowest {bottom['Label']} ({shown(bottom[column])}).")


def bar_chart(data: pd.DataFrame, value: str, value_title: str, label_title: str, *, share: bool = False,
              colour: str | None = None, horizontal: bool = True) -> alt.Chart:
    labels = list(dict.fromkeys(data["Label"]))
    value_axis = alt.Axis(format="%") if share else alt.Axis()
    value_encoding = alt.X if horizontal else alt.Y
    label_encoding = alt.Y if horizontal else alt.X
    encodings = {
        "x" if horizontal else "y": value_encoding(f"{value}:Q", title=value_title, axis=value_axis),
        "y" if horizontal else "x": label_encoding("Label:N", title=label_title, sort=labels),
        "tooltip": [alt.Tooltip("Label:N", title=label_title),
                    alt.Tooltip(f"{value}:Q", title=value_title, format=".0%" if share else ".2f")],
    }
    if colour:
        encodings["color"] = alt.Color(f"{colour}:N", title="Outcome",
                                       scale=alt.Scale(domain=list(RATES.values()), range=RATE_COLOURS))
        encodings["order"] = alt.Order("Order:Q")
        encodings["tooltip"].insert(1, alt.Tooltip(f"{colour}:N", title="Outcome"))
    return alt.Chart(data).mark_bar().encode(**encodings)


def show_chart(chart: alt.Chart, caption: str, table: pd.DataFrame) -> None:
    """A chart, the sentence that says what it shows (also its description for screen readers), its numbers."""
    st.altair_chart(chart.properties(description=caption), width="stretch")
    st.caption(caption)
    st.dataframe(table, hide_index=True)


def show_breakdown(frame: pd.DataFrame, label_title: str, what: str, horizontal: bool) -> None:
    """Rates, time to decision and edit distance for each label (a week or a group), each with its table."""
    frame = frame.reset_index(drop=True)
    if frame["decided"].sum() == 0:
        st.info("None of these drafts has been decided yet, so there are no rates or times to show.")
        return

    st.subheader("How drafts were decided")
    decided = frame[frame["decided"] > 0]
    shares = decided.melt(id_vars=["Label"], value_vars=list(RATES), var_name="Rate", value_name="Share")
    shares["Outcome"] = shares["Rate"].map(RATES)
    shares["Order"] = shares["Rate"].map({k: n for n, k in enumerate(RATES)})
    show_chart(bar_chart(shares, "Share", "Share of decided drafts", label_title, share=True, colour="Outcome",
                         horizontal=horizontal),
               f"Each bar splits the decided drafts of one {what} into approved unchanged, approved after edit "
               "and rejected. " + " ".join(filter(None, (
                   highest_and_lowest(decided, "approved_rate", percent, "Approved unchanged"),
                   highest_and_lowest(decided, "rejected_rate", percent, "Rejected")))),
               pd.DataFrame({label_title: frame["Label"], "Drafts": frame["drafts"], "Decided": frame["decided"],
                             "Waiting": frame["pending"], "Failed": frame["failed"],
                             **{words: frame[rate].map(percent) for rate, words in RATES.items()}}))

    st.subheader("Time from draft to decision")
    show_chart(bar_chart(decided, "median_hours_to_decision", "Median time to decision (hours)", label_title,
                         horizontal=horizontal),
               f"Median time from the draft to its first decision, per {what}. " +
               highest_and_lowest(decided, "median_hours_to_decision", duration, "Median time"),
               pd.DataFrame({label_title: decided["Label"], "Decided": decided["decided"],
                             "Median time to decision": decided["median_hours_to_decision"].map(duration)}))

    st.subheader("How much officers changed the drafts")
    approved = frame[frame["median_edit_distance"].notna()]
    if approved.empty:
        st.info("None of these drafts has been approved yet.")
        return
    if not approved["median_edit_distance"].any():  # nothing to draw: every approved draft was kept as written
        st.write(f"Every approved draft of each {what} was approved as the AI wrote it.")
        return
    show_chart(bar_chart(approved, "median_edit_distance", "Share of the AI text changed (median)", label_title,
                         share=True, horizontal=horizontal),
               f"How much of the AI text officers changed before approving, per {what} (the median draft): 0% "
               "means approved as the AI wrote it, 100% means none of it was kept. " +
               highest_and_lowest(approved, "median_edit_distance", changed, "Most and least changed"),
               pd.DataFrame({label_title: approved["Label"], "Approved": approved["approved_total"],
                             "Changed (median)": approved["median_edit_distance"].map(changed)}))


user = require_user()
st.title("Dashboard")
st.write("How drafts are reviewed, worked out from the audit log. Rates are shares of the drafts decided "
         "(approved unchanged, approved after edit, rejected); each draft counts by its first decision.")

today = datetime.now(timezone.utc).date()  # the log's dates are UTC
left, right = st.columns(2)
chosen = left.date_input("Drafts made between (from, to)", value=(today - timedelta(weeks=12), today),
                         format="DD/MM/YYYY")
group = right.selectbox("Group by", list(GROUPS), format_func=GROUPS.get)
chosen = tuple(chosen) if isinstance(chosen, (tuple, list)) else (chosen,)
if not chosen:
    st.info("Choose the first and last day of the period.")
    st.stop()
start, end = chosen[0], chosen[-1]  # while only the first day is picked, show that day

board = attempt(services().supervision.dashboard, user, start, end)
if board is None:
    st.stop()

st.header("Waiting for a decision now")
waiting = board.queue
left, right = st.columns(2)
left.metric("Drafts waiting now", len(waiting))
right.metric("Oldest waiting", age(waiting["drafted_at"].iloc[0], board.now) if len(waiting) else "none")
if waiting.empty:
    st.success("No drafts are waiting for a decision.")
else:
    st.caption("Every draft waiting now, whatever the period chosen, longest waiting first.")
    st.dataframe(pd.DataFrame({
        "Waiting for": [age(t, board.now) for t in waiting["drafted_at"]],
        "Case reference": waiting["case_reference"], "Team": waiting["team"], "Requested by": [full_name(n) for n in waiting["requested_by"]],
        "Drafted at": [when(t) for t in waiting["drafted_at"]], "Template": waiting["template"]}), hide_index=True)

st.header(f"Drafts made from {board.start:%d %b %Y} to {board.end:%d %b %Y}")
headline = board.headline
if headline["drafts"] == 0:
    st.info("No drafts in this period.")
    st.stop()
counts = (("Drafts made", plural(headline["drafts"], "draft"), "Drafts made in this period, whatever happened to "
                                                                 "them."),
          ("Decided", plural(headline["decided"], "draft"), "Drafts approved or rejected (their first decision "
                                                             "counts)."),
          ("Drafting failed", plural(headline["failed"], "draft"), "Drafts the model could not finish; they can be "
                                                                    "retried."))
for column, (label, value, explanation) in zip(st.columns(3), counts, strict=True):
    column.metric(label, value, help=explanation)
if headline["decided"]:
    figures = (("Median time to decision", duration(headline["median_hours_to_decision"]),
                "Half the decided drafts were decided faster than this, half slower."),
               ("Officers changed (median)", changed(headline["median_edit_distance"]),
                "How much of the AI text officers changed before approving it: 0% means approved as the AI wrote "
                "it, 100% means none of it was kept."),
               *((words, percent(headline[rate]), SHARE_HELP) for rate, words in RATES.items()))
    for row in (figures[:3], figures[3:]):
        for column, (label, value, explanation) in zip(st.columns(3), row):
            column.metric(label, value, help=explanation)
else:  # said once here, not again for every chart
    st.info("No decisions yet: no draft of this period has been approved or rejected.")
    st.stop()

over_time, by_group = st.tabs(["Over time, by week", f"By {GROUPS[group].lower()}"])
with over_time:
    weekly = board.weekly.reset_index()
    weekly["Label"] = [f"{week.day} {week:%b %Y}" for week in weekly["week"]]
    st.caption(f"{plural(len(weekly), 'week')}, each named by its Monday. Weeks without drafts are listed with no "
               "figures.")
    show_breakdown(weekly, "Week of", "week", horizontal=True)
with by_group:
    grouped = board.groups[group].reset_index()
    grouped["Label"] = [full_name(str(v)) if group == "officer" else str(v) for v in grouped[group]]
    show_breakdown(grouped, GROUPS[group], GROUPS[group].lower(), horizontal=True)
