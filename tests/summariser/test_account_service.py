"""Sign-in that resists guessing: growing waits, lockout, unlock, per-client limits, several instances, and every
failure and lock in the signed audit log, with names that have no account treated exactly like real ones."""
from __future__ import annotations

import re
import time
from datetime import datetime, timedelta, timezone

import pytest

from audit.log import AuditLog
from database import make_engine
from retrieval.errors import NotAuthorised, RetrievalError
from retrieval.records.access import User
from retrieval.records.accounts import Accounts, SignInFailed, WeakPassword
from summariser.services.accounts import AccountService, SignInRules, wait_after

PASSWORD = "violet kettle harbour"
OPERATOR = User("operator:test", "admin", "all")
ROOT = User("root", "admin", "all")
WRONG = str(SignInFailed())
LOCKED = ("This account is locked after too many failed sign-ins. Try again in {} (after HH:MM UTC), or ask an "
          "administrator to unlock it.")


def waiting(seconds: int) -> str:
    return f"Too many sign-ins have failed. Wait {seconds} second{'s' if seconds != 1 else ''}, then try again."


class Clock:
    """The real time, jumped forward by the test (events are recorded at the real time, so a jump ages them all:
    fit for skipping a lock, not for spacing out new attempts, which sleep)."""

    def __init__(self):
        self.offset = timedelta(0)

    def __call__(self) -> datetime:
        return datetime.now(timezone.utc) + self.offset

    def jump(self, minutes: float) -> None:
        self.offset += timedelta(minutes=minutes)


@pytest.fixture
def accounts(engine, tmp_path) -> AccountService:
    """The account service as the app builds it (default rules, signed log), with an administrator and an officer;
    on SQLite and on PostgreSQL."""
    audit = AuditLog.signed(engine, tmp_path / "audit-keys.json", None, tmp_path / "audit-checkpoints.jsonl", 50, 120)
    service = AccountService(Accounts(engine), audit)
    service.save_account(OPERATOR, "root", "Root", "admin", "all", PASSWORD)
    service.save_account(ROOT, "asha", "Asha", "officer", "benefits", PASSWORD)
    return service


def service_with(accounts: AccountService, clock=None, store: Accounts | None = None, **rules) -> AccountService:
    """Another AccountService on the same stores: its own clock, accounts store or rules."""
    return AccountService(store or accounts.accounts, accounts.audit, SignInRules(**rules),
                          **({"clock": clock} if clock else {}))


def attempt(service: AccountService, name: str, password: str, client: str = "10.0.0.1") -> str:
    """How the attempt ends: "signed in", or the refusal with times of day blanked."""
    try:
        service.sign_in(name, password, client)
        return "signed in"
    except SignInFailed as refusal:
        return re.sub(r"\d\d:\d\d UTC", "HH:MM UTC", str(refusal))


def failed(accounts: AccountService) -> list[tuple[str, str, str, bool | None]]:
    return [(e.actor, e.data.outcome, e.data.client, e.data.account_exists)
            for e in accounts.audit.events(actions=("sign_in_failed",))]


def test_the_wait_doubles_beyond_the_allowance_up_to_its_cap():
    cap = timedelta(minutes=15)
    assert [wait_after(n, 1, cap).total_seconds() for n in range(7)] == [0, 0, 1, 2, 4, 8, 16]
    assert wait_after(40, 1, cap) == cap and wait_after(20, 20, cap) == timedelta(0)


def test_one_slip_costs_nothing_and_signing_in_starts_the_count_again(accounts):
    assert [attempt(accounts, "asha", password) for password in (
        "not the password", PASSWORD, "not the password", "not the password", PASSWORD)] == [
        WRONG, "signed in", WRONG, WRONG, waiting(1)]


def test_a_name_waits_longer_after_each_failure_then_is_locked_and_a_name_without_an_account_gets_the_same(accounts):
    clock = Clock()
    service = service_with(accounts, clock)  # the defaults: lock after 5 failures in a row, for 15 minutes
    said = {"asha": [], "nobody": []}

    def both(password: str) -> None:  # the same attempt on a real name and on one with no account
        for name, client in (("asha", "10.0.0.1"), ("nobody", "10.0.0.2")):
            said[name].append(attempt(service, name, password, client))
    both("not the password")
    both("not the password")
    both(PASSWORD)  # refused unchecked: even the right password waits
    for seconds in (1, 2):
        time.sleep(seconds)
        both("not the password")
        both(PASSWORD)
    time.sleep(4)
    both("not the password")  # the fifth failure in a row locks the name
    both(PASSWORD)
    clock.jump(5)
    both(PASSWORD)
    clock.jump(10)  # the lock has run out
    both(PASSWORD)
    assert said["asha"] == [
        WRONG, WRONG, waiting(1), WRONG, waiting(2), WRONG, waiting(4), LOCKED.format("15 minutes"),
        LOCKED.format("15 minutes"), LOCKED.format("10 minutes"), "signed in"]
    assert said["nobody"] == said["asha"][:-1] + [WRONG]  # nothing tells a name without an account apart

    outcomes = [outcome for name, outcome, _, _ in failed(accounts) if name == "asha"]
    assert outcomes == ["wrong", "wrong", "waiting", "wrong", "waiting", "wrong", "waiting", "wrong", "locked",
                        "locked"]
    assert {(name, client, exists) for name, _, client, exists in failed(accounts)} == {
        ("asha", "10.0.0.1", True), ("nobody", "10.0.0.2", False)}
    waits = [e.data.wait_s for e in accounts.audit.events(actions=("sign_in_failed",))
             if e.actor == "asha" and e.data.outcome == "waiting"]
    assert waits == [1, 2, 4]
    locks = accounts.audit.events(actions=("account_locked",))
    assert [(e.actor, e.data.failures, e.data.client, e.data.account_exists) for e in locks] == [
        ("asha", 5, "10.0.0.1", True), ("nobody", 5, "10.0.0.2", False)]
    locked_at = datetime.fromisoformat(locks[0].recorded_at)
    assert datetime.fromisoformat(locks[0].data.until) == (locked_at + timedelta(minutes=15)).replace(microsecond=0)

    result = accounts.audit.verify()  # the new events are signed, and those for names without accounts are fine
    assert result.intact and result.findings_total == 0, result.summary()


