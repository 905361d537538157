"""Split a document into passages that remember their page and character offsets.

Splitting page by page keeps every passage inside one page, so a citation can
always name the page it came from.
"""
from __future__ import annotations

from dataclasses import dataclass

from langchain_text_splitters import RecursiveCharacterTextSplitter

from retrieval.records import Document


@dataclass(frozen=True)
class Chunk:
    id: str
    document_id: int
    page: int
    start: int  # offset into the document's full text
    end: int
    text: str


def chunk_document(document: Document, chunk_chars: int = 900, overlap: int = 120) -> list[Chunk]:
    """Passages of one document; the ids are stable, so re-indexing replaces rather than duplicates."""
    splitter = RecursiveCharacterTextSplitter(chunk_size=chunk_chars, chunk_overlap=overlap,
                                              add_start_index=True)
    chunks = []
    for page in document.pages:
        page_text = document.text[page.start:page.end]
        for piece in splitter.create_documents([page_text]):
            start = page.start + piece.metadata["start_index"]
            chunks.append(Chunk(id=f"{document.sha256[:24]}-p{page.number}-{start}",
                                document_id=document.id, page=page.number, start=start,
                                end=start + len(piece.page_content), text=piece.page_content))
    return chunks
