"""Loading uploaded files: every format, every refusal, and the bounds on parsing.

Fixtures are built at test time (fpdf2, python-docx, the e-mail package), so
no binary files live in the repository.
"""
from __future__ import annotations

import hashlib
import io
import json
import random
import struct
import subprocess
import sys
import time
import tracemalloc
import zipfile
import zlib
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path
from typing import Callable

import docx
import pypdf
import pytest
from fpdf import FPDF
from pypdf.generic import DecodedStreamObject, NameObject

from retrieval import errors
from retrieval.ingest.loaders import LoadedDocument, LoadLimits, load_bytes, load_file

PROJECT_ROOT = Path(__file__).resolve().parents[3]
PAGE_TEXTS = ("First page about the housing visit.", "Second page about rent arrears.", "Third page with next steps.")


# --- fixture builders --------------------------------------------------------------------------

def pdf_with_pages(texts=PAGE_TEXTS) -> bytes:
    pdf = FPDF()
    pdf.set_font("helvetica", size=12)
    for text in texts:
        pdf.add_page()
        pdf.multi_cell(0, 8, text)
    return bytes(pdf.output())


def encrypted_pdf(user_password: str, owner_password: str | None = None, algorithm: str = "RC4-128") -> bytes:
    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(io.BytesIO(pdf_with_pages())))
    writer.encrypt(user_password, owner_password, algorithm=algorithm)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def decompression_bomb_pdf(megabytes: int = 16) -> bytes:
    """One page whose content stream inflates from about 50 KB to ``megabytes`` MB."""
    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(io.BytesIO(pdf_with_pages(["Bomb page."]))))
    page = writer.pages[0]
    stream = DecodedStreamObject()
    stream.set_data(page.get_contents().get_data() + b" " * (megabytes * 1024 * 1024))
    page[NameObject("/Contents")] = writer._add_object(stream.flate_encode(level=9))
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def png(width: int = 16, height: int = 16) -> bytes:
    def chunk(tag: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + tag + body + struct.pack(">I", zlib.crc32(tag + body))
    rows = b"".join(b"\x00" + b"\x80\x40\x20" * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def image_only_pdf() -> bytes:
    pdf = FPDF()
    pdf.add_page()
    pdf.image(io.BytesIO(png()), x=10, y=10, w=80)
    return bytes(pdf.output())


def docx_with_table() -> bytes:
    document = docx.Document()
    document.core_properties.title = "Visit note"
    document.add_paragraph("Opening paragraph.")
    table = document.add_table(rows=2, cols=2)
    for (row, col), text in {(0, 0): "Name", (0, 1): "Role", (1, 0): "Ann Smith", (1, 1): "Tenant"}.items():
        table.cell(row, col).text = text
    document.add_paragraph("Closing paragraph.")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def email_message(body: str = "Visited on Monday.\nAll well.", subtype: str = "plain",
                  attachment: str | None = None) -> bytes:
    message = EmailMessage()
    message["From"] = "Alice Jones <alice@example.org>"
    message["To"] = "casework@example.org"
    message["Date"] = "Mon, 03 Nov 2025 10:00:00 +0000"
    message["Subject"] = "Housing visit"
    message.set_content(body, subtype=subtype)
    if attachment:
        message.add_attachment(b"%PDF-1.4 not really", maintype="application", subtype="pdf", filename=attachment)
    return message.as_bytes()


def docx_declaring(declaration: bytes, reference: bytes) -> bytes:
    """A Word file whose document.xml declares an entity and uses it in its second paragraph."""
    document = docx.Document()
    for text in ("Before the entity.", "PLACEHOLDER and the text after it.", "Closing paragraph."):
        document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    source, out = zipfile.ZipFile(io.BytesIO(buffer.getvalue())), io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for item in source.infolist():
            body = source.read(item.filename)
            if item.filename == "word/document.xml":
                body = body.replace(b"?>", b"?>" + declaration, 1).replace(b"PLACEHOLDER", reference)
            archive.writestr(item, body)
    return out.getvalue()


def zip_with(*names: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in names:
            archive.writestr(name, "<xml/>")
    return buffer.getvalue()


# --- files that load ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Loads:
    filename: str
    build: Callable[[], bytes]
    kind: str
    contains: tuple[str, ...]
    metadata: dict  # entries the metadata must include


RUSSIAN = "Визит к арендатору: задолженность по аренде 500 фунтов. Следующий визит в понедельник."
LOADS = {
    "utf8": Loads("note.txt", lambda: "Café visit\r\nrent £5\rend".encode(), "txt",
                  ("Café visit\nrent £5\nend",), {"encoding": "utf-8"}),
    "utf8-bom": Loads("note.txt", lambda: b"\xef\xbb\xbf" + "Café visit".encode(), "txt", ("Café visit",), {"encoding": "utf-8"}),
    "utf16-bom": Loads("note.txt", lambda: "Café visit £5".encode("utf-16"), "txt", ("Café visit £5",), {"encoding": "utf-16"}),
    "cp1252": Loads("note.txt", lambda: "Rent £5, café".encode("cp1252"), "txt", ("Rent £5, café",), {"encoding": "cp1252"}),
    "utf16le-no-bom": Loads("note.txt", lambda: "Café visit £5\r\nrent".encode("utf-16-le"), "txt",
                            ("Café visit £5\nrent",), {"encoding": "utf-16-le"}),
    "utf16be-no-bom": Loads("note.txt", lambda: "Café visit £5".encode("utf-16-be"), "txt", ("Café visit £5",),
                            {"encoding": "utf-16-be"}),
    "utf16-cyrillic-no-bom": Loads("note.txt", lambda: RUSSIAN.encode("utf-16-le"), "txt", (RUSSIAN,),
                                   {"encoding": "utf-16-le"}),
    "utf16-email-no-bom": Loads("visit.eml", lambda: email_message().decode().encode("utf-16-le"), "eml",
                                ("Subject: Housing visit", "Visited on Monday."), {"subject": "Housing visit"}),
    "control-characters": Loads("note.txt", lambda: (
        "Rent\x07 due on 02/02/2025.\u202e\U000e0049gnore the \x85rules.\fNext page\x1b[2J, then the end of the "
        "note about the tenancy and the rent account.").encode(), "txt",
        ("Rent due on 02/02/2025.gnore the rules.\nNext page[2J, then",), {}),
    "email-terminal-escapes": Loads("visit.eml", lambda: email_message(
        "Visited on Monday.\x1b]8;;http://example.com\x07link\x1b]8;;\x07 All well."), "eml",
        ("Visited on Monday.]8;;http://example.comlink]8;; All well.",), {}),
    "markdown": Loads("plan.md", lambda: b"# Plan\n\n- call *landlord*\n", "md", ("# Plan", "- call *landlord*"), {}),
    "email-plain": Loads("visit.eml", email_message, "eml",
                         ("From: Alice Jones <alice@example.org>\nTo: casework@example.org\n", "Subject: Housing visit",
                          "Visited on Monday.\nAll well."),
                         {"subject": "Housing visit", "from": "Alice Jones <alice@example.org>", "attachments": []}),
    "email-html-only": Loads("visit.eml", lambda: email_message(
        "<html><head><style>p {color: red}</style></head><body><p>Rent &amp; arrears</p>"
        "<script>track()</script><p>Next visit</p></body></html>", subtype="html"), "eml",
        ("Rent & arrears\n", "Next visit"), {"body": "html"}),
    "email-attachment": Loads("visit.eml", lambda: email_message(attachment="tenancy.pdf"), "eml",
                              ("Visited on Monday.", "Attachments (not read): tenancy.pdf"), {"attachments": ["tenancy.pdf"]}),
    "email-named-txt": Loads("visit.txt", email_message, "eml", ("Subject: Housing visit",), {}),
    "memo-is-not-email": Loads("memo.txt", lambda: b"From: Housing team\nTo: Social care\nSubject: Visit\n\nAll well.\n", "txt",
                               ("From: Housing team\nTo: Social care\nSubject: Visit\n\nAll well.\n",), {}),
    "docx-table": Loads("visit.docx", docx_with_table, "docx",
                        ("Opening paragraph.\nName | Role\nAnn Smith | Tenant\nClosing paragraph.",), {"title": "Visit note"}),
    "pdf-3-pages": Loads("visit.pdf", pdf_with_pages, "pdf", PAGE_TEXTS, {"page_count": 3, "unreadable_pages": []}),
    "pdf-named-txt": Loads("visit.txt", pdf_with_pages, "pdf", PAGE_TEXTS, {"page_count": 3}),
    "pdf-empty-user-password": Loads("visit.pdf", lambda: encrypted_pdf("", "owner"), "pdf", PAGE_TEXTS, {"encrypted": True}),
}


@pytest.mark.parametrize("case", LOADS.values(), ids=LOADS.keys())
def test_file_loads(case: Loads, tmp_path: Path):
    data = case.build()
    path = tmp_path / case.filename
    path.write_bytes(data)

    document = load_file(path)

    assert isinstance(document, LoadedDocument)
    assert (document.filename, document.kind, document.size) == (case.filename, case.kind, len(data))
    for expected in case.contains:
        assert expected in document.text
    assert "\r" not in document.text and not document.text.startswith("\ufeff")
    assert case.metadata.items() <= document.metadata.items()
    assert document.metadata["page_count"] == len(document.pages)
    json.dumps(document.metadata)  # must be storable as JSON
    assert document.sha256 == hashlib.sha256(data).hexdigest()


def test_pdf_pages_hold_their_own_text():
    document = load_bytes(pdf_with_pages(), "visit.pdf")

    assert [page.number for page in document.pages] == [1, 2, 3]
    for page, expected in zip(document.pages, PAGE_TEXTS):
        assert document.text[page.start:page.end] == expected
    assert document.text == "\n\n".join(document.text[page.start:page.end] for page in document.pages)


def test_text_is_one_page_spanning_everything():
    document = load_bytes(b"line one\nline two", "note.txt")

    assert document.pages == (type(document.pages[0])(number=1, start=0, end=len(document.text)),)


def test_same_bytes_give_same_hash_and_different_bytes_do_not():
    first, again = load_bytes(b"same text", "a.txt"), load_bytes(b"same text", "b.md")
    other = load_bytes(b"other text", "a.txt")

    assert first.sha256 == again.sha256 == hashlib.sha256(b"same text").hexdigest()
    assert other.sha256 != first.sha256


# --- files that are refused -------------------------------------------------------------------

@dataclass(frozen=True)
class Refused:
    filename: str
    build: Callable[[], bytes]
    error: type[errors.RetrievalError]
    message: str = ""  # a phrase the message must contain
    limits: LoadLimits = LoadLimits()
    password: str | None = None


REFUSED = {
    "undecodable-bytes": Refused("note.txt", lambda: b"Rent \x81\x8d\x90 due", errors.UnreadableEncoding),
    "empty": Refused("note.txt", lambda: b"", errors.EmptyDocument),
    "whitespace-only": Refused("note.txt", lambda: b" \r\n\t\n", errors.EmptyDocument),
    "png": Refused("scan.png", png, errors.NothingRecognised, "No text could be recognised"),  # one flat colour
    "png-named-pdf": Refused("scan.pdf", png, errors.NothingRecognised),
    "gif": Refused("scan.gif", lambda: b"GIF89a" + bytes(64), errors.UnsupportedType, "PNG, JPEG or TIFF"),
    "random-bytes": Refused("data.bin", lambda: random.Random(7).randbytes(4096), errors.UnsupportedType),
    "excel": Refused("sheet.xlsx", lambda: zip_with("xl/workbook.xml"), errors.UnsupportedType, "Excel"),
    "zip": Refused("bundle.zip", lambda: zip_with("a.txt"), errors.UnsupportedType, "ZIP archive"),
    "old-office": Refused("old.doc", lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512), errors.UnsupportedType, ".docx"),
    "broken-docx": Refused("visit.docx", lambda: zip_with("word/document.xml"), errors.MalformedFile),
    "truncated-docx": Refused("visit.docx", lambda: docx_with_table()[:2000], errors.MalformedFile),
    "docx-entity": Refused("visit.docx", lambda: docx_declaring(b'<!DOCTYPE w:document [<!ENTITY name "Jane">]>',
                                                                b"&name;"), errors.WordDeclaresEntities, "DOCTYPE"),
    "docx-external-entity": Refused("visit.docx", lambda: docx_declaring(
        b'<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>', b"&xxe;"), errors.WordDeclaresEntities),
    "image-only-pdf": Refused("scan.pdf", image_only_pdf, errors.NothingRecognised),  # its picture has no text
    "encrypted-no-password": Refused("locked.pdf", lambda: encrypted_pdf("secret"), errors.EncryptedPdf, "password"),
    "encrypted-wrong-password": Refused("locked.pdf", lambda: encrypted_pdf("secret"), errors.WrongPassword,
                                        password="guess"),
    "aes256-no-password": Refused("locked.pdf", lambda: encrypted_pdf("secret", algorithm="AES-256"),
                                  errors.EncryptedPdf, "password"),
    "too-large": Refused("note.txt", lambda: b"x" * (2 * 1024 * 1024), errors.TooLarge, "2.0 MB, larger than the 1 MB limit",
                         limits=LoadLimits(max_bytes=1024 * 1024)),
    "too-many-pages": Refused("visit.pdf", pdf_with_pages, errors.TooManyPages, "has 3 pages, more than the limit of 2",
                              limits=LoadLimits(max_pages=2)),
    "memory-cap": Refused("bomb.pdf", decompression_bomb_pdf, errors.ParseTooComplex, "more memory",
                          limits=LoadLimits(memory_mb=4)),
}


@pytest.mark.parametrize("case", REFUSED.values(), ids=REFUSED.keys())
def test_file_is_refused_with_a_clear_error(case: Refused):
    with pytest.raises(errors.RetrievalError) as raised:
        load_bytes(case.build(), case.filename, case.limits, case.password)

    assert raised.type is case.error
    assert case.message in str(raised.value)


@pytest.mark.parametrize("algorithm", ["RC4-128", "AES-256"])
def test_encrypted_pdf_opens_with_the_right_password(algorithm):
    document = load_bytes(encrypted_pdf("secret", algorithm=algorithm), "locked.pdf", password="secret")

    assert [document.text[page.start:page.end] for page in document.pages] == list(PAGE_TEXTS)
    assert document.metadata["encrypted"] is True


def test_too_large_file_is_refused_with_its_real_size_having_read_no_more_than_the_limit(tmp_path: Path):
    path = tmp_path / "big.pdf"
    with path.open("wb") as handle:  # 4 GB, a hole on disk: reading it whole would not fit in memory
        handle.truncate(4 * 1024 ** 3)
    tracemalloc.start()
    try:
        with pytest.raises(errors.TooLarge, match=r"This file is 4096\.0 MB, larger than the 1 MB limit"):
            load_file(path, LoadLimits(max_bytes=1024 * 1024))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 3 * 1024 * 1024


def test_a_file_name_loses_control_characters_and_direction_overrides():
    document = load_bytes(b"A note about rent.", "rent\x00 note\t\u202egpj.exe\x1b.txt")

    assert document.filename == "rent notegpj.exe.txt"
    assert load_bytes(b"A note.", "\x00\x07").filename == "unnamed file"


def test_word_declaring_an_entity_would_have_lost_text_silently():
    """Why such a file is refused: python-docx does not expand the entity, and the paragraph's text after it is
    gone without a sign (an external entity is not fetched either)."""
    parsed = docx.Document(io.BytesIO(docx_declaring(b'<!DOCTYPE w:document [<!ENTITY n "Jane">]>', b"&n;")))

    assert [p.text for p in parsed.paragraphs] == ["Before the entity.", "", "Closing paragraph."]


def test_missing_file_is_a_retrieval_error(tmp_path: Path):
    with pytest.raises(errors.CannotOpenFile):
        load_file(tmp_path / "gone.pdf")


# --- damaged PDFs: always a RetrievalError, never anything else ---------------------------------

def damaged(data: bytes, position: float) -> bytes:
    """Overwrite 64 bytes at a relative position with junk that looks like PDF syntax."""
    at = int(len(data) * position)
    return data[:at] + b"<< /Kids [9 0 R] /Count -1 >> obj endobj 99 0 R [[[[ /Length 999999 " + data[at + 64:]


CORRUPTIONS = {
    "truncated-half": lambda data: data[: len(data) // 2],
    "truncated-tail": lambda data: data[:-40],
    **{f"junk-at-{int(p * 100)}%": (lambda data, p=p: damaged(data, p)) for p in (0.1, 0.3, 0.5, 0.7, 0.9)},
}


@pytest.mark.parametrize("corrupt", CORRUPTIONS.values(), ids=CORRUPTIONS.keys())
def test_damaged_pdf_ends_in_text_or_a_retrieval_error(corrupt):
    data = corrupt(pdf_with_pages())
    assert data != pdf_with_pages()
    try:
        document = load_bytes(data, "visit.pdf")
    except errors.RetrievalError as error:
        assert str(error)
    else:
        assert document.kind == "pdf" and document.text.strip()


# --- bounds on parsing ------------------------------------------------------------------------

def test_slow_parse_is_stopped_at_the_timeout():
    data = decompression_bomb_pdf(48)  # takes seconds to read in full
    started = time.monotonic()

    with pytest.raises(errors.ParseTimeout) as raised:
        load_bytes(data, "bomb.pdf", LoadLimits(timeout_s=0.3))

    assert time.monotonic() - started < 2  # the child was killed, not waited for
    assert "0.3 seconds" in str(raised.value)
    assert load_bytes(b"still working", "a.txt").text == "still working"


def test_starting_a_parse_is_cheap():
    load_bytes(b"warm up", "a.txt")
    timings = []
    for _ in range(10):
        started = time.perf_counter()
        load_bytes(b"small note", "a.txt")
        timings.append(time.perf_counter() - started)

    assert sorted(timings)[len(timings) // 2] < 0.25  # generous: about 5-10 ms on a laptop


def test_script_without_main_guard_can_load(tmp_path: Path):
    """The child must not re-run the caller's main script (multiprocessing's default)."""
    script = tmp_path / "unguarded.py"
    script.write_text(
        f"import sys\nsys.path.insert(0, {str(PROJECT_ROOT)!r})\n"
        "from retrieval.ingest.loaders import load_bytes\n"
        "print(load_bytes(b'hello from a script', 'a.txt').text)\n")

    finished = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=60)

    assert finished.returncode == 0, finished.stderr
    assert finished.stdout.strip() == "hello from a script"


def test_bomb_loads_when_the_memory_cap_allows_it():
    """The memory-cap refusal above is the cap at work, not a broken fixture."""
    document = load_bytes(decompression_bomb_pdf(), "bomb.pdf", LoadLimits(memory_mb=512))

    assert document.text == "Bomb page."


def test_a_parser_that_crashes_is_a_clear_error_and_the_next_file_still_loads():
    import os

    from retrieval.ingest import sandbox
    with pytest.raises(errors.ParseTooComplex) as raised:
        sandbox.run_bounded(os.abort, (), timeout_s=30, memory_mb=64)  # the worker dies as a segfault would

    assert "more memory" in str(raised.value)
    assert load_bytes(b"still working", "a.txt").text == "still working"


def test_what_a_parser_prints_never_garbles_its_answer():
    from retrieval.ingest import sandbox

    assert sandbox.run_bounded(print, ("noise on stdout",), timeout_s=30, memory_mb=64) is None
    assert load_bytes(b"clean answer", "a.txt").text == "clean answer"


def test_files_load_side_by_side_from_several_threads():
    from concurrent.futures import ThreadPoolExecutor

    texts = [f"note number {n}" for n in range(12)]
    with ThreadPoolExecutor(4) as pool:
        loaded = list(pool.map(lambda text: load_bytes(text.encode(), "a.txt").text, texts))

    assert loaded == texts
