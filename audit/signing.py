"""The keys that sign the audit log, held outside the database, so that someone who can write SQL cannot forge it.

A hash chain only proves the log agrees with itself: anyone who can INSERT can
append a correctly hashed event. Each event's hash is therefore signed with
HMAC-SHA256 under a key kept in a file readable only by the service account
(mode 0600) or given as a secret in the environment. HMAC, not Ed25519: the
verifier is this service, which holds the key anyway, and checking 100,000
Ed25519 signatures costs seconds on its own, 30 times a verify of the whole
log (docs/decisions/0008-signed-audit-log.md).

Key file (JSON): ``{"format": "casework-audit-keys/1", "signing": ID, "keys": [{"id", "secret" (hex),
"created_at", "from_seq"}]}``. Rotation adds a key and makes it the signing one; old keys stay, so old
events still verify. ``from_seq`` of the first key is the first event that had to be signed: an unsigned
event from there on was written without the key.
"""
from __future__ import annotations

import hmac
import json
import os
import secrets
import stat
from contextlib import suppress
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from audit.errors import KeyProblem

FORMAT = "casework-audit-keys/1"
EVENT_CONTEXT = b"casework-audit-event/1\n"
CHECKPOINT_CONTEXT = b"casework-audit-checkpoint/1\n"


@dataclass(frozen=True)
class Key:
    id: str
    secret: bytes
    from_seq: int | None = None  # None: not known (keys from the environment)
    created_at: str = ""


