-- Personal access tokens (docs/access.md, "Personal access tokens"): what QGIS, GDAL and scripts send
-- instead of the session cookie they cannot obtain — `Authorization: Bearer gmt_…`, or Basic with the
-- username and a token as the password. Depends only on staff_user (0006). Frozen once landed, like
-- every migration.

-- The secret (`gmt_` + 32 random bytes, base64url) is shown once, when created, and stored nowhere:
-- token_hash is its SHA-256 (hex), so a stolen copy of this table opens nothing. prefix (`gmt_` and
-- the next 4 characters) lets a person tell their tokens apart. Every token expires, within a year;
-- a revoked one keeps its row (revoked_at) so the list and the audit log can still name it.
-- last_used_at is written at most once a minute per token, not at every request.
CREATE TABLE api_token (
  id            bigserial PRIMARY KEY,
  username      text NOT NULL REFERENCES staff_user (username) ON DELETE CASCADE,
  name          text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 80),
  token_hash    text NOT NULL UNIQUE CHECK (token_hash ~ '^[0-9a-f]{64}$'),
  prefix        text NOT NULL CHECK (prefix ~ '^gmt_[A-Za-z0-9_-]{4}$'),
  created_at    timestamptz NOT NULL,
  expires_at    timestamptz NOT NULL,
  last_used_at  timestamptz,
  revoked_at    timestamptz,
  CHECK (expires_at > created_at AND expires_at <= created_at + interval '1 year')
);
CREATE INDEX api_token_user_idx ON api_token (username);
