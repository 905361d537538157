"""The chat-model factory: every provider, and every failure a clear message rather than a traceback."""
from __future__ import annotations

from pathlib import Path

import pytest
from langchain_core.messages import HumanMessage, SystemMessage

from summariser.errors import ModelChecksumMismatch, ModelUnavailable, SummariserError
from summariser.drafting.llm import ModelConfig, make_chat_model
from summariser.drafting.model_files import QWEN_FILE, bundled_qwen, bundled_smollm
from tests.conftest import free_port


def test_fake_provider_streams_its_answer():
    chat = make_chat_model(ModelConfig(provider="fake", fake_responses=("Hello [1].",)))
    tokens = []
    assert chat.stream([HumanMessage("hi")], tokens.append) == "Hello [1]." and "".join(tokens) == "Hello [1]."


@pytest.mark.parametrize("config,message", [
    (ModelConfig(provider="openai"), "CASEWORK_OPENAI_API_KEY"),
    (ModelConfig(provider="transformers"), "CASEWORK_LLM_MODEL_PATH"),
    (ModelConfig(provider="transformers", model_path=Path("/no/such/checkpoint")), "CASEWORK_LLM_MODEL_PATH"),
    (ModelConfig(provider="llamacpp", model_path=Path("/no/such/model.gguf")), "does not exist"),
    (ModelConfig(provider="magic"), "Unknown model provider"),
], ids=["openai-no-key", "transformers-no-path", "transformers-missing", "gguf-missing", "unknown"])
def test_misconfiguration_is_a_clear_error(config, message):
    with pytest.raises(ModelUnavailable, match=message):
        make_chat_model(config)


def test_an_unreachable_endpoint_is_a_clear_error_not_a_hang():
    chat = make_chat_model(ModelConfig(provider="openai", openai_base_url=f"http://127.0.0.1:{free_port()}/v1",
                                       timeout_s=5))
    with pytest.raises(SummariserError) as failed:
        chat.stream([HumanMessage("hi")])
    assert "could not be reached" in str(failed.value) or "error" in str(failed.value)


def test_a_model_file_that_fails_its_checksum_is_refused(tmp_path):
    (tmp_path / QWEN_FILE).write_bytes(b"GGUF but not the right bytes")
    with pytest.raises(ModelChecksumMismatch, match="integrity check"):
        bundled_qwen(tmp_path)


@pytest.mark.model
def test_the_small_real_model_streams_tokens():
    chat = make_chat_model(ModelConfig(provider="llamacpp", model_path=bundled_smollm(), max_output_tokens=24,
                                       context_tokens=2048))
    tokens = []
    text = chat.stream([SystemMessage("You are brief."), HumanMessage("Name a colour.")], tokens.append)
    assert len(tokens) > 1 and "".join(tokens) == text and text.strip()
    assert chat.count_tokens("hello world") >= 2
    # repetition is penalised over several bullets, and the audit record says so
    assert chat.model.llama().last_n_tokens_size == chat.parameters["repeat_window"] == 256
    assert chat.parameters["repeat_penalty"] == 1.1


@pytest.mark.model
def test_a_long_prompt_is_read_in_steps_each_of_which_can_stop_the_call():
    """A closed page stops a draft at the page's next update; reading a long prompt updates it at every step, so
    the stop takes effect within a step, not once the whole prompt is read."""
    from summariser.drafting.llm import PROMPT_STEP_TOKENS
    chat = make_chat_model(ModelConfig(provider="llamacpp", model_path=bundled_smollm(), max_output_tokens=8,
                                       context_tokens=2048))
    record = "On 3 March 2025 Mrs Harrowby phoned about her rent arrears of £1,872.90. " * 30
    steps = []
    assert chat.stream([HumanMessage(record + "Summarise.")], on_reading=lambda *step: steps.append(step)).strip()
    total = steps[0][1]
    assert total > 2 * PROMPT_STEP_TOKENS
    assert steps == [(done, total) for done in range(0, total, PROMPT_STEP_TOKENS)]

    class PageClosed(BaseException):  # as Streamlit's own stop is
        pass

    def close_after_the_first_step(done: int, _total: int) -> None:
        if done:
            raise PageClosed()
    with pytest.raises(PageClosed):
        chat.stream([HumanMessage("Another record. " + record)], on_reading=close_after_the_first_step)
    assert chat.stream([HumanMessage("Name a colour.")]).strip()  # the model is free for the next call


def test_a_fake_model_answer_is_parsed_as_json_and_junk_is_none():
    from summariser.drafting.llm import parse_json
    chat = make_chat_model(ModelConfig(provider="fake", fake_responses=('```json\n{"a": [1]}\n```', "not json")))
    first, second = chat.structured([HumanMessage("hi")], {"type": "object"}), chat.structured([HumanMessage("hi")], {})
    assert (first.data, second.data, second.text) == ({"a": [1]}, None, "not json")
    assert first.output_tokens > 0 and parse_json("[1, 2]") == [1, 2]


def test_a_model_is_known_by_its_file_checksum_or_provider_and_name(tmp_path):
    from summariser.drafting.llm import ChatModel, gguf_identity
    from summariser.drafting.model_files import sha256_of
    assert make_chat_model(ModelConfig(provider="fake")).model_id == "fake:fake-list"
    weights = tmp_path / "model.gguf"
    weights.write_bytes(b"GGUF weights")
    chat = ChatModel(make_chat_model(ModelConfig(provider="fake")).model, "llamacpp", "model.gguf", 2048, {},
                     model_file=weights)
    assert chat.model_id == sha256_of(weights) and (tmp_path / "model.gguf.sha256").exists()
    weights.write_bytes(b"other GGUF weights")  # changed file: its kept checksum is not trusted
    assert gguf_identity(weights) == sha256_of(weights) != chat.model_id


def test_an_unreachable_endpoint_fails_a_structured_answer_clearly():
    chat = make_chat_model(ModelConfig(provider="openai", openai_base_url=f"http://127.0.0.1:{free_port()}/v1",
                                       timeout_s=5))
    with pytest.raises(SummariserError, match="could not be reached|error"):
        chat.structured([HumanMessage("hi")], {"type": "object", "properties": {}, "required": [],
                                               "additionalProperties": False})
