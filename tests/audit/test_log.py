"""The audit log: chained, append-only in the database itself, and verify finds tampering."""
from __future__ import annotations

import hashlib
import json
import threading

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import DBAPIError

from audit.chain import GENESIS, canonical_bytes
from audit.kept_texts import MISSING_TEXT, content_digest, is_erased_text, seal, tombstone
from audit.log import AuditLog
from tests.audit.owner_rights import as_the_owner


LEGACY_INSERT = ("INSERT INTO audit_events (seq, recorded_at, actor, action, case_reference, draft_id, payload, "
                 "prev_hash, hash) VALUES")  # an event as written before signing: no key id, no signature


def _fill(log: AuditLog, n: int = 5) -> None:
    for i in range(n):
        log.append(f"officer{i % 2}", "drafted", {"output": f"text {i}", "model": {"model": "ünïcode"}}, f"C-{i}",
                   f"d{i}")


def test_chain_links_every_event_and_verifies(engine):
    log = AuditLog(engine)
    _fill(log)
    events = log.events()
    assert [e.seq for e in events] == [1, 2, 3, 4, 5]
    assert events[0].prev_hash == GENESIS
    for before, after in zip(events, events[1:]):
        assert after.prev_hash == before.hash
    first = events[0]
    recomputed = hashlib.sha256(canonical_bytes(first.seq, first.recorded_at, first.actor, first.action,
                                                first.case_reference, first.draft_id, first.chained_payload,
                                                first.prev_hash)).hexdigest()
    assert recomputed == first.hash == first.recompute_hash()
    assert first.data.output == "text 0" and first.kept_ref("output") is not None
    assert log.verify().intact and log.verify().checked == 5
    assert log.head() == (5, events[-1].hash)


@pytest.mark.parametrize("statement", [
    "UPDATE audit_events SET actor = 'someone else' WHERE seq = 2",
    "DELETE FROM audit_events WHERE seq = 2",
], ids=["update", "delete"])
def test_database_refuses_changes(engine, statement):
    log = AuditLog(engine)
    _fill(log, 3)
    with pytest.raises(DBAPIError, match="append-only"):
        with engine.begin() as conn:
            conn.execute(sa.text(statement))
    assert log.verify().intact


def _behind_the_back(engine, *statements: str) -> None:
    """Someone with database rights drops the guard and edits rows directly."""
    with engine.begin() as conn:
        as_the_owner(engine, conn)
        for statement in statements:
            conn.execute(sa.text(statement))


def test_verify_names_a_changed_payload(engine):
    log = AuditLog(engine)
    _fill(log)
    _behind_the_back(engine, """UPDATE audit_events SET payload = '{"output":"forged"}' WHERE seq = 3""")
    result = log.verify()
    assert not result.intact and result.first_broken_seq == 3 and "changed" in result.problem


def test_verify_names_a_deleted_event(engine):
    log = AuditLog(engine)
    _fill(log)
    _behind_the_back(engine, "DELETE FROM audit_events WHERE seq = 2")
    result = log.verify()
    assert not result.intact and result.first_broken_seq == 2 and "missing" in result.problem


def test_verify_names_an_inserted_event(engine):
    log = AuditLog(engine)
    _fill(log, 3)
    forged = json.dumps({"output": "inserted later"})
    with engine.begin() as conn:  # INSERT is allowed, so no guard needs dropping
        conn.execute(sa.text(f"{LEGACY_INSERT} (4, '2020-01-01T00:00:00+00:00', 'intruder', "
                             f"'drafted', 'C-9', 'dx', '{forged}', '{'1' * 64}', '{'2' * 64}')"))
    result = log.verify()
    assert not result.intact and result.first_broken_seq == 4 and "link" in result.problem


def test_concurrent_appends_never_fork_the_chain(engine):
    log = AuditLog(engine)
    errors = []

    def writer(name):
        try:
            for i in range(10):
                log.append(name, "signed_in", {"role": "officer", "team": f"team {i}"})
        except Exception as error:  # pragma: no cover - the assertion below reports it
            errors.append(error)

    threads = [threading.Thread(target=writer, args=(f"w{n}",)) for n in range(4)]
    [t.start() for t in threads]
    [t.join() for t in threads]
    assert not errors
    events = log.events()
    assert [e.seq for e in events] == list(range(1, 41))
    assert log.verify().intact


# personal texts kept outside the chain, erasable with tombstones ---------------------------------

