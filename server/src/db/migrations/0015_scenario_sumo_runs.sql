-- The SUMO verification of a scenario version (docs/scenarios.md, "Verification in SUMO"): the
-- version's document run in SUMO on one SUMO network with the demand of its base's loop counts, as a
-- background job of the server (server/src/scenarios/sumo-verification/scenario-sumo-runner.ts), and
-- what came back per SUMO edge (with its geometry and the fast estimate on the same road) and per
-- loop. Frozen once landed, like every migration.

-- One run. The lifecycle and lease columns are those of sumo_run (0011) and mean the same — queued →
-- running → done, failed or cancelled; one server process holds the lease while SUMO runs; attempts
-- counts the claims — so one runner machinery serves both (server/src/db/run-lease.ts). No foreign
-- key to the scenario tables: the run keeps its own snapshot of the document it verified (`document`,
-- the contracts' ScenarioSchema), so it reads the same whatever happens to the scenario afterwards.
-- request: the ScenarioSumoRequest with network, hour and duration resolved; results: the
-- ScenarioSumoResults document (contracts/scenario-api.ts).
CREATE TABLE scenario_sumo_run (
  id               bigserial PRIMARY KEY,
  scenario_id      text NOT NULL,
  version          integer NOT NULL CHECK (version > 0),
  document         jsonb NOT NULL,
  status           text NOT NULL CHECK (status IN ('queued', 'running', 'done', 'failed', 'cancelled')),
  progress         real NOT NULL DEFAULT 0 CHECK (progress >= 0 AND progress <= 1),
  request          jsonb NOT NULL,
  requested_by     text NOT NULL,
  requested_at     timestamptz NOT NULL,
  started_at       timestamptz,
  finished_at      timestamptz,
  error            text,
  results          jsonb,
  cancel_requested boolean NOT NULL DEFAULT false,
  cancelled_by     text,
  attempts         integer NOT NULL DEFAULT 0,
  lease_holder     text,
  lease_expires_at timestamptz,
  CONSTRAINT scenario_sumo_run_lease CHECK ((status = 'running') = (lease_holder IS NOT NULL AND lease_expires_at IS NOT NULL))
);
CREATE INDEX scenario_sumo_run_scenario_idx ON scenario_sumo_run (scenario_id, id DESC);
CREATE INDEX scenario_sumo_run_open_idx ON scenario_sumo_run (id) WHERE status IN ('queued', 'running');

-- Per SUMO edge of the network (every normal edge, so a closed one shows its zero): the simulated
-- flow, travel time and speed over the measured time, the city road edge it lies on (direction
-- `road_edge_reverse` of a two-way road drawn once) and the fast estimate's flow there. geom: the SUMO
-- edge's own line (copied from sumo_edge when the run ended, so a re-import leaves the results whole).
CREATE TABLE scenario_sumo_edge (
  run_id            bigint NOT NULL REFERENCES scenario_sumo_run (id) ON DELETE CASCADE,
  network_id        text NOT NULL,
  edge_id           text NOT NULL,
  road_edge_id      text,
  road_edge_reverse boolean NOT NULL DEFAULT false,
  simulated_veh_h   real NOT NULL,
  travel_time_s     real,
  speed_kmh         real,
  estimated_veh_h   real,
  geom              geometry(LineString, 4326),
  PRIMARY KEY (run_id, edge_id)
);
CREATE INDEX scenario_sumo_edge_geom_idx ON scenario_sumo_edge USING gist (geom);

-- Per loop (traffic-loop device) with detectors on the network: its count at the base's hour, SUMO's
-- count over its detectors, the estimate's flow on its road, and the GEH of the simulation against
-- each (null where there is nothing to compare with). Flows in veh/h.
CREATE TABLE scenario_sumo_detector (
  run_id       bigint NOT NULL REFERENCES scenario_sumo_run (id) ON DELETE CASCADE,
  device_id    text NOT NULL,
  counted      real,
  simulated    real NOT NULL,
  estimated    real,
  geh          real,
  geh_estimate real,
  PRIMARY KEY (run_id, device_id)
);
