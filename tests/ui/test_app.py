"""The router and sign-in gate: nothing before sign-in, pages by role, errors shown plainly, sign-out."""
from __future__ import annotations

import re
from types import SimpleNamespace

import pytest

from retrieval.records.access import User, capabilities
from retrieval.records.accounts import SignInFailed
from tests.ui.conftest import ADMIN, PASSWORD, button, new_app, open_page, sign_in, texts

PAGES = {
    "officer": ["ui/my_cases.py", "ui/case.py", "ui/review_queue.py"],
    "supervisor": ["ui/my_cases.py", "ui/case.py", "ui/review_queue.py", "ui/audit_log.py", "ui/dashboard.py"],
    "admin": ["ui/my_cases.py", "ui/case.py", "ui/review_queue.py", "ui/audit_log.py", "ui/dashboard.py", "ui/records.py",
              "ui/accounts.py", "ui/directory.py"],
}
USERNAME = {"officer": "asha", "supervisor": "sam", "admin": "root"}
CASE_TABS = ["Documents", "Add documents", "Related records", "Summary", "Services"]


def test_nothing_but_sign_in_before_signing_in(service):
    at = new_app(service).run()
    assert not at.exception
    assert [t.label for t in at.text_input] == ["User name", "Password"]
    assert not at.dataframe and "user" not in at.session_state
    with pytest.raises(ValueError):  # the other pages are not even registered
        at.switch_page("ui/my_cases.py")
    at.query_params["case"] = "BR-1"
    assert not at.run().exception and not at.tabs


def test_a_wrong_password_is_refused_in_plain_english(service):
    at = sign_in(new_app(service), "asha", "not-the-password")
    assert texts(at.error) == [str(SignInFailed())]
    assert "user" not in at.session_state and not at.dataframe
    assert [e.action for e in service.stores.audit.events()][-1] != "signed_in"


@pytest.mark.parametrize("role", PAGES)
def test_every_page_renders_for_every_role(service, role):
    at = sign_in(new_app(service), USERNAME[role])
    assert not at.exception and at.session_state["user"].role == role
    assert texts(at.title) == ["My cases"]
    for page in PAGES[role]:
        assert not open_page(at, page).exception, page
    for tab in CASE_TABS:
        at = open_page(at, "ui/case.py", case="BR-1", tab=tab)
        assert not at.exception and not at.error, tab
        assert texts(at.title) == ["Case BR-1: Case BR-1"]
    if role == "officer":
        with pytest.raises(ValueError):
            at.switch_page("ui/audit_log.py")


def test_an_officer_cannot_reach_another_teams_case_by_its_reference(service):
    at = sign_in(new_app(service), "asha")
    for tab in CASE_TABS:
        at = open_page(at, "ui/case.py", case="HS-1", tab=tab)
        assert not at.exception
        assert texts(at.error) == ["You cannot open case HS-1: it does not exist or belongs to another team. "
                                   "Check the reference, or ask your supervisor for access."]
        assert not at.tabs and not at.dataframe
        assert all("Tom Hardy" not in m.value for m in at.markdown)
    at = open_page(at, "ui/case.py", case="NO-SUCH-CASE")  # the same answer: references cannot be probed
    assert texts(at.error) == ["You cannot open case NO-SUCH-CASE: it does not exist or belongs to another team. "
                               "Check the reference, or ask your supervisor for access."]


def test_sign_out_forgets_the_user(service):
    at = sign_in(new_app(service), "asha")
    button(at, "Sign out").click()
    at.run()
    assert "user" not in at.session_state and "service" in at.session_state
    assert [t.label for t in at.text_input] == ["User name", "Password"]


def on_fire(*args, **kwargs):
    raise RuntimeError("database on fire")


def broken_services():
    """Services whose every call fails unexpectedly; who may see which page is a rule, not a call that can fail."""
    return SimpleNamespace(
        accounts=SimpleNamespace(capabilities=capabilities, sign_out=on_fire),
        cases=SimpleNamespace(cases=on_fire),
        review=SimpleNamespace(pending=on_fire, second_checks_due=on_fire),
        supervision=SimpleNamespace(audit_events=on_fire, audit_choices=on_fire, audit_page=on_fire,
                                    chain_head=on_fire),
        triage=None)  # no Incoming correspondence page


def test_an_unexpected_error_shows_an_incident_id_not_a_traceback(caplog):
    at = new_app(broken_services())
    at.session_state["user"] = User("asha", "supervisor", "benefits")
    for page in ("ui/my_cases.py", "ui/review_queue.py", "ui/audit_log.py"):
        at = at.run() if page == "ui/my_cases.py" else open_page(at, page)
        assert not at.exception
        assert texts(at.error)
        for message in texts(at.error):  # one per failed call on the page
            incident = re.fullmatch(r"Something went wrong \(incident ([0-9a-f]{8})\)\. .+", message).group(1)
            assert "database on fire" not in message
            assert any(incident in r.getMessage() and "database on fire" in (r.exc_text or "")
                       for r in caplog.records)


def test_with_oidc_configured_sign_in_goes_to_the_identity_provider(service):
    at = new_app(service)
    at.secrets["auth"] = {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "x" * 32,
                          "client_id": "casework", "client_secret": "s",
                          "server_metadata_url": "https://login.example.org/.well-known/openid-configuration"}
    at.run()
    assert not at.exception
    assert [b.label for b in at.button] == ["Sign in with your organisation account"]
    assert not at.text_input  # no local password form when the organisation signs people in


def test_an_identity_without_an_account_is_refused_plainly(service):
    with pytest.raises(SignInFailed, match="has no access to this tool yet"):
        service.accounts.sign_in_identity("stranger@example.org")
    service.accounts.save_account(ADMIN, "jo@example.gov.uk", "Jo", "officer", "benefits", PASSWORD)
    assert service.accounts.sign_in_identity("Jo@example.gov.uk").team == "benefits"


def test_an_error_no_page_expected_shows_no_details(monkeypatch):
    """Streamlit would show a traceback, with paths and values, for an error the app did not catch; the project's
    .streamlit/config.toml keeps those in the server's log."""
    from streamlit import config
    from streamlit.testing.v1 import AppTest

    from tests.conftest import PROJECT

    def page():
        raise ValueError("the claimant's NI number QQ123456C")

    monkeypatch.chdir(PROJECT)
    config.get_config_options(force_reparse=True)
    at = AppTest.from_function(page).run()
    [shown] = at.exception
    assert "QQ123456C" not in shown.message and not shown.stack_trace
