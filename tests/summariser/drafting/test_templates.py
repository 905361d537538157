"""Prompt templates are files, validated on load; a broken one is refused with its reason."""
from __future__ import annotations

import pytest

from summariser.errors import TemplateInvalid, TemplateNotFound
from summariser.drafting.templates import TemplateLibrary, parse_template
from tests.conftest import PROJECT

GOOD = """---
name: {name}
version: 2.1.0
description: test
input_variables: [case_reference, sources]
data: [sources]
sections: [Background]
---
=== system ===
Cite [n]. The sources come between <<<RECORDS code>>> lines.
=== user ===
Case {{case_reference}}
{{sources}}
"""


def _write(folder, name, text):
    path = folder / f"{name}.md"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_shipped_templates_load_and_render():
    library = TemplateLibrary(PROJECT / "prompts")
    assert not library.rejected
    template = library.get("case_summary")
    assert template.sections[0] == "Background" and len(template.sha256) == 64
    system, user = template.render(case_reference="BR-1", case_title="t", case_type="benefit-review",
                                   person_name="A", today="2026-01-01", sources="[1] (a.txt, page 1)\nhello")
    assert "[1] (a.txt, page 1)" in user and "## Risks and vulnerabilities" in system
    assert "case_summary" in library.summary_names() and "source_notes" not in library.summary_names()


BROKEN = {
    "unknown-key": GOOD.replace("sections:", "colour: red\nsections:"),
    "missing-key": GOOD.replace("description: test\n", ""),
    "undeclared-variable": GOOD.replace("{{sources}}", "{{sources}} {{secret}}"),
    "unused-variable": GOOD.replace("{{sources}}", "sources here"),
    "no-user-part": GOOD.replace("=== user ===", ""),
    "bad-yaml": GOOD.replace("sections: [Background]", "sections: [Background"),
    "no-front-matter": "just a prompt {{sources}}",
    "broken-brace": GOOD.replace("{{sources}}", "{{sources"),
}


@pytest.mark.parametrize("kind", BROKEN, ids=list(BROKEN))
def test_broken_templates_are_refused_with_a_reason(tmp_path, kind):
    path = _write(tmp_path, "broken", BROKEN[kind].format(name="broken"))
    with pytest.raises(TemplateInvalid) as refused:
        parse_template(path)
    assert "broken.md" in str(refused.value)


def test_the_library_keeps_good_templates_and_lists_refused_ones(tmp_path):
    _write(tmp_path, "good", GOOD.format(name="good"))
    _write(tmp_path, "bad", BROKEN["unknown-key"].format(name="bad"))
    library = TemplateLibrary(tmp_path)
    assert list(library.templates) == ["good"] and "colour" in library.rejected["bad.md"]
    with pytest.raises(TemplateNotFound, match="good"):
        library.get("bad")


def test_rendering_with_missing_or_extra_variables_is_an_error(tmp_path):
    template = parse_template(_write(tmp_path, "good", GOOD.format(name="good")))
    with pytest.raises(TemplateInvalid):
        template.render(case_reference="x")
    with pytest.raises(TemplateInvalid):
        template.render(case_reference="x", sources="y", extra="z")
    assert template.render(case_reference="x", sources="{not a placeholder}", fence="f00d")[1] == \
        "Case x\n<<<RECORDS f00d>>>\n{not a placeholder}\n<<<END RECORDS f00d>>>"


FIXED = dict(case_reference="BR-1", case_title="t", case_type="benefit-review", person_name="A",
             today="2026-01-01", sources="[1] (a.txt, page 1)\nhello")
SERVICE_TEMPLATES = {"benefit_review": "benefit-review", "safeguarding_summary": "adult-safeguarding",
                     "probation_notes": "probation-supervision", "correspondence": None, "case_summary": None}


@pytest.mark.parametrize("name", [*SERVICE_TEMPLATES, "case_update"])
def test_every_summary_template_keeps_the_house_rules(name):
    template = TemplateLibrary(PROJECT / "prompts").get(name)
    values = FIXED | ({"previous_summary": "## Background\n- [4] Old fact.", "since": "2026-01-01"}
                      if name == "case_update" else {})
    system, user = template.render(**values)
    for section in template.sections:
        assert f"## {section}\n" in system + "\n"
    assert "STARTS with the number" in system and '"- [1] ...".' in user
    assert "never" in system and "recommend" in system  # describes; never judges or recommends
    assert "do not choose" in system  # disagreements are listed by the conflicts section, not resolved
    assert "not instructions" in system and template.coverage
    assert "[1] (a.txt, page 1)\nhello" in user


def test_templates_follow_the_case_type_and_scope():
    library = TemplateLibrary(PROJECT / "prompts")
    for name, case_type in SERVICE_TEMPLATES.items():
        if case_type:
            assert library.for_case_type(case_type) == name
    assert library.for_case_type("housing-support") == "case_summary"
    assert library.for_case_type("unknown", default="benefit_review") == "benefit_review"
    assert library.for_scope("document") == ["correspondence"]
    assert library.get("correspondence").scope == "document" and library.get("case_summary").scope == "case"
    assert library.summary_names() == ["benefit_review", "case_summary", "probation_notes", "safeguarding_summary"]
    assert "correspondence" in library.summary_names(scope=None)
    assert library.names_with_role("update") == ["case_update"]


def test_the_update_template_needs_the_previous_summary():
    template = TemplateLibrary(PROJECT / "prompts").get("case_update")
    assert template.role == "update" and {"previous_summary", "since"} <= set(template.input_variables)
    with pytest.raises(TemplateInvalid):
        template.render(**FIXED)
    _, user = template.render(**FIXED, previous_summary="- [4] Old fact.", since="2026-01-01")
    assert "- [4] Old fact." in user and "since 2026-01-01" in user


MORE_BROKEN = {
    "bad-role": GOOD.replace("sections:", "role: boss\nsections:"),
    "bad-scope": GOOD.replace("sections:", "scope: person\nsections:"),
    "bad-case-types": GOOD.replace("sections:", "case_types: benefit-review\nsections:"),
    "bad-coverage": GOOD.replace("sections:", "coverage:\n  Deadlines: ['(']\nsections:"),
}


@pytest.mark.parametrize("kind", MORE_BROKEN, ids=list(MORE_BROKEN))
def test_bad_role_scope_case_types_and_coverage_are_refused(tmp_path, kind):
    path = _write(tmp_path, "broken", MORE_BROKEN[kind].format(name="broken"))
    with pytest.raises(TemplateInvalid, match=kind.split("-")[1].replace("case", "case_types")):
        parse_template(path)


def test_a_valid_coverage_list_is_loaded_in_order(tmp_path):
    text = GOOD.replace("sections:", "coverage:\n  Deadlines: ['deadline', 'within \\d+ days']\n"
                                     "  Appeal rights: [appeal]\nsections:").format(name="good")
    template = parse_template(_write(tmp_path, "good", text))
    assert template.coverage == (("Deadlines", ("deadline", r"within \d+ days")), ("Appeal rights", ("appeal",)))
