"""Documents drafts must not trust yet: flagged when added, held out of drafts until an officer confirms.

Two kinds of flag, one flow. INJECTION: the document may hold a prompt injection. OCR: some of its pages were
read by OCR with a confidence below the threshold (issue 15), so its text, and the facts read from it, may be
wrong until someone checks them against the paper copy. A document may carry both; it is held back, as a
whole, until every kind it carries is confirmed (docs/decisions/0012-ocr.md).

Screening (summariser/checks/injection.py) is deterministic for a text and a detector version. Its result is
stored (summariser/checks/results.py), worked out by the background worker soon after a file is added
(summariser/services/checking.py), so adding a file does not wait for it; a draft that starts before then screens
what is missing itself, so nothing unscreened ever reaches a draft. A page's `low_confidence` is stored with the
document when it is added. A retrained detector has a new version, and so screens every document again. What is
recorded is what was found and what people did: `document_flagged` when a flagged document's screening is stored
(in the same transaction, with the sentences and the pages, so the log shows what was seen at the time; its actor
is whoever added the file), and `document_confirmed` when an officer of the case's team confirms it, naming the
kinds confirmed. A confirmed document is used by drafts again; a flagged, unconfirmed one gives drafts neither its
passages nor its facts.
"""
from __future__ import annotations

import threading
from dataclasses import dataclass, replace
from collections.abc import Iterable
from typing import TYPE_CHECKING

from audit.log import AuditLog
from retrieval.records import access
from retrieval.records.access import User
from retrieval.records.passages import Chunk
from retrieval.records.store import Case, CaseRecords, Document
from summariser.checks.injection import Finding, InjectionDetector, Screening
from summariser.checks.results import AlreadyStored, CheckResults, text_sha256
from summariser.errors import SummariserError

if TYPE_CHECKING:
    from summariser.services.cases import CaseService

FLAGGED, CONFIRMED = "document_flagged", "document_confirmed"
INJECTION, OCR = "injection", "ocr"  # the kinds of flag, in the order they are shown
OCR_DETECTOR = "ocr-confidence"  # what raised an OCR flag: a page's stored confidence under the threshold

CONFIRMING = {  # finishes "Only an officer or supervisor of the ... team can ..."
    (INJECTION,): "confirm that a document of this case is ordinary correspondence",
    (OCR,): "confirm that the recognised text of a document of this case is right",
    (INJECTION, OCR): "confirm a flagged document of this case"}
NOTE_MISSING = {
    (INJECTION,): "Say why this document is ordinary correspondence (for example, who wrote it and why the flagged "
                  "passage is not an instruction), then confirm again.",
    (OCR,): "Say what you checked (for example, that the names, dates and amounts on the hard-to-read pages match "
            "the paper copy), then confirm again.",
    (INJECTION, OCR): "Say why this document is ordinary correspondence and what you checked against the paper "
                      "copy, then confirm again."}
HELD_DOCUMENT = {  # why drafting refuses a summary of one held-back document
    (INJECTION,): "This document may contain instructions addressed to an AI, so it is kept out of drafts. Read the "
                  "flagged passage on the Case page; if it is ordinary correspondence, confirm it there, then draft "
                  "again.",
    (OCR,): "This document was read by OCR with low confidence, so its text may be wrong and it is kept out of "
            "drafts. Check it against the paper copy; if the recognised text is right, confirm it on the Case page, "
            "then draft again.",
    (INJECTION, OCR): "This document may contain instructions addressed to an AI, and it was read by OCR with low "
                      "confidence, so it is kept out of drafts. Read it on the Case page; if it is ordinary "
                      "correspondence and its text matches the paper copy, confirm it there, then draft again."}
HELD_CASE = {  # why drafting refuses a case whose every document is held back
    (INJECTION,): "Every document of this case may contain instructions addressed to an AI, so there is nothing to "
                  "draft from yet. Read the flagged passages on the Case page and confirm the ordinary ones, then "
                  "draft again.",
    (OCR,): "Every document of this case was read by OCR with low confidence, so there is nothing to draft from "
            "until someone checks them. Check their text against the paper copies on the Case page and confirm the "
            "ones that are right, then draft again.",
    (INJECTION, OCR): "Every document of this case is kept out of drafts until someone checks it: some may contain "
                      "instructions addressed to an AI, some were read by OCR with low confidence. Read them on the "
                      "Case page and confirm the ones that are right, then draft again."}


