"""Composition root: builds the service from Settings. The only place that turns settings into objects."""
from __future__ import annotations

import threading

from audit.log import AuditLog
from audit.review import DraftReview
from database import make_engine, migrate
from retrieval.accounts import Accounts
from retrieval.embeddings import MiniLMEmbedder
from retrieval.index import PassageIndex, open_client
from retrieval.ingest import Ingestor
from retrieval.loaders import LoadLimits
from retrieval.records import CaseRecords
from settings import Settings
from summariser.grounding import GroundingChecker
from summariser.llm import ChatModel, ModelConfig, make_chat_model
from summariser.service import CaseworkService
from summariser.templates import TemplateLibrary


def model_config(settings: Settings, **overrides) -> ModelConfig:
    key = settings.openai_api_key.get_secret_value() if settings.openai_api_key else None
    return ModelConfig(
        provider=settings.llm_provider, model_path=settings.llm_model_path,
        cache_dir=settings.data_dir / "models", context_tokens=settings.llm_context_tokens,
        max_output_tokens=settings.llm_max_output_tokens, temperature=settings.llm_temperature,
        timeout_s=settings.llm_timeout_s, threads=settings.llm_threads,
        openai_base_url=settings.openai_base_url, openai_api_key=key, openai_model=settings.openai_model,
        openai_api_version=settings.openai_api_version, **overrides)


class LazyModel:
    """Builds the chat model on first use, once; a failure is raised again at the next try, not cached."""

    def __init__(self, config: ModelConfig):
        self.config, self._model, self._lock = config, None, threading.Lock()

    def __call__(self) -> ChatModel:
        with self._lock:
            if self._model is None:
                self._model = make_chat_model(self.config)
            return self._model


def build_service(settings: Settings, chat_model=None, embedder=None) -> CaseworkService:
    engine = make_engine(settings.resolved_database_url)
    migrate(engine)
    records = CaseRecords(engine)
    embedder = embedder or MiniLMEmbedder()
    index = PassageIndex(open_client(settings.data_dir, settings.chroma_url), embedder)
    limits = LoadLimits(max_bytes=int(settings.max_file_mb * 1024 * 1024), max_pages=settings.max_pages,
                        timeout_s=settings.parse_timeout_s, memory_mb=settings.parse_memory_mb)
    ingestor = Ingestor(records, index, limits, settings.chunk_chars, settings.chunk_overlap)
    audit = AuditLog(engine)
    return CaseworkService(records, index, ingestor, audit, DraftReview(audit, settings.second_check_share),
                           TemplateLibrary(settings.prompts_dir), chat_model or LazyModel(model_config(settings)),
                           Accounts(engine), GroundingChecker(embedder, settings.grounding_min_similarity),
                           settings.default_template, settings.related_limit, settings.chunk_chars,
                           settings.chunk_overlap, retention_days=settings.retention_days)
