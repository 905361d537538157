"""Contradictions between a case's sources, listed with both sources rather than smoothed over.

A summary that silently picks one of two dates of birth, or one of two
arrears figures, hides exactly what an officer needs to check. The rules here
are deliberately narrow: they read only values that a record labels
("date of birth: ...", "DOB ...", "take-home pay of £...", "arrears of £...",
"Address: ...") and compare them after normalisation (facts.py), so
"07/02/1961" and "7 February 1961" agree, and a figure repeated within one
document is never a conflict. Values that legitimately change over time are
kept apart: arrears and amounts "as at" different dates are different
subjects, rent per week and per month are different subjects, and qualified
addresses ("previous address", "current address") are not compared. Benefit
awards are not compared at all: they change every assessment period.

The Markdown section that `conflicts_section` writes starts every bullet with
its citations, like the model's bullets, so the grounding check reads it as
cited and can confirm every value against its source.

A draft is checked the same way after it is written (`draft_conflicts`): a
sentence that gives a labelled value, or an amount owed ("owes £0", "£1,872.90
overpaid"), which no other document of the case gives for that subject, while
other documents give one, is listed too, whichever source it cites. A
sentence citing a letter that says "£0 owed" is supported by that letter, so
grounding cannot catch an injected claim; set against the rest of the case, it
shows.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from summariser.checks.facts import Fact, extract_facts
from summariser.drafting.citations import Source, cited_numbers
from summariser.text import (ISO_DATE, MONTH, NUMERIC_DATE, ORDINAL, cite, sentence_spans, strip_citations,
                            title_pattern)

SECTION_HEADING = "## Conflicts between sources"
SHOWN_PER_VALUE = 3


@dataclass(frozen=True)
class Conflict:
    subject: str                                     # "the date of birth of Denise Harrowby"
    values: tuple[tuple[str, tuple[int, ...]], ...]  # (value as first written, the sources that give it)
    in_draft: bool = False  # the first value is the draft's own, its numbers what its sentence cites

    @property
    def cited(self) -> tuple[int, ...]:
        """The sources the conflicts section cites for it: the first few of each value's, in order."""
        return tuple(dict.fromkeys(n for _, numbers in self.values for n in numbers[:SHOWN_PER_VALUE]))


@dataclass(frozen=True)
class _Claim:
    subject: str   # how the officer reads it
    group: str     # what must agree
    person: str | None
    value: Fact
    source: Source


FILLER = re.compile(r"[\s:|,\-–—]*(?:(?:is|was|are|were|of|on|shows?|stands?\s+at|stood\s+at|totall?ing|total|now)"
                    r"\b[\s:|]*)*")
QUALIFIER_DATE = re.compile(rf"\b(?:as\s+at|as\s+of|at|on)\s+(\d{{1,2}}{ORDINAL}?\s+{MONTH}\s+\d{{4}}"
                            rf"|{NUMERIC_DATE}|{ISO_DATE})", re.IGNORECASE)
PERIOD = re.compile(r"\s*(?:per|a|each|every|/)\s*(calendar\s+month|month|week|fortnight|four\s+weeks|4\s+weeks|year"
                    r"|annum)\b|\s*(pcm|pw)\b", re.IGNORECASE)
PAYMENT_BEFORE = re.compile(r"\b(?:towards|off|payments?|repay\w*|plan|instalments?|reduce|clear)\s+(?:the\s+|her\s+|his\s+"
                            r"|their\s+|your\s+)?(?:rent\s+)?$", re.IGNORECASE)


@dataclass(frozen=True)
class _Rule:
    subject: str
    kind: str                           # "date" | "money" | "address"
    before: re.Pattern                  # a label written before the value
    after: re.Pattern | None = None     # a label written after the value ("£1,240.00 take home")


