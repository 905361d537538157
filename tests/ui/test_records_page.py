"""The Records page: subject access export, legal holds refusing erasure, erasure, retention; administrators only."""
from __future__ import annotations

import json
from datetime import date, timedelta

import pytest

from retrieval.errors import NotAuthorised
from retrieval.records.store import ERASED_NAME
from tests.ui.conftest import ADMIN, button, new_app, open_page, sign_in, texts

PAGE = "ui/records.py"
CONFIRM = "I understand this cannot be undone"


def records_page(service, username: str = "root"):
    at = open_page(sign_in(new_app(service), username), PAGE)
    assert not at.exception and texts(at.title) == ["Records"]
    return at


def labelled(widgets, label: str):
    [widget] = [w for w in widgets if w.label == label]
    return widget


def choose_person(at, reference: str):
    people = labelled(at.selectbox, "Person")
    return people.set_value(reference).run()


def test_an_admin_exports_everything_held_about_a_person(service):
    at = records_page(service)
    assert labelled(at.selectbox, "Person").format_func("P-1") == "P-1: Jane Jones"
    assert list(at.dataframe[0].value["Case reference"]) == ["BR-1", "BR-2"]
    assert not at.get("download_button")  # nothing is exported (nor audited) until asked for

    button(at, "Export everything held about this person").click()
    at.run()
    assert not at.exception and not at.error
    assert [b.label for b in at.get("download_button")] == ["Download the subject access file (JSON)"]
    reference, text = at.session_state["records_export"]
    export = json.loads(text)
    assert reference == "P-1" and export["person"]["full_name"] == "Jane Jones"
    assert [c["reference"] for c in export["cases"]] == ["BR-1", "BR-2"]
    assert sorted(d["filename"] for d in export["documents"]) == ["letter.txt", "note.txt"]
    assert "rent arrears of £412.67" in next(d["text"] for d in export["documents"] if d["filename"] == "note.txt")
    assert texts(at.success)[0].startswith("The file is ready: 2 cases, 2 documents")
    last = service.stores.audit.events()[-1]
    assert (last.action, last.actor, last.data.person) == ("subject_access_exported", "root", "P-1")

    at = choose_person(at, "P-2")  # the prepared file belongs to P-1: not offered for someone else
    assert not at.get("download_button")


def test_a_legal_hold_refuses_erasure_until_released_then_erasure_leaves_a_verifying_log(service):
    at = records_page(service)
    assert texts(at.markdown).count("No legal holds on this person or their cases.") == 1

    button(at, "Set legal hold").click()  # no reason given
    at.run()
    assert texts(at.error) == ["Give a reason for the legal hold; it is recorded in the audit log."]
    assert service.stores.records.holds("P-1") == []

    labelled(at.text_area, "Reason for the legal hold").input("Tribunal appeal TA-77")
    button(at, "Set legal hold").click()
    at.run()
    assert not at.exception and not at.error
    assert texts(at.success)[0].startswith("Legal hold set on person P-1: held by root")
    [hold] = service.stores.records.holds("P-1")
    assert (hold.case_reference, hold.reason) == (None, "Tribunal appeal TA-77")
    assert list(at.dataframe[0].value["Legal hold"]) == ["yes", "yes"]
    assert list(at.dataframe[1].value["Covers"]) == ["the whole person"]

    labelled(at.text_area, "Reason for the erasure").input("Erasure request ER-12")
    button(at, "Erase personal content").click()  # not confirmed
    at.run()
    assert texts(at.error) == [f"Nothing was erased. Tick \u201c{CONFIRM}\u201d to confirm the erasure."]

    at.checkbox(key="erase_confirmed").check()
    button(at, "Erase personal content").click()
    at.run()
    [refusal] = texts(at.error)
    assert refusal.startswith("Nothing was erased: P-1 is under legal hold (person P-1: held by root")
    assert service.stores.records.person("P-1").full_name == "Jane Jones"
    assert all(d.text for d in service.cases.documents(ADMIN, "BR-1"))

    labelled(at.text_area, "Reason for releasing the hold").input("Appeal withdrawn")
    button(at, "Release legal hold").click()
    at.run()
    assert not at.error and "Legal hold released on P-1." in texts(at.success)
    assert service.stores.records.holds("P-1") == []
    assert not [b for b in at.button if b.label == "Release legal hold"]

    button(at, "Export everything held about this person").click()
    assert at.run().get("download_button")
    labelled(at.text_area, "Reason for the erasure").input("Erasure request ER-12")
    at.checkbox(key="erase_confirmed").check()
    button(at, "Erase personal content").click()
    at.run()
    assert not at.exception and not at.error
    assert not at.get("download_button") and "records_export" not in at.session_state  # erased texts not kept
    erased, verified = texts(at.success)[:2]
    assert erased.startswith("Erased P-1: 2 documents, ") and "across 2 cases" in erased
    assert verified.startswith("The audit log still verifies:")
    for case in ("BR-1", "BR-2"):
        documents = service.cases.documents(ADMIN, case)
        assert documents and all(d.erased_at and d.text == "" for d in documents)
    assert service.stores.records.person("P-1").full_name == ERASED_NAME
    assert service.stores.audit.verify().intact
    [erasure] = service.stores.audit.events(actions=("person_erased",))
    assert (erasure.actor, erasure.data.person) == ("root", "P-1")
    assert erasure.data.reason == "Erasure request ER-12"
    assert labelled(at.selectbox, "Person").format_func("P-1").startswith("P-1 (erased on ")
    assert service.stores.records.person("P-2").full_name == "Tom Hardy"  # nobody else was touched


