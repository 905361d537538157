"""The real services on a throw-away data folder, and one ACI-Bench dialogue put through it as a case.

Both benchmark modes use this, so the dialogue is ingested, chunked, embedded
and indexed exactly as an officer's uploaded file would be.
"""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Callable

from evals.dataset import Encounter
from retrieval.records.access import User
from retrieval.ingest.pipeline import Upload
from retrieval.records.store import Case
from settings import Settings
from summariser.drafting.citations import Source
from summariser.drafting.llm import ChatModel
from summariser.services import Services
from summariser.wiring import LazyModel, build_services, model_config

EVAL_USER = User(username="evals", role="admin", team="evals", full_name="Quality benchmark")
EVAL_TEAM = "evals"


class EvalError(Exception):
    """One item of the benchmark could not be run; the item is recorded as failed and the run goes on."""


def eval_settings(base: Settings, data_dir: Path, provider: str | None = None) -> Settings:
    """The environment's settings, but with records and index in `data_dir` (SQLite and embedded Chroma),
    so a benchmark never writes into a real database or index, and drafts given the passages."""
    values = base.model_dump() | {"data_dir": data_dir, "chroma_url": None,
                                  "database_url": f"sqlite:///{Path(data_dir) / 'casework.db'}",
                                  # "ours" is still the direct draft: composing needs each dialogue read first
                                  "draft_from": "passages"}
    if provider:
        values["llm_provider"] = provider
    return type(base)(**values)


def eval_service(settings: Settings, embedder, model_cache: Path | None = None,
                 chat_model: Callable[[], ChatModel] | None = None) -> tuple[Services, Callable[[], ChatModel]]:
    """The real services and their (lazily built) chat model; the bundled model is assembled in `model_cache`
    (the usual data folder's), not again in every throw-away folder."""
    if chat_model is None:
        config = model_config(settings)
        chat_model = LazyModel(replace(config, cache_dir=model_cache) if model_cache is not None else config)
    return build_services(settings, chat_model=chat_model, embedder=embedder), chat_model


PERSON_NAME, CASE_TITLE = "the patient", "Clinical conversation"


def case_context(encounter: Encounter) -> str:
    """What the drafting prompt tells the model outside the sources: facts from here need no source."""
    return f"Case {encounter.encounter_id}: {CASE_TITLE}. Person: {PERSON_NAME}."


def ingest_encounter(service: Services, encounter: Encounter) -> tuple[Case, list[Source]]:
    """Register the encounter as a case and add its dialogue as a text document; returns its numbered sources."""
    reference = encounter.encounter_id
    service.cases.register_case(EVAL_USER, {"reference": f"P-{reference}", "full_name": PERSON_NAME},
                                {"reference": reference, "team": EVAL_TEAM, "case_type": "clinical-encounter",
                                 "title": CASE_TITLE})
    outcomes = service.cases.ingest(EVAL_USER, reference, [Upload(f"{reference}-dialogue.txt",
                                                                  encounter.dialogue.encode("utf-8"))])
    if outcomes[0].status == "refused":
        raise EvalError(f"The dialogue of {reference} was refused: {outcomes[0].message}")
    case = service.cases.case(EVAL_USER, reference)
    sources = service.drafting.numbered_sources(EVAL_USER, reference)
    if not sources:
        raise EvalError(f"The dialogue of {reference} gave no passages.")
    return case, sources
