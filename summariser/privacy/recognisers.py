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
from pathlib import Path
from typing import Callable

from presidio_analyzer import AnalysisExplanation, EntityRecognizer, RecognizerResult


def data_lines(name: str) -> tuple[str, ...]:
    """The lines of a list shipped beside this module (`countries.txt`), less comments and blank lines."""
    lines = Path(__file__).with_name(name).read_text(encoding="utf-8").splitlines()
    return tuple(line.strip() for line in lines if line.strip() and not line.startswith("#"))


INFLECTIONS = ("s", "es", "ed", "d", "ing", "ly")  # endings a word may have beyond its dictionary form


def in_dictionary(word: str, words: frozenset[str], endings: tuple[str, ...] = ("s", "es")) -> bool:
    """Whether `word` is in the dictionary `words` (lower case, base forms), as it is or less one of `endings`."""
    word = word.lower().strip("'’.-")
    return any(form in words for form in [word] + [word[:-len(e)] for e in endings if word.endswith(e)])


def iban_checksum_ok(iban: str) -> bool:
    """ISO 13616's check: the country and check digits moved to the end, letters as 10 to 35, modulo 97 is 1."""
    code = re.sub(r"\s", "", iban).upper()
    return code[:2].isalpha() and int("".join(str(int(c, 36)) for c in code[4:] + code[:4])) % 97 == 1


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
IS = r"(?:\s+(?:is|was))?"  # "my zip code is 35350"
PHONE_WORD = r"(?:office|fax|mobile|desk|home|work|cell|landline)"
NAME_WORD = r"(?:[A-Z]['’])?[A-Z][a-zA-Z\-]+"  # O'Neill, but "Stanton" of "Stanton's"
UPPER = "".join(c for c in map(chr, range(0x41, 0x530)) if c.isupper())  # Latin, Greek and Cyrillic capitals
# A name as written with capitals, initials inside ("Iva D. Grusová"), or in lower case up to the phrase's end.
CAP_NAME = rf"[{UPPER}][\w'’-]+(?:[ ](?:[{UPPER}]\.?(?=[ ])|[{UPPER}][\w'’-]+)){{0,3}}"
LOW_NAME = r"[^\W\d_][\w'’-]+(?:[ ][^\W\d_][\w'’-]+)?(?=[ \t]*(?:[\n,.;:!?\"]|$))"
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
    # A telephone number, UK or international, in any usual layout: 9 to 15 digits, checked below. Ofcom's
    # drama ranges (01632 960xxx, 07700 900xxx), which the demo uses, are not valid numbers to libphonenumber.
    Rule("PHONE_NUMBER", re.compile(r"(?<![\w+])(?:\+\d{1,3}[ .-]?|00\d{1,3}[ .-]?)?"
                                    r"(?:\(\d{1,5}\)[ .-]?\d{1,5}|\d{2,5})"
                                    r"(?:[ .-]?\d{2,5}){1,4}(?:[ ]?(?:x|ext\.?)[ ]?\d{1,5})?(?!\w)"), 0.7,
         lambda number: 9 <= len(re.sub(r"\D", "", re.split(r"x|ext", number)[0])) <= 15),
    # Numbers a label names, whether or not they pass a check: a card number with a typo is still one. Shorter
    # phone numbers (local ones, seven or eight digits) count only next to a word that says what they are.
    Rule("PHONE_NUMBER", re.compile(r"(?i:\b(?:tel(?:ephone)?|phone|mobile|mob|fax|(?:call|ring|reach|text) "
                                    r"(?:me |him |her |them |us )?(?:on|at)|answering at|number is)\b\.?)"
                                    + LABEL_GAP + r"(?P<value>\+?\(?\d[\d ()\-.]{4,18}\d)"), 0.8),
    Rule("PHONE_NUMBER", re.compile(r"(?<![\w+])(?P<value>\+?\(?\d[\d ()\-.]{4,18}\d)(?=[ \t]*-?[ \t]*"
                                    rf"(?i:\(?{PHONE_WORD}\b))"), 0.75),
    # An IBAN in any case or spacing, counted only if its check digits are right.
    Rule("IBAN_CODE", re.compile(r"\b[A-Za-z]{2}\d{2}(?: ?[A-Za-z0-9]{4}){2,7}(?: ?[A-Za-z0-9]{1,3})?\b"), 0.8,
         iban_checksum_ok),
    Rule("CREDIT_CARD", re.compile(r"(?i:\bcard\s*(?:number|no\.?|#)?)" + LABEL_GAP
                                   + r"(?P<value>\d(?:[ -]?\d){12,18})\b"), 0.85),
    Rule("POSTAL_CODE", re.compile(r"(?i:\b(?:zip(?:\s*code)?|post\s*code|postal\s*code)\b)" + IS + LABEL_GAP
                                   + r"(?P<value>(?=[A-Za-z0-9 -]*\d)[A-Za-z0-9]{2,5}(?:[ -]?[A-Za-z0-9]{2,4})?)\b"),
         0.8),
    # A name someone gives ("my name is Rubija", "Name: Iva D. Grusová"), in whatever case it is written.
    Rule("PERSON", re.compile(r"(?i:\b(?:(?:my|his|her|their|maiden|last|first|full|family|given|middle) name"
                              r"(?: is|'s|:)|\bname(?: on the account)?(?: is|:)|call me|I am called)[ \t:?]*)"
                              r"(?P<value>(?!(?i:not|on|in|the|a|an|and|was|unknown|withheld)\b)"
                              rf"(?:{CAP_NAME}|{LOW_NAME}))"),
         0.75),
    # A name after a title ("Mr Stanton", "Dr A. Okafor"): the title stays, since it says how to address them.
    Rule("PERSON", re.compile(rf"\b{TITLE}\.?\s+(?P<value>(?:[A-Z]\.\s?)*(?:{NAME_WORD}[ ]+){{0,2}}{NAME_WORD})"),
         0.85),
)


