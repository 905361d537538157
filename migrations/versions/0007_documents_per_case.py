"""A file's bytes are unique within a case, not across the whole service.

Before, one live copy of a file was allowed in the whole database, so a
housing officer who uploaded a letter an adult-social-care case already held
was told the other team's case and file name, and could not add it. Now each
case holds its own document for the same bytes; only the same case refuses a
second copy.

Revision ID: 0007
Revises: 0006
"""
import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

HELD = sa.text("erased_at IS NULL")


def upgrade() -> None:
    op.drop_index("uq_documents_sha256_held", table_name="documents")
    op.create_index("uq_documents_case_sha256_held", "documents", ["case_id", "sha256"], unique=True,
                    sqlite_where=HELD, postgresql_where=HELD)
    op.create_index("ix_documents_sha256", "documents", ["sha256"])


def downgrade() -> None:
    op.drop_index("ix_documents_sha256", table_name="documents")
    op.drop_index("uq_documents_case_sha256_held", table_name="documents")
    op.create_index("uq_documents_sha256_held", "documents", ["sha256"], unique=True,
                    sqlite_where=HELD, postgresql_where=HELD)
