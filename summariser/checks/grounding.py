"""Sentence-by-sentence grounding: is each sentence of a draft backed by the sources it cites?

A draft that cites its sources can still say what no source says: a wrong
amount, a date moved, a name or a suggestion nobody made. Officers have to
find those before approving, so every sentence gets a verdict and a reason in
plain English, and each supported one carries the passage that supports it.

A sentence is supported when it cites at least one real source, every fact in
it (dates, amounts, numbers, names, addresses, identifiers; see facts.py) is
in the sources it cites (or elsewhere in their documents), and it is close in
meaning to a sentence-sized window of a cited passage (cosine of sentence
embeddings >= min_similarity), and it does not differ from its closest cited
sentence in having a "not", "no" or "never" (embeddings barely see negation).
The embedder is passed in; windows of the sources are embedded once and
cached, so re-checking after an officer's edit only embeds the sentences.
"""
from __future__ import annotations

import hashlib
import re
import threading
from dataclasses import asdict, dataclass, replace
from operator import attrgetter
from typing import Callable, Sequence

import numpy as np
from cachetools import LRUCache, cachedmethod

from summariser.checks.facts import Fact, FactIndex, describe, extract_facts
from summariser.drafting.citations import Source, cited_numbers
from summariser.text import BULLET, CITATION, cite, split_sentences

# Calibrated with all-MiniLM-L6-v2. Demo caseload, 54 hand-written true sentences: 5th percentile 0.63 against
# the passage they cite; the same sentences against the closest passage of another case: median 0.45, 81% below
# 0.55. ACI-Bench (10 encounters, 326 note sentences): median 0.58 against their own dialogue, 0.34 against
# another encounter's (97% below 0.55). Facts catch most of what meaning lets through.
DEFAULT_MIN_SIMILARITY = 0.55
STRUCTURED_LINE = re.compile(r"^\s*(?:[-*•+|#>]|\d{1,3}[.)]\s)")
WRAPPED_LINE_CHARS = 55  # a line this long that ends mid-sentence was hard-wrapped: join it with the next
MAX_WINDOW_CHARS = 600
PASSAGE_CACHE_SIZE = 4000  # passages whose facts, windows and sentences are kept
EXCERPT_CHARS = 400
# Negation cues. On the demo records 2 of 54 true sentences differ in these from the closest cited sentence
# (false alarms) and 50 of 54 negated ones do (caught); on ACI-Bench dialogues, 9 of 59 and 52 of 59.
NEGATION = re.compile(r"\b(?:not|no|never|none|nobody|nothing|neither|nor|cannot|denie[sd]|deny|refused|declined"
                      r"|unable)\b|n[’']t\b", re.IGNORECASE)


