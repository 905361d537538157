"""Command line for the same services the app uses: ingest, draft, review, verify, seed the demo.

Run `python cli.py --help`. The CLI acts as a real account: --user (default:
$CASEWORK_USER or the login name) signs in with its password, asked for or
taken from $CASEWORK_PASSWORD, and gets that account's role and team, so the
services refuse what the app would refuse. A few commands that set a machine
up (migrate, seed-demo, creating the first administrator, rotating the audit
key, writing a checkpoint) also run in --operator mode, recorded in the audit
log as "operator:" and the operating-system user. Every event the CLI writes
records that it came from the CLI.

One module per group of commands, each registering its commands on the group that session.py defines;
cli.py, the entry point, imports them all.
"""
