"""How well the grounding checker catches what is wrong: detection per corruption kind, and false alarms.

    python -m evals.checker                 # or: python -m evals.run --checker; no language model needed

1. Supported sentences are taken from the reference notes by a rule that does
   not use the checker (see `select_supported`).
2. Each is cited to the dialogue passage(s) closest to it by MiniLM, the
   embedding model the service uses, as "- [n][m] sentence".
3. Each is corrupted in controlled ways (evals/corruptions.py), keeping its
   citation: a changed date, number, name; a negation; another case's sentence;
   another person of the case (or a relative of the same surname) in place of
   the one it names.
4. The checker marks each version supported or not. Detection rate = share of
   corrupted sentences marked unsupported; false-alarm rate = share of the
   uncorrupted sentences marked unsupported.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable

import numpy as np

from evals import corruptions
from evals.dataset import DEFAULT_DATA, DatasetError, Encounter, file_sha256, load_encounters, shown_path
from evals.metrics import fact_in_source, loose_text, reason_kind, share
from evals.pipeline import eval_service, eval_settings, ingest_encounter
from evals.report import fmt, table, write_results
from evals.text import content_words, note_sentences
from settings import PROJECT_ROOT, Settings
from summariser.drafting.citations import Source
from summariser.text import cite

KINDS = ("date", "number", "name", "person_swap", "negation", "other_case")
MIN_OVERLAP_WITH_FACT = 0.6
MIN_OVERLAP_WITHOUT_FACT = 0.8
SELECTION_RULE = (
    "A reference-note sentence (not a heading, at least 6 words) counts as supported by the dialogue when every "
    "fact extract_facts finds in it is in the dialogue (same fact key, or the same words ignoring case and hyphens, "
    "or a whole number under 100 spoken in words) and its content words (stemmed, stop words removed) appear in "
    f"the dialogue: at least {MIN_OVERLAP_WITH_FACT:.0%} of them if it has a fact, at least "
    f"{MIN_OVERLAP_WITHOUT_FACT:.0%} if it has none. The checker is not consulted.")


@dataclass(frozen=True)
class Candidate:
    sentence: str
    facts: int
    overlap: float


def select_supported(note: str, dialogue: str, extract: Callable[[str], list]) -> list[Candidate]:
    """The note's sentences that the dialogue supports by SELECTION_RULE, in note order."""
    source_keys = {(f.kind, f.key) for f in extract(dialogue)}
    loose, dialogue_words = loose_text(dialogue), content_words(dialogue)
    chosen = []
    for sentence in note_sentences(note):
        facts = extract(sentence)
        if not all(fact_in_source(f, source_keys, loose) for f in facts):
            continue
        words = content_words(sentence)
        overlap = len(words & dialogue_words) / len(words) if words else 0.0
        if overlap >= (MIN_OVERLAP_WITH_FACT if facts else MIN_OVERLAP_WITHOUT_FACT):
            chosen.append(Candidate(sentence, len(facts), overlap))
    return chosen


def closest_sources(sentences: list[str], sources: list[Source], embed, top: int) -> list[tuple[int, ...]]:
    """For each sentence, the numbers of the `top` sources closest in meaning (cosine of MiniLM vectors)."""
    if not sentences:
        return []
    vectors = np.asarray(embed(sentences + [s.text for s in sources]), dtype=np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True) + 1e-12
    similarity = vectors[:len(sentences)] @ vectors[len(sentences):].T
    return [tuple(sorted(sources[i].number for i in np.argsort(-row)[:top])) for row in similarity]


def cited_line(sentence: str, numbers: tuple[int, ...]) -> str:
    """The sentence as a draft bullet citing its sources, the way the summary templates ask for."""
    return "- " + cite(numbers) + " " + sentence


def corrupt(kind: str, sentence: str, names: list[str], other_sentences: list[str], note: str) -> str | None:
    """The sentence corrupted in one way (KINDS), or None when that corruption cannot apply to it."""
    if kind == "date":
        return corruptions.change_date(sentence)
    if kind == "number":
        return corruptions.change_number(sentence)
    if kind == "name":
        return corruptions.change_name(sentence, names)
    if kind == "person_swap":
        return corruptions.swap_person(sentence, corruptions.case_people(note))
    if kind == "negation":
        return corruptions.negate(sentence)
    if kind == "other_case":
        return corruptions.other_case_sentence(sentence, other_sentences, note)
    raise ValueError(kind)


def verdict(checker, text: str, sources: list[Source]) -> dict:
    """Marked unsupported if any sentence the checker sees in the text is unsupported (or it sees none)."""
    report = checker.check(text, sources)
    checks = list(report.sentences)
    unsupported = [c for c in checks if not c.supported]
    return {"flagged": bool(unsupported) or not checks,
            "reasons": sorted({r for c in unsupported for r in c.reasons}) or ([] if checks else ["no sentence"]),
            "similarity": min((c.similarity for c in checks), default=None),
            "offered": any(c.supported_by is not None for c in unsupported)}


