"""Choosing the grounding checker's similarity threshold for one kind of source from labelled data.

    python -m evals.calibrate --data ../shared/corpus/summarisation/aci-bench/train.csv

A threshold is a trade: lower, and true sentences pass that a stricter one
flagged; higher, and more corrupted ones are caught by meaning alone. This
runs the checker-accuracy benchmark (evals/checker.py) once with no
similarity threshold for the kind being tuned, keeping each sentence's
similarity to its closest cited window; a threshold then flags a sentence
when it has another reason (a fact, a person, a negation) or its similarity
is below it, exactly as the checker would. It prints false alarms and
detection per corruption kind for each candidate, and picks the highest
threshold whose false alarms stay within --max-false-alarms: as much caught
by meaning as the false-alarm budget allows; when no threshold keeps within it,
the lowest that still catches 95% of another case's sentences. Tune on one split (train.csv)
and report the checker on another (valid.csv), so the figure is not the one
tuned on.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from evals.checker import KINDS, run_checker
from evals.dataset import DatasetError, load_encounters
from evals.metrics import reason_kind, share
from evals.pipeline import eval_settings
from evals.report import fmt, table, write_results
from settings import PROJECT_ROOT, Settings

NOT_CLOSE = "not close in meaning to the cited passages"
CANDIDATES = tuple(round(0.2 + 0.025 * i, 3) for i in range(17))  # 0.2 ... 0.6


def flagged_at(record: dict, threshold: float) -> bool:
    """Would the checker flag this (applicable) record at `threshold`? It was measured with none."""
    if any(reason_kind(r) != NOT_CLOSE for r in record["reasons"]):
        return True
    return record["similarity"] is None or record["similarity"] < threshold


def sweep(items: list[dict], thresholds=CANDIDATES) -> list[dict]:
    """For each threshold: the false-alarm rate and the detection rate of each corruption kind."""
    applicable = [r for r in items if r["applicable"]]
    rows = []
    for threshold in thresholds:
        rates = {}
        for variant in ("original",) + KINDS:
            chosen = [r for r in applicable if r["variant"] == variant]
            rates[variant] = share(sum(flagged_at(r, threshold) for r in chosen), len(chosen))
        rows.append({"threshold": threshold, "false_alarms": rates.pop("original"), "detection": rates})
    return rows


def pick(rows: list[dict], max_false_alarms: float, min_detection: float = 0.95) -> dict | None:
    """The highest threshold whose false alarms are within the budget. If none is (other reasons flag too
    many true sentences whatever the threshold), the lowest at which another case's sentences, which only
    meaning can catch, are detected at `min_detection`. None if neither exists."""
    within = [r for r in rows if r["false_alarms"] is not None and r["false_alarms"] <= max_false_alarms]
    if within:
        return max(within, key=lambda r: r["threshold"])
    enough = [r for r in rows if (r["detection"].get("other_case") or 0) >= min_detection]
    return min(enough, key=lambda r: r["threshold"]) if enough else None


def calibration_markdown(results: dict) -> str:
    meta, chosen = results["meta"], results["chosen"]
    rows = [[fmt(r["threshold"], "score"), fmt(r["false_alarms"], "share")]
            + [fmt(r["detection"][k], "share") for k in KINDS] for r in results["sweep"]]
    return "\n".join([
        f"# Grounding checker: {meta['kind']} threshold ({meta['started'][:10]})", "",
        f"Command: `{meta['command']}`", "",
        f"- data: `{meta['data']}`, {len(meta['encounters'])} encounter(s); budget: false alarms at most "
        f"{fmt(meta['max_false_alarms'], 'share')}",
        f"- chosen: {fmt(chosen['threshold'], 'score') if chosen else 'none within the budget'}", "",
        table(["threshold", "false alarms"] + [f"{k.replace('_', ' ')} detection" for k in KINDS], rows), "",
        "How to read this: see evals/README.md.", ""])


def main(argv: list[str] | None = None) -> int:
    from retrieval.search.embeddings import MiniLMEmbedder
    from summariser.checks.grounding import SOURCE_KINDS, GroundingChecker
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = argparse.ArgumentParser(prog="python -m evals.calibrate", description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, required=True, help="labelled CSV to tune on (not the one reported)")
    parser.add_argument("--subset", type=int, help="only the first N rows")
    parser.add_argument("--kind", choices=SOURCE_KINDS, default="transcript", help="kind of source tuned")
    parser.add_argument("--max-false-alarms", type=float, default=0.1)
    parser.add_argument("--out", type=Path, default=PROJECT_ROOT / "evals" / "results")
    args = parser.parse_args(argv)
    try:
        encounters = load_encounters(args.data, args.subset)
    except DatasetError as error:
        print(error, file=sys.stderr)
        return 2
    embedder = MiniLMEmbedder()
    checker = GroundingChecker(embedder, min_similarity_by_kind={args.kind: 0.0})
    with tempfile.TemporaryDirectory(prefix="casework-evals-") as scratch:
        settings = eval_settings(Settings(), Path(scratch), "fake")
        measured = run_checker(settings, args.data, encounters, embedder=embedder, checker=checker,
                               command=" ".join(["python -m evals.calibrate", *argv]),
                               progress=lambda line: print(line, file=sys.stderr, flush=True))
    rows = sweep(measured["items"])
    results = {"kind": f"checker-calibration-{args.kind}", "sweep": rows, "items": measured["items"],
               "chosen": pick(rows, args.max_false_alarms),
               "meta": measured["meta"] | {"kind": args.kind, "max_false_alarms": args.max_false_alarms}}
    markdown = calibration_markdown(results)
    print(markdown)
    write_results(results, args.out, markdown, with_provider=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