def _in_words(kinds: Iterable[str], words: dict[tuple[str, ...], str]) -> str:
    """The wording for these kinds of flag (keys hold the kinds in the order INJECTION, OCR; none: the widest)."""
    kinds = set(kinds)
    return words[tuple(kind for kind in (INJECTION, OCR) if kind in kinds) or (INJECTION, OCR)]


class NotFlagged(SummariserError):
    default = "That document is not flagged, so there is nothing to confirm. Reload the case to see its documents."


class DocumentHeldBack(SummariserError):
    default = HELD_DOCUMENT[(INJECTION,)]

    @classmethod
    def of(cls, kinds: Iterable[str], whole_case: bool = False) -> "DocumentHeldBack":
        """The refusal for a held-back document (or a case whose every document is held back), in the words of
        the kinds of flag that hold it."""
        return cls(_in_words(kinds, HELD_CASE if whole_case else HELD_DOCUMENT))


@dataclass(frozen=True)
class FlaggedPassage:
    """A stored passage holding a flagged sentence, with where that sentence lies in it."""
    chunk_id: str
    page: int
    text: str
    sentence_start: int  # offsets of the flagged sentence within `text` (OCR: 0, 0, as no sentence is marked)
    sentence_end: int
    reasons: tuple[str, ...]
    kind: str = INJECTION  # OCR: `text` is a whole page read with low confidence, and `chunk_id` is ""


@dataclass(frozen=True)
class DocumentFlag:
    """One flagged document of a case, as the Case page shows it."""
    document_id: int
    filename: str
    passages: tuple[FlaggedPassage, ...]  # what triggered the flag: injection ones first, strongest first
    detector: str  # the injection detector's version, OCR_DETECTOR, or both joined by " + "
    kinds: tuple[str, ...] = (INJECTION,)  # INJECTION, OCR or both
    confirmed_kinds: tuple[str, ...] = ()  # the kinds someone has confirmed so far
    confirmed_by: str | None = None  # the latest confirmation's
    confirmed_at: str | None = None
    note: str | None = None

    @property
    def pending(self) -> tuple[str, ...]:
        """The kinds nobody has confirmed yet."""
        return tuple(kind for kind in self.kinds if kind not in self.confirmed_kinds)

    @property
    def held_back(self) -> bool:
        """True while its passages and facts are kept out of drafts."""
        return bool(self.pending)


def _passages(document: Document, chunks: list[Chunk], findings: tuple[Finding, ...],
              threshold: float) -> tuple[FlaggedPassage, ...]:
    """The stored passage holding each finding (the first that holds it whole, else the one it starts in)."""
    found = []
    for finding in findings:
        chunk = next((c for c in chunks if c.start <= finding.start and finding.end <= c.end), None) or \
            next((c for c in chunks if c.start <= finding.start < c.end), None)
        if chunk is None:  # a document with no stored passages: show the sentence itself
            chunk = Chunk("", document.id, document.page_at(finding.start), finding.start, finding.end,
                          document.text[finding.start:finding.end])
        found.append(FlaggedPassage(chunk.id, chunk.page, chunk.text, finding.start - chunk.start,
                                    min(finding.end, chunk.end) - chunk.start, tuple(finding.reasons(threshold))))
    return tuple(found)


def _low_pages(document: Document) -> list:
    """The pages of a held document read by OCR below the threshold set when it was added."""
    return [page for page in document.pages if page.ocr and page.low_confidence] if document.erased_at is None else []


def _ocr_reason(confidence: float | None, threshold: float | None) -> str:
    """Why an OCR page is held, in plain English."""
    read = f"Read by OCR with {confidence:.0f}% confidence" if confidence is not None else \
        "Read by OCR with an unknown confidence"
    below = f"below the {threshold:g}% threshold" if threshold is not None and (confidence or 0) < threshold else \
        "below the threshold set when it was added"
    return f"{read}, {below}: check it against the paper copy"


