-- Staff identity (ADR 0005): accounts, server-side sessions and OpenID Connect sign-ins in progress.
-- Frozen once landed, like every migration.

-- One row per staff member: local accounts (password_hash set) and provider accounts (subject set,
-- created at their first sign-in; their roles come from the provider at every sign-in).
CREATE TABLE staff_user (
  username       text PRIMARY KEY CHECK (username ~ '^[a-z0-9][a-z0-9._@-]{0,63}$'),
  display_name   text NOT NULL,
  source         text NOT NULL CHECK (source IN ('local', 'oidc')),
  subject        text UNIQUE,
  roles          text[] NOT NULL DEFAULT '{}',
  password_hash  text,
  disabled_at    timestamptz,
  created_at     timestamptz NOT NULL DEFAULT now(),
  updated_at     timestamptz NOT NULL DEFAULT now(),
  CHECK ((source = 'local') = (password_hash IS NOT NULL)),
  CHECK ((source = 'oidc') = (subject IS NOT NULL))
);

-- A session is the SHA-256 of the cookie's random id: a stolen copy of this table opens nothing.
-- roles are the user's roles when the session began (a role change ends the user's sessions).
CREATE TABLE staff_session (
  id_hash       text PRIMARY KEY,
  username      text NOT NULL REFERENCES staff_user (username) ON DELETE CASCADE,
  roles         text[] NOT NULL,
  created_at    timestamptz NOT NULL,
  last_seen_at  timestamptz NOT NULL,
  auth_at       timestamptz NOT NULL,
  expires_at    timestamptz NOT NULL
);
CREATE INDEX staff_session_user_idx ON staff_session (username);
CREATE INDEX staff_session_expires_idx ON staff_session (expires_at);

-- An OpenID Connect sign-in between the redirect to the provider and its return: state (hashed),
-- nonce and PKCE verifier. Deleted when used, so a state works once; older than 10 minutes is refused.
CREATE TABLE oidc_login (
  state_hash     text PRIMARY KEY,
  nonce          text NOT NULL,
  code_verifier  text NOT NULL,
  return_to      text NOT NULL,
  created_at     timestamptz NOT NULL
);

-- The application never rewrites the audit log. Gemello's own database role (the one running this
-- migration, owner of the tables) gives up UPDATE, DELETE and TRUNCATE on it, so an UPDATE from the
-- application fails with "permission denied" before the trigger of 0005 even runs. A superuser ignores
-- privileges: production runs Gemello as a plain role (docs/access.md, "The database role").
REVOKE UPDATE, DELETE, TRUNCATE ON audit_log FROM PUBLIC;
REVOKE UPDATE, DELETE, TRUNCATE ON audit_log FROM CURRENT_USER;
