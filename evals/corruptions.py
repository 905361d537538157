"""Controlled corruptions of a supported sentence, to see whether the grounding checker notices.

Each function returns the corrupted sentence, or None when it cannot apply
(a sentence with no date cannot have its date changed); the benchmark counts
those as not applicable. They are deterministic and written without the
checker's fact extractor, so what is corrupted does not depend on what the
checker happens to recognise.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from summariser.text import ISO_DATE, MONTHS, NUMERIC_DATE, ORDINAL, SMALL_NUMBERS, month_number, month_pattern, \
    title_pattern

MONTH = month_pattern(ignore_case=False)  # "May" is a month, "may" a verb
# Dates, most specific first; a bare year counts as a date ("a hysterectomy in 1996").
DATE_PATTERNS = [
    ("numeric", re.compile(NUMERIC_DATE)),
    ("iso", re.compile(ISO_DATE)),
    ("month_year_numeric", re.compile(r"\b(\d{1,2})/((?:19|20)\d{2})\b")),
    ("day_month", re.compile(rf"\b(\d{{1,2}})({ORDINAL})?( of)? ({MONTH})(,? (?:19|20)\d{{2}})?\b")),
    ("month_day", re.compile(rf"\b({MONTH}) (\d{{1,2}})({ORDINAL})?\b(,? (?:19|20)\d{{2}})?")),
    ("month", re.compile(rf"\b({MONTH})\b(,? (?:19|20)\d{{2}})?")),
    ("year", re.compile(r"(?<![\d/.-])((?:19|20)\d{2})(?![\d/])")),
]
NUMBER = re.compile(r"(?<![\w.])(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?(?![\d])")
NUMBER_WORD = re.compile(r"\b(" + "|".join(SMALL_NUMBERS[2:]) + r")\b", re.IGNORECASE)
TITLED_NAME = re.compile(rf"\b{title_pattern()} ((?:[A-Z][a-z]+)(?: [A-Z][a-z]+)?)")
INTRODUCED_NAME = re.compile(r"(?:^|[.•]\s+)([A-Z][a-z]+ [A-Z][a-z]+) (?:is|was) an?\b", re.MULTILINE)
# Surnames unlikely in any source: a changed name must not match by accident.
SUBSTITUTE_NAMES = ["Quenby", "Tregarthen", "Ashdown", "Pellow", "Fenwick", "Haverley", "Mortlake", "Ollerenshaw"]

# Negation: first remove a negation the sentence has, else add one; the first rule that matches is used.
REMOVE_NEGATION = [
    (r"\bdenies\b", "reports"), (r"\bdenied\b", "reported"),
    (r"\b(is|are|was|were|has|have|had|will|can|could|should|would|does|did|do) not\b", r"\1"),
    (r"\bcannot\b", "can"), (r"\bnot\s+", ""), (r"\b[Nn]o evidence of\b", "evidence of"),
    (r"\bwithout\b", "with"), (r"\bnegative\b", "positive"), (r"\b[Nn]o\s+", "some "), (r"\bnever\b", "often"),
]
ADD_NEGATION = [
    (r"\b(reports|endorses|notes|states|describes|complains of)\b", "denies"), (r"\breported\b", "denied"),
    (r"\b(has|have|had) been\b", r"\1 not been"), (r"\b(has|have|had)(?= \w+(?:ed|en)\b)", r"\1 not"),
    (r"\b(is|are|was|were|will|can|could|should|would)\b", r"\1 not"),
    (r"\bhas\b", "does not have"), (r"\bhave\b", "do not have"), (r"\bhad\b", "did not have"),
    (r"\bContinue\b", "Discontinue"), (r"\bcontinue\b", "discontinue"), (r"\bStart\b", "Stop"),
    (r"\bIncrease\b", "Decrease"), (r"\bincreased\b", "decreased"), (r"\bpositive\b", "negative"),
    (r"\bnormal\b", "abnormal"),
]


def _shift_small(value: int, top: int, by: int = 2) -> int:
    """A different value in 1..top: up by `by`, or down when that would pass the top."""
    return value + by if value + by <= top else value - by


def _new_month(word: str) -> str:
    return MONTHS[(month_number(word) - 1 + 6) % 12]


def change_date(sentence: str) -> str | None:
    """Move the first date to another day, month or year (numeric dates change their first field by 2,
    valid whether read day-first or month-first)."""
    for kind, pattern in DATE_PATTERNS:
        match = pattern.search(sentence)
        if not match:
            continue
        g = match.groups()
        if kind == "numeric":
            new = f"{_shift_small(int(g[0]), 12):0{len(g[0])}d}{g[1]}{g[2]}{g[1]}{g[3]}"
        elif kind == "iso":
            new = f"{g[0]}-{g[1]}-{_shift_small(int(g[2]), 28):02d}"
        elif kind == "month_year_numeric":
            new = f"{_shift_small(int(g[0]), 12):0{len(g[0])}d}/{g[1]}"
        elif kind == "day_month":
            new = f"{_shift_small(int(g[0]), 28)}{g[1] and _ordinal(_shift_small(int(g[0]), 28)) or ''}" \
                  f"{g[2] or ''} {g[3]}{g[4] or ''}"
        elif kind == "month_day":
            day = _shift_small(int(g[1]), 28)
            new = f"{g[0]} {day}{g[2] and _ordinal(day) or ''}{g[3] or ''}"
        elif kind == "month":
            new = f"{_new_month(g[0])}{g[1] or ''}"
        else:
            new = str(int(g[0]) - 2)
        return sentence[:match.start()] + new + sentence[match.end():]
    return None


def _ordinal(day: int) -> str:
    return "th" if 11 <= day % 100 <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")


def _date_spans(sentence: str) -> list[tuple[int, int]]:
    return [m.span() for _, p in DATE_PATTERNS for m in p.finditer(sentence)]


def change_number(sentence: str) -> str | None:
    """Change the first number or amount that is not part of a date: under 10 it doubles (0 becomes 1),
    otherwise it grows by half; number words ("five") change the same way."""
    dates = _date_spans(sentence)
    candidates = [m for m in NUMBER.finditer(sentence) if not any(s <= m.start() < e for s, e in dates)]
    candidates += list(NUMBER_WORD.finditer(sentence))
    if not candidates:
        return None
    match = min(candidates, key=lambda m: m.start())
    if match.re is NUMBER_WORD:
        value = _changed(SMALL_NUMBERS.index(match.group(1).lower()))
        new = SMALL_NUMBERS[value] if value < len(SMALL_NUMBERS) else str(value)
        new = new.capitalize() if match.group(1)[0].isupper() else new
    else:
        whole, decimals = match.group(1), match.group(2) or ""
        value = float(whole.replace(",", "") + decimals)
        changed = _changed(value)
        places = len(decimals) - 1 if decimals else 0
        new = f"{changed:,.{places}f}" if "," in whole else f"{changed:.{places}f}"
    return sentence[:match.start()] + new + sentence[match.end():]


def _changed(value: float) -> float | int:
    if value == 0:
        return 1
    changed = value * 2 if value < 10 else value + round(value / 2)
    return int(changed) if float(changed).is_integer() else changed


def person_names(note: str) -> list[str]:
    """Name words of the people a note names: after a title ("Mrs. Cooper") or introduced as
    "Brian White is a 58-year-old male". Longest first, so full names are replaced before parts."""
    words = set()
    for match in list(TITLED_NAME.finditer(note)) + list(INTRODUCED_NAME.finditer(note)):
        words.update(match.group(1).split())
    return sorted(words, key=lambda w: (-len(w), w))


def change_name(sentence: str, names: list[str]) -> str | None:
    """Replace every word of a known person's name in the sentence by an unrelated surname."""
    present = [n for n in names if re.search(rf"\b{re.escape(n)}\b", sentence)]
    if not present:
        return None
    substitutes = [s for s in SUBSTITUTE_NAMES if s not in names]
    for number, name in enumerate(present):
        sentence = re.sub(rf"\b{re.escape(name)}\b", substitutes[number % len(substitutes)], sentence)
    return sentence


