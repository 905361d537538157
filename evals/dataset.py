"""Reading the labelled set (ACI-Bench: dialogue -> reference clinical note) from where it lies.

The data is read at run time and never copied into the repository.
"""
from __future__ import annotations

import csv
import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from settings import PROJECT_ROOT

# The shared corpus lies beside the project unless CASEWORK_CORPUS_DIR says otherwise (as for the tests).
CORPUS_DIR = Path(os.environ.get("CASEWORK_CORPUS_DIR", "").strip() or PROJECT_ROOT.parent / "shared" / "corpus")
DEFAULT_DATA = CORPUS_DIR / "summarisation" / "aci-bench" / "valid.csv"
COLUMNS = ("dataset", "encounter_id", "dialogue", "note")


def shown_path(path: Path) -> str:
    """The data's path as results record it: relative to the project, so no machine's own path is kept."""
    return Path(os.path.relpath(Path(path).resolve(), PROJECT_ROOT)).as_posix()


class DatasetError(Exception):
    """The labelled set cannot be used; the message says what to fix."""


@dataclass(frozen=True)
class Encounter:
    dataset: str
    encounter_id: str
    dialogue: str
    note: str


def load_encounters(path: Path, subset: int | None = None, ids: list[str] | None = None) -> list[Encounter]:
    """The encounters in file order: the first `subset` of them, or those named in `ids` (in file order)."""
    try:
        with Path(path).open(newline="", encoding="utf-8") as handle:
            reader = csv.DictReader(handle)
            missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
            if missing:
                raise DatasetError(f"{path} lacks the column(s) {', '.join(missing)}; "
                                   f"expected {', '.join(COLUMNS)}.")
            rows = [Encounter(*(row[c] for c in COLUMNS)) for row in reader]
    except OSError as error:
        raise DatasetError(f"The data file {path} could not be read ({error.strerror}). "
                           "Give its location with --data.") from None
    if ids:
        unknown = sorted(set(ids) - {r.encounter_id for r in rows})
        if unknown:
            raise DatasetError(f"{path} has no encounter(s) {', '.join(unknown)}.")
        rows = [r for r in rows if r.encounter_id in set(ids)]
    if subset is not None:
        if subset < 1:
            raise DatasetError("--subset must be at least 1.")
        rows = rows[:subset]
    return rows


def file_sha256(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()
