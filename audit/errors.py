"""Errors a user may meet in the audit log and the review of drafts."""
from __future__ import annotations


class AuditError(Exception):
    default = "The audit log could not complete this action."

    def __init__(self, message: str | None = None):
        super().__init__(message or self.default)


class DraftNotFound(AuditError):
    default = "That draft does not exist. Check the draft id and try again."


class DraftChanged(AuditError):
    """Someone else acted on the draft since the user last looked at it."""

    default = ("This draft changed while you were looking at it (someone else acted on it). "
               "Its current state is shown; check it before you decide.")

    def __init__(self, current=None, message: str | None = None):
        super().__init__(message)
        self.current = current


class DecisionNotAllowed(AuditError):
    default = "This decision is not possible for the draft in its current state."


class AuditBusy(AuditError):
    default = "The audit log is busy with other changes. Wait a moment and try again."
