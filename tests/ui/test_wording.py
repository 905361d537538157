"""Text from models and documents shown without live markup, and the words every page uses for counts, models
and durations."""
from __future__ import annotations

import pytest
from markdown_it import MarkdownIt

from ui.common import changed, duration, model_name, plural, safe_markdown

RENDER = MarkdownIt("commonmark").render  # links, images and HTML as Streamlit's renderer acts on them


@pytest.mark.parametrize("hostile", [
    "Call us [now](https://evil.example/pay) about it [1].",
    "![tracker](https://evil.example/pixel.png) The letter of 02/04/2025 [2].",
    "<img src=x onerror=alert(1)> The overpayment [1].",
    "See https://evil.example/login and www.evil.example for details [3].",
    "A **bold** claim with $x^2$ and :red[colour] [1].",
])
def test_model_and_document_text_has_no_live_link_image_or_html(hostile):
    escaped = safe_markdown(hostile)
    shown = RENDER(escaped)
    assert "<a " not in shown and "<img" not in shown and "<strong>" not in shown
    assert "The" in shown or "Call" in shown or "See" in shown or "A " in shown  # the words are kept, as typed
    assert "https://" not in escaped and "www." not in escaped  # nor can a bare address become a link (autolinks)


def test_headings_and_bullets_of_a_draft_keep_their_shape():
    draft = "## Money\n- The overpayment of £1,203.40 [1].\n1. First point [2]."
    shown = RENDER(safe_markdown(draft))
    assert "<h2>Money</h2>" in shown and "<li>The overpayment of £1,203.40 [1].</li>" in shown
    assert "<ol>" in shown


@pytest.mark.parametrize("count, word, many, expected", [
    (1, "sentence", None, "1 sentence"), (3, "sentence", None, "3 sentences"), (0, "draft", None, "0 drafts"),
    (2, "person", "people", "2 people"), (1200, "event", None, "1,200 events")])
def test_counts_read_as_plain_english(count, word, many, expected):
    assert plural(count, word, many) == expected


@pytest.mark.parametrize("file, expected", [
    ("qwen2.5-coder-1.5b-instruct-q4_k_m.gguf", "Qwen 2.5 (1.5B)"),
    ("/models/SmolLM2-135M-Instruct.Q4_1.gguf", "Smollm 2 (135M)"),
    ("gpt-4o-mini", "gpt-4o-mini"), (None, "")])
def test_models_are_named_as_people_read_them(file, expected):
    assert model_name(file) == expected


@pytest.mark.parametrize("hours, expected", [
    (0.001, "less than a minute"), (0.75, "45 min"), (2.25, "2 h 15 min"), (3, "3 h"), (76, "3 days 4 h"),
    (None, "-")])
def test_durations_read_in_hours_and_minutes(hours, expected):
    assert duration(hours) == expected


def test_how_much_was_changed_reads_as_a_share():
    assert changed(0.123) == "12% changed" and changed(None) == "-"
