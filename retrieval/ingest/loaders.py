"""Turn one uploaded file into plain text with page offsets.

Why: caseworkers add whatever they were sent - PDFs from any producer, Word
files, e-mails, text in old encodings. The rest of the tool needs one shape
(text plus page spans, so passages can cite a page) and one kind of failure (a
RetrievalError whose message tells the user what to do). The format is chosen
from the content, not the name, because names lie. Parsers meeting broken
files can hang, eat memory or raise anything, so every parse runs in a bounded
child process (see sandbox.py). No more of a file than the size limit is ever
read, and names and texts lose their control characters (cleaning.py) before
anything stores or shows them. Scans (PDF pages with no text, PNG, JPEG and
TIFF files) are read by OCR (ocr.py) in a second bounded job whose time limit
grows with the number of pages to recognise; each such page records that it was
read by OCR, how sure Tesseract was, and whether that is below the threshold at
which an officer must check it.
"""
from __future__ import annotations

import email
import email.policy
import hashlib
import io
import logging
import os
import re
import time
import warnings
import zipfile
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path, PurePath

import docx
import filetype
import pypdf
from docx.table import Table
from pypdf import PasswordType
from pypdf.errors import DependencyError, PdfReadWarning

from retrieval import errors
from retrieval.ingest import ocr, sandbox
from retrieval.ingest.cleaning import clean_name, clean_text
from retrieval.ingest.decoding import SAVE_AS, decode_text, looks_binary

_MB = 1024 * 1024


@dataclass(frozen=True)
class LoadLimits:
    max_bytes: int = 25 * _MB
    max_pages: int = 600
    timeout_s: float = 60.0
    memory_mb: int = 1536
    ocr_page_timeout_s: float = 30.0  # added to timeout_s for each page read by OCR
    ocr_min_confidence: float = 80.0  # OCR'd pages below this (Tesseract's 0-100) are marked for the officer


@dataclass(frozen=True)
class Page:
    number: int  # 1-based page number (non-PDF formats: a single page 1; a TIFF: one per frame)
    start: int  # char offset into LoadedDocument.text (inclusive)
    end: int  # char offset (exclusive); text[start:end] is that page's text
    ocr: bool = False  # its text was read from a picture of it by OCR
    confidence: float | None = None  # OCR only: Tesseract's mean word confidence, 0-100
    low_confidence: bool = False  # OCR only: below the threshold, so its facts wait for an officer's check

    def to_row(self) -> list:
        """The stored form: [number, start, end], then the OCR fields only for a page read by OCR."""
        row: list = [self.number, self.start, self.end]
        if self.ocr:
            row.append({"ocr": True, "confidence": self.confidence, "low_confidence": self.low_confidence})
        return row

    @classmethod
    def from_row(cls, row: list) -> "Page":
        """Read the stored form, including rows stored before OCR (three numbers)."""
        extra = row[3] if len(row) > 3 and isinstance(row[3], dict) else {}
        return cls(int(row[0]), int(row[1]), int(row[2]), bool(extra.get("ocr", False)), extra.get("confidence"),
                   bool(extra.get("low_confidence", False)))


@dataclass(frozen=True)
class LoadedDocument:
    filename: str  # base name as given
    kind: str  # "pdf" | "docx" | "eml" | "txt" | "md" | "png" | "jpeg" | "tiff"
    text: str  # full text; pages joined with "\n\n"
    pages: tuple[Page, ...]
    sha256: str  # hex SHA-256 of the raw file bytes
    size: int  # bytes
    metadata: dict  # JSON-serialisable: title/author, from/to/subject, encoding, page_count, ocr_pages...

    @property
    def ocr_pages(self) -> tuple[Page, ...]:
        return tuple(page for page in self.pages if page.ocr)


@dataclass(frozen=True)
class _Scan:
    """What the first pass read, and which pages are pictures that OCR must read (a second, longer job)."""
    kind: str
    filename: str
    page_texts: tuple[str, ...]  # cleaned; "" for the pages to recognise
    to_recognise: tuple[int, ...]  # 1-based page numbers
    metadata: dict


def load_file(path: Path | str, limits: LoadLimits = LoadLimits(), password: str | None = None) -> LoadedDocument:
    """Read a file from disk and load it; no more than the limit (and one byte) is ever read."""
    path = Path(path)
    try:
        with path.open("rb") as handle:
            data, size = read_at_most(handle, limits.max_bytes)
    except OSError:
        raise errors.CannotOpenFile() from None
    check_size(size, limits)
    return load_bytes(data, path.name, limits, password)


