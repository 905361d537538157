"""Start the scaled layout on one machine (`make run-scaled`); Ctrl+C stops every part.

`make run` keeps everything in one process with the model inside it. A deployment for many users splits it into
services (README, "Deploying for many users"); this starts each of them as a process of its own, so the layout can
be tried, measured and tested on one machine before it is spread over several:

    model      python -m llama_cpp.server on the default GGUF (or --model), which the apps and workers reach
               through the openai provider, as they would reach vLLM or another OpenAI-compatible server
    chroma     chroma run, the passage index, on data_dir/chroma-server
    app-N      the Streamlit app (as `cli.py serve` starts it), on consecutive ports from --port
    worker-N   cli.py worker, reading queued passages into facts
    PostgreSQL and Redis are not started here: DATABASE_URL and CASEWORK_TASK_QUEUE_URL name them (loopback
    defaults below). Every other setting is read from the environment as usual.

Each part's output goes to data_dir/logs/<part>.log (or --log-dir). If a part stops by itself, the others are
stopped too and the end of its log is printed.
"""
from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))

from settings import Settings  # noqa: E402  (the project is put on the path first)

DEFAULT_DATABASE_URL = "postgresql://postgres@127.0.0.1:5432/casework"
DEFAULT_QUEUE_URL = "redis://127.0.0.1:6379/0"
STOP_GRACE_S = 20.0


class Failed(Exception):
    """Something the person starting the layout must fix; its message says what."""


