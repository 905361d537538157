"""The Service directory page: administrators only; it lists, adds, changes and retires entries through the service."""
from __future__ import annotations

from datetime import date

import pytest

from retrieval.records.directory import EntryDetails
from tests.ui.conftest import ADMIN, button, new_app, open_page, sign_in, texts
from ui.common import plain

PAGE = "ui/directory.py"
DEBT_LINE = EntryDetails("Debt line (test)", ("debt",), "0808 157 0101", "National", "Chris Ellery", "2025-01-15")


def directory_page(service):
    at = open_page(sign_in(new_app(service), "root"), PAGE)
    assert not at.exception and texts(at.title) == ["Service directory"]
    return at


def labelled(widgets, label: str):
    [widget] = [w for w in widgets if w.label == label]
    return widget


@pytest.mark.parametrize("username", ["asha", "sam"])
def test_only_administrators_are_offered_the_page(service, username):
    at = sign_in(new_app(service), username)
    with pytest.raises(ValueError):  # not registered in their navigation
        at.switch_page(PAGE)


def test_an_administrator_adds_a_service_and_sees_it_listed(service):
    at = directory_page(service)
    assert texts(at.info) == ["The directory is empty. Add a service below, or import a CSV file."]
    fields = {"name": "Name of the service", "needs": "What it helps with",
              "contact": "Contact (phone, address or website)",
              "area": "Area it serves (write National for a national service)", "vetted_by": "Vetted by (name)",
              "vetted_on": "Vetted on", "description": "Description (optional)"}
    add = {name: next(w for w in [*at.text_input, *at.multiselect, *at.date_input, *at.text_area]
                      if w.key == f"directory_new:{name}") for name in fields}
    assert {name: w.label for name, w in add.items()} == fields  # every control has a real label
    add["name"].input("Kelderby food bank (test)")
    add["needs"].select("food")
    add["contact"].input("01632 960 111")
    add["area"].input("Kelderby")
    add["vetted_by"].input("Root Admin")
    add["vetted_on"].set_value(date(2025, 2, 3))
    button(at, "Add to the directory").click()
    at.run()
    assert not at.exception and not at.error
    assert texts(at.success) == [plain("Kelderby food bank (test) is added to the directory.")]
    listed = at.dataframe[0].value
    assert list(listed["Name"]) == ["Kelderby food bank (test)"] and list(listed["Helps with"]) == ["Food"]
    assert list(listed["Vetted on"]) == ["2025-02-03"] and list(listed["Demo data"]) == ["no"]
    [event] = service.stores.audit.events(actions=("directory_entry_saved",))
    assert (event.actor, event.data.name, event.data.change) == ("root", "Kelderby food bank (test)", "added")


def test_an_incomplete_entry_shows_what_to_fix_and_saves_nothing(service):
    at = directory_page(service)
    at.text_input(key="directory_new:name").input("Somewhere (test)")
    button(at, "Add to the directory").click()
    at.run()
    assert not at.exception
    [error] = texts(at.error)
    assert error.startswith("This entry was not saved:") and "contact is missing" in error
    assert service.signposting.entries(ADMIN) == []


def test_an_administrator_changes_then_retires_a_service(service):
    entry = service.signposting.add(ADMIN, DEBT_LINE)
    at = directory_page(service)
    assert labelled(at.selectbox, "Service to change or retire").value == entry.id
    at.text_input(key=f"directory_edit:{entry.id}:contact").input("0808 157 0100")
    button(at, "Save changes").click()
    at.run()
    assert not at.exception and texts(at.success) == [plain("Debt line (test): changes saved.")]
    assert service.signposting.entries(ADMIN)[0].contact == "0808 157 0100"

    reason = at.text_input(key=f"directory_retire:{entry.id}:reason")
    assert reason.label == "Why it is retired (recorded)"
    reason.input("The line closed.")
    button(at, "Retire this service").click()
    at.run()
    assert not at.exception
    assert texts(at.success) == [plain("Debt line (test) is retired: it is no longer suggested.")]
    assert service.signposting.entries(ADMIN) == []
    labelled(at.checkbox, "Show retired entries too").check()
    at.run()
    assert list(at.dataframe[0].value["Name"]) == ["Debt line (test)"] and at.dataframe[0].value["Retired"][0]
    actions = [e.action for e in service.stores.audit.events() if e.action.startswith("directory_")]
    assert actions == ["directory_entry_saved", "directory_entry_saved", "directory_entry_retired"]