def measure(encounters: list[Encounter], service, checker, embed, extract, cite_top: int = 2,
            keep_sentences: bool = False, progress: Callable[[str], None] = lambda line: None) -> dict:
    prepared = []
    for encounter in encounters:
        try:
            _, sources = ingest_encounter(service, encounter)
        except Exception as error:
            progress(f"{encounter.encounter_id}: skipped ({error})")
            prepared.append((encounter, None, [], []))
            continue
        chosen = select_supported(encounter.note, encounter.dialogue, extract)
        prepared.append((encounter, sources, chosen, closest_sources([c.sentence for c in chosen], sources,
                                                                    embed, cite_top)))
    records, note_total = [], 0
    for position, (encounter, sources, chosen, citations) in enumerate(prepared):
        note_total += len(note_sentences(encounter.note))
        if sources is None:
            continue
        names = corruptions.person_names(encounter.note)
        others = [c.sentence for later in prepared[position + 1:] + prepared[:position] for c in later[2]]
        for index, (candidate, cited) in enumerate(zip(chosen, citations)):
            rotated = others[index % len(others):] + others[:index % len(others)] if others else []
            for variant in ("original",) + KINDS:
                text = candidate.sentence if variant == "original" else \
                    corrupt(variant, candidate.sentence, names, rotated, encounter.note)
                record = {"encounter_id": encounter.encounter_id, "sentence": index, "cited": list(cited),
                          "variant": variant, "applicable": text is not None}
                if text is not None:
                    record |= verdict(checker, cited_line(text, cited), sources)
                    if keep_sentences:
                        record["text"] = text
                records.append(record)
        progress(f"{encounter.encounter_id}: {len(chosen)} supported sentence(s) checked")
    return summarise(records, note_total)


def summarise(records: list[dict], note_sentences_total: int) -> dict:
    originals = [r for r in records if r["variant"] == "original"]
    summary = {"note_sentences": note_sentences_total, "selected": len(originals),
               "false_alarms": _rate(originals), "detection": {}}
    passed = {(r["encounter_id"], r["sentence"]) for r in originals if not r["flagged"]}
    for kind in KINDS:
        corrupted = [r for r in records if r["variant"] == kind]
        summary["detection"][kind] = _rate(corrupted) | {
            "where_uncorrupted_passed": _rate([r for r in corrupted if (r["encounter_id"], r["sentence"]) in passed])}
    applied = [r for r in records if r["variant"] in KINDS and r["applicable"]]
    summary["detection_all_kinds"] = _rate(applied) | {
        "where_uncorrupted_passed": _rate([r for r in applied if (r["encounter_id"], r["sentence"]) in passed])}
    return {"summary": summary, "items": records}


def _rate(records: list[dict]) -> dict:
    applicable = [r for r in records if r["applicable"]]
    flagged = [r for r in applicable if r["flagged"]]
    reasons = Counter(kind for r in flagged for kind in {reason_kind(reason) for reason in r["reasons"]})
    similarity = [r["similarity"] for r in applicable if r.get("similarity") is not None]
    return {"sentences": len(records), "applicable": len(applicable), "not_applicable": len(records) - len(applicable),
            "marked_unsupported": len(flagged), "rate": share(len(flagged), len(applicable)),
            "another_source_offered": sum(bool(r.get("offered")) for r in flagged),
            "mean_similarity": sum(similarity) / len(similarity) if similarity else None,
            "reasons": dict(reasons.most_common())}


def checker_markdown(results: dict) -> str:
    meta, s = results["meta"], results["summary"]
    fa, all_kinds = s["false_alarms"], s["detection_all_kinds"]

    def row(label: str, d: dict, paired: dict | None) -> list:
        return [label, d["applicable"], d["not_applicable"], d["marked_unsupported"], fmt(d["rate"], "share"),
                "" if paired is None else f"{fmt(paired['rate'], 'share')} ({paired['marked_unsupported']} of "
                                          f"{paired['applicable']})", d.get("another_source_offered", "n/a")]

    rows = [row("uncorrupted: false alarms", fa, None)]
    rows += [row(f"{kind.replace('_', ' ')}: detection", d, d["where_uncorrupted_passed"])
             for kind, d in s["detection"].items()]
    rows.append(row("all corruptions: detection", all_kinds, all_kinds["where_uncorrupted_passed"]))
    out = [f"# Grounding checker accuracy ({meta['started'][:10]})", "", f"Command: `{meta['command']}`", "",
           f"- data: `{meta['data']}` (sha256 {meta['data_sha256'][:12]}...), {len(meta['encounters'])} encounter(s)",
           f"- checker: summariser.grounding.GroundingChecker, min similarity "
           f"{_thresholds(meta)}; "
           f"embeddings {meta['embedding_model']}; each sentence cites its {meta['cite_top']} closest passage(s)",
           f"- code: git {meta.get('git_commit')} (uncommitted changes: {meta.get('git_uncommitted_changes')})",
           f"- {s['selected']} of {s['note_sentences']} reference-note sentences selected as supported; "
           f"run took {fmt(meta['wall_seconds'], 'seconds')} s", "", f"Selection rule: {meta['selection_rule']}", "",
           "## Results", "",
           "Rate = share of the applicable sentences the checker marked unsupported. For the uncorrupted sentences "
           "that is the false-alarm rate (lower is better); for corrupted ones it is the detection rate (higher is "
           "better). A checker that flags everything would detect 100%, so read detection next to false alarms; "
           "the last column counts only sentences whose uncorrupted version the checker passed, so a detection "
           "there is caused by the corruption itself. The last column counts the sentences marked unsupported "
           "for which the checker names another source that supports them as written: for an uncorrupted "
           "sentence that is a fix offered to the officer; for a corrupted one, a wrong lead.", "",
           table(["sentences", "applicable", "not applicable", "marked unsupported", "rate",
                  "rate where the uncorrupted sentence passed", "of those marked, another source named"], rows),
           "", "Mean cosine similarity to the closest cited passage: uncorrupted "
           f"{fmt(fa['mean_similarity'], 'score')}; " + "; ".join(
               f"{k.replace('_', ' ')} {fmt(d['mean_similarity'], 'score')}" for k, d in s["detection"].items())
           + f" (the checker's threshold: {_thresholds(meta)}).",
           "", "## Reasons given", "", "A sentence can have several reasons.", ""]
    reasons = [[label, reason, n] for label, d in [("uncorrupted", fa)] + list(s["detection"].items())
               for reason, n in list(d["reasons"].items())[:6]]
    out += [table(["sentences", "reason", "sentences with it"], reasons), "",
            "How to read this: see evals/README.md.", ""]
    return "\n".join(out)