PERSONAL = ("date of birth", "date of death")  # subjects that belong to one person
RULES = [
    _Rule("date of birth", "date", re.compile(r"\b(?:date\s+of\s+birth|d\.?o\.?b\.?|born(?:\s+on)?)(?!\w)", re.I)),
    _Rule("date of death", "date", re.compile(r"\b(?:date\s+of\s+death|died\s+on)(?!\w)", re.I)),
    _Rule("release date", "date",
          re.compile(r"\b(?:(?:conditional\s+)?release\s+date|released(?:\s+on\s+licence)?\s+on)(?!\w)", re.I)),
    _Rule("take-home pay", "money",
          re.compile(r"\b(?:take[- ]home(?:\s+pay)?|net\s+(?:pay|earnings|wages?|monthly\s+pay))(?![\w-])", re.I),
          re.compile(r"\s*(?:take[- ]home|net\s+(?:pay|earnings|wages?))\b", re.I)),
    _Rule("rent arrears", "money", re.compile(r"\b(?:rent\s+)?arrears(?!\w)", re.I),
          re.compile(r"\s*(?:in\s+)?(?:rent\s+)?arrears\b", re.I)),
    _Rule("rent", "money", re.compile(r"(?<!\w)rent(?!\w)(?!\s+arrears)", re.I)),
    _Rule("address", "address", re.compile(r"(?:^|\n|\|)[ \t]*(?:home\s+)?address[ \t]*(?::|\|)", re.I)),
]


UNIT_BREAK = re.compile(r"\n\s*\n|\||\n(?=\s*[-*#•])")  # a blank line, a table cell, a bullet or heading


def _clause(text: str, start: int, end: int) -> str:
    """The sentence (or table row) around text[start:end], read across hard-wrapped lines."""
    before = UNIT_BREAK.split(text[max(0, start - 160):start])[-1]
    after = UNIT_BREAK.split(text[end:end + 160])[0]
    unit = f"{before}{text[start:end]}{after}".replace("\n", " ")
    inside = [(a, b) for a, b in sentence_spans(unit) if a < len(before) + end - start and b > len(before)]
    return " ".join(unit[inside[0][0]:inside[-1][1]].split()) if inside else " ".join(unit.split())


def _value_after(text: str, kind: str) -> Fact | None:
    """The value a label is followed by ("date of birth: 07/02/1961"), skipping an "as at <date>" qualifier."""
    rest = text[FILLER.match(text).end():]
    qualifier = re.match(r"(?:as\s+)?at\s+\S+(?:\s+[A-Za-z]+\s+\d{4})?[\s:,]*(?:are|is|were|was|of)?\s*", rest,
                         re.IGNORECASE)
    if kind == "money" and qualifier and _qualifier(qualifier.group(0)):
        rest = rest[qualifier.end():]
    if kind == "address":
        line = re.split(r"\||\n", rest, maxsplit=1)[0]
        if "withheld" in line.lower():
            return None
        for fact in extract_facts(line):
            if fact.kind == "address" and re.fullmatch(r"[A-Z0-9]{2,4} \d[A-Z]{2}", fact.key):
                value = line[:line.find(fact.text) + len(fact.text)].strip(" ,")
                return Fact("address", value, fact.key)
        return None
    for fact in extract_facts(rest[:60]):
        if fact.kind in ("date", "money", "number") and rest.find(fact.text) <= 1:
            if fact.kind == ("date" if kind == "date" else "money") and (kind != "date" or len(fact.key) == 10):
                return fact
        break
    return None


def _person_before(text: str) -> str | None:
    """The last person named in the same clause before a label ('Mrs Denise Harrowby, date of birth ...')."""
    clause = re.split(r"[.;|\n]\s*", text[-90:])[-1]
    names = [f for f in extract_facts(clause) if f.kind == "name" and len(f.key.split()) <= 4
             and (len(f.key.split()) > 1 or TITLE.match(f.text))]  # "Kelderby" is a town, "Mrs Birch" a person
    return names[-1].text if names else None


def _qualifier(sentence: str) -> str | None:
    match = QUALIFIER_DATE.search(sentence)
    if not match:
        return None
    dates = [f for f in extract_facts(match.group(1)) if f.kind == "date" and len(f.key) == 10]
    return dates[0].key if dates else None