class DocumentScreening:
    """Flags, confirmations and the documents drafts must leave out, for a case already opened by its caller
    (the services below and CaseService/DraftingService hold the access gate). `results` stores screenings;
    `ocr_threshold` is the current CASEWORK_OCR_MIN_CONFIDENCE, only for the wording of reasons: which pages are
    low was fixed when added."""

    def __init__(self, records: CaseRecords, audit: AuditLog, detector: InjectionDetector, results: CheckResults,
                 ocr_threshold: float | None = None):
        self.records, self.audit, self.detector, self.ocr_threshold = records, audit, detector, ocr_threshold
        self.results = results
        self._screened: dict[tuple[int, str], Screening] = {}  # this process's copy of what is stored
        self._lock = threading.Lock()

    def screen(self, documents: list[Document], compute: bool = True) -> dict[int, Screening]:
        """Each held document's screening (erased ones: nothing). Those not screened yet are screened and stored
        now, or, without `compute`, left out (the Case page shows them as still being checked)."""
        keys = {d.id: (d.id, text_sha256(d)) for d in documents if d.erased_at is None}
        with self._lock:
            missing = [d for d in documents if d.id in keys and keys[d.id] not in self._screened]
        stored = self.results.read(self.detector.version, missing)
        found = {d.id: _decoded(stored[d.id], self.detector.version) for d in missing if d.id in stored}
        unscreened = [d for d in missing if d.id not in found]
        if compute and unscreened:
            for document, screening in zip(unscreened, self.detector.screen_many([d.text for d in unscreened])):
                self._store(document, screening)
                found[document.id] = screening
        with self._lock:
            self._screened.update({keys[doc_id]: screening for doc_id, screening in found.items()})
            return {doc_id: self._screened[key] for doc_id, key in keys.items() if key in self._screened}

    def _store(self, document: Document, screening: Screening) -> None:
        """Store a screening and, if the document is flagged, its `document_flagged` event in the same
        transaction; a process that finds it stored already records nothing (the first one did)."""
        pages = _low_pages(document)
        kinds = [INJECTION] * screening.flagged + [OCR] * bool(pages)
        case = self.records.case_by_id(document.case_id)
        if kinds:  # a kind recorded already (before screenings were stored, or by an earlier detector) is not again
            recorded = {kind for e in self.audit.events(case_reference=case.reference, actions=(FLAGGED,))
                        if e.data.document_id == document.id for kind in e.data.kinds}
            kinds = [kind for kind in kinds if kind not in recorded]
        try:
            if not kinds:
                self.results.store(screening.detector, document, _encoded(screening))
                return
            self.audit.append(document.added_by, FLAGGED, {
                "document_id": document.id,
                "detector": " + ".join([screening.detector] * (INJECTION in kinds) + [OCR_DETECTOR] * (OCR in kinds)),
                "kinds": kinds,
                "sentences": [{"start": f.start, "end": f.end, "score": f.score, "rules": list(f.rules),
                               "excerpt": f.text} for f in screening.findings] if INJECTION in kinds else []}
                | ({"pages": [{"page": p.number, "confidence": None if p.confidence is None else float(p.confidence)}
                              for p in pages], "threshold": self.ocr_threshold} if OCR in kinds else {}),
                case.reference,
                precondition=lambda conn: self.results.store(screening.detector, document, _encoded(screening), conn))
        except AlreadyStored:
            pass

    def _confirmations(self, case: Case, conn=None) -> dict[int, list]:
        """Each document's confirmations, oldest first (one per kind at most, or one for several kinds)."""
        found: dict[int, list] = {}
        for event in self.audit.events(case_reference=case.reference, actions=(CONFIRMED,), conn=conn):
            found.setdefault(event.data.document_id, []).append(event)
        return found

    def _ocr_passages(self, document: Document) -> tuple[FlaggedPassage, ...]:
        return tuple(FlaggedPassage("", page.number, document.text[page.start:page.end], 0, 0,
                                    (_ocr_reason(page.confidence, self.ocr_threshold),), OCR)
                     for page in _low_pages(document))

    def flags(self, case: Case, documents: list[Document] | None = None, compute: bool = True) -> list[DocumentFlag]:
        """The flagged ones among these documents of the case (default: all of them), confirmed or not; without
        `compute`, only those screened already (and those with pages read with low confidence)."""
        documents = self.records.documents(case) if documents is None else documents
        screenings = self.screen(documents, compute)
        injected = {d.id for d in documents if d.id in screenings and screenings[d.id].flagged}
        flagged = [d for d in documents if d.id in injected or _low_pages(d)]
        if not flagged:
            return []
        confirmed = self._confirmations(case)
        chunks = self.records.passages([d for d in flagged if d.id in injected])
        flags = []
        for document in flagged:
            kinds = tuple(kind for kind, held in ((INJECTION, document.id in injected), (OCR, _low_pages(document)))
                          if held)
            passages = _passages(document, chunks.get(document.id, []), screenings[document.id].findings,
                                 self.detector.threshold) if INJECTION in kinds else ()
            detectors = [screenings[document.id].detector] * (INJECTION in kinds) + [OCR_DETECTOR] * (OCR in kinds)
            events = confirmed.get(document.id, [])
            last = events[-1] if events else None
            flags.append(DocumentFlag(
                document.id, document.filename, passages + self._ocr_passages(document), " + ".join(detectors),
                kinds, tuple(kind for kind in kinds if any(kind in e.data.kinds for e in events)),
                last.actor if last else None, last.recorded_at if last else None, last.data.note if last else None))
        return flags

    def holds(self, case: Case, documents: list[Document]) -> dict[int, tuple[str, ...]]:
        """The documents drafts must leave out (flagged and not confirmed), each with the kinds still pending."""
        return {flag.document_id: flag.pending for flag in self.flags(case, documents) if flag.held_back}

    def held_back(self, case: Case, documents: list[Document]) -> set[int]:
        """Ids of the documents drafts must leave out: flagged and not confirmed."""
        return set(self.holds(case, documents))

    def confirm(self, user: User, case: Case, document_id: int, note: str) -> DocumentFlag:
        """Record that a flagged document is ordinary correspondence, or that its recognised text is right, or
        both: every kind still pending (`document_confirmed`); drafts use it from then on. Only the officers and
        supervisors of the case's team may."""
        flag = next((f for f in self.flags(case) if f.document_id == document_id), None)
        pending = (flag.pending or flag.kinds) if flag else (INJECTION,)
        access.require_team_member(user, case.team, _in_words(pending, CONFIRMING))
        if flag is None:
            raise NotFlagged()
        if not flag.held_back:
            return flag
        if not note.strip():
            raise SummariserError(_in_words(pending, NOTE_MISSING))

        def not_yet_confirmed(conn) -> None:
            done = {kind for event in self._confirmations(case, conn).get(document_id, []) for kind in event.data.kinds}
            if done & set(flag.pending):
                raise SummariserError("Someone else has just confirmed this document. Reload the case.")
        event = self.audit.append(user.username, CONFIRMED, {
            "document_id": document_id, "detector": flag.detector, "note": note.strip(), "role": user.role,
            "kinds": list(flag.pending)}, case.reference, precondition=not_yet_confirmed)
        return replace(flag, confirmed_kinds=flag.kinds, confirmed_by=event.actor, confirmed_at=event.recorded_at,
                       note=note.strip())


