"""Verifying the log: every hash, link, signature, checkpoint, kept text and document text, the first thing wrong named.

What each check catches, from someone who can write to the database but does
not hold the signing key:
- a changed event: its hash (and, once signed, its signature) no longer fits;
- a correctly hashed event appended or inserted: it has no valid signature
  (events from the key's first event on must be signed; earlier ones are
  counted as unsigned, and verify as they always did);
- an event signed with another key: its key id is not one of ours, or its
  signature does not hold;
- a rewrite re-hashed from some event on: that event's signature fails, so it
  is the one named; among unsigned events, the last checkpoint that agreed
  and the first that does not bound it;
- the newest events deleted: a signed checkpoint names an event the log no
  longer reaches (``audit.checkpoints``; events after the newest checkpoint
  are covered by their signatures only);
- a kept text changed, or erased without a signed erasure event naming it;
- a document's stored text changed: it no longer has the SHA-256 its
  ``documents_added`` event recorded; an erased document needs a signed
  erasure of its person's case.

Signed events by someone who had no account at the time, or lacked the role
the action needs (``audit.events``, ``done_by``), are listed as findings:
the log is intact, but the service signed what it should have refused
(except failed sign-ins and locks, ``by_anyone``: recorded for whatever name
was tried). ``against="SEQ:HASH"`` (``head()`` written down elsewhere) still proves
nothing up to that event changed.

With ``statuses=True`` the pass also folds the events into draft and case
statuses, and every row of the listings' status table that differs from that
fold (``audit.status_table.StatusCheck``) is listed as a difference: the log
is intact, but the case list or the review queue may show those drafts wrongly
until the table is rebuilt from it.
"""
from __future__ import annotations

import hmac
import json
import re
from hashlib import sha256
from dataclasses import dataclass, field, replace
from typing import Callable, Iterable

import sqlalchemy as sa
from sqlalchemy import Engine

from audit import events as event_types
from audit.chain import GENESIS, canonical_bytes, canonical_text
from audit.checkpoints import CheckpointFile
from audit.errors import BadAnchor
from audit.events import AccountSaved, ContentsErased, DocumentsAdded, OPERATOR_PREFIX, PersonErased, parse
from audit.kept_texts import content_digest, contents
from audit.signing import Keyring
from audit.status_table import MAX_DIFFERENCES, StatusCheck
from schema import audit_contents, audit_events

_COLUMNS = [audit_events.c[name] for name in ("seq", "recorded_at", "actor", "action", "case_reference", "draft_id",
                                               "payload", "prev_hash", "hash", "key_id", "signature")]  # in this order
MAX_FINDINGS = 20  # findings listed in full; the rest are counted
_REF = re.compile(r'\{"\$content": ?"([^"\\]*)"\}')  # a kept text's reference in stored JSON (never inside a string)


@dataclass(frozen=True)
class HeldDocument:
    """A document as the records hold it now, for verify to re-hash."""
    id: int
    case_reference: str
    text: str
    erased: bool


