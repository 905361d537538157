"""Composing a draft from the case's accepted facts: the tool places and cites every fact, the model only
writes the opening overview.

Each fact was read from one passage and checked against it (summariser/reading), so a bullet that gives a
fact and cites the passages it came from is supported by construction. The template's `compose`
front-matter says which kinds of fact fill which heading; within a heading facts go in date order, and a
fact stated by several passages (the same letter filed twice, a decision repeated in a later note) is one
bullet citing all of them. The model is shown facts by id ("F3"), never passages, and its answer is
constrained to a JSON schema whose only citations are those ids; the tool turns them into source numbers.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from typing import Callable, Sequence

import numpy as np
from langchain_core.messages import HumanMessage, SystemMessage

from summariser.checks.facts import extract_facts
from summariser.checks.grounding import SPEAKER_TURN, source_kinds
from summariser.drafting.citations import Source
from summariser.drafting.llm import ChatModel
from summariser.drafting.templates import OVERVIEW, PromptTemplate
from summariser.reading.model import ReadFact, passage_sha256
from summariser.text import LEFT_OUT, NOTHING_RECORDED, cite, date_order

OVERVIEW_TEMPLATE = "draft_overview"
NOTHING = f"- {NOTHING_RECORDED}"
SAME_FACT = 0.9  # cosine similarity (MiniLM) above which two facts with the same dates and amounts are one
OVERVIEW_FACTS = 30  # facts the model is shown for the overview: the prompt stays small on a large case
OVERVIEW_SENTENCES = 2  # short: each costs 40 to 100 output tokens, at about ten a second on 2 cores
BULLETS_PER_HEADING = 6  # a draft an officer reads in a few minutes; the rest is named, not dropped silently
OVERVIEW_PRIORITY = ("decision", "deadline_or_right", "circumstance_or_vulnerability", "money", "request",
                     "contact_or_adjustment", "event", "other")


@dataclass(frozen=True)
class CaseFact:
    """One fact as a draft uses it: where it was read, and every source number that states it."""
    kind: str
    date: str | None
    text: str  # the wording, else the quote, on one line
    sources: tuple[int, ...]
    read_from: tuple[tuple[str, int, int], ...]  # (passage SHA-256, start, end) of each reading it merges



MARKDOWN_EMPHASIS = re.compile(r"\*\*|__")  # "**Date:** 12/05/2025" in a Markdown note is "Date: 12/05/2025"


def _one_line(text: str) -> str:
    """The text as one bullet's words: lines joined, without list marks, a list number in front or Markdown's
    bold marks."""
    text = MARKDOWN_EMPHASIS.sub("", text)
    joined = " ".join(re.sub(r"^\s*(?:[-*•|]\s*)+", "", line) for line in text.splitlines()).strip(" |")
    return " ".join(re.sub(r"^\d{1,2}[.)]\s+(?=\S)", "", joined).split())


# Text a fact may rest on that states nothing: a heading, a letterhead or a sign-off. The reading prompt asks
# the model to leave these out; a 1.5B model does not always, and a draft must not list them.
NOT_A_STATEMENT = re.compile(
    r"^(?:dear\b|yours (?:sincerely|faithfully)|kind regards|best wishes|many thanks)|:$|\bpage \d+ of \d+\b|"
    r"^\d{1,2}[.)]\s+[A-Z][\w ,'’&-]{0,60}\.?$", re.IGNORECASE)
FORM_LABEL = re.compile(r"(?:^|\s)[A-Z][\w'’ ]{0,30}:\s")  # "Case reference: ", "Claimant: ": a form's header line
# When one passage's text is read as facts of two kinds, the draft shows it once, under the kind an officer
# can least afford to miss.
KIND_PRIORITY = ("deadline_or_right", "money", "decision", "circumstance_or_vulnerability", "request",
                 "contact_or_adjustment", "event", "other")


def _a_title(text: str) -> bool:
    """A table's header row ("Outcome | Is it affected? | Notes": short cells) or, outside a table, a line in
    title case ("Kelderby Borough Council - Adult Social Care", "Period Weeks over the limit Weekly rate
    Overpaid"): what the text it rests on labels, not what it says. Only asked of text with no number and
    no closing full stop."""
    if "|" in text:
        cells = [c for c in (cell.strip() for cell in text.split("|")) if c]
        return len(cells) >= 2 and all(len(c.split()) <= 3 for c in cells)
    words = re.findall(r"[^\W\d_][\w'’-]*", text)
    return bool(words) and sum(w[0].isupper() for w in words) * 2 >= len(words)


def states_something(text: str) -> bool:
    """False for a heading or a greeting: a form of words that opens or closes a letter, a line ending in a
    colon, a numbered heading, a header of labelled fields, a table's header row, a letterhead in title case,
    or a few words with no number and no full stop."""
    text = text.strip()
    if NOT_A_STATEMENT.search(text) or len(FORM_LABEL.findall(text)) >= 2:
        return False
    if text.endswith((".", "!", "?", '"')) or any(c.isdigit() for c in text):
        return True
    return len(text.split()) >= 6 and not _a_title(" ".join(text.split()))


# In a transcript, a turn that only keeps the talk going ("[patient] sure .", "[doctor] okay .", "no .") or
# greets ("hi , brian . how are you ?") states nothing an officer needs as a bullet of its own.
FILLER_WORDS = frozenset("uh um er erm ah oh okay ok yeah yes yep no nope sure right alright all hmm mm mhm well so "
                         "and but".split())
GREETING = re.compile(r"^\W*(?:hi|hello|hey|good (?:morning|afternoon|evening)|nice to (?:see|meet)|"
                      r"(?:it's )?good to see|thank you|thanks|bye|goodbye)\b", re.IGNORECASE)
MIN_TURN_WORDS = 3  # words besides fillers a turn needs to be a bullet
GREETING_WORDS = 8  # a turn opening with a greeting and shorter than this is only the greeting


def says_something_in_turn(text: str) -> bool:
    """False for a transcript's turn that only keeps the talk going or greets: fewer than MIN_TURN_WORDS words
    besides fillers and no number, or a short greeting. Speaker tags are not counted as words."""
    spoken = SPEAKER_TURN.sub(" ", text)
    if any(c.isdigit() for c in spoken):
        return True
    words = re.findall(r"[^\W\d_][\w'’]*", spoken.lower())
    if len([w for w in words if w not in FILLER_WORDS]) < MIN_TURN_WORDS:
        return False
    return not (GREETING.match(spoken.strip()) and len(words) < GREETING_WORDS)


def _finest(facts: list[tuple[ReadFact, str]]) -> list[tuple[ReadFact, str]]:
    """One passage's facts with each piece of its text shown once: of facts resting on the same text, the one of
    the highest-priority kind; a fact whose text is all within others' (a span of two sentences each listed
    on their own) is left out, and so is one within a longer fact that stays."""
    rank = {kind: i for i, kind in enumerate(KIND_PRIORITY)}
    best: dict[tuple[int, int], tuple[ReadFact, str]] = {}
    for fact, text in facts:
        span = (fact.start, fact.end)
        if span not in best or rank[fact.kind] < rank[best[span][0].kind]:
            best[span] = (fact, text)
    kept = []
    for (start, end), pair in best.items():
        inner = sorted(s for s in best if s != (start, end) and start <= s[0] and s[1] <= end)
        covered, at = False, start
        for s, e in inner:
            if s > at + 2:  # a gap (more than the space between two sentences) is text no other fact shows
                break
            at = max(at, e)
        else:
            covered = bool(inner) and at >= end - 2
        if not covered:
            kept.append(pair)
    spans = [(f.start, f.end) for f, _ in kept]  # what is left inside a longer kept fact is shown by that one
    kept = [(f, t) for f, t in kept
            if not any(s <= f.start and f.end <= e and (s, e) != (f.start, f.end) for s, e in spans)]
    return sorted(kept, key=lambda pair: pair[0].start)


def case_facts(sources: Sequence[Source], facts_by_passage: dict[str, list[ReadFact]]) -> list[CaseFact]:
    """The accepted facts of these sources that state something, in source order; a passage text held twice
    gives its facts once, citing both sources, and a passage's text is shown once however it was read."""
    numbers: dict[str, list[int]] = {}
    for source in sources:
        numbers.setdefault(passage_sha256(source.text), []).append(source.number)
    kinds = source_kinds(list(sources))
    found = []
    for sha, cited in numbers.items():
        spoken = kinds.get(cited[0]) == "transcript"
        stated = [(f, _one_line(f.wording or f.quote)) for f in facts_by_passage.get(sha, [])
                  if f.accepted and states_something(" ".join(f.quote.split()))
                  and (not spoken or says_something_in_turn(f.quote))]
        for fact, text in _finest(stated):
            found.append(CaseFact(fact.kind, fact.date, text, tuple(cited), ((sha, fact.start, fact.end),)))
    return found


