"""Errors a user may meet when personal data must be redacted before a model sees it."""
from __future__ import annotations

from summariser.errors import SummariserError


class RedactionUnavailable(SummariserError):
    default = ("Personal data could not be redacted, so nothing was sent to the language model. Run 'make run' "
               "to install the requirements, or ask an administrator to use the local model.")
