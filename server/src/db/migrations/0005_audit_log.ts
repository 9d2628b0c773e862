/**
 * The audit log (ADR 0005): who did what to which record, when, under which role and request — one
 * row per audited action, written in the same transaction as the action. Append-only: a trigger
 * refuses UPDATE, DELETE and TRUNCATE on both engines. Hash-chained: each row's hash covers the
 * previous row's hash and its own fields (server/src/audit/audit-log.ts), so a row changed or
 * removed by someone who got past the trigger breaks the chain at that row.
 *
 * A TypeScript migration because the trigger function has a body (SQL migrations are split on
 * semicolons). Frozen like every migration.
 */
import type { Queryable } from '../adapter'

export async function up(tx: Queryable): Promise<void> {
  await tx.query(`CREATE TABLE audit_log (
    seq          bigint PRIMARY KEY CHECK (seq > 0),
    at           timestamptz NOT NULL,
    actor        text NOT NULL,
    actor_role   text NOT NULL,
    action       text NOT NULL,
    target       text NOT NULL,
    before_hash  text,
    after_hash   text,
    request_id   text,
    detail       jsonb NOT NULL DEFAULT '{}'::jsonb,
    prev_hash    text NOT NULL,
    hash         text NOT NULL UNIQUE
  )`)
  await tx.query(`CREATE INDEX audit_log_at_idx ON audit_log (at)`)
  await tx.query(`CREATE INDEX audit_log_actor_idx ON audit_log (actor, at)`)
  await tx.query(`CREATE INDEX audit_log_target_idx ON audit_log (target, at)`)
  await tx.query(`CREATE INDEX audit_log_action_idx ON audit_log (action, at)`)
  await tx.query(`CREATE FUNCTION audit_log_refuse() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END
$fn$`)
  await tx.query(`CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_log_refuse()`)
  await tx.query(`CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse()`)
}
