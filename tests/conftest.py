"""Shared fixtures: real stores on temporary folders, PostgreSQL databases made per test, and fakes."""
from __future__ import annotations

import hashlib
import os
import re
import uuid
from pathlib import Path

import numpy as np
import pytest
import sqlalchemy as sa

from database import make_engine, migrate

PROJECT = Path(__file__).resolve().parent.parent
PG_ADMIN_URL = os.environ.get("CASEWORK_TEST_PG", "postgresql://postgres@127.0.0.1:5432/test")


class HashingEmbedder:
    """A fake embedding function for unit tests: bag of hashed words, no model.

    Chroma's protocol is implemented structurally (no subclassing), so the
    fake stays independent of the real embedder it stands in for.
    """

    def __init__(self, dims: int = 64):
        self.dims = dims

    def __call__(self, input):
        vectors = []
        for text in input:
            v = np.zeros(self.dims, dtype=np.float32)
            for word in re.findall(r"\w+", text.lower()):
                v[int(hashlib.md5(word.encode()).hexdigest(), 16) % self.dims] += 1
            vectors.append(v / (np.linalg.norm(v) or 1))
        return vectors

    embed_query = __call__

    @staticmethod
    def name():
        return "test-hashing"

    def get_config(self):
        return {"dims": self.dims}

    @staticmethod
    def build_from_config(config):
        return HashingEmbedder(**config)

    def is_legacy(self):
        return False

    def default_space(self):
        return "cosine"

    def supported_spaces(self):
        return ["cosine"]

    @staticmethod
    def validate_config(config):
        return None

    def validate_config_update(self, old, new):
        return None


@pytest.fixture(scope="session")
def minilm():
    """The real bundled embedding model, loaded once for the whole run."""
    from retrieval.search.embeddings import MiniLMEmbedder
    embedder = MiniLMEmbedder()
    embedder(["warm up"])
    return embedder


@pytest.fixture(scope="session")
def default_chat():
    """The default model, assembled and loaded once for the whole run; temperature 0, so it answers the same
    each run. Tests that need it are marked `model`."""
    from summariser.drafting.llm import ModelConfig, make_chat_model
    return make_chat_model(ModelConfig(cache_dir=PROJECT / ".venv" / "model-cache", temperature=0.0))


def _pg_available() -> bool:
    try:
        engine = sa.create_engine(PG_ADMIN_URL.replace("postgresql://", "postgresql+psycopg://"))
        with engine.connect():
            return True
    except Exception:
        return False


@pytest.fixture
def pg_url():
    """A fresh, empty PostgreSQL database for one test, dropped afterwards."""
    if not _pg_available():
        if os.environ.get("CI"):
            pytest.fail(f"PostgreSQL is required in CI and is not reachable at {PG_ADMIN_URL}")
        pytest.skip(f"PostgreSQL is not reachable at {PG_ADMIN_URL}")
    name = f"casework_test_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(PG_ADMIN_URL.replace("postgresql://", "postgresql+psycopg://"),
                             isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    yield PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path):
    """Each test using this runs twice: on the SQLite default and on PostgreSQL."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'casework.db'}"
    return request.getfixturevalue("pg_url")


@pytest.fixture
def engine(db_url):
    engine = make_engine(db_url)
    migrate(engine)
    yield engine
    engine.dispose()


def fake_chat(*responses: str, context_tokens: int = 8192, max_output_tokens: int = 400):
    """A chat-model factory for the drafting service, answering with canned responses in turn."""
    from summariser.drafting.llm import ModelConfig, make_chat_model
    model = make_chat_model(ModelConfig(provider="fake", fake_responses=responses, context_tokens=context_tokens,
                                        max_output_tokens=max_output_tokens))
    return lambda: model


class SentenceReader:
    """A fake passage reader for unit tests: every sentence of a passage is an accepted fact quoting it, dated
    with the first date it gives; no model. `fail` makes a reading of a passage containing that text fail."""

    identity = ("test-reader", "passage_facts", "test")
    DATE = re.compile(r"\b\d{1,2}/\d{1,2}/\d{4}\b|\b\d{1,2} (?:January|February|March|April|May|June|July|August|"
                      r"September|October|November|December) \d{4}\b")

    def __init__(self, fail: str | None = None):
        self.fail, self.read_texts = fail, []

    def read(self, passage):
        from summariser.reading.model import ReadFact, Reading, ReadingFailed
        from summariser.text import sentence_spans
        self.read_texts.append(passage.text)
        if self.fail and self.fail in passage.text:
            raise ReadingFailed("The language model took too long to answer.")
        facts = []
        for start, end in sentence_spans(passage.text):
            quote = passage.text[start:end]
            date = self.DATE.search(quote)
            facts.append(ReadFact("money" if "£" in quote else "event", date.group(0) if date else None, quote,
                                  start, end, None, True, None))
        return Reading(tuple(facts), *self.identity, output_tokens=0, seconds=0.0)


def run_reading(service) -> int:
    """Run every queued reading job in this process, as a worker would; returns how many ran."""
    return service.stores.reading_jobs.run_queued()


def run_checks(service) -> int:
    """Check every document added since the last call, as the worker's background checks would; returns how many
    documents were looked at."""
    return service.checks.run_all()


@pytest.fixture
def make_service(tmp_path):
    """Build the real services (SQL + Chroma on disk) with the chat model, embedder, drafter and passage
    reader given (the reader by default a SentenceReader, so no test names or loads the real model)."""
    from settings import Settings
    from summariser.wiring import build_services

    def build(chat_model=None, embedder=None, database_url=None, make_drafter=None, make_reader=SentenceReader,
              **settings):
        settings.setdefault("draft_from", "passages")  # tests of composing from facts ask for it
        config = Settings(data_dir=tmp_path / "data", database_url=database_url, **settings)
        extra = {"make_drafter": make_drafter} if make_drafter else {}
        return build_services(config, chat_model=chat_model, embedder=embedder or HashingEmbedder(),
                              make_reader=make_reader, **extra)
    return build


ADMIN_FIELDS = dict(username="admin", role="admin", team="all")


def register(service, reference="BR-1", team="benefits", person="P-1", name="Jane Jones"):
    from retrieval.records.access import User
    return service.cases.register_case(User(**ADMIN_FIELDS), {"reference": person, "full_name": name},
                                       {"reference": reference, "team": team, "case_type": "benefit-review",
                                        "title": f"Case {reference}"})


def free_port() -> int:
    """A loopback port nobody listens on (yet)."""
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url: str, process, seconds: float = 60) -> None:
    """Poll a local server's health URL until it answers; kill it and fail if it never does."""
    import time
    import urllib.request
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=1)
            return
        except OSError:
            time.sleep(0.3)
    process.kill()
    pytest.fail(f"the server at {url} did not start")


def approve_with_reasons(service, user, draft_id: str):
    """Approve as an officer would: any sentence the grounding check does not support is kept with a reason."""
    state = service.review.draft_state(user, draft_id)
    for sentence in service.review.grounding_report(user, draft_id).unsupported:
        state = service.review.accept_sentence(user, draft_id, state.last_seq, sentence.key, sentence.text,
                                               "Checked against the case notes.")
    return service.review.approve(user, draft_id, state.last_seq)
