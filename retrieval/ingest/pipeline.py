"""Adding files to a case: load, cut into passages, store once, index, and report one outcome per file.

A bad file never stops the batch: it gets its own plain-English outcome and
the next file is read. A document is cut into passages here, once; the spans
are stored with it and exactly those are indexed, so the index, the drafts and
the records always agree on what a passage id means.
"""
from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import Callable, Literal

from retrieval.ingest.chunking import passage_spans
from retrieval.errors import RetrievalError
from retrieval.search.index import PassageIndex
from retrieval.ingest.cleaning import escaped
from retrieval.ingest.loaders import LoadLimits, check_size, load_bytes, read_at_most
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
    filename: str  # as the sender gave it; cleaned before it is stored
    data: bytes  # the file, or (when reading stopped at the limit) its first max_bytes + 1 bytes
    password: str | None = None
    size: int | None = None  # the file's real size, when data holds only its first part


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
        """Size first, then the SHA-256 (a file this case holds is answered before it is read or embedded), then
        read, store and index. Only this case's documents are looked at: another case holding the same file
        is neither named nor reused (reusing its text would hand over what its password protected)."""
        name = escaped(upload.filename)  # as given, made visible: what the outcome, and so the audit log, records
        try:
            check_size(len(upload.data) if upload.size is None else upload.size, self.limits)
        except RetrievalError as error:
            return IngestOutcome(name, "refused", str(error), error=type(error).__name__)
        sha256 = hashlib.sha256(upload.data).hexdigest()
        document, created = self.records.document_by_sha256(case, sha256), False
        if document is None:
            try:
                loaded = load_bytes(upload.data, upload.filename, self.limits, upload.password)
            except RetrievalError as error:
                return IngestOutcome(name, "refused", str(error), error=type(error).__name__, sha256=sha256)
            spans = passage_spans(loaded.sha256, loaded.text, loaded.pages, self.chunk_chars, self.chunk_overlap,
                                  case_id=case.id)
            document, created = self.records.add_document(case, loaded, added_by, spans)
        chunks = self.records.passages([document])[document.id]  # a file already held keeps its own passages
        try:  # a file already held gets only what the index lacks: a crash between storing and indexing heals
            (self.index.add if created else self.index.add_missing)(case, document, chunks)
        except RetrievalError as error:
            return IngestOutcome(name, "refused", str(error), document.id, error=type(error).__name__,
                                 sha256=document.sha256)
        except Exception as error:  # the index failing must not lose the stored record
            log.exception("indexing %s failed", name)
            return IngestOutcome(name, "refused",
                                 f"The file was stored but could not be indexed ({error}). Add it again to retry.",
                                 document.id, error="IndexUnavailable", sha256=document.sha256)
        if not created:
            return IngestOutcome(name, "already held",
                                 f"This file is already held in this case (as {document.filename}); it was not "
                                 "added twice.", document.id, len(document.pages), len(chunks), sha256=document.sha256)
        renamed = "" if document.filename == PurePath(upload.filename).name else \
            f" Its name held control characters, which were removed: it is stored as {document.filename}."
        return IngestOutcome(name, "added", f"Added: {len(document.pages)} page{'s' * (len(document.pages) != 1)}, "
                                               f"{len(chunks)} passage{'s' * (len(chunks) != 1)} "
                             f"indexed.{renamed}", document.id, len(document.pages), len(chunks),
                             sha256=document.sha256)


def uploads_from_folder(folder: Path, max_bytes: int) -> list[Upload]:
    """Every regular file in a folder (not recursive), in name order; hidden files are skipped.

    At most max_bytes + 1 bytes are read of each file: enough for the ingestor
    to refuse an oversized file, with its real size, without holding all of it
    in memory.
    """
    uploads = []
    for path in sorted(Path(folder).iterdir()):
        if path.is_file() and not path.name.startswith("."):
            with path.open("rb") as handle:
                data, size = read_at_most(handle, max_bytes)
            uploads.append(Upload(path.name, data, size=size if size != len(data) else None))
    return uploads
