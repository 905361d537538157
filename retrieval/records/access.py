"""Who may do what: the roles, the teams they see, and every "may this user do X" rule, in one place.

The service layer is the only caller. The router, the pages and the CLI ask the
service what a user may do, so a rule changed here changes everywhere at once,
and a page hidden by mistake never becomes a way round it.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from retrieval.errors import NotAuthorised

Role = Literal["officer", "supervisor", "admin"]
ROLES: tuple[Role, ...] = ("officer", "supervisor", "admin")
SUPERVISING_ROLES: tuple[Role, ...] = ("supervisor", "admin")  # read the audit log, sign off risky drafts


@dataclass(frozen=True)
class User:
    username: str
    role: Role
    team: str
    full_name: str = ""

    @property
    def visible_teams(self) -> frozenset[str] | None:
        """Teams whose cases this user may see; None means every team (admin)."""
        return None if self.role == "admin" else frozenset({self.team})

    def may_see(self, team: str) -> bool:
        teams = self.visible_teams
        return teams is None or team in teams

    def require_team(self, team: str) -> None:
        if not self.may_see(team):
            raise NotAuthorised()


@dataclass(frozen=True)
class Capabilities:
    """What a user may do beyond their team's cases: the router shows a page only if its flag is set."""
    read_audit_log: bool
    see_dashboard: bool
    second_check: bool
    manage_records: bool
    manage_accounts: bool
    manage_directory: bool = False  # the directory of vetted services (issue 15)


def is_role(role: str) -> bool:
    return role in ROLES


def supervises(user: User) -> bool:
    """Supervisors and administrators read the audit log, do second checks and sign off risky drafts."""
    return user.role in SUPERVISING_ROLES


def administers(user: User) -> bool:
    return user.role == "admin"


def capabilities(user: User) -> Capabilities:
    return Capabilities(read_audit_log=supervises(user), see_dashboard=supervises(user),
                        second_check=supervises(user), manage_records=administers(user),
                        manage_accounts=administers(user), manage_directory=administers(user))


def require_supervisor(user: User, doing: str) -> None:
    """Refuse unless the user supervises; `doing` finishes the sentence, e.g. "can see the audit log"."""
    if not supervises(user):
        raise NotAuthorised(f"Only supervisors and administrators {doing}.")


def require_admin(user: User, doing: str) -> None:
    """Refuse unless the user administers; `doing` finishes the sentence, e.g. "register cases"."""
    if not administers(user):
        raise NotAuthorised(f"Only an administrator can {doing}.")


def is_team_member(user: User, team: str) -> bool:
    """Officers and supervisors of the team itself (not administrators, who see every team but work none):
    those who may confirm that a flagged document of its cases is ordinary correspondence."""
    return user.team == team


def require_team_member(user: User, team: str, doing: str) -> None:
    """Refuse unless the user works in the team; `doing` finishes the sentence, e.g. "confirm ..."."""
    if not is_team_member(user, team):
        raise NotAuthorised(f"Only an officer or supervisor of the {team} team can {doing}.")


def may_see_account(user: User, account: User) -> bool:
    """A supervisor sees the own events (sign-ins...) of the people of the teams they see."""
    return user.may_see(account.team)
