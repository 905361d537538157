"""The Incoming correspondence queue: a team's new letters and e-mails, those that read as a cry for help first.

Why: a department that receives thousands of letters a day must serve first the few people at risk, and an
officer must see why a letter was put first. Each letter or e-mail of the team's cases is scored by the trained
vulnerability classifier (summariser/checks/vulnerability.py) as one whole document; the sentences that drove
its score are its reasons. The queue is ranked by band of score, and within a band the oldest comes first, so a
letter that waits does not sink below newer ones of about the same score.

What counts as correspondence (`correspondence_kind`): an e-mail (a file the loader read as e-mail), and a
letter as post arrives, on paper, scanned in: a PNG, JPEG or TIFF file, or a PDF with a page read by OCR.
A PDF or Word file with a text layer, and a text or Markdown file, is most often the service's own letter,
report, form or note (the demo's "outcome-letter.pdf" is one the council sent), so it is not listed: its score
is still shown on request (`score`, the CLI's `triage --document`). Erased documents are never listed. The
date received is an e-mail's Date header when it reads as a date no later than when the file was added, and
otherwise when the file was added to the case (the day the post was scanned in).

Scores are worked out from the stored text once per document and model version, by the background worker soon
after a letter is added (summariser/services/checking.py) or by whoever needs one first, and stored
(summariser/checks/results.py), so the first listing in a new process scores nothing it need not; a retrained
model has a new version and so scores every letter again. An officer or supervisor of the case's team confirms
a flag ("it shows signs of risk") or dismisses it ("it does not"), with a reason: a `triage_decided` event with
the score, the sentences and the model's version they were shown. A decided letter leaves the queue.

Those decisions are labelled data for retraining, and `export_labels` writes them out with the document's text
and the sentences shown: the label alone, with ids, cannot retrain a model that reads text. That file is
personal data (what people wrote about their lives, and officers' reasons), so only an administrator may export
it, documents erased since are left out, and the export itself is recorded (`triage_labels_exported`, with the
file's SHA-256).
"""
from __future__ import annotations

import dataclasses
import hashlib
import json
import threading
from dataclasses import dataclass
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from typing import TYPE_CHECKING

from cachetools import LRUCache

from audit.log import AuditLog
from audit.queries import EventFilter
from retrieval.errors import NotAuthorised, NotFound
from retrieval.records import access
from retrieval.records.access import User
from retrieval.records.store import Case, CaseRecords, Document
from summariser.checks.results import AlreadyStored, CheckResults, text_sha256
from summariser.checks.vulnerability import Assessment, SentenceScore, VulnerabilityScorer
from summariser.errors import SummariserError

if TYPE_CHECKING:
    from summariser.services.cases import CaseService

DECIDED, EXPORTED = "triage_decided", "triage_labels_exported"
CONFIRMED, DISMISSED = "confirmed", "dismissed"  # signs of risk; none
DECISIONS = (CONFIRMED, DISMISSED)
EMAIL, LETTER = "e-mail", "letter"
SCAN_KINDS = frozenset({"png", "jpeg", "tiff"})
RECENT_DECISIONS = 20  # decided letters shown under the queue, newest first
CACHED_SCORES = 50_000  # assessments kept per process (a few hundred bytes each)


@dataclass(frozen=True)
class Band:
    """A range of scores the queue groups letters by; within one, the oldest letter comes first."""
    rank: int  # 0: the top band
    name: str
    lowest: float  # the lowest score in the band


def bands(threshold: float) -> tuple[Band, ...]:
    """The queue's bands, highest first: above the threshold, tenths of the score (0.9 and above, 0.8 to 0.9 ...)
    down to the threshold, so a letter scoring 0.95 is never below one scoring 0.5 however old that one is;
    below it, one band of letters the model does not flag."""
    cuts = [round(c / 10, 1) for c in range(9, 0, -1) if c / 10 > threshold]
    found = [Band(i, f"Flagged, score {cut:.1f} or more" if i == 0 else
                 f"Flagged, score {cut:.1f} to {cuts[i - 1]:.1f}", cut) for i, cut in enumerate(cuts)]
    top = cuts[-1] if cuts else 1.0
    found.append(Band(len(found), f"Flagged, score {threshold:.2f} to {top:.1f}" if cuts else
                      f"Flagged, score {threshold:.2f} or more", threshold))
    found.append(Band(len(found), f"Not flagged, score under {threshold:.2f}", float("-inf")))
    return tuple(found)


