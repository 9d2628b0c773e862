-- Alarms (ADR 0006): rules as data, one row per alarm instance with its ISA-18.2 state, every state
-- change as an event (the KPIs are computed from the events), flood periods, and the lease that
-- elects the one evaluating process. Frozen once landed, like every migration.

-- A rule: the validated document (contracts/alarm-rules.ts) and a version bumped at every change.
CREATE TABLE alarm_rule (
  id          text PRIMARY KEY,
  version     integer NOT NULL DEFAULT 1 CHECK (version > 0),
  doc         jsonb NOT NULL,
  enabled     boolean NOT NULL,
  updated_by  text NOT NULL,
  updated_at  timestamptz NOT NULL DEFAULT now()
);

-- One alarm instance per (rule, subject) while it is not normal. The subject is a device id, or
-- `corridor` / `ingest` for rules that watch several devices or the pipeline. An instance closes
-- (closed_at) when it is inactive, acknowledged and in service; the next activation opens a new one.
CREATE TABLE alarm (
  id               bigserial PRIMARY KEY,
  rule_id          text NOT NULL,
  rule_version     integer NOT NULL,
  subject          text NOT NULL,
  device_id        text,
  district         text,
  priority         text NOT NULL CHECK (priority IN ('high', 'medium', 'low', 'diagnostic')),
  active           boolean NOT NULL,
  acked            boolean NOT NULL,
  shelved_until    timestamptz,
  shelved_oneshot  boolean NOT NULL DEFAULT false,
  shelved_reason   text,
  shelved_by       text,
  suppressed_by    text,
  out_of_service   boolean NOT NULL DEFAULT false,
  chattering       boolean NOT NULL DEFAULT false,
  message          text NOT NULL,
  value            jsonb,
  raised_at        timestamptz NOT NULL,
  last_change_at   timestamptz NOT NULL,
  cleared_at       timestamptz,
  acked_at         timestamptz,
  acked_by         text,
  activations      integer NOT NULL DEFAULT 1,
  closed_at        timestamptz,
  CHECK (shelved_reason IS NULL OR shelved_by IS NOT NULL)
);
CREATE UNIQUE INDEX alarm_open_idx ON alarm (rule_id, subject) WHERE closed_at IS NULL;
CREATE INDEX alarm_raised_idx ON alarm (raised_at);
CREATE INDEX alarm_device_idx ON alarm (device_id, raised_at);

-- Every change of an alarm's state, by the evaluator (actor system:alarms) or an operator. The
-- operator's actions are also in audit_log; these rows are what the KPIs count.
CREATE TABLE alarm_event (
  id        bigserial PRIMARY KEY,
  alarm_id  bigint NOT NULL REFERENCES alarm (id),
  at        timestamptz NOT NULL,
  type      text NOT NULL,
  actor     text NOT NULL,
  priority  text NOT NULL,
  detail    jsonb NOT NULL DEFAULT '{}'::jsonb
);
CREATE INDEX alarm_event_alarm_idx ON alarm_event (alarm_id, id);
CREATE INDEX alarm_event_at_idx ON alarm_event (at, type);

-- Alarm floods of the control room (more than 10 activations in 10 minutes until fewer than 5).
CREATE TABLE alarm_flood (
  started_at  timestamptz PRIMARY KEY,
  ended_at    timestamptz,
  peak        integer NOT NULL
);

-- The lease of the one process that evaluates the rules (ADR 0006): renewed every 2 s, taken over
-- when it lapses. A row, not a session advisory lock, so that it works on pooled connections too.
CREATE TABLE alarm_lease (
  name        text PRIMARY KEY,
  holder      text NOT NULL,
  expires_at  timestamptz NOT NULL
);
