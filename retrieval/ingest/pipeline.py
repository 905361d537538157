"""Adding files to a case: load, cut into passages, store once, index, and report one outcome per file.

A bad file never stops the batch: it gets its own plain-English outcome and
the next file is read. A document is cut into passages here, once; the spans
are stored with it and exactly those are indexed, so the index, the drafts and
the records always agree on what a passage id means.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Literal

from retrieval.ingest.chunking import passage_spans
from retrieval.errors import RetrievalError
from retrieval.search.index import PassageIndex
from retrieval.ingest.loaders import LoadLimits, load_bytes
from retrieval.records.store import Case, CaseRecords

log = logging.getLogger(__name__)

Status = Literal["added", "already held", "refused"]


@dataclass(frozen=True)
class IngestOutcome:
    filename: str
    status: Status
    message: str
    document_id: int | None = None
    pages: int = 0
    chunks: int = 0
    error: str | None = None  # class name of the refusal, e.g. "EncryptedPdf"
    sha256: str | None = None  # of the file, when it could be read


@dataclass(frozen=True)
class Upload:
    filename: str
    data: bytes
    password: str | None = None


class Ingestor:
    """Turns uploads into stored, indexed documents of one case."""

    def __init__(self, records: CaseRecords, index: PassageIndex, limits: LoadLimits,
                 chunk_chars: int = 900, chunk_overlap: int = 120):
        self.records, self.index, self.limits = records, index, limits
        self.chunk_chars, self.chunk_overlap = chunk_chars, chunk_overlap

    def ingest(self, case: Case, uploads: list[Upload], added_by: str,
               progress: Callable[[int, int, IngestOutcome], None] | None = None) -> list[IngestOutcome]:
        outcomes = []
        for number, upload in enumerate(uploads, start=1):
            outcome = self.ingest_one(case, upload, added_by)
            outcomes.append(outcome)
            if progress:
                progress(number, len(uploads), outcome)
        return outcomes

    def ingest_one(self, case: Case, upload: Upload, added_by: str) -> IngestOutcome:
        try:
            loaded = load_bytes(upload.data, upload.filename, self.limits, upload.password)
        except RetrievalError as error:
            return IngestOutcome(upload.filename, "refused", str(error), error=type(error).__name__)
        spans = passage_spans(loaded.sha256, loaded.text, loaded.pages, self.chunk_chars, self.chunk_overlap)
        document, created = self.records.add_document(case, loaded, added_by, spans)
        chunks = self.records.passages([document])[document.id]  # a file already held keeps its own passages
        # Indexing also runs for files already held, so a crash between storing and indexing heals on retry.
        held_in = case if document.case_id == case.id else self.records.case_by_id(document.case_id)
        try:
            self.index.add(held_in, document, chunks)
        except RetrievalError as error:
            return IngestOutcome(upload.filename, "refused", str(error), document.id, error=type(error).__name__,
                                 sha256=document.sha256)
        except Exception as error:  # the index failing must not lose the stored record
            log.exception("indexing %s failed", upload.filename)
            return IngestOutcome(upload.filename, "refused",
                                 f"The file was stored but could not be indexed ({error}). Add it again to retry.",
                                 document.id, error="IndexUnavailable", sha256=document.sha256)
        if not created:
            where = "this case" if held_in is case else f"case {held_in.reference}"
            return IngestOutcome(upload.filename, "already held",
                                 f"This file is already held in {where} (as {document.filename}); it was not added twice.",
                                 document.id, len(document.pages), len(chunks), sha256=document.sha256)
        return IngestOutcome(upload.filename, "added",
                             f"Added: {len(document.pages)} page(s), {len(chunks)} passage(s) indexed.",
                             document.id, len(document.pages), len(chunks), sha256=document.sha256)


def uploads_from_folder(folder: Path, max_bytes: int) -> list[Upload]:
    """Every regular file in a folder (not recursive), in name order; hidden files are skipped.

    At most max_bytes + 1 bytes are read of each file: enough for the loader to
    refuse an oversized file without holding all of it in memory.
    """
    uploads = []
    for path in sorted(Path(folder).iterdir()):
        if path.is_file() and not path.name.startswith("."):
            with path.open("rb") as handle:
                uploads.append(Upload(path.name, handle.read(max_bytes + 1)))
    return uploads
