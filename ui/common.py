"""What every page shares: the services, the signed-in user, plain words for codes, and the one way errors are shown.

Errors go through `attempt` so a user always reads either the services' own
plain-English message or a short incident id, never a traceback.
"""
from __future__ import annotations

import html
import logging
import math
import re
import time
import uuid
from datetime import datetime, timedelta, timezone
from typing import Callable, TypeVar

import streamlit as st

from retrieval.records.access import User
from summariser.errors import USER_ERRORS

SERVICE_KEY = "service"  # ready-made services put here (by tests) are used instead of building them
USER_KEY = "user"
ACTIVE_KEY = "last_active"  # when the signed-in user last did something (UTC)
NOTICE_KEY = "sign_in_notice"  # why the last session ended, shown on the sign-in page
CASE_PAGE = "ui/case.py"
CASE_TAB = "case_tab"  # the key of the Case page's tabs: which one is open
log = logging.getLogger("casework.ui")
T = TypeVar("T")
NAMES_KEY = "full_names"  # (when read, {user name: full name})
ARRIVED_AT = "arrived_at"  # the page (and case) whose heading was last given focus
FOCUS_HEADING = """<script>/* NONCE */
(function () {
  // Streamlit may still be redrawing the page (the control just used may still hold focus, or the heading be
  // drawn again): keep focus on the heading for a moment, unless the user presses a key meanwhile (a Tab from the
  // heading itself included: taking focus back then would make the next control take two presses).
  let moved = false;
  const onFocus = () => { moved = true; };
  document.addEventListener('keydown', onFocus, true);
  (function focus(tries) {
    const heading = document.querySelector('[data-testid="stMain"] h1');
    if (!moved && heading && document.activeElement !== heading) {
      heading.setAttribute('tabindex', '-1');
      heading.focus();
    }
    if (!moved && tries > 0) { setTimeout(() => focus(tries - 1), 100); }
    else { document.removeEventListener('keydown', onFocus, true); }
  })(20);
})();
</script>"""

STATUS_WORDS = {  # summary status of a case, and status of a draft
    "missing": "No summary yet",
    "pending": "Waiting for review",
    "edited": "Edited, waiting for review",
    "approved": "Approved",
    "stale": "Approved, but newer documents exist",
    "rejected": "Rejected",
    "failed": "Drafting failed",
    "stopped": "Drafting stopped",
    "superseded": "Replaced by a newer approved summary",
}
ACTION_WORDS = {
    "signed_in": "Signed in",
    "signed_out": "Signed out",
    "sign_in_failed": "Sign-in failed",
    "account_locked": "Locked after failed sign-ins",
    "account_unlocked": "Unlocked an account",
    "account_saved": "Saved an account",
    "documents_added": "Added documents",
    "drafted": "Drafted a summary",
    "draft_failed": "Drafting failed",
    "edited": "Saved an edited version",
    "approved": "Approved",
    "sent_to_supervisor": "Sent to a supervisor for approval",
    "rejected": "Rejected",
    "sentence_accepted": "Kept an unsupported sentence, with a reason",
    "second_checked": "Second check by a supervisor",
    "evidence_exported": "Exported an evidence pack",
    "legal_hold_set": "Put a legal hold on a person's records",
    "legal_hold_released": "Released a legal hold",
    "person_erased": "Erased a person's personal content",
    "subject_access_exported": "Exported a subject access request",
    "reading_retried": "Asked for failed passage readings to be tried again",
    "directory_entry_saved": "Saved a service in the directory",
    "directory_entry_retired": "Retired a service from the directory",
    "directory_imported": "Imported services into the directory",
    "signposting_chosen": "Chose services to mention in a letter or note",
    "triage_decided": "Confirmed or dismissed a flag on incoming correspondence",
    "triage_labels_exported": "Exported the correspondence decisions for retraining",
}


@st.cache_resource
def settings():
    """The configuration, read once per process."""
    from settings import Settings
    return Settings()


@st.cache_resource(show_spinner="Starting the casework service...")
def _built_services():
    from summariser.wiring import build_services  # heavy imports only when the app really starts
    return build_services(settings())


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


def session_expired(last_active: datetime | None, now: datetime, idle: timedelta) -> bool:
    """Whether a session last active at `last_active` has been idle for `idle` or longer by `now` (one with no
    activity recorded yet has just begun)."""
    return last_active is not None and now - last_active >= idle


def current_user() -> User | None:
    """The signed-in user, or None; a session idle for `session_idle_minutes` is signed out here, at its next
    action, and this action counts as activity otherwise."""
    user = st.session_state.get(USER_KEY)
    if user is None:
        return None
    now, idle = datetime.now(timezone.utc), timedelta(minutes=settings().session_idle_minutes)
    if session_expired(st.session_state.get(ACTIVE_KEY), now, idle):
        sign_out(idle)
        return None
    st.session_state[ACTIVE_KEY] = now
    return user


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


def sign_out(idle: timedelta | None = None) -> None:
    """Record the sign-out (`idle`: the session was idle that long), then forget everything about this session
    except an injected service."""
    user = st.session_state.get(USER_KEY)
    if user is not None:
        attempt(services().accounts.sign_out, user, idle)
    for key in list(st.session_state.keys()):
        if key != SERVICE_KEY:
            del st.session_state[key]
    if idle is not None:
        minutes = plural(round(idle.total_seconds() / 60), "minute")
        st.session_state[NOTICE_KEY] = f"You were signed out after {minutes} without activity. Sign in again."
    if oidc_configured() and getattr(st.user, "is_logged_in", False):
        st.logout()


