"""The signed log against someone with SQL access but not the key: each change behind the app's back is named.

Every scenario runs on SQLite and on PostgreSQL, with raw SQL and no help from
the application. Where a scenario needs the owner's rights (to get past the
append-only triggers), it takes them as the owner would.
"""
from __future__ import annotations

import hashlib
import json
import os
import stat

import pytest
import sqlalchemy as sa

from audit.chain import GENESIS, canonical_bytes, canonical_json, canonical_text
from audit.checkpoints import CheckpointFile
from audit.log import AuditLog
from audit.errors import KeyProblem
from audit.signing import Keyring, open_keyring
from tests.audit.owner_rights import as_the_owner

APPROVAL = {"version": 1, "note": "Checked.", "role": "officer", "sign_off_tier": "officer", "second_check": False}


def signed_log(engine, folder, every_events: int = 4) -> AuditLog:
    return AuditLog.signed(engine, folder / "audit-keys.json", None, folder / "audit-checkpoints.jsonl",
                           every_events, 3600)


def _fill(log: AuditLog, n: int) -> None:
    """The first administrator (made in operator mode) and an officer, then the officer's drafts and approvals,
    to `n` events."""
    log.append("operator:root", "account_saved", {"username": "chris", "role": "admin", "team": "all"})
    log.append("chris", "account_saved", {"username": "asha", "role": "officer", "team": "benefits"})
    for i in range(n - 2):
        if i % 2 == 0:
            log.append("asha", "drafted", {"output": f"Draft {i} of the summary."}, "BR-1", f"d{i}")
        else:
            log.append("asha", "approved", APPROVAL, "BR-1", f"d{i - 1}")


@pytest.fixture
def log(engine, tmp_path):
    log = signed_log(engine, tmp_path)
    _fill(log, 13)  # checkpoints at events 1, 5, 9 and 13
    return log


# what someone with the database can do ----------------------------------------------------------------------------
def _rows(conn, from_seq: int = 1):
    return conn.execute(sa.text("SELECT * FROM audit_events WHERE seq >= :s ORDER BY seq"), {"s": from_seq}).all()


def _forge(conn, seq: int, prev_hash: str, actor: str, action: str, payload: dict, case="BR-1", draft="d0",
           key: Keyring | None = None, key_id: str | None = None) -> str:
    """Insert a correctly hashed event, as INSERT alone allows; signed with `key` if one is given."""
    recorded_at = "2026-11-30T12:00:00.000000+00:00"
    digest = hashlib.sha256(canonical_bytes(seq, recorded_at, actor, action, case, draft, payload,
                                            prev_hash)).hexdigest()
    signature = key.sign_event(digest) if key else (None, None)
    conn.execute(sa.text("INSERT INTO audit_events (seq, recorded_at, actor, action, case_reference, draft_id, "
                         "payload, prev_hash, hash, key_id, signature) VALUES (:seq, :at, :actor, :action, :case, "
                         ":draft, :payload, :prev, :hash, :key_id, :signature)"),
                 {"seq": seq, "at": recorded_at, "actor": actor, "action": action, "case": case, "draft": draft,
                  "payload": canonical_json(payload), "prev": prev_hash, "hash": digest,
                  "key_id": key_id or signature[0], "signature": signature[1]})
    return digest


def _rehash_from(conn, seq: int) -> None:
    """Recompute every hash from event `seq` on, so the chain is consistent again (signatures left as they were)."""
    rows = _rows(conn, seq)
    prev_hash = _rows(conn, seq - 1)[0].hash if seq > 1 else GENESIS
    for row in rows:
        digest = hashlib.sha256(canonical_bytes(row.seq, row.recorded_at, row.actor, row.action, row.case_reference,
                                                row.draft_id, json.loads(row.payload), prev_hash)).hexdigest()
        conn.execute(sa.text("UPDATE audit_events SET prev_hash = :p, hash = :h WHERE seq = :s"),
                     {"p": prev_hash, "h": digest, "s": row.seq})
        prev_hash = digest


def forged_approval(engine, log, folder) -> None:
    with engine.begin() as conn:
        head = _rows(conn)[-1]
        _forge(conn, head.seq + 1, head.hash, "ghost", "approved", APPROVAL, draft="d2")


