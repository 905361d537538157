"""The scaled layout for real, on loopback (issue 16): scripts/run_scaled.py (what `make run-scaled` runs) starts
llama.cpp's OpenAI-compatible server on the small model, a Chroma server, two app instances and two reading workers,
on a fresh PostgreSQL database and a Redis queue of their own. The test then works through them from other
processes: it adds a document (a worker reads its passages through the model server and stores the facts), drafts
with the CLI (through the model server), and signs in to each app instance over Streamlit's own websocket to find
that draft in its review queue; the second instance opens it. It fails, never skips, when a part is missing.

Every part's peak memory (VmHWM) is written to test-artefacts/scaled/peak-memory.txt: the issue asks how much an
app instance needs when the model is served elsewhere, and how much the model server needs.
"""
from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path

import pytest
import redis

from retrieval.ingest.pipeline import Upload
from retrieval.records.access import User
from settings import Settings
from summariser.drafting.model_files import bundled_qwen, bundled_smollm
from tests.conftest import PG_ADMIN_URL, PROJECT, register

REDIS_URL = os.environ.get("CASEWORK_TEST_REDIS", "redis://127.0.0.1:6379/0")
ARTEFACTS = PROJECT / "test-artefacts" / "scaled"
CASE, PASSWORD = "BR-SCALED-1", "a long password"
OFFICER = User("asha.scaled", "officer", "benefits")
LETTER = ("Letter of 3 March 2025 from the benefits office to Ms Jane Jones.\n\n"
          "We paid you £120.50 on 3 March 2025 for the period from 1 February 2025 to 28 February 2025. "
          "Your next payment of £118.00 is due on 31 March 2025.\n\n"
          "Ms Jones told us by phone on 10 March 2025 that her rent went up to £650 a month on 1 March 2025. "
          "She must send a copy of the new tenancy agreement by 24 March 2025, or her housing costs "
          "may be paid at the old rate.\n\n"
          "If you disagree with this decision you may ask for a mandatory reconsideration within one month "
          "of the date of this letter.\n\n"
          "Note of a home visit on 17 March 2025 by the case officer. Ms Jones showed the officer a letter from "
          "her landlord dated 20 February 2025 giving notice of the rent increase. She said she had skipped meals "
          "to pay the rent in March and had been referred to the food bank on 14 March 2025. Her daughter, aged "
          "nine, lives with her. She has arrears of £310 on her council tax account and a repayment plan of £20 "
          "a week from 7 April 2025.\n\n"
          "Next steps agreed: the officer will check the housing costs element once the tenancy agreement "
          "arrives, and will call Ms Jones on 25 March 2025 to confirm that it has been received.\n")


def _require_the_parts() -> None:
    """Each part this test starts or uses, or a plain failure naming what is missing and how to get it."""
    import sqlalchemy as sa
    missing = []
    try:
        engine = sa.create_engine(PG_ADMIN_URL.replace("postgresql://", "postgresql+psycopg://"))
        with engine.connect():
            pass
        engine.dispose()
    except sa.exc.OperationalError:
        missing.append(f"PostgreSQL is not reachable at {PG_ADMIN_URL} (set CASEWORK_TEST_PG to another server)")
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=5).ping()
    except redis.RedisError:
        missing.append(f"Redis is not reachable at {REDIS_URL} (set CASEWORK_TEST_REDIS to another server)")
    if not (Path(sys.executable).parent / "chroma").exists():
        missing.append("the chroma command is not installed (pip install -r requirements.txt)")
    try:
        import fastapi, sse_starlette, starlette_context  # noqa: F401, E401  (llama_cpp.server's [server] extra)
    except ImportError as error:
        missing.append(f"llama.cpp's server cannot start: {error.name} is not installed "
                       "(pip install -r requirements.txt)")
    if missing:
        pytest.fail("The scaled layout cannot be started: " + "; ".join(missing) + ".", pytrace=False)


def _consecutive_free_ports(count: int) -> int:
    """The first of `count` consecutive loopback ports nobody listens on (app instances are numbered so)."""
    while True:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            first = probe.getsockname()[1]
        sockets = []
        try:
            for port in range(first, first + count):
                sockets.append(socket.socket())
                sockets[-1].bind(("127.0.0.1", port))
            return first
        except OSError:
            continue
        finally:
            for s in sockets:
                s.close()


