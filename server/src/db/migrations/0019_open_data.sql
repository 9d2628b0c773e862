-- Open data (issue 11, docs/opendata.md): what each dataset last published, its files, and the
-- catalogue's last SHACL validation. The datasets themselves (titles, themes, licences, columns, the
-- query) are code (server/src/opendata/datasets/); these tables hold what a refresh produced.

-- One row per dataset ever refreshed. modified_at moves only when the content changed (content_sha256),
-- so harvesters asking "modified since" are not sent every dataset at every refresh. refusal: why
-- the last refresh was not published (the privacy guard, an error); the files of the last good
-- publication stay.
CREATE TABLE opendata_dataset (
  id             text PRIMARY KEY CHECK (id ~ '^[a-z0-9-]{1,80}$'),
  issued_at      timestamptz NOT NULL,
  modified_at    timestamptz NOT NULL,
  refreshed_at   timestamptz NOT NULL,
  content_sha256 text NOT NULL CHECK (content_sha256 ~ '^[0-9a-f]{64}$'),
  row_count      integer NOT NULL CHECK (row_count >= 0),
  temporal_start timestamptz,
  temporal_end   timestamptz,
  bbox           double precision[] CHECK (bbox IS NULL OR cardinality(bbox) = 4),
  refusal        text,
  refused_at     timestamptz,
  CONSTRAINT opendata_temporal_whole CHECK ((temporal_start IS NULL) = (temporal_end IS NULL))
);

-- The files of the last publication, replaced together with their dataset row in one transaction.
-- gzip holds the file gzip-compressed (a month of every loop's hourly counts: 29 MB of CSV, 4 MB stored);
-- byte_size and sha256 are the file's own, as downloaded.
CREATE TABLE opendata_file (
  dataset_id  text NOT NULL REFERENCES opendata_dataset (id) ON DELETE CASCADE,
  format      text NOT NULL CHECK (format IN ('csv', 'geojson', 'gpkg')),
  media_type  text NOT NULL,
  gzip        bytea NOT NULL,
  byte_size   bigint NOT NULL CHECK (byte_size >= 0),
  sha256      text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  PRIMARY KEY (dataset_id, format)
);

-- When the next refresh is due (one row): the refresh job's tick claims it, so that one server process
-- regenerates the catalogue per period however many run.
CREATE TABLE opendata_refresh (
  id          text PRIMARY KEY DEFAULT 'default' CHECK (id = 'default'),
  due_at      timestamptz NOT NULL,
  claimed_by  text,
  claimed_at  timestamptz
);
INSERT INTO opendata_refresh (due_at) VALUES (TIMESTAMPTZ '2000-01-01 00:00:00+00');

-- The catalogue's SHACL validation after each refresh (the newest is shown; older ones kept 30 days).
CREATE TABLE opendata_validation (
  id          bigserial PRIMARY KEY,
  at          timestamptz NOT NULL,
  validated   boolean NOT NULL,
  conforms    boolean NOT NULL,
  violations  integer NOT NULL,
  warnings    integer NOT NULL,
  report      jsonb NOT NULL
);
CREATE INDEX opendata_validation_at_idx ON opendata_validation (at DESC);
