"""Read pictures of text (scanned PDF pages, PNG, JPEG and TIFF files) with Tesseract.

Why: letters arrive on paper, and a scan has no text for the tool to cite.
Tesseract (Debian's package, installed by scripts/install-ocr.sh) is called
directly, one page image at a time, asking for its TSV output: that gives the
text and each word's confidence in one pass, and the confidence is what tells
the officer which pages to check. OCRmyPDF, which wraps the same Tesseract,
reports no confidence and writes a new PDF we do not need (see
docs/decisions/0012-ocr.md). Ghostscript, which OCRmyPDF also uses, renders
PDF pages. This runs inside the bounded parse worker (sandbox.py): every
program started here inherits its memory cap, runs in its process group (so
killing an overrunning worker kills them too) and is given what is left of the
job's time.
"""
from __future__ import annotations

import csv
import io
import os
import shutil
import subprocess
import time
from dataclasses import dataclass
from typing import Iterator

from retrieval import errors

RENDER_DPI = 300  # for PDF pages with no scan of known resolution on them
MAX_PIXELS = 40_000_000  # a rendered page or an image frame is scaled down to at most this (A4 at 300 dpi is 8.7M)
MIN_WIDTH = 1700  # narrower images (screenshots, phone crops) are scaled up: Tesseract needs letters ~20px high
LANGUAGE = "eng"


@dataclass(frozen=True)
class OcrPage:
    text: str
    confidence: float  # Tesseract's mean word confidence (0-100), weighted by word length; 0 if it found no words


def check_available() -> str:
    """The engine's name and version (recorded with the document); OcrUnavailable unless Tesseract, with
    English, and Ghostscript are installed."""
    if not (shutil.which("tesseract") and shutil.which("gs")):
        raise errors.OcrUnavailable()
    try:
        langs = subprocess.run(["tesseract", "--list-langs"], capture_output=True, text=True, timeout=30).stdout
        version = subprocess.run(["tesseract", "--version"], capture_output=True, text=True, timeout=30).stdout
    except (OSError, subprocess.SubprocessError):
        raise errors.OcrUnavailable() from None
    if LANGUAGE not in langs.split():
        raise errors.OcrUnavailable()
    return (version.splitlines() or ["tesseract"])[0].strip()


def frame_count(data: bytes) -> int:
    """Pages in an image file (a TIFF may hold several); only the header is read."""
    from PIL import Image
    with Image.open(io.BytesIO(data)) as image:
        return getattr(image, "n_frames", 1)


def image_frames(data: bytes) -> Iterator[bytes]:
    """Each frame of an image file as a greyscale PNG on white, sized for Tesseract."""
    from PIL import Image, ImageSequence
    with Image.open(io.BytesIO(data)) as image:
        for frame in ImageSequence.Iterator(image):
            yield _prepared_png(frame, _declared_dpi(frame))


def _declared_dpi(frame) -> float | None:
    """The resolution the file declares, when it is believable (cameras write 72 whatever they saw)."""
    dpi = frame.info.get("dpi")
    try:
        value = float(dpi[0]) if dpi else 0.0
    except (TypeError, ValueError, IndexError):
        return None
    return value if 100 <= value <= 1200 else None


def _prepared_png(frame, dpi: float | None) -> bytes:
    """Transparent parts become white (not black), colour becomes grey, and the size suits Tesseract.

    The resolution goes with it: without one Tesseract guesses it from the letters, and read the same
    300 dpi page worse (a table's "£1,193.17" became "|E ,193.17")."""
    from PIL import Image
    width, height = frame.size
    if width * height > MAX_PIXELS * 4:
        raise errors.ParseTooComplex("This picture is too large to read (more than 160 million pixels). "
                                     "Scan it again at 300 dpi and add it again.")
    frame.load()
    if frame.mode in ("RGBA", "LA", "PA") or (frame.mode == "P" and "transparency" in frame.info):
        rgba = frame.convert("RGBA")
        white = Image.new("RGBA", rgba.size, "white")
        frame = Image.alpha_composite(white, rgba)
    grey = frame.convert("L")
    scale = min(MIN_WIDTH / width if width < MIN_WIDTH else 1.0, (MAX_PIXELS / (width * height)) ** 0.5)
    scale = min(scale, 3.0)
    if abs(scale - 1.0) > 0.01:
        grey = grey.resize((max(1, round(width * scale)), max(1, round(height * scale))), Image.LANCZOS)
    grey = deskewed(grey)
    buffer = io.BytesIO()
    grey.save(buffer, "PNG", **({"dpi": (dpi * scale, dpi * scale)} if dpi else {}))
    return buffer.getvalue()


