"""The Incoming correspondence queue: ranked by band of score and oldest first within one, scoped to the team; an
officer's decision recorded with what they were shown; scores worked out once per process; the administrator's
export of decisions with their texts, audited. A toy classifier (the word "alarm") keeps most of these fast; one
test runs the bundled classifier."""
from __future__ import annotations

import dataclasses
import json
from datetime import datetime, timezone

import numpy as np
import pytest

from retrieval.errors import NotAuthorised
from retrieval.ingest.pipeline import Upload
from retrieval.records.access import User
from schema import documents
from summariser.checks.vulnerability import VulnerabilityModel, VulnerabilityScorer
from summariser.errors import SummariserError
from summariser.services.triage import (CONFIRMED, DECIDED, DISMISSED, EMAIL, EXPORTED, LETTER, NotCorrespondence,
                                        TriageService, band_of, bands, received_at)
from summariser.wiring import letter_scores
from tests.conftest import register
from tests.summariser.scanned import store_scan

ADMIN = User("admin", "admin", "all")
ASHA = User("asha", "officer", "benefits")
GRACE = User("grace", "supervisor", "benefits")
TOM = User("tom", "officer", "housing")


class AlarmEmbedder:
    """Two dimensions: [1, 0] for a sentence with "alarm" in it, [0, 1] otherwise; counts the sentences embedded."""

    def __init__(self):
        self.embedded = 0

    def __call__(self, texts):
        self.embedded += len(texts)
        return [np.array([1.0, 0.0] if "alarm" in t else [0.0, 1.0], dtype=np.float32) for t in texts]


def toy_scorer(embedder) -> VulnerabilityScorer:
    """Logit +4 for an "alarm" sentence, -4 for any other; a document's score is the mean of its top 2."""
    return VulnerabilityScorer(embedder, VulnerabilityModel(np.array([4.0, -4.0], dtype=np.float32), 0.0, 0.5, 2,
                                                            "test", "t1", "0" * 64))


def email(date: str, body: str, subject: str = "My claim") -> bytes:
    return (f"From: Jane Jones <jane@example.org>\nTo: benefits@example.gov.uk\nDate: {date}\nSubject: {subject}\n"
            f"Message-ID: <{abs(hash(body))}@example.org>\nMIME-Version: 1.0\nContent-Type: text/plain; "
            f"charset=utf-8\n\n{body}\n").encode()


ROUTINE = "I am writing about my claim for Universal Credit. Please send me the form again by post."
ALARMED = "The alarm is sounding in my head every night. I raise the alarm because I cannot go on."
HALF = "I raise the alarm about the arrears letter. Please call me on Tuesday about the payment."


def build(make_service, database_url: str | None = None):
    """Services with the toy classifier as the queue's, and two teams' correspondence: BR-1 and BR-2 (benefits),
    HS-1 (housing)."""
    service = make_service(database_url=database_url)
    for reference, team, person in (("BR-1", "benefits", "P-1"), ("BR-2", "benefits", "P-2"),
                                    ("HS-1", "housing", "P-3")):
        register(service, reference, team, person, f"Person {person}")
    embedder = AlarmEmbedder()
    triage = TriageService(service.cases, service.stores.records, service.stores.audit,
                           letter_scores(toy_scorer(embedder), service.stores.records))
    service = dataclasses.replace(service, triage=triage)
    ids = {}
    for reference, name, data in (
            ("BR-1", "old-routine.eml", email("Tue, 01 Oct 2024 09:00:00 +0000", ROUTINE)),
            ("BR-2", "older-routine.eml", email("Mon, 02 Sep 2024 09:00:00 +0000", ROUTINE + " Thank you.")),
            ("BR-2", "alarmed.eml", email("Mon, 10 Feb 2025 21:17:00 +0000", ALARMED)),
            ("BR-1", "case-notes.txt", (ALARMED + "\n").encode()),  # the team's own note: not correspondence
            ("HS-1", "housing.eml", email("Mon, 10 Feb 2025 21:17:00 +0000", ALARMED))):
        [outcome] = service.cases.ingest(ADMIN, reference, [Upload(name, data)])
        ids[name] = outcome.document_id
    ids["half.png"] = store_scan(service, ADMIN, "BR-1", "half.png", [(HALF, 95.0)])
    return service, ids, embedder


@pytest.fixture
def triaged(make_service):
    return build(make_service)


@pytest.fixture
def on_both_databases(make_service, db_url):
    """As `triaged`, on SQLite and on PostgreSQL."""
    return build(make_service, db_url)


def names(rows) -> list[str]:
    return [row.filename for row in rows]


