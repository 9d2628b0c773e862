-- Citizens' own sign-in, and what the national platforms hold for a case (issue 10, docs/cases.md,
-- ADR 0010): citizens sign in through a certified OpenID Connect gateway (SPID/CIE), their sessions are
-- server-side rows like the staff's; a case they report carries a keyed pseudonym of their fiscal code
-- (so "my cases" outlives the deletion of their personal row), the personal row carries the fiscal code
-- itself (what App IO, pagoPA and SEND need) and goes with the retention period. A fee is a pagoPA debt
-- position; a legal notice is a SEND notification. Frozen once landed, like every migration.

-- Keys the server keeps in its database so every process uses the same (the pseudonym's HMAC key).
CREATE TABLE server_secret (
  name        text PRIMARY KEY CHECK (name ~ '^[a-z][a-z0-9-]{1,39}$'),
  value       bytea NOT NULL CHECK (length(value) >= 32),
  created_at  timestamptz NOT NULL
);

-- Which sign-in a state belongs to: a staff state never completes a citizen's sign-in, nor the reverse.
ALTER TABLE oidc_login ADD COLUMN audience text NOT NULL DEFAULT 'staff' CHECK (audience IN ('staff', 'citizen'));

-- A citizen's session: the SHA-256 of the cookie's random id. The fiscal code is here only while the
-- session lasts (the citizen's pages send it to nobody; reports copy it to the case's personal row).
CREATE TABLE citizen_session (
  id_hash       text PRIMARY KEY CHECK (id_hash ~ '^[0-9a-f]{64}$'),
  citizen_ref   text NOT NULL CHECK (citizen_ref ~ '^[0-9a-f]{64}$'),
  fiscal_code   text NOT NULL CHECK (fiscal_code ~ '^[A-Z0-9]{11,16}$'),
  display_name  text NOT NULL CHECK (length(display_name) <= 200),
  -- The authentication level the gateway asserted (SPID L1/L2/L3, CIE), as its acr URI.
  acr           text CHECK (length(acr) <= 200),
  created_at    timestamptz NOT NULL,
  last_seen_at  timestamptz NOT NULL,
  auth_at       timestamptz NOT NULL,
  expires_at    timestamptz NOT NULL
);
CREATE INDEX citizen_session_expires_idx ON citizen_session (expires_at);

ALTER TABLE citizen_case ADD COLUMN citizen_ref text CHECK (citizen_ref ~ '^[0-9a-f]{64}$');
CREATE INDEX citizen_case_citizen_idx ON citizen_case (citizen_ref, requested_at) WHERE citizen_ref IS NOT NULL;
ALTER TABLE citizen_case_personal ADD COLUMN fiscal_code text CHECK (fiscal_code ~ '^[A-Z0-9]{11,16}$');

-- A case's events gain the platforms' milestones: a fee asked and paid, a legal notice sent and delivered, an IO message.
ALTER TABLE citizen_case_event DROP CONSTRAINT citizen_case_event_kind_check;
ALTER TABLE citizen_case_event ADD CONSTRAINT citizen_case_event_kind_check
  CHECK (kind IN ('create', 'accept', 'triage', 'route', 'assign', 'status', 'note', 'link', 'duplicate', 'sla-breach', 'attach', 'fee', 'payment', 'notice', 'message'));

-- A fee the citizen pays through pagoPA: one debt position (iupd) with one payment option (iuv; the
-- notice number nav = '3' + iuv). pending → published (GPD has it, payable) → paid | cancelled | failed.
CREATE TABLE case_fee (
  id            bigserial PRIMARY KEY,
  case_id       bigint NOT NULL UNIQUE REFERENCES citizen_case (id),
  amount_cents  bigint NOT NULL CHECK (amount_cents > 0),
  description   text NOT NULL CHECK (length(description) BETWEEN 1 AND 140),
  iupd          text NOT NULL UNIQUE,
  iuv           text NOT NULL UNIQUE CHECK (iuv ~ '^[0-9]{17}$'),
  nav           text NOT NULL UNIQUE CHECK (nav ~ '^3[0-9]{17}$'),
  due_date      date NOT NULL,
  status        text NOT NULL CHECK (status IN ('pending', 'published', 'paid', 'cancelled', 'failed')),
  paid_at       timestamptz,
  -- The receipt's reference and the payment service provider (no card or account data).
  receipt       jsonb,
  created_at    timestamptz NOT NULL,
  updated_at    timestamptz NOT NULL,
  CHECK ((status = 'paid') = (paid_at IS NOT NULL))
);
CREATE INDEX case_fee_open_idx ON case_fee (updated_at) WHERE status = 'published';
-- The fees' IUV sequence: one number per fee, never reused.
CREATE SEQUENCE case_fee_iuv_seq;

-- A legal notice sent through SEND: queued → requested (SEND took the request) → accepted (it has an
-- IUN) → delivering → delivered | viewed | effective | unreachable | cancelled; refused when SEND refused it.
CREATE TABLE case_notice (
  id                       bigserial PRIMARY KEY,
  case_id                  bigint NOT NULL REFERENCES citizen_case (id),
  pa_protocol_number       text NOT NULL UNIQUE,
  idempotence_token        text NOT NULL,
  subject                  text NOT NULL CHECK (length(subject) BETWEEN 1 AND 134),
  status                   text NOT NULL CHECK (status IN ('queued', 'requested', 'accepted', 'refused', 'delivering', 'delivered', 'viewed', 'effective', 'unreachable', 'cancelled')),
  notification_request_id  text,
  iun                      text UNIQUE,
  status_at                timestamptz NOT NULL,
  sent_by                  text NOT NULL,
  created_at               timestamptz NOT NULL,
  updated_at               timestamptz NOT NULL
);
CREATE INDEX case_notice_case_idx ON case_notice (case_id);
CREATE INDEX case_notice_open_idx ON case_notice (updated_at) WHERE status IN ('requested', 'accepted', 'delivering');
