"""Command line for the same services the app uses: ingest, draft, review, verify, seed the demo.

Run `python cli.py --help`. The CLI acts as a real account: --user (default:
$CASEWORK_USER or the login name) signs in with its password, asked for or
taken from $CASEWORK_PASSWORD, and gets that account's role and team, so the
services refuse what the app would refuse. A few commands that set a machine
up (migrate, seed-demo, creating the first administrator, rotating the audit
key, writing a checkpoint) also run in --operator mode, recorded in the audit
log as "operator:" and the operating-system user. Every event the CLI writes
records that it came from the CLI.
"""
from __future__ import annotations

import dataclasses
import getpass
import json
import logging
import os
import signal
import subprocess
import sys
import time
import uuid
from functools import cached_property
from pathlib import Path
from typing import Callable

import click

from audit.events import OPERATOR_PREFIX
from retrieval.ingest.pipeline import uploads_from_folder
from retrieval.records.access import ROLES, User
from retrieval.records.accounts import MIN_PASSWORD_LENGTH, normalised
from settings import Settings
from summariser.errors import USER_ERRORS, SummariserError

log = logging.getLogger("casework.cli")
PROJECT = Path(__file__).resolve().parent


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


@click.group(cls=PlainErrors, help=__doc__.splitlines()[0])
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
draft_id_argument = click.argument("draft_id")


def _progress_bar(total_label: str):
    from tqdm import tqdm
    bar = None

    def update(done: int, total: int, outcome) -> None:
        nonlocal bar
        if done == 1:  # a new batch (seeding the demo ingests one batch per case)
            bar = tqdm(total=total, desc=total_label, unit="file", file=sys.stderr)
        bar.update(1)
        bar.set_postfix_str(f"{outcome.filename}: {outcome.status}")
        if done == total:
            bar.close()
    return update


def _print_draft(state) -> None:
    click.echo(f"Draft {state.draft_id} for case {state.case_reference}: {state.status}")
    from summariser.drafting.citations import CitationReport
    data = state.drafted.data
    if state.status == "failed":
        click.echo(f"Failed: {data.error}")
        return
    citations = CitationReport.from_dict(data.citations)
    click.echo(f"Citations: {len(citations.resolved)} resolved, unresolved: {citations.unresolved or 'none'}; "
               f"{len(citations.uncited_sentences)} sentence(s) without a citation; "
               f"missing sections: {citations.missing_sections or 'none'}")
    for n, where in sorted(citations.resolved.items()):
        click.echo(f"  [{n}] {where['filename']}, page {where['page']}")
    sign_off = data.sign_off
    score = f", highest vulnerability score {sign_off.score:.2f}" if sign_off.score is not None else ""
    click.echo(f"Sign-off: {'a supervisor' if sign_off.tier == 'supervisor' else 'the officer'} "
               f"(decided by {sign_off.model or 'the word rule'}{score})")
    for reason in sign_off.reasons:
        click.echo(f"  {reason}")


def _print_checks(view) -> None:
    """The grounding verdict of each sentence of the current version, with the id `accept` needs, and coverage."""
    report, state = view.grounding, view.state
    click.echo(f"Grounding: {len(report.sentences) - len(report.unsupported)} of {len(report.sentences)} "
               "sentence(s) supported by the sources they cite.")
    for check in report.unsupported:
        kept = state.accepted.get(check.key)
        verdict = f"accepted by {kept.actor}: {kept.reason}" if kept else " ".join(check.reasons) + (
            f" Source [{check.supported_by}] supports it as written." if check.supported_by is not None else "")
        click.echo(f"  NOT SUPPORTED {check.key[:12]}  {check.text}\n      {verdict}")
    for gap in view.coverage:
        click.echo(f"  Not covered: {gap.item} (mentioned in {', '.join(f'[{n}]' for n in gap.sources)})")


