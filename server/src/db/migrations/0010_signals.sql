-- The signal workbench (docs/signals.md): controllers with their signal groups and matrices, plan
-- versions with their status and validation, and deployments to the controllers. The documents are
-- the contracts' schemas (contracts/schemas/signal-plan.ts) as jsonb; what is queried is a column.
-- Frozen once landed, like every migration.

-- The current version of each controller. device_id names the signal-controller device that
-- publishes its stage (signal-<id>), when there is one: no foreign key, a city import may replace
-- devices without touching the plans engineers made. dataset: the city import it came from (NULL for
-- a controller created in Gemello); removing that dataset (a city switch) removes it with its plans.
CREATE TABLE signal_controller (
  id          text PRIMARY KEY CHECK (id ~ '^[A-Za-z0-9_.:-]{1,40}$'),
  version     integer NOT NULL CHECK (version > 0),
  doc         jsonb NOT NULL,
  network_id  text,
  device_id   text,
  dataset     text,
  updated_by  text NOT NULL,
  updated_at  timestamptz NOT NULL
);

-- Every version of a controller, the current one included (history and diff).
CREATE TABLE signal_controller_version (
  controller_id text NOT NULL REFERENCES signal_controller (id) ON DELETE CASCADE,
  version       integer NOT NULL CHECK (version > 0),
  doc           jsonb NOT NULL,
  note          text NOT NULL CHECK (length(note) BETWEEN 1 AND 500),
  created_by    text NOT NULL,
  created_at    timestamptz NOT NULL,
  PRIMARY KEY (controller_id, version)
);

-- Plan versions are immutable; only the status moves (draft → validated → approved → deployed →
-- retired; a deployed version goes back to approved when another one is deployed). plan_hash is
-- the sha256 of the plan's canonical JSON: what the controller verifies.
CREATE TABLE signal_plan_version (
  controller_id      text NOT NULL REFERENCES signal_controller (id) ON DELETE CASCADE,
  plan_id            text NOT NULL CHECK (plan_id ~ '^[A-Za-z0-9_.:-]{1,40}$'),
  version            integer NOT NULL CHECK (version > 0),
  status             text NOT NULL CHECK (status IN ('draft', 'validated', 'approved', 'deployed', 'retired')),
  doc                jsonb NOT NULL,
  plan_hash          text NOT NULL CHECK (plan_hash ~ '^[0-9a-f]{64}$'),
  validation         jsonb NOT NULL,
  validator_version  text NOT NULL,
  controller_version integer NOT NULL,
  note               text NOT NULL CHECK (length(note) BETWEEN 1 AND 500),
  created_by         text NOT NULL,
  created_at         timestamptz NOT NULL,
  approved_by        text,
  approved_at        timestamptz,
  PRIMARY KEY (controller_id, plan_id, version),
  -- Four-eyes (decision D5): nobody approves their own version.
  CONSTRAINT signal_plan_four_eyes CHECK (approved_by IS NULL OR approved_by <> created_by)
);

-- What was sent to a controller. sequence is monotonic per controller: the controller refuses a
-- number not above the one it runs (a replayed older plan). At most one deployment waits for its
-- acknowledgement per controller.
CREATE TABLE signal_deployment (
  id                bigserial PRIMARY KEY,
  controller_id     text NOT NULL REFERENCES signal_controller (id) ON DELETE CASCADE,
  plan_id           text NOT NULL,
  version           integer NOT NULL,
  plan_hash         text NOT NULL,
  sequence          integer NOT NULL CHECK (sequence > 0),
  kind              text NOT NULL CHECK (kind IN ('deploy', 'switch', 'rollback')),
  status            text NOT NULL CHECK (status IN ('sending', 'acknowledged', 'rejected', 'unconfirmed')),
  validator_version text NOT NULL,
  validation        jsonb NOT NULL,
  requested_by      text NOT NULL,
  requested_at      timestamptz NOT NULL,
  attempts          integer NOT NULL DEFAULT 0,
  next_attempt_at   timestamptz,
  acknowledged_at   timestamptz,
  detail            text,
  UNIQUE (controller_id, sequence),
  FOREIGN KEY (controller_id, plan_id, version) REFERENCES signal_plan_version (controller_id, plan_id, version)
);
CREATE UNIQUE INDEX signal_deployment_one_sending ON signal_deployment (controller_id) WHERE status = 'sending';
CREATE INDEX signal_deployment_controller_idx ON signal_deployment (controller_id, id DESC);
