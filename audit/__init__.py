"""The append-only, hash-chained audit log and the human review of drafts."""