def _stored(engine, seq: int) -> dict:
    with engine.connect() as conn:
        return json.loads(conn.execute(sa.text("SELECT payload FROM audit_events WHERE seq = :s"), {"s": seq}).scalar())


def _contents(engine) -> dict:
    with engine.connect() as conn:
        return {r.id: r for r in conn.execute(sa.text("SELECT * FROM audit_contents"))}


PAYLOAD = {"output": "Ms Jones phoned about arrears [1].", "model": {"model": "m"},
           "documents": [{"id": 1, "filename": "Jones letter.pdf", "sha256": "ab" * 32}],
           "citations": {"uncited_sentences": ["She is eighty-two.", ""], "unresolved": [5]}}


def test_personal_texts_are_kept_outside_the_chain_and_read_back(engine):
    log = AuditLog(engine)
    appended = log.append("asha", "drafted", PAYLOAD, "BR-1", "d1")
    assert appended.payload == PAYLOAD
    stored = _stored(engine, 1)
    assert "Jones" not in json.dumps(stored) and "eighty" not in json.dumps(stored)
    assert stored["model"] == {"model": "m"} and stored["documents"][0]["sha256"] == "ab" * 32
    assert stored["citations"]["uncited_sentences"][1] == ""  # an empty string holds nothing personal
    reference = stored["output"]["$content"]
    row = _contents(engine)[reference]
    assert row.text == PAYLOAD["output"] and len(row.salt) == 32
    assert hashlib.sha256((row.salt + row.text).encode()).hexdigest() == reference
    assert len(_contents(engine)) == 3
    event = log.events()[0]
    assert event.payload == PAYLOAD and event.chained_payload == stored and event.recompute_hash() == event.hash
    assert log.verify().intact


def test_erasing_leaves_a_tombstone_and_the_chain_still_verifies(engine):
    log = AuditLog(engine)
    log.append("asha", "drafted", {"output": "First draft about Jane."}, "BR-1", "d1")
    log.append("asha", "edited", {"text": "Edited about Jane.", "diff_from_ai": "-First\n+Edited", "version": 2,
                                  "role": "officer"},
               "BR-1", "d1")
    log.append("tom", "drafted", {"output": "Someone else entirely."}, "HS-1", "d2")
    event = log.erase_contents("admin", "subject asked for erasure", case_references=["BR-1"],
                               details={"person": "P-1", "cases": ["BR-1"], "documents": 0, "passages": 0},
                               action="person_erased")
    assert len(event.data.erased_contents) == 3 and event.data.person == "P-1"
    today = event.recorded_at[:10]
    tombstone = f"[erased on {today}: subject asked for erasure]"
    d1 = log.events(draft_id="d1")
    assert d1[0].data.output == tombstone and d1[1].data.text == tombstone
    assert d1[1].data.version == 2
    assert log.events(draft_id="d2")[0].data.output == "Someone else entirely."
    erased = [r for r in _contents(engine).values() if r.erased_at]
    assert len(erased) == 3 and all(r.text is None and r.salt is None and r.erased_by == "admin" for r in erased)
    assert log.verify().intact
    again = log.erase_contents("admin", "again", draft_ids=["d1"])
    assert again.data.erased_contents == [] and log.verify().intact


def test_an_erasure_needs_a_reason(engine):
    from audit.errors import ErasureRefused
    with pytest.raises(ErasureRefused, match="reason"):
        AuditLog(engine).erase_contents("admin", "  ", case_references=["BR-1"])


def test_the_database_allows_a_kept_text_only_to_be_erased(engine):
    log = AuditLog(engine)
    log.append("asha", "drafted", {"output": "Draft."}, "BR-1", "d1")
    for statement in ("UPDATE audit_contents SET text = 'forged'", "DELETE FROM audit_contents",
                      "UPDATE audit_contents SET text = NULL, erased_at = 'now'",  # salt kept: not an erasure
                      # an erasure, but no erasure event names it (migration 0006)
                      "UPDATE audit_contents SET text = NULL, salt = NULL, erased_at = 'now'"):
        with pytest.raises(DBAPIError, match="can only be erased"):
            with engine.begin() as conn:
                conn.execute(sa.text(statement))
    log.erase_contents("admin", "request", draft_ids=["d1"])
    with pytest.raises(DBAPIError, match="can only be erased"):  # and only once
        with engine.begin() as conn:
            conn.execute(sa.text("UPDATE audit_contents SET erased_by = 'someone else'"))
    assert log.verify().intact


