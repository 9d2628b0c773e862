-- The PMO's portfolio (issue 11, docs/pmo.md): projects as versioned JSON documents (contracts/schemas/
-- pmo.ts), like scenarios. project holds what lists, filters and the map need, kept from the latest
-- version; project_version every version, immutable (a change is a new row, never an UPDATE).

CREATE TABLE pmo_project (
  id              text PRIMARY KEY CHECK (id ~ '^[a-z0-9][a-z0-9-]{1,79}$'),
  line            text NOT NULL,
  status          text NOT NULL CHECK (status IN ('planned', 'in_progress', 'suspended', 'completed', 'cancelled')),
  latest_version  integer NOT NULL CHECK (latest_version > 0),
  -- The site of the latest version (lon/lat), null when the project has none.
  site            geometry(Geometry, 4326) CHECK (site IS NULL OR GeometryType(site) IN ('POINT', 'LINESTRING', 'POLYGON')),
  created_by      text NOT NULL,
  created_at      timestamptz NOT NULL,
  changed_at      timestamptz NOT NULL
);
CREATE INDEX pmo_project_line_idx ON pmo_project (line, id);
CREATE INDEX pmo_project_site_idx ON pmo_project USING gist (site) WHERE site IS NOT NULL;

-- document->>'id' is the project's id; document_hash: sha256 of the document's canonical JSON (the audit row's after-hash).
CREATE TABLE pmo_project_version (
  project_id     text NOT NULL REFERENCES pmo_project (id),
  version        integer NOT NULL CHECK (version > 0),
  document       jsonb NOT NULL,
  document_hash  text NOT NULL CHECK (document_hash ~ '^[0-9a-f]{64}$'),
  author         text NOT NULL,
  note           text NOT NULL CHECK (length(note) <= 500),
  created_at     timestamptz NOT NULL,
  PRIMARY KEY (project_id, version),
  CONSTRAINT pmo_version_document_id CHECK (document->>'id' = project_id)
);

-- The latest version exists (checked at commit: the project row is written before its first version).
ALTER TABLE pmo_project ADD CONSTRAINT pmo_latest_fk FOREIGN KEY (id, latest_version) REFERENCES pmo_project_version (project_id, version) DEFERRABLE INITIALLY DEFERRED;
