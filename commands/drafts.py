"""Drafts and their review: drafting, the pending list, the checks, and the officer's decisions."""
from __future__ import annotations

from pathlib import Path

import click

from commands.session import Session, cli, pass_session

draft_id_argument = click.argument("draft_id")


def print_draft(state) -> None:
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


def _streamed(ctx: click.Context, start) -> None:
    """Run a drafting call, streaming the text to stdout and the stages to stderr; exit 4 if it failed."""
    state = start(lambda t: click.echo(t, nl=False), lambda s: click.echo(f"[{s}]", err=True))
    click.echo()
    print_draft(state)
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
    print_draft(view.state)
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
