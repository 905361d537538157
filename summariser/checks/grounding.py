"""Sentence-by-sentence grounding: is each sentence of a draft backed by the sources it cites?

A draft that cites its sources can still say what no source says: a wrong
amount, a date moved, a name or a suggestion nobody made. Officers have to
find those before approving, so every sentence gets a verdict and a reason in
plain English, and each supported one carries the passage that supports it.

A sentence is supported when it cites at least one real source, every fact in
it (dates, amounts, numbers, names, addresses, identifiers; see facts.py) is
in the sources it cites (or in the first passage of their document, or the
passage just before; see `same_document`), and it is close in meaning to a
sentence-sized window of a cited passage (cosine of sentence embeddings >=
the threshold of its kind of source), and it does not differ from its closest cited
sentence in having a "not", "no" or "never" (embeddings barely see negation).
The embedder is passed in; windows of the sources are embedded once and
cached, so re-checking after an officer's edit only embeds the sentences.

Sources are not all written alike, so each document is read as one of three
kinds (`source_kind`, from its text, so every loader and every caller agrees
without new metadata): a transcript (speaker turns such as "[doctor]" or
"Officer:"), a letter ("Dear ...", "Yours sincerely") or a record (anything
else: case notes, forms, reports). A transcript is read turn by turn, its
speaker tags left out, with each turn next to the one it answers ("any chest
pain?" / "no"), and has its own similarity threshold: a note's written
wording and a spoken, lower-case transcript score lower in meaning even when
they say the same thing (see TRANSCRIPT_MIN_SIMILARITY).

People are matched by full name and title (facts.py), and a sentence naming
one person is not supported by a passage about another of the same surname
("Mrs Denise Harrowby phoned" against "Mr Jason Harrowby phoned"), even when
her name is elsewhere in the document. The source offered instead of an
unsupported sentence's citation passes these same rules.
"""
from __future__ import annotations

import hashlib
import re
import threading
from collections import Counter
from dataclasses import asdict, dataclass, replace
from operator import attrgetter
from typing import Callable, Mapping, Sequence

import numpy as np
from cachetools import LRUCache, cachedmethod

from summariser.checks.facts import Fact, FactIndex, describe, extract_facts, name_title, name_tokens
from summariser.drafting.citations import Source, cited_numbers
from summariser.text import BULLET, CITATION, LEFT_OUT, NOTHING_RECORDED, cite, same_title, split_sentences

# Calibrated with all-MiniLM-L6-v2. Demo caseload, 54 hand-written true sentences: 5th percentile 0.63 against
# the passage they cite; the same sentences against the closest passage of another case: median 0.45, 81% below
# 0.55. ACI-Bench (10 encounters, 326 note sentences): median 0.58 against their own dialogue, 0.34 against
# another encounter's (97% below 0.55). Facts catch most of what meaning lets through.
DEFAULT_MIN_SIMILARITY = 0.55
SOURCE_KINDS = ("record", "letter", "transcript")
# Transcripts, read turn by turn without speaker tags: chosen by `python -m evals.calibrate` on the first 30
# ACI-Bench train dialogues (their supported note sentences, and those corrupted). No threshold kept false
# alarms within 10%: 16% are negation and fact flags no threshold removes. 0.475 is the lowest at which 95% of
# another case's sentences are caught (96%); false alarms 21% there, against 28% at the records' 0.55.
TRANSCRIPT_MIN_SIMILARITY = 0.475
STRUCTURED_LINE = re.compile(r"^\s*(?:[-*•+|#>]|\d{1,3}[.)]\s)")
WRAPPED_LINE_CHARS = 55  # a line this long that ends mid-sentence was hard-wrapped: join it with the next
# A table row or a heading ends at its line; any other line this long, a numbered or bulleted item's included
# ("1. Holiday pay paid in arrears. The school business manager has now"), may be continued by the next.
ENDS_AT_LINE = re.compile(r"^\s*[|#]")
MAX_WINDOW_CHARS = 600
PASSAGE_CACHE_SIZE = 4000  # passages whose facts, windows and sentences are kept
EXCERPT_CHARS = 400
SPEAKER_TURN = re.compile(r"^[ \t]*(?:\[([A-Za-z][\w .'-]{0,30})\]|([A-Z][\w.'-]*(?: [A-Z][\w.'-]*){0,2}):)[ \t]+",
                          re.MULTILINE)  # "[doctor] ", "Officer: ", "Mrs Harrowby: "