@dataclass(frozen=True)
class Person:
    """One person a note names, with every part of the name the note gives."""
    surname: str
    forename: str | None = None
    title: str | None = None  # as written, with its dot if any ("Mrs.")

    def written(self, with_forename: bool, with_title: bool) -> str:
        """The name in a given form, as far as this person's known parts allow ("Mr. Walker", "Logan Walker")."""
        parts = [self.title if with_title or not self.forename else None,
                 self.forename if with_forename or not self.title else None, self.surname]
        return " ".join(p for p in parts if p)


FULL_TITLED_NAME = re.compile(rf"\b({title_pattern()}) (?:([A-Z][a-z]+) )?([A-Z][a-z]+)\b")
# A relative of the same surname: the other title, another forename (the error of issue 11: "Mrs Denise
# Harrowby phoned" for "Mr Jason Harrowby phoned").
OTHER_TITLE = {"mr": "Mrs", "mrs": "Mr", "ms": "Mr", "miss": "Mr"}
RELATIVE_FORENAMES = ["Jordan", "Morgan"]


def case_people(note: str) -> list[Person]:
    """The people a note names (titled, or introduced as "Brian White is a ..."), one per surname, each with
    the fullest name the note gives, in order of first mention."""
    found: dict[str, Person] = {}
    mentions = [(m.start(), m.group(1), m.group(2), m.group(3)) for m in FULL_TITLED_NAME.finditer(note)]
    mentions += [(m.start(1), None, *m.group(1).split()) for m in INTRODUCED_NAME.finditer(note)]
    for _, title, forename, surname in sorted(mentions, key=lambda m: m[0]):
        known = found.get(surname, Person(surname))
        found[surname] = Person(surname, known.forename or forename, known.title or title)
    return list(found.values())


