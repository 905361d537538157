"""The ACI-Bench benchmark: our pipeline against a naive prompt and an extractive baseline, same model, same run.

    python -m evals.run --subset 10            # or: make evals ARGS="--subset 10"
    python -m evals.run --checker              # the grounding checker's own accuracy (evals/checker.py)

Each dialogue becomes a case in a throw-away data folder (SQLite and embedded
Chroma) through the real service. A failed item is recorded with its error and
the run goes on; the subset is always the first N rows, so figures are never
picked. See evals/README.md for how to read the results.
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, NamedTuple

from evals.baselines import NAIVE_PROMPT, lead_summary, naive_summary, target_words
from evals.dataset import DEFAULT_DATA, DatasetError, Encounter, file_sha256, load_encounters, shown_path
from evals.metrics import citation_resolution, mean, reason_kind, rouge_scores, share, unsourced_facts
from evals.pipeline import EVAL_USER, EvalError, case_context, eval_service, eval_settings, ingest_encounter
from evals.report import write_results
from evals.text import word_count
from settings import PROJECT_ROOT, Settings
from summariser.drafting.citations import Source
from summariser.errors import TemplateNotFound

METHODS = ("composed", "ours", "naive", "extractive")  # composed: from read facts; ours: the direct draft
PROVIDERS = ("llamacpp", "openai", "transformers", "fake")
DEFAULT_OUT = PROJECT_ROOT / "evals" / "results"


def fact_counts(facts_by_passage: dict) -> dict:
    """How many facts the passages gave, how many the tool accepted, and how many it rejected for each reason
    (issue 10's figures: the reading's acceptance on dialogues)."""
    facts = [f for found in facts_by_passage.values() for f in found]
    return {"passages": len(facts_by_passage), "facts": len(facts), "accepted": sum(f.accepted for f in facts),
            "rejected": dict(Counter(f.reason for f in facts if not f.accepted))}


class GroundingCounts(NamedTuple):
    supported: int
    sentences: int
    miscited: int    # unsupported sentences that cite at least one source
    elsewhere: int   # of those, the ones another source supports as written (a wrong citation, not a wrong fact)
    reasons: Counter  # how many unsupported sentences got each kind of reason


def grounding_counts(report) -> GroundingCounts:
    """The counts of a GroundingReport (or its as_dict()). A sentence that cites nothing is not counted as
    "supported elsewhere" even when the checker found a passage for it: it has no citation to be wrong, so
    output that cites nothing (the baselines) has no such sentences at all."""
    data = report if isinstance(report, dict) else report.as_dict()
    sentences = data.get("sentences", [])
    reasons = Counter(kind for s in sentences if not s["supported"]
                      for kind in {reason_kind(reason) for reason in s.get("reasons", [])})
    miscited = [s for s in sentences if not s["supported"] and s.get("cited")]
    return GroundingCounts(sum(bool(s["supported"]) for s in sentences), len(sentences), len(miscited),
                           sum(s.get("supported_by") is not None for s in miscited), reasons)


class Benchmark:
    """Every method on every encounter, with one service, one chat model and one grounding checker."""

    def __init__(self, service, chat: Callable, checker, extract: Callable, lead_words: int,
                 template_name: str | None = None, keep_outputs: bool = False,
                 progress: Callable[[str], None] = lambda line: None):
        self.service, self.chat, self.checker, self.extract = service, chat, checker, extract
        self.lead_words, self.template_name = lead_words, template_name
        self.keep_outputs, self.progress = keep_outputs, progress

    def produce(self, method: str, encounter: Encounter, sources: list[Source]) -> tuple[str, dict, dict | None]:
        """(output, details, grounding report as a dict if the method produced one itself)."""
        if method in ("ours", "composed"):
            state = self.service.drafting.draft(EVAL_USER, encounter.encounter_id, self.template_name,
                                                direct=method == "ours")
            drafted = state.drafted.data
            if state.status == "failed":
                raise EvalError(drafted.error or "the draft failed")
            grounding = drafted.grounding
            if grounding is None:  # a service that does not store its check: run the same check here
                grounding = self.checker.check(drafted.output, sources, case_context(encounter)).as_dict()
            details = {"draft_id": state.draft_id, "model_steps": len(drafted.steps)}
            if drafted.composition:
                details["unread_passages"] = len(drafted.composition.get("unread_passages", []))
            return drafted.output, details, grounding
        if method == "naive":
            return naive_summary(self.chat(), encounter.dialogue), {}, None
        if method == "extractive":
            text, sentences = lead_summary(encounter.dialogue, self.lead_words)
            return text, {"lead_sentences": sentences}, None
        raise ValueError(f"unknown method {method}")

    def score(self, encounter: Encounter, sources: list[Source], text: str, grounding: dict) -> dict:
        supported, sentences, miscited, elsewhere, reasons = grounding_counts(grounding)
        resolved, cited = citation_resolution(text, [s.number for s in sources])
        missing = unsourced_facts(text, encounter.dialogue, self.extract)
        return rouge_scores(text, encounter.note) | {
            "sentences": sentences, "supported_sentences": supported, "supported_share": share(supported, sentences),
            "unsupported_citing": miscited, "supported_elsewhere": elsewhere, "unsupported_reasons": dict(reasons),
            "citations": cited, "citations_resolved": resolved, "citation_resolved_share": share(resolved, cited),
            "unsourced_facts": len(missing),
            "unsourced_fact_list": [{"kind": f.kind, "text": f.text} for f in missing],
            "words": word_count(text)}

    def run_item(self, encounter: Encounter, methods: tuple[str, ...]) -> list[dict]:
        records = []
        try:
            _, sources = ingest_encounter(self.service, encounter)
        except Exception as error:  # the item fails for every method; the run goes on
            return [self._failed(encounter, m, error, 0.0) for m in methods]
        reading = {}
        if "composed" in methods:  # its facts are read first, as the background worker would; timed apart
            started = time.perf_counter()
            jobs = self.service.stores.reading_jobs
            reading = {"passages_read": jobs.run_queued(), "reading_seconds": round(time.perf_counter() - started, 1),
                       "facts": fact_counts(jobs.store.facts({jobs.key(s.text) for s in sources}, accepted_only=False))}
        for method in methods:
            started = time.perf_counter()
            try:
                text, details, grounding = self.produce(method, encounter, sources)
                seconds = time.perf_counter() - started  # ours includes the grounding check the service runs
                if grounding is None:
                    grounding = self.checker.check(text, sources, case_context(encounter)).as_dict()
                record = {"encounter_id": encounter.encounter_id, "dataset": encounter.dataset, "method": method,
                          "status": "ok", "error": None, "seconds": seconds, "sources": len(sources)}
                record |= self.score(encounter, sources, text, grounding) | {
                    "details": details | (reading if method == "composed" else {})}
                if self.keep_outputs:
                    record["output"] = text
            except Exception as error:
                record = self._failed(encounter, method, error, time.perf_counter() - started)
            self.progress(f"{encounter.encounter_id} {method}: {record['status']} in {record['seconds']:.1f} s"
                          + (f" ({record['error']})" if record["error"] else ""))
            records.append(record)
        return records

    @staticmethod
    def _failed(encounter: Encounter, method: str, error: Exception, seconds: float) -> dict:
        return {"encounter_id": encounter.encounter_id, "dataset": encounter.dataset, "method": method,
                "status": "failed", "error": f"{type(error).__name__}: {error}", "seconds": seconds}

    def run(self, encounters: list[Encounter], methods: tuple[str, ...]) -> list[dict]:
        records = []
        for number, encounter in enumerate(encounters, start=1):
            self.progress(f"[{number}/{len(encounters)}] {encounter.encounter_id}")
            records.extend(self.run_item(encounter, methods))
        return records


def summarise(records: list[dict], methods: tuple[str, ...]) -> dict:
    """Per method: means over the items it completed; shares pooled over all their sentences and citations."""
    summary = {}
    for method in methods:
        ok = [r for r in records if r["method"] == method and r["status"] == "ok"]
        summary[method] = {
            "items": len([r for r in records if r["method"] == method]), "completed": len(ok),
            "failed": len([r for r in records if r["method"] == method and r["status"] != "ok"]),
            "rouge1": mean(r["rouge1"] for r in ok), "rouge2": mean(r["rouge2"] for r in ok),
            "rougeL": mean(r["rougeL"] for r in ok),
            "sentences": sum(r["sentences"] for r in ok),
            "supported_share": share(sum(r["supported_sentences"] for r in ok), sum(r["sentences"] for r in ok)),
            "supported_elsewhere_share": share(sum(r["supported_elsewhere"] for r in ok),
                                               sum(r.get("unsupported_citing", 0) for r in ok)),
            "citations": sum(r["citations"] for r in ok),
            "citation_resolved_share": share(sum(r["citations_resolved"] for r in ok), sum(r["citations"] for r in ok)),
            "unsourced_facts": mean(r["unsourced_facts"] for r in ok),
            "unsourced_facts_total": sum(r["unsourced_facts"] for r in ok),
            "words": mean(r["words"] for r in ok), "seconds": mean(r["seconds"] for r in ok)}
        counted = [r["details"]["facts"] for r in ok if "facts" in r.get("details", {})]
        if counted:  # pooled over the passages read for this method's items
            rejected = Counter()
            for counts in counted:
                rejected.update(counts["rejected"])
            summary[method]["facts"] = {"passages": sum(c["passages"] for c in counted),
                                        "facts": sum(c["facts"] for c in counted),
                                        "accepted": sum(c["accepted"] for c in counted), "rejected": dict(rejected)}
    return summary


def compare(records: list[dict], baseline: str, method: str = "ours") -> dict:
    """`method` minus the baseline, per score, on the items both completed (paired)."""
    by_item = {(r["encounter_id"], r["method"]): r for r in records if r["status"] == "ok"}
    items = [e for (e, m) in by_item if m == method and (e, baseline) in by_item]
    result = {"items": len(items)}
    for score in ("rouge1", "rouge2", "rougeL", "unsourced_facts", "words", "seconds"):
        ours = mean(by_item[(e, method)][score] for e in items)
        theirs = mean(by_item[(e, baseline)][score] for e in items)
        result[score] = {method: ours, baseline: theirs,
                         "difference": None if ours is None or theirs is None else ours - theirs}
    return result


def reference_method(methods: tuple[str, ...]) -> str | None:
    """The method the others are compared with: the composed draft when it ran, else the direct one."""
    return next((m for m in ("composed", "ours") if m in methods), None)


def _git(*args: str) -> str | None:
    try:
        return subprocess.run(["git", *args], cwd=PROJECT_ROOT, capture_output=True, text=True,
                              timeout=10).stdout.strip() or None
    except (OSError, subprocess.SubprocessError):
        return None


def versions(service, settings: Settings, template_name: str) -> dict:
    """What produced these figures: prompts, embedder, checker settings, code (the model is added after)."""
    from importlib.metadata import version
    from retrieval.search.embeddings import MODEL_NAME
    from summariser.drafting.drafter import NOTES_TEMPLATE
    templates = service.drafting.templates
    template, notes = templates.get(template_name), templates.get(NOTES_TEMPLATE)
    return {"model": None, "provider": settings.llm_provider,
            "template": {"name": template.name, "version": template.version, "sha256": template.sha256},
            "notes_template": {"name": notes.name, "version": notes.version, "sha256": notes.sha256},
            "naive_prompt": NAIVE_PROMPT.split("\n")[0], "embedding_model": MODEL_NAME,
            "grounding_min_similarity": settings.grounding_min_similarity,
            "chunk_chars": settings.chunk_chars, "chunk_overlap": settings.chunk_overlap,
            "rouge_score": version("rouge-score"), "python": sys.version.split()[0],
            "git_commit": _git("rev-parse", "HEAD"), "git_uncommitted_changes": bool(_git("status", "--porcelain"))}


def run_benchmark(settings: Settings, data: Path, encounters: list[Encounter], methods: tuple[str, ...],
                  embedder=None, model_cache: Path | None = None, chat_model: Callable | None = None,
                  template_name: str | None = None,
                  keep_outputs: bool = False, command: str = "",
                  progress: Callable[[str], None] = lambda line: None) -> dict:
    """Run the benchmark on a service built from `settings` (its data folder must be a throw-away one)."""
    from retrieval.search.embeddings import MiniLMEmbedder
    from summariser.checks.facts import extract_facts
    embedder = embedder or MiniLMEmbedder()
    service, chat = eval_service(settings, embedder, model_cache, chat_model)
    template_name = template_name or settings.default_template
    lead_words = target_words([e.note for e in load_encounters(data)])  # the whole file, so a subset uses the same
    started = datetime.now(timezone.utc)
    meta = {"benchmark": "ACI-Bench", "data": shown_path(data), "data_sha256": file_sha256(data),
            "encounters": [e.encounter_id for e in encounters], "methods": list(methods),
            "command": command, "started": started.isoformat(timespec="seconds"),
            "extractive_target_words": lead_words, "cpu_count": os.cpu_count(),
            "load_average_at_start": [round(x, 2) for x in os.getloadavg()]}  # other work slows the timings
    meta["versions"] = versions(service, settings, template_name)  # an unknown template stops here, plainly
    if {"composed", "ours", "naive"} & set(methods):
        try:
            model = chat()
            meta["versions"]["model"] = {"provider": model.provider, "name": model.name,
                                         "parameters": model.parameters}
        except Exception as error:  # a model that cannot be built fails every model item below, with this reason
            meta["versions"]["error"] = f"{type(error).__name__}: {error}"
    # the service's own checker, so the baselines are checked exactly as our drafts are
    checker = service.drafting.grounding
    benchmark = Benchmark(service, chat, checker, extract_facts, lead_words, template_name, keep_outputs, progress)
    records = benchmark.run(encounters, methods)
    meta["finished"] = datetime.now(timezone.utc).isoformat(timespec="seconds")
    meta["wall_seconds"] = (datetime.now(timezone.utc) - started).total_seconds()
    return {"kind": "aci-bench", "meta": meta, "summary": summarise(records, methods),
            "comparison": {b: compare(records, b, reference) for b in methods
                           if (reference := reference_method(methods)) and b != reference},
            "items": records}


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m evals.run", description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="ACI-Bench CSV (dataset, encounter_id, "
                        "dialogue, note); default: %(default)s")
    parser.add_argument("--subset", type=int, help="only the first N rows")
    parser.add_argument("--ids", nargs="+", metavar="ID", help="only these encounter ids")
    parser.add_argument("--provider", choices=PROVIDERS, help="chat model provider (default: CASEWORK_LLM_PROVIDER)")
    parser.add_argument("--methods", nargs="+", choices=METHODS, default=list(METHODS))
    parser.add_argument("--template", help="summary template for our pipeline (default: CASEWORK_DEFAULT_TEMPLATE)")
    parser.add_argument("--data-dir", type=Path, help="folder for the throw-away records and index "
                        "(default: a temporary folder, deleted afterwards)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="results folder; default: %(default)s")
    parser.add_argument("--keep-outputs", action="store_true", help="store each output text in the JSON (it quotes "
                        "the data set: do not commit such a file)")
    parser.add_argument("--checker", action="store_true", help="measure the grounding checker instead, with "
                        "the options of python -m evals.checker (no language model needed)")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if "--checker" in argv:  # the checker mode has its own options (python -m evals.checker --help)
        from evals import checker
        return checker.main([a for a in argv if a != "--checker"])
    args = parse_args(argv)
    try:
        encounters = load_encounters(args.data, args.subset, args.ids)
    except DatasetError as error:
        print(error, file=sys.stderr)
        return 2
    base = Settings()
    command = " ".join(["python -m evals.run", *argv])
    with tempfile.TemporaryDirectory(prefix="casework-evals-") as scratch:
        settings = eval_settings(base, args.data_dir or Path(scratch), args.provider)
        try:
            results = run_benchmark(settings, args.data, encounters, tuple(args.methods),
                                    model_cache=base.data_dir / "models", template_name=args.template,
                                    keep_outputs=args.keep_outputs, command=command,
                                    progress=lambda line: print(line, file=sys.stderr, flush=True))
        except TemplateNotFound as error:
            print(error, file=sys.stderr)
            return 2
    markdown, json_path = write_results(results, args.out)
    print(f"Results: {markdown}\n         {json_path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