def forged_erasure(engine, log, folder) -> None:
    victim = log.events()[2].kept_ref("output")  # the AI draft kept with event 3
    with engine.begin() as conn:  # the erasure event first: the database lets a text be erased only then
        head = _rows(conn)[-1]
        _forge(conn, head.seq + 1, head.hash, "chris", "contents_erased",
               {"reason": {"$content": "0" * 64}, "erased_contents": [victim]}, draft=None)
        conn.execute(sa.text("UPDATE audit_contents SET text = NULL, salt = NULL, erased_at = '2026-11-30', "
                             "erased_by = 'chris', reason = 'tidying' WHERE id = :id"), {"id": victim})


def last_three_deleted(engine, log, folder) -> None:
    with engine.begin() as conn:
        as_the_owner(engine, conn)
        conn.execute(sa.text("DELETE FROM audit_events WHERE seq >= 11"))


def rewritten_and_rehashed(engine, log, folder) -> None:
    with engine.begin() as conn:
        as_the_owner(engine, conn)
        conn.execute(sa.text("UPDATE audit_events SET actor = 'someone else' WHERE seq = 6"))
        _rehash_from(conn, 6)


def inserted_in_the_middle(engine, log, folder) -> None:
    with engine.begin() as conn:
        as_the_owner(engine, conn)
        for row in reversed(_rows(conn, 5)):  # make room at 5, one row at a time so seq stays unique
            conn.execute(sa.text("UPDATE audit_events SET seq = :n WHERE seq = :s"), {"n": row.seq + 1, "s": row.seq})
        _forge(conn, 5, _rows(conn, 4)[0].hash, "asha", "approved", APPROVAL, draft="d0")
        _rehash_from(conn, 6)


def signed_with_another_key(engine, log, folder) -> None:
    theirs = open_keyring(folder / "their-keys.json", None, 1)
    with engine.begin() as conn:
        head = _rows(conn)[-1]
        _forge(conn, head.seq + 1, head.hash, "asha", "approved", APPROVAL, draft="d2", key=theirs)


def signed_with_another_key_under_our_id(engine, log, folder) -> None:
    theirs = open_keyring(folder / "their-keys.json", None, 1)
    with engine.begin() as conn:
        head = _rows(conn)[-1]
        _forge(conn, head.seq + 1, head.hash, "asha", "approved", APPROVAL, draft="d2", key=theirs,
               key_id=log.keyring.signing.id)


TAMPERING = [  # (how, first event named, words in the problem)
    (forged_approval, 14, "has no signature, though every event from 1 on is signed"),
    (forged_erasure, 3, "a text kept with event 3 was erased, but no signed erasure event in the log names it"),
    (last_three_deleted, 11, "events 11 to 13 are missing: a signed checkpoint of"),
    (rewritten_and_rehashed, 6, "event 6 does not carry this service's signature"),
    (inserted_in_the_middle, 5, "event 5 has no signature"),
    (signed_with_another_key, 14, "signed with a key this service does not hold"),
    (signed_with_another_key_under_our_id, 14, "event 14 does not carry this service's signature"),
]


@pytest.mark.parametrize("tamper, first, words", TAMPERING, ids=[t[0].__name__ for t in TAMPERING])
def test_each_change_behind_the_apps_back_is_named(engine, tmp_path, log, tamper, first, words):
    assert log.verify().intact
    tamper(engine, log, tmp_path)
    result = signed_log(engine, tmp_path).verify()  # as a later process would, from the key file
    assert not result.intact and result.first_broken_seq == first, result
    assert words in result.problem


def test_a_rehashed_rewrite_is_bounded_by_checkpoints_where_no_signature_can_name_it(engine, tmp_path):
    """Unsigned events (before signing began) are named only as closely as the checkpoints allow."""
    legacy = AuditLog(engine, checkpoints=None)
    _fill(legacy, 8)
    log = signed_log(engine, tmp_path, every_events=1)
    log.checkpoint()  # of event 8, as the first start of a signing service could
    with engine.begin() as conn:
        as_the_owner(engine, conn)
        conn.execute(sa.text("UPDATE audit_events SET actor = 'someone else' WHERE seq = 6"))
        _rehash_from(conn, 6)
    result = log.verify()
    assert not result.intact and result.first_broken_seq == 8
    assert "changed after event 0 (the last checkpoint that agrees) and at or before event 8" in result.problem


