"""The Audit log page: filters and pages done by the database, a draft's full record with its diff, CSV export,
and verification."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import sqlalchemy as sa

from retrieval.records.access import User
from tests.ui.conftest import PASSWORD, button, new_app, open_page, sign_in, texts

ASHA = User("asha", "officer", "benefits")


def test_a_supervisor_filters_inspects_a_draft_exports_and_verifies(service):
    draft = service.drafting.draft(ASHA, "BR-1")
    edited = service.review.edit(ASHA, draft.draft_id, draft.last_seq, draft.current.text + "\nA new line [1].")
    [added] = service.review.grounding_report(ASHA, draft.draft_id).unsupported
    accepted = service.review.accept_sentence(ASHA, draft.draft_id, edited.last_seq, added.key, added.text, "Checked.")
    service.review.approve(ASHA, draft.draft_id, accepted.last_seq)
    service.drafting.draft(User("tom", "officer", "housing"), "HS-1")  # another team's: not for this supervisor

    at = open_page(sign_in(new_app(service), "sam"), "ui/audit_log.py")
    assert not at.exception
    table = at.dataframe[0].value
    assert "HS-1" not in set(table["Case"]) and {"BR-1", "BR-2"} <= set(table["Case"])
    assert set(table["Model"]) == {"", "fake-list"}  # shown for each draft, though no longer a filter
    [case] = [m for m in at.multiselect if m.label == "Case"]
    assert case.options == ["BR-1", "BR-2"]  # the choices too come only from what this supervisor may see

    [action] = [m for m in at.multiselect if m.label == "Action"]
    assert "Approved" in action.options and "approved" not in action.options  # plain words, not codes
    action.select("approved").select("edited").run()
    assert list(at.dataframe[0].value["Action"]) == ["Approved", "Saved an edited version"]  # newest first
    assert "Showing 1 to 2 of 2 events, newest first." in texts(at.caption)
    assert [b.label for b in at.get("download_button")] == ["Download all 2 matching events as CSV (every page)"]

    assert "+A new line [1]." in at.code[0].value  # the diff between the AI text and the approved text
    assert "Changes from the AI text to version 2 (by asha), the approved text:" in texts(at.markdown)

    button(at, "Verify the audit log").click()
    at.run()
    assert texts(at.success)[0].startswith(f"The audit log is intact: {len(service.stores.audit.events())} events")
    assert "Every event in the log was checked, whatever the filters below show." in texts(at.success)[0]

    seq, head = service.stores.audit.head()
    assert any(caption.endswith(f"{seq}:{head}") for caption in texts(at.caption))
    at.text_input[0].input(f"{seq}:{head}")
    button(at, "Verify the audit log").click()
    at.run()
    assert texts(at.success)[0].endswith("Nothing up to the checkpoint you gave has changed.")
    at.text_input[0].input(f"{seq}:{'0' * 64}")
    button(at, "Verify the audit log").click()
    at.run()
    assert texts(at.error)[0].startswith("The audit log is NOT intact: ")
    assert f"(first broken event: {seq})" in texts(at.error)[0]


def test_verification_reports_an_event_changed_behind_the_apps_back(service):
    service.drafting.draft(ASHA, "BR-1")
    with service.stores.audit.engine.begin() as conn:
        conn.execute(sa.text("DROP TRIGGER audit_events_no_update"))
        conn.execute(sa.text("UPDATE audit_events SET actor = 'someone else' WHERE seq = 2"))
    at = open_page(sign_in(new_app(service), "root"), "ui/audit_log.py")
    button(at, "Verify the audit log").click()
    at.run()
    assert texts(at.error) == ["The audit log is NOT intact: event 2 was changed after it was recorded (first "
                               "broken event: 2). Every event in the log was checked, whatever the filters below "
                               "show. Report this to your administrator."]


def test_a_date_range_with_no_events_shows_none(service):
    at = open_page(sign_in(new_app(service), "sam"), "ui/audit_log.py")
    today = datetime.now(timezone.utc).date()  # the log's dates are UTC
    at.date_input[0].set_value((today - timedelta(days=9), today - timedelta(days=1))).run()
    assert not at.exception and at.dataframe[0].value.empty
    assert "No events match these filters." in texts(at.caption)
    assert all(b.disabled for b in at.button if b.label.endswith("events)"))
    assert texts(at.markdown).count("No drafts among the events on this page.") == 1


def test_a_long_log_is_shown_a_page_at_a_time_newest_first(service):
    for _ in range(60):  # Asha's own events (about no case): her supervisor sees them
        service.accounts.sign_in("asha", PASSWORD)
    at = open_page(sign_in(new_app(service), "sam"), "ui/audit_log.py")
    total = int(next(c for c in texts(at.caption) if c.startswith("Showing ")).split(" of ")[1].split()[0])
    assert total > 60 and len(at.dataframe[0].value) == 50
    newest = list(at.dataframe[0].value["Event"])
    assert newest == sorted(newest, reverse=True) and newest[0] == service.stores.audit.head()[0]  # sam signing in
    assert button(at, "Previous page (newer events)").disabled

    button(at, "Next page (older events)").click()
    at.run()
    assert f"Showing 51 to {total} of {total} events, newest first." in texts(at.caption)
    assert list(at.dataframe[0].value["Event"])[0] < newest[-1]
    assert button(at, "Next page (older events)").disabled

    button(at, "Previous page (newer events)").click()
    at.run()
    assert list(at.dataframe[0].value["Event"]) == newest

    button(at, "Next page (older events)").click()
    at.run()
    [officer] = [m for m in at.multiselect if m.label == "Officer"]
    officer.select("asha").run()  # other filters start again from the newest events
    assert all(who == "Asha" for who in at.dataframe[0].value["Who"])  # people by their full names
    assert list(at.dataframe[0].value["Event"])[0] == newest[1]
