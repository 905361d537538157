"""Which drafts need a supervisor's sign-off: the sources scored by the vulnerability classifier.

A draft whose sources show signs that the person is at risk (suicide or
self-harm, abuse, a safeguarding concern, severe hardship, a crisis) must be
approved by a supervisor, not by the officer alone. `assess_sources` scores
every source with the trained classifier (summariser/checks/vulnerability.py,
its data card beside it): a source whose score reaches the model's threshold
makes the tier "supervisor"; otherwise "officer". The reasons give each
flagged source's number and score, never its text, because they are kept in
the audit log; the sentences that drove each score are in `SignOff.evidence`
for the screen to show. What is recorded names the model's version, so every
decision can be traced to the model that made it.

The word rule below is what decided before the classifier (issue 15). It is
kept for two reasons: the evals compare the classifier with it, and
`assess_sources` falls back on it when no scorer is given, which happens only
with an embedder the classifier was not trained on (a test's fake); the
record then says "word rule". On the C-SSRS Reddit set it flags about 85% of
users labelled Ideation, Behavior or Attempt but also about 72% of those
labelled Supportive, who write about suicide to help others; it flags 41 of
the 59 demo documents and sends a Carer's Allowance case to a supervisor for
the word "carer's". How it reads text:

- It looks for the phrases in ``SIGNS`` (case-insensitive, whole words only,
  so "carer" matches "carers" but not "scarer", "refuge" not "refugee"), in
  eleven groups, from suicide or self-harm to disability or care needs.
- A phrase does not count when it is negated in the same clause ("no
  safeguarding concerns", "Safeguarding concerns: none", "denies any thoughts
  of self-harm"), except phrases that are themselves negative ("no food",
  "don't want to live"). A clause ends at . ; : ! ? | or a blank line, and at
  "but", "however", "although", "though", "and", "because", "so".
- Advice to the reader does not count: a clause with "if" followed by "you"
  before the phrase ("If paying this back means you cannot afford food,
  contact us").
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from summariser.checks.vulnerability import Assessment, VulnerabilityScorer
from summariser.text import cite, straight_apostrophes

Tier = Literal["supervisor", "officer"]
WORD_RULE = "word rule"  # what `SignOff.model` says when the word rule decided


@dataclass(frozen=True)
class SignGroup:
    name: str  # plain English, used in reasons
    pattern: re.Pattern
    negatable: bool = True


def _group(name: str, *phrases: str, negatable: bool = True) -> SignGroup:
    return SignGroup(name, re.compile(r"(?<![\w-])(?:" + "|".join(phrases) + r")(?![\w-])", re.IGNORECASE),
                     negatable)


_S = r"(?:my|his|her|their|your|our)(?:\s+own)?"
SIGNS: tuple[SignGroup, ...] = (
    _group("suicide or self-harm",
           r"suicid(?:e|es|al|ality)", r"self[- ]?harm(?:s|ed|ing)?", r"self[- ]injur(?:y|ies|ed|ing)",
           r"kill(?:ing|ed)? (?:my|him|her|them)sel(?:f|ves)", r"(?:end|ending|take|taking|took) " + _S + r" li(?:fe|ves)",
           r"overdos(?:e|es|ed|ing)", r"want(?:s|ed)? to die", r"end it all", r"thoughts of (?:dying|death)"),
    _group("suicide or self-harm",
           r"(?:don'?t|do not|doesn'?t|does not|didn'?t) want to (?:live|keep living|go on|be alive|be here|exist)"
           r"(?: any ?more)?", r"(?:not|n'?t|never) (?:\w+ ){0,2}worth living",
           r"better off dead", r"no (?:reason|point) (?:to|in) (?:live|living|going on)", r"dark thoughts",
           r"(?:can(?:no|')t|cannot|could ?n[o']t) see a way (?:forward|out)", r"no way out", negatable=False),
    _group("a safeguarding concern",
           r"safeguarding", r"section 42", r"s\.? ?42", r"adult protection", r"child protection",
           r"MARAC"),
    _group("domestic abuse or coercive control",
           r"domestic (?:abuse|violence)", r"coercive(?: and)? control(?:ling)?", r"controlling behaviou?r",
           r"refuge", r"fle(?:e|eing|d) (?:from )?(?:violence|abuse|(?:a|an|her|his|their) (?:violent|abusive))",
           r"abusive (?:partner|relationship|ex-partner|husband|wife)", r"honour[- ]based", r"forced marriage",
           r"non-molestation", r"stalk(?:ing|ed)"),
    _group("financial abuse or exploitation",
           r"financial(?:ly)? (?:abuse|abused|exploitation|exploited)", r"exploit(?:ation|ed|ing)", r"scam(?:s|med)?",
           r"cuckooing", r"modern slavery", r"traffick(?:ed|ing)"),
    _group("neglect", r"(?:self-)?neglect(?:ed|ing)?", r"hoarding"),
    _group("homelessness or eviction",
           r"homeless(?:ness)?", r"evict(?:ion|ions|ed)?", r"possession (?:order|hearing|proceedings|claim)",
           r"rough sleep(?:ing|er|ers)?", r"sleeping rough", r"sofa[- ]surf(?:ing)?", r"section 21",
           r"notice to quit", r"no fixed abode", r"temporary accommodation"),
    _group("hardship (no food, money or heating) or severe distress",
           r"no (?:food|money|heating|gas|electricity|electric)", r"food ?banks?", r"destitut(?:e|ion)",
           r"(?:skipping|skipped|skip) meals", r"(?:can(?:no|')t|cannot|unable to|could ?n[o']t) afford (?:to eat|food|to heat|heating|electricity|gas)",
           r"not eaten", r"(?:can(?:no|')t|cannot|can not) cope", r"end of (?:my|his|her|their) tether",
           r"hopeless(?:ness)?", negatable=False),
    _group("a mental health crisis or a hospital admission",
           r"mental health crisis", r"crisis (?:team|line|service)", r"sectioned", r"mental health act",
           r"psychos(?:is|es)", r"psychotic", r"admitted to (?:a |the )?hospital", r"hospital admission",
           r"hospitali[sz](?:ed|ation)", r"(?:A&E|A and E|emergency department)", r"in-?patient", r"detained under"),
    _group("a bereavement", r"bereave(?:d|ment|ments)", r"passed away", r"(?:has |had |recently )died", r"death of",
           r"widow(?:ed|er)?", r"funeral",
           r"late (?:wife|husband|partner|son|daughter|mother|father|mum|dad)(?:'s)?"),
    _group("disability, care needs or dependence on alcohol or drugs",
           r"disab(?:led|ility|ilities)", r"learning difficult(?:y|ies)", r"autis(?:m|tic)", r"dementia",
           r"(?:lacks?|lacking) (?:mental )?capacity", r"cognitive impairment", r"carers?'?s?",
           r"caring (?:role|responsibilit(?:y|ies))", r"cares for", r"addict(?:ion|ed)",
           r"(?:alcohol|drug|substance) dependen(?:ce|cy|t)"),
    _group("someone being vulnerable or at risk", r"vulnerab(?:le|ility|ilities)", r"at[- ]risk"),
)

_NEGATION_BEFORE = re.compile(
    r"(?<![\w-])(?:no|not|never|without|den(?:y|ies|ied)|nil|none|free (?:of|from)|ruled out|no longer|n't)"
    r"(?![\w-])|n't(?![\w-])", re.IGNORECASE)
_NEGATION_AFTER = re.compile(
    r"^\W*(?:\w+\W+){0,2}?(?:none|denied|nil|not (?:identified|raised|reported|present|found|disclosed)|ruled out)"
    r"(?![\w-])", re.IGNORECASE)
_CLAUSE_END = re.compile(r"[.;:!?|\u00b6]|(?<![\w-])(?:but|however|although|though|and|because|so)(?![\w-])",
                         re.IGNORECASE)
_AFTER_END = re.compile(r"[.;!?\u00b6]|(?<![\w-])(?:but|however|although|though|and|because|so)(?![\w-])",
                        re.IGNORECASE)  # no colon: "Safeguarding concerns: none" is one clause
_ADVICE = re.compile(r"(?<![\w-])if(?![\w-]).*(?<![\w-])you(?![\w-])", re.IGNORECASE | re.DOTALL)
_WORDS_BEFORE = 6


@dataclass(frozen=True)
class Sign:
    group: str
    words: str  # the phrase found, lower case
    start: int


@dataclass(frozen=True)
class SignOff:
    """The tier with its reasons (plain English, no quoted text), the model that decided and the highest source
    score (None under the word rule). `evidence`: each flagged source's number and assessment, whose sentences
    the screen may show; it is not recorded."""
    tier: Tier
    reasons: tuple[str, ...]
    model: str = WORD_RULE
    score: float | None = None
    evidence: tuple[tuple[int, Assessment], ...] = ()

    def as_dict(self) -> dict:
        """What goes into the drafted event's payload as `sign_off`."""
        return {"tier": self.tier, "reasons": list(self.reasons), "model": self.model, "score": self.score}


