-- Camera records (ADR 0006, "Cameras"): the compliance record of each camera — purpose, legal basis,
-- signage, retention, DPIA reference, data controller — and whether it is active. Gemello stores no
-- image, plate or face: the only live data of a camera is its gate reading (status and counts, 0001).
-- No column here can hold an image (no bytea), and every text is bounded so none can carry one either.
-- Frozen once landed, like every migration.

-- One record per camera device (a ZTL gate today). Fields are NULL while the record is a draft. The
-- record goes with its device when an import removes the device (ON DELETE CASCADE: a failed city
-- import would be worse); its history stays in audit_log, where every change is written with its values.
-- stream_url is the live view the camera offers: returned only by the audited live-view action, never
-- by a listing. Credentials never belong in it (the API refuses a URL with a user or password).
CREATE TABLE camera_record (
  device_id                text PRIMARY KEY REFERENCES device (id) ON DELETE CASCADE,
  purpose                  text CHECK (length(purpose) BETWEEN 1 AND 1000),
  legal_basis              text CHECK (length(legal_basis) BETWEEN 1 AND 1000),
  signage                  boolean NOT NULL DEFAULT false,
  signage_note             text CHECK (length(signage_note) BETWEEN 1 AND 1000),
  retention_days           integer CHECK (retention_days BETWEEN 1 AND 365),
  retention_justification  text CHECK (length(retention_justification) BETWEEN 1 AND 1000),
  dpia_ref                 text CHECK (length(dpia_ref) BETWEEN 1 AND 300),
  controller               text CHECK (length(controller) BETWEEN 1 AND 300),
  stream_url               text CHECK (length(stream_url) <= 2048 AND stream_url ~ '^(https|rtsps?)://'),
  status                   text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'active', 'inactive')),
  version                  integer NOT NULL DEFAULT 1 CHECK (version > 0),
  updated_by               text NOT NULL,
  updated_at               timestamptz NOT NULL,
  -- The API refuses to activate an incomplete record; the database refuses it too. Beyond 7 days of
  -- retention (the Garante's limit for municipal urban security) a written justification is required.
  CONSTRAINT camera_record_active_is_compliant CHECK (
    status <> 'active' OR (
      purpose IS NOT NULL AND legal_basis IS NOT NULL AND signage AND retention_days IS NOT NULL
      AND dpia_ref IS NOT NULL AND controller IS NOT NULL
      AND (retention_days <= 7 OR retention_justification IS NOT NULL)
    )
  )
);
CREATE INDEX camera_record_status_idx ON camera_record (status);
