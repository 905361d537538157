"""The benchmark's scoring rules: sentences, words, ROUGE, citations and unsourced facts."""
from __future__ import annotations

import pytest

from evals.metrics import citation_resolution, number_words, rouge_scores, share, unsourced_facts
from evals.text import content_words, dialogue_sentences, note_sentences, plain_text, strip_citations, word_count
from summariser.checks.facts import extract_facts

NOTE = """CHIEF COMPLAINT

Follow-up of chronic problems.

HISTORY OF PRESENT ILLNESS

Mrs. Christina Cooper is a 65-year-old female. She denies chest pain. She attempted to donate blood on 12/2019.
• Medical Treatment: Increase Lasix to 80 mg daily.
"""


def test_note_sentences_drop_headings_and_fragments_and_keep_titles_whole():
    assert note_sentences(NOTE) == [
        "Mrs. Christina Cooper is a 65-year-old female.",
        "She attempted to donate blood on 12/2019.",
        "Medical Treatment: Increase Lasix to 80 mg daily.",
    ]  # "Follow-up of chronic problems." and "She denies chest pain." have under 6 words


def test_dialogue_sentences_drop_speaker_tags():
    dialogue = "[doctor] hi , brian . how are you ?\n[patient] hi , good to see you ."
    assert dialogue_sentences(dialogue) == ["hi , brian .", "how are you ?", "hi , good to see you ."]


def test_citations_and_heading_marks_are_not_words():
    draft = "## Background\n- [1][2] Seen on 3 May [3-4].\n- Pain noted [12]."
    assert strip_citations("Seen on 3 May [3-4].") == "Seen on 3 May."
    assert plain_text(draft) == "Background\n- Seen on 3 May.\n- Pain noted."
    assert word_count(draft) == 7  # bullet dashes are not words


def test_content_words_are_stemmed_without_stop_words():
    assert content_words("The patient is running and he runs") == {"run"}


def test_rouge_is_one_for_the_reference_and_ignores_citations():
    reference = "The patient reports fatigue for five weeks."
    assert rouge_scores(reference, reference) == pytest.approx({"rouge1": 1, "rouge2": 1, "rougeL": 1})
    cited = "- [1] The patient reports fatigue for five weeks [2]."
    assert rouge_scores(cited, reference)["rouge2"] == pytest.approx(1)
    assert rouge_scores("Completely unrelated words here.", reference) == {"rouge1": 0, "rouge2": 0, "rougeL": 0}


def test_rouge_uses_stemming_and_f1():
    scores = rouge_scores("patients reporting", "patient reports fatigue today")
    # both words match after stemming: precision 2/2, recall 2/4, F1 = 2/3
    assert scores["rouge1"] == pytest.approx(2 / 3)


def test_citation_resolution_counts_every_occurrence_and_expands_ranges():
    assert citation_resolution("a [1] b [1][9] c [2-3]", [1, 2, 3]) == (4, 5)
    assert citation_resolution("no citations at all", [1]) == (0, 0)


def test_number_words():
    assert number_words(5) == {"five"}
    assert number_words(45) == {"forty five", "forty-five"}
    assert number_words(30) == {"thirty"}
    assert number_words(120) == set()


@pytest.mark.parametrize("output, unsourced", [
    ("He has had fatigue for 5 weeks.", []),                      # spoken "five weeks"
    ("Mrs. Cooper takes lisinopril 20 mg.", []),                   # a lower-case transcript still names her
    ("Brian White is 58 years old.", ["Brian White"]),              # the surname is said nowhere
    ("He takes lisinopril 40 mg [3].", ["40"]),                     # a changed dose; the citation is no fact
    ("Lasix was raised to 80 mg and 80 mg again.", []),
    ("Seen on 03/03/2021 and 04/03/2021.", ["04/03/2021"]),
    ("- [2][3] Not listed here: 13 more facts for this heading.", []),  # the tool's note, not a fact of the case
    ("- [2] Not listed here: 13 more mg of lasix.", ["13"]),  # a sentence only opening with the note's words
])
def test_unsourced_facts(output, unsourced):
    dialogue = ("[doctor] hi , brian , mrs. cooper said it's been about five weeks .\n"
                "[patient] i take lisinopril 20 mg , and my lasix went to 80 mg . i'm 58 , seen 03/03/2021 .")
    assert [f.text for f in unsourced_facts(output, dialogue, extract_facts)] == unsourced


def test_share():
    assert share(1, 4) == 0.25 and share(0, 0) is None
