"""Commands that start processes and act as nobody: the reading worker, and the app with a worker beside it."""
from __future__ import annotations

import logging
import sys

import click

from commands.session import PROJECT, Session, cli, pass_session


@cli.command("worker")
@click.option("--workers", type=click.IntRange(1, 64), default=1, show_default=True,
              help="passages read at once, each by its own process with its own copy of the model")
@pass_session
def worker(session: Session, workers: int) -> None:
    """read queued passages into facts until stopped (Ctrl+C); `make run` starts one beside the app"""
    logging.getLogger().setLevel(logging.INFO)  # a worker's log says what it reads and what failed
    click.echo(f"The reading worker is starting ({workers} at a time). Stop it with Ctrl+C.", err=True)
    session.run_worker(session.settings, workers)


@cli.command("serve")
@click.option("--address", default="127.0.0.1", show_default=True)
@click.option("--port", type=int, default=8501, show_default=True)
@click.option("--workers", type=click.IntRange(1, 64), default=1, show_default=True,
              help="passages the reading worker reads at once")
@click.pass_context
def serve(ctx: click.Context, address: str, port: int, workers: int) -> None:
    """start the app with a reading worker beside it (what `make run` runs); stopping the app stops the worker"""
    session: Session = ctx.obj
    app = [sys.executable, "-m", "streamlit", "run", str(PROJECT / "app.py"), "--server.address", address,
           "--server.port", str(port), "--server.headless", "true", "--browser.gatherUsageStats", "false",
           "--server.maxUploadSize", str(session.settings.upload_limit_mb)]  # the app's own limit (issue 14)
    helper = [sys.executable, str(PROJECT / "cli.py"), "worker", "--workers", str(workers)]
    click.echo(f"Serving the app on http://{address}:{port} with a reading worker beside it. Stop both with Ctrl+C.",
               err=True)
    ctx.exit(session.run_beside(app, helper))
