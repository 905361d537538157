"""Which needs a passage shows (food, debt, housing, a mental health crisis, caring): a readable phrase rule.

Why a rule and not a model: a suggestion must show the officer the words that
raised it, and an officer must be able to see at once why a service was
suggested and why another was not. Phrases do that exactly, cost nothing to
run on every case view, and a wrong suggestion costs one unticked box (nothing
is sent or referred without the officer). The phrases are in NEEDS_PHRASES
below, case-insensitive and whole words only.

Negation and advice are the sign-off rule's (summariser/checks/risk.py), so
both rules agree on what "no concerns about food" or "if you cannot afford
food, contact us" mean: a phrase negated in its own clause ("no", "not",
"never", "denies"... up to six words before it; "none", "not identified"...
just after it) or inside a letter's advice to its reader ("if" followed by
"you") does not count. Phrases that are themselves negative ("no food",
"can't cope") are never treated as negated.

Offsets are those of the text given: white space is normalised without
changing any length, so a found phrase can be marked in the passage as stored.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from summariser.checks.risk import advice_to_the_reader, negated  # one negation rule for both checks
from summariser.text import straight_apostrophes

RULE_VERSION = "needs-phrases-2"  # recorded with each choice; change it when a phrase list changes

_CANT = r"(?:can(?:no|')t|cannot|can not|unable to|could ?n[o']t|struggl(?:e|es|ed|ing) to)"
_WHOSE = r"(?:my|his|her|their|our|your|the)"
# Arrears the person owes, not a benefit's back pay ("arrears of mobility component", "an arrears payment") nor
# pay for a past period ("holiday pay paid in arrears").
_OWED_ARREARS = (r"(?<!paid\sin\s)arrears(?!\s+(?:payment|paid|due\s+to\s+(?:you|him|her|them)))"
                 r"(?!\s+of\s+(?:\w+\s+){0,2}(?:component|allowance|benefit|credit|pension|element|payment)s?\b)")


@dataclass(frozen=True)
class NeedPhrases:
    need: str  # a code of retrieval.records.directory.NEEDS
    pattern: re.Pattern
    negatable: bool = True


def _spaced(phrase: str) -> str:
    """A phrase matching however many spaces separate its words (white space is all spaces by then)."""
    return phrase.replace(" ?", "\0").replace(" ", " +").replace("\0", " *")


def _phrases(need: str, *phrases: str, negatable: bool = True) -> NeedPhrases:
    return NeedPhrases(need, re.compile(r"(?<![\w-])(?:" + "|".join(map(_spaced, phrases)) + r")(?![\w-])",
                                        re.IGNORECASE), negatable)


NEEDS_PHRASES: tuple[NeedPhrases, ...] = (
    _phrases("food", r"food ?banks?", r"food (?:parcels?|vouchers?|poverty|insecurity)", r"hungry", r"hunger",
             r"(?:concerns?|worr(?:y|ies|ied)) (?:about|over) (?:food|eating|meals)", r"empty (?:fridge|cupboards?)",
             r"(?:nothing|little|not enough) (?:food|to eat)"),
    _phrases("food", r"no food", _CANT + r" (?:to )?(?:afford|buy|pay for) (?:food|to eat|meals|groceries)",
             r"(?:skipping|skipped|skips|skip|missing|missed) meals", r"not eaten", r"(?:hasn't|haven't|hadn't) eaten",
             r"(?:going|gone|went|go) without (?:food|meals|eating)", negatable=False),
    _phrases("debt", r"debts?", r"in debt", _OWED_ARREARS, r"bailiffs?", r"enforcement agents?",
             r"county court judg(?:e)?ments?", r"CCJs?", r"payday loans?", r"loan sharks?",
             r"(?:fallen|falling|fell|got|getting) behind (?:on|with) (?:\w+ ){0,2}(?:payments|bills|rent|repayments)",
             r"(?:concerns?|worr(?:y|ies|ied)) (?:about|over) (?:money|bills)"),
    _phrases("debt", _CANT + r" (?:to )?(?:pay|afford) (?:\w+ ){0,2}(?:bills?|rent|council tax|repayments?|debts?)",
             r"no money", negatable=False),
    _phrases("housing", r"homeless(?:ness)?", r"evict(?:ion|ions|ed)?",
             r"possession (?:order|hearing|proceedings|claim)", r"notice to quit", r"section 21",
             r"rough sleep(?:ing|er|ers)?", r"sleeping rough", r"sofa[- ]surf(?:ing)?",
             r"no fixed abode", r"temporary accommodation", r"rent arrears", r"overcrowd(?:ed|ing)",
             r"(?:lost|losing|lose|loses) " + _WHOSE + r" (?:home|flat|house|tenancy)",
             r"(?:damp|mould) (?:in|throughout) " + _WHOSE + r" (?:home|flat|house|property)"),
    _phrases("housing", r"nowhere to (?:live|stay|sleep)", negatable=False),
    _phrases("mental_health_crisis", r"suicid(?:e|es|al|ality)", r"self[- ]?harm(?:s|ed|ing)?",
             r"want(?:s|ed)? to die", r"kill(?:ing)? (?:my|him|her|them)sel(?:f|ves)",
             r"(?:end|ending|take|taking) (?:my|his|her|their)(?: own)? li(?:fe|ves)", r"overdos(?:e|es|ed|ing)",
             r"mental health crisis", r"crisis (?:team|line|service)", r"sectioned", r"psychotic", r"psychosis",
             r"(?:nervous|mental) breakdown", r"panic attacks?"),
    _phrases("mental_health_crisis",
             r"(?:don'?t|do not|doesn'?t|does not|didn'?t) want to (?:live|keep living|go on|be alive|be here)",
             r"better off dead", r"no (?:reason|point) (?:to|in) (?:live|living|going on)", r"dark thoughts",
             r"(?:can(?:no|')t|cannot|can not) (?:cope|go on)", r"end of (?:my|his|her|their) tether",
             r"hopeless(?:ness)?", negatable=False),
    _phrases("caring", r"carers?'?s?", r"unpaid care", r"caring (?:role|responsibilit(?:y|ies)|for)",
             r"(?:cares|care|cared|looks|look|looked|looking) (?:for|after) " + _WHOSE +
             r" (?:\w+ )?(?:mother|father|mum|dad|son|daughter|husband|wife|partner|parents?|child|children|"
             r"brother|sister|grandchild|grandchildren|grandmother|grandfather|nan|gran)"),
)


@dataclass(frozen=True)
class NeedFound:
    need: str
    start: int  # offsets in the text given
    end: int
    words: str  # the phrase as written, white space tidied


def _same_length_normalised(text: str) -> str:
    """The text as the negation rule reads it (a blank line ends a clause as ¶, a line break is a space), with
    every character where it was, so offsets found here are offsets in the stored passage."""
    text = straight_apostrophes(text).replace("\u00b6", " ")
    text = re.sub(r"\n[ \t]*\n\s*", lambda m: " \u00b6" + " " * (len(m.group(0)) - 2), text)
    return re.sub(r"\s", " ", text)


def find_needs(text: str) -> list[NeedFound]:
    """Every need the text shows that is neither negated nor advice to the reader, in order of appearance."""
    normalised = _same_length_normalised(text)
    found = []
    for phrases in NEEDS_PHRASES:
        for match in phrases.pattern.finditer(normalised):
            if phrases.negatable and negated(normalised, match.start(), match.end()):
                continue
            if advice_to_the_reader(normalised, match.start()):
                continue
            found.append(NeedFound(phrases.need, match.start(), match.end(), " ".join(match.group(0).split())))
    return sorted(found, key=lambda f: (f.start, f.need))
