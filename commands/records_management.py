"""Records management: erasure, legal holds, retention and subject access."""
from __future__ import annotations

import json
from pathlib import Path

import click

from commands.session import Session, cli, pass_session


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
