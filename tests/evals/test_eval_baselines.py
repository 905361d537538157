"""The baselines: the naive prompt sent to the same chat model, and the lead-sentences extract."""
from __future__ import annotations

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage
from langchain_core.outputs import ChatGeneration, ChatResult

from evals.baselines import NAIVE_PROMPT, lead_summary, naive_summary, target_words
from summariser.drafting.llm import ChatModel

DIALOGUE = ("[doctor] hi , brian . how are you ?\n"
            "[patient] i feel tired . it started in march .\n"
            "[doctor] okay . any chest pain ?\n")


class EchoChat(BaseChatModel):
    """A fake chat model that answers with the prompt it was given, so the test sees what was sent."""

    @property
    def _llm_type(self) -> str:
        return "echo"

    def _generate(self, messages, stop=None, run_manager=None, **kwargs):
        sent = "\n---\n".join(f"{m.type}: {m.content}" for m in messages)
        return ChatResult(generations=[ChatGeneration(message=AIMessage(content=f"  {sent}  "))])


def test_naive_summary_is_one_plain_request_with_the_whole_dialogue():
    answer = naive_summary(ChatModel(EchoChat(), "fake", "echo", 4096, {}), DIALOGUE)
    assert answer == ("human: " + NAIVE_PROMPT.format(dialogue=DIALOGUE)).strip()  # one human message, no system
    assert answer.startswith("human: Summarise this clinical conversation as a clinical note:\n\n[doctor] hi")


def test_lead_summary_takes_the_fewest_first_sentences_that_reach_the_length():
    text, count = lead_summary(DIALOGUE, 6)
    assert (text, count) == ("hi , brian .\nhow are you ?\ni feel tired .", 3)  # 2 + 3 words, then 3 more reach 6
    assert lead_summary(DIALOGUE, 1) == ("hi , brian .", 1)
    everything, total = lead_summary(DIALOGUE, 10_000)
    assert total == 6 and "[doctor]" not in everything


def test_target_words_is_the_median_note_length():
    assert target_words(["one two", "one , two - three four .", "a b c d e f g h i j"]) == 4
    assert target_words([]) == 0
