"""Errors a user may meet in the audit log itself: each says what to do next."""
from __future__ import annotations


class AuditError(Exception):
    default = "The audit log could not complete this action."

    def __init__(self, message: str | None = None):
        super().__init__(message or self.default)


class AuditBusy(AuditError):
    default = "The audit log is busy with other changes. Wait a moment and try again."


class BadAnchor(AuditError):
    default = ("The anchor is not in the right form. Give it as SEQ:HASH, exactly as `cli.py head` printed it "
               "(for example 1042:9f86d08...), or as the 64-character hash alone.")


class ErasureRefused(AuditError):
    default = "The erasure could not be done."


class EventInvalid(AuditError):
    """An event the log does not know, or one whose payload has the wrong shape: a fault in the caller, refused
    before anything is written, so the log never holds an event its readers cannot read."""

    default = "This event cannot be recorded in the audit log: its kind or its details are not as expected."


class KeyProblem(AuditError):
    """The signing key is missing, damaged, readable by others, or not given in the expected form."""

    default = "The audit log's signing key could not be used."
