-- Incidents and the shift log (ADR 0006, "Incidents"): operator records made from alarms or by hand,
-- with a point and an affected area, linked alarms, an assignee, an append-only action log and a
-- version bumped at every change (optimistic concurrency). Frozen once landed, like every migration.

-- One incident. The point is required; the affected area is an optional valid polygon. A closed
-- incident carries who closed it, when, and the closing note.
CREATE TABLE incident (
  id            bigserial PRIMARY KEY,
  type          text NOT NULL CHECK (type IN ('accident', 'road-works', 'event', 'flooding', 'other')),
  title         text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
  description   text NOT NULL DEFAULT '' CHECK (length(description) <= 4000),
  status        text NOT NULL CHECK (status IN ('open', 'closed')),
  priority      text NOT NULL CHECK (priority IN ('high', 'medium', 'low')),
  location      geometry(Point, 4326) NOT NULL,
  area          geometry(Polygon, 4326) CHECK (area IS NULL OR ST_IsValid(area)),
  assignee      text REFERENCES staff_user (username),
  created_by    text NOT NULL,
  created_at    timestamptz NOT NULL,
  updated_at    timestamptz NOT NULL,
  closed_at     timestamptz,
  closed_by     text,
  closing_note  text,
  version       integer NOT NULL DEFAULT 1 CHECK (version > 0),
  CHECK ((status = 'closed') = (closed_at IS NOT NULL)),
  CHECK ((closed_at IS NULL) = (closed_by IS NULL) AND (closed_at IS NULL) = (closing_note IS NULL))
);
CREATE INDEX incident_status_idx ON incident (status, created_at);
CREATE INDEX incident_location_idx ON incident USING gist (location);
CREATE INDEX incident_area_idx ON incident USING gist (area);

-- The alarms an incident was made from or linked to later (an alarm may belong to several incidents).
CREATE TABLE incident_alarm (
  incident_id  bigint NOT NULL REFERENCES incident (id),
  alarm_id     bigint NOT NULL REFERENCES alarm (id),
  linked_at    timestamptz NOT NULL,
  linked_by    text NOT NULL,
  PRIMARY KEY (incident_id, alarm_id)
);
CREATE INDEX incident_alarm_alarm_idx ON incident_alarm (alarm_id);

-- The action log of an incident, append-only: creation, notes, assignments, changes, links, closing.
CREATE TABLE incident_log (
  id           bigserial PRIMARY KEY,
  incident_id  bigint NOT NULL REFERENCES incident (id),
  at           timestamptz NOT NULL,
  author       text NOT NULL,
  kind         text NOT NULL CHECK (kind IN ('create', 'note', 'assign', 'update', 'link', 'status')),
  text         text NOT NULL,
  detail       jsonb NOT NULL DEFAULT '{}'::jsonb
);
CREATE INDEX incident_log_incident_idx ON incident_log (incident_id, id);

-- The control room's shift log, append-only: notes during the shift and hand-over notes to the next
-- one (with the items left open).
CREATE TABLE shift_log (
  id          bigserial PRIMARY KEY,
  at          timestamptz NOT NULL,
  author      text NOT NULL,
  kind        text NOT NULL CHECK (kind IN ('note', 'handover')),
  text        text NOT NULL CHECK (length(text) BETWEEN 1 AND 4000),
  open_items  text CHECK (open_items IS NULL OR kind = 'handover')
);

-- Append-only, as for audit_log in 0006: Gemello's own role gives up rewriting the logs (a superuser
-- ignores privileges; production runs as a plain role, docs/access.md "The database role").
REVOKE UPDATE, DELETE, TRUNCATE ON incident_log FROM PUBLIC;
REVOKE UPDATE, DELETE, TRUNCATE ON incident_log FROM CURRENT_USER;
REVOKE UPDATE, DELETE, TRUNCATE ON shift_log FROM PUBLIC;
REVOKE UPDATE, DELETE, TRUNCATE ON shift_log FROM CURRENT_USER;
