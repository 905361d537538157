"""Drafting speed on the default model, next to llama-cpp-python called directly on the same prompt.

Prints, for one demo case: time to first token and tokens/s through our
pipeline (LangChain streaming wrapper), the same for the raw Llama object on
the identical messages, and for the largest demo case the time from "draft"
to a complete cited summary with where that time goes (model steps). Also
the peak resident memory of this process with the model loaded. Run:
    .venv/bin/python bench/drafting.py [--case BR-2025-0203] [--largest AS-2025-0310]
"""
from __future__ import annotations

import argparse
import json
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from langchain_core.messages import HumanMessage, SystemMessage  # noqa: E402

from audit.events import Drafted  # noqa: E402
from demo.seed import DEMO  # noqa: E402
from retrieval.records.access import User  # noqa: E402
from retrieval.ingest.pipeline import uploads_from_folder  # noqa: E402
from settings import Settings  # noqa: E402
from summariser.drafting.drafter import format_source  # noqa: E402
from summariser.drafting.llm import ModelConfig, make_chat_model  # noqa: E402
from summariser.wiring import build_services  # noqa: E402

CACHE = Path(__file__).resolve().parent.parent / ".venv" / "model-cache"


def load_case(service, admin, reference: str):
    caseload = json.loads((DEMO / "caseload.json").read_text())
    entry = next(c for c in caseload["cases"] if c["reference"] == reference)
    person = next(p for p in caseload["persons"] if p["reference"] == entry["person"])
    case = service.cases.register_case(admin, person, entry)
    service.cases.ingest(admin, reference, uploads_from_folder(DEMO / "files" / reference, 10**8))
    return case


def timed_stream(stream) -> dict:
    started, first, count = time.perf_counter(), None, 0
    for _ in stream:
        count += 1
        first = first or time.perf_counter() - started
    total = time.perf_counter() - started
    return {"ttft_s": round(first or total, 2), "total_s": round(total, 2), "tokens": count,
            "gen_tokens_per_s": round((count - 1) / max(total - (first or 0), 1e-9), 2)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--case", default="BR-2025-0203")
    parser.add_argument("--largest", default="AS-2025-0310")
    parser.add_argument("--max-tokens", type=int, default=300)
    args = parser.parse_args()
    chat = make_chat_model(ModelConfig(cache_dir=CACHE, max_output_tokens=args.max_tokens, temperature=0.0))
    llama = chat.model.llama()
    with tempfile.TemporaryDirectory() as folder:
        service = build_services(Settings(data_dir=Path(folder)), chat_model=lambda: chat)
        admin = User("bench", "admin", "all")
        case = load_case(service, admin, args.case)
        template = service.drafting.templates.get("case_summary")
        sources = service.drafting.numbered_sources(admin, case.reference)
        system, user = template.render(case_reference=case.reference, case_title=case.title,
                                       case_type=case.case_type, person_name=case.person.full_name,
                                       today="2026-11-21", sources="\n".join(format_source(s) for s in sources))
        prompt_tokens = chat.count_tokens(system + user)
        messages = [{"role": "system", "content": system}, {"role": "user", "content": user}]
        raw_stream = (p for p in llama.create_chat_completion(messages=messages, max_tokens=args.max_tokens,
                                                              temperature=0.0, stream=True)
                      if p["choices"][0]["delta"].get("content"))
        llama.reset()
        raw = timed_stream(raw_stream)
        llama.reset()
        ours = timed_stream(chat.model.stream([SystemMessage(system), HumanMessage(user)],
                                              max_tokens=args.max_tokens))
        result = {"case": args.case, "prompt_tokens": prompt_tokens, "raw_llama_cpp": raw, "ours": ours,
                  "ttft_ratio": round(ours["ttft_s"] / raw["ttft_s"], 3),
                  "prefill_tokens_per_s_raw": round(prompt_tokens / raw["ttft_s"], 1)}
        print(json.dumps(result, indent=2), flush=True)

        largest = load_case(service, admin, args.largest)
        stages, started = [], time.perf_counter()
        state = service.drafting.draft(admin, largest.reference,
                                       on_stage=lambda s: stages.append((s, round(time.perf_counter() - started, 1))))
        drafted = state.drafted.data
        steps = drafted.steps if isinstance(drafted, Drafted) else []  # a failed draft has no steps or citations
        citations = (drafted.citations if isinstance(drafted, Drafted) else None) or {}
        print(json.dumps({
            "largest_case": largest.reference, "status": state.status,
            "seconds_to_cited_summary": round(time.perf_counter() - started, 1),
            "sources": len(drafted.sources), "stages_started_at_s": stages,
            "steps": [{k: s[k] for k in ("kind", "prompt_tokens", "output_chars")} for s in steps],
            "citations_resolved": len(citations.get("resolved", {})),
            "citations_unresolved": citations.get("unresolved"),
            "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        }, indent=2))


if __name__ == "__main__":
    main()
