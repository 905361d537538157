"""Documents stored whose addition the audit log does not record yet, so a lost event is recorded later (issue 16).

Revision ID: 0012
Revises: 0011
"""
import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "unrecorded_additions",
        sa.Column("document_id", sa.Integer, sa.ForeignKey("documents.id"), primary_key=True),
    )


def downgrade() -> None:
    op.drop_table("unrecorded_additions")
