"""Jobs for the parse worker in tests: module-level, so the worker can import them by name."""
from __future__ import annotations

import subprocess
from pathlib import Path


def start_a_program_and_hang(marker: str) -> None:
    """Start a program that would outlive the worker, note its pid, then wait until the worker is killed."""
    child = subprocess.Popen(["sleep", "600"])
    Path(marker).write_text(str(child.pid))
    child.wait()