# people and cases -------------------------------------------------------------------------------
@cli.command("seed-demo")
@pass_session
def seed_demo_command(session: Session) -> None:
    """load the demo caseload into an empty data directory"""
    from demo.seed import DEMO_PASSWORD, demo_accounts, seed_demo
    services, user = session.services, session.user
    if services.cases.cases(user):
        click.echo("The data directory already holds cases; the demo was not loaded again.")
    else:
        count = seed_demo(services, user, progress=_progress_bar("Loading demo files"))
        click.echo(f"Loaded the demo caseload: {count} cases.")
    demo = demo_accounts(services, user)
    if demo:
        click.echo(f"\nDemo accounts (password for each: {DEMO_PASSWORD}):")
        for account in demo:
            click.echo(f"  {account.username:16} {account.role:10} team: {account.team}")


@cli.command("cases")
@pass_session
def cases_command(session: Session) -> None:
    """list cases and their summary status"""
    for listing in session.services.cases.cases(session.user):
        o = listing.overview
        click.echo(f"{o.case.reference:16} {o.case.team:18} {o.case.person.full_name:24} "
                   f"{o.document_count:3} docs  summary: {listing.summary_status}")


def _triage_decision(confirm: int | None, dismiss: int | None, reason: str | None) -> tuple[int, str] | None:
    """(document id, decision) asked for by --confirm or --dismiss, or None; refuses a --reason without one of
    them, and one of them without a --reason (a blank reason is the service's to refuse, as in the app)."""
    if confirm is None and dismiss is None:
        if reason is not None:
            raise click.UsageError("--reason goes with --confirm ID or --dismiss ID.")
        return None
    if reason is None:
        raise click.UsageError('Say why with --reason "..." (for example, which words show a risk, or why they do '
                               "not); it is recorded in the audit log.")
    from summariser.services.triage import CONFIRMED, DISMISSED
    return (confirm, CONFIRMED) if confirm is not None else (dismiss, DISMISSED)


@cli.command("triage")
@click.option("--team", default=None, help="administrators: the team whose queue to list")
@click.option("--document", type=int, default=None, metavar="ID",
              help="only this document's vulnerability score and the sentences that drove it")
@click.option("--confirm", type=int, default=None, metavar="ID",
              help="record that this letter or e-mail shows signs of risk (with --reason); it leaves the queue")
@click.option("--dismiss", type=int, default=None, metavar="ID",
              help="record that this letter or e-mail shows no signs of risk (with --reason); it leaves the queue")
@click.option("--reason", default=None, help="why you confirm or dismiss it (recorded in the audit log)")
@click.option("--export", "export_to", type=click.Path(path_type=Path), default=None, metavar="FILE.jsonl",
              help="administrators: write every decision with its letter's text, for retraining (personal data; "
                   "recorded in the audit log)")
