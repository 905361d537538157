"""UK identifiers and the forms of personal data case files use, as Presidio recognisers.

Presidio's own NHS, National Insurance and postcode recognisers miss what case files hold: its NINO pattern
refuses the QQ prefix that HMRC reserves for examples (the demo caseload uses it), its postcode pattern scores
too low to count without the word "postcode" nearby, and an NHS number whose checksum fails is dropped even
when the line says "NHS number". Each rule here is one regular expression; where the value is only part of
what must match (the date after "date of birth", the name after "Mr"), the named group `value` is the span.
A number that only looks like an NHS number counts if its checksum is right; a labelled one counts anyway,
because a mistyped NHS number is still personal data.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable

from presidio_analyzer import AnalysisExplanation, EntityRecognizer, RecognizerResult


def nhs_checksum_ok(number: str) -> bool:
    """The NHS number's modulus-11 check: the first nine digits weighted 10 down to 2; the check digit is 11
    minus the remainder (11 counts as 0, and a remainder giving 10 means no valid number)."""
    digits = [int(c) for c in re.sub(r"\D", "", number)]
    if len(digits) != 10:
        return False
    check = 11 - sum(d * w for d, w in zip(digits, range(10, 1, -1))) % 11
    return (0 if check == 11 else check) == digits[9]


@dataclass(frozen=True)
class Rule:
    entity: str
    pattern: re.Pattern
    score: float
    valid: Callable[[str], bool] | None = None


MONTH = (r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|"
         r"Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?")
DATE = (rf"(?:\d{{1,2}}[/.-]\d{{1,2}}[/.-]\d{{2,4}}|\d{{4}}-\d{{2}}-\d{{2}}"
        rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+{MONTH},?\s+\d{{4}}"
        rf"|{MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}})")
POSTCODE = (r"(?:GIR ?0AA|[A-PR-UWYZ](?:\d[A-HJKPSTUW]?|\d{2}|[A-HK-Y]\d[ABEHMNPRVWXY]?|[A-HK-Y]\d{2})"
            r" ?\d[ABD-HJLNP-UW-Z]{2})")
LABEL_GAP = r"[\s:|*=\-–—]{0,8}"  # what separates a label from its value: "NHS number: ", "| Date of birth | "
STREET = (r"(?:Road|Rd|Street|St|Avenue|Ave|Lane|Ln|Close|Court|Ct|Drive|Dr|Way|Place|Pl|Terrace|Crescent|Cres|"
          r"Gardens|Grove|Hill|Row|Walk|Square|Sq|Mews|Park|Rise|View|Parade|Green|Boulevard|Blvd|Circle|Cir|"
          r"Parkway|Pkwy|Highway|Hwy|Trail|Plaza|Loop|Ridge|Heights|Estate|Wharf|Yard|Gate|Vale|Meadows?|"
          r"Fields?|Chase|Croft|Fold|Brow|Dale|Lea|Wynd|Approach|Embankment|Quay|Circus|Broadway)")
NAME_WORD = r"(?:[A-Z]['’])?[A-Z][a-zA-Z\-]+"  # O'Neill, but "Stanton" of "Stanton's"
TITLE = r"(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Rev|Sir|Dame|Lady|Lord)"
TITLE_BEFORE = re.compile(rf"{TITLE}\.?\s+(?=[A-Z])")

RULES = (
    # National Insurance number: two letters, six digits, A-D; spaced or not. Every prefix counts (QQ included).
    Rule("UK_NINO", re.compile(r"\b[A-Z]{2}\s?\d{2}\s?\d{2}\s?\d{2}\s?[A-D]\b"), 0.85),
    Rule("UK_NINO", re.compile(r"(?i:national insurance|\bNI\b|\bNINO\b)(?:\s+(?i:number|no\.?))?" + LABEL_GAP
                               + r"(?P<value>[A-Za-z]{2}\s?\d{2}\s?\d{2}\s?\d{2}\s?[A-Da-d])\b"), 0.95),
    Rule("UK_NHS", re.compile(r"(?<![\d£$.,])\b\d{3}[ -]?\d{3}[ -]?\d{4}\b(?![.,]\d)"), 0.75, nhs_checksum_ok),
    Rule("UK_NHS", re.compile(r"(?i:\bNHS\b(?:\s+(?:number|no\.?|#))?)" + LABEL_GAP
                              + r"(?P<value>\d{3}[ -]?\d{3}[ -]?\d{4})\b"), 0.95),
    Rule("UK_POSTCODE", re.compile(rf"\b{POSTCODE}\b"), 0.7),
    # The town of an address line: the word(s) just before its postcode ("Kelderby KX1 5PB").
    Rule("LOCATION", re.compile(rf"(?P<value>[A-Z][a-z]+(?:[ -][A-Z][a-z]+)?),?[ ]+{POSTCODE}\b"), 0.75),
    Rule("DATE_OF_BIRTH", re.compile(r"(?i:\b(?:date\s+of\s+birth|birth\s*date|d\.?o\.?b\.?|born(?:\s+on)?)(?!\w))"
                                     + LABEL_GAP + rf"(?P<value>{DATE})", re.IGNORECASE), 0.9),
    # The tool's case references (BR-2025-0141) and others of that shape (KX-25-030442, LA-2025-0217).
    Rule("CASE_REFERENCE", re.compile(r"\b[A-Z]{2,3}-\d{2,4}-\d{3,6}\b"), 0.85),
    # A person's reference (P-1001), a prison number (A4821KD), or an identifier after a reference label.
    Rule("REFERENCE", re.compile(r"\bP-\d{3,6}\b|\b[A-Z]\d{4}[A-Z]{2}\b"), 0.7),
    Rule("REFERENCE", re.compile(r"(?i:\b(?:reference|ref\.?|account(?:\s+number|\s+no\.?)?|sort\s+code|"
                                 r"(?:claim|tenancy|prison|payroll|crime|customer|policy)\s+(?:number|no\.?))"
                                 r"(?:\s+(?:is|number|no\.?))?)" + LABEL_GAP
                                 + r"(?P<value>(?=[A-Z0-9\-/]*\d)[A-Z0-9][A-Z0-9\-/]{3,19})\b"), 0.8),
    # A street address: a house number and a street ("Flat 6, Kingfisher Court", "19 Wexford Street").
    Rule("STREET_ADDRESS", re.compile(
        r"\b(?:(?:Flat|Apartment|Apt\.?|Unit|Suite|Room)\s+\d+[A-Za-z]?,?\s+)?\d{1,5}[A-Za-z]?,?\s+"
        rf"(?:{NAME_WORD}\s+){{1,3}}{STREET}\b\.?(?:,?\s+(?:Apt\.?|Suite|Unit|Flat)\s*#?\d+\w*)?"), 0.8),
    Rule("STREET_ADDRESS", re.compile(rf"\b(?:Flat|Apartment|Apt\.?)\s+\d+[A-Za-z]?,?\s+(?:{NAME_WORD}\s+){{0,2}}"
                                      r"(?:House|Court|Lodge|Mansions|Tower|Buildings)\b"), 0.8),
    # A telephone number, UK or international, in any usual layout: 9 to 15 digits, checked below. Ofcom's
    # drama ranges (01632 960xxx, 07700 900xxx), which the demo uses, are not valid numbers to libphonenumber.
    Rule("PHONE_NUMBER", re.compile(r"(?<![\w+])(?:\+\d{1,3}[ .-]?|00\d{1,3}[ .-]?)?(?:\(\d{1,5}\)[ .-]?)?\d{2,5}"
                                    r"(?:[ .-]?\d{2,5}){1,4}(?:[ ]?(?:x|ext\.?)[ ]?\d{1,5})?(?!\w)"), 0.7,
         lambda number: 9 <= len(re.sub(r"\D", "", re.split(r"x|ext", number)[0])) <= 15),
    # Numbers a label names, whether or not they pass a check: a card number with a typo is still one.
    Rule("PHONE_NUMBER", re.compile(r"(?i:\b(?:tel(?:ephone)?|phone|mobile|mob|fax|call (?:me|him|her|them) on)\b\.?)"
                                    + LABEL_GAP + r"(?P<value>\+?\(?\d[\d ()\-.]{4,18}\d)"), 0.8),
    Rule("CREDIT_CARD", re.compile(r"(?i:\bcard\s*(?:number|no\.?|#)?)" + LABEL_GAP
                                   + r"(?P<value>\d(?:[ -]?\d){12,18})\b"), 0.85),
    Rule("UK_POSTCODE", re.compile(r"(?i:\b(?:zip(?:\s*code)?|post\s*code|postal\s*code)\b)" + LABEL_GAP
                                   + r"(?P<value>[A-Za-z0-9]{2,5}(?: ?[A-Za-z0-9]{2,4})?)\b"), 0.8),
    Rule("STREET_ADDRESS", re.compile(r"\b(?:Apt\.?|Apartment|Suite|Flat|Unit)\s?#?\d+[A-Za-z]?\b"), 0.7),
    # A name after a title ("Mr Stanton", "Dr A. Okafor"): the title stays, since it says how to address them.
    Rule("PERSON", re.compile(rf"\b{TITLE}\.?\s+(?P<value>(?:[A-Z]\.\s?)*(?:{NAME_WORD}[ ]+){{0,2}}{NAME_WORD})"),
         0.85),
)


def _result(recogniser: EntityRecognizer, entity: str, start: int, end: int, score: float,
            explanation: AnalysisExplanation | None = None) -> RecognizerResult:
    """A find, naming the recogniser that made it (the detector treats what spaCy's tags found differently)."""
    return RecognizerResult(entity, start, end, score, explanation, recognition_metadata={
        RecognizerResult.RECOGNIZER_NAME_KEY: recogniser.name,
        RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: recogniser.id})


class UkRecogniser(EntityRecognizer):
    """The rules above as one Presidio recogniser (no NLP needed, so it also runs without spaCy)."""

    def __init__(self, rules: tuple[Rule, ...] = RULES):
        self.rules = rules
        super().__init__(supported_entities=sorted({r.entity for r in rules}), name="UkRecogniser",
                         supported_language="en")

    def load(self) -> None:  # nothing to load: the rules are compiled above
        pass

    def analyze(self, text: str, entities: list[str], nlp_artifacts=None) -> list[RecognizerResult]:
        results = []
        for rule in self.rules:
            if entities and rule.entity not in entities:
                continue
            for match in rule.pattern.finditer(text):
                group = "value" if "value" in rule.pattern.groupindex else 0
                value, start, end = match.group(group), match.start(group), match.end(group)
                if rule.valid is not None and not rule.valid(value):
                    continue
                results.append(_result(self, rule.entity, start, end, rule.score, AnalysisExplanation(
                    self.name, rule.score, pattern_name=rule.entity, pattern=rule.pattern.pattern)))
        return results


CALENDAR = {"January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
            "November", "December", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday",
            "Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec"}
TITLES = set(TITLE.strip("(?:)").split("|"))


class ProperNounRecogniser(EntityRecognizer):
    """Runs of capitalised proper nouns (spaCy's part-of-speech tags) holding a word that is not in the
    dictionary: the small model's entities tag "Yusuf" a work of art and "Olumide Birch" an organisation, and
    miss many first names on their own. "Universal Credit", "Housing Benefit" or a table's "Address" are
    all dictionary words (`words`: WordNet's index, shipped inside the spaCy model), so they stay. What is
    found is hidden as NAME, which tells the model less than PERSON would, since some are places or firms.
    Months, weekdays, titles and capitals-only words (NHS, DWP) are never names here."""

    def __init__(self, words: frozenset[str] = frozenset()):
        self.words = words
        super().__init__(supported_entities=["PROPER_NOUN"], name="ProperNounRecogniser", supported_language="en")

    def load(self) -> None:
        pass

    def _in_dictionary(self, word: str) -> bool:
        word = word.lower().rstrip("’'")
        return any(form in self.words for form in (word, word[:-1] if word.endswith("s") else word,
                                                   word[:-2] if word.endswith("es") else word))

    def _name_like(self, token) -> bool:
        word = token.text
        return (token.pos_ == "PROPN" and word[:1].isupper() and not word.isupper() and word not in CALENDAR
                and word not in TITLES and any(c.isalpha() for c in word[1:]))

    def analyze(self, text: str, entities: list[str], nlp_artifacts=None) -> list[RecognizerResult]:
        if nlp_artifacts is None or nlp_artifacts.tokens is None:
            return []
        results, run = [], []
        for token in list(nlp_artifacts.tokens) + [None]:
            if token is not None and self._name_like(token):
                run.append(token)
                continue
            if run and not all(self._in_dictionary(t.text) for t in run):
                start, end = run[0].idx, run[-1].idx + len(run[-1].text)
                results.append(_result(self, "PROPER_NOUN", start, end, 0.6))
            run = []
        return results
