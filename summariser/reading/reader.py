"""Reading one passage into facts: the model says only what the tool cannot work out itself.

The model sees the passage alone (with the case's reference, person and type) as numbered sentences and
answers, constrained by a JSON schema, with the number and a short kind code of each sentence that states a
fact. Nothing else: output tokens are the cost of reading (about 9 a second on 2 cores), and the tool does the
rest itself. It copies the sentence as the quote, so citations are exact by construction; it takes the date as
the quote writes it; and it classifies by rules when the model says "other". Version 1 of the prompt also asked
for dates and an optional wording, and cost about 280 output tokens a passage (32 s); see docs/decisions/0009.
The instructions are a fixed prefix (the system part has no variables) so llama.cpp reuses their evaluated
state from one passage to the next.
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

MAX_FACTS = 16  # a 1,400-character passage states about eight; the cap stops a looping model early
TOKENS_PER_FACT = 14  # {"sentence":12,"kind":"deadline"},
# The kind codes the model writes (one or two tokens each) and the kinds they stand for.
KIND_CODES = {"event": "event", "decision": "decision", "money": "money", "deadline": "deadline_or_right",
              "circumstance": "circumstance_or_vulnerability", "contact": "contact_or_adjustment",
              "request": "request", "other": "other"}


def facts_schema(sentence_count: int, max_facts: int = MAX_FACTS) -> dict:
    """The JSON schema the answer is constrained to: sentence numbers can only be the passage's own.
    Every property is required and none other is allowed, as OpenAI's strict mode demands."""
    numbers = list(range(1, max(sentence_count, 1) + 1))
    fact = {"type": "object", "additionalProperties": False, "required": ["sentence", "kind"],
            "properties": {"sentence": {"type": "integer", "enum": numbers},
                           "kind": {"type": "string", "enum": list(KIND_CODES)}}}
    return {"type": "object", "additionalProperties": False, "required": ["facts"],
            "properties": {"facts": {"type": "array", "items": fact, "maxItems": max_facts}}}


def as_claims(data):
    """The answer in the form `Acceptance` judges: each sentence number as a list, each kind code as its kind.
    Anything not in the answer's form is left as it is, for Acceptance to reject as malformed."""
    if not isinstance(data, dict) or not isinstance(data.get("facts"), list):
        return data
    return {"facts": [{"sentences": [item["sentence"]], "kind": KIND_CODES.get(item.get("kind"), item.get("kind"))}
                      if isinstance(item, dict) and "sentence" in item else item for item in data["facts"]]}


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
        facts = self.acceptance.judge_all(passage, spans, as_claims(answer.data), answer.text)
        return Reading(facts, model_id, name, version, answer.output_tokens, round(seconds, 3))