def _subject(rule: _Rule, text: str, start: int, end: int) -> tuple[str, str] | None:
    """(subject as read, group that must agree) for one labelled value, or None to ignore it."""
    clause = _clause(text, start, end)
    if rule.subject == "rent":
        period = PERIOD.match(text[end:end + 40])
        if not period:
            return None
        unit = " ".join((period.group(1) or period.group(2)).lower().split())
        unit = {"pcm": "month", "calendar month": "month", "pw": "week", "4 weeks": "four weeks",
                "annum": "year"}.get(unit, unit)
        return f"rent per {unit}", f"rent per {unit}"
    if rule.subject == "rent arrears":
        when = _qualifier(clause)
        if when:
            return f"rent arrears at {_uk(when)}", f"rent arrears {when}"
    return rule.subject, rule.subject


def _claims(source: Source) -> list[_Claim]:
    text, claims = source.text.replace("**", "  "), []
    for rule in RULES:
        for match in rule.before.finditer(text):
            if rule.subject == "rent arrears" and PAYMENT_BEFORE.search(text[max(0, match.start() - 40):match.start()]):
                continue  # "£100 towards the arrears" is a payment, not the balance
            window = text[match.end():match.end() + 160]
            value = _value_after(window, rule.kind)
            if value is None:
                continue
            value_end = match.end() + window.find(value.text) + len(value.text)
            subject = _subject(rule, text, match.start(), value_end)
            if subject is None:
                continue
            person = _person_before(text[:match.start()]) if rule.subject in PERSONAL else None
            claims.append(_Claim(subject[0], subject[1], person, value, source))
        if rule.after is None:
            continue
        for fact in extract_facts(text):
            if fact.kind != rule.kind:
                continue
            for found in re.finditer(re.escape(fact.text), text):
                if not rule.after.match(text[found.end():found.end() + 40]):
                    continue
                subject = _subject(rule, text, found.start(), found.end())
                if subject is not None:
                    claims.append(_Claim(subject[0], subject[1], None, fact, source))
    return claims


def _uk(iso: str) -> str:
    return f"{iso[8:10]}/{iso[5:7]}/{iso[:4]}"


def _compatible(a: Fact, b: Fact) -> bool:
    if a.key == b.key:
        return True
    if a.kind == "date" and (a.key.startswith("--") or b.key.startswith("--")):
        return a.key[-5:] == b.key[-5:]
    return False


def _attribute_people(claims: list[_Claim], person_name: str | None) -> list[_Claim]:
    """Put each person-specific claim under one person: named ones under their name, unnamed ones under the
    case's person (or the person most often named), so a child's date of birth is not compared with a parent's."""
    named = Counter(_name_key(c.person) for c in claims if c.person)
    main = _name_key(person_name) if person_name else (named.most_common(1)[0][0] if named else None)
    display = {_name_key(c.person): c.person for c in claims if c.person}
    if person_name:
        display.setdefault(main, person_name)
    result = []
    for claim in claims:
        if claim.subject not in PERSONAL:
            result.append(claim)
            continue
        key = _name_key(claim.person) if claim.person else main
        if key and " " not in key:  # a surname alone ("Mrs Harrowby"): the one full name that ends with it
            matches = [k for k in set(named) | ({main} if main else set()) if k and k.endswith(" " + key)]
            key = matches[0] if len(matches) == 1 else key
        who = display.get(key, claim.person) if key else None
        subject = f"{claim.subject} of {_without_title(who)}" if who else claim.subject
        result.append(_Claim(subject, f"{claim.group} {key or ''}".strip(), claim.person, claim.value, claim.source))
    return result


TITLE = re.compile(rf"^{title_pattern()}\s+")


def _without_title(name: str) -> str:
    return TITLE.sub("", name)


def _name_key(name: str | None) -> str | None:
    if not name:
        return None
    return " ".join(w.lower() for w in TITLE.sub("", name).split())


