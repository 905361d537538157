"""Records related to a case: the same person's other cases and similar passages elsewhere.

Both lists are limited to what the asking user may see.
"""
from __future__ import annotations

from dataclasses import dataclass

from retrieval.records.access import User
from retrieval.search.index import Passage, PassageIndex
from retrieval.records.store import Case, CaseRecords


@dataclass(frozen=True)
class Related:
    same_person: list[Case]
    passages: list[Passage]


def related_records(records: CaseRecords, index: PassageIndex, case: Case, user: User, limit: int) -> Related:
    same_person = [c for c in records.cases_of_person(case.person.id)
                   if c.id != case.id and user.may_see(c.team)]
    return Related(same_person, index.similar_to_case(case, user.visible_teams, limit))
