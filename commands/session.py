"""The command group and what every command shares: who it acts as (Session), plain errors, exit codes."""
from __future__ import annotations

import getpass
import logging
import os
import signal
import subprocess
import uuid
from functools import cached_property
from pathlib import Path
from typing import Callable

import click

import commands
from audit.events import OPERATOR_PREFIX
from retrieval.records.access import User
from settings import Settings
from summariser.errors import USER_ERRORS

log = logging.getLogger("casework.cli")
PROJECT = Path(__file__).resolve().parent.parent


def _build(settings: Settings):
    from summariser.wiring import build_services  # heavy imports only once a command runs
    return build_services(settings)


def _run_worker(settings: Settings, workers: int) -> None:
    from summariser.reading.worker import run_worker
    run_worker(settings, workers)


def run_beside(main: list[str], helper: list[str], grace_s: float = 30.0, cwd: Path = PROJECT) -> int:
    """Run `main` in the foreground with `helper` in the background for as long as it runs; returns main's
    exit code. Ctrl+C or SIGTERM stops both (SIGINT first, so each stops cleanly; killed after `grace_s`)."""
    def stop(process: subprocess.Popen) -> None:
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(grace_s)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()

    previous = signal.signal(signal.SIGTERM, signal.default_int_handler)  # SIGTERM as Ctrl+C: clean up below
    background = subprocess.Popen(helper, cwd=cwd)
    foreground = None
    try:
        foreground = subprocess.Popen(main, cwd=cwd)
        warned = False
        while True:
            try:
                return foreground.wait(timeout=1.0)
            except subprocess.TimeoutExpired:
                if background.poll() is not None and not warned:
                    warned = True
                    click.echo(f"Warning: the reading worker stopped (exit code {background.returncode}); passages "
                               "are not read until one is started again (cli.py worker).", err=True)
    except KeyboardInterrupt:
        if foreground is not None:
            stop(foreground)
        return 130
    finally:
        stop(background)
        signal.signal(signal.SIGTERM, previous)


OPERATOR_COMMANDS = ("migrate", "seed-demo", "add-user", "rotate-audit-key", "checkpoint")
NO_ACCOUNT_COMMANDS = ("serve", "worker", "migrate")  # they start processes or set the schema; they act as nobody


class Session:
    """The acting user and the services, built on first use (so `--help` stays fast).

    The user is an account signed in with its password, or in operator mode the operating-system user as an
    administrator, allowed only for OPERATOR_COMMANDS. A test may hand one in as Click's `obj`, with a `build`
    of its own (and, for the commands that start processes, its own `run_worker` and `run_beside`).
    """

    def __init__(self, build: Callable[[Settings], object] = _build,
                 run_worker: Callable[[Settings, int], None] = _run_worker,
                 run_beside: Callable[[list[str], list[str]], int] = run_beside, poll_s: float = 1.0):
        self.username, self.operator, self.command = "", False, ""  # set by the group (act_as)
        self._build = build
        self.run_worker, self.run_beside = run_worker, run_beside
        self.poll_s = poll_s  # how often `reading --wait` looks at the progress

    @cached_property
    def settings(self) -> Settings:
        return Settings()

    @cached_property
    def services(self):
        services = self._build(self.settings)
        audit = services.stores.audit
        audit.record_origin("cli")
        keyring = audit.keyring
        if keyring is not None and keyring.created:
            click.echo(f"Created the audit log's signing key in {keyring.path} (readable only by "
                       f"{getpass.getuser()}). Keep a copy somewhere safe: without it the log's signatures cannot "
                       "be checked.", err=True)
        return services

    def act_as(self, username: str, operator: bool, command: str) -> None:
        """Who this invocation acts as; whoever a session handed in again acted as before is forgotten."""
        self.username, self.operator, self.command = username, operator, command
        self.__dict__.pop("user", None)

    @cached_property
    def user(self) -> User:
        if self.operator:  # the group allows it only for the operator's commands
            return User(f"{OPERATOR_PREFIX}{getpass.getuser()}", "admin", "all", "operator mode")
        secret = self.settings.password
        if secret is not None:
            password = secret.get_secret_value()
        elif click.get_text_stream("stdin").isatty():
            password = click.prompt(f"Password for {self.username}", hide_input=True, err=True)
        else:
            raise click.UsageError(f"The CLI acts as the account {self.username}: set CASEWORK_PASSWORD to its "
                                   "password, or run the command in a terminal to be asked for it.")
        return self.services.accounts.sign_in(self.username, password, client=f"cli:{getpass.getuser()}")


class PlainErrors(click.Group):
    """Errors a user can act on are printed as they are (exit 2); anything else gets an incident id (exit 1)."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except USER_ERRORS as error:
            click.echo(f"Error: {error}", err=True)
            ctx.exit(2)
        except Exception:
            incident = uuid.uuid4().hex[:8]
            log.exception("unexpected failure (incident %s)", incident)
            click.echo(f"Something went wrong (incident {incident}). The detail is in the log above.", err=True)
            ctx.exit(1)


@click.group(cls=PlainErrors, help=commands.__doc__.splitlines()[0])
@click.option("--user", default=lambda: os.environ.get("CASEWORK_USER") or getpass.getuser(),
              help="the account to act as (its password: asked for, or $CASEWORK_PASSWORD)")
@click.option("--operator", is_flag=True,
              help=f"act as the operating-system user, for {', '.join(OPERATOR_COMMANDS)} only")
@click.pass_context
def cli(ctx: click.Context, user: str, operator: bool) -> None:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    session = ctx.ensure_object(Session)
    session.act_as(user, operator, ctx.invoked_subcommand or "")
    if operator and session.command not in OPERATOR_COMMANDS + NO_ACCOUNT_COMMANDS:
        raise click.UsageError(f"--operator is only for {', '.join(OPERATOR_COMMANDS)}. Run "
                               f"`{session.command}` as your own account: --user NAME.")


pass_session = click.pass_obj
