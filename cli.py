"""The command line's entry point: `python cli.py --help`. The commands live in commands/, one module per group;
importing them registers them on the group. The names imported here are the ones tests and scripts use."""
from __future__ import annotations

import sys

from commands import accounts, audit_log, cases, drafts, processes, records_management  # noqa: F401 (registers them)
from commands.session import PROJECT, Session, cli, run_beside
from retrieval.records.access import User

__all__ = ["PROJECT", "Session", "User", "cli", "main", "run_beside"]


def main(argv: list[str] | None = None) -> int:
    """Run one command and return its exit code (for `python cli.py` and callers that want a number)."""
    try:
        cli.main(args=argv, prog_name="cli.py")
    except SystemExit as done:
        return done.code if isinstance(done.code, int) else (0 if done.code is None else 1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
