"""The audit log kept provable (verify, anchors, signing keys, checkpoints) and the schema it is stored in."""
from __future__ import annotations

import click

from commands.session import Session, cli, pass_session


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
