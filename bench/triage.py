"""Triage throughput: letters scored by the vulnerability classifier per second, and what 22,000 a day would take.

The demo caseload's documents (loaded once, beforehand: parsing is not triage) are scored again and again, in
batches, by the scorer the product uses (sentence cutting, the bundled MiniLM in fp32, the weights) and, beside
it in the same run, by the raw sentence-transformers fp32 encoding of the same sentences (so the ratio is our
overhead) and by the word rule the classifier replaced. The sides take turns batch by batch, so a change in the
machine's load falls on each alike; the load average is printed, as a loaded machine halves every figure. Then
the same on the letters and e-mails alone (the demo's e-mails, and the letters its file names call letters: the
demo has no scans), the correspondence the queue is for. Prints JSON. Run:
    .venv/bin/python bench/triage.py [--letters 600] [--batch 32]
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path
from typing import Callable

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from retrieval.ingest.loaders import load_file  # noqa: E402
from retrieval.search.embeddings import MiniLMEmbedder  # noqa: E402
from summariser.checks.risk import find_signs  # noqa: E402
from summariser.checks.vulnerability import VulnerabilityScorer, scored_sentences  # noqa: E402

DEMO = Path(__file__).resolve().parent.parent / "demo" / "files"
LETTERS_A_DAY = 22_000


def correspondence(path: Path, kind: str) -> bool:
    """A demo document that is incoming correspondence or stands in for it: an e-mail, or a letter."""
    return kind == "eml" or "letter" in path.stem


def timed_in_turns(letters: list[str], batch: int, sides: dict[str, Callable[[list[str]], object]]) -> dict:
    """The seconds each side takes over all the letters, the sides taking turns on each batch."""
    seconds = dict.fromkeys(sides, 0.0)
    for at in range(0, len(letters), batch):
        chunk = letters[at:at + batch]
        for name, side in sides.items():
            started = time.perf_counter()
            side(chunk)
            seconds[name] += time.perf_counter() - started
    return seconds


def measure(documents: list[str], count: int, batch: int, scorer: VulnerabilityScorer,
            embedder: MiniLMEmbedder) -> dict:
    letters = [documents[i % len(documents)] for i in range(count)]
    sentences = {text: [sentence for _, _, sentence in scored_sentences(text)] for text in documents}

    def raw(chunk: list[str]) -> None:  # the sentences are cut beforehand: this side is the encoding alone
        embedder.model.encode([s for text in chunk for s in sentences[text]], batch_size=embedder.batch_size,
                              normalize_embeddings=True, show_progress_bar=False)

    seconds = timed_in_turns(letters, batch, {"ours": scorer.assess_many, "raw_sentence_transformers_fp32": raw,
                                              "word_rule": lambda chunk: [find_signs(text) for text in chunk]})
    per_second = {name: round(len(letters) / s, 2) for name, s in seconds.items()}
    return {
        "letters": len(letters), "distinct_documents": len(documents),
        "sentences": sum(len(sentences[text]) for text in letters),
        "characters_per_letter": round(sum(map(len, letters)) / len(letters)),
        "distinct_documents_flagged": sum(a.flagged for a in scorer.assess_many(documents)),
        "seconds": {name: round(s, 2) for name, s in seconds.items()},
        "letters_per_s": per_second,
        "hours_for_22000_letters": {name: round(LETTERS_A_DAY / rate / 3600, 2) for name, rate in per_second.items()
                                    if name != "word_rule"},
        "overhead_ratio": round(seconds["ours"] / seconds["raw_sentence_transformers_fp32"], 2),
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--letters", type=int, default=600, help="how many letters to score (demo documents repeated)")
    parser.add_argument("--batch", type=int, default=32, help="letters scored together")
    args = parser.parse_args(argv)
    paths = sorted(DEMO.glob("*/*"))
    loaded = [load_file(path) for path in paths]
    demo = [document.text for document in loaded]
    letters_and_emails = [document.text for path, document in zip(paths, loaded)
                          if correspondence(path, document.kind)]
    embedder = MiniLMEmbedder()
    scorer = VulnerabilityScorer.bundled(embedder)
    scorer.assess("A warm-up sentence, so that every side starts with the model loaded.")
    print(json.dumps({
        "cpu_cores": os.cpu_count(), "load_average_1min_before": round(os.getloadavg()[0], 2), "scorer": scorer.version,
        "whole_caseload": measure(demo, args.letters, args.batch, scorer, embedder),
        "letters_and_emails": measure(letters_and_emails, args.letters, args.batch, scorer, embedder),
        "load_average_1min_after": round(os.getloadavg()[0], 2),
    }, indent=2))


if __name__ == "__main__":
    main()
