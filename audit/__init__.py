"""The append-only, hash-chained audit log: chain, kept texts, typed events, queries, verification, exports."""