def read_at_most(handle, max_bytes: int) -> tuple[bytes, int]:
    """The first max_bytes + 1 bytes of an open file (enough to know it is too large) and its real size."""
    data = handle.read(max_bytes + 1)
    return data, len(data) if len(data) <= max_bytes else os.fstat(handle.fileno()).st_size


def load_bytes(data: bytes, filename: str, limits: LoadLimits = LoadLimits(), password: str | None = None) -> LoadedDocument:
    """Load a file's bytes in a bounded child process; raise a RetrievalError for anything unreadable.

    Pages that are pictures are then read by OCR in a second bounded job, allowed ``ocr_page_timeout_s``
    more for each of them: the first job counts them, so a scan gets the time its length needs and
    nothing else gets more than ``timeout_s``.
    """
    check_size(len(data), limits)
    loaded = sandbox.run_bounded(_parse, (bytes(data), filename, password, limits.max_pages),
                                 timeout_s=limits.timeout_s, memory_mb=limits.memory_mb)
    if isinstance(loaded, LoadedDocument):
        return loaded
    timeout_s = limits.timeout_s + limits.ocr_page_timeout_s * len(loaded.to_recognise)
    return sandbox.run_bounded(_recognise, (bytes(data), loaded, password, limits.ocr_min_confidence, timeout_s),
                               timeout_s=timeout_s, memory_mb=limits.memory_mb)


def check_size(size: int, limits: LoadLimits) -> None:
    """Refuse a file over the limit, giving its real size (shown in bytes where MB would round to the limit)."""
    if size > limits.max_bytes:
        shown = f"{size / _MB:.1f} MB"
        if round(size / _MB, 1) <= limits.max_bytes / _MB:
            shown = f"{size:,} bytes"
        raise errors.TooLarge(
            f"This file is {shown}, larger than the {limits.max_bytes / _MB:g} MB limit. "
            "Split it into smaller files and add them separately.")


def _parse(data: bytes, filename: str, password: str | None, max_pages: int) -> LoadedDocument | _Scan:
    """Load without bounds (runs in the child). Any parser failure becomes a RetrievalError.

    A file with pages to read by OCR comes back as a _Scan, for _recognise to finish.
    """
    logging.getLogger("pypdf").setLevel(logging.CRITICAL)  # it narrates every repair of a broken file
    warnings.simplefilter("ignore", PdfReadWarning)
    to_recognise: list[int] = []
    try:
        kind = _detect_kind(data, filename)
        if kind == "pdf":
            page_texts, metadata = _read_pdf(data, password, max_pages)
            to_recognise = [n for n, text in enumerate(page_texts, start=1)
                            if not text and n not in metadata["unreadable_pages"]]
        elif kind in _IMAGE_KINDS.values():
            pages = ocr.frame_count(data)
            if pages > max_pages:
                raise errors.TooManyPages(f"This image has {pages} pages, more than the limit of {max_pages}. "
                                          "Split it into smaller files and add them separately.")
            page_texts, metadata, to_recognise = [""] * pages, {}, list(range(1, pages + 1))
        elif kind == "docx":
            page_texts, metadata = _read_docx(data)
        else:
            text, encoding = decode_text(data)
            if kind != "eml" and _looks_like_email(text):
                kind = "eml"
            if kind == "eml":  # the e-mail parser reads bytes: UTF-16 ones as the text they decoded to
                page_texts, metadata = _read_email(text.encode() if encoding.startswith("utf-16") else data)
            else:
                page_texts, metadata = [text], {"encoding": encoding}
    except errors.RetrievalError:
        raise
    except MemoryError:
        raise errors.ParseTooComplex() from None
    except Exception:  # noqa: BLE001 - parsers raise anything on broken input (KeyError, zlib.error, ...)
        raise errors.MalformedFile() from None
    page_texts = [clean_text(page) for page in page_texts]  # cleaned first: offsets are final
    metadata = {name: _clean_value(value) for name, value in metadata.items()}
    if to_recognise:
        return _Scan(kind, filename, tuple(page_texts), tuple(to_recognise), metadata)
    return _document(data, kind, filename, page_texts, metadata)


def _document(data: bytes, kind: str, filename: str, page_texts: list[str], metadata: dict,
              read: dict[int, ocr.OcrPage] | None = None, min_confidence: float = 0.0) -> LoadedDocument:
    """The loaded document: pages joined, with what OCR said about the pages it read."""
    text, pages = _join_pages(page_texts)
    if read:
        pages = tuple(Page(p.number, p.start, p.end, True, read[p.number].confidence,
                           read[p.number].confidence < min_confidence) if p.number in read else p for p in pages)
    if not text.strip():
        raise errors.NothingRecognised() if read is not None else errors.EmptyDocument()
    metadata["page_count"] = len(pages)
    return LoadedDocument(filename=clean_name(PurePath(filename).name), kind=kind, text=text, pages=pages,
                          sha256=hashlib.sha256(data).hexdigest(), size=len(data), metadata=metadata)


