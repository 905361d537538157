"""The two baselines our pipeline is compared with, on the same model and the same dialogues.

- naive: one call to the same chat model with a bare "summarise this" prompt; no retrieval, no
  template, no citations. It shows what the pipeline adds (or costs) over simply asking the model.
- extractive: the dialogue's lead sentences, up to the reference notes' median length in words.
  It needs no model and shows how much of ROUGE mere word overlap with the dialogue earns.
"""
from __future__ import annotations

import statistics

from langchain_core.messages import HumanMessage

from evals.text import count_words, dialogue_sentences
from summariser.drafting.llm import ChatModel

NAIVE_PROMPT = "Summarise this clinical conversation as a clinical note:\n\n{dialogue}"


def naive_summary(chat: ChatModel, dialogue: str) -> str:
    return chat.stream([HumanMessage(NAIVE_PROMPT.format(dialogue=dialogue))]).strip()


def target_words(notes: list[str]) -> int:
    """The extractive baseline's length: the median word count of the reference notes given."""
    return round(statistics.median(count_words(note) for note in notes)) if notes else 0


def lead_summary(dialogue: str, words: int) -> tuple[str, int]:
    """(the first k dialogue sentences, k), with k the fewest sentences that reach `words` words."""
    chosen, count = [], 0
    for sentence in dialogue_sentences(dialogue):
        if count >= words:
            break
        chosen.append(sentence)
        count += count_words(sentence)
    return "\n".join(chosen), len(chosen)
