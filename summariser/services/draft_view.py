"""One draft as a page or command shows it: its sources, grounding, coverage and citations, each worked out once.

A page asks for several checks of the same draft; built per request, this
object reads the draft's sources once and runs each check at most once.
"""
from __future__ import annotations

from functools import cached_property

from retrieval.records.store import Case
from summariser.checks.coverage import CoverageGap, check_coverage
from summariser.checks.grounding import GroundingChecker, GroundingReport
from summariser.drafting.citations import CitationReport, Source, check_citations
from summariser.drafting.templates import PromptTemplate
from summariser.services.sources import known
from workflow.state import DraftState


class DraftView:
    def __init__(self, state: DraftState, case: Case, sources: dict[int, Source], template: PromptTemplate | None,
                 grounding: GroundingChecker):
        self.state, self.case, self.sources, self.template = state, case, sources, template
        self._checker = grounding

    @property
    def text(self) -> str:
        """The current version's text (an officer's edit is what gets checked)."""
        return self.state.current.text if self.state.current else ""

    @cached_property
    def grounding(self) -> GroundingReport:
        return self._checker.check(self.text, list(self.sources.values()), context=known(self.case))

    @cached_property
    def coverage(self) -> list[CoverageGap]:
        """What the template says a summary must cover, the sources mention, and the current version omits."""
        if self.template is None or self.state.current is None:
            return []
        return check_coverage(self.template, self.text, list(self.sources.values()))

    @cached_property
    def citations(self) -> CitationReport:
        return check_citations(self.text, list(self.sources.values()),
                               self.template.sections if self.template else ())
