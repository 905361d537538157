"""Chat models behind one factory: the ONLY module that imports llama-cpp, langchain-openai or transformers.

Providers: ``llamacpp`` (default, the bundled Qwen2.5 GGUF), ``openai``
(OpenAI, Azure OpenAI or any OpenAI-compatible base_url such as vLLM or
llama.cpp's server), ``transformers`` (a local checkpoint; a GGUF path is run
with llama.cpp) and ``fake`` (unit tests). Every model streams tokens, and
every failure becomes a SummariserError with a message a user can act on.

`ChatModel.structured` asks for JSON that follows a schema; the runtime
constrains the output (llama.cpp's grammar from the schema, OpenAI's strict
structured outputs) so it parses. `ChatModel.model_id` names the exact model
(a GGUF's SHA-256), because facts read by one model are stored under it.

A model outside this machine (summariser/privacy/policy.py) gets a `redactor`: every request made through
`structured` or `stream`, by whichever caller, has its personal data replaced by placeholders first, and the
answer (streamed tokens and parsed JSON alike) has them put back, so nothing above this boundary sees either.
"""
from __future__ import annotations

import functools
import json
import re
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator

from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage, SystemMessage
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult
from pydantic import PrivateAttr

from summariser.errors import ModelFailed, ModelTimeout, ModelUnavailable, SummariserError
from summariser.drafting.model_files import QWEN_SHA256, bundled_qwen, sha256_of
from summariser.privacy.errors import RedactionUnavailable
from summariser.privacy.policy import RedactMode, redaction_needed
from summariser.privacy.pseudonyms import NOTE, NOTHING_NEW, Finder, Pseudonyms, current_pseudonyms


# Told (tokens read so far, tokens to read) before each step of reading a prompt; raising stops the call.
OnReading = Callable[[int, int], None]


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
    prompt_cache: bool = True  # llamacpp: reuse the evaluated prompt prefix (fixed instructions) between calls
    redact_personal_data: RedactMode = "auto"  # see summariser/privacy/policy.py


@dataclass(frozen=True)
class StructuredAnswer:
    """What a schema-constrained call returned: the parsed JSON (None if the text was not JSON, which a
    model without a constraining runtime may do), the text itself, and what it cost."""

    data: Any
    text: str
    output_tokens: int


def _failure(error: Exception) -> SummariserError:
    """Any runtime or client error as a SummariserError a user can act on."""
    if isinstance(error, SummariserError):
        return error
    if "timeout" in type(error).__name__.lower() or "timed out" in str(error).lower():
        return ModelTimeout()
    if "connection" in type(error).__name__.lower():
        return ModelUnavailable(f"The model endpoint could not be reached ({error}). Check "
                                "CASEWORK_OPENAI_BASE_URL and that the server is running.")
    return ModelFailed(f"The language model returned an error ({error}). Try again.")


def parse_json(text: str) -> Any:
    """The JSON value in a model's answer (a ```json fence is allowed), or None."""
    bare = re.sub(r"^\s*```(?:json)?\s*|\s*```\s*$", "", text)
    try:
        return json.loads(bare)
    except ValueError:
        return None


def gguf_identity(path: Path) -> str:
    """A GGUF's SHA-256, computed once and kept beside the file (<file>.sha256 with its size and mtime),
    since hashing a gigabyte takes seconds and the identity is needed for every stored reading."""
    path = Path(path)
    stat = path.stat()
    stamp = f"{stat.st_size} {stat.st_mtime_ns}"
    sidecar = path.with_name(path.name + ".sha256")
    try:
        digest, kept = sidecar.read_text().split(" ", 1)
        if kept.strip() == stamp and re.fullmatch(r"[0-9a-f]{64}", digest):
            return digest
    except (OSError, ValueError):
        pass
    digest = sha256_of(path)
    try:
        sidecar.write_text(f"{digest} {stamp}\n")
    except OSError:  # a read-only model folder: hash again next time
        pass
    return digest


