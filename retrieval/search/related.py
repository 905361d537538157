"""Records related to a case: the same person's other cases and similar passages elsewhere.

Both lists are limited to the teams the asking user may see, which the
service works out (``retrieval.records.access``) and passes in: this module
makes no decision about who may see what.
"""
from __future__ import annotations

from dataclasses import dataclass

from retrieval.records.store import Case, CaseRecords
from retrieval.search.index import Passage, PassageIndex


@dataclass(frozen=True)
class Related:
    same_person: list[Case]
    passages: list[Passage]


def related_records(records: CaseRecords, index: PassageIndex, case: Case, visible_teams: frozenset[str] | None,
                    limit: int) -> Related:
    """The same person's other cases and the passages most like this case's, in `visible_teams` (None: every
    team)."""
    same_person = [c for c in records.cases_of_person(case.person.id)
                   if c.id != case.id and (visible_teams is None or c.team in visible_teams)]
    return Related(same_person, index.similar_to_case(case, visible_teams, limit))
