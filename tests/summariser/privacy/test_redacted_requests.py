"""Which models get placeholders (the setting), and the chat-model boundary: what a model receives and what its
callers get back, for streamed and structured answers alike."""
from __future__ import annotations

import json
from typing import Any, Iterator

import pytest
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, AIMessageChunk, HumanMessage, SystemMessage
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult
from pydantic import Field

from summariser.drafting.llm import ChatModel, ModelConfig, make_chat_model
from summariser.privacy.policy import is_loopback, redaction_needed
from summariser.privacy.pseudonyms import Pseudonyms, redaction_scope
from tests.summariser.privacy.test_pseudonyms import FINDER, NOTE, ListFinder


@pytest.mark.parametrize("url,loopback", [
    (None, False), ("https://api.openai.com/v1", False), ("https://myorg.openai.azure.com/", False),
    ("http://10.0.0.5:8000/v1", False), ("http://vllm.internal:8000/v1", False), ("http://127.0.0.1:8080/v1", True),
    ("http://127.1.2.3/v1", True), ("http://localhost:8000/v1", True), ("http://[::1]:8000/v1", True),
    ("http://localhost.evil.example.com/v1", False), ("http://127.0.0.1.nip.io/v1", False),
])
def test_only_this_machine_counts_as_loopback(url, loopback):
    assert is_loopback(url) is loopback


@pytest.mark.parametrize("mode,provider,url,needed", [
    ("auto", "openai", None, True), ("auto", "openai", "https://x.openai.azure.com/", True),
    ("auto", "openai", "http://10.1.1.1:8000/v1", True), ("auto", "openai", "http://127.0.0.1:8000/v1", False),
    ("auto", "llamacpp", None, False), ("auto", "transformers", None, False),
    ("always", "openai", "http://127.0.0.1:8000/v1", True), ("always", "llamacpp", None, True),
    ("never", "openai", None, False),
])
def test_the_setting_decides_which_models_get_placeholders(mode, provider, url, needed):
    assert redaction_needed(mode, provider, url) is needed


@pytest.mark.parametrize("config,redacted", [
    (ModelConfig(provider="openai", openai_api_key="k"), True),
    (ModelConfig(provider="openai", openai_base_url="http://127.0.0.1:9/v1"), False),
    (ModelConfig(provider="openai", openai_base_url="http://127.0.0.1:9/v1", redact_personal_data="always"), True),
    (ModelConfig(provider="openai", openai_api_key="k", redact_personal_data="never"), False),
    (ModelConfig(provider="fake"), False), (ModelConfig(provider="fake", redact_personal_data="always"), True),
], ids=["openai", "loopback", "loopback-always", "openai-never", "fake", "fake-always"])
def test_the_factory_gives_a_redactor_to_the_models_that_need_one(config, redacted):
    assert (make_chat_model(config).redactor is not None) is redacted


class RecordingChat(BaseChatModel):
    """Records what it is sent and answers with `reply(messages)`, streamed a few characters at a time."""

    reply: Any
    received: list = Field(default_factory=list)

    @property
    def _llm_type(self) -> str:
        return "recording"

    def _generate(self, messages, stop=None, run_manager=None, **kwargs) -> ChatResult:
        self.received.append([m.content for m in messages])
        return ChatResult(generations=[ChatGeneration(message=AIMessage(content=self.reply(messages)))])

    def _stream(self, messages, stop=None, run_manager=None, **kwargs) -> Iterator[ChatGenerationChunk]:
        self.received.append([m.content for m in messages])
        text = self.reply(messages)
        for at in range(0, len(text), 3):
            yield ChatGenerationChunk(message=AIMessageChunk(content=text[at:at + 3]))


def chat_with(reply, redacting: bool = True, finder=FINDER) -> tuple[ChatModel, RecordingChat]:
    model = RecordingChat(reply=reply)
    return ChatModel(model, "recording", "recording", 8192, {}, redactor=(lambda: finder) if redacting else None), model


def test_instructions_are_searched_only_for_what_the_records_held():
    finder = ListFinder(**{"Markdown": "PERSON", "Denise Harrowby": "PERSON"})
    chat, model = chat_with(lambda messages: "ok", finder=finder)
    chat.stream([SystemMessage("Write Markdown. Never call Denise Harrowby by her first name."),
                 HumanMessage("Denise Harrowby phoned.")])
    system, user = model.received[0]
    assert system.startswith("Write Markdown. Never call PERSON_1 by her first name.") and user == "PERSON_1 phoned."


def test_a_streamed_answer_is_restored_and_the_model_saw_only_placeholders():
    chat, model = chat_with(lambda messages: "PERSON_1 (NINO_1) phoned PERSON_2.")
    tokens = []
    text = chat.stream([SystemMessage("Summarise."), HumanMessage(NOTE)], tokens.append)
    assert text == "".join(tokens) == "Denise Harrowby (QQ 17 69 03 D) phoned Gareth Pryce."
    sent = json.dumps(model.received)
    assert not any(v in sent for v in ("Denise", "Harrowby", "QQ 17 69 03 D", "KX1 5PB", "Gareth", "Pryce"))
    assert "PERSON_1 (NI NINO_1)" in sent and "placeholders" in model.received[0][0]  # told what they are


def test_a_structured_answer_is_restored_in_its_data_and_its_text():
    answer = {"facts": [{"sentences": [1], "kind": "event", "date": None, "wording": "PERSON_1 rang from POSTCODE_1"}]}
    chat, model = chat_with(lambda messages: json.dumps(answer))
    result = chat.structured([HumanMessage(NOTE)], {"type": "object"})
    assert result.data["facts"][0]["wording"] == "Denise Harrowby rang from KX1 5PB"
    assert "Denise Harrowby rang from KX1 5PB" in result.text
    assert "Harrowby" not in json.dumps(model.received)


def test_requests_of_one_draft_share_placeholders_and_report_what_was_hidden():
    chat, model = chat_with(lambda messages: "PERSON_2 [1].")
    draft = Pseudonyms()
    with redaction_scope(draft):
        notes = chat.stream([HumanMessage(NOTE)])
        summary = chat.stream([HumanMessage(f"Notes: {notes}\nAlso: Gareth Pryce.")])
    assert notes == summary == "Gareth Pryce [1]."
    assert model.received[1][-1].endswith("Notes: PERSON_2 [1].\nAlso: PERSON_2.")
    assert draft.audit() == {"ran": True, "counts": {"NINO": 1, "PERSON": 2, "POSTCODE": 1}}


def test_a_model_that_may_see_the_data_gets_it_unchanged():
    chat, model = chat_with(lambda messages: "Denise Harrowby phoned.", redacting=False)
    draft = Pseudonyms()
    with redaction_scope(draft):
        assert chat.stream([HumanMessage(NOTE)]) == "Denise Harrowby phoned."
    assert model.received == [[NOTE]] and draft.audit() == {"ran": False, "counts": {}}
