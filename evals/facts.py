"""Facts read per passage: the share the tool accepted, and the share rejected for each reason.

Reads passages of the demo caseload and of ACI-Bench validation dialogues with the configured model and
the passage_facts prompt, and prints (and writes to evals/results/ as JSON) how many facts each passage
gave, how many stood and why the others did not. Passages are cut as ingest cuts them (900 characters,
120 overlap), always the first ones in file order, so figures are never picked. Run:
    .venv/bin/python -m evals.facts --subset 5 --aci-subset 3 [--aci-passages 1] [--provider llamacpp]
"""
from __future__ import annotations

import argparse
import collections
import datetime as dt
import json
from dataclasses import replace
from pathlib import Path
from types import SimpleNamespace

from evals.dataset import DEFAULT_DATA, load_encounters
from retrieval.ingest.chunking import chunk_document
from retrieval.ingest.loaders import load_file
from settings import PROJECT_ROOT, Settings
from summariser.drafting.llm import make_chat_model
from summariser.drafting.templates import TemplateLibrary
from summariser.reading.model import PassageToRead, Reading
from summariser.reading.reader import PassageReader
from summariser.wiring import model_config

DEMO = PROJECT_ROOT / "demo"
RESULTS = Path(__file__).resolve().parent / "results"
MODEL_CACHE = PROJECT_ROOT / ".venv" / "model-cache"


def _chunks(text: str, pages=None) -> list[str]:
    document = SimpleNamespace(id=0, sha256="0" * 64, text=text,
                               pages=pages or (SimpleNamespace(number=1, start=0, end=len(text)),))
    return [c.text for c in chunk_document(document)]


def demo_passages(count: int, per_document: int = 1) -> list[PassageToRead]:
    """The first `per_document` passages of each demo document, case by case in caseload order."""
    caseload = json.loads((DEMO / "caseload.json").read_text())
    people = {p["reference"]: p["full_name"] for p in caseload["persons"]}
    found = []
    for case in caseload["cases"]:
        for path in sorted((DEMO / "files" / case["reference"]).iterdir()):
            loaded = load_file(path)
            for text in _chunks(loaded.text, loaded.pages)[:per_document]:
                found.append(PassageToRead.of(text, case["reference"], people[case["person"]], case["case_type"],
                                              path.name))
                if len(found) >= count:
                    return found
    return found


def demo_passage(case_reference: str, filename: str, number: int) -> PassageToRead:
    """One passage of one demo document (0 is its first), as ingest cuts it."""
    caseload = json.loads((DEMO / "caseload.json").read_text())
    case = next(c for c in caseload["cases"] if c["reference"] == case_reference)
    person = next(p["full_name"] for p in caseload["persons"] if p["reference"] == case["person"])
    loaded = load_file(DEMO / "files" / case_reference / filename)
    return PassageToRead.of(_chunks(loaded.text, loaded.pages)[number], case_reference, person,
                            case["case_type"], filename)


def aci_passages(dialogues: int, per_dialogue: int = 1, data: Path = DEFAULT_DATA) -> list[PassageToRead]:
    """The first passages of the first ACI-Bench validation dialogues (a clinic visit as a "case")."""
    found = []
    for encounter in load_encounters(data, subset=dialogues):
        for text in _chunks(encounter.dialogue)[:per_dialogue]:
            found.append(PassageToRead.of(text, encounter.encounter_id, "the patient", "clinical encounter",
                                          "dialogue"))
    return found


def tally(readings: list[Reading]) -> dict:
    """Facts accepted and rejected by reason, kinds of the accepted, and the cost per passage."""
    facts = [f for r in readings for f in r.facts]
    reasons = collections.Counter(f.reason or "accepted" for f in facts)
    total = len(facts) or 1
    return {"passages": len(readings), "facts": len(facts),
            "facts_per_passage": round(len(facts) / max(len(readings), 1), 2),
            "share": {k: round(v / total, 3) for k, v in sorted(reasons.items())},
            "counts": dict(sorted(reasons.items())),
            "accepted_kinds": dict(collections.Counter(f.kind for f in facts if f.accepted).most_common()),
            "mean_seconds": round(sum(r.seconds for r in readings) / max(len(readings), 1), 2),
            "mean_output_tokens": round(sum(r.output_tokens for r in readings) / max(len(readings), 1), 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--subset", type=int, default=5, help="demo passages (first passage of each document)")
    parser.add_argument("--aci-subset", type=int, default=3, help="ACI-Bench validation dialogues")
    parser.add_argument("--aci-passages", type=int, default=1, help="passages read per dialogue")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--provider", default=None, help="llamacpp (default), openai, ...")
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args()
    settings = Settings()
    overrides = {"provider": args.provider} if args.provider else {}
    chat = make_chat_model(replace(model_config(settings, **overrides), cache_dir=MODEL_CACHE, temperature=0.0))
    reader = PassageReader(chat, TemplateLibrary(PROJECT_ROOT / "prompts").get("passage_facts"))
    results = {}
    for name, passages in (("demo", demo_passages(args.subset)),
                           ("aci-bench", aci_passages(args.aci_subset, args.aci_passages, args.data))):
        readings = [reader.read(p) for p in passages]
        results[name] = tally(readings)
        print(name, json.dumps(results[name], indent=1))
    results["model"], results["prompt"] = reader.identity[0], f"{reader.identity[1]} {reader.identity[2]}"
    args.out.mkdir(parents=True, exist_ok=True)
    target = args.out / f"facts-{dt.date.today().isoformat()}-{chat.provider}.json"
    target.write_text(json.dumps(results, indent=1) + "\n")
    print(f"wrote {target}")


if __name__ == "__main__":
    main()
