"""The listings' status table: where each draft and case stands, written with each event (docs/decisions/0010).

- draft_statuses: one row per draft (its case, team, who drafted it, its own
  status and its status as listed, first and newest event, sign-off tier,
  approval, second check).
- case_statuses: one row per case with events (its summary as the case list
  shows it, its drafts, drafts waiting for a decision, newest event).
- status_head: the event the table has taken in up to.

On a database that already holds events the table is filled here, by folding
the chain as the app does (``audit.status_table.fold_chain``). Should that
ever fail to import, the app still fills it: an append that finds the table
behind the log takes the missing events in (or folds the whole chain) first.

Revision ID: 0008
Revises: 0007
"""
import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "draft_statuses",
        sa.Column("draft_id", sa.String(32), primary_key=True),
        sa.Column("case_reference", sa.String(64)),
        sa.Column("team", sa.String(64)),
        sa.Column("requested_by", sa.String(120), nullable=False),
        sa.Column("own_status", sa.String(12), nullable=False),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("drafted_seq", sa.BigInteger, nullable=False),
        sa.Column("drafted_at", sa.String(40), nullable=False),
        sa.Column("last_seq", sa.BigInteger, nullable=False),
        sa.Column("last_at", sa.String(40), nullable=False),
        sa.Column("sign_off_tier", sa.String(20), nullable=False),
        sa.Column("first_approval_seq", sa.BigInteger),
        sa.Column("approval_seq", sa.BigInteger),
        sa.Column("update_of", sa.String(32)),
        sa.Column("second_checked", sa.Boolean, nullable=False),
        sa.Column("second_check_due", sa.Boolean, nullable=False),
    )
    op.create_index("ix_draft_statuses_case_reference", "draft_statuses", ["case_reference"])
    op.create_index("ix_draft_statuses_status", "draft_statuses", ["status"])
    op.create_index("ix_draft_statuses_second_check_due", "draft_statuses", ["second_check_due"])
    op.create_table(
        "case_statuses",
        sa.Column("case_reference", sa.String(64), primary_key=True),
        sa.Column("team", sa.String(64)),
        sa.Column("summary_status", sa.String(12), nullable=False),
        sa.Column("drafts", sa.Integer, nullable=False),
        sa.Column("undecided", sa.Integer, nullable=False),
        sa.Column("last_seq", sa.BigInteger, nullable=False),
        sa.Column("last_at", sa.String(40), nullable=False),
        sa.Column("last_added_seq", sa.BigInteger),
    )
    op.create_table(
        "status_head",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("seq", sa.BigInteger, nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
    )
    from audit.status_table import fold_chain, write_all
    connection = op.get_bind()
    write_all(connection, fold_chain(connection))


def downgrade() -> None:
    for table in ("status_head", "case_statuses", "draft_statuses"):
        op.drop_table(table)
