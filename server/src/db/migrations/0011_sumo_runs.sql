-- SUMO verification runs (docs/signals.md, "Verification in SUMO"): a plan version run in SUMO on the
-- controller's network with the demand of a real day and hour, as a background job of the server
-- (server/src/signals/sumo-runner.ts), and what came back, per approach edge and per loop detector
-- in rows the map joins with sumo_edge and sumo_detector. Frozen once landed, like every migration.

-- One run. status: queued → running → done, failed or cancelled. The lease (lease_holder,
-- lease_expires_at, renewed every second while SUMO runs) makes one server process run it: a
-- process claims a queued run, or a running one whose lease lapsed (its process died), in one
-- UPDATE (FOR UPDATE SKIP LOCKED); attempts counts the claims. cancel_requested asks the process
-- running it to stop SUMO. request: the SumoRunRequest with its date resolved; results: the
-- SumoRunResults document (contracts/signal-api.ts).
CREATE TABLE sumo_run (
  id               bigserial PRIMARY KEY,
  controller_id    text NOT NULL REFERENCES signal_controller (id) ON DELETE CASCADE,
  plan_id          text NOT NULL,
  version          integer NOT NULL,
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
  FOREIGN KEY (controller_id, plan_id, version) REFERENCES signal_plan_version (controller_id, plan_id, version) ON DELETE CASCADE,
  CONSTRAINT sumo_run_lease CHECK ((status = 'running') = (lease_holder IS NOT NULL AND lease_expires_at IS NOT NULL))
);
CREATE INDEX sumo_run_controller_idx ON sumo_run (controller_id, id DESC);
CREATE INDEX sumo_run_open_idx ON sumo_run (id) WHERE status IN ('queued', 'running');

-- Per edge of the network (those with traffic in the measured time, and the controller's approach
-- edges): join on (network_id, edge_id) with sumo_edge for the geometry. No foreign key to the
-- network: a re-import of the city replaces its rows, the results stay. stops and queue_max are
-- measured on the approach edges only (null elsewhere).
CREATE TABLE sumo_run_edge (
  run_id        bigint NOT NULL REFERENCES sumo_run (id) ON DELETE CASCADE,
  network_id    text NOT NULL,
  edge_id       text NOT NULL,
  approach      boolean NOT NULL DEFAULT false,
  vehicles      integer NOT NULL,
  travel_time_s real,
  delay_s       real,
  stops         integer,
  queue_max     integer,
  PRIMARY KEY (run_id, edge_id)
);

-- Per e1 detector of the network: the loop's count of that hour on the detector's lane against
-- SUMO's, and their GEH. Join on (network_id, detector_id) with sumo_detector for the position.
CREATE TABLE sumo_run_detector (
  run_id      bigint NOT NULL REFERENCES sumo_run (id) ON DELETE CASCADE,
  network_id  text NOT NULL,
  detector_id text NOT NULL,
  device_id   text,
  counted     real,
  simulated   real NOT NULL,
  geh         real,
  PRIMARY KEY (run_id, detector_id)
);
