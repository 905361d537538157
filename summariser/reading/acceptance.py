"""The tool, not the model, decides which facts stand: each must rest on text that is in the passage.

The model names sentence numbers (or, from a model that writes them, a verbatim quote); the tool turns
them into a quote with offsets in the passage, then checks that every date, amount, name and identifier
the fact states is in that quote (the same fact extraction the grounding check uses) and that a plain
wording, when given, passes the grounding check against the quote alone. A rejected fact is kept with
its reason so a reading can be diagnosed, but it never reaches a draft.

Kinds: a 1.5B model labelled every fact "other" when asked for kinds alone (issue 10), so when the model
says "other" the tool classifies by cheap rules over the quote (an amount of money is "money", "by
<date>" or "appeal" is "deadline_or_right", ...). A kind the model did choose is kept.

The tool also does what it can do better than the model: a fact's date is given as the quote writes it
(the model often rewrote "24 April 2025" as "2025-04-24"; today's prompt asks for no date, and the tool takes
the quote's first), and a sentence stating an amount of money or
a deadline that no accepted fact rests on becomes a fact of its own (`TOOL_FOUND`): on the demo letters
the default model skipped a table's total and kept its rows, and amounts and deadlines are what an
officer can least afford to miss.
"""
from __future__ import annotations

import re
from typing import Any

from rapidfuzz import fuzz

from summariser.checks.facts import FactIndex, describe, extract_facts
from summariser.checks.grounding import STRUCTURED_LINE, GroundingChecker, may_continue
from summariser.drafting.citations import Source
from summariser.reading.model import (FACT_NOT_IN_QUOTE, KINDS, MALFORMED, QUOTE_NOT_FOUND, WORDING_NOT_SUPPORTED,
                                      PassageToRead, ReadFact)
from summariser.text import sentence_spans

DUPLICATE = "duplicate"  # the same kind resting on the same text twice: kept once
TOOL_FOUND = "Found by the tool: this sentence states {what} that no fact the model listed rests on."
_TOOL_KINDS = {"money": "an amount of money", "deadline_or_right": "a deadline or a right"}
NEAR_EXACT = 95.0  # rapidfuzz score (0-100) a normalised quote must reach to be "the same text"
_QUOTE_MARKS = str.maketrans({"‘": "'", "’": "'", "‚": "'", "“": '"', "”": '"', "„": '"', "`": "'"})


# sentences ------------------------------------------------------------------------------------------------
def numbered_sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) in the passage of each sentence the model is shown as "1. ...", "2. ...".

    Hard-wrapped lines are read as one paragraph (a newline becomes a space of the same length, so
    offsets stay those of the passage), a long numbered or bulleted item's too; table rows, headings, each
    new bullet and short header lines start on their own, as the grounding check reads passages."""
    runs: list[list[int]] = []  # [start, end] of text to split as one paragraph
    offset, joinable = 0, False
    for line in text.splitlines(keepends=True):
        bare = line.strip()
        begin, finish = offset, offset + len(line.rstrip("\r\n"))
        offset += len(line)
        if not bare or re.fullmatch(r"\|?[\s:|-]*", bare):
            joinable = False
            continue
        if joinable and not STRUCTURED_LINE.match(bare):
            runs[-1][1] = finish
        else:
            runs.append([begin, finish])
        joinable = may_continue(text[runs[-1][0]:runs[-1][1]].lstrip(), bare)
    spans = []
    for begin, finish in runs:
        flat = re.sub(r"[\r\n]", " ", text[begin:finish])
        spans += [(begin + s, begin + e) for s, e in sentence_spans(flat) if re.search(r"[A-Za-z0-9]", flat[s:e])]
    return spans


def sentence_list(text: str, spans: list[tuple[int, int]]) -> str:
    """The passage as the model sees it: one numbered sentence a line."""
    return "\n".join(f"{n}. {' '.join(text[s:e].split())}" for n, (s, e) in enumerate(spans, 1))


# quotes ---------------------------------------------------------------------------------------------------
def _normalised(text: str) -> tuple[str, list[int]]:
    """Lower case, straight quote marks, single spaces; with each character's offset in the original."""
    chars, where, space = [], [], False
    for i, char in enumerate(text.translate(_QUOTE_MARKS).lower()):
        if char.isspace():
            space = bool(chars)
            continue
        if space:
            chars.append(" ")
            where.append(i - 1)
            space = False
        chars.append(char)
        where.append(i)
    return "".join(chars), where


