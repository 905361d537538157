"""Password rules for local accounts: long, not common, not the user name, not one character repeated."""
from __future__ import annotations

import pytest

from demo.seed import DEMO_PASSWORD
from retrieval.records.accounts import (COMMON_PASSWORDS, Accounts, SignInFailed, WeakPassword, common_passwords,
                                        password_problem)


@pytest.mark.parametrize("password, problem", [
    ("password", "at least 12 characters"),
    ("12345678", "at least 12 characters"),
    ("eleven char", "at least 12 characters"),
    ("password1234", "list of common passwords"),
    ("Password1234", "list of common passwords"),  # case is ignored
    ("Qwerty 123456", "list of common passwords"),  # and so are spaces
    ("iloveyou2024!", "list of common passwords"),
    ("liverpool1892", "list of common passwords"),
    ("correct horse battery staple", "list of common passwords"),
    ("123456789012", "list of common passwords"),
    ("morgan.lee.rocks", "must not contain the user name"),
    ("casework-demo", "must not contain the name of this tool"),  # the demo's password before issue 14
    ("My Casework 2026", "must not contain the name of this tool"),
    ("zzzzzzzzzzzzzzz", "one or two characters repeated"),
    ("abababababababab", "one or two characters repeated"),
])
def test_a_short_common_or_guessable_password_is_refused_with_what_to_do(password, problem):
    message = password_problem(password, "Morgan.Lee")
    assert message is not None and problem in message
    assert "A few unrelated words you will remember" in message


@pytest.mark.parametrize("password", ["a long password", "violet kettle harbour", "demo caseload",
                                      "mauve lantern", DEMO_PASSWORD])
def test_a_long_uncommon_password_is_accepted(password):
    assert password_problem(password, "morgan.lee") is None


def test_the_shipped_list_is_several_thousand_common_passwords():
    listed = common_passwords()
    assert len(listed) > 3000 and COMMON_PASSWORDS.parent.name == "records"
    assert {"password", "12345678", "qwerty", "iloveyou", "letmein", "password1234", "qwertyuiop123"} <= listed
    assert all(line == line.strip() for line in COMMON_PASSWORDS.read_text(encoding="utf-8").splitlines())


def test_saving_an_account_applies_the_rules_and_keeps_the_old_password_on_refusal(engine):
    accounts = Accounts(engine)
    accounts.save("Morgan", "Morgan Lee", "officer", "benefits", "violet kettle harbour")
    for weak in ("password", "Password1234", "morgan and more"):
        with pytest.raises(WeakPassword):
            accounts.save("morgan", "Morgan Lee", "officer", "benefits", weak)
    assert accounts.authenticate("morgan", "violet kettle harbour").username == "morgan"
    with pytest.raises(SignInFailed):
        accounts.authenticate("morgan", "Password1234")