@dataclass(frozen=True)
class SentenceCheck:
    index: int
    text: str                       # sentence as written, bullet marker stripped
    cited: tuple[int, ...]
    supported: bool
    reasons: tuple[str, ...]        # plain English, one per problem found
    missing_facts: tuple[str, ...]  # facts not found in the cited sources
    unsourced_facts: tuple[str, ...]  # facts found in no source of the case at all
    best_source: int | None
    similarity: float
    support: str                    # the best supporting excerpt (a sentence or two of the cited passage)
    # for an unsupported sentence: a source that supports it as written, had the draft cited that one instead
    # (small models often number their bullets [1], [2], [3] instead of citing); None if no source does
    supported_by: int | None = None

    @property
    def key(self) -> str:
        """Stable id of the sentence's wording, so an officer's acceptance survives re-checks."""
        return hashlib.sha256(" ".join(self.text.casefold().split()).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class GroundingReport:
    sentences: tuple[SentenceCheck, ...]

    @property
    def unsupported(self) -> list[SentenceCheck]:
        return [s for s in self.sentences if not s.supported]

    @property
    def supported_share(self) -> float:
        """Share of checked sentences that are supported; 0.0 for a draft with no sentences."""
        return sum(s.supported for s in self.sentences) / len(self.sentences) if self.sentences else 0.0

    def as_dict(self) -> dict:
        return {"sentences": [asdict(s) | {"key": s.key} for s in self.sentences],
                "supported_share": round(self.supported_share, 4),
                "unsupported": len(self.unsupported)}

    @staticmethod
    def from_dict(data: dict) -> "GroundingReport":
        fields = SentenceCheck.__dataclass_fields__
        sentences = []
        for item in data["sentences"]:
            values = {k: v for k, v in item.items() if k in fields}
            for name in ("cited", "reasons", "missing_facts", "unsourced_facts"):
                values[name] = tuple(values.get(name) or ())
            sentences.append(SentenceCheck(**values))
        return GroundingReport(tuple(sentences))


# splitting ------------------------------------------------------------------------------------------------
def _is_heading(line: str) -> bool:
    bare = line.strip()
    if bare.startswith("#"):
        return True
    if CITATION.search(bare):
        return False
    if re.fullmatch(r"\*\*[^*]+\*\*:?|__[^_]+__:?", bare):
        return True
    if bare.endswith(":") and len(bare.split()) <= 6:  # "Key events:"
        return True
    letters = re.sub(r"[^A-Za-z]", "", bare)
    return bool(letters) and letters.isupper() and not re.search(r"\d", bare) and len(bare.split()) <= 8


def _nothing_recorded(sentence: str) -> bool:
    bare = re.sub(r"[^a-z ]", "", CITATION.sub("", sentence).lower()).strip()
    return bare.startswith("nothing recorded") and len(bare) < 45


def split_draft(text: str) -> list[tuple[str, tuple[int, ...]]]:
    """(sentence, cited numbers) for each sentence a reader would check.

    Headings and "Nothing recorded." are skipped. On a bullet line, or a line
    that starts with a citation, the line's citations apply to every sentence
    on it; in running prose each sentence has its own citations.
    """
    found = []
    for raw in text.splitlines():
        if not raw.strip() or _is_heading(raw) or re.fullmatch(r"\s*\|?[\s:|-]*", raw):
            continue
        bullet = BULLET.match(raw)
        line = raw[bullet.end():] if bullet else raw.strip()
        line_level = bool(bullet) or bool(CITATION.match(line.lstrip()))
        line_cited = tuple(cited_numbers(line))
        for sentence in split_sentences(line.strip()):
            if _nothing_recorded(sentence) or not re.search(r"[A-Za-z0-9]", CITATION.sub("", sentence)):
                continue
            found.append((sentence, line_cited if line_level else tuple(cited_numbers(sentence))))
    return found


def plain(sentence: str) -> str:
    """The sentence as the embedder should see it: no citations, no Markdown."""
    text = CITATION.sub(" ", sentence)
    text = re.sub(r"[*_`]+|^\s*[-•]\s+", " ", text)
    text = re.sub(r"\s*\|\s*", " | ", text).strip(" |")
    return " ".join(text.split())


def passage_sentences(text: str) -> list[str]:
    """The sentences of a passage. Hard-wrapped lines are joined first; table rows, bullets and short
    header lines ("Officer: Tom Whitfield") stay on their own."""
    units: list[list[str]] = []
    for block in re.split(r"\n[ \t]*\n", text):
        joinable = False  # may the next line continue the last unit?
        for line in (part.strip() for part in block.splitlines()):
            if not line or re.fullmatch(r"\|?[\s:|-]*", line):
                continue
            if joinable and not STRUCTURED_LINE.match(line):
                units[-1].append(line)
            else:
                units.append([line])
            joinable = (not STRUCTURED_LINE.match(units[-1][0]) and len(line) >= WRAPPED_LINE_CHARS
                        and not line.endswith(":"))
    return [s for unit in units for s in split_sentences(" ".join(unit)) if re.search(r"[A-Za-z0-9]", s)]


def passage_windows(text: str, pairs: bool = True) -> list[str]:
    """Sentence-sized windows of a passage: each sentence and, with `pairs`, each pair of neighbouring
    sentences (a drafted sentence often joins two)."""
    sentences = passage_sentences(text)
    if not pairs:
        return sentences
    return sentences + [f"{a} {b}" for a, b in zip(sentences, sentences[1:]) if len(a) + len(b) < MAX_WINDOW_CHARS]


# checking -------------------------------------------------------------------------------------------------
def _where(numbers: list[int]) -> str:
    shown = cite(numbers[:4])
    return shown + (f" and {len(numbers) - 4} more" if len(numbers) > 4 else "")


class GroundingChecker:
    """Checks drafts against a case's numbered sources; safe to share between threads."""

    def __init__(self, embed: Callable[[list[str]], Sequence], min_similarity: float = DEFAULT_MIN_SIMILARITY,
                 cache_size: int = 20000, same_document: bool = True, check_negation: bool = True):
        """`same_document`: a fact counts as found in a cited passage when it is anywhere in that passage's
        document. Passages are arbitrary cuts of a document, so the letter's date or its author's name
        ("Dr Rao") in the first passage also stands behind a sentence citing the third.
        `check_negation`: flag a sentence whose closest cited sentence differs from it in having a "not",
        "no", "never" (embeddings barely tell "she did" from "she did not")."""
        self.embed, self.min_similarity, self.cache_size = embed, min_similarity, cache_size
        self.same_document, self.check_negation = same_document, check_negation
        self._vectors: LRUCache = LRUCache(cache_size)
        self._indexes: LRUCache = LRUCache(PASSAGE_CACHE_SIZE)
        self._windows: LRUCache = LRUCache(PASSAGE_CACHE_SIZE)
        self._sentences: LRUCache = LRUCache(PASSAGE_CACHE_SIZE)
        self._lock = threading.Lock()

    # caches (least recently used first out; computed outside the lock) ----------------------------------
    @cachedmethod(attrgetter("_indexes"), lock=attrgetter("_lock"))
    def facts_of(self, text: str) -> FactIndex:
        return FactIndex(text)

    @cachedmethod(attrgetter("_windows"), lock=attrgetter("_lock"))
    def _windows_with_pairs(self, text: str) -> list[str]:
        return passage_windows(text)

    @cachedmethod(attrgetter("_sentences"), lock=attrgetter("_lock"))
    def _sentence_count(self, text: str) -> int:
        return len(passage_sentences(text))

    def windows_of(self, text: str, pairs: bool = True) -> list[str]:
        windows = self._windows_with_pairs(text)
        return windows if pairs else windows[:self._sentence_count(text)]

    def warm(self, sources: list[Source]) -> None:
        """Read and embed these sources now (one batch), so later checks only embed the draft."""
        for source in sources:
            self.facts_of(source.text)
        self.vectors([plain(w) for s in sources for w in self.windows_of(s.text)])

    def vectors(self, texts: list[str]) -> dict[str, np.ndarray]:
        """Unit vectors for the texts, embedding only those not seen before, in one call."""
        found: dict[str, np.ndarray] = {}
        with self._lock:
            for text in texts:
                vector = self._vectors.get(text)  # a hit counts as a use
                if vector is not None:
                    found[text] = vector
        wanted = [t for t in dict.fromkeys(texts) if t not in found]
        if wanted:
            fresh = np.asarray(self.embed(wanted), dtype=np.float32)
            norms = np.linalg.norm(fresh, axis=1, keepdims=True)
            fresh = fresh / np.where(norms == 0, 1, norms)
            found.update(zip(wanted, fresh))
            with self._lock:
                self._vectors.update(zip(wanted, fresh))  # the oldest fall out past cache_size
        return found

    # the check --------------------------------------------------------------------------------------------
    def check(self, text: str, sources: list[Source], context: str = "") -> GroundingReport:
        """Check every sentence of a draft. `sources` are all the numbered sources of the case; `context`
        is what is known of the case outside them (the person's name, the case reference): facts found
        there need no source."""
        by_number = {s.number: s for s in sources}
        drafted = split_draft(text)
        context_index = FactIndex(context) if context.strip() else None
        indexes = {n: self.facts_of(s.text) for n, s in by_number.items()}
        cited_anywhere = {n for _, cited in drafted for n in cited if n in by_number}
        suggest = any(not any(n in by_number for n in cited) for _, cited in drafted)
        # cited passages: sentences and pairs; for an uncited sentence, the closest single sentence anywhere
        # (cheaper: a suggestion of where to look, not a verdict)
        texts = {n: self.windows_of(by_number[n].text, pairs=n in cited_anywhere)
                 for n in sorted(cited_anywhere | (set(by_number) if suggest else set()))}
        plain_sentences = [plain(sentence) or sentence for sentence, _ in drafted]
        vectors = self.vectors([plain(w) for ws in texts.values() for w in ws] + plain_sentences)
        windows = {n: (ws, np.stack([vectors[plain(w)] for w in ws]) if ws else np.zeros((0, 1)),
                       len(self.windows_of(by_number[n].text, pairs=False))) for n, ws in texts.items()}
        siblings: dict[int, list[int]] = {}
        for source in sources:
            siblings.setdefault(source.document_id, []).append(source.number)
        backing = {n: siblings[s.document_id] if self.same_document else [n] for n, s in by_number.items()}
        checks = [self._check_one(i, sentence, cited, by_number, indexes, backing, context_index, windows,
                                  vectors[plain_sentences[i]]) for i, (sentence, cited) in enumerate(drafted)]
        if any(not c.supported for c in checks):  # look for a source each unsupported sentence should have cited
            texts = {n: self.windows_of(source.text) for n, source in by_number.items()}
            vectors |= self.vectors([plain(w) for ws in texts.values() for w in ws])
            every = {n: (ws, np.stack([vectors[plain(w)] for w in ws]) if ws else np.zeros((0, 1)),
                         len(self.windows_of(by_number[n].text, pairs=False))) for n, ws in texts.items()}
            checks = [c if c.supported else replace(c, supported_by=self._supported_by(
                c, by_number, indexes, backing, context_index, every, vectors[plain_sentences[c.index]]))
                for c in checks]
        return GroundingReport(tuple(checks))

    def _supported_by(self, check: SentenceCheck, by_number: dict[int, Source], indexes: dict[int, FactIndex],
                      backing: dict[int, list[int]], context_index: FactIndex | None,
                      windows: dict[int, tuple[list[str], np.ndarray, int]], vector: np.ndarray,
                      tries: int = 3) -> int | None:
        """The first of the `tries` sources closest in meaning that would support the sentence if it cited
        that source alone, or None."""
        closest = sorted(windows, key=lambda n: -self._closest(vector, [n], windows)[1])
        for number in [n for n in closest if n not in check.cited][:tries]:
            if self._check_one(check.index, check.text, (number,), by_number, indexes, backing, context_index,
                               windows, vector).supported:
                return number
        return None

    def _check_one(self, index: int, sentence: str, cited: tuple[int, ...], by_number: dict[int, Source],
                   indexes: dict[int, FactIndex], backing: dict[int, list[int]], context_index: FactIndex | None,
                   windows: dict[int, tuple[list[str], np.ndarray, int]], vector: np.ndarray) -> SentenceCheck:
        reasons: list[str] = []
        valid = [n for n in cited if n in by_number]
        invalid = [n for n in cited if n not in by_number]
        if not cited:
            reasons.append("It cites no source.")
        if invalid:
            reasons.append(f"It cites {cite(invalid)}, which {'is' if len(invalid) == 1 else 'are'} not "
                           "one of this case's sources.")
        behind = sorted({m for n in valid for m in backing[n]})  # the cited passages and their documents
        missing, unsourced = [], []
        for fact in extract_facts(sentence):
            if context_index is not None and context_index.contains(fact):
                continue
            if behind and any(indexes[n].contains(fact) for n in behind):
                continue
            elsewhere = [n for n in sorted(indexes) if n not in behind and indexes[n].contains(fact)]
            if valid:
                missing.append(fact.text)
            if not elsewhere:
                unsourced.append(fact.text)
            if valid or not elsewhere:  # with no citation, only a fact found nowhere is worth a reason
                reasons.append(self._fact_reason(fact, valid, elsewhere))
        best_source, similarity, support = self._closest(vector, valid or sorted(windows), windows)
        if valid and similarity < self.min_similarity:
            reasons.append(f"It is not close in meaning to the passage{'s' if len(valid) > 1 else ''} it cites "
                           f"({cite(valid)}).")
        elif valid and self.check_negation:
            _, _, closest = self._closest(vector, valid, windows, singles_only=True)
            if bool(NEGATION.search(plain(sentence))) != bool(NEGATION.search(closest)):
                reasons.append(f"It may say the opposite of the passage it cites ({cite(valid)}): one of them "
                               "says “not”, “no” or “never” and the other does not.")
        return SentenceCheck(index, sentence, tuple(cited), not reasons, tuple(reasons), tuple(missing),
                             tuple(unsourced), best_source, round(similarity, 4), support)

    @staticmethod
    def _fact_reason(fact: Fact, valid: list[int], elsewhere: list[int]) -> str:
        what = describe(fact)
        what = what[0].upper() + what[1:]
        if not valid:
            return f"{what} is not in any of the case's sources."
        cites = f"the source{'s' if len(valid) > 1 else ''} it cites ({cite(valid)})"
        if elsewhere:
            return f"{what} is not in {cites}; it is in {_where(elsewhere)}."
        return f"{what} is not in {cites}, nor in any other source of the case."

    @staticmethod
    def _closest(target: np.ndarray, numbers: list[int], windows: dict[int, tuple[list[str], np.ndarray, int]],
                 singles_only: bool = False) -> tuple[int | None, float, str]:
        best: tuple[int | None, float, str] = (None, 0.0, "")
        for n in numbers:
            texts, matrix, singles = windows.get(n, ([], None, 0))
            if singles_only:
                texts, matrix = texts[:singles], matrix[:singles]
            if not texts:
                continue
            scores = matrix @ target
            top = int(np.argmax(scores))
            if float(scores[top]) > best[1]:
                best = (n, float(scores[top]), texts[top])
        number, score, excerpt = best
        if len(excerpt) > EXCERPT_CHARS:
            excerpt = excerpt[:EXCERPT_CHARS].rsplit(" ", 1)[0] + " …"
        return number, max(score, 0.0), excerpt
