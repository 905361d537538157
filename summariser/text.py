"""One way to read case text: citations, sentences, shared word lists, dates and phone numbers.

Facts, grounding, citations, conflicts, risk and the benchmark in evals/ all
read the same drafts and records. When each had its own sentence splitter and
its own list of titles they disagreed ("Mrs." ended a sentence in one and not
in another), so a draft was checked one way and scored another. Everything
here is shared, so a rule changes in one place.

Sentences come from pysbd (rule-based, offline) with the house rules on top,
because pysbd alone splits differently from what the checks and their tests
rely on:
- a citation written after the full stop ("... paid. [3] Then ...") stays
  with the sentence before it;
- a stop after a title or abbreviation ("Mr.", "No.", "e.g.", "Jan.") or a
  single letter ("J.") ends no sentence, and neither does a stop followed by
  a lower-case word (unless `lowercase_starts`, for transcripts written in
  lower case);
- only a stop ends one (pysbd also breaks at other places, such as list
  numbers, where the checks read on).
Dates are found by the patterns here and read by python-dateutil, day first
(UK); phone numbers are read by phonenumbers.
"""
from __future__ import annotations

import functools
import re
from datetime import date, datetime

import phonenumbers
import pysbd
from dateutil import parser as dateparser

# citations ------------------------------------------------------------------------------------------------
CITATION = re.compile(r"\[(\d+(?:\s*[-–,]\s*\d+)*)\]")  # [3], [3, 4], [2-4]; group 1: what is inside
CITATIONS_AHEAD = re.compile(rf"(?:{CITATION.pattern}\s*)+")  # a run of them, as matched at a position
BULLET = re.compile(r"^\s*(?:[-*•+]|\d{1,3}[.)])\s+")  # "- ", "* ", "• ", "1. ", "2) "


# The tool's own lines in a draft, which state nothing a source must support: grounding skips them.
NOTHING_RECORDED = "Nothing recorded."  # a heading with no facts
LEFT_OUT = "Not listed here:"  # opens the line naming facts a heading leaves out


def cite(numbers) -> str:
    """The citation markers for these source numbers, as drafts write them: "[1][3]"."""
    return "".join(f"[{n}]" for n in numbers)


def strip_citations(text: str) -> str:
    """The text without [n] markers (and without the space they leave before punctuation)."""
    return re.sub(r"[ \t]{2,}", " ", re.sub(r"[ \t]+([.,;:])", r"\1", CITATION.sub("", text)))


# word lists -----------------------------------------------------------------------------------------------
TITLES = frozenset({"mr", "mrs", "ms", "miss", "mx", "dr", "prof", "professor", "sir", "dame", "lady", "lord",
                    "rev", "revd"})
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")
MONTH_WORDS = frozenset({m.lower() for m in MONTHS} | {m.lower()[:3] for m in MONTHS} | {"sept"})
WEEKDAYS = frozenset({"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
                      "mon", "tue", "tues", "wed", "thu", "thur", "thurs", "fri", "sat", "sun"})
# Words a full stop follows without ending the sentence ("Mrs. Jones", "No. 5", "e.g. rent", "3 Jan. 2025").
ABBREVIATIONS = TITLES | {m for m in MONTH_WORDS if len(m) <= 4} | {
    "st", "no", "nos", "e.g", "i.e", "eg", "ie", "etc", "approx", "ref", "vs", "cf", "fig", "tel", "inc", "ltd",
    "co", "dept", "para", "sec", "s", "p", "pp"}