def options(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--apps", type=int, default=2, help="app instances (default 2)")
    parser.add_argument("--workers", type=int, default=None, help="reading workers (default: as many as apps)")
    parser.add_argument("--address", default="127.0.0.1",
                        help="address the app instances listen on (the model and Chroma servers stay on loopback)")
    parser.add_argument("--port", type=int, default=8501, help="port of the first app instance")
    parser.add_argument("--model-port", type=int, default=8080)
    parser.add_argument("--chroma-port", type=int, default=8000)
    parser.add_argument("--model", type=Path, default=None,
                        help="GGUF file to serve; default CASEWORK_LLM_MODEL_PATH, else the bundled model")
    parser.add_argument("--no-demo", action="store_true", help="do not load the demo caseload")
    parser.add_argument("--log-dir", type=Path, default=None, help="default: data_dir/logs")
    return parser.parse_args(argv)


def model_file(given: Path | None, settings: Settings) -> Path:
    """The GGUF to serve: the one given, else the bundled model, joined and checked as the embedded app does."""
    path = given or settings.llm_model_path
    if path is None:
        from summariser.drafting.model_files import bundled_qwen
        from summariser.errors import SummariserError
        print("Checking the bundled model (the first time, it is also assembled from its parts)...", flush=True)
        try:
            return bundled_qwen(settings.data_dir / "models")  # where the embedded app keeps it too
        except SummariserError as error:
            raise Failed(str(error)) from error
    if not Path(path).is_file():
        raise Failed(f"The model file {path} does not exist.")
    return Path(path)


def check_services(database_url: str, queue_url: str) -> None:
    """PostgreSQL and Redis must already run: a plain message if either cannot be reached."""
    import redis
    import sqlalchemy as sa
    from database import make_engine
    engine = make_engine(database_url)
    try:
        with engine.connect() as connection:
            connection.execute(sa.text("SELECT 1"))
    except Exception as error:
        raise Failed(f"The database at {database_url} cannot be reached ({str(error).splitlines()[0]}). Start "
                     "PostgreSQL and create the database (e.g. createdb -h 127.0.0.1 -U postgres casework), or set "
                     "DATABASE_URL.") from error
    finally:
        engine.dispose()
    try:
        redis.Redis.from_url(queue_url, socket_connect_timeout=5).ping()
    except redis.RedisError as error:
        raise Failed(f"Redis at {queue_url} cannot be reached ({error}). Start it, or set "
                     "CASEWORK_TASK_QUEUE_URL.") from error


class Parts:
    """The child processes, each in a process group of its own, so stopping one stops whatever it started."""

    def __init__(self, log_dir: Path, env: dict[str, str]):
        self.log_dir, self.env, self.running = log_dir, env, {}
        log_dir.mkdir(parents=True, exist_ok=True)

    def start(self, name: str, command: list[str], url: str = "") -> subprocess.Popen:
        log = (self.log_dir / f"{name}.log").open("ab")
        process = subprocess.Popen(command, cwd=PROJECT, env=self.env, stdout=log, stderr=subprocess.STDOUT,
                                   stdin=subprocess.DEVNULL, start_new_session=True)
        log.close()
        self.running[name] = process
        print(f"started {name} (pid {process.pid}){' ' + url if url else ''}", flush=True)
        return process

    def run(self, name: str, command: list[str]) -> None:
        """A setup step, run to its end; its log is printed if it fails."""
        if self.start(name, command).wait() != 0:
            raise Failed(f"{name} failed:\n{self.tail(name)}")
        del self.running[name]

    def tail(self, name: str, lines: int = 30) -> str:
        text = (self.log_dir / f"{name}.log").read_text(errors="replace").splitlines()
        return "\n".join(text[-lines:])

    def wait_until_up(self, name: str, url: str) -> None:
        """Poll a part's health URL until it answers; its log if it stops first (no time limit: a big model may
        take minutes to load on a slow disk, and Ctrl+C stops the wait)."""
        while True:
            try:
                urllib.request.urlopen(url, timeout=2)
                return
            except OSError:
                if self.running[name].poll() is not None:
                    raise Failed(f"{name} stopped while starting:\n{self.tail(name)}")
                time.sleep(0.3)

    def stopped(self) -> str | None:
        return next((name for name, process in self.running.items() if process.poll() is not None), None)

    def stop_all(self) -> None:
        """SIGINT to every group (each part stops cleanly), then SIGKILL to whatever is left after the grace."""
        for process in self.running.values():
            _signal(process, signal.SIGINT)
        deadline = time.monotonic() + STOP_GRACE_S
        for process in self.running.values():
            try:
                process.wait(max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                pass
            _signal(process, signal.SIGKILL)  # also whatever it started and left behind
            process.wait()
        self.running.clear()


def _signal(process: subprocess.Popen, sig: int) -> None:
    try:
        os.killpg(process.pid, sig)
    except ProcessLookupError:
        pass


def start_layout(args: argparse.Namespace, settings: Settings, parts: Parts) -> list[tuple[str, str]]:
    """Start every part in order (servers, the schema, the demo, apps and workers) and wait until each answers;
    the app instances' names and URLs."""
    python, loopback = sys.executable, "127.0.0.1"  # the model and Chroma servers serve this machine only
    model_url, chroma_url = f"http://{loopback}:{args.model_port}", f"http://{loopback}:{args.chroma_port}"
    check_services(settings.resolved_database_url, settings.task_queue_url)
    gguf = model_file(args.model, settings)
    from summariser.drafting.llm import REPEAT_WINDOW  # the embedded model's repetition window, kept
    parts.env.update(CHROMA_URL=chroma_url, CASEWORK_LLM_PROVIDER="openai",
                     CASEWORK_OPENAI_BASE_URL=f"{model_url}/v1", CASEWORK_OPENAI_MODEL=gguf.stem)
    parts.start("model", [python, "-m", "llama_cpp.server", "--model", str(gguf), "--model_alias", gguf.stem,
                          "--host", loopback, "--port", str(args.model_port),
                          "--n_ctx", str(settings.llm_context_tokens), "--n_threads", str(settings.llm_threads),
                          "--n_threads_batch", str(settings.llm_threads),
                          "--last_n_tokens_size", str(REPEAT_WINDOW),
                          # Its default ends a streamed answer early whenever another request waits: with several
                          # apps and workers sharing it, drafts and readings would be cut short, silently.
                          "--interrupt_requests", "False"], model_url)
    chroma = Path(python).parent / "chroma"
    if not chroma.exists():
        raise Failed(f"{chroma} is missing. Install the requirements (make install).")
    parts.start("chroma", [str(chroma), "run", "--path", str(settings.data_dir / "chroma-server"),
                           "--host", loopback, "--port", str(args.chroma_port)], chroma_url)
    cli = [python, str(PROJECT / "cli.py")]
    parts.run("migrate", [*cli, "--operator", "migrate"])  # once, before several processes would try at once
    parts.wait_until_up("chroma", f"{chroma_url}/api/v2/heartbeat")
    if not args.no_demo:
        parts.run("seed-demo", [*cli, "--operator", "seed-demo"])
        seeded = (parts.log_dir / "seed-demo.log").read_text(errors="replace")
        print(seeded[seeded.find("Demo accounts"):] if "Demo accounts" in seeded else "", flush=True)
    apps = [(f"app-{n}", f"http://{args.address}:{args.port + n - 1}") for n in range(1, args.apps + 1)]
    for name, url in apps:  # as `cli.py serve` starts the app
        parts.start(name, [python, "-m", "streamlit", "run", str(PROJECT / "app.py"),
                           "--server.address", args.address, "--server.port", url.rsplit(":", 1)[1],
                           "--server.headless", "true", "--browser.gatherUsageStats", "false",
                           "--server.maxUploadSize", str(settings.upload_limit_mb)], url)
    for number in range(1, (args.apps if args.workers is None else args.workers) + 1):
        parts.start(f"worker-{number}", [*cli, "worker"])
    parts.wait_until_up("model", f"{model_url}/v1/models")
    for name, url in apps:
        parts.wait_until_up(name, f"{url}/_stcore/health")
    return apps


def main(argv: list[str] | None = None) -> int:
    args = options(argv)
    if not (os.environ.get("DATABASE_URL") or os.environ.get("CASEWORK_DATABASE_URL")):  # every part inherits them
        os.environ["DATABASE_URL"] = DEFAULT_DATABASE_URL
    os.environ.setdefault("CASEWORK_TASK_QUEUE_URL", DEFAULT_QUEUE_URL)
    settings = Settings()
    parts = Parts(args.log_dir or settings.data_dir / "logs", dict(os.environ))
    # Ctrl+C (even where a shell started this with SIGINT ignored) and SIGTERM both clean up below.
    previous = {sig: signal.signal(sig, signal.default_int_handler) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        apps = start_layout(args, settings, parts)
        print(f"Ready: {', '.join(url for _, url in apps)} (logs in {parts.log_dir}). Stop everything with Ctrl+C.",
              flush=True)
        while (stopped := parts.stopped()) is None:
            time.sleep(1.0)
        raise Failed(f"{stopped} stopped by itself, so everything else is being stopped too:\n{parts.tail(stopped)}")
    except Failed as error:
        print(f"Error: {error}", file=sys.stderr, flush=True)
        return 1
    except KeyboardInterrupt:
        print("Stopping every part...", flush=True)
        return 0
    finally:
        for sig in (signal.SIGINT, signal.SIGTERM):  # a second Ctrl+C or SIGTERM must not leave parts behind
            signal.signal(sig, signal.SIG_IGN)
        parts.stop_all()
        for sig, handler in previous.items():
            signal.signal(sig, handler)


if __name__ == "__main__":
    sys.exit(main())
