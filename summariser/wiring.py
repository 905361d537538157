"""Composition root: builds the services from Settings. The only place that turns settings into objects."""
from __future__ import annotations

import socket
import threading
from datetime import timedelta
from typing import Callable

from audit.log import AuditLog
from workflow.review import DraftReview
from database import make_engine, migrate
from retrieval.records.accounts import Accounts
from retrieval.search.embeddings import MiniLMEmbedder
from retrieval.search.index import PassageIndex, open_client
from retrieval.ingest.pipeline import Ingestor
from retrieval.ingest.loaders import LoadLimits
from retrieval.records.directory import ServiceDirectory
from retrieval.records.store import CaseRecords
from settings import Settings
from summariser.checks.grounding import GroundingChecker
from summariser.checks.results import CheckResults
from summariser.checks.injection import InjectionDetector
from summariser.checks.vulnerability import VulnerabilityScorer, for_embedder
from summariser.drafting.drafter import Drafter
from summariser.drafting.llm import ChatModel, ModelConfig, make_chat_model
from summariser.drafting.queue import SharedModelQueue
from summariser.drafting.templates import TemplateLibrary
from summariser.privacy.policy import is_loopback
from summariser.privacy.pseudonyms import masked
from summariser.records_management import RecordsManager
from summariser.services import (AccountService, CaseService, DraftingService, ReadingService, RecordsAdministration,
                                 ReviewService, Services, Stores, SupervisionQueries)
from summariser.services.accounts import SignInRules
from summariser.services.additions import DocumentAdditions
from summariser.services.checking import BackgroundChecks
from summariser.services.drafting import MakeDrafter
from summariser.services.screening import DocumentScreening, ScreeningService
from summariser.services.signposting import SignpostingService
from summariser.services.triage import LetterScores, TriageService
from summariser.services.sources import CaseSources


def _masked(text: str) -> str:
    """Personal data in a passage of another case, masked; spaCy and Presidio load on first use only."""
    from summariser.privacy.detector import default_detector
    return masked(text, default_detector())


def model_config(settings: Settings, **overrides) -> ModelConfig:
    key = settings.openai_api_key.get_secret_value() if settings.openai_api_key else None
    return ModelConfig(
        provider=settings.llm_provider, model_path=settings.llm_model_path,
        cache_dir=settings.data_dir / "models", context_tokens=settings.llm_context_tokens,
        max_output_tokens=settings.llm_max_output_tokens, temperature=settings.llm_temperature,
        timeout_s=settings.llm_timeout_s, threads=settings.llm_threads,
        openai_base_url=settings.openai_base_url, openai_api_key=key, openai_model=settings.openai_model,
        openai_api_version=settings.openai_api_version,
        **{"redact_personal_data": settings.redact_personal_data} | overrides)


def model_queue(settings: Settings, engine) -> SharedModelQueue:
    """The line for the drafting model, shared through the database by every app instance using it.

    A model the app runs itself shares this machine's cores with the app's other processes here, so its line is
    the machine's; a server's line is its endpoint and model, whichever machine calls it. Concurrency defaults
    to 1 for those and for a server on this machine (llama_cpp.server answers one request at a time), and to 8
    for any other endpoint (OpenAI, Azure, vLLM elsewhere), which serves many at once."""
    if settings.llm_provider == "openai":
        name = f"openai {settings.openai_base_url or 'https://api.openai.com/v1'} {settings.openai_model}"
        default = 1 if is_loopback(settings.openai_base_url) else 8
        name += f" on {socket.gethostname()}" if is_loopback(settings.openai_base_url) else ""  # each machine's own
    else:
        name, default = f"{settings.llm_provider} on {socket.gethostname()}", 1
    return SharedModelQueue(engine, name, settings.model_concurrency or default)


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
                   make_drafter: MakeDrafter = Drafter, make_reader: Callable[[], object] | None = None) -> Services:
    """Every service, sharing one set of stores; `chat_model`, `embedder`, `make_drafter` and `make_reader`
    replace the real ones.

    The services never read a passage (the worker does, with its own reader: build_reading), but they
    queue passages and look their facts up under the reader's identity (model, prompt and version), so
    they hold a reader built from the same settings, on the drafting model: naming it loads no weights
    (those load when it first generates), though the bundled model is assembled and checked once per process,
    as for the first draft."""
    engine = make_engine(settings.resolved_database_url)
    migrate(engine)
    records = CaseRecords(engine)
    embedder = embedder or MiniLMEmbedder()
    index = PassageIndex(open_client(settings.data_dir, settings.chroma_url), embedder)
    limits = LoadLimits(max_bytes=int(settings.max_file_mb * 1024 * 1024), max_pages=settings.max_pages,
                        timeout_s=settings.parse_timeout_s, memory_mb=settings.parse_memory_mb,
                        ocr_page_timeout_s=settings.ocr_page_timeout_s, ocr_min_confidence=settings.ocr_min_confidence)
    ingestor = Ingestor(records, index, limits, settings.chunk_chars, settings.chunk_overlap)
    audit = audit_log(settings, engine)
    review = DraftReview(audit, settings.second_check_share)
    templates = TemplateLibrary(settings.prompts_dir)
    grounding = GroundingChecker(embedder, settings.grounding_min_similarity)
    accounts = Accounts(engine)
    sources = CaseSources(records)
    model = chat_model or LazyModel(model_config(settings))

    def services_reader():
        from summariser.reading.reader import PassageReader
        return PassageReader(model(), templates.get(READING_PROMPT), grounding)

    reading = build_reading(settings, make_reader=make_reader or services_reader, engine=engine, embedder=embedder)
    screening = document_screening(settings, records, audit, embedder)
    cases = CaseService(records, index, ingestor, audit, review, settings.related_limit, reading, mask=_masked)
    vulnerability = for_embedder(embedder)  # one scorer: the sign-off tier and the correspondence queue agree
    scores = letter_scores(vulnerability, records) if vulnerability else None
    return Services(
        accounts=AccountService(accounts, audit, SignInRules(
            lock_after=settings.sign_in_lock_after_failures, lock_for=timedelta(minutes=settings.sign_in_lock_minutes),
            client_allowance=settings.sign_in_client_allowance)),
        cases=cases,
        drafting=DraftingService(cases, sources, index, review, templates, model, grounding, make_drafter,
                                 model_queue=model_queue(settings, engine), default_template=settings.default_template,
                                 related_limit=settings.related_limit, reading=reading,
                                 from_facts=settings.draft_from == "facts", screening=screening,
                                 vulnerability=vulnerability),
        review=ReviewService(cases, sources, records, review, audit, templates, grounding),
        supervision=SupervisionQueries(cases, audit, accounts),
        records_admin=RecordsAdministration(records, RecordsManager(records, index, audit, review, reading.store),
                                            settings.retention_days),
        reading=ReadingService(cases, records, reading, audit),
        stores=Stores(records, index, audit, review, reading),
        screening=ScreeningService(cases, screening),
        signposting=SignpostingService(ServiceDirectory(engine), cases, records, audit),
        triage=TriageService(cases, records, audit, scores) if scores else None,
        checks=document_checks(records, screening, scores))


