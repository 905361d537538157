"""Passages keep their page and exact offsets, and their ids are stable."""
from __future__ import annotations

from datetime import datetime

from retrieval.ingest.chunking import chunk_document
from retrieval.ingest.loaders import Page
from retrieval.records.store import Document


def _document():
    page1 = " ".join(f"First page sentence {i} about rent arrears." for i in range(60))
    page2 = " ".join(f"Second page sentence {i} about a hearing." for i in range(40))
    text = page1 + "\n\n" + page2
    return Document(1, 1, "f" * 64, "a.pdf", "pdf", 10, text,
                    (Page(1, 0, len(page1)), Page(2, len(page1) + 2, len(text))), {}, "x", datetime.now())


def test_chunks_stay_inside_their_page_with_exact_offsets():
    document = _document()
    chunks = chunk_document(document, chunk_chars=300, overlap=50)
    assert len(chunks) > 4 and {c.page for c in chunks} == {1, 2}
    for chunk in chunks:
        assert document.text[chunk.start:chunk.end] == chunk.text
        page = document.pages[chunk.page - 1]
        assert page.start <= chunk.start and chunk.end <= page.end
        assert len(chunk.text) <= 300
    assert [c.id for c in chunk_document(document, 300, 50)] == [c.id for c in chunks]
    assert len({c.id for c in chunks}) == len(chunks)
