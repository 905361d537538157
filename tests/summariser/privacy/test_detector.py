"""The real detector (Presidio, the packaged spaCy model, the UK recognisers) on case-file text, built and used
with the network cut off."""
from __future__ import annotations

import socket

import pytest

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