def _clause_before(text: str, start: int) -> str:
    """The words before a match back to the start of its clause, at most a few words."""
    before = text[max(0, start - 200):start]
    ends = list(_CLAUSE_END.finditer(before))
    if ends:
        before = before[ends[-1].end():]
    return " ".join(before.split()[-_WORDS_BEFORE:])


def advice_to_the_reader(text: str, start: int) -> bool:
    """ "If paying this back means you cannot afford food, call us": a letter's advice, not a sign."""
    before = text[max(0, start - 200):start]
    ends = list(_CLAUSE_END.finditer(before))
    clause = before[ends[-1].end():] if ends else before
    return bool(_ADVICE.search(clause))


def negated(text: str, start: int, end: int) -> bool:
    if _NEGATION_BEFORE.search(_clause_before(text, start)):
        return True
    after = text[end:end + 80]
    stop = _AFTER_END.search(after)
    return bool(_NEGATION_AFTER.search(after[:stop.start()] if stop else after))


def _normalise(text: str) -> str:
    """Lines wrap mid-sentence in notes and letters, so a line break is a space; a blank line (¶) ends a clause."""
    text = straight_apostrophes(text).replace("\u00b6", " ")
    return re.sub(r"\s+", " ", re.sub(r"\n[ \t]*\n\s*", " \u00b6 ", text))


