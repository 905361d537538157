"""The composition root's choices that tests elsewhere do not see: which line the drafting model's turns are
kept in, how many drafts it serves at once, and that two app instances on one database share that line."""
from __future__ import annotations

import socket
import threading

import pytest

from database import make_engine, migrate
from retrieval.ingest.pipeline import Upload
from retrieval.records.access import User
from settings import Settings
from summariser.drafting.drafter import Drafter
from summariser.wiring import model_queue
from tests.conftest import fake_chat, register

ASHA = User("asha", "officer", "benefits")
PATIENCE_S = 60  # only so that a broken queue fails the test instead of hanging it


@pytest.fixture
def engine(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'casework.db'}")
    migrate(engine)
    yield engine
    engine.dispose()


@pytest.mark.parametrize("settings, name, slots", [
    (dict(), f"llamacpp on {socket.gethostname()}", 1),  # the bundled model: this machine's cores, one at a time
    (dict(llm_provider="transformers"), f"transformers on {socket.gethostname()}", 1),
    (dict(llm_provider="openai", openai_base_url="http://127.0.0.1:8080/v1", openai_model="qwen"),
     f"openai http://127.0.0.1:8080/v1 qwen on {socket.gethostname()}", 1),  # python -m llama_cpp.server answers one request at a time
    (dict(llm_provider="openai", openai_api_key="sk-test"), "openai https://api.openai.com/v1 gpt-4o-mini", 8),
    (dict(llm_provider="openai", openai_base_url="http://vllm.internal:8000/v1", model_concurrency=32),
     "openai http://vllm.internal:8000/v1 gpt-4o-mini", 32),
    (dict(model_concurrency=2), f"llamacpp on {socket.gethostname()}", 2),  # the setting wins
], ids=["bundled", "transformers", "loopback-server", "openai", "vllm-set", "local-set"])
def test_each_model_endpoint_has_one_line_and_its_concurrency(engine, tmp_path, settings, name, slots):
    queue = model_queue(Settings(data_dir=tmp_path, **settings), engine)
    assert (queue.name, queue.slots) == (name, slots)


def test_a_draft_on_a_second_app_instance_waits_for_the_first_and_is_told_its_place(make_service):
    """Two app instances (two sets of services on one database): while the first drafts, the second's officer
    is told one draft is ahead of theirs, and their draft is made once the first has finished."""
    drafting, release = threading.Event(), threading.Event()

    class SlowDrafter(Drafter):
        def draft(self, *args, **kwargs):
            drafting.set()
            release.wait(PATIENCE_S)
            return super().draft(*args, **kwargs)

    chat = fake_chat("## Background\nMs Jones phoned on 14/01/2025 [1].")
    first = make_service(chat_model=chat, make_drafter=SlowDrafter)
    second = make_service(chat_model=chat)
    register(first, "BR-1", "benefits")
    first.cases.ingest(ASHA, "BR-1", [Upload("note.txt", b"14/01/2025 - Phone call with Ms Jones.")])
    states, stages = {}, []
    holder = threading.Thread(target=lambda: states.setdefault("first", first.drafting.draft(ASHA, "BR-1")))
    holder.start()
    assert drafting.wait(PATIENCE_S)

    def on_stage(stage: str) -> None:
        stages.append(stage)
        if stage.startswith("Waiting for the model"):
            release.set()  # the first finishes only once the second has been told it waits

    states["second"] = second.drafting.draft(ASHA, "BR-1", on_stage=on_stage)
    holder.join(PATIENCE_S)
    assert stages[0] == "Waiting for the model: 1 draft or reading of a document ahead of yours"
    assert states["first"].status == states["second"].status == "pending"
    assert len(second.drafting.model_queue) == 0
