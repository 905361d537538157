"""What a summary of its kind must cover, and what this draft leaves out that the records mention.

Each template lists items (deadlines, appeal rights, safeguarding concerns,
reasonable adjustments...) with trigger phrases. A gap is an item that at
least one source mentions and the draft does not: the officer sees which
sources to look at, and decides whether the summary should say it. An item
the sources never mention is not a gap; the draft cannot cover what the
records do not say.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from summariser.drafting.citations import Source
from summariser.drafting.templates import PromptTemplate
from summariser.text import cite


@dataclass(frozen=True)
class CoverageGap:
    item: str                  # "Appeal rights"
    sources: tuple[int, ...]   # the sources that mention it


@lru_cache(maxsize=512)
def _pattern(triggers: tuple[str, ...]) -> re.Pattern:
    return re.compile("|".join(f"(?:{t})" for t in triggers), re.IGNORECASE)


def check_coverage(template: PromptTemplate, draft_text: str, sources: list[Source]) -> list[CoverageGap]:
    """Items of the template's coverage list that the sources mention and the draft does not, in the
    template's order."""
    # headings ("## Deadlines and appeal rights") name items without covering them
    body = "\n".join(line for line in draft_text.splitlines() if not line.lstrip().startswith("#"))
    gaps = []
    for item, triggers in template.coverage:
        pattern = _pattern(triggers)
        if pattern.search(body):
            continue
        mentioned = tuple(s.number for s in sources if pattern.search(s.text))
        if mentioned:
            gaps.append(CoverageGap(item, mentioned))
    return gaps


def coverage_note(gaps: list[CoverageGap], shown: int = 5) -> list[str]:
    """One plain-English line per gap, for the officer: what is missing and where the records say it."""
    lines = []
    for gap in gaps:
        where = cite(gap.sources[:shown])
        more = f" and {len(gap.sources) - shown} more" if len(gap.sources) > shown else ""
        lines.append(f"{gap.item}: the records mention this ({where}{more}) but the draft does not.")
    return lines
