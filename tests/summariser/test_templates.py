"""Prompt templates are files, validated on load; a broken one is refused with its reason."""
from __future__ import annotations

import pytest

from summariser.errors import TemplateInvalid, TemplateNotFound
from summariser.templates import TemplateLibrary, parse_template
from tests.conftest import PROJECT

GOOD = """---
name: {name}
version: 2.1.0
description: test
input_variables: [case_reference, sources]
sections: [Background]
---
=== system ===
Cite [n].
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
    assert template.render(case_reference="x", sources="{not a placeholder}")[1] == "Case x\n{not a placeholder}"