class Keyring:
    """The signing key and every older key (to check old events). `path` is None for keys from the environment;
    `created` says the key was made by this process (so a command can say where it is)."""

    def __init__(self, keys: list[Key], signing_id: str, path: Path | None = None, created: bool = False):
        if not keys or signing_id not in {k.id for k in keys}:
            raise KeyProblem("The audit key file names no signing key that it holds. Restore it from its copy.")
        self.keys = {k.id: k for k in keys}
        self.signing = self.keys[signing_id]
        self.path, self.created = path, created

    @property
    def signed_from(self) -> int | None:
        """The first event that had to be signed (the oldest key's first event), or None if not known."""
        return min((k.from_seq for k in self.keys.values() if k.from_seq is not None), default=None)

    def _mac(self, key: Key, context: bytes, message: bytes) -> str:
        return hmac.digest(key.secret, context + message, "sha256").hex()  # the one-shot C path: 5x hmac.new

    def sign(self, context: bytes, message: bytes) -> tuple[str, str]:
        """(key id, signature) of a message under the signing key."""
        return self.signing.id, self._mac(self.signing, context, message)

    def expected(self, key_id: str, context: bytes, message: bytes) -> str | None:
        """The signature the key `key_id` gives this message, or None if this keyring holds no such key."""
        key = self.keys.get(key_id)
        if key is None and self.path is not None:  # another process may have rotated the key since we read the file
            with suppress(FileNotFoundError):
                self.keys.update(Keyring._load(self.path).keys)
            key = self.keys.get(key_id)
        return None if key is None else self._mac(key, context, message)

    def check(self, key_id: str, context: bytes, message: bytes, signature: str) -> bool | None:
        """True if the signature is right, False if not, None if this keyring holds no key with that id."""
        expected = self.expected(key_id, context, message)
        return None if expected is None else hmac.compare_digest(expected, signature or "")

    def sign_event(self, digest: str) -> tuple[str, str]:
        return self.sign(EVENT_CONTEXT, digest.encode("ascii"))

    def expected_event(self, key_id: str, digest: str) -> str | None:
        """The signature of an event with hash `digest` under key `key_id`; None for a key not held."""
        return self.expected(key_id, EVENT_CONTEXT, digest.encode("ascii"))

    # keeping keys ---------------------------------------------------------------------------------------
    @classmethod
    def from_secret(cls, text: str) -> Keyring:
        """Keys given in the environment: ``ID:HEX[,ID:HEX...]``; the last one signs."""
        keys = []
        for part in filter(None, (p.strip() for p in text.split(","))):
            key_id, _, secret = part.partition(":")
            try:
                keys.append(Key(key_id.strip(), bytes.fromhex(secret.strip())))
            except ValueError:
                keys = []
                break
        if not keys or any(not k.id or len(k.secret) < 16 for k in keys):
            raise KeyProblem("CASEWORK_AUDIT_KEY must be KEY_ID:HEX_SECRET (at least 32 hex digits), with older "
                             "keys before it separated by commas. Make a secret with `python -c \"import secrets; "
                             "print(secrets.token_hex(32))\"`.")
        return cls(keys, keys[-1].id)

    @classmethod
    def open(cls, path: Path, first_seq: int) -> Keyring:
        """The keys in `path`, made (mode 0600) if the file does not exist yet; the first key signs from
        `first_seq` on (the event after the log's head when it was made)."""
        try:
            return cls._load(path)
        except FileNotFoundError:
            return cls._create(path, first_seq)

    @classmethod
    def _load(cls, path: Path) -> Keyring:
        with open(path, "r", encoding="utf-8") as file:
            if stat.S_IMODE(os.fstat(file.fileno()).st_mode) & 0o077:
                raise KeyProblem(f"The audit key file {path} can be read by other users. Only the service account "
                                 f"may read it: run `chmod 600 {path}`.")
            try:
                data = json.load(file)
                keys = [Key(k["id"], bytes.fromhex(k["secret"]), k.get("from_seq"), k.get("created_at", ""))
                        for k in data["keys"]]
                return cls(keys, data["signing"], path)
            except (ValueError, KeyError, TypeError):
                raise KeyProblem(f"The audit key file {path} is damaged. Restore it from its copy; without it, "
                                 "the log's signatures cannot be checked.") from None

    @classmethod
    def _create(cls, path: Path, first_seq: int) -> Keyring:
        path.parent.mkdir(parents=True, exist_ok=True)
        key = _new_key(first_seq)
        try:
            _write(path, [key], key.id, replace=False)
        except FileExistsError:  # another process made it a moment ago: use theirs
            return cls.open(path, first_seq)
        return cls([key], key.id, path, created=True)

    def rotate(self, next_seq: int) -> Key:
        """Make a new signing key (for events from `next_seq` on), keeping the old ones; the file is replaced
        whole, never left half written."""
        if self.path is None:
            raise KeyProblem("These keys come from CASEWORK_AUDIT_KEY: rotate them by adding a new KEY_ID:HEX at "
                             "the end of it, keeping the old ones before it.")
        key = _new_key(next_seq)
        keys = [*self.keys.values(), key]
        _write(self.path, keys, key.id)
        self.keys[key.id], self.signing = key, key
        return key


def _new_key(from_seq: int) -> Key:
    now = datetime.now(timezone.utc)
    return Key(f"k{now:%Y%m%d}-{secrets.token_hex(3)}", secrets.token_bytes(32), from_seq,
               now.isoformat(timespec="seconds"))


def _write(path: Path, keys: list[Key], signing_id: str, replace: bool = True) -> None:
    """Write the whole file beside `path`, then put it in place in one step: replacing the old one, or (for a new
    file) only if none exists yet (FileExistsError), so no reader ever sees half a file."""
    data = {"format": FORMAT, "signing": signing_id,
            "keys": [{"id": k.id, "secret": k.secret.hex(), "from_seq": k.from_seq, "created_at": k.created_at}
                     for k in keys]}
    staged = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    fd = os.open(staged, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as file:
            json.dump(data, file, indent=1)
            file.flush()
            os.fsync(file.fileno())
        if replace:
            os.replace(staged, path)
        else:
            os.link(staged, path)
    finally:
        staged.unlink(missing_ok=True)


def open_keyring(path: Path, secret: str | None, first_seq: int) -> Keyring:
    """The keys from the environment's secret if one is given, else from (or into) the key file."""
    return Keyring.from_secret(secret) if secret else Keyring.open(path, first_seq)
