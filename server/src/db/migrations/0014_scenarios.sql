-- The scenario explorer's storage (ADR 0009, docs/scenarios.md "Storing scenarios"): scenarios with
-- every version of their document, their status and the scenario they branched from, and the cache of
-- their fast estimates. The document is the contracts' schema (contracts/schemas/scenario.ts) as
-- jsonb. Written only by server/src/db/scenarios.ts, one transaction per change with its audit row.
-- Frozen once landed, like every migration.

-- One row per scenario. latest_version is the compare-and-set token of a save: a new version is
-- written by `UPDATE … SET latest_version = latest_version + 1 WHERE latest_version = <the version the
-- author edited>`, so versions are contiguous (1, 2, 3 …) and of two saves from the same version one
-- wins and the other updates nothing (CONFLICT). status: draft ⇄ published, either → archived,
-- archived → draft (reopened); an archived scenario takes no new version. parent: the scenario and
-- version it was branched from (also in its documents' `parent`). changed_at: its newest version or
-- status change (the list's order).
CREATE TABLE scenario (
  id              text PRIMARY KEY CHECK (id ~ '^[a-z0-9][a-z0-9-]{0,79}$'),
  status          text NOT NULL CHECK (status IN ('draft', 'published', 'archived')),
  latest_version  integer NOT NULL CHECK (latest_version > 0),
  parent_id       text,
  parent_version  integer,
  created_by      text NOT NULL,
  created_at      timestamptz NOT NULL,
  changed_at      timestamptz NOT NULL,
  status_changed_by text,
  status_changed_at timestamptz,
  CONSTRAINT scenario_parent_whole CHECK ((parent_id IS NULL) = (parent_version IS NULL)),
  CONSTRAINT scenario_not_own_parent CHECK (parent_id IS NULL OR parent_id <> id)
);
CREATE INDEX scenario_changed_idx ON scenario (changed_at DESC, id);
CREATE INDEX scenario_parent_idx ON scenario (parent_id) WHERE parent_id IS NOT NULL;

-- Every version of a scenario, immutable: a change is a new row, never an UPDATE (the storage module
-- has none). document->>'id' is the scenario's id. document_hash: sha256 of the document's canonical
-- JSON (the audit row's after-hash).
CREATE TABLE scenario_version (
  scenario_id    text NOT NULL REFERENCES scenario (id),
  version        integer NOT NULL CHECK (version > 0),
  document       jsonb NOT NULL,
  document_hash  text NOT NULL CHECK (document_hash ~ '^[0-9a-f]{64}$'),
  author         text NOT NULL,
  note           text NOT NULL CHECK (length(note) <= 2000),
  created_at     timestamptz NOT NULL,
  PRIMARY KEY (scenario_id, version),
  CONSTRAINT scenario_version_document_id CHECK (document->>'id' = scenario_id)
);

-- The scenario's latest version and its parent exist (checked at commit: the scenario row is written
-- before its first version, in the same transaction).
ALTER TABLE scenario ADD CONSTRAINT scenario_latest_fk FOREIGN KEY (id, latest_version) REFERENCES scenario_version (scenario_id, version) DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE scenario ADD CONSTRAINT scenario_parent_fk FOREIGN KEY (parent_id, parent_version) REFERENCES scenario_version (scenario_id, version);

-- The fast estimate of a version at an hour (the ScenarioEstimateDto, contracts/scenario-api.ts), as
-- computed at computed_at: a cache, not a record — a row computed before the latest city data import
-- is computed again (server/src/db/scenarios.ts, cachedEstimate), and rows may be deleted at any time.
CREATE TABLE scenario_estimate (
  scenario_id  text NOT NULL,
  version      integer NOT NULL,
  hour         smallint NOT NULL CHECK (hour BETWEEN 0 AND 23),
  estimate     jsonb NOT NULL,
  computed_at  timestamptz NOT NULL,
  PRIMARY KEY (scenario_id, version, hour),
  FOREIGN KEY (scenario_id, version) REFERENCES scenario_version (scenario_id, version) ON DELETE CASCADE
);