@pass_session
def triage(session: Session, team: str | None, document: int | None, confirm: int | None, dismiss: int | None,
           reason: str | None, export_to: Path | None) -> None:
    """incoming letters and e-mails, those that may be a cry for help first (the app's Incoming correspondence);
    officers and supervisors confirm or dismiss each flag with a reason"""
    if sum(x is not None for x in (document, confirm, dismiss, export_to)) > 1:
        raise click.UsageError("Use one of --document, --confirm, --dismiss and --export at a time.")
    decide = _triage_decision(confirm, dismiss, reason)
    service = session.services.triage
    if service is None:
        raise click.ClickException("This installation does not use the bundled vulnerability model, so nothing "
                                   "can be scored.")
    if decide is not None:
        document_id, decision = decide
        earlier = service.score(session.user, document_id).decision  # the page never offers a decided letter
        if earlier is not None:
            raise SummariserError(
                f"Document {document_id} was already {earlier.decision} by {earlier.actor} on "
                f"{earlier.recorded_at[:10]}. A letter is decided once; the decision is in the audit log.")
        done = service.decide(session.user, document_id, decision, reason)  # the app's call: its rules and event
        verdict = "is confirmed as showing signs of risk" if confirm is not None else "is dismissed: no signs of risk"
        click.echo(f"Document {document_id} {verdict}. It was shown with score {done.score:.2f} "
                   f"({'flagged' if done.flagged else 'not flagged'}; threshold {done.threshold:.2f}). Your reason "
                   "is recorded in the audit log, and the letter has left the queue.")
        return
    if export_to is not None:
        export = service.export_labels(session.user)
        with os.fdopen(os.open(export_to, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "w", encoding="utf-8") as out:
            out.write(export.text)  # personal data: readable by its owner only
        click.echo(f"Wrote {export.decisions} decision(s) with their letters' text to {export_to} (personal data: "
                   f"keep it only where the rules allow); {export.left_out} about erased letters left out. "
                   f"SHA-256 {export.file_sha256}, recorded in the audit log.")
        return

    def show(number: str, t) -> None:
        kind = {"e-mail": "e-mail", "letter": "scanned letter"}.get(t.kind, "not correspondence")
        click.echo(f"{number}score {t.score:.2f} ({'flagged' if t.flagged else 'not flagged'}; threshold "
                   f"{t.threshold:.2f})  received {t.received:%d %b %Y}  {t.case_reference}  document {t.document_id} "
                   f"{t.filename} ({kind})")
        for sentence in t.sentences:
            click.echo(f"      {sentence.score:.2f}  {' '.join(sentence.text.split())}")
    if document is not None:
        t = service.score(session.user, document)
        show("", t)
        if t.decision is not None:
            click.echo(f"Decided: {t.decision.decision} by {t.decision.actor} on {t.decision.recorded_at[:10]}.")
        return
    queue = service.queue(session.user, team)
    click.echo(f"{len(queue.waiting)} letter(s) and e-mail(s) of the {queue.team} team waiting, by group of score "
               f"and then oldest first; {queue.decided_total} decided. Scored by {queue.model}.")
    band = None
    for number, t in enumerate(queue.waiting, start=1):
        if t.band != band:
            band = t.band
            click.echo(band.name)
        show(f"{number:4}. ", t)


@cli.command("add-user")
@click.argument("username")
@click.option("--full-name", required=True)
@click.option("--role", type=click.Choice(ROLES), required=True)
@click.option("--team", required=True, help="the team whose cases the account may see")
@pass_session
def add_user(session: Session, username: str, full_name: str, role: str, team: str) -> None:
    """create an account, or reset its password (asks for it); in operator mode, only the first administrator"""
    if session.operator and (role != "admin" or session.services.accounts.has_administrator()):
        raise click.UsageError("Operator mode only creates the first administrator (--role admin) while there is "
                               "none. Add other accounts as an administrator: --user ADMIN add-user ...")
    user = session.user  # signed in before the new password is read, as both may come from the terminal
    stdin = click.get_text_stream("stdin")
    prompt = f"Password (at least {MIN_PASSWORD_LENGTH} characters)"
    password = click.prompt(prompt, hide_input=True) if stdin.isatty() else stdin.readline().rstrip("\n")
    saved = session.services.accounts.save_account(user, username, full_name, role, team, password)
    click.echo(f"Saved account {saved.username} ({saved.role}, team {saved.team}).")


@cli.command("unlock-account")
@click.argument("username")
@pass_session
def unlock_account(session: Session, username: str) -> None:
    """let an account locked after failed sign-ins sign in again now (administrators)"""
    before = session.services.accounts.unlock_account(session.user, username)
    name = normalised(username)
    click.echo(f"Unlocked account {name}: it can sign in again now." if before.locked_at else
               f"Account {name} was not locked; its {before.failures} failed sign-in(s) in a row are forgotten.")


@cli.command("ingest")
@click.argument("case")
@click.argument("folder", type=click.Path(path_type=Path))
@click.option("--password", "passwords", multiple=True, metavar="FILE=PASSWORD",
              help="password for a protected PDF (repeatable)")
@click.pass_context
def ingest(ctx: click.Context, case: str, folder: Path, passwords: tuple[str, ...]) -> None:
    """add every file in a folder to a case"""
    session: Session = ctx.obj
    by_file = dict(p.split("=", 1) for p in passwords)
    uploads = [dataclasses.replace(u, password=by_file.get(u.filename))  # keeps the real size of a file too big
               for u in uploads_from_folder(folder, int(session.settings.max_file_mb * 1024 * 1024))]
    outcomes = session.services.cases.ingest(session.user, case, uploads, _progress_bar(f"Adding to {case}"))
    for o in outcomes:
        click.echo(f"{o.status:13} {o.filename}: {o.message}")
    if getattr(outcomes, "reading_problem", None):
        click.echo(f"Warning: {outcomes.reading_problem}", err=True)
    elif getattr(outcomes, "queued", 0):
        click.echo(f"Queued {outcomes.queued} passage(s) to be read for facts; `cli.py reading {case} --wait` "
                   "shows the progress.")
    ctx.exit(0 if all(o.status != "refused" for o in outcomes) else 3)


# reading passages into facts --------------------------------------------------------------------------
@cli.command("worker")
@click.option("--workers", type=click.IntRange(1, 64), default=1, show_default=True,
              help="passages read at once, each by its own process with its own copy of the model")
@pass_session
def worker(session: Session, workers: int) -> None:
    """read queued passages into facts until stopped (Ctrl+C); `make run` starts one beside the app"""
    logging.getLogger().setLevel(logging.INFO)  # a worker's log says what it reads and what failed
    click.echo(f"The reading worker is starting ({workers} at a time). Stop it with Ctrl+C.", err=True)
    session.run_worker(session.settings, workers)


def _wait_for_reading(read, progress, case: str, poll_s: float, timeout_s: float | None):
    """Show a progress bar until every passage is read or failed (or `timeout_s` passes); the last progress."""
    from tqdm import tqdm
    started = time.monotonic()
    with tqdm(total=progress.total, initial=progress.done + progress.failed, desc=f"Reading {case}", unit="passage",
              file=sys.stderr) as bar:
        while not progress.finished:
            if timeout_s is not None and time.monotonic() - started > timeout_s:
                break
            time.sleep(poll_s)
            progress = read()
            bar.total = progress.total
            bar.n = progress.done + progress.failed
            bar.set_postfix_str(f"{progress.failed} failed" if progress.failed else "", refresh=False)
            bar.refresh()
    return progress


@cli.command("reading")
@click.argument("case")
@click.option("--wait", is_flag=True, help="show a progress bar until every passage is read or has failed")
@click.option("--timeout", type=float, default=None, metavar="SECONDS", help="with --wait: give up after this long")
@click.pass_context
def reading(ctx: click.Context, case: str, wait: bool, timeout: float | None) -> None:
    """show how far reading a case's passages has got, and the ones that failed"""
    session: Session = ctx.obj
    service = session.services.reading
    progress = service.progress(session.user, case)
    if progress.problem:
        click.echo(f"Warning: {progress.problem}", err=True)
    if wait and not progress.finished:
        click.echo("Waiting for the reading worker (start one with `cli.py worker`); Ctrl+C stops waiting, not "
                   "the reading.", err=True)
        progress = _wait_for_reading(lambda: service.progress(session.user, case), progress, case, session.poll_s,
                                     timeout)
    click.echo(f"Case {case}: {progress.words}")
    if not progress.finished and (progress.reading or progress.pending):
        click.echo(f"  {progress.reading} being read, {progress.pending} waiting.")
    for failure in service.failures(session.user, case):
        click.echo(f"  FAILED {failure.filename}, page {failure.page} (tried {failure.attempts} time(s)): "
                   f"{failure.error}")
    if progress.failed:
        click.echo(f"Try them again with `cli.py retry-reading {case}`.")
    if wait and not progress.finished:
        click.echo(f"Error: reading {case} has not finished after {timeout:g} seconds. Is a reading worker running "
                   "(cli.py worker)?", err=True)
        ctx.exit(8)
    ctx.exit(7 if progress.failed else 0)


@cli.command("retry-reading")
@click.argument("case")
@pass_session
def retry_reading(session: Session, case: str) -> None:
    """queue a case's failed passage readings again"""
    count = session.services.reading.retry(session.user, case)
    click.echo(f"Queued {count} failed passage(s) of {case} to be read again." if count else
               f"No passage of {case} has failed, so there is nothing to try again.")


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


# drafting ---------------------------------------------------------------------------------------
def _streamed(ctx: click.Context, start) -> None:
    """Run a drafting call, streaming the text to stdout and the stages to stderr; exit 4 if it failed."""
    state = start(lambda t: click.echo(t, nl=False), lambda s: click.echo(f"[{s}]", err=True))
    click.echo()
    _print_draft(state)
    ctx.exit(0 if state.status != "failed" else 4)


@cli.command("draft")
@click.argument("case")
@click.option("--template", default=None, help="default: the template made for the case's type")
@click.option("--document", type=int, default=None, metavar="ID",
              help="the one letter or e-mail a document template (e.g. correspondence) summarises")
@click.option("--update", is_flag=True,
              help="draft what changed since the last approved summary, from the documents added since")
@click.option("--from", "source", type=click.Choice(["facts", "passages"]), default=None,
              help="draft from the case's checked facts or (the older method) give the model the passages; "
                   "default: CASEWORK_DRAFT_FROM")
@click.pass_context
def draft(ctx: click.Context, case: str, template: str | None, document: int | None, update: bool,
          source: str | None) -> None:
    """draft a cited summary of a case (it stays pending)"""
    session: Session = ctx.obj
    _streamed(ctx, lambda on_token, on_stage: session.services.drafting.draft(
        session.user, case, template, on_token, on_stage, document_id=document, update=update,
        direct=None if source is None else source == "passages"))


@cli.command("retry")
@draft_id_argument
@click.pass_context
def retry(ctx: click.Context, draft_id: str) -> None:
    """retry a failed draft"""
    session: Session = ctx.obj
    _streamed(ctx, lambda on_token, on_stage: session.services.drafting.retry(session.user, draft_id, on_token,
                                                                               on_stage))


# review -----------------------------------------------------------------------------------------
@cli.command("pending")
@pass_session
def pending(session: Session) -> None:
    """list drafts waiting for a decision, oldest first"""
    for state in session.services.review.pending(session.user):
        click.echo(f"{state.draft_id}  {state.case_reference:16} {state.status:8} asked by {state.requested_by} "
                   f"at {state.requested_at}")


@cli.command("show")
@draft_id_argument
@pass_session
def show(session: Session, draft_id: str) -> None:
    """show a draft with its citation and grounding checks"""
    view = session.services.review.view(session.user, draft_id)
    if view.state.current:
        click.echo(view.text + "\n")
    _print_draft(view.state)
    if view.state.status != "failed":
        _print_checks(view)


@cli.command("accept")
@draft_id_argument
@click.argument("sentence")
@click.option("--reason", required=True)
@click.pass_context
def accept(ctx: click.Context, draft_id: str, sentence: str, reason: str) -> None:
    """keep an unsupported sentence of a draft, with a reason (SENTENCE: its id as `show` prints it; the first
    characters suffice)"""
    session: Session = ctx.obj
    view = session.services.review.view(session.user, draft_id)
    matches = list({c.key: c for c in view.grounding.unsupported
                    if c.key.startswith(sentence)}.values())  # a sentence repeated is one sentence
    if len(matches) != 1:
        click.echo(f"Error: {'no' if not matches else 'more than one'} unsupported sentence of the current version "
                   f"has an id starting '{sentence}'. Run `show` to see the ids.", err=True)
        ctx.exit(2)
    session.services.review.accept_sentence(session.user, draft_id, view.state.last_seq, matches[0].key,
                                            matches[0].text, reason)
    click.echo(f"Accepted: {matches[0].text}")


@cli.command("second-check")
@draft_id_argument
@click.option("--outcome", type=click.Choice(["confirmed", "concern"]), required=True)
@click.option("--note", default="")
@pass_session
def second_check(session: Session, draft_id: str, outcome: str, note: str) -> None:
    """record a supervisor's second check of an approved summary"""
    review = session.services.review
    state = review.draft_state(session.user, draft_id)
    review.second_check(session.user, draft_id, state.last_seq, outcome, note)
    click.echo(f"Second check recorded: {outcome}.")


@cli.command("versions")
@draft_id_argument
@click.option("--diff", "between", type=int, nargs=2, default=None, metavar="A B")
@pass_session
def versions(session: Session, draft_id: str, between: tuple[int, int] | None) -> None:
    """list a draft's versions, or show the diff between two"""
    review = session.services.review
    if between:
        click.echo(review.diff(session.user, draft_id, *between) or "(no differences)")
        return
    for v in review.versions(session.user, draft_id):
        click.echo(f"version {v.number}: {v.label} by {v.author} at {v.recorded_at}")


@cli.command("evidence")
@draft_id_argument
@click.option("--out-dir", type=click.Path(path_type=Path), default=Path("."))
@pass_session
def evidence(session: Session, draft_id: str, out_dir: Path) -> None:
    """write a summary's evidence pack (JSON and HTML)"""
    json_text, html_text = session.services.review.evidence_pack(session.user, draft_id)
    out_dir.mkdir(parents=True, exist_ok=True)
    for suffix, text in (("json", json_text), ("html", html_text)):
        path = out_dir / f"evidence-{draft_id[:8]}.{suffix}"
        path.write_text(text, encoding="utf-8")
        click.echo(f"Wrote {path}")


def _decide(session: Session, draft_id: str, decide) -> None:
    """One decision on the draft as it is now; prints the status it leaves."""
    state = session.services.review.draft_state(session.user, draft_id)
    state = decide(session.user, draft_id, state.last_seq)
    click.echo(f"Draft {state.draft_id} is now {state.status}.")


@cli.command("approve")
@draft_id_argument
@click.option("--note", default="")
@pass_session
def approve(session: Session, draft_id: str, note: str) -> None:
    """approve a pending draft"""
    _decide(session, draft_id, lambda user, d, seq: session.services.review.approve(user, d, seq, note))


@cli.command("reject")
@draft_id_argument
@click.option("--reason", required=True)
@pass_session
def reject(session: Session, draft_id: str, reason: str) -> None:
    """reject a pending draft, with a reason"""
    _decide(session, draft_id, lambda user, d, seq: session.services.review.reject(user, d, seq, reason))


@cli.command("edit")
@draft_id_argument
@click.argument("file", type=click.Path(path_type=Path))
@pass_session
def edit(session: Session, draft_id: str, file: Path) -> None:
    """save an edited version of a draft from a text file"""
    text = file.read_text(encoding="utf-8")
    _decide(session, draft_id, lambda user, d, seq: session.services.review.edit(user, d, seq, text))


# the audit log and records management -------------------------------------------------------------
@cli.command("verify")
@click.option("--against", metavar="SEQ:HASH", default=None,
              help="an anchor printed earlier by `head`: also prove nothing up to it was changed")
@click.pass_context
def verify(ctx: click.Context, against: str | None) -> None:
    """check that the audit log is intact"""
    session: Session = ctx.obj
    result = session.services.supervision.verify_log(session.user, against=against)
    anchored = f" It matches the anchor at event {result.anchored_seq}, so nothing up to it was changed." \
        if against and result.intact else ""
    click.echo(result.summary() + anchored)
    ctx.exit(0 if result.intact else 5)


@cli.command("head")
@pass_session
def head(session: Session) -> None:
    """print the audit log's head (SEQ:HASH) to record outside the system"""
    seq, digest = session.services.supervision.chain_head(session.user)
    click.echo(f"{seq}:{digest}")
    click.echo(f"The audit log's newest event is {seq}. Record the line above somewhere outside this system; "
               f"later, `cli.py verify --against` with that line proves nothing up to event {seq} was changed.")


@cli.command("rotate-audit-key")
@pass_session
def rotate_audit_key(session: Session) -> None:
    """start signing the audit log with a new key; old keys are kept so old events still verify"""
    key_id = session.services.supervision.rotate_audit_key(session.user)
    click.echo(f"The audit log is now signed with key {key_id}. Older keys are kept in the same file: copy it "
               "again to wherever its copy is kept.")


@cli.command("checkpoint")
@pass_session
def checkpoint(session: Session) -> None:
    """write a signed checkpoint of the audit log's head now (for a scheduled job)"""
    seq = session.services.supervision.write_checkpoint(session.user)
    click.echo(f"Wrote a signed checkpoint of event {seq}.")


@cli.command("migrate")
@pass_session
def migrate_command(session: Session) -> None:
    """bring the database to the newest schema (every command does this first; this does only that)"""
    from database import make_engine, migrate
    engine = make_engine(session.settings.resolved_database_url)
    migrate(engine)
    engine.dispose()
    click.echo("The database is at the newest schema.")


@cli.command("erase")
@click.argument("person")
@click.option("--reason", required=True)
@pass_session
def erase(session: Session, person: str, reason: str) -> None:
    """erase a person's personal content (refused under legal hold)"""
    report = session.services.records_admin.erase_person(session.user, person, reason)
    click.echo(f"Erased {report.person_reference}: {report.documents} document(s), {report.passages} indexed "
               f"passage(s) and {report.audit_texts} text(s) in the audit log, across "
               f"{len(report.case_references)} case(s). Recorded as audit event {report.event_seq}.")


hold_options = (click.argument("person"), click.option("--reason", required=True),
                click.option("--case", default=None, help="hold only this case of the person"))


def _with_hold_options(command):
    for option in reversed(hold_options):
        command = option(command)
    return command


@cli.command("hold")
@_with_hold_options
@pass_session
def hold(session: Session, person: str, reason: str, case: str | None) -> None:
    """put a person (or one of their cases) under legal hold"""
    held = session.services.records_admin.set_legal_hold(session.user, person, reason, case)
    click.echo(f"Legal hold set on {held.describe()}. Erasure is refused until it is released.")


@cli.command("release-hold")
@_with_hold_options
@pass_session
def release_hold(session: Session, person: str, reason: str, case: str | None) -> None:
    """release a legal hold"""
    released = session.services.records_admin.release_legal_hold(session.user, person, reason, case)
    click.echo(f"Legal hold released on {released.case_reference or released.person_reference}.")


@cli.command("erase-expired")
@click.option("--dry-run", is_flag=True, help="only list who would be erased")
@click.pass_context
def erase_expired(ctx: click.Context, dry_run: bool) -> None:
    """erase everyone whose retention period has ended"""
    session: Session = ctx.obj
    admin = session.services.records_admin
    run = admin.erase_expired(session.user, dry_run=dry_run)
    verb = "Would erase" if dry_run else "Erased"
    for person in run.expired:
        if person.person_reference not in run.refused:
            click.echo(f"{verb} {person.person_reference} (cases: {', '.join(person.case_references) or 'none'}; "
                       f"last activity {person.last_activity.date().isoformat()})")
    for reference, why in run.refused.items():
        click.echo(f"Not erased {reference}: {why}")
    click.echo(f"{len(run.expired)} person(s) past the retention period of {admin.retention_days} days"
               + (" (dry run: nothing was changed)." if dry_run else "."))
    ctx.exit(0 if not run.refused else 6)


@cli.command("subject-access")
@click.argument("person")
@click.option("--out", type=click.Path(path_type=Path), required=True, metavar="FILE.json")
@pass_session
def subject_access(session: Session, person: str, out: Path) -> None:
    """export everything held about a person as JSON"""
    export = session.services.records_admin.subject_access(session.user, person)
    out.write_text(json.dumps(export, indent=2, ensure_ascii=False), encoding="utf-8")
    click.echo(f"Wrote everything held about {person} to {out}: {len(export['cases'])} case(s), "
               f"{len(export['documents'])} document(s), {len(export['drafts'])} draft(s), "
               f"{len(export['audit_events'])} audit event(s).")


def main(argv: list[str] | None = None) -> int:
    """Run one command and return its exit code (for `python cli.py` and callers that want a number)."""
    try:
        cli.main(args=argv, prog_name="cli.py")
    except SystemExit as done:
        return done.code if isinstance(done.code, int) else (0 if done.code is None else 1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
