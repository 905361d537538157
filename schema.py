"""Every table, on one MetaData: the schema the Alembic migrations must produce.

Each table is read and written only by the module named above it. Alembic's
``target_metadata`` points here, and a test compares a migrated database with
it, so the migrations and this declaration cannot drift apart.
"""
import sqlalchemy as sa

metadata = sa.MetaData()

# Case records (retrieval/records/store.py)

persons = sa.Table(
    "persons", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("reference", sa.String(64), nullable=False, unique=True),
    sa.Column("full_name", sa.String(200), nullable=False),
    sa.Column("date_of_birth", sa.String(10)),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("erased_at", sa.DateTime(timezone=True)),
)

cases = sa.Table(
    "cases", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("reference", sa.String(64), nullable=False, unique=True),
    sa.Column("person_id", sa.Integer, sa.ForeignKey("persons.id"), nullable=False, index=True),
    sa.Column("team", sa.String(64), nullable=False, index=True),
    sa.Column("case_type", sa.String(64), nullable=False),
    sa.Column("officer", sa.String(120)),
    sa.Column("title", sa.String(300), nullable=False),
    sa.Column("opened_on", sa.String(10)),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
)

documents = sa.Table(
    "documents", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("case_id", sa.Integer, sa.ForeignKey("cases.id"), nullable=False, index=True),
    sa.Column("sha256", sa.String(64), nullable=False),
    sa.Column("filename", sa.String(300), nullable=False),
    sa.Column("kind", sa.String(10), nullable=False),
    sa.Column("size", sa.Integer, nullable=False),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("pages", sa.Text, nullable=False),
    sa.Column("meta", sa.Text, nullable=False),
    sa.Column("added_by", sa.String(120), nullable=False),
    sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("erased_at", sa.DateTime(timezone=True)),
    # one live copy of a file per case (another team's case holds its own); an erased one may be added again
    sa.Index("uq_documents_case_sha256_held", "case_id", "sha256", unique=True,
             sqlite_where=sa.text("erased_at IS NULL"), postgresql_where=sa.text("erased_at IS NULL")),
    sa.Index("ix_documents_sha256", "sha256"),
)

# Documents stored whose `documents_added` event the audit log does not hold yet (retrieval/records/store.py): the
# mark is written in the transaction that stores the document and deleted in the one that appends its event
# (summariser/services/additions.py), so a process stopped between the two leaves it for the recovery to find.
# Whoever deletes a mark records the addition: the database decides, so it is recorded once.

unrecorded_additions = sa.Table(
    "unrecorded_additions", metadata,
    sa.Column("document_id", sa.Integer, sa.ForeignKey("documents.id"), primary_key=True),
)

legal_holds = sa.Table(
    "legal_holds", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("person_id", sa.Integer, sa.ForeignKey("persons.id"), nullable=False, index=True),
    sa.Column("case_id", sa.Integer, sa.ForeignKey("cases.id")),  # NULL: the hold covers the whole person
    sa.Column("reason", sa.Text, nullable=False),
    sa.Column("set_by", sa.String(120), nullable=False),
    sa.Column("set_at", sa.DateTime(timezone=True), nullable=False),
)

# Accounts (retrieval/records/accounts.py)

