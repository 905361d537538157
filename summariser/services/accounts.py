"""Signing in and out, and the accounts administrators keep: who someone is in this tool, and what they may do.

Guessing passwords is slowed down and then stopped, by rules read from the
audit log itself (``SignInRules``): every failed sign-in is an event, so every
app instance and the CLI, sharing one database, see the same failures, and no
extra table is needed. A name that fails again soon must wait, 1 second after
its second failure in a row and twice as long after each further one; after
`lock_after` failures in a row it is locked for `lock_for` (or until an
administrator unlocks it). A client (a browser's address, or the CLI's OS user)
that fails more than `client_allowance` times within `lock_for`, whatever names
it tries, waits the same growing way. A refusal says how long to wait instead of
sleeping: a sleep would hold a server thread per attempt, and would not stop
attempts sent at the same moment to other sessions or instances; a refusal
computed from the shared log does. The refused attempt is recorded, but its
password is not checked, so waiting cannot be skipped by guessing faster.

A name with no account is counted, slowed and locked exactly as a real one, and
gets the same messages, so refusals never tell whether an account exists.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Callable, Iterable

import sqlalchemy as sa

from audit.chain import Event
from audit.log import AuditLog
from audit.queries import EventFilter
from retrieval.errors import RetrievalError
from retrieval.records import access
from retrieval.records.access import Capabilities, User
from retrieval.records.accounts import Accounts, SignInFailed, SignInLocked, SignInWait, normalised

FAILED, LOCKED, UNLOCKED, SIGNED_IN = "sign_in_failed", "account_locked", "account_unlocked", "signed_in"
MAX_NAME = 120  # the audit log's actor column
ACCOUNT_ALLOWANCE = 1  # failures in a row a name may have before it must wait: one slip costs nothing


@dataclass(frozen=True)
class SignInRules:
    """How failed sign-ins are slowed down and locked out (settings `sign_in_*`)."""
    lock_after: int = 5  # failures in a row that lock a name
    lock_for: timedelta = timedelta(minutes=15)  # how long a lock lasts; also the window a client's failures count in
    client_allowance: int = 20  # failures from one client within lock_for before its attempts must wait
    remember: timedelta = timedelta(hours=24)  # failures older than this are forgotten


def wait_after(failures: int, allowance: int, cap: timedelta) -> timedelta:
    """Nothing up to `allowance` failures; then 1 second, doubling with each further failure, at most `cap`."""
    if failures <= allowance:
        return timedelta(0)
    return min(timedelta(seconds=2 ** min(failures - allowance - 1, 30)), cap)


def _time(event: Event) -> datetime:
    return datetime.fromisoformat(event.recorded_at)


def _wrong(event: Event) -> bool:
    """A failure whose password was checked (a refused attempt, not checked, does not count)."""
    return event.action == FAILED and event.payload.get("outcome") == "wrong"


@dataclass(frozen=True)
class Standing:
    """Where a name and a client stand after their recent sign-ins: failures in a row, and any lock or wait."""
    failures: int = 0  # the name's failures in a row (since its last sign-in, unlock or ended lock)
    locked_at: datetime | None = None  # when the name's current lock began (None: not locked)
    locked_until: datetime | None = None
    wait_until: datetime | None = None  # no attempt before this (name or client)

    def refusal(self, now: datetime) -> SignInFailed | None:
        """The refusal an attempt at `now` gets before its password is checked, or None if it may be checked."""
        if self.locked_until is not None and now < self.locked_until:
            return SignInLocked(self.locked_until, now)
        if self.wait_until is not None and now < self.wait_until:
            return SignInWait(math.ceil((self.wait_until - now).total_seconds()))
        return None


def standing(name_events: Iterable[Event], client_events: Iterable[Event], now: datetime,
             rules: SignInRules) -> Standing:
    """The rules applied to a name's recent events (its failures, sign-ins and unlocks, oldest first) and its
    client's recent failures (any name)."""
    failures, locked_at, last_failure = 0, None, None
    for event in name_events:
        at = _time(event)
        if locked_at is not None and at >= locked_at + rules.lock_for:  # the lock ran out: a fresh start
            failures, locked_at = 0, None
        if event.action in (SIGNED_IN, UNLOCKED):
            failures, locked_at = 0, None
        elif _wrong(event):
            failures, last_failure = failures + 1, at
            if failures == rules.lock_after:
                locked_at = at
    if locked_at is not None and now >= locked_at + rules.lock_for:
        failures, locked_at = 0, None
    waits = [last_failure + wait_after(failures, ACCOUNT_ALLOWANCE, rules.lock_for)] if failures else []
    client_failures = [_time(e) for e in client_events if _wrong(e) and _time(e) > now - rules.lock_for]
    if client_failures:
        waits.append(max(client_failures) + wait_after(len(client_failures), rules.client_allowance, rules.lock_for))
    return Standing(failures, locked_at, None if locked_at is None else locked_at + rules.lock_for,
                    max(waits, default=None))


