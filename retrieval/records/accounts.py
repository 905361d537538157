"""Local accounts: who may sign in, their role and team. Passwords are kept only as argon2 hashes.

When OIDC is configured the app signs people in with Streamlit's st.login
instead, and these accounts only map an identity to a role and team.

A new password must be long (MIN_PASSWORD_LENGTH) and not one attackers try
first: not on the list shipped beside this module (common_passwords.txt, read
once, compared ignoring case and spaces), not containing the user name or the
tool's own name, and not one character or two repeated. Length beats
complexity rules (NCSC, NIST SP 800-63B), so nothing asks for symbols or digits.
"""
from __future__ import annotations

import math
import re
from datetime import datetime, timezone
from functools import lru_cache
from pathlib import Path

import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Engine

from retrieval.records.access import ROLES, User
from retrieval.errors import RetrievalError
from schema import accounts


MIN_PASSWORD_LENGTH = 12
TOOL_NAME = "casework"  # a word every attacker of this tool tries first (NIST SP 800-63B: context-specific words)
COMMON_PASSWORDS = Path(__file__).with_name("common_passwords.txt")


class SignInFailed(RetrievalError):
    default = "The user name or password is not right. Check them and try again."


class SignInWait(SignInFailed):
    """Refused before the password was checked: too many recent failures for this name or from this place."""

    def __init__(self, seconds: int):
        self.seconds = seconds
        super().__init__(f"Too many sign-ins have failed. Wait {seconds} second{'s' if seconds != 1 else ''}, "
                         "then try again.")


class SignInLocked(SignInFailed):
    """Refused before the password was checked: the name is locked after too many failures in a row."""

    def __init__(self, until: datetime, now: datetime):
        self.until = until
        minutes = max(1, math.ceil((until - now).total_seconds() / 60))
        super().__init__(f"This account is locked after too many failed sign-ins. Try again in {minutes} "
                         f"minute{'s' if minutes != 1 else ''} (after {until.astimezone(timezone.utc):%H:%M} UTC), "
                         "or ask an administrator to unlock it.")


class WeakPassword(RetrievalError):
    default = "Choose another password."


def normalised(username: str) -> str:
    """A user name as accounts keep it: trimmed, lower case."""
    return username.strip().lower()


def _squashed(text: str) -> str:
    return re.sub(r"\s+", "", text).lower()


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    """The shipped list, squashed (lower case, no spaces); lines starting with # are comments."""
    lines = COMMON_PASSWORDS.read_text(encoding="utf-8").splitlines()
    return frozenset(_squashed(line) for line in lines if line.strip() and not line.startswith("#"))


def password_problem(password: str, username: str = "") -> str | None:
    """Why this password may not be used (a sentence saying what to do), or None if it may."""
    advice = "A few unrelated words you will remember, with spaces between them, make a good one."
    if len(password) < MIN_PASSWORD_LENGTH:
        return f"The password must be at least {MIN_PASSWORD_LENGTH} characters long. {advice}"
    squashed = _squashed(password)
    if squashed in common_passwords():
        return f"That password is on the list of common passwords that attackers try first. Choose another. {advice}"
    name = _squashed(username)
    if len(name) >= 3 and name in squashed:
        return f"The password must not contain the user name. Choose another. {advice}"
    if TOOL_NAME in squashed:
        return f"The password must not contain the name of this tool ('{TOOL_NAME}'). Choose another. {advice}"
    if len(set(squashed)) <= 2:
        return f"The password must not be one or two characters repeated. Choose another. {advice}"
    return None


class Accounts:
    def __init__(self, engine: Engine, hasher: PasswordHasher | None = None):
        self.engine = engine
        self.hasher = hasher or PasswordHasher()

    def save(self, username: str, full_name: str, role: str, team: str, password: str) -> User:
        """Create the account, or reset its details and password. User names are kept in lower case."""
        username = normalised(username)
        if role not in ROLES:
            raise RetrievalError(f"The role must be one of {', '.join(ROLES)}.")
        problem = password_problem(password, username)
        if problem:
            raise WeakPassword(problem)
        values = dict(full_name=full_name, role=role, team=team, password_hash=self.hasher.hash(password))
        with self.engine.begin() as conn:
            updated = conn.execute(accounts.update().where(accounts.c.username == username).values(**values))
            if updated.rowcount == 0:
                conn.execute(accounts.insert().values(username=username, created_at=datetime.now(timezone.utc),
                                                      **values))
        return User(username, role, team, full_name)

    def user(self, username: str) -> User | None:
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(accounts).where(accounts.c.username == normalised(username))).first()
        return None if row is None else User(row.username, row.role, row.team, row.full_name)

    def authenticate(self, username: str, password: str) -> User:
        """The account's user if the password matches; the same refusal otherwise, so names cannot be probed."""
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(accounts).where(accounts.c.username == normalised(username))).first()
        try:
            if row is None:
                self.hasher.hash(password)  # spend the same time as a real check
                raise SignInFailed()
            self.hasher.verify(row.password_hash, password)
        except (VerificationError, InvalidHashError):
            raise SignInFailed() from None
        return User(row.username, row.role, row.team, row.full_name)

    def authenticate_quietly(self, username: str, password: str) -> bool:
        try:
            self.authenticate(username, password)
            return True
        except SignInFailed:
            return False

    def all(self) -> list[User]:
        with self.engine.connect() as conn:
            rows = conn.execute(sa.select(accounts).order_by(accounts.c.team, accounts.c.username)).all()
        return [User(r.username, r.role, r.team, r.full_name) for r in rows]