READING_PROMPT = "passage_facts"  # the extraction prompt in prompts/


def audit_log(settings: Settings, engine) -> AuditLog:
    """The audit log, its events signed and checkpointed (issue 13)."""
    return AuditLog.signed(
        engine, settings.resolved_audit_key_file, settings.audit_key.get_secret_value() if settings.audit_key else None,
        settings.resolved_audit_checkpoint_file, settings.audit_checkpoint_every_events, settings.audit_checkpoint_every_s)


def document_screening(settings: Settings, records: CaseRecords, audit: AuditLog, embedder) -> DocumentScreening:
    return DocumentScreening(records, audit, injection_detector(embedder), CheckResults(records.engine, "injection"),
                             settings.ocr_min_confidence)


def letter_scores(scorer: VulnerabilityScorer, records: CaseRecords) -> LetterScores:
    return LetterScores(scorer, CheckResults(records.engine, "vulnerability"))


def document_checks(records: CaseRecords, screening: DocumentScreening, scores: LetterScores | None) -> BackgroundChecks:
    """The checks of every document's text: the prompt-injection screening, and the vulnerability score of
    letters and e-mails; each round first records the additions whose audit event was lost."""
    return BackgroundChecks(records, [screening.screen] + ([scores.check] if scores else []),
                            additions=DocumentAdditions(records, screening.audit))


def build_checks(settings: Settings, engine=None, embedder=None) -> BackgroundChecks:
    """The background checks of every document, for the worker, on stores of its own."""
    if engine is None:
        engine = make_engine(settings.resolved_database_url)
        migrate(engine)
    records, embedder = CaseRecords(engine), embedder or MiniLMEmbedder()
    scorer = for_embedder(embedder)
    return document_checks(records, document_screening(settings, records, audit_log(settings, engine), embedder),
                           letter_scores(scorer, records) if scorer else None)


def injection_detector(embedder) -> InjectionDetector:
    """The prompt-injection detector: its rules and, with the bundled MiniLM embedder its classifier was trained
    on, the classifier; with any other embedder (a test's fake), the rules alone."""
    if embedder.name() == MiniLMEmbedder.name():
        return InjectionDetector.bundled(embedder)
    return InjectionDetector(embedder)


def build_reading(settings: Settings, make_reader=None, engine=None, embedder=None):
    """The background reading jobs (queue, fact store, records) from settings: for the worker and for whoever queues.

    `make_reader` replaces the real reader (tests, benchmarks); otherwise each worker process builds one
    PassageReader on its first job, so the model is loaded once per process. `engine` shares the services' engine.
    """
    from summariser.reading.jobs import ReadingJobs, make_queue
    from summariser.reading.store import FactStore
    if engine is None:
        engine = make_engine(settings.resolved_database_url)
        migrate(engine)

    def real_reader():
        from summariser.reading.reader import PassageReader
        return PassageReader(make_chat_model(model_config(settings)),
                             TemplateLibrary(settings.prompts_dir).get(READING_PROMPT),
                             GroundingChecker(embedder or MiniLMEmbedder(), settings.grounding_min_similarity))

    return ReadingJobs(make_queue(settings.task_queue_url, settings.task_queue_name, settings.data_dir),
                       FactStore(engine), CaseRecords(engine), make_reader or real_reader,
                       claim_stale_s=settings.reading_claim_stale_s, retries=settings.reading_retries,
                       retry_delay_s=settings.reading_retry_delay_s, turns=model_queue(settings, engine))
