"""Composition root: builds the services from Settings. The only place that turns settings into objects."""
from __future__ import annotations

import threading
from typing import Callable

from audit.log import AuditLog
from workflow.review import DraftReview
from database import make_engine, migrate
from retrieval.records.accounts import Accounts
from retrieval.search.embeddings import MiniLMEmbedder
from retrieval.search.index import PassageIndex, open_client
from retrieval.ingest.pipeline import Ingestor
from retrieval.ingest.loaders import LoadLimits
from retrieval.records.store import CaseRecords
from settings import Settings
from summariser.checks.grounding import GroundingChecker
from summariser.drafting.drafter import Drafter
from summariser.drafting.llm import ChatModel, ModelConfig, make_chat_model
from summariser.drafting.templates import TemplateLibrary
from summariser.records_management import RecordsManager
from summariser.services import (AccountService, CaseService, DraftingService, RecordsAdministration, ReviewService,
                                 Services, Stores, SupervisionQueries)
from summariser.services.drafting import MakeDrafter
from summariser.services.sources import CaseSources


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


def build_services(settings: Settings, chat_model: Callable[[], ChatModel] | None = None, embedder=None,
                   make_drafter: MakeDrafter = Drafter) -> Services:
    """Every service, sharing one set of stores; `chat_model`, `embedder` and `make_drafter` replace the real ones."""
    engine = make_engine(settings.resolved_database_url)
    migrate(engine)
    records = CaseRecords(engine)
    embedder = embedder or MiniLMEmbedder()
    index = PassageIndex(open_client(settings.data_dir, settings.chroma_url), embedder)
    limits = LoadLimits(max_bytes=int(settings.max_file_mb * 1024 * 1024), max_pages=settings.max_pages,
                        timeout_s=settings.parse_timeout_s, memory_mb=settings.parse_memory_mb)
    ingestor = Ingestor(records, index, limits, settings.chunk_chars, settings.chunk_overlap)
    audit = AuditLog(engine)
    review = DraftReview(audit, settings.second_check_share)
    templates = TemplateLibrary(settings.prompts_dir)
    grounding = GroundingChecker(embedder, settings.grounding_min_similarity)
    accounts = Accounts(engine)
    sources = CaseSources(records)
    cases = CaseService(records, index, ingestor, audit, review, settings.related_limit)
    return Services(
        accounts=AccountService(accounts, audit),
        cases=cases,
        drafting=DraftingService(cases, sources, index, review, templates,
                                 chat_model or LazyModel(model_config(settings)), grounding, make_drafter,
                                 default_template=settings.default_template, related_limit=settings.related_limit),
        review=ReviewService(cases, sources, records, review, audit, templates, grounding),
        supervision=SupervisionQueries(cases, audit, accounts),
        records_admin=RecordsAdministration(records, RecordsManager(records, index, audit, review),
                                            settings.retention_days),
        stores=Stores(records, index, audit, review))
