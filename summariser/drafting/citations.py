"""Checking a draft's [n] citations against the numbered sources it was given.

Every [n] must resolve to a source (a document and page); one that points to
nothing is flagged, and sentences with no citation at all are listed, so the
officer sees at once what the draft does not support.
"""
from __future__ import annotations

import re
from dataclasses import asdict, dataclass

from summariser.text import BULLET, CITATION, split_sentences


def recite(text: str, sentence: str, number: int) -> str | None:
    """The draft with one sentence citing source [number] instead of what it cites, or None if the sentence is
    not in the text as written. Its own citations give way to [number]; a sentence with none of its own (a
    bullet's citations cover it) gets [number] at the start of its bullet, or before its closing stop."""
    at = text.find(sentence)
    if at < 0:
        return None
    first = CITATION.search(sentence)
    if first:
        rest = re.sub(r"\s*" + CITATION.pattern, "", sentence[first.end():])
        new = f"{sentence[:first.start()]}[{number}]{rest}"
    elif BULLET.fullmatch(text[text.rfind("\n", 0, at) + 1:at]):
        new = f"[{number}] {sentence}"
    else:
        body = sentence.rstrip()
        stop = len(body) - len(body.rstrip(".!?"))
        new = f"{body[:len(body) - stop]} [{number}]{body[len(body) - stop:]}{sentence[len(body):]}"
    return text[:at] + new + text[at + len(sentence):]


@dataclass(frozen=True)
class Source:
    number: int
    chunk_id: str
    case_reference: str
    document_id: int
    filename: str
    page: int
    start: int
    end: int
    text: str

    def label(self) -> str:
        return f"{self.filename}, page {self.page}"


@dataclass(frozen=True)
class CitationReport:
    resolved: dict[int, dict]          # n -> {document_id, filename, page, chunk_id}
    unresolved: list[int]              # numbers cited that match no source
    uncited_sentences: list[str]       # sentences of lines (not headings) with no [n] anywhere on the line
    missing_sections: list[str]        # template headings absent from the draft

    @property
    def ok(self) -> bool:
        return not self.unresolved

    def as_dict(self) -> dict:
        data = asdict(self)
        data["resolved"] = {str(n): v for n, v in self.resolved.items()}
        return data

    @staticmethod
    def from_dict(data: dict) -> "CitationReport":
        return CitationReport({int(n): v for n, v in data["resolved"].items()}, data["unresolved"],
                              data["uncited_sentences"], data["missing_sections"])


def cited_numbers(text: str) -> list[int]:
    """Every source number cited, in order of first appearance; ranges like [2-4] are expanded."""
    numbers: list[int] = []
    for match in CITATION.finditer(text):
        for part in re.split(r"\s*,\s*", match.group(1)):
            bounds = [int(x) for x in re.split(r"\s*[-–]\s*", part)]
            span = range(bounds[0], bounds[-1] + 1) if len(bounds) == 2 and bounds[1] - bounds[0] < 50 else bounds
            numbers.extend(n for n in span if n not in numbers)
    return numbers


def check_citations(text: str, sources: list[Source], sections: tuple[str, ...] = ()) -> CitationReport:
    by_number = {s.number: s for s in sources}
    resolved, unresolved = {}, []
    for n in cited_numbers(text):
        if n in by_number:
            s = by_number[n]
            resolved[n] = {"document_id": s.document_id, "filename": s.filename, "page": s.page,
                           "chunk_id": s.chunk_id, "case_reference": s.case_reference}
        else:
            unresolved.append(n)
    uncited = []
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#") or line.strip("-* ").lower().rstrip(".") == "nothing recorded":
            continue
        if CITATION.search(line):  # a cited bullet or sentence line counts as cited as a whole
            continue
        uncited.extend(s for s in split_sentences(line) if len(s.strip(" -*")) > 12)
    heads = {h.strip("# ").strip().lower() for h in text.splitlines() if h.strip().startswith("#")}
    missing = [s for s in sections if s.lower() not in heads]
    return CitationReport(resolved, unresolved, uncited, missing)
