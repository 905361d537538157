"""Accounts: creating them (the first administrator in operator mode) and unlocking them."""
from __future__ import annotations

import click

from commands.session import Session, cli, pass_session
from retrieval.records.access import ROLES
from retrieval.records.accounts import MIN_PASSWORD_LENGTH, normalised


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
