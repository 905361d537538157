"""Signed audit events; a kept text erased only by the erasure event that names it.

- audit_events.key_id, audit_events.signature: the HMAC of each event's hash
  under a key the database does not hold (audit/signing.py). NULL for the
  events written before, which verify as before and are reported as unsigned.
- audit_contents: an UPDATE is allowed only as an erasure (as in 0003) and now
  only while the newest event is an erasure event naming the text's id, so
  erasing a text with SQL alone leaves a trace: an erasure event written
  without the key, which verify names as forged.
- PostgreSQL: audit_erase_contents(ids, at, actor, reason), SECURITY DEFINER,
  is the one way the app role erases texts (scripts/postgres-roles.sql takes
  its UPDATE on audit_contents away).

Revision ID: 0006
Revises: 0005
"""
import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

ERASE_ONLY = ("audit texts can only be erased (text and salt set to NULL, once), by the erasure event that "
              "names them; they cannot be changed or deleted")
ERASURE = ("OLD.erased_at IS NULL AND NEW.erased_at IS NOT NULL AND NEW.text IS NULL AND NEW.salt IS NULL "
           "AND NEW.id = OLD.id AND NEW.seq = OLD.seq")


def _named_by_newest_erasure(find: str) -> str:
    """SQL true when the newest event is an erasure whose payload names OLD.id (`find`: instr or strpos)."""
    return ("EXISTS (SELECT 1 FROM audit_events e WHERE e.seq = (SELECT MAX(seq) FROM audit_events) "
            "AND e.action IN ('contents_erased', 'person_erased') "
            f"AND {find}(e.payload, '\"' || OLD.id || '\"') > 0)")


def upgrade() -> None:
    op.add_column("audit_events", sa.Column("key_id", sa.String(40)))
    op.add_column("audit_events", sa.Column("signature", sa.String(64)))
    if op.get_context().dialect.name == "postgresql":
        op.execute(f"""
            CREATE OR REPLACE FUNCTION audit_contents_erase_only() RETURNS trigger AS $$
            BEGIN
                IF TG_OP = 'UPDATE' THEN
                    IF {ERASURE} AND {_named_by_newest_erasure('strpos')} THEN RETURN NEW; END IF;
                END IF;
                RAISE EXCEPTION '{ERASE_ONLY}';
            END; $$ LANGUAGE plpgsql""")
        op.execute("""
            CREATE FUNCTION audit_erase_contents(ids text[], at text, actor text, why text) RETURNS void AS $$
            BEGIN
                UPDATE audit_contents SET text = NULL, salt = NULL, erased_at = at, erased_by = actor, reason = why
                WHERE id = ANY(ids) AND erased_at IS NULL;
            END; $$ LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp""")
        op.execute("REVOKE ALL ON FUNCTION audit_erase_contents(text[], text, text, text) FROM PUBLIC")
    else:
        op.execute("DROP TRIGGER audit_contents_erase_only")
        op.execute(f"""CREATE TRIGGER audit_contents_erase_only BEFORE UPDATE ON audit_contents
                       WHEN NOT ({ERASURE} AND {_named_by_newest_erasure('instr')})
                       BEGIN SELECT RAISE(ABORT, '{ERASE_ONLY}'); END""")


def downgrade() -> None:
    raise NotImplementedError("The audit log's signatures are never dropped by a downgrade.")
