"""Plain text from bytes in whatever encoding it came in: UTF-8, UTF-16 (with or without a byte order mark)
or Windows-1252.

Why its own module: telling text from binary and one encoding from another is
guesswork with its own rules. UTF-16 without a byte order mark (what some
exports and PowerShell write) is full of NUL bytes, so the binary test alone
would refuse it: it is recognised first by where its NULs fall (one side of
every byte pair, for text in Latin script) and, for other scripts, by
charset-normalizer, whose answer is only taken when it is UTF-16 and the
result reads as text.
"""
from __future__ import annotations

import charset_normalizer

from retrieval import errors

SAVE_AS = "Save it as PDF, Word (.docx), plain text, Markdown or e-mail (.eml) and add it again."
NOT_TEXT = f"This file is not text and its type was not recognised. {SAVE_AS}"
_ALLOWED_CONTROLS = frozenset(b"\t\n\r\f\x1b")
_HEAD = 8192  # bytes looked at to decide


def decode_text(data: bytes) -> tuple[str, str]:
    """Decode text as UTF-8, UTF-16 or Windows-1252; newlines become "\\n". Returns (text, encoding)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        candidates: tuple[str, ...] = ("utf-16",)
    elif utf16 := utf16_without_bom(data):
        candidates = (utf16,)
    elif looks_binary(data):
        raise errors.UnsupportedType(NOT_TEXT)
    else:
        candidates = ("utf-8-sig", "cp1252")  # utf-8-sig also reads UTF-8 without a BOM
    for encoding in candidates:
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise errors.UnreadableEncoding()
    if not _mostly_printable(text):
        raise errors.UnsupportedType(NOT_TEXT)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise errors.EmptyDocument()
    return text, "utf-8" if encoding == "utf-8-sig" else encoding


def utf16_without_bom(data: bytes) -> str | None:
    """"utf-16-le" or "utf-16-be" when the bytes are UTF-16 text without a byte order mark, else None."""
    head = data[:_HEAD - _HEAD % 2]
    if len(head) < 4 or (b"\x00" not in head and not looks_binary(head)):
        return None  # ASCII-range UTF-16 always has NULs; other UTF-16 text looks binary to a byte test
    even, odd = head[0::2], head[1::2]
    if odd.count(0) >= len(odd) * 0.3 and even.count(0) <= len(even) * 0.02:
        return "utf-16-le"
    if even.count(0) >= len(even) * 0.3 and odd.count(0) <= len(odd) * 0.02:
        return "utf-16-be"
    guess = charset_normalizer.from_bytes(head).best()
    if guess is not None and guess.encoding in ("utf_16_le", "utf_16_be") and _mostly_printable(str(guess)):
        return guess.encoding.replace("_", "-")
    return None


def looks_binary(data: bytes) -> bool:
    """NUL bytes or more than 2% control characters in the first 8 KB."""
    head = data[:_HEAD]
    controls = sum(1 for byte in head if (byte < 32 or byte == 127) and byte not in _ALLOWED_CONTROLS)
    return b"\x00" in head or controls > len(head) * 0.02


def _mostly_printable(text: str) -> bool:
    head = text[:_HEAD]
    printable = sum(1 for char in head if char.isprintable() or char in "\t\n\r\f\xa0\xad")
    return printable >= len(head) * 0.95
