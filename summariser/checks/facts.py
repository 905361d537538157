"""Facts in a sentence (dates, amounts, numbers, names, addresses, identifiers) in a form that compares.

The grounding check asks of every sentence of a draft: is each fact it states
in the sources it cites? Records and models write the same fact in many ways
("3 March 2025", "03/03/2025", "3rd March 2025"; "£1,240", "1240 pounds"), so
each fact carries a normalised `key` and `FactIndex.contains` compares keys,
not spellings.

Deliberately simple and rule-based, so a case officer can be told exactly why
a sentence was flagged:
- Dates are read day-first (UK): "03/04/2025" is 3 April. A two-digit year
  is 20xx unless that is more than ten years ahead, then 19xx. A date
  without a year ("6 January") keys as
  "--01-06" and matches that day in any year; a month and year ("March 2023")
  keys as "2023-03" and matches any day of that month. Relative dates
  ("today", "last week") are not facts.
- Money keys are the amount with two decimals ("1240.00"), whatever the
  currency sign or word. Other numbers are digits only (number words such as
  "five" are not extracted from a sentence, but a source that spells a number
  out still supports the digits). Citations "[3]" and list numbering "1." are
  not facts. Times ("14:00", "2pm") are kind "number" with a 24-hour key.
- Names are runs of capitalised words that are not months, weekdays or common
  sentence words. A single capitalised word at the start of a sentence is not
  taken as a name (it is usually an ordinary word), unless a title such as
  "Mrs" or "Dr" comes first. A name is found in a source when the source
  writes the whole name, its words together and in order, ignoring case,
  hyphens and a possessive "'s" ("First-tier Tribunal's" writes "First-tier
  Tribunal"). A person is never matched by surname alone: "Mrs Denise
  Harrowby" is not found in "Mrs Harrowby ... Denise", and a title must
  agree (same_title) with the titles the source gives that name, if it gives
  any: "Mrs Harrowby" is not found where the source only says "Mr Jason
  Harrowby".
- Addresses are UK postcodes, "house number + street" and "Flat 9"-style
  parts. Identifiers are National Insurance numbers, NHS and phone numbers,
  e-mail addresses and references such as BR-2025-0158 or A4821KD; they match
  ignoring spaces and punctuation.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from summariser.text import (CITATION, ISO_DATE, MONTH, MONTH_WORDS, NUMBER_WORDS, NUMERIC_DATE, ORDINAL,
                             SMALL_NUMBERS, TENS, TITLES, WEEKDAYS, date_key, phone_key, same_title,
                             straight_apostrophes, title_pattern)

KINDS = ("date", "money", "number", "name", "address", "identifier")


@dataclass(frozen=True)
class Fact:
    kind: str   # "date" | "money" | "number" | "name" | "address" | "identifier"
    text: str   # as written in the sentence
    key: str    # normalised, comparable form ("2025-03-03", "1240.00", "KX4 7QZ", ...)


# Capitalised words that are ordinary words, not names, wherever they stand.
COMMON = {
    "i", "a", "an", "the", "this", "that", "these", "those", "he", "she", "it", "we", "they", "you", "his", "her",
    "hers", "its", "our", "their", "your", "my", "me", "him", "them", "us", "on", "in", "at", "by", "for", "from",
    "to", "of", "with", "after", "before", "during", "since", "until", "when", "while", "if", "as", "but", "and",
    "or", "so", "then", "there", "here", "no", "not", "yes", "all", "any", "some", "each", "every", "both",
    "nothing", "none", "also", "what", "who", "which", "where", "why", "how", "today", "yesterday", "tomorrow",
    "nan", "ok", "okay", "please", "thanks", "thank", "dear", "hello", "hi", "regards", "yours", "sincerely",
    "page", "note", "notes", "date", "re", "ref", "subject", "was", "is", "are", "has", "had", "have", "did",
    "does", "do", "will", "would", "could", "should", "may", "might", "can", "one", "two", "three",
}
# Words a source may spell a number with, besides "one" ... "ninety" ("twice", "half", "a dozen").
AMOUNT_WORDS = NUMBER_WORDS | {"hundred": 100, "thousand": 1000, "once": 1, "twice": 2, "half": 0.5, "dozen": 12}
STREET_TYPES = {"street": "street", "st": "street", "road": "road", "rd": "road", "lane": "lane", "ln": "lane",
                "avenue": "avenue", "ave": "avenue", "row": "row", "close": "close", "court": "court",
                "ct": "court", "drive": "drive", "way": "way", "place": "place", "pl": "place",
                "crescent": "crescent", "terrace": "terrace", "gardens": "gardens", "grove": "grove", "hill": "hill",
                "square": "square", "sq": "square", "walk": "walk", "mews": "mews", "park": "park", "view": "view",
                "parade": "parade", "rise": "rise", "green": "green", "wharf": "wharf", "quay": "quay",
                "yard": "yard", "gate": "gate", "vale": "vale"}

LIST_NUMBER = re.compile(r"^[ \t]*(?:[-*•][ \t]+)?\d{1,3}[.)](?=\s)", re.MULTILINE)
AMOUNT = r"(\d{1,3}(?:,\d{3})+(?:\.\d{1,2})?|\d+(?:\.\d{1,2})?)"
MULTIPLIERS = {"k": 1000, "thousand": 1000, "m": 1_000_000, "million": 1_000_000, "bn": 10**9, "billion": 10**9}
I = re.IGNORECASE
PATTERNS: list[tuple[str, re.Pattern]] = [
    ("email", re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")),
    ("ni", re.compile(r"\b[A-Z]{2}[ ]?\d{2}[ ]?\d{2}[ ]?\d{2}[ ]?[A-D]\b")),
    ("reference", re.compile(r"\b[A-Z]{1,5}(?:-\d+)+(?:-[A-Z0-9]+)*\b")),
    ("phone", re.compile(r"(?<![\d+])(?:\+44[ ]?(?:\(0\)[ ]?)?|0)\d{2,4}[ -]?\d{3,4}[ -]?\d{3,4}(?![\d/])")),
    ("nhs", re.compile(r"(?<![\d/.,])\d{3}[ -]?\d{3}[ -]?\d{4}(?![\d/])")),
    ("postcode", re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?[ ]?\d[A-Z]{2}\b")),
    ("flat", re.compile(r"\b(Flat|Apartment|Apt|Unit|Room)[ ]+(\d+[A-Za-z]?)\b")),
    ("street", re.compile(r"\b(\d{1,4}[A-Za-z]?),?[ ]+((?:[A-Z][A-Za-z'’]+[ ]+){1,3}?)((?i:" +
                          "|".join(sorted(STREET_TYPES, key=len, reverse=True)) + r"))\b\.?")),
    ("date_iso", re.compile(ISO_DATE)),
    ("date_numeric", re.compile(NUMERIC_DATE)),
    ("date_dmy", re.compile(rf"\b(\d{{1,2}}){ORDINAL}?(?:[ ]+of)?[ ]+({MONTH}),?[ ]+(\d{{4}})\b", I)),
    ("date_mdy", re.compile(rf"\b({MONTH})[ ]+(\d{{1,2}}){ORDINAL}?,?[ ]+(\d{{4}})\b", I)),
    ("date_dm", re.compile(rf"\b(\d{{1,2}}){ORDINAL}?(?:[ ]+of)?[ ]+({MONTH})(?![\w])", I)),
    ("date_md", re.compile(rf"\b({MONTH})[ ]+(\d{{1,2}}){ORDINAL}?\b(?![:.]\d)", I)),
    ("date_my", re.compile(rf"\b({MONTH}),?[ ]+(\d{{4}})\b", I)),
    ("money_sign", re.compile(r"(?:£|GBP[ ]?|US\$|\$|USD[ ]?|€|EUR[ ]?)[ ]?" + AMOUNT +
                              r"(?:[ ]?(k|m|bn|million|billion|thousand)\b)?", I)),
    ("money_word", re.compile(AMOUNT + r"[ ]?(?:(k|m|million|thousand)[ ]+)?(?:pounds?|quid|GBP|dollars?|USD|euros?"
                                       r"|EUR)\b", I)),
    ("pence", re.compile(r"\b(\d{1,3})[ ]?(?:p|pence)\b")),
    ("time", re.compile(r"\b(\d{1,2})(?::(\d{2})|[.](\d{2})(?=[ ]?[ap]\.?m\b))?[ ]?([ap])\.?m\.?(?![a-z])"
                        r"|\b([01]?\d|2[0-3]):([0-5]\d)(?::\d{2})?\b", I)),
    ("identifier", re.compile(r"\b(?=[A-Z0-9/-]*\d)(?=[A-Z0-9/-]*[A-Z])[A-Z0-9][A-Z0-9/-]{3,}\b")),
    ("number", re.compile(r"(?<![\w.,£$€])(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)(?:st|nd|rd|th)?"
                          r"(?!\w|[.,]\d)")),
]
NAME_WORD = r"(?:Mc|Mac|O['’])?[A-Z][a-z]*[a-z](?:[A-Z][a-z]+)*(?:['’-][A-Z]?[a-z]+)*"  # also "FastFunds", "O'Neill"
POSSESSIVE = re.compile(r"['’]s$")


def _decimal(digits: str) -> Decimal | None:
    try:
        return Decimal(digits.replace(",", ""))
    except InvalidOperation:
        return None


def number_key(value: Decimal) -> str:
    """'1240', '12.5': no thousands separators, no trailing zeros."""
    text = format(value.normalize(), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def money_key(value: Decimal) -> str:
    return f"{value.quantize(Decimal('0.01')):.2f}"


def _fact_from_match(pattern: str, match: re.Match) -> Fact | None:
    text, groups = match.group(0), match.groups()
    if pattern == "email":
        return Fact("identifier", text, text.lower())
    if pattern in ("ni", "reference", "identifier"):
        return Fact("identifier", text, re.sub(r"[^A-Z0-9]", "", text.upper()))
    if pattern == "phone":
        key = phone_key(text)
        return Fact("identifier", text, key) if key else None
    if pattern == "nhs":
        return Fact("identifier", text, re.sub(r"\D", "", text))
    if pattern == "postcode":
        compact = text.replace(" ", "")
        return Fact("address", text, f"{compact[:-3]} {compact[-3:]}")
    if pattern == "street":
        number, name, kind = groups
        words = straight_apostrophes(" ".join(name.split()).lower())
        return Fact("address", text.rstrip("."), f"{number.lower()} {words} {STREET_TYPES[kind.lower()]}")
    if pattern == "flat":
        return Fact("address", text, f"{groups[0].lower().replace('apt', 'apartment')} {groups[1].lower()}")
    if pattern.startswith("date"):
        month = {"date_dm": groups[1], "date_md": groups[0], "date_my": groups[0]}.get(pattern)
        if month == "may" or pattern != "date_my" and month in ("mar", "may"):  # the verbs "may", "mar"
            return None
        key = date_key(text)
        return Fact("date", text, key) if key else None
    if pattern in ("money_sign", "money_word"):
        value = _decimal(groups[0])
        if value is None:
            return None
        return Fact("money", text, money_key(value * MULTIPLIERS.get((groups[1] or "").lower(), 1)))
    if pattern == "pence":
        return Fact("money", text, money_key(Decimal(groups[0]) / 100))
    if pattern == "time":
        if groups[4] is not None:
            hour, minute = int(groups[4]), int(groups[5])
        else:
            hour, minute = int(groups[0]), int(groups[1] or groups[2] or 0)
            if not 1 <= hour <= 12:
                return None
            hour = hour % 12 + (12 if groups[3].lower() == "p" else 0)
        return Fact("number", text, f"{hour:02d}:{minute:02d}")
    if pattern == "number":
        value = _decimal(groups[0])
        return Fact("number", text, number_key(value)) if value is not None else None
    return None


def _is_sentence_start(text: str, start: int) -> bool:
    """True when no word comes before `start` in its sentence (a date or citation may)."""
    before = text[:start].rstrip()
    if not re.search(r"[A-Za-z]", before):
        return True
    return before[-1] in ".!?:;•*(\"'“‘\n|" or before.endswith((" -", " –", " —", "—", "–"))


TITLE_DOT = re.compile(rf"\b({title_pattern(dot=False)}|St)\.(?= [A-Z])")


def _names(text: str, taken: list[tuple[int, int]]) -> list[tuple[int, Fact]]:
    original, text = text, TITLE_DOT.sub(lambda m: m.group(1) + " ", text)  # "Mr. Smith": same offsets
    words = [m for m in re.finditer(NAME_WORD, text)
             if not any(m.start() < end and start < m.end() for start, end in taken)]
    runs: list[list[re.Match]] = []
    for word in words:
        if runs and re.fullmatch(r"[ ]{1,2}", text[runs[-1][-1].end():word.start()]):
            runs[-1].append(word)
        else:
            runs.append([word])
    found = []
    for run in runs:
        if run[0].start() > 0 and text[run[0].start() - 1].isalnum():
            continue  # the tail of a longer token
        titled = [i for i, w in enumerate(run) if w.group(0).lower() in TITLES and i + 1 < len(run)]
        if titled:  # "Adult Mrs Denise Harrowby": the name starts at its title
            run = run[titled[0]:]
        ordinary = COMMON | MONTH_WORDS | WEEKDAYS
        while run and run[0].group(0).lower() in ordinary:
            run = run[1:]
        while run and run[-1].group(0).lower() in ordinary | TITLES:
            run = run[:-1]
        if not run or any(w.group(0).lower() in MONTH_WORDS | WEEKDAYS for w in run):
            continue
        named = [straight_apostrophes(POSSESSIVE.sub("", w.group(0)).lower()) for w in run
                 if w.group(0).lower() not in TITLES]
        if not named or (len(run) == 1 and _is_sentence_start(text, run[0].start())):
            continue
        start, end = run[0].start(), run[-1].end()
        end -= len(POSSESSIVE.search(run[-1].group(0)).group(0)) if POSSESSIVE.search(run[-1].group(0)) else 0
        found.append((start, Fact("name", original[start:end], " ".join(named))))
    return found


def extract_facts(text: str) -> list[Fact]:
    """Every fact in the text, in order of appearance, each (kind, key) once."""
    taken: list[tuple[int, int]] = [m.span() for m in CITATION.finditer(text)]
    taken += [m.span() for m in LIST_NUMBER.finditer(text)]
    found: list[tuple[int, Fact]] = []
    for pattern, regex in PATTERNS:
        for match in regex.finditer(text):
            if any(match.start() < end and start < match.end() for start, end in taken):
                continue
            fact = _fact_from_match(pattern, match)
            if fact is not None:
                taken.append(match.span())
                found.append((match.start(), fact))
    found += _names(text, taken)
    facts, seen = [], set()
    for _, fact in sorted(found, key=lambda pair: pair[0]):
        if (fact.kind, fact.key) not in seen:
            seen.add((fact.kind, fact.key))
            facts.append(fact)
    return facts


WORD = re.compile(r"[A-Za-z0-9]+(?:['’][A-Za-z]+)?")
NAME_TOKEN = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")


def name_tokens(text: str) -> list[str]:
    """The words of a text as names compare: lower case, hyphens and dots as spaces, possessive "'s" dropped
    ("Mr. O'Neill's First-tier" -> mr, o'neill, first, tier)."""
    return [POSSESSIVE.sub("", w) for w in NAME_TOKEN.findall(straight_apostrophes(text.lower()))]


def name_title(fact: Fact) -> str | None:
    """The title a name is written with ("mrs" for "Mrs Denise Harrowby"), or None."""
    words = name_tokens(fact.text)
    return words[0] if words and words[0] in TITLES else None
COMPOUND_NUMBER = re.compile(rf"\b({'|'.join(TENS)})[ -]({'|'.join(SMALL_NUMBERS[1:10])})\b")  # "twenty-five"


class FactIndex:
    """The facts of one source (or of a whole case), ready to answer 'is this fact here?'."""

    def __init__(self, text: str):
        self.facts = extract_facts(text)
        self.dates = {f.key for f in self.facts if f.kind == "date"}
        self.times = {f.key for f in self.facts if f.kind == "number" and ":" in f.key}
        self.identifiers = {f.key for f in self.facts if f.kind == "identifier"}
        self.addresses = {f.key for f in self.facts if f.kind == "address"}
        self.amounts: set[Decimal] = set()
        for fact in self.facts:
            if fact.kind in ("money", "number") and ":" not in fact.key:
                self.amounts.add(Decimal(fact.key))
            elif fact.kind == "date" and not fact.key.startswith("--"):
                self.amounts.add(Decimal(fact.key[:4]))
        lowered = text.lower()
        self.words = {straight_apostrophes(POSSESSIVE.sub("", w)) for w in WORD.findall(lowered)}
        self.amounts |= {Decimal(str(AMOUNT_WORDS[w])) for w in self.words if w in AMOUNT_WORDS}
        for tens, unit in COMPOUND_NUMBER.findall(lowered):
            self.amounts.add(Decimal(AMOUNT_WORDS[tens] + AMOUNT_WORDS[unit]))
        self.tokens = name_tokens(text)
        self._token_at: dict[str, list[int]] = {}
        for position, token in enumerate(self.tokens):
            self._token_at.setdefault(token, []).append(position)
        self.compact = re.sub(r"[^A-Z0-9@.]", "", text.upper())
        self.flat_text = " ".join(re.sub(r"[^a-z0-9' ]", " ", straight_apostrophes(lowered)).split())

    def contains(self, fact: Fact) -> bool:
        if fact.kind == "date":
            return self._has_date(fact.key)
        if fact.kind in ("money", "number"):
            if ":" in fact.key:
                return fact.key in self.times
            return Decimal(fact.key) in self.amounts
        if fact.kind == "identifier":
            return fact.key in self.identifiers or fact.key.upper() in self.compact
        if fact.kind == "address":
            return fact.key.lower() in {a.lower() for a in self.addresses} or \
                f" {self._flat(fact.key)} " in f" {self.flat_text} "
        if fact.kind == "name":
            return self._has_name(fact)
        return False

    def _has_name(self, fact: Fact) -> bool:
        """The whole name, in order; with a title, one the source gives the name (if it gives it any)."""
        words = name_tokens(fact.key)
        if not words:
            return False
        starts = [i for i in self._token_at.get(words[0], []) if self.tokens[i:i + len(words)] == words]
        title = name_title(fact)
        if not starts or title is None:
            return bool(starts)
        given = [t for t in (self._title_before(i, len(words)) for i in starts) if t is not None]
        return not given or any(same_title(title, t) for t in given)

    def _title_before(self, start: int, length: int) -> str | None:
        """The title written before a name at `start`; before a surname alone it may precede a forename too
        ("Mr Jason Harrowby" gives "Harrowby" the title Mr)."""
        for back in (1, 2) if length == 1 else (1,):
            if start - back >= 0 and self.tokens[start - back] in TITLES:
                return self.tokens[start - back]
        return None

    @staticmethod
    def _flat(text: str) -> str:
        return " ".join(re.sub(r"[^a-z0-9' ]", " ", text.lower()).split())

    def _has_date(self, key: str) -> bool:
        if key in self.dates:
            return True
        if key.startswith("--"):  # no year: any year will do
            return any(d.endswith(key[1:]) for d in self.dates if len(d) == 10 or d.startswith("--"))
        if len(key) == 7:  # a month and year
            return any(d.startswith(key) for d in self.dates)
        return f"-{key[4:]}" in self.dates  # the source gave the day without the year


def describe(fact: Fact) -> str:
    """'the amount £1,420' - how a reason names a fact to a case officer."""
    noun = {"date": "date", "money": "amount", "number": "number", "name": "name", "address": "address",
            "identifier": "reference"}[fact.kind]
    return f"the {noun} {fact.text}"
