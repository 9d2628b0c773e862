#!/bin/bash
# First start of the postgis container (docker-entrypoint-initdb.d): Gemello's own database role is a
# plain role — not a superuser — that owns the gemello database; PostGIS (not a trusted extension) is
# created here by the administrator. Gemello runs its migrations as that role, and migration 0006
# revokes UPDATE, DELETE and TRUNCATE on the audit log from it (docs/access.md, "The database role").
set -euo pipefail
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
  -v app_password="$GEMELLO_DB_PASSWORD" <<'SQL'
CREATE ROLE gemello LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD :'app_password';
CREATE DATABASE gemello OWNER gemello;
\connect gemello
CREATE EXTENSION IF NOT EXISTS postgis;
SQL
