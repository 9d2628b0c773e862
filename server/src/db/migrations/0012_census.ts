/**
 * The infrastructure census (ADR 0008): the current version of every feature of every collection,
 * every version ever written (with tombstones for deletes), the comune's extent the geometries must
 * lie in, and the twin records each seeded feature came from.
 *
 * Geometry lives in one typmod column per geometry type, all in RDN2008 / UTM 32N E-N (EPSG:7791):
 * the database refuses another type or SRID, an invalid geometry, and (by trigger, against
 * census_extent) a geometry outside the comune + 1 km — what a lat/lon swap produces. The server
 * checks all of these first to answer with the reason; the database is the backstop.
 *
 * Ids come from one sequence and are never reused, also after a delete. A TypeScript migration
 * because the trigger function has a body. Frozen like every migration.
 */
import type { Queryable } from '../adapter'

export async function up(tx: Queryable): Promise<void> {
  await tx.query(`CREATE SEQUENCE census_feature_id_seq`)
  await tx.query(`CREATE TABLE census_extent (
    id        text PRIMARY KEY DEFAULT 'default' CHECK (id = 'default'),
    envelope  geometry(Polygon, 7791) NOT NULL,
    source    text NOT NULL,
    set_at    timestamptz NOT NULL DEFAULT now()
  )`)
  await tx.query(`CREATE TABLE census_feature (
    id            bigint PRIMARY KEY DEFAULT nextval('census_feature_id_seq'),
    collection    text NOT NULL,
    version       integer NOT NULL CHECK (version > 0),
    properties    jsonb NOT NULL,
    geom_point    geometry(Point, 7791) CHECK (geom_point IS NULL OR ST_IsValid(geom_point)),
    geom_line     geometry(LineString, 7791) CHECK (geom_line IS NULL OR ST_IsValid(geom_line)),
    geom_polygon  geometry(Polygon, 7791) CHECK (geom_polygon IS NULL OR ST_IsValid(geom_polygon)),
    created_at    timestamptz NOT NULL,
    updated_at    timestamptz NOT NULL,
    updated_by    text NOT NULL,
    CHECK (num_nonnulls(geom_point, geom_line, geom_polygon) = 1)
  )`)
  await tx.query(`CREATE INDEX census_feature_collection_idx ON census_feature (collection, id)`)
  await tx.query(`CREATE INDEX census_feature_point_idx ON census_feature USING gist (geom_point)`)
  await tx.query(`CREATE INDEX census_feature_line_idx ON census_feature USING gist (geom_line)`)
  await tx.query(`CREATE INDEX census_feature_polygon_idx ON census_feature USING gist (geom_polygon)`)
  await tx.query(`CREATE INDEX census_feature_updated_idx ON census_feature (collection, updated_at)`)
  // Every version: valid_from ≤ t < valid_to (open while current). A delete closes the last version
  // and adds a tombstone (deleted, valid_from = when it was deleted: INSPIRE endLifespanVersion).
  await tx.query(`CREATE TABLE census_feature_version (
    feature_id        bigint NOT NULL,
    version           integer NOT NULL CHECK (version > 0),
    collection        text NOT NULL,
    deleted           boolean NOT NULL DEFAULT false,
    properties        jsonb NOT NULL,
    geom              geometry(Geometry, 7791) NOT NULL,
    valid_from        timestamptz NOT NULL,
    valid_to          timestamptz CHECK (valid_to IS NULL OR valid_to >= valid_from),
    editor            text NOT NULL,
    editor_role       text NOT NULL,
    request_id        text,
    note              text CHECK (note IS NULL OR length(note) <= 2000),
    last_writer_wins  boolean NOT NULL DEFAULT false,
    PRIMARY KEY (feature_id, version)
  )`)
  await tx.query(`CREATE INDEX census_version_collection_idx ON census_feature_version (collection, valid_from)`)
  await tx.query(`CREATE INDEX census_version_geom_idx ON census_feature_version USING gist (geom)`)
  await tx.query(`CREATE INDEX census_version_lww_idx ON census_feature_version (valid_from) WHERE last_writer_wins`)
  // Which twin record each seeded feature came from (device:<id>): a feature GIS staff deleted is not seeded again.
  await tx.query(`CREATE TABLE census_seed_ref (
    source_ref  text PRIMARY KEY,
    feature_id  bigint NOT NULL,
    seeded_at   timestamptz NOT NULL DEFAULT now()
  )`)
  await tx.query(`CREATE FUNCTION census_feature_in_extent() RETURNS trigger LANGUAGE plpgsql AS $fn$
DECLARE
  env geometry;
  g geometry := coalesce(NEW.geom_point, NEW.geom_line, NEW.geom_polygon);
BEGIN
  SELECT envelope INTO env FROM census_extent WHERE id = 'default';
  IF env IS NULL THEN
    RAISE EXCEPTION 'census extent is not set: import the city first' USING ERRCODE = 'check_violation';
  END IF;
  IF NOT ST_CoveredBy(g, env) THEN
    RAISE EXCEPTION 'census feature % lies outside the comune extent (lat/lon swapped?)', NEW.id USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END
$fn$`)
  await tx.query(`CREATE TRIGGER census_feature_extent BEFORE INSERT OR UPDATE ON census_feature FOR EACH ROW EXECUTE FUNCTION census_feature_in_extent()`)
}