def test_a_hold_on_one_case_is_set_from_the_page_and_refuses_erasure(service):
    at = records_page(service)
    labelled(at.selectbox, "What to hold").set_value("BR-2")
    labelled(at.text_area, "Reason for the legal hold").input("Complaint CP-3")
    button(at, "Set legal hold").click()
    at.run()
    [hold] = service.stores.records.holds("P-1")
    assert hold.case_reference == "BR-2"
    assert list(at.dataframe[0].value["Legal hold"]) == ["no", "yes"]
    labelled(at.text_area, "Reason for the erasure").input("Erasure request ER-13")
    at.checkbox(key="erase_confirmed").check()
    button(at, "Erase personal content").click()
    at.run()
    assert texts(at.error)[0].startswith("Nothing was erased: P-1 is under legal hold (case BR-2")
    assert service.stores.records.person("P-1").erased_at is None


def test_people_past_the_retention_period_are_listed_and_erased_on_confirmation(service):
    retention_days = service.records_admin.retention_days
    at = records_page(service)
    assert f"Nobody is past the retention period of {retention_days} days." in texts(at.success)

    service.records_admin.set_legal_hold(ADMIN, "P-2", "Housing claim HC-9")  # held people are never due for erasure
    # the records service's own clock, moved on
    service.records_admin.today = lambda: date.today() + timedelta(days=retention_days + 1)
    at.run()
    due = at.dataframe[-1].value
    assert list(due["Person"]) == ["P-1"] and list(due["Cases"]) == ["BR-1, BR-2"]

    button(at, "Erase everyone past the retention period").click()  # not confirmed
    at.run()
    assert texts(at.error) == [f"Nothing was erased. Tick \u201c{CONFIRM}\u201d to confirm the erasure."]
    assert service.stores.records.person("P-1").erased_at is None

    at.checkbox(key="retention_confirmed").check()
    button(at, "Erase everyone past the retention period").click()
    at.run()
    assert not at.exception and not at.error
    assert "Erased 1 person past the retention period: P-1." in texts(at.success)
    assert f"Nobody is past the retention period of {retention_days} days." in texts(at.success)
    assert service.stores.records.person("P-1").erased_at is not None
    assert service.stores.records.person("P-2").full_name == "Tom Hardy"
    assert service.stores.audit.verify().intact


@pytest.mark.parametrize("username", ["asha", "sam"])
def test_officers_and_supervisors_do_not_get_the_records_page(service, username):
    at = sign_in(new_app(service), username)
    assert not at.exception and at.session_state["user"].role != "admin"
    with pytest.raises(ValueError):  # not even registered for them
        at.switch_page(PAGE)
    with pytest.raises(NotAuthorised):
        service.records_admin.people_on_record(at.session_state["user"])
