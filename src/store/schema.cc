// mlcost's schema as forward-only migrations. Never edit a released migration: add a new one.
//
// Conventions: times are TIMESTAMP (UTC, microseconds); MLflow's client-supplied metric timestamps
// stay BIGINT milliseconds because MLflow accepts any non-negative int64 there. Money is
// DECIMAL(38,12). Tags and params, which the single writer deletes and re-inserts, carry no
// index: DuckDB checks unique indexes eagerly inside a transaction, and the writer groups many
// requests into one transaction (see tracking/write_batcher.h). latest_metrics is only ever
// upserted (once per key per transaction), so its primary key makes that upsert a point lookup.
// Metric points carry a series id instead of (run_id, key) strings: appending four numbers is
// several times cheaper for DuckDB than two strings per point; the `metrics` view joins them back.
#include "store/migrations.h"

namespace mlcost::store {

const std::vector<Migration>& SchemaMigrations() {
  static const std::vector<Migration>* migrations = new std::vector<Migration>{
      {1, "tracking: experiments, runs, attempts, params, tags, metrics",
       R"sql(
CREATE SEQUENCE experiment_id_seq START 1;
CREATE TABLE experiments (
  experiment_id     BIGINT PRIMARY KEY,
  name              VARCHAR NOT NULL,
  artifact_location VARCHAR NOT NULL,
  lifecycle_stage   VARCHAR NOT NULL,
  creation_time     TIMESTAMP NOT NULL,
  last_update_time  TIMESTAMP NOT NULL
);
CREATE TABLE experiment_tags (
  experiment_id BIGINT NOT NULL,
  key           VARCHAR NOT NULL,
  value         VARCHAR NOT NULL
);
CREATE TABLE runs (
  run_id          VARCHAR PRIMARY KEY,
  experiment_id   BIGINT NOT NULL,
  run_name        VARCHAR NOT NULL,
  user_id         VARCHAR NOT NULL,
  status          VARCHAR NOT NULL,
  start_time      TIMESTAMP,
  end_time        TIMESTAMP,
  artifact_uri    VARCHAR NOT NULL,
  lifecycle_stage VARCHAR NOT NULL,
  deleted_time    TIMESTAMP
);
CREATE TABLE run_attempts (
  run_id     VARCHAR NOT NULL,
  attempt    INTEGER NOT NULL,
  start_time TIMESTAMP NOT NULL,
  end_time   TIMESTAMP,
  end_cause  VARCHAR
);
CREATE TABLE params (
  run_id VARCHAR NOT NULL,
  key    VARCHAR NOT NULL,
  value  VARCHAR NOT NULL
);
CREATE TABLE tags (
  run_id VARCHAR NOT NULL,
  key    VARCHAR NOT NULL,
  value  VARCHAR NOT NULL
);
CREATE SEQUENCE metric_series_seq START 1;
CREATE TABLE metric_series (
  series_id BIGINT PRIMARY KEY,
  run_id    VARCHAR NOT NULL,
  key       VARCHAR NOT NULL,
  UNIQUE (run_id, key)
);
CREATE TABLE metric_points (
  series_id    BIGINT NOT NULL,
  value        DOUBLE NOT NULL,
  timestamp_ms BIGINT NOT NULL,
  step         BIGINT NOT NULL
);
CREATE VIEW metrics AS
  SELECT s.run_id, s.key, p.value, p.timestamp_ms, p.step
  FROM metric_points p JOIN metric_series s USING (series_id);
CREATE TABLE latest_metrics (
  run_id       VARCHAR NOT NULL,
  key          VARCHAR NOT NULL,
  value        DOUBLE NOT NULL,
  timestamp_ms BIGINT NOT NULL,
  step         BIGINT NOT NULL,
  PRIMARY KEY (run_id, key)
);
)sql"},
      {2, "organisation: teams, users, projects",
       R"sql(
CREATE TABLE teams (
  name          VARCHAR PRIMARY KEY,
  description   VARCHAR NOT NULL DEFAULT '',
  creation_time TIMESTAMP NOT NULL
);
CREATE TABLE users (
  name          VARCHAR PRIMARY KEY,
  team          VARCHAR,
  email         VARCHAR NOT NULL DEFAULT '',
  creation_time TIMESTAMP NOT NULL
);
CREATE TABLE projects (
  name          VARCHAR PRIMARY KEY,
  team          VARCHAR,
  description   VARCHAR NOT NULL DEFAULT '',
  creation_time TIMESTAMP NOT NULL
);
)sql"},
  };
  return *migrations;
}

}  // namespace mlcost::store