def find_conflicts(sources: list[Source], person_name: str | None = None) -> list[Conflict]:
    """Labelled values that disagree between different documents of the case, in source order.

    `person_name` (the case's person) lets an unlabelled "Date of birth" row be read as theirs."""
    claims = _attribute_people([c for s in sources for c in _claims(s)], person_name)
    groups: dict[str, list[_Claim]] = {}
    for claim in claims:
        groups.setdefault(claim.group, []).append(claim)
    conflicts = []
    for group_claims in groups.values():
        values: list[tuple[Fact, list[_Claim]]] = []
        for claim in sorted(group_claims, key=lambda c: c.source.number):
            for fact, members in values:
                if _compatible(fact, claim.value):
                    members.append(claim)
                    break
            else:
                values.append((claim.value, [claim]))
        if len(values) < 2:
            continue
        documents = [{c.source.document_id for c in members} for _, members in values]
        if all(len(docs) == 1 for docs in documents) and len(set.union(*documents)) == 1:
            continue  # every value comes from one and the same document
        subject = Counter(c.subject for c in group_claims).most_common(1)[0][0]
        conflicts.append(Conflict(subject, tuple(
            (fact.text, tuple(sorted({c.source.number for c in members}))) for fact, members in values)))
    return sorted(conflicts, key=lambda c: min(n for _, numbers in c.values for n in numbers))


def conflicts_involving(conflicts: list[Conflict], numbers: set[int]) -> list[Conflict]:
    """The conflicts one of these sources takes part in: a draft of part of a case (a letter, an update) lists
    where that part disagrees with the rest of the records, but not disagreements among the rest alone."""
    return [c for c in conflicts if numbers.intersection(c.cited)]


_DEBT = r"(?:owes?|owed|owing|debts?|overpayments?|overpaid|arrears|balance|outstanding|repay(?:ing)?|recover(?:ing)?)"
OWED_BEFORE = re.compile(rf"\b{_DEBT}(?:\s+(?:of|is|was|are|were|now|stands\s+at|stood\s+at|totall?ing|total|the|"
                         rf"sum|a|you|us|them|him|her|to|back|in\s+full))*[\s:]*$", re.IGNORECASE)
OWED_AFTER = re.compile(r"^\s*(?:is\s+|was\s+|are\s+|were\s+)?(?:owed|owing|outstanding|overpaid|in\s+(?:rent\s+)?arrears|"
                        r"to\s+(?:be\s+)?repa(?:y|id)|(?:of\s+)?debt|overpayment)\b", re.IGNORECASE)
NOTHING_OWED = re.compile(r"\b(?:owes?|owed|owing)\s+(?:nothing|no\s+money)\b|\bnothing\s+(?:is\s+|was\s+)?(?:owed|"
                          r"owing|outstanding|to\s+(?:re)?pay)\b|\bno\s+(?:money\s+is\s+owed|debts?\b|overpayment|arrears)",
                          re.IGNORECASE)
AMOUNT_OWED = "the amount owed"


def _owed(sentence: str) -> list[Fact]:
    """The amounts a sentence gives as owed ("owes £0", "an overpayment of £1,872.90", "£1,846.20 in arrears"),
    and "owes nothing" as £0; an amount paid towards a debt, or a rate, is not one."""
    values = []
    for fact in extract_facts(sentence):
        at = sentence.find(fact.text)
        if fact.kind == "money" and (OWED_BEFORE.search(sentence[max(0, at - 40):at])
                                     or OWED_AFTER.match(sentence[at + len(fact.text):at + len(fact.text) + 30])):
            values.append(fact)
    return values + ([Fact("money", "£0", "0.00")] if NOTHING_OWED.search(sentence) else [])


def _sentence_claims(source: Source) -> list[_Claim]:
    """Labelled values and amounts owed in a source, each grouped by what must agree."""
    claims = _claims(source)
    for start, end in sentence_spans(source.text.replace("\n", " ")):
        for fact in _owed(source.text[start:end]):
            claims.append(_Claim(AMOUNT_OWED, AMOUNT_OWED, None, fact, source))
    return claims


