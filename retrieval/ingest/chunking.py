"""Cut a document into passages that remember their page and character offsets.

Splitting page by page keeps every passage inside one page, so a citation can
always name the page it came from. Ingest cuts each document once and stores
the spans (CaseRecords.add_document); everything after that reads the stored
passages (CaseRecords.passages), so nothing depends on the chunk settings of
the day.
"""
from __future__ import annotations

from typing import Iterable

from langchain_text_splitters import RecursiveCharacterTextSplitter

from retrieval.ingest.loaders import Page
from retrieval.records.passages import Chunk, Span

__all__ = ["Chunk", "Span", "chunk_document", "passage_spans"]

# Where a passage may end, best first: a paragraph, a sentence, a line, a word. Sentences come before lines
# because letters and PDFs are hard-wrapped: cut at a line, a passage began mid-sentence ("eaten for two days."),
# and a fact read from it was a fragment. (Passages stored before this keep their spans.)
PASSAGE_BREAKS = ["\n\n", r"(?<=[.!?])\s+", "\n", " ", ""]


def passage_spans(sha256: str, text: str, pages: Iterable[Page], chunk_chars: int = 900,
                  overlap: int = 120, case_id: int | None = None) -> list[Span]:
    """Where the passages of a text lie; the ids are stable, so re-indexing replaces rather than duplicates.

    An id names one passage in the whole service: the same file may be held by
    several cases (each its own document, issue 14), so ingest passes the case,
    and the ids carry it. Without a case the ids are those of documents stored
    before that (one copy of a file in the whole service), which drafts made
    then still cite.
    """
    prefix = sha256[:24] if case_id is None else f"{sha256[:24]}-c{case_id}"
    splitter = RecursiveCharacterTextSplitter(chunk_size=chunk_chars, chunk_overlap=overlap, add_start_index=True,
                                              separators=PASSAGE_BREAKS, is_separator_regex=True)
    spans = []
    for page in pages:
        for piece in splitter.create_documents([text[page.start:page.end]]):
            start = page.start + piece.metadata["start_index"]
            spans.append(Span(f"{prefix}-p{page.number}-{start}", page.number, start,
                              start + len(piece.page_content)))
    return spans


def chunk_document(document, chunk_chars: int = 900, overlap: int = 120) -> list[Chunk]:
    """Passages of a document cut afresh, for documents that are not stored (benchmarks, evals).

    A stored document's passages come from CaseRecords.passages: cutting again
    with other settings would give other ids than the ones drafts cite. The ids
    are cut without the case, as documents stored before issue 14 were.
    """
    return [Chunk(s.id, document.id, s.page, s.start, s.end, document.text[s.start:s.end])
            for s in passage_spans(document.sha256, document.text, document.pages, chunk_chars, overlap)]
