"""Sign-in through the app that resists guessing: waits, lockout and unlock, the same answers for names without
an account, and sessions that end after being idle."""
from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

from retrieval.records.accounts import SignInFailed
from tests.conftest import fake_chat
from tests.ui.conftest import AI_TEXT, PASSWORD, button, new_app, open_page, seed, sign_in, texts
from ui.common import ACTIVE_KEY, plain, session_expired

WRONG = str(SignInFailed())


def signed_in(at) -> bool:
    return "user" in at.session_state and texts(at.title) == ["My cases"]


def shown(at) -> list[str]:
    """The errors on the page, times of day blanked."""
    return [re.sub(r"\d\d:\d\d UTC", "HH:MM UTC", message) for message in texts(at.error)]


def test_after_two_failures_the_next_attempt_waits_even_with_the_right_password_and_it_is_audited(service):
    at = new_app(service)
    for _ in range(2):
        assert texts(sign_in(at, "asha", "not-the-password").error) == [WRONG]
    at = sign_in(at, "asha")
    assert texts(at.error) == ["Too many sign-ins have failed. Wait 1 second, then try again."]
    assert not signed_in(at) and not at.exception
    failed = service.stores.audit.events(actions=("sign_in_failed",))
    assert [(e.actor, e.data.outcome, e.data.client, e.data.account_exists) for e in failed] == [
        ("asha", "wrong", "local", True), ("asha", "wrong", "local", True), ("asha", "waiting", "local", True)]


def test_a_name_is_locked_after_repeated_failures_the_same_for_a_name_without_an_account_until_unlocked(
        make_service):
    service = seed(make_service(chat_model=fake_chat(AI_TEXT), sign_in_lock_after_failures=2))
    answers = {}
    for name in ("sam", "nobody"):
        at = new_app(service)
        answers[name] = [shown(sign_in(at, name, password)) for password in ("not-the-password", "not-the-password",
                                                                              PASSWORD)]
    locked = ["This account is locked after too many failed sign-ins. Try again in 15 minutes (after HH:MM UTC), "
              "or ask an administrator to unlock it."]
    assert answers["sam"] == answers["nobody"] == [[WRONG], locked, locked]  # the right password too, unchecked
    assert [e.actor for e in service.stores.audit.events(actions=("account_locked",))] == ["sam", "nobody"]
    admin = open_page(sign_in(new_app(service), "root"), "ui/accounts.py")  # the administrator's page
    assert [b.label for b in admin.button if b.label.startswith("Unlock")] == ["Unlock nobody", "Unlock sam"]
    button(admin, "Unlock sam").click()
    admin.run()
    assert not admin.exception and texts(admin.success) == [plain("sam is unlocked and may sign in again.")]
    assert [b.label for b in admin.button if b.label.startswith("Unlock")] == ["Unlock nobody"]
    assert [e.data.username for e in service.stores.audit.events(actions=("account_unlocked",))] == ["sam"]
    assert signed_in(sign_in(new_app(service), "sam"))


def test_a_session_idle_for_30_minutes_is_signed_out_at_its_next_action(service):
    at = sign_in(new_app(service), "asha")
    assert signed_in(at)
    at.session_state[ACTIVE_KEY] = datetime.now(timezone.utc) - timedelta(minutes=29)
    at.run()
    assert signed_in(at)  # still within the limit, and this action counts as activity
    assert datetime.now(timezone.utc) - at.session_state[ACTIVE_KEY] < timedelta(minutes=1)

    at.session_state[ACTIVE_KEY] = datetime.now(timezone.utc) - timedelta(minutes=31)
    at.run()
    assert not at.exception and "user" not in at.session_state
    assert [t.label for t in at.text_input] == ["User name", "Password"]
    assert texts(at.info) == ["You were signed out after 30 minutes without activity. Sign in again."]
    last = service.stores.audit.events()[-1]
    assert (last.actor, last.action, last.data.idle_minutes) == ("asha", "signed_out", 30)
    assert signed_in(sign_in(at, "asha"))


def test_whether_a_session_has_expired():
    now, idle = datetime(2026, 1, 5, 12, 0, tzinfo=timezone.utc), timedelta(minutes=30)
    assert not session_expired(None, now, idle)  # no activity recorded yet: it has just begun
    assert not session_expired(now - timedelta(minutes=29, seconds=59), now, idle)
    assert session_expired(now - idle, now, idle)
    assert session_expired(now - timedelta(hours=5), now, idle)