def band_of(score: float, threshold: float) -> Band:
    return next(band for band in bands(threshold) if score >= band.lowest)


def correspondence_kind(document: Document) -> str | None:
    """EMAIL, LETTER, or None for a document that is not incoming correspondence (see the module's docstring)."""
    if document.erased_at is not None:
        return None
    if document.kind == "eml":
        return EMAIL
    if document.kind in SCAN_KINDS or any(page.ocr for page in document.pages):
        return LETTER
    return None


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def received_at(document: Document) -> datetime:
    """When the letter or e-mail arrived (see the module's docstring), in UTC."""
    added = _aware(document.added_at)
    header = document.metadata.get("date") if document.kind == "eml" else None
    try:
        sent = _aware(parsedate_to_datetime(header)) if header else None
    except (TypeError, ValueError, IndexError):
        sent = None
    return sent.astimezone(timezone.utc) if sent is not None and sent <= added else added


class LetterScores:
    """Each document's assessment, stored once per text and model version and kept in memory too: what the queue
    and the background worker share."""

    def __init__(self, scorer: VulnerabilityScorer, results: CheckResults):
        self.scorer, self.results = scorer, results
        self._scores: LRUCache = LRUCache(CACHED_SCORES)
        self._lock = threading.Lock()

    def assess(self, documents: list[Document]) -> dict[int, Assessment]:
        """Each document's assessment: in memory, else stored, else scored now (and stored)."""
        model = self.scorer.version
        keys = {d.id: (text_sha256(d), model) for d in documents}
        with self._lock:
            found = {d.id: self._scores[keys[d.id]] for d in documents if keys[d.id] in self._scores}
        missing = [d for d in documents if d.id not in found]
        stored = self.results.read(model, missing)
        found |= {doc_id: _assessment(result) for doc_id, result in stored.items()}
        unscored = [d for d in missing if d.id not in stored]
        for document, assessment in zip(unscored, self.scorer.assess_many([d.text for d in unscored])):
            found[document.id] = assessment
            try:
                self.results.store(model, document, dataclasses.asdict(assessment))
            except AlreadyStored:
                pass
        with self._lock:
            self._scores.update({keys[doc_id]: assessment for doc_id, assessment in found.items()})
        return found

    def check(self, documents: list[Document]) -> None:
        """The background worker's check: score the letters and e-mails among these documents."""
        self.assess([d for d in documents if correspondence_kind(d)])


def _assessment(result: dict) -> Assessment:
    return Assessment(result["score"], result["flagged"], tuple(SentenceScore(**s) for s in result["sentences"]))


class NotCorrespondence(SummariserError):
    default = ("That document is not a letter or e-mail in the Incoming correspondence queue, so there is "
               "nothing to decide. Reload the queue.")


@dataclass(frozen=True)
class Decision:
    """An officer's decision on one letter, as recorded."""
    decision: str  # CONFIRMED or DISMISSED
    reason: str
    actor: str
    role: str | None
    recorded_at: str
    score: float  # what the officer was shown: the score, the model's version, its threshold then
    model: str
    threshold: float
    flagged: bool


@dataclass(frozen=True)
class Triaged:
    """One letter or e-mail with its score, band and reasons (the sentences that drove the score, highest first)."""
    document_id: int
    case_reference: str
    person_name: str
    filename: str
    kind: str | None  # EMAIL, LETTER, or None for a document that is not correspondence (`score` only)
    received: datetime
    score: float
    flagged: bool
    band: Band
    sentences: tuple[SentenceScore, ...]
    model: str
    threshold: float
    decision: Decision | None = None


@dataclass(frozen=True)
class Queue:
    team: str
    waiting: tuple[Triaged, ...]  # not yet decided, ranked: band, then oldest first
    decided: tuple[Triaged, ...]  # the newest decisions first, at most RECENT_DECISIONS
    decided_total: int
    model: str
    threshold: float


@dataclass(frozen=True)
class LabelExport:
    """The labelled decisions as JSON Lines (one decision a line), and what the export recorded."""
    text: str
    decisions: int
    left_out: int
    file_sha256: str


