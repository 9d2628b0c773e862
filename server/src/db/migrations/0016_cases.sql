-- Citizen cases (issue 10, docs/cases.md): the service catalogue and the offices, the Open311 clients
-- (api keys, hashed), the cases with their office cycle, the reporter's personal data apart (deleted
-- after the retention period; never in a GET or an export), and each case's events (append-only).

CREATE TABLE case_office (
  id       text PRIMARY KEY CHECK (id ~ '^[a-z][a-z0-9-]{1,39}$'),
  name_it  text NOT NULL,
  name_en  text NOT NULL
);

CREATE TABLE case_service (
  code               text PRIMARY KEY CHECK (code ~ '^[a-z0-9][a-z0-9-]{1,39}$'),
  definition         jsonb NOT NULL,
  office_id          text NOT NULL REFERENCES case_office (id),
  active             boolean NOT NULL DEFAULT true,
  seeded             boolean NOT NULL DEFAULT false,
  updated_at         timestamptz NOT NULL DEFAULT now()
);

-- Routing by district (quartiere): a case of that service in that area goes to that office.
CREATE TABLE case_routing (
  service_code  text NOT NULL REFERENCES case_service (code),
  area_id       text NOT NULL,
  office_id     text NOT NULL REFERENCES case_office (id),
  PRIMARY KEY (service_code, area_id)
);

CREATE TABLE open311_client (
  id          bigserial PRIMARY KEY,
  name        text NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 80),
  key_hash    text NOT NULL UNIQUE,
  created_by  text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  revoked_at  timestamptz
);

CREATE TABLE citizen_case (
  id                 bigserial PRIMARY KEY,
  service_code       text NOT NULL REFERENCES case_service (code),
  status             text NOT NULL CHECK (status IN ('new', 'triaged', 'assigned', 'in_progress', 'action_scheduled', 'investigating', 'fixed', 'duplicate', 'not_responsible', 'no_further_action', 'internal_referral', 'closed')),
  description        text NOT NULL DEFAULT '' CHECK (length(description) <= 4000),
  -- Attribute answers by code (numbers for list keys), as the service definition asks.
  attributes         jsonb NOT NULL DEFAULT '{}',
  address            text CHECK (length(address) <= 300),
  address_id         text CHECK (length(address_id) <= 100),
  location           geometry(Point, 4326) NOT NULL,
  district_area_id   text,
  district_name      text,
  office_id          text NOT NULL REFERENCES case_office (id),
  assignee           text REFERENCES staff_user (username),
  priority           text NOT NULL DEFAULT 'medium' CHECK (priority IN ('high', 'medium', 'low')),
  media_url          text CHECK (length(media_url) <= 500),
  requested_at       timestamptz NOT NULL,
  updated_at         timestamptz NOT NULL,
  expected_at        timestamptz,
  closed_at          timestamptz,
  -- Set once by the SLA job when expected_at passed with the case open (kept after it closes: the statistics count it).
  sla_breached_at    timestamptz,
  status_notes       text CHECK (length(status_notes) <= 2000),
  service_notice     text CHECK (length(service_notice) <= 500),
  asset_collection   text,
  asset_feature_id   bigint,
  asset_distance_m   double precision,
  incident_id        bigint REFERENCES incident (id),
  pmo_site_id        text CHECK (length(pmo_site_id) <= 80),
  duplicate_of       bigint REFERENCES citizen_case (id),
  source             text NOT NULL CHECK (source IN ('open311', 'web', 'operator')),
  open311_client_id  bigint REFERENCES open311_client (id),
  -- Batch services: the token the reporter holds until an office accepts the case.
  token              text UNIQUE,
  -- Shown in the public GET (a batch service's case once accepted; a case an office hides is not).
  published          boolean NOT NULL,
  version            integer NOT NULL DEFAULT 1,
  CHECK ((closed_at IS NULL) = (status NOT IN ('fixed', 'duplicate', 'not_responsible', 'no_further_action', 'internal_referral', 'closed')))
);
CREATE INDEX citizen_case_requested_idx ON citizen_case (requested_at);
CREATE INDEX citizen_case_service_idx ON citizen_case (service_code, requested_at);
CREATE INDEX citizen_case_status_idx ON citizen_case (status);
CREATE INDEX citizen_case_location_idx ON citizen_case USING gist (location);
CREATE INDEX citizen_case_sla_idx ON citizen_case (expected_at) WHERE closed_at IS NULL AND sla_breached_at IS NULL;

-- The reporter's own data: only what they chose to give, deleted after the retention period (purge_after).
CREATE TABLE citizen_case_personal (
  case_id      bigint PRIMARY KEY REFERENCES citizen_case (id) ON DELETE CASCADE,
  email        text CHECK (length(email) <= 254),
  first_name   text CHECK (length(first_name) <= 100),
  last_name    text CHECK (length(last_name) <= 100),
  phone        text CHECK (length(phone) <= 40),
  account_id   text CHECK (length(account_id) <= 100),
  device_id    text CHECK (length(device_id) <= 100),
  -- Set when the case closes (closed_at + the retention period), cleared if it reopens; the purge job deletes the row after it.
  purge_after  timestamptz
);
CREATE INDEX citizen_case_personal_purge_idx ON citizen_case_personal (purge_after) WHERE purge_after IS NOT NULL;

-- What happened to a case, in order (the FMS servicerequestupdates are its public rows).
CREATE TABLE citizen_case_event (
  id          bigserial PRIMARY KEY,
  case_id     bigint NOT NULL REFERENCES citizen_case (id),
  at          timestamptz NOT NULL,
  kind        text NOT NULL CHECK (kind IN ('create', 'accept', 'triage', 'route', 'assign', 'status', 'note', 'link', 'duplicate', 'sla-breach', 'attach')),
  actor       text NOT NULL,
  actor_role  text,
  status      text NOT NULL,
  note        text CHECK (length(note) <= 2000),
  public      boolean NOT NULL DEFAULT false,
  detail      jsonb
);
CREATE INDEX citizen_case_event_case_idx ON citizen_case_event (case_id, id);
CREATE INDEX citizen_case_event_public_idx ON citizen_case_event (at) WHERE public;
REVOKE UPDATE, DELETE, TRUNCATE ON citizen_case_event FROM PUBLIC;
REVOKE UPDATE, DELETE, TRUNCATE ON citizen_case_event FROM CURRENT_USER;

-- Photos of a case (EXIF stripped before they are stored); public ones are what the Open311 media_url points to.
CREATE TABLE citizen_case_attachment (
  id            bigserial PRIMARY KEY,
  case_id       bigint NOT NULL REFERENCES citizen_case (id),
  sha256        text NOT NULL,
  content_type  text NOT NULL CHECK (content_type IN ('image/jpeg', 'image/png')),
  bytes         bytea NOT NULL,
  public        boolean NOT NULL DEFAULT false,
  uploaded_by   text NOT NULL,
  uploaded_at   timestamptz NOT NULL,
  UNIQUE (case_id, sha256)
);
