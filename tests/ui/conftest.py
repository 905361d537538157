"""A real service (SQLite + Chroma on a temp dir, fake model) with two teams, and the app driven by AppTest."""
from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from retrieval.records.access import User
from retrieval.ingest.pipeline import Upload
from tests.conftest import PROJECT, fake_chat, register

PASSWORD = "correct-horse-9"
ADMIN = User("admin", "admin", "all")
AI_TEXT = "## Background\nMs Jones phoned on 14/01/2025 about rent arrears [1]. She asked for a review [1]."
NOTE = b"14/01/2025 - Phone call with Ms Jones about rent arrears of \xc2\xa3412.67. She asked for a review.\n"
ACCOUNTS = {"asha": ("officer", "benefits"), "sam": ("supervisor", "benefits"), "root": ("admin", "all")}


def seed(service):
    for username, (role, team) in ACCOUNTS.items():
        service.accounts.save_account(ADMIN, username, username.title(), role, team, PASSWORD)
    register(service, "BR-1", "benefits", "P-1", "Jane Jones")
    register(service, "BR-2", "benefits", "P-1", "Jane Jones")
    register(service, "HS-1", "housing", "P-2", "Tom Hardy")
    service.cases.ingest(ADMIN, "BR-1", [Upload("note.txt", NOTE)])
    service.cases.ingest(ADMIN, "BR-2",
                         [Upload("letter.txt", b"Letter about rent arrears and a review for Ms Jones.\n")])
    service.cases.ingest(ADMIN, "HS-1", [Upload("arrears.txt", b"Rent arrears reported; the tenancy is at risk.\n")])
    return service


@pytest.fixture
def service(make_service):
    return seed(make_service(chat_model=fake_chat(AI_TEXT)))


def new_app(service) -> AppTest:
    """The real app.py, with the service injected through session state (no module patching)."""
    at = AppTest.from_file(str(PROJECT / "app.py"), default_timeout=60)
    at.session_state["service"] = service
    return at


def sign_in(at: AppTest, username: str, password: str = PASSWORD) -> AppTest:
    at.run()
    labels = {t.label: t for t in at.text_input}
    labels["User name"].input(username)
    labels["Password"].input(password)
    button(at, "Sign in").click()
    return at.run()


def button(at: AppTest, label: str):
    matches = [b for b in at.button if b.label == label]
    assert matches, f"no button {label!r} among {[b.label for b in at.button]}"
    return matches[0]


def open_page(at: AppTest, page: str, case: str | None = None, tab: str | None = None) -> AppTest:
    if case:
        at.query_params["case"] = case
    if tab:
        at.session_state["case_tab"] = tab
    return at.switch_page(page).run()


def texts(elements) -> list[str]:
    return [e.value for e in elements]