def find_signs(text: str) -> list[Sign]:
    """Every sign of vulnerability in one text that is not negated, in order of appearance.

    `start` is the position in the text with its white space normalised (see _normalise).
    """
    text = _normalise(text)
    found = []
    for group in SIGNS:
        for match in group.pattern.finditer(text):
            if group.negatable and negated(text, match.start(), match.end()):
                continue
            if advice_to_the_reader(text, match.start()):
                continue
            found.append(Sign(group.name, " ".join(match.group(0).lower().split()), match.start()))
    return sorted(found, key=lambda s: s.start)


def _numbers(numbers: list[int]) -> str:
    listed = [cite([n]) for n in numbers]
    return listed[0] if len(listed) == 1 else ", ".join(listed[:-1]) + " and " + listed[-1]


def assess_sources(texts: list[tuple[int, str]], scorer: VulnerabilityScorer | None = None) -> SignOff:
    """The sign-off tier for a draft from its numbered sources, with the reasons in plain English: each source
    scored by `scorer`, or by the word rule when there is none (see the module's docstring)."""
    if scorer is None:
        return _word_rule(texts)
    assessments = scorer.assess_many([text for _, text in texts])
    flagged = sorted(((n, a) for (n, _), a in zip(texts, assessments) if a.flagged), key=lambda f: (-f[1].score, f[0]))
    reasons = tuple(f"Source {cite([n])} reads as a sign that the person may be at risk (vulnerability score "
                    f"{a.score:.2f}, which reaches the threshold of {scorer.threshold:.2f})." for n, a in flagged)
    highest = max((a.score for a in assessments), default=None)
    return SignOff("supervisor" if flagged else "officer", reasons, scorer.version, highest, tuple(flagged))


def _word_rule(texts: list[tuple[int, str]]) -> SignOff:
    """The tier by the word rule: any sign in any source makes it "supervisor"; the reasons name the group, the
    source numbers and the words found."""
    sources: dict[str, list[int]] = {}
    words: dict[str, list[str]] = {}
    for number, text in texts:
        for sign in find_signs(text):
            if number not in sources.setdefault(sign.group, []):
                sources[sign.group].append(number)
            if sign.words not in words.setdefault(sign.group, []):
                words[sign.group].append(sign.words)
    reasons = []
    for group in dict.fromkeys(g.name for g in SIGNS):
        if group not in sources:
            continue
        numbers = sorted(sources[group])
        noun = "Source" if len(numbers) == 1 else "Sources"
        verb = "mentions" if len(numbers) == 1 else "mention"
        shown = ", ".join(f"'{w}'" for w in words[group][:3])
        reasons.append(f"{noun} {_numbers(numbers)} {verb} {group} (words found: {shown}).")
    return SignOff("supervisor" if reasons else "officer", tuple(reasons))