def test_a_client_guessing_across_many_names_must_wait_and_other_clients_need_not(accounts):
    service = service_with(accounts, client_allowance=3)
    assert [attempt(service, name, "not the password", "10.9.9.9") for name in ("a1", "a2", "a3", "a4")] == \
        [WRONG] * 4
    assert attempt(service, "asha", PASSWORD, "10.9.9.9") == waiting(1)  # a fifth name, the right password
    assert attempt(service, "asha", PASSWORD, "10.0.0.1") == "signed in"  # another address is not held up
    assert failed(accounts)[-1] == ("asha", "waiting", "10.9.9.9", True)


def test_an_administrator_unlocks_an_account_and_the_unlock_is_audited(accounts):
    service = service_with(accounts, lock_after=2)
    assert [attempt(service, "asha", "not the password") for _ in range(2)] == [WRONG, LOCKED.format("15 minutes")]
    assert [name for name, _ in service.locked_accounts(ROOT)] == ["asha"]
    with pytest.raises(NotAuthorised, match="Only an administrator can unlock accounts"):
        service.unlock_account(User("asha", "officer", "benefits"), "asha")
    with pytest.raises(RetrievalError, match="There is no account 'nobody'"):
        service.unlock_account(ROOT, "nobody")
    before = service.unlock_account(ROOT, " Asha ")
    assert before.locked_at is not None and before.failures == 2
    assert service.locked_accounts(ROOT) == []
    assert attempt(service, "asha", "not the password") == WRONG  # the count started again
    assert attempt(service, "asha", PASSWORD) == "signed in"
    unlocked = accounts.audit.events(actions=("account_unlocked",))
    assert [(e.actor, e.data.username) for e in unlocked] == [("root", "asha")]
    assert accounts.audit.verify().findings_total == 0


def test_several_instances_share_the_failures_through_the_database(accounts):
    other = AccountService(Accounts(make_engine(accounts.audit.engine.url.render_as_string(hide_password=False))),
                           AuditLog(make_engine(accounts.audit.engine.url.render_as_string(hide_password=False)),
                                    keyring=accounts.audit.keyring))
    for _ in range(2):
        assert attempt(other, "asha", "not the password", "10.0.0.1") == WRONG
    assert attempt(accounts, "asha", PASSWORD, "10.0.0.1") == waiting(1)


class RacingAccounts(Accounts):
    """While the right password is being checked, another instance records failures for the same name."""

    def __init__(self, engine, racer):
        super().__init__(engine)
        self.racer = racer

    def authenticate(self, username, password):
        user = super().authenticate(username, password)
        if password == PASSWORD:
            for _ in range(2):
                attempt(self.racer, username, "a guess sent at the same moment")
        return user


def test_a_right_password_checked_while_failures_arrive_elsewhere_is_refused_and_recorded(accounts):
    racing = service_with(accounts, store=RacingAccounts(accounts.audit.engine, accounts))
    assert attempt(racing, "asha", PASSWORD) == waiting(1)  # the standing is read again as the sign-in is written
    assert [e.action for e in accounts.audit.events()][-3:] == ["sign_in_failed"] * 3
    assert failed(accounts)[-1][1] == "waiting"


def test_weak_passwords_are_refused_when_an_administrator_saves_an_account(accounts):
    for weak in ("password", "12345678", "Password1234", "asha is great"):
        with pytest.raises(WeakPassword):
            accounts.save_account(ROOT, "asha", "Asha", "officer", "benefits", weak)
    assert accounts.sign_in("asha", PASSWORD).username == "asha"


def test_an_empty_name_is_asked_for_and_not_recorded(accounts):
    head = accounts.audit.head()
    assert attempt(accounts, "  ", PASSWORD) == "Enter your user name and password."
    assert accounts.audit.head() == head
