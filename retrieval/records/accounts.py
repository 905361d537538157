"""Local accounts: who may sign in, their role and team. Passwords are kept only as argon2 hashes.

When OIDC is configured the app signs people in with Streamlit's st.login
instead, and these accounts only map an identity to a role and team.
"""
from __future__ import annotations

from datetime import datetime, timezone

import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Engine

from retrieval.records.access import ROLES, User
from retrieval.errors import RetrievalError
from schema import accounts


class SignInFailed(RetrievalError):
    default = "The user name or password is not right. Check them and try again."


class Accounts:
    def __init__(self, engine: Engine, hasher: PasswordHasher | None = None):
        self.engine = engine
        self.hasher = hasher or PasswordHasher()

    def save(self, username: str, full_name: str, role: str, team: str, password: str) -> User:
        """Create the account, or reset its details and password. User names are kept in lower case."""
        username = username.strip().lower()
        if role not in ROLES:
            raise RetrievalError(f"The role must be one of {', '.join(ROLES)}.")
        if len(password) < 8:
            raise RetrievalError("The password must be at least 8 characters long.")
        values = dict(full_name=full_name, role=role, team=team, password_hash=self.hasher.hash(password))
        with self.engine.begin() as conn:
            updated = conn.execute(accounts.update().where(accounts.c.username == username).values(**values))
            if updated.rowcount == 0:
                conn.execute(accounts.insert().values(username=username, created_at=datetime.now(timezone.utc),
                                                      **values))
        return User(username, role, team, full_name)

    def user(self, username: str) -> User | None:
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(accounts).where(accounts.c.username == username.strip().lower())).first()
        return None if row is None else User(row.username, row.role, row.team, row.full_name)

    def authenticate(self, username: str, password: str) -> User:
        """The account's user if the password matches; the same refusal otherwise, so names cannot be probed."""
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(accounts).where(accounts.c.username == username.strip().lower())).first()
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
