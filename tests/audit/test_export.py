"""CSV export carries exactly the chained data, so a recipient can re-check every hash."""
from __future__ import annotations

import csv
import hashlib
import io
import json

from audit.chain import canonical_bytes
from audit.export import COLUMNS, events_csv
from audit.log import AuditLog


def test_exported_rows_reverify(engine):
    log = AuditLog(engine)
    log.append("asha", "drafted", {"output": "£412.67, ünïcode"}, "BR-1", "d1")
    log.append("sam", "approved", {"version": 1, "note": "", "role": "supervisor", "sign_off_tier": "officer",
                                 "second_check": False}, "BR-1", "d1")
    rows = list(csv.DictReader(io.StringIO(events_csv(list(reversed(log.events()))))))
    assert tuple(rows[0]) == COLUMNS and [r["seq"] for r in rows] == ["1", "2"]
    for row in rows:
        digest = hashlib.sha256(canonical_bytes(int(row["seq"]), row["recorded_at"], row["actor"], row["action"],
                                                row["case_reference"] or None, row["draft_id"] or None,
                                                json.loads(row["payload"]), row["prev_hash"])).hexdigest()
        assert digest == row["hash"]