def _contents_behind_the_back(engine, statement: str) -> None:
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            conn.execute(sa.text("ALTER TABLE audit_contents DISABLE TRIGGER USER"))
        else:
            conn.execute(sa.text("DROP TRIGGER audit_contents_erase_only"))
            conn.execute(sa.text("DROP TRIGGER audit_contents_no_delete"))
        conn.execute(sa.text(statement), {"ref": _stored(engine, 2)["output"]["$content"]})


def _quote_behind_the_back(engine, log: AuditLog, ref: str, own_text: str, case: str, draft_id: str) -> int:
    """An event chained and sealed exactly as append would, quoting another event's reference under a key that
    is not personal: no action may hold one, so it is written directly (as an older version could have)."""
    seq, prev_hash = log.head()
    sealed: dict = {}
    chained = seal({"copy": {"$content": ref}, "output": own_text}, sealed)
    recorded_at = "2025-01-01T09:00:00.000000+00:00"
    digest = hashlib.sha256(canonical_bytes(seq + 1, recorded_at, "asha", "quoted", case, draft_id, chained,
                                            prev_hash)).hexdigest()
    with engine.begin() as conn:
        for held, (salt, text) in sealed.items():
            conn.execute(sa.text("INSERT INTO audit_contents (id, seq, salt, text) VALUES (:i, :s, :salt, :t)"),
                         {"i": held, "s": seq + 1, "salt": salt, "t": text})
        conn.execute(sa.text(f"{LEGACY_INSERT} (:s, :at, 'asha', 'quoted', :c, :d, :p, :prev, :h)"),
                     {"s": seq + 1, "at": recorded_at, "c": case, "d": draft_id, "prev": prev_hash, "h": digest,
                      "p": json.dumps(chained, sort_keys=True, ensure_ascii=False)})
    return seq + 1


@pytest.mark.parametrize("statement, problem", [
    ("UPDATE audit_contents SET text = 'forged' WHERE id = :ref", "changed"),
    ("DELETE FROM audit_contents WHERE id = :ref", "missing"),
    ("UPDATE audit_contents SET text = NULL, salt = NULL, erased_at = '2026-01-01', reason = 'x' WHERE id = :ref",
     "was erased, but no signed erasure event in the log names it"),
], ids=["changed", "deleted", "erased-unrecorded"])
def test_verify_names_the_event_whose_kept_text_was_tampered_with(engine, statement, problem):
    log = AuditLog(engine)
    _fill(log, 3)
    _contents_behind_the_back(engine, statement)
    result = log.verify()
    assert not result.intact and result.first_broken_seq == 2 and problem in result.problem
    assert "event 2" in result.problem


def test_events_written_before_texts_were_kept_apart_still_verify_and_read_back(engine):
    """A log written by the earlier version (text inline in the payload) stays valid as it is."""
    legacy = {"output": "Inline draft text from before.", "note": "inline note"}
    recorded_at = "2025-01-01T09:00:00.000000+00:00"
    digest = hashlib.sha256(canonical_bytes(1, recorded_at, "asha", "drafted", "BR-1", "d0", legacy,
                                            GENESIS)).hexdigest()
    with engine.begin() as conn:
        conn.execute(sa.text(f"{LEGACY_INSERT} (1, :at, 'asha', 'drafted', 'BR-1', 'd0', :p, :prev, :h)"),
                     {"at": recorded_at, "p": json.dumps(legacy), "prev": GENESIS, "h": digest})
    log = AuditLog(engine)
    log.append("asha", "approved", {"version": 1, "note": "new note", "role": "officer", "sign_off_tier": "officer",
                                   "second_check": False}, "BR-1", "d0")
    old, new = log.events()
    assert old.payload == old.chained_payload == legacy and new.data.note == "new note"
    assert old.data.output == legacy["output"]  # typed too, its unknown "note" left aside
    assert log.verify().intact and log.verify().checked == 2
    erasure = log.erase_contents("admin", "request", draft_ids=["d0"])
    assert len(erasure.data.erased_contents) == 1  # only the new note could be kept apart
    assert log.verify().intact


def test_reading_many_events_batches_the_text_lookups(engine):
    log = AuditLog(engine)
    for i in range(120):
        log.append("asha", "edited", {"text": f"version {i}", "diff_from_ai": f"+{i}", "version": i, "role": "officer"},
                   "BR-1", "d1")
    statements = []

    def count(conn, cursor, statement, *args):
        statements.append(statement)
    sa.event.listen(engine, "before_cursor_execute", count)
    try:
        events = log.events()
    finally:
        sa.event.remove(engine, "before_cursor_execute", count)
    assert [e.data.text for e in events] == [f"version {i}" for i in range(120)]
    assert sum("audit_contents" in s for s in statements) == 1  # 240 texts, one query (500 ids per query)
    assert len(statements) <= 3