class ScreeningService:
    """What the Case page and the CLI call: a case's flagged documents, and confirming one, through the case gate."""

    def __init__(self, cases: CaseService, screening: DocumentScreening):
        self.cases, self.screening = cases, screening

    def flags(self, user: User, reference: str) -> list[DocumentFlag]:
        """Every flagged document of the case, confirmed or not, in the case's document order, among those the
        background worker has screened (a page must not wait for it)."""
        return self.screening.flags(self.cases.case(user, reference), compute=False)

    def being_checked(self, user: User, reference: str) -> int:
        """How many of the case's documents the background worker has not screened yet."""
        documents = [d for d in self.cases.documents(user, reference) if d.erased_at is None]
        return len(documents) - len(self.screening.screen(documents, compute=False))

    def may_confirm(self, user: User, reference: str) -> bool:
        """Whether to offer this user the Confirm button on this case."""
        return access.is_team_member(user, self.cases.case(user, reference).team)

    def confirm(self, user: User, reference: str, document_id: int, note: str) -> DocumentFlag:
        return self.screening.confirm(user, self.cases.case(user, reference), document_id, note)


def _encoded(screening: Screening) -> dict:
    return {"findings": [[f.start, f.end, f.text, f.score, list(f.rules)] for f in screening.findings]}


def _decoded(result: dict, detector: str) -> Screening:
    return Screening(tuple(Finding(start, end, text, score, tuple(rules))
                           for start, end, text, score, rules in result["findings"]), detector)
