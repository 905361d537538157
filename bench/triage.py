"""Triage throughput: letters scored by the vulnerability classifier per second, and what 22,000 a day would take.

The demo caseload's documents (loaded once, beforehand: parsing is not triage) are scored again and again, in
batches, by the bundled classifier (sentence cutting, MiniLM embedding, the weights); beside it, in the same
run, the raw sentence-transformers encoding of the same sentences, so the ratio is our overhead, and the word
rule it replaced. Prints JSON. Run:
    .venv/bin/python bench/triage.py [--letters 600] [--batch 32]
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from retrieval.ingest.loaders import load_file  # noqa: E402
from retrieval.search.embeddings import MiniLMEmbedder  # noqa: E402
from summariser.checks.risk import find_signs  # noqa: E402
from summariser.checks.vulnerability import VulnerabilityScorer, scored_sentences  # noqa: E402

DEMO = Path(__file__).resolve().parent.parent / "demo" / "files"
LETTERS_A_DAY = 22_000


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--letters", type=int, default=600, help="how many letters to score (demo documents repeated)")
    parser.add_argument("--batch", type=int, default=32, help="letters scored together")
    args = parser.parse_args(argv)
    demo = [load_file(path).text for path in sorted(DEMO.glob("*/*"))]
    letters = [demo[i % len(demo)] for i in range(args.letters)]
    embedder = MiniLMEmbedder()
    embedder(["warm up"])  # every side starts with the model loaded
    scorer = VulnerabilityScorer.bundled(embedder)
    started = time.perf_counter()
    flagged = 0
    for at in range(0, len(letters), args.batch):
        flagged += sum(a.flagged for a in scorer.assess_many(letters[at:at + args.batch]))
    ours = time.perf_counter() - started
    sentences = [sentence for text in letters for _, _, sentence in scored_sentences(text)]
    started = time.perf_counter()
    embedder.model.encode(sentences, batch_size=embedder.batch_size, normalize_embeddings=True,
                          show_progress_bar=False)
    raw = time.perf_counter() - started
    started = time.perf_counter()
    for text in letters:
        find_signs(text)
    words = time.perf_counter() - started
    per_second = len(letters) / ours
    print(json.dumps({
        "letters": len(letters), "distinct_demo_documents": len(demo), "sentences": len(sentences),
        "characters_per_letter": round(sum(map(len, letters)) / len(letters)), "flagged": flagged,
        "cpu_cores": os.cpu_count(), "load_average_1min": round(os.getloadavg()[0], 2),
        "classifier_seconds": round(ours, 2), "classifier_letters_per_s": round(per_second, 1),
        "raw_encoding_seconds": round(raw, 2), "overhead_ratio": round(ours / raw, 2),
        "word_rule_letters_per_s": round(len(letters) / words, 1),
        "hours_for_22000_letters": round(LETTERS_A_DAY / per_second / 3600, 2),
    }, indent=2))


if __name__ == "__main__":
    main()