LETTER = re.compile(r"^[ \t>]*(?:Dear[ \t]+\S|Yours[ \t]+(?:sincerely|faithfully))", re.MULTILINE | re.IGNORECASE)
MIN_TURNS = 4
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


LEFT_OUT_NOTE = re.compile(re.escape(LEFT_OUT) + r" \d+ more facts? for this heading\.")  # exactly, so no
# sentence a model writes escapes the check by opening with these words


def tool_note(sentence: str) -> bool:
    """A line the tool writes that states nothing of the case ("Nothing recorded.", "Not listed here: ...")."""
    bare = CITATION.sub("", sentence).strip()
    letters = re.sub(r"[^a-z ]", "", bare.lower()).strip()
    return bool(LEFT_OUT_NOTE.fullmatch(bare)) or (letters.startswith(NOTHING_RECORDED.lower().rstrip("."))
                                                   and len(letters) < 45)


def split_draft(text: str) -> list[tuple[str, tuple[int, ...]]]:
    """(sentence, cited numbers) for each sentence a reader would check.

    Headings and the tool's own notes are skipped. On a bullet line, or a line
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
            if tool_note(sentence) or not re.search(r"[A-Za-z0-9]", CITATION.sub("", sentence)):
                continue
            found.append((sentence, line_cited if line_level else tuple(cited_numbers(sentence))))
    return found


def plain(sentence: str) -> str:
    """The sentence as the embedder should see it: no citations, no Markdown."""
    text = CITATION.sub(" ", sentence)
    text = re.sub(r"[*_`]+|^\s*[-•]\s+", " ", text)
    text = re.sub(r"\s*\|\s*", " | ", text).strip(" |")
    return " ".join(text.split())


def may_continue(first_line: str, line: str) -> bool:
    """Whether the line after `line` may continue the unit of text that began with `first_line` (one rule for the
    grounding check's sentences and the reader's): `line` looks hard-wrapped, and the unit is not a table row or
    a heading."""
    return not ENDS_AT_LINE.match(first_line) and len(line) >= WRAPPED_LINE_CHARS and not line.endswith(":")


def passage_sentences(text: str) -> list[str]:
    """The sentences of a passage. Hard-wrapped lines are joined first (a long item's too); table rows,
    headings, each new bullet and short header lines ("Officer: Tom Whitfield") start on their own."""
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
            joinable = may_continue(units[-1][0], line)
    return [s for unit in units for s in split_sentences(" ".join(unit)) if re.search(r"[A-Za-z0-9]", s)]


def source_kind(text: str) -> str:
    """"transcript", "letter" or "record": how a document's text (all its passages) is to be read. A transcript
    has at least MIN_TURNS speaker turns making up half its lines, most of them by two speakers who each speak
    more than once, so the "Officer: Tom Whitfield" lines of a form do not make it one."""
    lines = sum(1 for line in text.splitlines() if line.strip())
    speakers = Counter((m.group(1) or m.group(2)).lower() for m in SPEAKER_TURN.finditer(text))
    turns, top = sum(speakers.values()), speakers.most_common(2)
    if turns >= MIN_TURNS and turns * 2 >= lines and len(top) == 2 and top[1][1] >= 2 \
            and top[0][1] + top[1][1] >= 0.6 * turns:
        return "transcript"
    return "letter" if LETTER.search(text) else "record"


def source_kinds(sources: list[Source]) -> dict[int, str]:
    """The kind of each numbered source, read from its whole document (a passage of a letter rarely holds both
    its "Dear" and its "Yours sincerely")."""
    documents: dict[int, list[Source]] = {}
    for source in sources:
        documents.setdefault(source.document_id, []).append(source)
    kinds = {}
    for parts in documents.values():
        kind = source_kind("\n".join(p.text for p in sorted(parts, key=attrgetter("page", "start"))))
        kinds |= {p.number: kind for p in parts}
    return kinds


def _spoken(line: str) -> str:
    """A transcript line as written prose: no speaker tag, no space before punctuation ("do n't" -> "don't")."""
    line = SPEAKER_TURN.sub("", line, count=1)
    line = re.sub(r" (n't|'s|'re|'ve|'ll|'d|'m)\b", r"\1", line)
    return " ".join(re.sub(r" +([,.?!;:])", r"\1", line).split())


def transcript_sentences(text: str) -> list[str]:
    """The sentences of a transcript passage, turn by turn (lower-case sentence starts allowed)."""
    return [s for line in text.splitlines() for s in split_sentences(_spoken(line), lowercase_starts=True)
            if re.search(r"[A-Za-z0-9]", s)]


def passage_windows(text: str, pairs: bool = True, kind: str = "record") -> list[str]:
    """Sentence-sized windows of a passage: each sentence and, with `pairs`, each pair of neighbouring
    sentences (a drafted sentence often joins two; in a transcript, a question and its answer)."""
    sentences = transcript_sentences(text) if kind == "transcript" else passage_sentences(text)
    if not pairs:
        return sentences
    return sentences + [f"{a} {b}" for a, b in zip(sentences, sentences[1:]) if len(a) + len(b) < MAX_WINDOW_CHARS]


# checking -------------------------------------------------------------------------------------------------
def _where(numbers: list[int]) -> str:
    shown = cite(numbers[:4])
    return shown + (f" and {len(numbers) - 4} more" if len(numbers) > 4 else "")


@dataclass(frozen=True)
class _Case:
    """What one check knows of the case's sources, worked out once per check."""
    by_number: dict[int, Source]
    indexes: dict[int, FactIndex]
    backing: dict[int, list[int]]  # the passages whose facts stand behind a citation of each one
    context: FactIndex | None
    kinds: dict[int, str]


Windows = dict[int, tuple[list[str], np.ndarray, int]]  # number -> (windows, their vectors, how many are single)


class GroundingChecker:
    """Checks drafts against a case's numbered sources; safe to share between threads."""

    def __init__(self, embed: Callable[[list[str]], Sequence], min_similarity: float = DEFAULT_MIN_SIMILARITY,
                 cache_size: int = 20000, same_document: bool = True, check_negation: bool = True,
                 min_similarity_by_kind: Mapping[str, float] | None = None):
        """`min_similarity`: the threshold for records and letters; `min_similarity_by_kind` overrides it for a
        kind of source (SOURCE_KINDS), transcripts having their own by default (TRANSCRIPT_MIN_SIMILARITY).
        `same_document`: a fact counts as found in a cited passage when it is in that passage, in the first
        passage of its document or in the passage just before it. Passages are arbitrary cuts of a document,
        so the letter's date or its author's name ("Dr Rao") in the first passage also stands behind a sentence
        citing the third, and an entry cut in two keeps its date; but a time from another entry of the same
        case notes does not ("09:15" was when Mr Jason Harrowby phoned, not when his aunt did).
        `check_negation`: flag a sentence whose closest cited sentence differs from it in having a "not",
        "no", "never" (embeddings barely tell "she did" from "she did not")."""
        self.embed, self.min_similarity, self.cache_size = embed, min_similarity, cache_size
        self.min_similarity_by_kind = {"record": min_similarity, "letter": min_similarity,
                                       "transcript": TRANSCRIPT_MIN_SIMILARITY} | dict(min_similarity_by_kind or {})
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
    def _windows_with_pairs(self, text: str, kind: str) -> list[str]:
        return passage_windows(text, kind=kind)

    @cachedmethod(attrgetter("_sentences"), lock=attrgetter("_lock"))
    def _sentence_count(self, text: str, kind: str) -> int:
        return len(passage_windows(text, pairs=False, kind=kind))

    def windows_of(self, text: str, pairs: bool = True, kind: str = "record") -> list[str]:
        windows = self._windows_with_pairs(text, kind)
        return windows if pairs else windows[:self._sentence_count(text, kind)]

    def warm(self, sources: list[Source]) -> None:
        """Read and embed these sources now (one batch), so later checks only embed the draft."""
        kinds = source_kinds(sources)
        for source in sources:
            self.facts_of(source.text)
        self.vectors([plain(w) for s in sources for w in self.windows_of(s.text, kind=kinds[s.number])])

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
        case = _Case(by_number, {n: self.facts_of(s.text) for n, s in by_number.items()}, self._backing(sources),
                     FactIndex(context) if context.strip() else None, source_kinds(sources))
        cited_anywhere = {n for _, cited in drafted for n in cited if n in by_number}
        suggest = any(not any(n in by_number for n in cited) for _, cited in drafted)
        # cited passages: sentences and pairs; for an uncited sentence, the closest single sentence anywhere
        # (cheaper: a suggestion of where to look, not a verdict)
        plain_sentences = [plain(sentence) or sentence for sentence, _ in drafted]
        windows, vectors = self._embedded(case, sorted(cited_anywhere | (set(by_number) if suggest else set())),
                                          cited_anywhere, plain_sentences)
        checks = [self._check_one(i, sentence, cited, case, windows, vectors[plain_sentences[i]])
                  for i, (sentence, cited) in enumerate(drafted)]
        if any(not c.supported for c in checks):  # look for a source each unsupported sentence should have cited
            every, vectors = self._embedded(case, sorted(by_number), set(by_number), plain_sentences)
            checks = [c if c.supported else replace(c, supported_by=self._supported_by(
                c, case, every, vectors[plain_sentences[c.index]])) for c in checks]
        return GroundingReport(tuple(checks))

    def _backing(self, sources: list[Source]) -> dict[int, list[int]]:
        """For each passage, the passages whose facts stand behind a citation of it (see `same_document`)."""
        if not self.same_document:
            return {s.number: [s.number] for s in sources}
        documents: dict[int, list[Source]] = {}
        for source in sorted(sources, key=attrgetter("page", "start")):
            documents.setdefault(source.document_id, []).append(source)
        return {part.number: sorted({part.number, parts[0].number, parts[max(i - 1, 0)].number})
                for parts in documents.values() for i, part in enumerate(parts)}

    def _embedded(self, case: _Case, numbers: list[int], with_pairs: set[int],
                  sentences: list[str]) -> tuple[Windows, dict[str, np.ndarray]]:
        """The windows of these sources (pairs too for those in `with_pairs`) with their vectors, and the
        vectors of the drafted sentences, embedded in one call."""
        texts = {n: self.windows_of(case.by_number[n].text, pairs=n in with_pairs, kind=case.kinds[n])
                 for n in numbers}
        vectors = self.vectors([plain(w) for ws in texts.values() for w in ws] + sentences)
        windows = {n: (ws, np.stack([vectors[plain(w)] for w in ws]) if ws else np.zeros((0, 1)),
                       len(self.windows_of(case.by_number[n].text, pairs=False, kind=case.kinds[n])))
                   for n, ws in texts.items()}
        return windows, vectors

    def _supported_by(self, check: SentenceCheck, case: _Case, windows: Windows, vector: np.ndarray,
                      tries: int = 3) -> int | None:
        """The first of the `tries` sources closest in meaning that would support the sentence by the same
        rules (its facts, its people, its meaning) if it cited that source alone, or None."""
        closest = sorted(windows, key=lambda n: -self._closest(vector, [n], windows)[1])
        for number in [n for n in closest if n not in check.cited][:tries]:
            if self._check_one(check.index, check.text, (number,), case, windows, vector).supported:
                return number
        return None

    def _check_one(self, index: int, sentence: str, cited: tuple[int, ...], case: _Case, windows: Windows,
                   vector: np.ndarray) -> SentenceCheck:
        reasons: list[str] = []
        valid = [n for n in cited if n in case.by_number]
        invalid = [n for n in cited if n not in case.by_number]
        if not cited:
            reasons.append("It cites no source.")
        if invalid:
            reasons.append(f"It cites {cite(invalid)}, which {'is' if len(invalid) == 1 else 'are'} not "
                           "one of this case's sources.")
        behind = sorted({m for n in valid for m in case.backing[n]})  # the cited passages, their headings...
        missing, unsourced = [], []
        facts = extract_facts(sentence)
        for fact in facts:
            if case.context is not None and case.context.contains(fact):
                continue
            if behind and any(case.indexes[n].contains(fact) for n in behind):
                continue
            elsewhere = [n for n in sorted(case.indexes) if n not in behind and case.indexes[n].contains(fact)]
            if valid:
                missing.append(fact.text)
            if not elsewhere:
                unsourced.append(fact.text)
            if valid or not elsewhere:  # with no citation, only a fact found nowhere is worth a reason
                reasons.append(self._fact_reason(fact, valid, elsewhere))
        best_source, similarity, support = self._closest(vector, valid or sorted(windows), windows)
        if valid and similarity < self.min_similarity_by_kind[case.kinds.get(best_source, "record")]:
            reasons.append(f"It is not close in meaning to the passage{'s' if len(valid) > 1 else ''} it cites "
                           f"({cite(valid)}).")
        elif valid:
            reasons += self._other_person(facts, support, valid)
            if self.check_negation:
                # a transcript's answer is often just "no": read it with the question it answers
                singles = case.kinds.get(best_source) != "transcript"
                _, _, closest = self._closest(vector, valid, windows, singles_only=singles)
                if bool(NEGATION.search(plain(sentence))) != bool(NEGATION.search(closest)):
                    reasons.append(f"It may say the opposite of the passage it cites ({cite(valid)}): one of "
                                   "them says “not”, “no” or “never” and the other does not.")
        return SentenceCheck(index, sentence, tuple(cited), not reasons, tuple(reasons), tuple(missing),
                             tuple(unsourced), best_source, round(similarity, 4), _excerpt(support))

    def _other_person(self, facts: list[Fact], window: str, cited: list[int]) -> list[str]:
        """A reason for each person the sentence names where the closest cited window names another person
        of the same surname and not them ("Mrs Denise Harrowby" against "Mr Jason Harrowby phoned"): the
        document may name both, so finding the name somewhere in it is not enough."""
        here = self.facts_of(window)
        reasons = []
        for fact in (f for f in facts if f.kind == "name" and not here.contains(f)):
            other = next((f for f in here.facts if f.kind == "name" and _another_person(fact, f)), None)
            if other is not None:
                reasons.append(f"It names {fact.text}, but the passage it cites ({cite(cited)}) names "
                               f"{other.text}.")
        return reasons

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
    def _closest(target: np.ndarray, numbers: list[int], windows: Windows,
                 singles_only: bool = False) -> tuple[int | None, float, str]:
        """(source number, cosine, window) of the window closest to the target among these sources."""
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
        number, score, window = best
        return number, max(score, 0.0), window


def _another_person(name: Fact, other: Fact) -> bool:
    """Same surname, but certainly someone else: another forename, or a title no one person has with the first
    ("Mrs Denise Harrowby" and "Mr Jason Harrowby"; not "Ms Chloe Brannigan" and "Ms Brannigan")."""
    words, others = name_tokens(name.key), name_tokens(other.key)
    if words[-1:] != others[-1:]:
        return False
    titles = name_title(name), name_title(other)
    return (None not in titles and not same_title(*titles)) or (len(words) > 1 < len(others) and words[0] != others[0])


def _excerpt(window: str) -> str:
    """A window as shown beside its sentence: at most EXCERPT_CHARS, cut at a word."""
    return window if len(window) <= EXCERPT_CHARS else window[:EXCERPT_CHARS].rsplit(" ", 1)[0] + " …"
