"""What reading one passage into facts costs on the default model, with llama.cpp's prompt cache on and off, and
against llama-cpp-python called directly with the same prompt and schema (the raw library doing the same work).

The reading prompt starts with fixed instructions (the system part has no variables). With the cache on,
llama.cpp keeps the evaluated prompt between calls, so the next passage only evaluates what follows the
instructions; off, every call evaluates its whole prompt (the model is reset first). The runs use the same
loaded model and the same demo passages (the first passage of each document, in caseload order), after one
warm-up read. Prints seconds and output tokens per passage, seconds per 1,000 characters, and the ratios.
Goal (issue 10): at most 15 s per passage on 2 cores. Run:
    .venv/bin/python bench/reading.py [--passages 4] [--skip-raw]
"""
from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from evals.facts import demo_passages  # noqa: E402
from settings import PROJECT_ROOT  # noqa: E402
from summariser.drafting.llm import ModelConfig, make_chat_model  # noqa: E402
from summariser.drafting.templates import TemplateLibrary  # noqa: E402
from summariser.reading.acceptance import numbered_sentences  # noqa: E402
from summariser.reading.reader import MAX_FACTS, TOKENS_PER_FACT, PassageReader, facts_schema  # noqa: E402

CACHE = PROJECT_ROOT / ".venv" / "model-cache"


def run(reader: PassageReader, passages, cache_on: bool) -> list[dict]:
    reader.chat_model.model.prompt_cache = cache_on  # read per call: off resets the model before each
    rows = []
    for passage in passages:
        reading = reader.read(passage)
        rows.append({"seconds": reading.seconds, "tokens": reading.output_tokens, "chars": len(passage.text),
                     "facts": len(reading.facts), "accepted": len(reading.accepted)})
        print(f"  cache {'on ' if cache_on else 'off'} {passage.document_name}: {rows[-1]}", flush=True)
    return rows


def run_raw(reader: PassageReader, passages) -> list[dict]:
    """The same requests straight to llama-cpp-python: no reader, no acceptance, no LangChain."""
    model = reader.chat_model.model
    llama, rows = model.llama(), []
    for passage in passages:
        spans = numbered_sentences(passage.text)
        messages = [{"role": "system" if m.type == "system" else "user", "content": m.content}
                    for m in reader.messages(passage, spans)]
        started = time.monotonic()
        answer = llama.create_chat_completion(
            messages=messages, response_format={"type": "json_object", "schema": facts_schema(len(spans))},
            max_tokens=TOKENS_PER_FACT * MAX_FACTS, temperature=0.0, repeat_penalty=model.repeat_penalty)
        rows.append({"seconds": round(time.monotonic() - started, 3), "tokens": answer["usage"]["completion_tokens"],
                     "chars": len(passage.text), "facts": 0, "accepted": 0})
        print(f"  raw       {passage.document_name}: {rows[-1]}", flush=True)
    return rows


def summary(rows: list[dict]) -> dict:
    seconds = [r["seconds"] for r in rows]
    return {"mean_s": round(statistics.mean(seconds), 2), "max_s": round(max(seconds), 2),
            "mean_output_tokens": round(statistics.mean(r["tokens"] for r in rows), 1),
            "s_per_1000_chars": round(1000 * sum(seconds) / sum(r["chars"] for r in rows), 2),
            "facts": sum(r["facts"] for r in rows), "accepted": sum(r["accepted"] for r in rows)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--passages", type=int, default=4, help="demo passages read in each run")
    parser.add_argument("--skip-raw", action="store_true", help="skip the run on llama-cpp-python's own sampler")
    args = parser.parse_args()
    chat = make_chat_model(ModelConfig(cache_dir=CACHE, temperature=0.0))
    reader = PassageReader(chat, TemplateLibrary(PROJECT_ROOT / "prompts").get("passage_facts"))
    passages = demo_passages(args.passages + 1)
    warm, passages = passages[0], passages[1:]
    reader.read(warm)  # loads the model
    system, user = (m.content for m in reader.messages(warm, []))
    print(f"fixed instructions: {chat.count_tokens(system)} tokens; load average {os.getloadavg()[0]:.2f}",
          flush=True)
    off = summary(run(reader, passages, cache_on=False))
    on = summary(run(reader, passages, cache_on=True))
    print(f"{len(passages)} passages, mean {statistics.mean(len(p.text) for p in passages):.0f} characters")
    print(f"cache off: {off}")
    print(f"cache on:  {on}")
    print(f"ratio off/on mean seconds: {off['mean_s'] / on['mean_s']:.2f}")
    if not args.skip_raw:
        raw = summary(run_raw(reader, passages))
        print(f"llama-cpp-python called directly, cache on: {raw}")
        print(f"ratio ours/raw mean seconds: {on['mean_s'] / raw['mean_s']:.2f}")
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak resident memory: {peak_mb:.0f} MB; load average {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
