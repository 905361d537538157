"""Every PDF of the shared third-party corpus ends in text or a clear RetrievalError, in bounded time.

The corpus is not part of the project: tests/corpus.py says where it lies, and these
tests skip when it is absent (and fail in CI).
"""
from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from retrieval import errors
from retrieval.ingest.loaders import LoadLimits, load_file
from tests.corpus import corpus_dir, missing

PDF_DIR = corpus_dir() / "pdf"
SAMPLES_INDEX = PDF_DIR / "pypdf-sample-files" / "files.json"
LIMITS = LoadLimits(timeout_s=30)
MARGIN_S = 15  # start-up and scheduling slack on a busy machine; a safety bound, not a benchmark
SAMPLE_PASSWORD = "openpassword"


def corpus_pdfs() -> list:
    """One parameter per PDF, id = its path inside the pdf folder; None when there are none (the test then
    skips, or fails in CI)."""
    paths = sorted(PDF_DIR.rglob("*.pdf")) if PDF_DIR.is_dir() else []
    if not paths:
        return [pytest.param(None, id="no-corpus")]
    return [pytest.param(path, id=path.relative_to(PDF_DIR).as_posix()) for path in paths]


def expected_samples() -> dict[Path, dict]:
    """files.json entries (path, pages, encrypted) keyed by absolute path, for files that are present."""
    if not SAMPLES_INDEX.is_file():
        return {}
    entries = json.loads(SAMPLES_INDEX.read_text(encoding="utf-8"))["data"]
    return {SAMPLES_INDEX.parent / entry["path"]: entry for entry in entries}


def encrypted_samples() -> list:
    if not SAMPLES_INDEX.is_file():
        return [pytest.param(None, id="no-corpus")]
    paths = [path for path, entry in expected_samples().items() if entry["encrypted"] and path.is_file()]
    if not paths:
        return [pytest.param(None, id="none", marks=pytest.mark.skip(reason=f"no encrypted sample listed in {SAMPLES_INDEX}"))]
    return [pytest.param(path, id=path.relative_to(PDF_DIR).as_posix()) for path in paths]


@pytest.mark.parametrize("path", corpus_pdfs())
def test_corpus_pdf_ends_in_text_or_a_retrieval_error(path: Path | None):
    if path is None:
        missing(PDF_DIR)
    started = time.monotonic()
    try:
        document = load_file(path, LIMITS)
    except errors.RetrievalError as error:
        assert str(error), "an error must carry a message for the user"
        document = None
    elapsed = time.monotonic() - started

    assert elapsed < LIMITS.timeout_s + MARGIN_S
    if document is not None:
        assert document.text.strip()
        assert [page.number for page in document.pages] == list(range(1, len(document.pages) + 1))
        expected = expected_samples().get(path)
        if expected is not None:
            assert len(document.pages) == expected["pages"]


@pytest.mark.parametrize("path", encrypted_samples())
def test_encrypted_sample_needs_its_password(path: Path | None):
    if path is None:
        missing(SAMPLES_INDEX)
    with pytest.raises(errors.EncryptedPdf) as raised:
        load_file(path, LIMITS)
    assert raised.type is errors.EncryptedPdf  # not WrongPassword: none was given

    document = load_file(path, LIMITS, password=SAMPLE_PASSWORD)

    assert document.text.strip()
    assert len(document.pages) == expected_samples()[path]["pages"]