def test_the_queue_is_ranked_and_scoped_to_the_team(on_both_databases):
    service, ids, _ = on_both_databases
    queue = service.triage.queue(ASHA)
    # band first (0.98, then 0.5 which is the threshold), then the oldest first among the unflagged
    assert names(queue.waiting) == ["alarmed.eml", "half.png", "older-routine.eml", "old-routine.eml"]
    first, second, third, _ = queue.waiting
    assert (first.kind, first.flagged, first.band.name) == (EMAIL, True, "Flagged, score 0.9 or more")
    assert first.score == pytest.approx(0.982, abs=1e-3) and first.case_reference == "BR-2"
    assert [s.text for s in first.sentences][:2] == ["The alarm is sounding in my head every night.",
                                                      "I raise the alarm because I cannot go on."]
    assert (second.kind, second.flagged, second.score) == (LETTER, True, 0.5)
    assert not third.flagged and third.band.name == "Not flagged, score under 0.50"
    assert third.received == datetime(2024, 9, 2, 9, tzinfo=timezone.utc)  # the e-mail's Date header
    assert "case-notes.txt" not in names(queue.waiting) and "housing.eml" not in names(queue.waiting)
    assert names(service.triage.queue(GRACE).waiting) == names(queue.waiting)  # the supervisor sees the same
    assert names(service.triage.queue(TOM).waiting) == ["housing.eml"]
    with pytest.raises(NotAuthorised, match="benefits team's correspondence: you work in the housing team"):
        service.triage.queue(TOM, "benefits")
    assert service.triage.teams(ADMIN) == ["benefits", "housing"] and service.triage.teams(ASHA) == ["benefits"]
    assert names(service.triage.queue(ADMIN, "housing").waiting) == ["housing.eml"]
    with pytest.raises(SummariserError, match="Choose one of: benefits, housing"):
        service.triage.queue(ADMIN)


def test_a_decision_is_recorded_with_what_was_shown_and_takes_the_letter_out_of_the_queue(on_both_databases):
    service, ids, _ = on_both_databases
    triage, alarmed = service.triage, ids["alarmed.eml"]
    with pytest.raises(SummariserError, match="Say why"):
        triage.decide(ASHA, alarmed, CONFIRMED, "  ")
    with pytest.raises(NotAuthorised):  # another team's letter
        triage.decide(TOM, alarmed, CONFIRMED, "I read it.")
    with pytest.raises(NotAuthorised, match="Only an officer or supervisor of the benefits team"):
        triage.decide(ADMIN, alarmed, CONFIRMED, "I read it.")  # administrators see every team but work none
    with pytest.raises(NotCorrespondence):
        triage.decide(ASHA, ids["case-notes.txt"], CONFIRMED, "I read it.")
    assert not service.stores.audit.events(actions=(DECIDED,))

    decision = triage.decide(ASHA, alarmed, CONFIRMED, "She says she cannot go on: passed to the duty officer.")
    assert (decision.decision, decision.actor, decision.flagged) == (CONFIRMED, "asha", True)
    [event] = service.stores.audit.events(actions=(DECIDED,))
    data = event.data
    assert (event.actor, event.case_reference, data.document_id, data.decision, data.role) == (
        "asha", "BR-2", alarmed, CONFIRMED, "officer")
    assert data.model == "vulnerability model t1 (000000000000; text 2)" and data.threshold == 0.5 and data.flagged
    assert data.score == pytest.approx(0.982, abs=1e-3)
    assert data.sentences[0].excerpt == "The alarm is sounding in my head every night."
    assert data.reason.startswith("She says she cannot go on")
    with pytest.raises(SummariserError, match="Someone else has just decided this letter"):
        triage.decide(GRACE, alarmed, DISMISSED, "Not at risk.")

    triage.decide(GRACE, ids["half.png"], DISMISSED, "An ordinary question about arrears.")
    queue = triage.queue(ASHA)
    assert names(queue.waiting) == ["older-routine.eml", "old-routine.eml"]
    assert names(queue.decided) == ["half.png", "alarmed.eml"] and queue.decided_total == 2  # newest first
    assert queue.decided[0].decision.reason == "An ordinary question about arrears."
    assert queue.decided[1].decision.decision == CONFIRMED and queue.decided[1].flagged
    assert triage.score(ASHA, alarmed).decision.decision == CONFIRMED


def test_each_text_is_scored_once_per_process(triaged):
    service, ids, embedder = triaged
    service.triage.queue(ASHA)
    embedded = embedder.embedded
    assert embedded > 0
    service.triage.queue(ASHA)
    service.triage.queue(GRACE)
    assert service.triage.score(ASHA, ids["alarmed.eml"]).score == pytest.approx(0.982, abs=1e-3)
    assert embedder.embedded == embedded  # nothing scored again: the queue lists from what it worked out


