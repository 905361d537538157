"""The one place configuration is read: built once, frozen, passed down.

Every field is documented in the README's configuration table. Secrets come
only from the environment (or Streamlit's secrets, which the app copies into
the environment), never from files in the repository.
"""
from __future__ import annotations

import math
from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CASEWORK_", frozen=True, extra="ignore", populate_by_name=True)

    data_dir: Path = Field(PROJECT_ROOT / "data", description="Folder for the SQLite file, the Chroma index and the assembled model.")
    database_url: str | None = Field(
        None,
        validation_alias=AliasChoices("DATABASE_URL", "CASEWORK_DATABASE_URL"),
        description="SQLAlchemy URL for records and audit; default is a SQLite file in data_dir.",
    )
    chroma_url: str | None = Field(
        None,
        validation_alias=AliasChoices("CHROMA_URL", "CASEWORK_CHROMA_URL"),
        description="URL of a Chroma server (http://host:port); default is an embedded index in data_dir.",
    )
    prompts_dir: Path = Field(PROJECT_ROOT / "prompts", description="Folder of prompt template files.")
    default_template: str = Field("case_summary", description="Template used when none is chosen.")
    draft_from: Literal["facts", "passages"] = Field("facts", description="What drafts are made from by default: the case's checked facts, placed and cited by the tool around a short overview the model writes, or (the older method, kept for comparison) the passages themselves, given to the model. Officers can choose the other on the Case page.")

    llm_provider: Literal["llamacpp", "openai", "transformers", "fake"] = Field("llamacpp", description="Which chat model drafts summaries.")
    llm_model_path: Path | None = Field(None, description="GGUF file (llamacpp) or local checkpoint folder / GGUF (transformers); default is the bundled Qwen2.5 model.")
    llm_context_tokens: int = Field(8192, description="Context window given to a local model.")
    llm_max_output_tokens: int = Field(900, description="Longest answer the model may write for one draft step.")
    llm_temperature: float = Field(0.1, description="Sampling temperature; low keeps drafts close to the records.")
    llm_timeout_s: float = Field(900.0, description="A draft step taking longer than this fails with a clear message.")
    llm_threads: int = Field(2, description="CPU threads for a local model.")
    openai_base_url: str | None = Field(None, description="Endpoint of an OpenAI-compatible server (vLLM, llama.cpp server); empty means OpenAI itself.")
    openai_api_key: SecretStr | None = Field(None, description="API key for the openai provider (environment only).")
    openai_model: str = Field("gpt-4o-mini", description="Model (or Azure deployment) name for the openai provider.")
    openai_api_version: str | None = Field(None, description="Set with an Azure endpoint to use Azure OpenAI.")
    model_concurrency: int | None = Field(None, ge=1, description="How many drafts the model may work on at once, counted across every app instance on the database; the others wait in line and are told their place. Default: 1 for a model the app runs itself (llamacpp, transformers, fake) and for an OpenAI-compatible server on a loopback address (python -m llama_cpp.server answers one request at a time); 8 for any other openai endpoint. For vLLM, up to its --max-num-seqs; for OpenAI or Azure, what the rate limit allows.")
    redact_personal_data: Literal["auto", "always", "never"] = Field("auto", description="Whether personal data in prompts is replaced by placeholders (PERSON_1, NINO_1...) before a request, and put back in the answer. auto: for a model outside this machine (the openai provider with OpenAI, Azure or any base URL that is not a loopback address); a local model (llamacpp, transformers, or a server on 127.0.0.1 / localhost) gets the text as it is, since it never leaves the machine. always: for every model. never: for none (only for an endpoint your organisation runs and may send personal data to).")

    max_file_mb: float = Field(25.0, gt=0, description="Files larger than this are refused, with their size. `cli.py serve` (make run) also gives Streamlit this upload limit (rounded up to whole MB); start Streamlit another way and `.streamlit/config.toml`'s `maxUploadSize` must be changed with it.")
    max_pages: int = Field(600, description="PDFs with more pages than this are refused.")
    parse_timeout_s: float = Field(60.0, description="Reading one file may take at most this long.")
    parse_memory_mb: int = Field(1536, description="Reading one file may use at most this much memory.")
    ocr_page_timeout_s: float = Field(30.0, gt=0, description="Reading a scan by OCR may take this much longer than parse_timeout_s for each page it reads.")
    ocr_min_confidence: float = Field(80.0, ge=0, le=100, description="Pages read by OCR with a lower confidence (0 to 100) are marked for the officer to check, when the file is added.")
    chunk_chars: int = Field(900, description="Size of an indexed passage, in characters; applies to documents added from now on (documents already held keep their passages).")
    chunk_overlap: int = Field(120, description="Characters shared by neighbouring passages.")
    related_limit: int = Field(6, description="How many similar passages from other cases to show.")

    second_check_share: float = Field(0.1, ge=0, le=1, description="Share of officer-approved drafts sent at random to a supervisor for a second check (0 to 1).")
    retention_days: int = Field(2190, ge=1, description="A person's records may be erased this many days after the last activity on their cases (by `cli.py erase-expired`), unless under legal hold.")
    grounding_min_similarity: float = Field(0.55, ge=0, le=1, description="A sentence counts as supported only if it is at least this close in meaning (cosine) to a passage it cites.")

    task_queue_url: str | None = Field(None, description="Where reading jobs wait for a worker: empty means a SQLite file in data_dir (no server); redis://host:6379/0 for Redis.")
    task_queue_name: str = Field("casework", description="Name of the reading queue, so several deployments can share one Redis server.")
    reading_retries: int = Field(2, ge=0, description="A passage whose reading fails is tried again this many times, then shown as failed with its reason and a Retry button.")
    reading_retry_delay_s: float = Field(30.0, ge=0, description="Seconds to wait before trying a failed reading again.")
    reading_claim_stale_s: float = Field(120.0, gt=0, description="A worker reading a passage renews its claim every quarter of this; a claim not renewed for this long was a dead worker's and is taken over.")

    # The signed audit trail (issue 13): a key the database does not hold, and checkpoints kept outside it.
    audit_key_file: Path | None = Field(None, description="File of the audit log's signing keys (created on first start, readable only by the service account); default audit-keys.json in data_dir.")
    audit_key: SecretStr | None = Field(None, description="The signing keys as a secret instead of a file (environment only): KEY_ID:HEX_SECRET, comma-separated; the last one signs.")
    audit_checkpoint_file: Path | None = Field(None, description="Append-only file of signed checkpoints of the audit log, outside the database; default audit-checkpoints.jsonl in data_dir.")
    audit_checkpoint_every_events: int = Field(50, ge=1, description="A signed checkpoint is written after this many events...")
    audit_checkpoint_every_s: float = Field(120.0, gt=0, description="...or at the first event this many seconds after the last checkpoint.")
    password: SecretStr | None = Field(None, description="The password of the CLI's --user, for scripts (environment only, CASEWORK_PASSWORD); the CLI asks for it otherwise.")

    # Signing in (issue 14): failed attempts slow down, then lock; idle sessions end.
    sign_in_lock_after_failures: int = Field(5, ge=2, description="A user name is locked after this many failed sign-ins in a row (from its second failure, each attempt must first wait 1 second, doubling each time). A name with no account is treated the same, so refusals never tell whether an account exists.")
    sign_in_lock_minutes: float = Field(15.0, gt=0, description="How long a lock lasts, unless an administrator unlocks the account first (`cli.py unlock-account`).")
    sign_in_client_allowance: int = Field(20, ge=0, description="Failed sign-ins allowed from one address (or CLI user) within the lock time, whatever names it tries; beyond this, its attempts must wait 1 second, doubling each time, up to the lock time.")
    sign_in_client_header: str | None = Field(None, description="Behind a load balancer or proxy: the request header it puts the browser's address in (e.g. X-Forwarded-For; its last address is used). Leave empty when browsers reach the app directly: a header a browser sets itself cannot be trusted.")
    session_idle_minutes: float = Field(30.0, gt=0, description="A signed-in session that has been idle this long is signed out at its next action.")

    @property
    def resolved_audit_key_file(self) -> Path:
        return self.audit_key_file or self.data_dir / "audit-keys.json"

    @property
    def resolved_audit_checkpoint_file(self) -> Path:
        return self.audit_checkpoint_file or self.data_dir / "audit-checkpoints.jsonl"

    @property
    def upload_limit_mb(self) -> int:
        """Streamlit's server.maxUploadSize (whole MB) for max_file_mb: larger uploads never reach the app."""
        return math.ceil(self.max_file_mb)

    @property
    def resolved_database_url(self) -> str:
        return self.database_url or f"sqlite:///{self.data_dir / 'casework.db'}"