def _recognise(data: bytes, scan: _Scan, password: str | None, min_confidence: float,
               timeout_s: float) -> LoadedDocument:
    """Read a scan's picture pages by OCR (runs in the child) and finish the document.

    Without OCR installed, a PDF that has other text still loads (its picture pages empty, listed in
    "pages_not_read"); a file that is only pictures is refused, saying what to install.
    """
    deadline = time.monotonic() + timeout_s - 1.0  # our own plain message comes before the worker is killed
    page_texts, metadata = list(scan.page_texts), dict(scan.metadata)
    try:
        engine = ocr.check_available()
    except errors.OcrUnavailable:
        if not any(page_texts):
            raise
        metadata["pages_not_read"] = list(scan.to_recognise)
        return _document(data, scan.kind, scan.filename, page_texts, metadata)
    try:
        images = ocr.pdf_page_images(_unlocked(data, password), scan.to_recognise, deadline) \
            if scan.kind == "pdf" else ocr.image_frames(data)
        read = {}
        for number, image in zip(scan.to_recognise, images):
            page = ocr.recognise(image, deadline)
            if page is not None:  # a blank page: nothing to read, and not counted as read by OCR
                read[number] = ocr.OcrPage(clean_text(page.text), page.confidence)
                page_texts[number - 1] = read[number].text
    except errors.RetrievalError:
        raise
    except MemoryError:
        raise errors.ParseTooComplex() from None
    except Exception:  # noqa: BLE001 - Pillow and pypdf raise anything on broken input
        raise errors.MalformedFile() from None
    metadata.update(ocr_pages=sorted(read), ocr_engine=engine)
    return _document(data, scan.kind, scan.filename, page_texts, metadata, read, min_confidence)


def _clean_value(value):
    """Metadata (titles, authors, e-mail headers, attachment names) cleaned as text is."""
    if isinstance(value, str):
        return clean_text(value)
    return [_clean_value(item) for item in value] if isinstance(value, list) else value


def _join_pages(page_texts: list[str]) -> tuple[str, tuple[Page, ...]]:
    """Join page texts with a blank line and record where each page sits in the result."""
    pages, position = [], 0
    for number, page_text in enumerate(page_texts, start=1):
        pages.append(Page(number=number, start=position, end=position + len(page_text)))
        position += len(page_text) + 2
    return "\n\n".join(page_texts), tuple(pages)


# --- choosing the format ---------------------------------------------------------------------

_OLE2_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_OFFICE_PARTS = {"xl/workbook.xml": "an Excel workbook", "ppt/presentation.xml": "a PowerPoint presentation"}


def _detect_kind(data: bytes, filename: str) -> str:
    """Name the parser for these bytes: "pdf", "docx", "eml", "md" or "txt" (text is confirmed later)."""
    suffix = PurePath(filename).suffix.lower()
    if b"%PDF-" in data[:1024]:
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        return _zip_kind(data)
    if data.startswith(_OLE2_SIGNATURE):
        raise errors.UnsupportedType(
            "This is an older Microsoft Office file (.doc, .xls, .ppt or Outlook .msg), which is not "
            "supported. Open it and save it as Word (.docx) or PDF, then add it again.")
    if looks_binary(data):
        image = _image_kind(data)
        if image:
            return image
    if suffix == ".pdf":
        return "pdf"  # a PDF that lost its header: the PDF parser may still recover it
    if suffix == ".eml":
        return "eml"
    return "md" if suffix in (".md", ".markdown") else "txt"


def _zip_kind(data: bytes) -> str:
    """A ZIP is only welcome as a Word document."""
    try:
        names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
    except (zipfile.BadZipFile, ValueError, EOFError):
        raise errors.MalformedFile() from None
    if "word/document.xml" in names:
        return "docx"
    for part, description in _OFFICE_PARTS.items():
        if part in names:
            raise errors.UnsupportedType(f"This is {description}, which is not supported. {SAVE_AS}")
    raise errors.UnsupportedType(
        "This is a ZIP archive. Unzip it and add the files inside one at a time "
        "(PDF, Word .docx, plain text, Markdown or e-mail .eml).")


_IMAGE_KINDS = {"image/png": "png", "image/jpeg": "jpeg", "image/tiff": "tiff"}


