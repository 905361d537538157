"""Reading one passage: the model names sentences, the tool builds the quotes and decides what stands."""
from __future__ import annotations

import json

import pytest
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import HumanMessage, SystemMessage

from settings import PROJECT_ROOT
from summariser.drafting.llm import ChatModel, ModelConfig, make_chat_model
from summariser.drafting.model_files import QWEN_SHA256, bundled_qwen, bundled_smollm
from summariser.drafting.templates import TemplateLibrary
from summariser.errors import TemplateInvalid
from summariser.reading.model import KINDS, PassageToRead, ReadingFailed
from summariser.reading.reader import KIND_CODES, PassageReader, facts_schema

TEMPLATE = TemplateLibrary(PROJECT_ROOT / "prompts").get("passage_facts")
TEXT = ("Dear Ms Price,\nOn 3 March 2025 we paid you £120 for February. "
        "You must send your payslips by 17 March 2025. You can ask us to look at the decision again.")
PASSAGE = PassageToRead.of(TEXT, "BR-2025-0001", "Ada Price", "benefit-review", "letter.pdf")


def fake_reader(*answers: str) -> PassageReader:
    return PassageReader(make_chat_model(ModelConfig(provider="fake", fake_responses=answers)), TEMPLATE)


def answer(*facts: dict) -> str:
    return json.dumps({"facts": list(facts)})


def test_the_model_is_shown_the_passage_alone_as_numbered_sentences_after_fixed_instructions():
    reader = fake_reader(answer())
    system, user = (m.content for m in reader.messages(PASSAGE, [(0, 14), (15, 61)]))
    assert system == TEMPLATE.system.format()  # no variables: llama.cpp reuses its evaluated state between passages
    assert "BR-2025-0001" in user and "Ada Price" in user and "benefit-review" in user
    assert "1. Dear Ms Price,\n2. On 3 March 2025 we paid you £120 for February." in user


def test_facts_are_judged_and_the_reading_says_with_what_model_and_prompt():
    reading = fake_reader(answer(
        {"sentence": 2, "kind": "money"}, {"sentence": 3, "kind": "deadline"}, {"sentence": 2, "kind": "money"},
        {"sentence": 6, "kind": "event"}, {"sentence": 4, "kind": "other"})).read(PASSAGE)
    assert [(f.quote, f.kind, f.date, f.accepted, f.reason) for f in reading.facts] == [
        ("On 3 March 2025 we paid you £120 for February.", "money", "3 March 2025", True, None),
        ("You must send your payslips by 17 March 2025.", "deadline_or_right", "17 March 2025", True, None),
        ("On 3 March 2025 we paid you £120 for February.", "money", "3 March 2025", False, "duplicate"),
        ("", "event", None, False, "quote_not_found"),
        # "other" is classified by the tool's rules
        ("You can ask us to look at the decision again.", "decision", None, True, None)]
    assert len(reading.accepted) == 3 and len(reading.rejected) == 2
    assert (reading.model_id, reading.prompt_name, reading.prompt_version) == (
        "fake:fake-list", "passage_facts", TEMPLATE.version)
    assert reading.output_tokens > 0


@pytest.mark.parametrize("junk", ["I think the letter is about money.", '{"facts": "none"}', "[1, 2, 3]"],
                         ids=["prose", "wrong-type", "a-list"])
def test_an_answer_not_in_the_expected_form_is_one_malformed_fact_not_an_error(junk):
    reading = fake_reader(junk).read(PASSAGE)
    assert [(f.accepted, f.reason) for f in reading.facts] == [(False, "malformed")]
    assert reading.facts[0].detail.startswith("The model's answer was not a list of facts")


class TimingOut(BaseChatModel):
    """A chat model whose client gives up, as an overloaded endpoint's does."""

    @property
    def _llm_type(self) -> str:
        return "timing-out"

    def _generate(self, messages, stop=None, run_manager=None, **kwargs):
        raise TimeoutError("Request timed out.")


def test_a_model_that_times_out_fails_the_reading_with_a_message_saying_what_to_do():
    reader = PassageReader(ChatModel(TimingOut(), "test", "timing-out", 4096, {}), TEMPLATE)
    with pytest.raises(ReadingFailed, match="^The passage could not be read: The language model") as failed:
        reader.read(PASSAGE)
    assert "letter.pdf" not in str(failed.value)  # kept with a reading other cases share: it names no file


def test_the_schema_allows_only_the_kind_codes_and_the_passages_own_sentence_numbers():
    schema = facts_schema(4)
    fact = schema["properties"]["facts"]["items"]
    assert fact["properties"]["kind"]["enum"] == list(KIND_CODES)
    assert list(KIND_CODES.values()) == list(KINDS) == list(TEMPLATE.sections)
    assert fact["properties"]["sentence"]["enum"] == [1, 2, 3, 4]
    assert set(fact["required"]) == set(fact["properties"]) and fact["additionalProperties"] is False
    assert KINDS == ("event", "decision", "money", "deadline_or_right", "circumstance_or_vulnerability",
                     "contact_or_adjustment", "request", "other")


def test_a_prompt_whose_sections_are_not_the_kinds_is_refused():
    summary = TemplateLibrary(PROJECT_ROOT / "prompts").get("case_summary")
    with pytest.raises(TemplateInvalid, match="fact kinds"):
        PassageReader(make_chat_model(ModelConfig(provider="fake")), summary)


def test_a_passage_with_no_sentences_is_not_sent_to_the_model():
    reading = fake_reader("this answer would be malformed").read(PassageToRead.of(" \n-- \n", "X", "Y", "Z"))
    assert reading.facts == () and reading.output_tokens == 0


@pytest.mark.model
def test_the_small_real_model_answers_in_json_that_follows_the_schema():
    chat = make_chat_model(ModelConfig(provider="llamacpp", model_path=bundled_smollm(), context_tokens=2048,
                                       temperature=0.0))
    schema = facts_schema(3, max_facts=2)
    schema["properties"]["facts"]["minItems"] = 1  # so the grammar must produce a fact, not an empty list
    result = chat.structured([SystemMessage(TEMPLATE.system), HumanMessage(
        "Passage:\n1. On 3 March 2025 we paid you £120.\n2. Reply by 17 March.\n3. Thank you.")], schema,
        max_tokens=300)
    facts = result.data["facts"]
    assert isinstance(facts, list) and 1 <= len(facts) <= 2 and result.output_tokens > 0
    for fact in facts:
        assert set(fact) == {"sentence", "kind"} and fact["kind"] in KIND_CODES and fact["sentence"] in (1, 2, 3)
    assert len(chat.model_id) == 64  # the file's SHA-256, kept beside it for next time


@pytest.mark.model
def test_the_default_model_reads_a_demo_letter_and_finds_its_amount_dates_and_deadline(default_chat):
    from evals.facts import demo_passage
    chat = default_chat
    assert chat.model_id == QWEN_SHA256
    # the overpayment decision's second passage: a table of periods, the total overpaid and the deadline
    # for asking for a mandatory reconsideration
    passage = demo_passage("BR-2025-0203", "2025-03-24_overpayment-decision.pdf", 1)
    reading = PassageReader(chat, TEMPLATE).read(passage)
    accepted = reading.accepted
    assert all(passage.text[f.start:f.end] == f.quote for f in accepted)
    assert any("£1,872.90" in f.quote for f in accepted), reading.facts
    assert any("24 April 2025" in f.quote and f.kind == "deadline_or_right" for f in accepted), reading.facts
    assert any(f.date and f.date in f.quote for f in accepted), reading.facts
