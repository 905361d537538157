"""Adding files to a case: load, cut into passages, store once, index, and report one outcome per file.

A bad file never stops the batch: it gets its own plain-English outcome and
the next file is read. A document is cut into passages here, once; the spans
are stored with it and exactly those are indexed, so the index, the drafts and
the records always agree on what a passage id means.
"""
from __future__ import annotations

import hashlib
import logging
import time
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import Callable, Literal

from retrieval.ingest.chunking import passage_spans
from retrieval.errors import RetrievalError
from retrieval.search.index import PassageIndex
from retrieval.ingest.cleaning import escaped
from retrieval.ingest.loaders import LoadLimits, check_size, load_bytes, read_at_most
from retrieval.records.passages import Chunk
from retrieval.records.store import Case, CaseRecords, Document

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


@dataclass(frozen=True)
class _Stored:
    """A file stored in the records and waiting to be indexed (with others of the batch, when it is new)."""
    name: str  # as given, made visible
    given: str  # the name as the sender gave it
    document: Document
    created: bool
    chunks: list[Chunk]


class Ingestor:
    """Turns uploads into stored, indexed documents of one case.

    New files' passages are indexed together, `index_batch` passages or more at a time, rather than file by
    file: MiniLM embeds a few dozen passages in one call about twice as fast as a few at a time, and a file
    is a few passages (bench/ingest.py). Each file's outcome (and its progress report, in order) comes once
    its passages are indexed, so "added" still means stored and searchable. A batch is also indexed once its
    first file has waited `flush_s`, so an upload of slow files (scans read by OCR) shows its progress.
    """

    def __init__(self, records: CaseRecords, index: PassageIndex, limits: LoadLimits,
                 chunk_chars: int = 900, chunk_overlap: int = 120, index_batch: int = 64, flush_s: float = 5.0):
        self.records, self.index, self.limits = records, index, limits
        self.chunk_chars, self.chunk_overlap = chunk_chars, chunk_overlap
        self.index_batch, self.flush_s = index_batch, flush_s

    def ingest(self, case: Case, uploads: list[Upload], added_by: str,
               progress: Callable[[int, int, IngestOutcome], None] | None = None) -> list[IngestOutcome]:
        outcomes: list[IngestOutcome] = []
        waiting: list[IngestOutcome | _Stored] = []  # in upload order, from the first file not yet indexed
        since = 0.0  # when the first of them was stored

        def finish() -> None:
            indexed = iter(self._index(case, [w for w in waiting if isinstance(w, _Stored)]))
            for item in waiting:
                outcomes.append(next(indexed) if isinstance(item, _Stored) else item)
                if progress:
                    progress(len(outcomes), len(uploads), outcomes[-1])
            waiting.clear()

        for upload in uploads:
            since = since if waiting else time.monotonic()
            waiting.append(self._store(case, upload, added_by))
            new_passages = sum(len(w.chunks) for w in waiting if isinstance(w, _Stored) and w.created)
            if new_passages >= self.index_batch or len(waiting) >= self.index_batch \
                    or time.monotonic() - since >= self.flush_s:  # few files held, none for long
                finish()
        finish()
        return outcomes

    def ingest_one(self, case: Case, upload: Upload, added_by: str) -> IngestOutcome:
        """One file: size first, then the SHA-256 (a file this case holds is answered before it is read or
        embedded), then read, store and index."""
        stored = self._store(case, upload, added_by)
        return self._index(case, [stored])[0] if isinstance(stored, _Stored) else stored

    def _store(self, case: Case, upload: Upload, added_by: str) -> IngestOutcome | _Stored:
        """The file stored (or found already held) with its passages, or the outcome refusing it. Only this
        case's documents are looked at: another case holding the same file is neither named nor reused
        (reusing its text would hand over what its password protected)."""
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
        return _Stored(name, upload.filename, document, created, chunks)

    def _index(self, case: Case, stored: list[_Stored]) -> list[IngestOutcome]:
        """Index these stored files and give each its outcome: the new ones in one upsert, then for each file
        already held only what the index lacks (a crash between storing and indexing heals; the same file twice
        in one batch is indexed once)."""
        outcomes: dict[int, IngestOutcome] = {}
        new = [s for s in stored if s.created]
        if new:
            outcomes |= _indexed(new, lambda: self.index.add_many(case, [(s.document, s.chunks) for s in new]))
        for held in (s for s in stored if not s.created):
            outcomes |= _indexed([held], lambda: self.index.add_missing(case, held.document, held.chunks))
        return [outcomes[id(s)] for s in stored]


def _indexed(stored: list[_Stored], index: Callable[[], object]) -> dict[int, IngestOutcome]:
    """Run one indexing step for these files; each one's outcome, by id(), refused if the step failed."""
    try:
        index()
    except RetrievalError as error:
        return {id(s): IngestOutcome(s.name, "refused", str(error), s.document.id, error=type(error).__name__,
                                     sha256=s.document.sha256) for s in stored}
    except Exception as error:  # the index failing must not lose the stored record
        log.exception("indexing %s failed", ", ".join(s.name for s in stored))
        return {id(s): IngestOutcome(s.name, "refused",
                                     f"The file was stored but could not be indexed ({error}). Add it again to retry.",
                                     s.document.id, error="IndexUnavailable", sha256=s.document.sha256)
                for s in stored}
    return {id(s): _outcome(s) for s in stored}


def _outcome(stored: _Stored) -> IngestOutcome:
    document, chunks = stored.document, stored.chunks
    if not stored.created:
        return IngestOutcome(stored.name, "already held",
                             f"This file is already held in this case (as {document.filename}); it was not "
                             "added twice.", document.id, len(document.pages), len(chunks), sha256=document.sha256)
    renamed = "" if document.filename == PurePath(stored.given).name else \
        f" Its name held control characters, which were removed: it is stored as {document.filename}."
    return IngestOutcome(stored.name, "added", f"Added: {len(document.pages)} page{'s' * (len(document.pages) != 1)}, "
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