def merge_duplicates(facts: list[CaseFact], embed: Callable[[list[str]], Sequence]) -> list[CaseFact]:
    """Facts from different passages that say the same thing (embeddings close, and the same dates, amounts,
    names and identifiers), or the same words anywhere, become one fact citing every passage; the first keeps
    its place and kind."""
    if len(facts) < 2:
        return list(facts)
    vectors = np.asarray(embed([f.text for f in facts]), dtype=np.float32)
    vectors /= np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-9)
    similar = vectors @ vectors.T
    details = [{(f.kind, f.key) for f in extract_facts(fact.text)} for fact in facts]
    merged: list[CaseFact | None] = list(facts)
    for i in range(len(facts)):
        if merged[i] is None:
            continue
        for j in range(i + 1, len(facts)):
            other = merged[j]
            if other is None:
                continue
            if other.text == facts[i].text or (not set(other.sources) & set(facts[i].sources)
                                               and similar[i, j] >= SAME_FACT and details[i] == details[j]):
                keep = merged[i]
                merged[i] = CaseFact(keep.kind, keep.date or other.date, keep.text,
                                     tuple(sorted(set(keep.sources) | set(other.sources))),
                                     keep.read_from + other.read_from)
                merged[j] = None
    return [f for f in merged if f is not None]


