"""Screening a document for prompt injection: text addressed to an AI, or instructions that would change the
task of whoever (or whatever) reads it, before any of it reaches a draft.

Two detectors, either of which flags a sentence:

- **Rules**, for what no ordinary letter says: "ignore all previous instructions", a message to the AI or the
  summariser, prompt and chat-format tokens, requests to encode or scramble "your answer". Each rule is
  named, so an officer is told why a sentence was flagged.
- **A classifier** for the rest (a BIPIA attack can be as plain as a general-knowledge question): logistic
  regression on the bundled MiniLM sentence embeddings, trained by `evals/train_injection.py` on BIPIA attacks
  and examples written for this project, and stored as its weights in `injection_model.json` beside this
  module (nothing is downloaded or unpickled; the data card `injection_model.md` says what it was trained
  on and how it measured). Its threshold was chosen on held-out scores of ordinary text, so that
  an ordinary letter ("please ignore my previous letter", "call us if...") is not flagged.

A document is cut into sentences (and lines, since an injected line need not end with a full stop); every
sentence is scored, and the document is flagged when any sentence is. The screening is deterministic for a
text and a detector version, so it can be worked out again at any time and always agrees with itself.
"""
from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Sequence

import numpy as np

from summariser.text import sentence_spans

MODEL_FILE = Path(__file__).with_name("injection_model.json")
RULES_VERSION = "1"
MAX_UNIT_CHARS = 600  # a longer "sentence" (a table, a list without stops) is scored in pieces of this size
MIN_UNIT_WORDS = 3

_AI = (r"(?:A\.?I\.?|artificial intelligence|(?:large )?language models?|LLMs?|chat ?bots?|chat ?gpt|gpt-?\d\w*|"
       r"(?:AI|virtual|digital) assistants?|helpful assistant|AI (?:models?|systems?|tools?)|"
       r"summari[sz](?:er|ation (?:tool|model|system|software)|ing (?:tool|model|system|software)))")
RULES: tuple[tuple[str, re.Pattern], ...] = (
    ("ignores its instructions", re.compile(
        r"\b(?:ignore|disregard|forget|override|bypass)\s+(?:all\s+|any\s+)?(?:of\s+)?(?:(?:the|your|these|those)\s+)?"
        r"(?:(?:previous|prior|above|earlier|preceding|foregoing|system|original|initial|existing|other)\s+)"
        r"(?:instructions?|prompts?|rules|guidelines|directions|directives|commands|guardrails|context)\b|"
        r"\b(?:ignore|disregard|forget|override|bypass)\s+(?:all|any|your)\s+(?:instructions?|prompts?|rules|"
        r"guidelines|programming|guardrails)\b", re.IGNORECASE)),
    ("is addressed to an AI", re.compile(
        rf"\b(?:dear|hey|hello|attention|attn|note|message|instructions?|reminder)\s*(?:to|for|:|,)?\s+"
        rf"(?:the\s+|any\s+|all\s+|an?\s+)?{_AI}\b|"
        rf"\b(?:if|when|while)\s+you\s+are\s+(?:an?\s+|the\s+)?(?:{_AI}|summari[sz]ing|reading this as)\b|"
        rf"\byou\s+are\s+(?:now\s+)?(?:an?|the)\s+{_AI}\b|\bas\s+an?\s+(?:AI|language model|LLM)\b|"
        rf"\b(?:any|the|an?)\s+{_AI}\s+(?:reading|processing|summari[sz]ing|analy[sz]ing)\b", re.IGNORECASE)),
    ("uses prompt or chat-format words", re.compile(
        r"\b(?:system prompt|system message|prompt injection|jailbreak\w*|developer mode|DAN mode|"
        r"(?:end|begin|start) of (?:the )?(?:system |user )?(?:prompt|instructions))\b|"
        r"<\|?/?(?:system|im_start|im_end|instructions?|assistant)\|?>|\[/?INST\]|^#{2,}\s*(?:instruction|system)\b",
        re.IGNORECASE | re.MULTILINE)),
    ("tells the reader what to put in their answer", re.compile(
        r"^(?=.*\b(?:add|include|integrate|insert|append|incorporate|embed|mention|put|introduce|replace|use|"
        r"rearrange|remove|group|misspell|translate|promote|encourage|urge|advertis\w*|link\w*|direct|emphasi[sz]e|"
        r"highlight|recommend|suggest|modify|write|format|provide|give|end|begin|start)\b)"
        r"(?=.*\b(?:in|into|to|within|throughout|of|with)\s+(?:your|the)\s+(?:response|answer|reply|output|summary)\b)"
        r"(?!.*\b(?:reference|claim number|national insurance|NI number|name|date of birth|address|circumstances|"
        r"agree|payslips?|figures|form|evidence|documents?|letter|by \d)\b)", re.IGNORECASE)),
    ("asks to scramble the answer", re.compile(
        r"\b(?:your|the)\s+(?:response|answer|reply|output|summary)\b.{0,60}\b(?:anagram\w*|base64|morse|"
        r"pig latin|leetspeak|backwards|reversed?|misspell\w*|typos?)\b|"
        r"\b(?:anagram\w*|misspell\w*|encode|reverse|scramble|substitute|replace)\b.{0,60}\b(?:letters|vowels|"
        r"characters|words)\b.{0,40}\b(?:your|the)\s+(?:response|answer|reply|output|summary)\b",
        re.IGNORECASE)),
)


