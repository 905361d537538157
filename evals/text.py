"""Splitting notes and dialogues into sentences and words, the same way for every method.

The benchmark's figures depend on these rules (what counts as a sentence, a
word, a content word), so they live in one place and are unit-tested.
"""
from __future__ import annotations

import functools
import re

from summariser.text import BULLET, split_sentences as split_line, strip_citations

HEADING = re.compile(r"^[^a-z]*$")  # "HISTORY OF PRESENT ILLNESS": no lower-case letter at all
SPEAKER = re.compile(r"^\s*\[[a-z_ ]+\]\s*", re.IGNORECASE)  # "[doctor] " in ACI-Bench dialogues
MARKDOWN_HEADING = re.compile(r"^\s*#+\s*", re.MULTILINE)
WORD_TOKEN = re.compile(r"[A-Za-z0-9]+(?:['’-][A-Za-z0-9]+)*")  # "58-year-old" is one word; "," is none
WORD = re.compile(r"[a-z0-9]+")
STOPWORDS = frozenset("""a about above after again against all also am an and any are as at be because been before
being below between both but by can could did do does doing down during each few for from further had has have
having he her here hers herself him himself his how i if in into is it its itself just let me more most my myself
no nor not of off on once only or other our ours out over own per same she should so some such than that the their
theirs them themselves then there these they this those through to too under until up very was we were what when
where which while who whom why will with would you your yours patient patients""".split())


def plain_text(text: str) -> str:
    """Draft text as prose for scoring: citations and Markdown heading marks removed."""
    return MARKDOWN_HEADING.sub("", strip_citations(text)).strip()


def count_words(text: str) -> int:
    """Words, not punctuation: ACI-Bench dialogues write "hi , brian ." with spaces around commas."""
    return len(WORD_TOKEN.findall(text))


def word_count(text: str) -> int:
    """Words of a draft's prose (citations and heading marks left out)."""
    return count_words(plain_text(text))


def split_sentences(text: str) -> list[str]:
    """Sentences of prose, line by line (the toolkit's splitter); bullet marks are removed."""
    return [s for line in text.splitlines() for s in split_line(BULLET.sub("", line).strip())]


def note_sentences(note: str, min_words: int = 6) -> list[str]:
    """Candidate sentences of a reference note: headings (all capitals) and fragments under min_words dropped."""
    kept = []
    for line in note.splitlines():
        if not line.strip() or HEADING.match(line.strip()):
            continue
        kept.extend(s for s in split_sentences(line) if len(s.split()) >= min_words)
    return kept


def dialogue_sentences(dialogue: str) -> list[str]:
    """The dialogue's sentences in order, without speaker tags; ACI-Bench puts spaces before punctuation."""
    sentences = []
    for line in dialogue.splitlines():
        line = SPEAKER.sub("", line).strip()
        sentences.extend(s for s in split_line(line, lowercase_starts=True) if s.strip(" .?!,"))
    return sentences


@functools.lru_cache(maxsize=1)
def _stemmer():
    from nltk.stem.porter import PorterStemmer  # rouge-score's own dependency; it needs no data download
    return PorterStemmer()


def stem(word: str) -> str:
    return _stemmer().stem(word)


def content_words(text: str) -> set[str]:
    """Stemmed lower-case words that carry meaning (no stop words, no one-letter tokens)."""
    return {stem(w) for w in WORD.findall(text.lower()) if w not in STOPWORDS and len(w) > 1}
