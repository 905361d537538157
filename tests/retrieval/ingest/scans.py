"""Scans made from known text, for the OCR tests and bench/ocr.py.

Why: a real scanner is not at hand and scanned letters of real people must not
be kept, so pages are typeset (fpdf2), rendered at a chosen resolution by
Ghostscript (as a scanner would sample the paper), then given the faults of a
scan: a slight skew, speckle noise and blur. The text is known, so what OCR
reads can be checked against it.
"""
from __future__ import annotations

import io
import random
import subprocess

from fpdf import FPDF
from PIL import Image, ImageFilter

LETTER = (
    "Kelderby Borough Council, Housing Options, 12 Mill Lane, Kelderby KX2 9LP\n"
    "Our reference: HS-2025-0412    Date: 14 March 2025\n"
    "Dear Ms Okonkwo,\n"
    "Thank you for your letter of 3 March 2025 about the arrears on your tenancy at 7 Alder Court. "
    "The balance on your rent account on 10 March 2025 was £1,248.60. Your weekly rent is £132.75 and "
    "your Universal Credit housing element of £575.00 a month is now paid to us directly.\n"
    "We have agreed that you will pay £15.00 a week towards the arrears from 24 March 2025. "
    "A discretionary housing payment of £320.00 was awarded on 11 March 2025 and has been credited.\n"
    "If your circumstances change, please contact us on 01632 960871 before 30 April 2025.\n"
    "Yours sincerely,\nHousing Options Officer"
)


def text_pdf(pages: list[str], font_size: int = 11) -> bytes:
    """A typed PDF with one page per text (a real text layer)."""
    pdf = FPDF()
    pdf.set_margins(20, 20)
    for text in pages:
        pdf.add_page()
        pdf.set_font("helvetica", size=font_size)
        pdf.multi_cell(0, font_size * 0.55, text)
    return bytes(pdf.output())


def render(pdf: bytes, dpi: int, page: int = 1) -> Image.Image:
    """One page of a PDF as a greyscale image at ``dpi``, as a scanner would see the paper."""
    png = subprocess.run(["gs", "-q", "-dSAFER", "-dBATCH", "-dNOPAUSE", "-sDEVICE=pnggray", f"-r{dpi}",
                          f"-dFirstPage={page}", f"-dLastPage={page}", "-sOutputFile=-", "-"],
                         input=pdf, capture_output=True, check=True).stdout
    return Image.open(io.BytesIO(png)).convert("L")


def scanned(image: Image.Image, skew_deg: float = 0.0, noise: float = 0.0, blur: float = 0.0,
            seed: int = 0) -> Image.Image:
    """The page as a scanner returns it: turned by ``skew_deg``, ``noise`` of its pixels speckled, blurred."""
    page = image.rotate(skew_deg, resample=Image.BICUBIC, expand=True, fillcolor=255) if skew_deg else image.copy()
    if blur:
        page = page.filter(ImageFilter.GaussianBlur(blur))
    if noise:
        rng = random.Random(seed)
        pixels = page.load()
        width, height = page.size
        for _ in range(int(width * height * noise)):
            pixels[rng.randrange(width), rng.randrange(height)] = rng.choice((0, 255))
    return page


def image_file(image: Image.Image, fmt: str, dpi: int = 300, frames: tuple[Image.Image, ...] = ()) -> bytes:
    """The image saved as PNG, JPEG or TIFF (extra frames make a multi-page TIFF)."""
    buffer = io.BytesIO()
    options = {"dpi": (dpi, dpi)}
    if frames:
        options.update(save_all=True, append_images=list(frames))
    if fmt == "JPEG":
        options["quality"] = 85
    image.save(buffer, fmt, **options)
    return buffer.getvalue()


def image_pdf(images: list[Image.Image], dpi: int) -> bytes:
    """A PDF of page images and nothing else, as a scanner writes one (no text layer)."""
    buffer = io.BytesIO()
    images[0].save(buffer, "PDF", resolution=float(dpi), save_all=True, append_images=images[1:])
    return buffer.getvalue()


def mixed_pdf(before: str, scan: Image.Image, after: str) -> bytes:
    """Typed page, scanned page (an image only), typed page: a letter with a scanned enclosure."""
    pdf = FPDF()
    pdf.set_margins(20, 20)
    for text in (before, None, after):
        pdf.add_page()
        if text is None:
            png = io.BytesIO()
            scan.save(png, "PNG")
            pdf.image(png, x=0, y=0, w=pdf.w, h=pdf.h)
        else:
            pdf.set_font("helvetica", size=11)
            pdf.multi_cell(0, 6, text)
    return bytes(pdf.output())


def picture(size: tuple[int, int] = (1200, 900), seed: int = 3) -> Image.Image:
    """A picture with no text in it: soft shaded shapes, like a photo of a room."""
    rng = random.Random(seed)
    image = Image.new("L", size, 200)
    from PIL import ImageDraw
    draw = ImageDraw.Draw(image)
    for _ in range(12):
        x, y = rng.randrange(size[0]), rng.randrange(size[1])
        radius = rng.randrange(60, 260)
        draw.ellipse((x - radius, y - radius, x + radius, y + radius), fill=rng.randrange(40, 220))
    return image.filter(ImageFilter.GaussianBlur(12))
