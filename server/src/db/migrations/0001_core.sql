-- Devices, history (one typed table per value shape), latest state, quarantine, conflicts.
-- Runs unchanged on PostgreSQL 15 + PostGIS 3.3 and on PGlite (PostgreSQL 18) + PostGIS 3.6.

CREATE TABLE device (
  id                  text PRIMARY KEY,
  kind                text NOT NULL,
  name                text NOT NULL,
  geom                geometry(Point, 4326) NOT NULL,
  expected_interval_s integer NOT NULL CHECK (expected_interval_s > 0),
  source              text NOT NULL CHECK (source IN ('open-data', 'generated', 'registered')),
  dataset             text,
  props               jsonb NOT NULL DEFAULT '{}'::jsonb,
  created_at          timestamptz NOT NULL DEFAULT now(),
  updated_at          timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX device_geom_idx ON device USING gist (geom);
CREATE INDEX device_kind_idx ON device (kind);

-- History. Key columns use the C collation: ids are ASCII, and bytewise comparison makes every
-- index probe of the write path cheaper than a locale-aware one.
-- Key (device_id, stream, observed_at) makes re-sent readings idempotent; the seq index
-- catches a device re-using a sequence number with another time (re-stamped values).
-- received_at is the server's clock, observed_at the device's; quality is what the device said,
-- or 'clock_skew_future' when the device clock runs ahead.
CREATE TABLE traffic_reading (
  device_id     text COLLATE "C" NOT NULL,
  stream        text COLLATE "C" NOT NULL,
  observed_at   timestamptz NOT NULL,
  seq           bigint,
  received_at   timestamptz NOT NULL,
  quality       text NOT NULL,
  flow_veh_h    real NOT NULL,
  occupancy_pct real NOT NULL,
  speed_kmh     real,
  interval_s    integer NOT NULL,
  lane          smallint,
  PRIMARY KEY (device_id, stream, observed_at)
);
CREATE UNIQUE INDEX traffic_reading_seq_key ON traffic_reading (device_id, stream, seq);

CREATE TABLE air_quality_reading (
  device_id   text COLLATE "C" NOT NULL,
  stream      text COLLATE "C" NOT NULL,
  observed_at timestamptz NOT NULL,
  seq         bigint,
  received_at timestamptz NOT NULL,
  quality     text NOT NULL,
  value       double precision NOT NULL,
  unit        text NOT NULL,
  validity    text NOT NULL,
  averaging_s integer NOT NULL,
  PRIMARY KEY (device_id, stream, observed_at)
);
CREATE UNIQUE INDEX air_quality_reading_seq_key ON air_quality_reading (device_id, stream, seq);

CREATE TABLE gate_reading (
  device_id    text COLLATE "C" NOT NULL,
  stream       text COLLATE "C" NOT NULL,
  observed_at  timestamptz NOT NULL,
  seq          bigint,
  received_at  timestamptz NOT NULL,
  quality      text NOT NULL,
  status       text NOT NULL,
  interval_s   integer NOT NULL,
  vehicles     integer NOT NULL,
  unauthorized integer,
  PRIMARY KEY (device_id, stream, observed_at)
);
CREATE UNIQUE INDEX gate_reading_seq_key ON gate_reading (device_id, stream, seq);

CREATE TABLE link_reading (
  device_id         text COLLATE "C" NOT NULL,
  stream            text COLLATE "C" NOT NULL,
  observed_at       timestamptz NOT NULL,
  seq               bigint,
  received_at       timestamptz NOT NULL,
  quality           text NOT NULL,
  status            text NOT NULL,
  connected_clients integer NOT NULL,
  rx_kbps           real NOT NULL,
  tx_kbps           real NOT NULL,
  PRIMARY KEY (device_id, stream, observed_at)
);
CREATE UNIQUE INDEX link_reading_seq_key ON link_reading (device_id, stream, seq);

CREATE TABLE signal_stage_reading (
  device_id    text COLLATE "C" NOT NULL,
  stream       text COLLATE "C" NOT NULL,
  observed_at  timestamptz NOT NULL,
  seq          bigint,
  received_at  timestamptz NOT NULL,
  quality      text NOT NULL,
  program_id   text NOT NULL,
  stage        smallint NOT NULL,
  mode         text NOT NULL,
  cycle_second real,
  PRIMARY KEY (device_id, stream, observed_at)
);
CREATE UNIQUE INDEX signal_stage_reading_seq_key ON signal_stage_reading (device_id, stream, seq);

CREATE TABLE bike_count_reading (
  device_id   text COLLATE "C" NOT NULL,
  stream      text COLLATE "C" NOT NULL,
  observed_at timestamptz NOT NULL,
  seq         bigint,
  received_at timestamptz NOT NULL,
  quality     text NOT NULL,
  interval_s  integer NOT NULL,
  bikes       integer NOT NULL,
  PRIMARY KEY (device_id, stream, observed_at)
);
CREATE UNIQUE INDEX bike_count_reading_seq_key ON bike_count_reading (device_id, stream, seq);

-- The newest reading per device stream. Only ever moved forward in time. Half of each page is
-- left free so that rewriting a row (every reading does) can stay on its page (HOT update).
CREATE TABLE latest_state (
  device_id   text COLLATE "C" NOT NULL,
  stream      text COLLATE "C" NOT NULL,
  observed_at timestamptz NOT NULL,
  seq         bigint,
  received_at timestamptz NOT NULL,
  quality     text NOT NULL,
  vals        jsonb NOT NULL,
  PRIMARY KEY (device_id, stream)
) WITH (fillfactor = 50);

-- Every message the ingest refused, with the reason. raw is at most 64 KiB.
CREATE TABLE ingest_quarantine (
  id            bigserial PRIMARY KEY,
  received_at   timestamptz NOT NULL,
  topic         text NOT NULL,
  client_id     text,
  reason        text NOT NULL,
  detail        text NOT NULL,
  raw           bytea NOT NULL,
  payload_bytes integer NOT NULL,
  sha256        text NOT NULL
);
CREATE INDEX ingest_quarantine_reason_idx ON ingest_quarantine (reason, id);

-- Same key, different values: the first write is kept, the second recorded here.
CREATE TABLE ingest_conflict (
  id          bigserial PRIMARY KEY,
  device_id   text COLLATE "C" NOT NULL,
  stream      text COLLATE "C" NOT NULL,
  observed_at timestamptz NOT NULL,
  seq         bigint,
  received_at timestamptz NOT NULL,
  kind        text NOT NULL CHECK (kind IN ('value_mismatch', 'seq_reused')),
  existing    jsonb NOT NULL,
  incoming    jsonb NOT NULL
);
CREATE INDEX ingest_conflict_device_idx ON ingest_conflict (device_id, id);

-- Conditions raised once per device (not per reading): clock skew, conflicting duplicates.
CREATE TABLE device_flag (
  device_id text NOT NULL,
  flag      text NOT NULL,
  first_at  timestamptz NOT NULL,
  last_at   timestamptz NOT NULL,
  count     bigint NOT NULL DEFAULT 1,
  detail    jsonb NOT NULL DEFAULT '{}'::jsonb,
  PRIMARY KEY (device_id, flag)
);

-- City reference data for the base map.
CREATE TABLE street_arc (
  id      text PRIMARY KEY,
  name    text,
  props   jsonb NOT NULL DEFAULT '{}'::jsonb,
  dataset text NOT NULL,
  geom    geometry(Geometry, 4326) NOT NULL
);
CREATE INDEX street_arc_geom_idx ON street_arc USING gist (geom);

CREATE TABLE area (
  id      text PRIMARY KEY,
  kind    text NOT NULL,
  code    text NOT NULL,
  name    text NOT NULL,
  props   jsonb NOT NULL DEFAULT '{}'::jsonb,
  dataset text NOT NULL,
  geom    geometry(Geometry, 4326) NOT NULL
);
CREATE INDEX area_kind_idx ON area (kind);
CREATE INDEX area_geom_idx ON area USING gist (geom);

-- One row per imported dataset: what was loaded, from which file version, and what was refused.
CREATE TABLE dataset_import (
  dataset_id  text PRIMARY KEY,
  title       text NOT NULL,
  licence     text NOT NULL,
  attribution text NOT NULL,
  source      text NOT NULL,
  checksum    text NOT NULL,
  features    integer NOT NULL,
  rejected    integer NOT NULL,
  report      jsonb NOT NULL,
  imported_at timestamptz NOT NULL DEFAULT now()
);

-- Which city this database holds: real open data, or the generated demo district.
CREATE TABLE city (
  id    text PRIMARY KEY DEFAULT 'default' CHECK (id = 'default'),
  name  text NOT NULL,
  data  text NOT NULL CHECK (data IN ('real', 'generated')),
  label text NOT NULL
);
