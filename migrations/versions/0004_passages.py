"""Passages: the spans (page, character offsets) each document was cut into, stored at ingest.

Documents held before this migration get the spans they were indexed with:
the chunker with the settings every document was indexed with until now (its
defaults, 900 characters with 120 of overlap), so the chunk ids recorded in
existing drafts keep resolving. Erased documents have no text and get none.
The backfill reads the documents in batches, so a large caseload is never held
in memory whole.

Revision ID: 0004
Revises: 0003
"""
import json

import sqlalchemy as sa
from alembic import op

from retrieval.ingest.chunking import passage_spans
from retrieval.ingest.loaders import Page

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

INDEXED_WITH = dict(chunk_chars=900, overlap=120)
BATCH = 200

documents = sa.table("documents", sa.column("id", sa.Integer), sa.column("sha256", sa.String),
                     sa.column("text", sa.Text), sa.column("pages", sa.Text), sa.column("erased_at", sa.DateTime))


def upgrade() -> None:
    passages = op.create_table(
        "passages",
        sa.Column("document_id", sa.Integer, sa.ForeignKey("documents.id"), primary_key=True),
        sa.Column("chunk_id", sa.String(64), primary_key=True),
        sa.Column("page", sa.Integer, nullable=False),
        sa.Column("start", sa.Integer, nullable=False),
        sa.Column("end", sa.Integer, nullable=False),
    )
    conn = op.get_bind()
    held = [row.id for row in conn.execute(sa.select(documents.c.id).where(documents.c.erased_at.is_(None))
                                           .order_by(documents.c.id))]
    for first in range(0, len(held), BATCH):
        rows = conn.execute(sa.select(documents.c.id, documents.c.sha256, documents.c.text, documents.c.pages)
                            .where(documents.c.id.in_(held[first:first + BATCH]))).all()
        values = [dict(document_id=row.id, chunk_id=span.id, page=span.page, start=span.start, end=span.end)
                  for row in rows
                  for span in passage_spans(row.sha256, row.text, [Page(*p) for p in json.loads(row.pages)],
                                            **INDEXED_WITH)]
        if values:
            conn.execute(passages.insert(), values)


def downgrade() -> None:
    op.drop_table("passages")