def test_a_deleted_text_reads_as_missing_and_the_rest_of_the_event_still_reads(engine):
    log = AuditLog(engine)
    _fill(log, 3)
    _contents_behind_the_back(engine, "DELETE FROM audit_contents WHERE id = :ref")
    events = log.events()
    assert events[1].data.output == "[this text is missing from the audit log]"
    assert events[1].data.model.model == "ünïcode" and events[0].data.output == "text 0"


def test_a_reference_kept_with_another_event_is_looked_up_by_id(engine):
    """Append never writes one so (no event may), but an older log may quote a reference under a key that is not
    personal."""
    log = AuditLog(engine)
    first = log.append("asha", "drafted", {"output": "the kept text"}, "BR-1", "d1")
    _quote_behind_the_back(engine, log, first.kept_ref("output"), "own text", "BR-2", "d2")
    quoted = log.events(case_reference="BR-2")[0]
    assert quoted.payload == {"copy": "the kept text", "output": "own text"}
    assert quoted.kept_ref("copy") == first.kept_ref("output")
    assert quoted.recompute_hash() == quoted.hash


def test_reading_without_texts_gives_the_chained_form_and_reads_no_text(engine):
    log = AuditLog(engine)
    _fill(log, 3)
    log.append("asha", "signed_in", {"role": "officer", "team": "benefits"})
    statements = []

    def count(conn, cursor, statement, *args):
        statements.append(statement)
    sa.event.listen(engine, "before_cursor_execute", count)
    try:
        bare = log.events(texts=False)
    finally:
        sa.event.remove(engine, "before_cursor_execute", count)
    assert not any("audit_contents" in s for s in statements)
    full = log.events()
    assert [e.payload for e in bare] == [e.chained_payload for e in full]
    assert bare[0].data.output != "text 0" and full[0].data.output == "text 0"
    assert [e.recompute_hash() for e in bare] == [e.hash for e in full]


def test_narrowing_to_drafts_and_an_outline_with_only_the_payloads_asked_for(engine):
    log = AuditLog(engine)
    _fill(log, 4)  # drafts d0..d3 on cases C-0..C-3
    log.append("asha", "signed_in", {"role": "officer", "team": "benefits"})
    log.append("sam", "approved", {"version": 1, "note": "fine", "second_check": True, "role": "supervisor",
                                 "sign_off_tier": "officer"}, "C-2", "d2")
    assert [e.draft_id for e in log.events(of_drafts=True)] == ["d0", "d1", "d2", "d3", "d2"]
    assert [(e.seq, e.data.output) for e in log.events(draft_ids=["d3", "d1"])] == [
        (2, "text 1"), (4, "text 3")]
    assert log.events(draft_ids=[]) == []
    outline = log.outline(of_drafts=True, payloads_of=("approved",))
    assert [(e.action, e.draft_id) for e in outline] == [("drafted", f"d{i}") for i in range(4)] + [("approved", "d2")]
    assert [e.payload for e in outline[:4]] == [{}] * 4
    assert outline[4].data.second_check is True and outline[4].kept_ref("note") is not None
    assert [e.hash for e in outline] == [e.hash for e in log.events(of_drafts=True)]


@pytest.mark.parametrize("enabled", [True, False], ids=["gc-on", "gc-off"])
def test_reading_leaves_the_garbage_collector_as_it_found_it(engine, enabled):
    import gc
    log = AuditLog(engine)
    _fill(log, 2)
    was = gc.isenabled()
    (gc.enable if enabled else gc.disable)()
    try:
        log.events()
        assert gc.isenabled() is enabled
    finally:
        (gc.enable if was else gc.disable)()


def test_a_verification_names_the_head_it_checked(engine):
    log = AuditLog(engine)
    empty = log.verify()
    assert (empty.head_seq, empty.head_hash) == log.head() == (0, GENESIS)
    _fill(log, 3)
    before = log.verify()
    assert (before.head_seq, before.head_hash) == log.head() and before.head_seq == 3
    log.append("asha", "signed_in", {"role": "officer", "team": "benefits"})
    assert (before.head_seq, before.head_hash) != log.head()  # it names what it checked, not what came later
    after = log.verify()
    assert (after.head_seq, after.head_hash) == log.head() and after.head_seq == 4


