"""Signing in and out, and the accounts administrators keep: who someone is in this tool, and what they may do."""
from __future__ import annotations

from audit.log import AuditLog
from retrieval.records import access
from retrieval.records.access import Capabilities, User
from retrieval.records.accounts import Accounts, SignInFailed


class AccountService:
    def __init__(self, accounts: Accounts, audit: AuditLog):
        self.accounts, self.audit = accounts, audit

    def sign_in(self, username: str, password: str) -> User:
        user = self.accounts.authenticate(username, password)
        self.audit.append(user.username, "signed_in", {"role": user.role, "team": user.team})
        return user

    def sign_in_identity(self, identity: str) -> User:
        """Someone the identity provider (OIDC) vouched for: their account gives their role and team."""
        user = self.accounts.user(identity) if identity.strip() else None
        if user is None:
            raise SignInFailed(f"Your organisation account ({identity or 'no e-mail given'}) has no access to this "
                               "tool yet. Ask an administrator to add it with your e-mail address as user name.")
        self.audit.append(user.username, "signed_in", {"role": user.role, "team": user.team, "method": "oidc"})
        return user

    def sign_out(self, user: User) -> None:
        self.audit.append(user.username, "signed_out", {})

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