def select(facts: list[CaseFact], limit: int = BULLETS_PER_HEADING) -> tuple[list[CaseFact], list[CaseFact]]:
    """(shown, left out) of one heading's facts, given in date order and kept in it. Past the limit, an officer
    can least afford to miss the kinds first in KIND_PRIORITY, then what more passages state, then the most
    recent; undated facts count as the oldest."""
    if len(facts) <= limit:
        return list(facts), []
    rank = {kind: i for i, kind in enumerate(KIND_PRIORITY)}
    recency = [i if date_order(f.date)[0] == 0 else -1 for i, f in enumerate(facts)]
    order = sorted(range(len(facts)), key=lambda i: (rank[facts[i].kind], -len(facts[i].sources), -recency[i]))
    kept = set(order[:limit])
    return [f for i, f in enumerate(facts) if i in kept], [f for i, f in enumerate(facts) if i not in kept]


def left_out_line(facts: list[CaseFact]) -> str:
    """The tool's note of facts a heading does not list, so the draft never drops a fact silently."""
    sources = sorted({n for f in facts for n in f.sources})
    return f"- {cite(sources)} {LEFT_OUT} {len(facts)} more {'fact' if len(facts) == 1 else 'facts'} for this heading."


def overview_schema(fact_ids: list[str]) -> dict:
    """The overview's answer: a few sentences, each citing only ids of facts it was given."""
    sentence = {"type": "object", "additionalProperties": False, "required": ["text", "facts"],
                "properties": {"text": {"type": "string"},
                               "facts": {"type": "array", "items": {"type": "string", "enum": fact_ids},
                                         "minItems": 1, "maxItems": 3}}}
    return {"type": "object", "additionalProperties": False, "required": ["sentences"],
            "properties": {"sentences": {"type": "array", "items": sentence, "maxItems": OVERVIEW_SENTENCES}}}


