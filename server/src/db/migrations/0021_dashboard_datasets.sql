-- The configurable dashboards' datasets (issue 11 part 2, docs/dashboards.md "Loading a dataset"):
-- a CSV or GeoJSON the administration loads is aggregated on arrival and only the aggregates are kept,
-- never the rows (the file may hold personal columns). dashboard_dataset holds the load's definition
-- (titles, source and licence, how rows are placed, the measures — never the file); a load replaces the
-- dataset's row and all its figures in one transaction.

CREATE TABLE dashboard_dataset (
  id              text PRIMARY KEY CHECK (id ~ '^[a-z][a-z0-9-]{1,59}$'),
  -- contracts/theme-dashboard-api.ts DatasetLoad without `content`.
  definition      jsonb NOT NULL CHECK (definition->>'id' = id),
  row_count       integer NOT NULL CHECK (row_count >= 0),
  placed_count    integer NOT NULL CHECK (placed_count >= 0 AND placed_count <= row_count),
  -- sha256 of the loaded file's text (the audit row's after-hash covers it with the definition).
  content_sha256  text NOT NULL CHECK (content_sha256 ~ '^[0-9a-f]{64}$'),
  loaded_at       timestamptz NOT NULL
);

-- Sums and counts per level × area × category × measure. level 'city' (area_id '') holds every row,
-- placed or not; 'quartiere' and 'area_statistica' hold the rows placed there (area_id = area.id, no
-- foreign key: the areas are re-imported by id). category '' = no category column, or an empty cell.
-- A figure over several categories is the sum of their sums and counts (mean = sum / count).
CREATE TABLE dashboard_dataset_figure (
  dataset_id   text NOT NULL REFERENCES dashboard_dataset (id) ON DELETE CASCADE,
  level        text NOT NULL CHECK (level IN ('city', 'quartiere', 'area_statistica')),
  area_id      text NOT NULL CHECK ((level = 'city') = (area_id = '')),
  category     text NOT NULL,
  measure_id   text NOT NULL,
  value_sum    double precision NOT NULL,
  value_count  integer NOT NULL CHECK (value_count > 0),
  PRIMARY KEY (dataset_id, level, area_id, category, measure_id)
);
