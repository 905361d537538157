"""Drafting cited summaries with an LLM, checking their citations, and the service facade the UI calls."""
