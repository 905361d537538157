"""Placeholders for personal data, consistent across every request of one draft, and the way back.

One `Pseudonyms` serves one draft (opened with `redaction_scope` around it): the same text always gets the
same placeholder, so notes written from one batch of sources and read again for the summary, or facts listed
for the overview, keep pointing at the same person. A value once found is hidden wherever it appears again,
even where the recognisers would have missed it, and so are the names the tool already knows (the case's
person). The mapping lives only in memory: the audit log records how many items of each kind were hidden,
never what they were.

Placeholders come back in the model's answer as it streams: a piece ending in what could be the start of a
placeholder ("PERS") is held until the next piece says how it ends.
"""
from __future__ import annotations

import functools
import re
from collections import Counter
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, Iterable, Iterator, Protocol

# Presidio's entity types, as the placeholders and the audit record name them.
KINDS = {
    "PERSON": "PERSON", "LOCATION": "PLACE", "STREET_ADDRESS": "ADDRESS", "UK_POSTCODE": "POSTCODE",
    "POSTAL_CODE": "POSTCODE",
    "UK_NINO": "NINO", "UK_NHS": "NHS_NUMBER", "DATE_OF_BIRTH": "DATE_OF_BIRTH", "PHONE_NUMBER": "PHONE",
    "EMAIL_ADDRESS": "EMAIL", "CASE_REFERENCE": "CASE_REF", "REFERENCE": "REFERENCE", "CREDIT_CARD": "CARD_NUMBER",
    "IBAN_CODE": "IBAN", "IP_ADDRESS": "IP_ADDRESS", "US_SSN": "SSN", "PROPER_NOUN": "NAME",
}
OTHER = "PERSONAL_DATA"  # the placeholder of a kind not listed above
PLACEHOLDER = re.compile(r"(?<!\w)(?:%s)_\d+(?!\w)" % "|".join(sorted({*KINDS.values(), OTHER}, key=len, reverse=True)))
MIN_REPEAT_CHARS = 3  # a value found once is hidden wherever else it appears, if it is at least this long
NOTE = ("Personal details in this text have been replaced by placeholders such as PERSON_1, NINO_1 or "
        "ADDRESS_1. Write each placeholder exactly as it appears whenever you refer to it; never guess what it "
        "stands for.")


@dataclass(frozen=True)
class Found:
    """A stretch of personal data: text[start:end], of a Presidio entity type."""
    start: int
    end: int
    entity: str


class Finder(Protocol):
    def find(self, text: str) -> list[Found]: ...


class _NothingNew:
    """A finder that finds nothing: `redact` then hides only what the draft hid before and the names it knows."""

    def find(self, text: str) -> list[Found]:
        return []


NOTHING_NEW = _NothingNew()


def _merge(found: Iterable[Found]) -> list[Found]:
    """Non-overlapping stretches in text order: overlapping ones become one, of the longer one's type, so no
    part of either is left in clear."""
    merged: list[Found] = []
    for item in sorted(found, key=lambda f: (f.start, -(f.end - f.start))):
        if merged and item.start < merged[-1].end:
            last = merged[-1]
            entity = last.entity if last.end - last.start >= item.end - item.start else item.entity
            merged[-1] = Found(last.start, max(last.end, item.end), entity)
        else:
            merged.append(item)
    return merged


def masked(text: str, finder: Finder) -> str:
    """The text with each stretch of personal data replaced by what it is ("[name]", "[personal details]"): for
    showing a passage of someone else's case, where nothing needs restoring."""
    for found in reversed(_merge(finder.find(text))):
        label = "[name]" if KINDS.get(found.entity) in ("PERSON", "NAME") else "[personal details]"
        text = text[:found.start] + label + text[found.end:]
    return text


