"""Load the fictional demo caseload through the services, as an administrator would: accounts, cases, files.

Going through the services (not the stores) means the demo's accounts, cases
and files are checked and audited exactly like real ones.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Callable

from retrieval.ingest.pipeline import IngestOutcome, uploads_from_folder
from retrieval.records.access import User

DEMO = Path(__file__).resolve().parent
DEMO_PASSWORD = "demo-caseload-2026"  # for the fictional demo accounts only; printed by `make run`
MAX_DEMO_FILE_BYTES = 50 * 1024 * 1024


def seed_demo(services, user: User, demo_dir: Path = DEMO,
              progress: Callable[[int, int, IngestOutcome], None] | None = None) -> int:
    """Register the demo caseload and ingest its files, then check them (prompt injection, vulnerability) at once
    rather than leave that to the worker: the demo opens with its flags shown. Returns the number of cases.
    Idempotent."""
    caseload = json.loads((demo_dir / "caseload.json").read_text(encoding="utf-8"))
    seed_directory(services, user, demo_dir)
    for account in caseload["accounts"]:
        services.accounts.save_account(user, account["username"], account["full_name"], account["role"],
                                       account["team"], DEMO_PASSWORD)
    people = {p["reference"]: p for p in caseload["persons"]}
    for entry in caseload["cases"]:
        services.cases.register_case(user, people[entry["person"]], entry)
        folder = demo_dir / "files" / entry["reference"]
        if folder.is_dir():
            services.cases.ingest(user, entry["reference"], uploads_from_folder(folder, MAX_DEMO_FILE_BYTES),
                                  progress)
    if services.checks is not None:
        services.checks.run_all()
    return len(caseload["cases"])


def seed_directory(services, user: User, demo_dir: Path = DEMO) -> int:
    """Import the demo directory of services (demo/services.csv, every entry marked as demo data) into an empty
    directory; returns how many entries were added."""
    directory, csv_file = services.signposting, demo_dir / "services.csv"
    if directory is None or not csv_file.is_file() or directory.entries(user, include_retired=True):
        return 0
    return len(directory.import_csv(user, csv_file.read_bytes(), csv_file.name).added)


def demo_accounts(services, user: User) -> list[User]:
    """The accounts that still have the demo password, to print with it."""
    return services.accounts.accounts_with_password(user, DEMO_PASSWORD)
