#!/usr/bin/env python3
"""Build the fictional demo caseload.

Run from the project root:

    .venv/bin/python demo/build.py

It (re)creates ``demo/caseload.json`` and ``demo/files/<case reference>/<file>``
from the data files in ``demo/content/`` (``people.yaml``, then one file of
cases per service, read in the order of SERVICES). The output is
deterministic: every run writes the same bytes (fixed PDF creation dates and
document IDs, fixed DOCX core properties and ZIP timestamps, fixed e-mail
headers and MIME boundaries), so the generated files can be committed and
seeding never needs fpdf2 or python-docx.

All people, addresses, reference numbers, telephone numbers and e-mail
addresses in the content are fictional.

The fields of each document and the light markup of PDF pages and DOCX bodies
are described in demo/README.md.
"""
from __future__ import annotations

import datetime as dt
import io
import json
import shutil
import textwrap
import zipfile
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path

import yaml

DEMO_DIR = Path(__file__).resolve().parent
FILES_DIR = DEMO_DIR / "files"
CASELOAD_JSON = DEMO_DIR / "caseload.json"
CONTENT_DIR = DEMO_DIR / "content"

SERVICES = ("benefits", "housing", "adult_social_care", "probation")  # the order of the cases in caseload.json

TEAM_CASE_TYPES = {
    "benefits": "benefit-review",
    "housing": "housing-support",
    "adult-social-care": "adult-safeguarding",
    "probation": "probation-supervision",
}

UTC = dt.timezone.utc


# --------------------------------------------------------------------------- helpers

def _when(date_str: str, hour: int = 9, minute: int = 0) -> dt.datetime:
    """'2025-01-20' or '2025-01-20 14:32' -> aware UTC datetime."""
    if " " in date_str:
        day, clock = date_str.split(" ", 1)
        hour, minute = (int(x) for x in clock.split(":"))
    else:
        day = date_str
    y, m, d = (int(x) for x in day.split("-"))
    return dt.datetime(y, m, d, hour, minute, 0, tzinfo=UTC)


def parse_blocks(text: str) -> list[tuple[str, object]]:
    """Split light markup into (kind, payload) blocks; the markup is described in demo/README.md."""
    blocks: list[tuple[str, object]] = []
    raw = textwrap.dedent(text).strip("\n")
    for chunk in raw.split("\n\n"):
        lines = [ln.rstrip() for ln in chunk.strip("\n").split("\n")]
        lines = [ln for ln in lines if ln.strip()] if lines[0].strip() != "::" else lines
        if not lines:
            continue
        first = lines[0].strip()
        if first == "::":
            blocks.append(("pre", [ln.strip() for ln in lines[1:]]))
        elif first.startswith("## "):
            blocks.append(("h2", " ".join(ln.strip() for ln in lines)[3:]))
        elif first.startswith("# "):
            blocks.append(("h1", " ".join(ln.strip() for ln in lines)[2:]))
        elif all(ln.strip().startswith("|") for ln in lines):
            rows = [[c.strip() for c in ln.strip().strip("|").split("|")] for ln in lines]
            blocks.append(("table", rows))
        elif first.startswith("- "):
            items: list[str] = []
            for ln in lines:  # a line not starting with "- " continues the previous item
                if ln.strip().startswith("- "):
                    items.append(ln.strip()[2:])
                else:
                    items[-1] += " " + ln.strip()
            blocks.append(("bullets", items))
        elif len(lines) > 1 and max(len(ln.strip()) for ln in lines) <= 60:
            blocks.append(("pre", [ln.strip() for ln in lines]))  # address / signature block
        else:
            blocks.append(("p", " ".join(ln.strip() for ln in lines)))
    return blocks


_PDF_REPLACEMENTS = {
    "\u2014": "-", "\u2013": "-", "\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"',
    "\u2026": "...", "\u2022": "-", "\u00a0": " ", "\u2212": "-", "\u2192": "->",
}


