"""Chat models behind one factory: the ONLY module that imports llama-cpp, langchain-openai or transformers.

Providers: ``llamacpp`` (default, the bundled Qwen2.5 GGUF), ``openai``
(OpenAI, Azure OpenAI or any OpenAI-compatible base_url such as vLLM or
llama.cpp's server), ``transformers`` (a local checkpoint; a GGUF path is run
with llama.cpp) and ``fake`` (unit tests). Every model streams tokens, and
every failure becomes a SummariserError with a message a user can act on.
"""
from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator

from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult
from pydantic import PrivateAttr

from summariser.errors import ModelFailed, ModelTimeout, ModelUnavailable, SummariserError
from summariser.drafting.model_files import bundled_qwen


@dataclass(frozen=True)
class ModelConfig:
    provider: str = "llamacpp"
    model_path: Path | None = None
    cache_dir: Path = Path("data/models")
    context_tokens: int = 8192
    max_output_tokens: int = 900
    temperature: float = 0.1
    timeout_s: float = 900.0
    threads: int = 2
    openai_base_url: str | None = None
    openai_api_key: str | None = None
    openai_model: str = "gpt-4o-mini"
    openai_api_version: str | None = None
    fake_responses: tuple[str, ...] = field(default=())


@dataclass
class ChatModel:
    """A LangChain chat model plus what the audit log must record about it."""

    model: BaseChatModel
    provider: str
    name: str
    context_tokens: int
    parameters: dict

    def count_tokens(self, text: str) -> int:
        counter = getattr(self.model, "count_tokens", None)
        return counter(text) if counter else max(1, len(text) // 3)

    def stream(self, messages: list[BaseMessage], on_token: Callable[[str], None] | None = None,
               max_tokens: int | None = None) -> str:
        """Generate an answer, passing each token on as it arrives; any failure becomes a SummariserError."""
        parts = []
        options = {"max_tokens": max_tokens} if max_tokens else {}
        try:
            for chunk in self.model.stream(messages, **options):
                text = chunk.content if isinstance(chunk.content, str) else ""
                if text:
                    parts.append(text)
                    if on_token:
                        on_token(text)
        except SummariserError:
            raise
        except Exception as error:
            if "timeout" in type(error).__name__.lower() or "timed out" in str(error).lower():
                raise ModelTimeout() from error
            if "connection" in type(error).__name__.lower():
                raise ModelUnavailable(f"The model endpoint could not be reached ({error}). Check "
                                       "CASEWORK_OPENAI_BASE_URL and that the server is running.") from error
            raise ModelFailed(f"The language model returned an error ({error}). Try again.") from error
        return "".join(parts)


def _role(message: BaseMessage) -> str:
    return {"human": "user", "ai": "assistant", "system": "system"}.get(message.type, "user")


REPEAT_PENALTY, REPEAT_WINDOW = 1.1, 256


class LlamaCppChat(BaseChatModel):
    """llama-cpp-python as a streaming LangChain chat model; one generation at a time per model."""

    model_path: str
    context_tokens: int = 8192
    max_output_tokens: int = 900
    temperature: float = 0.1
    timeout_s: float = 900.0
    threads: int = 2
    # llama-cpp-python's chat completion applies no repetition penalty, and its window is the last 64 tokens;
    # near-greedy decoding by a small model then loops, writing one bullet again and again under [1], [2], [3]...
    # A penalty over the last 256 tokens (a few bullets) stopped that on the demo cases; 512 made it stop early.
    repeat_penalty: float = REPEAT_PENALTY
    repeat_window: int = REPEAT_WINDOW
    _llama: Any = PrivateAttr(default=None)
    _lock: Any = PrivateAttr(default_factory=threading.Lock)

    @property
    def _llm_type(self) -> str:
        return "llamacpp"

    def llama(self):
        if self._llama is None:
            try:
                from llama_cpp import Llama
            except ImportError as error:
                raise ModelUnavailable("llama-cpp-python is not installed. Run 'make run' to install the "
                                       "requirements.") from error
            try:
                self._llama = Llama(model_path=self.model_path, n_ctx=self.context_tokens,
                                    last_n_tokens_size=self.repeat_window,
                                    n_threads=self.threads, n_batch=512, verbose=False)
            except Exception as error:
                raise ModelUnavailable(f"The model file {self.model_path} could not be loaded ({error}).") from error
        return self._llama

    def count_tokens(self, text: str) -> int:
        return len(self.llama().tokenize(text.encode("utf-8"), add_bos=False, special=True))

    def _stream(self, messages: list[BaseMessage], stop: list[str] | None = None,
                run_manager: CallbackManagerForLLMRun | None = None, **kwargs: Any) -> Iterator[ChatGenerationChunk]:
        llama = self.llama()
        started = time.monotonic()
        with self._lock:
            try:
                stream = llama.create_chat_completion(
                    messages=[{"role": _role(m), "content": m.content} for m in messages],
                    max_tokens=kwargs.get("max_tokens", self.max_output_tokens),
                    temperature=self.temperature, repeat_penalty=self.repeat_penalty, stop=stop, stream=True)
                for part in stream:
                    if time.monotonic() - started > self.timeout_s:
                        raise ModelTimeout()
                    text = part["choices"][0]["delta"].get("content")
                    if text:
                        chunk = ChatGenerationChunk(message=AIMessageChunk(content=text))
                        if run_manager:
                            run_manager.on_llm_new_token(text, chunk=chunk)
                        yield chunk
            except (ModelTimeout, ModelUnavailable):
                raise
            except Exception as error:
                raise ModelFailed(f"The language model stopped with an error ({error}). Try again.") from error

    def _generate(self, messages: list[BaseMessage], stop: list[str] | None = None,
                  run_manager: CallbackManagerForLLMRun | None = None, **kwargs: Any) -> ChatResult:
        text = "".join(c.message.content for c in self._stream(messages, stop, run_manager, **kwargs))
        return ChatResult(generations=[ChatGeneration(message=AIMessage(content=text))])


class TransformersChat(BaseChatModel):
    """A local Hugging Face checkpoint (never downloaded) as a streaming chat model."""

    model_path: str
    max_output_tokens: int = 900
    temperature: float = 0.1
    _pipe: Any = PrivateAttr(default=None)

    @property
    def _llm_type(self) -> str:
        return "transformers"

    def _load(self):
        if self._pipe is None:
            from transformers import AutoModelForCausalLM, AutoTokenizer
            try:
                tokenizer = AutoTokenizer.from_pretrained(self.model_path, local_files_only=True)
                model = AutoModelForCausalLM.from_pretrained(self.model_path, local_files_only=True)
            except Exception as error:
                raise ModelUnavailable(f"The checkpoint at {self.model_path} could not be loaded ({error}).") from error
            self._pipe = (tokenizer, model)
        return self._pipe

    def count_tokens(self, text: str) -> int:
        return len(self._load()[0].encode(text))

    def _stream(self, messages, stop=None, run_manager=None, **kwargs) -> Iterator[ChatGenerationChunk]:
        from transformers import TextIteratorStreamer
        tokenizer, model = self._load()
        prompt = tokenizer.apply_chat_template([{"role": _role(m), "content": m.content} for m in messages],
                                               add_generation_prompt=True, return_tensors="pt", return_dict=True)
        streamer = TextIteratorStreamer(tokenizer, skip_prompt=True, skip_special_tokens=True)
        options = dict(**prompt, streamer=streamer, max_new_tokens=self.max_output_tokens,
                       do_sample=self.temperature > 0, temperature=self.temperature or None)
        worker = threading.Thread(target=model.generate, kwargs=options, daemon=True)
        worker.start()
        for text in streamer:
            if text:
                chunk = ChatGenerationChunk(message=AIMessageChunk(content=text))
                if run_manager:
                    run_manager.on_llm_new_token(text, chunk=chunk)
                yield chunk
        worker.join()

    def _generate(self, messages, stop=None, run_manager=None, **kwargs) -> ChatResult:
        text = "".join(c.message.content for c in self._stream(messages, stop, run_manager, **kwargs))
        return ChatResult(generations=[ChatGeneration(message=AIMessage(content=text))])


def make_chat_model(config: ModelConfig) -> ChatModel:
    """Build the configured chat model; loading weights is deferred to the first draft."""
    params = {"temperature": config.temperature, "max_output_tokens": config.max_output_tokens}
    if config.provider == "llamacpp" or (config.provider == "transformers" and config.model_path
                                         and str(config.model_path).endswith(".gguf")):
        path = config.model_path or bundled_qwen(config.cache_dir)
        if not Path(path).is_file():
            raise ModelUnavailable(f"The model file {path} does not exist. Check CASEWORK_LLM_MODEL_PATH.")
        model = LlamaCppChat(model_path=str(path), context_tokens=config.context_tokens,
                             max_output_tokens=config.max_output_tokens, temperature=config.temperature,
                             timeout_s=config.timeout_s, threads=config.threads)
        return ChatModel(model, "llamacpp", Path(path).name, config.context_tokens,
                         params | {"context_tokens": config.context_tokens, "threads": config.threads,
                                   "repeat_penalty": REPEAT_PENALTY, "repeat_window": REPEAT_WINDOW})
    if config.provider == "transformers":
        if not config.model_path or not Path(config.model_path).exists():
            raise ModelUnavailable("Set CASEWORK_LLM_MODEL_PATH to a local checkpoint folder for the "
                                   "transformers provider; nothing is downloaded.")
        model = TransformersChat(model_path=str(config.model_path), max_output_tokens=config.max_output_tokens,
                                 temperature=config.temperature)
        return ChatModel(model, "transformers", Path(config.model_path).name, config.context_tokens, params)
    if config.provider == "openai":
        return _openai(config, params)
    if config.provider == "fake":
        from langchain_core.language_models import FakeListChatModel
        model = FakeListChatModel(responses=list(config.fake_responses) or ["No summary."])
        return ChatModel(model, "fake", "fake-list", config.context_tokens, params)
    raise ModelUnavailable(f"Unknown model provider '{config.provider}'. Use llamacpp, openai, transformers or fake.")


def _openai(config: ModelConfig, params: dict) -> ChatModel:
    from langchain_openai import AzureChatOpenAI, ChatOpenAI
    # A self-hosted server (vLLM, llama.cpp) needs no real key, but the client insists on one.
    key = config.openai_api_key or ("not-needed" if config.openai_base_url else None)
    if not key:
        raise ModelUnavailable("The openai provider needs CASEWORK_OPENAI_API_KEY, or "
                               "CASEWORK_OPENAI_BASE_URL for a self-hosted server.")
    common = dict(api_key=key, temperature=config.temperature, max_tokens=config.max_output_tokens,
                  timeout=config.timeout_s, max_retries=1, streaming=True)
    if config.openai_api_version:
        model = AzureChatOpenAI(azure_endpoint=config.openai_base_url, api_version=config.openai_api_version,
                                azure_deployment=config.openai_model, **common)
    else:
        model = ChatOpenAI(model=config.openai_model, base_url=config.openai_base_url, **common)
    return ChatModel(model, "openai", config.openai_model, config.context_tokens,
                     params | {"base_url": config.openai_base_url or "https://api.openai.com/v1"})
