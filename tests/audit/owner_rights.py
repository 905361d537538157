"""What someone with the database owner's rights can do that the app role cannot: switch the append-only guard off."""
from __future__ import annotations

import sqlalchemy as sa


def as_the_owner(engine, conn) -> None:
    """Disable (PostgreSQL) or drop (SQLite) the triggers that refuse UPDATE and DELETE on audit_events."""
    if engine.dialect.name == "postgresql":
        conn.execute(sa.text("ALTER TABLE audit_events DISABLE TRIGGER USER"))
    else:
        conn.execute(sa.text("DROP TRIGGER IF EXISTS audit_events_no_update"))
        conn.execute(sa.text("DROP TRIGGER IF EXISTS audit_events_no_delete"))