def pdf_text(s: str) -> str:
    """Core PDF fonts are latin-1 only: map typographic characters to ASCII."""
    for k, v in _PDF_REPLACEMENTS.items():
        s = s.replace(k, v)
    s.encode("latin-1")  # raise early if anything else slipped through
    return s


# --------------------------------------------------------------------------- PDF

def build_pdf(spec: dict, case_ref: str) -> bytes:
    from fpdf import FPDF
    from fpdf.enums import XPos, YPos

    org = spec["org"]
    marking = spec.get("marking")
    footer_ref = spec.get("footer", case_ref)

    class DemoPDF(FPDF):
        def header(self) -> None:
            if marking:
                self.set_font("helvetica", "B", 8)
                self.set_text_color(90, 90, 90)
                self.cell(0, 5, pdf_text(marking), align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
                self.set_text_color(0, 0, 0)
                self.ln(2)

        def footer(self) -> None:
            self.set_y(-14)
            self.set_font("helvetica", "", 8)
            self.set_text_color(90, 90, 90)
            self.cell(0, 5, pdf_text(f"{org}  |  {footer_ref}  |  Page {self.page_no()} of {{nb}}"), align="C")
            self.set_text_color(0, 0, 0)

    pdf = DemoPDF(format="A4")
    pdf.set_margins(20, 16, 20)
    pdf.set_auto_page_break(True, margin=20)
    pdf.creation_date = _when(spec["date"])
    pdf.set_title(pdf_text(spec["title"]))
    pdf.set_author(pdf_text(spec.get("author", org)))
    pdf.set_subject(pdf_text(f"{case_ref} - {spec['title']}"))
    pdf.set_creator("casework demo caseload builder")
    pdf.set_keywords(pdf_text(f"{case_ref} demo fictional"))
    pdf.set_lang("en-GB")

    line_h = 5.2
    for page_no, page in enumerate(spec["pages"], start=1):
        pdf.add_page()
        if page_no == 1:
            pdf.set_font("helvetica", "B", 13)
            pdf.multi_cell(0, 6.5, pdf_text(org), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            pdf.set_font("helvetica", "", 8.5)
            for ln in spec.get("org_lines", []):
                pdf.cell(0, 4.2, pdf_text(ln), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            pdf.ln(1.5)
            pdf.set_draw_color(120, 120, 120)
            pdf.line(pdf.l_margin, pdf.get_y(), pdf.w - pdf.r_margin, pdf.get_y())
            pdf.ln(4)
        for kind, payload in parse_blocks(page):
            if kind == "h1":
                pdf.set_font("helvetica", "B", 12)
                pdf.multi_cell(0, 6.2, pdf_text(payload), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
                pdf.ln(2)
            elif kind == "h2":
                pdf.set_font("helvetica", "B", 10.5)
                pdf.multi_cell(0, line_h + 0.3, pdf_text(payload), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
                pdf.ln(1)
            elif kind == "pre":
                pdf.set_font("helvetica", "", 10)
                for ln in payload:
                    pdf.cell(0, line_h, pdf_text(ln), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
                pdf.ln(2.5)
            elif kind == "bullets":
                pdf.set_font("helvetica", "", 10)
                for item in payload:
                    pdf.set_x(pdf.l_margin + 3)
                    pdf.cell(4, line_h, "-")
                    pdf.multi_cell(0, line_h, pdf_text(item), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
                pdf.ln(2)
            elif kind == "table":
                pdf.set_font("helvetica", "", 9)
                ncols = max(len(r) for r in payload)
                widths = tuple(min(60, max(14, max(len(r[j]) if j < len(r) else 0 for r in payload)))
                               for j in range(ncols))
                with pdf.table(col_widths=widths, text_align="LEFT", line_height=4.8, padding=1.2) as table:
                    for row in payload:
                        r = table.row()
                        for cell in row:
                            r.cell(pdf_text(cell))
                pdf.ln(3)
            else:
                pdf.set_font("helvetica", "", 10)
                pdf.multi_cell(0, line_h, pdf_text(payload), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
                pdf.ln(2.5)
        if pdf.page != page_no:
            raise RuntimeError(f"{case_ref}/{spec['filename']}: content page {page_no} overflowed onto another page")
    return bytes(pdf.output())


# --------------------------------------------------------------------------- DOCX

def _fixed_zip(data: bytes, when: dt.datetime) -> bytes:
    """Rewrite a ZIP container with fixed timestamps so output is byte-stable."""
    stamp = (when.year, when.month, when.day, when.hour, when.minute, 0)
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            zi = zipfile.ZipInfo(info.filename, date_time=stamp)
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o644 << 16
            dst.writestr(zi, src.read(info.filename))
    return out.getvalue()


def build_docx(spec: dict, case_ref: str) -> bytes:
    from docx import Document
    from docx.shared import Pt

    when = _when(spec["date"])
    doc = Document()
    style = doc.styles["Normal"]
    style.font.name = "Calibri"
    style.font.size = Pt(10.5)

    cp = doc.core_properties
    cp.author = spec.get("author", "")
    cp.last_modified_by = spec.get("author", "")
    cp.title = spec["title"]
    cp.subject = case_ref
    cp.keywords = "demo; fictional"
    cp.comments = "Fictional demo record."
    cp.category = spec.get("category", "")
    cp.created = when.replace(tzinfo=None)
    cp.modified = when.replace(tzinfo=None)
    cp.last_printed = when.replace(tzinfo=None)
    cp.revision = 1

    if spec.get("org"):
        p = doc.add_paragraph()
        run = p.add_run(spec["org"])
        run.bold = True
        run.font.size = Pt(9)
    if spec.get("marking"):
        p = doc.add_paragraph()
        run = p.add_run(spec["marking"])
        run.bold = True
        run.font.size = Pt(8)
    doc.add_heading(spec["title"], level=1)

    for kind, payload in parse_blocks(spec["body"]):
        if kind == "h1":
            doc.add_heading(payload, level=1)
        elif kind == "h2":
            doc.add_heading(payload, level=2)
        elif kind == "pre":
            p = doc.add_paragraph()
            for i, ln in enumerate(payload):
                run = p.add_run(ln)
                if i < len(payload) - 1:
                    run.add_break()
        elif kind == "bullets":
            for item in payload:
                doc.add_paragraph(item, style="List Bullet")
        elif kind == "table":
            rows = payload
            ncols = max(len(r) for r in rows)
            table = doc.add_table(rows=len(rows), cols=ncols)
            table.style = "Table Grid"
            for i, row in enumerate(rows):
                for j in range(ncols):
                    cell = table.cell(i, j)
                    cell.text = row[j] if j < len(row) else ""
                    if i == 0:
                        for par in cell.paragraphs:
                            for run in par.runs:
                                run.bold = True
            doc.add_paragraph()
        else:
            doc.add_paragraph(payload)

    buf = io.BytesIO()
    doc.save(buf)
    return _fixed_zip(buf.getvalue(), when)


# --------------------------------------------------------------------------- EML

def _wrap_body(body: str) -> str:
    out = []
    for para in textwrap.dedent(body).strip("\n").split("\n\n"):
        lines = para.split("\n")
        if any(ln.startswith(("  ", "-", ">", "|")) for ln in lines) or len(lines) > 1 and all(len(ln) < 60 for ln in lines):
            out.append("\n".join(ln.rstrip() for ln in lines))  # keep signatures, lists, quoted text
        else:
            out.append(textwrap.fill(" ".join(ln.strip() for ln in lines), width=76))
    return "\n\n".join(out) + "\n"


def build_eml(spec: dict, case_ref: str, index: int) -> bytes:
    msg = EmailMessage()
    msg["From"] = spec["from"]
    msg["To"] = spec["to"]
    if spec.get("cc"):
        msg["Cc"] = spec["cc"]
    msg["Date"] = format_datetime(_when(spec["date"]))
    msg["Subject"] = spec["subject"]
    msg["Message-ID"] = f"<{case_ref.lower()}.{index:02d}@demo.example.gov.uk>"
    if spec.get("in_reply_to"):
        msg["In-Reply-To"] = spec["in_reply_to"]
    msg.set_content(_wrap_body(spec["body"]), cte="8bit")
    for att in spec.get("attachments", []):
        if "pdf" in att:
            pdf_spec = dict(att["pdf"], filename=att["filename"])
            data = build_pdf(pdf_spec, case_ref)
            msg.add_attachment(data, maintype="application", subtype="pdf", filename=att["filename"])
        else:
            maintype, subtype = att.get("mime", "text/plain").split("/")
            msg.add_attachment(textwrap.dedent(att["text"]).lstrip("\n"), subtype=subtype, filename=att["filename"])
    if msg.is_multipart():
        msg.set_boundary(f"=_demo_{case_ref}_{index:02d}")
    # Long lines allowed in headers so that subjects are not folded straight after the colon.
    return msg.as_bytes(policy=msg.policy.clone(max_line_length=200))


# --------------------------------------------------------------------------- main

def read_content(name: str) -> dict:
    """One data file of demo/content/ (YAML keeps key order, so the JSON written from it is stable)."""
    with (CONTENT_DIR / f"{name}.yaml").open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def build_document(doc: dict, case_ref: str, index: int) -> bytes:
    name = doc["filename"]
    ext = name.rsplit(".", 1)[-1].lower()
    if ext in ("txt", "md"):
        return (textwrap.dedent(doc["text"]).strip("\n") + "\n").encode("utf-8")
    if ext == "pdf":
        return build_pdf(doc, case_ref)
    if ext == "docx":
        return build_docx(doc, case_ref)
    if ext == "eml":
        return build_eml(doc, case_ref, index)
    raise ValueError(f"unsupported document type: {name}")


def validate(persons: list[dict], accounts: list[dict], cases: list[dict]) -> None:
    person_refs = {p["reference"] for p in persons}
    officers = {(a["username"], a["team"]) for a in accounts if a["role"] == "officer"}
    seen = set()
    for case in cases:
        ref = case["reference"]
        assert ref not in seen, f"duplicate case {ref}"
        seen.add(ref)
        assert case["person"] in person_refs, f"{ref}: unknown person {case['person']}"
        assert TEAM_CASE_TYPES[case["team"]] == case["case_type"], f"{ref}: wrong case type"
        assert (case["officer"], case["team"]) in officers, f"{ref}: officer not in team"
        names = [d["filename"] for d in case["documents"]]
        assert len(names) == len(set(names)), f"{ref}: duplicate file names"


def main() -> int:
    people = read_content("people")
    persons, accounts = people["persons"], people["accounts"]
    cases = [case for service in SERVICES for case in read_content(service)["cases"]]
    validate(persons, accounts, cases)

    if FILES_DIR.exists():
        shutil.rmtree(FILES_DIR)
    n_docs = 0
    for case in cases:
        case_dir = FILES_DIR / case["reference"]
        case_dir.mkdir(parents=True)
        for index, doc in enumerate(case["documents"], start=1):
            (case_dir / doc["filename"]).write_bytes(build_document(doc, case["reference"], index))
            n_docs += 1

    keys = ("reference", "person", "team", "case_type", "officer", "title", "opened_on")
    caseload = {
        "persons": persons,
        "cases": [{k: case[k] for k in keys} for case in cases],
        "accounts": accounts,
    }
    CASELOAD_JSON.write_text(json.dumps(caseload, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {CASELOAD_JSON.relative_to(DEMO_DIR.parent)}: {len(persons)} persons, "
          f"{len(cases)} cases, {len(accounts)} accounts; {n_docs} documents under "
          f"{FILES_DIR.relative_to(DEMO_DIR.parent)}/")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
