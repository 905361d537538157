"""Scores for one output against its reference and its source: ROUGE, citations, unsourced facts.

Every method (our pipeline, the naive prompt, the extractive baseline) is
scored by these same functions, so the comparison is like for like.
"""
from __future__ import annotations

import functools
import re
from typing import Callable, Iterable, Protocol

from evals.text import plain_text, split_sentences
from summariser.checks.grounding import tool_note
from summariser.drafting.citations import cited_numbers
from summariser.text import CITATION, SMALL_NUMBERS, TENS

ROUGE_TYPES = ("rouge1", "rouge2", "rougeL")
UNITS = SMALL_NUMBERS[:20]  # "zero" ... "nineteen"


class FactLike(Protocol):
    kind: str
    text: str
    key: str


@functools.lru_cache(maxsize=1)
def _scorer():
    from rouge_score import rouge_scorer
    return rouge_scorer.RougeScorer(list(ROUGE_TYPES), use_stemmer=True)


def rouge_scores(prediction: str, reference: str) -> dict[str, float]:
    """ROUGE-1/2/L F1 (Porter stemming); citations and Markdown heading marks are removed first."""
    scores = _scorer().score(reference, plain_text(prediction))
    return {name: scores[name].fmeasure for name in ROUGE_TYPES}


def citation_resolution(text: str, source_numbers: Iterable[int]) -> tuple[int, int]:
    """(citations that point to a real source, all citations), counting every [n] occurrence."""
    known, resolved, total = set(source_numbers), 0, 0
    for match in CITATION.finditer(text):
        for number in cited_numbers(match.group(0)):
            total += 1
            resolved += number in known
    return resolved, total


def number_words(value: int) -> set[str]:
    """How a whole number under 100 may be spoken: 45 -> {"forty five", "forty-five"}."""
    if value < 20:
        return {UNITS[value]}
    if value < 100:
        tens, unit = divmod(value, 10)
        if not unit:
            return {TENS[tens - 2]}
        return {f"{TENS[tens - 2]} {UNITS[unit]}", f"{TENS[tens - 2]}-{UNITS[unit]}"}
    return set()


def loose_text(text: str) -> str:
    """Lower case, hyphens as spaces, no space before punctuation, single spaces: '58-year-old' ~ '58 year old'."""
    text = re.sub(r"\s+([.,;:?!%])", r"\1", text.lower().replace("-", " "))
    return " " + re.sub(r"\s+", " ", text) + " "


def _contains(haystack: str, needle: str) -> bool:
    needle = loose_text(needle).strip(" .,;:")
    return bool(needle) and re.search(rf"(?<![a-z0-9]){re.escape(needle)}(?![a-z0-9])", haystack) is not None


def fact_in_source(fact: FactLike, source_keys: set[tuple[str, str]], loose_source: str) -> bool:
    """A fact is sourced if the extractor finds the same fact (kind and key) in the source, or its words
    appear there ignoring case and hyphens, or, for a whole number under 100, the number is spoken in words."""
    if (fact.kind, fact.key) in source_keys or _contains(loose_source, fact.text):
        return True
    digits = fact.text.strip()
    if digits.isdigit() and int(digits) < 100:
        return any(_contains(loose_source, words) for words in number_words(int(digits)))
    return False


def unsourced_facts(text: str, source: str, extract: Callable[[str], list]) -> list:
    """Distinct facts (by kind and key) of the output that the source does not contain, in order of appearance; the
    tool's own notes ("Not listed here: 13 more facts for this heading.") state nothing of the case, as for the
    grounding check."""
    source_keys = {(f.kind, f.key) for f in extract(source)}
    loose_source = loose_text(source)
    seen, missing = set(), []
    facts = [fact for sentence in split_sentences(plain_text(text)) if not tool_note(sentence)
             for fact in extract(sentence)]
    for fact in facts:  # sentence by sentence, bullets removed, as the grounding check reads a draft
        if (fact.kind, fact.key) in seen:
            continue
        seen.add((fact.kind, fact.key))
        if not fact_in_source(fact, source_keys, loose_source):
            missing.append(fact)
    return missing


def mean(values: Iterable[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return sum(present) / len(present) if present else None


def share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


FACT_KINDS = ("date", "amount", "number", "name", "address", "reference")
REASON_KINDS = frozenset({"not close in meaning to the cited passages", "no citation",
                          "cites a source that does not exist", "may say the opposite of the cited passage"}
                         | {f"{k} not in the cited sources" for k in FACT_KINDS}
                         | {f"{k} in a source it does not cite" for k in FACT_KINDS})


def reason_kind(reason: str) -> str:
    """The grounding checker's reasons name the fact ("The date 3 March 2025 is not in ..."); group them by
    the kind of problem so they can be counted. A kind given back is returned unchanged."""
    if reason in REASON_KINDS:
        return reason
    if "not close in meaning" in reason:
        return "not close in meaning to the cited passages"
    if reason.startswith("It may say the opposite"):
        return "may say the opposite of the cited passage"
    if reason.startswith("It cites no source"):
        return "no citation"
    if "not one of this case's sources" in reason:
        return "cites a source that does not exist"
    match = re.match(r"The (date|amount|number|name|address|reference) ", reason)
    if match and " is not in " in reason:
        return f"{match.group(1)} not in the cited sources"
    if match:  # "The number 58 is in [1]." said of a sentence that cites nothing
        return f"{match.group(1)} in a source it does not cite"
    return " ".join(reason.split()[:4])