accounts = sa.Table(
    "accounts", metadata,
    sa.Column("username", sa.String(120), primary_key=True),
    sa.Column("full_name", sa.String(200), nullable=False),
    sa.Column("role", sa.String(20), nullable=False),
    sa.Column("team", sa.String(64), nullable=False),
    sa.Column("password_hash", sa.String(200), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
)

# The audit log (audit/): events are chained; their personal texts are kept apart so they can be erased

audit_events = sa.Table(
    "audit_events", metadata,
    sa.Column("seq", sa.BigInteger, primary_key=True, autoincrement=False),
    sa.Column("recorded_at", sa.String(40), nullable=False),
    sa.Column("actor", sa.String(120), nullable=False),
    sa.Column("action", sa.String(40), nullable=False, index=True),
    sa.Column("case_reference", sa.String(64), index=True),
    sa.Column("draft_id", sa.String(32), index=True),
    sa.Column("payload", sa.Text, nullable=False),
    sa.Column("prev_hash", sa.String(64), nullable=False),
    sa.Column("hash", sa.String(64), nullable=False, unique=True),
    # issue 13: HMAC-SHA256 of the hash under a key the database does not hold (audit/signing.py); NULL on
    # events written before signing began
    sa.Column("key_id", sa.String(40)),
    sa.Column("signature", sa.String(64)),
)

audit_contents = sa.Table(
    "audit_contents", metadata,
    sa.Column("id", sa.String(64), primary_key=True),  # sha256(salt + text), the reference in the payload
    sa.Column("seq", sa.BigInteger, nullable=False, index=True),  # the event that holds it, so reading is a range scan
    sa.Column("salt", sa.String(32)),
    sa.Column("text", sa.Text),
    sa.Column("erased_at", sa.String(40)),
    sa.Column("erased_by", sa.String(120)),
    sa.Column("reason", sa.Text),
)

# The listings' status table (audit/status_table.py): where each draft and case stands, folded from the events
# above and written in the same transaction as each one; a cache of the chain that verify checks, never the truth

draft_statuses = sa.Table(
    "draft_statuses", metadata,
    sa.Column("draft_id", sa.String(32), primary_key=True),
    sa.Column("case_reference", sa.String(64), index=True),
    sa.Column("team", sa.String(64)),
    sa.Column("requested_by", sa.String(120), nullable=False),  # who drafted it
    sa.Column("own_status", sa.String(12), nullable=False),  # from its own events: pending ... rejected, failed
    sa.Column("status", sa.String(12), nullable=False, index=True),  # as listed: also superseded or stale
    sa.Column("drafted_seq", sa.BigInteger, nullable=False),
    sa.Column("drafted_at", sa.String(40), nullable=False),
    sa.Column("last_seq", sa.BigInteger, nullable=False),  # its newest event
    sa.Column("last_at", sa.String(40), nullable=False),
    sa.Column("sign_off_tier", sa.String(20), nullable=False),
    sa.Column("first_approval_seq", sa.BigInteger),
    sa.Column("approval_seq", sa.BigInteger),  # the approval that counts (its last)
    sa.Column("update_of", sa.String(32)),  # recorded with that approval: the full summary an update adds to
    sa.Column("second_checked", sa.Boolean, nullable=False),
    sa.Column("second_check_due", sa.Boolean, nullable=False, index=True),
)

case_statuses = sa.Table(
    "case_statuses", metadata,
    sa.Column("case_reference", sa.String(64), primary_key=True),
    sa.Column("team", sa.String(64)),  # as its newest draft recorded it
    sa.Column("summary_status", sa.String(12), nullable=False),  # what "My cases" shows
    sa.Column("drafts", sa.Integer, nullable=False),
    sa.Column("undecided", sa.Integer, nullable=False),
    sa.Column("last_seq", sa.BigInteger, nullable=False),  # its newest event of any kind
    sa.Column("last_at", sa.String(40), nullable=False),
    sa.Column("last_added_seq", sa.BigInteger),  # its newest documents_added that added a file
)

status_head = sa.Table(  # one row: the event the status table has taken in up to
    "status_head", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("seq", sa.BigInteger, nullable=False),
    sa.Column("hash", sa.String(64), nullable=False),
)

# Passages (retrieval/records/passages.py): the spans each document was cut into at ingest; the text is
# always sliced from documents.text, so erasing a document's text leaves no passage text behind

passages = sa.Table(
    "passages", metadata,
    sa.Column("document_id", sa.Integer, sa.ForeignKey("documents.id"), primary_key=True),
    sa.Column("chunk_id", sa.String(64), primary_key=True),  # the id drafts cite and the index is keyed by
    sa.Column("page", sa.Integer, nullable=False),
    sa.Column("start", sa.Integer, nullable=False),  # offsets into documents.text
    sa.Column("end", sa.Integer, nullable=False),
)

# Readings (summariser/reading/store.py): the facts read from each passage text, once per
# (passage text SHA-256, model, extraction prompt and version). Keyed by the text, not the document, so
# identical passages and re-ingested files share them; erasure deletes them by the erased passages' hashes.

readings = sa.Table(
    "readings", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("passage_sha256", sa.String(64), nullable=False),
    sa.Column("model_id", sa.String(200), nullable=False),
    sa.Column("prompt_name", sa.String(100), nullable=False),
    sa.Column("prompt_version", sa.String(40), nullable=False),
    sa.Column("status", sa.String(10), nullable=False, index=True),  # pending | reading | done | failed
    sa.Column("attempts", sa.Integer, nullable=False),  # how many times a worker claimed it
    sa.Column("error", sa.Text),  # the last failure, in plain English
    sa.Column("document_id", sa.Integer, sa.ForeignKey("documents.id")),  # one passage with this text, to read it from
    sa.Column("chunk_id", sa.String(64)),
    sa.Column("claimed_by", sa.String(200)),
    sa.Column("claimed_at", sa.DateTime(timezone=True)),  # renewed by the reading worker's heartbeat
    sa.Column("finished_at", sa.DateTime(timezone=True)),
    sa.Column("output_tokens", sa.Integer),
    sa.Column("seconds", sa.Float),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.UniqueConstraint("passage_sha256", "model_id", "prompt_name", "prompt_version", name="uq_readings_key"),
)

facts = sa.Table(
    "facts", metadata,
    sa.Column("reading_id", sa.Integer, sa.ForeignKey("readings.id"), primary_key=True),
    sa.Column("position", sa.Integer, primary_key=True),  # order in the model's answer
    sa.Column("kind", sa.String(40), nullable=False),
    sa.Column("date", sa.String(80)),  # as the passage gives it
    sa.Column("quote", sa.Text, nullable=False),
    sa.Column("start", sa.Integer, nullable=False),  # offsets of the quote in the passage text; -1 if not found
    sa.Column("end", sa.Integer, nullable=False),
    sa.Column("wording", sa.Text),
    sa.Column("accepted", sa.Boolean, nullable=False),
    sa.Column("reason", sa.String(40)),  # why it was rejected
    sa.Column("detail", sa.Text, nullable=False),
)

# The directory of vetted services (retrieval/records/directory.py): kept by administrators, suggested on the Case
# page when a case shows a need (summariser/services/signposting.py). Retired entries stay, so the audit log's
# references to them still mean something.

service_directory = sa.Table(
    "service_directory", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("description", sa.Text, nullable=False),
    sa.Column("needs", sa.String(300), nullable=False),  # need codes (retrieval.records.directory.NEEDS), space-separated
    sa.Column("contact", sa.String(300), nullable=False),
    sa.Column("area", sa.String(120), nullable=False),  # "National", or the local area it serves
    sa.Column("vetted_by", sa.String(200), nullable=False),
    sa.Column("vetted_on", sa.String(10), nullable=False),  # ISO date
    sa.Column("demo", sa.Boolean, nullable=False),  # demo data, not a real vetted service
    sa.Column("added_by", sa.String(120), nullable=False),
    sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("updated_by", sa.String(120), nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("retired_by", sa.String(120)),
    sa.Column("retired_at", sa.DateTime(timezone=True)),
)

# Turns at the drafting model (summariser/drafting/tickets.py): one row per draft waiting for the model or using
# it, in every app instance sharing this database, so officers wait in one line and see their place in it. Rows
# live seconds to minutes; a killed process's rows go stale (no heartbeat) and are removed. Not audit: who drafted
# what is in the audit log, not here.

model_queue_tickets = sa.Table(
    "model_queue_tickets", metadata,
    sa.Column("id", sa.Integer, primary_key=True),  # the order of the line; never reused (AUTOINCREMENT on SQLite)
    sa.Column("queue", sa.String(300), nullable=False),  # one line per model endpoint
    sa.Column("holder", sa.String(200), nullable=False),  # machine and process, for whoever looks at the table
    sa.Column("held", sa.Boolean, nullable=False),  # has its turn (is drafting)
    sa.Column("entered_s", sa.Float, nullable=False),  # seconds since 1970, by the database's clock
    sa.Column("heartbeat_s", sa.Float, nullable=False),  # renewed while waiting and drafting
    sa.Index("ix_model_queue_tickets_queue_id", "queue", "id"),
    sqlite_autoincrement=True,
)

# Results of the deterministic checks of a document's text (summariser/checks/results.py): the prompt-injection
# screening and the vulnerability score, worked out once by the background worker (or by whoever needs one
# first) and shared by every process. Keyed by the check's version, so a retrained model checks everything again;
# each row names the text's SHA-256 it was worked out from. The result holds sentences of the text, so erasing a
# document deletes its rows (retrieval/records/store.py).

document_checks = sa.Table(
    "document_checks", metadata,
    sa.Column("document_id", sa.Integer, sa.ForeignKey("documents.id"), primary_key=True),
    sa.Column("check_name", sa.String(40), primary_key=True),  # "injection" | "vulnerability"
    sa.Column("version", sa.String(200), primary_key=True),  # the detector's or model's version
    sa.Column("text_sha256", sa.String(64), nullable=False),
    sa.Column("result", sa.Text, nullable=False),  # JSON
    sa.Column("checked_at", sa.DateTime(timezone=True), nullable=False),
)
