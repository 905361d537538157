"""One schema: a freshly migrated database is exactly what schema.py declares, on SQLite and PostgreSQL.

Alembic's autogenerate compares the two; any difference (a table, column,
type, nullability, index, unique constraint or foreign key) fails the test, so
a migration and the declaration the code reads cannot drift apart.
"""
from __future__ import annotations

import re

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

import schema


def _drift(engine: sa.Engine, metadata: sa.MetaData) -> list:
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        return compare_metadata(context, metadata)


def test_the_migrations_create_exactly_the_declared_schema(engine):
    assert _drift(engine, schema.metadata) == []


def test_partial_indexes_have_the_declared_condition(engine):
    """compare_metadata does not compare an index's WHERE clause, so it is compared here."""
    dialect, inspector = engine.dialect.name, sa.inspect(engine)
    partial = [(table.name, index) for table in schema.metadata.sorted_tables for index in table.indexes
               if index.dialect_options[dialect]["where"] is not None]
    assert partial  # documents.sha256 is unique only among documents not erased
    for table_name, index in partial:
        reflected = {i["name"]: i.get("dialect_options", {}).get(f"{dialect}_where")
                     for i in inspector.get_indexes(table_name)}
        assert _condition(reflected[index.name]) == _condition(index.dialect_options[dialect]["where"]), index.name


def _condition(clause) -> str:
    """A WHERE clause without the brackets and spacing each database adds when it hands it back."""
    return re.sub(r"[\s()]", "", str(clause)).lower()


def test_a_declaration_the_migrations_do_not_create_is_reported(engine):
    """The comparison above can fail: a column, an index and a type the migrations never made are all found."""
    declared = sa.MetaData()
    for table in schema.metadata.sorted_tables:
        table.to_metadata(declared)
    declared.tables["cases"].append_column(sa.Column("closed_on", sa.String(10)))
    sa.Index("ix_accounts_team", declared.tables["accounts"].c.team)
    declared.tables["persons"].c.full_name.type = sa.Text()
    found = {(diff[0], diff[2]) if diff[0] == "add_column" else diff[0] for diff in _flatten(_drift(engine, declared))}
    assert {("add_column", "cases"), "add_index", "modify_type"} <= found


def _flatten(diffs: list) -> list:
    """Column changes come grouped in a list per column; everything else is a tuple."""
    return [change for diff in diffs for change in (diff if isinstance(diff, list) else [diff])]
