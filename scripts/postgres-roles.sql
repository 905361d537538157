-- PostgreSQL roles for the casework tool: casework_owner owns the schema and runs the migrations;
-- casework_app is what the application connects as. The app may only SELECT and INSERT audit events
-- (no UPDATE, DELETE or TRUNCATE), and since it owns nothing it cannot drop or disable the triggers
-- that refuse those changes either. It cannot UPDATE the audit log's kept texts at all: it erases them
-- only through audit_erase_contents (SECURITY DEFINER, migration 0006), which the database lets erase a
-- text only once the newest event is an erasure naming it. Whatever it appends with SQL alone carries no
-- signature (the key is not in the database), so `cli.py verify` names it as forged.
-- Case records are never deleted, only erased in place.
-- The listings' status table (draft_statuses, case_statuses, status_head) is a cache of the log that the
-- app rewrites with every event and refolds from the chain when asked, so the app may change it freely:
-- SELECT, INSERT, UPDATE, DELETE, never TRUNCATE, ALTER or DROP. A status forged there can mislead the case
-- list or the review queue, never a decision (each decision folds its draft's own events again), and
-- `cli.py verify` names every row that differs from the chain (docs/decisions/0010-status-read-model.md).
--
-- Run as a superuser in the application's database, before the first migration (it creates the
-- roles) and again after every upgrade (it grants on the tables the migrations added):
--   psql "postgresql://postgres@db/casework" -v ON_ERROR_STOP=1 -f scripts/postgres-roles.sql
-- It can be run any number of times. Set passwords separately (ALTER ROLE casework_app PASSWORD ...).

DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'casework_owner') THEN
        CREATE ROLE casework_owner LOGIN;
    END IF;
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'casework_app') THEN
        CREATE ROLE casework_app LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS;
    END IF;
    EXECUTE format('GRANT CONNECT ON DATABASE %I TO casework_owner, casework_app', current_database());
END $$;

REVOKE casework_owner FROM casework_app;
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
GRANT USAGE, CREATE ON SCHEMA public TO casework_owner;
GRANT USAGE ON SCHEMA public TO casework_app;

DO $$
DECLARE
    t record;
BEGIN
    FOR t IN SELECT c.relname, pg_get_userbyid(c.relowner) AS owner
             FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p')
    LOOP
        IF t.owner <> 'casework_owner' THEN  -- tables migrated earlier by another role move to the owner
            EXECUTE format('ALTER TABLE public.%I OWNER TO casework_owner', t.relname);
        END IF;
        EXECUTE format('REVOKE ALL ON public.%I FROM casework_app, PUBLIC', t.relname);
        IF t.relname = 'audit_events' THEN
            GRANT SELECT, INSERT ON public.audit_events TO casework_app;
        ELSIF t.relname = 'audit_contents' THEN  -- erased only through audit_erase_contents (below)
            GRANT SELECT, INSERT ON public.audit_contents TO casework_app;
        ELSIF t.relname = 'alembic_version' THEN  -- the app checks the schema is current; it never migrates
            GRANT SELECT ON public.alembic_version TO casework_app;
        ELSIF t.relname IN ('draft_statuses', 'case_statuses', 'status_head') THEN  -- a cache verify checks
            EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON public.%I TO casework_app', t.relname);
        ELSIF t.relname IN ('persons', 'cases', 'documents') THEN
            EXECUTE format('GRANT SELECT, INSERT, UPDATE ON public.%I TO casework_app', t.relname);
        ELSE
            EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON public.%I TO casework_app', t.relname);
        END IF;
    END LOOP;
END $$;

GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO casework_app;

-- The erasure path: owned by casework_owner (so it may update audit_contents), callable by the app alone.
DO $$
BEGIN
    IF to_regprocedure('public.audit_erase_contents(text[], text, text, text)') IS NOT NULL THEN
        ALTER FUNCTION public.audit_erase_contents(text[], text, text, text) OWNER TO casework_owner;
        REVOKE ALL ON FUNCTION public.audit_erase_contents(text[], text, text, text) FROM PUBLIC;
        GRANT EXECUTE ON FUNCTION public.audit_erase_contents(text[], text, text, text) TO casework_app;
    END IF;
END $$;
