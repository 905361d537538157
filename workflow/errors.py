"""Errors a user may meet while reviewing drafts; each says what to do next."""
from __future__ import annotations


class WorkflowError(Exception):
    default = "This decision on the draft could not be recorded."

    def __init__(self, message: str | None = None):
        super().__init__(message or self.default)


class DraftNotFound(WorkflowError):
    default = "That draft does not exist. Check the draft id and try again."


class DraftChanged(WorkflowError):
    """Someone else acted on the draft since the user last looked at it."""

    default = ("This draft changed while you were looking at it (someone else acted on it). "
               "Its current state is shown; check it before you decide.")

    def __init__(self, current=None, message: str | None = None):
        super().__init__(message)
        self.current = current


class DecisionNotAllowed(WorkflowError):
    default = "This decision is not possible for the draft in its current state."


class SupervisorApprovalRequired(DecisionNotAllowed):
    """A draft whose sources show signs of vulnerability needs a supervisor's sign-off."""

    default = ("This draft needs a supervisor's approval because its sources show signs of vulnerability or a "
               "safeguarding concern. You can edit it or reject it, but a supervisor in your team must approve it.")


class ApprovalBlocked(DecisionNotAllowed):
    """Something the service checks (such as unsupported sentences) must be resolved before approval."""

    default = "This draft cannot be approved yet. Resolve the problems shown with it first."


class VersionNotFound(WorkflowError):
    default = "That version of the summary does not exist. Choose one of the versions listed."