@dataclass(frozen=True)
class Verification:
    intact: bool
    checked: int
    first_broken_seq: int | None = None
    problem: str = ""
    anchored_seq: int | None = None  # the anchor's event, when verified against one
    # The last event found sound, so a report names the head that was proved, not one read later that may be
    # newer; (0, 64 zeros) when none was, as `head()` of an empty log.
    head_seq: int = 0
    head_hash: str = GENESIS
    signed: int = 0  # events whose signature was checked and holds
    unsigned: int = 0  # events written before signing began (they verify by their hashes only)
    checkpoints: int = 0  # signed checkpoints the log agreed with
    documents: int = 0  # document texts re-hashed against the SHA-256 the log recorded
    documents_unrecorded: int = 0  # documents stored before their text's SHA-256 was recorded
    changed_document: int | None = None
    findings: tuple[str, ...] = ()  # signed events by someone without the account or role (first MAX_FINDINGS)
    findings_total: int = 0
    # rows of the listings' status table that differ from the chain's fold (first MAX_DIFFERENCES); the log may
    # still be intact
    status_differences: tuple[str, ...] = ()
    status_differences_total: int = 0

    def summary(self) -> str:
        """One paragraph for a person: intact or not, what was checked, and what was found."""
        if not self.intact:
            where = f" (first broken event: {self.first_broken_seq})" if self.first_broken_seq else ""
            return f"The audit log is NOT intact: {self.problem}{where}."
        parts = [f"The audit log is intact: {self.checked} events checked"]
        if self.signed or self.unsigned:
            parts.append(f"{self.signed} with a valid signature, {self.unsigned} written before signing began "
                         "(unsigned: checked by their hashes only)")
        if self.checkpoints:
            parts.append(_count(self.checkpoints, "signed checkpoint") + (" agrees" if self.checkpoints == 1 else " agree"))
        if self.documents or self.documents_unrecorded:
            parts.append(_count(self.documents, "document text") + " unchanged"
                         + (f", {self.documents_unrecorded} stored before their text was recorded"
                            if self.documents_unrecorded else ""))
        text = "; ".join(parts) + "."
        if self.findings_total:
            more = self.findings_total - len(self.findings)
            text += (f" {_count(self.findings_total, 'signed event')} recorded for someone without the account or "
                     "role the action needs: " + "; ".join(self.findings) + (f"; and {more} more" if more else "")
                     + ".")
        if self.status_differences_total:
            more = self.status_differences_total - len(self.status_differences)
            text += (" The status table that the case list and the review queue read differs from the log in "
                     f"{_count(self.status_differences_total, 'place')}: " + "; ".join(self.status_differences)
                     + (f"; and {more} more" if more else "") + ". The log is the record, so those listings may "
                     "show these drafts wrongly until an administrator rebuilds the table from the log "
                     "(docs/decisions/0010-status-read-model.md says how).")
        return text


def _count(number: int, word: str) -> str:
    return f"{number} {word}{'' if number == 1 else 's'}"


def parse_anchor(anchor: str) -> tuple[int | None, str]:
    """``SEQ:HASH`` (as ``cli.py head`` prints it) or a bare hash -> (seq or None, hash)."""
    text = anchor.strip().lower()
    match = re.fullmatch(r"(?:(\d+):)?([0-9a-f]{64})", text)
    if match is None:
        raise BadAnchor()
    return (int(match.group(1)) if match.group(1) is not None else None), match.group(2)


@dataclass
class _Pass:
    """What one verification pass has learned so far, in chain order."""
    keyring: Keyring | None
    signed_from: int | None  # events from here on must be signed
    erasures: set[str]
    checkpoints: dict
    checked: int = 0
    signed: int = 0
    unsigned: int = 0
    agreed: int = 0  # checkpoints matched
    last_agreed: int = 0  # seq of the newest checkpoint that matched
    roles: dict[str, str] = field(default_factory=dict)  # username -> role, from account_saved events so far
    findings: list[str] = field(default_factory=list)
    findings_total: int = 0
    recorded_texts: dict[int, tuple[str, int]] = field(default_factory=dict)  # document id -> (text sha256, seq)
    erased_cases: set[str] = field(default_factory=set)

    def must_sign(self, seq: int) -> bool:
        return self.signed_from is not None and seq >= self.signed_from


