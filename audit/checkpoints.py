"""Signed checkpoints of the log's head, appended to a file outside the database.

Signatures stop anyone without the key from writing events, but someone with
the database can still delete the newest events, or copy in an older state of
the log. So every N events, or at the first event some minutes after the last
checkpoint, the service appends one line ``{"seq", "hash", "at", "key_id",
"signature"}`` (the signature covers seq, hash and time) to a file that the
database's users cannot reach; in production, a separate store. Verification
then knows how far the log reached and what its head was at each checkpoint,
the way Certificate Transparency publishes signed tree heads. Events after
the newest checkpoint are covered only by their own signatures.
"""
from __future__ import annotations

import json
import logging
import os
import threading
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable

from audit.signing import CHECKPOINT_CONTEXT, Keyring

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Checkpoint:
    seq: int
    hash: str
    at: str
    key_id: str
    signature: str

    def message(self) -> bytes:
        return f"{self.seq}\n{self.hash}\n{self.at}".encode("ascii")


@dataclass(frozen=True)
class CheckpointRead:
    """The checkpoints whose signatures hold, by seq, and what was wrong with any other line."""
    by_seq: dict[int, Checkpoint]
    problems: list[str]


class CheckpointFile:
    def __init__(self, path: Path, keyring: Keyring, every_events: int = 50, every_s: float = 120.0,
                 clock: Callable[[], float] = time.time):
        self.path, self.keyring = path, keyring
        self.every_events, self.every_s, self.clock = every_events, every_s, clock
        self._last: tuple[int, float] | None = None  # (seq, when) of the newest checkpoint this process knows
        self._lock = threading.Lock()

    def after_append(self, seq: int, digest: str) -> None:
        """Write a checkpoint if one is due; a failure to write is logged, never lost silently, and does not undo
        the event (it is already committed and signed)."""
        with self._lock:
            if self._last is None:
                self._last = self._newest_on_file()
            last_seq, last_time = self._last
            if seq - last_seq < self.every_events and self.clock() - last_time < self.every_s:
                return
            try:
                self.write(seq, digest)
            except OSError:
                log.exception("could not write an audit checkpoint to %s", self.path)

    def write(self, seq: int, digest: str) -> Checkpoint:
        """Append a signed checkpoint of event `seq` with hash `digest`, in one write of one line."""
        at = datetime.now(timezone.utc).isoformat(timespec="microseconds")
        unsigned = Checkpoint(seq, digest, at, "", "")
        key_id, signature = self.keyring.sign(CHECKPOINT_CONTEXT, unsigned.message())
        line = json.dumps({"seq": seq, "hash": digest, "at": at, "key_id": key_id, "signature": signature}) + "\n"
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            os.write(fd, line.encode("ascii"))  # one short O_APPEND write: lines from several processes never mix
        finally:
            os.close(fd)
        self._last = (seq, self.clock())
        return Checkpoint(seq, digest, at, key_id, signature)

    def _newest_on_file(self) -> tuple[int, float]:
        """(seq, now) of the file's newest checkpoint, or (0, 0) when there is none, read from its end."""
        try:
            with open(self.path, "rb") as file:
                file.seek(0, os.SEEK_END)
                file.seek(max(file.tell() - 4096, 0))
                lines = file.read().splitlines()
            seq = max(json.loads(line)["seq"] for line in lines[-20:] if line.strip().startswith(b"{"))
            return int(seq), self.clock()
        except (OSError, ValueError, KeyError, TypeError):
            return 0, 0.0

    def read(self) -> CheckpointRead:
        """Every checkpoint, checked; a line that is unreadable or not signed by these keys is a problem."""
        found: dict[int, Checkpoint] = {}
        problems: list[str] = []
        try:
            lines = self.path.read_text(encoding="utf-8").splitlines()
        except FileNotFoundError:
            return CheckpointRead(found, problems)
        for number, line in enumerate(lines, 1):
            try:
                data = json.loads(line)
                checkpoint = Checkpoint(int(data["seq"]), str(data["hash"]), str(data["at"]), str(data["key_id"]),
                                        str(data["signature"]))
            except (ValueError, KeyError, TypeError):
                problems.append(f"line {number} of the checkpoint file {self.path} is unreadable")
                continue
            valid = self.keyring.check(checkpoint.key_id, CHECKPOINT_CONTEXT, checkpoint.message(),
                                       checkpoint.signature)
            if not valid:
                problems.append(f"the checkpoint on line {number} of {self.path} (event {checkpoint.seq}) is not "
                                "signed by this service's key: it was forged")
            elif found.setdefault(checkpoint.seq, checkpoint).hash != checkpoint.hash:
                problems.append(f"two signed checkpoints give event {checkpoint.seq} different hashes: the log "
                                "was rolled back and rewritten between them")
        return CheckpointRead(found, problems)