@dataclass
class ChatModel:
    """A LangChain chat model plus what the audit log must record about it."""

    model: BaseChatModel
    provider: str
    name: str
    context_tokens: int
    parameters: dict
    model_file: Path | None = None  # a local weights file: its checksum is the model's identity
    known_sha256: str | None = None  # that checksum, when already verified (the bundled model)
    redactor: Callable[[], Finder] | None = None  # set: requests carry placeholders, never personal data
    self_hosted: bool = False  # an OpenAI-compatible server of ours (vLLM, llama.cpp), not OpenAI or Azure
    schema_as_json_object: bool = False  # set once the server refused the json_schema response format

    def _protect(self, messages: list[BaseMessage]) -> tuple[list[BaseMessage], Pseudonyms | None]:
        """The messages as this model may see them, and the placeholders to put back in its answer (None when
        it may see them as they are). Placeholders are shared by every request of one draft."""
        if self.redactor is None:
            return messages, None
        finder, pseudonyms = self.redactor(), current_pseudonyms()
        if any(not isinstance(m.content, str) for m in messages):
            raise RedactionUnavailable("A request held content other than text, which cannot be redacted; "
                                       "nothing was sent to the language model.")
        # A system part is the template's instructions (templates put records in the user part): searching it
        # would hide words like "Markdown", so only what was hidden elsewhere, or the case's person, is hidden.
        redacted = {i: pseudonyms.redact(m.content, finder) for i, m in enumerate(messages) if m.type != "system"}
        redacted |= {i: pseudonyms.redact(m.content, NOTHING_NEW) for i, m in enumerate(messages) if m.type == "system"}
        protected = [m.model_copy(update={"content": redacted[i]}) for i, m in enumerate(messages)]
        system = next((i for i, m in enumerate(protected) if m.type == "system"), None)
        if system is None:
            protected.insert(0, SystemMessage(NOTE))
        else:
            protected[system] = protected[system].model_copy(
                update={"content": f"{protected[system].content}\n\n{NOTE}"})
        return protected, pseudonyms

    @functools.cached_property
    def model_id(self) -> str:
        """The model's identity for keying stored facts: a weights file's SHA-256, else provider:name."""
        if self.known_sha256:
            return self.known_sha256
        if self.model_file is not None and Path(self.model_file).is_file():
            return gguf_identity(Path(self.model_file))
        return f"{self.provider}:{self.name}"

    def structured(self, messages: list[BaseMessage], schema: dict, max_tokens: int | None = None,
                   name: str = "answer", on_reading: OnReading | None = None) -> StructuredAnswer:
        """An answer constrained to JSON following `schema`. llama.cpp compiles the schema into a grammar and
        OpenAI enforces it (strict), so their answers always parse unless cut off at max_tokens; other
        providers are asked and their answer parsed. Failures and timeouts raise SummariserErrors.
        `on_reading` is told how far a local model has read the prompt (see OnReading)."""
        messages, pseudonyms = self._protect(messages)
        answer = self._structured(messages, schema, max_tokens, name, on_reading)
        if pseudonyms is None:
            return answer
        return StructuredAnswer(pseudonyms.restore_data(answer.data), pseudonyms.restore(answer.text),
                                answer.output_tokens)

    def _structured(self, messages: list[BaseMessage], schema: dict, max_tokens: int | None,
                    name: str, on_reading: OnReading | None) -> StructuredAnswer:
        try:
            if isinstance(self.model, LlamaCppChat):
                text = self.model.complete_json(messages, schema, max_tokens, on_reading)
                return StructuredAnswer(parse_json(text), text, self.count_tokens(text) if text else 0)
            if self.provider == "openai" and not self.schema_as_json_object:
                bound = self.model.with_structured_output(
                    {"name": name, "schema": schema, "strict": True}, method="json_schema", strict=True,
                    include_raw=True)
                try:
                    result = bound.invoke(messages, **self._limits(max_tokens))
                except Exception as error:
                    if not (self.self_hosted and _refused_json_schema(error)):
                        raise
                    self.schema_as_json_object = True  # llama.cpp's server: see below
                else:
                    raw = result["raw"]
                    text = raw.content if isinstance(raw.content, str) else json.dumps(result["parsed"])
                    usage = getattr(raw, "usage_metadata", None) or {}
                    return StructuredAnswer(result["parsed"], text,
                                            usage.get("output_tokens") or self.count_tokens(text))
            if self.provider == "openai":  # llama.cpp's server takes the schema this way and compiles a grammar
                answer = self.model.invoke(messages, response_format={"type": "json_object", "schema": schema},
                                           **self._limits(max_tokens))
            else:
                answer = self.model.invoke(messages, **self._limits(max_tokens))
        except SummariserError:
            raise
        except Exception as error:
            raise _failure(error) from error
        text = answer.content if isinstance(answer.content, str) else ""
        return StructuredAnswer(parse_json(text), text, self.count_tokens(text) if text else 0)

    def _limits(self, max_tokens: int | None) -> dict:
        """A call's output limit. langchain-openai sends it as `max_completion_tokens`, which llama.cpp's server
        ignores (it then writes until the context is full), so a self-hosted server also gets the older
        `max_tokens`, which vLLM and llama.cpp both read."""
        options = {"max_tokens": max_tokens} if max_tokens else {}
        if self.self_hosted:
            options["extra_body"] = {"max_tokens": max_tokens or self.parameters["max_output_tokens"]}
        return options

    def count_tokens(self, text: str) -> int:
        counter = getattr(self.model, "count_tokens", None)
        return counter(text) if counter else max(1, len(text) // 3)

    def stream(self, messages: list[BaseMessage], on_token: Callable[[str], None] | None = None,
               max_tokens: int | None = None, on_reading: OnReading | None = None) -> str:
        """Generate an answer, passing each token on as it arrives; any failure becomes a SummariserError.
        Placeholders are put back as the tokens arrive (a token that may begin one waits for the next).
        `on_reading` is told how far a local model has read the prompt (see OnReading)."""
        parts = []
        options = self._limits(max_tokens) | ({"on_reading": on_reading}
                                              if on_reading and isinstance(self.model, LlamaCppChat) else {})
        messages, pseudonyms = self._protect(messages)
        restorer = pseudonyms.restorer() if pseudonyms else None

        def emit(text: str) -> None:
            if text:
                parts.append(text)
                if on_token:
                    on_token(text)
        try:
            for chunk in self.model.stream(messages, **options):
                text = chunk.content if isinstance(chunk.content, str) else ""
                emit(restorer.feed(text) if restorer else text)
        except SummariserError:
            raise
        except Exception as error:
            raise _failure(error) from error
        if restorer:
            emit(restorer.flush())
        return "".join(parts)


def _role(message: BaseMessage) -> str:
    return {"human": "user", "ai": "assistant", "system": "system"}.get(message.type, "user")


REPEAT_PENALTY, REPEAT_WINDOW = 1.1, 256
PROMPT_STEP_TOKENS = 256  # a prompt is read this many tokens at a time, telling on_reading before each step


def _llama_class():
    """llama-cpp-python's Llama, reading a long prompt a step at a time and telling `on_reading` before each
    step. Why: reading a case's records takes minutes on a CPU with no token written, and a closed page only
    stops the draft when the page is next updated; each step is such an update (a progress line), so the page's
    stop takes effect within a step, not after the whole prompt. The steps are what Llama.eval does anyway, one
    batch after another; the answer's tokens, one at a time, are not reported."""
    from llama_cpp import Llama

    class SteppedLlama(Llama):
        on_reading: OnReading | None = None

        def eval(self, tokens):
            if self.on_reading is None or len(tokens) <= 1:
                return super().eval(tokens)
            step = min(self.n_batch, PROMPT_STEP_TOKENS)
            for start in range(0, len(tokens), step):
                self.on_reading(start, len(tokens))
                super().eval(tokens[start:start + step])
    return SteppedLlama


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
    # Keep the evaluated prompt between calls: a new prompt starting with the same fixed instructions only
    # evaluates what follows them (bench/reading.py measures it on and off). Off: every call evaluates its
    # whole prompt. prompt_cache_bytes > 0 adds a LlamaRAMCache, which also keeps that state across an
    # unrelated call in between, at the cost of a saved model state per call; a reading worker reads
    # passage after passage, so it does not need one.
    prompt_cache: bool = True
    prompt_cache_bytes: int = 0
    _llama: Any = PrivateAttr(default=None)
    _lock: Any = PrivateAttr(default_factory=threading.Lock)

    @property
    def _llm_type(self) -> str:
        return "llamacpp"

    def llama(self):
        if self._llama is None:
            try:
                llama_class = _llama_class()
            except ImportError as error:
                raise ModelUnavailable("llama-cpp-python is not installed. Run 'make run' to install the "
                                       "requirements.") from error
            try:
                self._llama = llama_class(model_path=self.model_path, n_ctx=self.context_tokens,
                                          last_n_tokens_size=self.repeat_window,
                                          n_threads=self.threads, n_batch=512, verbose=False)
            except Exception as error:
                raise ModelUnavailable(f"The model file {self.model_path} could not be loaded ({error}).") from error
            if self.prompt_cache and self.prompt_cache_bytes:
                from llama_cpp import LlamaRAMCache
                self._llama.set_cache(LlamaRAMCache(capacity_bytes=self.prompt_cache_bytes))
        return self._llama

    def _completion(self, messages: list[BaseMessage], max_tokens: int | None, stop: list[str] | None = None,
                    on_reading: OnReading | None = None, **options: Any) -> Iterator[str]:
        """The answer's text pieces as llama.cpp generates them, within timeout_s; the caller holds the lock."""
        llama = self.llama()
        started = time.monotonic()
        if not self.prompt_cache:
            llama.reset()  # forget the last prompt, so none of it is reused
        llama.on_reading = on_reading
        try:
            stream = llama.create_chat_completion(
                messages=[{"role": _role(m), "content": m.content} for m in messages],
                max_tokens=max_tokens or self.max_output_tokens, temperature=self.temperature,
                repeat_penalty=self.repeat_penalty, stop=stop, stream=True, **options)
            for part in stream:
                if time.monotonic() - started > self.timeout_s:
                    raise ModelTimeout()
                text = part["choices"][0]["delta"].get("content")
                if text:
                    yield text
        finally:
            llama.on_reading = None

    def complete_json(self, messages: list[BaseMessage], schema: dict, max_tokens: int | None = None,
                      on_reading: OnReading | None = None) -> str:
        """An answer constrained by a grammar compiled from the JSON schema, so it always parses (unless it is
        cut off at max_tokens)."""
        with self._lock:
            try:
                return "".join(self._completion(messages, max_tokens, on_reading=on_reading, response_format={
                    "type": "json_object", "schema": schema}))
            except (ModelTimeout, ModelUnavailable):
                raise
            except Exception as error:
                raise ModelFailed(f"The language model stopped with an error ({error}). Try again.") from error

    def count_tokens(self, text: str) -> int:
        return len(self.llama().tokenize(text.encode("utf-8"), add_bos=False, special=True))

    def _stream(self, messages: list[BaseMessage], stop: list[str] | None = None,
                run_manager: CallbackManagerForLLMRun | None = None, **kwargs: Any) -> Iterator[ChatGenerationChunk]:
        with self._lock:
            try:
                for text in self._completion(messages, kwargs.get("max_tokens"), stop, kwargs.get("on_reading")):
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
    """Build the configured chat model; loading weights is deferred to the first draft. A model that must not
    see personal data gets a redactor (loaded on its first request)."""
    chat = _chat_model(config)
    if redaction_needed(config.redact_personal_data, config.provider, config.openai_base_url):
        chat.redactor = _detector
    return chat


def _detector() -> Finder:
    """The process's personal-data detector (spaCy and Presidio load once, on the first redacted request)."""
    try:
        from summariser.privacy.detector import default_detector
    except ImportError as error:
        raise RedactionUnavailable(f"Personal data cannot be redacted because {error.name} is not installed, so "
                                   "nothing was sent to the language model. Run 'make run' to install the "
                                   "requirements.") from error
    return default_detector()


def _chat_model(config: ModelConfig) -> ChatModel:
    params = {"temperature": config.temperature, "max_output_tokens": config.max_output_tokens}
    if config.provider == "llamacpp" or (config.provider == "transformers" and config.model_path
                                         and str(config.model_path).endswith(".gguf")):
        path = config.model_path or bundled_qwen(config.cache_dir)
        if not Path(path).is_file():
            raise ModelUnavailable(f"The model file {path} does not exist. Check CASEWORK_LLM_MODEL_PATH.")
        model = LlamaCppChat(model_path=str(path), context_tokens=config.context_tokens,
                             max_output_tokens=config.max_output_tokens, temperature=config.temperature,
                             timeout_s=config.timeout_s, threads=config.threads, prompt_cache=config.prompt_cache)
        return ChatModel(model, "llamacpp", Path(path).name, config.context_tokens,
                         params | {"context_tokens": config.context_tokens, "threads": config.threads,
                                   "repeat_penalty": REPEAT_PENALTY, "repeat_window": REPEAT_WINDOW},
                         model_file=Path(path),
                         known_sha256=QWEN_SHA256 if config.model_path is None else None)  # bundled_qwen checked it
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
    self_hosted = bool(config.openai_base_url) and not config.openai_api_version \
        and "api.openai.com" not in config.openai_base_url
    return ChatModel(model, "openai", config.openai_model, config.context_tokens,
                     params | {"base_url": config.openai_base_url or "https://api.openai.com/v1"},
                     self_hosted=self_hosted)


def _refused_json_schema(error: Exception) -> bool:
    """Whether the server answered the json_schema response format with an error naming it (llama.cpp's server
    fails on it with a 500 and its traceback), rather than failing some other way: a timeout, a lost connection,
    or an answer that does not parse, after which the format is kept."""
    import openai
    return isinstance(error, openai.APIStatusError) and "json_schema" in str(error)
