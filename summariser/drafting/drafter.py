"""Drafting a cited summary from numbered sources, however large the case.

When the sources do not fit the model's context window they are never cut:
they are read in batches that each fit, each batch becomes dated notes that
keep their [n] citations, and the summary is written from the notes. The
numbering is global, so every citation in the final draft still resolves to
a document and page.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date
from typing import Callable

from langchain_core.messages import HumanMessage, SystemMessage

from retrieval.ingest.chunking import Chunk
from retrieval.records.store import Case, Document
from summariser.drafting.citations import CitationReport, Source, check_citations
from summariser.errors import SummariserError
from summariser.drafting.llm import ChatModel
from summariser.drafting.templates import PromptTemplate
from summariser.text import cite

NOTES_TEMPLATE = "source_notes"
PROMPT_OVERHEAD_TOKENS = 700  # instructions and headings around the sources
MAX_ROUNDS = 4


@dataclass
class DraftRun:
    """What one drafting run did: the record the audit log keeps."""

    text: str = ""
    steps: list[dict] = field(default_factory=list)  # each model call: kind, rendered prompt hash, tokens
    final_prompt_sha256: str = ""
    report: CitationReport | None = None


def number_sources(case: Case, documents: list[Document], chunks_by_document: dict[int, list[Chunk]]) -> list[Source]:
    """The case's passages in document order, numbered from 1."""
    sources = []
    for document in documents:
        for chunk in chunks_by_document.get(document.id, []):
            sources.append(Source(len(sources) + 1, chunk.id, case.reference, document.id, document.filename,
                                  chunk.page, chunk.start, chunk.end, chunk.text))
    return sources


def format_source(source: Source) -> str:
    return f"{cite([source.number])} ({source.label()})\n{source.text.strip()}\n"


def render_with_outline(template: PromptTemplate, values: dict[str, str]) -> tuple[str, str]:
    """The template's (system, user), the user part ending with its sections as an outline to fill in.

    Told the headings only in its instructions, the 1.5B default model ignored them and wrote one bullet per
    source; with the outline last in the prompt it kept every heading on the demo cases.
    """
    system, user = template.render(**values)
    if not template.sections:
        return system, user
    outline = "\n".join(f"## {heading}\n- [n] ..." for heading in template.sections)
    return system, (f"{user}\n\nFill in this outline, keeping every heading exactly as written (replace n with "
                    f"the number of the source each fact comes from):\n{outline}")


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class Drafter:
    """Runs the template over the sources with one chat model, batching when needed."""

    def __init__(self, chat: ChatModel, notes_template: PromptTemplate,
                 on_token: Callable[[str], None] | None = None, on_stage: Callable[[str], None] | None = None):
        self.chat, self.notes_template = chat, notes_template
        self.on_token = on_token or (lambda _t: None)
        self.on_stage = on_stage or (lambda _s: None)
        self.stage = ""

    def _enter(self, stage: str) -> None:
        self.stage = stage
        self.on_stage(stage)

    def _reading(self, done: int, total: int) -> None:
        """How far the model has read this call's records. Said before each step of a long prompt: the officer
        sees progress in minutes with no text yet, and a closed page stops the draft at the next step."""
        self.on_stage(f"{self.stage}: {done * 100 // total}% of the records read" if done else self.stage)

    def budget(self, template: PromptTemplate, fixed: dict[str, str]) -> int:
        """Tokens left for sources once instructions and the answer are accounted for."""
        system, user = render_with_outline(template, fixed | {"sources": ""})
        output = self.chat.parameters.get("max_output_tokens", 900)
        used = self.chat.count_tokens(system + user) + output + PROMPT_OVERHEAD_TOKENS // 4
        left = self.chat.context_tokens - used
        if left < 300:
            raise SummariserError("The model's context window is too small for this template. "
                                   "Raise CASEWORK_LLM_CONTEXT_TOKENS or lower CASEWORK_LLM_MAX_OUTPUT_TOKENS.")
        return left

    def _batches(self, blocks: list[str], budget: int) -> list[list[str]]:
        batches: list[list[str]] = [[]]
        used = 0
        for block in blocks:
            size = self.chat.count_tokens(block)
            if size > budget:  # one passage bigger than the window: split it on lines, never drop it
                half = len(block) // 2
                cut = block.rfind("\n", 0, half) if block.rfind("\n", 0, half) > 0 else half
                batches.extend(self._batches([block[:cut], block[cut:]], budget))
                batches.append([])
                used = 0
                continue
            if used + size > budget and batches[-1]:
                batches.append([])
                used = 0
            batches[-1].append(block)
            used += size
        return [b for b in batches if b]

    def _call(self, run: DraftRun, kind: str, template: PromptTemplate, values: dict[str, str],
              stream: bool) -> tuple[str, str]:
        system, user = render_with_outline(template, values) if kind == "summary" else template.render(**values)
        prompt_hash = _sha256(system + "\n\n" + user)
        text = self.chat.stream([SystemMessage(system), HumanMessage(user)],
                                on_token=self.on_token if stream else None, on_reading=self._reading)
        run.steps.append({"kind": kind, "template": template.name, "rendered_prompt_sha256": prompt_hash,
                          "prompt_tokens": self.chat.count_tokens(system + user),
                          "output_chars": len(text)})
        return text, prompt_hash

    def draft(self, template: PromptTemplate, case: Case, sources: list[Source], today: date,
              extra: dict[str, str] | None = None) -> DraftRun:
        """`extra` fills the template's own variables beyond the case's (an update's previous summary)."""
        if not sources:
            raise SummariserError("This case has no readable documents yet, so there is nothing to summarise. "
                                  "Add documents first.")
        run = DraftRun()
        summary_fixed = {"case_reference": case.reference, "case_title": case.title,
                         "case_type": case.case_type, "person_name": case.person.full_name,
                         "today": today.isoformat()} | (extra or {})
        notes_fixed = {"case_reference": case.reference, "case_title": case.title}
        blocks = [format_source(s) for s in sources]
        budget = self.budget(template, summary_fixed)
        for round_number in range(1, MAX_ROUNDS + 1):
            if sum(self.chat.count_tokens(b) for b in blocks) <= budget:
                break
            batches = self._batches(blocks, self.budget(self.notes_template, notes_fixed))
            notes = []
            for number, batch in enumerate(batches, start=1):
                self._enter(f"Reading the records: part {number} of {len(batches)}"
                            + (f" (round {round_number})" if round_number > 1 else ""))
                text, _ = self._call(run, "notes", self.notes_template, notes_fixed | {"sources": "\n".join(batch)},
                                     stream=False)
                notes.append(text.strip() + "\n")
            blocks = notes
        else:
            raise SummariserError("This case is too large to summarise with the current model settings. "
                                  "Raise CASEWORK_LLM_CONTEXT_TOKENS or use a model with a larger context window.")
        self._enter("Writing the summary")
        run.text, run.final_prompt_sha256 = self._call(run, "summary", template,
                                                       summary_fixed | {"sources": "\n".join(blocks)}, stream=True)
        run.text = run.text.strip()
        run.report = check_citations(run.text, sources, template.sections)
        return run