class TriageService:
    """The queue of a team's incoming correspondence, one document's score, decisions and their export, through
    the case gate. `scores` are the trained classifier's (the sign-off tier's, in the wiring)."""

    def __init__(self, cases: CaseService, records: CaseRecords, audit: AuditLog, scores: LetterScores):
        self.cases, self.records, self.audit, self.scores = cases, records, audit, scores
        self.scorer = scores.scorer

    @property
    def model(self) -> str:
        return self.scorer.version

    @property
    def threshold(self) -> float:
        return self.scorer.threshold

    def assess(self, documents: list[Document]) -> dict[int, Assessment]:
        return self.scores.assess(documents)

    def _triaged(self, document: Document, case: Case, assessment: Assessment,
                 decision: Decision | None = None) -> Triaged:
        return Triaged(document.id, case.reference, case.person.full_name, document.filename,
                       correspondence_kind(document), received_at(document), assessment.score, assessment.flagged,
                       band_of(assessment.score, self.threshold), assessment.sentences, self.model,
                       self.threshold, decision)

    def score(self, user: User, document_id: int) -> Triaged:
        """One document's score and reasons, the same as the queue shows (for the CLI and the Case page); any
        document of a case the user may open, correspondence or not."""
        document = self.cases.document(user, document_id)
        if document.erased_at is not None:
            raise SummariserError("That document has been erased, so it has no text to score.")
        case = self.records.case_by_id(document.case_id)
        return self._triaged(document, case, self.assess([document])[document.id], self._decisions([case]).get(
            document.id))

    # the queue ---------------------------------------------------------------------------------------------
    def teams(self, user: User) -> list[str]:
        """The teams whose queue this user may see: their own, or (an administrator) every team with cases."""
        if user.visible_teams is not None:
            return sorted(user.visible_teams)
        return sorted({o.case.team for o in self.records.overview(None)})

    def may_decide(self, user: User, team: str) -> bool:
        """Whether to offer this user the Confirm and Dismiss buttons on this team's queue."""
        return access.is_team_member(user, team)

    def _decisions(self, cases: list[Case], texts: bool = False) -> dict[int, Decision]:
        """The latest decision on each document of these cases (reasons unread unless `texts`)."""
        references = frozenset(c.reference for c in cases)
        if not references:
            return {}
        found = {}
        for event in self.audit.events(actions=(DECIDED,), where=EventFilter(case_references=references),
                                       texts=texts):
            data = event.data
            found[data.document_id] = Decision(data.decision, data.reason, event.actor, data.role,
                                               event.recorded_at, data.score, data.model, data.threshold,
                                               data.flagged)
        return found

    def queue(self, user: User, team: str | None = None) -> Queue:
        """The team's letters and e-mails nobody has decided yet, ranked by band of score and within a band the
        oldest first, and the latest decisions. Only a user who may see the team's cases may see its queue."""
        team = team or user.team
        if user.visible_teams is None and team not in self.teams(user):
            raise SummariserError(f"There is no team called {team} with cases. Choose one of: "
                                  f"{', '.join(self.teams(user)) or 'none yet'}.")
        if not user.may_see(team):
            raise NotAuthorised(f"You cannot see the {team} team's correspondence: you work in the {user.team} "
                                "team.")
        cases = {o.case.id: o.case for o in self.records.overview(frozenset({team}))}
        letters = [d for d in self.records.documents_of_cases(cases) if correspondence_kind(d) is not None]
        decisions = self._decisions(list(cases.values()))
        waiting_documents = [d for d in letters if d.id not in decisions]
        assessed = self.assess(waiting_documents)
        waiting = sorted((self._triaged(d, cases[d.case_id], assessed[d.id]) for d in waiting_documents),
                         key=lambda t: (t.band.rank, t.received, t.document_id))
        decided_ids = [d for d in letters if d.id in decisions]
        recent = sorted(decided_ids, key=lambda d: decisions[d.id].recorded_at, reverse=True)[:RECENT_DECISIONS]
        with_reasons = self._decisions([cases[d.case_id] for d in recent], texts=True) if recent else {}
        decided = tuple(self._decided(d, cases[d.case_id], with_reasons.get(d.id, decisions[d.id])) for d in recent)
        return Queue(team, tuple(waiting), decided, len(decided_ids), self.model, self.threshold)

    def _decided(self, document: Document, case: Case, decision: Decision) -> Triaged:
        """A decided letter as it was shown when decided: the recorded score (sentences are in the log)."""
        return Triaged(document.id, case.reference, case.person.full_name, document.filename,
                       correspondence_kind(document), received_at(document), decision.score, decision.flagged,
                       band_of(decision.score, decision.threshold), (), decision.model, decision.threshold, decision)

    # decisions ---------------------------------------------------------------------------------------------
    def decide(self, user: User, document_id: int, decision: str, reason: str) -> Decision:
        """Record that a letter shows signs of risk (CONFIRMED) or does not (DISMISSED), with the reason and what
        the officer was shown; it leaves the queue. Only the officers and supervisors of the case's team may."""
        if decision not in DECISIONS:
            raise SummariserError("Choose whether the letter shows signs of risk (confirm) or not (dismiss).")
        document = self.cases.document(user, document_id)
        case = self.records.case_by_id(document.case_id)
        access.require_team_member(user, case.team, "confirm or dismiss a flag on its correspondence")
        if correspondence_kind(document) is None:
            raise NotCorrespondence()
        if not reason.strip():
            raise SummariserError("Say why (for example, which words show a risk, or why they do not), then "
                                  "confirm or dismiss again.")
        triaged = self._triaged(document, case, self.assess([document])[document.id])

        def not_yet_decided(conn) -> None:
            if any(e.data.document_id == document_id for e in self.audit.events(
                    case_reference=case.reference, actions=(DECIDED,), texts=False, conn=conn)):
                raise SummariserError("Someone else has just decided this letter. Reload the queue.")
        event = self.audit.append(user.username, DECIDED, {
            "document_id": document_id, "decision": decision, "reason": reason.strip(), "role": user.role,
            "model": self.model, "score": float(triaged.score), "threshold": float(self.threshold),
            "flagged": bool(triaged.flagged), "text_sha256": text_sha256(document),
            "sentences": [{"start": s.start, "end": s.end, "score": float(s.score), "excerpt": s.text}
                          for s in triaged.sentences]}, case.reference, precondition=not_yet_decided)
        return Decision(decision, reason.strip(), event.actor, user.role, event.recorded_at, triaged.score, self.model,
                        self.threshold, triaged.flagged)

    def export_labels(self, user: User) -> LabelExport:
        """Every decision, with the text of its document and the sentences shown, as JSON Lines for retraining.

        This is personal data: the letters' texts and the officers' reasons. Only an administrator may export it,
        documents erased since (or whose text is no longer the one decided on) are left out, and the export is recorded in the audit log with the file's SHA-256.
        Each line: the document and case, the label (`at_risk`: true for confirmed), the decision, its reason,
        who decided and when, the model's version, score and threshold then, the sentences shown, and `text`."""
        access.require_admin(user, "export the triage decisions, which hold the letters' text")
        lines, left_out = [], 0
        for event in self.audit.events(actions=(DECIDED,), texts=True):
            data = event.data
            try:
                document = self.records.document(data.document_id)
            except NotFound:  # no longer exists: left out like an erased one
                document = None
            if document is None or document.erased_at is not None or \
                    (data.text_sha256 and data.text_sha256 != text_sha256(document)):  # a label of another text
                left_out += 1
                continue
            case = self.records.case_by_id(document.case_id)
            lines.append(json.dumps({
                "document_id": document.id, "case_reference": case.reference, "team": case.team,
                "kind": correspondence_kind(document), "filename": document.filename,
                "at_risk": data.decision == CONFIRMED, "decision": data.decision, "reason": data.reason,
                "decided_by": event.actor, "role": data.role, "decided_at": event.recorded_at,
                "model": data.model, "score": data.score, "threshold": data.threshold, "flagged": data.flagged,
                "sentences": [{"start": s.start, "end": s.end, "score": s.score, "text": s.excerpt}
                              for s in data.sentences],
                "text_sha256": text_sha256(document), "text": document.text}, ensure_ascii=False))
        text = "".join(line + "\n" for line in lines)
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
        self.audit.append(user.username, EXPORTED, {"decisions": len(lines), "left_out": left_out,
                                                    "file_sha256": digest})
        return LabelExport(text, len(lines), left_out, digest)
