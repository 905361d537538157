"""The quality benchmark: figures for every change to prompts, models or retrieval.

`python -m evals.run` drafts ACI-Bench dialogues through the real pipeline and
compares it with a naive prompt and an extractive baseline; `python -m
evals.checker` measures the grounding checker itself on controlled corruptions.
See evals/README.md.
"""
