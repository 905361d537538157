"""Where the shared third-party corpus lies, and what a test that needs it does when it is not there.

The corpus (ACI-Bench, CSSRS Reddit posts, sample PDFs...) is never copied into
the project: it is read at run time from ``$CASEWORK_CORPUS_DIR``, or from
``<project root>/../shared/corpus`` when that is not set. On a developer's
machine without it, such a test skips and says why; in CI (``CI`` set, as CI
services do) it fails, so a missing corpus cannot pass for a green run.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Mapping, NoReturn

import pytest

PROJECT_ROOT = Path(__file__).resolve().parent.parent
ENV_VAR = "CASEWORK_CORPUS_DIR"


def corpus_dir(environ: Mapping[str, str] = os.environ) -> Path:
    """The corpus folder: $CASEWORK_CORPUS_DIR, else the `shared/corpus` folder beside the project."""
    configured = environ.get(ENV_VAR, "").strip()
    return Path(configured) if configured else PROJECT_ROOT.parent / "shared" / "corpus"


def in_ci(environ: Mapping[str, str] = os.environ) -> bool:
    """True when the CI variable is set to anything but an explicit no ("", "0", "false", "no")."""
    return environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def missing(path: Path, environ: Mapping[str, str] = os.environ) -> NoReturn:
    """Fail (in CI) or skip (elsewhere) a test whose corpus file or folder `path` is not there."""
    message = (f"The shared corpus is needed at {path}, which does not exist. Set {ENV_VAR} to the corpus "
               f"folder (it holds summarisation/, vulnerability/, pdf/ ...), or put it at "
               f"{PROJECT_ROOT.parent / 'shared' / 'corpus'}.")
    if in_ci(environ):
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


def corpus_path(relative: str, environ: Mapping[str, str] = os.environ) -> Path:
    """The corpus file or folder at `relative` (e.g. "summarisation/aci-bench/valid.csv") for a test that
    needs it now: the test fails in CI and skips elsewhere when it is missing."""
    path = corpus_dir(environ) / relative
    if not path.exists():
        missing(path, environ)
    return path
