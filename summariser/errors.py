"""Errors a user may meet while drafting; each says what to do next."""
from __future__ import annotations

from audit.errors import AuditError
from retrieval.errors import RetrievalError
from workflow.errors import WorkflowError


class SummariserError(Exception):
    default = "The summary could not be drafted."

    def __init__(self, message: str | None = None):
        super().__init__(message or self.default)


class ModelUnavailable(SummariserError):
    default = ("The language model is not available. Check the model settings (see the README's "
               "configuration table) and try again.")


class ModelChecksumMismatch(ModelUnavailable):
    default = ("The bundled model file failed its integrity check, so it was not loaded. Delete the "
               "'models' folder in the data directory and reinstall the requirements (make run).")


class ModelTimeout(SummariserError):
    default = "The language model took too long to answer. Try again; if it keeps happening, draft a smaller case or ask an administrator to raise the time limit."


class ModelFailed(SummariserError):
    default = "The language model returned an error. Try again in a moment."


class TemplateInvalid(SummariserError):
    default = "A prompt template is not valid."


class TemplateNotFound(SummariserError):
    default = "That summary template does not exist. Choose one from the list."


# Everything a user may be shown as it is; anything else is an incident.
USER_ERRORS = (SummariserError, RetrievalError, AuditError, WorkflowError)
