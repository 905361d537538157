"""The Incoming correspondence page with the bundled classifier: the team's letters and e-mails ranked with the
sentences that drove each score, a flag confirmed with a reason, the administrator's team choice and audited
export, and the same score beside the Case page's one-letter summary."""
from __future__ import annotations

import dataclasses

import pytest

from retrieval.ingest.pipeline import Upload
from retrieval.records.access import User
from summariser.checks.vulnerability import VulnerabilityScorer
from summariser.services.triage import CONFIRMED, DECIDED, EXPORTED, TriageService
from summariser.wiring import letter_scores
from tests.summariser.scanned import store_scan
from tests.ui.conftest import ADMIN, button, new_app, open_page, sign_in, texts
from ui.common import plain

PAGE = "ui/correspondence.py"
CRY = ("Dear Sir, since my money was stopped I have had nothing to eat for three days. I have £3 left until payday "
       "and I cannot go on like this.")
ROUTINE = (b"From: Jane Jones <jane@example.org>\nTo: benefits@example.gov.uk\nDate: Mon, 02 Sep 2024 09:00:00 +0000\n"
           b"Subject: New address\nMessage-ID: <1@example.org>\nMIME-Version: 1.0\n\nI have moved house. Please "
           b"send letters to 4 Mill Lane from now on.\n")


@pytest.fixture
def with_queue(service, minilm):
    scorer = VulnerabilityScorer.bundled(minilm)
    service = dataclasses.replace(service, triage=TriageService(service.cases, service.stores.records,
                                                                service.stores.audit,
                                                                letter_scores(scorer, service.stores.records)))
    scan_id = store_scan(service, ADMIN, "BR-1", "scan.png", [(CRY, 91.0)])
    service.cases.ingest(ADMIN, "BR-2", [Upload("address.eml", ROUTINE)])
    service.cases.ingest(ADMIN, "HS-1", [Upload("housing.eml", ROUTINE.replace(b"<1@", b"<2@"))])
    return service, scan_id


def test_an_officer_sees_the_teams_letters_ranked_with_their_reasons_and_confirms_a_flag(with_queue):
    service, scan_id = with_queue
    at = open_page(sign_in(new_app(service), "asha"), PAGE)
    assert not at.exception and texts(at.title) == ["Incoming correspondence"]
    listed = at.dataframe[0].value
    assert list(listed["File"]) == ["scan.png", "address.eml"]  # housing's e-mail is not the benefits team's
    assert list(listed["Type"]) == ["Letter (scanned)", "E-mail"]
    first = at.expander[0]
    assert first.label.startswith(plain("1. scan.png (case BR-1): score "))
    shown = " ".join(m.value for m in first.markdown)
    assert "flagged, it may show that the person is at risk" in shown and "cannot go on like this" in shown

    at.button(key=f"{CONFIRMED}:{scan_id}").click()
    at.run()  # a decision needs a reason
    assert any("Say why" in e for e in texts(at.error)) and not service.stores.audit.events(actions=(DECIDED,))
    at.text_input(key=f"reason:{scan_id}").input("She has no food and cannot go on: passed to the duty officer.")
    at.button(key=f"{CONFIRMED}:{scan_id}").click()
    at.run()
    assert not at.exception
    assert texts(at.success) == [plain("scan.png is confirmed as showing signs of risk. Your reason is recorded.")]
    assert list(at.dataframe[0].value["File"]) == ["address.eml"]
    decided = at.dataframe[1].value
    assert list(decided["File"]) == ["scan.png"] and list(decided["Decision"]) == ["Confirmed: signs of risk"]
    [event] = service.stores.audit.events(actions=(DECIDED,))
    assert (event.actor, event.data.document_id, event.data.model) == ("asha", scan_id, service.triage.model)


def test_an_administrator_chooses_a_team_decides_nothing_and_exports_the_decisions(with_queue):
    service, scan_id = with_queue
    service.triage.decide(User("asha", "officer", "benefits"), scan_id, CONFIRMED, "No food.")
    at = open_page(sign_in(new_app(service), "root"), PAGE)
    assert not at.exception
    [team] = [s for s in at.selectbox if s.label == "Team whose correspondence to see"]
    assert team.options == ["benefits", "housing"]
    team.select("housing").run()
    assert list(at.dataframe[0].value["File"]) == ["housing.eml"]
    assert "Only the officers and supervisors of the team can confirm or dismiss a flag." in texts(at.caption)
    assert not [b for b in at.button if b.label.startswith(("Confirm", "Dismiss"))]
    button(at, "Prepare the decisions for retraining").click()
    at.run()
    assert not at.exception and texts(at.success) == ["The file is ready: 1 decision."]
    assert service.stores.audit.events(actions=(EXPORTED,))[0].data.decisions == 1


def test_the_case_page_shows_a_letters_score_beside_its_one_letter_summary(with_queue):
    service, scan_id = with_queue
    at = open_page(sign_in(new_app(service), "asha"), "ui/case.py", case="BR-1", tab="Summary")
    [letter] = [s for s in at.selectbox if s.label == "Letter or e-mail"]
    letter.select(scan_id).run()
    assert not at.exception
    score = service.triage.score(User("asha", "officer", "benefits"), scan_id).score  # as the queue shows it
    assert any(m.value.startswith(plain(f"Vulnerability score {score:.2f}: flagged")) for m in at.markdown)
    assert any("cannot go on like this" in m.value for m in at.markdown)
