"""Scans read by OCR: real Tesseract and Ghostscript on scans made from known text (scans.py).

OCR is part of the product, so a machine without it fails these tests with a
plain message (scripts/install-ocr.sh installs it); they never skip.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import time
from pathlib import Path

import pypdf
import pytest
from rapidfuzz.distance import Levenshtein

from retrieval import errors
from retrieval.ingest import ocr, sandbox
from retrieval.ingest.loaders import LoadLimits, Page, load_bytes
from tests.retrieval.ingest import sandbox_targets, scans

PROJECT_ROOT = Path(__file__).resolve().parents[3]
DEMO_LETTER = PROJECT_ROOT / "demo" / "files" / "BR-2025-0141" / "2025-02-18_decision-notice.pdf"
DATE = re.compile(r"\b\d{1,2} (?:January|February|March|April|May|June|July|August|September|October|November|"
                  r"December) \d{4}\b")
AMOUNT = re.compile(r"£[\d,]+\.\d{2}")


@pytest.fixture(scope="module", autouse=True)
def ocr_installed():
    try:
        ocr.check_available()
    except errors.OcrUnavailable:
        pytest.fail("Tesseract (with English) and Ghostscript are needed: run scripts/install-ocr.sh as root, or "
                    "sudo apt-get install tesseract-ocr tesseract-ocr-eng ghostscript.", pytrace=False)


def squeezed(text: str) -> str:
    return " ".join(text.split())


def page_texts(document) -> list[str]:
    return [document.text[page.start:page.end] for page in document.pages]


def test_scanned_demo_letter_gives_its_dates_and_amounts():
    """The first page of a demo decision notice, scanned at 300 dpi with a slight skew and speckles."""
    typed = pypdf.PdfReader(DEMO_LETTER).pages[0].extract_text()
    dates, amounts = set(DATE.findall(squeezed(typed))), set(AMOUNT.findall(typed))
    assert len(dates) >= 3 and len(amounts) >= 5  # the letter is the test: it must have something to find
    page = scans.scanned(scans.render(DEMO_LETTER.read_bytes(), 300), skew_deg=0.8, noise=0.002)

    document = load_bytes(scans.image_pdf([page], 300), "scanned-notice.pdf")

    found = squeezed(document.text)
    assert {d for d in dates if d not in found} == set()
    assert {a for a in amounts if a not in found} == set()
    assert document.pages[0].ocr and not document.pages[0].low_confidence
    assert document.metadata["ocr_pages"] == [1] and document.metadata["ocr_engine"].startswith("tesseract")


@pytest.mark.parametrize("dpi", [200, 300])
def test_generated_letter_is_read_at_200_and_300_dpi(dpi):
    page = scans.scanned(scans.render(scans.text_pdf([scans.LETTER]), dpi), skew_deg=-1.0, noise=0.001)

    document = load_bytes(scans.image_pdf([page], dpi), "letter.pdf")

    found = squeezed(document.text)
    for expected in ("14 March 2025", "£132.75", "£575.00", "£320.00", "24 March 2025", "HS-2025-0412",
                     "01632 960871"):
        assert expected in found
    assert Levenshtein.distance(squeezed(scans.LETTER), found) / len(squeezed(scans.LETTER)) < 0.03
    assert document.pages[0].confidence >= 80


def test_a_page_scanned_askew_is_read_whole():
    """Turned 3 degrees, Tesseract alone kept a third of the letter and was 95% sure of it: pages are levelled."""
    page = scans.scanned(scans.render(scans.text_pdf([scans.LETTER]), 300), skew_deg=3.0)

    document = load_bytes(scans.image_file(page, "PNG"), "askew.png")

    found = squeezed(document.text)
    assert Levenshtein.distance(squeezed(scans.LETTER), found) / len(squeezed(scans.LETTER)) < 0.03
    assert "24 March 2025" in found and "30 April 2025" in found


def test_a_badly_degraded_page_is_marked_for_the_officer():
    clean = scans.render(scans.text_pdf([scans.LETTER]), 200)
    degraded = scans.scanned(clean.resize((clean.width // 2, clean.height // 2)), blur=1.0, noise=0.02)
    limits = LoadLimits(ocr_min_confidence=80)

    good = load_bytes(scans.image_pdf([scans.scanned(clean, noise=0.001)], 200), "good.pdf", limits)
    bad = load_bytes(scans.image_pdf([degraded], 100), "bad.pdf", limits)

    assert good.pages[0].confidence >= 80 and not good.pages[0].low_confidence
    assert bad.pages[0].ocr and bad.pages[0].confidence < 80 and bad.pages[0].low_confidence
    assert bad.text.strip()  # kept, for the officer to check against the paper


def test_in_a_mixed_pdf_only_the_page_without_text_is_read_by_ocr():
    enclosure = scans.scanned(scans.render(scans.text_pdf(["Tenancy statement. Balance owed on 5 May 2025: £412.30."]),
                                           300), skew_deg=0.5)
    before, after = "Covering letter typed on 6 May 2025.", "Closing page typed on 6 May 2025."

    document = load_bytes(scans.mixed_pdf(before, enclosure, after), "mixed.pdf")

    first, scanned_page, last = page_texts(document)
    assert (first, last) == (before, after)  # the text layer, exactly: OCR never touched these pages
    assert "5 May 2025" in scanned_page and "£412.30" in scanned_page
    assert [page.ocr for page in document.pages] == [False, True, False]
    assert document.metadata["ocr_pages"] == [2]


@pytest.mark.parametrize("fmt,kind", [("PNG", "png"), ("JPEG", "jpeg"), ("TIFF", "tiff")])
def test_image_files_are_read(fmt, kind):
    page = scans.scanned(scans.render(scans.text_pdf([scans.LETTER]), 300), skew_deg=0.7, noise=0.001)

    document = load_bytes(scans.image_file(page, fmt), f"letter.{kind}")

    assert document.kind == kind
    assert "£132.75" in squeezed(document.text) and "14 March 2025" in squeezed(document.text)
    assert document.pages[0].ocr


def test_a_multi_page_tiff_gives_one_page_per_frame():
    pdf = scans.text_pdf(["Page one: visit on 2 June 2025.", "Page two: payment of £88.10 agreed."])
    first, second = (scans.render(pdf, 300, page) for page in (1, 2))

    document = load_bytes(scans.image_file(first, "TIFF", frames=(second,)), "bundle.tif")

    one, two = page_texts(document)
    assert "2 June 2025" in one and "£88.10" in two
    assert [page.number for page in document.pages] == [1, 2]


def test_an_image_named_as_a_pdf_is_read_as_the_image_it_is():
    page = scans.render(scans.text_pdf(["Named wrongly but readable: 9 July 2025."]), 300)

    document = load_bytes(scans.image_file(page, "PNG"), "letter.pdf")

    assert document.kind == "png" and "9 July 2025" in document.text


@pytest.mark.parametrize("fmt", ["PNG", "JPEG"])
def test_a_picture_without_text_gets_a_plain_answer(fmt):
    with pytest.raises(errors.NothingRecognised) as raised:
        load_bytes(scans.image_file(scans.picture(), fmt), f"photo.{fmt.lower()}")

    assert "No text could be recognised" in str(raised.value)


def test_a_blank_scanned_page_is_not_counted_as_read():
    blank = scans.render(scans.text_pdf([""]), 200)
    text = scans.render(scans.text_pdf(["Second page: review on 1 August 2025."]), 300)

    document = load_bytes(scans.image_pdf([blank, text], 300), "two.pdf")

    assert [page.ocr for page in document.pages] == [False, True]
    assert document.metadata["ocr_pages"] == [2]


def test_scans_obey_the_page_limit():
    page = scans.render(scans.text_pdf(["x"]), 100)

    with pytest.raises(errors.TooManyPages, match="has 3 pages, more than the limit of 2"):
        load_bytes(scans.image_file(page, "TIFF", frames=(page, page)), "three.tif", LoadLimits(max_pages=2))


def test_ocr_time_is_bounded():
    page = scans.scanned(scans.render(scans.text_pdf([scans.LETTER]), 300), noise=0.01)

    with pytest.raises(errors.ParseTimeout, match="scan"):
        load_bytes(scans.image_pdf([page] * 3, 300), "slow.pdf", LoadLimits(timeout_s=1.5, ocr_page_timeout_s=0.1))


def test_a_killed_worker_takes_the_programs_it_started_with_it(tmp_path: Path):
    marker = tmp_path / "child.pid"
    with pytest.raises(errors.ParseTimeout):
        sandbox.run_bounded(sandbox_targets.start_a_program_and_hang, (str(marker),), timeout_s=2, memory_mb=256)

    child = int(marker.read_text())
    assert _gone_or_dead(child)


def _gone_or_dead(pid: int) -> bool:
    """True once the process is gone or a zombie (killed, not yet reaped by init); checked a few times, since
    the kill is delivered asynchronously."""
    for _ in range(50):
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            return True
        if state in ("Z", "X"):
            return True
        time.sleep(0.1)
    return False


def test_pages_stored_before_ocr_still_read_and_ocr_fields_round_trip():
    assert Page.from_row([1, 0, 10]) == Page(1, 0, 10)
    page = Page(2, 12, 40, ocr=True, confidence=71.5, low_confidence=True)
    assert Page.from_row(json.loads(json.dumps(page.to_row()))) == page
    assert Page(3, 0, 5).to_row() == [3, 0, 5]  # pages not read by OCR are stored exactly as before


def test_without_ocr_installed_a_scan_is_refused_plainly_and_a_mixed_pdf_keeps_its_text(monkeypatch, tmp_path):
    """PATH without tesseract: the worker finds no OCR (it inherits this environment when started)."""
    enclosure = scans.render(scans.text_pdf(["Scanned enclosure."]), 200)
    mixed = scans.mixed_pdf("Typed first page.", enclosure, "Typed last page.")
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    os.symlink(shutil.which("gs"), bin_dir / "gs")
    monkeypatch.setenv("PATH", str(bin_dir))
    sandbox._workers.stop_all()  # workers started with the real PATH must not serve this test
    try:
        with pytest.raises(errors.OcrUnavailable, match="text recognition \\(OCR\\) is not installed"):
            load_bytes(scans.image_file(enclosure, "PNG"), "scan.png")
        document = load_bytes(mixed, "mixed.pdf")
    finally:
        monkeypatch.undo()
        sandbox._workers.stop_all()

    assert page_texts(document) == ["Typed first page.", "", "Typed last page."]
    assert document.metadata["pages_not_read"] == [2] and not any(page.ocr for page in document.pages)
