-- The outbox of calls to the national platforms (issue 10, docs/cases.md "The outbox", ADR 0010): a row is
-- written in the same transaction as the change that causes it, with the key that makes repeating the call
-- harmless; workers claim rows under a lease, call, and record the outcome with its audit row. A circuit
-- breaker per platform stops calls to a platform that keeps failing.

CREATE TABLE platform_outbox (
  id                bigserial PRIMARY KEY,
  platform          text NOT NULL CHECK (platform IN ('appio', 'gpd', 'send', 'pdnd')),
  operation         text NOT NULL CHECK (operation ~ '^[a-z][a-zA-Z0-9-]{1,59}$'),
  -- The platform's idempotency key where it has one (GPD iupd, SEND idempotenceToken), else ours: one row per effect.
  idempotency_key   text NOT NULL UNIQUE CHECK (length(idempotency_key) BETWEEN 1 AND 200),
  case_id           bigint REFERENCES citizen_case (id),
  -- What the call needs (personal data only where the platform needs it); never logged.
  payload           jsonb NOT NULL,
  -- queued → running → done | failed (refused: no retry) | ambiguous (may have happened; a person decides) | dead (retries used up).
  status            text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'running', 'done', 'failed', 'ambiguous', 'dead')),
  attempts          integer NOT NULL DEFAULT 0,
  next_attempt_at   timestamptz NOT NULL,
  lease_holder      text,
  lease_expires_at  timestamptz,
  last_http_status  integer,
  -- Why it failed, in words (never a response body: it may hold personal data).
  last_error        text CHECK (length(last_error) <= 500),
  result            jsonb,
  created_at        timestamptz NOT NULL,
  done_at           timestamptz
);
CREATE INDEX platform_outbox_due_idx ON platform_outbox (next_attempt_at, id) WHERE status = 'queued';
CREATE INDEX platform_outbox_running_idx ON platform_outbox (lease_expires_at) WHERE status = 'running';
CREATE INDEX platform_outbox_case_idx ON platform_outbox (case_id);

CREATE TABLE platform_breaker (
  platform              text PRIMARY KEY CHECK (platform IN ('appio', 'gpd', 'send', 'pdnd')),
  consecutive_failures  integer NOT NULL DEFAULT 0,
  -- While in the future no call goes to the platform; after it, the next call is the probe.
  open_until            timestamptz,
  updated_at            timestamptz NOT NULL
);