NUMBER_WORDS = {"zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
                "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
                "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20,
                "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
SMALL_NUMBERS = tuple(word for word, value in NUMBER_WORDS.items() if value <= 20)  # "zero" ... "twenty", in order
TENS = tuple(word for word, value in NUMBER_WORDS.items() if value >= 20 and value % 10 == 0)


# Titles that name the same person when one record writes "Ms" and another "Mrs" or "Miss"; any other two
# different titles ("Mr" and "Mrs", "Dr" and "Mr") are two people.
_SAME_TITLE = {"ms": "mrs", "miss": "mrs", "professor": "prof", "revd": "rev"}


def same_title(a: str, b: str) -> bool:
    """True when the titles `a` and `b` ("Mrs", "ms.", "Dr") can belong to the same person."""
    def norm(title: str) -> str:
        bare = title.lower().rstrip(".")
        return _SAME_TITLE.get(bare, bare)
    return norm(a) == norm(b)


def title_pattern(dot: bool = True) -> str:
    """A regex for a title as written ("Mrs", "Dr.", "Professor"), capitalised, optionally with its dot."""
    words = sorted((t.capitalize() for t in TITLES), key=len, reverse=True)
    return r"(?:" + "|".join(words) + r")" + (r"\.?" if dot else "")


def straight_apostrophes(text: str) -> str:
    """’ as ', so "Jason’s" and "Jason's", "can’t" and "can't" read alike."""
    return text.replace("’", "'")


# sentences ------------------------------------------------------------------------------------------------
_STOP_BEFORE = re.compile(r"([\w.]*?)[.!?]+[\"'”’)\]]*\s*$")  # a stop (and closing marks) ending the text
_STARTS = "[\"'“‘(*"  # besides capitals and digits, what may start a sentence


@functools.lru_cache(maxsize=4096)
def _pysbd_ends(text: str) -> tuple[int, ...]:
    """Where pysbd ends each sentence but the last (offsets into text, after the space that follows).
    A fresh Segmenter per call: one is not safe to share between threads, and the checker is."""
    segmenter = pysbd.Segmenter(language="en", clean=False, char_span=True)
    return tuple(span.end for span in segmenter.segment(text))[:-1]


def _may_end(text: str, start: int, end: int, cut: int, lowercase_starts: bool) -> bool:
    """The house rules on one of pysbd's boundaries: a stop ends the text before it, not after a title,
    abbreviation or initial, and what follows may start a sentence."""
    stop = _STOP_BEFORE.search(text, start, end)
    following = text[cut:cut + 1]
    if not stop or not following:
        return False
    word = re.search(r"[\w.]*$", text[start:stop.start() + len(stop.group(1))]).group(0).lower().strip(".")
    if word in ABBREVIATIONS or (len(word) == 1 and word.isalpha()):
        return False
    return lowercase_starts or following.isupper() or following.isdigit() or following in _STARTS


def sentence_spans(text: str, lowercase_starts: bool = False) -> list[tuple[int, int]]:
    """(start, end) of each sentence of one line or paragraph, white space trimmed; see the module's rules."""
    cuts, start = [], 0
    for end in _pysbd_ends(text) if text.strip() else ():
        if end <= start:
            continue
        ahead = CITATIONS_AHEAD.match(text, end)  # "... paid. [3] Then ...": [3] closes the sentence before
        cut = ahead.end() if ahead else end
        if text[cut:].strip() and _may_end(text, start, end, cut, lowercase_starts):
            cuts.append(cut)
            start = cut
    spans = []
    for begin, finish in zip([0] + cuts, cuts + [len(text)]):
        piece = text[begin:finish]
        if piece.strip():
            begin += len(piece) - len(piece.lstrip())
            spans.append((begin, begin + len(piece.strip())))
    return spans


def split_sentences(text: str, lowercase_starts: bool = False) -> list[str]:
    """The sentences of one line or paragraph, as written (trimmed)."""
    return [text[start:end] for start, end in sentence_spans(text, lowercase_starts)]


# dates ----------------------------------------------------------------------------------------------------
def month_pattern(ignore_case: bool = True) -> str:
    """A regex for a month, in full or short ("Sept."), with its dot if any."""
    names = r"Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?" \
            r"|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?"
    return (rf"(?i:{names})" if ignore_case else rf"(?:{names})") + r"\.?"


MONTH = month_pattern()
ORDINAL = r"(?:st|nd|rd|th)"
ISO_DATE = r"\b(\d{4})-(\d{1,2})-(\d{1,2})\b"  # year, month, day
NUMERIC_DATE = r"\b(\d{1,2})(?P<sep>[/.\-])(\d{1,2})(?P=sep)(\d{4}|\d{2})(?![\d/])"  # day, separator, month, year


def two_digit_year(year: int) -> int:
    """61 is 1961 and 25 is 2025: a two-digit year is at most ten years ahead of this one."""
    return 2000 + year if 2000 + year <= date.today().year + 10 else 1900 + year


@functools.lru_cache(maxsize=8192)
def date_key(written: str) -> str | None:
    """The comparable key of one date as a record writes it, or None if it is no date.

    "3 March 2025", "03/03/25", "2025-03-03", "March 3rd, 2025" -> "2025-03-03" (numbers read day first);
    "6 January" -> "--01-06" (any year); "March 2023" -> "2023-03" (any day of it)."""
    numbers = re.findall(r"\d+", written)
    numeric = re.fullmatch(r"\s*" + NUMERIC_DATE + r"\s*", written)
    if numeric and len(numeric.group(4)) == 2:  # expand the year before dateutil applies its own rule
        written = written[:numeric.start(4)] + str(two_digit_year(int(numeric.group(4)))) + written[numeric.end(4):]
        numbers[-1] = written[numeric.start(4):numeric.start(4) + 4]
    has_year = any(len(n) == 4 for n in numbers)
    has_day = any(len(n) <= 2 for n in numbers)
    year_first = bool(re.match(r"\s*\d{4}", written))
    try:  # 2024 is a leap year, so "29 February" without a year is a date
        parsed = dateparser.parse(written, default=datetime(2024, 1, 1), dayfirst=not year_first,
                                  yearfirst=year_first)
    except (ValueError, OverflowError):
        return None
    if numeric and (parsed.day, parsed.month) != (int(numbers[0]), int(numbers[1])):
        return None  # dateutil reads "03/13/2025" month first; the UK does not
    if has_year and has_day:
        return parsed.date().isoformat()
    if has_day:
        return f"--{parsed.month:02d}-{parsed.day:02d}"
    return f"{parsed.year:04d}-{parsed.month:02d}" if has_year else None


def date_order(written: str | None) -> tuple[int, str]:
    """Sort key for things dated as a record writes it: full dates first, by date; those with no date, or a
    date without a year, after them (a stable sort keeps their order)."""
    key = date_key(written) if written else None
    return (0, key) if key and not key.startswith("--") else (1, "")


def month_number(word: str) -> int:
    """1 for "Jan", "January" or "jan."."""
    return [m.lower()[:3] for m in MONTHS].index(word.lower().rstrip(".")[:3]) + 1


# phone numbers --------------------------------------------------------------------------------------------
def phone_key(written: str) -> str | None:
    """A UK phone number as its digits with the leading 0 ("+44 (0)7700 900587" -> "07700900587"), or None
    if it cannot be a phone number."""
    try:
        number = phonenumbers.parse(written, "GB")
    except phonenumbers.NumberParseException:
        return None
    possible = phonenumbers.is_possible_number_with_reason(number) == phonenumbers.ValidationResult.IS_POSSIBLE
    if number.country_code != 44 or not possible:  # not is_valid_number: Ofcom's drama numbers are not "valid"
        return None
    return "0" + str(number.national_number)
