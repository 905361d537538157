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


def _print_checks(service, user: User, state) -> None:
    """The grounding verdict of each sentence of the current version, with the id `accept` needs, and coverage."""
    report = service.grounding_report(user, state.draft_id)
    print(f"Grounding: {len(report.sentences) - len(report.unsupported)} of {len(report.sentences)} sentence(s) "
          "supported by the sources they cite.")
    for check in report.unsupported:
        kept = state.accepted.get(check.key)
        verdict = f"accepted by {kept.actor}: {kept.reason}" if kept else " ".join(check.reasons) + (
            f" Source [{check.supported_by}] supports it as written." if check.supported_by is not None else "")
        print(f"  NOT SUPPORTED {check.key[:12]}  {check.text}\n      {verdict}")
    for gap in service.coverage_gaps(user, state.draft_id):
        print(f"  Not covered: {gap.item} (mentioned in {', '.join(f'[{n}]' for n in gap.sources)})")


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
    draft.add_argument("--template", default=None, help="default: the template made for the case's type")
    draft.add_argument("--document", type=int, default=None, metavar="ID",
                       help="the one letter or e-mail a document template (e.g. correspondence) summarises")
    draft.add_argument("--update", action="store_true",
                       help="draft what changed since the last approved summary, from the documents added since")
    retry = commands.add_parser("retry", help="retry a failed draft")
    retry.add_argument("draft_id")
    commands.add_parser("pending", help="list drafts waiting for a decision, oldest first")
    show = commands.add_parser("show", help="show a draft with its citation and grounding checks")
    show.add_argument("draft_id")
    accept = commands.add_parser("accept", help="keep an unsupported sentence of a draft, with a reason")
    accept.add_argument("draft_id")
    accept.add_argument("sentence", help="the sentence's id as `show` prints it (the first characters suffice)")
    accept.add_argument("--reason", required=True)
    check = commands.add_parser("second-check", help="record a supervisor's second check of an approved summary")
    check.add_argument("draft_id")
    check.add_argument("--outcome", choices=["confirmed", "concern"], required=True)
    check.add_argument("--note", default="")
    versions = commands.add_parser("versions", help="list a draft's versions, or show the diff between two")
    versions.add_argument("draft_id")
    versions.add_argument("--diff", type=int, nargs=2, metavar=("A", "B"), default=None)
    evidence = commands.add_parser("evidence", help="write a summary's evidence pack (JSON and HTML)")
    evidence.add_argument("draft_id")
    evidence.add_argument("--out-dir", type=Path, default=Path("."))
    approve = commands.add_parser("approve", help="approve a pending draft")
    approve.add_argument("draft_id")
    approve.add_argument("--note", default="")
    reject = commands.add_parser("reject", help="reject a pending draft, with a reason")
    reject.add_argument("draft_id")
    reject.add_argument("--reason", required=True)
    edit = commands.add_parser("edit", help="save an edited version of a draft from a text file")
    edit.add_argument("draft_id")
    edit.add_argument("file", type=Path)
    verify = commands.add_parser("verify", help="check that the audit log is intact")
    verify.add_argument("--against", metavar="SEQ:HASH", default=None,
                        help="an anchor printed earlier by `head`: also prove nothing up to it was changed")
    # records management ----
    commands.add_parser("head", help="print the audit log's head (SEQ:HASH) to record outside the system")
    erase = commands.add_parser("erase", help="erase a person's personal content (refused under legal hold)")
    erase.add_argument("person")
    erase.add_argument("--reason", required=True)
    for name, helptext in (("hold", "put a person (or one of their cases) under legal hold"),
                           ("release-hold", "release a legal hold")):
        hold = commands.add_parser(name, help=helptext)
        hold.add_argument("person")
        hold.add_argument("--reason", required=True)
        hold.add_argument("--case", default=None, help="hold only this case of the person")
    expired = commands.add_parser("erase-expired", help="erase everyone whose retention period has ended")
    expired.add_argument("--dry-run", action="store_true", help="only list who would be erased")
    subject = commands.add_parser("subject-access", help="export everything held about a person as JSON")
    subject.add_argument("person")
    subject.add_argument("--out", type=Path, required=True, metavar="FILE.json")
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
            state = service.draft(user, args.case, args.template, on_token, on_stage,
                                  document_id=args.document, update=args.update)
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
        if state.status != "failed":
            _print_checks(service, user, state)
    elif args.command == "accept":
        state = service.draft_state(user, args.draft_id)
        matches = list({c.key: c for c in service.grounding_report(user, args.draft_id).unsupported
                        if c.key.startswith(args.sentence)}.values())  # a sentence repeated is one sentence
        if len(matches) != 1:
            print(f"Error: {'no' if not matches else 'more than one'} unsupported sentence of the current version "
                  f"has an id starting '{args.sentence}'. Run `show` to see the ids.", file=sys.stderr)
            return 2
        state = service.accept_sentence(user, args.draft_id, state.last_seq, matches[0].key, matches[0].text,
                                        args.reason)
        print(f"Accepted: {matches[0].text}")
    elif args.command == "second-check":
        state = service.draft_state(user, args.draft_id)
        service.second_check(user, args.draft_id, state.last_seq, args.outcome, args.note)
        print(f"Second check recorded: {args.outcome}.")
    elif args.command == "versions":
        if args.diff:
            print(service.diff(user, args.draft_id, *args.diff) or "(no differences)")
        for v in service.versions(user, args.draft_id) if not args.diff else ():
            print(f"version {v.number}: {v.label} by {v.author} at {v.recorded_at}")
    elif args.command == "evidence":
        json_text, html_text = service.evidence_pack(user, args.draft_id)
        args.out_dir.mkdir(parents=True, exist_ok=True)
        for suffix, text in (("json", json_text), ("html", html_text)):
            path = args.out_dir / f"evidence-{args.draft_id[:8]}.{suffix}"
            path.write_text(text, encoding="utf-8")
            print(f"Wrote {path}")
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
        result = service.verify_log(user, against=args.against)
        if result.intact:
            anchored = f" It matches the anchor at event {result.anchored_seq}, so nothing up to it was changed." \
                if args.against else ""
            print(f"The audit log is intact: {result.checked} events checked.{anchored}")
            return 0
        where = f" (first broken event: {result.first_broken_seq})" if result.first_broken_seq else ""
        print(f"The audit log is NOT intact: {result.problem}{where}.")
        return 5
    elif args.command in ("head", "erase", "hold", "release-hold", "erase-expired", "subject-access"):
        return _records_management(args, user, service)
    return 0


