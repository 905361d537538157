"""Typed events: refused on append when unknown or misshapen, stored byte for byte as given, read leniently."""
from __future__ import annotations

import hashlib
import json

import pytest
import sqlalchemy as sa

from audit.chain import GENESIS, Event, canonical_bytes
from audit.errors import EventInvalid
from audit.events import EVENT_TYPES, TEXT_NOT_READ, Approved, DocumentsAdded, Drafted, Other, check, parse
from audit.kept_texts import tombstone
from audit.log import AuditLog

APPROVAL = {"version": 2, "note": "Checked.", "role": "officer", "sign_off_tier": "officer", "second_check": True}


@pytest.mark.parametrize("action, payload, problem", [
    ("note", {"i": 1}, "no event 'note'"),
    ("approved", {**APPROVAL, "colour": "red"}, "unknown key(s) 'colour'"),
    ("approved", {key: value for key, value in APPROVAL.items() if key != "role"}, "missing key(s) 'role'"),
    ("approved", {**APPROVAL, "version": "2"}, "version"),
    ("approved", {**APPROVAL, "second_check": 1}, "second_check"),
    ("drafted", {"output": "Text.", "documents": [{"id": 1, "name": "x"}]}, "documents.0"),
    ("signed_in", {"role": "officer"}, "missing key(s) 'team'"),
], ids=["unknown-action", "unknown-key", "missing-key", "wrong-type", "no-coercion", "nested-key", "signed-in"])
def test_an_unknown_or_misshapen_event_is_refused_and_nothing_is_written(engine, action, payload, problem):
    log = AuditLog(engine)
    with pytest.raises(EventInvalid, match="not recorded|no event") as refused:
        log.append("asha", action, payload, "BR-1", "d1")
    assert problem in str(refused.value)
    assert log.head() == (0, GENESIS)
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM audit_contents")).scalar() == 0


def test_checking_changes_nothing_that_is_stored_or_hashed(engine):
    """The same input gives the same canonical JSON as before events were typed: the payload as given."""
    log = AuditLog(engine)
    payload = {"files": [{"filename": "a.txt", "status": "added", "document_id": 3}]}  # no error or sha256 given
    event = log.append("asha", "documents_added", payload, "BR-1")
    with engine.connect() as conn:
        stored = json.loads(conn.execute(sa.text("SELECT payload FROM audit_events")).scalar())
    assert set(stored["files"][0]) == {"filename", "status", "document_id"}  # no defaults were filled in
    assert event.payload == payload
    assert hashlib.sha256(canonical_bytes(1, event.recorded_at, "asha", "documents_added", "BR-1", None, stored,
                                          GENESIS)).hexdigest() == event.hash
    assert log.verify().intact


def test_reading_is_lenient_with_events_written_before(engine):
    old = parse("approved", {"version": 1, "note": "fine", "reviewed_by_bot": True})  # no role, an old key
    assert isinstance(old, Approved) and old.role is None and old.second_check is False and old.note == "fine"
    assert parse("approved", {"version": "not a number", "note": "kept"}).note == "kept"  # the misfit is dropped
    assert parse("documents_added", {"files": "garbled"}) == DocumentsAdded()
    assert isinstance(parse("quoted", {"copy": "x"}), Other)  # an action this version does not know


def test_texts_not_read_and_erased_texts_still_parse():
    chained = parse("drafted", {"output": {"$content": "a" * 64},
                                "sign_off": {"tier": "supervisor", "reasons": [{"$content": "b" * 64}]}}, texts_read=False)
    assert chained.output == TEXT_NOT_READ and chained.sign_off.reasons == [TEXT_NOT_READ]
    gone = tombstone("2026-11-21T10:00:00+00:00", "retention period ended")
    assert parse("drafted", {"output": gone}).output == gone


def test_an_event_read_back_is_typed_by_its_action(engine):
    log = AuditLog(engine)
    log.append("asha", "drafted", {"output": "Draft.", "template": {"name": "t", "version": "1.0", "sha256": "c"}},
               "BR-1", "d1")
    log.append("sam", "approved", APPROVAL, "BR-1", "d1")
    drafted, approved = log.events()
    assert isinstance(drafted.data, Drafted) and drafted.data.output == "Draft." and drafted.data.template.name == "t"
    assert approved.data == Approved(**APPROVAL)
    outline = log.outline(payloads_of=("approved",))
    assert outline[0].data == Drafted() and outline[1].data.note == TEXT_NOT_READ and outline[1].data.version == 2


def test_every_action_has_a_model_that_accepts_its_needed_keys_and_defaults_for_reading():
    for action, kind in EVENT_TYPES.items():
        assert kind.action == action and set(kind.needed) <= set(kind.model_fields)
        assert parse(action, {}) == kind()  # an outline reads {} for payloads it did not ask for
    assert Event(1, "t", "a", "signed_out", None, None, {}, GENESIS, "h").data == parse("signed_out", {})
    with pytest.raises(EventInvalid):
        check("signed_out", {"why": "x"})
