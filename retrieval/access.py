"""Who may see which cases: the rule lives here so every path (UI, CLI, search) applies the same one."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from retrieval.errors import NotAuthorised

Role = Literal["officer", "supervisor", "admin"]


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