def test_a_legacy_log_still_verifies_and_its_events_are_reported_as_unsigned(engine, tmp_path):
    """Events stored as they were before this change (payload JSON with spaces, no signature) verify as before."""
    with engine.begin() as conn:
        prev_hash = GENESIS
        for seq in range(1, 6):
            payload = {"version": 1, "note": f"note {seq}", "role": "officer", "sign_off_tier": "officer",
                       "second_check": False}
            at = f"2025-01-0{seq}T09:00:00.000000+00:00"
            digest = hashlib.sha256(canonical_bytes(seq, at, "asha", "approved", "BR-1", "d1", payload,
                                                    prev_hash)).hexdigest()
            conn.execute(sa.text("INSERT INTO audit_events (seq, recorded_at, actor, action, case_reference, "
                                 "draft_id, payload, prev_hash, hash) VALUES (:s, :at, 'asha', 'approved', 'BR-1', "
                                 "'d1', :p, :prev, :h)"),
                         {"s": seq, "at": at, "p": json.dumps(payload, sort_keys=True, ensure_ascii=False),
                          "prev": prev_hash, "h": digest})
            prev_hash = digest
    log = signed_log(engine, tmp_path)
    assert log.keyring.signed_from == 6  # the key was made now: events from the next one on must be signed
    log.append("asha", "approved", APPROVAL, "BR-1", "d1")
    result = log.verify()
    assert result.intact and (result.checked, result.unsigned, result.signed) == (6, 5, 1)
    assert "1 with a valid signature, 5 written before signing began (unsigned" in result.summary()
    assert result.findings_total == 1  # asha's account is not in the log: reported, not a break


def test_signed_events_by_someone_without_the_account_or_role_are_reported(engine, tmp_path):
    log = signed_log(engine, tmp_path)
    _fill(log, 4)
    log.append("ghost", "rejected", {"reason": "No.", "role": "officer"}, "BR-1", "d0")
    log.append("asha", "approved", {**APPROVAL, "sign_off_tier": "supervisor"}, "BR-1", "d0")
    log.append("asha", "legal_hold_set", {"person": "P-1", "case": None, "reason": "Appeal"})
    log.append("operator:root", "account_saved", {"username": "sam", "role": "supervisor", "team": "benefits"})
    log.append("sam", "approved", {**APPROVAL, "sign_off_tier": "supervisor", "role": "supervisor"}, "BR-1", "d2")
    result = log.verify()
    assert result.intact and result.findings == (
        "event 5 (rejected) was signed for 'ghost', who had no account then",
        "event 6 (approved) needs the role supervisor or admin, but 'asha' was officer then",
        "event 7 (legal_hold_set) needs the role admin, but 'asha' was officer then")
    assert "3 signed events recorded for someone without the account or role" in result.summary()


def test_the_key_file_is_made_private_and_refused_when_others_can_read_it(engine, tmp_path):
    log = signed_log(engine, tmp_path)
    key_file = tmp_path / "audit-keys.json"
    assert log.keyring.created and log.keyring.path == key_file
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert not signed_log(engine, tmp_path).keyring.created  # the next start uses the same key
    os.chmod(key_file, 0o644)
    with pytest.raises(KeyProblem, match="can be read by other users.*chmod 600"):
        signed_log(engine, tmp_path)


def test_rotating_the_key_keeps_old_events_verifiable(engine, tmp_path):
    log = signed_log(engine, tmp_path)
    _fill(log, 4)
    first = log.keyring.signing.id
    event = log.rotate_key("chris")
    log.append("asha", "approved", APPROVAL, "BR-1", "d0")
    assert event.data.key_id == log.keyring.signing.id != first
    with engine.connect() as conn:
        used = [row.key_id for row in _rows(conn)]
    assert used == [first] * 4 + [log.keyring.signing.id] * 2
    assert log.verify().intact and signed_log(engine, tmp_path).verify().signed == 6


def test_keys_from_the_environment_sign_and_a_bad_secret_is_a_plain_error(engine, tmp_path):
    secret = "old:" + "11" * 32 + ",new:" + "22" * 32
    log = AuditLog.signed(engine, tmp_path / "unused.json", secret, tmp_path / "cp.jsonl", 50, 60)
    log.append("asha", "approved", APPROVAL, "BR-1", "d0")
    assert log.keyring.signing.id == "new" and log.verify().signed == 1
    assert not (tmp_path / "unused.json").exists()
    with pytest.raises(KeyProblem, match="KEY_ID:HEX_SECRET"):
        open_keyring(tmp_path / "unused.json", "no-secret-here", 1)