def skew_of(grey) -> float:
    """The turn (degrees, counter-clockwise) that makes a page's lines of text level, within 6 degrees.

    The projection-profile method: rows of a level page alternate between ink and paper, so the ink per row
    varies most at the right angle. Measured on a small copy, coarse then fine."""
    import numpy as np
    from PIL import Image, ImageOps
    small = ImageOps.invert(grey.convert("L"))
    small.thumbnail((600, 600))
    if np.asarray(small).mean() < 1.0:
        return 0.0

    def spread(angle: float) -> float:
        rows = np.asarray(small.rotate(angle, resample=Image.BILINEAR, fillcolor=0), dtype=np.float64).sum(axis=1)
        return float(np.var(rows))

    best = max(np.arange(-6.0, 6.01, 1.0), key=spread)
    return round(float(max(np.arange(best - 0.8, best + 0.81, 0.2), key=spread)), 1)


def deskewed(grey):
    """The page turned level: Tesseract dropped most paragraphs of a page turned 2.5 degrees, yet said it was
    95% sure of what it kept, so skew is fixed here rather than left to lower the confidence."""
    from PIL import Image
    angle = skew_of(grey)
    if abs(angle) <= 1.0:  # Tesseract reads these well, and turning the image blurs it a little
        return grey
    return grey.rotate(angle, resample=Image.BICUBIC, expand=True, fillcolor=255)


def pdf_page_images(reader, numbers: tuple[int, ...], deadline: float) -> Iterator[bytes]:
    """The chosen pages of an opened (and unlocked) PDF, copied into a PDF of their own and rendered for OCR:
    Ghostscript then never sees the password, nor the pages that have text."""
    import pypdf
    writer = pypdf.PdfWriter()
    pages = []
    for number in numbers:
        page = reader.pages[number - 1]
        writer.add_page(page)
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        pages.append((width, height, _scan_dpi(page, width, height)))
    buffer = io.BytesIO()
    writer.write(buffer)
    return render_pdf_pages(buffer.getvalue(), pages, deadline)


def _scan_dpi(page, width_pt: float, height_pt: float) -> int | None:
    """The resolution of the largest image on a page, as if it filled the page (a scan does); None if none.
    Only the images' declared sizes are read, nothing is decoded."""
    try:
        images = page["/Resources"]["/XObject"]
        pixels = max((max(int(x["/Width"]), int(x["/Height"])) for x in (images[name].get_object() for name in images)
                      if x.get("/Subtype") == "/Image"), default=0)
    except Exception:  # noqa: BLE001 - no resources, or broken ones: the default resolution will do
        return None
    return round(pixels * 72 / max(width_pt, height_pt, 1.0)) if pixels else None


