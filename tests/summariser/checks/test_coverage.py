"""Coverage: what the records mention that a summary of this kind must cover, and the draft omits."""
from __future__ import annotations

import pytest

from summariser.drafting.citations import Source
from summariser.checks.coverage import CoverageGap, check_coverage, coverage_note
from summariser.errors import TemplateInvalid
from summariser.drafting.templates import TemplateLibrary, parse_template
from tests.conftest import PROJECT
from tests.summariser.checks.test_conflicts import demo_case

LIBRARY = TemplateLibrary(PROJECT / "prompts")
TEMPLATE = """---
name: covered
version: 1.0.0
description: test
input_variables: [sources]
data: [sources]
sections: [Deadlines and appeal rights]
coverage:
  Deadlines: ['deadline', 'within \\d+ days', '\\bby \\d{1,2}/\\d{1,2}/\\d{4}']
  Appeal rights: ['\\bappeal', 'mandatory reconsideration']
---
=== system ===
Cite [n]. The sources come between <<<RECORDS code>>> lines.
=== user ===
{sources}
"""


def _sources(*texts: str) -> list[Source]:
    return [Source(n, f"c{n}", "BR-1", n, f"doc{n}.txt", 1, 0, len(t), t) for n, t in enumerate(texts, start=1)]


@pytest.fixture
def template(tmp_path):
    path = tmp_path / "covered.md"
    path.write_text(TEMPLATE, encoding="utf-8")
    return parse_template(path)


def test_an_item_the_sources_mention_and_the_draft_omits_is_a_gap(template):
    sources = _sources("You may appeal within 30 days.", "Phone call.", "Ask for a Mandatory Reconsideration.")
    draft = "## Deadlines and appeal rights\n- [1] A reply is needed within 30 days."
    assert check_coverage(template, draft, sources) == [CoverageGap("Appeal rights", (1, 3))]


def test_headings_do_not_count_as_covering_an_item(template):
    sources = _sources("You may appeal by 14/03/2025.")
    gaps = check_coverage(template, "## Deadlines and appeal rights\n- Nothing recorded.", sources)
    assert [g.item for g in gaps] == ["Deadlines", "Appeal rights"]


def test_what_the_records_never_mention_is_not_a_gap(template):
    assert check_coverage(template, "## Deadlines and appeal rights\n- [1] A phone call.", _sources("Phone call.")) == []


def test_a_covered_item_is_not_a_gap(template):
    sources = _sources("You may appeal by 14/03/2025.")
    assert check_coverage(template, "- [1] She may APPEAL; the deadline is 14/03/2025.", sources) == []


def test_a_template_without_coverage_has_no_gaps():
    assert check_coverage(LIBRARY.get("source_notes"), "", _sources("You may appeal.")) == []


def test_gaps_read_as_plain_english():
    notes = coverage_note([CoverageGap("Appeal rights", (1, 2, 3, 4, 5, 6, 7))])
    assert notes == ["Appeal rights: the records mention this ([1][2][3][4][5] and 2 more) but the draft does not."]


BROKEN_COVERAGE = {
    "not-a-mapping": "coverage: [deadline]",
    "empty-mapping": "coverage: {}",
    "empty-list": "coverage:\n  Deadlines: []",
    "not-a-list": "coverage:\n  Deadlines: deadline",
    "bad-regex": "coverage:\n  Deadlines: ['deadline(']",
}


@pytest.mark.parametrize("front", BROKEN_COVERAGE.values(), ids=list(BROKEN_COVERAGE))
def test_broken_coverage_is_refused_with_a_reason(tmp_path, front):
    text = TEMPLATE.split("coverage:")[0] + front + "\n---" + TEMPLATE.split("\n---", 2)[1]
    path = tmp_path / "covered.md"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(TemplateInvalid, match="covered.md.*(coverage|regular expression)"):
        parse_template(path)


def test_a_demo_benefit_review_draft_that_omits_appeal_rights_shows_the_gap():
    case, sources = demo_case("BR-2025-0158")
    template = LIBRARY.get(LIBRARY.for_case_type(case.case_type))
    draft = ("## Money\n- [2] 03/02/2025: Ms Brannigan said her payslip shows take-home pay of £1,240.00.\n"
             "## Circumstances and vulnerabilities\n- [3] She said she had not eaten for two days.")
    gaps = {gap.item: gap.sources for gap in check_coverage(template, draft, list(sources))}
    assert "Appeal rights" in gaps and "Deadlines" in gaps and "Vulnerability and hardship" not in gaps
    letter = [s.number for s in sources if "mandatory reconsideration by 14 March 2025" in s.text]
    assert set(letter) <= set(gaps["Appeal rights"])