def verify(engine: Engine, against: str | None = None, batch: int = 5000, keyring: Keyring | None = None,
           checkpoints: CheckpointFile | None = None,
           documents: Callable[[], Iterable[HeldDocument]] | None = None, statuses: bool = False) -> Verification:
    """Check the whole log (see the module's docstring); report the first thing wrong.

    Without a keyring, signatures cannot be checked and events verify by their hashes, as before signing;
    `documents` gives the records' documents to re-hash (None: not checked); `statuses` compares the listings'
    status table with the chain.
    """
    anchor_seq, anchor_hash = parse_anchor(against) if against is not None else (None, None)
    read = checkpoints.read() if checkpoints else None
    if read and read.problems:
        return Verification(False, 0, None, read.problems[0])
    expected_seq, prev_hash = 1, GENESIS
    with engine.connect() as conn:
        if anchor_hash is not None and anchor_seq is None:
            anchor_seq = conn.execute(sa.select(audit_events.c.seq)
                                      .where(audit_events.c.hash == anchor_hash)).scalar()
            if anchor_seq is None and anchor_hash != GENESIS:
                return Verification(False, 0, None, "no event has the anchored hash: the log was changed at "
                                                    "or before the anchored event (or the anchor belongs to "
                                                    "another log)")
        if anchor_seq == 0 and anchor_hash != GENESIS:
            return Verification(False, 0, None, "the anchor names event 0, which can only have the hash "
                                                "of 64 zeros: check the anchor was copied correctly")
        signed_from = None
        if keyring is not None:  # from the key's first event, or the first signed one if earlier, all are signed
            first_signed = conn.execute(sa.select(sa.func.min(audit_events.c.seq))
                                        .where(audit_events.c.signature.is_not(None))).scalar()
            signed_from = min((b for b in (keyring.signed_from, first_signed) if b is not None), default=None)
        state = _Pass(keyring, signed_from, set(), read.by_seq if read else {})
        state.erasures = _recorded_erasures(conn, state)
        status_check = StatusCheck(conn) if statuses else None
        last = 0
        while True:
            rows = conn.execute(sa.select(*_COLUMNS).where(audit_events.c.seq > last)
                                .order_by(audit_events.c.seq).limit(batch)).all()
            if not rows:
                break
            refs_of = [_REF.findall(row.payload) for row in rows]
            wanted = [ref for refs in refs_of for ref in refs]
            held = contents(conn, wanted, audit_contents.c.seq.between(rows[0].seq, rows[-1].seq)) if wanted else {}
            for row, refs in zip(rows, refs_of):
                problem = _problem(row, refs, expected_seq, prev_hash, held, state)
                if problem is None and row.seq == anchor_seq and row.hash != anchor_hash:
                    problem = (f"the anchored event {row.seq} no longer has the recorded hash: the log was "
                               f"changed at or before event {row.seq}")
                if problem is not None:
                    broken = expected_seq if row.seq != expected_seq else row.seq
                    return _broken(state, broken, problem, anchor_seq, last, prev_hash)
                prev_hash, expected_seq, last = row.hash, row.seq + 1, row.seq
                state.checked += 1
                if status_check is not None:
                    status_check.take(row)
    beyond = [seq for seq in state.checkpoints if seq > last]
    if beyond:
        reached = max(beyond)
        return _broken(state, last + 1, f"events {last + 1} to {reached} are missing: a signed checkpoint of "
                                        f"{state.checkpoints[reached].at} says the log reached event {reached}, "
                                        f"but it now ends at event {last}", anchor_seq, last, prev_hash)
    if anchor_seq is not None and anchor_seq > last:
        return _broken(state, last + 1, f"the anchored event {anchor_seq} no longer exists (the log ends at event "
                                        f"{last}): events were removed at or before event {anchor_seq}",
                       anchor_seq, last, prev_hash)
    result = Verification(True, state.checked, anchored_seq=anchor_seq, head_seq=last, head_hash=prev_hash,
                          signed=state.signed, unsigned=state.unsigned, checkpoints=state.agreed,
                          findings=tuple(state.findings), findings_total=state.findings_total)
    if status_check is not None:
        differences = status_check.differences(engine, last)
        result = replace(result, status_differences=tuple(differences[:MAX_DIFFERENCES]),
                         status_differences_total=len(differences))
    return _check_documents(result, state, documents) if documents else result