def try_call(call: Callable[..., T], *args, **kwargs) -> tuple[T | None, str | None]:
    """Run one call of a service: (its result, None), or (None, why it failed in plain English, or an incident
    id), for the caller to show where it belongs."""
    try:
        return call(*args, **kwargs), None
    except USER_ERRORS as error:
        return None, str(error)
    except Exception:
        incident = uuid.uuid4().hex[:8]
        log.exception("unexpected error in the app (incident %s)", incident)
        return None, (f"Something went wrong (incident {incident}). Try again; if it happens again, "
                      "give the incident id to your administrator.")


def attempt(call: Callable[..., T], *args, **kwargs) -> T | None:
    """Run one call of a service. On failure show why (or an incident id) here, and return None."""
    result, error = try_call(call, *args, **kwargs)
    if error is not None:
        st.error(error)
    return result


def show_feedback(message: str, ok: bool) -> None:
    """The result of something the user did, shown where they did it (alerts are announced by screen readers)."""
    (st.success if ok else st.error)(message)


def plain(text: str) -> str:
    """Text from a document or a model, made safe to put in Markdown (a label, a heading): every mark that
    Markdown or Streamlit's own syntax (:red[...], $...$) could act on is escaped, so it shows as typed. List,
    heading and rule marks act only at the start of a line, so only there are they escaped ("BR-1" stays)."""
    text = re.sub(r"([\\`*_{}\[\]()|:$<>~&!@])", r"\\\1", text)
    text = re.sub(r"(?i)\b(www)\.", r"\1\\.", text)  # a bare "www." address would become a link
    text = re.sub(r"^(\s*)([-+#=])", r"\1\\\2", text, flags=re.MULTILINE)
    return re.sub(r"^(\s*\d+)([.)])", r"\1\\\2", text, flags=re.MULTILINE)


def marked_passage(text: str, start: int, end: int) -> str:
    """A passage as escaped HTML with text[start:end] marked: the only HTML the pages build from a document."""
    start, end = max(start, 0), max(end, start, 0)
    return ('<div style="white-space: pre-wrap; font-family: inherit">'
            f"{html.escape(text[:start])}<mark>{html.escape(text[start:end])}</mark>{html.escape(text[end:])}"
            "</div>")


def safe_markdown(text: str) -> str:
    """Text a model or a document wrote, shown as Markdown with only its headings and list bullets kept: every
    other mark is escaped (`plain`), so no link, image or HTML in it is live."""
    lines = []
    for line in text.splitlines():
        marker = re.match(r"^(\s*(?:#{1,6}\s+|[-*+]\s+|\d{1,3}[.)]\s+)?)", line).group(1)
        lines.append(marker + plain(line[len(marker):]))
    return "\n".join(lines)


def missing(value) -> bool:
    """No figure: None, NaN, or pandas' own missing markers (the dashboard's frames hold all three)."""
    return value is None or (isinstance(value, float) and math.isnan(value)) or str(value) in ("<NA>", "NaT")


def percent(share: float | None) -> str:
    return "-" if missing(share) else f"{share:.0%}"


def duration(hours: float | None) -> str:
    """Hours and minutes as people say them: '45 min', '2 h 15 min', '3 days 4 h'."""
    if missing(hours):
        return "-"
    minutes = int(round(hours * 60))
    if minutes < 1:
        return "less than a minute"
    days, minutes = divmod(minutes, 24 * 60)
    hours_left, minutes = divmod(minutes, 60)
    if days:
        return plural(days, "day") + (f" {hours_left} h" if hours_left else "")
    return " ".join(part for part in (f"{hours_left} h" if hours_left else "", f"{minutes} min" if minutes else "")
                    if part)


def changed(value: float | None) -> str:
    """How much of the AI text officers changed before approving (0 to 1, shown as a share)."""
    return "-" if missing(value) else f"{value:.0%} changed"


def model_name(file_or_model: str | None) -> str:
    """A model as people read it: "qwen2.5-coder-1.5b-instruct-q4_k_m.gguf" -> "Qwen 2.5 (1.5B)"."""
    if not file_or_model:
        return ""
    stem = re.sub(r"\.gguf$", "", file_or_model.rsplit("/", 1)[-1], flags=re.IGNORECASE)
    family = re.match(r"([A-Za-z]+)[-_ ]?(\d+(?:\.\d+)?)?", stem)
    size = re.search(r"(?<![\d.])(\d+(?:\.\d+)?)\s*([BbMm])(?![a-z])", stem)
    if family is None or size is None:
        return stem
    name = family.group(1).capitalize() + (f" {family.group(2)}" if family.group(2) else "")
    return f"{name} ({size.group(1)}{size.group(2).upper()})"


def plural(count: int, word: str, many: str | None = None) -> str:
    """'1 sentence', '3 sentences': counts in plain English, never 'sentence(s)'."""
    return f"{count:,} {word if count == 1 else (many or word + 's')}"


def focus_heading_on_arrival(*where: object) -> None:
    """After moving to another page (or case), put keyboard and screen-reader focus on its main heading, as a
    page load would; on any other rerun focus stays on the control the user just used."""
    if st.session_state.get(ARRIVED_AT) == where:
        return
    st.session_state[ARRIVED_AT] = where
    st.html(FOCUS_HEADING.replace("NONCE", uuid.uuid4().hex), unsafe_allow_javascript=True)


def full_name(username: str) -> str:
    """A person as people know them; the accounts are read at most once a minute per session."""
    names = st.session_state.get(NAMES_KEY)
    if names is None or time.monotonic() - names[0] > 60:
        names = st.session_state[NAMES_KEY] = (time.monotonic(), services().accounts.full_names())
    return names[1].get(username, username)


def open_case(reference: str, tab: str | None = None) -> None:
    """Go to a case's page, on one of its tabs ("Summary" opens its latest draft) if given."""
    if tab:
        st.session_state[CASE_TAB] = tab
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