def locate_quote(quote: str, passage: str) -> tuple[int, int] | None:
    """Where a verbatim quote is in the passage: exactly, or near-exactly after white space, case and quote
    marks (rapidfuzz alignment of the normalised texts); None if it is not there."""
    quote = quote.strip()
    if not quote:
        return None
    at = passage.find(quote)
    if at >= 0:
        return at, at + len(quote)
    needle, _ = _normalised(quote)
    haystack, where = _normalised(passage)
    if not needle or len(needle) > len(haystack):
        return None
    found = fuzz.partial_ratio_alignment(needle, haystack, score_cutoff=NEAR_EXACT)
    if found is None or found.dest_end - found.dest_start < 0.9 * len(needle):
        return None
    return where[found.dest_start], where[found.dest_end - 1] + 1


# kinds ----------------------------------------------------------------------------------------------------
_KIND_RULES = (  # first match wins; over the quote, case-insensitive
    ("deadline_or_right", r"\bdeadline|\bby \d{1,2}(?:st|nd|rd|th)?\s+[a-z]{3}|\bby \d{1,2}/\d{1,2}|\bwithin \d+|"
                          r"\bwithin (?:one|a|two|three|four) (?:calendar )?(?:days?|weeks?|months?)|\bappeal|"
                          r"mandatory reconsideration|\btribunal|\bright to\b|\bdue (?:on|by)\b|"
                          r"\b(?:reply|respond) by\b|\bno later than\b"),
    ("decision", r"\bdecided\b|\bdecision\b|\bawarded\b|\brefused\b|\bapproved\b|\bdisallowed\b|"
                 r"\bsanction|\bconcluded\b|\boutcome\b|\bagreed to\b|\bwill not be\b|\bsubstantiated\b"),
    ("contact_or_adjustment", r"reasonable adjustment|large print|easy read|\binterpreter|\bBSL\b|"
                              r"sign language|\b(?:call|phone|ring|text|email|e-mail) (?:her|him|them|me)\b|"
                              r"\bappointee\b|\badvocate\b|\bhome visit\b|\bprefers?\b|\bcontact (?:her|him|them)\b"),
    ("request", r"\basked (?:for|us|to|if|whether)\b|\brequest|\bplease (?:send|provide)|"
                r"\bwe need\b|\bprovide (?:us|evidence|proof)\b|\bwould like\b"),
    ("circumstance_or_vulnerability", r"vulnerab|\bhardship|safeguarding|food ?bank|not eaten|suicid|self-harm|"
                                      r"\bdisab|\bcarer\b|\bdiagnos|\bdementia|\banxiety|\bdepress|\bmental health|"
                                      r"\blives (?:alone|with)\b|\barrears|\bdebt|\bstruggl|\bcannot cope|"
                                      r"\bhomeless|\beviction|\bpregnan|\bmedication\b|\bfall(?:s|en)?\b"),
)


def rule_kind(quote: str) -> str:
    """The kind cheap rules give a quote: money when it states an amount of money, else the first rule
    that matches, else "event" when it gives a date, else "other"."""
    facts = extract_facts(quote)
    if any(f.kind == "money" for f in facts):
        return "money"
    for kind, pattern in _KIND_RULES:
        if re.search(pattern, quote, re.IGNORECASE):
            return kind
    return "event" if any(f.kind == "date" for f in facts) else "other"


def _as_written(date: str | None, quote: str) -> str | None:
    """The date as the quote writes it, when the model wrote the same date another way."""
    if date is None or date in quote:
        return date
    keys = {f.key for f in extract_facts(date) if f.kind == "date"}
    return next((f.text for f in extract_facts(quote) if f.kind == "date" and f.key in keys), date)


def _first_date(quote: str) -> str | None:
    """The first date the quote gives, as it writes it: a fact's date when the model gave none."""
    return next((f.text for f in extract_facts(quote) if f.kind == "date"), None)


# judging --------------------------------------------------------------------------------------------------
def malformed(detail: str) -> ReadFact:
    return ReadFact(kind="other", date=None, quote="", start=-1, end=-1, wording=None, accepted=False,
                    reason=MALFORMED, detail=detail)


def _text(value: Any) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