def _broken(state: _Pass, seq: int, problem: str, anchor_seq, last: int, prev_hash: str) -> Verification:
    return Verification(False, state.checked, seq, problem, anchor_seq, last, prev_hash, signed=state.signed,
                        unsigned=state.unsigned, checkpoints=state.agreed)


def _signature_valid(state: _Pass, key_id: str | None, digest: str, signature: str | None) -> bool | None:
    """True/False for a signature checked; None when the event is unsigned, no keyring can check it, or its key is
    not one this service holds (the caller says which)."""
    if signature is None or state.keyring is None:
        return None
    expected = state.keyring.expected_event(key_id or "", digest)
    return None if expected is None else hmac.compare_digest(expected, signature)


def _recorded_erasures(conn: sa.Connection, state: _Pass) -> set[str]:
    """Content ids that trustworthy erasure events name: signed ones, or unsigned ones from before signing
    began (those events are themselves verified in the pass)."""
    erased: set[str] = set()
    rows = conn.execute(sa.select(audit_events.c.seq, audit_events.c.payload, audit_events.c.hash,
                                  audit_events.c.key_id, audit_events.c.signature)
                        .where(audit_events.c.payload.like('%"erased_contents"%')))
    for row in rows:
        if state.must_sign(row.seq) and not _signature_valid(state, row.key_id, row.hash, row.signature):
            continue  # a forged erasure accounts for nothing; the pass names the event when it reaches it
        payload = _loads_or_none(row.payload)
        if isinstance(payload, dict):  # whatever the action: every erasure records its ids in this shape
            erased.update(parse(ContentsErased.action, payload).erased_contents)
    return erased


def _hash_holds(row) -> bool | None:
    """Whether the stored hash is the hash of the row's canonical form; None if the payload is unreadable.
    Events stored in canonical JSON are checked without parsing; older ones are parsed first."""
    seq, recorded_at, actor, action, case_reference, draft_id, payload, prev_hash, digest = row[:9]
    if sha256(canonical_text(seq, recorded_at, actor, action, case_reference, draft_id, payload,
                             prev_hash)).hexdigest() == digest:
        return True
    parsed = _loads_or_none(payload)
    if not isinstance(parsed, dict):
        return None
    return sha256(canonical_bytes(seq, recorded_at, actor, action, case_reference, draft_id, parsed,
                                  prev_hash)).hexdigest() == digest


def _problem(row, refs: list[str], expected_seq: int, prev_hash: str, held: dict, state: _Pass) -> str | None:
    seq, digest = row.seq, row.hash
    if seq != expected_seq:
        return f"event {expected_seq} is missing (next found is {seq})"
    if row.prev_hash != prev_hash:
        return f"event {seq} does not link to the event before it"
    holds = _hash_holds(row)
    if holds is None:
        return f"event {seq} has an unreadable payload"
    if not holds:
        return f"event {seq} was changed after it was recorded"
    problem = _signature_problem(row, state)
    if problem:
        return problem
    checkpoint = state.checkpoints.get(seq)
    if checkpoint is not None:
        if checkpoint.hash != digest:
            return (f"event {seq} no longer has the hash the signed checkpoint of {checkpoint.at} recorded: the "
                    f"log was changed after event {state.last_agreed} (the last checkpoint that agrees) and at or "
                    f"before event {seq}")
        state.agreed, state.last_agreed = state.agreed + 1, seq
    for ref in refs:
        content = held.get(ref)
        if content is None:
            return f"a text kept with event {seq} is missing from the audit log's content store"
        salt, text, erased_at = content.salt, content.text, content.erased_at
        if erased_at is not None:
            if ref not in state.erasures:
                return f"a text kept with event {seq} was erased, but no signed erasure event in the log names it"
        elif salt is None or text is None or content_digest(salt, text) != ref:
            return f"a text kept with event {seq} was changed after it was recorded"
    _learn(row, state)
    return None