@dataclass
class Composition:
    """A composed draft: its text, which part of it the model wrote, and what it rests on."""
    text: str
    model_text: str = ""  # the overview sentences as placed in the draft ("AI draft" means this text)
    facts: list[CaseFact] = field(default_factory=list)
    steps: list[dict] = field(default_factory=list)
    left_out: list[CaseFact] = field(default_factory=list)  # facts named only by a heading's "Not listed here"


class Composer:
    """Builds drafts from facts; `chat` writes the overview (None: a draft of facts only)."""

    def __init__(self, chat: ChatModel | None, overview_template: PromptTemplate,
                 embed: Callable[[list[str]], Sequence], on_stage: Callable[[str], None] | None = None):
        self.chat, self.overview_template, self.embed = chat, overview_template, embed
        self.on_stage = on_stage or (lambda _s: None)

    def compose(self, template: PromptTemplate, case_reference: str, person_name: str, case_type: str,
                sources: Sequence[Source], facts_by_passage: dict[str, list[ReadFact]]) -> Composition:
        facts = merge_duplicates(case_facts(sources, facts_by_passage), self.embed)
        placed = {kind: heading for heading, kinds in template.compose for kind in kinds}
        by_heading: dict[str, list[CaseFact]] = {heading: [] for heading in template.sections}
        for fact in sorted(facts, key=lambda f: date_order(f.date)):  # stable: undated facts keep source order
            by_heading[placed[fact.kind]].append(fact)
        overview, steps = self._overview(facts, case_reference, person_name, case_type)
        parts, not_listed = [], []
        for heading in template.sections:
            lines = [f"- {sentence}" for sentence in overview] if OVERVIEW in dict(template.compose)[heading] \
                else []
            shown, left_out = select(by_heading[heading])
            lines += [f"- {cite(f.sources)} {f.text}" for f in shown]
            lines += [left_out_line(left_out)] if left_out else []
            not_listed += left_out
            parts.append(f"## {heading}\n" + ("\n".join(lines) if lines else NOTHING))
        return Composition("\n\n".join(parts), "\n".join(overview), facts, steps, not_listed)

    def _overview(self, facts: list[CaseFact], case_reference: str, person_name: str,
                  case_type: str) -> tuple[list[str], list[dict]]:
        """The model's opening sentences, each ending with the source numbers of the facts it cites."""
        if self.chat is None or not facts:
            return [], []
        self.on_stage("Writing the overview")
        rank = {kind: i for i, kind in enumerate(OVERVIEW_PRIORITY)}
        shown = sorted(sorted(facts, key=lambda f: rank[f.kind])[:OVERVIEW_FACTS],
                       key=lambda f: date_order(f.date))
        ids = {f"F{n}": fact for n, fact in enumerate(shown, 1)}
        listed = "\n".join(f"{fact_id}: {fact.text[:300]}" for fact_id, fact in ids.items())
        system, user = self.overview_template.render(case_reference=case_reference, person_name=person_name,
                                                     case_type=case_type, facts=listed)
        answer = self.chat.structured([SystemMessage(system), HumanMessage(user)], overview_schema(list(ids)),
                                      max_tokens=120 * OVERVIEW_SENTENCES, name="overview",
                                      on_reading=lambda _done, _total: self.on_stage("Writing the overview"))
        sentences = []
        for item in (answer.data or {}).get("sentences", []) if isinstance(answer.data, dict) else []:
            text = " ".join(str(item.get("text", "")).split()).rstrip(".")
            cited = sorted({n for fact_id in item.get("facts", []) if fact_id in ids for n in ids[fact_id].sources})
            if text and cited:
                sentences.append(f"{text} {cite(cited)}.")
        step = {"kind": "overview", "template": self.overview_template.name,
                "rendered_prompt_sha256": hashlib.sha256(f"{system}\n\n{user}".encode()).hexdigest(),
                "prompt_tokens": self.chat.count_tokens(system + user), "output_tokens": answer.output_tokens,
                "facts_shown": len(ids), "sentences_written": len(sentences)}
        return sentences, [step]
