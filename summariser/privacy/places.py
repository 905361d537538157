"""Places named in text that spaCy's small model does not tag: countries, towns after words that say a place
follows, towns written in capitals, and a postcode next to its town.

The small model tags "Leeds" in a sentence but misses a town in capitals ("flew to HORTEN"), most towns abroad,
and any postcode that is not British. What is found here is what the words around it say is a place: a country
on the list shipped beside this file (`countries.txt`), a name after "lives in", "moved to", "originally from",
a capitals-only name after "in" or "from" that no dictionary knows, a name right before a postcode ("København K
1421"). The United Kingdom and its nations are not hidden on their own: they are where every case is, so
hiding them tells an outside model nothing it does not know and costs the summary its sense ("habitual residence
in the UK"); inside an address they go with the rest of it.
"""
from __future__ import annotations

import re

from presidio_analyzer import EntityRecognizer, RecognizerResult

from summariser.privacy.recognisers import (CALENDAR, INFLECTIONS, POSTCODE, TITLES, UPPER, data_lines,
                                           in_dictionary, result_of)

COUNTRIES = tuple(sorted(data_lines("countries.txt"), key=len, reverse=True))
HOME = {"United Kingdom", "UK", "Great Britain", "Britain", "England", "Scotland", "Wales", "Northern Ireland"}
PARTICLE = (r"(?:de|del|della|dei|degli|do|da|dos|das|des|du|di|la|le|les|van|von|der|den|ten|ter|al|el|y|na|nad|"
            r"pod|am|an|im|sur|sous)")
CAP = rf"[{UPPER}][\w'’-]*\.?"  # a word with a capital: "Skoanveien", "O'Neill", "St."
PLACE_WORD = rf"[{UPPER}][\w'’-]+"
PLACE_NAME = rf"{PLACE_WORD}(?:(?:[ -]|(?: {PARTICLE})+ ){PLACE_WORD}){{0,3}}(?: \([^()\n]{{1,30}}\))?"
# A postcode of any country: the UK's, Canada's, the Netherlands', Poland's, or digits (not a year, nor years).
POSTAL = (rf"(?:{POSTCODE}|[A-Z]\d[A-Z] ?\d[A-Z]\d|\d{{4}} ?[A-Z]{{2}}(?![\w])|\d{{2}}-\d{{3}}|"
          r"(?!(?:19|20)\d\d(?:[-–/]\d|\b(?![ ]\d)))\d{3,5}(?:[ -]\d{2,4})?)(?![\w/.,\- ]?\d)\b")
COUNTRY = r"(?i:%s)(?: \([^()\n]{1,20}\))?(?![\w-])" % "|".join(map(re.escape, COUNTRIES))
# A country on its own, as it is usually written ("Poland", "POLAND"), not as a common word ("turkey", "china").
COUNTRY_ALONE = re.compile(r"(?<![\w-])(?:%s)(?: \([^()\n]{1,20}\))?(?![\w-])" % "|".join(
    re.escape(form) for c in COUNTRIES if c not in HOME for form in (c, c.upper())))
# Words after which a place's name follows ("arrived at" is left out: a building, a service, a court).
CUE = (r"(?:(?:flew|moved|travell?ed|relocated|returned|emigrated|fled|came|went)(?: here| back| away)? (?:to|from)|"
       r"(?:discharged|transferred)(?: home)? to|born(?: on [^\s,]+(?: [^\s,]+){0,2})? in|"
       r"(?:lives?|living|lived|resides|residing|staying|stays|stayed) (?:in|at|near)|"
       r"(?:grew up|raised|based|located|settled|arrived) (?:in|near)|originally from|"
       r"(?:I'm|I am|we're|we are|he's|she's|they're) (?:in|from)|"
       r"(?:trip|visit|journey|holiday) to|(?:University|city|town|village|borough) of|"
       r"home (?:city|town)|Where:)")
AFTER_CUE = re.compile(rf"\b{CUE}[ \t]+(?P<value>{PLACE_NAME})")
# After "in", "at", "from", "to" or "near": a name in capitals, each word at least six letters (acronyms are shorter).
CAPITALS_AFTER = re.compile(rf"\b(?i:in|at|from|to|near)[ \t]+(?P<value>[{UPPER}]{{6,}}(?:[ -][{UPPER}]{{2,}}){{0,2}})"
                            r"(?![\w'’-])")
NAME_THEN_POSTCODE = re.compile(rf"(?P<value>{PLACE_WORD}(?:(?:[ -]| {PARTICLE} )(?:{PLACE_WORD}|[{UPPER}]\b)){{0,3}})"
                                rf",?[ \t]+(?P<code>{POSTAL})")
# A name on the line (or after the comma) before a country: "Chiclana de la Frontera\nSpain", "Lagos, Nigeria".
NAME_THEN_COUNTRY = re.compile(rf"(?<![\w'’-])(?P<value>{PLACE_NAME})(?:,[ \t]*|[ \t]*\r?\n[^\w\n#*]{{0,6}})"
                               rf"(?P<country>{COUNTRY})")
NOT_PLACES = {w.lower() for w in CALENDAR | TITLES} | {"the", "a", "an", "our", "my", "his", "her", "their", "this"}


class PlaceRecogniser(EntityRecognizer):
    """Places as LOCATION and foreign postcodes as POSTAL_CODE; `words` is the dictionary that tells a town in
    capitals from a word shouted."""

    def __init__(self, words: frozenset[str] = frozenset()):
        self.words = words
        super().__init__(supported_entities=["LOCATION", "POSTAL_CODE"], name="PlaceRecogniser",
                         supported_language="en")

    def load(self) -> None:
        pass

    def known(self, word: str) -> bool:
        """Whether a word is in the dictionary, as it is or without a usual ending ("reviewed", "calls")."""
        return in_dictionary(word, self.words, INFLECTIONS)

    def analyze(self, text: str, entities: list[str], nlp_artifacts=None) -> list[RecognizerResult]:
        results = [result_of(self, "LOCATION", m.start(), m.end(), 0.7) for m in COUNTRY_ALONE.finditer(text)]
        for pattern in (AFTER_CUE, CAPITALS_AFTER):
            for match in pattern.finditer(text):
                first = match.group("value").split()[0].lower()
                words = re.findall(r"[^\W\d_]+", match.group("value"))
                if (first in NOT_PLACES or match.group("value") in HOME
                        or pattern is CAPITALS_AFTER and all(map(self.known, words))):
                    continue
                results.append(result_of(self, "LOCATION", match.start("value"), match.end("value"), 0.7))
        for match in NAME_THEN_COUNTRY.finditer(text):
            if match.group("value").split()[0].lower() not in NOT_PLACES and match.group("value") not in HOME:
                results += [result_of(self, "LOCATION", *match.span(group), 0.7) for group in ("value", "country")]
        for match in NAME_THEN_POSTCODE.finditer(text):
            words = re.findall(r"[^\W\d_]{2,}", match.group("value"))
            if not words or words[0].lower() in NOT_PLACES or all(map(self.known, words)):
                continue  # "Section 1234", "March 2025": a name no dictionary knows before a code
            results.append(result_of(self, "LOCATION", match.start("value"), match.end("value"), 0.7))
            results.append(result_of(self, "POSTAL_CODE", match.start("code"), match.end("code"), 0.7))
        return results
