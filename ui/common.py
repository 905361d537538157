"""What every page shares: the services, the signed-in user, plain words for codes, and the one way errors are shown.

Errors go through `attempt` so a user always reads either the services' own
plain-English message or a short incident id, never a traceback.
"""
from __future__ import annotations

import logging
import re
import uuid
from datetime import datetime, timezone
from typing import Callable, TypeVar

import streamlit as st

from retrieval.records.access import User
from summariser.errors import USER_ERRORS

SERVICE_KEY = "service"  # ready-made services put here (by tests) are used instead of building them
USER_KEY = "user"
CASE_PAGE = "ui/case.py"
log = logging.getLogger("casework.ui")
T = TypeVar("T")

STATUS_WORDS = {  # summary status of a case, and status of a draft
    "missing": "No summary yet",
    "pending": "Waiting for review",
    "edited": "Edited, waiting for review",
    "approved": "Approved",
    "stale": "Approved, but newer documents exist",
    "rejected": "Rejected",
    "failed": "Drafting failed",
    "superseded": "Replaced by a newer approved summary",
}
ACTION_WORDS = {
    "signed_in": "Signed in",
    "signed_out": "Signed out",
    "account_saved": "Saved an account",
    "documents_added": "Added documents",
    "drafted": "Drafted a summary",
    "draft_failed": "Drafting failed",
    "edited": "Saved an edited version",
    "approved": "Approved",
    "rejected": "Rejected",
    "sentence_accepted": "Kept an unsupported sentence, with a reason",
    "second_checked": "Second check by a supervisor",
    "evidence_exported": "Exported an evidence pack",
    "legal_hold_set": "Put a legal hold on a person's records",
    "legal_hold_released": "Released a legal hold",
    "person_erased": "Erased a person's personal content",
    "subject_access_exported": "Exported a subject access request",
    "reading_retried": "Asked for failed passage readings to be tried again",
}


@st.cache_resource(show_spinner="Starting the casework service...")
def _built_services():
    from settings import Settings
    from summariser.wiring import build_services  # heavy imports only when the app really starts
    return build_services(Settings())


def services():
    """The session's services (summariser.services.Services): injected ones if present, else those built once
    per process."""
    injected = st.session_state.get(SERVICE_KEY)
    if injected is not None:
        return injected
    built = attempt(_built_services)
    if built is None:
        st.stop()
    return built


def current_user() -> User | None:
    return st.session_state.get(USER_KEY)


def require_user() -> User:
    """The signed-in user; a page reached without one stops (the router shows only sign-in then)."""
    user = current_user()
    if user is None:
        st.warning("Sign in to continue.")
        st.stop()
    return user


def oidc_configured() -> bool:
    """True when .streamlit/secrets.toml has an [auth] section, so st.login signs people in."""
    try:
        return "auth" in st.secrets
    except Exception:  # no secrets file at all
        return False


def sign_out() -> None:
    """Record the sign-out, then forget everything about this session except an injected service."""
    user = current_user()
    if user is not None:
        attempt(services().accounts.sign_out, user)
    for key in list(st.session_state.keys()):
        if key != SERVICE_KEY:
            del st.session_state[key]
    if oidc_configured() and getattr(st.user, "is_logged_in", False):
        st.logout()


def attempt(call: Callable[..., T], *args, **kwargs) -> T | None:
    """Run one call of a service. On failure show why (or an incident id) and return None."""
    try:
        return call(*args, **kwargs)
    except USER_ERRORS as error:
        st.error(str(error))
    except Exception:
        incident = uuid.uuid4().hex[:8]
        log.exception("unexpected error in the app (incident %s)", incident)
        st.error(f"Something went wrong (incident {incident}). Try again; if it happens again, "
                 "give the incident id to your administrator.")
    return None


def plain(text: str) -> str:
    """Text from a document or a model, made safe to put in Markdown (a label, a heading): every punctuation
    mark that Markdown or Streamlit's own syntax (:red[...], $...$) could act on is escaped, so it shows as typed."""
    return re.sub(r"([\\`*_{}\[\]()#+\-.!|:$<>~&=\"'])", r"\\\1", text)


def open_case(reference: str) -> None:
    st.switch_page(CASE_PAGE, query_params={"case": reference})


def _as_datetime(moment: str | datetime) -> datetime:
    moment = datetime.fromisoformat(moment) if isinstance(moment, str) else moment
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def when(moment: str | datetime | None) -> str:
    """A time as people read it, in UTC so every office sees the same."""
    if moment is None:
        return "never"
    return _as_datetime(moment).astimezone(timezone.utc).strftime("%d %b %Y, %H:%M UTC")


def age(moment: str | datetime, now: datetime | None = None) -> str:
    """How long ago, in the largest whole unit: '3 hours', '2 days'."""
    seconds = int(((now or datetime.now(timezone.utc)) - _as_datetime(moment)).total_seconds())
    for unit, size in (("day", 86400), ("hour", 3600), ("minute", 60)):
        if seconds >= size:
            count = seconds // size
            return f"{count} {unit}{'s' if count != 1 else ''}"
    return "less than a minute"
