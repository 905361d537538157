"""The draft workflow: state folded from audit events, listings of statuses, review commands, evidence packs."""