def _recordable(text: str) -> str:
    """Typed or sent text as the audit log records it: without control characters (PostgreSQL refuses a NUL),
    within the actor column's length."""
    return re.sub(r"[\x00-\x1f\x7f]", "", text)[:MAX_NAME]


class AccountService:
    def __init__(self, accounts: Accounts, audit: AuditLog, rules: SignInRules | None = None,
                 clock: Callable[[], datetime] = lambda: datetime.now(timezone.utc)):
        self.accounts, self.audit = accounts, audit
        self.rules = rules or SignInRules()
        self.clock = clock

    def sign_in(self, username: str, password: str, client: str = "unknown") -> User:
        """The account's user, with the sign-in recorded; else SignInFailed (or its SignInWait or SignInLocked),
        with the failure recorded. See the module's docstring for the rules."""
        name, client = _recordable(normalised(username)), _recordable(client)
        if not name:
            raise SignInFailed("Enter your user name and password.")
        refusal = self._standing(name, client).refusal(self.clock())
        if refusal is not None:
            raise self._refused(name, client, refusal)
        try:
            user = self.accounts.authenticate(name, password)
        except SignInFailed:
            raise self._failed(name, client) from None

        def still_allowed(conn: sa.Connection) -> None:  # a failure recorded meanwhile (another instance) counts
            late = self._standing(name, client, conn).refusal(self.clock())
            if late is not None:
                raise late
        try:
            self.audit.append(user.username, SIGNED_IN, {"role": user.role, "team": user.team},
                              precondition=still_allowed)
        except SignInFailed as late:
            raise self._refused(name, client, late) from None
        return user

    def _standing(self, name: str, client: str | None, conn: sa.Connection | None = None) -> Standing:
        """The name's standing now, and its client's (None: the name's alone), read from the log (inside the
        writing transaction when `conn` is given, so two instances cannot both act on a standing gone stale)."""
        now = self.clock()

        def recent(actions: set[str], window: timedelta, actors: set[str] = frozenset()) -> list[Event]:
            since = (now - window).isoformat(timespec="microseconds")
            return self.audit.events(where=EventFilter(actions=actions, actors=actors, since=since), texts=False,
                                     conn=conn)
        remember = max(self.rules.remember, self.rules.lock_for)
        own = recent({FAILED, SIGNED_IN}, remember, {name}) + [
            e for e in recent({UNLOCKED}, remember) if e.payload.get("username") == name]
        from_client = [] if client is None else [e for e in recent({FAILED}, self.rules.lock_for)
                                                 if e.payload.get("client") == client]
        return standing(sorted(own, key=lambda e: e.seq), from_client, now, self.rules)

    def _failed(self, name: str, client: str) -> SignInFailed:
        """Record a wrong name or password; lock the name if this failure is the one that reaches the limit.
        The refusal to show: a lock, a wait that a failure recorded meanwhile had imposed, or the plain one."""
        exists = self.accounts.user(name) is not None
        before: list[SignInFailed | None] = [None]

        def note_standing(conn: sa.Connection) -> None:  # re-run if another writer got in first
            before[0] = self._standing(name, client, conn).refusal(self.clock())
        event = self.audit.append(name, FAILED, {"outcome": "wrong", "client": client, "account_exists": exists},
                                  precondition=note_standing)
        now = self.clock()
        after = self._standing(name, client)
        if after.locked_at is not None and after.locked_at == _time(event):
            self.audit.append(name, LOCKED, {"failures": after.failures, "client": client, "account_exists": exists,
                                             "until": after.locked_until.isoformat(timespec="seconds")})
        if after.locked_until is not None and now < after.locked_until:
            return SignInLocked(after.locked_until, now)
        return before[0] or SignInFailed()

    def _refused(self, name: str, client: str, refusal: SignInFailed) -> SignInFailed:
        """Record an attempt refused before its password was checked."""
        details = {"outcome": "locked", "client": client} if isinstance(refusal, SignInLocked) else \
            {"outcome": "waiting", "client": client, "wait_s": getattr(refusal, "seconds", 0)}
        self.audit.append(name, FAILED, {**details, "account_exists": self.accounts.user(name) is not None})
        return refusal

    def unlock_account(self, user: User, username: str) -> Standing:
        """Lift a name's lock and forget its failures in a row (recorded); its standing before, to report."""
        access.require_admin(user, "unlock accounts")
        name = _recordable(normalised(username))
        if self.accounts.user(name) is None:
            raise RetrievalError(f"There is no account '{name}'. Check the user name.")
        before = self._standing(name, None)
        self.audit.append(user.username, UNLOCKED, {"username": name})
        return before

    def full_names(self) -> dict[str, str]:
        """Each account's full name by user name, so pages show people as people, not as 'tom.whitfield'."""
        return {a.username: a.full_name or a.username for a in self.accounts.all()}

    def locked_accounts(self, user: User) -> list[tuple[str, Standing]]:
        """The names locked now (with or without an account), newest lock first, for an administrator."""
        access.require_admin(user, "see locked accounts")
        since = (self.clock() - self.rules.lock_for).isoformat(timespec="microseconds")
        names = dict.fromkeys(e.actor for e in self.audit.events(where=EventFilter(actions={LOCKED}, since=since),
                                                                  texts=False, newest_first=True))
        now = self.clock()
        standings = ((name, self._standing(name, None)) for name in names)
        return [(name, s) for name, s in standings if s.locked_until is not None and now < s.locked_until]

    def sign_in_identity(self, identity: str) -> User:
        """Someone the identity provider (OIDC) vouched for: their account gives their role and team."""
        user = self.accounts.user(identity) if identity.strip() else None
        if user is None:
            raise SignInFailed(f"Your organisation account ({identity or 'no e-mail given'}) has no access to this "
                               "tool yet. Ask an administrator to add it with your e-mail address as user name.")
        self.audit.append(user.username, SIGNED_IN, {"role": user.role, "team": user.team, "method": "oidc"})
        return user

    def sign_out(self, user: User, idle: timedelta | None = None) -> None:
        """Record a sign-out; `idle` when the app ended the session after that long without activity."""
        self.audit.append(user.username, "signed_out",
                          {} if idle is None else {"idle_minutes": int(idle.total_seconds() // 60)})

    @staticmethod
    def capabilities(user: User) -> Capabilities:
        """What this user may do beyond their team's cases (the router shows pages by it)."""
        return access.capabilities(user)

    def save_account(self, user: User, username: str, full_name: str, role: str, team: str, password: str) -> User:
        access.require_admin(user, "create or change accounts")
        saved = self.accounts.save(username, full_name, role, team, password)
        self.audit.append(user.username, "account_saved", {"username": username, "role": role, "team": team})
        return saved

    def has_administrator(self) -> bool:
        """Whether any account is an administrator yet (until then, the CLI's operator mode may create one)."""
        return any(access.administers(a) for a in self.accounts.all())

    def accounts_with_password(self, user: User, password: str) -> list[User]:
        """The accounts that still sign in with this password (the demo's shared one, to print them)."""
        access.require_admin(user, "list accounts")
        return [a for a in self.accounts.all() if self.accounts.authenticate_quietly(a.username, password)]
