"""Command line for the same service the app uses: ingest, draft, review, verify, seed the demo.

Run `python cli.py --help`. The CLI acts as a local administrator named by
--user (default: $CASEWORK_USER or the login name); every action it takes is
recorded in the audit log under that name.
"""
from __future__ import annotations

import argparse
import getpass
import json
import logging
import os
import sys
import uuid
from pathlib import Path

from retrieval.access import User
from retrieval.ingest import Upload, uploads_from_folder
from settings import PROJECT_ROOT, Settings
from summariser.errors import USER_ERRORS

DEMO = PROJECT_ROOT / "demo"
DEMO_PASSWORD = "casework-demo"  # for the fictional demo accounts only; printed by `make run`
log = logging.getLogger("casework.cli")


def _service(settings: Settings):
    from summariser.wiring import build_service  # heavy imports only once a command runs
    return build_service(settings)


def seed_demo(service, user: User, demo_dir: Path = DEMO, progress=None) -> int:
    """Register the demo caseload and ingest its files; returns the number of cases. Idempotent."""
    caseload = json.loads((demo_dir / "caseload.json").read_text(encoding="utf-8"))
    for account in caseload["accounts"]:
        service.save_account(user, account["username"], account["full_name"], account["role"], account["team"],
                             DEMO_PASSWORD)
    people = {p["reference"]: p for p in caseload["persons"]}
    for entry in caseload["cases"]:
        service.register_case(user, people[entry["person"]], entry)
        folder = demo_dir / "files" / entry["reference"]
        if folder.is_dir():
            service.ingest(user, entry["reference"], uploads_from_folder(folder, 50 * 1024 * 1024), progress)
    return len(caseload["cases"])


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
    print(f"Draft {state.draft_id} for case {state.case_reference}: {state.status}")
    payload = state.drafted.payload
    if state.status == "failed":
        print(f"Failed: {payload['error']}")
        return
    citations = payload["citations"]
    print(f"Citations: {len(citations['resolved'])} resolved, unresolved: {citations['unresolved'] or 'none'}; "
          f"{len(citations['uncited_sentences'])} sentence(s) without a citation; "
          f"missing sections: {citations['missing_sections'] or 'none'}")
    for n, where in sorted(citations["resolved"].items(), key=lambda kv: int(kv[0])):
        print(f"  [{n}] {where['filename']}, page {where['page']}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="cli.py", description=__doc__.splitlines()[0])
    parser.add_argument("--user", default=os.environ.get("CASEWORK_USER") or getpass.getuser(),
                        help="name recorded in the audit log for this action")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("seed-demo", help="load the demo caseload into an empty data directory")
    commands.add_parser("cases", help="list cases and their summary status")
    add_user = commands.add_parser("add-user", help="create an account, or reset its password (asks for it)")
    add_user.add_argument("username")
    add_user.add_argument("--full-name", required=True)
    add_user.add_argument("--role", choices=["officer", "supervisor", "admin"], required=True)
    add_user.add_argument("--team", required=True, help="the team whose cases the account may see")
    ingest = commands.add_parser("ingest", help="add every file in a folder to a case")
    ingest.add_argument("case")
    ingest.add_argument("folder", type=Path)
    ingest.add_argument("--password", action="append", default=[], metavar="FILE=PASSWORD",
                        help="password for a protected PDF (repeatable)")
    draft = commands.add_parser("draft", help="draft a cited summary of a case (it stays pending)")
    draft.add_argument("case")
    draft.add_argument("--template", default=None)
    retry = commands.add_parser("retry", help="retry a failed draft")
    retry.add_argument("draft_id")
    commands.add_parser("pending", help="list drafts waiting for a decision, oldest first")
    show = commands.add_parser("show", help="show a draft with its citation check")
    show.add_argument("draft_id")
    approve = commands.add_parser("approve", help="approve a pending draft")
    approve.add_argument("draft_id")
    approve.add_argument("--note", default="")
    reject = commands.add_parser("reject", help="reject a pending draft, with a reason")
    reject.add_argument("draft_id")
    reject.add_argument("--reason", required=True)
    edit = commands.add_parser("edit", help="save an edited version of a draft from a text file")
    edit.add_argument("draft_id")
    edit.add_argument("file", type=Path)
    commands.add_parser("verify", help="check that the audit log is intact")
    args = parser.parse_args(argv)

    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    user = User(args.user, "admin", "all")
    try:
        return _run(args, user, Settings())
    except USER_ERRORS as error:
        print(f"Error: {error}", file=sys.stderr)
        return 2
    except Exception:
        incident = uuid.uuid4().hex[:8]
        log.exception("unexpected failure (incident %s)", incident)
        print(f"Something went wrong (incident {incident}). The detail is in the log above.", file=sys.stderr)
        return 1


def _run(args, user: User, settings: Settings) -> int:
    service = _service(settings)
    if args.command == "seed-demo":
        if service.cases(user):
            print("The data directory already holds cases; the demo was not loaded again.")
        else:
            count = seed_demo(service, user, progress=_progress_bar("Loading demo files"))
            print(f"Loaded the demo caseload: {count} cases.")
        demo = [a for a in service.accounts.all() if service.accounts.authenticate_quietly(a.username, DEMO_PASSWORD)]
        if demo:
            print(f"\nDemo accounts (password for each: {DEMO_PASSWORD}):")
            for account in demo:
                print(f"  {account.username:16} {account.role:10} team: {account.team}")
    elif args.command == "add-user":
        password = getpass.getpass("Password (at least 8 characters): ") if sys.stdin.isatty() \
            else sys.stdin.readline().rstrip("\n")
        saved = service.save_account(user, args.username, args.full_name, args.role, args.team, password)
        print(f"Saved account {saved.username} ({saved.role}, team {saved.team}).")
    elif args.command == "cases":
        for listing in service.cases(user):
            o = listing.overview
            print(f"{o.case.reference:16} {o.case.team:18} {o.case.person.full_name:24} "
                  f"{o.document_count:3} docs  summary: {listing.summary_status}")
    elif args.command == "ingest":
        passwords = dict(p.split("=", 1) for p in args.password)
        uploads = [Upload(u.filename, u.data, passwords.get(u.filename))
                   for u in uploads_from_folder(args.folder, int(settings.max_file_mb * 1024 * 1024) )]
        outcomes = service.ingest(user, args.case, uploads, _progress_bar(f"Adding to {args.case}"))
        for o in outcomes:
            print(f"{o.status:13} {o.filename}: {o.message}")
        return 0 if all(o.status != "refused" for o in outcomes) else 3
    elif args.command in ("draft", "retry"):
        on_token = lambda t: print(t, end="", flush=True)  # noqa: E731
        on_stage = lambda s: print(f"[{s}]", file=sys.stderr, flush=True)  # noqa: E731
        if args.command == "draft":
            state = service.draft(user, args.case, args.template, on_token, on_stage)
        else:
            state = service.retry(user, args.draft_id, on_token, on_stage)
        print()
        _print_draft(state)
        return 0 if state.status != "failed" else 4
    elif args.command == "pending":
        for state in service.pending(user):
            print(f"{state.draft_id}  {state.case_reference:16} {state.status:8} asked by {state.requested_by} "
                  f"at {state.requested_at}")
    elif args.command == "show":
        state = service.draft_state(user, args.draft_id)
        if state.current:
            print(state.current.text, end="\n\n")
        _print_draft(state)
    elif args.command in ("approve", "reject", "edit"):
        state = service.draft_state(user, args.draft_id)
        if args.command == "approve":
            state = service.approve(user, args.draft_id, state.last_seq, args.note)
        elif args.command == "reject":
            state = service.reject(user, args.draft_id, state.last_seq, args.reason)
        else:
            state = service.edit(user, args.draft_id, state.last_seq, args.file.read_text(encoding="utf-8"))
        print(f"Draft {state.draft_id} is now {state.status}.")
    elif args.command == "verify":
        result = service.audit.verify()
        if result.intact:
            print(f"The audit log is intact: {result.checked} events checked.")
            return 0
        print(f"The audit log is NOT intact: {result.problem} (first broken event: {result.first_broken_seq}).")
        return 5
    return 0


if __name__ == "__main__":
    sys.exit(main())
