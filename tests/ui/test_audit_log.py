"""The Audit log page: filters, a draft's full record with its diff, CSV export, and verification."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import sqlalchemy as sa

from retrieval.access import User
from tests.ui.conftest import button, new_app, open_page, sign_in, texts

ASHA = User("asha", "officer", "benefits")


def test_a_supervisor_filters_inspects_a_draft_exports_and_verifies(service):
    draft = service.draft(ASHA, "BR-1")
    edited = service.edit(ASHA, draft.draft_id, draft.last_seq, draft.current.text + "\nA new line [1].")
    service.approve(ASHA, draft.draft_id, edited.last_seq)
    service.draft(User("tom", "officer", "housing"), "HS-1")  # another team's: not for this supervisor

    at = open_page(sign_in(new_app(service), "sam"), "ui/audit_log.py")
    assert not at.exception
    table = at.dataframe[0].value
    assert "HS-1" not in set(table["Case"]) and {"BR-1", "BR-2"} <= set(table["Case"])

    [action] = [m for m in at.multiselect if m.label == "Action"]
    action.select("Approved").select("Saved an edited version").run()
    assert list(at.dataframe[0].value["Action"]) == ["Saved an edited version", "Approved"]
    [model] = [m for m in at.multiselect if m.label == "Model"]
    assert model.options == ["fake-list"]

    assert [b.label for b in at.get("download_button")] == ["Download these events as CSV"]

    assert "+A new line [1]." in at.code[0].value  # the diff between the AI text and the approved text
    assert "Changes from the AI text to version 2 (by asha), the approved text:" in texts(at.markdown)

    button(at, "Verify the audit log").click()
    at.run()
    assert texts(at.success)[0].startswith(f"The audit log is intact: {len(service.audit.events())} event(s)")


def test_verification_reports_an_event_changed_behind_the_apps_back(service):
    service.draft(ASHA, "BR-1")
    with service.audit.engine.begin() as conn:
        conn.execute(sa.text("DROP TRIGGER audit_events_no_update"))
        conn.execute(sa.text("UPDATE audit_events SET actor = 'someone else' WHERE seq = 2"))
    at = open_page(sign_in(new_app(service), "root"), "ui/audit_log.py")
    button(at, "Verify the audit log").click()
    at.run()
    assert texts(at.error) == ["The audit log is NOT intact. First broken event: 2. Problem: event 2 was changed "
                               "after it was recorded. Report this to your administrator."]


def test_a_date_range_with_no_events_shows_none(service):
    at = open_page(sign_in(new_app(service), "sam"), "ui/audit_log.py")
    today = datetime.now(timezone.utc).date()  # the log's dates are UTC
    at.date_input[0].set_value((today - timedelta(days=9), today - timedelta(days=1))).run()
    assert not at.exception and at.dataframe[0].value.empty
    assert texts(at.caption)[0].startswith("Showing 0 of ")
