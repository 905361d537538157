"""Reading one passage into facts: the model says only what the tool cannot work out itself.

The model sees the passage alone (with the case's reference, person and type) as numbered sentences and
answers, constrained by a JSON schema, with each fact's sentence numbers, kind, date and an optional
wording. Sentence numbers, not quotes: on the default model they cost about a third of the output tokens
of verbatim quotes (issue 10), and the tool copies the quote itself, so citations are exact by
construction. The instructions are a fixed prefix (the system part has no variables) so llama.cpp reuses
their evaluated state from one passage to the next.
"""
from __future__ import annotations

import time

from langchain_core.messages import HumanMessage, SystemMessage

from summariser.checks.grounding import GroundingChecker
from summariser.drafting.llm import ChatModel
from summariser.drafting.templates import PromptTemplate
from summariser.errors import SummariserError, TemplateInvalid
from summariser.reading.acceptance import Acceptance, numbered_sentences, sentence_list
from summariser.reading.model import KINDS, PassageToRead, Reading, ReadingFailed

MAX_FACTS = 12  # a 1,400-character passage states about six; the cap stops a looping model early
TOKENS_PER_FACT = 60  # sentence numbers, kind, date and a short wording


def facts_schema(sentence_count: int, max_facts: int = MAX_FACTS) -> dict:
    """The JSON schema the answer is constrained to: sentence numbers can only be the passage's own.
    Every property is required (null allowed) and none other is, as OpenAI's strict mode demands."""
    numbers = list(range(1, max(sentence_count, 1) + 1))
    fact = {"type": "object", "additionalProperties": False,
            "required": ["sentences", "kind", "date", "wording"],
            "properties": {
                "sentences": {"type": "array", "items": {"type": "integer", "enum": numbers},
                              "minItems": 1, "maxItems": 3},
                "kind": {"type": "string", "enum": list(KINDS)},
                "date": {"type": ["string", "null"]},
                "wording": {"type": ["string", "null"]}}}
    return {"type": "object", "additionalProperties": False, "required": ["facts"],
            "properties": {"facts": {"type": "array", "items": fact, "maxItems": max_facts}}}


class PassageReader:
    """Reads passages with one model and one prompt; what it returns is keyed by `identity`."""

    def __init__(self, chat_model: ChatModel, template: PromptTemplate, grounding: GroundingChecker | None = None,
                 max_facts: int = MAX_FACTS):
        if tuple(template.sections) != KINDS:
            raise TemplateInvalid(f"Template '{template.name}' must list the fact kinds as its sections, in "
                                  f"this order: {', '.join(KINDS)}.")
        self.chat_model, self.template, self.max_facts = chat_model, template, max_facts
        self.acceptance = Acceptance(grounding)

    @property
    def identity(self) -> tuple[str, str, str]:
        """(model_id, prompt_name, prompt_version): a reading is reused until one of these changes."""
        return self.chat_model.model_id, self.template.name, self.template.version

    def messages(self, passage: PassageToRead, spans: list[tuple[int, int]]) -> list:
        system, user = self.template.render(
            case_reference=passage.case_reference, person_name=passage.person_name or "not recorded",
            case_type=passage.case_type, document_name=passage.document_name or "not named",
            sentences=sentence_list(passage.text, spans))
        return [SystemMessage(system), HumanMessage(user)]

    def read(self, passage: PassageToRead) -> Reading:
        """The passage's facts, each accepted or rejected with its reason. Raises ReadingFailed when the model
        fails or times out; an answer that is not in the expected form is one "malformed" fact instead."""
        model_id, name, version = self.identity
        spans = numbered_sentences(passage.text)
        started = time.monotonic()
        if not spans:  # nothing a fact could rest on: no need to ask
            return Reading((), model_id, name, version, 0, 0.0)
        try:
            answer = self.chat_model.structured(self.messages(passage, spans), facts_schema(len(spans), self.max_facts),
                                                max_tokens=TOKENS_PER_FACT * self.max_facts, name="passage_facts")
        except SummariserError as error:
            # No file name: the reason is kept with the reading, which every case holding the same text shares.
            raise ReadingFailed(f"The passage could not be read: {error}") from error
        seconds = time.monotonic() - started
        facts = self.acceptance.judge_all(passage, spans, answer.data, answer.text)
        return Reading(facts, model_id, name, version, answer.output_tokens, round(seconds, 3))
