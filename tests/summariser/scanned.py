"""A document stored as OCR would leave it, with chosen page confidences, for tests of what follows OCR.

Why: Tesseract takes seconds a page and its confidence cannot be chosen, so the tests of flags, drafts and the
Case page store the pages directly, the way ingest stores a scan (passages cut and stored, indexed, its addition
and flags recorded, queued for reading); tests/summariser/test_ocr_holdback.py also goes through the real ingest
once.
"""
from __future__ import annotations

import hashlib

from retrieval.ingest.chunking import passage_spans
from retrieval.ingest.loaders import LoadedDocument, Page
from retrieval.ingest.pipeline import IngestOutcome
from summariser.services.reading import queue_for_reading
from tests.conftest import run_checks


def store_scan(service, user, reference: str, filename: str, pages: list[tuple[str, float]],
               threshold: float = 80.0) -> int:
    """Store a scan whose pages (text, confidence) were read by OCR; returns the document's id."""
    case = service.cases.case(user, reference)
    text, rows, at = "", [], 0
    for number, (page_text, confidence) in enumerate(pages, start=1):
        if number > 1:
            text, at = text + "\n\n", at + 2
        rows.append(Page(number, at, at + len(page_text), True, confidence, confidence < threshold))
        text, at = text + page_text, at + len(page_text)
    data = text.encode("utf-8")
    loaded = LoadedDocument(filename, "png", text, tuple(rows), hashlib.sha256(data).hexdigest(), len(data),
                            {"ocr_pages": [p.number for p in rows], "ocr_engine": "tesseract (stored by a test)"})
    records = service.stores.records
    document, _ = records.add_document(case, loaded, user.username,
                                       passage_spans(loaded.sha256, text, loaded.pages, case_id=case.id))
    service.stores.index.add(case, document, records.passages([document])[document.id])
    service.cases.additions.record_upload(user.username, reference, [IngestOutcome(
        filename, "added", "Added.", document.id, len(rows), sha256=document.sha256)])
    run_checks(service)  # as the worker would, recording its flag
    queue_for_reading(service.stores.reading_jobs, [document.id])
    return document.id
