"""Characters taken out of file names and texts that come from outside, before anything stores or shows them.

Why: a name or a text is written by whoever sent the file. Control
characters (NUL, escape sequences that repaint a terminal, carriage returns
that hide the start of a line), bidirectional overrides (a name that reads
"invoice_fdp.exe" backwards) and Unicode tag characters (invisible, yet read
by a language model: a way to smuggle instructions past the officer) have no
business in a case record. They are removed from stored names and texts;
line breaks and tabs stay in texts. The original name, with those characters
escaped so they are visible and harmless, is what the audit log records.
"""
from __future__ import annotations

import re

# Bidirectional embeddings, overrides and isolates; the Unicode tag block; C1 controls and DEL.
_INVISIBLE = "\u202a-\u202e\u2066-\u2069\U000e0000-\U000e007f\x7f-\x9f"
_HOSTILE = f"\x00-\x1f{_INVISIBLE}"  # and every C0 control: what a name may not hold
_IN_NAMES = re.compile(f"[{_HOSTILE}]")
_IN_TEXT = re.compile(f"[\x00-\x08\x0b-\x1f{_INVISIBLE}]")  # a text keeps its tabs and line feeds
_LINE_BREAKS = re.compile("\r\n?|[\f\v]")  # carriage returns, form feeds (old page breaks), vertical tabs
UNNAMED = "unnamed file"


def clean_text(text: str) -> str:
    """The text without control characters (tabs and line feeds stay; carriage returns, form feeds and
    vertical tabs become line feeds), bidirectional overrides or tag characters."""
    return _IN_TEXT.sub("", _LINE_BREAKS.sub("\n", text))


def clean_name(name: str) -> str:
    """A file name fit to store and show: no control characters (tab and line feed included), no bidirectional
    overrides or tag characters, no surrounding spaces; "unnamed file" if nothing is left."""
    return _IN_NAMES.sub("", name).strip() or UNNAMED


def escaped(name: str) -> str:
    """The name as given, with every character clean_name removes written as a visible escape (\\x00,
    \\u202e) and backslashes doubled, so the audit log keeps the original without carrying those characters."""
    return re.sub(f"[{_HOSTILE}\\\\]", _escape, name)


def _escape(match: re.Match) -> str:
    char = match.group(0)
    if char == "\\":
        return "\\\\"
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"