def _draft_sentences(draft: str) -> list[tuple[str, tuple[int, ...]]]:
    """Each sentence of a draft (its conflicts section left out) with the sources its bullet or itself cites."""
    found = []
    for line in draft.split(f"\n{SECTION_HEADING}")[0].splitlines():
        line_cites = tuple(dict.fromkeys(cited_numbers(line)))
        for start, end in sentence_spans(line):
            sentence = line[start:end]
            found.append((strip_citations(sentence), tuple(dict.fromkeys(cited_numbers(sentence))) or line_cites))
    return found


def draft_conflicts(draft: str, sources: list[Source], person_name: str | None = None,
                    known: list[Conflict] = ()) -> list[Conflict]:
    """Sentences of a draft giving a value that no other document of the case gives for the same subject, while
    other documents give one; each with the values the rest of the case gives. "Other" means the documents of
    the sources the sentence does not cite, so a sentence is set against the rest of the case whichever source
    it cites (`sources`: the whole case, less documents held out of drafts). A value already in one of the
    `known` conflicts between the sources is not listed twice."""
    shown = {value for c in known for value, _ in c.values}
    by_number = {s.number: s for s in sources}
    case_claims = [c for s in sources for c in _sentence_claims(s)]
    found: dict[tuple[str, str, tuple[int, ...]], Conflict] = {}
    for sentence, cites in _draft_sentences(draft):
        cited_documents = {by_number[n].document_id for n in cites if n in by_number}
        pseudo = Source(0, "", "", -1, "the draft", 1, 0, len(sentence), sentence)
        for claim in _attribute_people(_sentence_claims(pseudo), person_name):
            rest = [c for c in _attribute_people(case_claims, person_name)
                    if c.group == claim.group and c.source.document_id not in cited_documents]
            if not rest or any(_compatible(claim.value, c.value) for c in rest) \
                    or claim.value.text in shown:
                continue
            values: dict[str, tuple[str, list[int]]] = {}
            for other in rest:
                values.setdefault(other.value.key, (other.value.text, []))[1].append(other.source.number)
            key = (claim.group, claim.value.key, tuple(cites))
            found.setdefault(key, Conflict(claim.subject, ((claim.value.text, tuple(cites)),) + tuple(
                (text, tuple(sorted(set(numbers)))) for text, numbers in values.values()), in_draft=True))
    return list(found.values())


def _draft_line(conflict: Conflict) -> str:
    (value, cites), others = conflict.values[0], conflict.values[1:]
    shown = "; ".join(f"{text} in {cite(numbers[:SHOWN_PER_VALUE])}" for text, numbers in others[:SHOWN_PER_VALUE])
    more = " and others" if len(others) > SHOWN_PER_VALUE else ""
    where = f" (its sentence cites {cite(cites)})" if cites else ""
    return (f"- {cite(conflict.cited)} The draft gives {value} for {conflict.subject}{where}, which no other record "
            f"gives; the other records give {shown}{more}.")


def conflicts_section(conflicts: list[Conflict]) -> str:
    """The draft's "Conflicts between sources" section, or "" when the sources agree."""
    if not conflicts:
        return ""
    lines = [SECTION_HEADING]
    for conflict in conflicts:
        if conflict.in_draft:
            lines.append(_draft_line(conflict))
            continue
        shown = [(value, numbers[:SHOWN_PER_VALUE]) for value, numbers in conflict.values]
        cited = cite(conflict.cited)
        parts = "; ".join(f"{value} in {cite(numbers)}"
                          + (" and others" if len(full) > SHOWN_PER_VALUE else "")
                          for (value, numbers), (_, full) in zip(shown, conflict.values))
        subject = conflict.subject[0].upper() + conflict.subject[1:]
        lines.append(f"- {cited} {subject} differs between the records: {parts}.")
    return "\n".join(lines) + "\n"