def test_a_broken_verification_names_the_last_event_found_sound(engine):
    log = AuditLog(engine)
    _fill(log)
    second = log.events()[1]
    _behind_the_back(engine, """UPDATE audit_events SET payload = '{"output":"forged"}' WHERE seq = 3""")
    result = log.verify()
    assert not result.intact and (result.head_seq, result.head_hash) == (2, second.hash)


@pytest.mark.parametrize("text", [
    tombstone("2026-11-21T10:00:00.000000+00:00", "retention period ended"),
    tombstone("2026-11-21T10:00:00.000000+00:00", None),
    tombstone("2026-11-21", "asked twice]\nsee [ticket 4]"),  # a reason may hold brackets and new lines
    MISSING_TEXT,
], ids=["tombstone", "no-reason", "odd-reason", "missing"])
def test_is_erased_text_recognises_what_the_log_writes_in_place_of_a_text(text):
    assert is_erased_text(text)


@pytest.mark.parametrize("text", [
    "", "Ms Jones phoned about arrears [1].", "[erased on 2026-11-21]", "erased on 2026-11-21: retention",
    "Quoted: [erased on 2026-11-21: retention]", "[erased on 21/11/2026: retention]", MISSING_TEXT + " ",
    "[this text is missing]",
], ids=["empty", "ordinary", "no-reason-part", "no-brackets", "inside-a-sentence", "other-date-form",
        "missing-plus-space", "missing-shortened"])
def test_is_erased_text_leaves_anything_written_by_a_person_alone(text):
    assert not is_erased_text(text)


def test_texts_read_back_after_erasure_or_loss_are_recognised(engine):
    log = AuditLog(engine)
    _fill(log, 3)
    log.erase_contents("admin", "retention period ended", draft_ids=["d0"])
    _contents_behind_the_back(engine, "DELETE FROM audit_contents WHERE id = :ref")
    erased, missing, kept = (e.data.output for e in log.events(of_drafts=True))
    assert is_erased_text(erased) and is_erased_text(missing) and not is_erased_text(kept)


def test_kept_texts_give_each_events_texts_to_check_and_what_was_erased(engine):
    log = AuditLog(engine)
    first = log.append("asha", "drafted", {"output": "First draft.",
                                           "documents": [{"id": 1, "filename": "A file.txt"}]}, "BR-1", "d1")
    quoting_seq = _quote_behind_the_back(engine, log, first.kept_ref("output"), "Own text.", "BR-2", "d2")
    plain = log.append("asha", "signed_in", {"role": "officer", "team": "benefits"})
    erased = log.append("asha", "drafted", {"output": "To be erased."}, "BR-3", "d3")
    gone = log.append("asha", "drafted", {"output": "To be lost."}, "BR-4", "d4")
    erasure = log.erase_contents("admin", "person asked", draft_ids=["d3"])
    with engine.begin() as conn:  # lose one text behind the application's back
        if engine.dialect.name == "postgresql":
            conn.execute(sa.text("ALTER TABLE audit_contents DISABLE TRIGGER USER"))
        else:
            conn.execute(sa.text("DROP TRIGGER audit_contents_no_delete"))
        conn.execute(sa.text("DELETE FROM audit_contents WHERE id = :ref"),
                     {"ref": gone.kept_ref("output")})
    events = log.events()
    kept = log.kept_texts(events)
    assert set(kept) == {e.seq for e in events} and kept[plain.seq] == []
    assert [t["text"] for t in kept[erasure.seq]] == ["person asked"]  # an erasure's reason is kept apart too
    assert [t["text"] for t in kept[first.seq]] == ["A file.txt", "First draft."]  # in stored (key) order
    for held in kept[first.seq]:
        assert held["stored"] and held["erased_at"] is None
        assert content_digest(held["salt"], held["text"]) == held["ref"]
    copy, own = kept[quoting_seq]  # a reference kept with another event is found too
    assert copy == kept[first.seq][1] and copy["text"] == "First draft." and own["text"] == "Own text."
    [gone_by_erasure] = kept[erased.seq]
    assert gone_by_erasure["stored"] and gone_by_erasure["ref"] in erasure.data.erased_contents
    assert (gone_by_erasure["salt"], gone_by_erasure["text"]) == (None, None)
    assert (gone_by_erasure["erased_by"], gone_by_erasure["reason"]) == ("admin", "person asked")
    assert gone_by_erasure["erased_at"][:10] == erasure.recorded_at[:10]
    [lost] = kept[gone.seq]
    assert not lost["stored"] and (lost["salt"], lost["text"], lost["erased_at"]) == (None, None, None)