class Acceptance:
    """Decides each fact of one passage's reading; `grounding` checks wordings (None: facts only)."""

    def __init__(self, grounding: GroundingChecker | None = None):
        self.grounding = grounding

    def judge_all(self, passage: PassageToRead, spans: list[tuple[int, int]], data: Any,
                  answer_text: str = "") -> tuple[ReadFact, ...]:
        """Every fact of the model's answer (`data`, the parsed JSON, None if it did not parse) judged."""
        items = data.get("facts") if isinstance(data, dict) else None
        if not isinstance(items, list):
            shown = " ".join(answer_text.split())[:200]
            return (malformed(f"The model's answer was not a list of facts: “{shown}”."),)
        judged, seen = [], set()
        for item in items:
            fact = self.judge(passage, spans, item)
            key = (fact.kind, fact.start, fact.end, fact.date)
            if fact.accepted and key in seen:
                fact = ReadFact(**{**fact.__dict__, "accepted": False, "reason": DUPLICATE,
                                   "detail": "The same fact was listed twice; it is kept once."})
            seen.add(key)
            judged.append(fact)
        return tuple(judged) + tuple(self._missed(passage, spans, judged))

    @staticmethod
    def _missed(passage: PassageToRead, spans: list[tuple[int, int]], judged: list[ReadFact]) -> list[ReadFact]:
        """A fact for each sentence stating money or a deadline that no accepted fact of that kind covers."""
        found = []
        for start, end in spans:
            quote = passage.text[start:end]
            kind = rule_kind(quote)
            if kind not in _TOOL_KINDS or any(f.accepted and f.kind == kind and f.start <= start and end <= f.end
                                               for f in judged):
                continue
            found.append(ReadFact(kind, _first_date(quote), quote, start, end, None, True, None,
                                  TOOL_FOUND.format(what=_TOOL_KINDS[kind])))
        return found

    def judge(self, passage: PassageToRead, spans: list[tuple[int, int]], item: Any) -> ReadFact:
        """One fact: where its text is in the passage, its kind, and whether it stands (with the reason)."""
        if not isinstance(item, dict) or item.get("kind") not in KINDS:
            return malformed(f"A fact was not in the expected form: {str(item)[:200]}.")
        date, wording = _text(item.get("date")), _text(item.get("wording"))
        found = self._where(passage.text, spans, item)
        if isinstance(found, str):
            return ReadFact(item["kind"], date, _text(item.get("quote")) or "", -1, -1, wording, False,
                            QUOTE_NOT_FOUND, found)
        start, end = found
        quote = passage.text[start:end]
        kind = item["kind"] if item["kind"] != "other" else rule_kind(quote)
        date = date or _first_date(quote)
        reason, detail = self._unsupported(passage, quote, date, wording)
        return ReadFact(kind, _as_written(date, quote) if reason is None else date, quote, start, end, wording,
                        reason is None, reason, detail)

    @staticmethod
    def _where(text: str, spans: list[tuple[int, int]], item: dict) -> tuple[int, int] | str:
        """(start, end) of the text the fact rests on, or why it is not in the passage."""
        numbers = item.get("sentences")
        if numbers:
            if not isinstance(numbers, list) or not all(isinstance(n, int) for n in numbers):
                return f"Its sentence numbers are not numbers: {numbers!r}."
            outside = [n for n in numbers if not 1 <= n <= len(spans)]
            if outside:
                return (f"It rests on sentence {', '.join(map(str, outside))}, but the passage has "
                        f"{len(spans)} sentence{'s' if len(spans) != 1 else ''}.")
            # one span, so the quote can be highlighted: from the first sentence cited to the last
            return spans[min(numbers) - 1][0], spans[max(numbers) - 1][1]
        quote = _text(item.get("quote"))
        if quote is None:
            return "It gives neither sentence numbers nor a quote."
        located = locate_quote(quote, text)
        return located if located else f"Its quote is not in the passage: “{quote[:200]}”."

    def _unsupported(self, passage: PassageToRead, quote: str, date: str | None,
                     wording: str | None) -> tuple[str | None, str]:
        """(reason, detail) if the fact says more than its quote; (None, "") if it stands."""
        index = FactIndex(quote)
        context = FactIndex(f"{passage.case_reference}. {passage.person_name}.")  # known without a source
        stated = extract_facts(date or "") + extract_facts(wording or "")
        missing = [describe(f) for f in stated if not index.contains(f) and not context.contains(f)]
        if missing:
            listed = "; ".join(dict.fromkeys(missing))
            return FACT_NOT_IN_QUOTE, (f"{listed[0].upper()}{listed[1:]} {'is' if len(missing) == 1 else 'are'} "
                                       "not in the text it rests on.")
        if wording and self.grounding is not None:
            source = Source(number=1, chunk_id=passage.sha256, case_reference=passage.case_reference,
                            document_id=0, filename=passage.document_name, page=1, start=0, end=len(quote),
                            text=quote)
            report = self.grounding.check(f"[1] {wording}", [source],
                                          context=f"{passage.case_reference} {passage.person_name}")
            if report.unsupported:
                reasons = [r for s in report.unsupported for r in s.reasons]
                return WORDING_NOT_SUPPORTED, " ".join(dict.fromkeys(reasons)) or "Its wording is not supported."
        return None, ""
