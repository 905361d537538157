"""Records management: erasable audit texts, legal holds, erased persons and documents.

- audit_contents: the personal texts of audit events, kept outside the chained
  table so they can be erased (see audit/log.py). The database refuses DELETE
  and every UPDATE except an erasure (text and salt to NULL, once).
- legal_holds: a hold on a person, or on one of their cases, blocks erasure.
- persons.erased_at, documents.erased_at: erased records stay as tombstones.
- documents.sha256 is unique only among documents not erased, so a file that
  was erased can be added again later.

Revision ID: 0003
Revises: 0002
"""
import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

ERASE_ONLY = ("audit texts can only be erased (text and salt set to NULL, once); "
              "they cannot be changed or deleted")


def upgrade() -> None:
    op.create_table(
        "audit_contents",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("seq", sa.BigInteger, nullable=False, index=True),  # the event holding it: read in seq order
        sa.Column("salt", sa.String(32)),
        sa.Column("text", sa.Text),
        sa.Column("erased_at", sa.String(40)),
        sa.Column("erased_by", sa.String(120)),
        sa.Column("reason", sa.Text),
    )
    op.create_table(
        "legal_holds",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("person_id", sa.Integer, sa.ForeignKey("persons.id"), nullable=False, index=True),
        sa.Column("case_id", sa.Integer, sa.ForeignKey("cases.id")),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("set_by", sa.String(120), nullable=False),
        sa.Column("set_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.add_column("persons", sa.Column("erased_at", sa.DateTime(timezone=True)))
    postgres = op.get_context().dialect.name == "postgresql"
    if postgres:
        op.add_column("documents", sa.Column("erased_at", sa.DateTime(timezone=True)))
        op.drop_constraint("documents_sha256_key", "documents", type_="unique")
    else:  # SQLite cannot drop a constraint in place: the table is rebuilt, the unnamed UNIQUE given a name first
        with op.batch_alter_table("documents", recreate="always",
                                  naming_convention={"uq": "uq_%(table_name)s_%(column_0_name)s"}) as batch:
            batch.add_column(sa.Column("erased_at", sa.DateTime(timezone=True)))
            batch.drop_constraint("uq_documents_sha256", type_="unique")
    op.create_index("uq_documents_sha256_held", "documents", ["sha256"], unique=True,
                    sqlite_where=sa.text("erased_at IS NULL"), postgresql_where=sa.text("erased_at IS NULL"))

    erasure = ("OLD.erased_at IS NULL AND NEW.erased_at IS NOT NULL AND NEW.text IS NULL AND NEW.salt IS NULL "
               "AND NEW.id = OLD.id AND NEW.seq = OLD.seq")
    if postgres:
        op.execute(f"""
            CREATE FUNCTION audit_contents_erase_only() RETURNS trigger AS $$
            BEGIN
                IF TG_OP = 'UPDATE' THEN
                    IF {erasure} THEN RETURN NEW; END IF;
                END IF;
                RAISE EXCEPTION '{ERASE_ONLY}';
            END; $$ LANGUAGE plpgsql""")
        op.execute("""CREATE TRIGGER audit_contents_erase_only BEFORE UPDATE OR DELETE ON audit_contents
                      FOR EACH ROW EXECUTE FUNCTION audit_contents_erase_only()""")
        op.execute("""CREATE TRIGGER audit_contents_no_truncate BEFORE TRUNCATE ON audit_contents
                      FOR EACH STATEMENT EXECUTE FUNCTION audit_contents_erase_only()""")
    else:
        op.execute(f"""CREATE TRIGGER audit_contents_no_delete BEFORE DELETE ON audit_contents
                       BEGIN SELECT RAISE(ABORT, '{ERASE_ONLY}'); END""")
        op.execute(f"""CREATE TRIGGER audit_contents_erase_only BEFORE UPDATE ON audit_contents
                       WHEN NOT ({erasure})
                       BEGIN SELECT RAISE(ABORT, '{ERASE_ONLY}'); END""")


def downgrade() -> None:
    raise NotImplementedError("The audit log's texts are never dropped by a downgrade.")
