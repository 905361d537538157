"""Placeholders: the same text gets the same one throughout a draft, they come back in answers (streamed too),
and the audit record holds counts, never the mapping."""
from __future__ import annotations

import json
import re

import pytest

from audit.errors import EventInvalid
from audit.events import check
from summariser.privacy.pseudonyms import Found, Pseudonyms, current_pseudonyms, redaction_scope


class ListFinder:
    """Finds exactly the strings it is given (a stand-in for the detector: these tests are about the mapping)."""

    def __init__(self, **values: str):
        self.values = values  # value -> entity

    def find(self, text: str) -> list[Found]:
        return [Found(m.start(), m.end(), entity) for value, entity in self.values.items()
                for m in re.finditer(re.escape(value), text)]


FINDER = ListFinder(**{"Denise Harrowby": "PERSON", "QQ 17 69 03 D": "UK_NINO", "KX1 5PB": "UK_POSTCODE",
                       "Gareth Pryce": "PERSON"})
NOTE = "Denise Harrowby (NI QQ 17 69 03 D) of KX1 5PB phoned Gareth Pryce; Denise Harrowby asked for a call back."


def test_the_same_value_gets_the_same_placeholder_throughout_a_draft():
    pseudonyms = Pseudonyms()
    first = pseudonyms.redact(NOTE, FINDER)
    assert first == ("PERSON_1 (NI NINO_1) of POSTCODE_1 phoned PERSON_2; PERSON_1 asked for a call back.")
    # a later request of the same draft: what was hidden before is hidden again, even where nothing finds it
    second = pseudonyms.redact("Notes: Gareth Pryce called Denise Harrowby back.", ListFinder())
    assert second == "Notes: PERSON_2 called PERSON_1 back."
    assert pseudonyms.counts() == {"NINO": 1, "PERSON": 2, "POSTCODE": 1}


def test_a_name_found_in_full_is_hidden_where_it_appears_in_part_as_the_same_person():
    pseudonyms = Pseudonyms()
    redacted = pseudonyms.redact("Ms Harrowby phoned. Denise Harrowby said Denise would write.", FINDER)
    assert redacted == "Ms PERSON_1 phoned. PERSON_1 said PERSON_1 would write."
    assert pseudonyms.restore("PERSON_1 phoned.") == "Denise Harrowby phoned."  # the answer names her in full


def test_a_surname_two_people_share_gets_its_own_placeholder():
    finder = ListFinder(**{"Denise Harrowby": "PERSON", "Jason Harrowby": "PERSON"})
    redacted = Pseudonyms().redact("Denise Harrowby's nephew Jason Harrowby. Mrs Harrowby said Jason left.", finder)
    assert redacted == "PERSON_1's nephew PERSON_2. Mrs PERSON_3 said PERSON_2 left."


def test_the_case_person_is_hidden_even_when_the_recognisers_miss_them():
    redacted = Pseudonyms(known_names=["Chloe Brannigan"]).redact("BRANNIGAN, Chloe: Chloe Brannigan and Chloe.",
                                                                 ListFinder())
    assert redacted == "PERSON_1, PERSON_1: PERSON_1 and PERSON_1."


def test_placeholders_come_back_in_text_and_in_parsed_json():
    pseudonyms = Pseudonyms()
    pseudonyms.redact(NOTE, FINDER)
    assert pseudonyms.restore("PERSON_1's NI number is NINO_1; PERSON_12 and XPERSON_1 are not ours.") == \
        "Denise Harrowby's NI number is QQ 17 69 03 D; PERSON_12 and XPERSON_1 are not ours."
    data = {"sentences": [{"text": "PERSON_2 rang PERSON_1 at POSTCODE_1", "facts": ["F1"]}], "n": 2}
    assert pseudonyms.restore_data(data) == {
        "sentences": [{"text": "Gareth Pryce rang Denise Harrowby at KX1 5PB", "facts": ["F1"]}], "n": 2}


@pytest.mark.parametrize("size", [1, 2, 3, 5, 7, 100])
def test_streamed_pieces_are_restored_whatever_their_size(size):
    pseudonyms = Pseudonyms()
    pseudonyms.redact(NOTE, FINDER)
    answer = "## Background\n- PERSON_1 (NINO_1) lives at POSTCODE_1 [1].\n- PERSON_2 rang PERSON_1 [2]"
    restorer, pieces = pseudonyms.restorer(), []
    for at in range(0, len(answer), size):
        pieces.append(restorer.feed(answer[at:at + size]))
    pieces.append(restorer.flush())
    assert "".join(pieces) == pseudonyms.restore(answer)
    assert "Denise Harrowby (QQ 17 69 03 D) lives at KX1 5PB" in "".join(pieces)
    assert not any(re.search(r"PERSON|NINO", piece) for piece in pieces)


def test_a_scope_shares_placeholders_between_requests_and_outside_each_request_has_its_own():
    draft = Pseudonyms()
    with redaction_scope(draft):
        assert current_pseudonyms() is draft
    assert current_pseudonyms() is not draft and current_pseudonyms() is not current_pseudonyms()


def test_the_audit_record_says_it_ran_and_counts_but_holds_no_value():
    pseudonyms = Pseudonyms()
    assert pseudonyms.audit() == {"ran": False, "counts": {}}
    pseudonyms.redact(NOTE, FINDER)
    record = pseudonyms.audit()
    assert record == {"ran": True, "counts": {"NINO": 1, "PERSON": 2, "POSTCODE": 1}}
    assert not any(value in json.dumps(record) for value in ("Denise", "Harrowby", "QQ 17", "KX1", "PERSON_1"))


def test_the_audit_log_refuses_a_draft_event_carrying_the_mapping():
    drafted = {"output": "text", "redaction": {"ran": True, "counts": {"PERSON": 1}}}
    check("drafted", drafted)
    with pytest.raises(EventInvalid, match="mapping"):
        check("drafted", drafted | {"redaction": {"ran": True, "counts": {"PERSON": 1},
                                                          "mapping": {"PERSON_1": "Denise Harrowby"}}})
