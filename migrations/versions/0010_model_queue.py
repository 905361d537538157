"""Turns at the drafting model shared by every app instance on this database (issue 16).

Revision ID: 0010
Revises: 0009
"""
import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "model_queue_tickets",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("queue", sa.String(300), nullable=False),
        sa.Column("holder", sa.String(200), nullable=False),
        sa.Column("held", sa.Boolean, nullable=False),
        sa.Column("entered_s", sa.Float, nullable=False),
        sa.Column("heartbeat_s", sa.Float, nullable=False),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_model_queue_tickets_queue_id", "model_queue_tickets", ["queue", "id"])


def downgrade() -> None:
    op.drop_index("ix_model_queue_tickets_queue_id", table_name="model_queue_tickets")
    op.drop_table("model_queue_tickets")