class Pseudonyms:
    """The placeholders of one draft: text -> placeholder and back, with counts per kind."""

    def __init__(self, known_names: Iterable[str] = ()):
        self._placeholder: dict[str, str] = {}
        self._entity: dict[str, str] = {}  # each hidden value's entity type, to hide it again where it recurs
        self._value: dict[str, str] = {}
        self._issued: Counter[str] = Counter()
        self.known = [n for name in known_names if name for n in _name_forms(name)]
        self.ran = False

    def placeholder(self, entity: str, value: str) -> str:
        """The value's placeholder, made on first sight. A one-word name that is part of exactly one full name
        hidden before ("Harrowby" of "Denise Harrowby") shares its placeholder, so the model sees one person;
        the answer then names them in full."""
        if value not in self._placeholder and KINDS.get(entity) in ("PERSON", "NAME") and " " not in value:
            owners = {p for v, p in self._placeholder.items()
                      if self._entity[v] == "PERSON" and value.lower() in map(str.lower, _name_parts(v))}
            if len(owners) == 1:
                self._placeholder[value], self._entity[value] = owners.pop(), "PERSON"
        if value not in self._placeholder:
            kind = KINDS.get(entity, OTHER)
            self._issued[kind] += 1
            self._placeholder[value] = placeholder = f"{kind}_{self._issued[kind]}"
            self._entity[value] = entity
            self._value[placeholder] = value
        return self._placeholder[value]

    def hide(self, text: str, finder: Finder) -> list[Found]:
        """What `redact` replaces in `text`: what the finder finds, and every other occurrence of it, of a value
        this draft hid before, or of a name it knows; non-overlapping, in text order."""
        found = finder.find(text)
        repeated = {text[f.start:f.end]: f.entity for f in found} | {
            value: "PERSON" for value in self.known} | self._entity
        repeated |= {part: "PERSON" for value, entity in list(repeated.items()) if entity == "PERSON"
                     for part in _name_parts(value) if part not in repeated}
        for value, entity in repeated.items():
            if len(value.strip()) >= MIN_REPEAT_CHARS:  # the case's person in any case: "BRANNIGAN, Chloe"
                flags = re.IGNORECASE if value in self.known else 0
                found += [Found(m.start(), m.end(), entity)
                          for m in re.finditer(r"(?<!\w)%s(?!\w)" % re.escape(value), text, flags)]
        return _merge(found)

    def redact(self, text: str, finder: Finder) -> str:
        """`text` with its personal data (see `hide`) replaced by placeholders, numbered in order of appearance
        and the same for the same text throughout the draft; Presidio's anonymizer does the replacing."""
        self.ran = True
        hidden = self.hide(text, finder)
        # Number them in reading order (the anonymizer works from the end), full names first so that a surname
        # seen before its full name still joins it.
        for item in sorted(hidden, key=lambda f: (not (f.entity == "PERSON" and " " in text[f.start:f.end]),
                                                  f.start)):
            self.placeholder(item.entity, text[item.start:item.end])
        if not hidden:
            return text
        # The anonymizer joins neighbours of one kind separated only by spaces ("Nathan" "Birch"): one value.
        from presidio_anonymizer import RecognizerResult
        from presidio_anonymizer.entities import OperatorConfig
        operators = {entity: OperatorConfig("custom", {"lambda": functools.partial(self.placeholder, entity)})
                     for entity in {item.entity for item in hidden}}
        results = [RecognizerResult(item.entity, item.start, item.end, 1.0) for item in hidden]
        return _anonymizer().anonymize(text, results, operators).text

    def restore(self, text: str) -> str:
        """The model's text with each placeholder of this draft replaced by what it stands for."""
        return PLACEHOLDER.sub(lambda m: self._value.get(m.group(0), m.group(0)), text)

    def restore_data(self, data: Any) -> Any:
        """A parsed JSON answer with its strings restored."""
        if isinstance(data, str):
            return self.restore(data)
        if isinstance(data, list):
            return [self.restore_data(v) for v in data]
        if isinstance(data, dict):
            return {k: self.restore_data(v) for k, v in data.items()}
        return data

    def restorer(self) -> "StreamRestorer":
        return StreamRestorer(self)

    def counts(self) -> dict[str, int]:
        """How many different items of each kind were hidden."""
        return dict(sorted(self._issued.items()))

    def audit(self) -> dict:
        """What the audit log keeps: whether redaction ran and the counts, never the mapping."""
        return {"ran": self.ran, "counts": self.counts() if self.ran else {}}


class StreamRestorer:
    """Restores placeholders in an answer arriving in pieces; `feed` each piece, then `flush` the rest."""

    def __init__(self, pseudonyms: Pseudonyms):
        self.pseudonyms, self._held = pseudonyms, ""

    def feed(self, piece: str) -> str:
        self._held += piece
        tail = re.search(r"\w+$", self._held)  # a word still being written may be a placeholder
        cut = tail.start() if tail else len(self._held)
        ready, self._held = self._held[:cut], self._held[cut:]
        return self.pseudonyms.restore(ready)

    def flush(self) -> str:
        ready, self._held = self._held, ""
        return self.pseudonyms.restore(ready)


NOT_NAME_PARTS = {"Mr", "Mrs", "Ms", "Miss", "Mx", "Dr", "Prof", "Rev", "Sir", "Dame", "Lady", "Lord", "The", "And",
                  "January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
                  "November", "December", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"}


def _name_parts(name: str) -> list[str]:
    """The words of a person's name that say who they are on their own: "Harrowby" of "Denise Harrowby"."""
    words = re.findall(r"[A-Z][\w'’-]+", name)
    return [w for w in words if len(w) >= MIN_REPEAT_CHARS and w not in NOT_NAME_PARTS] if len(words) > 1 else []


def _name_forms(name: str) -> list[str]:
    """A known person's name and its parts (a surname alone is still them)."""
    return [name.strip()] + _name_parts(name)


@functools.cache
def _anonymizer():
    """Presidio's anonymizer, imported on the first redaction (a local model never needs it)."""
    from presidio_anonymizer import AnonymizerEngine
    return AnonymizerEngine()


_scope: ContextVar[Pseudonyms | None] = ContextVar("redaction_scope", default=None)


@contextmanager
def redaction_scope(pseudonyms: Pseudonyms) -> Iterator[Pseudonyms]:
    """Every model request made inside shares these placeholders (one draft); afterwards `audit()` says what
    was hidden. Outside any scope, each request has its own."""
    token = _scope.set(pseudonyms)
    try:
        yield pseudonyms
    finally:
        _scope.reset(token)


def current_pseudonyms() -> Pseudonyms:
    """The draft's placeholders, or fresh ones for a request made outside a draft (a passage being read)."""
    return _scope.get() or Pseudonyms()