def test_only_an_administrator_exports_the_decisions_with_their_texts_and_the_export_is_audited(triaged):
    service, ids, _ = triaged
    triage = service.triage
    triage.decide(ASHA, ids["alarmed.eml"], CONFIRMED, "Cannot go on.")
    triage.decide(TOM, ids["housing.eml"], DISMISSED, "A quote from a song.")
    for user in (ASHA, GRACE):
        with pytest.raises(NotAuthorised, match="Only an administrator can export the triage decisions"):
            triage.export_labels(user)
    assert not service.stores.audit.events(actions=(EXPORTED,))

    export = triage.export_labels(ADMIN)
    lines = [json.loads(line) for line in export.text.splitlines()]
    assert (export.decisions, export.left_out, len(lines)) == (2, 0, 2)
    confirmed, dismissed = lines
    assert (confirmed["at_risk"], confirmed["decision"], confirmed["case_reference"], confirmed["team"]) == (
        True, CONFIRMED, "BR-2", "benefits")
    assert ALARMED in confirmed["text"] and confirmed["reason"] == "Cannot go on."  # what retraining needs
    assert confirmed["sentences"][0]["text"] == "The alarm is sounding in my head every night."
    assert confirmed["model"] == triage.model and confirmed["decided_by"] == "asha"
    assert (dismissed["at_risk"], dismissed["team"]) == (False, "housing")
    [event] = service.stores.audit.events(actions=(EXPORTED,))
    assert (event.actor, event.data.decisions, event.data.file_sha256) == ("admin", 2, export.file_sha256)

    service.records_admin.erase_person(ADMIN, "P-3", "Retention period ended.")  # the housing e-mail's person
    again = triage.export_labels(ADMIN)
    assert (again.decisions, again.left_out) == (1, 1) and "A quote from a song" not in again.text
    assert service.stores.audit.verify().intact  # the decisions' reasons and sentences erased with the person

    with service.stores.records.engine.begin() as conn:  # the text changed behind the app's back
        conn.execute(documents.update().where(documents.c.id == ids["alarmed.eml"]).values(text="Something else."))
    changed = triage.export_labels(ADMIN)
    assert (changed.decisions, changed.left_out) == (0, 2)  # its label is not handed over with another text


def test_bands_split_the_flagged_scores_by_tenths_down_to_the_threshold():
    assert [b.name for b in bands(0.457)] == [
        "Flagged, score 0.9 or more", "Flagged, score 0.8 to 0.9", "Flagged, score 0.7 to 0.8",
        "Flagged, score 0.6 to 0.7", "Flagged, score 0.5 to 0.6", "Flagged, score 0.46 to 0.5",
        "Not flagged, score under 0.46"]
    assert band_of(0.95, 0.457).rank < band_of(0.5, 0.457).rank < band_of(0.46, 0.457).rank < \
        band_of(0.45, 0.457).rank
    assert [b.name for b in bands(0.95)] == ["Flagged, score 0.95 or more", "Not flagged, score under 0.95"]


def test_an_emails_date_header_later_than_its_arrival_is_not_believed():
    from retrieval.records.store import Document
    added = datetime(2025, 3, 1, 12, tzinfo=timezone.utc)

    def document(date: str | None) -> Document:
        return Document(1, 1, "0" * 64, "x.eml", "eml", 10, "text", (), {"date": date} if date else {}, "asha",
                        added)
    assert received_at(document("Mon, 10 Feb 2025 21:17:00 +0000")) == datetime(2025, 2, 10, 21, 17,
                                                                                  tzinfo=timezone.utc)
    assert received_at(document("Tue, 01 Jan 2030 09:00:00 +0000")) == added  # in the future: when it was added
    assert received_at(document("not a date")) == added and received_at(document(None)) == added


def test_with_the_bundled_classifier_a_scanned_cry_for_help_comes_before_a_routine_email(make_service, minilm):
    """The real classifier, the same score on every route: the queue and one document's score agree with the
    scorer itself."""
    service = make_service()
    register(service, "BR-1", "benefits", "P-1", "Jane Jones")
    scorer = VulnerabilityScorer.bundled(minilm)
    service = dataclasses.replace(service, triage=TriageService(service.cases, service.stores.records,
                                                                service.stores.audit,
                                                                letter_scores(scorer, service.stores.records)))
    cry = ("Dear Sir, since my money was stopped I have had nothing to eat for three days. I have £3 left until "
           "payday and I cannot go on like this. I don't see the point any more.")
    scan_id = store_scan(service, ADMIN, "BR-1", "scan.png", [(cry, 91.0)])
    service.cases.ingest(ADMIN, "BR-1", [Upload("change.eml", email(
        "Mon, 02 Sep 2024 09:00:00 +0000", "I have moved house. My new address is 4 Mill Lane. Please update your "
        "records and send letters there from now on."))])
    queue = service.triage.queue(ASHA)
    assert names(queue.waiting) == ["scan.png", "change.eml"]
    scan, routine = queue.waiting
    assert scan.flagged and not routine.flagged and scan.model == scorer.version
    assert scan.score == scorer.assess(cry).score == service.triage.score(ASHA, scan_id).score
    assert any("cannot go on" in s.text or "nothing to eat" in s.text for s in scan.sentences)