def _relative(person: Person, names: set[str]) -> Person:
    title = OTHER_TITLE.get((person.title or "").lower().rstrip("."), "Mr")
    title += "." if person.title and person.title.endswith(".") else ""
    forename = next(f for f in RELATIVE_FORENAMES if f not in names and f != person.forename)
    return Person(person.surname, forename, title)


def swap_person(sentence: str, people: list[Person]) -> str | None:
    """Put another person of the same case where the sentence names one (written in the same form: title,
    forename, surname as far as known); with no other person in the case, a relative of the same surname
    (the other title, another forename). None when the sentence names none of the case's people by more than
    a surname."""
    names = {part for p in people for part in (p.forename, p.surname) if part}
    for person in people:
        forms = [(True, True), (True, False), (False, True)]  # most specific first
        for with_forename, with_title in forms:
            if (with_forename and not person.forename) or (with_title and not person.title):
                continue
            written = person.written(with_forename, with_title)
            pattern = re.compile(rf"\b{re.escape(written)}\b")
            if with_title:  # "Mrs Cooper" is written "Mrs. Cooper" too
                pattern = re.compile(rf"\b{re.escape(person.title.rstrip('.'))}\.? "
                                     rf"{re.escape(written.split(' ', 1)[1])}\b")
            match = pattern.search(sentence)
            if not match:
                continue
            others = [p for p in people if p.surname != person.surname]
            other = others[0] if others else _relative(person, names)
            new = other.written(with_forename, with_title)
            return sentence[:match.start()] + new + sentence[match.end():]
    return None


def negate(sentence: str) -> str | None:
    """Reverse the statement: remove its negation if it has one ("denies" -> "reports"), else add one."""
    for rules in (REMOVE_NEGATION, ADD_NEGATION):
        for pattern, replacement in rules:
            changed, count = re.subn(pattern, replacement, sentence, count=1)
            if count and changed != sentence:
                return changed[0].upper() + changed[1:] if sentence[0].isupper() else changed
    return None


def other_case_sentence(sentence: str, candidates: list[str], own_note: str) -> str | None:
    """The first candidate (from another case's note) that this case's own note does not also contain."""
    for candidate in candidates:
        if candidate != sentence and candidate.lower() not in own_note.lower():
            return candidate
    return None
