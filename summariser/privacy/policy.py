"""Which models are sent personal data as it is, and which only see placeholders.

A model on this machine (llama.cpp, a local checkpoint, or an OpenAI-compatible server on a loopback address)
keeps the data where it already is, so it is given the real text: placeholders cost a small model accuracy for
no gain. Every other endpoint (OpenAI, Azure OpenAI, a vLLM server elsewhere on the network) is outside the
machine, and is only ever sent placeholders. `always` redacts for every model (to try the effect on drafts, or
to test the redaction against a loopback server); `never` is for an endpoint the organisation runs itself.
"""
from __future__ import annotations

import ipaddress
from typing import Literal
from urllib.parse import urlsplit

RedactMode = Literal["auto", "always", "never"]
LOCAL_PROVIDERS = ("llamacpp", "transformers", "fake")


def is_loopback(url: str | None) -> bool:
    """True for a URL naming this machine (localhost, 127.0.0.0/8, ::1); no URL means OpenAI itself."""
    if not url:
        return False
    host = (urlsplit(url if "//" in url else f"//{url}").hostname or "").rstrip(".").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def redaction_needed(mode: RedactMode, provider: str, base_url: str | None) -> bool:
    """Whether requests to this model must have personal data replaced first."""
    if mode == "never":
        return False
    if mode == "always":
        return True
    return provider not in LOCAL_PROVIDERS and not is_loopback(base_url)
