"""How well and how fast scans are read: character error rate, pages per second, and the corpus's scans.

Prints, from one run on this machine:
- the character error rate (edit distance / reference length, whitespace
  squeezed) of our loader on scans made from known text (tests/retrieval/
  ingest/scans.py: a generated letter and the first pages of two demo
  letters) at 200 and 300 dpi, clean, and with skew and speckle noise;
- pages per second of our whole path (bounded worker, Ghostscript render,
  Tesseract) next to raw Tesseract on the same page images, and next to
  OCRmyPDF (`--sidecar`) on the same PDF when it is installed;
- what becomes of every PDF in ../shared/corpus/pdf/ that has pages without
  text (these were refused with "run it through OCR" before).
Run:
    .venv/bin/python bench/ocr.py
"""
from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import pypdf  # noqa: E402
from rapidfuzz.distance import Levenshtein  # noqa: E402

from retrieval import errors  # noqa: E402
from retrieval.ingest import ocr  # noqa: E402
from retrieval.ingest.loaders import LoadLimits, load_bytes, load_file  # noqa: E402
from tests.corpus import corpus_dir  # noqa: E402
from tests.retrieval.ingest import scans  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
DEMO_LETTERS = [ROOT / "demo/files/BR-2025-0141/2025-02-18_decision-notice.pdf",
                ROOT / "demo/files/AS-2025-0277/2025-03-21_safeguarding-outcome-letter.pdf"]
CONDITIONS = {"clean": dict(), "skew 1deg, 0.3% noise": dict(skew_deg=1.0, noise=0.003),
              "skew 2.5deg, 1% noise, blur": dict(skew_deg=-2.5, noise=0.01, blur=0.6)}
LIMITS = LoadLimits(timeout_s=120)


def squeezed(text: str) -> str:
    return " ".join(text.split())


def sources() -> list[tuple[str, bytes, str]]:
    """(name, typed PDF, its known text): the generated letter, and page 1 of each demo letter."""
    found = [("generated letter", scans.text_pdf([scans.LETTER]), scans.LETTER)]
    for path in DEMO_LETTERS:
        writer = pypdf.PdfWriter()
        writer.add_page(pypdf.PdfReader(path).pages[0])
        buffer = io.BytesIO()
        writer.write(buffer)
        found.append((path.name, buffer.getvalue(), pypdf.PdfReader(path).pages[0].extract_text()))
    return found


def error_rates() -> dict:
    """CER per dpi and condition, summed over the sources (total edits / total reference characters)."""
    table, confidences = {}, {}
    for dpi in (200, 300):
        for condition, faults in CONDITIONS.items():
            edits = length = 0
            conf = []
            for _name, pdf, known in sources():
                page = scans.scanned(scans.render(pdf, dpi), seed=dpi, **faults)
                document = load_bytes(scans.image_pdf([page], dpi), "scan.pdf", LIMITS)
                reference = squeezed(known)
                edits += Levenshtein.distance(reference, squeezed(document.text))
                length += len(reference)
                conf.append(document.pages[0].confidence)
            table[f"{dpi} dpi, {condition}"] = round(edits / length, 4)
            confidences[f"{dpi} dpi, {condition}"] = [round(c, 1) for c in conf]
    return {"character_error_rate": table, "page_confidence": confidences}


def speed() -> dict:
    """Pages per second: ours (whole load) vs raw Tesseract on the same rendered pages vs OCRmyPDF."""
    pages = [scans.scanned(scans.render(pdf, 300), skew_deg=0.7, noise=0.002) for _n, pdf, _k in sources()]
    pages = pages + pages  # six pages
    pdf = scans.image_pdf(pages, 300)
    load_bytes(scans.text_pdf(["warm the worker"]), "warm.pdf")
    started = time.perf_counter()
    document = load_bytes(pdf, "six.pdf", LIMITS)
    ours = time.perf_counter() - started
    assert len(document.ocr_pages) == len(pages)
    with tempfile.TemporaryDirectory() as folder:
        paths = []
        for number, page in enumerate(pages):
            paths.append(os.path.join(folder, f"{number}.png"))
            page.save(paths[-1])
        env = dict(os.environ, OMP_THREAD_LIMIT="1")
        started = time.perf_counter()
        for path in paths:
            subprocess.run(["tesseract", path, "stdout", "-l", "eng", "tsv"], capture_output=True, check=True, env=env)
        raw = time.perf_counter() - started
        result = {"pages": len(pages), "ours_pages_per_s": round(len(pages) / ours, 3),
                  "raw_tesseract_pages_per_s": round(len(pages) / raw, 3), "overhead_ratio": round(ours / raw, 2)}
        if shutil.which("ocrmypdf"):
            source, sidecar = os.path.join(folder, "six.pdf"), os.path.join(folder, "six.txt")
            Path(source).write_bytes(pdf)
            started = time.perf_counter()
            done = subprocess.run(["ocrmypdf", "--jobs", "2", "--output-type", "pdf", "--sidecar", sidecar,
                                   "--optimize", "0", source, os.path.join(folder, "out.pdf")], capture_output=True)
            took = time.perf_counter() - started
            result["ocrmypdf_pages_per_s"] = round(len(pages) / took, 3) if done.returncode == 0 else \
                f"failed: {done.stderr.decode()[-200:]}"
        else:
            result["ocrmypdf_pages_per_s"] = "not installed"
    return result


def corpus_scans() -> list[dict]:
    """Every corpus PDF with at least one page that has no text, and what loading it now gives."""
    folder = corpus_dir() / "pdf"
    if not folder.is_dir():
        return [{"missing": str(folder)}]
    found = []
    for path in sorted(folder.rglob("*.pdf")):
        try:
            reader = pypdf.PdfReader(path)
            if reader.is_encrypted:
                reader.decrypt("openpassword")
            empty = [n for n, page in enumerate(reader.pages, 1) if not (page.extract_text() or "").strip()]
        except Exception:  # noqa: BLE001 - broken files: the loader's own tests cover them
            continue
        if not empty:
            continue
        started = time.perf_counter()
        try:
            document = load_file(path, LIMITS, password="openpassword" if reader.is_encrypted else None)
            outcome = {"ocr_pages": document.metadata.get("ocr_pages"), "characters": len(document.text),
                       "confidence": [p.confidence for p in document.ocr_pages],
                       "low_confidence_pages": [p.number for p in document.pages if p.low_confidence],
                       "start": squeezed(document.text)[:60]}
        except errors.RetrievalError as error:
            outcome = {"refused": type(error).__name__}
        found.append({"file": path.relative_to(folder).as_posix(), "pages": len(reader.pages),
                      "pages_without_text": empty, "seconds": round(time.perf_counter() - started, 1), **outcome})
    return found


def main() -> None:
    print(json.dumps({"engine": ocr.check_available(), "speed": speed(), **error_rates(),
                      "corpus_pdfs_with_pages_without_text": corpus_scans()}, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
