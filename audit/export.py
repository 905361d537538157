"""Exports of audit events: what leaves the system is the same data the chain covers, with its hashes."""
from __future__ import annotations

import csv
import io
import json

from audit.chain import Event

COLUMNS = ("seq", "recorded_at", "actor", "action", "case_reference", "draft_id", "payload", "prev_hash", "hash")


def events_csv(events: list[Event]) -> str:
    """CSV of the events in chain order; the payload column is the event's JSON as chained (personal texts
    appear as the salted references the hash covers), so hashes can be re-checked from the file alone."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for e in sorted(events, key=lambda e: e.seq):
        writer.writerow([e.seq, e.recorded_at, e.actor, e.action, e.case_reference or "", e.draft_id or "",
                         json.dumps(e.payload if e.chained_payload is None else e.chained_payload,
                                    ensure_ascii=False, sort_keys=True), e.prev_hash, e.hash])
    return out.getvalue()
