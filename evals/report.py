"""Writing benchmark results as Markdown (to read) and JSON (to compare runs), named by date and provider."""
from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from evals.metrics import reason_kind

METHOD_NAMES = {"composed": "composed (read facts, placed and cited by the tool)",
                "ours": "direct (retrieve, template, cite, check)", "naive": "naive prompt",
                "extractive": "extractive (lead sentences)"}


def fmt(value, kind: str = "number") -> str:
    if value is None:
        return "n/a"
    if kind == "share":
        return f"{value:.0%}"
    if kind == "score":
        return f"{value:.3f}"
    if kind == "seconds":
        return f"{value:.1f}"
    if isinstance(value, float):
        return f"{value:.1f}"
    return str(value)


def table(headers: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def _versions_lines(meta: dict) -> list[str]:
    v = meta.get("versions", {})
    lines = []
    if "error" in v:
        lines.append(f"- model: could not be built ({v['error']})")
    model = v.get("model")
    if model:
        lines.append(f"- model: {model['provider']} / {model['name']}, parameters {json.dumps(model['parameters'])}")
    elif "error" not in v:
        lines.append("- model: none used (extractive only)")
    for key in ("template", "notes_template"):
        if key in v:
            t = v[key]
            lines.append(f"- {key.replace('_', ' ')}: {t['name']} {t['version']} (sha256 {t['sha256'][:12]}...)")
    for key, label in (("embedding_model", "embeddings"), ("grounding_min_similarity", "grounding min similarity"),
                       ("chunk_chars", "passage size (chars)"), ("rouge_score", "rouge-score"),
                       ("git_commit", "code (git commit)"), ("git_uncommitted_changes", "uncommitted changes")):
        if key in v:
            lines.append(f"- {label}: {v[key]}")
    return lines


def aci_markdown(results: dict) -> str:
    meta, summary = results["meta"], results["summary"]
    out = [f"# ACI-Bench: our pipeline against two baselines ({meta['started'][:10]})", "",
           f"Command: `{meta['command']}`", "",
           f"- data: `{meta['data']}` (sha256 {meta['data_sha256'][:12]}...), {len(meta['encounters'])} "
           f"encounter(s), the first rows of the file: {', '.join(meta['encounters'])}",
           f"- started {meta['started']}, finished {meta.get('finished', '?')}, "
           f"{fmt(meta.get('wall_seconds'), 'seconds')} s in all",
           f"- extractive baseline length: {meta['extractive_target_words']} words "
           "(median length of the file's reference notes)", *_versions_lines(meta), "",
           "## Results per method", "",
           "Means over the items each method completed; shares are pooled over all sentences / citations. "
           "Higher ROUGE and supported share are better; fewer unsourced facts are better.", ""]
    rows = []
    for method, s in summary.items():
        rows.append([METHOD_NAMES.get(method, method), f"{s['completed']}/{s['items']}", fmt(s["rouge1"], "score"),
                     fmt(s["rouge2"], "score"), fmt(s["rougeL"], "score"),
                     f"{fmt(s['supported_share'], 'share')} of {s['sentences']}",
                     fmt(s.get("supported_elsewhere_share"), "share"),
                     f"{fmt(s['citation_resolved_share'], 'share')} of {s['citations']}",
                     f"{fmt(s['unsourced_facts'])} ({s['unsourced_facts_total']} in all)",
                     fmt(s["words"]), fmt(s["seconds"], "seconds")])
    out.append(table(["method", "completed", "ROUGE-1", "ROUGE-2", "ROUGE-L", "sentences supported",
                      "unsupported as cited, but another source supports them", "citations resolving",
                      "unsourced facts per item", "words", "seconds per item"], rows))
    if set(summary) - {"ours", "composed"}:
        out += ["", "The baselines cite nothing, so the grounding check can support none of their sentences; "
                    "compare them with ours on ROUGE and unsourced facts."]
    read = [r["details"] for r in results["items"]
            if r["method"] == "composed" and r["status"] == "ok" and "reading_seconds" in r.get("details", {})]
    if read:
        passages = sum(d["passages_read"] for d in read)
        seconds = sum(d["reading_seconds"] for d in read)
        out += ["", f"Before composing, {passages} passages were read into facts in {fmt(seconds, 'seconds')} s "
                    f"({fmt(seconds / max(passages, 1), 'seconds')} s a passage); the composed method's seconds "
                    "do not include that reading, which the background worker does once per passage."]
    facts = results["summary"].get("composed", {}).get("facts")
    if facts and facts["facts"]:
        rejected = ", ".join(f"{reason.replace('_', ' ')} {n} ({fmt(n / facts['facts'], 'share')})"
                             for reason, n in sorted(facts["rejected"].items(), key=lambda kv: -kv[1])) or "none"
        out += ["", f"Those passages gave {facts['facts']} facts: {facts['accepted']} accepted "
                    f"({fmt(facts['accepted'] / facts['facts'], 'share')}); rejected: {rejected}."]
    if meta.get("load_average_at_start"):
        out += ["", f"Timings: {meta.get('cpu_count')} CPU(s), load average "
                    f"{' / '.join(str(x) for x in meta['load_average_at_start'])} (1/5/15 min) when the run started; "
                    "other work on the machine makes every step slower."]
    if results.get("comparison"):
        method = "composed" if "composed" in summary else "ours"
        out += ["", f"## {METHOD_NAMES[method].split(' (')[0].capitalize()} against each other method "
                    "(same items, paired)", ""]
        rows = []
        for baseline, c in results["comparison"].items():
            for score in ("rouge1", "rouge2", "rougeL", "unsourced_facts", "words", "seconds"):
                kind = "score" if score.startswith("rouge") else ("seconds" if score == "seconds" else "number")
                d = c[score]
                diff = d["difference"]
                rows.append([baseline, c["items"], score, fmt(d[method], kind), fmt(d[baseline], kind),
                             "n/a" if diff is None else ("+" if diff >= 0 else "") + fmt(diff, kind)])
        out.append(table(["other method", "items", "score", method, "other", f"{method} minus other"], rows))
    out += ["", "## Per item", ""]
    rows = []
    for r in results["items"]:
        if r["status"] != "ok":
            rows.append([r["encounter_id"], r["method"], "failed"] + [""] * 7 + [fmt(r["seconds"], "seconds")])
            continue
        rows.append([r["encounter_id"], r["method"], "ok", fmt(r["rouge1"], "score"), fmt(r["rouge2"], "score"),
                     fmt(r["rougeL"], "score"), f"{r['supported_sentences']}/{r['sentences']}",
                     f"{r['citations_resolved']}/{r['citations']}", r["unsourced_facts"], r["words"],
                     fmt(r["seconds"], "seconds")])
    out.append(table(["item", "method", "status", "R-1", "R-2", "R-L", "supported", "citations resolving",
                      "unsourced facts", "words", "seconds"], rows))
    failures = [r for r in results["items"] if r["status"] != "ok"]
    if failures:
        out += ["", "## Failed items", ""] + [f"- {r['encounter_id']} {r['method']}: {r['error']}" for r in failures]
    reasons: dict[str, dict[str, int]] = {}
    for r in results["items"]:
        for reason, count in (r.get("unsupported_reasons") or {}).items():
            kind = reason_kind(reason)  # results written before reasons were grouped hold the checker's own words
            reasons.setdefault(r["method"], {})[kind] = reasons.get(r["method"], {}).get(kind, 0) + count
    if reasons:
        out += ["", "## Why sentences were marked unsupported", "", "A sentence can have several reasons.", ""]
        out.append(table(["method", "reason", "sentences"],
                         [[m, reason, n] for m, found in reasons.items()
                          for reason, n in sorted(found.items(), key=lambda p: -p[1])[:8]]))
    out += ["", "How to read this: see evals/README.md.", ""]
    return "\n".join(out)


def write_results(results: dict, out_dir: Path, markdown: str | None = None,
                  with_provider: bool = True) -> tuple[Path, Path]:
    """Write `<kind>-<date>-<provider>.md` and `.json` into out_dir (a later run that day replaces them)."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    stem = f"{results['kind']}-{date.today().isoformat()}"
    if with_provider:
        stem += f"-{results['meta'].get('versions', {}).get('provider', 'none')}"
    md_path, json_path = out_dir / f"{stem}.md", out_dir / f"{stem}.json"
    md_path.write_text(markdown if markdown is not None else aci_markdown(results), encoding="utf-8")
    json_path.write_text(json.dumps(results, indent=2, default=str) + "\n", encoding="utf-8")
    return md_path, json_path
