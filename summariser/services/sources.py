"""The numbered passages of a case, and of a draft: the one place that turns held documents into sources.

Drafting and every check of a draft read their sources here, so the two can
never number a case differently.
"""
from __future__ import annotations

from dataclasses import replace

from retrieval.records.store import Case, CaseRecords, Document
from summariser.drafting.citations import Source
from summariser.drafting.drafter import number_sources
from workflow.state import DraftState


class CaseSources:
    def __init__(self, records: CaseRecords):
        self.records = records

    def sources(self, case: Case) -> tuple[list[Document], list[Source]]:
        documents = self.records.documents(case)
        return documents, number_sources(case, documents, self.records.passages(documents))

    def of_draft(self, state: DraftState) -> dict[int, Source]:
        """The numbered sources a draft was given (numbered as it was), so its citations can be opened."""
        _, current = self.sources(self.records.case(state.case_reference))
        by_chunk = {s.chunk_id: s for s in current}
        return {entry.n: replace(by_chunk[entry.chunk_id], number=entry.n)
                for entry in state.drafted.data.sources if entry.chunk_id in by_chunk}


def known(case: Case) -> str:
    """Facts a summary may state without a source: whose case it is and its reference."""
    return f"{case.person.full_name} {case.reference}"