def _records_management(args, user: User, service) -> int:
    """The records management commands: anchoring, erasure, legal holds, retention, subject access."""
    if args.command == "head":
        seq, digest = service.chain_head(user)
        print(f"{seq}:{digest}")
        print(f"The audit log's newest event is {seq}. Record the line above somewhere outside this system; "
              f"later, `cli.py verify --against` with that line proves nothing up to event {seq} was changed.")
    elif args.command == "erase":
        report = service.erase_person(user, args.person, args.reason)
        print(f"Erased {report.person_reference}: {report.documents} document(s), {report.passages} indexed "
              f"passage(s) and {report.audit_texts} text(s) in the audit log, across {len(report.case_references)} "
              f"case(s). Recorded as audit event {report.event_seq}.")
    elif args.command == "hold":
        hold = service.set_legal_hold(user, args.person, args.reason, args.case)
        print(f"Legal hold set on {hold.describe()}. Erasure is refused until it is released.")
    elif args.command == "release-hold":
        hold = service.release_legal_hold(user, args.person, args.reason, args.case)
        print(f"Legal hold released on {hold.case_reference or hold.person_reference}.")
    elif args.command == "erase-expired":
        run = service.erase_expired(user, dry_run=args.dry_run)
        verb = "Would erase" if args.dry_run else "Erased"
        for person in run.expired:
            if person.person_reference not in run.refused:
                print(f"{verb} {person.person_reference} (cases: {', '.join(person.case_references) or 'none'}; "
                      f"last activity {person.last_activity.date().isoformat()})")
        for reference, why in run.refused.items():
            print(f"Not erased {reference}: {why}")
        print(f"{len(run.expired)} person(s) past the retention period of {service.retention_days} days"
              + (" (dry run: nothing was changed)." if args.dry_run else "."))
        return 0 if not run.refused else 6
    elif args.command == "subject-access":
        export = service.subject_access(user, args.person)
        args.out.write_text(json.dumps(export, indent=2, ensure_ascii=False), encoding="utf-8")
        print(f"Wrote everything held about {args.person} to {args.out}: {len(export['cases'])} case(s), "
              f"{len(export['documents'])} document(s), {len(export['drafts'])} draft(s), "
              f"{len(export['audit_events'])} audit event(s).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
