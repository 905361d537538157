"""Cases and their documents: the demo caseload, the case list, adding files, reading them into facts, and
the triage of incoming letters."""
from __future__ import annotations

import dataclasses
import os
import sys
import time
from pathlib import Path

import click

from commands.session import Session, cli, pass_session
from retrieval.ingest.pipeline import uploads_from_folder
from summariser.errors import SummariserError


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