def result_of(recogniser: EntityRecognizer, entity: str, start: int, end: int, score: float,
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
                results.append(result_of(self, rule.entity, start, end, rule.score, AnalysisExplanation(
                    self.name, rule.score, pattern_name=rule.entity, pattern=rule.pattern.pattern)))
        return results


CALENDAR = {"January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
            "November", "December", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday",
            "Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec",
            "Mon", "Tue", "Tues", "Wed", "Thu", "Thur", "Thurs", "Fri", "Sat", "Sun"}
TITLES = set(TITLE.strip("(?:)").split("|"))
FIRST_NAMES = frozenset(data_lines("first_names.txt"))
LETTERS = r"[^\W\d_]+(?:['’-][^\W\d_]+)*"  # a word of letters: "O'Neill", "Hauta-aho"
INITIALLED = re.compile(rf"(?<![\w'’-])(?!{TITLE}\b)(?P<first>[{UPPER}]{LETTERS}) [{UPPER}]\.? "
                        rf"(?P<last>[{UPPER}]{LETTERS})"
                        r"(?![\w'’-])")
SPEAKER = re.compile(rf"^[ \t>]*(?P<value>[{UPPER}][\w'’-]+):[ \t]", re.MULTILINE)  # "Ella: What a wife."
INITIAL = re.compile(rf"[{UPPER}]\.?")


class ProperNounRecogniser(EntityRecognizer):
    """Runs of capitalised proper nouns (spaCy's part-of-speech tags) holding a word that is not in the
    dictionary: the small model's entities tag "Yusuf" a work of art and "Olumide Birch" an organisation, and
    miss many first names on their own. "Universal Credit", "Housing Benefit" or a table's "Address" are
    all dictionary words (`words`: WordNet's index, shipped inside the spaCy model), so they stay. What is
    found is hidden as NAME, which tells the model less than PERSON would, since some are places or firms.
    A run of dictionary words still counts if one is a usual first name (`first_names.txt`): "Scott", "Grace".
    Months, weekdays, titles and capitals-only words (NHS, DWP) are never names here, but an initial between
    two names is part of them."""

    def __init__(self, words: frozenset[str] = frozenset(), first_names: frozenset[str] = FIRST_NAMES):
        self.words, self.first_names = words, first_names
        super().__init__(supported_entities=["PROPER_NOUN"], name="ProperNounRecogniser", supported_language="en")

    def load(self) -> None:
        pass

    def _in_dictionary(self, word: str) -> bool:
        return in_dictionary(word, self.words)

    def _name_like(self, token) -> bool:
        """A capitalised proper noun, or a first name that is no word whatever spaCy tags it ("Megan lives")."""
        word = token.text
        return ((token.pos_ == "PROPN" or word in self.first_names and not self._in_dictionary(word))
                and word[:1].isupper() and not word.isupper() and word not in CALENDAR
                and word not in TITLES and any(c.isalpha() for c in word[1:])
                and not (token.is_stop and len(word) <= 2))  # "We" of "Wed", which spaCy splits as "We'd"

    def analyze(self, text: str, entities: list[str], nlp_artifacts=None) -> list[RecognizerResult]:
        if nlp_artifacts is None or nlp_artifacts.tokens is None:
            return []
        results, run = [], []
        for token in list(nlp_artifacts.tokens) + [None]:
            if token is not None and (self._name_like(token) or run and INITIAL.fullmatch(token.text)):
                run.append(token)  # an initial only inside a name: "Szabina J Gelencsér"
                continue
            while run and INITIAL.fullmatch(run[-1].text):
                run.pop()
            name = self._name_in(run)
            if name:
                start, end = name[0].idx, name[-1].idx + len(name[-1].text)
                results.append(result_of(self, "PROPER_NOUN", start, end, 0.6))
            run = []
        for match in INITIALLED.finditer(text):  # "Ravil G Yefimov": first name, initial, surname
            first, last = match.group("first", "last")
            if first.isupper() or last.isupper():
                continue  # "CAN I SPEAK TO A REAL PERSON"
            if first in self.first_names or not (self._in_dictionary(first) and self._in_dictionary(last)):
                results.append(result_of(self, "PROPER_NOUN", match.start(), match.end(), 0.6))
        for match in SPEAKER.finditer(text):  # "Ella: What a wife."
            if match.group("value") in self.first_names:
                results.append(result_of(self, "PROPER_NOUN", *match.span("value"), 0.6))
        return results

    def _name_in(self, run: list) -> list:
        """The whole run if a word of it is in no dictionary; else a first name and the word after it ("Daniel
        Hughes" of "Daniel Hughes Housing Options Officer"), unless it opens a sentence as an order would
        ("Chase at the next contact", "Will you call")."""
        if not all(map(self._in_dictionary, (t.text for t in run))):
            return run
        for at, token in enumerate(run):
            if token.text in self.first_names and not (
                    len(run) == 1 and token.is_sent_start and token.i + 1 < len(token.doc)
                    and token.doc[token.i + 1].pos_ in ("ADP", "DET", "PRON", "PART", "ADV")):
                return run[at:at + 2]
        return []