def _thresholds(meta: dict) -> str:
    """"record 0.55, letter 0.55, transcript 0.4", or the one threshold of results written before kinds."""
    by_kind = meta.get("min_similarity_by_kind")
    return ", ".join(f"{kind} {value}" for kind, value in by_kind.items()) if by_kind else str(meta["min_similarity"])


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m evals.checker", description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="ACI-Bench CSV; default: %(default)s")
    parser.add_argument("--subset", type=int, help="only the first N rows")
    parser.add_argument("--ids", nargs="+", metavar="ID", help="only these encounter ids")
    parser.add_argument("--cite-top", type=int, default=2, help="passages each sentence cites (default: 2)")
    parser.add_argument("--data-dir", type=Path, help="folder for the throw-away records and index")
    parser.add_argument("--out", type=Path, default=PROJECT_ROOT / "evals" / "results")
    parser.add_argument("--keep-sentences", action="store_true", help="store the sentences in the JSON (they "
                        "quote the data set: do not commit such a file)")
    return parser.parse_args(argv)


def run_checker(settings: Settings, data: Path, encounters: list[Encounter], cite_top: int = 2, embedder=None,
                keep_sentences: bool = False, command: str = "",
                progress: Callable[[str], None] = lambda line: None, checker=None) -> dict:
    """Measure `checker` (by default the one the service would build from `settings`) on the encounters."""
    from retrieval.search.embeddings import MODEL_NAME, MiniLMEmbedder
    from summariser.checks.facts import extract_facts
    from summariser.checks.grounding import GroundingChecker
    from evals.run import _git
    embedder = embedder or MiniLMEmbedder()
    service, _ = eval_service(settings, embedder)
    checker = checker or GroundingChecker(embedder, settings.grounding_min_similarity)
    started, clock = datetime.now(timezone.utc), time.perf_counter()
    results = measure(encounters, service, checker, embedder, extract_facts, cite_top, keep_sentences, progress)
    results["meta"] = {"benchmark": "grounding checker on corrupted ACI-Bench reference sentences",
                       "data": shown_path(data), "data_sha256": file_sha256(data),
                       "encounters": [e.encounter_id for e in encounters], "command": command,
                       "started": started.isoformat(timespec="seconds"), "wall_seconds": time.perf_counter() - clock,
                       "min_similarity": settings.grounding_min_similarity, "cite_top": cite_top,
                       "min_similarity_by_kind": dict(checker.min_similarity_by_kind),
                       "embedding_model": MODEL_NAME, "selection_rule": SELECTION_RULE, "provider": "no-llm",
                       "git_commit": _git("rev-parse", "HEAD"),
                       "git_uncommitted_changes": bool(_git("status", "--porcelain"))}
    results["kind"] = "checker-accuracy"
    return results


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    args = parse_args(argv)
    try:
        encounters = load_encounters(args.data, args.subset, args.ids)
    except DatasetError as error:
        print(error, file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="casework-evals-") as scratch:
        settings = eval_settings(Settings(), args.data_dir or Path(scratch), "fake")
        results = run_checker(settings, args.data, encounters, args.cite_top, keep_sentences=args.keep_sentences,
                              command=" ".join(["python -m evals.checker", *argv]),
                              progress=lambda line: print(line, file=sys.stderr, flush=True))
    markdown, json_path = write_results(results, args.out, checker_markdown(results), with_provider=False)
    print(f"Results: {markdown}\n         {json_path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