@dataclass(frozen=True)
class Finding:
    """One sentence that made a document flagged: where it is, the classifier's score, and the rules it broke."""
    start: int  # offsets in the document's text
    end: int
    text: str
    score: float  # the classifier's probability that the sentence is an injection (0 to 1)
    rules: tuple[str, ...] = ()

    def reasons(self, threshold: float) -> list[str]:
        """Why it was flagged, in plain English."""
        said = [f"it {rule}" for rule in self.rules]
        if self.score >= threshold:
            said.append(f"it reads like an instruction to an AI (score {self.score:.2f})")
        return said


@dataclass(frozen=True)
class Screening:
    """What screening one text found; `detector` names the rules' and the classifier's versions."""
    findings: tuple[Finding, ...]
    detector: str

    @property
    def flagged(self) -> bool:
        return bool(self.findings)


@dataclass(frozen=True)
class InjectionModel:
    """The classifier's weights, read from JSON: p = sigmoid(embedding · coef + intercept)."""
    coef: np.ndarray
    intercept: float
    threshold: float
    embedding_model: str
    sha256: str

    @classmethod
    def load(cls, path: Path = MODEL_FILE) -> InjectionModel:
        raw = Path(path).read_bytes()
        data = json.loads(raw)
        return cls(np.asarray(data["coef"], dtype=np.float32), float(data["intercept"]), float(data["threshold"]),
                   str(data["embedding_model"]), hashlib.sha256(raw).hexdigest())

    def probabilities(self, vectors) -> np.ndarray:
        vectors = np.asarray(vectors, dtype=np.float32).reshape(-1, self.coef.shape[0])
        return 1.0 / (1.0 + np.exp(-(vectors @ self.coef + self.intercept)))


# Where a line break ends a unit: a blank line, the end of a sentence or heading, or a list item, table row or
# speaker's turn starting on the next line. Other line breaks are hard wrapping inside one sentence.
BREAK = re.compile(r"\n[ \t]*(?=\n)|(?<=[.!?:;|])[ \t]*\n|\n(?=[ \t]*(?:[-*•|#>\[]|\d{1,3}[.)]\s))")


def units(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence of the text, its hard-wrapped lines read as one, each paragraph, list
    item or table row on its own (an injected paragraph need not end with a full stop), and pieces of a
    long one."""
    spans, begin = [], 0
    for cut in [m.end() for m in BREAK.finditer(text)] + [len(text)]:
        block, at = text[begin:cut].replace("\n", " "), begin  # same length: offsets stay the text's
        begin = cut
        for start, end in sentence_spans(block):
            start, end = at + start, at + end
            while end - start > MAX_UNIT_CHARS:
                piece = text.rfind(" ", start, start + MAX_UNIT_CHARS)
                piece = piece if piece > start else start + MAX_UNIT_CHARS
                spans.append((start, piece))
                start = piece + 1
            spans.append((start, end))
    return spans


def unit_text(text: str, start: int, end: int) -> str:
    """One unit as it is scored and shown: its white space, line breaks included, as single spaces."""
    return " ".join(text[start:end].split())


def scored(sentence: str) -> bool:
    """Whether the classifier is asked about a sentence: one of fewer words says too little to judge."""
    return len(re.findall(r"[^\W\d_]{2,}", sentence)) >= MIN_UNIT_WORDS


def rules_broken(sentence: str) -> tuple[str, ...]:
    return tuple(name for name, pattern in RULES if pattern.search(sentence))


class InjectionDetector:
    """Screens texts with the rules and the classifier; `embed` is the MiniLM embedder (a list of texts in,
    normalised vectors out), `model` the classifier (None: rules only)."""

    def __init__(self, embed: Callable[[list[str]], Sequence], model: InjectionModel | None = None):
        self.embed, self.model = embed, model

    @classmethod
    def bundled(cls, embed: Callable[[list[str]], Sequence]) -> InjectionDetector:
        return cls(embed, InjectionModel.load())

    @property
    def threshold(self) -> float:
        return self.model.threshold if self.model else float("inf")

    @property
    def version(self) -> str:
        model = f"classifier {self.model.sha256[:12]}" if self.model else "no classifier"
        return f"rules {RULES_VERSION}, {model}"

    def scores(self, sentences: list[str]) -> np.ndarray:
        """The classifier's probability for each sentence (zeros without a classifier)."""
        if self.model is None or not sentences:
            return np.zeros(len(sentences), dtype=np.float32)
        return self.model.probabilities(self.embed(sentences))

    def screen(self, text: str) -> Screening:
        return self.screen_many([text])[0]

    def screen_many(self, texts: Sequence[str]) -> list[Screening]:
        """Each text's screening, the sentences of all of them embedded in one batch."""
        spans = [units(text) for text in texts]
        sentences = [unit_text(text, s, e) for text, found in zip(texts, spans) for s, e in found
                     if scored(unit_text(text, s, e))]
        scores = iter(self.scores(sentences).tolist())
        screenings = []
        for text, found in zip(texts, spans):
            findings = []
            for start, end in found:
                sentence = unit_text(text, start, end)
                score, rules = (next(scores) if scored(sentence) else 0.0), rules_broken(sentence)
                if rules or score >= self.threshold:
                    findings.append(Finding(start, end, sentence, round(float(score), 4), rules))
            findings.sort(key=lambda f: (-len(f.rules), -f.score))
            screenings.append(Screening(tuple(findings), self.version))
        return screenings
