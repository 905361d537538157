"""Facts read from passages, stored once per passage text, model and extraction prompt.

- readings: one row per (passage_sha256, model_id, prompt_name, prompt_version)
  with the background worker's progress on it (pending, reading, done,
  failed), its claim and heartbeat, and where a passage with that text lies.
- facts: what one reading found, accepted or rejected with the reason.

Nothing is backfilled: documents already held are read when the worker is
next asked to (enqueueing skips every key that already has its facts).

Revision ID: 0005
Revises: 0004
"""
import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "readings",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("passage_sha256", sa.String(64), nullable=False),
        sa.Column("model_id", sa.String(200), nullable=False),
        sa.Column("prompt_name", sa.String(100), nullable=False),
        sa.Column("prompt_version", sa.String(40), nullable=False),
        sa.Column("status", sa.String(10), nullable=False, index=True),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("error", sa.Text),
        sa.Column("document_id", sa.Integer, sa.ForeignKey("documents.id")),
        sa.Column("chunk_id", sa.String(64)),
        sa.Column("claimed_by", sa.String(200)),
        sa.Column("claimed_at", sa.DateTime(timezone=True)),
        sa.Column("finished_at", sa.DateTime(timezone=True)),
        sa.Column("output_tokens", sa.Integer),
        sa.Column("seconds", sa.Float),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("passage_sha256", "model_id", "prompt_name", "prompt_version", name="uq_readings_key"),
    )
    op.create_table(
        "facts",
        sa.Column("reading_id", sa.Integer, sa.ForeignKey("readings.id"), primary_key=True),
        sa.Column("position", sa.Integer, primary_key=True),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("date", sa.String(80)),
        sa.Column("quote", sa.Text, nullable=False),
        sa.Column("start", sa.Integer, nullable=False),
        sa.Column("end", sa.Integer, nullable=False),
        sa.Column("wording", sa.Text),
        sa.Column("accepted", sa.Boolean, nullable=False),
        sa.Column("reason", sa.String(40)),
        sa.Column("detail", sa.Text, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("facts")
    op.drop_table("readings")
