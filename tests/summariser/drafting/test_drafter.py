"""Drafting with a fake model: cited output, and large cases split and combined rather than cut."""
from __future__ import annotations

from datetime import date

import re

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage
from langchain_core.outputs import ChatGeneration, ChatResult

from retrieval.records.store import Case, Person
from summariser.drafting.citations import Source
from summariser.drafting.drafter import Drafter
from summariser.drafting.llm import ChatModel, ModelConfig, make_chat_model
from summariser.drafting.templates import TemplateLibrary
from tests.conftest import PROJECT

CASE = Case(1, "BR-1", Person(1, "P-1", "Jane Jones", None), "benefits", "benefit-review", "asha", "Review", None)
LIBRARY = TemplateLibrary(PROJECT / "prompts")


def _sources(count: int, words: int = 40) -> list[Source]:
    return [Source(n, f"c{n}", "BR-1", n, f"note{n}.txt", 1, 0, 10, f"On {n} March 2025 event {n}. " + "word " * words)
            for n in range(1, count + 1)]


def _model(responses, context_tokens=8192, max_output_tokens=300):
    return make_chat_model(ModelConfig(provider="fake", fake_responses=tuple(responses),
                                       context_tokens=context_tokens, max_output_tokens=max_output_tokens))


def test_a_small_case_is_drafted_in_one_call_and_its_citations_checked():
    tokens, stages = [], []
    chat = _model(["## Background\nEvent one happened [1]. Event two [2]. Invented [9]."])
    run = Drafter(chat, LIBRARY.get("source_notes"), tokens.append, stages.append).draft(
        LIBRARY.get("case_summary"), CASE, _sources(3), date(2026, 1, 1))
    assert [s["kind"] for s in run.steps] == ["summary"]
    assert "".join(tokens) == run.text and stages == ["Writing the summary"]
    assert sorted(run.report.resolved) == [1, 2] and run.report.unresolved == [9]
    assert len(run.final_prompt_sha256) == 64


class ByStepChat(BaseChatModel):
    """Answers a notes step with the first and last citation it was given, and the summary step by citing both."""

    @property
    def _llm_type(self):
        return "by-step"

    def _generate(self, messages, stop=None, run_manager=None, **kwargs):
        prompt = messages[-1].content
        given = prompt.split("Sources:", 1)[1].rsplit("\n\n", 1)[0]  # the sources, not the instructions
        numbers = [int(n) for n in re.findall(r"\[(\d+)\]", given)]
        if "Write the notes now" in prompt:
            answer = f"- 1 March 2025: first [{numbers[0]}].\n- later: last [{numbers[-1]}]."
        else:
            answer = f"## Background\nCombined [{min(numbers)}][{max(numbers)}]."
        return ChatResult(generations=[ChatGeneration(message=AIMessage(content=answer))])


def test_a_case_larger_than_the_window_is_read_in_parts_then_combined():
    sources = _sources(60, words=60)  # ~ 60 * 100 tokens: far beyond a 2,000-token window
    chat = ChatModel(ByStepChat(), "test", "by-step", 2000, {"max_output_tokens": 200})
    stages = []
    run = Drafter(chat, LIBRARY.get("source_notes"), on_stage=stages.append).draft(
        LIBRARY.get("case_summary"), CASE, sources, date(2026, 1, 1))
    kinds = [s["kind"] for s in run.steps]
    assert kinds[-1] == "summary" and kinds.count("notes") >= 3
    assert all(step["prompt_tokens"] <= 2000 for step in run.steps)
    assert stages[0].startswith("Reading the records: part 1 of") and stages[-1] == "Writing the summary"
    assert sorted(run.report.resolved) == [1, 60]


def test_no_sources_is_a_clear_error():
    import pytest
    from summariser.errors import SummariserError
    with pytest.raises(SummariserError, match="no readable documents"):
        Drafter(_model(["x"]), LIBRARY.get("source_notes")).draft(LIBRARY.get("case_summary"), CASE, [],
                                                                   date(2026, 1, 1))


def test_the_summary_prompt_ends_with_the_templates_sections_as_an_outline():
    from summariser.drafting.drafter import render_with_outline
    template = LIBRARY.get("benefit_review")
    values = {"case_reference": "BR-1", "case_title": "Review", "case_type": "benefit-review",
              "person_name": "Jane Jones", "today": "2026-01-01", "sources": "[1] (note1.txt, page 1)\nA note."}
    system, user = render_with_outline(template, values)
    assert (system, user.split("\n\nFill in this outline")[0]) == template.render(**values)
    headings = [line[3:] for line in user.split("Fill in this outline")[1].splitlines() if line.startswith("## ")]
    assert headings == list(template.sections) and user.endswith("## Open questions\n- [n] ...")
    notes = LIBRARY.get("source_notes")
    notes_values = {"case_reference": "BR-1", "case_title": "Review", "sources": "x"}
    assert render_with_outline(notes, notes_values) == notes.render(**notes_values)  # no sections, no outline
