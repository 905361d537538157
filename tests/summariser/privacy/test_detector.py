"""The real detector (Presidio, the packaged spaCy model, the UK recognisers) on case-file text, built and used
with the network cut off."""
from __future__ import annotations

import socket

import pytest

from settings import PROJECT_ROOT
from summariser.privacy.detector import Detector
from summariser.privacy.pseudonyms import Pseudonyms

CASE_NOTES = """UNIVERSAL CREDIT - CASE NOTES
Case reference: BR-2025-0141
Claimant: Mrs Denise Harrowby        NI number: QQ 48 27 19 A
Date of birth: 22/07/1961
Address: 14 Larkspur Row, Kelderby KX4 7QZ
Officer: Asha Patel, Benefits Review Team

14/01/2025 - Phone call with Mrs Harrowby (01632 960214), 11:05 to 11:30. Her nephew Jason Harrowby stays
sometimes. Please call Yusuf on 07700 900123 or e-mail yusuf.khan@example.org. Universal Credit of £475.00 a
month is paid on the 25th; the mandatory reconsideration is due by 3 February 2025."""


@pytest.fixture(scope="module")
def detector():
    """Built with every outgoing connection refused: nothing it loads or checks may come from the network."""
    attempts = []

    def refuse(*args, **kwargs):
        attempts.append(args)
        raise OSError("the network is off in this test")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(socket.socket, "connect", refuse)
        patch.setattr(socket, "create_connection", refuse)
        patch.setattr(socket, "getaddrinfo", refuse)  # a download starts by looking its host up
        built = Detector()
        built.find("warm up: jo@example.org, KX1 5PB")  # the e-mail check reads tldextract's suffix list
    assert attempts == []  # not even tried (tldextract would otherwise fetch the suffix list, then fall back)
    return built


def test_case_notes_keep_their_substance_and_lose_their_personal_data(detector):
    pseudonyms = Pseudonyms()
    redacted = pseudonyms.redact(CASE_NOTES, detector)
    for value in ("Denise", "Harrowby", "QQ 48 27 19 A", "22/07/1961", "14 Larkspur Row", "Kelderby", "KX4 7QZ",
                  "Asha Patel", "01632 960214", "Jason", "Yusuf", "07700 900123", "yusuf.khan@example.org",
                  "BR-2025-0141"):
        assert value not in redacted, value
    for kept in ("UNIVERSAL CREDIT", "Universal Credit", "£475.00", "14/01/2025", "3 February 2025", "NI number",
                 "Date of birth", "Benefits Review Team", "mandatory reconsideration", "Mrs PERSON_1"):
        assert kept in redacted, kept


def test_spacy_finds_names_the_patterns_cannot(detector):
    found = {(f.entity, CASE_NOTES[f.start:f.end]) for f in detector.find(CASE_NOTES)}
    assert ("PERSON", "Asha Patel") in found and ("PERSON", "Jason Harrowby") in found
    assert not any(value.endswith("NI") for _, value in found)  # a name's span stops at its column's end


@pytest.mark.parametrize("text,hidden", [
    ("Have you been to a Ravil G Yefimov concert before?", ["Ravil G Yefimov"]),
    ("Ms Hussain said that Grace has moved out of the property.", ["Hussain", "Grace"]),
    ("Megan lives on Via Tasso 129 street.", ["Megan", "Via Tasso 129"]),
    ("Daniel Hughes Housing Options Officer, Kelderby Borough Council", ["Daniel Hughes"]),
    ("follow up with patricia desrosiers in a couple of months.", ["patricia desrosiers"]),
    ("the codey m ross version recorded for them", ["codey m ross"]),
    ("Mr. Rangel flew to HORTEN on Monday morning.", ["Rangel", "HORTEN"]),
    ("Address:     83393 Pärna 33\nCite Sfaxi\n, 13\n 44939", ["83393 Pärna 33\nCite Sfaxi\n, 13\n 44939"]),
], ids=["initial", "first-name-that-is-a-word", "first-name-spacy-misses", "name-before-job-title",
        "lower-case-text", "lower-case-initial", "town-in-capitals", "address-block"])
def test_names_and_places_the_small_model_misses_are_hidden(detector, text, hidden):
    redacted = Pseudonyms().redact(text, detector)
    for value in hidden:
        assert value not in redacted and all(word not in redacted for word in value.split() if len(word) > 2), value


@pytest.mark.parametrize("text", [
    "1. The payslip upload is still outstanding. Chase at the next contact; if it is still missing, write.",
    "She moved to Universal Credit from Housing Benefit; the Benefits Review Team will call her.",
    "the tenant paid the rent late and the arrears were reviewed by the team in the morning.",
    "Referred to CAMHS. She has lived in the UK since 2019 and in England since 2021.",
], ids=["order-at-sentence-start", "services-and-teams", "lower-case-without-names", "acronyms-and-the-uk"])
def test_case_wording_stays(detector, text):
    assert Pseudonyms().redact(text, detector) == text


def test_the_demo_caseload_keeps_its_services_and_teams(detector):
    """Every demo text file, redacted as for an outside model: the services and teams it names are all still
    there, as often as before, and so are the weekdays of e-mail dates. (A team named in a signature right after
    a person, "Asha Patel Benefits Review Team", still goes with the name: the run of capitals is taken whole.)"""
    phrases = ("Universal Credit", "Housing Benefit", "Adult Social Care", "Approved Premises",
               "mandatory reconsideration", "Date: Mon,", "Date: Tue,", "Date: Wed,", "Date: Thu,", "Date: Fri,")
    files = [p for p in sorted((PROJECT_ROOT / "demo" / "files").rglob("*")) if p.suffix in (".txt", ".md", ".eml")]
    assert len(files) > 20
    seen = 0
    for path in files:
        text = path.read_text(encoding="utf-8")
        redacted = Pseudonyms().redact(text, detector)
        for phrase in phrases:
            assert redacted.count(phrase) == text.count(phrase), (path.name, phrase)
            seen += text.count(phrase)
    assert seen > 20