def _image_kind(data: bytes) -> str | None:
    """A scan's kind ("png", "jpeg", "tiff"), read by OCR; other images, executables, archives and media are
    named so the user knows what they picked; None for bytes of no known type."""
    guess = filetype.guess(data[:8192])
    if guess is None:
        return None
    if guess.mime in _IMAGE_KINDS:
        return _IMAGE_KINDS[guess.mime]
    if guess.mime.startswith("image/"):
        raise errors.UnsupportedType(
            f"This is a {guess.extension.upper()} image, which cannot be read. Save it as PNG, JPEG or TIFF "
            "(or scan the paper to PDF) and add it again.")
    raise errors.UnsupportedType(f"This is a file of type {guess.mime} (.{guess.extension}), which is not supported. {SAVE_AS}")


# --- plain text (decoding.py decodes it) ---------------------------------------------------

_HEADER_LINE = re.compile(r"^([A-Za-z][A-Za-z0-9-]*):[ \t]")
_MAIL_SYSTEM_HEADERS = {"received", "mime-version", "message-id", "return-path", "delivered-to", "content-type"}


def _looks_like_email(text: str) -> bool:
    """True when the text starts with an RFC 822 header block: From: and a header only mail systems write.

    A typed memo (From:/To:/Subject: lines) stays text, so none of its lines is dropped.
    """
    lines = text.lstrip("\n").split("\n\n", 1)[0].split("\n")[:60]
    if lines and lines[0].startswith("From "):  # mbox separator line
        lines = lines[1:]
    names = set()
    for line in lines:
        if line[:1] in (" ", "\t"):
            continue  # folded header continuation
        match = _HEADER_LINE.match(line)
        if not match:
            return False
        names.add(match.group(1).lower())
    return "from" in names and bool(names & _MAIL_SYSTEM_HEADERS)


# --- e-mail --------------------------------------------------------------------------------

def _read_email(data: bytes) -> tuple[list[str], dict]:
    """A short header block, the plain-text body (or the HTML body as text), and the attachment names."""
    message = email.message_from_bytes(data, policy=email.policy.default)
    headers = {name: _header(message, name) for name in ("From", "To", "Cc", "Date", "Subject")}
    body, body_format = _email_body(message)
    attachments = [_attachment_name(part) for part in message.walk()
                   if not part.is_multipart() and (part.get_content_disposition() == "attachment" or part.get_filename())]
    head = "".join(f"{name}: {value}\n" for name, value in headers.items() if value)
    text = (head + "\n" + body.strip()).strip()
    if attachments:
        text += "\n\nAttachments (not read): " + ", ".join(attachments)
    metadata = {name.lower(): value for name, value in headers.items()}
    metadata.update(message_id=_header(message, "Message-ID"), attachments=attachments, body=body_format)
    return [text.replace("\r\n", "\n").replace("\r", "\n")], metadata


def _header(message, name: str) -> str:
    """The decoded header, or its raw text when it is too malformed to decode."""
    try:
        return " ".join(str(message.get(name, "")).split())
    except Exception:  # noqa: BLE001 - the header parser raises various errors on junk
        raw = next((value for key, value in message.raw_items() if key.lower() == name.lower()), "")
        return " ".join(str(raw).split())


def _email_body(message) -> tuple[str, str]:
    """The text/plain body, else the text/html body stripped to text; says which was used."""
    for subtype in ("plain", "html"):
        part = message.get_body(preferencelist=(subtype,))
        if part is not None:
            content = _part_text(part)
            return (content, "plain") if subtype == "plain" else (_html_to_text(content), "html")
    return "", "none"


def _part_text(part) -> str:
    try:
        return part.get_content()
    except (LookupError, UnicodeError):  # unknown or wrong charset: read it as UTF-8, marking bad bytes
        return (part.get_payload(decode=True) or b"").decode("utf-8", errors="replace")


def _attachment_name(part) -> str:
    try:
        return part.get_filename() or f"unnamed {part.get_content_type()}"
    except Exception:  # noqa: BLE001 - malformed parameters
        return "unnamed attachment"