class Layout:
    """The launcher and what it started: the URLs, each part's pid, its logs."""

    def __init__(self, tmp: Path, database_url: str):
        self.data, self.logs = tmp / "data", tmp / "logs"
        self.queue = f"casework-scaled-{uuid.uuid4().hex[:8]}"
        first = _consecutive_free_ports(4)
        self.app_port, self.model_port, self.chroma_port = first, first + 2, first + 3
        self.apps = [f"http://127.0.0.1:{self.app_port + n}" for n in range(2)]
        self.model_url, self.chroma_url = (f"http://127.0.0.1:{p}" for p in (self.model_port, self.chroma_port))
        # The small model keeps the test quick. It drafts from the passages: decoding greedily (so that it answers
        # the same each run), it never closes the JSON of a composed draft's overview within its token limit.
        # CASEWORK_SCALED_DEFAULT_MODEL=1 serves the default model with the default settings instead, to measure.
        if os.environ.get("CASEWORK_SCALED_DEFAULT_MODEL"):
            self.model, self.limits = bundled_qwen(PROJECT / ".venv" / "model-cache"), {}
            self.draft_from = "facts"
        else:
            self.model, self.limits = bundled_smollm(), {"llm_context_tokens": 4096, "llm_max_output_tokens": 120,
                                                         "llm_temperature": 0.0}
            self.draft_from = "passages"
        self.env = {k: v for k, v in os.environ.items()
                    if not k.startswith(("CASEWORK_", "DATABASE_URL", "CHROMA_URL"))}  # only the settings below
        self.env.update(DATABASE_URL=database_url, CASEWORK_DATA_DIR=str(self.data), CASEWORK_TASK_QUEUE_URL=REDIS_URL,
                        CASEWORK_TASK_QUEUE_NAME=self.queue,
                        **{f"CASEWORK_{name.upper()}": str(value) for name, value in self.limits.items()})
        self.output = tmp / "launcher.log"
        self.launcher: subprocess.Popen | None = None

    def settings(self) -> Settings:
        """What the launcher gives every part, for this process and the CLI."""
        return Settings(data_dir=self.data, database_url=self.env["DATABASE_URL"], chroma_url=self.chroma_url,
                        task_queue_url=REDIS_URL, task_queue_name=self.queue, llm_provider="openai",
                        openai_base_url=f"{self.model_url}/v1", openai_model=self.model.stem, **self.limits)

    def cli_env(self) -> dict[str, str]:
        return dict(self.env, CHROMA_URL=self.chroma_url, CASEWORK_LLM_PROVIDER="openai",
                    CASEWORK_OPENAI_BASE_URL=f"{self.model_url}/v1", CASEWORK_OPENAI_MODEL=self.model.stem,
                    CASEWORK_PASSWORD=PASSWORD)

    def start(self) -> None:
        with self.output.open("wb") as out:
            self.launcher = subprocess.Popen(
                [sys.executable, str(PROJECT / "scripts" / "run_scaled.py"), "--no-demo", "--apps", "2",
                 "--model", str(self.model), "--port", str(self.app_port), "--model-port", str(self.model_port),
                 "--chroma-port", str(self.chroma_port), "--log-dir", str(self.logs)],
                cwd=PROJECT, env=self.env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)

    def pids(self) -> dict[str, int]:
        text = self.output.read_text(errors="replace") if self.output.exists() else ""
        return {name: int(pid) for name, pid in re.findall(r"started (\S+) \(pid (\d+)\)", text)}

    def report(self) -> str:
        """The launcher's output and the end of every part's log, for a failure message."""
        parts = [f"--- launcher:\n{self.output.read_text(errors='replace')[-3000:]}"]
        for log in sorted(self.logs.glob("*.log")):
            parts.append(f"--- {log.stem}:\n" + "\n".join(log.read_text(errors="replace").splitlines()[-25:]))
        return "\n".join(parts)

    def check_running(self) -> None:
        if self.launcher.poll() is not None:
            pytest.fail(f"The scaled layout stopped (launcher exit code {self.launcher.returncode}).\n"
                        f"{self.report()}", pytrace=False)

    def wait_until_up(self, url: str) -> None:
        """Poll a part's health URL until it answers; fails with the logs if the layout stops first (the run's
        own timeout guards against a hang)."""
        while True:
            try:
                urllib.request.urlopen(url, timeout=2)
                return
            except OSError:
                self.check_running()
                time.sleep(0.3)

    def stop(self) -> None:
        """Ctrl+C to the launcher, which stops every part; then SIGKILL to whatever is left, whatever happened."""
        if self.launcher is None:
            return
        if self.launcher.poll() is None:
            os.killpg(self.launcher.pid, signal.SIGINT)
            try:
                self.launcher.wait(60)
            except subprocess.TimeoutExpired:
                os.killpg(self.launcher.pid, signal.SIGKILL)
                self.launcher.wait()
        for pid in self.pids().values():  # each part leads a process group of its own
            try:
                os.killpg(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass


@pytest.fixture
def layout(request, tmp_path):
    _require_the_parts()
    database_url = request.getfixturevalue("pg_url")  # a fresh database, dropped after the layout stops
    layout = Layout(tmp_path, database_url)
    try:
        layout.start()
        yield layout
    finally:
        layout.stop()
        from summariser.reading.jobs import make_queue
        make_queue(REDIS_URL, layout.queue, layout.data).storage.flush_all()


class AppSession:
    """One browser tab's session with a Streamlit app instance, over the websocket its own front end uses: each
    run sends the widgets' values and collects the elements the page draws, until the script finishes."""

    def __init__(self, url: str):
        from websockets.sync.client import connect  # websockets comes with streamlit
        self.socket = connect(url.replace("http", "ws", 1) + "/_stcore/stream", subprotocols=["streamlit"],
                              max_size=None)
        self.pages: dict[str, str] = {}  # page name: its hash, from the navigation the app sends
        self.page, self.query = "", ""  # where the app is now (a page may switch to another, with a query)

    def run(self, widgets: dict[str, object] | None = None, page: str | None = None) -> list:
        """Run a page (by name; default: the one the app is on) with these widget values (by id; True presses a
        button), as the front end does; the elements drawn, as (kind, proto) pairs."""
        from streamlit.proto.BackMsg_pb2 import BackMsg
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
        if page is not None:
            self.page, self.query = self.pages[page], ""
        message = BackMsg()
        message.rerun_script.page_script_hash, message.rerun_script.query_string = self.page, self.query
        for widget_id, value in (widgets or {}).items():
            state = message.rerun_script.widget_states.widgets.add(id=widget_id)
            if value is True:
                state.trigger_value = True
            else:
                state.string_value = value
        self.socket.send(message.SerializeToString())
        elements = []
        while True:
            forward = ForwardMsg()
            forward.ParseFromString(self.socket.recv())
            kind = forward.WhichOneof("type")
            if kind == "navigation":
                self.pages = {p.page_name: p.page_script_hash for p in forward.navigation.app_pages}
                self.page = forward.navigation.page_script_hash
            elif kind == "page_info_changed":
                self.query = forward.page_info_changed.query_string
            elif kind == "delta" and forward.delta.WhichOneof("type") == "new_element":
                element = forward.delta.new_element
                elements.append((element.WhichOneof("type"), getattr(element, element.WhichOneof("type"))))
            elif kind == "script_finished" and forward.script_finished != 2:  # 2: stopped early for a rerun
                return elements

    def sign_in(self, username: str, password: str) -> list:
        ids = {e.label: e.id for kind, e in self.run() if kind in ("text_input", "button")}
        return self.run({ids["User name"]: username, ids["Password"]: password, ids["Sign in"]: True})

    def close(self) -> None:
        self.socket.close()


def _peak_kb(pid: int) -> int:
    """A live process's peak resident memory (VmHWM) in KiB; 0 once it has exited."""
    try:
        with open(f"/proc/{pid}/status") as status:
            return int(next(line for line in status if line.startswith("VmHWM")).split()[1])
    except (OSError, StopIteration):
        return 0


@pytest.mark.postgres
@pytest.mark.model
def test_two_apps_and_two_workers_share_the_database_queue_index_and_model_server(layout, minilm, tmp_path):
    from summariser.wiring import build_services
    for url in (f"{layout.chroma_url}/api/v2/heartbeat", f"{layout.model_url}/v1/models",
                *(f"{app}/_stcore/health" for app in layout.apps)):
        layout.wait_until_up(url)
    for app in layout.apps:
        assert urllib.request.urlopen(app).status == 200

    # This process is one more service user: accounts, a case and a letter, on the same database, index and queue.
    services = build_services(layout.settings(), embedder=minilm)
    admin = User("test.admin", "admin", "all")
    services.accounts.save_account(User("operator:test", "admin", "all"), admin.username, "Test Admin", "admin",
                                   "all", PASSWORD)
    services.accounts.save_account(admin, OFFICER.username, "Asha Scaled", OFFICER.role, OFFICER.team, PASSWORD)
    register(services, CASE, "benefits", "P-SCALED-1", "Jane Jones")
    added = services.cases.ingest(OFFICER, CASE, [Upload("letter.txt", LETTER.encode())])
    assert [o.status for o in added] == ["added"] and added.queued >= 2 and not added.reading_problem, added

    # A worker reads the passages through the model server and stores their facts.
    while not (progress := services.reading.progress(OFFICER, CASE)).finished:
        layout.check_running()
        time.sleep(0.5)
    assert progress.failed == 0, services.reading.failures(OFFICER, CASE)
    facts = [f for document in services.reading.facts(OFFICER, CASE) for f in document.facts]
    assert facts and all(f.quote in LETTER for f in facts)
    assert services.stores.reading_jobs.reader().identity[0] == f"openai:{layout.model.stem}"  # the server's model
    model_log = (layout.logs / "model.log").read_text(errors="replace")
    assert model_log.count("POST /v1/chat/completions") >= progress.total

    # Another process drafts, through the model server (the CLI)...
    output, cli_peak_kb = tmp_path / "draft.txt", 0
    with output.open("wb") as out:
        drafting = subprocess.Popen([sys.executable, "cli.py", "--user", OFFICER.username, "draft", CASE,
                                     "--from", layout.draft_from],
                                    cwd=PROJECT, env=layout.cli_env(), stdout=out, stderr=subprocess.STDOUT)
        while drafting.poll() is None:
            cli_peak_kb = max(cli_peak_kb, _peak_kb(drafting.pid))
            time.sleep(0.2)
    drafted = output.read_text(errors="replace")
    assert drafting.returncode == 0, drafted + layout.report()
    draft_id = re.search(rf"Draft ([0-9a-f]{{32}}) for case {CASE}: pending", drafted).group(1)
    state = services.review.draft_state(OFFICER, draft_id)
    assert state.status == "pending"
    assert state.drafted.data.method == {"facts": "composed", "passages": "direct"}[layout.draft_from]
    assert (state.drafted.data.model.provider, state.drafted.data.model.model) == ("openai", layout.model.stem)
    # The server's default would have ended one answer early whenever another request was waiting.
    assert "Disconnected from client" not in (layout.logs / "model.log").read_text(errors="replace")

    # ...and each app instance lists it in the officer's review queue; the second also opens it, as the officer would,
    # with its checks (which load the app's embedder: its peak memory is then that of an instance in real use).
    text = services.review.view(OFFICER, draft_id).text
    for app in layout.apps:
        session = AppSession(app)
        try:
            signed_in = session.sign_in(OFFICER.username, PASSWORD)
            assert any(kind == "markdown" and "Signed in as **Asha Scaled**" in e.body for kind, e in signed_in)
            queue = session.run(page="Review queue")
            options = [o for kind, e in queue if kind == "selectbox" for o in e.options]
            assert any(o.startswith(f"{CASE} - requested by Asha Scaled") for o in options), (app, options)
            if app == layout.apps[-1]:
                opened = session.run({next(e.id for kind, e in queue if kind == "button"
                                           and e.label == "Open the draft"): True})
                assert [e.default for kind, e in opened if kind == "text_area" and e.label == "Summary text"] == [text]
                assert any(kind == "markdown" and "**Status: Waiting for review.**" in e.body for kind, e in opened)
        finally:
            session.close()

    pids = layout.pids()
    peaks = {name: _peak_kb(pid) for name, pid in pids.items() if name not in ("migrate",)}
    peaks["cli-draft"] = cli_peak_kb
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    (ARTEFACTS / "peak-memory.txt").write_text(
        f"Peak memory (VmHWM, MiB) of each part of the scaled layout, model {layout.model.name}:\n"
        + "".join(f"{name:10} {kb / 1024:7.0f}\n" for name, kb in sorted(peaks.items())))
