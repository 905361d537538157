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


def test_a_hard_wrapped_letter_is_cut_between_sentences_not_at_its_line_breaks():
    """Letters and PDFs break lines mid-sentence; a passage that began at such a break made a fragment of a fact."""
    sentences = [f"Mr Okafor phoned on {day} March about the repairs to his flat, which are still not done after "
                 f"{day + 2} weeks." for day in range(1, 25)]
    words, lines, line = " ".join(sentences).split(), [], ""
    for word in words:  # wrapped at 70 characters, as a PDF's text layer is
        if len(line) + len(word) + 1 > 70:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    text = "\n".join(lines + [line])
    document = Document(1, 1, "e" * 64, "letter.pdf", "pdf", 10, text, (Page(1, 0, len(text)),), {}, "x",
                        datetime.now())
    chunks = chunk_document(document, chunk_chars=400, overlap=60)
    assert len(chunks) > 4
    for chunk in chunks:
        flat = " ".join(chunk.text.split())
        assert flat.startswith("Mr Okafor phoned") and flat.endswith("weeks."), chunk.text