class _HtmlText(HTMLParser):
    """Collects the visible text of an HTML body, with line breaks at block elements."""

    _BLOCKS = {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "table", "blockquote", "hr"}
    _HIDDEN = {"script", "style", "head"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._hidden_depth = 0

    def handle_starttag(self, tag, attrs):
        self._hidden_depth += tag in self._HIDDEN
        if tag in self._BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        self._hidden_depth = max(0, self._hidden_depth - (tag in self._HIDDEN))
        if tag in self._BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self._hidden_depth:
            self.parts.append(data)


def _html_to_text(markup: str) -> str:
    parser = _HtmlText()
    parser.feed(markup)
    parser.close()
    lines = (" ".join(line.split()) for line in "".join(parser.parts).split("\n"))
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


# --- Word ----------------------------------------------------------------------------------

_DECLARATIONS = tuple(marker.encode(encoding) for marker in ("<!DOCTYPE", "<!ENTITY")
                      for encoding in ("utf-8", "utf-16-le", "utf-16-be"))


def _read_docx(data: bytes) -> tuple[list[str], dict]:
    """Paragraphs and table rows in document order, as one page."""
    _refuse_declarations(data)
    document = docx.Document(io.BytesIO(data))
    text = "\n".join(_block_lines(document)).strip()
    if not text:
        raise errors.EmptyDocument()
    properties = document.core_properties
    metadata = {"title": properties.title or "", "author": properties.author or "",
                "created": properties.created.isoformat() if properties.created else ""}
    return [text], metadata


def _refuse_declarations(data: bytes) -> None:
    """Word never writes a DOCTYPE: one that declares entities makes the parser drop or replace text without
    a sign (and an external entity points outside the file), so such a file is refused, not half read."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            if name.endswith((".xml", ".rels")) and any(m in archive.read(name) for m in _DECLARATIONS):
                raise errors.WordDeclaresEntities()


def _block_lines(container) -> list[str]:
    """Lines of a document or table cell; a table row becomes its cells joined by " | "."""
    lines = []
    for block in container.iter_inner_content():
        if isinstance(block, Table):
            for row in block.rows:
                cells, seen = [], set()
                for cell in row.cells:
                    if id(cell._tc) not in seen:  # merged cells repeat the same cell
                        seen.add(id(cell._tc))
                        cells.append(" ".join(_block_lines(cell)))
                if any(cells):
                    lines.append(" | ".join(cells))
        else:
            lines.append(block.text)
    return lines


# --- PDF -----------------------------------------------------------------------------------

def _read_pdf(data: bytes, password: str | None, max_pages: int) -> tuple[list[str], dict]:
    """Text of each page; a page that fails is kept empty and listed in "unreadable_pages"."""
    try:
        reader = pypdf.PdfReader(io.BytesIO(data), strict=False)  # tries the empty password itself
        encrypted = reader.is_encrypted
        if encrypted:
            _unlock(reader, password)
        page_count = len(reader.pages)
    except DependencyError:
        raise errors.UnsupportedEncryption() from None
    if page_count > max_pages:
        raise errors.TooManyPages(
            f"This PDF has {page_count} pages, more than the limit of {max_pages}. "
            "Split it into smaller files and add them separately.")
    if page_count == 0:
        raise errors.EmptyDocument()
    page_texts, unreadable = [], []
    for number in range(1, page_count + 1):
        try:
            page_texts.append(_clean_page_text(reader.pages[number - 1].extract_text()))
        except MemoryError:
            raise
        except DependencyError:
            if encrypted:
                raise errors.UnsupportedEncryption() from None
            raise
        except Exception:  # noqa: BLE001 - one broken page should not lose the others
            page_texts.append("")
            unreadable.append(number)
    if not any(page_texts) and unreadable:  # pages that failed to read mean damage, empty ones a scan (for OCR)
        raise errors.MalformedFile()
    metadata = _pdf_metadata(reader)
    metadata.update(encrypted=encrypted, unreadable_pages=unreadable)
    return page_texts, metadata


def _unlocked(data: bytes, password: str | None) -> pypdf.PdfReader:
    reader = pypdf.PdfReader(io.BytesIO(data), strict=False)
    if reader.is_encrypted:
        _unlock(reader, password)
    return reader


def _unlock(reader: pypdf.PdfReader, password: str | None) -> None:
    """Open an encrypted PDF: the empty user password first, then the one given."""
    if reader.decrypt("") != PasswordType.NOT_DECRYPTED:
        return
    if password is None:
        raise errors.EncryptedPdf()
    if reader.decrypt(password) == PasswordType.NOT_DECRYPTED:
        raise errors.WrongPassword()


def _clean_page_text(text: str | None) -> str:
    return (text or "").replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "").strip()


def _pdf_metadata(reader: pypdf.PdfReader) -> dict:
    """Title, author and friends as plain strings; unreadable metadata is left out, not fatal."""
    fields = {"title": "/Title", "author": "/Author", "subject": "/Subject", "creator": "/Creator", "producer": "/Producer"}
    try:
        info = reader.metadata or {}
        return {name: str(info[key]).replace("\x00", "").strip() for name, key in fields.items() if info.get(key)}
    except Exception:  # noqa: BLE001 - broken info dictionaries are common and harmless
        return {}
