"""A draft composed from checked facts against the older direct draft, on the default model, case by case.

For each demo case asked for: its passages are read into facts first (stored under a data folder kept between
runs, so a second run reads nothing again), then the case is drafted both ways and this prints, per case and
method: seconds from "Draft" to a complete draft, sentences the grounding check supports as drafted, citations
that resolve, words, headings present, repeated bullets; and the ratio of direct to composed seconds. Goal
(issue 11): the largest demo case composed in at most 60 s once its facts are read. Run:
    .venv/bin/python bench/composing.py [--cases AS-2025-0310 BR-2025-0203] [--no-direct]
"""
from __future__ import annotations

import argparse
import re
import resource
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.drafting import CACHE, load_case  # noqa: E402
from retrieval.records.access import User  # noqa: E402
from settings import PROJECT_ROOT, Settings  # noqa: E402
from summariser.drafting.llm import ModelConfig, make_chat_model  # noqa: E402
from summariser.text import LEFT_OUT  # noqa: E402
from summariser.wiring import build_services  # noqa: E402

DATA = PROJECT_ROOT / ".venv" / "bench-composing"
ADMIN = User("bench", "admin", "all")


def read_everything(service) -> int:
    """Run the case's queued reading jobs here, as a worker would; returns how many ran."""
    return service.stores.reading_jobs.run_queued(lambda ran: print(f"  read {ran} passage(s)", end="\r", flush=True))


def measure(service, reference: str, template: str | None, direct: bool) -> dict:
    started = time.perf_counter()
    state = service.drafting.draft(ADMIN, reference, template, direct=direct)
    seconds = time.perf_counter() - started
    data = state.drafted.data
    if state.status == "failed":
        return {"failed": data.error, "seconds": round(seconds, 1)}
    sentences = (data.grounding or {}).get("sentences", [])
    supported = sum(1 for s in sentences if s.get("supported"))
    bullets = [line.strip() for line in data.output.splitlines()
               if line.strip().startswith("- ") and LEFT_OUT not in line]  # the tool's notes of facts not listed
    headings = re.findall(r"^## (.+)$", data.output, re.M)
    wanted = service.drafting.templates.get(data.template.name).sections
    return {"seconds": round(seconds, 1), "supported": f"{supported}/{len(sentences)}",
            "supported_share": round(supported / max(len(sentences), 1), 3),
            "citations_resolve": not data.citations["unresolved"], "words": len(data.output.split()),
            "headings_present": all(h in headings for h in wanted), "repeated_bullets": len(bullets) - len(set(bullets)),
            "unread_passages": len((data.composition or {}).get("unread_passages", []))}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", nargs="+", default=["AS-2025-0310", "BR-2025-0203", "AS-2024-0862"])
    parser.add_argument("--no-direct", action="store_true", help="time the composed drafts only")
    args = parser.parse_args()
    chat = make_chat_model(ModelConfig(cache_dir=CACHE, temperature=0.0))
    service = build_services(Settings(data_dir=DATA, draft_from="facts"), chat_model=lambda: chat)
    held = service.cases.visible_references(ADMIN)  # cases loaded by an earlier run keep their read facts
    rows = []
    for reference in args.cases:
        if reference not in held:
            load_case(service, ADMIN, reference)
        started = time.perf_counter()
        ran = read_everything(service)
        print(f"{reference}: {ran} passage(s) read in {time.perf_counter() - started:.0f} s", flush=True)
        composed = measure(service, reference, None, direct=False)
        print(f"  composed: {composed}", flush=True)
        row = {"case": reference, "composed": composed}
        if not args.no_direct:
            row["direct"] = measure(service, reference, None, direct=True)
            print(f"  direct:   {row['direct']}", flush=True)
            if "failed" not in composed and "failed" not in row["direct"]:
                print(f"  ratio direct/composed seconds: {row['direct']['seconds'] / composed['seconds']:.1f}")
        rows.append(row)
    done = [r["composed"]["seconds"] for r in rows if "failed" not in r["composed"]]
    if done:
        print(f"composed: median {statistics.median(done):.1f} s, max {max(done):.1f} s over {len(done)} case(s)")
    print(f"peak resident memory: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
