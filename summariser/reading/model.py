"""What reading one passage produces: facts the tool has checked against the passage.

The model only names a kind, a date and the passage's own sentence numbers; the tool copies
the quote and decides whether each fact is accepted. These value types are shared by the
reader, the fact store and the worker, so they live here and import nothing heavy.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass

from summariser.errors import SummariserError

KINDS = ("event", "decision", "money", "deadline_or_right", "circumstance_or_vulnerability",
         "contact_or_adjustment", "request", "other")

# Reasons a fact is rejected (ReadFact.reason); plain-English detail goes in ReadFact.detail.
QUOTE_NOT_FOUND = "quote_not_found"
FACT_NOT_IN_QUOTE = "fact_not_in_quote"
WORDING_NOT_SUPPORTED = "wording_not_supported"
MALFORMED = "malformed"
REASONS = (QUOTE_NOT_FOUND, FACT_NOT_IN_QUOTE, WORDING_NOT_SUPPORTED, MALFORMED)


def passage_sha256(text: str) -> str:
    """The key a passage's facts are stored under: the SHA-256 of its text as UTF-8."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def passage_hashes(records, documents) -> set[str]:
    """The keys of every passage of these held documents, worked out without a model (erasure needs them
    even when no model is available): compute them before the documents are erased (FactStore.erase)."""
    held = [d for d in documents if d.erased_at is None]
    return {passage_sha256(chunk.text) for chunks in records.passages(held).values() for chunk in chunks}


@dataclass(frozen=True)
class PassageToRead:
    text: str
    sha256: str
    case_reference: str
    person_name: str
    case_type: str
    document_name: str = ""

    @classmethod
    def of(cls, text: str, case_reference: str, person_name: str, case_type: str,
           document_name: str = "") -> "PassageToRead":
        """Build one with its SHA-256 computed, so callers cannot key it wrongly."""
        return cls(text=text, sha256=passage_sha256(text), case_reference=case_reference,
                   person_name=person_name, case_type=case_type, document_name=document_name)


@dataclass(frozen=True)
class ReadFact:
    kind: str
    date: str | None
    quote: str
    start: int  # offset of the quote in the passage text; -1 when rejected as not found
    end: int
    wording: str | None
    accepted: bool
    reason: str | None  # why rejected: one of REASONS; None when accepted
    detail: str = ""  # plain English, for the officer or a diagnosis


@dataclass(frozen=True)
class Reading:
    facts: tuple[ReadFact, ...]
    model_id: str
    prompt_name: str
    prompt_version: str
    output_tokens: int
    seconds: float

    @property
    def accepted(self) -> tuple[ReadFact, ...]:
        return tuple(f for f in self.facts if f.accepted)

    @property
    def rejected(self) -> tuple[ReadFact, ...]:
        return tuple(f for f in self.facts if not f.accepted)


class ReadingFailed(SummariserError):
    default = ("The language model could not read this passage. It will be tried again; if it "
               "keeps failing, check the model settings (see the README's configuration table).")