def _signature_problem(row, state: _Pass) -> str | None:
    valid = _signature_valid(state, row.key_id, row.hash, row.signature)
    if valid:
        state.signed += 1
        return None
    if valid is False:
        return f"event {row.seq} does not carry this service's signature: it was forged or changed after signing"
    if row.signature is not None and state.keyring is not None:
        return (f"event {row.seq} is signed with a key this service does not hold (key id '{row.key_id}'): it was "
                "not written by this service")
    if state.must_sign(row.seq):
        return (f"event {row.seq} has no signature, though every event from {state.signed_from} on is signed: it "
                "was written without the service's key (forged)")
    state.unsigned += 1
    return None


def _learn(row, state: _Pass) -> None:
    """Fold what later checks need from a sound event: accounts and roles, documents' text hashes, erasures;
    and report a signed event by someone without the account or role it needs."""
    kind = event_types.EVENT_TYPES.get(row.action)
    if row.signature is not None and kind is not None and not kind.by_anyone \
            and not row.actor.startswith(OPERATOR_PREFIX):  # a failed sign-in's actor is whoever tried
        role = state.roles.get(row.actor)
        needed = kind.roles_needed(json.loads(row.payload)) if kind.roles_follow_payload else kind.done_by
        if role is None or (needed and role not in needed):
            state.findings_total += 1
            if len(state.findings) < MAX_FINDINGS:
                state.findings.append(
                    f"event {row.seq} ({row.action}) was signed for '{row.actor}', who had no account then"
                    if role is None else f"event {row.seq} ({row.action}) needs the role {' or '.join(needed)}, "
                                         f"but '{row.actor}' was {role} then")
    if row.action not in (AccountSaved.action, DocumentsAdded.action, PersonErased.action):
        return
    parsed = parse(row.action, _loads_or_none(row.payload) or {}, texts_read=False)
    if isinstance(parsed, AccountSaved):
        state.roles[parsed.username] = parsed.role
    elif isinstance(parsed, DocumentsAdded):
        for outcome in parsed.files:
            if outcome.status in ("added", "already held") and outcome.document_id is not None \
                    and outcome.text_sha256:  # the first recorded: a later one must not hide a change made between
                state.recorded_texts.setdefault(outcome.document_id, (outcome.text_sha256, row.seq))
    else:
        state.erased_cases.update(parsed.cases)


def _check_documents(result: Verification, state: _Pass, documents: Callable[[], Iterable[HeldDocument]]):
    """Re-hash each held document's text against the SHA-256 its event recorded; an erased one needs a sound
    erasure of its case. The first document wrong breaks the result."""
    checked = unrecorded = 0
    seen: set[int] = set()
    for document in documents():
        seen.add(document.id)
        recorded = state.recorded_texts.get(document.id)
        if document.erased:
            if document.case_reference not in state.erased_cases:
                return replace(result, intact=False, changed_document=document.id,
                               problem=f"document {document.id} was erased, but no erasure of its case "
                                       f"({document.case_reference}) is recorded in the log")
            continue
        if recorded is None:
            unrecorded += 1
            continue
        if sha256(document.text.encode("utf-8")).hexdigest() != recorded[0]:
            return replace(result, intact=False, changed_document=document.id, first_broken_seq=None,
                           problem=f"the text of document {document.id} was changed behind the app's back: it no "
                                   f"longer has the SHA-256 that event {recorded[1]} recorded when it was stored")
        checked += 1
    missing = sorted(set(state.recorded_texts) - seen)
    if missing:
        return replace(result, intact=False, changed_document=missing[0],
                       problem=f"document {missing[0]}, recorded by event {state.recorded_texts[missing[0]][1]}, "
                               "is missing from the records")
    return replace(result, documents=checked, documents_unrecorded=unrecorded)


def _loads_or_none(text: str):
    try:
        return json.loads(text)
    except ValueError:
        return None