def render_pdf_pages(pdf: bytes, pages: list[tuple[float, float, int | None]], deadline: float) -> Iterator[bytes]:
    """Render each page of a PDF as a greyscale PNG ready for Tesseract; ``pages`` gives each one's width and
    height in points and the resolution of the scan on it, if known.

    A scan is rendered at its own resolution: rendering a 200 dpi scan at 300 dpi enlarges its pixels
    unsmoothed, which quadrupled the error rate; _prepared_png then enlarges small ones smoothly."""
    import tempfile
    with tempfile.TemporaryDirectory(prefix="casework-ocr-") as folder:
        source = os.path.join(folder, "pages.pdf")
        with open(source, "wb") as handle:
            handle.write(pdf)
        for number, (width_pt, height_pt, scan_dpi) in enumerate(pages, start=1):
            area_in = max(width_pt, 1.0) * max(height_pt, 1.0) / (72 * 72)
            dpi = max(50, min(scan_dpi or RENDER_DPI, 600, int((MAX_PIXELS / area_in) ** 0.5)))
            png = _run(["gs", "-q", "-dSAFER", "-dBATCH", "-dNOPAUSE", "-dNOPROMPT", "-sDEVICE=pnggray",
                        f"-r{dpi}", f"-dFirstPage={number}", f"-dLastPage={number}", "-sOutputFile=-", source],
                       None, deadline, "rendering a page")
            from PIL import Image
            with Image.open(io.BytesIO(png)) as image:
                yield _prepared_png(image, dpi)


def recognise(png: bytes, deadline: float) -> OcrPage | None:
    """Tesseract's reading of one page image: its text (lines and paragraphs kept) and its confidence;
    None for a blank page, which is not worth Tesseract's time."""
    if _blank(png):
        return None
    tsv = _run(["tesseract", "stdin", "stdout", "-l", LANGUAGE, "--psm", "3", "tsv"], png, deadline,
               "recognising text")
    return page_from_tsv(tsv.decode("utf-8", errors="replace"))


def page_from_tsv(tsv: str) -> OcrPage:
    """Rebuild the text from Tesseract's TSV rows (one per word, numbered by block, paragraph and line)."""
    rows = csv.DictReader(io.StringIO(tsv), delimiter="\t", quoting=csv.QUOTE_NONE)
    paragraphs: dict[tuple, dict[tuple, list[str]]] = {}
    weighted, letters = 0.0, 0
    for row in rows:
        word = (row.get("text") or "").strip()
        if row.get("level") != "5" or not word:
            continue
        confidence = float(row.get("conf") or -1)
        if confidence >= 0:
            weighted += confidence * len(word)
            letters += len(word)
        paragraph = (int(row["page_num"]), int(row["block_num"]), int(row["par_num"]))
        paragraphs.setdefault(paragraph, {}).setdefault((int(row["line_num"]),), []).append(word)
    text = "\n\n".join("\n".join(" ".join(words) for words in lines.values()) for lines in paragraphs.values())
    return OcrPage(text, round(weighted / letters, 1) if letters else 0.0)  # ink but no words: unreadable


def _blank(png: bytes) -> bool:
    """A page with (almost) nothing on it."""
    from PIL import Image
    with Image.open(io.BytesIO(png)) as image:
        low, high = image.convert("L").getextrema()
    return high - low < 32


def _run(command: list[str], stdin: bytes | None, deadline: float, doing: str) -> bytes:
    """Run one program with what is left of the job's time; its failure is the file's, told plainly."""
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise _timeout()
    env = dict(os.environ, OMP_THREAD_LIMIT="1")  # one thread: on 2 shared cores OpenMP made it twice as slow
    try:
        done = subprocess.run(command, input=stdin, capture_output=True, timeout=remaining, env=env, check=False)
    except subprocess.TimeoutExpired:
        raise _timeout() from None
    except OSError:
        raise errors.OcrUnavailable() from None
    if done.returncode != 0:
        if done.returncode < 0 or b"memory" in done.stderr.lower():
            raise errors.ParseTooComplex()
        raise errors.MalformedFile(f"Text recognition failed while {doing}. The scan may be damaged: scan it again "
                                   "or ask the sender for a fresh copy, and add it again.")
    return done.stdout


def _timeout() -> errors.ParseTimeout:
    return errors.ParseTimeout("Reading this scan took longer than allowed and was stopped. Split it into smaller "
                               "files, or scan it again at 300 dpi in black and white, and add it again.")
