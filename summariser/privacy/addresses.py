"""Postal addresses, in the UK and abroad, found whole: the street line, then what follows it.

Presidio has no address recogniser, and spaCy's small model tags a town now and then but never an address, so
hiding "19 Wexford Street" alone left the town, the postcode and the country of an address block in clear. An
address is found here from the part that nothing else looks like, its street line: a house number and a street
in English ("19 Wexford Street", "Flat 6, Kingfisher Court"), a street type before the name ("Rue de Virton 38",
"ul. Słowicza 10"), a street word with a number ("Skoanveien 226", "Kálmán Imre u. 12."), a name between two
numbers ("28030 Edeby 55"), a post-office or forces box, or a street corner. From there the stretch takes in
what follows on the same line or the next ones while each piece is part of an address: a flat or suite, a town,
a state, a country, a postcode. A town is taken only where what follows it ends the line or the phrase, or is
itself a part of an address, so "19 Wexford Street Housing Office said" stops after "Street".
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from presidio_analyzer import EntityRecognizer, RecognizerResult

from summariser.privacy.places import CAP, COUNTRY, PARTICLE, POSTAL
from summariser.privacy.recognisers import CALENDAR, in_dictionary, result_of

NUMBER = r"\d{1,5}[A-Za-z]?"
NUMBER_AFTER = rf"(?!(?:19|20)\d\d\b){NUMBER}\b(?![.,:/–-]\d)"  # a house number after the street, never a year
# Street types written after the name (USPS Publication 28's suffixes, and the UK's); only an abbreviation takes
# the full stop after it ("Bay St."), so a sentence ending "7 Tanners Yard." keeps its own.
TYPE_AFTER = (r"(?:(?:Alley|Approach|Arcade|Avenue|Bank|Boulevard|Bridge|Brow|Burg|Buildings|Bypass|Causeway|Chase|"
              r"Circle|Circus|Close|Common|Coves?|Corner|Cottages|Court|Courts|Crescent|Croft|Cross|Crossing|"
              r"Crossroad|Dale|Drive|Drove|Embankment|Estate|Expressway|Extension|Fields?|Flats|Fold|Forges?|Freeway|"
              r"Gardens|Gate|Glen|Green|Greens|Grove|Harbou?r|Heights|Highway|Hill|Hills|Hollow|Junction|Lane|Lea|"
              r"Lodge|Loop|Mall|Manor|Mansions|Meadows?|Mews|Motorway|Mount|Orchard|Oval|Parade|Park|Parkway|Pass|"
              r"Passage|Path|Pike|Place|Plaza|Point|Precinct|Promenade|Quay|Rapids|Ridge|Rise|Road|Route|Row|Square|"
              r"Squares|Street|Streets|Terrace|Trace|Track|Trail|Turnpike|Union|Vale|View|Villas|Walk|Way|Wharf|Wynd|"
              r"Yard)\b|(?:Ave|Blvd|Cir|Ct|Cres|Dr|Hwy|Ln|Pkwy|Pl|Rd|Sq|St|Str)\b\.?)(?: (?:North|South|East|West)\b)?")
# Street types written before the name (French, Spanish, Portuguese, Italian, Polish, Balkan, Greek).
TYPE_BEFORE = (r"(?:(?i:Rue|Rua|Via|Viale|Vicolo|Calle|Carrer|Avenida|Avda|Av|Avenue|Paseo|Passeig|Praça|Largo|"
               r"Travessa|Estrada|Alameda|Piazza|Piazzale|Corso|Strada|Chemin|Boulevard|Allée|Quai|Impasse|ul|ulica|"
               r"aleja|al|trg|Λεωφόρος|Οδός)\b\.?|C/)")
# A street word, or a word ending like one (German, Nordic, Dutch, Finnish, Baltic, Hungarian): "Pohlstrasse".
STREET_WORD = (r"(?i:\w*(?:straße|strasse|stra[sß]e|gasse|weg|allee|platz|damm|ufer|vej|veien|vegen|vei|veg|gade|"
               r"gata|gatan|vägen|väg|gränd|stræde|stræti|straeti|stræt|stien|sti|katu|kuja|tie|polku|laan|straat|"
               r"steeg|gracht|plein|kade|singel|dreef|hove|wei|braut|vegur|terrasse|iela|gatvė|gate|utca|u\.|"
               r"útja|út|tér|"
               r"krt\.|rkp\.|köz|sor|str\.|street))")
LEADING = rf"(?:(?i:Apt|Apartment|Suite|Unit|Flat)\.? ?#?\d+\w*,? )?(?:\d{{1,5}},? ){{0,2}}"
UNIT = r"(?i:Apt|Apartment|Suite|Ste|Unit|Flat|Room|Floor|Fl|Box)\.? ?#?\d+[A-Za-z]?\b"
STOPWORDS = {"and", "the", "for", "on", "in", "at", "to", "of", "by", "is", "or", "but", "was", "has", "had", "he",
             "she", "his", "her", "it", "its", "we", "our", "you", "who", "not", "are", "be", "as", "if", "so", "no"}
MONTHS = {m.lower() for m in CALENDAR}

ANCHORS = (
    # "19 Wexford Street", "1987 74 Diakou Street", "Flat 3, 21 Castle Hill"
    re.compile(rf"(?<![\w£$€.,:/-]){LEADING}{NUMBER},? (?:{CAP} |{PARTICLE} ){{0,3}}{CAP} {TYPE_AFTER}"),
    # "Flat 6, Kingfisher Court", "Apartment 2 Beacon House"
    re.compile(rf"\b(?i:Flat|Apartment|Apt\.?) \d+[A-Za-z]?,? (?:{CAP} ){{0,2}}"
               r"(?:House|Court|Lodge|Mansions|Tower|Buildings|Heights|Point)\b"),
    # "Rue de Virton 38", "48334 36 rue de pologne", "Avenida Pedro Ulisses 888", "C/ Señores Curas 88"
    re.compile(rf"(?<![\w£$€.,:/-]){LEADING}{NUMBER},? {TYPE_BEFORE} ?(?:[\w'’-]+\.? ){{0,4}}[\w'’-]+\b\.?"
               rf"(?: {NUMBER}\b(?![.,:/–-]\d)\.?)?"),
    re.compile(rf"(?<![\w£$€.,:/-]){LEADING}{TYPE_BEFORE} ?(?:[\w'’-]+\.? ){{0,4}}?[\w'’-]+ "
               rf"{NUMBER}\b(?![.,:/–-]\d)\.?"),
    # "Skoanveien 226", "Brucker Bundesstrasse 31", "Kálmán Imre u. 12.", "Stensås terrasse 38", "hersnapvej 18"
    re.compile(rf"(?<![\w£$€.,:/-]){LEADING}(?:(?:{CAP}|{PARTICLE}) ){{0,3}}{STREET_WORD} {NUMBER_AFTER}\.?"),
    # A flat or suite on its own: "Apt. 864", "Suite 318"
    re.compile(r"\b(?:[Aa]pt\.?|Apartment|[Ss]uite|Flat|Unit) ?#?\d+[A-Za-z]?\b"),
    # PO boxes and British forces' or US forces' addresses: "P.O. Box 242", "PSC 0413, Box 8144", "USNS Møller"
    re.compile(rf"(?<![\w£$€.,:/-]){LEADING}(?i:P\.? ?O\.? Box|Post Office Box|Postbox) \d{{1,6}}\b"),
    re.compile(r"(?i)\b(?:PSC|CMR|Unit) \d{3,5},? Box \d{3,5}\b"),
    re.compile(r"(?i)\bUS(?:NS|NV|S|CGC) [\w'’-]+(?= ?\n? ?[ADF]PO )"),
    # A street named without a number, after a word that says a place follows: "lives on Berg Hills Street"
    re.compile(rf"\b(?:on|in|at|off|along|near|into) (?P<value>(?:{CAP} ){{1,3}}"
               r"(?:Street|Road|Avenue|Lane|Drive|Close|Crescent|Terrace|Gardens|Square|Grove|Boulevard)\b)"),
    # The corner of two streets: "the corner of Bay Street and Elm Road"
    re.compile(r"\b(?i:the corner of) (?=[^\n]*?[A-Z0-9])(?:(?!\band\b)[^\n,;?!()]){2,60}?\band "
               r"(?:[^\W\d_][\w'’-]*(?: |(?=[\s,.;?!]|$))){1,3}"),
)
# Only numbers and a name between them ("28030 Edeby 55"): an address if the name is in no dictionary.
NAME_BETWEEN_NUMBERS = re.compile(rf"(?<![\w£$€.,:/-]){LEADING}\d{{1,5}} (?P<name>(?:{CAP} ){{1,2}})"
                                  rf"{NUMBER_AFTER}")

SEP_LINE = re.compile(r"[ \t]*(?:,[ \t]*|[ \t]+)")  # on the same line: ", " or " "
SEP_NEXT = re.compile(r"[ \t,]*(?:\r?\n[^\w\n#*]{0,6}){1,3}")  # on a following line, after "> " or bullets
PARTS = {
    "unit": re.compile(UNIT),
    "forces": re.compile(r"(?i:[ADF]PO A[AEP])(?: \d{5})?\b"),
    "country": re.compile(rf"{COUNTRY}(?: {POSTAL})?"),
    "postal": re.compile(POSTAL),
    "region": re.compile(r"[^\W_]{1,3}\b"),
}
END = re.compile(r"[ \t]*(?:[,;)\r\n]|[.?!](?=\s|$)|$)")


@dataclass(frozen=True)
class Stretch:
    start: int
    end: int


class AddressFinder:
    """Whole addresses in text; `words` is the dictionary that tells a street's name from ordinary words."""

    def __init__(self, words: frozenset[str] = frozenset()):
        self.words = words

    def find(self, text: str) -> list[Stretch]:
        anchors = [m.span("value" if "value" in pattern.groupindex else 0)
                   for pattern in ANCHORS for m in pattern.finditer(text)]
        anchors += [m.span() for m in NAME_BETWEEN_NUMBERS.finditer(text) if self._unknown(m.group("name"))]
        stretches, reached = [], -1
        for start, end in sorted(anchors, key=lambda s: (s[0], -s[1])):
            if end <= reached:
                continue
            end = self._extend(text, max(end, reached), lowercase=not any(c.isupper() for c in text[start:end]))
            if stretches and start < stretches[-1].end:
                stretches[-1] = Stretch(stretches[-1].start, end)
            else:
                stretches.append(Stretch(start, end))
            reached = end
        return stretches

    def _unknown(self, name: str) -> bool:
        words = name.split()
        return not any(w.strip(".").lower() in MONTHS for w in words) and not all(
            in_dictionary(w, self.words) for w in words)

    def _extend(self, text: str, at: int, lowercase: bool) -> int:
        """The end of the address whose street line ends at `at`: each following piece that is a part of it."""
        towns = 0
        for _ in range(8):
            for sep in (SEP_LINE, SEP_NEXT):
                step = self._part(text, at, sep, lowercase, towns < 2)
                if step:
                    at, towns = step[0], towns + (step[1] == "town")
                    break
            else:
                return at
        return at

    def _part(self, text: str, at: int, sep: re.Pattern, lowercase: bool, town_allowed: bool
              ) -> tuple[int, str] | None:
        """The end and kind of the part of an address that follows `at` after the separator `sep`, if any."""
        gap = sep.match(text, at)
        if gap is None:
            return None
        begin = gap.end()
        for kind, pattern in PARTS.items():
            match = pattern.match(text, begin)
            if match is None:
                continue
            if kind == "region" and (match.group(0) in STOPWORDS
                                     or not self._ends(text, match.end(), ("postal", "country"))):
                continue
            return match.end(), kind
        town = self._town(text, begin, lowercase) if town_allowed else None
        return (town, "town") if town else None

    def _town(self, text: str, begin: int, lowercase: bool) -> int | None:
        """The end of a town's name at `begin` (at most four words), if what follows ends the address or goes on
        with another part of it."""
        word = r"[^\W\d_][\w'’-]*\.?" if lowercase else CAP
        name = re.compile(rf"{word}(?:(?:[ -]|(?: {PARTICLE})+ ){word}){{0,3}}")
        match = name.match(text, begin)
        if match is None or match.group(0).split()[0].lower() in STOPWORDS | MONTHS:
            return None
        ends = [m.end() for m in re.finditer(r"[^\W\d_][\w'’-]*\.?", match.group(0))]
        qualifier = re.compile(r" \([^()\n]{1,30}\)").match(text, match.end())  # "Unionville (Orange)"
        for end in ([qualifier.end()] if qualifier else []) + [begin + e for e in reversed(ends)]:
            # Words any dictionary has ("Attendance", "Mill Village") are a town only before a postcode, a state
            # or a country; a name no dictionary has, or one in capitals as post towns are written, may also
            # end the address.
            words = re.findall(r"[^\W\d_]+", text[begin:end])
            ordinary = all(in_dictionary(w, self.words) and not w.isupper() for w in words)
            if self._ends(text, end, ("postal", "country", "region"), alone=not ordinary):
                return end
        return None

    def _ends(self, text: str, at: int, then: tuple[str, ...], alone: bool = True) -> bool:
        """Whether the address goes on at `at` with a part of kind `then`, or (if `alone`) may end there."""
        if alone and END.match(text, at):
            return True
        for sep in (SEP_LINE, SEP_NEXT):
            gap = sep.match(text, at)
            for kind in then if gap else ():
                part = PARTS[kind].match(text, gap.end())
                if part and (kind != "region" or self._ends(text, part.end(), ("postal",))):
                    return True
        return False


class AddressRecogniser(EntityRecognizer):
    """The finder above as a Presidio recogniser: each address one STREET_ADDRESS."""

    def __init__(self, words: frozenset[str] = frozenset()):
        self.finder = AddressFinder(words)
        super().__init__(supported_entities=["STREET_ADDRESS"], name="AddressRecogniser", supported_language="en")

    def load(self) -> None:
        pass

    def analyze(self, text: str, entities: list[str], nlp_artifacts=None) -> list[RecognizerResult]:
        return [result_of(self, "STREET_ADDRESS", s.start, s.end, 0.8) for s in self.finder.find(text)]