def test_a_forged_or_damaged_checkpoint_line_is_named(engine, tmp_path):
    log = signed_log(engine, tmp_path)
    _fill(log, 4)
    checkpoints = tmp_path / "audit-checkpoints.jsonl"
    line = json.loads(checkpoints.read_text().splitlines()[0])
    with checkpoints.open("a") as file:
        file.write(json.dumps({**line, "seq": 9}) + "\n")
    result = log.verify()
    assert not result.intact and "(event 9) is not signed by this service's key: it was forged" in result.problem
    checkpoints.write_text("not json\n")
    assert "line 1 of the checkpoint file" in log.verify().problem


def test_checkpoints_are_written_every_n_events_or_after_a_quiet_spell(engine, tmp_path):
    clock = [1000.0]
    keyring = open_keyring(tmp_path / "keys.json", None, 1)
    file = CheckpointFile(tmp_path / "cp.jsonl", keyring, every_events=3, every_s=60, clock=lambda: clock[0])
    log = AuditLog(engine, keyring=keyring, checkpoints=file)
    _fill(log, 7)
    assert sorted(file.read().by_seq) == [1, 4, 7]  # the first event, then every third
    clock[0] += 61
    log.append("asha", "approved", APPROVAL, "BR-1", "d0")
    assert sorted(file.read().by_seq) == [1, 4, 7, 8]


def test_canonical_text_is_canonical_bytes_without_parsing():
    payload = {"note": "Ünïcode \"quoted\" \n", "n": [1, 2.5, None, True], "nested": {"b": 1, "a": "x"}}
    args = (7, "2026-11-30T12:00:00.000000+00:00", "asha", "approved", None, "d1")
    assert canonical_text(*args, canonical_json(payload), "f" * 64) == canonical_bytes(*args, payload, "f" * 64)
    spaced = json.dumps(payload, sort_keys=True, ensure_ascii=False)  # how events were stored before
    assert canonical_text(*args, spaced, "f" * 64) != canonical_bytes(*args, payload, "f" * 64)


# document texts in the proof, through the real services -----------------------------------------------------------
def test_a_documents_text_changed_behind_the_apps_back_is_named(make_service, db_url):
    from retrieval.ingest.pipeline import Upload
    from retrieval.records.access import User
    from tests.conftest import register
    admin = User("admin", "admin", "all")
    service = make_service(database_url=db_url)
    register(service, "BR-1", "benefits")
    register(service, "BR-2", "benefits", "P-2", "Amir Khan")
    service.cases.ingest(admin, "BR-1", [Upload("note.txt", b"Ms Jones phoned on 14/01/2025.")])
    service.cases.ingest(admin, "BR-2", [Upload("amir.txt", b"Mr Khan asked for a review on 02/02/2025.")])
    added = service.stores.audit.events(actions=("documents_added",))
    note = added[0].data.files[0]
    assert note.text_sha256 == hashlib.sha256(b"Ms Jones phoned on 14/01/2025.").hexdigest()
    verify = lambda: service.supervision.verify_log(admin)  # noqa: E731
    assert verify().intact and verify().documents == 2

    service.records_admin.erase_person(admin, "P-2", "Asked for erasure")  # accounted for by its signed event
    assert verify().intact and verify().documents == 1
    with service.stores.audit.engine.begin() as conn:
        conn.execute(sa.text("UPDATE documents SET text = 'Ms Jones never phoned.' WHERE id = :id"),
                     {"id": note.document_id})
    result = verify()
    assert not result.intact and result.changed_document == note.document_id
    assert result.problem == (f"the text of document {note.document_id} was changed behind the app's back: it no "
                              f"longer has the SHA-256 that event {added[0].seq} recorded when it was stored")


def test_a_document_erased_without_an_erasure_event_is_named(make_service, db_url):
    from retrieval.ingest.pipeline import Upload
    from retrieval.records.access import User
    from tests.conftest import register
    admin = User("admin", "admin", "all")
    service = make_service(database_url=db_url)
    register(service, "BR-1", "benefits")
    service.cases.ingest(admin, "BR-1", [Upload("note.txt", b"Ms Jones phoned on 14/01/2025.")])
    with service.stores.audit.engine.begin() as conn:
        conn.execute(sa.text("UPDATE documents SET text = '', erased_at = CURRENT_TIMESTAMP"))
    result = service.supervision.verify_log(admin)
    assert not result.intact and "was erased, but no erasure of its case (BR-1) is recorded" in result.problem
